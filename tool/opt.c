/*
 * opt.c - parsing spnctl's command line into struct spnctl: options
 * (table and scanner in options.c) in any place, the command word (the
 * first operand), the check that each option fits the command, and -o's
 * format. setspn's lines were rewritten into ordinary ones before this
 * (setspn_compat.c).
 *
 * Passwords are never taken from the command line: -w/--password is
 * recognised only to refuse it and say why.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "base/filetime.h"
#include "exit.h"
#include "msg.h"
#include "options.h"
#include "spnctl.h"
#include "suggest.h"
#include "version.h"

/* When this run's reports are made: SOURCE_DATE_EPOCH (seconds since
 * 1970, the reproducible-builds convention) when it is set, so the same
 * input gives the same bytes; else the clock. */
static int64_t report_time(void)
{
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	char *end;
	if (sde && *sde >= '0' && *sde <= '9') {
		errno = 0;
		unsigned long long v = strtoull(sde, &end, 10);
		if (!errno && !*end && v < 253402300800ULL)  /* before year 10000 */
			return spn_filetime_from_unix((int64_t)v, 0);
	}
	return spn_filetime_now();
}

void spnctl_init(struct spnctl *c)
{
	memset(c, 0, sizeof(*c));
	spn_live_opts_init(&c->live);
	spn_report_opts_init(&c->report);
	c->report.version = SPNCTL_VERSION;
	c->report.audit_time = report_time();
	c->fail_on = SPN_SEV_WARNING;
}

void spnctl_release(struct spnctl *c)
{
	if (c->dcs) {   /* it owns the model (the union of the DCs' views) */
		spnctl_dcs_free(c->dcs);
		c->model = NULL;
	}
	spn_model_free(c->model);
	free(c->operands);
	free(c->files);
	free(c->uris);
	free(c->targets);
	free(c->only);
	free(c->keep);
	free(c->checks);
	free(c->skips);
	free(c->accepts);
	spn_scope_release(&c->scope);
	if (c->password) {
		explicit_bzero(c->password, strlen(c->password));
		free(c->password);
	}
}

static int parse_uint(const char *opt, const char *s, unsigned long max, unsigned *out)
{
	char *end;
	errno = 0;
	unsigned long v = strtoul(s, &end, 10);
	if (errno || end == s || *end || s[0] == '-' || s[0] == '+' || v < 1 || v > max)
		return msg_usage(NULL, "%s: '%s' is not a whole number from 1 to %lu", opt, s, max);
	*out = (unsigned)v;
	return -1;
}

static int parse_day(const char *s, int64_t *filetime)
{
	static const unsigned mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	unsigned y, m, d;
	char tail;
	if (strlen(s) != 10 || sscanf(s, "%4u-%2u-%2u%c", &y, &m, &d, &tail) != 3 ||
	    s[4] != '-' || s[7] != '-' || y < 1601 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1] ||
	    (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)))
		return msg_usage(NULL, "--now: '%s' is not a day as YYYY-MM-DD", s);
	*filetime = spn_filetime_from_date(y, m, d);
	return -1;
}

static int refuse_password(const char *how)
{
	return msg_fail("%s: a password on the command line is visible to other users (ps, /proc) "
	                "and kept in shell history; use --password-file FILE, SPNCTL_PASSWORD "
	                "or the prompt", how);
}

static int add_str(const char ***v, size_t *n, const char *s)
{
	const char **p = realloc(*v, (*n + 1) * sizeof(**v));
	if (!p)
		return msg_fail("out of memory");
	p[(*n)++] = s;
	*v = p;
	return -1;
}

