/*
 * ldif_attr.c - one LDIF attribute line of a snapshot: the attribute
 * description ("servicePrincipalName;range=0-1499"), which of spnctl's
 * attributes it names, its ";range=" option, and base64 values.
 *
 * Part of the reader's hot path: every line of the snapshot passes through
 * spn_ldif_line_parse(). Names are checked with a byte-class table, and an
 * attribute spnctl does not read is recognised by (length, first letter)
 * before any string comparison, so skipping it costs one table look-up.
 * Base64 is decoded by a hand-written, table-driven decoder (hot path:
 * every objectSid).
 */
#include <limits.h>
#include <string.h>
#include <strings.h>

#include "ldif_int.h"

static unsigned char byte_class(unsigned c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
		return SPN_LDIF_C_ALNUM | SPN_LDIF_C_NAME | SPN_LDIF_C_OPT;
	if (c == '-' || c == '.' || c == '_')
		return SPN_LDIF_C_NAME | SPN_LDIF_C_OPT;
	if (c == '=' || c == '*')
		return SPN_LDIF_C_OPT;
	return 0;
}

static const struct {
	const char *name;
	int code;
} specials[] = {
	{"dn", SPN_LDIF_N_DN},
	{"version", SPN_LDIF_N_VERSION},
	{"changetype", SPN_LDIF_N_CHANGETYPE},
	{"control", SPN_LDIF_N_CONTROL},
	{"search", SPN_LDIF_N_SEARCH},
	{"result", SPN_LDIF_N_RESULT},
	{"ref", SPN_LDIF_N_REF},
};
#define NSPECIALS (sizeof(specials) / sizeof(specials[0]))

/* Slot values: -1 nothing of ours has this (length, letter); -2 several do
 * (compare them all); else the one candidate. */
static void slot_put(struct spn_ldif_names *t, const char *name, int code)
{
	size_t n = strlen(name);
	if (n >= 32)
		return;   /* a long name (msDS-AllowedToActOnBehalfOfOtherIdentity): spn_ldif_classify() */
	signed char *slot = &t->slot[n][(unsigned char)name[0] & 31];
	*slot = *slot == -1 ? (signed char)code : -2;
}

void spn_ldif_names_init(struct spn_ldif_names *t)
{
	for (unsigned c = 0; c < 256; c++)
		t->cls[c] = byte_class(c);
	memset(t->slot, -1, sizeof(t->slot));
	memset(t->folded, 0x20, sizeof(t->folded));
	for (int a = 0; a < SPN_A_COUNT; a++) {
		t->attr[a] = spn_attr_name((enum spn_attr)a);
		slot_put(t, t->attr[a], a);
		unsigned char *f = (unsigned char *)t->folded[a];
		for (size_t i = 0; t->attr[a][i] && i < sizeof(t->folded[a]); i++)
			f[i] = (unsigned char)(t->attr[a][i] | 0x20);
		size_t n = strlen(t->attr[a]);
		memset(t->colon[a], 0, sizeof(t->colon[a]));
		for (size_t i = 0; i < n && i + 1 < sizeof(t->colon[a]); i++)
			t->colon[a][i] = (unsigned char)(t->attr[a][i] | 0x20);
		if (n < sizeof(t->colon[a]))
			t->colon[a][n] = ':';
	}
	for (size_t i = 0; i < NSPECIALS; i++)
		slot_put(t, specials[i].name, specials[i].code);
}

/* Case-insensitive equality of a name (only alnum, '-', '.', '_': see
 * byte_class) with one of ours (letters, digits, '-'): for these bytes,
 * OR-ing 0x20 folds case and maps no other name byte onto a letter. */
static bool same_name(const char *s, const char *ours, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (((unsigned char)s[i] | 0x20) != ((unsigned char)ours[i] | 0x20))
			return false;
	return ours[n] == '\0';
}

int spn_ldif_special_lookup(const char *s, size_t n)
{
	for (size_t i = 0; i < NSPECIALS; i++)
		if (same_name(s, specials[i].name, n))
			return specials[i].code;
	return SPN_LDIF_N_OTHER;
}

