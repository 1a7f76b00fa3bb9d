/*
 * opt.c - spnctl's options: one table (short and long name, value, which
 * commands an option applies to, help line) that feeds getopt_long, the
 * option lists of `--help`, and the check that an option fits its command.
 *
 * Options may stand before or after the command word ("spnctl -f x.ldif
 * audit" = "spnctl audit -f x.ldif"): getopt_long runs in return-in-order
 * mode over the whole line and the first operand is the command word.
 * A line without a command word is read as setspn reads its own: -L, -Q and
 * -X in either case (so a lone -x there is setspn's -X; simple bind is then
 * spelled --simple).
 *
 * Passwords are never taken from the command line: -w/--password is
 * recognised only to refuse it and say why.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exit.h"
#include "msg.h"
#include "spnctl.h"
#include "version.h"


enum {
	OPT_FAIL_ON = 256,
	OPT_VERSION,
	OPT_EXPLAIN,
	OPT_MAX_PW_AGE,
	OPT_NOW,
	OPT_PASSWORD_FILE,
	OPT_CACERT,
	OPT_ALLOW_CLEARTEXT,
	OPT_CANON,
	OPT_PAGE_SIZE,
	OPT_RANGE_STEP,
	OPT_SETSPN_COMPUTER,
	OPT_SETSPN_USER,
};

enum opt_group { G_COMMON, G_AUDIT, G_DIRECTORY, G_SETSPN, G_HIDDEN };

struct spnctl_option {
	int id;                /* the short option character, or OPT_* */
	const char *longname;  /* NULL: short only */
	const char *arg;       /* name of the value; NULL: takes none */
	unsigned applies;      /* command flags it needs (any of); 0: every command */
	bool live_only;        /* reads a live directory: not with -f */
	enum opt_group group;
	const char *help;
};

static const struct spnctl_option options[] = {
	{ 'f', "file", "FILE", CMD_NEEDS_MODEL, false, G_COMMON,
	  "LDIF snapshot to read (repeatable: one per domain)" },
	{ 'o', "output", "FORMAT", CMD_FORMAT | CMD_OUTPUT_FILE, false, G_COMMON,
	  "text (default), json or csv" },
	{ OPT_FAIL_ON, "fail-on", "LEVEL", CMD_FINDINGS, false, G_COMMON,
	  "exit 1 on findings of LEVEL or worse (warning)" },
	{ 'v', "verbose", NULL, 0, false, G_COMMON, "say more on standard error" },
	{ 'h', "help", NULL, 0, false, G_COMMON, "show help (also: spnctl COMMAND --help)" },
	{ OPT_VERSION, "version", NULL, 0, false, G_COMMON, "print the version" },

	{ OPT_EXPLAIN, "explain", "CODE", CMD_AUDIT, false, G_AUDIT, "explain a check and exit" },
	{ OPT_MAX_PW_AGE, "max-password-age", "DAYS", CMD_AUDIT, false, G_AUDIT,
	  "kerberoastable: a password is old after DAYS (365)" },
	{ OPT_NOW, "now", "YYYY-MM-DD", CMD_AUDIT, false, G_HIDDEN, "audit as of this day (tests)" },

	{ 'H', "uri", "URI", CMD_NEEDS_MODEL, true, G_DIRECTORY,
	  "ldap[s]://host[:port] of a DC (repeatable)" },
	{ 'd', "domain", "DOMAIN", CMD_NEEDS_MODEL, true, G_DIRECTORY,
	  "find DOMAIN's DCs by DNS SRV records" },
	{ 'b', "base", "DN", CMD_NEEDS_MODEL, true, G_DIRECTORY,
	  "search base (default: default naming context)" },
	{ 'T', "target", "DOMAIN", CMD_NEEDS_MODEL, false, G_DIRECTORY,
	  "only this domain (repeatable; setspn -T)" },
	{ 'F', "forest", NULL, CMD_NEEDS_MODEL, false, G_DIRECTORY,
	  "whole forest via the Global Catalog (setspn -F)" },
	{ 'x', "simple", NULL, CMD_NEEDS_MODEL, true, G_DIRECTORY,
	  "simple bind; anonymous without -D" },
	{ 'D', "bind-dn", "DN", CMD_NEEDS_MODEL, true, G_DIRECTORY,
	  "simple bind as DN or user@domain" },
	{ OPT_PASSWORD_FILE, "password-file", "FILE", CMD_NEEDS_MODEL, true, G_DIRECTORY,
	  "-D's password: the first line of FILE" },
	{ 'Z', "starttls", NULL, CMD_NEEDS_MODEL, true, G_DIRECTORY,
	  "StartTLS on ldap://" },
	{ OPT_CACERT, "cacert", "FILE", CMD_NEEDS_MODEL, true, G_DIRECTORY,
	  "trust these CA certificates (still verified)" },
	{ OPT_ALLOW_CLEARTEXT, "allow-cleartext-password", NULL, CMD_NEEDS_MODEL, true, G_DIRECTORY,
	  "allow -D's password without TLS" },
	{ OPT_CANON, "canon", NULL, CMD_NEEDS_MODEL, true, G_DIRECTORY,
	  "reverse-DNS canonicalise the host for Kerberos" },
	{ OPT_PAGE_SIZE, "page-size", "N", CMD_NEEDS_MODEL, true, G_DIRECTORY,
	  "paged results page size (default 1000)" },
	{ OPT_RANGE_STEP, "range-step", "N", CMD_NEEDS_MODEL, true, G_HIDDEN,
	  "ask for N values of a ranged attribute at a time (tests)" },
	{ 'P', "no-progress", NULL, CMD_NEEDS_MODEL, false, G_DIRECTORY,
	  "no progress line (setspn -P)" },
	{ 'w', "password", "PASSWORD", 0, false, G_HIDDEN, NULL },

	{ 'L', NULL, "ACCOUNT", 0, false, G_SETSPN, "the SPNs of ACCOUNT, in setspn's words" },
	{ 'l', NULL, "ACCOUNT", 0, false, G_HIDDEN, NULL },
	{ 'Q', NULL, "SPN", 0, false, G_SETSPN, "who holds SPN ('*' wildcards), in setspn's words" },
	{ 'q', NULL, "SPN", 0, false, G_HIDDEN, NULL },
	{ 'X', NULL, NULL, 0, false, G_SETSPN, "duplicate SPNs, in setspn's words" },
	{ OPT_SETSPN_COMPUTER, "setspn-computer", NULL, CMD_SETSPN, false, G_HIDDEN, NULL },
	{ OPT_SETSPN_USER, "setspn-user", NULL, CMD_SETSPN, false, G_HIDDEN, NULL },
};
#define NOPTIONS (sizeof(options) / sizeof(options[0]))

