/*
 * fuzz_undo.c - libFuzzer target: the undo-file reader (spn/undo.h) on
 * arbitrary bytes.
 *
 * Invariants checked:
 *  - no crash, no leak, whatever the input;
 *  - a file read as OK yields at least one step; every step is an add or a
 *    delete with a non-empty DN and a value without NUL bytes, and its
 *    reason names the input ("u.ldif:LINE");
 *  - a failure is SPN_INPUT (or SPN_NOMEM) with a message that starts with
 *    the file name and holds no newline.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spn/undo.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void die(const char *what)
{
	fprintf(stderr, "fuzz_undo: invariant failed: %s\n", what);
	abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct spn_plan p;
	struct spn_err err;
	spn_plan_init(&p);
	spn_err_init(&err);
	enum spn_rc rc = spn_undo_read_mem("u.ldif", (const char *)data, size, &p, &err);
	if (rc == SPN_OK) {
		if (p.nsteps == 0)
			die("OK without steps");
		for (size_t i = 0; i < p.nsteps; i++) {
			const struct spn_step *s = &p.steps[i];
			if (s->op != SPN_STEP_ADD && s->op != SPN_STEP_DELETE)
				die("op");
			if (!s->dn || !*s->dn || !s->spn)
				die("empty DN or value");
			if (!s->reason || strncmp(s->reason, "u.ldif:", 7) != 0)
				die("reason does not name the file");
		}
	} else {
		if (rc != SPN_INPUT && rc != SPN_NOMEM)
			die("unexpected rc");
		if (strncmp(err.msg, "u.ldif", 6) != 0 && rc == SPN_INPUT)
			die("message does not start with the file name");
		if (strchr(err.msg, '\n'))
			die("message has a newline");
	}
	spn_plan_release(&p);
	return 0;
}
