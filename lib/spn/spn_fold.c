/*
 * spn_fold.c - the identity key (case fold) and the look-alike skeleton of an
 * SPN (the index hashes keys with lib/base/hash.c).
 *
 * Hand-written ASCII fast path: nearly every SPN in a real forest is ASCII,
 * and folding runs once per value on the load path. Anything else goes to
 * libunistring (full Unicode case folding, NFKC, character properties).
 */
#include <stdio.h>
#include <string.h>
#include <stdlib.h>

#include <unicase.h>
#include <unictype.h>
#include <uninorm.h>
#include <unistr.h>

#include "spn/spn.h"

bool spn_is_ascii(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] >= 0x80)
			return false;
	return true;
}

static size_t fold_ascii(const char *s, size_t n, char *out, size_t cap)
{
	if (n > cap)
		return (size_t)-1;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		out[i] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
	}
	return n;
}

/* Fold (and optionally NFKC-normalise) UTF-8 text with libunistring. */
static size_t fold_unicode(const char *s, size_t n, uninorm_t nf, char *out, size_t cap)
{
	size_t len = cap;
	uint8_t *r = u8_casefold((const uint8_t *)s, n, NULL, nf, (uint8_t *)out, &len);
	if (!r)
		return (size_t)-1;
	if (r != (uint8_t *)out) {
		/* Did not fit in out: libunistring allocated. */
		free(r);
		return (size_t)-1;
	}
	return len;
}

size_t spn_fold(const char *s, size_t n, char *out, size_t cap)
{
	if (spn_is_ascii(s, n))
		return fold_ascii(s, n, out, cap);
	if (u8_check((const uint8_t *)s, n) != NULL) {
		fold_ascii(s, n, out, cap);
		return (size_t)-1;
	}
	return fold_unicode(s, n, NULL, out, cap);
}

size_t spn_key(const char *s, size_t n, char *out, size_t cap)
{
	if (cap < SPN_KEY_CAP(n))
		return (size_t)-1;
	size_t k = spn_fold(s, n, out, cap);
	if (k == (size_t)-1)  /* not UTF-8 (or libunistring failed): ASCII case only */
		k = fold_ascii(s, n, out, cap);
	return k;
}

/* Invisible to a reader, ignored by a KDC's name comparison: default
 * ignorable code points (ZWJ, ZWNJ, soft hyphen, variation selectors...)
 * and every format character (bidi marks, word joiner, BOM...). */
bool spn_char_invisible(uint32_t c)
{
	return uc_is_property_default_ignorable_code_point(c) ||
	       uc_is_general_category(c, UC_CATEGORY_Cf);
}

const char *spn_visible(const char *s, char *out, size_t cap)
{
	size_t n = strlen(s), used = 0;
	if (!cap)
		return out;
	for (size_t i = 0; i < n;) {
		char piece[16];
		ucs4_t c;
		int len = u8_mbtouc(&c, (const uint8_t *)s + i, n - i);
		size_t pn;
		/* libunistring reads a byte that is no UTF-8 as U+FFFD */
		if (len <= 0 || (c == 0xfffd && !(len == 3 && memcmp(s + i, "\xef\xbf\xbd", 3) == 0))) {
			len = 1;
			pn = (size_t)snprintf(piece, sizeof(piece), "<0x%02X>", (unsigned char)s[i]);
		} else if (spn_char_invisible(c) || uc_is_general_category(c, UC_CATEGORY_Cc) ||
		           uc_is_general_category(c, UC_CATEGORY_Zl) ||
		           uc_is_general_category(c, UC_CATEGORY_Zp)) {
			pn = (size_t)snprintf(piece, sizeof(piece), "<U+%04X>", (unsigned)c);
		} else {
			pn = (size_t)len;
			memcpy(piece, s + i, pn);
		}
		if (used + pn >= cap)
			break;
		memcpy(out + used, piece, pn);
		used += pn;
		i += (size_t)len;
	}
	out[used] = '\0';
	return out;
}

size_t spn_skeleton(const char *s, size_t n, char *out, size_t cap)
{
	if (spn_is_ascii(s, n))
		return fold_ascii(s, n, out, cap);
	if (u8_check((const uint8_t *)s, n) != NULL) {
		fold_ascii(s, n, out, cap);
		return (size_t)-1;
	}
	/* Strip invisible characters first, into a scratch copy. */
	char stackbuf[1024];
	char *tmp = n <= sizeof(stackbuf) ? stackbuf : malloc(n);
	if (!tmp)
		return (size_t)-1;
	size_t k = 0;
	for (size_t i = 0; i < n;) {
		ucs4_t c;
		int len = u8_mbtouc(&c, (const uint8_t *)s + i, n - i);
		if (len <= 0)
			len = 1;
		if (!spn_char_invisible(c)) {
			memcpy(tmp + k, s + i, (size_t)len);
			k += (size_t)len;
		}
		i += (size_t)len;
	}
	size_t r = spn_is_ascii(tmp, k) ? fold_ascii(tmp, k, out, cap)
	                                : fold_unicode(tmp, k, UNINORM_NFKC, out, cap);
	if (tmp != stackbuf)
		free(tmp);
	return r;
}
