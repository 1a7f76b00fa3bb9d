/*
 * report.c - the public spn_report_*() entry points: pick the text, JSON,
 * CSV, setspn or HTML writer for a format. The writers call nothing here; what
 * they share is in report_shared.c.
 */
#include <string.h>

#include "report_int.h"

int spn_format_parse(const char *s)
{
	if (strcmp(s, "text") == 0)
		return SPN_FORMAT_TEXT;
	if (strcmp(s, "json") == 0)
		return SPN_FORMAT_JSON;
	if (strcmp(s, "csv") == 0)
		return SPN_FORMAT_CSV;
	if (strcmp(s, "setspn") == 0)
		return SPN_FORMAT_SETSPN;
	if (strcmp(s, "ldif") == 0)
		return SPN_FORMAT_LDIF;
	if (strcmp(s, "html") == 0)
		return SPN_FORMAT_HTML;
	return -1;
}

void spn_report_opts_init(struct spn_report_opts *o)
{
	o->format = SPN_FORMAT_TEXT;
	o->scope = NULL;
	o->forest = false;
	o->version = NULL;
	o->audit_time = 0;
	o->now = 0;
	o->width = 0;
	o->color = false;
	o->ages = false;
	o->dcs = NULL;
}

static enum spn_format format_of(const struct spn_report_opts *o)
{
	return o ? o->format : SPN_FORMAT_TEXT;
}

enum spn_rc spn_report_findings(FILE *out, const struct spn_report_opts *o,
                                const struct spn_model *m, const struct spn_findings *fs)
{
	const struct spn_dcs_report *dcs = o ? o->dcs : NULL;
	switch (format_of(o)) {
	case SPN_FORMAT_JSON: return spn_report_findings_json(out, o, m, fs);
	case SPN_FORMAT_CSV: return spn_report_findings_csv(out, m, fs);
	case SPN_FORMAT_SETSPN: return spn_report_findings_setspn(out, o, m, fs);
	case SPN_FORMAT_HTML: return spn_report_findings_html(out, m, fs);
	case SPN_FORMAT_LDIF: return SPN_USAGE;
	case SPN_FORMAT_TEXT: break;
	}
	if (dcs)
		text_dcs(out, dcs);
	return spn_report_findings_text(out, o, m, fs);
}

bool spn_report_shows(const struct spn_report_opts *o, const struct spn_finding *f)
{
	return format_of(o) != SPN_FORMAT_SETSPN || setspn_shows(f);
}

enum spn_rc spn_report_accounts(FILE *out, const struct spn_report_opts *o,
                                const struct spn_model *m, const uint32_t *ids, size_t n)
{
	switch (format_of(o)) {
	case SPN_FORMAT_JSON: return spn_report_accounts_json(out, o, m, ids, n);
	case SPN_FORMAT_CSV: return spn_report_accounts_csv(out, m, ids, n);
	case SPN_FORMAT_SETSPN: return spn_report_accounts_setspn(out, m, ids, n);
	case SPN_FORMAT_LDIF: return SPN_USAGE;
	case SPN_FORMAT_HTML: return SPN_USAGE;
	case SPN_FORMAT_TEXT: break;
	}
	return spn_report_accounts_text(out, m, ids, n);
}

enum spn_rc spn_report_no_account(FILE *out, const struct spn_report_opts *o, const char *name)
{
	if (format_of(o) != SPN_FORMAT_SETSPN)
		return SPN_OK;
	return spn_report_no_account_setspn(out, name);
}

enum spn_rc spn_report_query(FILE *out, const struct spn_report_opts *o,
                             const struct spn_model *m, const struct spn_query_result *q,
                             size_t nq)
{
	switch (format_of(o)) {
	case SPN_FORMAT_JSON: return spn_report_query_json(out, o, m, q, nq);
	case SPN_FORMAT_CSV: return spn_report_query_csv(out, m, q, nq);
	case SPN_FORMAT_SETSPN: return spn_report_query_setspn(out, o, m, q, nq);
	case SPN_FORMAT_LDIF: return SPN_USAGE;
	case SPN_FORMAT_HTML: return SPN_USAGE;
	case SPN_FORMAT_TEXT: break;
	}
	return spn_report_query_text(out, m, q, nq);
}

enum spn_rc spn_report_resolutions(FILE *out, const struct spn_report_opts *o,
                                   const struct spn_model *m, const struct spn_resolutions *r)
{
	switch (format_of(o)) {
	case SPN_FORMAT_JSON: return spn_report_resolutions_json(out, o, m, r);
	case SPN_FORMAT_CSV: return spn_report_resolutions_csv(out, m, r);
	case SPN_FORMAT_SETSPN: return SPN_USAGE;
	case SPN_FORMAT_LDIF: return SPN_USAGE;
	case SPN_FORMAT_HTML: return SPN_USAGE;
	case SPN_FORMAT_TEXT: break;
	}
	return spn_report_resolutions_text(out, o, m, r);
}

enum spn_rc spn_report_checks(FILE *out, const struct spn_report_opts *o,
                              const struct spn_check *const *v, size_t n, bool detail)
{
	switch (format_of(o)) {
	case SPN_FORMAT_JSON: return spn_report_checks_json(out, o, v, n);
	case SPN_FORMAT_CSV: return spn_report_checks_csv(out, v, n);
	case SPN_FORMAT_SETSPN: return SPN_USAGE;
	case SPN_FORMAT_LDIF: return SPN_USAGE;
	case SPN_FORMAT_HTML: return SPN_USAGE;
	case SPN_FORMAT_TEXT: break;
	}
	return spn_report_checks_text(out, o, v, n, detail);
}

enum spn_rc spn_report_diff(FILE *out, const struct spn_report_opts *o,
                            const struct spn_model *old, const struct spn_model *new,
                            const struct spn_changes *c)
{
	switch (format_of(o)) {
	case SPN_FORMAT_JSON: spn_report_diff_json(out, o, old, new, c); break;
	case SPN_FORMAT_CSV: spn_report_diff_csv(out, c); break;
	case SPN_FORMAT_SETSPN: return SPN_USAGE;
	case SPN_FORMAT_LDIF: return SPN_USAGE;
	case SPN_FORMAT_HTML: return SPN_USAGE;
	case SPN_FORMAT_TEXT: spn_report_diff_text(out, old, new, c); break;
	}
	fflush(out);
	return report_status(out);
}
