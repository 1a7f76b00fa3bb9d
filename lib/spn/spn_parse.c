/*
 * spn_parse.c - SPN syntax: class/host[:port|:instance][/service].
 *
 * Rules follow what AD and Samba enforce on write (2 or 3 "/"-separated
 * components, backslashes do not escape "/") plus what makes a value unusable
 * by a Kerberos client (white space, control characters, "@", bad UTF-8).
 */
#include <string.h>
#include <unistr.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "spn/spn.h"

/* The bytes spn_parse() must look at: white space and controls (<= 0x20),
 * '/', ':', '@', DEL and non-ASCII. Any such byte in the 8 bytes of w
 * gives a non-zero result (a byte may be flagged wrongly, never missed). */
static inline uint64_t special8(uint64_t w)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	w = __builtin_bswap64(w);  /* the lowest byte is the first in memory */
#endif
	const uint64_t ones = 0x0101010101010101ULL, high = 0x8080808080808080ULL;
	uint64_t x_sl = w ^ ('/' * ones), x_co = w ^ (':' * ones), x_at = w ^ ('@' * ones);
	uint64_t t = ((w - 0x21 * ones) & ~w) |
	             ((x_sl - ones) & ~x_sl) | ((x_co - ones) & ~x_co) | ((x_at - ones) & ~x_at) |
	             w | (w + ones);
	return t & high;
}

#ifdef __SSE2__
/* The bytes special8() looks for, exactly, among the 16 at p: a bit each. */
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

/* What the scan has seen so far. */
struct scan {
	size_t slash[3], nslash;
	size_t colon;              /* position of the first ':' in component 1, 0 = none */
	bool colon_in_class, at_in_class, at_after, high;
};

/* Byte i of s, one the fast scans flagged (or any byte: the others change
 * nothing): SPN_SYNTAX_OK to go on, else the verdict. */
static inline enum spn_syntax visit(const char *s, size_t n, size_t i, struct scan *st)
{
	unsigned char c = (unsigned char)s[i];
	if (c > ':' && c != '@') {
		st->high |= c >= 0x80;
		if (c == 0x7f)
			return st->high && u8_check((const uint8_t *)s, n) ? SPN_SYNTAX_BAD_UTF8
			                                                 : SPN_SYNTAX_SPACE;
		return SPN_SYNTAX_OK;
	}
	if (c <= 0x20) {
		/* Report bad UTF-8 first: a stray byte explains the rest. */
		if (u8_check((const uint8_t *)s, n) != NULL)
			return SPN_SYNTAX_BAD_UTF8;
		return SPN_SYNTAX_SPACE;
	}
	if (c == '/') {
		if (st->nslash == 3)
			return SPN_SYNTAX_TOO_MANY_PARTS;
		st->slash[st->nslash++] = i;
	} else if (c == ':') {
		if (st->nslash == 0)
			st->colon_in_class = true;
		else if (st->nslash == 1 && st->colon == 0)
			st->colon = i;
	} else if (c == '@') {
		if (st->nslash == 0)
			st->at_in_class = true;
		else
			st->at_after = true;
	}
	return SPN_SYNTAX_OK;
}

enum spn_syntax spn_parse(const char *s, size_t n, struct spn_parts *out)
{
	/* One pass over the bytes that matter: slashes, the first ':' and '@'
	 * per component, white space and whether any byte is non-ASCII. Runs
	 * once per value on the load path, so the plain bytes (letters,
	 * digits, '.', '-'), which change nothing, are skipped: a bit map of
	 * the others for values of 16 to 64 bytes (SSE2), else 8 bytes a step. */
	struct scan st = {{0}, 0, 0, false, false, false, false};
	enum spn_syntax rc;