/* Apply one option; returns -1 or an exit status. */
static int apply(struct spnctl *c, const struct spnctl_option *o, const char *arg)
{
	int rc = -1;
	switch (o->id) {
	case 'f': rc = add_str(&c->files, &c->nfiles, arg); break;
	case 'o': c->output = arg; break;
	case OPT_FAIL_ON:
		c->fail_on = spn_severity_parse(arg);
		if (c->fail_on < 0)
			rc = msg_usage(NULL, "--fail-on: unknown level '%s' (error, warning, info or none)", arg);
		break;
	case OPT_ALLOW_EMPTY: c->allow_empty = true; break;
	case 'v': c->verbose++; break;
	case 'h': c->help = true; break;
	case OPT_COMPUTERS: c->kinds |= SPN_KINDS_COMPUTERS; break;
	case OPT_USERS: c->kinds |= SPN_KINDS_USERS; break;
	case OPT_EXPLAIN: c->explain = arg; break;
	case OPT_MAX_PW_AGE: rc = parse_uint("--max-password-age", arg, 100000, &c->max_password_age); break;
	case OPT_NOW: rc = parse_day(arg, &c->now); c->now_set = true; break;
	case 'H': rc = add_str(&c->uris, &c->nuris, arg); break;
	case 'd': c->live.domain = arg; break;
	case 'b': c->live.base = arg; break;
	case 'T':
		if (strcmp(arg, "*") != 0 && arg[0] != '\0')  /* setspn: "" or * = the current domain */
			rc = add_str(&c->targets, &c->ntargets, arg);
		break;
	case 'F': c->live.forest = true; break;
	case 'x': c->live.bind = SPN_BIND_SIMPLE; break;  /* --simple */
	case 'D': c->live.bind_dn = arg; c->live.bind = SPN_BIND_SIMPLE; break;
	case OPT_PASSWORD_FILE: c->password_file = arg; break;
	case 'Z': c->live.starttls = true; break;
	case OPT_CACERT: c->live.cacert = arg; break;
	case OPT_INSECURE_TLS: c->live.insecure_tls = true; break;
	case OPT_TIMEOUT: rc = parse_uint("--timeout", arg, 604800, &c->live.timeout); break;
	case OPT_ALLOW_CLEARTEXT: c->live.allow_cleartext = true; break;
	case OPT_CANON: c->live.canon = true; break;
	case OPT_PAGE_SIZE: rc = parse_uint("--page-size", arg, 1000000, &c->live.page_size); break;
	case OPT_RANGE_STEP: rc = parse_uint("--range-step", arg, 1000000, &c->live.range_step); break;
	case 'P': c->no_progress = true; break;
	case OPT_DRY_RUN: c->dry_run = true; break;
	case OPT_FORCE: c->force = true; break;
	case OPT_APPLY: c->apply = true; break;
	case OPT_YES: c->yes = true; break;
	case OPT_ONLY:
		if (!spn_check_find(arg))
			rc = msg_usage(NULL, "--only: unknown check '%s' (spnctl checks lists them)", arg);
		else
			rc = add_str(&c->only, &c->nonly, arg);
		break;
	case OPT_KEEP: rc = add_str(&c->keep, &c->nkeep, arg); break;
	case OPT_CHECK:
	case OPT_SKIP:
		if (!spn_check_find(arg))
			rc = msg_usage(NULL, "%s: unknown check '%s' (spnctl checks lists them)",
			               o->id == OPT_CHECK ? "--check" : "--skip", arg);
		else if (o->id == OPT_CHECK)
			rc = add_str(&c->checks, &c->nchecks, arg);
		else
			rc = add_str(&c->skips, &c->nskips, arg);
		break;
	case OPT_MIN_SEVERITY:
		c->min_severity = spn_severity_parse(arg);
		if (c->min_severity < 0 || c->min_severity > SPN_SEV_ERROR)
			rc = msg_usage(NULL, "--min-severity: unknown level '%s' (error, warning or info)", arg);
		break;
	case OPT_ACCEPT: rc = add_str(&c->accepts, &c->naccepts, arg); break;
	case OPT_WRITE_ACCEPT: c->write_accept = arg; break;
	case OPT_UNDO_FILE: c->undo_file = arg; break;
	case OPT_KEYTAB: c->keytab = arg; break;
	case OPT_VIA: c->via = arg; break;
	case OPT_ALL_DCS: c->all_dcs = true; break;
	case OPT_PROVENANCE: c->provenance = true; break;
	case OPT_WAIT: rc = parse_uint("--wait", arg, 86400, &c->wait); break;
	/* -L, -Q, -X (and -l, -q): setspn_compat.c turned every line with them
	 * into list, query or dups, but for those that stop before running
	 * (--version, a usage error), where they do nothing. */
	}
	return rc;
}

int spnctl_option_check(const struct spnctl_option *o, const char *value)
{
	struct spnctl scratch;
	spnctl_init(&scratch);
	int rc = apply(&scratch, o, value);
	spnctl_release(&scratch);
	return rc;
}

/* An option as the user spelled it, for messages. */
struct seen {
	const struct spnctl_option *o;
	bool long_form;
};

/* The line as read: operands, the options in order. */
struct line {
	char **operands;
	size_t nops;
	struct seen *seen;
	size_t nseen;
	int lower_x;      /* -x: applied after the others (see take()) */
	bool version;
};

static int unknown_option(const struct spnctl_token *t)
{
	char buf[64];
	const char *guess = NULL;
	if (t->letter)
		return msg_usage(NULL, "unknown option '-%c'", t->letter);
	if (strncmp(t->word, "--", 2) == 0)
		guess = spnctl_option_guess(t->word + 2, buf, sizeof(buf));
	if (guess)
		return msg_usage(NULL, "unknown option '%s' (did you mean '%s'?)", t->word, guess);
	return msg_usage(NULL, "unknown option '%s'", t->word);
}

