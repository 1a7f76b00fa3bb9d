/*
 * match.c - find the SPNs of a model that match a pattern ('*' wildcards,
 * case-insensitive), and group what `spnctl query` and `setspn -Q` show:
 * each matching SPN with its holders inside -T's scope.
 *
 * A pattern without '*' is one index lookup. A pattern with '*' walks the
 * distinct SPNs (head values) once, folding each into one reusable buffer
 * and matching it with spn_match(); no allocation per value, so a pattern
 * scan of ten million values costs one pass over the value array.
 */
#include <stdlib.h>
#include <string.h>

#include "model_int.h"

/* The index key of s[0..n) into *buf (grown as needed). Returns the length
 * or (size_t)-1 on NOMEM. */
static size_t fold_into(char **buf, size_t *cap, const char *s, size_t n)
{
	size_t need = SPN_KEY_CAP(n);
	if (need > *cap) {
		char *p = realloc(*buf, need);
		if (!p)
			return (size_t)-1;
		*buf = p;
		*cap = need;
	}
	return spn_key(s, n, *buf, *cap);
}

enum spn_rc spn_model_match(const struct spn_model *m, const char *pattern,
                            enum spn_rc (*fn)(void *arg, uint32_t head), void *arg,
                            struct spn_err *err)
{
	char *pat = NULL, *buf = NULL;
	size_t patcap = 0, bufcap = 0;
	enum spn_rc rc = SPN_OK;
	size_t pn = fold_into(&pat, &patcap, pattern, strlen(pattern));
	if (pn == (size_t)-1) {
		rc = spn_err_set(err, SPN_NOMEM, "out of memory");
		goto cleanup;
	}
	if (!spn_has_wildcard(pat, pn)) {
		uint32_t head = spn_model_find_key(m, pat, pn);
		if (head != SPN_NONE)
			rc = fn(arg, head);
		goto cleanup;
	}
	for (size_t i = 0; i < m->nval && rc == SPN_OK; i++) {
		const struct spn_value *v = &m->val[i];
		if (!(v->flags & SPN_VALUE_HEAD))
			continue;
		size_t k = fold_into(&buf, &bufcap, v->str, v->len);
		if (k == (size_t)-1) {
			rc = spn_err_set(err, SPN_NOMEM, "out of memory");
			break;
		}
		if (spn_match(pat, pn, buf, k))
			rc = fn(arg, (uint32_t)i);
	}
cleanup:
	free(pat);
	free(buf);
	return rc;
}

/* A growable array of ids. */
struct idv {
	uint32_t *v;
	size_t n, cap;
};

static enum spn_rc push(struct idv *a, uint32_t x)
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

static enum spn_rc collect_head(void *arg, uint32_t head)
{
	return push(arg, head);
}

/* The groups of the matched heads: each head's holders inside s, one
 * values array for all groups (groups[0].values is its start). */
static enum spn_rc group_heads(const struct spn_model *m, const struct spn_scope *s,
                               const struct idv *heads, struct spn_query_result *q)
{
	struct idv values = {0};
	struct spn_query_group *groups = calloc(heads->n ? heads->n : 1, sizeof(*groups));
	size_t *starts = calloc(heads->n ? heads->n : 1, sizeof(*starts)), ng = 0;
	if (!groups || !starts)
		goto nomem;
	for (size_t i = 0; i < heads->n; i++) {
		size_t start = values.n;
		for (uint32_t v = heads->v[i]; v != SPN_NONE; v = spn_model_value(m, v)->next_same)
			if (spn_scope_has(s, m, spn_model_value(m, v)->account) && push(&values, v))
				goto nomem;
		if (values.n == start)
			continue;
		groups[ng].head = heads->v[i];
		groups[ng].nvalues = values.n - start;
		starts[ng++] = start;
	}
	for (size_t g = 0; g < ng; g++)  /* values may have moved while growing */
		groups[g].values = values.v + starts[g];
	free(starts);
	if (ng == 0) {
		free(values.v);
		free(groups);
		return SPN_OK;
	}
	q->groups = groups;
	q->ngroups = ng;
	return SPN_OK;
nomem:
	free(values.v);
	free(groups);
	free(starts);
	return SPN_NOMEM;
}

enum spn_rc spn_model_query(const struct spn_model *m, const struct spn_scope *s,
                            const char *pattern, struct spn_query_result *q,
                            struct spn_err *err)
{
	struct idv heads = {0};
	q->pattern = pattern;
	q->groups = NULL;
	q->ngroups = 0;
	enum spn_rc rc = spn_model_match(m, pattern, collect_head, &heads, err);
	if (rc == SPN_OK)
		rc = group_heads(m, s, &heads, q);
	free(heads.v);
	if (rc != SPN_OK)
		return spn_err_set(err, rc, "out of memory");
	return SPN_OK;
}

void spn_query_result_release(struct spn_query_result *q)
{
	if (q->ngroups)
		free((void *)q->groups[0].values);
	free((void *)q->groups);
	q->groups = NULL;
	q->ngroups = 0;
}
