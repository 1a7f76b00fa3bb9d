/*
 * text_findings.c - the findings report for people (`audit`, `dups`, the
 * default output):
 *   - the INCOMPLETE block when data is missing, then the summary line
 *     first ("2 errors, 4 warnings, 0 info in 18 accounts / 101 SPNs from 1
 *     snapshot"), what password ages were measured to (audit), and the
 *     attributes the snapshot did not carry;
 *   - the findings grouped by severity, then by check: each with its SPN,
 *     the accounts (and their own spelling when they differ), what breaks,
 *     the fix and its stable id;
 *   - the accepted findings (--accept) apart, one line each;
 *   - the summary line again, after a long report.
 * Paragraphs wrap at the report's width and never inside a DN or a command
 * (text_wrap.c); on a terminal, headings and the summary are in colour.
 * DNs and SPNs go out through printable.h (a control byte is \\xNN).
 */
#include <inttypes.h>
#include <string.h>

#include "base/filetime.h"
#include "base/printable.h"
#include "report_int.h"

/* ANSI colours: only when the report is for a terminal. */
#define RED "31;1"
#define YELLOW "33;1"
#define CYAN "36"
#define BOLD "1"
#define DIM "2"

static void color_on(FILE *f, const struct spn_report_opts *o, const char *sgr)
{
	if (o && o->color)
		fprintf(f, "\033[%sm", sgr);
}

static void color_off(FILE *f, const struct spn_report_opts *o)
{
	if (o && o->color)
		fputs("\033[0m", f);
}

static unsigned width_of(const struct spn_report_opts *o)
{
	return o ? o->width : 0;
}