int spn_ldif_line_parse(const struct spn_ldif_names *t, const char *s, size_t n,
                        struct spn_ldif_line *out)
{
	const unsigned char *cls = t->cls;
	size_t i;
	if (n == 0 || !(cls[(unsigned char)s[0]] & SPN_LDIF_C_ALNUM))
		goto bad;
	/* Eight name bytes a step while they last (a line's name is followed
	 * by at least ':'), then byte by byte. */
	const unsigned char *u = (const unsigned char *)s;
	for (i = 1; i + 8 <= n && (cls[u[i]] & cls[u[i + 1]] & cls[u[i + 2]] & cls[u[i + 3]] &
	                           cls[u[i + 4]] & cls[u[i + 5]] & cls[u[i + 6]] & cls[u[i + 7]] &
	                           SPN_LDIF_C_NAME); i += 8)
		;
	for (; i < n && (cls[u[i]] & SPN_LDIF_C_NAME); i++)
		;
	if (i == n)
		goto bad;
	out->name = s;
	out->name_len = i;
	out->opts = NULL;
	out->opts_len = 0;
	if (s[i] == ';') {
		size_t o = i;
		for (;;) {
			size_t start = ++i;
			while (i < n && (cls[(unsigned char)s[i]] & SPN_LDIF_C_OPT))
				i++;
			if (i == start || i == n)
				goto bad;
			if (s[i] != ';')
				break;
		}
		out->opts = s + o;
		out->opts_len = i - o;
	}
	if (s[i] != ':')
		goto bad;
	i++;
	/* Locals first: testing the two stored flags together right after
	 * storing them stalls store forwarding on x86 (measured). */
	char kind = i < n ? s[i] : '\0';
	out->base64 = kind == ':';
	out->url = kind == '<';
	if (kind == ':' || kind == '<')
		i++;
	while (i < n && s[i] == ' ')
		i++;
	out->value = s + i;
	out->value_len = n - i;
	out->code = spn_ldif_classify(t, s, n, out->name_len);
	return 0;
bad:
	return memchr(s, ':', n) ? -2 : -1;
}

/* Parse a decimal number of s[0..n) without overflow; false if not one. */
static bool parse_u64(const char *s, size_t n, uint64_t *v)
{
	uint64_t x = 0;
	if (n == 0)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		unsigned d = (unsigned)(s[i] - '0');
		if (x > (UINT64_MAX - 1 - d) / 10)  /* UINT64_MAX itself means "*" */
			return false;
		x = x * 10 + d;
	}
	*v = x;
	return true;
}

int spn_ldif_range_parse(const char *opts, size_t n, uint64_t *low, uint64_t *high,
                         const char **bad, size_t *bad_len)
{
	int found = 0;
	size_t i = 0;
	while (i < n) {
		/* opts[i] is ';' */
		size_t start = ++i;
		while (i < n && opts[i] != ';')
			i++;
		const char *o = opts + start;
		size_t len = i - start;
		if (len < 6 || strncasecmp(o, "range=", 6) != 0)
			continue;
		*bad = o;
		*bad_len = len;
		if (found)
			return -1;  /* two ranges on one line */
		const char *r = o + 6, *end = o + len;
		const char *dash = memchr(r, '-', (size_t)(end - r));
		if (!dash || !parse_u64(r, (size_t)(dash - r), low))
			return -1;
		if (end - dash == 2 && dash[1] == '*')
			*high = UINT64_MAX;
		else if (!parse_u64(dash + 1, (size_t)(end - dash - 1), high) || *high < *low)
			return -1;
		found = 1;
	}
	return found;
}

/* Base64 digit values; 0xff: not a digit. */
#define B64(c) ((c) >= 'A' && (c) <= 'Z' ? (c) - 'A' : (c) >= 'a' && (c) <= 'z' ? (c) - 'a' + 26 : \
                (c) >= '0' && (c) <= '9' ? (c) - '0' + 52 : (c) == '+' ? 62 : (c) == '/' ? 63 : 0xff)
/* The same, shifted into place for position 0-3 of a group (18, 12, 6, 0
 * bits); a non-digit sets the top byte, so one test checks a whole group. */