/* The first operand is no command: say what it most likely was. */
static int unknown_command(const char *word)
{
	const char *guess = spnctl_command_guess(word);
	if (guess)
		return msg_usage(NULL, "unknown command '%s' (did you mean '%s'?)", word, guess);
	if (spnctl_names_file(word))
		return msg_usage(NULL, "unknown command '%s' (a snapshot is read with -f: spnctl audit "
		                 "-f %s)", word, word);
	return msg_usage(NULL, "unknown command '%s'", word);
}

/* One token of argv; returns -1 or an exit status. */
static int take(struct spnctl *c, struct line *l, const struct spnctl_token *t)
{
	char buf[64];
	switch (t->kind) {
	case TOK_END:
		return -1;
	case TOK_OPERAND:
		l->operands[l->nops++] = (char *)t->value;
		return -1;
	case TOK_UNKNOWN:
		return unknown_option(t);
	case TOK_NO_VALUE:
		if (t->o && t->o->id == 'w')
			return refuse_password(t->long_form ? "--password" : "-w");
		if (t->o)
			return msg_usage(NULL, "%s needs a value (%s)",
			                 spnctl_option_spelled(t->o, t->long_form, buf, sizeof(buf)), t->o->arg);
		return msg_usage(NULL, "'%s' needs a value", t->word);
	case TOK_OPTION:
		break;
	}
	if (!t->o)
		return msg_fail("BUG: an option without a table entry");
	if (t->o->id == 'w')
		return refuse_password(t->long_form ? "--password" : "-w");
	if (t->o->id == OPT_VERSION) {
		l->version = true;
		return -1;
	}
	if (t->o->id == 'x' && !t->long_form) {
		/* Last in the messages that name an option (it once waited to
		 * see whether it was setspn's -X), so they name the same one. */
		l->lower_x++;
		return -1;
	}
	l->seen[l->nseen++] = (struct seen){ t->o, t->long_form };
	return apply(c, t->o, t->value);
}

static int read_line(struct spnctl *c, int argc, char **argv, struct line *l)
{
	struct spnctl_scan s;
	struct spnctl_token t;
	int rc = -1;
	spnctl_scan_init(&s, argc, argv);
	do {
		spnctl_scan_next(&s, &t);
		rc = take(c, l, &t);
	} while (rc < 0 && t.kind != TOK_END);
	return rc;
}

/* The command word; returns -1 when c->cmd is set, or an exit status (the
 * version, help, or no or an unknown command). */
static int pick_command(struct spnctl *c, struct line *l)
{
	if (l->version) {
		printf("spnctl %s\n", SPNCTL_VERSION);
		return SPNCTL_EXIT_OK;
	}
	if (l->nops == 0) {
		if (!c->help)
			return msg_usage(NULL, "no command given");
		spnctl_help(stdout);
		return SPNCTL_EXIT_OK;
	}
	c->cmd = spnctl_command_find(l->operands[0]);
	if (!c->cmd)
		return unknown_command(l->operands[0]);
	c->args = l->operands + 1;
	c->nargs = (int)l->nops - 1;
	if (l->lower_x) {
		l->seen[l->nseen++] = (struct seen){ spnctl_option_by_id('x'), false };
		c->live.bind = SPN_BIND_SIMPLE;
	}
	if (c->help) {
		spnctl_command_help(stdout, c->cmd);
		return SPNCTL_EXIT_OK;
	}
	return -1;
}

/* Is this option allowed for the command? Returns -1 or an exit status. */
static int fits(const struct spnctl *c, const struct seen *s)
{
	char buf[64];
	const char *name = c->cmd->name;
	if (!s->o->applies || (s->o->applies & c->cmd->flags))
		return -1;
	return msg_usage(name, "%s does not apply to '%s'",
	                 spnctl_option_spelled(s->o, s->long_form, buf, sizeof(buf)), name);
}

/* The formats -o takes for a command, in words. */
static const char *formats_of(unsigned flags)
{
	if (flags & CMD_NO_CSV)
		return "text or json";
	if (flags & CMD_FORMAT_LDIF)
		return "text, json or ldif";
	if (flags & CMD_WRITES)
		return "text, json or setspn";
	if ((flags & CMD_FORMAT_SETSPN) && (flags & CMD_FINDINGS))
		return "text, json, csv, setspn or html";
	if (flags & CMD_FORMAT_SETSPN)
		return "text, json, csv or setspn";
	if (flags & CMD_FINDINGS)
		return "text, json, csv or html";
	return "text, json or csv";
}

