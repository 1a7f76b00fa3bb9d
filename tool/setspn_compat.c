/*
 * setspn_compat.c - setspn's command lines, rewritten at the door into
 * spnctl's own, so that nothing about setspn goes further than here. On a
 * line without a command word,
 *
 *   spnctl [options] -L account   is   spnctl list [options] -o setspn account
 *   spnctl [options] -Q spn       is   spnctl query [options] -o setspn spn
 *   spnctl [options] -X           is   spnctl dups [options] -o setspn
 *   spnctl [options] -S spn acct  is   spnctl add [options] -o setspn spn acct
 *   spnctl [options] -A spn acct  is   spnctl add --force [options] -o setspn ...
 *   spnctl [options] -D spn acct  is   spnctl rm [options] -o setspn spn acct
 *   spnctl [options] -R computer  is   spnctl reset [options] -o setspn computer
 *
 * -D is also spnctl's --bind-dn: on a line without a command word it is
 * setspn's delete when its value is an SPN - has a '/' and no '=' (a bind
 * DN always has an '=', and may have a '/': "CN=ops/admin,..."; user@domain
 * has no '/') - and an account follows. With a command word it is always
 * --bind-dn.
 * (-l, -q and a lone -x too; -x there is -X, so simple bind is spelled
 * --simple). The binary invoked as `setspn` (a link named setspn) first
 * reads setspn.exe's switches, in any case: -L -Q -X -F -P -T, -C and -U
 * (list's --computers and --users), a bare account name for -L; spnctl's
 * own options keep their long names (--file, --uri, --simple, ...); a
 * -f followed by a file is refused with that said (-f is setspn's -F).
 * setspn's -M is refused (spnctl knows no such switch).
 *
 * The answer is the setspn report format (lib/report/setspn_text.c); the
 * exit status is spnctl's (exit.h), not setspn's. A setspn line takes the
 * options of its command but -o (its format is setspn) and --fail-on (-X
 * says 1 for duplicates). Usage errors read as the parser's would, in the
 * same order: option values are checked as they come (opt.c), and a line
 * the scanner cannot read is left to the parser to report.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "exit.h"
#include "msg.h"
#include "options.h"
#include "spnctl.h"
#include "suggest.h"

/* setspn's modes: the command each runs, and its own usage for `--help`
 * (flags: the options that fit it). */
static const struct mode {
	const char *command;
	struct spnctl_command usage;
} modes[] = {
	{ "list", { "-L", NULL, CMD_NEEDS_MODEL | CMD_KEEP_ALL | CMD_ACCOUNTS,
	            "spnctl [options] -L account",
	            "list the SPNs registered on an account, in setspn's words" } },
	{ "query", { "-Q", NULL, CMD_NEEDS_MODEL | CMD_PATTERNS,
	             "spnctl [options] -Q spn",
	             "who holds an SPN ('*' wildcards), in setspn's words" } },
	{ "dups", { "-X", NULL, CMD_NEEDS_MODEL,
	            "spnctl [options] -X",
	            "duplicate SPNs, in setspn's words" } },
	{ "add", { "-S", NULL, CMD_CONNECTS | CMD_WRITES,
	           "spnctl [options] -S spn account",
	           "add an SPN after the duplicate checks, in setspn's words" } },
	{ "add", { "-A", NULL, CMD_CONNECTS | CMD_WRITES,
	           "spnctl [options] -A spn account",
	           "add an SPN despite conflicts (add --force), in setspn's words" } },
	{ "rm", { "-D", NULL, CMD_CONNECTS | CMD_WRITES,
	          "spnctl [options] -D spn account",
	          "remove an SPN from an account, in setspn's words" } },
	{ "reset", { "-R", NULL, CMD_CONNECTS | CMD_WRITES,
	             "spnctl [options] -R computer",
	             "put back a computer's HOST SPNs, in setspn's words" } },
};
enum { MODE_NONE = -1, MODE_L, MODE_Q, MODE_X, MODE_S, MODE_A, MODE_D, MODE_R };

