/*
 * buf.c - the growable string with a ceiling (see buf.h). Room doubles
 * from 256 bytes; a formatted append prints straight into the room left
 * (64 bytes at least) and only when that is too small grows and prints
 * again.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

#define BUF_FIRST 256
#define SHORT_PRINT 64

void spn_buf_init(struct spn_buf *b, size_t max)
{
	b->p = NULL;
	b->n = b->cap = 0;
	b->max = max;
	b->failed = false;
}

void spn_buf_release(struct spn_buf *b)
{
	free(b->p);
	spn_buf_init(b, b->max);
}

void spn_buf_clear(struct spn_buf *b)
{
	b->n = 0;
	if (b->p)
		b->p[0] = '\0';
	b->failed = false;
}

static bool fail(struct spn_buf *b)
{
	b->failed = true;
	return false;
}

/* Room for more bytes after the content, and the NUL; false (failed)
 * without memory. The ceiling is the caller's to check. */
static bool room(struct spn_buf *b, size_t more)
{
	if (b->n + more < b->cap)
		return true;
	size_t cap = b->cap ? b->cap : BUF_FIRST;
	while (cap <= b->n + more) {
		if (cap > SIZE_MAX / 2)
			return fail(b);
		cap *= 2;
	}
	char *p = realloc(b->p, cap);
	if (!p)
		return fail(b);
	b->p = p;
	b->cap = cap;
	return true;
}

/* Room for more bytes of content; false (failed) past the ceiling or
 * without memory, or when the buffer had failed already. */
static bool grow(struct spn_buf *b, size_t more)
{
	if (b->failed)
		return false;
	if (more > b->max - b->n)
		return fail(b);
	return room(b, more);
}

void spn_buf_add(struct spn_buf *b, const char *s, size_t n)
{
	if (!grow(b, n))
		return;
	if (n)
		memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = '\0';
}

void spn_buf_adds(struct spn_buf *b, const char *s)
{
	spn_buf_add(b, s, strlen(s));
}

void spn_buf_vaddf(struct spn_buf *b, const char *fmt, va_list ap)
{
	va_list again;
	/* Most appends are short: print into 64 bytes of room or more. */
	if (b->failed || !room(b, SHORT_PRINT))
		return;
	va_copy(again, ap);
	size_t room = b->cap - b->n;
	int len = vsnprintf(b->p + b->n, room, fmt, ap);
	if (len < 0 || (size_t)len > b->max - b->n) {
		fail(b);
	} else if ((size_t)len < room) {
		b->n += (size_t)len;
	} else if (grow(b, (size_t)len)) {
		vsnprintf(b->p + b->n, (size_t)len + 1, fmt, again);
		b->n += (size_t)len;
	}
	b->p[b->n] = '\0';   /* also after a print that did not fit */
	va_end(again);
}

void spn_buf_addf(struct spn_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	spn_buf_vaddf(b, fmt, ap);
	va_end(ap);
}

bool spn_buf_ok(const struct spn_buf *b)
{
	return !b->failed;
}

const char *spn_buf_str(const struct spn_buf *b)
{
	if (b->failed)
		return NULL;
	return b->p ? b->p : "";
}
