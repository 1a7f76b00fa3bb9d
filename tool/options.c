/*
 * options.c - spnctl's options: one table (short and long name, value,
 * which commands an option applies to, help line) that feeds getopt_long,
 * the option lists of `--help`, and the check that an option fits its
 * command (opt.c); and the scanner that reads argv against it.
 *
 * Options may stand before or after the command word ("spnctl -f x.ldif
 * audit" = "spnctl audit -f x.ldif"): getopt_long runs in return-in-order
 * mode over the whole line.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "options.h"
#include "spnctl.h"
#include "suggest.h"

static const struct spnctl_option options[] = {
	{ 'f', "file", "FILE", CMD_NEEDS_MODEL, false, G_COMMON,
	  "LDIF snapshot to read (repeatable: one per domain)" },
	{ 'o', "output", "FORMAT", CMD_FORMAT | CMD_OUTPUT_FILE, false, G_COMMON,
	  "text (default), json or csv" },  /* + "setspn": see spnctl_options_help() */
	{ OPT_FAIL_ON, "fail-on", "LEVEL", CMD_FINDINGS, false, G_COMMON,
	  "exit 1 on findings of LEVEL or worse (warning)" },
	{ OPT_ALLOW_EMPTY, "allow-empty", NULL, CMD_WHOLE, false, G_COMMON,
	  "read an export without a DC or SPN (else exit 2)" },
	{ 'v', "verbose", NULL, 0, false, G_COMMON, "say more on standard error" },
	{ 'h', "help", NULL, 0, false, G_COMMON, "show help (also: spnctl COMMAND --help)" },
	{ OPT_VERSION, "version", NULL, 0, false, G_COMMON, "print the version" },

	{ OPT_COMPUTERS, "computers", NULL, CMD_ACCOUNTS | CMD_WRITES, false, G_LIST,
	  "only computer accounts (setspn -C)" },
	{ OPT_USERS, "users", NULL, CMD_ACCOUNTS | CMD_WRITES, false, G_LIST,
	  "only accounts that are not computers (setspn -U)" },

	{ OPT_CHECK, "check", "CODE", CMD_FINDINGS, false, G_FINDINGS,
	  "run only this check (repeatable)" },
	{ OPT_SKIP, "skip", "CODE", CMD_FINDINGS, false, G_FINDINGS,
	  "do not run this check (repeatable)" },
	{ OPT_MIN_SEVERITY, "min-severity", "LEVEL", CMD_FINDINGS, false, G_FINDINGS,
	  "report only findings of LEVEL or worse" },
	{ OPT_ACCEPT, "accept", "FILE", CMD_FINDINGS, false, G_FINDINGS,
	  "findings listed in FILE: shown apart, never failing" },
	{ OPT_WRITE_ACCEPT, "write-accept", "FILE", CMD_AUDIT, false, G_FINDINGS,
	  "write the finding ids to FILE, for --accept" },
	{ OPT_NOW, "now", "YYYY-MM-DD", CMD_FINDINGS, false, G_FINDINGS,
	  "password ages as of this day (default: the data's)" },

	{ OPT_APPLY, "apply", NULL, CMD_FIX, true, G_CHANGE,
	  "make the changes on the DC (asks before each)" },
	{ OPT_YES, "yes", NULL, CMD_ASKS, false, G_CHANGE, "do not ask (for scripts)" },
	{ OPT_DRY_RUN, "dry-run", NULL, CMD_WRITES, false, G_CHANGE,
	  "say what would be written; write nothing" },
	{ OPT_FORCE, "force", NULL, CMD_FORCE, false, G_CHANGE,
	  "write despite conflicts (setspn -A)" },
	{ OPT_ONLY, "only", "CODE", CMD_FIX, false, G_CHANGE,
	  "fix only findings of CODE (repeatable)" },
	{ OPT_KEEP, "keep", "ACCOUNT", CMD_FIX, false, G_CHANGE,
	  "this account keeps its SPNs (repeatable)" },
	{ OPT_UNDO_FILE, "undo-file", "FILE", CMD_WRITES, false, G_CHANGE,
	  "where the undo file goes (default: here)" },
	{ OPT_WAIT, "wait", "SECONDS", CMD_WRITES, true, G_CHANGE,
	  "then follow the change to every DC and KDC" },

	{ OPT_KEYTAB, "keytab", "FILE", CMD_KEYTAB, false, G_KERBEROS,
	  "open the tickets with FILE's keys, as the service" },
	{ OPT_VIA, "via", "ACCOUNT", CMD_VIA, false, G_KERBEROS,
	  "check delegation from this front-end account" },

	{ OPT_EXPLAIN, "explain", "CODE", CMD_AUDIT, false, G_AUDIT, "explain a check and exit" },
	{ OPT_MAX_PW_AGE, "max-password-age", "DAYS", CMD_AUDIT, false, G_AUDIT,
	  "kerberoastable: a password is old after DAYS (365)" },

	{ 'H', "uri", "URI", CMD_NEEDS_MODEL | CMD_CONNECTS, true, G_DIRECTORY,
	  "ldap[s]://host[:port] of a DC (repeatable)" },
	{ 'd', "domain", "DOMAIN", CMD_NEEDS_MODEL | CMD_CONNECTS, true, G_DIRECTORY,
	  "find DOMAIN's DCs by DNS SRV records" },
	{ 'b', "base", "DN", CMD_NEEDS_MODEL | CMD_CONNECTS, true, G_DIRECTORY,
	  "search base (default: default naming context)" },
	{ 'T', "target", "DOMAIN", CMD_NEEDS_MODEL | CMD_CONNECTS, false, G_DIRECTORY,
	  "only this domain (repeatable; setspn -T)" },
	{ 'F', "forest", NULL, CMD_NEEDS_MODEL | CMD_CONNECTS, false, G_DIRECTORY,
	  "whole forest via the Global Catalog (setspn -F)" },
	{ 'x', "simple", NULL, CMD_NEEDS_MODEL | CMD_CONNECTS, true, G_DIRECTORY,
	  "simple bind; anonymous without -D" },
	{ 'D', "bind-dn", "DN", CMD_NEEDS_MODEL | CMD_CONNECTS, true, G_DIRECTORY,
	  "simple bind as DN or user@domain" },
	{ OPT_PASSWORD_FILE, "password-file", "FILE", CMD_NEEDS_MODEL | CMD_CONNECTS, true, G_DIRECTORY,
	  "-D's password: the first line of FILE" },
	{ 'Z', "starttls", NULL, CMD_NEEDS_MODEL | CMD_CONNECTS, true, G_DIRECTORY,
	  "StartTLS on ldap://" },
	{ OPT_CACERT, "cacert", "FILE", CMD_NEEDS_MODEL | CMD_CONNECTS, true, G_DIRECTORY,
	  "trust these CA certificates (still verified)" },
	{ OPT_INSECURE_TLS, "insecure-tls", NULL, CMD_NEEDS_MODEL | CMD_CONNECTS, true, G_DIRECTORY,
	  "accept any TLS certificate (unsafe: see spnctl(1))" },
	{ OPT_ALLOW_CLEARTEXT, "allow-cleartext-password", NULL, CMD_NEEDS_MODEL | CMD_CONNECTS, true, G_DIRECTORY,
	  "allow -D's password without TLS" },
	{ OPT_CANON, "canon", NULL, CMD_NEEDS_MODEL | CMD_CONNECTS, true, G_DIRECTORY,
	  "reverse-DNS canonicalise the host for Kerberos" },
	{ OPT_PAGE_SIZE, "page-size", "N", CMD_NEEDS_MODEL | CMD_CONNECTS, true, G_DIRECTORY,
	  "paged results page size (default 1000)" },
	{ OPT_TIMEOUT, "timeout", "SECONDS", CMD_NEEDS_MODEL | CMD_CONNECTS, true, G_DIRECTORY,
	  "give up on the directory after SECONDS (1800)" },
	{ OPT_RANGE_STEP, "range-step", "N", CMD_NEEDS_MODEL | CMD_CONNECTS, true, G_HIDDEN,
	  "ask for N values of a ranged attribute at a time (tests)" },
	{ 'P', "no-progress", NULL, CMD_NEEDS_MODEL | CMD_CONNECTS, false, G_DIRECTORY,
	  "no progress line (setspn -P)" },
	{ OPT_ALL_DCS, "all-dcs", NULL, CMD_FINDINGS | CMD_OUTPUT_FILE, true, G_DIRECTORY,
	  "read every writable DC; say which DCs show what" },
	{ OPT_PROVENANCE, "provenance", NULL, CMD_FINDINGS | CMD_OUTPUT_FILE, true, G_DIRECTORY,
	  "when and on which DC each SPN list last changed" },
	{ 'w', "password", "PASSWORD", 0, false, G_HIDDEN, NULL },

	/* setspn's flags: setspn_compat.c rewrites a line with them into list,
	 * query or dups with -o setspn before the parser reads it. */
	{ 'L', NULL, "ACCOUNT", 0, false, G_SETSPN, "the SPNs of ACCOUNT, in setspn's words" },
	{ 'l', NULL, "ACCOUNT", 0, false, G_HIDDEN, NULL },
	{ 'Q', NULL, "SPN", 0, false, G_SETSPN, "who holds SPN ('*' wildcards), in setspn's words" },
	{ 'q', NULL, "SPN", 0, false, G_HIDDEN, NULL },
	{ 'X', NULL, NULL, 0, false, G_SETSPN, "duplicate SPNs, in setspn's words" },
	{ 'S', NULL, "SPN", 0, false, G_SETSPN, "add SPN to an account after the checks (add)" },
	{ 'A', NULL, "SPN", 0, false, G_SETSPN, "add SPN despite conflicts (add --force)" },
	{ 'R', NULL, "ACCOUNT", 0, false, G_SETSPN, "put back a computer's HOST SPNs (reset)" },
};
#define NOPTIONS (sizeof(options) / sizeof(options[0]))
_Static_assert(NOPTIONS <= SPNCTL_MAX_OPTIONS, "raise SPNCTL_MAX_OPTIONS");

