/*
 * spn_parse.c - SPN syntax: class/host[:port|:instance][/service].
 *
 * Rules follow what AD and Samba enforce on write (2 or 3 "/"-separated
 * components, backslashes do not escape "/") plus what makes a value unusable
 * by a Kerberos client (white space, control characters, "@", bad UTF-8).
 * The rule reads every special byte in order; finding them is hand-tuned in
 * spn_parse_fast.c, with spn_parse_special_plain() below as its twin.
 */
#include <string.h>
#include <unistr.h>

#include "base/tuned.h"
#include "spn/spn.h"
#include "spn_int.h"

/* The bytes that decide the syntax: white space and controls, the
 * separators '/' and ':', '@', DEL, and non-ASCII (UTF-8 to check). Every
 * other byte - letters, digits, '.', '-', ... - changes nothing. */
static bool special(unsigned char c)
{
	return c <= 0x20 || c == '/' || c == ':' || c == '@' || c >= 0x7f;
}

uint64_t spn_parse_special_plain(const char *s, size_t n)
{
	uint64_t mask = 0;
	for (size_t i = 0; i < n && i < 64; i++)
		if (special((unsigned char)s[i]))
			mask |= (uint64_t)1 << i;
	return mask;
}

/* What the scan has seen so far. */
struct scan {
	size_t slash[3], nslash;
	size_t colon;              /* position of the first ':' in component 1, 0 = none */
	bool colon_in_class, at_in_class, at_after, high;
};

/* Special byte i of s: SPN_SYNTAX_OK to go on, else the verdict. */
static enum spn_syntax visit(const char *s, size_t n, size_t i, struct scan *st)
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
	/* One pass over the special bytes, in order, 64 at a time (the scan
	 * is hand-tuned: spn_parse_fast.c, its twin above). */
	struct scan st = {{0}, 0, 0, false, false, false, false};
	enum spn_syntax rc;

	*out = (struct spn_parts){0};
	if (n == 0)
		return SPN_SYNTAX_EMPTY;
	for (size_t k = 0; k < n; k += 64)
		for (uint64_t mask = SPN_TUNED(spn_parse_special)(s + k, n - k); mask; mask &= mask - 1)
			if ((rc = visit(s, n, k + (size_t)__builtin_ctzll(mask), &st)) != SPN_SYNTAX_OK)
				return rc;
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
