/*
 * creds.c - the bind password for -D: from --password-file FILE (its first
 * line), else the environment variable SPNCTL_PASSWORD, else a prompt on
 * the terminal (/dev/tty, echo off). Never from the command line: a
 * password in argv is visible to every user through ps and /proc.
 * The password lives in one malloc'd buffer, wiped after the bind
 * (load.c) and again when spnctl ends (spnctl_release).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "exit.h"
#include "msg.h"
#include "spnctl.h"

#define PASSWORD_MAX 1024

/* Read one line (without its end) from fd into buf; returns its length or -1. */
static ssize_t read_line(int fd, char *buf, size_t cap)
{
	size_t n = 0;
	for (;;) {
		char ch;
		ssize_t r = read(fd, &ch, 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (r == 0 || ch == '\n')
			break;
		if (n + 1 >= cap)
			return -2;
		buf[n++] = ch;
	}
	if (n && buf[n - 1] == '\r')
		n--;
	buf[n] = '\0';
	return (ssize_t)n;
}

static int from_file(struct spnctl *c, char *buf)
{
	int fd = open(c->password_file, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return msg_fail("--password-file: cannot open '%s': %s", c->password_file, strerror(errno));
	ssize_t n = read_line(fd, buf, PASSWORD_MAX);
	int e = errno;
	close(fd);
	if (n == -2)
		return msg_fail("--password-file: '%s': the first line is longer than %d bytes",
		                c->password_file, PASSWORD_MAX - 1);
	if (n < 0)
		return msg_fail("--password-file: cannot read '%s': %s", c->password_file, strerror(e));
	if (n == 0)
		return msg_fail("--password-file: '%s' has an empty first line", c->password_file);
	return -1;
}

static int from_prompt(struct spnctl *c, char *buf, bool *asked)
{
	int fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
	struct termios old, quiet;
	if (fd < 0 || !isatty(fd) || tcgetattr(fd, &old) != 0) {
		if (fd >= 0)
			close(fd);
		return -1;  /* no terminal: the caller says what to do instead */
	}
	*asked = true;
	quiet = old;
	quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHONL);
	char prompt[600];
	int len = snprintf(prompt, sizeof(prompt), "Password for %s: ", c->live.bind_dn);
	if (len > 0 && write(fd, prompt, strlen(prompt)) < 0) {
		close(fd);
		return msg_fail("cannot write the password prompt: %s", strerror(errno));
	}
	tcsetattr(fd, TCSAFLUSH, &quiet);
	ssize_t n = read_line(fd, buf, PASSWORD_MAX);
	tcsetattr(fd, TCSAFLUSH, &old);
	if (write(fd, "\n", 1) < 0) {
		/* nothing to do: the prompt line just stays open */
	}
	close(fd);
	if (n == -2)
		return msg_fail("the password is longer than %d bytes", PASSWORD_MAX - 1);
	if (n < 0)
		return msg_fail("cannot read the password from the terminal");
	if (n == 0)
		return msg_fail("no password entered for %s", c->live.bind_dn);
	return -1;
}

int spnctl_password(struct spnctl *c)
{
	int rc = -1;
	bool asked = false;
	if (c->password)
		return -1;   /* read already (a write command binds twice: its DC, then the scope) */
	if (!c->live.bind_dn) {
		if (c->password_file)
			return msg_usage(NULL, "--password-file is the password of -D; give -D too");
		return -1;
	}
	char *buf = calloc(1, PASSWORD_MAX);
	if (!buf)
		return msg_fail("out of memory");
	const char *env = getenv("SPNCTL_PASSWORD");
	if (c->password_file) {
		rc = from_file(c, buf);
	} else if (env && *env) {
		if (strlen(env) >= PASSWORD_MAX)
			rc = msg_fail("SPNCTL_PASSWORD is longer than %d bytes", PASSWORD_MAX - 1);
		else
			memcpy(buf, env, strlen(env) + 1);
	} else {
		rc = from_prompt(c, buf, &asked);
		if (rc < 0 && !asked)
			rc = msg_fail("-D needs a password and there is no terminal to ask on; "
			              "use --password-file FILE or SPNCTL_PASSWORD");
	}
	if (rc >= 0) {
		explicit_bzero(buf, PASSWORD_MAX);
		free(buf);
		return rc;
	}
	c->password = buf;
	c->live.password = buf;
	return -1;
}
