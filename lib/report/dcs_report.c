/*
 * dcs_report.c - what --all-dcs and provenance add to the reports: per
 * account, where and when its servicePrincipalName was last written
 * ("servicePrincipalName on svc_a last changed 2026-12-03 16:54 UTC on
 * DC2 (version 1)") and on which DCs it holds a finding's SPN; per
 * finding, which DCs show it; and for the run, the DCs read and the
 * values they disagree on (report.h, struct spn_dcs_report).
 */
#include <inttypes.h>
#include <string.h>

#include "base/filetime.h"
#include "spn/converge.h"
#include "spn/views.h"
#include "base/printable.h"
#include "report_int.h"

/* ---- Provenance ---- */

/* "2026-12-03 16:54 UTC" of a FILETIME (buf 32). */
static const char *stamp_time(int64_t when, char *buf, size_t cap)
{
	char iso[32];
	if (!spn_time_format_iso(spn_filetime_to_unix(when), iso, sizeof(iso)) || strlen(iso) < 16)
		snprintf(buf, cap, "an unknown time");
	else
		snprintf(buf, cap, "%.10s %.5s UTC", iso, iso + 11);
	return buf;
}

/* The DC that made a stamp: its name, or "an unknown DC (invocationId x)". */
static const char *stamp_dc(const struct spn_model *m, const struct spn_stamp *s, char *buf,
                            size_t cap)
{
	const struct spn_dsa *d = spn_model_dsa_find(m, s->invocation);
	if (d)
		return d->name;
	char g[SPN_GUID_TEXT];
	spn_guid_text(s->invocation, g);
	snprintf(buf, cap, "a DC not in the configuration (invocationId %s: removed, or restored "
	         "from a backup since)", g);
	return buf;
}

bool report_provenance(const struct spn_model *m, uint32_t account, char *buf, size_t cap)
{
	const struct spn_stamp *s = spn_model_spn_stamp(m, account);
	if (!s)
		return false;
	const struct spn_account *a = spn_model_account(m, account);
	char when[48], dc[160];
	snprintf(buf, cap, "servicePrincipalName on %s last changed %s on %s (version %" PRIu32 ")",
	         a->sam ? a->sam : a->dn, stamp_time(s->when, when, sizeof(when)),
	         stamp_dc(m, s, dc, sizeof(dc)), s->version);
	return true;
}

void json_provenance(struct jw *w, const struct spn_model *m, uint32_t account)
{
	const struct spn_stamp *s = spn_model_spn_stamp(m, account);
	if (!s)
		return;
	char iso[32], g[SPN_GUID_TEXT];
	const struct spn_dsa *d = spn_model_dsa_find(m, s->invocation);
	spn_guid_text(s->invocation, g);
	jw_key(w, "spn_changed");
	jw_obj_begin(w);
	if (spn_time_format_iso(spn_filetime_to_unix(s->when), iso, sizeof(iso)))
		jw_kstr(w, "when", iso);
	else
		jw_kstr(w, "when", NULL);
	jw_kstr(w, "dc", d ? d->name : NULL);
	jw_kstr(w, "invocation_id", g);
	jw_kuint(w, "version", s->version);
	jw_kuint(w, "originating_usn", s->orig_usn);
	jw_obj_end(w);
}

/* ---- A finding across DCs ---- */

/* "DC1 and DC2", "DC1, DC2 and DC3" of the DCs whose byte is want. */
static size_t list_dcs(FILE *f, const char *const *names, size_t n, const uint8_t *row,
                       uint8_t want)
{
	size_t k = 0, total = 0;
	for (size_t i = 0; i < n; i++)
		total += row[i] == want;
	for (size_t i = 0; i < n; i++) {
		if (row[i] != want)
			continue;
		fprintf(f, "%s%s", k == 0 ? "" : k + 1 == total ? " and " : ", ",
		        spn_printable(names[i]));
		k++;
	}
	return k;
}

/* "DC1 (not DC2)": where a row says yes, then no, then silent. */
static void text_row(FILE *f, const char *const *names, size_t n, const uint8_t *row)
{
	if (!list_dcs(f, names, n, row, SPN_VIEW_YES))
		fputs("no DC", f);
	bool no = false, silent = false;
	for (size_t i = 0; i < n; i++) {
		no |= row[i] == SPN_VIEW_NO;
		silent |= row[i] == SPN_VIEW_SILENT;
	}
	if (no) {
		fputs(" (not ", f);
		list_dcs(f, names, n, row, SPN_VIEW_NO);
		fputc(')', f);
	}
	if (silent && n > 1) {
		fputs(" (", f);
		list_dcs(f, names, n, row, SPN_VIEW_SILENT);
		fputs(" not asked)", f);
	}
}

