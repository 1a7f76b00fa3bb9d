/*
 * commands.c - the one command table, and what it feeds: the command a
 * word names (opt.c), `spnctl --help` and `spnctl COMMAND --help`.
 *
 * How to add a command (tests/docs/ fails until every step is done):
 *  1. tool/cmd_<word>.c with "int cmd_<word>(struct spnctl *c)", declared
 *     in spnctl.h and listed in tool/meson.build; parse nothing there
 *     (opt.c did), call libspn, print through lib/report/.
 *  2. An entry below: name, handler, flags (what options apply, whether a
 *     model is loaded and how), the usage line, a one-line summary.
 *  3. doc/spnctl.1: the usage line in SYNOPSIS (the same words as below)
 *     and a subsection ".Ss <word>" under COMMANDS.
 *  4. README.md: the command in the quick tour.
 *  5. tests/cases/NNNN-<word>-*: golden output for text, json and csv.
 */
#include <stdio.h>
#include <string.h>

#include "options.h"
#include "spnctl.h"
#include "suggest.h"

static const struct spnctl_command commands[] = {
	{ "list", cmd_list,
	  CMD_NEEDS_MODEL | CMD_KEEP_ALL | CMD_FORMAT | CMD_FORMAT_SETSPN | CMD_ACCOUNTS,
	  "spnctl list [options] account ...",
	  "list the SPNs of accounts (setspn -L)" },
	{ "query", cmd_query, CMD_NEEDS_MODEL | CMD_FORMAT | CMD_FORMAT_SETSPN | CMD_PATTERNS,
	  "spnctl query [options] pattern ...",
	  "who holds the SPNs matching patterns with '*' (setspn -Q)" },
	{ "dups", cmd_dups, CMD_NEEDS_MODEL | CMD_FORMAT | CMD_FORMAT_SETSPN | CMD_FINDINGS,
	  "spnctl dups [options]",
	  "duplicate and look-alike SPNs, HOST alias conflicts" },
	{ "audit", cmd_audit, CMD_NEEDS_MODEL | CMD_FORMAT | CMD_FINDINGS | CMD_AUDIT,
	  "spnctl audit [options]",
	  "run every check; findings with what breaks and the fix" },
	{ "resolve", cmd_resolve, CMD_NEEDS_MODEL | CMD_FORMAT,
	  "spnctl resolve [options] spn ...",
	  "which account a KDC would issue the ticket under, step by step" },
	{ "probe", cmd_probe, CMD_NEEDS_MODEL | CMD_FORMAT | CMD_NO_CSV | CMD_KEYTAB,
	  "spnctl probe [options] spn ...",
	  "ask the real KDC for each SPN and explain its answer" },
	{ "doctor", cmd_doctor, CMD_NEEDS_MODEL | CMD_FORMAT | CMD_NO_CSV | CMD_KEYTAB | CMD_VIA,
	  "spnctl doctor [options] target",
	  "why Kerberos to a service fails, on one screen" },
	{ "checks", cmd_checks, CMD_FORMAT,
	  "spnctl checks [options] [code ...]",
	  "the checks: code, severity, what each looks for" },
	{ "snapshot", cmd_snapshot, CMD_NEEDS_MODEL | CMD_OUTPUT_FILE,
	  "spnctl snapshot [options] -o file",
	  "save what the audit reads from a live directory as LDIF" },
	{ "diff", cmd_diff, CMD_FORMAT,
	  "spnctl diff [options] old.ldif new.ldif",
	  "SPNs added, removed and moved between two snapshots" },
	{ "add", cmd_add,
	  CMD_CONNECTS | CMD_WRITES | CMD_FORCE | CMD_FORMAT | CMD_FORMAT_SETSPN,
	  "spnctl add [options] spn account",
	  "add an SPN after the DC's checks (setspn -S)" },
	{ "rm", cmd_rm, CMD_CONNECTS | CMD_WRITES | CMD_FORMAT | CMD_FORMAT_SETSPN,
	  "spnctl rm [options] spn account",
	  "remove one SPN from an account (setspn -D)" },
	{ "reset", cmd_reset, CMD_CONNECTS | CMD_WRITES | CMD_FORMAT | CMD_FORMAT_SETSPN,
	  "spnctl reset [options] computer",
	  "put back a computer's HOST/ SPNs (setspn -R)" },
	{ "fix", cmd_fix,
	  CMD_NEEDS_MODEL | CMD_CONNECTS | CMD_WRITES | CMD_ASKS | CMD_FIX | CMD_FORMAT |
	  CMD_FORMAT_LDIF,
	  "spnctl fix [options]",
	  "the changes that fix the findings; --apply makes them" },
	{ "undo", cmd_undo, CMD_CONNECTS | CMD_WRITES | CMD_ASKS | CMD_FORMAT | CMD_FORMAT_SETSPN,
	  "spnctl undo [options] file",
	  "put back what a change did, from its undo file" },
};
#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

const struct spnctl_command *spnctl_command_find(const char *name)
{
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

const char *spnctl_command_guess(const char *word)
{
	const char *names[NCOMMANDS];
	for (size_t i = 0; i < NCOMMANDS; i++)
		names[i] = commands[i].name;
	return spnctl_nearest(word, names, NCOMMANDS);
}

void spnctl_help(FILE *out)
{
	fputs("usage: spnctl [options] command [argument ...]\n"
	      "       spnctl [options] -L account | -Q spn | -X\n"
	      "\n"
	      "Find, explain and fix Service Principal Name problems in Active Directory,\n"
	      "from an LDIF snapshot (-f FILE) or a live directory over LDAP.\n"
	      "\n"
	      "Commands:\n", out);
	for (size_t i = 0; i < NCOMMANDS; i++)
		fprintf(out, "  %-10s  %s\n", commands[i].name, commands[i].summary);
	spnctl_options_help(out, 0);
	fputs("\nExit status: 0 complete and nothing at or above --fail-on, 1 findings,\n"
	      "2 could not complete (usage, bad input, connection, incomplete data).\n"
	      "Run 'spnctl COMMAND --help' for one command; see spnctl(1).\n", out);
}

void spnctl_command_help(FILE *out, const struct spnctl_command *cmd)
{
	fprintf(out, "usage: %s\n\n", cmd->synopsis);
	char first = cmd->summary[0];
	if (first >= 'a' && first <= 'z')
		first = (char)(first - 'a' + 'A');
	fprintf(out, "%c%s.\n", first, cmd->summary + 1);
	spnctl_options_help(out, cmd->flags);
	fputs("\nSee spnctl(1) for details.\n", out);
}
