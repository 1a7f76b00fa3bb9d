/*
 * check.h - the audit rules and what they find.
 *
 * Each check is a constant struct spn_check in its own file under lib/check/
 * (named after its code: "alias-conflict" -> alias_conflict.c) and listed,
 * sorted by code, in lib/check/checks.def. Codes are stable, kebab-case and
 * never reused. A check reads only the model; it never knows where data came
 * from, and never prints.
 *
 * Adding a check - the whole list (this is the only copy; lib/check's files
 * point here):
 *  1. lib/check/<name>.c defining const struct spn_check spn_check_<name>
 *     (code, usual severity, SPN_CHECK_DUPS if `spnctl dups` runs it, title,
 *     explain, run), its file comment saying what it finds and why it
 *     matters to a KDC.
 *  2. One line SPN_CHECK(<name>, <file>) in lib/check/checks.def, in code
 *     order. The declaration, the registry entry, the library's source list,
 *     the unit test's registration, the registry test and spngen's code list
 *     follow from it.
 *  3. tests/unit/test_check_<file>.c: positive, negative, benign exceptions
 *     (meson refuses to configure without it).
 *  4. tests/cases/: a case NNNN-slug of its finding (text, and JSON when it
 *     has accounts or an SPN); then run.py --update on the cases that list
 *     every check (0601-0603, 0606 `spnctl checks`) and on any audit of the
 *     examples it now reports on - and read the diff.
 *  5. doc/spnctl.1 CHECKS: ".It Sy <code> Pq <severity>[, dups]" and what it
 *     finds; README.md's checks table: "| `<code>` | <severity> | yes or
 *     empty | ... |". The docs suite fails until both agree with the
 *     registry (code, severity, dups).
 *  6. tests/gen: when a generated directory can contain the problem - in
 *     its background or as a plant - the generator must expect it (a plant:
 *     a PK_ kind in gen_int.h, and in plants.c its pk_info line, its plant
 *     function calling gen_expect() and its case in the switch; accounts.c
 *     counts per-account findings of the background), and
 *     tests/gen/ref_audit.py, the independent reference audit, must find
 *     the same. The gen suite fails on any finding the manifest does not
 *     expect.
 *  7. Only if needed: an attribute spnctl does not read yet (enum spn_attr
 *     in spn/model.h, its name in lib/model/attr.c, and lib/ldap/live.c's
 *     spn_live_account_attrs for live searches); a place in registry.c's
 *     slow_first when it is among the slowest checks (bench/README.md).
 *  8. Figures that count the checks ("all 14 checks" in README.md and
 *     bench/README.md) when a benchmark is run again.
 */
#ifndef SPN_CHECK_H
#define SPN_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "spn/arena.h"
#include "spn/err.h"
#include "spn/model.h"

enum spn_severity {
	SPN_SEV_INFO = 0,
	SPN_SEV_WARNING = 1,
	SPN_SEV_ERROR = 2,
};
const char *spn_severity_name(enum spn_severity s);  /* "info", "warning", "error" */
/* Parse "info"/"warning"/"error"/"none"; returns -1 if unknown ("none" = 3). */
int spn_severity_parse(const char *s);

/* What the fix does with an account's copy of a duplicated SPN (the
 * evidence rule, spn/owner.h). */
enum spn_role {
	SPN_ROLE_NONE = 0,         /* not a holder the fix decides about */
	SPN_ROLE_KEEP,             /* runs the service: keeps the SPN */
	SPN_ROLE_REMOVE,           /* does not: the SPN goes */
	SPN_ROLE_UNDECIDED,        /* the evidence does not settle it (fix --keep) */
};
const char *spn_role_name(enum spn_role r);  /* "", "keep", "remove", "undecided" */
/* --all-dcs: where a finding shows (spn_findings_mark_dcs, dc_spread.c).
 * Each byte is 0 (no), 1 (yes) or 2 (the DC says nothing: not read, or
 * another domain's) - enum spn_view_holds of spn/views.h. */
struct spn_finding_dcs {
	const char *const *names;  /* the DCs of the run, in order */
	size_t n;
	const uint8_t *shown;      /* per DC: its own checks found this problem */
	const uint8_t *holders;    /* per account, per DC (naccounts x n): the account
	                              holds the finding's SPN (or its HOST-alias form) there */
};

struct spn_finding {
	const char *code;          /* "duplicate-spn" */
	enum spn_severity severity;
	const char *spn;           /* the SPN concerned (as stored), or NULL */
	const uint32_t *accounts;  /* account ids involved, most relevant first */
	size_t naccounts;
	const char *message;       /* one paragraph: what is wrong and what breaks */
	const char *fix;           /* what to do, in words */
	/* For findings about the copies of one name (duplicate-spn,
	 * lookalike-spn), per account: the value id it stores (its own
	 * spelling; SPN_NONE: none), and for duplicate-spn the fix's role;
	 * NULL otherwise. */
	const uint32_t *values;
	const uint8_t *roles;      /* enum spn_role */
	bool accepted;             /* named in an accept file (spn/accept.h): reported apart, no
	                              weight in the exit status */
	const struct spn_finding_dcs *dcs;  /* --all-dcs only, else NULL */
};