/* -o of a command that prints results: the format. */
static int pick_format(struct spnctl *c)
{
	unsigned flags = c->cmd->flags;
	if (!c->output || !(flags & CMD_FORMAT) || (flags & CMD_OUTPUT_FILE))
		return -1;
	int f = spn_format_parse(c->output);
	bool ok = f == SPN_FORMAT_TEXT || f == SPN_FORMAT_JSON ||
	          (f == SPN_FORMAT_CSV && !(flags & (CMD_WRITES | CMD_NO_CSV))) ||
	          (f == SPN_FORMAT_SETSPN && (flags & CMD_FORMAT_SETSPN)) ||
	          (f == SPN_FORMAT_LDIF && (flags & CMD_FORMAT_LDIF)) ||
	          (f == SPN_FORMAT_HTML && (flags & CMD_FINDINGS));
	if (f < 0)
		return msg_usage(c->cmd->name, "-o: unknown format '%s' (%s)", c->output,
		                 formats_of(flags));
	if (f == SPN_FORMAT_SETSPN && !ok)
		return msg_usage(c->cmd->name, "-o: setspn's wording is for list, query, dups and the "
		                 "changes (add, rm, reset, undo) only");
	if (!ok)
		return msg_usage(c->cmd->name, "-o: '%s' is not a format of '%s' (%s)", c->output,
		                 c->cmd->name, formats_of(flags));
	c->report.format = (enum spn_format)f;
	return -1;
}

/* Every option fits the command; the first live-only one is remembered
 * (-f cannot go with it); -o's format. Returns -1 or an exit status. */
static int check_options(struct spnctl *c, const struct line *l)
{
	int rc;
	for (size_t i = 0; i < l->nseen; i++) {
		if ((rc = fits(c, &l->seen[i])) >= 0)
			return rc;
		if (l->seen[i].o->live_only && !c->live_option[0])
			spnctl_option_spelled(l->seen[i].o, l->seen[i].long_form, c->live_option,
			                      sizeof(c->live_option));
	}
	return pick_format(c);
}

/* How text is laid out for whoever reads it: the width from COLUMNS, or
 * from the terminal standard output is; 79 columns into pipes and files
 * (the longest line is one less than the columns, as a terminal wraps at
 * the last); colour only on a terminal, never with NO_COLOR or TERM=dumb. */
static void text_style(struct spnctl *c)
{
	const char *cols = getenv("COLUMNS"), *term = getenv("TERM"), *no = getenv("NO_COLOR");
	bool tty = isatty(STDOUT_FILENO);
	unsigned long n = 0;
	struct winsize ws;
	if (cols && *cols >= '1' && *cols <= '9')
		n = strtoul(cols, NULL, 10);
	else if (tty && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0)
		n = ws.ws_col;
	if (n)
		c->report.width = n < 21 ? 20 : n > 1000 ? 999 : (unsigned)n - 1;
	c->report.color = tty && !(no && *no) && !(term && strcmp(term, "dumb") == 0);
}

/* --insecure-tls: refused with --cacert (one says check, the other do
 * not), and said out loud on every run, as long as it is given. Returns -1
 * or an exit status. */
static int check_tls_options(const struct spnctl *c)
{
	if (!c->live.insecure_tls)
		return -1;
	if (c->live.cacert)
		return msg_usage(c->cmd->name, "--insecure-tls and --cacert contradict each other: "
		                 "--cacert checks certificates against FILE, --insecure-tls checks none");
	msg_note("warning: --insecure-tls: TLS certificates are not checked; anyone on the network "
	         "path can pose as the directory server, read and change what spnctl reads and "
	         "writes, and take the password of -D");
	return -1;
}

int spnctl_parse(struct spnctl *c, int argc, char **argv)
{
	struct line l = {0};
	int rc;
	l.operands = calloc((size_t)argc + 1, sizeof(*l.operands));
	l.seen = calloc((size_t)argc + 2, sizeof(*l.seen));
	if (!l.operands || !l.seen) {
		rc = msg_fail("out of memory");
		goto out;
	}
	if ((rc = read_line(c, argc, argv, &l)) >= 0 || (rc = pick_command(c, &l)) >= 0 ||
	    (rc = check_options(c, &l)) >= 0)
		goto out;
	c->live.uris = c->uris;
	c->live.nuris = c->nuris;
	c->live.targets = c->targets;
	c->live.ntargets = c->ntargets;
	c->report.forest = c->live.forest;
	c->report.now = c->now_set ? c->now : 0;
	c->report.ages = (c->cmd->flags & CMD_AUDIT) != 0;
	text_style(c);
	if (c->verbose)
		c->live.notes = stderr;
	if ((rc = check_tls_options(c)) >= 0)
		goto out;
	c->operands = l.operands;  /* c->args points into it; spnctl_release() frees it */
	l.operands = NULL;
out:
	free(l.seen);
	free(l.operands);
	return rc;
}
