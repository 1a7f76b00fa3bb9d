/*
 * ldif_error.c - where the LDIF reader's messages point: the one-line
 * SPN_INPUT error "FILE:LINE: reason[ in 'DN']", the true line number of a
 * line of a part (the parallel reader's parts count lines from their own
 * start), and input bytes made printable for a message. Every file of the
 * reader reports through here; nothing here calls back into them.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ldif_int.h"

const char *spn_ldif_printable(const char *s, size_t n, char *out, size_t cap)
{
	size_t keep = n < cap ? n : cap - 4, i;
	if (!s)
		keep = 0;
	for (i = 0; i < keep; i++) {
		unsigned char c = (unsigned char)s[i];
		out[i] = (char)(c < 0x20 || c == 0x7f ? '?' : c);
	}
	if (keep < n)
		memcpy(out + i, "...", 4);
	else
		out[i] = '\0';
	return out;
}

size_t spn_ldif_line_no(struct spn_ldif *r, size_t line)
{
	if (!r->line_base_known) {
		/* Only on the way to a message: count the newlines before the part. */
		char b[65536];
		uint64_t off = 0;
		size_t nl = 0;
		while (off < r->part_start) {
			size_t want = r->part_start - off < sizeof(b) ? (size_t)(r->part_start - off) : sizeof(b);
			ssize_t k = pread(r->fd, b, want, (off_t)off);
			if (k < 0 && errno == EINTR)
				continue;
			if (k <= 0)
				break;
			for (char *p = b, *e = b + k; (p = memchr(p, '\n', (size_t)(e - p))) != NULL; p++)
				nl++;
			off += (uint64_t)k;
		}
		r->line_base = nl;
		r->line_base_known = true;
	}
	return r->line_base + line;
}

enum spn_rc spn_ldif_fail(struct spn_ldif *r, size_t line, const char *fmt, ...)
{
	char msg[640], dn[260];
	va_list ap;
	line = spn_ldif_line_no(r, line);
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (r->state == SPN_LDIF_ENTRY && r->e.dn.p)
		return spn_err_set(r->err, SPN_INPUT, "%s:%zu: %s in '%s'", r->name, line, msg,
		                   spn_ldif_printable(r->e.dn.p, r->e.dn.n, dn, sizeof(dn)));
	return spn_err_set(r->err, SPN_INPUT, "%s:%zu: %s", r->name, line, msg);
}
