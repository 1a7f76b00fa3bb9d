/*
 * csv.c - the CSV reports (`-o csv`), RFC 4180: a header row, CRLF line
 * ends, a field quoted when it holds ',', '"', CR or LF (quotes doubled).
 *
 * One row per (result, account) pair, so a spreadsheet filter on any
 * column (an SPN, a DN, a domain) shows every row that concerns it:
 *   findings  code,severity,spn,dn,sam,kind,domain,message,fix,stored,role,id,accepted
 *             (a finding without accounts: one row, account fields empty;
 *             stored: the account's own spelling of the SPN, role: keep,
 *             remove or undecided for duplicate-spn's holders)
 *   list      dn,sam,kind,domain,spn  (an account without SPNs: spn empty)
 *   query     pattern,spn,dn,sam,kind,domain,stored  (no match: pattern only)
 *   resolve   spn,domain,outcome,dn,sam,matched,kerberos_error,summary
 *   checks    code,severity,dups,title,explain
 * Values are written exactly as stored (no "=" defusing for spreadsheets:
 * scripts need the real value). CSV cannot say "incomplete": the exit
 * status 2 and the message on standard error do.
 */
#include <string.h>

#include "report_int.h"

void csv_field(FILE *f, const char *s, bool sep)
{
	if (sep)
		fputc(',', f);
	if (!s)
		return;
	if (!strpbrk(s, ",\"\r\n")) {
		fputs(s, f);
		return;
	}
	/* Runs up to and including each '"' at once, then the doubling '"'. */
	fputc('"', f);
	for (const char *q; (q = strchr(s, '"')) != NULL; s = q + 1) {
		fwrite(s, 1, (size_t)(q - s) + 1, f);
		fputc('"', f);
	}
	fputs(s, f);
	fputc('"', f);
}

void csv_end(FILE *f)
{
	fputs("\r\n", f);
}

static void csv_header(FILE *f, const char *const *names)
{
	for (size_t i = 0; names[i]; i++)
		csv_field(f, names[i], i > 0);
	csv_end(f);
}

/* dn,sam,kind,domain of an account (after a separator). */
static void csv_account(FILE *f, const struct spn_model *m, uint32_t id)
{
	const struct spn_account *a = spn_model_account(m, id);
	csv_field(f, a->dn, true);
	csv_field(f, a->sam, true);
	csv_field(f, spn_kind_name((enum spn_kind)a->kind), true);
	csv_field(f, a->domain, true);
}

enum spn_rc spn_report_findings_csv(FILE *out, const struct spn_model *m,
                                    const struct spn_findings *fs)
{
	static const char *const head[] = {
		"code", "severity", "spn", "dn", "sam", "kind", "domain", "message", "fix", "stored",
		"role", "id", "accepted", NULL,
	};
	csv_header(out, head);
	for (size_t i = 0; i < fs->n; i++) {
		const struct spn_finding *fd = &fs->v[i];
		size_t rows = fd->naccounts ? fd->naccounts : 1;
		char id[SPN_FINDING_ID_LEN + 1];
		bool has_id = spn_finding_id(m, fd, id);
		report_prefetch(m, fs, i);
		for (size_t j = 0; j < rows; j++) {
			csv_field(out, fd->code, false);
			csv_field(out, spn_severity_name(fd->severity), true);
			csv_field(out, fd->spn, true);
			if (fd->naccounts) {
				csv_account(out, m, fd->accounts[j]);
			} else {
				for (int k = 0; k < 4; k++)
					csv_field(out, NULL, true);
			}
			csv_field(out, fd->message, true);
			csv_field(out, fd->fix, true);
			csv_field(out, fd->values && fd->values[j] != SPN_NONE
			               ? spn_model_value(m, fd->values[j])->str : NULL, true);
			csv_field(out, fd->roles ? spn_role_name((enum spn_role)fd->roles[j]) : NULL, true);
			csv_field(out, has_id ? id : NULL, true);
			csv_field(out, fd->accepted ? "yes" : "no", true);
			csv_end(out);
		}
	}
	return report_status(out);
}

enum spn_rc spn_report_accounts_csv(FILE *out, const struct spn_model *m,
                                    const uint32_t *ids, size_t n)
{
	static const char *const head[] = { "dn", "sam", "kind", "domain", "spn", NULL };
	csv_header(out, head);
	for (size_t i = 0; i < n; i++) {
		const struct spn_account *a = spn_model_account(m, ids[i]);
		uint32_t rows = a->nspn ? a->nspn : 1;
		for (uint32_t k = 0; k < rows; k++) {
			csv_field(out, a->dn, false);
			csv_field(out, a->sam, true);
			csv_field(out, spn_kind_name((enum spn_kind)a->kind), true);
			csv_field(out, a->domain, true);
			csv_field(out, a->nspn ? spn_model_value(m, a->spn_first + k)->str : NULL, true);
			csv_end(out);
		}
	}
	return report_status(out);
}

enum spn_rc spn_report_query_csv(FILE *out, const struct spn_model *m,
                                 const struct spn_query_result *q, size_t nq)
{
	static const char *const head[] = {
		"pattern", "spn", "dn", "sam", "kind", "domain", "stored", NULL,
	};
	csv_header(out, head);
	for (size_t i = 0; i < nq; i++) {
		if (q[i].ngroups == 0) {
			csv_field(out, q[i].pattern, false);
			for (int k = 0; k < 6; k++)
				csv_field(out, NULL, true);
			csv_end(out);
			continue;
		}
		for (size_t g = 0; g < q[i].ngroups; g++) {
			const struct spn_query_group *grp = &q[i].groups[g];
			for (size_t k = 0; k < grp->nvalues; k++) {
				const struct spn_value *v = spn_model_value(m, grp->values[k]);
				csv_field(out, q[i].pattern, false);
				csv_field(out, spn_model_value(m, grp->head)->str, true);
				csv_account(out, m, v->account);
				csv_field(out, v->str, true);
				csv_end(out);
			}
		}
	}
	return report_status(out);
}

enum spn_rc spn_report_resolutions_csv(FILE *out, const struct spn_model *m,
                                       const struct spn_resolutions *r)
{
	static const char *const head[] = {
		"spn", "domain", "outcome", "dn", "sam", "matched", "kerberos_error", "summary", NULL,
	};
	csv_header(out, head);
	for (size_t i = 0; i < r->n; i++) {
		const struct spn_resolution *x = &r->v[i];
		const struct spn_account *a = x->account != SPN_NONE ? spn_model_account(m, x->account) : NULL;
		csv_field(out, x->spn, false);
		csv_field(out, x->domain, true);
		csv_field(out, spn_outcome_name(x->outcome), true);
		csv_field(out, a ? a->dn : NULL, true);
		csv_field(out, a ? a->sam : NULL, true);
		csv_field(out, x->matched, true);
		csv_field(out, x->kerberos_error, true);
		csv_field(out, x->summary, true);
		csv_end(out);
	}
	return report_status(out);
}

enum spn_rc spn_report_checks_csv(FILE *out, const struct spn_check *const *v, size_t n)
{
	static const char *const head[] = { "code", "severity", "dups", "title", "explain", NULL };
	csv_header(out, head);
	for (size_t i = 0; i < n; i++) {
		csv_field(out, v[i]->code, false);
		csv_field(out, spn_severity_name(v[i]->severity), true);
		csv_field(out, (v[i]->flags & SPN_CHECK_DUPS) ? "yes" : "no", true);
		csv_field(out, v[i]->title, true);
		csv_field(out, v[i]->explain, true);
		csv_end(out);
	}
	return report_status(out);
}
