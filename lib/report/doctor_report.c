/*
 * doctor_report.c - `spnctl doctor TARGET` on one screen (spn/doctor.h):
 * what DNS answered, the SPNs clients ask for and who asks, each SPN's
 * block (probe_report.c's text_diag without its fixes), delegation from
 * the front end, the verdict, and the fix for the whole service; or JSON
 * with the same parts.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "base/printable.h"
#include "report_int.h"
#include "spn/doctor.h"

static void text_dns(FILE *f, unsigned width, const struct spn_doctor *d)
{
	char buf[1024];
	const char *host = d->target.host;
	if (!host[0] || d->target.scheme == SPN_SCHEME_SPN)
		return;
	if (!d->canonical[0])
		snprintf(buf, sizeof(buf), "no answer for %s (%s): the SPNs are built from the name as "
		         "typed%s", host, d->dns_why[0] ? d->dns_why : "?",
		         d->der.fqdn[0] && strcmp(d->der.fqdn, host) != 0 ? " and the realm's domain" : "");
	else if (d->der.alias)
		snprintf(buf, sizeof(buf), "%s is an alias of %s (the resolver's canonical name: a CNAME "
		         "or hosts entry); clients that follow it ask for %s's SPNs", host, d->canonical,
		         d->der.fqdn);
	else if (strcasecmp(d->canonical, host) != 0)
		snprintf(buf, sizeof(buf), "%s is %s", host, d->canonical);
	else
		snprintf(buf, sizeof(buf), "%s is its own canonical name (no alias)", host);
	text_labelled(f, width, 2, "DNS:", buf);
}

static void text_spns(FILE *f, unsigned width, const struct spn_doctor *d)
{
	for (size_t i = 0; i < d->der.n; i++) {
		char buf[1024];
		snprintf(buf, sizeof(buf), "%s - %s", d->der.v[i].spn, spn_asker_text(d->der.v[i].asker));
		text_labelled(f, width, 2, i ? "" : "SPNs:", buf);
	}
	if (d->der.note)
		text_labelled(f, width, 2, "Note:", d->der.note);
}

static void text_delegation(FILE *f, unsigned width, const struct spn_doctor *d)
{
	if (!d->have_delegation)
		return;
	fprintf(f, "\nDelegation from %s (--via):\n", spn_printable(d->deleg.via));
	for (size_t i = 0; i < d->deleg.nlines; i++)
		text_wrap(f, width, 2, "", d->deleg.lines[i]);
}

static void text_doctor(FILE *f, unsigned width, const struct spn_model *m,
                        const struct spn_doctor *d)
{
	text_incomplete(f, m);
	fprintf(f, "%s\n", spn_printable(d->text));
	text_dns(f, width, d);
	if (d->realm[0])
		text_labelled(f, width, 2, "Realm:", d->realm);
	text_spns(f, width, d);
	for (size_t i = 0; i < d->diags.n; i++) {
		const struct spn_diag *x = &d->diags.v[i];
		fprintf(f, "\n%s: %s\n", spn_printable(x->spn), x->verdict ? x->verdict : "?");
		text_diag(f, width, m, x, 2, false);
	}
	text_delegation(f, width, d);
	fputc('\n', f);
	text_labelled(f, width, 0, "Verdict:", d->verdict);
	for (size_t i = 0; i < d->nfixes; i++)
		text_labelled(f, width, 0, i ? "" : "Fix:", d->fixes[i]);
	if (!d->nfixes)
		text_labelled(f, width, 0, "Fix:", "nothing to change");
}

static void json_delegation(struct jw *w, const struct spn_model *m, const struct spn_doctor *d)
{
	const struct spn_delegation *g = &d->deleg;
	jw_key(w, "delegation");
	if (!d->have_delegation) {
		jw_null(w);
		return;
	}
	jw_obj_begin(w);
	jw_kstr(w, "via", g->via);
	json_opt_account(w, m, "frontend", g->frontend);
	jw_kstr(w, "spn", g->spn);
	json_opt_account(w, m, "target", g->target);
	jw_kuint(w, "targets", g->ntargets);
	jw_kstr(w, "kind", spn_deleg_kind_name(g->kind));
	jw_kbool(w, "constrained", g->constrained);
	jw_kstr(w, "listed", g->listed);
	jw_kbool(w, "protocol_transition", g->protocol_transition);
	jw_kbool(w, "resource_based", g->resource);
	jw_kbool(w, "resource_based_denied", g->resource_denied);
	jw_kbool(w, "unconstrained", g->unconstrained);
	json_strs(w, "lines", g->lines, g->nlines);
	jw_obj_end(w);
}

static void json_doctor(FILE *f, const struct spn_report_opts *o, const struct spn_model *m,
                        const struct spn_doctor *d)
{
	struct jw w;
	jw_init(&w, f);
	json_head(&w, o, m);
	jw_kstr(&w, "target", d->text);
	jw_kstr(&w, "host", d->target.host[0] ? d->target.host : NULL);
	jw_kstr(&w, "canonical", d->canonical[0] ? d->canonical : NULL);
	jw_kstr(&w, "dns_error", d->dns_why[0] ? d->dns_why : NULL);
	jw_kbool(&w, "alias", d->der.alias);
	jw_kstr(&w, "realm", d->realm[0] ? d->realm : NULL);
	jw_kstr(&w, "note", d->der.note);
	jw_key(&w, "spns");
	jw_arr_begin(&w);
	for (size_t i = 0; i < d->diags.n; i++) {
		jw_obj_begin(&w);
		jw_kstr(&w, "asked_by", spn_asker_text(d->der.v[i].asker));
		jw_kbool(&w, "primary", d->der.v[i].primary);
		json_diag(&w, m, &d->diags.v[i]);
		jw_obj_end(&w);
	}
	jw_arr_end(&w);
	json_delegation(&w, m, d);
	jw_kstr(&w, "verdict", d->verdict);
	json_strs(&w, "fix", d->fixes, d->nfixes);
	jw_kuint(&w, "exit_status", (uint64_t)spn_doctor_status(d));
	json_tail(&w, m);
}

enum spn_rc spn_report_doctor(FILE *out, const struct spn_report_opts *o, const struct spn_model *m,
                              const struct spn_doctor *d)
{
	enum spn_format fmt = o ? o->format : SPN_FORMAT_TEXT;
	if (fmt == SPN_FORMAT_JSON)
		json_doctor(out, o, m, d);
	else if (fmt == SPN_FORMAT_TEXT)
		text_doctor(out, o ? o->width : 0, m, d);
	else
		return SPN_USAGE;
	return report_status(out);
}
