/*
 * text_report.c - the reports for people (the default output) other than
 * findings (text_findings.c): account listings, query matches, KDC
 * resolutions and the check table; and the pieces every text report
 * shares - an account's "(kind sam, domain)", numbers with thousands
 * separators, the INCOMPLETE block, the block of attributes the source did
 * not carry, and the "18 accounts / 101 SPNs from 1 snapshot" scope.
 *
 * Paragraphs wrap at the report's width (text_wrap.c). Every string that
 * came from a directory (DNs, SPNs, names, gaps) goes out through
 * printable.h: a control byte in a DN is shown as \xNN, never handed to
 * the terminal.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/printable.h"
#include "report_int.h"

void text_account(FILE *f, const struct spn_model *m, uint32_t id)
{
	const struct spn_account *a = spn_model_account(m, id);
	fprintf(f, "(%s", spn_kind_name((enum spn_kind)a->kind));
	if (a->sam)
		fprintf(f, " %s", spn_printable(a->sam));
	fprintf(f, ", %s", spn_printable(a->domain));
	if (spn_account_disabled(a))
		fputs(", disabled", f);
	fputc(')', f);
}

const char *text_number(uint64_t v, char *buf, size_t cap)
{
	char digits[32];
	int n = snprintf(digits, sizeof(digits), "%" PRIu64, v);
	size_t o = 0;
	for (int i = 0; i < n && o + 2 < cap; i++) {
		if (i > 0 && (n - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = digits[i];
	}
	buf[o] = '\0';
	return buf;
}

void text_incomplete(FILE *f, const struct spn_model *m)
{
	size_t n = spn_model_ngaps(m);
	if (n == 0)
		return;
	fprintf(f, "INCOMPLETE: the directory was not read in full; what follows may miss problems.\n");
	for (size_t i = 0; i < n; i++)
		fprintf(f, "  - %s\n", spn_printable(spn_model_gap(m, i)));
	fputc('\n', f);
}

/* The heading of the missing attributes, after where the data came from. */
static const char *missing_heading(const struct spn_model *m)
{
	size_t ldif = 0, n = spn_model_nsources(m);
	for (size_t i = 0; i < n; i++)
		ldif += strcmp(spn_model_source(m, i)->kind, "ldif") == 0;
	return ldif == n ? "NOT IN THE SNAPSHOT" : ldif == 0 ? "NOT RETURNED BY THE DIRECTORY"
	                                                     : "NOT IN THE DATA READ";
}

void text_missing(FILE *f, unsigned width, const struct spn_model *m)
{
	struct spn_missing miss[SPN_A_COUNT];
	size_t n = spn_model_missing(m, miss), ns = spn_model_nsources(m);
	if (n == 0)
		return;
	fprintf(f, "%s: what needs these attributes is not judged.\n", missing_heading(m));
	for (size_t i = 0; i < n; i++) {
		struct spn_buf t;
		enum spn_attr a = miss[i].attr;
		spn_buf_init(&t, (size_t)1 << 20);
		spn_buf_adds(&t, spn_attr_name(a));
		if (a == SPN_A_SPNMAPPINGS || a == SPN_A_DSHEURISTICS) {
			spn_buf_adds(&t, spn_model_has_directory_service(m)
			                 ? " (the CN=Directory Service entry has none)"
			                 : " (no CN=Directory Service entry)");
		} else if (ns > 1) {
			spn_buf_adds(&t, miss[i].nsources == ns ? " (no source has it)" : " (not in");
			for (size_t s = 0, k = 0; miss[i].nsources < ns && s < ns; s++)
				if (!spn_model_source_has(m, s, a))
					spn_buf_addf(&t, "%s %s", k++ ? "," : "", spn_model_source(m, s)->name);
			if (miss[i].nsources < ns)
				spn_buf_adds(&t, ")");
		}
		spn_buf_addf(&t, ": %s.", miss[i].effect);
		text_wrap(f, width, 2, "- ", spn_buf_ok(&t) ? spn_buf_str(&t) : spn_attr_name(a));
		spn_buf_release(&t);
	}
	fputc('\n', f);
}

