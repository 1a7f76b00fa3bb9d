/*
 * spnctl.h - what the files of tool/ share: the parsed command line
 * (struct spnctl), the command table entry, and the helpers every command
 * uses. tool/ includes only include/spn/ headers and its own headers; it parses,
 * calls libspn and prints - it holds no AD logic.
 *
 * Calls go one way:
 *   main.c -> setspn_compat.c (setspn's lines rewritten into spnctl's)
 *          -> opt.c (parse into struct spnctl) -> commands.c (the table,
 *             help) -> options.c (the option table, the argv scanner)
 *   main.c -> cmd_<word>.c -> load.c, findings.c, creds.c -> msg.c
 *
 * A command handler is "int cmd_<word>(struct spnctl *c)": options are
 * already parsed into c, operands are c->args[0 .. c->nargs), the return
 * value is the exit status (exit.h). A command that reads a directory calls
 * spnctl_load(c) first; errors go through msg.h.
 */
#ifndef SPNCTL_H
#define SPNCTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "spn/check.h"
#include "spn/converge.h"
#include "spn/dcs.h"
#include "spn/live.h"
#include "spn/model.h"
#include "spn/report.h"

/* What a command is; option parsing and help use these to know which
 * options apply. */
enum spnctl_cmd_flags {
	CMD_NEEDS_MODEL = 1 << 0,  /* reads a directory: -f and the connection options apply */
	CMD_KEEP_ALL = 1 << 1,     /* keep accounts without SPNs too (SPN_MODEL_KEEP_ALL) */
	CMD_FORMAT = 1 << 2,       /* prints results: -o text|json|csv */
	CMD_FINDINGS = 1 << 3,     /* exit status from findings: --fail-on */
	CMD_AUDIT = 1 << 4,        /* --explain, --max-password-age, --now */
	CMD_ACCOUNTS = 1 << 5,     /* operands are accounts: a live load fetches only these */
	CMD_PATTERNS = 1 << 6,     /* operands are SPN patterns: a live load fetches only these */
	CMD_OUTPUT_FILE = 1 << 7,  /* -o names the file to write (snapshot) */
	CMD_FORMAT_SETSPN = 1 << 8, /* -o setspn too: setspn's wording (list, query, dups, changes) */
	CMD_CONNECTS = 1 << 9,     /* talks to a DC: the connection options apply (-f does not) */
	CMD_WRITES = 1 << 10,      /* may change the directory: --dry-run, --undo-file */
	CMD_ASKS = 1 << 11,        /* asks before each change on a terminal: --yes */
	CMD_FIX = 1 << 12,         /* fix: --apply, --only, --keep */
	CMD_FORCE = 1 << 13,       /* add: --force */
	CMD_FORMAT_LDIF = 1 << 14, /* -o ldif too: LDIF change records (fix) */
	CMD_NO_CSV = 1 << 15,      /* -o text|json only: no CSV shape (probe, doctor) */
	CMD_KEYTAB = 1 << 16,      /* asks the KDC: --keytab (probe, doctor) */
	CMD_VIA = 1 << 17,         /* doctor: --via FRONTEND_ACCOUNT */
	CMD_WHOLE = 1 << 18,       /* reads whole directories: --allow-empty */
};

struct spnctl;
struct spnctl_option;  /* options.h */

struct spnctl_command {
	const char *name;          /* the command word */
	int (*run)(struct spnctl *c);
	unsigned flags;            /* enum spnctl_cmd_flags */
	const char *synopsis;      /* usage line; equals its SYNOPSIS line in spnctl(1) */
	const char *summary;       /* one line for `spnctl --help` */
};

struct spnctl {
	const struct spnctl_command *cmd;
	char **operands;           /* owned array of every operand (strings borrowed from argv) */
	char **args;               /* the command's operands: operands + 1 */
	int nargs;

	/* common options */
	const char **files;        /* -f, in order */
	size_t nfiles;
	const char *output;        /* -o as given (a format, or snapshot's file) */
	struct spn_report_opts report; /* -o's format, -F; -T's scope after spnctl_load() */
	int fail_on;               /* enum spn_severity, or 3 = none */
	int verbose;
	bool no_progress;          /* -P */
	bool help;
	bool allow_empty;          /* --allow-empty: read an export without DCs or SPNs */
	unsigned kinds;            /* list --computers / --users: enum spn_kinds */

	/* reading a live directory; the arrays are owned, their strings borrowed */
	struct spn_live_opts live;
	const char **uris;
	size_t nuris;
	const char **targets;      /* -T as given ("*" and "" dropped) */
	size_t ntargets;
	char live_option[32];      /* first connection-only option given ("-H"), or "" */
	struct spn_live_where where; /* none of -H, -d, -T: the directory taken, and why */
	const char *password_file;
	char *password;            /* owned; wiped and freed by spnctl_release() */

