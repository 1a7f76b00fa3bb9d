/*
 * classify.c - reading AD meaning out of raw values: integers, SIDs, the
 * domain a DN lives in, object classes.
 *
 * Every account's integers and DN pass here, so two rules have hand-tuned
 * halves in classify_fast.c; their plain twins below are the rules
 * (classify_int.h, lib/base/tuned.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/tuned.h"
#include "classify_int.h"
#include "model_int.h"

bool spn_int_read_plain(const char *p, size_t n, int64_t *out)
{
	while (n && *p == ' ') {
		p++;
		n--;
	}
	while (n && (p[n - 1] == ' ' || p[n - 1] == '\r'))
		n--;
	if (n == 0 || n >= 32)
		return false;
	size_t i = 0;
	while (i < n && (p[i] == ' ' || (p[i] >= '\t' && p[i] <= '\r')))
		i++;
	bool neg = false;
	if (i < n && (p[i] == '+' || p[i] == '-'))
		neg = p[i++] == '-';
	if (i == n)
		return false;
	uint64_t x = 0, lim = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	for (; i < n; i++) {
		unsigned d = (unsigned)((unsigned char)p[i] - '0');
		if (d > 9 || x > (lim - d) / 10)
			return false;
		x = x * 10 + d;
	}
	*out = neg ? (int64_t)(0 - x) : (int64_t)x;
	return true;
}

enum spn_rc spn_parse_int(const struct spn_entry *e, enum spn_attr a, int64_t *out,
                          bool *present, struct spn_err *err)
{
	const struct spn_values *v = &e->attr[a];
	*present = false;
	*out = 0;
	if (v->n == 0)
		return SPN_OK;
	if (v->n > 1)
		return spn_err_set(err, SPN_INPUT, "%s: '%.*s': %s has %zu values; AD allows one",
		                   e->where ? e->where : "?", (int)e->dn.n, e->dn.p,
		                   spn_attr_name(a), v->n);
	if (!SPN_TUNED(spn_int_read)(v->v[0].p, v->v[0].n, out))
		return spn_err_set(err, SPN_INPUT, "%s: '%.*s': %s value '%.*s' is not a number",
		                   e->where ? e->where : "?", (int)e->dn.n, e->dn.p, spn_attr_name(a),
		                   (int)(v->v[0].n > 40 ? 40 : v->v[0].n), v->v[0].p);
	*present = true;
	return SPN_OK;
}

static bool sid_text_rid(const char *p, size_t n, uint32_t *rid)
{
	/* S-1-5-21-a-b-c-RID: the last dash-separated number. */
	if (n < 5 || (p[0] != 'S' && p[0] != 's') || p[1] != '-')
		return false;
	size_t dashes = 0, last = 0;
	for (size_t i = 1; i < n; i++) {
		if (p[i] == '-') {
			if (i + 1 >= n || p[i + 1] == '-')
				return false;
			dashes++;
			last = i + 1;
		} else if (p[i] < '0' || p[i] > '9') {
			return false;
		}
	}
	if (dashes < 3)
		return false;
	unsigned long long r = 0;
	for (size_t i = last; i < n; i++) {
		r = r * 10 + (unsigned)(p[i] - '0');
		if (r > 0xffffffffULL)
			return false;
	}
	*rid = (uint32_t)r;
	return true;
}

bool spn_sid_rid(const char *p, size_t n, uint32_t *rid)
{
	const unsigned char *s = (const unsigned char *)p;
	if (n >= 2 && s[0] == 'S' && s[1] == '-')
		return sid_text_rid(p, n, rid);
	/* Binary: revision 1, sub-authority count, 6-byte authority, then
	 * count little-endian 32-bit sub-authorities; the RID is the last. */
	if (n < 12 || s[0] != 1 || s[1] == 0 || s[1] > 15 || n != 8 + 4 * (size_t)s[1])
		return false;
	const unsigned char *r = s + n - 4;
	*rid = (uint32_t)r[0] | (uint32_t)r[1] << 8 | (uint32_t)r[2] << 16 | (uint32_t)r[3] << 24;
	return true;
}

