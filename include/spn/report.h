/*
 * report.h - printing results: text for people, JSON and CSV for scripts,
 * setspn's own wording for scripts written against setspn.exe, the changes
 * between two snapshots, and the model itself as an LDIF snapshot.
 *
 * A report gets a finished model, the results (findings, matches,
 * resolutions), how to print them (struct spn_report_opts) and a FILE *;
 * it never loads, searches or decides anything. Every function returns
 * SPN_IO when the stream reports a write error (the caller says where),
 * SPN_USAGE for a format that report does not have, SPN_NOMEM when setspn's
 * query answer finds no memory for its list of holders, SPN_OK otherwise.
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
 *  - setspn: setspn.exe's own lines for accounts (-L), query matches (-Q)
 *    and duplicate SPNs (-X), byte for byte where scripts compare them
 *    (setspn_text.c); the other reports do not have it. Like CSV it cannot
 *    say "incomplete": the exit status does.
 *  - html (findings only): one self-contained page - overview, a filter by
 *    severity and check, each finding with its fix as blocks to copy, the
 *    accepted ones apart and counted nowhere (html_report.c says how it is
 *    built and kept safe).
 *
 * A new format: a value of enum spn_format and its name in
 * spn_format_parse() (report.c), its writer file, and a case in each
 * spn_report_*() of report.c that has it.
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
	SPN_FORMAT_SETSPN,  /* accounts, query, findings and changes */
	SPN_FORMAT_LDIF,    /* LDIF change records: fix plans */
	SPN_FORMAT_HTML,    /* one self-contained page: findings (audit, dups) */
};
/* "text", "json", "csv", "setspn", "ldif", "html" (exact, lower case); -1
 * when unknown. */
int spn_format_parse(const char *s);

/* --all-dcs: the DCs a findings report speaks for (dcs_report.c). */
struct spn_dc_row {
	const char *name;           /* "DC2" */
	const char *host, *uri;
	bool in_dns, in_config;     /* where it was found */
	const char *error;          /* why it was not read, or NULL */
	double seconds;             /* how long its read took */
};
struct spn_views;
struct spn_dcs_report {
	const struct spn_dc_row *dcs;
	const char *const *names;   /* dcs[i].name, for the findings' rows */
	size_t ndcs;                /* the order of spn_views and of the findings' rows */
	const char *const *notes;   /* where DNS and the configuration disagree */
	size_t nnotes;
	const struct spn_views *views;  /* the values some DCs hold and others do not */
};

/* How to print. A NULL struct spn_report_opts * means text. */
struct spn_report_opts {
	enum spn_format format;
	/* For setspn's "Checking domain DC=..." lines: the domains the answer
	 * speaks for (NULL or empty: every domain of the model), or one
	 * "Checking forest" line for the forest root (setspn -F). */
	const struct spn_scope *scope;
	bool forest;
	/* What every JSON object starts with (json.c, json_stamp): the
	 * program's version ("spnctl_version"; NULL: null), when the report
	 * was made ("audit_time", FILETIME; 0: null) and the day --now gave
	 * ("now", FILETIME; 0: not given, each source's own time counts). */
	const char *version;
	int64_t audit_time;
	int64_t now;
	/* text: the longest line (0: 79) - paragraphs wrap there, never inside
	 * a DN or a command; colour (ANSI, for a terminal: headings, the
	 * summary, severities). */
	unsigned width;
	bool color;
	bool ages;       /* text findings: say what password ages were measured to (audit) */
	/* Findings of --all-dcs: text starts with the DCs read and the values
	 * they disagree on; JSON adds "dcs", "dc_notes", "dc_differences".
	 * NULL otherwise. */
	const struct spn_dcs_report *dcs;
};
/* The JSON reports' "schema_version": raised when a key changes meaning
 * or goes away (new keys do not raise it). */
#define SPN_JSON_SCHEMA 1
void spn_report_opts_init(struct spn_report_opts *o);  /* text, every domain */

