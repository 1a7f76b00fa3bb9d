/*
 * spn_match.c - '*' wildcard matching of SPNs, as `setspn -Q` and
 * `spnctl query` take patterns ("HTTP/web*", "MSSQLSvc/sql*:1433").
 *
 * Both sides are already folded (spn_fold), so the match is
 * case-insensitive exactly as AD compares names. Only '*' is special: it
 * matches any run of bytes, including '/' and the empty run. The classic
 * greedy algorithm with one backtrack point (the last '*') runs in
 * O(len(pattern) * len(s)) at worst and linear time in practice.
 */
#include <string.h>

#include "spn/spn.h"

bool spn_match(const char *pat, size_t pn, const char *s, size_t n)
{
	size_t p = 0, i = 0;
	size_t star = (size_t)-1, resume = 0;

	while (i < n) {
		if (p < pn && pat[p] == '*') {
			star = p++;
			resume = i;
		} else if (p < pn && pat[p] == s[i]) {
			p++;
			i++;
		} else if (star != (size_t)-1) {
			p = star + 1;
			i = ++resume;
		} else {
			return false;
		}
	}
	while (p < pn && pat[p] == '*')
		p++;
	return p == pn;
}

bool spn_has_wildcard(const char *pat, size_t pn)
{
	return memchr(pat, '*', pn) != NULL;
}
