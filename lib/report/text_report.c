/*
 * text_report.c - the reports for people (the default output): findings grouped
 * by severity and then by check, each with its SPN, the accounts it
 * concerns, what breaks and the fix in words; account listings, query
 * matches, KDC resolutions and the check table.
 *
 * Layout rules: one finding per block, its first line the SPN (or the
 * account when the finding has no SPN), details indented under it;
 * messages and fixes are paragraphs, wrapped at 79 columns with a hanging
 * indent (DNs and SPNs are never split inside a word; scripts use -o json
 * or csv, where nothing is wrapped). A model with gaps starts with an
 * "INCOMPLETE:" block naming each gap, and the summary line repeats it:
 * partial data must not read as a clean bill. Every string that came from
 * a directory (DNs, SPNs, names, gaps) goes out through printable.h: a
 * control byte in a DN is shown as \xNN, never handed to the terminal.
 */
#include <inttypes.h>
#include <string.h>

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

#define WIDTH 79

/* Output of wrap(), gathered so the stream gets a few writes per
 * paragraph instead of one per word and space. */
struct wbuf {
	FILE *f;
	size_t n;
	char b[1024];
};

static void wput(struct wbuf *w, const char *s, size_t n)
{
	if (n > sizeof(w->b) - w->n) {
		fwrite(w->b, 1, w->n, w->f);
		w->n = 0;
		if (n >= sizeof(w->b)) {
			fwrite(s, 1, n, w->f);
			return;
		}
	}
	memcpy(w->b + w->n, s, n);
	w->n += n;
}

static void wspaces(struct wbuf *w, int n)
{
	static const char spaces[] = "                                ";
	while (n > 0) {
		int k = n < (int)sizeof(spaces) - 1 ? n : (int)sizeof(spaces) - 1;
		wput(w, spaces, (size_t)k);
		n -= k;
	}
}

/* Columns s[0..n) takes once escaped (printable.h: \xNN per byte). */
static size_t shown_width(const char *s, size_t n)
{
	size_t w = 0;
	while (n) {
		size_t run = spn_printable_span(s, n);
		w += run;
		s += run;
		n -= run;
		if (n) {
			w += 4;
			s++;
			n--;
		}
	}
	return w;
}

/* Text from the directory inside a paragraph: escaped (printable.h). */
static void wput_text(struct wbuf *w, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	while (n) {
		size_t run = spn_printable_span(s, n);
		wput(w, s, run);
		s += run;
		n -= run;
		if (n) {
			unsigned char c = (unsigned char)*s;
			char esc[4] = {'\\', 'x', hex[c >> 4], hex[c & 15]};
			wput(w, esc, 4);
			s++;
			n--;
		}
	}
}

static void wnewline(struct wbuf *w, int n)
{
	wput(w, "\n", 1);
	wspaces(w, n);
}

/* Print indent spaces, prefix, then text wrapped at WIDTH; continuation
 * lines line up under the text after the prefix. A word longer than a line
 * gets a line of its own. Ends with a newline. */
static void wrap(FILE *f, int indent, const char *prefix, const char *text)
{
	struct wbuf w;
	w.f = f;
	w.n = 0;
	size_t pn = strlen(prefix);
	int hang = indent + (int)pn;
	int col = hang;
	wspaces(&w, indent);
	wput(&w, prefix, pn);
	bool line_empty = true;
	const char *p = text;
	while (*p) {
		while (*p == ' ')
			p++;
		if (!*p)
			break;
		if (*p == '\n') {
			wnewline(&w, hang);
			col = hang;
			line_empty = true;
			p++;
			continue;
		}
		size_t n = 1;
		while (p[n] && p[n] != ' ' && p[n] != '\n')
			n++;
		int width = (int)shown_width(p, n);
		if (!line_empty && col + 1 + width > WIDTH) {
			wnewline(&w, hang);
			col = hang;
			line_empty = true;
		}
		if (!line_empty) {
			wput(&w, " ", 1);
			col++;
		}
		wput_text(&w, p, n);
		col += width;
		line_empty = false;
		p += n;
	}
	wput(&w, "\n", 1);
	fwrite(w.b, 1, w.n, f);
}