static const char *intern_domain(struct spn_model *m, const char *d, size_t n)
{
	size_t last = m->last_domain;  /* entries arrive domain by domain */
	if (last < m->ndomains && strlen(m->domains[last]) == n && memcmp(m->domains[last], d, n) == 0)
		return m->domains[last];
	for (size_t i = 0; i < m->ndomains; i++) {
		if (strlen(m->domains[i]) == n && memcmp(m->domains[i], d, n) == 0) {
			m->last_domain = i;
			return m->domains[i];
		}
	}
	char **nd = realloc(m->domains, (m->ndomains + 1) * sizeof(*nd));
	if (!nd)
		return NULL;
	m->domains = nd;
	char *s = spn_arena_strndup(&m->arena, d, n);
	if (!s)
		return NULL;
	m->domains[m->ndomains] = s;
	m->last_domain = m->ndomains++;
	return s;
}

bool spn_dn_domain_name(const char *dn, size_t n, char *buf, size_t cap)
{
	size_t k = 0, i = 0;
	if (cap == 0)
		return false;
	while (i < n) {
		while (i < n && dn[i] == ' ')
			i++;
		size_t start = i;
		while (i < n && dn[i] != ',' && dn[i] != '+') {
			if (dn[i] == '\\' && i + 1 < n)
				i++;
			i++;
		}
		size_t len = i - start;
		if (len > 3 && (dn[start] | 0x20) == 'd' && (dn[start + 1] | 0x20) == 'c' &&
		    dn[start + 2] == '=') {
			if (k + (len - 3) + 2 > cap)
				return false;
			if (k)
				buf[k++] = '.';
			for (size_t j = start + 3; j < start + len; j++) {
				char ch = dn[j];
				buf[k++] = (char)(ch >= 'A' && ch <= 'Z' ? ch + 32 : ch);
			}
		}
		i++;
	}
	buf[k] = '\0';
	return k > 0;
}

size_t spn_dn_dc_start_plain(const char *dn, size_t n)
{
	size_t i = 0;
	while (i < n) {
		while (i < n && dn[i] == ' ')
			i++;
		if (n - i > 3 && (dn[i] | 0x20) == 'd' && (dn[i + 1] | 0x20) == 'c' && dn[i + 2] == '=')
			return i;
		while (i < n && dn[i] != ',' && dn[i] != '+') {  /* to the RDN's end */
			if (dn[i] == '\\' && i + 1 < n)
				i++;
			i++;
		}
		i++;
	}
	return n;
}

const char *spn_dn_domain(struct spn_model *m, const char *dn, size_t n, const char *hint)
{
	/* Where the DC= suffix starts: entries arrive domain by domain, so
	 * compare that suffix with the last one before building a name. */
	size_t dc_start = SPN_TUNED(spn_dn_dc_start)(dn, n);
	if (dc_start < n && m->dc_domain && m->dc_suffix_n == n - dc_start &&
	    memcmp(m->dc_suffix, dn + dc_start, n - dc_start) == 0)
		return m->dc_domain;

	char buf[512];
	if (dc_start >= n || !spn_dn_domain_name(dn + dc_start, n - dc_start, buf, sizeof(buf))) {
		if (!hint)
			hint = "";
		return intern_domain(m, hint, strlen(hint));
	}
	size_t k = strlen(buf);
	const char *d = intern_domain(m, buf, k);
	size_t sn = n - dc_start;
	if (d && sn + 1 > m->dc_suffix_cap) {
		char *p = realloc(m->dc_suffix, sn + 1);
		if (!p)
			return d;
		m->dc_suffix = p;
		m->dc_suffix_cap = sn + 1;
	}
	if (d) {
		memcpy(m->dc_suffix, dn + dc_start, sn);
		m->dc_suffix_n = sn;
		m->dc_domain = d;
	}
	return d;
}
