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

#include "report_int.h"

void json_head(struct jw *w, const struct spn_model *m)
{
	struct spn_model_stats st;
	spn_model_stats(m, &st);
	jw_obj_begin(w);
	jw_kbool(w, "complete", spn_model_complete(m));
	jw_key(w, "sources");
	jw_arr_begin(w);
	for (size_t i = 0; i < spn_model_nsources(m); i++) {
		const struct spn_source_info *s = spn_model_source(m, i);
		jw_obj_begin(w);
		jw_kstr(w, "name", s->name);
		jw_kstr(w, "kind", s->kind);
		jw_kuint(w, "entries", s->entries);
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

enum spn_rc spn_report_findings_json(FILE *out, const struct spn_model *m,
                                     const struct spn_findings *fs,
                                     const struct spn_dcs_report *dcs)
{
	struct jw w;
	jw_init(&w, out);
	json_head(&w, m);
	jw_key(&w, "findings");
	jw_arr_begin(&w);
	for (size_t i = 0; i < fs->n; i++) {
		const struct spn_finding *f = &fs->v[i];
		report_prefetch(m, fs, i);
		jw_obj_begin(&w);
		jw_kstr(&w, "code", f->code);
		jw_kstr(&w, "severity", spn_severity_name(f->severity));
		jw_kstr(&w, "spn", f->spn);
		jw_key(&w, "accounts");
		jw_arr_begin(&w);
		for (size_t j = 0; j < f->naccounts; j++) {
			json_account(&w, m, f->accounts[j]);
			json_finding_holder(&w, f, j);
			jw_obj_end(&w);
		}
		jw_arr_end(&w);
		json_finding_shown(&w, f);
		jw_kstr(&w, "message", f->message);
		jw_kstr(&w, "fix", f->fix);
		jw_obj_end(&w);
	}
	jw_arr_end(&w);
	if (dcs)
		json_dcs(&w, dcs);
	json_tail(&w, m);
	return report_status(out);
}

enum spn_rc spn_report_accounts_json(FILE *out, const struct spn_model *m,
                                     const uint32_t *ids, size_t n)
{
	struct jw w;
	jw_init(&w, out);
	json_head(&w, m);
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

enum spn_rc spn_report_query_json(FILE *out, const struct spn_model *m,
                                  const struct spn_query_result *q, size_t nq)
{
	struct jw w;
	jw_init(&w, out);
	json_head(&w, m);
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

enum spn_rc spn_report_resolutions_json(FILE *out, const struct spn_model *m,
                                        const struct spn_resolutions *r)
{
	struct jw w;
	jw_init(&w, out);
	json_head(&w, m);
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

enum spn_rc spn_report_checks_json(FILE *out, const struct spn_check *const *v, size_t n)
{
	struct jw w;
	jw_init(&w, out);
	jw_obj_begin(&w);
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