	/* findings (dups, audit) */
	const char **checks;       /* --check CODE: only these checks */
	size_t nchecks;
	const char **skips;        /* --skip CODE */
	size_t nskips;
	int min_severity;          /* --min-severity: enum spn_severity (default info: all) */
	const char **accepts;      /* --accept FILE (repeatable) */
	size_t naccepts;
	const char *write_accept;  /* audit --write-accept FILE */

	/* audit */
	const char *explain;
	unsigned max_password_age; /* 0 = the default */
	int64_t now;               /* FILETIME; valid when now_set */
	bool now_set;

	/* changes (add, rm, reset, fix, undo) */
	bool dry_run;              /* --dry-run: everything up to the write */
	bool force;                /* add --force (setspn -A) */
	bool apply;                /* fix --apply */
	bool yes;                  /* --yes: no questions */
	const char *undo_file;     /* --undo-file FILE; NULL: spnctl-undo-<time>.ldif here */
	const char **only;         /* fix --only CODE (repeatable) */
	size_t nonly;
	const char **keep;         /* fix --keep ACCOUNT (repeatable) */
	size_t nkeep;

	/* probe, doctor */
	const char *keytab;        /* --keytab FILE: open the tickets with it */
	const char *via;           /* doctor --via ACCOUNT: the front end that delegates */

	/* every DC, provenance (alldcs.c) */
	bool all_dcs;              /* --all-dcs: read every writable DC of the domain */
	bool provenance;           /* --provenance: where and when SPNs were written */
	struct spnctl_dcs *dcs;    /* --all-dcs: the DCs, their reads and views; owns model */
	unsigned wait;             /* --wait SECONDS: follow a write to every DC (wait.c); 0: no */

	/* filled by spnctl_load() */
	struct spn_model *model;
	struct spn_scope scope;    /* -T offline: the model's domains; empty = all */
	char incomplete[1024];     /* why the data is partial ("" when complete) */
};

/* setspn_compat.c: setspn's command lines at the door. A line for
 * setspn.exe (the binary invoked as setspn) or spnctl's own -L, -Q, -X
 * without a command word becomes list, query or dups with -o setspn;
 * nothing about setspn reaches the parser. *argvp may be replaced by an
 * array in *owned (free it after the command). Returns -1 to go on, or an
 * exit status (its usage, help or a usage error). */
int setspn_rewrite(int *argcp, char ***argvp, char ***owned);

/* opt.c: struct spnctl's life, and parsing argv into it. spnctl_parse
 * returns -1 to go on, or an exit status (help, version, usage error) to
 * stop with. */
void spnctl_init(struct spnctl *c);
void spnctl_release(struct spnctl *c);
int spnctl_parse(struct spnctl *c, int argc, char **argv);
/* Check an option's value as spnctl_parse() does (a --fail-on level, a
 * number, a day): -1 when it is good, else the exit status after the
 * message. */
int spnctl_option_check(const struct spnctl_option *o, const char *value);

/* commands.c: the command table, `spnctl --help`, `spnctl CMD --help`. */
const struct spnctl_command *spnctl_command_find(const char *name);
/* The command a mistyped word most likely meant ("audti": audit), or NULL. */
const char *spnctl_command_guess(const char *word);
void spnctl_help(FILE *out);
void spnctl_command_help(FILE *out, const struct spnctl_command *cmd);

/* load.c: build c->model for c->cmd from -f files or the live directory.
 * Returns -1 when the model is ready (possibly incomplete: c->incomplete
 * says why), or an exit status after printing the error. */
int spnctl_load(struct spnctl *c);
/* A model read from snapshots (-f, diff's two) that has no
 * entries, accounts, SPNs or DC is refused with exit status 2, unless
 * --allow-empty or the model is already incomplete (which says why).
 * Returns -1 or the exit status after the message. */
int spnctl_check_whole(const struct spnctl *c, const struct spn_model *m);
/* With none of -H, -d and -T (or a -T NetBIOS name, which a directory
 * must be asked for), say on standard error which directory is taken and why (ldap.conf's URI, or this host's DNS domain: then
 * c->live.domain), before anything binds; reading: the command reads (-f
 * was an option). Returns -1 or an exit status. */
int spnctl_announce(struct spnctl *c, bool reading);
/* spnctl_load() for a command about SPNs (probe, doctor): a live load
 * fetches the SPNs, other names of their services (class/host*), the
 * computers named like their hosts and the accounts given, with their
 * holders and HOST aliases; -f reads the snapshots as always. */
int spnctl_load_spns(struct spnctl *c, const char *const *spns, size_t n,
                     const char *const *accounts, size_t naccounts);
/* SPNCTL_THREADS from the environment: threads to read, index and check with, 0 = every CPU. */
unsigned spnctl_threads(void);
/* The exit status to end a command with, given its own result: incomplete
 * data is reported (one line) and wins with SPNCTL_EXIT_FAILURE. */
