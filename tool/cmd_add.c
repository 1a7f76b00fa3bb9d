/*
 * cmd_add.c - `spnctl add SPN ACCOUNT` (setspn -S; with --force setspn -A):
 * find the account, read the scope as the DC would check it (the domain,
 * or -T / --forest), refuse with every account in the way - duplicates in
 * any case, look-alikes, HOST aliases both ways, what the DC's syntax
 * rules refuse - and otherwise add the one value (spn/apply.h).
 */
#include <string.h>

#include "spn/directory.h"
#include "spn/plan.h"
#include "spn/precheck.h"
#include "exit.h"
#include "msg.h"
#include "spnctl.h"

/* The pre-check: -1 to go on and write, or the exit status. */
static int precheck(struct spnctl *c, const char *spn, const struct spn_account *a)
{
	struct spn_precheck p;
	struct spn_err err;
	enum spn_rc w;
	int rc = -1;
	spn_precheck_init(&p);
	spn_err_init(&err);
	if (spn_precheck_add(c->model, spn, a->dn, &p, &err) != SPN_OK) {
		rc = msg_fail("%s", err.msg);
		goto out;
	}
	if (p.n == 0)
		goto out;
	bool go = c->force && spn_precheck_forceable(&p);
	if ((w = spn_report_conflicts(stdout, &c->report, c->model, spn, a->sam ? a->sam : a->dn, &p,
	                              go)) != SPN_OK)
		rc = spnctl_report_failed(w);
	else if (!spn_precheck_forceable(&p))
		rc = msg_fail("'%s' is not an SPN a DC accepts: nothing was written", spn);
	else if (!go)
		rc = SPNCTL_EXIT_FINDINGS;
out:
	spn_precheck_release(&p);
	return rc;
}

int cmd_add(struct spnctl *c)
{
	struct spn_dir *d = NULL;
	struct spn_model *acc = NULL;
	struct spn_plan plan;
	struct spn_err err;
	int rc;
	if (c->nargs != 2)
		return msg_usage("add", "give an SPN and an account: spnctl add SPN ACCOUNT");
	const char *spn = c->args[0];
	spn_plan_init(&plan);
	if ((rc = spnctl_dir_open(c, &d)) >= 0 || (rc = spnctl_dir_find(c, d, c->args[1], &acc)) >= 0)
		goto out;
	/* The whole scope, as the DC checks it: an account can hold the same
	 * name in any case, a look-alike, or an alias of it. */
	if ((rc = spnctl_load(c)) >= 0)
		goto out;
	if (c->incomplete[0]) {
		rc = msg_fail("the directory was not read in full, so the checks cannot say the add is "
		              "safe: %s", c->incomplete);
		goto out;
	}
	const struct spn_account *a = spn_model_account(acc, 0);
	if ((rc = precheck(c, spn, a)) >= 0)
		goto out;
	spn_err_init(&err);
	if (spn_plan_add_step(&plan, SPN_STEP_ADD, spn, a->dn, a->sam, NULL, "spnctl add", &err)) {
		rc = msg_fail("%s", err.msg);
		goto out;
	}
	rc = spnctl_run_plan(c, d, &plan, false);
out:
	spn_plan_release(&plan);
	spn_model_free(acc);
	spn_dir_close(d);
	return rc;
}
