/*
 * ldif_line.c - "attr: value" lines of LDIF, base64 where RFC 2849
 * requires it (ldif_line.h).
 */
#include <stdint.h>

#include "base/ldif_line.h"

static void base64(FILE *f, const unsigned char *s, size_t n)
{
	static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t i = 0;
	for (; i + 2 < n; i += 3) {
		uint32_t v = (uint32_t)s[i] << 16 | (uint32_t)s[i + 1] << 8 | s[i + 2];
		char out[4] = {tab[v >> 18], tab[(v >> 12) & 63], tab[(v >> 6) & 63], tab[v & 63]};
		fwrite(out, 1, 4, f);
	}
	if (i < n) {
		uint32_t v = (uint32_t)s[i] << 16 | (i + 1 < n ? (uint32_t)s[i + 1] << 8 : 0);
		char out[4] = {tab[v >> 18], tab[(v >> 12) & 63],
		               i + 1 < n ? tab[(v >> 6) & 63] : '=', '='};
		fwrite(out, 1, 4, f);
	}
}

bool spn_ldif_safe(const char *s, size_t n)
{
	if (n == 0)
		return true;
	unsigned char c0 = (unsigned char)s[0];
	if (c0 == ' ' || c0 == ':' || c0 == '<')
		return false;
	if (s[n - 1] == ' ')
		return false;   /* readers strip trailing spaces */
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == 0 || c == '\n' || c == '\r' || c >= 0x80)
			return false;
	}
	return true;
}

void spn_ldif_line(FILE *f, const char *attr, const char *v, size_t n)
{
	if (spn_ldif_safe(v, n)) {
		fprintf(f, "%s: ", attr);
		fwrite(v, 1, n, f);
	} else {
		fprintf(f, "%s:: ", attr);
		base64(f, (const unsigned char *)v, n);
	}
	fputc('\n', f);
}