const struct spnctl_option *spnctl_option_by_id(int id)
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

const char *spnctl_option_spelled(const struct spnctl_option *o, bool long_form, char *buf,
                                  size_t cap)
{
	if (long_form || o->id >= 256)
		snprintf(buf, cap, "--%s", o->longname);
	else
		snprintf(buf, cap, "-%c", o->id);
	return buf;
}

/* One option's help line(s). */
static void option_help(FILE *out, const struct spnctl_option *o, unsigned flags)
{
	const char *arg = o->arg, *help = o->help;
	char left[64];
	if (o->id == 'o' && (flags & CMD_OUTPUT_FILE)) {
		arg = "FILE";
		help = "write the snapshot to FILE";
	} else if (o->id == 'o' && (flags & CMD_NO_CSV)) {
		help = "text (default) or json";
	} else if (o->id == 'o' && (flags & CMD_FORMAT_LDIF)) {
		help = "text (default), json or ldif (for ldapmodify)";
	} else if (o->id == 'o' && (flags & CMD_WRITES)) {
		help = "text (default), json or setspn";
	} else if (o->id == 'o' && (!flags || (flags & CMD_FORMAT_SETSPN))) {
		help = flags & CMD_FINDINGS || !flags ? "text (default), json, csv, setspn or html"
		                                      : "text (default), json, csv or setspn";
	} else if (o->id == 'o' && (flags & CMD_FINDINGS)) {
		help = "text (default), json, csv or html";
	}
	if (o->id < 256 && o->longname)
		snprintf(left, sizeof(left), "-%c, --%s%s%s", o->id, o->longname,
		         arg ? " " : "", arg ? arg : "");
	else if (o->id < 256)
		snprintf(left, sizeof(left), "-%c%s%s", o->id, arg ? " " : "", arg ? arg : "");
	else
		snprintf(left, sizeof(left), "    --%s%s%s", o->longname, arg ? " " : "", arg ? arg : "");
	if (strlen(left) > 24)
		fprintf(out, "  %s\n  %-24s  %s\n", left, "", help);
	else
		fprintf(out, "  %-24s  %s\n", left, help);
}

