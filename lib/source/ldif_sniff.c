/*
 * ldif_sniff.c - what a file that is not LDIF is, from its first bytes, so
 * the reader can say "this looks like CSV from Export-Csv" instead of a
 * puzzling "a record must start with 'dn:'" on line 2: the exports an AD
 * administrator has at hand (csvde and Export-Csv, ConvertTo-Json,
 * Export-Clixml), what setspn and ldapsearch print when saved instead of
 * an export, and archives. (UTF-16, with or without a byte order mark, is
 * told by ldif_reader.c: the reader stops its text at the first NUL.)
 *
 * LDIF's first line that is not a comment always has a ':' after an
 * attribute name (RFC 2849), so none of these patterns matches a snapshot.
 */
#include <string.h>
#include <strings.h>

#include "ldif_int.h"

#define GET_LDIF "export with ldifde -f FILE (Windows) or ldapsearch -LLL (Linux)"

static bool starts(const char *s, size_t n, const char *with)
{
	size_t k = strlen(with);
	return n >= k && memcmp(s, with, k) == 0;
}

/* The first line that is neither empty nor a comment (nor a comment's
 * continuation line, which starts with a space), and its length. */
static const char *first_line(const char *s, size_t n, size_t *len)
{
	const char *end = s + n;
	bool in_comment = false;
	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		size_t k = (size_t)((nl ? nl : end) - s);
		if (k && s[k - 1] == '\r')
			k--;
		in_comment = k && (s[0] == '#' || (in_comment && s[0] == ' '));
		if (k && !in_comment) {
			*len = k;
			return s;
		}
		s = nl ? nl + 1 : end;
	}
	return NULL;
}

/* Binary formats and encodings, by their first bytes. */
static const char *magic(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	if (n >= 2 && u[0] == 0x1f && u[1] == 0x8b)
		return "this is gzip-compressed, not LDIF; uncompress it first (zcat FILE > FILE.ldif)";
	if (starts(s, n, "PK\x03\x04"))
		return "this is a ZIP archive (an .xlsx workbook, or a zipped export?), not LDIF; "
		       "unzip it, or " GET_LDIF;
	if (starts(s, n, "%PDF"))
		return "this is a PDF document, not LDIF; " GET_LDIF;
	return NULL;
}

/* Text that is not LDIF, by its first line. */
static const char *text(const char *s, size_t n)
{
	size_t k = 0;
	const char *l;
	if (starts(s, n, "#TYPE ") || starts(s, n, "#TYPE\t"))
		return "this looks like CSV from Export-Csv, not LDIF; " GET_LDIF;
	if (!(l = first_line(s, n, &k)))
		return NULL;
	if (k && (*l == '{' || *l == '['))
		return "this looks like JSON (ConvertTo-Json, or spnctl -o json?), not LDIF; " GET_LDIF;
	if (k && *l == '<')
		return "this looks like HTML or XML (Export-Clixml, or a saved page?), not LDIF; " GET_LDIF;
	if (starts(l, k, "Registered ServicePrincipalNames for "))
		return "this is what setspn -L prints, not an export; " GET_LDIF;
	if (starts(l, k, "Checking domain ") || starts(l, k, "Checking forest "))
		return "this is what setspn -Q or -X prints, not an export; " GET_LDIF;
	if (starts(l, k, "ldap_") || starts(l, k, "SASL/") || starts(l, k, "ldapsearch:"))
		return "this is an error message of ldapsearch, not an export: the search did not run; "
		       "run it again and read what it says";
	bool colon = memchr(l, ':', k) != NULL, comma = memchr(l, ',', k) != NULL;
	if (k && *l == '"' && comma)
		return "this looks like CSV (Export-Csv or csvde), not LDIF; " GET_LDIF;
	if (!colon && comma)
		return "this looks like CSV (csvde or Export-Csv), not LDIF; " GET_LDIF;
	return NULL;
}

const char *spn_ldif_sniff(const char *buf, size_t n)
{
	if (n > SPN_LDIF_SNIFF)
		n = SPN_LDIF_SNIFF;
	const char *why = magic(buf, n);
	return why ? why : text(buf, n);
}