static const char *plural(uint64_t n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

void text_visible(FILE *f, const char *s)
{
	/* spn_visible writes at most 8 bytes per byte in. */
	char stack[1024];
	size_t cap = 8 * strlen(s) + 1;
	char *buf = cap <= sizeof(stack) ? stack : malloc(cap);
	fputs(buf ? spn_visible(s, buf, cap) : spn_printable(s), f);
	if (buf != stack)
		free(buf);
}

void text_scope(FILE *f, const struct spn_model *m)
{
	struct spn_model_stats st;
	char a[32], s[32];
	uint64_t ldif = 0, live = 0;
	spn_model_stats(m, &st);
	for (size_t i = 0; i < spn_model_nsources(m); i++) {
		if (strcmp(spn_model_source(m, i)->kind, "ldif") == 0)
			ldif++;
		else
			live++;
	}
	fprintf(f, "%s %s / %s %s from ", text_number(st.accounts_seen, a, sizeof(a)),
	        plural(st.accounts_seen, "account", "accounts"),
	        text_number(st.spn_values, s, sizeof(s)), plural(st.spn_values, "SPN", "SPNs"));
	if (ldif)
		fprintf(f, "%" PRIu64 " %s", ldif, plural(ldif, "snapshot", "snapshots"));
	if (ldif && live)
		fputs(" and ", f);
	if (live || !ldif)
		fprintf(f, "%" PRIu64 " %s", live, plural(live, "directory", "directories"));
}

enum spn_rc spn_report_accounts_text(FILE *out, const struct spn_model *m,
                                     const uint32_t *ids, size_t n)
{
	text_incomplete(out, m);
	for (size_t i = 0; i < n; i++) {
		const struct spn_account *a = spn_model_account(m, ids[i]);
		if (i > 0)
			fputc('\n', out);
		fprintf(out, "%s ", spn_printable(a->dn));
		text_account(out, m, ids[i]);
		if (a->nspn == 0)
			fputs(": no SPNs\n", out);
		else
			fprintf(out, ": %" PRIu32 " %s\n", a->nspn, plural(a->nspn, "SPN", "SPNs"));
		for (uint32_t k = 0; k < a->nspn; k++) {
			const struct spn_value *v = spn_model_value(m, a->spn_first + k);
			fprintf(out, "  %s", spn_printable(v->str));
			if (v->flags & SPN_VALUE_MALFORMED)
				fprintf(out, "  (malformed: %s)", spn_syntax_text((enum spn_syntax)v->syntax));
			fputc('\n', out);
		}
	}
	return report_status(out);
}

enum spn_rc spn_report_query_text(FILE *out, const struct spn_model *m,
                                  const struct spn_query_result *q, size_t nq)
{
	text_incomplete(out, m);
	for (size_t i = 0; i < nq; i++) {
		if (i > 0)
			fputc('\n', out);
		if (nq > 1)
			fprintf(out, "== %s ==\n\n", spn_printable(q[i].pattern));
		if (q[i].ngroups == 0) {
			fprintf(out, "no SPN matches '%s'\n", spn_printable(q[i].pattern));
			continue;
		}
		for (size_t g = 0; g < q[i].ngroups; g++) {
			const struct spn_query_group *grp = &q[i].groups[g];
			const struct spn_value *head = spn_model_value(m, grp->head);
			if (g > 0)
				fputc('\n', out);
			fprintf(out, "%s\n", spn_printable(head->str));
			for (size_t k = 0; k < grp->nvalues; k++) {
				const struct spn_value *v = spn_model_value(m, grp->values[k]);
				fprintf(out, "  %s ", spn_printable(spn_model_account(m, v->account)->dn));
				text_account(out, m, v->account);
				if (strcmp(v->str, head->str) != 0)
					fprintf(out, " as %s", spn_printable(v->str));
				fputc('\n', out);
			}
		}
	}
	return report_status(out);
}

enum spn_rc spn_report_resolutions_text(FILE *out, const struct spn_report_opts *o,
                                        const struct spn_model *m, const struct spn_resolutions *r)
{
	unsigned width = o ? o->width : 0;
	text_incomplete(out, m);
	for (size_t i = 0; i < r->n; i++) {
		const struct spn_resolution *x = &r->v[i];
		if (i > 0)
			fputc('\n', out);
		fprintf(out, "%s", spn_printable(x->spn));
		if (x->domain && *x->domain)
			fprintf(out, " (KDC of %s)", spn_printable(x->domain));
		fputc('\n', out);
		for (size_t s = 0; s < x->nsteps; s++) {
			char num[32];
			snprintf(num, sizeof(num), "%zu. ", s + 1);
			text_wrap(out, width, 2, num, x->steps[s]);
		}
		if (x->summary)
			text_wrap(out, width, 2, "Result: ", x->summary);
		if (x->kerberos_error)
			fprintf(out, "  Client sees: %s\n", spn_printable(x->kerberos_error));
	}
	return report_status(out);
}

enum spn_rc spn_report_checks_text(FILE *out, const struct spn_report_opts *o,
                                   const struct spn_check *const *v, size_t n, bool detail)
{
	if (detail) {
		for (size_t i = 0; i < n; i++) {
			if (i > 0)
				fputc('\n', out);
			fprintf(out, "%s (%s%s)\n", v[i]->code, spn_severity_name(v[i]->severity),
			        (v[i]->flags & SPN_CHECK_DUPS) ? "; part of dups" : "");
			if (v[i]->title)
				fprintf(out, "%s\n", v[i]->title);
			if (v[i]->explain) {
				fputc('\n', out);
				text_wrap(out, o ? o->width : 0, 0, "", v[i]->explain);
			}
		}
		return report_status(out);
	}
	int w = 4;
	for (size_t i = 0; i < n; i++)
		if ((int)strlen(v[i]->code) > w)
			w = (int)strlen(v[i]->code);
	fprintf(out, "%-*s  %-8s  %-4s  %s\n", w, "CODE", "SEVERITY", "DUPS", "TITLE");
	for (size_t i = 0; i < n; i++)
		fprintf(out, "%-*s  %-8s  %-4s  %s\n", w, v[i]->code, spn_severity_name(v[i]->severity),
		        (v[i]->flags & SPN_CHECK_DUPS) ? "yes" : "", v[i]->title ? v[i]->title : "");
	return report_status(out);
}
