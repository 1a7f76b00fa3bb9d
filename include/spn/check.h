/*
 * check.h - the audit rules and what they find.
 *
 * Each check is a constant struct spn_check in its own file under lib/check/
 * (named after its code: "alias-conflict" -> alias_conflict.c) and listed,
 * sorted by code, in lib/check/registry.c. Codes are stable, kebab-case and
 * never reused. A check reads only the model; it never knows where data came
 * from, and never prints.
 *
 * How to add a check: write lib/check/<code>.c exporting the struct, add it to
 * registry.c, add tests/unit/test_check_<code>.c (positive, negative, benign
 * exceptions), a case under tests/cases/, and a row in the man page CHECKS
 * section and the README table (tests/docs/ fails until all are there).
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

struct spn_finding {
	const char *code;          /* "duplicate-spn" */
	enum spn_severity severity;
	const char *spn;           /* the SPN concerned (as stored), or NULL */
	const uint32_t *accounts;  /* account ids involved, most relevant first */
	size_t naccounts;
	const char *message;       /* one paragraph: what is wrong and what breaks */
	const char *fix;           /* what to do, in words */
};

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
/* Keep the findings that concern an account inside s (spn_scope_has), or
 * no account at all; order is kept. An empty or NULL scope keeps all. */
void spn_findings_keep_scope(struct spn_findings *f, const struct spn_model *m,
                             const struct spn_scope *s);

/* Settings a check may consult. */
struct spn_check_opts {
	int64_t now;               /* current time as FILETIME; tests pin it */
	unsigned max_password_age_days; /* kerberoastable: older is "old" (default 365) */
	unsigned threads;          /* spn_checks_run: threads to use; 0 (default) = every
	                            * online CPU (one for a small model), 1 = the caller's */
};
void spn_check_opts_default(struct spn_check_opts *o);  /* now = the clock */

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
