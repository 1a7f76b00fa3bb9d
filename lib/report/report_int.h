/*
 * report_int.h - helpers shared by the files of lib/report/ only: the
 * streaming JSON writer, CSV fields, and the bits of text every report
 * prints (account description, numbers, the INCOMPLETE block), HTML
 * escaping; and the
 * per-format writers report.c picks from, and what they all use
 * (report_shared.c).
 */
#ifndef SPN_REPORT_INT_H
#define SPN_REPORT_INT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "spn/report.h"

/* ---- json_writer.c ---- */

#define JW_MAX_DEPTH 16
#define JW_BUF 32768

/* Writes JSON to a FILE * as values come (no tree in memory), through a
 * fixed buffer that goes out in large fwrite()s, pretty-printed with
 * two-space indentation. Commas and indentation are tracked per nesting
 * level. Nothing reaches f before jw_flush() (json_tail() calls it). */
struct jw {
	FILE *f;
	int depth;
	bool first[JW_MAX_DEPTH];  /* no value yet at this level */
	bool after_key;            /* a key was written; the value follows on its line */
	size_t n;                  /* bytes waiting in buf */
	char buf[JW_BUF];
};

void jw_init(struct jw *w, FILE *f);
void jw_obj_begin(struct jw *w);
void jw_obj_end(struct jw *w);
void jw_arr_begin(struct jw *w);
void jw_arr_end(struct jw *w);
void jw_key(struct jw *w, const char *key);
/* A string value; NULL writes null. Bytes are escaped as JSON requires:
 * '"', '\\' and control characters; bytes that are not UTF-8 become U+FFFD. */
void jw_str(struct jw *w, const char *s);
void jw_strn(struct jw *w, const char *s, size_t n);
void jw_uint(struct jw *w, uint64_t v);
void jw_int(struct jw *w, int64_t v);
void jw_bool(struct jw *w, bool v);
void jw_null(struct jw *w);
/* Shorthands for "key": value. */
void jw_kstr(struct jw *w, const char *key, const char *s);
void jw_kuint(struct jw *w, const char *key, uint64_t v);
void jw_kint(struct jw *w, const char *key, int64_t v);
void jw_kbool(struct jw *w, const char *key, bool v);
/* Raw bytes (already JSON), e.g. the final newline. */
void jw_raw(struct jw *w, const char *s, size_t n);
/* Hand everything buffered to the FILE *. */
void jw_flush(struct jw *w);

/* What every JSON object starts with: "schema_version" (SPN_JSON_SCHEMA),
 * "spnctl_version", "audit_time" (o may be NULL: nulls). */
void json_stamp(struct jw *w, const struct spn_report_opts *o);
/* The parts every JSON report over a model shares. head: opens the object
 * and writes json_stamp(), "now", "complete", "sources" (each with its
 * "time", "time_from" and "missing_attributes"), "stats"; tail:
 * "missing_attributes", "gaps", closes the object, ends the line and
 * flushes the writer. */
void json_head(struct jw *w, const struct spn_report_opts *o, const struct spn_model *m);
void json_tail(struct jw *w, const struct spn_model *m);
/* Opens an object with "dn","sam","kind","domain","upn","disabled" of an
 * account; the caller may add keys and closes it with jw_obj_end(). */
void json_account(struct jw *w, const struct spn_model *m, uint32_t id);

/* The per-format halves of the public spn_report_*() (report.c picks). */
enum spn_rc spn_report_findings_json(FILE *out, const struct spn_report_opts *o,
                                     const struct spn_model *m,
                                     const struct spn_findings *fs);
enum spn_rc spn_report_accounts_json(FILE *out, const struct spn_report_opts *o,
                                     const struct spn_model *m,
                                     const uint32_t *ids, size_t n);
enum spn_rc spn_report_query_json(FILE *out, const struct spn_report_opts *o,
                                  const struct spn_model *m,
                                  const struct spn_query_result *q, size_t nq);
enum spn_rc spn_report_resolutions_json(FILE *out, const struct spn_report_opts *o,
                                        const struct spn_model *m,
                                        const struct spn_resolutions *r);
enum spn_rc spn_report_checks_json(FILE *out, const struct spn_report_opts *o,
                                   const struct spn_check *const *v, size_t n);

/* ---- csv.c ---- */

/* One RFC 4180 field: quoted when it holds ',', '"', CR or LF (quotes
 * doubled); NULL is an empty field. sep: write ',' before it. */
void csv_field(FILE *f, const char *s, bool sep);
void csv_end(FILE *f);  /* CRLF */

