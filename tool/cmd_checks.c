/*
 * cmd_checks.c - `spnctl checks [CODE...]`: the check registry - every
 * code with its severity, whether dups runs it, its title; with codes
 * given (or -v), each one's explanation in full. Reads no directory.
 */
#include <stdlib.h>

#include "exit.h"
#include "msg.h"
#include "spnctl.h"

int cmd_checks(struct spnctl *c)
{
	size_t n = c->nargs ? (size_t)c->nargs : spn_check_count();
	const struct spn_check **v = calloc(n ? n : 1, sizeof(*v));
	int rc = SPNCTL_EXIT_OK;
	if (!v)
		return msg_fail("out of memory");
	for (size_t i = 0; i < n; i++) {
		v[i] = c->nargs ? spn_check_find(c->args[i]) : spn_check_at(i);
		if (!v[i]) {
			rc = msg_fail("unknown check '%s'; 'spnctl checks' lists them", c->args[i]);
			goto out;
		}
	}
	if (spn_report_checks(stdout, &c->report, v, n, c->nargs > 0 || c->verbose) != SPN_OK)
		rc = SPNCTL_EXIT_FAILURE;
out:
	free(v);
	return rc;
}
