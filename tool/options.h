/*
 * options.h - spnctl's options (options.c): the one table, the help it
 * prints, and the scanner that reads a command line against it. The
 * setspn front end (setspn_compat.c) and the parser (opt.c) read argv
 * through the same scanner, so both see the same options, values and
 * operands in the same order.
 */
#ifndef SPNCTL_OPTIONS_H
#define SPNCTL_OPTIONS_H

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>

/* Options without a short letter. */
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
	OPT_INSECURE_TLS,
	OPT_TIMEOUT,
	OPT_COMPUTERS,
	OPT_USERS,
	OPT_DRY_RUN,
	OPT_FORCE,
	OPT_APPLY,
	OPT_YES,
	OPT_ONLY,
	OPT_KEEP,
	OPT_UNDO_FILE,
	OPT_ALLOW_EMPTY,
	OPT_CHECK,
	OPT_SKIP,
	OPT_MIN_SEVERITY,
	OPT_ACCEPT,
	OPT_WRITE_ACCEPT,
	OPT_KEYTAB,
	OPT_VIA,
	OPT_ALL_DCS,
	OPT_PROVENANCE,
	OPT_WAIT,
};

/* Where --help shows an option. */
enum spnctl_opt_group {
	G_COMMON, G_LIST, G_FINDINGS, G_AUDIT, G_KERBEROS, G_CHANGE, G_DIRECTORY, G_SETSPN, G_HIDDEN
};

struct spnctl_option {
	int id;                /* the short option character, or OPT_* */
	const char *longname;  /* NULL: short only */
	const char *arg;       /* name of the value; NULL: takes none */
	unsigned applies;      /* command flags it needs (any of); 0: every command */
	bool live_only;        /* reads a live directory: not with -f */
	enum spnctl_opt_group group;
	const char *help;
};

/* The option with this id, or NULL. */
const struct spnctl_option *spnctl_option_by_id(int id);
/* Does the long option --name take a value? -1 when it does not exist. */
int spnctl_long_option_arg(const char *name);
/* The option as the user spelled it ("-o", "--output"), into buf. */
const char *spnctl_option_spelled(const struct spnctl_option *o, bool long_form, char *buf,
                                  size_t cap);
/* Print the options that apply to commands with these flags (0: all). */
void spnctl_options_help(FILE *out, unsigned flags);
/* What an unknown long option (without its "--") most likely meant, as
 * the user would type it ("--output", "-o json"; in buf or a constant), or
 * NULL. */
const char *spnctl_option_guess(const char *word, char *buf, size_t cap);

/* ---- Reading a command line ---- */

enum spnctl_token_kind {
	TOK_END,       /* nothing left */
	TOK_OPERAND,   /* value: the word (also every word after "--") */
	TOK_OPTION,    /* o, value (NULL when it takes none), long_form */
	TOK_UNKNOWN,   /* no such option: letter (short) or word */
	TOK_NO_VALUE,  /* an option without its value: o (NULL if unknown), long_form, word */
};

struct spnctl_token {
	enum spnctl_token_kind kind;
	const struct spnctl_option *o;
	const char *value;
	bool long_form;      /* spelled --name */
	int letter;          /* TOK_UNKNOWN: the short option letter, or 0 for a long one */
	const char *word;    /* TOK_UNKNOWN, TOK_NO_VALUE: the word of argv, for messages */
};

#define SPNCTL_MAX_OPTIONS 64

/* getopt_long over argv in order: options may stand before and after the
 * command word. One scan at a time (getopt's state is global). */
struct spnctl_scan {
	int argc;
	char **argv;
	bool rest;           /* after "--": the remaining words are operands */
	struct option longopts[SPNCTL_MAX_OPTIONS + 1];
	char shortopts[3 * SPNCTL_MAX_OPTIONS + 3];
};

void spnctl_scan_init(struct spnctl_scan *s, int argc, char **argv);
/* The next token; TOK_END when argv is used up. */
void spnctl_scan_next(struct spnctl_scan *s, struct spnctl_token *t);

#endif