enum spn_rc spn_report_findings_csv(FILE *out, const struct spn_model *m,
                                    const struct spn_findings *fs);
enum spn_rc spn_report_accounts_csv(FILE *out, const struct spn_model *m,
                                    const uint32_t *ids, size_t n);
enum spn_rc spn_report_query_csv(FILE *out, const struct spn_model *m,
                                 const struct spn_query_result *q, size_t nq);
enum spn_rc spn_report_resolutions_csv(FILE *out, const struct spn_model *m,
                                       const struct spn_resolutions *r);
enum spn_rc spn_report_checks_csv(FILE *out, const struct spn_check *const *v, size_t n);

/* ---- text_report.c ---- */

/* "(computer EXCH01$, corp.example, disabled)" */
void text_account(FILE *f, const struct spn_model *m, uint32_t id);
/* text_wrap.c: indent spaces, prefix, then text wrapped at width columns
 * (0: 79), continuation lines under the text after the prefix, never
 * inside a DN or a command; ends with a newline. */
void text_wrap(FILE *f, unsigned width, int indent, const char *prefix, const char *text);
/* s with its hidden and control characters shown as <U+XXXX> (spn_visible):
 * a look-alike's spelling told from the plain one. */
void text_visible(FILE *f, const char *s);
/* "1,873" into buf. */
const char *text_number(uint64_t v, char *buf, size_t cap);
/* The INCOMPLETE block (nothing when the model is complete). */
void text_incomplete(FILE *f, const struct spn_model *m);
/* The "NOT IN THE SNAPSHOT" block: the attributes some source lacks and
 * what cannot be judged without them (nothing when none is missing). */
void text_missing(FILE *f, unsigned width, const struct spn_model *m);
/* "412 accounts / 1,873 SPNs from 1 snapshot" (no newline). */
void text_scope(FILE *f, const struct spn_model *m);

/* text_findings.c */
enum spn_rc spn_report_findings_text(FILE *out, const struct spn_report_opts *o,
                                     const struct spn_model *m, const struct spn_findings *fs);
enum spn_rc spn_report_accounts_text(FILE *out, const struct spn_model *m,
                                     const uint32_t *ids, size_t n);
enum spn_rc spn_report_query_text(FILE *out, const struct spn_model *m,
                                  const struct spn_query_result *q, size_t nq);
enum spn_rc spn_report_resolutions_text(FILE *out, const struct spn_report_opts *o,
                                        const struct spn_model *m, const struct spn_resolutions *r);
enum spn_rc spn_report_checks_text(FILE *out, const struct spn_report_opts *o,
                                   const struct spn_check *const *v, size_t n, bool detail);

/* ---- setspn_text.c ---- */

/* "DC=corp,DC=example" for "corp.example", into buf (cap bytes). */
const char *setspn_domain_dn(const char *domain, char *buf, size_t cap);
/* "Checking domain DC=..." lines (or setspn -F's forest line). */
void setspn_checking_lines(FILE *out, const struct spn_model *m, const struct spn_report_opts *o);
/* One change carried out (-S, -A, -D, -R), in setspn's words. */
struct spn_step_result;
struct spn_precheck;
void setspn_step(FILE *f, const struct spn_step_result *x);
/* An add the pre-check refused: the holders and "Duplicate SPN found, ...". */
void setspn_conflicts(FILE *out, const struct spn_report_opts *o, const struct spn_model *m,
                      const struct spn_precheck *p);
/* The findings setspn -X prints: duplicate-spn, with an SPN. */
bool setspn_shows(const struct spn_finding *f);

enum spn_rc spn_report_findings_setspn(FILE *out, const struct spn_report_opts *o,
                                       const struct spn_model *m, const struct spn_findings *fs);
enum spn_rc spn_report_accounts_setspn(FILE *out, const struct spn_model *m,
                                       const uint32_t *ids, size_t n);
enum spn_rc spn_report_no_account_setspn(FILE *out, const char *name);
enum spn_rc spn_report_query_setspn(FILE *out, const struct spn_report_opts *o,
                                    const struct spn_model *m, const struct spn_query_result *q,
                                    size_t nq);

/* ---- html_escape.c, html_fix.c, html_report.c ---- */

/* Directory text into an element's content, an attribute value (written
 * inside "...") or a <pre> code block: '&', '<', '>', '"' and '\'' become
 * entities; bytes that are not UTF-8 never go out as they are. Text shows
 * controls and invisible characters as a marked "U+200B"; code keeps them
 * (but controls). NULL writes nothing. */