int spnctl_finish(struct spnctl *c, int status);
/* Report a write error on standard output; returns the exit status. */
int spnctl_output_error(void);
/* The exit status after a report returned rc (not SPN_OK): a write error
 * is reported when main flushes standard output; anything else now. */
int spnctl_report_failed(enum spn_rc rc);

/* creds.c: the bind password from --password-file, SPNCTL_PASSWORD or a
 * no-echo prompt on the terminal; never from argv. Returns -1 or an exit status. */
int spnctl_password(struct spnctl *c);

/* alldcs.c: --all-dcs and --provenance. spnctl_load_dcs: every DC read,
 * their views joined into *out (owned by c->dcs). spnctl_findings_where:
 * after the checks, which DCs show each finding (--all-dcs) and the
 * stamps of the findings' accounts (--all-dcs, --provenance).
 * spnctl_snapshot_provenance: the stamps of every SPN holder (snapshot
 * --provenance). Each returns -1 or an exit status. */
struct spnctl_dcs;
struct spn_check_opts;
int spnctl_load_dcs(struct spnctl *c, struct spn_model **out);
int spnctl_findings_where(struct spnctl *c, unsigned need, const struct spn_check_opts *o,
                          struct spn_findings *f);
int spnctl_snapshot_provenance(struct spnctl *c);
void spnctl_dcs_free(struct spnctl_dcs *d);

/* wait.c: --wait after a write. spnctl_wait_note (an apply's done
 * callback) keeps each applied step; spnctl_wait_follow, after the apply,
 * follows them to every DC of the domain and hands the result to the
 * change report r (printed by its end; w must live until then). Returns
 * -1 or an exit status. */
struct spnctl_wait {
	struct spn_expect *v;
	size_t n, cap;
	bool nomem;
	bool followed;             /* w->follow holds a finished wait */
	struct spn_dc_list dcs;
	struct spn_follow follow;
};
struct spn_step_result;
struct spn_change_report;
void spnctl_wait_init(struct spnctl_wait *w);
void spnctl_wait_release(struct spnctl_wait *w);
void spnctl_wait_note(struct spnctl_wait *w, const struct spn_step_result *r);
int spnctl_wait_follow(struct spnctl *c, struct spnctl_wait *w, struct spn_change_report *r);

/* findings.c: run the checks whose flags include need (0: all) on the
 * loaded model (--check, --skip), keep the findings inside -T's scope and
 * at --min-severity or worse, mark those --accept files accept. Returns -1
 * or an exit status. */
int spnctl_findings(struct spnctl *c, unsigned need, struct spn_findings *out);
/* Only run the checks (--check, --skip, --now, --max-password-age) on m,
 * sorted; diff runs the dups checks on its NEW snapshot. */
int spnctl_run_checks(const struct spnctl *c, const struct spn_model *m, unsigned need,
                      struct spn_findings *out);
/* The exit status --fail-on gives the findings the report prints (before
 * completeness). */
int spnctl_findings_status(const struct spnctl *c, const struct spn_findings *f);

/* write.c: what the commands that change the directory share. */
struct spn_dir;
struct spn_plan;
/* Bind to a DC as the connection options say; returns -1 with *d open,
 * or an exit status after the message. */
int spnctl_dir_open(struct spnctl *c, struct spn_dir **d);
/* The account name stands for on d (kinds: list's --computers/--users,
 * setspn -C/-U), as a one-account model in *acc. Returns -1 or an exit
 * status. */
int spnctl_dir_find(struct spnctl *c, struct spn_dir *d, const char *name, struct spn_model **acc);
/* Carry p out on d: undo file first (--undo-file, or one named after the
 * time in the current folder), each step's result printed as it ends;
 * ask: ask before each change unless --yes. Returns the exit status: 0
 * when every step ended as asked (or declined), 2 when one was refused or
 * failed. */
int spnctl_run_plan(struct spnctl *c, struct spn_dir *d, const struct spn_plan *p, bool ask);

/* The commands (cmd_<word>.c). */
int cmd_list(struct spnctl *c);
int cmd_query(struct spnctl *c);
int cmd_dups(struct spnctl *c);
int cmd_audit(struct spnctl *c);
int cmd_resolve(struct spnctl *c);
int cmd_checks(struct spnctl *c);
int cmd_snapshot(struct spnctl *c);
int cmd_diff(struct spnctl *c);
int cmd_add(struct spnctl *c);
int cmd_rm(struct spnctl *c);
int cmd_reset(struct spnctl *c);
int cmd_fix(struct spnctl *c);
int cmd_undo(struct spnctl *c);
int cmd_probe(struct spnctl *c);
int cmd_doctor(struct spnctl *c);

#endif
