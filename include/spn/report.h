/*
 * report.h - printing results: text for people, JSON and CSV for scripts,
 * setspn's own wording for scripts written against setspn.exe, the changes
 * between two snapshots, and the model itself as an LDIF snapshot.
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
#include "spn/diff.h"
#include "spn/err.h"
#include "spn/model.h"
#include "spn/resolve.h"

enum spn_format {
	SPN_FORMAT_TEXT = 0,
	SPN_FORMAT_JSON,
	SPN_FORMAT_CSV,
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

/* Pattern matches (`query`; spn_model_query() in model.h). JSON key "queries"; CSV pattern,spn,dn,sam,
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

/* ---- Changes between two snapshots (diff_report.c) ---- */

/* Print the changes (spn/diff.h): text ("+ SPN  DN", "- SPN  DN",
 * "~ SPN  FROM -> TO", then a summary line), JSON {"complete", "old", "new",
 * "changes", "summary", "gaps"} or CSV change,spn,side,dn (one row per DN,
 * side "from" or "to"). */
enum spn_rc spn_report_diff(FILE *out, enum spn_format f, const struct spn_model *old,
                            const struct spn_model *new, const struct spn_changes *c);

/* ---- The model as an LDIF snapshot (snapshot_ldif.c) ---- */

/* Write the finished model m as LDIF (`spnctl snapshot`), so an audit of a
 * live directory can be repeated and compared offline (`spnctl audit -f`,
 * `spnctl diff`). when: the time to name in the header (seconds since 1970,
 * UTC).
 *
 * What is written is exactly what the audit reads - the model's accounts,
 * groups and forest settings, not the directory's every attribute - in LDIF
 * the snapshot reader (source.h) reads back to the same model:
 *  - "version: 1", then a comment header: sources, time, complete flag and
 *    every gap;
 *  - lines are never folded (one attribute a line: greppable, diffable);
 *    values that are not RFC 2849 SAFE-STRINGs (non-ASCII, leading space,
 *    ':' or '<', trailing space, control bytes) are base64 ("attr:: ...");
 *  - objectClass is written for the account's kind (user, computer, gMSA,
 *    ...); objectSid carries only the RID, the one part spnctl reads
 *    (written S-1-5-21-0-0-0-RID: the domain SID is not kept);
 *  - an incomplete model ends with ldapsearch's result trailer
 *    ("search: 1" / "result: 80 ...") per gap, which the reader turns back
 *    into gaps: a re-read snapshot is never taken for complete data. */
enum spn_rc spn_report_snapshot(FILE *out, const struct spn_model *m, int64_t when);

#endif