void html_text(FILE *f, const char *s);
void html_attr(FILE *f, const char *s);
void html_code(FILE *f, const char *s, size_t n);
/* A finding's fix as blocks to copy: setspn, spnctl and LDIF lines of
 * `spnctl fix`'s plan for it (html_fix.c); source names the data in the
 * LDIF header. SPN_NOMEM, else SPN_OK. */
enum spn_rc html_fix(FILE *f, const struct spn_model *m, const struct spn_finding *fn,
                     const char *source);

enum spn_rc spn_report_findings_html(FILE *out, const struct spn_model *m,
                                     const struct spn_findings *fs);
/* ---- probe_report.c ---- */

struct spn_diag;
/* One diagnosis (spn/diag.h) as text lines under indent, wrapped at width
 * (0: 79; the report's width, as text_wrap): the KDC's answer, the
 * holders, the key, why, the prediction, the keytab, the fixes (when
 * fixes: doctor prints them once for the whole service). */
void text_diag(FILE *f, unsigned width, const struct spn_model *m, const struct spn_diag *d,
               int indent, bool fixes);
/* "Label:" padded to the labels' width, then text wrapped under itself at
 * width (0: 79), never inside a DN or a command. */
void text_labelled(FILE *f, unsigned width, int indent, const char *label, const char *text);
/* Its keys into the open JSON object. */
void json_diag(struct jw *w, const struct spn_model *m, const struct spn_diag *d);
/* "key": an account object (json_account), or null for SPN_NONE. */
void json_opt_account(struct jw *w, const struct spn_model *m, const char *key, uint32_t id);
/* "key": [strings]. */
void json_strs(struct jw *w, const char *key, const char *const *v, size_t n);

/* ---- diff_report.c ---- */

void spn_report_diff_text(FILE *out, const struct spn_model *old, const struct spn_model *new,
                          const struct spn_changes *c);
void spn_report_diff_json(FILE *out, const struct spn_report_opts *o, const struct spn_model *old,
                          const struct spn_model *new,
                          const struct spn_changes *c);
void spn_report_diff_csv(FILE *out, const struct spn_changes *c);

/* ---- dcs_report.c: provenance and --all-dcs ---- */

/* "servicePrincipalName on svc_a last changed 2026-12-03 16:54 UTC on DC2
 * (version 1)" into buf; false when the model has no stamp for it. */
bool report_provenance(const struct spn_model *m, uint32_t account, char *buf, size_t cap);
/* "spn_changed": {...} into the open account object (nothing without a stamp). */
void json_provenance(struct jw *w, const struct spn_model *m, uint32_t account);
/* Under a finding's account j: the DCs holding its SPN, its provenance. */
void text_finding_holder(FILE *f, unsigned width, const struct spn_model *m,
                         const struct spn_finding *x, size_t j);
/* "Shown by ..." of a finding marked by --all-dcs (nothing otherwise). */
void text_finding_shown(FILE *f, const struct spn_finding *x);
/* "on_dcs", "not_on_dcs" of account j; "shown_by", "not_shown_by". */
void json_finding_holder(struct jw *w, const struct spn_finding *x, size_t j);
void json_finding_shown(struct jw *w, const struct spn_finding *x);
/* The run's DCs and their differences: a text block; JSON keys. */
void text_dcs(FILE *f, const struct spn_dcs_report *r);
void json_dcs(struct jw *w, const struct spn_dcs_report *r);
/* A change followed to every DC (--wait): a text block; the "wait" key. */
struct spn_follow;
void text_follow(FILE *f, const struct spn_follow *w, double bound);
void json_follow(struct jw *w, const struct spn_follow *fw);

/* ---- report_shared.c ---- */

/* SPN_IO when f has seen a write error. */
enum spn_rc report_status(FILE *f);
/* Findings from i on with the same severity (and code, when same_code):
 * the groups of the text and HTML reports. Returns how many of them the
 * main part shows (those not accepted: --accept lists them apart); *end:
 * where the run ends. */
size_t report_run_length(const struct spn_findings *fs, size_t i, bool same_code, size_t *end);
/* Do the accounts of f store other spellings than f->spn (f->values)? */
bool report_spellings_differ(const struct spn_model *m, const struct spn_finding *f);
/* Called before writing finding i: asks the memory for what the next
 * findings will read (their strings, their accounts' records and names),
 * since findings in sorted order hop all over the model and the findings'
 * arena. Speed only; reads nothing it does not need anyway. */
void report_prefetch(const struct spn_model *m, const struct spn_findings *fs, size_t i);

#endif
