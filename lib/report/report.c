/*
 * report.c - the public spn_report_*() entry points: pick the text, JSON or
 * CSV writer for a format, and tell a write error from success.
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
	return -1;
}

enum spn_rc report_status(FILE *f)
{
	return ferror(f) ? SPN_IO : SPN_OK;
}

void report_prefetch(const struct spn_model *m, const struct spn_findings *fs, size_t i)
{
	/* Three stages, each far enough ahead for the memory to answer before
	 * the next stage (or the writer) reads what it asked for: the
	 * finding's own strings and account list, then its accounts' records,
	 * then their names. */
	if (i + 8 < fs->n) {
		const struct spn_finding *f = &fs->v[i + 8];
		__builtin_prefetch(f->message);
		if (f->spn)
			__builtin_prefetch(f->spn);
		if (f->naccounts)
			__builtin_prefetch(f->accounts);
	}
	if (i + 4 < fs->n) {
		const struct spn_finding *f = &fs->v[i + 4];
		for (size_t j = 0; j < f->naccounts && j < 4; j++)
			__builtin_prefetch(spn_model_account(m, f->accounts[j]));
	}
	if (i + 2 < fs->n) {
		const struct spn_finding *f = &fs->v[i + 2];
		for (size_t j = 0; j < f->naccounts && j < 4; j++) {
			const struct spn_account *a = spn_model_account(m, f->accounts[j]);
			__builtin_prefetch(a->dn);
			if (a->sam)
				__builtin_prefetch(a->sam);
			if (a->upn)
				__builtin_prefetch(a->upn);
		}
	}
}

enum spn_rc spn_report_findings(FILE *out, enum spn_format f, const struct spn_model *m,
                                const struct spn_findings *fs)
{
	switch (f) {
	case SPN_FORMAT_JSON: return spn_report_findings_json(out, m, fs);
	case SPN_FORMAT_CSV: return spn_report_findings_csv(out, m, fs);
	case SPN_FORMAT_TEXT: case SPN_FORMAT_SETSPN: case SPN_FORMAT_LDIF: break;
	}
	return spn_report_findings_text(out, m, fs);
}

enum spn_rc spn_report_accounts(FILE *out, enum spn_format f, const struct spn_model *m,
                                const uint32_t *ids, size_t n)
{
	switch (f) {
	case SPN_FORMAT_JSON: return spn_report_accounts_json(out, m, ids, n);
	case SPN_FORMAT_CSV: return spn_report_accounts_csv(out, m, ids, n);
	case SPN_FORMAT_TEXT: case SPN_FORMAT_SETSPN: case SPN_FORMAT_LDIF: break;
	}
	return spn_report_accounts_text(out, m, ids, n);
}

enum spn_rc spn_report_query(FILE *out, enum spn_format f, const struct spn_model *m,
                             const struct spn_query_result *q, size_t nq)
{
	switch (f) {
	case SPN_FORMAT_JSON: return spn_report_query_json(out, m, q, nq);
	case SPN_FORMAT_CSV: return spn_report_query_csv(out, m, q, nq);
	case SPN_FORMAT_TEXT: case SPN_FORMAT_SETSPN: case SPN_FORMAT_LDIF: break;
	}
	return spn_report_query_text(out, m, q, nq);
}

enum spn_rc spn_report_resolutions(FILE *out, enum spn_format f, const struct spn_model *m,
                                   const struct spn_resolutions *r)
{
	switch (f) {
	case SPN_FORMAT_JSON: return spn_report_resolutions_json(out, m, r);
	case SPN_FORMAT_CSV: return spn_report_resolutions_csv(out, m, r);
	case SPN_FORMAT_TEXT: case SPN_FORMAT_SETSPN: case SPN_FORMAT_LDIF: break;
	}
	return spn_report_resolutions_text(out, m, r);
}

enum spn_rc spn_report_checks(FILE *out, enum spn_format f, const struct spn_check *const *v,
                              size_t n, bool detail)
{
	switch (f) {
	case SPN_FORMAT_JSON: return spn_report_checks_json(out, v, n);
	case SPN_FORMAT_CSV: return spn_report_checks_csv(out, v, n);
	case SPN_FORMAT_TEXT: case SPN_FORMAT_SETSPN: case SPN_FORMAT_LDIF: break;
	}
	return spn_report_checks_text(out, v, n, detail);
}
