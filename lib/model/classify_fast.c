/*
 * classify_fast.c - the hand-tuned halves of two classify.c rules (the
 * contracts are in classify_int.h; the plain twins, which are the rules,
 * in classify.c). Every account passes here several times: its
 * userAccountControl, primaryGroupID, pwdLastSet, ... and its DN.
 *  - Integers: the usual shapes, 1 to 18 plain digits, without the rule's
 *    trimming and sign; 8 to 18 digits as overlapping 8-byte words (SWAR,
 *    little-endian machines); any other value by the rule's steps, eight
 *    digits a step. Self-contained: nothing here calls classify.c.
 *  - DNs: each RDN's end found 16 bytes at a time with SSE2.
 */
#include <stdint.h>
#include <string.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "classify_int.h"

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
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

/* 8 to 18 plain digits (pwdLastSet has 18), read as overlapping words of
 * 8 - the first, (the middle,) the last - whose overlap is divided away.
 * No overflow below 19 digits. */
static bool read_words(const char *p, size_t n, int64_t *out)
{
	static const uint64_t pow10[9] = {1, 10, 100, 1000, 10000, 100000, 1000000,
	                                  10000000, 100000000};
	uint64_t wa, wm, wb, x;
	size_t mid = n > 16 ? n - 16 : 0;
	memcpy(&wa, p, 8);
	memcpy(&wm, p + mid, 8);
	memcpy(&wb, p + n - 8, 8);
	if (!eight_digits(wa) || !eight_digits(wm) || !eight_digits(wb))
		return false;
	if (n <= 16)  /* wb's first 16 - n digits are wa's last ones */
		x = parse_eight(wa) / pow10[16 - n] * 100000000 + parse_eight(wb);
	else          /* wa's first n - 16 digits, then wm and wb */
		x = (parse_eight(wa) / pow10[24 - n] * 100000000 + parse_eight(wm)) * 100000000 +
		    parse_eight(wb);
	*out = (int64_t)x;
	return true;
}
#endif

/* Any other shape, by the rule's steps, eight digits a step while far from
 * overflow. Out of line: the usual shapes stay a small leaf function. */
__attribute__((noinline)) static bool read_any(const char *p, size_t n, int64_t *out)
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
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
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
			return false;
		/* 18 digits never overflow; beyond, check each step. */
		if (x >= 100000000000000000ULL && x > (lim - d) / 10)
			return false;
		x = x * 10 + d;
	}
	*out = neg ? (int64_t)(0 - x) : (int64_t)x;
	return true;
}

bool spn_int_read_fast(const char *p, size_t n, int64_t *out)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	if (n >= 8 && n <= 18 && read_words(p, n, out))
		return true;
#endif
	if (n && n < 8 && (unsigned char)(p[0] - '0') < 10) {
		/* 1 to 7 plain digits (userAccountControl, primaryGroupID). */
		uint64_t x = 0;
		size_t i = 0;
		for (; i < n && (unsigned char)(p[i] - '0') < 10; i++)
			x = x * 10 + (uint64_t)(p[i] - '0');
		if (i == n) {
			*out = (int64_t)x;
			return true;
		}
	}
	return read_any(p, n, out);
}

/* The ',' or '+' that ends the RDN at dn[i] (a '\\' escapes the next
 * byte), or n: 16 bytes a step with SSE2 while 16 remain, never reading
 * past the DN. */
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

size_t spn_dn_dc_start_fast(const char *dn, size_t n)
{
	size_t i = 0;
	while (i < n) {
		while (i < n && dn[i] == ' ')
			i++;
		if (n - i > 3 && (dn[i] | 0x20) == 'd' && (dn[i + 1] | 0x20) == 'c' && dn[i + 2] == '=')
			return i;
		i = rdn_end(dn, i, n) + 1;
	}
	return n;
}
