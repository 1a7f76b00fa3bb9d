/*
 * cmd_resolve.c - `spnctl resolve SPN...`: which account a KDC would issue
 * the service ticket under, step by step, and what the client sees.
 * -T DOMAIN asks the KDC of that domain (repeatable); without it, the
 * domain whose name ends the SPN's host, else every domain. Exit 1 when a
 * name gets no ticket, or one the service cannot decrypt.
 */
#include "exit.h"
#include "msg.h"
#include "spnctl.h"

int cmd_resolve(struct spnctl *c)
{
	struct spn_resolutions r;
	struct spn_err err;
	int rc;
	if (c->nargs == 0)
		return msg_usage("resolve", "no SPN given");
	if ((rc = spnctl_load(c)) >= 0)
		return rc;
	spn_resolutions_init(&r);
	spn_err_init(&err);
	for (int i = 0; i < c->nargs; i++) {
		/* With snapshots -T is checked against the model (c->scope);
		 * live, the domains are passed as given. */
		size_t nd = c->scope.n ? c->scope.n : c->ntargets;
		const char *const *doms = c->scope.n ? c->scope.domains : c->targets;
		for (size_t d = 0; d < (nd ? nd : 1); d++) {
			if (spn_resolve(c->model, c->args[i], nd ? doms[d] : NULL, &r, &err) != SPN_OK) {
				rc = msg_fail("%s", err.msg);
				goto out;
			}
		}
	}
	if (spn_report_resolutions(stdout, &c->report, c->model, &r) != SPN_OK) {
		rc = SPNCTL_EXIT_FAILURE;
		goto out;
	}
	rc = SPNCTL_EXIT_OK;
	for (size_t i = 0; i < r.n; i++)
		if (!spn_outcome_usable(r.v[i].outcome))
			rc = SPNCTL_EXIT_FINDINGS;
	rc = spnctl_finish(c, rc);
out:
	spn_resolutions_release(&r);
	return rc;
}
