/*
 * err.h - result codes and the error record every libspn call fills.
 *
 * Invariants:
 *  - Every fallible libspn function returns enum spn_rc; SPN_OK (0) is success.
 *  - Detail goes into a caller-owned struct spn_err passed last. The first,
 *    innermost failure writes it; later writes are ignored (so a caller may
 *    always "return spn_err_set(...)" without hiding the specific cause).
 *  - A message is one line, no trailing full stop, location first:
 *    "corp.ldif:1234: base64 value is not valid in 'CN=web,DC=corp'".
 */
#ifndef SPN_ERR_H
#define SPN_ERR_H

#include <stdarg.h>

enum spn_rc {
	SPN_OK = 0,
	SPN_USAGE,       /* the caller asked for something impossible: fix the command line */
	SPN_INPUT,       /* malformed snapshot or value: fix or re-export the input */
	SPN_IO,          /* a file could not be read or written */
	SPN_DIRECTORY,   /* the server failed or refused a search: see the server's text */
	SPN_AUTH,        /* bind failed: credentials, ticket, or TLS trust */
	SPN_INCOMPLETE,  /* data was cut short (limit, lost connection, range not followed) */
	SPN_REFUSED,     /* the directory refused a write */
	SPN_NOMEM,       /* out of memory */
	SPN_BUG,         /* an internal invariant failed */
};

struct spn_err {
	enum spn_rc rc;   /* SPN_OK while nothing has failed */
	char msg[1024];   /* one line, NUL-terminated; empty while rc == SPN_OK */
};

void spn_err_init(struct spn_err *err);

/* Record a failure unless one is already recorded; returns rc (or the rc
 * already recorded) so callers can write "return spn_err_set(...)". */
enum spn_rc spn_err_set(struct spn_err *err, enum spn_rc rc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
enum spn_rc spn_err_vset(struct spn_err *err, enum spn_rc rc, const char *fmt, va_list ap);

/* Put "prefix: " in front of an already recorded message (adds context such
 * as "reading 'corp.ldif'"); no-op when nothing is recorded. */
void spn_err_prefix(struct spn_err *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* A short name for an rc, for messages and JSON ("input", "directory", ...). */
const char *spn_rc_name(enum spn_rc rc);

#endif
