/*
 * msg.c - the one place spnctl prints errors and -v notes (standard
 * error, "spnctl: " first, one line each). Messages from libspn
 * (struct spn_err) arrive already worded: location first, one line.
 */
#include <stdarg.h>
#include <stdio.h>

#include "exit.h"
#include "msg.h"

static void vline(const char *fmt, va_list ap, const char *cmd, int usage)
	__attribute__((format(printf, 1, 0)));

static void vline(const char *fmt, va_list ap, const char *cmd, int usage)
{
	fflush(stdout);  /* keep stdout and stderr in order on a terminal */
	fputs("spnctl: ", stderr);
	vfprintf(stderr, fmt, ap);
	if (usage) {
		if (cmd)
			fprintf(stderr, "; see 'spnctl %s --help'", cmd);
		else
			fputs("; see 'spnctl --help'", stderr);
	}
	fputc('\n', stderr);
}

int msg_fail(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vline(fmt, ap, NULL, 0);
	va_end(ap);
	return SPNCTL_EXIT_FAILURE;
}

int msg_usage(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vline(fmt, ap, cmd, 1);
	va_end(ap);
	return SPNCTL_EXIT_FAILURE;
}

void msg_note(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vline(fmt, ap, NULL, 0);
	va_end(ap);
}
