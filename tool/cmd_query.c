/*
 * cmd_query.c - `spnctl query PATTERN...` (setspn -Q is `query -o
 * setspn`): for each pattern ('*' wildcards, case-insensitive as AD
 * compares; no '*' is an index lookup) every matching SPN and who holds it
 * (spn_model_query). Exit 1 when a pattern matches nothing - `spnctl query
 * X && ...` reads as "X exists".
 */
#include <stdlib.h>

#include "exit.h"
#include "msg.h"
#include "spnctl.h"

static void query_free(struct spn_query_result *q, size_t n)
{
	for (size_t i = 0; i < n; i++)
		spn_query_result_release(&q[i]);
	free(q);
}

int cmd_query(struct spnctl *c)
{
	size_t n = (size_t)c->nargs;
	struct spn_query_result *q;
	struct spn_err err;
	enum spn_rc w;
	int rc;
	if (n == 0)
		return msg_usage("query", "no pattern given");
	if (!(q = calloc(n, sizeof(*q))))
		return msg_fail("out of memory");
	if ((rc = spnctl_load(c)) >= 0)
		goto out;
	spn_err_init(&err);
	for (size_t i = 0; i < n; i++)
		if (spn_model_query(c->model, &c->scope, c->args[i], &q[i], &err) != SPN_OK) {
			rc = msg_fail("%s", err.msg);
			goto out;
		}
	if ((w = spn_report_query(stdout, &c->report, c->model, q, n)) != SPN_OK) {
		rc = spnctl_report_failed(w);
		goto out;
	}
	rc = SPNCTL_EXIT_OK;
	for (size_t i = 0; i < n; i++)
		if (q[i].ngroups == 0)
			rc = SPNCTL_EXIT_FINDINGS;
	rc = spnctl_finish(c, rc);
out:
	query_free(q, n);
	return rc;
}
