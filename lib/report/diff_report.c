/*
 * diff_report.c - printing `spnctl diff` results (spn/diff.h) as text,
 * JSON or CSV (report.h, spn_report_diff), with the same helpers as the
 * other reports.
 */
#include <stdio.h>
#include <string.h>

#include "base/printable.h"
#include "report_int.h"

static void json_side(struct jw *w, const char *key, const struct spn_model *m)
{
	jw_key(w, key);
	jw_obj_begin(w);
	jw_kbool(w, "complete", spn_model_complete(m));
	jw_key(w, "sources");
	jw_arr_begin(w);
	for (size_t i = 0; i < spn_model_nsources(m); i++)
		jw_str(w, spn_model_source(m, i)->name);
	jw_arr_end(w);
	jw_kuint(w, "spn_values", spn_model_nvalues(m));
	jw_obj_end(w);
}

static void json_dns(struct jw *w, const char *key, const char **v, size_t n)
{
	jw_key(w, key);
	jw_arr_begin(w);
	for (size_t i = 0; i < n; i++)
		jw_str(w, v[i]);
	jw_arr_end(w);
}

void spn_report_diff_json(FILE *out, const struct spn_model *old, const struct spn_model *new,
                          const struct spn_changes *c)
{
	struct jw w;
	jw_init(&w, out);
	jw_obj_begin(&w);
	jw_kbool(&w, "complete", spn_model_complete(old) && spn_model_complete(new));
	json_side(&w, "old", old);
	json_side(&w, "new", new);
	jw_key(&w, "changes");
	jw_arr_begin(&w);
	for (size_t i = 0; i < c->n; i++) {
		const struct spn_change *ch = &c->v[i];
		jw_obj_begin(&w);
		jw_kstr(&w, "change", spn_change_name(ch->kind));
		jw_kstr(&w, "spn", ch->spn);
		json_dns(&w, "from", ch->from, ch->nfrom);
		json_dns(&w, "to", ch->to, ch->nto);
		jw_obj_end(&w);
	}
	jw_arr_end(&w);
	jw_key(&w, "summary");
	jw_obj_begin(&w);
	jw_kuint(&w, "added", c->added);
	jw_kuint(&w, "removed", c->removed);
	jw_kuint(&w, "moved", c->moved);
	jw_obj_end(&w);
	jw_key(&w, "gaps");
	jw_arr_begin(&w);
	for (size_t i = 0; i < spn_model_ngaps(old); i++)
		jw_str(&w, spn_model_gap(old, i));
	for (size_t i = 0; i < spn_model_ngaps(new); i++)
		jw_str(&w, spn_model_gap(new, i));
	jw_arr_end(&w);
	jw_obj_end(&w);
	jw_raw(&w, "\n", 1);
	jw_flush(&w);
}

void spn_report_diff_csv(FILE *out, const struct spn_changes *c)
{
	csv_field(out, "change", false);
	csv_field(out, "spn", true);
	csv_field(out, "side", true);
	csv_field(out, "dn", true);
	csv_end(out);
	for (size_t i = 0; i < c->n; i++) {
		const struct spn_change *ch = &c->v[i];
		for (int side = 0; side < 2; side++) {
			const char **v = side ? ch->to : ch->from;
			size_t n = side ? ch->nto : ch->nfrom;
			for (size_t j = 0; j < n; j++) {
				csv_field(out, spn_change_name(ch->kind), false);
				csv_field(out, ch->spn, true);
				csv_field(out, side ? "to" : "from", true);
				csv_field(out, v[j], true);
				csv_end(out);
			}
		}
	}
}

static void text_dns(FILE *out, const char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		fprintf(out, "%s%s", i ? "; " : "", spn_printable(v[i]));
}

void spn_report_diff_text(FILE *out, const struct spn_model *old, const struct spn_model *new,
                          const struct spn_changes *c)
{
	const struct spn_model *sides[2] = {old, new};
	for (int s = 0; s < 2; s++) {
		if (spn_model_complete(sides[s]))
			continue;
		fprintf(out, "INCOMPLETE (%s snapshot): the comparison cannot be trusted:\n",
		        s ? "new" : "old");
		for (size_t i = 0; i < spn_model_ngaps(sides[s]); i++)
			fprintf(out, "  %s\n", spn_printable(spn_model_gap(sides[s], i)));
		fputc('\n', out);
	}
	for (size_t i = 0; i < c->n; i++) {
		const struct spn_change *ch = &c->v[i];
		switch (ch->kind) {
		case SPN_CHANGE_ADDED:
			fprintf(out, "+ %s  ", spn_printable(ch->spn));
			text_dns(out, ch->to, ch->nto);
			break;
		case SPN_CHANGE_REMOVED:
			fprintf(out, "- %s  ", spn_printable(ch->spn));
			text_dns(out, ch->from, ch->nfrom);
			break;
		case SPN_CHANGE_MOVED:
			fprintf(out, "~ %s  ", spn_printable(ch->spn));
			text_dns(out, ch->from, ch->nfrom);
			fputs(" -> ", out);
			text_dns(out, ch->to, ch->nto);
			break;
		}
		fputc('\n', out);
	}
	fprintf(out, "%zu added, %zu removed, %zu moved\n", c->added, c->removed, c->moved);
}
