/*
 * cmd_list.c - `spnctl list ACCOUNT...` (and setspn -L): each account named
 * by sAMAccountName (with or without '$'), UPN, DN or DOMAIN\name, with its
 * SPNs. The model keeps every account (SPN_MODEL_KEEP_ALL), so an account
 * without SPNs is listed, as setspn lists it; a name that finds no account
 * is an error (exit 2), reported after the accounts that were found.
 */
#include <stdlib.h>

#include "exit.h"
#include "msg.h"
#include "spnctl.h"

int spnctl_list_run(struct spnctl *c, char *const *names, size_t n, bool setspn)
{
	uint32_t *ids = NULL;
	size_t nids = 0;
	bool *missing = calloc(n ? n : 1, sizeof(*missing));
	struct spn_err err;
	int rc;
	if (!missing)
		return msg_fail("out of memory");
	if ((rc = spnctl_load(c)) >= 0)
		goto out;
	spn_err_init(&err);
	if (spn_scope_find_accounts(&c->scope, c->model, c->setspn_kinds, (const char *const *)names, n,
	                            &ids, &nids, missing, &err) != SPN_OK) {
		rc = msg_fail("%s", err.msg);
		goto out;
	}
	if (setspn)
		c->report.format = SPN_FORMAT_SETSPN;
	enum spn_rc w = spn_report_accounts(stdout, &c->report, c->model, ids, nids);
	if (w != SPN_OK) {
		rc = SPNCTL_EXIT_FAILURE;  /* spnctl_main reports the write error */
		goto out;
	}
	rc = SPNCTL_EXIT_OK;
	for (size_t i = 0; i < n; i++)
		if (missing[i])
			rc = msg_fail("no account '%s'%s (looked for a sAMAccountName, UPN or DN)", names[i],
			              c->scope.n ? " in the -T domains" : "");
	rc = spnctl_finish(c, rc);
out:
	free(ids);
	free(missing);
	return rc;
}

int cmd_list(struct spnctl *c)
{
	if (c->nargs == 0)
		return msg_usage("list", "no account given");
	return spnctl_list_run(c, c->args, (size_t)c->nargs, false);
}
