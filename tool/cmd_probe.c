/*
 * cmd_probe.c - `spnctl probe SPN...`: ask the real KDC (the ticket cache's
 * realm) for a service ticket for each SPN, without storing it, and read
 * its answer against the directory (-f snapshot, or the live directory's
 * holders of those names): who holds it, whose key the ticket is, why a
 * refusal, resolve's prediction, and the fix (spn/diag.h). --keytab opens
 * each ticket as the service would.
 *
 * The KDC is asked first: when it cannot be asked at all (no ticket cache,
 * no KDC), one line says why and nothing else is tried (exit 2). Exit 0
 * when every ticket is issued (and opens with --keytab), 1 when the KDC
 * said no (or the keytab does not open one), 2 when a name could not be
 * asked or the directory not read.
 */
#include <stdlib.h>
#include <string.h>

#include "spn/diag.h"
#include "spn/probe.h"
#include "exit.h"
#include "msg.h"
#include "spnctl.h"

struct probes {
	struct spn_probe_result *r;
	struct spn_keytab_check *k;
	size_t n;
};

static void probes_free(struct probes *p)
{
	for (size_t i = 0; i < p->n; i++) {
		spn_probe_result_release(&p->r[i]);
		spn_keytab_check_release(&p->k[i]);
	}
	free(p->r);
	free(p->k);
}

/* Ask the KDC for each name; returns -1 when at least one was asked, else
 * the exit status after one line. */
static int ask_all(struct spnctl *c, struct probes *p)
{
	struct spn_err err;
	size_t asked = 0;
	for (size_t i = 0; i < p->n; i++) {
		spn_err_init(&err);
		enum spn_rc rc = spn_probe(c->args[i], NULL, &p->r[i], &err);
		if (rc == SPN_USAGE)
			return msg_usage("probe", "%s", err.msg);
		if (rc != SPN_OK)
			return msg_fail("%s", err.msg);
		asked += spn_probe_asked(p->r[i].status);
	}
	if (asked == 0)
		return msg_fail("%s", p->r[0].summary ? p->r[0].summary : "could not ask the KDC");
	return -1;
}

/* --keytab: open each issued ticket. Returns -1 or an exit status. */
static int open_all(struct spnctl *c, struct probes *p)
{
	struct spn_err err;
	for (size_t i = 0; c->keytab && i < p->n; i++) {
		if (p->r[i].status != SPN_PROBE_ISSUED)
			continue;
		spn_err_init(&err);
		if (spn_probe_open(&p->r[i], c->keytab, &p->k[i], &err) != SPN_OK)
			return msg_fail("%s", err.msg);
	}
	return -1;
}

int cmd_probe(struct spnctl *c)
{
	struct probes p = {0};
	struct spn_diags ds;
	struct spn_err err;
	char deflt[1024];
	bool readable = false;
	int rc;
	if (c->nargs == 0)
		return msg_usage("probe", "no SPN given");
	for (int i = 0; i < c->nargs; i++) {
		if (strchr(c->args[i], '*'))
			return msg_usage("probe", "'%s': probe asks the KDC for one name at a time; '*' "
			                 "patterns are for query", c->args[i]);
		if (strchr(c->args[i], '@'))
			return msg_usage("probe", "'%s' contains '@': an SPN has no realm; probe asks in "
			                 "the realm of your ticket cache", c->args[i]);
	}
	p.n = (size_t)c->nargs;
	p.r = calloc(p.n, sizeof(*p.r));
	p.k = calloc(p.n, sizeof(*p.k));
	spn_diags_init(&ds);
	if (!p.r || !p.k) {
		free(p.r);
		free(p.k);
		spn_diags_release(&ds);
		return msg_fail("out of memory");
	}
	for (size_t i = 0; i < p.n; i++) {
		spn_probe_result_init(&p.r[i]);
		spn_keytab_check_init(&p.k[i]);
	}
	if ((rc = ask_all(c, &p)) >= 0 ||
	    (rc = spnctl_load_spns(c, (const char *const *)c->args, p.n, NULL, 0)) >= 0 ||
	    (rc = open_all(c, &p)) >= 0)
		goto out;
	spn_err_init(&err);
	for (size_t i = 0; i < p.n; i++)
		if (spn_diag_probe(c->model, &p.r[i], c->keytab && p.r[i].status == SPN_PROBE_ISSUED ?
		                   &p.k[i] : NULL, &ds, &err) != SPN_OK) {
			rc = msg_fail("%s", err.msg);
			goto out;
		}
	spn_err_init(&err);
	if (!c->keytab && spn_probe_default_keytab(deflt, sizeof(deflt), &readable, &err) != SPN_OK)
		readable = false;
	enum spn_rc w = spn_report_probes(stdout, &c->report, c->model, &ds,
	                                  !c->keytab && readable ? deflt : NULL);
	if (w != SPN_OK) {
		rc = spnctl_report_failed(w);
		goto out;
	}
	rc = SPNCTL_EXIT_OK;
	for (size_t i = 0; i < ds.n; i++) {
		int s = spn_diag_status(&ds.v[i]);
		if (s > rc)
			rc = s;
	}
	if (rc < SPNCTL_EXIT_FAILURE)
		rc = spnctl_finish(c, rc);
out:
	spn_diags_release(&ds);
	probes_free(&p);
	return rc;
}