/* The modes that change the directory take an SPN and an account. */
static bool takes_account(int mode)
{
	return mode == MODE_S || mode == MODE_A || mode == MODE_D;
}

/* ---- The binary invoked as setspn ---- */

static bool invoked_as_setspn(const char *argv0)
{
	const char *base = strrchr(argv0, '/');
	base = base ? base + 1 : argv0;
	return strcasecmp(base, "setspn") == 0 || strcasecmp(base, "setspn.exe") == 0;
}

static void setspn_usage(FILE *out)
{
	fputs("usage: setspn [-F] [-P] [-T domain]... [-C | -U] -L account\n"
	      "       setspn [-F] [-P] [-T domain]... -Q spn\n"
	      "       setspn [-F] [-P] [-T domain]... -X\n"
	      "       setspn [-F] [-T domain]... [-C | -U] -S | -A | -D spn account\n"
	      "       setspn [-C] -R computer\n"
	      "\n"
	      "spnctl answering as setspn: switches in any case; the answer in setspn's\n"
	      "words. Read a snapshot with --file FILE; spnctl's other options keep their\n"
	      "long names (--uri, --simple, --bind-dn, ...). Changes write an undo file\n"
	      "(--undo-file FILE). Exit status: 0 found or done, 1 not found, duplicates\n"
	      "found or an add refused, 2 could not complete. See spnctl(1).\n", out);
}

/* Which of setspn's mode switches (l, q, x) the line has, as bits. */
static unsigned exe_modes(int argc, char **argv)
{
	unsigned bits = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (a[0] == '-' && a[1] && a[1] != '-' && a[2] == '\0') {
			int f = tolower((unsigned char)a[1]);
			bits |= f == 'l' ? 1u : f == 'q' ? 2u : f == 'x' ? 4u :
			        strchr("sadr", f) ? 8u : 0u;
		}
	}
	return bits;
}

/* One switch of setspn.exe as spnctl's option ("" drops it), or NULL when
 * the line stops here with *rc. */
static const char *exe_switch(const char *a, bool lists, int *rc)
{
	switch (tolower((unsigned char)a[1])) {
	case 'l': return "-L";
	case 'q': return "-Q";
	case 'x': return "-X";
	case 'f': return "-F";
	case 'p': return "-P";
	case 't': return "-T";
	case 'c': return lists ? "--computers" : "";  /* -C and -U qualify -L and the changes */
	case 'u': return lists ? "--users" : "";
	case '?': case 'h':
		setspn_usage(stdout);
		*rc = SPNCTL_EXIT_OK;
		return NULL;
	case 'r': return "-R";
	case 'a': return "-A";
	case 's': return "-S";
	case 'd': return "-D";   /* an SPN follows: setspn's delete (see rewrite_line) */
	case 'm':
		*rc = msg_usage(NULL, "setspn -M is not supported");
		return NULL;
	}
	*rc = msg_usage(NULL, "setspn: unknown switch '%s'", a);
	return NULL;
}

/* setspn.exe's line into spnctl's -L/-Q/-X line, in out (argc * 2 + 2
 * words). Returns -1 to go on, or an exit status. */
static int exe_translate(int *argcp, char **argv, char **out)
{
	int argc = *argcp, n = 0, rc = -1;
	unsigned bits = exe_modes(argc, argv);
	bool mode = bits != 0, lists = !(bits & 6u);  /* -C/-U: -L, -S, -A, -D, -R */
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
		if (a[2] != '\0')
			return msg_usage(NULL, "setspn: unknown switch '%s'", a);
		if (tolower((unsigned char)a[1]) == 'f' && i + 1 < argc && spnctl_names_file(argv[i + 1]))
			return msg_usage(NULL, "setspn: %s is setspn's -F (the whole forest), not a file; "
			                 "read a snapshot with --file %s", a, argv[i + 1]);
		const char *sw = exe_switch(a, lists, &rc);
		if (!sw)
			return rc;
		if (*sw)
			out[n++] = (char *)sw;
		/* -L, -Q, -T, -S, -A, -D and -R take the next word as their value. */
		if (strchr("lqtsadr", tolower((unsigned char)a[1])) && i + 1 < argc)
			out[n++] = argv[++i];
	}
	out[n] = NULL;
	*argcp = n;
	return -1;
}

