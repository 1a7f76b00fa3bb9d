/*
 * cmd_rm.c - `spnctl rm SPN ACCOUNT` (setspn -D): remove exactly that
 * value from the account, as the account stores it (any letter case
 * given), leaving every other value (spn/apply.h).
 */
#include "spn/directory.h"
#include "spn/plan.h"
#include "exit.h"
#include "msg.h"
#include "spnctl.h"

int cmd_rm(struct spnctl *c)
{
	struct spn_dir *d = NULL;
	struct spn_model *acc = NULL;
	struct spn_plan plan;
	struct spn_err err;
	int rc;
	if (c->nargs != 2)
		return msg_usage("rm", "give an SPN and an account: spnctl rm SPN ACCOUNT");
	spn_plan_init(&plan);
	if ((rc = spnctl_dir_open(c, &d)) >= 0 || (rc = spnctl_dir_find(c, d, c->args[1], &acc)) >= 0)
		goto out;
	const struct spn_account *a = spn_model_account(acc, 0);
	spn_err_init(&err);
	if (spn_plan_add_step(&plan, SPN_STEP_DELETE, c->args[0], a->dn, a->sam, NULL, "spnctl rm",
	                      &err)) {
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
