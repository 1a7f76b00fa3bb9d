/*
 * probe_report.c - `spnctl probe`: the KDC's answer for each SPN tied to
 * the directory (spn/diag.h), as text for people or JSON for scripts. The
 * per-SPN block (text_diag, json_diag) is doctor's too (doctor_report.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/printable.h"
#include "report_int.h"
#include "spn/diag.h"

#define LABEL 11   /* "Directory: " */

void text_labelled(FILE *f, unsigned width, int indent, const char *label, const char *text)
{
	char prefix[32];
	snprintf(prefix, sizeof(prefix), "%-*s", LABEL, label);
	text_wrap(f, width, indent, prefix, text);
}

static void holder_line(FILE *f, unsigned width, const struct spn_model *m, int indent,
                        const char *label, const char *as, uint32_t id)
{
	const struct spn_account *a = spn_model_account(m, id);
	char *desc = NULL, *line = NULL;
	size_t dn = 0, ln = 0;
	FILE *s = open_memstream(&desc, &dn);
	if (s) {
		text_account(s, m, id);
		fclose(s);
	}
	char kv[32] = "";
	if (a->has & SPN_HAS_KVNO)
		snprintf(kv, sizeof(kv), ", kvno %u", (unsigned)a->kvno);
	s = open_memstream(&line, &ln);
	if (s) {
		fprintf(s, "%s%s%s %s%s", as ? as : "", as ? " on " : "", a->dn, desc ? desc : "", kv);
		fclose(s);
	}
	text_labelled(f, width, indent, label, line ? line : a->dn);
	free(desc);
	free(line);
}

static void text_directory(FILE *f, unsigned width, const struct spn_model *m,
                           const struct spn_diag *d, int in)
{
	size_t n = d->nholders < SPN_DIAG_MAX_HOLDERS ? d->nholders : SPN_DIAG_MAX_HOLDERS;
	size_t na = d->nalias_holders < SPN_DIAG_MAX_HOLDERS ? d->nalias_holders : SPN_DIAG_MAX_HOLDERS;
	const char *label = "Directory:";
	for (size_t i = 0; i < n; i++, label = "")
		holder_line(f, width, m, in, label, NULL, d->holders[i]);
	if (d->nholders > n)
		fprintf(f, "%*s%-*s... and %zu more\n", in, "", LABEL, "", d->nholders - n);
	/* The alias counts when nobody holds the name, or to show what it shadows. */
	for (size_t i = 0; i < na; i++, label = "")
		holder_line(f, width, m, in, label, d->alias_spn, d->alias_holders[i]);
	if (n == 0 && na == 0) {
		char buf[600];
		snprintf(buf, sizeof(buf), "nobody in %s holds it%s%s",
		         d->domain ? d->domain : "the directory read",
		         d->alias_spn ? ", nor " : "", d->alias_spn ? d->alias_spn : "");
		text_labelled(f, width, in, label, buf);
	}
}

void text_diag(FILE *f, unsigned width, const struct spn_model *m, const struct spn_diag *d, int in,
               bool fixes)
{
	const struct spn_probe_result *p = d->probe;
	if (p->summary)
		text_labelled(f, width, in, "KDC:", p->summary);
	if (!spn_probe_asked(p->status))
		return;
	text_directory(f, width, m, d, in);
	if (d->key_text)
		text_labelled(f, width, in, "Key:", d->key_text);
	for (size_t i = 0; i < d->nwhy; i++)
		text_labelled(f, width, in, i ? "" : "Why:", d->why[i]);
	if (d->prediction_text)
		text_labelled(f, width, in, "Predicted:", d->prediction_text);
	if (d->keytab_text)
		text_labelled(f, width, in, "Keytab:", d->keytab_text);
	for (size_t i = 0; fixes && i < d->nfixes; i++)
		text_labelled(f, width, in, i ? "" : "Fix:", d->fixes[i]);
}