void text_finding_holder(FILE *f, unsigned width, const struct spn_model *m,
                         const struct spn_finding *x, size_t j)
{
	char line[600];
	bool any = false;
	if (x->dcs && x->spn) {
		fputs("      on ", f);
		text_row(f, x->dcs->names, x->dcs->n, x->dcs->holders + j * x->dcs->n);
		any = true;
	}
	if (report_provenance(m, x->accounts[j], line, sizeof(line))) {
		if (any)
			fputc('\n', f);
		text_wrap(f, width, 6, "", line);
		return;
	}
	if (any)
		fputc('\n', f);
}

void text_finding_shown(FILE *f, const struct spn_finding *x)
{
	if (!x->dcs)
		return;
	const struct spn_finding_dcs *d = x->dcs;
	size_t yes = 0;
	for (size_t i = 0; i < d->n; i++)
		yes += d->shown[i] == SPN_VIEW_YES;
	fputs("    Shown by ", f);
	if (yes == 0)
		fputs("no DC on its own yet: the values are on different DCs, and replication "
		      "brings them together", f);
	else
		text_row(f, d->names, d->n, d->shown);
	fputc('\n', f);
}

static void json_row(struct jw *w, const char *key, const struct spn_finding_dcs *d,
                     const uint8_t *row, uint8_t want)
{
	jw_key(w, key);
	jw_arr_begin(w);
	for (size_t i = 0; i < d->n; i++)
		if (row[i] == want)
			jw_str(w, d->names[i]);
	jw_arr_end(w);
}

void json_finding_holder(struct jw *w, const struct spn_finding *x, size_t j)
{
	if (!x->dcs || !x->spn)
		return;
	json_row(w, "on_dcs", x->dcs, x->dcs->holders + j * x->dcs->n, SPN_VIEW_YES);
	json_row(w, "not_on_dcs", x->dcs, x->dcs->holders + j * x->dcs->n, SPN_VIEW_NO);
}

void json_finding_shown(struct jw *w, const struct spn_finding *x)
{
	if (!x->dcs)
		return;
	json_row(w, "shown_by", x->dcs, x->dcs->shown, SPN_VIEW_YES);
	json_row(w, "not_shown_by", x->dcs, x->dcs->shown, SPN_VIEW_NO);
}

/* ---- The run: DCs and their differences ---- */

void text_dcs(FILE *f, const struct spn_dcs_report *r)
{
	fprintf(f, "Domain controllers (%zu):\n", r->ndcs);
	for (size_t i = 0; i < r->ndcs; i++) {
		const struct spn_dc_row *d = &r->dcs[i];
		fprintf(f, "  %s (%s): ", spn_printable(d->name), spn_printable(d->uri));
		if (d->error)
			fprintf(f, "NOT READ: %s\n", spn_printable(d->error));
		else
			fprintf(f, "read in %.1f s\n", d->seconds);
	}
	for (size_t i = 0; i < r->nnotes; i++)
		fprintf(f, "  Note: %s\n", spn_printable(r->notes[i]));
	size_t nd = r->views ? spn_views_ndiffs(r->views) : 0;
	if (nd) {
		const struct spn_model *u = spn_views_union_c(r->views);
		fprintf(f, "\nBetween DCs (%zu %s held by some DCs and not others):\n", nd,
		        nd == 1 ? "value" : "values");
		for (size_t i = 0; i < nd; i++) {
			const struct spn_view_diff *x = spn_views_diff(r->views, i);
			const struct spn_account *a = spn_model_account(u, x->account);
			fprintf(f, "  %s on %s: on ", spn_printable(spn_model_value(u, x->value)->str),
			        spn_printable(a->dn));
			text_row(f, r->names, r->ndcs, x->holds);
			fputc('\n', f);
		}
	}
	fputc('\n', f);
}