/* Findings of `dups` and `audit`, in the order given (spn_findings_sort).
 * Each account of a finding whose servicePrincipalName stamp the model
 * has (provenance, spn/replmeta.h) gets "servicePrincipalName on <sam>
 * last changed <time> UTC on <DC> (version N)" in text and html and "spn_changed"
 * {"when","dc","invocation_id","version","originating_usn"} in JSON (as
 * every JSON account does); a finding marked by --all-dcs (its dcs) gets
 * the DCs that show it ("Shown by ..."; "shown_by", "not_shown_by") and
 * per account the DCs that hold its SPN ("on ..."; "on_dcs",
 * "not_on_dcs"). CSV has none of these.
 * JSON results key: "findings"; CSV: code,severity,spn,dn,sam,kind,domain,
 * message,fix - one row per (finding, account), a finding without accounts
 * gets one row with empty account fields. setspn (-X): "Checking domain
 * DC=..." then per duplicate-spn finding "<spn> is registered on these
 * accounts:", the TAB-indented DNs and a blank line (one blank line when
 * there is none); then "found N group of duplicate SPNs." - setspn's words,
 * singular "group" included, which scripts compare literally. html: the
 * page; each fixable finding carries the LDIF `spnctl fix -o ldif` would
 * write for it. */
enum spn_rc spn_report_findings(FILE *out, const struct spn_report_opts *o,
                                const struct spn_model *m, const struct spn_findings *fs);
/* The findings as an accept file (spn/accept.h) to start a baseline from:
 * a comment header (what it is, the version and time of o, the sources),
 * then per finding "<id>  # <severity> <code> <SPN or DN>". SPN_NOMEM when
 * an id could not be computed. */
enum spn_rc spn_report_accept(FILE *out, const struct spn_report_opts *o,
                              const struct spn_model *m, const struct spn_findings *fs);
/* Does the format print this finding? setspn prints the duplicate-spn
 * findings only; the other formats print every finding. A caller whose exit
 * status counts findings counts those printed. */
bool spn_report_shows(const struct spn_report_opts *o, const struct spn_finding *f);

/* Accounts and their SPNs (`list`). JSON key "accounts"; CSV dn,sam,kind,
 * domain,spn - one row per (account, SPN), one row with an empty spn for an
 * account without SPNs. setspn (-L): "Registered ServicePrincipalNames for
 * <DN>:" then one TAB-indented SPN a line, for each account. */
enum spn_rc spn_report_accounts(FILE *out, const struct spn_report_opts *o,
                                const struct spn_model *m, const uint32_t *ids, size_t n);

/* A name that found no account (list, add, rm, reset): setspn prints
 * "Could not find account <name>" on standard output, where scripts
 * written against setspn.exe look for it; the other formats print nothing
 * here (the caller says it on standard error). */
enum spn_rc spn_report_no_account(FILE *out, const struct spn_report_opts *o, const char *name);

/* Pattern matches (`query`; spn_model_query() in model.h). JSON key
 * "queries"; CSV pattern,spn,dn,sam,kind,domain,stored - one row per holder
 * (a pattern without match: one row with only the pattern). setspn (-Q):
 * "Checking domain DC=..." then each holder once, in order of first match,
 * grouped under its domain: its DN and all its SPNs TAB-indented; a blank
 * line; "Existing SPN found!" or "No such SPN found." (no holder at all). */
enum spn_rc spn_report_query(FILE *out, const struct spn_report_opts *o,
                             const struct spn_model *m, const struct spn_query_result *q,
                             size_t nq);

/* KDC resolutions (`resolve`). JSON key "resolutions"; CSV spn,domain,
 * outcome,dn,sam,matched,kerberos_error,summary. */
enum spn_rc spn_report_resolutions(FILE *out, const struct spn_report_opts *o,
                                   const struct spn_model *m, const struct spn_resolutions *r);

/* KDC answers read against the directory (`probe`; spn/diag.h): text, a
 * block per SPN (the KDC's words, the holders, whose key, why, resolve's
 * prediction, the keytab, the fixes) and a summary line for several; JSON
 * {"complete", "sources", "stats", "probes": [...], "default_keytab",
 * "gaps"}. default_keytab: the host's readable default keytab to offer
 * (NULL: none). CSV has no shape for it: SPN_USAGE. */
struct spn_diags;
enum spn_rc spn_report_probes(FILE *out, const struct spn_report_opts *o, const struct spn_model *m,
                              const struct spn_diags *ds, const char *default_keytab);