#define B64S(c, sh) (B64(c) == 0xff ? 0xff000000u : (uint32_t)B64(c) << (sh))
#define R4(c, sh) B64S(c, sh), B64S((c) + 1, sh), B64S((c) + 2, sh), B64S((c) + 3, sh)
#define R16(c, sh) R4(c, sh), R4((c) + 4, sh), R4((c) + 8, sh), R4((c) + 12, sh)
#define R64(c, sh) R16(c, sh), R16((c) + 16, sh), R16((c) + 32, sh), R16((c) + 48, sh)
#define R256(sh) R64(0, sh), R64(64, sh), R64(128, sh), R64(192, sh)
static const uint32_t b64s[4][256] = {{R256(18)}, {R256(12)}, {R256(6)}, {R256(0)}};
#undef R256
#undef R64
#undef R16
#undef R4
#undef B64S

int spn_ldif_base64(char *p, size_t n, size_t *out_len)
{
	return spn_ldif_base64_to(p, n, p, out_len);
}

int spn_ldif_base64_to(const char *inp, size_t n, char *outp, size_t *out_len)
{
	/* Hand-written for speed (the objectSid of every entry is base64),
	 * table-driven, in place: each 4 input bytes are read before their
	 * 1-3 output bytes are written behind them. Accepts exactly what
	 * Cyrus SASL's sasl_decode64 (which this replaced) accepts: groups of
	 * four, '=' only as the last one or two of a group, nothing after a
	 * group with '='; an incomplete last group without '=' is
	 * "truncated" (-2), one after '=' is invalid (-1). */
	const unsigned char *in = (const unsigned char *)inp;
	unsigned char *out = (unsigned char *)outp;
	size_t o = 0, i = 0;
	bool saw_equal = false;
	if (n == 0) {
		*out_len = 0;
		return 0;
	}
	if (n >= UINT_MAX || in[0] == '\r')
		return -1;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	/* Two groups a step while more than two remain (the last one may hold
	 * '='; it is left to the loop below, as is any group with a byte that
	 * is not a digit): one 8-byte store of 6 bytes, its last 2 written
	 * again by the next step. The store stays within what was read (in
	 * place) and within the first n bytes of out. */
	for (; n - i > 8; i += 8) {
		uint32_t v1 = b64s[0][in[i]] | b64s[1][in[i + 1]] | b64s[2][in[i + 2]] | b64s[3][in[i + 3]];
		uint32_t v2 = b64s[0][in[i + 4]] | b64s[1][in[i + 5]] | b64s[2][in[i + 6]] |
		              b64s[3][in[i + 7]];
		if ((v1 | v2) & 0xff000000u)
			break;
		uint64_t w = (uint64_t)__builtin_bswap32(v1 << 8) | (uint64_t)__builtin_bswap32(v2 << 8) << 24;
		memcpy(out + o, &w, 8);
		o += 6;
	}
#endif
	for (; n - i > 3; i += 4) {
		if (saw_equal)
			return -1;
		uint32_t v = b64s[0][in[i]] | b64s[1][in[i + 1]] | b64s[2][in[i + 2]] | b64s[3][in[i + 3]];
		if (!(v & 0xff000000u)) {
			out[o] = (unsigned char)(v >> 16);
			out[o + 1] = (unsigned char)(v >> 8);
			out[o + 2] = (unsigned char)v;
			o += 3;
			continue;
		}
		unsigned a = B64(in[i]), b = B64(in[i + 1]), c = B64(in[i + 2]), d = B64(in[i + 3]);
		bool eq2 = in[i + 2] == '=', eq3 = in[i + 3] == '=';
		if (a == 0xff || b == 0xff || (!eq2 && c == 0xff) || (!eq3 && d == 0xff) || (eq2 && !eq3))
			return -1;
		saw_equal = true;
		out[o++] = (unsigned char)(a << 2 | b >> 4);
		if (!eq2) {
			out[o++] = (unsigned char)(b << 4 | c >> 2);
			if (!eq3)
				out[o++] = (unsigned char)(c << 6 | d);
		}
	}
	if (i != n)
		return saw_equal ? -1 : -2;
	if (o < n)
		out[o] = '\0';
	*out_len = o;
	return 0;
}
#undef B64
