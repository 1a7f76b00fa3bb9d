/*
 * spn_parse_fast.c - the hand-tuned scan of spn_parse(): which bytes of a
 * value are special (see spn_int.h; the rule and its plain twin are in
 * spn_parse.c). Runs once per value on the load path: 16 bytes a step with
 * SSE2 for values of 16 bytes and more, else 8 a step in plain C (SWAR).
 * Both are exact, and neither reads past the value: a last step that would
 * run past its end is moved back to overlap the step before.
 */
#include <string.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "spn_int.h"

/* The special bytes among the 8 of w (the first in memory lowest), exactly:
 * the high bit of each such byte. Per byte b, with l = b & 0x7f: l + 0x5f
 * has its high bit clear exactly when l < 0x21, and ((x & 0x7f) + 0x7f) | x
 * has it clear exactly when x == 0; neither carries into the next byte. */
static inline uint64_t special8(uint64_t w)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	w = __builtin_bswap64(w);
#endif
	const uint64_t ones = 0x0101010101010101ULL, low7 = 0x7f7f7f7f7f7f7f7fULL;
	uint64_t x_sl = w ^ ('/' * ones), x_co = w ^ (':' * ones), x_at = w ^ ('@' * ones);
	uint64_t x_del = w ^ (0x7f * ones);
	uint64_t not_special = ((w & low7) + (0x80 - 0x21) * ones) &
	                       (((x_sl & low7) + low7) | x_sl) & (((x_co & low7) + low7) | x_co) &
	                       (((x_at & low7) + low7) | x_at) & (((x_del & low7) + low7) | x_del);
	return (~not_special | w) & ~low7;
}

/* The high bits of the 8 bytes of t (only those set) as 8 bits, byte 0
 * lowest: each one lands in the top byte of the product at its own place. */
static inline unsigned gather8(uint64_t t)
{
	return (unsigned)(((t >> 7) * 0x0102040810204080ULL) >> 56);
}

/* The mask of s[0..w), w <= 64: 8 bytes a step (byte by byte below 8). */
static uint64_t special_swar(const char *s, size_t w)
{
	uint64_t mask = 0, x;
	size_t k = 0;
	if (w < 8) {
		for (; k < w; k++) {
			unsigned char c = (unsigned char)s[k];
			if (c <= 0x20 || c == '/' || c == ':' || c == '@' || c >= 0x7f)
				mask |= (uint64_t)1 << k;
		}
		return mask;
	}
	for (; k + 8 <= w; k += 8) {
		memcpy(&x, s + k, 8);
		mask |= (uint64_t)gather8(special8(x)) << k;
	}
	if (k < w) {  /* the last 8 bytes, overlapping */
		memcpy(&x, s + w - 8, 8);
		mask |= (uint64_t)gather8(special8(x)) << (w - 8);
	}
	return mask;
}

#ifdef __SSE2__
/* The special bytes among the 16 at p: a bit each. */
static inline unsigned special16(const char *p)
{
	__m128i x = _mm_loadu_si128((const __m128i *)(const void *)p);
	/* Signed: bytes >= 0x80 are below 0x21 too. */
	__m128i t = _mm_or_si128(_mm_cmplt_epi8(x, _mm_set1_epi8(0x21)),
	                         _mm_cmpeq_epi8(x, _mm_set1_epi8(0x7f)));
	t = _mm_or_si128(t, _mm_cmpeq_epi8(x, _mm_set1_epi8('/')));
	t = _mm_or_si128(t, _mm_cmpeq_epi8(x, _mm_set1_epi8(':')));
	t = _mm_or_si128(t, _mm_cmpeq_epi8(x, _mm_set1_epi8('@')));
	return (unsigned)_mm_movemask_epi8(t);
}
#endif

uint64_t spn_parse_special_fast(const char *s, size_t n)
{
	size_t w = n < 64 ? n : 64;
#ifdef __SSE2__
	if (w >= 16) {
		uint64_t mask = 0;
		size_t k = 0;
		for (; k + 16 <= w; k += 16)
			mask |= (uint64_t)special16(s + k) << k;
		if (k < w)  /* the last 16 bytes, overlapping */
			mask |= (uint64_t)special16(s + w - 16) << (w - 16);
		return mask;
	}
#endif
	return special_swar(s, w);
}
