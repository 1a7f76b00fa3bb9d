/*
 * cmd_fix.c - `spnctl fix`: the plan that fixes the audit's findings -
 * which copy of each duplicate, look-alike or HOST-alias conflict goes,
 * decided by evidence (spn/owner.h), each change with its reason, and the
 * duplicates the evidence cannot settle listed as undecided. Printed as
 * text, JSON or LDIF (for ldapmodify / ldifde -i, also from a snapshot);
 * --apply carries it out on the DC, asking before each change unless
 * --yes.
 */
#include <stdlib.h>

#include "spn/directory.h"
#include "spn/plan.h"
#include "exit.h"
#include "msg.h"
#include "spnctl.h"
#include "suggest.h"

/* --keep names: one account each, in the loaded model. */
static int keep_ids(struct spnctl *c, uint32_t **out)
{
	uint32_t *ids = calloc(c->nkeep ? c->nkeep : 1, sizeof(*ids));
	if (!ids)
		return msg_fail("out of memory");
	for (size_t i = 0; i < c->nkeep; i++) {
		uint32_t found[2];
		size_t n = spn_model_find_account(c->model, c->keep[i], found, 2);
		if (n != 1) {
			free(ids);
			return msg_fail("--keep: %s account '%s'%s", n ? "more than one" : "no", c->keep[i],
			                n ? " (give its DN)" : " among the accounts with SPNs");
		}
		ids[i] = found[0];
	}
	*out = ids;
	return -1;
}

static int check_line(const struct spnctl *c)
{
	if (c->nargs)
		return spnctl_unexpected(c);
	if (c->apply && c->nfiles)
		return msg_usage("fix", "--apply changes a live directory; a snapshot's plan is carried "
		                 "out where the directory is: -o ldif, then ldifde -i or ldapmodify");
	if (c->apply && c->report.format == SPN_FORMAT_LDIF)
		return msg_usage("fix", "-o ldif writes the plan, --apply carries it out: give one");
	return -1;
}

static int apply(struct spnctl *c, const struct spn_plan *p)
{
	struct spn_dir *d = NULL;
	int rc;
	if (!p->complete)
		return msg_fail("the directory was not read in full, so nothing is changed: %s",
		                c->incomplete);
	if (p->nsteps == 0)
		return p->nundecided ? SPNCTL_EXIT_FINDINGS : SPNCTL_EXIT_OK;
	if ((rc = spnctl_dir_open(c, &d)) >= 0)
		return rc;
	rc = spnctl_run_plan(c, d, p, true);
	spn_dir_close(d);
	if (rc == SPNCTL_EXIT_OK && p->nundecided)
		rc = SPNCTL_EXIT_FINDINGS;
	return rc;
}

int cmd_fix(struct spnctl *c)
{
	struct spn_findings f;
	struct spn_plan p;
	struct spn_err err;
	uint32_t *keep = NULL;
	int rc;
	if ((rc = check_line(c)) >= 0)
		return rc;
	spn_findings_init(&f);
	spn_plan_init(&p);
	if ((rc = spnctl_load(c)) >= 0 || (rc = spnctl_findings(c, 0, &f)) >= 0 ||
	    (rc = keep_ids(c, &keep)) >= 0)
		goto out;
	struct spn_fix_opts o = {c->only, c->nonly, keep, c->nkeep};
	spn_err_init(&err);
	if (spn_plan_fix(c->model, &f, &o, &p, &err) != SPN_OK) {
		rc = msg_fail("%s", err.msg);
		goto out;
	}
	/* The plan first: with --apply (text) it says why before asking. */
	if (!c->apply || c->report.format == SPN_FORMAT_TEXT) {
		enum spn_rc w = spn_report_plan(stdout, &c->report, &p,
		                                spn_model_nsources(c->model) ?
		                                spn_model_source(c->model, 0)->name : NULL, c->apply);
		if (w != SPN_OK) {
			rc = spnctl_report_failed(w);
			goto out;
		}
	}
	if (c->apply) {
		if (c->report.format == SPN_FORMAT_TEXT && p.nsteps)
			fputc('\n', stdout);
		rc = apply(c, &p);
	} else {
		rc = spnctl_finish(c, p.nsteps || p.nundecided ? SPNCTL_EXIT_FINDINGS : SPNCTL_EXIT_OK);
	}
out:
	free(keep);
	spn_plan_release(&p);
	spn_findings_release(&f);
	return rc;
}