/* An option as the user spelled it, for messages. */
struct seen {
	const struct spnctl_option *o;
	bool long_form;
};

static const struct spnctl_option *option_by_id(int id)
{
	for (size_t i = 0; i < NOPTIONS; i++)
		if (options[i].id == id)
			return &options[i];
	return NULL;
}

int spnctl_long_option_arg(const char *name)
{
	for (size_t i = 0; i < NOPTIONS; i++)
		if (options[i].longname && strcmp(options[i].longname, name) == 0)
			return options[i].arg != NULL;
	return -1;
}

static const char *spelled(const struct spnctl_option *o, bool long_form, char *buf, size_t cap)
{
	if (long_form || o->id >= 256)
		snprintf(buf, cap, "--%s", o->longname);
	else
		snprintf(buf, cap, "-%c", o->id);
	return buf;
}

void spnctl_options_help(FILE *out, unsigned flags)
{
	static const char *const heading[] = {
		[G_COMMON] = "Options",
		[G_AUDIT] = "Audit options",
		[G_DIRECTORY] = ("Live directory (default: ldap.conf and the Kerberos ticket;\n"
		                 "a -D password from --password-file, SPNCTL_PASSWORD or a prompt)"),
		[G_SETSPN] = "setspn's flags (without a command word; also as 'setspn')",
	};
	for (int g = G_COMMON; g <= G_SETSPN; g++) {
		bool any = false;
		for (size_t i = 0; i < NOPTIONS; i++) {
			const struct spnctl_option *o = &options[i];
			if ((int)o->group != g || !o->help)
				continue;
			if (flags && o->applies && !(o->applies & flags))
				continue;
			if (flags && g == G_SETSPN)
				continue;
			if (!any)
				fprintf(out, "\n%s:\n", heading[g]);
			any = true;
			const char *arg = o->arg, *help = o->help;
			if (o->id == 'o' && (flags & CMD_OUTPUT_FILE)) {
				arg = "FILE";
				help = "write the snapshot to FILE";
			}
			char left[64];
			if (o->id < 256 && o->longname)
				snprintf(left, sizeof(left), "-%c, --%s%s%s", o->id, o->longname,
				         arg ? " " : "", arg ? arg : "");
			else if (o->id < 256)
				snprintf(left, sizeof(left), "-%c%s%s", o->id, arg ? " " : "", arg ? arg : "");
			else
				snprintf(left, sizeof(left), "    --%s%s%s", o->longname,
				         arg ? " " : "", arg ? arg : "");
			if (strlen(left) > 24)
				fprintf(out, "  %s\n  %-24s  %s\n", left, "", help);
			else
				fprintf(out, "  %-24s  %s\n", left, help);
		}
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

/* Days from 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm). */
static long long days_from_civil(long long y, unsigned m, unsigned d)
{
	y -= m <= 2;
	long long era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m + (m > 2 ? (unsigned)-3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (long long)doe - 719468;
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
	long long days = days_from_civil(y, m, d) - days_from_civil(1601, 1, 1);
	*filetime = (int64_t)days * 86400LL * 10000000LL;
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
static int apply(struct spnctl *c, const struct spnctl_option *o, const char *arg,
                 enum spnctl_setspn_mode *mode)
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
	case 'v': c->verbose++; break;
	case 'h': c->help = true; break;
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
	case OPT_ALLOW_CLEARTEXT: c->live.allow_cleartext = true; break;
	case OPT_CANON: c->live.canon = true; break;
	case OPT_PAGE_SIZE: rc = parse_uint("--page-size", arg, 1000000, &c->live.page_size); break;
	case OPT_RANGE_STEP: rc = parse_uint("--range-step", arg, 1000000, &c->live.range_step); break;
	case 'P': c->no_progress = true; break;
	case 'L': case 'l': case 'Q': case 'q': case 'X': {
		enum spnctl_setspn_mode m = (o->id == 'L' || o->id == 'l') ? SETSPN_LIST :
		                            (o->id == 'Q' || o->id == 'q') ? SETSPN_QUERY : SETSPN_DUPS;
		if (*mode && *mode != m)
			return msg_usage(NULL, "-L, -Q and -X cannot be combined");
		*mode = m;
		if (arg) {
			char **p = realloc(c->setspn_args, (c->nsetspn_args + 1) * sizeof(*p));
			if (!p)
				return msg_fail("out of memory");
			c->setspn_args = p;
			p[c->nsetspn_args++] = (char *)arg;
		}
		break;
	}
	case OPT_SETSPN_COMPUTER: c->setspn_kinds |= 1; break;
	case OPT_SETSPN_USER: c->setspn_kinds |= 2; break;
	}
	return rc;
}

/* Is this option allowed for the command? Returns -1 or an exit status. */
static int fits(const struct spnctl *c, const struct seen *s)
{
	char buf[64];
	const struct spnctl_option *o = s->o;
	const char *name = c->cmd->name;
	if (!o->applies || (o->applies & c->cmd->flags))
		return -1;
	if (c->cmd->flags & CMD_SETSPN)
		return msg_usage(NULL, "%s does not apply to setspn's %s", spelled(o, s->long_form, buf, sizeof(buf)), name);
	return msg_usage(name, "%s does not apply to '%s'", spelled(o, s->long_form, buf, sizeof(buf)), name);
}

int spnctl_parse(struct spnctl *c, int argc, char **argv)
{
	struct option longopts[NOPTIONS + 1];
	char shortopts[3 * NOPTIONS + 3];
	size_t nl = 0, ns = 0;
	struct seen *seen = NULL;
	size_t nseen = 0;
	enum spnctl_setspn_mode mode = SETSPN_NONE;
	int lower_x = 0, version = 0, rc = -1;
	char **operands = calloc((size_t)argc + 1, sizeof(*operands));
	size_t nops = 0;

	seen = calloc((size_t)argc + 2, sizeof(*seen));
	if (!operands || !seen) {
		rc = msg_fail("out of memory");
		goto cleanup;
	}
	shortopts[ns++] = '-';  /* operands come back in order, as option 1 */
	shortopts[ns++] = ':';  /* a missing value is ':' (not '?') */
	for (size_t i = 0; i < NOPTIONS; i++) {
		const struct spnctl_option *o = &options[i];
		if (o->longname)
			longopts[nl++] = (struct option){ o->longname, o->arg ? required_argument : no_argument,
			                                  NULL, o->id };
		if (o->id < 256) {
			shortopts[ns++] = (char)o->id;
			if (o->arg)
				shortopts[ns++] = ':';
		}
	}
	shortopts[ns] = '\0';
	longopts[nl] = (struct option){ NULL, 0, NULL, 0 };

	opterr = 0;
	optind = 1;
	for (;;) {
		int longindex = -1;
		int id = getopt_long(argc, argv, shortopts, longopts, &longindex);
		if (id == -1)
			break;
		if (id == 1) {
			operands[nops++] = optarg;
			continue;
		}
		if (id == '?') {
			if (optopt && optopt < 256)
				rc = msg_usage(NULL, "unknown option '-%c'", optopt);
			else
				rc = msg_usage(NULL, "unknown option '%s'", argv[optind - 1]);
			goto cleanup;
		}
		if (id == ':') {
			const struct spnctl_option *o = option_by_id(optopt);
			char buf[64];
			bool long_form = strncmp(argv[optind - 1], "--", 2) == 0;
			if (o && o->id == 'w') {
				rc = refuse_password(long_form ? "--password" : "-w");
				goto cleanup;
			}
			if (o)
				rc = msg_usage(NULL, "%s needs a value (%s)",
				               spelled(o, long_form, buf, sizeof(buf)), o->arg);
			else
				rc = msg_usage(NULL, "'%s' needs a value", argv[optind - 1]);
			goto cleanup;
		}
		if (id == 'w') {
			rc = refuse_password(longindex >= 0 ? "--password" : "-w");
			goto cleanup;
		}
		if (id == OPT_VERSION) {
			version = 1;
			continue;
		}
		const struct spnctl_option *o = option_by_id(id);
		if (!o) {
			rc = msg_fail("BUG: option %d has no table entry", id);
			goto cleanup;
		}
		if (id == 'x' && longindex < 0) {
			lower_x++;  /* -x: simple bind, or setspn's -X on a line without a command */
			continue;
		}
		seen[nseen++] = (struct seen){ o, longindex >= 0 };
		rc = apply(c, o, optarg, &mode);
		if (rc >= 0)
			goto cleanup;
	}
	for (; optind < argc; optind++)  /* after "--" */
		operands[nops++] = argv[optind];

	if (version) {
		printf("spnctl %s\n", SPNCTL_VERSION);
		rc = SPNCTL_EXIT_OK;
		goto cleanup;
	}

	/* The command word, or a setspn-style line. */
	const struct spnctl_command *cmd = nops ? spnctl_command_find(operands[0]) : NULL;
	if (!cmd && !mode && lower_x && nops == 0)
		mode = SETSPN_DUPS;  /* setspn's -x */
	if (mode) {
		if (cmd) {
			rc = msg_usage(NULL, "-L, -Q and -X cannot be combined with the command '%s'", cmd->name);
			goto cleanup;
		}
		if (nops) {
			rc = msg_usage(NULL, "unexpected argument '%s'", operands[0]);
			goto cleanup;
		}
		if (lower_x && mode != SETSPN_DUPS) {
			rc = msg_usage(NULL, "-x is setspn's -X on a line without a command word; "
			                     "simple bind is --simple there");
			goto cleanup;
		}
		lower_x = 0;
		c->setspn = mode;
		c->cmd = setspn_command(mode);
	} else if (nops == 0) {
		if (c->help) {
			spnctl_help(stdout);
			rc = SPNCTL_EXIT_OK;
		} else {
			rc = msg_usage(NULL, "no command given");
		}
		goto cleanup;
	} else if (!cmd) {
		rc = msg_usage(NULL, "unknown command '%s'", operands[0]);
		goto cleanup;
	} else {
		c->cmd = cmd;
		c->args = operands + 1;
		c->nargs = (int)nops - 1;
	}
	if (lower_x) {
		const struct spnctl_option *o = option_by_id('x');
		seen[nseen++] = (struct seen){ o, false };
		c->live.bind = SPN_BIND_SIMPLE;
	}
	if (c->help) {
		spnctl_command_help(stdout, c->cmd);
		rc = SPNCTL_EXIT_OK;
		goto cleanup;
	}

	for (size_t i = 0; i < nseen; i++) {
		if ((rc = fits(c, &seen[i])) >= 0)
			goto cleanup;
		if (seen[i].o->live_only && !c->live_option[0])
			spelled(seen[i].o, seen[i].long_form, c->live_option, sizeof(c->live_option));
	}
	if (c->output && (c->cmd->flags & CMD_FORMAT) && !(c->cmd->flags & CMD_OUTPUT_FILE)) {
		int f = spn_format_parse(c->output);
		if (f < 0) {
			rc = msg_usage(c->cmd->name, "-o: unknown format '%s' (text, json or csv)", c->output);
			goto cleanup;
		}
		c->report.format = (enum spn_format)f;
	}
	c->live.uris = c->uris;
	c->live.nuris = c->nuris;
	c->live.targets = c->targets;
	c->live.ntargets = c->ntargets;
	c->operands = operands;  /* c->args points into it; spnctl_release() frees it */
	operands = NULL;
	rc = -1;
cleanup:
	free(seen);
	free(operands);
	return rc;
}