void json_dcs(struct jw *w, const struct spn_dcs_report *r)
{
	jw_key(w, "dcs");
	jw_arr_begin(w);
	for (size_t i = 0; i < r->ndcs; i++) {
		const struct spn_dc_row *d = &r->dcs[i];
		jw_obj_begin(w);
		jw_kstr(w, "name", d->name);
		jw_kstr(w, "host", d->host);
		jw_kstr(w, "uri", d->uri);
		jw_kbool(w, "in_dns", d->in_dns);
		jw_kbool(w, "in_configuration", d->in_config);
		jw_kbool(w, "read", d->error == NULL);
		jw_kstr(w, "error", d->error);
		jw_kuint(w, "milliseconds", (uint64_t)(d->seconds * 1000 + 0.5));
		jw_obj_end(w);
	}
	jw_arr_end(w);
	jw_key(w, "dc_notes");
	jw_arr_begin(w);
	for (size_t i = 0; i < r->nnotes; i++)
		jw_str(w, r->notes[i]);
	jw_arr_end(w);
	jw_key(w, "dc_differences");
	jw_arr_begin(w);
	size_t nd = r->views ? spn_views_ndiffs(r->views) : 0;
	const struct spn_model *u = r->views ? spn_views_union_c(r->views) : NULL;
	for (size_t i = 0; i < nd; i++) {
		const struct spn_view_diff *x = spn_views_diff(r->views, i);
		jw_obj_begin(w);
		jw_kstr(w, "spn", spn_model_value(u, x->value)->str);
		jw_kstr(w, "dn", spn_model_account(u, x->account)->dn);
		for (int want = SPN_VIEW_YES; want >= SPN_VIEW_NO; want--) {
			jw_key(w, want == SPN_VIEW_YES ? "on_dcs" : "not_on_dcs");
			jw_arr_begin(w);
			for (size_t k = 0; k < r->ndcs; k++)
				if (x->holds[k] == want)
					jw_str(w, r->names[k]);
			jw_arr_end(w);
		}
		jw_obj_end(w);
	}
	jw_arr_end(w);
}

/* ---- A change followed to every DC (--wait) ---- */

void text_follow(FILE *f, const struct spn_follow *w, double bound)
{
	fprintf(f, "\nWaiting for every DC (at most %.0f s):\n", bound);
	for (size_t i = 0; i < w->n; i++) {
		const struct spn_follow_dc *d = &w->dcs[i];
		fprintf(f, "  %s (%s): ", spn_printable(d->dc->name), spn_printable(d->dc->host));
		if (d->dir_seconds < 0) {
			fprintf(f, "STILL BEHIND after %.1f s: %s\n", w->seconds,
			        spn_printable(d->error[0] ? d->error : d->behind));
			continue;
		}
		fprintf(f, "directory after %.1f s", d->dir_seconds);
		if (d->kdc_asked && d->kdc_seconds >= 0)
			fprintf(f, ", KDC after %.1f s", d->kdc_seconds);
		else if (d->kdc_asked)
			fprintf(f, "; STILL BEHIND: %s", spn_printable(d->behind));
		fputc('\n', f);
	}
	if (w->no_ticket_cache)
		fputs("The KDCs were not asked: no usable ticket-granting ticket (kinit first).\n", f);
	if (w->converged) {
		fprintf(f, "Every DC agrees after %.1f s.\n", w->seconds);
		return;
	}
	fputs("Not every DC agrees after ", f);
	fprintf(f, "%.1f s: ", w->seconds);
	size_t k = 0;
	for (size_t i = 0; i < w->n; i++) {
		const struct spn_follow_dc *d = &w->dcs[i];
		if (d->dir_seconds >= 0 && (!d->kdc_asked || d->kdc_seconds >= 0))
			continue;
		fprintf(f, "%s%s", k++ ? ", " : "", spn_printable(d->dc->name));
	}
	fprintf(f, " %s still behind.\n", k == 1 ? "is" : "are");
}

static void json_ms(struct jw *w, const char *key, double s)
{
	jw_key(w, key);
	if (s < 0)
		jw_null(w);
	else
		jw_uint(w, (uint64_t)(s * 1000 + 0.5));
}

void json_follow(struct jw *w, const struct spn_follow *fw)
{
	jw_key(w, "wait");
	jw_obj_begin(w);
	jw_kbool(w, "converged", fw->converged);
	json_ms(w, "milliseconds", fw->seconds);
	jw_kbool(w, "kdcs_asked", !fw->no_ticket_cache);
	jw_key(w, "dcs");
	jw_arr_begin(w);
	for (size_t i = 0; i < fw->n; i++) {
		const struct spn_follow_dc *d = &fw->dcs[i];
		bool behind = d->dir_seconds < 0 || (d->kdc_asked && d->kdc_seconds < 0);
		jw_obj_begin(w);
		jw_kstr(w, "name", d->dc->name);
		jw_kstr(w, "host", d->dc->host);
		jw_kbool(w, "behind", behind);
		json_ms(w, "directory_ms", d->dir_seconds);
		json_ms(w, "kdc_ms", d->kdc_asked ? d->kdc_seconds : -1);
		jw_kstr(w, "lacks", behind && d->behind[0] ? d->behind : NULL);
		jw_kstr(w, "error", behind && d->error[0] ? d->error : NULL);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	jw_obj_end(w);
}
