/*
 * err.c - the one error record of libspn (see spn/err.h): first failure wins.
 */
#include <stdio.h>
#include <string.h>

#include "spn/err.h"

void spn_err_init(struct spn_err *err)
{
	err->rc = SPN_OK;
	err->msg[0] = '\0';
}

/* Messages are one line: fold any newline or tab a server sent into a space. */
static void one_line(char *s)
{
	for (; *s; s++)
		if (*s == '\n' || *s == '\r' || *s == '\t')
			*s = ' ';
}

enum spn_rc spn_err_vset(struct spn_err *err, enum spn_rc rc, const char *fmt, va_list ap)
{
	if (!err)
		return rc;
	if (err->rc != SPN_OK)
		return err->rc;
	err->rc = rc;
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	one_line(err->msg);
	return rc;
}

enum spn_rc spn_err_set(struct spn_err *err, enum spn_rc rc, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	rc = spn_err_vset(err, rc, fmt, ap);
	va_end(ap);
	return rc;
}

void spn_err_prefix(struct spn_err *err, const char *fmt, ...)
{
	if (!err || err->rc == SPN_OK)
		return;
	char pre[512];
	char old[sizeof(err->msg)];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(pre, sizeof(pre), fmt, ap);
	va_end(ap);
	memcpy(old, err->msg, sizeof(old));
	snprintf(err->msg, sizeof(err->msg), "%s: %s", pre, old);
	one_line(err->msg);
}

const char *spn_rc_name(enum spn_rc rc)
{
	switch (rc) {
	case SPN_OK: return "ok";
	case SPN_USAGE: return "usage";
	case SPN_INPUT: return "input";
	case SPN_IO: return "io";
	case SPN_DIRECTORY: return "directory";
	case SPN_AUTH: return "auth";
	case SPN_INCOMPLETE: return "incomplete";
	case SPN_REFUSED: return "refused";
	case SPN_NOMEM: return "nomem";
	case SPN_BUG: return "bug";
	}
	return "unknown";
}
