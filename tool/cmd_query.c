/*
 * cmd_query.c - `spnctl query PATTERN...` (and setspn -Q): for each
 * pattern ('*' wildcards, case-insensitive as AD compares; no '*' is an
 * index lookup) every matching SPN and who holds it. Exit 1 when a
 * pattern matches nothing - `spnctl query X && ...` reads as "X exists".
 */
#include <stdlib.h>
#include <string.h>

#include "exit.h"
#include "msg.h"
#include "spnctl.h"

static void query_free(struct spn_query_result *q, size_t n)
{
	for (size_t i = 0; i < n; i++)
		spn_query_result_release(&q[i]);
	free(q);
}

int spnctl_query_run(struct spnctl *c, char *const *patterns, size_t n, bool setspn)
{
	struct spn_query_result *q = calloc(n ? n : 1, sizeof(*q));
	struct spn_err err;
	int rc;
	if (!q)
		return msg_fail("out of memory");
	if ((rc = spnctl_load(c)) >= 0)
		goto out;
	spn_err_init(&err);
	for (size_t i = 0; i < n; i++)
		if (spn_model_query(c->model, &c->scope, patterns[i], &q[i], &err) != SPN_OK) {
			rc = msg_fail("%s", err.msg);
			goto out;
		}
	if (setspn)
		c->report.format = SPN_FORMAT_SETSPN;
	enum spn_rc w = spn_report_query(stdout, &c->report, c->model, q, n);
	if (w == SPN_NOMEM) {
		rc = msg_fail("out of memory");
		goto out;
	}
	if (w != SPN_OK) {
		rc = SPNCTL_EXIT_FAILURE;  /* spnctl_main reports the write error */
		goto out;
	}
	size_t unmatched = 0;
	for (size_t i = 0; i < n; i++)
		unmatched += q[i].ngroups == 0;
	/* setspn -Q: 1 only when nothing matched at all */
	rc = unmatched && (!setspn || unmatched == n) ? SPNCTL_EXIT_FINDINGS : SPNCTL_EXIT_OK;
	rc = spnctl_finish(c, rc);
out:
	query_free(q, n);
	return rc;
}

int cmd_query(struct spnctl *c)
{
	if (c->nargs == 0)
		return msg_usage("query", "no pattern given");
	return spnctl_query_run(c, c->args, (size_t)c->nargs, false);
}
