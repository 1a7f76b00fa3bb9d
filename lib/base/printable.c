/*
 * printable.c - server text made safe for a terminal (printable.h says
 * what is escaped and why). A scan for the first byte below 0x20, DEL or
 * at or above 0x80 decides; bytes from 0x80 on are taken as UTF-8 and
 * checked sequence by sequence (RFC 3629: no overlong forms, no
 * surrogates, nothing past U+10FFFF) and for C1 controls.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "base/printable.h"

/* Length of the valid, non-C1 UTF-8 sequence at s[0..n) (s[0] >= 0x80), or 0. */
static size_t utf8_ok(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];
	size_t len;
	unsigned char lo = 0x80, hi = 0xbf;
	if (c >= 0xc2 && c <= 0xdf)
		len = 2;
	else if (c >= 0xe0 && c <= 0xef)
		len = 3;
	else if (c >= 0xf0 && c <= 0xf4)
		len = 4;
	else
		return 0;
	if (c == 0xc2)
		lo = 0xa0;   /* 0xc2 0x80..0x9f: the C1 controls */
	else if (c == 0xe0)
		lo = 0xa0;
	else if (c == 0xed)
		hi = 0x9f;
	else if (c == 0xf0)
		lo = 0x90;
	else if (c == 0xf4)
		hi = 0x8f;
	if (n < len || s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < len; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return len;
}

/* Bytes of plain text at s[i..n), 0 when s[i] must be escaped. */
static size_t plain_at(const unsigned char *s, size_t i, size_t n)
{
	unsigned char c = s[i];
	if (c >= 0x20 && c < 0x7f)
		return 1;
	if (c < 0x80)
		return 0;
	return utf8_ok(s + i, n - i);
}

size_t spn_printable_span(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;
	while (i < n) {
		if (u[i] >= 0x20 && u[i] < 0x7f) {
			i++;
			continue;
		}
		size_t k = plain_at(u, i, n);
		if (!k)
			break;
		i += k;
	}
	return i;
}

static const char hex[] = "0123456789abcdef";

void spn_printable_write(FILE *f, const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;
	while (i < n) {
		size_t run = spn_printable_span(s + i, n - i);
		fwrite(s + i, 1, run, f);
		i += run;
		if (i < n) {
			char esc[4] = {'\\', 'x', hex[u[i] >> 4], hex[u[i] & 15]};
			fwrite(esc, 1, 4, f);
			i++;
		}
	}
}

const char *spn_printable(const char *s)
{
	static _Thread_local char *ring[4];
	static _Thread_local unsigned next;
	if (!s)
		return NULL;
	size_t n = strlen(s);
	size_t run = spn_printable_span(s, n);
	if (run == n)
		return s;
	unsigned k = next++ % 4;
	char *out = realloc(ring[k], 4 * n + 1);
	if (!out)
		return "?";
	ring[k] = out;
	const unsigned char *u = (const unsigned char *)s;
	size_t o = 0, i = 0;
	while (i < n) {
		run = spn_printable_span(s + i, n - i);
		memcpy(out + o, s + i, run);
		o += run;
		i += run;
		if (i < n) {
			out[o++] = '\\';
			out[o++] = 'x';
			out[o++] = hex[u[i] >> 4];
			out[o++] = hex[u[i] & 15];
			i++;
		}
	}
	out[o] = '\0';
	return out;
}