/* A finding's stable id (finding_id.c): 16 lower-case hex digits of FNV-1a
 * 64 over code, the case-folded SPN and the holders' case-folded DNs,
 * sorted (spnctl(1) gives the exact bytes). The same problem has the same
 * id in every run and output; accept files name findings by it. out has
 * room for SPN_FINDING_ID_LEN + 1 bytes; false when memory is short. */
#define SPN_FINDING_ID_LEN 16
bool spn_finding_id(const struct spn_model *m, const struct spn_finding *f, char *out);

/* Findings own their strings (in an arena). Sorted by spn_findings_sort():
 * severity (errors first), then code, then SPN, then first account DN. */
struct spn_findings {
	struct spn_finding *v;
	size_t n, cap;
	struct spn_arena arena;
};

void spn_findings_init(struct spn_findings *f);
void spn_findings_release(struct spn_findings *f);
/* Add a finding; copies spn, accounts, message and fix. printf-style message. */
enum spn_rc spn_findings_add(struct spn_findings *f, const char *code, enum spn_severity sev,
                             const char *spn, const uint32_t *accounts, size_t naccounts,
                             const char *fix, const char *fmt, ...)
	__attribute__((format(printf, 8, 9)));
void spn_findings_sort(struct spn_findings *f, const struct spn_model *m);
/* Keep the findings of severity min or worse (--min-severity); order is kept. */
void spn_findings_keep_severity(struct spn_findings *f, enum spn_severity min);
/* Keep the findings that concern an account inside s (spn_scope_has), or
 * no account at all; order is kept. An empty or NULL scope keeps all. */
void spn_findings_keep_scope(struct spn_findings *f, const struct spn_model *m,
                             const struct spn_scope *s);

/* spnctl diff: mark each change of c (spn/diff.h) whose SPN went to an
 * account that holds it in a finding of f (the dups checks run on the NEW
 * model m, warnings and errors): "this addition makes a duplicate-spn".
 * The worst finding wins (f sorted by spn_findings_sort). */
struct spn_changes;
enum spn_rc spn_changes_mark(struct spn_changes *c, const struct spn_model *m,
                             const struct spn_findings *f);
/* --all-dcs: all holds findings of the union of views v (spn/views.h);
 * per_dc[i] the findings of DC i's own view (unread DCs: empty). Each
 * finding of all gets its dcs: a DC shows it when its own findings have
 * one of the same code, SPN (as AD compares) and accounts (by DN); and
 * per account, the DCs that hold the finding's SPN. */
struct spn_views;
enum spn_rc spn_findings_mark_dcs(struct spn_findings *all, const struct spn_views *v,
                                  const struct spn_findings *per_dc, struct spn_err *err);

/* Settings a check may consult. */
struct spn_check_opts {
	int64_t now;               /* FILETIME ages are judged against (--now; tests pin it);
	                            * 0: each account's source time (spn_source_info.time: the
	                            * snapshot's own), the clock where that is not known */
	unsigned max_password_age_days; /* kerberoastable: older is "old" (default 365) */
	unsigned threads;          /* spn_checks_run: threads to use; 0 (default) = every
	                            * online CPU (one for a small model), 1 = the caller's */
	const bool *skip;          /* spn_checks_run: per check (spn_check_at order), true leaves
	                            * it out (--check, --skip); NULL (default) runs them all */
};
void spn_check_opts_default(struct spn_check_opts *o);  /* now = the clock */
/* The time account a is judged against: o->now, else its source's time,
 * else the clock; *src_from (may be NULL) gets the source's
 * enum spn_time_from, or -1 when o->now decided. */
int64_t spn_check_now(const struct spn_model *m, const struct spn_account *a,
                      const struct spn_check_opts *o, int *src_from);

enum spn_check_flags {
	SPN_CHECK_DUPS = 1 << 0,   /* part of `spnctl dups` (duplicates, look-alikes, alias conflicts) */
};

struct spn_check {
	const char *code;
	enum spn_severity severity;  /* the usual severity; a finding may differ (documented) */
	unsigned flags;              /* enum spn_check_flags */
	const char *title;           /* one line */
	const char *explain;         /* why it matters, for `spnctl checks` / --explain */
	enum spn_rc (*run)(const struct spn_model *m, const struct spn_check_opts *o,
	                   struct spn_findings *out, struct spn_err *err);
};

/* All checks, sorted by code. */
size_t spn_check_count(void);
const struct spn_check *spn_check_at(size_t i);
const struct spn_check *spn_check_find(const char *code);

/* Run every check whose flags include all of `need` (0 = all checks);
 * findings are appended and sorted. Checks run side by side (o->threads);
 * the result is the same as running them one after the other. */
enum spn_rc spn_checks_run(const struct spn_model *m, const struct spn_check_opts *o,
                           unsigned need, struct spn_findings *out, struct spn_err *err);

#endif
