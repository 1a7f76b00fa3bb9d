/*
 * report.h - printing results: text for people, JSON and CSV for scripts,
 * and setspn's own wording for scripts written against setspn.exe.
 *
 * A report gets a finished model, the results (findings, matches,
 * resolutions) and a FILE *; it never loads, searches or decides anything.
 * Every function returns SPN_IO when the stream reports a write error (the
 * caller says where), SPN_OK otherwise.
 *
 * Shapes (documented for users in spnctl(1)):
 *  - text: findings grouped by severity, then code; each with its SPN, the
 *    accounts (DN, kind, sAMAccountName, domain), the message and a "Fix:"
 *    line; a summary line at the end. A model with gaps prints an
 *    "INCOMPLETE:" block first, naming them.
 *  - JSON: one object {"complete", "sources", "stats", <results>, "gaps"},
 *    written as it goes (constant memory however many findings).
 *  - CSV: RFC 4180 (CRLF, quoted where needed), a header row, one row per
 *    (result, account) pair. CSV has no place for "complete": the exit
 *    status (2) says so.
 */
#ifndef SPN_REPORT_H
#define SPN_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "spn/check.h"
#include "spn/err.h"
#include "spn/model.h"
#include "spn/resolve.h"

enum spn_format {
	SPN_FORMAT_TEXT = 0,
	SPN_FORMAT_JSON,
	SPN_FORMAT_CSV,
	SPN_FORMAT_SETSPN,   /* setspn.exe's wording (list, query, dups, changes) */
	SPN_FORMAT_LDIF,     /* LDIF change records (fix plans) */
};
/* "text", "json", "csv" (exact, lower case); -1 when unknown. */
int spn_format_parse(const char *s);

/* Findings of `dups` and `audit`, in the order given (spn_findings_sort).
 * JSON results key: "findings"; CSV: code,severity,spn,dn,sam,kind,domain,
 * message,fix - one row per (finding, account), a finding without accounts
 * gets one row with empty account fields. */
enum spn_rc spn_report_findings(FILE *out, enum spn_format f, const struct spn_model *m,
                                const struct spn_findings *fs);

/* Accounts and their SPNs (`list`). JSON key "accounts"; CSV dn,sam,kind,
 * domain,spn - one row per (account, SPN), one row with an empty spn for an
 * account without SPNs. */
enum spn_rc spn_report_accounts(FILE *out, enum spn_format f, const struct spn_model *m,
                                const uint32_t *ids, size_t n);

/* One distinct SPN that matched a pattern, and the holders' values. */
struct spn_query_group {
	uint32_t head;              /* head value id: the name shown */
	const uint32_t *values;     /* value ids of the holders shown (head chain, in order) */
	size_t nvalues;
};
struct spn_query_result {
	const char *pattern;        /* as the user gave it */
	const struct spn_query_group *groups;
	size_t ngroups;             /* 0: nothing matched */
};
/* Pattern matches (`query`). JSON key "queries"; CSV pattern,spn,dn,sam,
 * kind,domain,stored - one row per holder (a pattern without match: one row
 * with only the pattern). */
enum spn_rc spn_report_query(FILE *out, enum spn_format f, const struct spn_model *m,
                             const struct spn_query_result *q, size_t nq);

/* KDC resolutions (`resolve`). JSON key "resolutions"; CSV spn,domain,
 * outcome,dn,sam,matched,kerberos_error,summary. */
enum spn_rc spn_report_resolutions(FILE *out, enum spn_format f, const struct spn_model *m,
                                   const struct spn_resolutions *r);

/* The check registry (`checks`, `audit --explain`). detail: text shows each
 * check's explanation in full (else one table line per check). JSON
 * {"checks": [{"code","severity","dups","title","explain"}]}; CSV code,
 * severity,dups,title,explain. */
enum spn_rc spn_report_checks(FILE *out, enum spn_format f, const struct spn_check *const *v,
                              size_t n, bool detail);

