/*
 * setspn_compat.c - setspn.exe's command line, translated at the door.
 *
 * Two ways in:
 *  - `spnctl -L ACCOUNT`, `spnctl -Q SPN`, `spnctl -X` (no command word;
 *    -l, -q, -x work too): opt.c reads these and runs setspn_run().
 *  - the binary invoked as `setspn` (a link named setspn): every switch is
 *    setspn's, in any case, as on Windows - -L -Q -X -F -P -T -C -U; a bare
 *    account name means -L. spnctl's own options keep their long names
 *    (--file, --uri, --simple, ...). setspn_translate() rewrites the line
 *    into spnctl's options before the normal parser sees it.
 * The answer is printed in setspn's wording (lib/report/setspn_text.c);
 * the exit status is spnctl's (exit.h), not setspn's.
 * setspn's write switches (-R -A -S -D -M) are refused: spnctl only reads.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "exit.h"
#include "msg.h"
#include "spnctl.h"

static const struct spnctl_command setspn_modes[] = {
	[SETSPN_LIST] = { "-L", setspn_run, CMD_NEEDS_MODEL | CMD_KEEP_ALL | CMD_ACCOUNTS | CMD_SETSPN,
	                  "spnctl [options] -L account",
	                  "list the SPNs registered on an account, in setspn's words" },
	[SETSPN_QUERY] = { "-Q", setspn_run, CMD_NEEDS_MODEL | CMD_PATTERNS | CMD_SETSPN,
	                   "spnctl [options] -Q spn",
	                   "who holds an SPN ('*' wildcards), in setspn's words" },
	[SETSPN_DUPS] = { "-X", setspn_run, CMD_NEEDS_MODEL | CMD_SETSPN,
	                  "spnctl [options] -X",
	                  "duplicate SPNs, in setspn's words" },
};

const struct spnctl_command *setspn_command(enum spnctl_setspn_mode mode)
{
	return mode ? &setspn_modes[mode] : NULL;
}

bool setspn_invoked(const char *argv0)
{
	const char *base = strrchr(argv0, '/');
	base = base ? base + 1 : argv0;
	return strcasecmp(base, "setspn") == 0 || strcasecmp(base, "setspn.exe") == 0;
}

int setspn_run(struct spnctl *c)
{
	switch (c->setspn) {
	case SETSPN_LIST:
		return spnctl_list_run(c, c->setspn_args, c->nsetspn_args, true);
	case SETSPN_QUERY:
		return spnctl_query_run(c, c->setspn_args, c->nsetspn_args, true);
	case SETSPN_DUPS:
		return spnctl_dups_run(c, true);
	case SETSPN_NONE:
		break;
	}
	return msg_fail("BUG: setspn_run without a mode");
}

static void setspn_usage(FILE *out)
{
	fputs("usage: setspn [-F] [-P] [-T domain]... [-C | -U] -L account\n"
	      "       setspn [-F] [-P] [-T domain]... -Q spn\n"
	      "       setspn [-F] [-P] [-T domain]... -X\n"
	      "\n"
	      "spnctl answering as setspn: switches in any case; the answer in setspn's\n"
	      "words. Read a snapshot with --file FILE; spnctl's other options keep their\n"
	      "long names (--uri, --simple, --bind-dn, ...). spnctl only reads: -R, -A, -S,\n"
	      "-D and -M are refused. Exit status: 0 found, 1 not found or duplicates\n"
	      "found, 2 could not complete. See spnctl(1).\n", out);
}

int setspn_translate(int *argcp, char ***argvp)
{
	int argc = *argcp;
	char **argv = *argvp;
	/* A switch becomes at most two words; a bare name may gain a "-L". */
	char **out = calloc((size_t)argc * 2 + 2, sizeof(*out));
	int n = 0;
	bool mode = false;
	if (!out)
		return msg_fail("out of memory");
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (a[0] == '-' && a[1] && a[1] != '-' && a[2] == '\0') {
			int f = tolower((unsigned char)a[1]);
			if (f == 'l' || f == 'q' || f == 'x')
				mode = true;
		}
	}
	out[n++] = argv[0];
	for (int i = 1; i < argc; i++) {
		char *a = argv[i];
		if (strncmp(a, "--", 2) == 0) {
			/* spnctl's own long option: keep it, with its value. */
			char name[64];
			size_t len = strcspn(a + 2, "=");
			snprintf(name, sizeof(name), "%.*s", (int)(len < 63 ? len : 63), a + 2);
			out[n++] = a;
			if (a[2] && !a[2 + len] && spnctl_long_option_arg(name) == 1 && i + 1 < argc)
				out[n++] = argv[++i];
			continue;
		}
		if (a[0] != '-' || a[1] == '\0') {
			if (!mode) {  /* "setspn NAME" is "setspn -L NAME" */
				out[n++] = (char *)"-L";
				mode = true;
			}
			out[n++] = a;
			continue;
		}
		if (a[2] != '\0') {
			free(out);
			return msg_usage(NULL, "setspn: unknown switch '%s'", a);
		}
		switch (tolower((unsigned char)a[1])) {
		case 'l': out[n++] = (char *)"-L"; break;
		case 'q': out[n++] = (char *)"-Q"; break;
		case 'x': out[n++] = (char *)"-X"; break;
		case 'f': out[n++] = (char *)"-F"; break;
		case 'p': out[n++] = (char *)"-P"; break;
		case 't': out[n++] = (char *)"-T"; break;
		case 'c': out[n++] = (char *)"--setspn-computer"; break;
		case 'u': out[n++] = (char *)"--setspn-user"; break;
		case '?': case 'h':
			setspn_usage(stdout);
			free(out);
			return SPNCTL_EXIT_OK;
		case 'r': case 'a': case 's': case 'd': case 'm':
			free(out);
			return msg_fail("setspn %s changes the directory; spnctl only reads "
			                "(use setspn.exe, samba-tool spn or ldapmodify)", a);
		default:
			free(out);
			return msg_usage(NULL, "setspn: unknown switch '%s'", a);
		}
		/* -L, -Q and -T take the next word as their value. */
		if (strchr("lqt", tolower((unsigned char)a[1])) && i + 1 < argc)
			out[n++] = argv[++i];
	}
	out[n] = NULL;
	*argcp = n;
	*argvp = out;
	return -1;
}