	*out = (struct spn_parts){0};
	if (n == 0)
		return SPN_SYNTAX_EMPTY;
#ifdef __SSE2__
	if (n >= 16 && n <= 64) {
		uint64_t mask = 0;
		size_t k = 0;
		for (; k + 16 <= n; k += 16)
			mask |= (uint64_t)special16(s + k) << k;
		if (k < n)  /* the last 16 bytes, overlapping: no read past the value */
			mask |= (uint64_t)special16(s + n - 16) << (n - 16);
		for (; mask; mask &= mask - 1)
			if ((rc = visit(s, n, (size_t)__builtin_ctzll(mask), &st)) != SPN_SYNTAX_OK)
				return rc;
		goto done;
	}
#endif
	for (size_t i = 0; i < n; i++) {
		/* Jump to the next byte special8() flags: the lowest flagged
		 * byte of a word is always a real one (borrows and carries run
		 * upwards); a wrong flag above it costs a look, nothing more. */
		uint64_t w, t;
		if (n - i >= 8) {
			memcpy(&w, s + i, 8);
			t = special8(w);
			if (!t) {
				i += 7;
				continue;
			}
			i += (size_t)__builtin_ctzll(t) / 8;
		} else if (n >= 8) {
			/* The last bytes: the value's last 8, without those already seen. */
			memcpy(&w, s + n - 8, 8);
			t = special8(w) >> (8 * (8 - (n - i)));
			if (!t)
				break;
			i += (size_t)__builtin_ctzll(t) / 8;
		}
		if ((rc = visit(s, n, i, &st)) != SPN_SYNTAX_OK)
			return rc;
	}
#ifdef __SSE2__
done:;
#endif
	size_t *slash = st.slash, nslash = st.nslash, colon = st.colon;
	bool colon_in_class = st.colon_in_class, at_in_class = st.at_in_class,
	     at_after = st.at_after, high = st.high;
	if (high && u8_check((const uint8_t *)s, n) != NULL)
		return SPN_SYNTAX_BAD_UTF8;
	if (nslash == 0)
		return SPN_SYNTAX_ONE_PART;
	if (nslash == 3)
		return SPN_SYNTAX_TOO_MANY_PARTS;
	size_t end1 = nslash == 2 ? slash[1] : n;
	if (slash[0] == 0 || slash[0] + 1 == end1 || (nslash == 2 && slash[1] + 1 == n))
		return SPN_SYNTAX_EMPTY_PART;
	if (colon_in_class || at_in_class)
		return SPN_SYNTAX_BAD_CLASS;
	if (at_after)
		return SPN_SYNTAX_AT_SIGN;

	out->cls = (struct spn_slice){s, slash[0]};
	out->host = (struct spn_slice){s + slash[0] + 1, end1 - slash[0] - 1};
	out->ncomp = (int)nslash + 1;
	if (nslash == 2)
		out->service = (struct spn_slice){s + slash[1] + 1, n - slash[1] - 1};
	if (colon) {
		out->host.n = colon - slash[0] - 1;
		out->port = (struct spn_slice){s + colon + 1, end1 - colon - 1};
		if (out->host.n == 0)
			return SPN_SYNTAX_EMPTY_PART;
		if (out->port.n == 0)
			return SPN_SYNTAX_EMPTY_PORT;
		out->port_numeric = true;
		for (size_t j = 0; j < out->port.n; j++)
			if (out->port.p[j] < '0' || out->port.p[j] > '9')
				out->port_numeric = false;
	}
	return SPN_SYNTAX_OK;
}

const char *spn_syntax_text(enum spn_syntax rc)
{
	switch (rc) {
	case SPN_SYNTAX_OK: return "valid";
	case SPN_SYNTAX_EMPTY: return "empty value";
	case SPN_SYNTAX_ONE_PART: return "has no '/': an SPN is class/host[/service]";
	case SPN_SYNTAX_TOO_MANY_PARTS: return "has more than 3 '/'-separated parts; AD allows 2 or 3";
	case SPN_SYNTAX_EMPTY_PART: return "has an empty part";
	case SPN_SYNTAX_EMPTY_PORT: return "has ':' with no port or instance after it";
	case SPN_SYNTAX_SPACE: return "contains white space or a control character";
	case SPN_SYNTAX_BAD_UTF8: return "is not valid UTF-8";
	case SPN_SYNTAX_BAD_CLASS: return "has ':' or '@' in the service class";
	case SPN_SYNTAX_AT_SIGN: return "contains '@': AD stores SPNs without a realm";
	}
	return "unknown syntax error";
}
