/*
 * ldif_attr.c - one LDIF attribute line of a snapshot: the attribute
 * description ("servicePrincipalName;range=0-1499"), which of spnctl's
 * attributes it names, its ";range=" option, and base64 values.
 *
 * Part of the reader's hot path: every line of the snapshot passes through
 * spn_ldif_line_parse(). Names are checked with a byte-class table, and an
 * attribute spnctl does not read is recognised by (length, first letter)
 * before any string comparison, so skipping it costs one table look-up.
 * Base64 is Cyrus SASL's decoder, run in place in the stream buffer.
 */
#include <limits.h>
#include <string.h>
#include <strings.h>

#include <sasl/sasl.h>
#include <sasl/saslutil.h>

#include "ldif_int.h"

enum {
	C_ALNUM = 1 << 0,  /* may start a name */
	C_NAME = 1 << 1,   /* may continue a name: alnum - . _ */
	C_OPT = 1 << 2,    /* may be in an option: name chars, "=" and "*" (AD's range=0-*) */
};

static unsigned char byte_class(unsigned c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
		return C_ALNUM | C_NAME | C_OPT;
	if (c == '-' || c == '.' || c == '_')
		return C_NAME | C_OPT;
	if (c == '=' || c == '*')
		return C_OPT;
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
	signed char *slot = &t->slot[n][(unsigned char)name[0] & 31];
	*slot = *slot == -1 ? (signed char)code : -2;
}

void spn_ldif_names_init(struct spn_ldif_names *t)
{
	for (unsigned c = 0; c < 256; c++)
		t->cls[c] = byte_class(c);
	memset(t->slot, -1, sizeof(t->slot));
	for (int a = 0; a < SPN_A_COUNT; a++) {
		t->attr[a] = spn_attr_name((enum spn_attr)a);
		slot_put(t, t->attr[a], a);
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

static int special_lookup(const char *s, size_t n)
{
	for (size_t i = 0; i < NSPECIALS; i++)
		if (same_name(s, specials[i].name, n))
			return specials[i].code;
	return SPN_LDIF_N_OTHER;
}

static int classify(const struct spn_ldif_names *t, const char *s, size_t n)
{
	if (n >= 32)
		return SPN_LDIF_N_OTHER;
	int cand = t->slot[n][(unsigned char)s[0] & 31];
	if (cand == -1)
		return SPN_LDIF_N_OTHER;
	if (cand >= SPN_LDIF_N_DN)
		return special_lookup(s, n);
	if (cand >= 0)  /* the one attribute with this length and initial */
		return same_name(s, t->attr[cand], n) ? cand : SPN_LDIF_N_OTHER;
	int a = spn_attr_lookup(s, n);
	return a >= 0 ? a : special_lookup(s, n);
}

int spn_ldif_line_parse(const struct spn_ldif_names *t, char *s, size_t n,
                        struct spn_ldif_line *out)
{
	const unsigned char *cls = t->cls;
	size_t i;
	if (n == 0 || !(cls[(unsigned char)s[0]] & C_ALNUM))
		goto bad;
	for (i = 1; i < n && (cls[(unsigned char)s[i]] & C_NAME); i++)
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
			while (i < n && (cls[(unsigned char)s[i]] & C_OPT))
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
	out->code = classify(t, s, out->name_len);
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

int spn_ldif_base64(char *p, size_t n, size_t *out_len)
{
	unsigned len = 0;
	if (n == 0) {
		*out_len = 0;
		return 0;
	}
	if (n >= UINT_MAX)
		return -1;
	/* In place: each 4 input bytes are read before their 1-3 output bytes
	 * are written behind them, and the NUL sasl_decode64 appends stays
	 * inside the input (3n/4 < n). */
	switch (sasl_decode64(p, (unsigned)n, p, (unsigned)n, &len)) {
	case SASL_OK:
		*out_len = len;
		return 0;
	case SASL_CONTINUE:
		return -2;  /* length not a multiple of 4 and no '=' seen */
	default:
		return -1;
	}
}
