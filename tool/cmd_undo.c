/*
 * cmd_undo.c - `spnctl undo FILE`: put back what a change did, from the
 * undo file it wrote (spn/undo.h), last change first, each with the same
 * discipline as any write - and an undo file of its own. A value the DC
 * will not take back (it would make a duplicate again) is refused in
 * words naming the account that holds it now.
 */
#include "spn/directory.h"
#include "spn/plan.h"
#include "spn/undo.h"
#include "exit.h"
#include "msg.h"
#include "spnctl.h"

int cmd_undo(struct spnctl *c)
{
	struct spn_dir *d = NULL;
	struct spn_plan p;
	struct spn_err err;
	int rc;
	if (c->nargs != 1)
		return msg_usage("undo", "give the undo file: spnctl undo FILE");
	spn_plan_init(&p);
	spn_err_init(&err);
	if (spn_undo_read(c->args[0], &p, &err) != SPN_OK) {
		rc = msg_fail("%s", err.msg);
		goto out;
	}
	for (size_t i = 0; i < p.nsteps / 2; i++) {   /* last change first */
		struct spn_step t = p.steps[i];
		p.steps[i] = p.steps[p.nsteps - 1 - i];
		p.steps[p.nsteps - 1 - i] = t;
	}
	if ((rc = spnctl_dir_open(c, &d)) >= 0)
		goto out;
	rc = spnctl_run_plan(c, d, &p, true);
out:
	spn_dir_close(d);
	spn_plan_release(&p);
	return rc;
}
