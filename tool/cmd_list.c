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

#define MAX_SAME_NAME 64

/* setspn -C / -U: only computers (and DCs) or only users. */
static bool kind_wanted(const struct spnctl *c, uint32_t id)
{
	if (!c->setspn_kinds || c->setspn_kinds == 3)
		return true;
	enum spn_kind k = (enum spn_kind)spn_model_account(c->model, id)->kind;
	bool computer = spn_kind_is_computer(k);
	return (c->setspn_kinds & 1) ? computer : !computer;
}

/* The accounts each name finds (in scope), in order; missing[i] when name
 * i finds none. Returns -1 or an exit status. */
static int find_accounts(struct spnctl *c, char *const *names, size_t n,
                         uint32_t **ids, size_t *nids, bool *missing)
{
	size_t cap = n + 16, have = 0;
	uint32_t *out = malloc(cap * sizeof(*out));
	uint32_t hits[MAX_SAME_NAME];
	if (!out)
		return msg_fail("out of memory");
	for (size_t i = 0; i < n; i++) {
		size_t found = spn_model_find_account(c->model, names[i], hits, MAX_SAME_NAME);
		missing[i] = true;
		if (found > MAX_SAME_NAME) {
			free(out);
			return msg_fail("'%s' names %zu accounts; give a DN or DOMAIN\\name", names[i], found);
		}
		for (size_t k = 0; k < found; k++) {
			if (!spnctl_in_scope(c, hits[k]) || !kind_wanted(c, hits[k]))
				continue;
			if (have == cap) {
				uint32_t *p = realloc(out, 2 * cap * sizeof(*out));
				if (!p) {
					free(out);
					return msg_fail("out of memory");
				}
				out = p;
				cap *= 2;
			}
			out[have++] = hits[k];
			missing[i] = false;
		}
	}
	*ids = out;
	*nids = have;
	return -1;
}

int spnctl_list_run(struct spnctl *c, char *const *names, size_t n, bool setspn)
{
	uint32_t *ids = NULL;
	size_t nids = 0;
	bool *missing = calloc(n ? n : 1, sizeof(*missing));
	int rc;
	if (!missing)
		return msg_fail("out of memory");
	if ((rc = spnctl_load(c)) >= 0 || (rc = find_accounts(c, names, n, &ids, &nids, missing)) >= 0)
		goto out;
	enum spn_rc w = setspn ? spn_setspn_list(stdout, c->model, ids, nids)
	                       : spn_report_accounts(stdout, c->format, c->model, ids, nids);
	if (w != SPN_OK) {
		rc = SPNCTL_EXIT_FAILURE;  /* spnctl_main reports the write error */
		goto out;
	}
	rc = SPNCTL_EXIT_OK;
	for (size_t i = 0; i < n; i++)
		if (missing[i])
			rc = msg_fail("no account '%s'%s (looked for a sAMAccountName, UPN or DN)", names[i],
			              c->scope ? " in the -T domains" : "");
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
