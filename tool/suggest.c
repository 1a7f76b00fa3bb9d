/*
 * suggest.c - "did you mean": the word a user most likely meant when spnctl
 * cannot take what was typed (a command, a long option), and the -f or -o
 * an argument that names a file was missing. Only ever a suggestion in the
 * message; nothing is guessed and run.
 *
 * Nearness is the optimal string alignment distance, case-insensitive: an
 * insertion, deletion, substitution or swap of two neighbours costs 1
 * ("audti" is 1 from "audit"). The word is the start of exactly one
 * candidate ("aud": audit): that one; of several ("re": resolve, reset):
 * none; else the nearest candidate, when it is at most 2 away and the
 * distance is at most half the typed word.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "msg.h"
#include "spnctl.h"
#include "suggest.h"

#define MAXWORD 64

static size_t min3(size_t a, size_t b, size_t c)
{
	size_t m = a < b ? a : b;
	return m < c ? m : c;
}

size_t spnctl_distance(const char *a, const char *b)
{
	size_t n = strlen(a), m = strlen(b);
	if (n >= MAXWORD || m >= MAXWORD)
		return (size_t)-1;
	size_t d[MAXWORD + 1][MAXWORD + 1];
	for (size_t i = 0; i <= n; i++)
		d[i][0] = i;
	for (size_t j = 0; j <= m; j++)
		d[0][j] = j;
	for (size_t i = 1; i <= n; i++)
		for (size_t j = 1; j <= m; j++) {
			int x = tolower((unsigned char)a[i - 1]), y = tolower((unsigned char)b[j - 1]);
			size_t cost = x != y;
			d[i][j] = min3(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
			if (i > 1 && j > 1 && x == tolower((unsigned char)b[j - 2]) &&
			    tolower((unsigned char)a[i - 2]) == y && d[i - 2][j - 2] + 1 < d[i][j])
				d[i][j] = d[i - 2][j - 2] + 1;
		}
	return d[n][m];
}

const char *spnctl_nearest(const char *word, const char *const *cands, size_t n)
{
	size_t len = strlen(word), best = (size_t)-1, prefixed = 0;
	const char *pick = NULL, *prefix = NULL;
	for (size_t i = 0; i < n; i++) {
		if (!cands[i])
			continue;
		size_t d = spnctl_distance(word, cands[i]);
		if (d < best) {
			best = d;
			pick = cands[i];
		}
		if (len >= 2 && strncasecmp(cands[i], word, len) == 0) {
			prefixed++;
			prefix = cands[i];
		}
	}
	if (prefixed)
		return prefixed == 1 ? prefix : NULL;   /* "re": resolve or reset? */
	return pick && best >= 1 && best <= 2 && best * 2 <= len ? pick : NULL;
}

bool spnctl_names_file(const char *word)
{
	struct stat st;
	size_t n = strlen(word);
	if (stat(word, &st) == 0)
		return S_ISREG(st.st_mode);
	return (n > 5 && strcasecmp(word + n - 5, ".ldif") == 0) ||
	       (n > 4 && strcasecmp(word + n - 4, ".ldf") == 0);
}

int spnctl_unexpected(const struct spnctl *c)
{
	const char *cmd = c->cmd->name, *arg = c->args[0];
	if (!spnctl_names_file(arg))
		return msg_usage(cmd, "unexpected argument '%s'", arg);
	if (c->cmd->flags & CMD_OUTPUT_FILE)
		return msg_usage(cmd, "unexpected argument '%s' (the file to write is -o: spnctl %s "
		                 "-o %s)", arg, cmd, arg);
	return msg_usage(cmd, "unexpected argument '%s' (a snapshot is read with -f: spnctl %s -f %s)",
	                 arg, cmd, arg);
}
