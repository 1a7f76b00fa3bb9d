/*
 * buf.h - a growable string with a ceiling: LDAP filters and DNs, finding
 * messages, anything composed piece by piece.
 *
 * Invariants:
 *  - The content is n bytes at p, NUL-terminated once anything was added
 *    (p is NULL before); it never grows past the ceiling given to
 *    spn_buf_init().
 *  - An append that would pass the ceiling, or finds no memory, adds
 *    nothing and marks the buffer failed; a failed buffer ignores every
 *    later append until spn_buf_clear(), so a caller composes freely and
 *    checks once (spn_buf_ok). Nothing is ever cut short silently.
 *  - p is malloc'd: spn_buf_release() frees it, or the caller takes it.
 */
#ifndef SPN_BASE_BUF_H
#define SPN_BASE_BUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

struct spn_buf {
	char *p;       /* the content, NUL-terminated; NULL while nothing was added */
	size_t n;      /* bytes of content, without the NUL */
	size_t cap;    /* bytes allocated at p */
	size_t max;    /* the ceiling: n never exceeds it */
	bool failed;   /* an append failed; sticky until spn_buf_clear() */
};

void spn_buf_init(struct spn_buf *b, size_t max);
void spn_buf_release(struct spn_buf *b);
/* Empty again and not failed; the memory is kept for the next content. */
void spn_buf_clear(struct spn_buf *b);
void spn_buf_add(struct spn_buf *b, const char *s, size_t n);
void spn_buf_adds(struct spn_buf *b, const char *s);
void spn_buf_addf(struct spn_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void spn_buf_vaddf(struct spn_buf *b, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
/* False once an append failed. */
bool spn_buf_ok(const struct spn_buf *b);
/* The content ("" when empty); NULL once an append failed. */
const char *spn_buf_str(const struct spn_buf *b);

#endif