static const char *plural(uint64_t n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

static const char *severity_heading(enum spn_severity s, const char **color)
{
	switch (s) {
	case SPN_SEV_ERROR: *color = RED; return "errors";
	case SPN_SEV_WARNING: *color = YELLOW; return "warnings";
	case SPN_SEV_INFO: break;
	}
	*color = CYAN;
	return "info";
}

/* "2 errors, 4 warnings, 0 info (1 accepted) in 18 accounts / ..." */
static void summary(FILE *out, const struct spn_report_opts *o, const struct spn_model *m,
                    const struct spn_findings *fs)
{
	uint64_t count[3] = {0, 0, 0}, accepted = 0;
	for (size_t i = 0; i < fs->n; i++) {
		if (fs->v[i].accepted)
			accepted++;
		else if ((unsigned)fs->v[i].severity <= SPN_SEV_ERROR)
			count[fs->v[i].severity]++;
	}
	color_on(out, o, BOLD);
	fprintf(out, "%" PRIu64 " %s, %" PRIu64 " %s, %" PRIu64 " info",
	        count[SPN_SEV_ERROR], plural(count[SPN_SEV_ERROR], "error", "errors"),
	        count[SPN_SEV_WARNING], plural(count[SPN_SEV_WARNING], "warning", "warnings"),
	        count[SPN_SEV_INFO]);
	if (accepted)
		fprintf(out, " (%" PRIu64 " accepted)", accepted);
	fputs(" in ", out);
	text_scope(out, m);
	if (!spn_model_complete(m))
		fputs(" - INCOMPLETE", out);
	color_off(out, o);
	fputc('\n', out);
}

/* What password ages were measured to: --now, or each source's own time. */
static void as_of(FILE *out, const struct spn_report_opts *o, const struct spn_model *m)
{
	char day[32], line[2048];
	size_t k = 0, n = spn_model_nsources(m);
	if (o->now && spn_filetime_format_date(o->now, day, sizeof(day))) {
		snprintf(line, sizeof(line), "Password ages as of %s (--now).", day);
		text_wrap(out, width_of(o), 0, "", line);
		return;
	}
	k += (size_t)snprintf(line, sizeof(line), "Password ages as of %s",
	                      n == 1 ? "" : "each source's own time: ");
	for (size_t i = 0; i < n && k < sizeof(line); i++) {
		const struct spn_source_info *s = spn_model_source(m, i);
		if (!s->time || !spn_filetime_format_date(s->time, day, sizeof(day)))
			snprintf(day, sizeof(day), "today");
		k += (size_t)snprintf(line + k, sizeof(line) - k, "%s%s, the time of %s (%s)",
		                      i ? "; " : "", day, s->name,
		                      spn_time_from_text((enum spn_time_from)s->time_from));
	}
	if (k < sizeof(line))
		snprintf(line + k, sizeof(line) - k, "; --now YYYY-MM-DD picks another day.");
	text_wrap(out, width_of(o), 0, "", line);
}

/* " stores <value>" after account j when the spellings differ. */
static void stored(FILE *out, const struct spn_model *m, const struct spn_finding *f, size_t j,
                   bool differ)
{
	if (!differ || f->values[j] == SPN_NONE)
		return;
	const struct spn_value *v = spn_model_value(m, f->values[j]);
	fputs(" stores ", out);
	text_visible(out, v->str);
}

static void finding(FILE *out, const struct spn_report_opts *o, const struct spn_model *m,
                    const struct spn_finding *f)
{
	size_t first = 0;
	bool differ = report_spellings_differ(m, f);
	char id[SPN_FINDING_ID_LEN + 1];
	if (f->spn) {
		fprintf(out, "  %s\n", spn_printable(f->spn));
	} else if (f->naccounts) {
		fprintf(out, "  %s ", spn_printable(spn_model_account(m, f->accounts[0])->dn));
		text_account(out, m, f->accounts[0]);
		fputc('\n', out);
		text_finding_holder(out, width_of(o), m, f, 0);
		first = 1;
	}
	for (size_t j = first; j < f->naccounts; j++) {
		fprintf(out, "    %s ", spn_printable(spn_model_account(m, f->accounts[j])->dn));
		text_account(out, m, f->accounts[j]);
		stored(out, m, f, j, differ);
		fputc('\n', out);
		text_finding_holder(out, width_of(o), m, f, j);
	}
	text_finding_shown(out, f);
	if (f->message && *f->message)
		text_wrap(out, width_of(o), 4, "", f->message);
	if (f->fix && *f->fix)
		text_wrap(out, width_of(o), 4, "Fix: ", f->fix);
	if (spn_finding_id(m, f, id))
		fprintf(out, "    Id: %s\n", id);
	fputc('\n', out);
}

/* One severity's findings, grouped by check (accepted ones left out). */
static size_t severity_block(FILE *out, const struct spn_report_opts *o, const struct spn_model *m,
                             const struct spn_findings *fs, size_t i)
{
	const char *color;
	size_t end, nsev = report_run_length(fs, i, false, &end);
	if (nsev == 0)
		return end;
	const char *heading = severity_heading(fs->v[i].severity, &color);
	color_on(out, o, color);
	fprintf(out, "== %s (%zu) ==", heading, nsev);
	color_off(out, o);
	fputs("\n\n", out);
	while (i < end) {
		size_t cend, ncode = report_run_length(fs, i, true, &cend);
		const struct spn_check *c = spn_check_find(fs->v[i].code);
		if (ncode) {
			color_on(out, o, BOLD);
			fprintf(out, "%s (%zu)", fs->v[i].code, ncode);
			if (c && c->title)
				fprintf(out, ": %s", c->title);
			color_off(out, o);
			fputs("\n\n", out);
		}
		for (; i < cend; i++) {
			report_prefetch(m, fs, i);
			if (!fs->v[i].accepted)
				finding(out, o, m, &fs->v[i]);
		}
	}
	return end;
}

/* The accepted findings, one line each. */
static void accepted(FILE *out, const struct spn_report_opts *o, const struct spn_model *m,
                     const struct spn_findings *fs)
{
	size_t n = 0;
	for (size_t i = 0; i < fs->n; i++)
		n += fs->v[i].accepted;
	if (!n)
		return;
	color_on(out, o, DIM);
	fprintf(out, "== accepted (%zu) ==", n);
	color_off(out, o);
	fputs("\n\n", out);
	for (size_t i = 0; i < fs->n; i++) {
		const struct spn_finding *f = &fs->v[i];
		char id[SPN_FINDING_ID_LEN + 1];
		if (!f->accepted)
			continue;
		fprintf(out, "  %s ", f->code);
		if (f->spn)
			text_visible(out, f->spn);
		else if (f->naccounts)
			fputs(spn_printable(spn_model_account(m, f->accounts[0])->dn), out);
		fprintf(out, " (%s", spn_severity_name(f->severity));
		if (spn_finding_id(m, f, id))
			fprintf(out, ", id %s", id);
		fputs(")\n", out);
	}
	fputc('\n', out);
}

enum spn_rc spn_report_findings_text(FILE *out, const struct spn_report_opts *o,
                                     const struct spn_model *m, const struct spn_findings *fs)
{
	/* No options: text at 79 columns, no colour, no ages line (what
	 * spn_report_opts_init gives; report.c calls here, not the other way). */
	static const struct spn_report_opts none = { .format = SPN_FORMAT_TEXT };
	if (!o)
		o = &none;
	text_incomplete(out, m);
	summary(out, o, m, fs);
	if (o->ages)
		as_of(out, o, m);
	fputc('\n', out);
	text_missing(out, width_of(o), m);
	for (size_t i = 0; i < fs->n;)
		i = severity_block(out, o, m, fs, i);
	accepted(out, o, m, fs);
	summary(out, o, m, fs);
	return report_status(out);
}