static void text_probes(FILE *f, unsigned width, const struct spn_model *m,
                        const struct spn_diags *ds, const char *default_keytab)
{
	size_t issued = 0, refused = 0, unasked = 0;
	text_incomplete(f, m);
	for (size_t i = 0; i < ds->n; i++) {
		const struct spn_diag *d = &ds->v[i];
		if (i)
			fputc('\n', f);
		fprintf(f, "%s: %s\n", spn_printable(d->spn), d->verdict ? d->verdict : "?");
		text_diag(f, width, m, d, 2, true);
		if (d->probe->status == SPN_PROBE_ISSUED)
			issued++;
		else if (spn_probe_asked(d->probe->status))
			refused++;
		else
			unasked++;
	}
	if (ds->n > 1)
		fprintf(f, "\n%zu SPNs: %zu ticket%s issued, %zu refused, %zu not asked\n", ds->n,
		        issued, issued == 1 ? "" : "s", refused, unasked);
	if (default_keytab && issued) {
		char buf[1200];
		snprintf(buf, sizeof(buf), "The default keytab %s is readable: add --keytab %s to "
		         "see whether it opens these tickets, as the service would.", default_keytab,
		         default_keytab);
		fputc('\n', f);
		text_wrap(f, width, 0, "", buf);
	}
}

/* ---- JSON ---- */

static void json_holders(struct jw *w, const struct spn_model *m, const char *key,
                         const uint32_t *ids, size_t n)
{
	jw_key(w, key);
	jw_arr_begin(w);
	for (size_t i = 0; i < n && i < SPN_DIAG_MAX_HOLDERS; i++) {
		const struct spn_account *a = spn_model_account(m, ids[i]);
		json_account(w, m, ids[i]);
		jw_key(w, "kvno");
		if (a->has & SPN_HAS_KVNO)
			jw_uint(w, a->kvno);
		else
			jw_null(w);
		jw_obj_end(w);
	}
	jw_arr_end(w);
}

void json_opt_account(struct jw *w, const struct spn_model *m, const char *key, uint32_t id)
{
	jw_key(w, key);
	if (id == SPN_NONE) {
		jw_null(w);
		return;
	}
	json_account(w, m, id);
	jw_obj_end(w);
}

void json_strs(struct jw *w, const char *key, const char *const *v, size_t n)
{
	jw_key(w, key);
	jw_arr_begin(w);
	for (size_t i = 0; i < n; i++)
		jw_str(w, v[i]);
	jw_arr_end(w);
}

