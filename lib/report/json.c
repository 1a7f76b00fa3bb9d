/*
 * json.c - the JSON reports: findings, accounts, query matches,
 * resolutions and the check registry, for scripts (`-o json`).
 *
 * Every report over a model is one object:
 *   {"complete": bool, "sources": [{"name","kind","entries"}],
 *    "stats": {"entries","accounts","accounts_kept","spn_values",
 *              "distinct_spns","groups","domains"},
 *    <results>, "gaps": ["..."]}
 * where "accounts" counts account entries read and <results> is
 * "findings", "accounts", "queries" or "resolutions". Output streams
 * through json_writer.c, so memory stays constant however many results
 * there are. "complete": false (with the gaps named) is written whenever
 * the model has gaps, even when findings follow: partial data is never a
 * clean bill.
 */
#include <string.h>

#include "base/filetime.h"
#include "spn/probe.h"
#include "report_int.h"

/* "missing_attributes": [{"attribute", "effect"}] - which sources lack
 * each is said in "sources" (source_missing()). */
static void json_missing(struct jw *w, const struct spn_model *m)
{
	struct spn_missing miss[SPN_A_COUNT];
	size_t n = spn_model_missing(m, miss);
	jw_key(w, "missing_attributes");
	jw_arr_begin(w);
	for (size_t i = 0; i < n; i++) {
		jw_obj_begin(w);
		jw_kstr(w, "attribute", spn_attr_name(miss[i].attr));
		jw_kstr(w, "effect", miss[i].effect);
		jw_obj_end(w);
	}
	jw_arr_end(w);
}

/* A source's "missing_attributes": the names of those missing it lacks
 * (the forest-wide sPNMappings and dSHeuristics: every source). */
static void source_missing(struct jw *w, const struct spn_model *m, size_t s,
                           const struct spn_missing *miss, size_t n)
{
	jw_key(w, "missing_attributes");
	jw_arr_begin(w);
	for (size_t i = 0; i < n; i++) {
		enum spn_attr a = miss[i].attr;
		if (a == SPN_A_SPNMAPPINGS || a == SPN_A_DSHEURISTICS || !spn_model_source_has(m, s, a))
			jw_str(w, spn_attr_name(a));
	}
	jw_arr_end(w);
}

/* An ISO time of a FILETIME, or null for 0. */
static void json_time(struct jw *w, const char *key, int64_t ft)
{
	char iso[32];
	if (ft && spn_time_format_iso(spn_filetime_to_unix(ft), iso, sizeof(iso)))
		jw_kstr(w, key, iso);
	else
		jw_kstr(w, key, NULL);
}

void json_stamp(struct jw *w, const struct spn_report_opts *o)
{
	jw_kuint(w, "schema_version", SPN_JSON_SCHEMA);
	jw_kstr(w, "spnctl_version", o ? o->version : NULL);
	json_time(w, "audit_time", o ? o->audit_time : 0);
}

