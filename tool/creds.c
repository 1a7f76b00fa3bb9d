/*
 * creds.c - the bind password for -D: from --password-file FILE (its first
 * line), else the environment variable SPNCTL_PASSWORD, else a prompt on
 * the terminal (/dev/tty, echo off). Never from the command line: a
 * password in argv is visible to every user through ps and /proc.
 * The password lives in one malloc'd buffer, wiped after the bind
 * (load.c) and again when spnctl ends (spnctl_release).
 *
 * Around the secret: a password file that other users can read is
 * warned about (it is theirs too); SPNCTL_PASSWORD is wiped and removed
 * from the environment once read (no child, and nothing that reads the
 * environment later, sees it); the terminal gets its echo back even when
 * the prompt is interrupted (Ctrl-C, a kill).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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

/* A regular file that group or others may read holds a password they
 * have too: say so (a pipe, as from <(pass show x), is nobody else's). */
static void warn_if_shared(const char *path, int fd)
{
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || !(st.st_mode & (S_IRGRP | S_IROTH)))
		return;
	msg_note("warning: --password-file '%s' can be read by other users: chmod 600 '%s'", path,
	         path);
}

static int from_file(struct spnctl *c, char *buf)
{
	int fd = open(c->password_file, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return msg_fail("--password-file: cannot open '%s': %s", c->password_file, strerror(errno));
	warn_if_shared(c->password_file, fd);
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

/* The terminal as it was before the prompt, for the signal handler. */
static volatile sig_atomic_t tty_fd = -1;
static struct termios tty_saved;

static void restore_tty(int sig)
{
	if (tty_fd >= 0)
		tcsetattr(tty_fd, TCSAFLUSH, &tty_saved);
	signal(sig, SIG_DFL);
	raise(sig);
}

/* While echo is off, these signals put it back before they end spnctl. */
static const int tty_signals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};
#define NTTY_SIGNALS (sizeof(tty_signals) / sizeof(tty_signals[0]))

static void guard_tty(int fd, const struct termios *old, struct sigaction *prev)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = restore_tty;
	sigemptyset(&sa.sa_mask);
	tty_saved = *old;
	tty_fd = fd;
	for (size_t i = 0; i < NTTY_SIGNALS; i++)
		sigaction(tty_signals[i], &sa, &prev[i]);
}

static void unguard_tty(const struct sigaction *prev)
{
	for (size_t i = 0; i < NTTY_SIGNALS; i++)
		sigaction(tty_signals[i], &prev[i], NULL);
	tty_fd = -1;
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
	struct sigaction prev[NTTY_SIGNALS];
	guard_tty(fd, &old, prev);
	tcsetattr(fd, TCSAFLUSH, &quiet);
	ssize_t n = read_line(fd, buf, PASSWORD_MAX);
	tcsetattr(fd, TCSAFLUSH, &old);
	unguard_tty(prev);
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

/* SPNCTL_PASSWORD into buf (NULL: only wiped); then the variable's text
 * is wiped where the process keeps it (/proc/PID/environ shows that
 * memory) and the variable is removed. */
static int from_env(char *env, char *buf)
{
	size_t n = strlen(env);
	int rc = -1;
	if (buf && n >= PASSWORD_MAX)
		rc = msg_fail("SPNCTL_PASSWORD is longer than %d bytes", PASSWORD_MAX - 1);
	else if (buf)
		memcpy(buf, env, n + 1);
	explicit_bzero(env, n);
	unsetenv("SPNCTL_PASSWORD");
	return rc;
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
	char *env = getenv("SPNCTL_PASSWORD");
	if (c->password_file) {
		rc = from_file(c, buf);
		if (env)
			from_env(env, NULL);   /* not used, but a secret all the same */
	} else if (env && *env) {
		rc = from_env(env, buf);
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
