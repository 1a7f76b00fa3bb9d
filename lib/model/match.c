/*
 * match.c - find the SPNs of a model that match a pattern ('*' wildcards,
 * case-insensitive), for `spnctl query` and `setspn -Q`.
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