void json_head(struct jw *w, const struct spn_report_opts *o, const struct spn_model *m)
{
	struct spn_model_stats st;
	struct spn_missing miss[SPN_A_COUNT];
	size_t nmiss = spn_model_missing(m, miss);
	spn_model_stats(m, &st);
	jw_obj_begin(w);
	json_stamp(w, o);
	json_time(w, "now", o ? o->now : 0);
	jw_kbool(w, "complete", spn_model_complete(m));
	jw_key(w, "sources");
	jw_arr_begin(w);
	for (size_t i = 0; i < spn_model_nsources(m); i++) {
		const struct spn_source_info *s = spn_model_source(m, i);
		jw_obj_begin(w);
		jw_kstr(w, "name", s->name);
		jw_kstr(w, "kind", s->kind);
		jw_kuint(w, "entries", s->entries);
		json_time(w, "time", s->time);
		jw_kstr(w, "time_from", spn_time_from_name(s->time_from));
		source_missing(w, m, i, miss, nmiss);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	jw_key(w, "stats");
	jw_obj_begin(w);
	jw_kuint(w, "entries", st.entries);
	jw_kuint(w, "accounts", st.accounts_seen);
	jw_kuint(w, "accounts_kept", st.accounts);
	jw_kuint(w, "spn_values", st.spn_values);
	jw_kuint(w, "distinct_spns", st.distinct_spns);
	jw_kuint(w, "groups", st.groups);
	jw_kuint(w, "domains", st.domains);
	jw_obj_end(w);
}

void json_tail(struct jw *w, const struct spn_model *m)
{
	json_missing(w, m);
	jw_key(w, "gaps");
	jw_arr_begin(w);
	for (size_t i = 0; i < spn_model_ngaps(m); i++)
		jw_str(w, spn_model_gap(m, i));
	jw_arr_end(w);
	jw_obj_end(w);
	jw_raw(w, "\n", 1);
	jw_flush(w);
}

void json_account(struct jw *w, const struct spn_model *m, uint32_t id)
{
	const struct spn_account *a = spn_model_account(m, id);
	jw_obj_begin(w);
	jw_kstr(w, "dn", a->dn);
	jw_kstr(w, "sam", a->sam);
	jw_kstr(w, "kind", spn_kind_name((enum spn_kind)a->kind));
	jw_kstr(w, "domain", a->domain);
	jw_kstr(w, "upn", a->upn);
	jw_kbool(w, "disabled", spn_account_disabled(a));
	json_provenance(w, m, id);
}

/* "spns": the SPNs an account holds (for findings about an account, not
 * one name). */
static void json_account_spns(struct jw *w, const struct spn_model *m, const struct spn_account *a)
{
	jw_key(w, "spns");
	jw_arr_begin(w);
	for (uint32_t k = 0; k < a->nspn; k++) {
		const struct spn_value *v = spn_model_value(m, a->spn_first + k);
		jw_strn(w, v->str, v->len);
	}
	jw_arr_end(w);
}

/* "details": what the checks judged an account by, as numbers a script
 * can compare: userAccountControl and its flags by name, the
 * msDS-SupportedEncryptionTypes bits, when the password was set and its
 * age in days as of the time the audit measured to (--now, else the
 * source's own time: spn_check_now). null when the attribute was not
 * read. */
static void json_account_details(struct jw *w, const struct spn_report_opts *o,
                                 const struct spn_model *m, const struct spn_account *a)
{
	char text[256];
	jw_key(w, "details");
	jw_obj_begin(w);
	if (a->has & SPN_HAS_UAC) {
		jw_kuint(w, "uac", a->uac);
		jw_key(w, "uac_flags");
		jw_arr_begin(w);
		for (uint32_t b = 1; b; b <<= 1)
			if ((a->uac & b) && spn_uac_flag_name(b))
				jw_str(w, spn_uac_flag_name(b));
		jw_arr_end(w);
	} else {
		jw_kstr(w, "uac", NULL);
		jw_kstr(w, "uac_flags", NULL);
	}
	if (a->has & SPN_HAS_ENCTYPES) {
		jw_kuint(w, "enctypes", a->enctypes);
		spn_enctype_bits_text(a->enctypes, text, sizeof(text));
		jw_kstr(w, "enctypes_text", text);
	} else {
		jw_kstr(w, "enctypes", NULL);
		jw_kstr(w, "enctypes_text", NULL);
	}
	if ((a->has & SPN_HAS_PWDLASTSET) && a->pwd_last_set > 0) {
		struct spn_check_opts co;
		spn_check_opts_default(&co);
		co.now = o ? o->now : 0;
		int64_t now = spn_check_now(m, a, &co, NULL);
		json_time(w, "password_last_set", a->pwd_last_set);
		if (now >= a->pwd_last_set)
			jw_kuint(w, "password_age_days", (uint64_t)spn_filetime_days(a->pwd_last_set, now));
		else
			jw_kstr(w, "password_age_days", NULL);  /* set after the time measured to */
	} else {
		jw_kstr(w, "password_last_set", NULL);
		jw_kstr(w, "password_age_days", NULL);
	}
	jw_obj_end(w);
}

enum spn_rc spn_report_findings_json(FILE *out, const struct spn_report_opts *o,
                                     const struct spn_model *m,
                                     const struct spn_findings *fs)
{
	struct jw w;
	jw_init(&w, out);
	json_head(&w, o, m);
	jw_key(&w, "findings");
	jw_arr_begin(&w);
	for (size_t i = 0; i < fs->n; i++) {
		const struct spn_finding *f = &fs->v[i];
		char id[SPN_FINDING_ID_LEN + 1];
		report_prefetch(m, fs, i);
		jw_obj_begin(&w);
		jw_kstr(&w, "id", spn_finding_id(m, f, id) ? id : NULL);
		jw_kstr(&w, "code", f->code);
		jw_kstr(&w, "severity", spn_severity_name(f->severity));
		jw_kstr(&w, "spn", f->spn);
		jw_key(&w, "accounts");
		jw_arr_begin(&w);
		for (size_t j = 0; j < f->naccounts; j++) {
			json_account(&w, m, f->accounts[j]);
			if (f->values) {
				const struct spn_value *v = f->values[j] != SPN_NONE
				                            ? spn_model_value(m, f->values[j]) : NULL;
				jw_key(&w, "stored");
				if (v)
					jw_strn(&w, v->str, v->len);
				else
					jw_null(&w);
			}
			if (f->roles)
				jw_kstr(&w, "role", spn_role_name((enum spn_role)f->roles[j]));
			json_finding_holder(&w, f, j);
			const struct spn_account *acc = spn_model_account(m, f->accounts[j]);
			if (!f->spn)
				json_account_spns(&w, m, acc);
			json_account_details(&w, o, m, acc);
			jw_obj_end(&w);
		}
		jw_arr_end(&w);
		json_finding_shown(&w, f);
		jw_kstr(&w, "message", f->message);
		jw_kstr(&w, "fix", f->fix);
		jw_kbool(&w, "accepted", f->accepted);
		jw_obj_end(&w);
	}
	jw_arr_end(&w);
	if (o && o->dcs)
		json_dcs(&w, o->dcs);
	json_tail(&w, m);
	return report_status(out);
}

enum spn_rc spn_report_accounts_json(FILE *out, const struct spn_report_opts *o,
                                     const struct spn_model *m,
                                     const uint32_t *ids, size_t n)
{
	struct jw w;
	jw_init(&w, out);
	json_head(&w, o, m);
	jw_key(&w, "accounts");
	jw_arr_begin(&w);
	for (size_t i = 0; i < n; i++) {
		const struct spn_account *a = spn_model_account(m, ids[i]);
		json_account(&w, m, ids[i]);
		jw_kstr(&w, "dns_host", a->dns_host);
		jw_key(&w, "spns");
		jw_arr_begin(&w);
		for (uint32_t k = 0; k < a->nspn; k++) {
			const struct spn_value *v = spn_model_value(m, a->spn_first + k);
			jw_strn(&w, v->str, v->len);
		}
		jw_arr_end(&w);
		jw_obj_end(&w);
	}
	jw_arr_end(&w);
	json_tail(&w, m);
	return report_status(out);
}

enum spn_rc spn_report_query_json(FILE *out, const struct spn_report_opts *o,
                                  const struct spn_model *m,
                                  const struct spn_query_result *q, size_t nq)
{
	struct jw w;
	jw_init(&w, out);
	json_head(&w, o, m);
	jw_key(&w, "queries");
	jw_arr_begin(&w);
	for (size_t i = 0; i < nq; i++) {
		jw_obj_begin(&w);
		jw_kstr(&w, "pattern", q[i].pattern);
		jw_key(&w, "matches");
		jw_arr_begin(&w);
		for (size_t g = 0; g < q[i].ngroups; g++) {
			const struct spn_query_group *grp = &q[i].groups[g];
			const struct spn_value *head = spn_model_value(m, grp->head);
			jw_obj_begin(&w);
			jw_key(&w, "spn");
			jw_strn(&w, head->str, head->len);
			jw_key(&w, "accounts");
			jw_arr_begin(&w);
			for (size_t k = 0; k < grp->nvalues; k++) {
				const struct spn_value *v = spn_model_value(m, grp->values[k]);
				json_account(&w, m, v->account);
				jw_key(&w, "stored");
				jw_strn(&w, v->str, v->len);
				jw_obj_end(&w);
			}
			jw_arr_end(&w);
			jw_obj_end(&w);
		}
		jw_arr_end(&w);
		jw_obj_end(&w);
	}
	jw_arr_end(&w);
	json_tail(&w, m);
	return report_status(out);
}

enum spn_rc spn_report_resolutions_json(FILE *out, const struct spn_report_opts *o,
                                        const struct spn_model *m,
                                        const struct spn_resolutions *r)
{
	struct jw w;
	jw_init(&w, out);
	json_head(&w, o, m);
	jw_key(&w, "resolutions");
	jw_arr_begin(&w);
	for (size_t i = 0; i < r->n; i++) {
		const struct spn_resolution *x = &r->v[i];
		jw_obj_begin(&w);
		jw_kstr(&w, "spn", x->spn);
		jw_kstr(&w, "domain", x->domain);
		jw_kstr(&w, "outcome", spn_outcome_name(x->outcome));
		jw_key(&w, "account");
		if (x->account != SPN_NONE) {
			json_account(&w, m, x->account);
			jw_obj_end(&w);
		} else {
			jw_null(&w);
		}
		jw_kstr(&w, "matched", x->matched);
		jw_kstr(&w, "kerberos_error", x->kerberos_error);
		jw_kstr(&w, "summary", x->summary);
		jw_key(&w, "steps");
		jw_arr_begin(&w);
		for (size_t s = 0; s < x->nsteps; s++)
			jw_str(&w, x->steps[s]);
		jw_arr_end(&w);
		jw_obj_end(&w);
	}
	jw_arr_end(&w);
	json_tail(&w, m);
	return report_status(out);
}

enum spn_rc spn_report_checks_json(FILE *out, const struct spn_report_opts *o,
                                   const struct spn_check *const *v, size_t n)
{
	struct jw w;
	jw_init(&w, out);
	jw_obj_begin(&w);
	json_stamp(&w, o);
	jw_key(&w, "checks");
	jw_arr_begin(&w);
	for (size_t i = 0; i < n; i++) {
		jw_obj_begin(&w);
		jw_kstr(&w, "code", v[i]->code);
		jw_kstr(&w, "severity", spn_severity_name(v[i]->severity));
		jw_kbool(&w, "dups", (v[i]->flags & SPN_CHECK_DUPS) != 0);
		jw_kstr(&w, "title", v[i]->title);
		jw_kstr(&w, "explain", v[i]->explain);
		jw_obj_end(&w);
	}
	jw_arr_end(&w);
	jw_obj_end(&w);
	jw_raw(&w, "\n", 1);
	jw_flush(&w);
	return report_status(out);
}