void spnctl_options_help(FILE *out, unsigned flags)
{
	static const char *const heading[] = {
		[G_COMMON] = "Options",
		[G_LIST] = "List options",
		[G_FINDINGS] = "Findings",
		[G_AUDIT] = "Audit options",
		[G_KERBEROS] = "Kerberos (the KDC of your ticket cache; kinit first)",
		[G_CHANGE] = "Changes",
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
			option_help(out, o, flags);
		}
		if (g == G_SETSPN && any)  /* -D is --bind-dn too: setspn's delete has no table entry */
			fprintf(out, "  %-24s  %s\n", "-D SPN ACCOUNT", "remove SPN from ACCOUNT (rm)");
	}
}

void spnctl_scan_init(struct spnctl_scan *s, int argc, char **argv)
{
	size_t nl = 0, ns = 0;
	s->argc = argc;
	s->argv = argv;
	s->rest = false;
	s->shortopts[ns++] = '-';  /* operands come back in order, as option 1 */
	s->shortopts[ns++] = ':';  /* a missing value is ':' (not '?') */
	for (size_t i = 0; i < NOPTIONS; i++) {
		const struct spnctl_option *o = &options[i];
		if (o->longname)
			s->longopts[nl++] = (struct option){ o->longname,
			                                     o->arg ? required_argument : no_argument,
			                                     NULL, o->id };
		if (o->id < 256) {
			s->shortopts[ns++] = (char)o->id;
			if (o->arg)
				s->shortopts[ns++] = ':';
		}
	}
	s->shortopts[ns] = '\0';
	s->longopts[nl] = (struct option){ NULL, 0, NULL, 0 };
	opterr = 0;
	optind = 0;  /* 0, not 1: getopt forgets a previous scan (glibc, musl) */
}