/* ---- spnctl's own -L, -Q, -X ---- */

/* A line as the scanner read it. */
struct line {
	int mode;                     /* MODE_* */
	const char **values;          /* -L / -Q values, in order */
	size_t nvalues;
	struct spnctl_token *opts;    /* every other option, in order */
	size_t nopts;
	const char *operand;          /* the first operand */
	size_t noperands;
	int lower_x;                  /* short -x given */
	bool version, help;
};

static int mode_of(const struct spnctl_token *t)
{
	switch (t->o->id) {
	case 'L': case 'l': return MODE_L;
	case 'Q': case 'q': return MODE_Q;
	case 'X': return MODE_X;
	case 'S': return MODE_S;
	case 'A': return MODE_A;
	case 'R': return MODE_R;
	case 'D': return t->value && strchr(t->value, '/') && !strchr(t->value, '=') ? MODE_D
	                                                                              : MODE_NONE;
	}
	return MODE_NONE;
}

/* One option token; returns -1 to go on, -2 to leave the line to the
 * parser (which reports what is wrong with it), or an exit status. */
static int take(struct line *l, const struct spnctl_token *t)
{
	int rc, m;
	if (t->kind == TOK_UNKNOWN || t->kind == TOK_NO_VALUE || t->o->id == 'w')
		return -2;
	if (t->o->arg && (rc = spnctl_option_check(t->o, t->value)) >= 0)
		return rc;
	if ((m = mode_of(t)) != MODE_NONE) {
		if (l->mode != MODE_NONE && l->mode != m)
			return msg_usage(NULL, l->mode <= MODE_X && m <= MODE_X ?
			                 "-L, -Q and -X cannot be combined" :
			                 "setspn's modes (-L, -Q, -X, -S, -A, -D, -R) cannot be combined");
		l->mode = m;
		if (t->value)
			l->values[l->nvalues++] = t->value;
		return -1;
	}
	if (t->o->id == 'x' && !t->long_form) {
		l->lower_x++;
		return -1;
	}
	l->version |= t->o->id == OPT_VERSION;
	l->help |= t->o->id == 'h';
	l->opts[l->nopts++] = *t;
	return -1;
}

static int read_line(struct line *l, int argc, char **argv)
{
	struct spnctl_scan s;
	struct spnctl_token t;
	int rc = -1;
	spnctl_scan_init(&s, argc, argv);
	while (rc == -1) {
		spnctl_scan_next(&s, &t);
		if (t.kind == TOK_END)
			break;
		if (t.kind != TOK_OPERAND)
			rc = take(l, &t);
		else if (l->noperands++ == 0)
			l->operand = t.value;
	}
	return rc;
}

/* Is a setspn line what the parser would take, and what its help and
 * options say? Returns -1 to rewrite it, or an exit status. */
static int check_line(const struct line *l)
{
	const struct spnctl_command *cmd = l->noperands ? spnctl_command_find(l->operand) : NULL;
	const struct spnctl_command *usage = &modes[l->mode].usage;
	char buf[64];
	if (takes_account(l->mode)) {
		if (l->noperands != 1)
			return msg_usage(NULL, "setspn %s takes an SPN and an account: %s", usage->name,
			                 usage->synopsis);
	} else if (cmd) {
		return msg_usage(NULL, "-L, -Q and -X cannot be combined with the command '%s'", cmd->name);
	} else if (l->noperands) {
		return msg_usage(NULL, "unexpected argument '%s'", l->operand);
	}
	if (l->lower_x && l->mode != MODE_X)
		return msg_usage(NULL, "-x is setspn's -X on a line without a command word; "
		                       "simple bind is --simple there");
	if (l->help) {
		spnctl_command_help(stdout, usage);
		return SPNCTL_EXIT_OK;
	}
	for (size_t i = 0; i < l->nopts; i++) {
		const struct spnctl_option *o = l->opts[i].o;
		if (o->applies && !(o->applies & usage->flags))
			return msg_usage(NULL, "%s does not apply to setspn's %s",
			                 spnctl_option_spelled(o, l->opts[i].long_form, buf, sizeof(buf)),
			                 usage->name);
	}
	return -1;
}

