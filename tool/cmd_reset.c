/*
 * cmd_reset.c - `spnctl reset COMPUTER` (setspn -R): put back a computer's
 * default SPNs - HOST/ and RestrictedKrbHost/ for its short name (the
 * sAMAccountName without '$') and for its dNSHostName - adding only the
 * ones missing and keeping every other SPN.
 */
#include <stdio.h>
#include <string.h>

#include "spn/directory.h"
#include "spn/plan.h"
#include "exit.h"
#include "msg.h"
#include "spnctl.h"

static int add_defaults(struct spn_plan *p, const struct spn_account *a)
{
	static const char *const classes[] = {"HOST", "RestrictedKrbHost"};
	char spn[600], shortname[256];
	struct spn_err err;
	size_t n = strlen(a->sam);
	if (n && a->sam[n - 1] == '$')
		n--;
	snprintf(shortname, sizeof(shortname), "%.*s", (int)n, a->sam);
	spn_err_init(&err);
	for (size_t i = 0; i < 2; i++) {
		const char *names[2] = {shortname, a->dns_host};
		for (size_t j = 0; j < 2; j++) {
			if (!names[j] || !names[j][0])
				continue;
			snprintf(spn, sizeof(spn), "%s/%s", classes[i], names[j]);
			if (spn_plan_add_step(p, SPN_STEP_ADD, spn, a->dn, a->sam, NULL, "spnctl reset",
			                      &err))
				return msg_fail("%s", err.msg);
		}
	}
	return -1;
}

int cmd_reset(struct spnctl *c)
{
	struct spn_dir *d = NULL;
	struct spn_model *acc = NULL;
	struct spn_plan plan;
	int rc;
	if (c->nargs != 1)
		return msg_usage("reset", "give one computer: spnctl reset COMPUTER");
	c->kinds = SPN_KINDS_COMPUTERS;
	spn_plan_init(&plan);
	if ((rc = spnctl_dir_open(c, &d)) >= 0 || (rc = spnctl_dir_find(c, d, c->args[0], &acc)) >= 0)
		goto out;
	const struct spn_account *a = spn_model_account(acc, 0);
	if (!a->sam || !spn_kind_is_computer((enum spn_kind)a->kind)) {
		rc = msg_fail("'%s' is not a computer account: reset puts back a computer's HOST SPNs",
		              c->args[0]);
		goto out;
	}
	if (!a->dns_host && c->verbose)
		msg_note("%s has no dNSHostName: only the short name's SPNs", a->dn);
	if ((rc = add_defaults(&plan, a)) >= 0)
		goto out;
	rc = spnctl_run_plan(c, d, &plan, false);
out:
	spn_plan_release(&plan);
	spn_model_free(acc);
	spn_dir_close(d);
	return rc;
}