void spnctl_scan_next(struct spnctl_scan *s, struct spnctl_token *t)
{
	int longindex = -1, id = -1;
	memset(t, 0, sizeof(*t));
	if (!s->rest)
		id = getopt_long(s->argc, s->argv, s->shortopts, s->longopts, &longindex);
	if (id == -1) {  /* the end, or "--": the rest are operands */
		s->rest = true;
		if (optind < s->argc) {
			t->kind = TOK_OPERAND;
			t->value = s->argv[optind++];
		}
		return;
	}
	if (id == 1) {
		t->kind = TOK_OPERAND;
		t->value = optarg;
		return;
	}
	t->word = s->argv[optind - 1];
	if (id == '?') {
		t->kind = TOK_UNKNOWN;
		t->letter = optopt && optopt < 256 ? optopt : 0;
		return;
	}
	if (id == ':') {
		t->kind = TOK_NO_VALUE;
		t->o = spnctl_option_by_id(optopt);
		t->long_form = strncmp(t->word, "--", 2) == 0;
		return;
	}
	t->kind = TOK_OPTION;
	t->o = spnctl_option_by_id(id);
	t->long_form = longindex >= 0;
	t->value = t->o && t->o->arg ? optarg : NULL;
}

/* ---- "did you mean" for an unknown long option ---- */

/* Words users bring from other tools, and what spnctl calls them. */
static const struct { const char *word, *means; } option_aliases[] = {
	{ "format", "--output" }, { "json", "-o json" }, { "csv", "-o csv" }, { "html", "-o html" },
	{ "host", "--uri" }, { "server", "--uri" }, { "url", "--uri" }, { "dc", "--uri" },
	{ "user", "--bind-dn" }, { "binddn", "--bind-dn" }, { "realm", "--domain" },
	{ "ldif", "--file" }, { "input", "--file" }, { "output-file", "--output" },
};

const char *spnctl_option_guess(const char *word, char *buf, size_t cap)
{
	const char *names[NOPTIONS];
	char name[64];
	size_t len = strcspn(word, "=");
	snprintf(name, sizeof(name), "%.*s", (int)(len < 63 ? len : 63), word);
	for (size_t i = 0; i < sizeof(option_aliases) / sizeof(option_aliases[0]); i++)
		if (strcasecmp(name, option_aliases[i].word) == 0)
			return option_aliases[i].means;
	for (size_t i = 0; i < NOPTIONS; i++)
		names[i] = options[i].help && options[i].group != G_HIDDEN ? options[i].longname : NULL;
	const char *near = spnctl_nearest(name, names, NOPTIONS);
	if (!near)
		return NULL;
	snprintf(buf, cap, "--%s", near);
	return buf;
}