/* The ordinary line: argv[0], the command, the options as the user spelled
 * them, -o setspn, "--" and the -L/-Q values. One allocation: the words,
 * then the option names they point to. */
static char **ordinary_line(const struct line *l, char *argv0, int *argcp)
{
	size_t words = 8 + 2 * l->nopts + l->nvalues, text = 0, n = 0;
	for (size_t i = 0; i < l->nopts; i++)
		text += (l->opts[i].o->longname ? strlen(l->opts[i].o->longname) : 1) + 3;
	char **out = malloc(words * sizeof(*out) + text);
	if (!out)
		return NULL;
	char *p = (char *)(out + words), *end = p + text;
	out[n++] = argv0;
	out[n++] = (char *)modes[l->mode].command;
	for (size_t i = 0; i < l->nopts; i++) {
		const struct spnctl_token *t = &l->opts[i];
		out[n++] = (char *)spnctl_option_spelled(t->o, t->long_form, p, (size_t)(end - p));
		p += strlen(p) + 1;
		if (t->value)
			out[n++] = (char *)t->value;
	}
	if (l->mode == MODE_A)
		out[n++] = (char *)"--force";
	out[n++] = (char *)"-o";
	out[n++] = (char *)"setspn";
	out[n++] = (char *)"--";
	for (size_t i = 0; i < l->nvalues; i++)
		out[n++] = (char *)l->values[i];
	if (takes_account(l->mode))
		out[n++] = (char *)l->operand;
	out[n] = NULL;
	*argcp = (int)n;
	return out;
}

/* Rewrite spnctl's -L/-Q/-X line; -1 with *argvp and *owned replaced, or
 * left alone when it is no setspn line (or one for the parser to report). */
static int rewrite_line(int *argcp, char ***argvp, char ***owned)
{
	struct line l = { .mode = MODE_NONE };
	size_t cap = (size_t)*argcp + 1;
	char **out = NULL;
	l.values = calloc(cap, sizeof(*l.values));
	l.opts = calloc(cap, sizeof(*l.opts));
	int rc = l.values && l.opts ? read_line(&l, *argcp, *argvp) : msg_fail("out of memory");
	if (rc == -1 && l.mode == MODE_D && l.noperands && spnctl_command_find(l.operand))
		rc = -2;   /* "spnctl audit -D ...": the command's --bind-dn, for the parser */
	if (rc == -1 && l.mode == MODE_NONE && l.lower_x && l.noperands == 0)
		l.mode = MODE_X;  /* a lone -x is setspn's -X */
	if (rc == -1 && l.mode != MODE_NONE && !l.version && (rc = check_line(&l)) == -1) {
		if (!(out = ordinary_line(&l, (*argvp)[0], argcp)))
			rc = msg_fail("out of memory");
		else {
			free(*owned);
			*owned = out;
			*argvp = out;
		}
	}
	free(l.values);
	free(l.opts);
	return rc == -2 ? -1 : rc;
}

int setspn_rewrite(int *argcp, char ***argvp, char ***owned)
{
	*owned = NULL;
	if (*argcp > 0 && invoked_as_setspn((*argvp)[0])) {
		/* A switch becomes at most two words; a bare name may gain a "-L". */
		char **out = calloc((size_t)*argcp * 2 + 2, sizeof(*out));
		int rc = out ? exe_translate(argcp, *argvp, out) : msg_fail("out of memory");
		if (rc >= 0) {
			free(out);
			return rc;
		}
		*owned = out;
		*argvp = out;
	}
	return rewrite_line(argcp, argvp, owned);
}
