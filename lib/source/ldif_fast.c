/*
 * ldif_fast.c - the plain lines of a snapshot, fused into one loop.
 *
 * Hand-written hot path (spnctl's speed rests on it): nearly every line of
 * an export is "name: value" or "name:: base64" on one physical line, and
 * running each through the general path (scan, record, attribute parse,
 * entry line: five calls and a struct per line) cost most of the reader's
 * time. Here a line's attribute name is checked and measured 16 bytes at a
 * time, its end found 16 bytes at a time (SSE2 where the compiler has it;
 * plain C elsewhere), and an attribute spnctl reads goes straight into the
 * entry. Any line that needs more - a folded or CR-ended line, a comment,
 * options such as ";range=", a URL value, a "dn:" or other record line,
 * a malformed name, the last line in the buffer - ends the loop, and the
 * general path (ldif_reader.c, ldif_record.c) takes that one line. Blank
 * lines and "dn:" lines go to spn_ldif_record_line() itself, so entries
 * start and end in one place. The stream buffer has SPN_LDIF_PAD bytes after
 * its capacity, so loads that run past a line's end stay in the allocation.
 */
#include "ldif_int.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* The first '\n' in [p, end), or NULL. May read up to 15 bytes past end. */
static inline const char *find_nl(const char *p, const char *end)
{
#ifdef __SSE2__
	const __m128i nl = _mm_set1_epi8('\n');
	for (; p < end; p += 16) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)p);
		unsigned m = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x, nl));
		if (m) {
			const char *q = p + __builtin_ctz(m);
			return q < end ? q : NULL;
		}
	}
	return NULL;
#else
	return memchr(p, '\n', (size_t)(end - p));
#endif
}

/* Length of the attribute name at p: bytes in [A-Za-z0-9._-]; the byte
 * after it is not one (a line end at the latest, so this never runs past
 * the line's '\n'). */
static inline size_t name_len(const char *p, const unsigned char *cls)
{
#ifdef __SSE2__
	(void)cls;
	const __m128i k20 = _mm_set1_epi8(0x20), a1 = _mm_set1_epi8('a' - 1), z1 = _mm_set1_epi8('z' + 1);
	const __m128i d0 = _mm_set1_epi8('0' - 1), d9 = _mm_set1_epi8('9' + 1);
	const __m128i dash = _mm_set1_epi8('-'), dot = _mm_set1_epi8('.'), us = _mm_set1_epi8('_');
	for (size_t i = 0;; i += 16) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
		__m128i lo = _mm_or_si128(x, k20);
		/* Signed compares: bytes >= 0x80 are negative, so never letters or digits. */
		__m128i ok = _mm_and_si128(_mm_cmpgt_epi8(lo, a1), _mm_cmplt_epi8(lo, z1));
		ok = _mm_or_si128(ok, _mm_and_si128(_mm_cmpgt_epi8(x, d0), _mm_cmplt_epi8(x, d9)));
		ok = _mm_or_si128(ok, _mm_or_si128(_mm_cmpeq_epi8(x, dash),
		                                   _mm_or_si128(_mm_cmpeq_epi8(x, dot), _mm_cmpeq_epi8(x, us))));
		unsigned bad = ~(unsigned)_mm_movemask_epi8(ok) & 0xffffu;
		if (bad)
			return i + (size_t)__builtin_ctz(bad);
	}
#else
	size_t i = 0;
	while (cls[(unsigned char)p[i]] & SPN_LDIF_C_NAME)
		i++;
	return i;
#endif
}

/* One of spnctl's attributes named at p and followed by ':' - found by
 * comparing the line's first bytes, folded, with "name:" - or -1 (then
 * the name is checked byte class by byte class). A match is exact: the
 * names are letters, digits and '-', and no byte below 0x20 or above 0x7e
 * folds onto one of them once those are excluded. *len: the name's length. */
