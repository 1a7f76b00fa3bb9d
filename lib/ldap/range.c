/*
 * range.c - AD ranged attribute retrieval (MS-ADTS 3.1.1.3.1.3.3): the
 * attribute option "range=low-high" a DC puts on a reply that holds only
 * part of a value list, and the option we ask for the rest with. Pure
 * string work, unit-tested in tests/unit/test_ldap_helpers.c.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "ldap_int.h"

/* Parse a decimal number of at most 10 digits from s[*i..n). */
static bool number(const char *s, size_t n, size_t *i, unsigned long *out)
{
	unsigned long v = 0;
	size_t start = *i;
	while (*i < n && s[*i] >= '0' && s[*i] <= '9') {
		if (*i - start >= 10)
			return false;
		v = v * 10 + (unsigned long)(s[*i] - '0');
		(*i)++;
	}
	*out = v;
	return *i > start;
}

int spn_range_parse(const char *desc, size_t n, size_t *namelen, struct spn_range *r)
{
	const char *semi = memchr(desc, ';', n);
	*namelen = semi ? (size_t)(semi - desc) : n;
	int found = 0;
	size_t i = *namelen;
	while (i < n) {
		/* One option: from after ';' to the next ';' or the end. */
		size_t start = ++i;
		while (i < n && desc[i] != ';')
			i++;
		size_t len = i - start;
		if (len < 6 || strncasecmp(desc + start, "range=", 6) != 0)
			continue;
		if (found)
			return -1;   /* two range options */
		size_t j = start + 6;
		struct spn_range rr = {0, 0, false};
		if (!number(desc, i, &j, &rr.low) || j >= i || desc[j] != '-')
			return -1;
		j++;
		if (j < i && desc[j] == '*') {
			rr.to_end = true;
			j++;
		} else if (!number(desc, i, &j, &rr.high) || rr.high < rr.low) {
			return -1;
		}
		if (j != i)
			return -1;
		*r = rr;
		found = 1;
	}
	return found;
}

bool spn_range_request(char *buf, size_t cap, const char *name, unsigned long low, unsigned step)
{
	int k;
	if (step == 0)
		k = snprintf(buf, cap, "%s;range=%lu-*", name, low);
	else
		k = snprintf(buf, cap, "%s;range=%lu-%lu", name, low, low + step - 1);
	return k > 0 && (size_t)k < cap;
}

bool spn_range_attr(enum spn_attr a)
{
	return a == SPN_A_SERVICEPRINCIPALNAME || a == SPN_A_MEMBEROF || a == SPN_A_ALLOWEDTODELEGATETO;
}