void text_wrap(FILE *f, int indent, const char *prefix, const char *text)
{
	wrap(f, indent, prefix, text);
}

static const char *plural(uint64_t n, const char *one, const char *many)
{
	return n == 1 ? one : many;
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

static const char *severity_heading(enum spn_severity s)
{
	switch (s) {
	case SPN_SEV_ERROR: return "errors";
	case SPN_SEV_WARNING: return "warnings";
	case SPN_SEV_INFO: break;
	}
	return "info";
}

static void text_finding(FILE *out, const struct spn_model *m, const struct spn_finding *f)
{
	size_t first = 0;
	if (f->spn) {
		fprintf(out, "  %s\n", spn_printable(f->spn));
	} else if (f->naccounts) {
		fprintf(out, "  %s ", spn_printable(spn_model_account(m, f->accounts[0])->dn));
		text_account(out, m, f->accounts[0]);
		fputc('\n', out);
		text_finding_holder(out, m, f, 0);
		first = 1;
	}
	for (size_t j = first; j < f->naccounts; j++) {
		fprintf(out, "    %s ", spn_printable(spn_model_account(m, f->accounts[j])->dn));
		text_account(out, m, f->accounts[j]);
		fputc('\n', out);
		text_finding_holder(out, m, f, j);
	}
	text_finding_shown(out, f);
	if (f->message && *f->message)
		wrap(out, 4, "", f->message);
	if (f->fix && *f->fix)
		wrap(out, 4, "Fix: ", f->fix);
	fputc('\n', out);
}

enum spn_rc spn_report_findings_text(FILE *out, const struct spn_model *m,
                                     const struct spn_findings *fs)
{
	uint64_t count[3] = {0, 0, 0};
	text_incomplete(out, m);
	for (size_t i = 0; i < fs->n;) {
		size_t nsev = report_run_length(fs, i, false);
		enum spn_severity sev = fs->v[i].severity;
		fprintf(out, "== %s (%zu) ==\n\n", severity_heading(sev), nsev);
		for (size_t end = i + nsev; i < end;) {
			size_t ncode = report_run_length(fs, i, true);
			const struct spn_check *c = spn_check_find(fs->v[i].code);
			fprintf(out, "%s (%zu)", fs->v[i].code, ncode);
			if (c && c->title)
				fprintf(out, ": %s", c->title);
			fputs("\n\n", out);
			for (size_t k = 0; k < ncode; k++, i++) {
				report_prefetch(m, fs, i);
				text_finding(out, m, &fs->v[i]);
				if ((unsigned)fs->v[i].severity <= SPN_SEV_ERROR)
					count[fs->v[i].severity]++;
			}
		}
	}
	fprintf(out, "%" PRIu64 " %s, %" PRIu64 " %s, %" PRIu64 " info in ",
	        count[SPN_SEV_ERROR], plural(count[SPN_SEV_ERROR], "error", "errors"),
	        count[SPN_SEV_WARNING], plural(count[SPN_SEV_WARNING], "warning", "warnings"),
	        count[SPN_SEV_INFO]);
	text_scope(out, m);
	if (!spn_model_complete(m))
		fputs(" - INCOMPLETE", out);
	fputc('\n', out);
	return report_status(out);
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

enum spn_rc spn_report_resolutions_text(FILE *out, const struct spn_model *m,
                                        const struct spn_resolutions *r)
{
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
			wrap(out, 2, num, x->steps[s]);
		}
		if (x->summary)
			wrap(out, 2, "Result: ", x->summary);
		if (x->kerberos_error)
			fprintf(out, "  Client sees: %s\n", spn_printable(x->kerberos_error));
	}
	return report_status(out);
}

enum spn_rc spn_report_checks_text(FILE *out, const struct spn_check *const *v, size_t n,
                                   bool detail)
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
				wrap(out, 0, "", v[i]->explain);
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