static inline int known_name(const struct spn_ldif_names *t, const char *p, size_t *len)
{
#ifdef __SSE2__
	const __m128i colon = _mm_set1_epi8(':'), k20 = _mm_set1_epi8(0x20);
	__m128i x0 = _mm_loadu_si128((const __m128i *)(const void *)p), x1 = _mm_setzero_si128();
	unsigned m = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x0, colon));
	size_t n;
	if (m) {
		n = (size_t)__builtin_ctz(m);
	} else {
		x1 = _mm_loadu_si128((const __m128i *)(const void *)(p + 16));
		m = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x1, colon));
		if (!m)
			return -1;
		n = 16 + (size_t)__builtin_ctz(m);
	}
	int cand = t->slot[n][(unsigned char)p[0] & 31];
	if (cand < 0 || cand >= SPN_A_COUNT)
		return -1;
	const unsigned char *pat = t->colon[cand];
	/* Signed: bytes >= 0x80 are below 0x20 too. */
	unsigned eq = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(
	                      _mm_or_si128(x0, k20), _mm_loadu_si128((const __m128i *)(const void *)pat))) &
	              ~(unsigned)_mm_movemask_epi8(_mm_cmplt_epi8(x0, k20));
	if (n < 16) {
		unsigned need = (2u << n) - 1;
		if ((eq & need) != need)
			return -1;
	} else {
		if ((eq & 0xffffu) != 0xffffu)
			return -1;
		/* n >= 16: x1 holds bytes 16-31, loaded for the colon. */
		unsigned eq1 = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(
		                       _mm_or_si128(x1, k20), _mm_loadu_si128((const __m128i *)(const void *)(pat + 16)))) &
		               ~(unsigned)_mm_movemask_epi8(_mm_cmplt_epi8(x1, k20));
		unsigned need = (2u << (n - 16)) - 1;
		if ((eq1 & need) != need)
			return -1;
	}
	*len = n;
	return cand;
#else
	(void)t;
	(void)p;
	(void)len;
	return -1;
#endif
}

enum spn_rc spn_ldif_fast(struct spn_ldif *r)
{
	enum spn_rc rc;
	const char *b = r->buf, *end = b + r->len;
	const unsigned char *cls = r->names.cls;
	size_t line_max = r->lim.line_max;
	for (;;) {
		const char *p = b + r->pos;
		if (r->state == SPN_LDIF_SKIP || p >= end)
			return SPN_OK;
		size_t nlen = 0;
		int code = r->state == SPN_LDIF_ENTRY ? known_name(&r->names, p, &nlen) : -1;
		/* After a known "name:" the line end is further on (the match
		 * had no '\n'); it must lie before end, so the name did too. */
		const char *nl = find_nl(code >= 0 ? p + nlen + 1 : p, end);
		/* The byte after the line end says whether the next line continues it. */
		if (!nl || nl + 1 >= end)
			return SPN_OK;
		size_t n = (size_t)(nl - p);
		if (n > line_max)
			return SPN_OK;
		if (n == 0) {
			/* A blank line (never continued): ends the entry. */
			size_t line = r->line++;
			r->line_off = r->pos++;
			if ((rc = spn_ldif_record_line(r, p, 0, line)))
				return rc;
			continue;
		}
		if (nl[1] == ' ' || nl[-1] == '\r' || *p == '#')
			return SPN_OK;
		if (r->state != SPN_LDIF_ENTRY) {
			/* The first line of a record ("dn:" mostly): the record code. */
			size_t line = r->line++;
			spn_ldif_scratch_reset(r);
			r->line_off = r->pos;
			r->pos += n + 1;
			if ((rc = spn_ldif_record_line(r, p, n, line)))
				return rc;
			continue;
		}

		/* "name: value" / "name:: base64" inside an entry. */
		if (code < 0) {
			if (!(cls[(unsigned char)*p] & SPN_LDIF_C_ALNUM))
				return SPN_OK;
			nlen = name_len(p, cls);
			if (p[nlen] != ':')
				return SPN_OK;  /* options, or not an attribute line at all */
			code = spn_ldif_classify(&r->names, p, n, nlen);
			if (code >= SPN_A_COUNT)
				return SPN_OK;  /* dn:, changetype:, ... inside an entry */
		}
		size_t i = nlen + 1;
		char kind = i < n ? p[i] : '\0';
		if (kind == '<')
			return SPN_OK;
		bool base64 = kind == ':';
		i += base64;
		while (i < n && p[i] == ' ')
			i++;
		size_t line = r->line;
		if (code >= 0) {
			const char *v = p + i;
			size_t vlen = n - i;
			if (base64 && (rc = spn_ldif_decode(r, p, nlen, &v, &vlen, line,
			                                    spn_attr_binary((enum spn_attr)code), false)))
				return rc;
			if ((rc = spn_ldif_push(r, code, v, vlen)))
				return rc;
		}
		r->line = line + 1;
		r->pos += n + 1;
	}
}
