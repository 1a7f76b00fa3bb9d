/*
 * classify.c - reading AD meaning out of raw values: integers, SIDs, the
 * domain a DN lives in, object classes.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "model_int.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* Are all 8 bytes of w '0'-'9'? */
static inline bool eight_digits(uint64_t w)
{
	const uint64_t hi = 0xF0F0F0F0F0F0F0F0ULL, zeros = 0x3030303030303030ULL;
	return (w & hi) == zeros && ((w + 0x0606060606060606ULL) & hi) == zeros;
}

/* The value of 8 ASCII digits loaded little-endian (first digit lowest). */
static inline uint64_t parse_eight(uint64_t w)
{
	w -= 0x3030303030303030ULL;
	w = w * 10 + (w >> 8);  /* pairs */
	return (((w & 0x000000FF000000FFULL) * (100 + (1000000ULL << 32))) +
	        (((w >> 16) & 0x000000FF000000FFULL) * (1 + (10000ULL << 32)))) >> 32;
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
	const char *p = v->v[0].p;
	size_t n = v->v[0].n;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	if (n >= 8 && n <= 18) {
		/* The usual long value: 8 to 18 plain digits (pwdLastSet has 18),
		 * read as overlapping words of 8 - the first, (the middle,) the
		 * last - whose overlap is divided away. No overflow below 19. */
		static const uint64_t pow10[9] = {1, 10, 100, 1000, 10000, 100000, 1000000,
		                                  10000000, 100000000};
		uint64_t wa, wm, wb;
		size_t mid = n > 16 ? n - 16 : 0;
		memcpy(&wa, p, 8);
		memcpy(&wm, p + mid, 8);
		memcpy(&wb, p + n - 8, 8);
		if (eight_digits(wa) && eight_digits(wm) && eight_digits(wb)) {
			uint64_t x;
			if (n <= 16)  /* wb's first 16 - n digits are wa's last ones */
				x = parse_eight(wa) / pow10[16 - n] * 100000000 + parse_eight(wb);
			else          /* wa's first n - 16 digits, then wm and wb */
				x = (parse_eight(wa) / pow10[24 - n] * 100000000 + parse_eight(wm)) * 100000000 +
				    parse_eight(wb);
			*out = (int64_t)x;
			*present = true;
			return SPN_OK;
		}
	}
#endif
	if (n && n < 8 && (unsigned char)(p[0] - '0') < 10) {
		/* 1 to 7 plain digits (userAccountControl, primaryGroupID). */
		uint64_t x = 0;
		size_t i = 0;
		for (; i < n && (unsigned char)(p[i] - '0') < 10; i++)
			x = x * 10 + (uint64_t)(p[i] - '0');
		if (i == n) {
			*out = (int64_t)x;
			*present = true;
			return SPN_OK;
		}
	}
	while (n && (*p == ' ')) { p++; n--; }
	while (n && (p[n - 1] == ' ' || p[n - 1] == '\r')) n--;
	if (n == 0 || n >= 32)
		goto bad;
	/* Hand-written for speed (every account's userAccountControl,
	 * pwdLastSet, ... passes here); accepts exactly what strtoll(, 10)
	 * accepts of the whole value: leading white space, a sign, digits,
	 * no overflow. */
	size_t i = 0;
	while (i < n && (p[i] == ' ' || (p[i] >= '\t' && p[i] <= '\r')))
		i++;
	bool neg = false;
	if (i < n && (p[i] == '+' || p[i] == '-'))
		neg = p[i++] == '-';
	if (i == n)
		goto bad;
	uint64_t x = 0, lim = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	/* Eight digits a step while x stays far from overflow (pwdLastSet has 18). */
	while (n - i >= 8 && x < 10000000000ULL) {
		uint64_t w;
		memcpy(&w, p + i, 8);
		if (!eight_digits(w))
			break;
		x = x * 100000000 + parse_eight(w);
		i += 8;
	}
#endif
	for (; i < n; i++) {
		unsigned d = (unsigned)((unsigned char)p[i] - '0');
		if (d > 9)
			goto bad;
		/* 18 digits never overflow; beyond, check each step. */
		if (x >= 100000000000000000ULL && x > (lim - d) / 10)
			goto bad;
		x = x * 10 + d;
	}
	*out = neg ? (int64_t)(0 - x) : (int64_t)x;
	*present = true;
	return SPN_OK;
bad:
	return spn_err_set(err, SPN_INPUT, "%s: '%.*s': %s value '%.*s' is not a number",
	                   e->where ? e->where : "?", (int)e->dn.n, e->dn.p, spn_attr_name(a),
	                   (int)(v->v[0].n > 40 ? 40 : v->v[0].n), v->v[0].p);
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

/* The ',' or '+' that ends the RDN at dn[i] (a '\\' escapes the next
 * byte), or n. Every kept account's DN passes here: 16 bytes a step with
 * SSE2 while 16 remain, never reading past the DN. */
static size_t rdn_end(const char *dn, size_t i, size_t n)
{
#ifdef __SSE2__
	const __m128i comma = _mm_set1_epi8(','), plus = _mm_set1_epi8('+'), bs = _mm_set1_epi8('\\');
	while (n - i >= 16) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)(dn + i));
		unsigned mk = (unsigned)_mm_movemask_epi8(_mm_or_si128(
		        _mm_or_si128(_mm_cmpeq_epi8(x, comma), _mm_cmpeq_epi8(x, plus)), _mm_cmpeq_epi8(x, bs)));
		if (!mk) {
			i += 16;
			continue;
		}
		i += (size_t)__builtin_ctz(mk);
		if (dn[i] != '\\')
			return i;
		i += i + 1 < n ? 2 : 1;  /* the escaped byte */
	}
#endif
	while (i < n && dn[i] != ',' && dn[i] != '+') {
		if (dn[i] == '\\' && i + 1 < n)
			i++;
		i++;
	}
	return i;
}

const char *spn_dn_domain(struct spn_model *m, const char *dn, size_t n, const char *hint)
{
	/* Find where the DC= suffix starts: entries arrive domain by domain,
	 * so compare that suffix with the last one before building a name. */
	size_t i = 0, dc_start = n;
	while (i < n) {
		while (i < n && dn[i] == ' ')
			i++;
		if (n - i > 3 && (dn[i] | 0x20) == 'd' && (dn[i + 1] | 0x20) == 'c' && dn[i + 2] == '=') {
			dc_start = i;
			break;
		}
		i = rdn_end(dn, i, n) + 1;
	}
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
