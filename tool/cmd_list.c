/*
 * cmd_list.c - `spnctl list ACCOUNT...` (setspn -L is `list -o setspn`):
 * each account named by sAMAccountName (with or without '$'), UPN, DN or
 * DOMAIN\name, with its SPNs; --computers and --users keep one kind. The
 * model keeps every account (SPN_MODEL_KEEP_ALL), so an account without
 * SPNs is listed, as setspn lists it; a name that finds no account is an
 * error (exit 2), reported after the accounts that were found.
 */
#include <stdlib.h>

#include "exit.h"
#include "msg.h"
#include "spnctl.h"

/* One error line per name that found no account (and setspn's "Could not
 * find account" on standard output); the exit status. */
static int report_missing(const struct spnctl *c, const bool *missing)
{
	int rc = SPNCTL_EXIT_OK;
	for (int i = 0; i < c->nargs; i++) {
		if (!missing[i])
			continue;
		spn_report_no_account(stdout, &c->report, c->args[i]);  /* setspn's line */
		rc = msg_fail("no account '%s'%s (looked for a sAMAccountName, UPN or DN)", c->args[i],
		              c->scope.n ? " in the -T domains" : "");
	}
	return rc;
}

int cmd_list(struct spnctl *c)
{
	size_t n = (size_t)c->nargs, nids = 0;
	uint32_t *ids = NULL;
	bool *missing;
	struct spn_err err;
	enum spn_rc w;
	int rc;
	if (n == 0)
		return msg_usage("list", "no account given");
	if (!(missing = calloc(n, sizeof(*missing))))
		return msg_fail("out of memory");
	if ((rc = spnctl_load(c)) >= 0)
		goto out;
	spn_err_init(&err);
	if (spn_scope_find_accounts(&c->scope, c->model, c->kinds, (const char *const *)c->args, n,
	                            &ids, &nids, missing, &err) != SPN_OK) {
		rc = msg_fail("%s", err.msg);
		goto out;
	}
	if ((w = spn_report_accounts(stdout, &c->report, c->model, ids, nids)) != SPN_OK)
		rc = spnctl_report_failed(w);
	else
		rc = spnctl_finish(c, report_missing(c, missing));
out:
	free(ids);
	free(missing);
	return rc;
}
