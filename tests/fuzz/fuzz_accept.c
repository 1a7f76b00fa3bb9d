/*
 * fuzz_accept.c - libFuzzer target: the accept-file reader (spn/accept.h)
 * on arbitrary bytes, and what it marks in a small model's findings.
 *
 * Invariants checked:
 *  - no crash, no leak, whatever the input;
 *  - a file read as OK yields entries that are either an id of 16
 *    lower-case hex digits (no code, no name) or a known check code with a
 *    non-empty name holding no '\n' or NUL, each with a line number
 *    within the input;
 *  - a failure is SPN_INPUT (or SPN_NOMEM) with one line that starts with
 *    the file name;
 *  - applying it marks at most the findings there are, and only those.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spn/accept.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void die(const char *what)
{
	fprintf(stderr, "fuzz_accept: invariant failed: %s\n", what);
	abort();
}

static void check_entry(const struct spn_accept_entry *e, size_t lines)
{
	if (e->line < 1 || e->line > lines)
		die("line number outside the input");
	if (e->id) {
		if (e->code || e->name || strlen(e->id) != SPN_FINDING_ID_LEN ||
		    strspn(e->id, "0123456789abcdef") != SPN_FINDING_ID_LEN)
			die("bad id entry");
		return;
	}
	if (!e->code || !spn_check_find(e->code) || !e->name || !*e->name || strchr(e->name, '\n'))
		die("bad code/name entry");
}

/* A model with one duplicate and its finding, to apply the list to. */
static struct spn_model *model(struct spn_findings *f)
{
	static const char *const dns[] = {"CN=A,DC=x", "CN=B,DC=x"};
	struct spn_model *m = spn_model_new(0);
	struct spn_err err;
	uint16_t src;
	spn_err_init(&err);
	if (!m || spn_model_add_source(m, "t.ldif", "ldif", &src, &err))
		die("model");
	for (size_t i = 0; i < 2; i++) {
		struct spn_entry e;
		spn_entry_init(&e);
		e.dn.p = dns[i];
		e.dn.n = strlen(dns[i]);
		spn_entry_add(&e, SPN_A_SAMACCOUNTNAME, i ? "b" : "a", 1);
		spn_entry_add(&e, SPN_A_SERVICEPRINCIPALNAME, "HTTP/web", 8);
		if (spn_model_add_entry(m, src, &e, &err))
			die("entry");
		spn_entry_release(&e);
	}
	if (spn_model_finish(m, &err) || spn_checks_run(m, NULL, 0, f, &err))
		die("finish");
	return m;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct spn_accept a;
	struct spn_err err;
	size_t lines = 1;
	for (size_t i = 0; i < size; i++)
		lines += data[i] == '\n';
	spn_accept_init(&a);
	spn_err_init(&err);
	enum spn_rc rc = spn_accept_parse(&a, "a.txt", (const char *)data, size, &err);
	if (rc == SPN_OK) {
		for (size_t i = 0; i < a.n; i++)
			check_entry(&a.v[i], lines);
		struct spn_findings f;
		size_t n;
		spn_findings_init(&f);
		struct spn_model *m = model(&f);
		if (spn_accept_apply(&a, m, &f, &n) == SPN_OK) {
			size_t marked = 0;
			for (size_t i = 0; i < f.n; i++)
				marked += f.v[i].accepted;
			if (n > f.n || marked != n)
				die("accepted count");
		}
		spn_findings_release(&f);
		spn_model_free(m);
	} else {
		if (rc != SPN_INPUT && rc != SPN_NOMEM)
			die("unexpected result code");
		if (strncmp(err.msg, "a.txt", 5) != 0 || strchr(err.msg, '\n'))
			die("message");
	}
	spn_accept_release(&a);
	return 0;
}
