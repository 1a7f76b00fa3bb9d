/*
 * cmdline_word.c - one word of a command line to copy and paste, for a
 * POSIX shell or for cmd.exe and PowerShell at once, or refused
 * (cmdline_word.h says what is refused and why).
 */
#include <string.h>

#include "cmdline_word.h"

/* Printable ASCII only: anything else may not survive copy and paste
 * (invisible characters) or a terminal. */
static bool printable(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s >= 0x7F)
			return false;
	return true;
}

bool spn_sh_word(const char *s, char *buf, size_t cap)
{
	static const char plain[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	                            "0123456789._/:@%+=,-";
	size_t n = strlen(s), o = 0;
	if (!printable(s) || n == 0)
		return false;
	/* A leading '=' is zsh's path expansion (=ls is /bin/ls): quoted. A
	 * leading '-' stays an option however it is quoted: the caller puts
	 * "--" before the operands. */
	if (s[0] != '=' && strspn(s, plain) == n) {
		if (n + 1 > cap)
			return false;
		memcpy(buf, s, n + 1);
		return true;
	}
	/* '...' keeps every byte but ' itself, which becomes '\''. */
	if (o + 1 >= cap)
		return false;
	buf[o++] = '\'';
	for (; *s; s++) {
		const char *piece = *s == '\'' ? "'\\''" : NULL;
		size_t k = piece ? 4 : 1;
		if (o + k + 2 > cap)
			return false;
		if (piece)
			memcpy(buf + o, piece, k);
		else
			buf[o] = *s;
		o += k;
	}
	buf[o++] = '\'';
	buf[o] = '\0';
	return true;
}

bool spn_cmd_word(const char *s, char *buf, size_t cap)
{
	/* Safe unquoted in cmd.exe and PowerShell alike; '$' only last
	 * (EXCH01$): PowerShell expands "$name" even inside double quotes. */
	static const char plain[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	                            "0123456789._/:@-";
	size_t n = strlen(s);
	if (!printable(s) || n == 0 || n + 3 > cap)
		return false;
	/* setspn reads a word starting with '-' or '/' as a switch, quoted or
	 * not, and knows no "--": no line for it (the LDIF carries it). */
	if (s[0] == '-' || s[0] == '/')
		return false;
	size_t body = n;
	if (s[n - 1] == '$')
		body--;
	size_t ok = strspn(s, plain);
	/* A leading '@' is PowerShell's splatting (@args): quoted. */
	if (ok >= body && s[0] != '@') {
		memcpy(buf, s, n + 1);
		return true;
	}
	/* Spaces (a DN): "..." - but never around a character either shell
	 * treats specially inside quotes. */
	for (size_t i = 0; i < body; i++)
		if (s[i] != ' ' && s[i] != ',' && s[i] != '=' && !strchr(plain, s[i]))
			return false;
	buf[0] = '"';
	memcpy(buf + 1, s, n);
	buf[n + 1] = '"';
	buf[n + 2] = '\0';
	return true;
}
