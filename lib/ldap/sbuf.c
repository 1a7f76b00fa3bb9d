/*
 * sbuf.c - a growable string for filters, attribute names and messages
 * built by the live-directory reader. A failed allocation sets nomem and
 * later appends do nothing, so callers check once at the end.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ldap_int.h"

#define SBUF_MAX ((size_t)1 << 30)  /* ceiling: no filter or name is a gigabyte */

void spn_sbuf_init(struct spn_sbuf *b)
{
	memset(b, 0, sizeof(*b));
}

void spn_sbuf_release(struct spn_sbuf *b)
{
	free(b->p);
	memset(b, 0, sizeof(*b));
}

static bool grow(struct spn_sbuf *b, size_t more)
{
	if (b->nomem)
		return false;
	if (more >= SBUF_MAX - b->n) {
		b->nomem = true;
		return false;
	}
	if (b->n + more + 1 <= b->cap)
		return true;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < b->n + more + 1)
		cap *= 2;
	char *p = realloc(b->p, cap);
	if (!p) {
		b->nomem = true;
		return false;
	}
	b->p = p;
	b->cap = cap;
	return true;
}

void spn_sbuf_add(struct spn_sbuf *b, const char *s, size_t n)
{
	if (!grow(b, n))
		return;
	memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = '\0';
}

void spn_sbuf_adds(struct spn_sbuf *b, const char *s)
{
	spn_sbuf_add(b, s, strlen(s));
}

void spn_sbuf_addf(struct spn_sbuf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int k = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (k < 0 || !grow(b, (size_t)k))
		return;
	va_start(ap, fmt);
	vsnprintf(b->p + b->n, (size_t)k + 1, fmt, ap);
	va_end(ap);
	b->n += (size_t)k;
}

const char *spn_sbuf_str(struct spn_sbuf *b)
{
	if (b->nomem)
		return NULL;
	return b->p ? b->p : "";
}
