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

struct u32v {
	uint32_t *v;
	size_t n, cap;
};

static enum spn_rc push(struct u32v *a, uint32_t x)
{
	if (a->n == a->cap) {
		size_t nc = a->cap ? a->cap * 2 : 16;
		uint32_t *p = realloc(a->v, nc * sizeof(*p));
		if (!p)
			return SPN_NOMEM;
		a->v = p;
		a->cap = nc;
	}
	a->v[a->n++] = x;
	return SPN_OK;
}

static void query_free(struct spn_query_result *q, size_t n)
{
	for (size_t i = 0; i < n; i++)
		spn_query_result_release(&q[i]);
	free(q);
}

/* setspn -Q: each holder once, in order of first match. */
static int setspn_holders(struct spnctl *c, const struct spn_query_result *q, size_t nq)
{
	size_t na = spn_model_naccounts(c->model);
	unsigned char *seen = calloc(na / 8 + 1, 1);
	struct u32v ids = {0};
	int rc = SPNCTL_EXIT_OK;
	if (!seen)
		return msg_fail("out of memory");
	for (size_t i = 0; i < nq; i++)
		for (size_t g = 0; g < q[i].ngroups; g++)
			for (size_t k = 0; k < q[i].groups[g].nvalues; k++) {
				uint32_t a = spn_model_value(c->model, q[i].groups[g].values[k])->account;
				if (seen[a / 8] & (1u << (a % 8)))
					continue;
				seen[a / 8] |= (unsigned char)(1u << (a % 8));
				if (push(&ids, a)) {
					rc = msg_fail("out of memory");
					goto out;
				}
			}
	struct spn_setspn_scope scope = { c->scope.domains, c->scope.n, c->live.forest };
	if (spn_setspn_query(stdout, c->model, &scope, ids.v, ids.n) != SPN_OK)
		rc = SPNCTL_EXIT_FAILURE;
	else if (ids.n == 0)
		rc = SPNCTL_EXIT_FINDINGS;
out:
	free(seen);
	free(ids.v);
	return rc;
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
	if (setspn) {
		rc = setspn_holders(c, q, n);
	} else if (spn_report_query(stdout, c->format, c->model, q, n) != SPN_OK) {
		rc = SPNCTL_EXIT_FAILURE;
	} else {
		rc = SPNCTL_EXIT_OK;
		for (size_t i = 0; i < n; i++)
			if (q[i].ngroups == 0)
				rc = SPNCTL_EXIT_FINDINGS;
	}
	if (rc != SPNCTL_EXIT_FAILURE)
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
