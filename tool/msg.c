/*
 * msg.c - the one place spnctl prints errors and -v notes (standard
 * error, "spnctl: " first, one line each). Messages from libspn
 * (struct spn_err) arrive already worded: location first, one line. They
 * may quote a server (a DN, a gap, a diagnostic): the line goes out
 * through printable.h, so no byte of it reaches the terminal as a control.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/printable.h"

#include "exit.h"
#include "msg.h"

static void vline(const char *fmt, va_list ap, const char *cmd, int usage)
	__attribute__((format(printf, 1, 0)));

static void vline(const char *fmt, va_list ap, const char *cmd, int usage)
{
	char line[4096];
	fflush(stdout);  /* keep stdout and stderr in order on a terminal */
	fputs("spnctl: ", stderr);
	vsnprintf(line, sizeof(line), fmt, ap);
	spn_printable_write(stderr, line, strlen(line));
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