/* ---- setspn.exe's wording (setspn_text.c) ---- */

/* Which domains a setspn-style answer speaks for: the "Checking domain
 * DC=..." lines. domains NULL: every domain of the model. forest: one
 * "Checking forest" line for the forest root, as `setspn -F` prints. */
struct spn_setspn_scope {
	const char *const *domains; /* DNS names, as the model spells them */
	size_t ndomains;
	bool forest;
};

/* setspn -L: "Registered ServicePrincipalNames for <DN>:" then one
 * TAB-indented SPN a line, for each account. */
enum spn_rc spn_setspn_list(FILE *out, const struct spn_model *m, const uint32_t *ids, size_t n);
/* setspn -Q: "Checking domain DC=..." then, per holder (ids, each once),
 * its DN and all its SPNs TAB-indented, grouped under its domain; a blank
 * line; "Existing SPN found!" or "No such SPN found." (n == 0). */
enum spn_rc spn_setspn_query(FILE *out, const struct spn_model *m, const struct spn_setspn_scope *s,
                             const uint32_t *ids, size_t n);
/* setspn -X: "Checking domain DC=..." then per duplicate-spn finding
 * "<spn> is registered on these accounts:", the TAB-indented DNs and a blank
 * line (one blank line when there is none); then "found N group of
 * duplicate SPNs." - setspn's words, singular "group" included, which
 * scripts compare literally. Findings with other codes are ignored;
 * returns the number of groups printed in *ngroups. */
enum spn_rc spn_setspn_dups(FILE *out, const struct spn_model *m, const struct spn_setspn_scope *s,
                            const struct spn_findings *fs, size_t *ngroups);
/* "DC=corp,DC=example" for "corp.example", into buf (cap bytes). */
const char *spn_setspn_domain_dn(const char *domain, char *buf, size_t cap);

/* ---- SPN changes (plan_report.c) ---- */

struct spn_plan;
struct spn_precheck;
struct spn_step_result;
struct spn_apply_summary;

/* A plan (`spnctl fix`): text (each change with its reason; undecided
 * duplicates; a closing line saying nothing was changed), JSON {"complete",
 * "steps": [{"op","spn","dn","sam","finding","reason"}], "undecided":
 * [{"spn","finding","holders": [{"dn","sam"}],"reason"}], "unfixable"}, or
 * LDIF change records for ldapmodify -f / ldifde -i -f (reasons and
 * undecided duplicates as comments). source names the data in the LDIF
 * header (may be NULL). */
enum spn_rc spn_report_plan(FILE *out, enum spn_format f, const struct spn_plan *p,
                            const char *source);

/* Results of carrying changes out, printed as each step ends: text, setspn
 * ("Registering ServicePrincipalNames for <DN>" / "Unregistering ...",
 * "\t<SPN>", "Updated object") or JSON {"server","dry_run","results":
 * [{"op","spn","dn","sam","finding","state","stored","via_replace",
 * "message","appeared","restored"}],"summary","undo_file","error"}. */
struct spn_change_report;
struct spn_change_report *spn_change_report_begin(FILE *out, enum spn_format f,
                                                  const char *server, bool dry_run);
void spn_change_report_step(struct spn_change_report *r, const struct spn_step_result *x);
/* Ends the report (frees r): the summary, the undo file's path (NULL: none
 * kept), err: the run's error message or NULL. */
enum spn_rc spn_change_report_end(struct spn_change_report *r, const struct spn_apply_summary *s,
                                  const char *undo_path, const char *err);

/* Why an add was refused (or, forced, what it will break): every conflict
 * with the account in the way. setspn: its "Checking domain", holders and
 * "Duplicate SPN found, aborting operation!"; JSON {"spn","account",
 * "forced","conflicts": [{"kind","dn","sam","value","text"}]}. */
enum spn_rc spn_report_conflicts(FILE *out, enum spn_format f, const struct spn_model *m,
                                 const char *spn, const char *target,
                                 const struct spn_precheck *p, bool forced);

#endif