static void json_keytab(struct jw *w, const struct spn_diag *d)
{
	const struct spn_keytab_check *k = d->keytab;
	jw_key(w, "keytab");
	if (!k) {
		jw_null(w);
		return;
	}
	jw_obj_begin(w);
	jw_kstr(w, "name", k->keytab);
	jw_kstr(w, "status", spn_keytab_status_name(k->status));
	jw_kbool(w, "opens", d->keytab_opens);
	jw_kstr(w, "summary", k->summary);
	jw_kstr(w, "text", d->keytab_text);
	jw_key(w, "keys");
	jw_arr_begin(w);
	for (size_t i = 0; i < k->nkeys; i++) {
		jw_obj_begin(w);
		jw_kstr(w, "principal", k->keys[i].principal);
		jw_kuint(w, "kvno", k->keys[i].kvno);
		jw_kint(w, "enctype", k->keys[i].enctype);
		jw_kstr(w, "enctype_name", spn_enctype_name(k->keys[i].enctype));
		jw_kbool(w, "opens", k->keys[i].opens);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	jw_obj_end(w);
}

static void json_probe(struct jw *w, const struct spn_probe_result *p)
{
	jw_kstr(w, "principal", p->principal);
	jw_kstr(w, "client", p->client);
	jw_kstr(w, "status", spn_probe_status_name(p->status));
	jw_kbool(w, "asked", spn_probe_asked(p->status));
	jw_kint(w, "code", p->code);
	jw_kstr(w, "code_name", p->code_name);
	jw_kstr(w, "message", p->message);
	jw_kstr(w, "summary", p->summary);
	jw_kstr(w, "server", p->server);
	bool issued = p->status == SPN_PROBE_ISSUED;
	jw_key(w, "enctype");
	if (issued)
		jw_int(w, p->enctype);
	else
		jw_null(w);
	jw_kstr(w, "enctype_name", issued ? spn_enctype_name(p->enctype) : NULL);
	jw_key(w, "kvno");
	if (issued)
		jw_uint(w, p->kvno);
	else
		jw_null(w);
	jw_kstr(w, "session_enctype_name", issued ? spn_enctype_name(p->session_enctype) : NULL);
}

static const char *kvno_match_name(enum spn_kvno_match k)
{
	return k == SPN_KVNO_SAME ? "same" : k == SPN_KVNO_DIFFERS ? "differs" : "unknown";
}

void json_diag(struct jw *w, const struct spn_model *m, const struct spn_diag *d)
{
	jw_kstr(w, "spn", d->spn);
	json_probe(w, d->probe);
	jw_kstr(w, "verdict", d->verdict);
	jw_kstr(w, "domain", d->domain);
	json_holders(w, m, "holders", d->holders, d->nholders);
	jw_kstr(w, "alias_spn", d->alias_spn);
	json_holders(w, m, "alias_holders", d->alias_holders, d->nalias_holders);
	json_opt_account(w, m, "key_account", d->key_account);
	jw_kstr(w, "kvno_match", kvno_match_name(d->kvno_match));
	jw_kstr(w, "key", d->key_text);
	json_opt_account(w, m, "likely_owner", d->likely_owner);
	jw_key(w, "prediction");
	if (d->prediction) {
		jw_obj_begin(w);
		jw_kstr(w, "outcome", spn_outcome_name(d->prediction->outcome));
		jw_kstr(w, "domain", d->prediction->domain);
		json_opt_account(w, m, "account", d->prediction->account);
		jw_kstr(w, "kerberos_error", d->prediction->kerberos_error);
		jw_kstr(w, "summary", d->prediction->summary);
		jw_obj_end(w);
	} else {
		jw_null(w);
	}
	jw_kstr(w, "agreement", spn_agreement_name(d->agreement));
	jw_kstr(w, "prediction_text", d->prediction_text);
	json_strs(w, "why", d->why, d->nwhy);
	json_keytab(w, d);
	json_strs(w, "fix", d->fixes, d->nfixes);
	jw_kuint(w, "exit_status", (uint64_t)spn_diag_status(d));
}

static void json_probes(FILE *f, const struct spn_report_opts *o, const struct spn_model *m,
                        const struct spn_diags *ds, const char *default_keytab)
{
	struct jw w;
	jw_init(&w, f);
	json_head(&w, o, m);
	jw_key(&w, "probes");
	jw_arr_begin(&w);
	for (size_t i = 0; i < ds->n; i++) {
		jw_obj_begin(&w);
		json_diag(&w, m, &ds->v[i]);
		jw_obj_end(&w);
	}
	jw_arr_end(&w);
	jw_kstr(&w, "default_keytab", default_keytab);
	json_tail(&w, m);
}

enum spn_rc spn_report_probes(FILE *out, const struct spn_report_opts *o, const struct spn_model *m,
                              const struct spn_diags *ds, const char *default_keytab)
{
	enum spn_format fmt = o ? o->format : SPN_FORMAT_TEXT;
	if (fmt == SPN_FORMAT_JSON)
		json_probes(out, o, m, ds, default_keytab);
	else if (fmt == SPN_FORMAT_TEXT)
		text_probes(out, o ? o->width : 0, m, ds, default_keytab);
	else
		return SPN_USAGE;
	return report_status(out);
}