/* A service diagnosed (`doctor`; spn/doctor.h): text - the target, DNS's
 * answer, the realm, the SPNs and who asks for each, a block per SPN as
 * probe prints it (without its fixes), delegation from the front end, the
 * verdict and the fix; JSON {"complete", "sources", "stats", "target",
 * "host", "canonical", "dns_error", "alias", "realm", "note", "spns": [...],
 * "delegation", "verdict", "fix", "exit_status", "gaps"}. No CSV. */
struct spn_doctor;
enum spn_rc spn_report_doctor(FILE *out, const struct spn_report_opts *o, const struct spn_model *m,
                              const struct spn_doctor *d);

/* The check registry (`checks`, `audit --explain`). detail: text shows each
 * check's explanation in full (else one table line per check). JSON
 * {"checks": [{"code","severity","dups","title","explain"}]}; CSV code,
 * severity,dups,title,explain. */
enum spn_rc spn_report_checks(FILE *out, const struct spn_report_opts *o,
                              const struct spn_check *const *v, size_t n, bool detail);

/* ---- Changes between two snapshots (diff_report.c) ---- */

/* Print the changes (spn/diff.h): text ("+ SPN  DN", "- SPN  DN",
 * "~ SPN  FROM -> TO", then a summary line), JSON {"complete", "old", "new",
 * "changes", "summary", "gaps"} or CSV change,spn,side,dn (one row per DN,
 * side "from" or "to"). */
enum spn_rc spn_report_diff(FILE *out, const struct spn_report_opts *o,
                            const struct spn_model *old, const struct spn_model *new,
                            const struct spn_changes *c);

/* ---- The model as an LDIF snapshot (snapshot_ldif.c) ---- */

/* Write the finished model m as LDIF (`spnctl snapshot`), so an audit of a
 * live directory can be repeated and compared offline (`spnctl audit -f`,
 * `spnctl diff`). when: the time to name in the header (seconds since 1970,
 * UTC).
 *
 * What is written is exactly what the audit reads - the model's accounts,
 * groups and forest settings, not the directory's every attribute - in LDIF
 * the snapshot reader (source.h) reads back to the same model:
 *  - "version: 1", then a comment header: sources, the time written, the
 *    time the data is from ("# as of:", spn_model_time(): the reader takes
 *    it as the snapshot's time), complete flag and every gap;
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
 * header (may be NULL); applying: the plan is about to be carried out (text
 * leaves out how to carry it out). */
enum spn_rc spn_report_plan(FILE *out, const struct spn_report_opts *o, const struct spn_plan *p,
                            const char *source, bool applying);

/* Results of carrying changes out, printed as each step ends: text, setspn
 * ("Registering ServicePrincipalNames for <DN>" / "Unregistering ...",
 * "\t<SPN>", "Updated object") or JSON {"server","dry_run","results":
 * [{"op","spn","dn","sam","finding","state","stored","via_replace",
 * "message","appeared","vanished"}],"summary","undo_file","error"}. */
struct spn_change_report;
struct spn_change_report *spn_change_report_begin(FILE *out, const struct spn_report_opts *o,
                                                  const char *server, bool dry_run);
void spn_change_report_step(struct spn_change_report *r, const struct spn_step_result *x);
/* --wait: the change followed to every DC (spn/converge.h), printed by
 * end: text, a block per DC (when its directory and its KDC agreed, or
 * what it still lacks); JSON, "wait": {"converged","milliseconds",
 * "kdcs_asked","dcs": [{"name","host","behind","directory_ms","kdc_ms",
 * "lacks","error"}]}. bound: the wait's limit in seconds. */
struct spn_follow;
void spn_change_report_follow(struct spn_change_report *r, const struct spn_follow *f,
                              double bound);
/* Ends the report (frees r): the summary, the undo file's path (NULL: none
 * kept), err: the run's error message or NULL. */
enum spn_rc spn_change_report_end(struct spn_change_report *r, const struct spn_apply_summary *s,
                                  const char *undo_path, const char *err);

/* Why an add was refused (or, forced, what it will break): every conflict
 * with the account in the way. setspn: its "Checking domain", holders and
 * "Duplicate SPN found, aborting operation!"; JSON {"spn","account",
 * "forced","conflicts": [{"kind","dn","sam","value","text"}]}. */
enum spn_rc spn_report_conflicts(FILE *out, const struct spn_report_opts *o,
                                 const struct spn_model *m, const char *spn, const char *target,
                                 const struct spn_precheck *p, bool forced);

#endif
