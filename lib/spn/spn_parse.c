/*
 * spn_parse.c - SPN syntax: class/host[:port|:instance][/service].
 *
 * Rules follow what AD and Samba enforce on write (2 or 3 "/"-separated
 * components, backslashes do not escape "/") plus what makes a value unusable
 * by a Kerberos client (white space, control characters, "@", bad UTF-8).
 */
#include <unistr.h>

#include "spn/spn.h"

static bool has_byte(struct spn_slice s, char c)
{
	for (size_t i = 0; i < s.n; i++)
		if (s.p[i] == c)
			return true;
	return false;
}

enum spn_syntax spn_parse(const char *s, size_t n, struct spn_parts *out)
{
	struct spn_slice comp[3] = {{0}};
	size_t ncomp = 0, start = 0;

	*out = (struct spn_parts){0};
	if (n == 0)
		return SPN_SYNTAX_EMPTY;
	if (u8_check((const uint8_t *)s, n) != NULL)
		return SPN_SYNTAX_BAD_UTF8;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c <= 0x20 || c == 0x7f)
			return SPN_SYNTAX_SPACE;
	}
	for (size_t i = 0; i <= n; i++) {
		if (i < n && s[i] != '/')
			continue;
		if (ncomp == 3)
			return SPN_SYNTAX_TOO_MANY_PARTS;
		comp[ncomp].p = s + start;
		comp[ncomp].n = i - start;
		ncomp++;
		start = i + 1;
	}
	if (ncomp == 1)
		return SPN_SYNTAX_ONE_PART;
	for (size_t i = 0; i < ncomp; i++)
		if (comp[i].n == 0)
			return SPN_SYNTAX_EMPTY_PART;
	if (has_byte(comp[0], ':') || has_byte(comp[0], '@'))
		return SPN_SYNTAX_BAD_CLASS;
	if (has_byte(comp[1], '@') || (ncomp == 3 && has_byte(comp[2], '@')))
		return SPN_SYNTAX_AT_SIGN;

	out->cls = comp[0];
	out->host = comp[1];
	out->ncomp = (int)ncomp;
	if (ncomp == 3)
		out->service = comp[2];
	for (size_t i = 0; i < comp[1].n; i++) {
		if (comp[1].p[i] != ':')
			continue;
		out->host.n = i;
		out->port.p = comp[1].p + i + 1;
		out->port.n = comp[1].n - i - 1;
		if (out->host.n == 0)
			return SPN_SYNTAX_EMPTY_PART;
		if (out->port.n == 0)
			return SPN_SYNTAX_EMPTY_PORT;
		out->port_numeric = true;
		for (size_t j = 0; j < out->port.n; j++)
			if (out->port.p[j] < '0' || out->port.p[j] > '9')
				out->port_numeric = false;
		break;
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
