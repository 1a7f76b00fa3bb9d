/*
 * plan_report.c - printing SPN changes: a plan (`spnctl fix`), the results
 * of carrying one out (fix --apply, add, rm, reset, undo) as they come, and
 * why an add was refused before anything was written.
 *
 * Formats: text for people (each change with its reason, wrapped like the
 * audit), JSON for scripts, LDIF that ldapmodify and ldifde -i accept (a
 * plan only: one change record per step, its reason as a comment above it,
 * undecided duplicates as comments), and setspn's own wording
 * ("Registering ServicePrincipalNames for ...", "Updated object",
 * "Duplicate SPN found, aborting operation!", in setspn_text.c) for
 * scripts written against setspn.exe.
 */
#include <stdlib.h>
#include <string.h>

#include "base/cmdline_word.h"
#include "base/ldif_line.h"
#include "base/printable.h"
#include "report_int.h"
#include "spn/apply.h"
#include "spn/plan.h"
#include "spn/precheck.h"
#include "spn/spn.h"

static const char *acc(const char *sam, const char *dn)
{
	return sam ? sam : dn;
}

#define LINE_MAX_SHOWN 4096   /* a composed line; shown, at most 8 times as long */

/* text_wrap() of a line that holds values from the directory: hidden and
 * control characters shown as <U+XXXX> (spn_visible), so that a spelling
 * with a zero-width space is told from the plain one and no value breaks
 * a line. */
static void wrap_shown(FILE *f, unsigned width, int indent, const char *line)
{
	char shown[8 * LINE_MAX_SHOWN + 1];
	text_wrap(f, width, indent, "", spn_visible(line, shown, sizeof(shown)));
}

/* ---- The plan ---- */

static void plan_text(FILE *f, unsigned width, const struct spn_plan *p, bool applying)
{
	char line[LINE_MAX_SHOWN];
	if (!p->complete)
		fputs("INCOMPLETE: the directory was not read in full, so this plan may miss copies "
		      "and is not carried out.\n\n", f);
	fprintf(f, "%zu change%s, %zu undecided\n", p->nsteps, p->nsteps == 1 ? "" : "s",
	        p->nundecided);
	for (size_t i = 0; i < p->nsteps; i++) {
		const struct spn_step *s = &p->steps[i];
		fputc('\n', f);
		snprintf(line, sizeof(line), "%s %s %s %s (%s)", s->op == SPN_STEP_ADD ? "add" : "remove",
		         s->spn, s->op == SPN_STEP_ADD ? "to" : "from", acc(s->sam, s->dn), s->dn);
		wrap_shown(f, width, 2, line);
		if (s->reason) {
			snprintf(line, sizeof(line), "%s%s%s", s->finding ? s->finding : "",
			         s->finding ? ": " : "", s->reason);
			wrap_shown(f, width, 4, line);
		}
	}
	if (p->nundecided)
		fputs("\nUndecided (nothing is changed for these):\n", f);
	for (size_t i = 0; i < p->nundecided; i++) {
		const struct spn_undecided *u = &p->undecided[i];
		char shown[8 * LINE_MAX_SHOWN + 1];
		fprintf(f, "\n  %s\n", spn_visible(u->spn, shown, sizeof(shown)));
		for (size_t j = 0; j < u->n; j++) {
			snprintf(line, sizeof(line), "%s (%s)", u->dns[j],
			         u->sams[j] ? u->sams[j] : "no sAMAccountName");
			fprintf(f, "    %s\n", spn_visible(line, shown, sizeof(shown)));
		}
		snprintf(line, sizeof(line), "%s: %s", u->finding, u->reason);
		wrap_shown(f, width, 4, line);
	}
	if (p->unfixable) {
		snprintf(line, sizeof(line), "%zu other finding%s (kerberoastable, privileged, ...) %s "
		         "no SPN change fixes: see spnctl audit.", p->unfixable,
		         p->unfixable == 1 ? "" : "s", p->unfixable == 1 ? "is one" : "are ones");
		fputc('\n', f);
		text_wrap(f, width, 0, "", line);
	}
	if (p->nsteps && !applying) {
		fputc('\n', f);
		text_wrap(f, width, 0, "", "Nothing has been changed. To carry this out: spnctl fix --apply "
		          "(asks before each change; --yes does not), or write it as LDIF (-o ldif) for "
		          "ldapmodify or ldifde -i.");
	}
}

static void plan_json(FILE *f, const struct spn_report_opts *o, const struct spn_plan *p)
{
	struct jw w;
	jw_init(&w, f);
	jw_obj_begin(&w);
	json_stamp(&w, o);
	jw_kbool(&w, "complete", p->complete);
	jw_key(&w, "steps");
	jw_arr_begin(&w);
	for (size_t i = 0; i < p->nsteps; i++) {
		const struct spn_step *s = &p->steps[i];
		jw_obj_begin(&w);
		jw_kstr(&w, "op", spn_step_op_name(s->op));
		jw_kstr(&w, "spn", s->spn);
		jw_kstr(&w, "dn", s->dn);
		jw_kstr(&w, "sam", s->sam);
		jw_kstr(&w, "finding", s->finding);
		jw_kstr(&w, "reason", s->reason);
		jw_obj_end(&w);
	}
	jw_arr_end(&w);
	jw_key(&w, "undecided");
	jw_arr_begin(&w);
	for (size_t i = 0; i < p->nundecided; i++) {
		const struct spn_undecided *u = &p->undecided[i];
		jw_obj_begin(&w);
		jw_kstr(&w, "spn", u->spn);
		jw_kstr(&w, "finding", u->finding);
		jw_key(&w, "holders");
		jw_arr_begin(&w);
		for (size_t j = 0; j < u->n; j++) {
			jw_obj_begin(&w);
			jw_kstr(&w, "dn", u->dns[j]);
			jw_kstr(&w, "sam", u->sams[j]);
			jw_obj_end(&w);
		}
		jw_arr_end(&w);
		jw_kstr(&w, "reason", u->reason);
		jw_obj_end(&w);
	}
	jw_arr_end(&w);
	jw_kuint(&w, "unfixable", p->unfixable);
	jw_obj_end(&w);
	jw_raw(&w, "\n", 1);
	jw_flush(&w);
}

/* A comment that may hold anything from the directory ("# " a b): a line
 * end inside starts a new comment line, so no value can end the comment
 * and begin a record; other control bytes are escaped (printable.h), so
 * a file shown on a terminal cannot drive it. */
static void comment(FILE *f, const char *a, const char *b)
{
	fputs("# ", f);
	for (const char *parts[2] = {a, b}, **q = parts; q < parts + 2; q++)
		for (const char *s = *q; *s;) {
			size_t n = strcspn(s, "\r\n");
			spn_printable_write(f, s, n);
			s += n;
			if (*s) {
				fputs("\n# ", f);
				s++;
			}
		}
	fputc('\n', f);
}

static void plan_ldif(FILE *f, const struct spn_plan *p, const char *source)
{
	fputs("# spnctl fix: the changes that fix the findings, for ldapmodify -f or ldifde -i -f.\n", f);
	if (source)
		comment(f, "from ", source);
	if (!p->complete)
		fputs("# INCOMPLETE: the directory was not read in full; copies may be missing here.\n", f);
	fputs("version: 1\n", f);
	for (size_t i = 0; i < p->nsteps; i++) {
		const struct spn_step *s = &p->steps[i];
		fputc('\n', f);
		if (s->reason) {
			char head[80];
			snprintf(head, sizeof(head), "%s%s", s->finding ? s->finding : "",
			         s->finding ? ": " : "");
			comment(f, head, s->reason);
		}
		spn_ldif_line(f, "dn", s->dn, strlen(s->dn));
		fputs("changetype: modify\n", f);
		fprintf(f, "%s: servicePrincipalName\n", s->op == SPN_STEP_ADD ? "add" : "delete");
		spn_ldif_line(f, "servicePrincipalName", s->spn, strlen(s->spn));
		fputs("-\n", f);
	}
	for (size_t i = 0; i < p->nundecided; i++) {
		const struct spn_undecided *u = &p->undecided[i];
		fputc('\n', f);
		comment(f, "undecided, nothing written: ", u->spn);
		for (size_t j = 0; j < u->n; j++)
			comment(f, "  held by ", u->dns[j]);
		comment(f, "", u->reason);
	}
}

static enum spn_format format_of(const struct spn_report_opts *o)
{
	return o ? o->format : SPN_FORMAT_TEXT;
}

enum spn_rc spn_report_plan(FILE *out, const struct spn_report_opts *o, const struct spn_plan *p,
                            const char *source, bool applying)
{
	switch (format_of(o)) {
	case SPN_FORMAT_JSON: plan_json(out, o, p); break;
	case SPN_FORMAT_LDIF: plan_ldif(out, p, source); break;
	case SPN_FORMAT_TEXT: plan_text(out, o ? o->width : 0, p, applying); break;
	case SPN_FORMAT_CSV: case SPN_FORMAT_SETSPN: case SPN_FORMAT_HTML: return SPN_USAGE;
	}
	return report_status(out);
}

/* ---- Results as they come ---- */

struct spn_change_report {
	FILE *f;
	enum spn_format fmt;
	unsigned width;      /* text: o's width */
	struct jw w;
	const struct spn_follow *follow;   /* --wait: printed by end */
	double bound;
};

void spn_change_report_follow(struct spn_change_report *r, const struct spn_follow *f,
                              double bound)
{
	r->follow = f;
	r->bound = bound;
}

struct spn_change_report *spn_change_report_begin(FILE *out, const struct spn_report_opts *o,
                                                  const char *server, bool dry_run)
{
	enum spn_format f = format_of(o);
	struct spn_change_report *r = calloc(1, sizeof(*r));
	if (!r)
		return NULL;
	r->f = out;
	r->fmt = f;
	r->width = o ? o->width : 0;
	if (f == SPN_FORMAT_JSON) {
		jw_init(&r->w, out);
		jw_obj_begin(&r->w);
		json_stamp(&r->w, o);
		jw_kstr(&r->w, "server", server);
		jw_kbool(&r->w, "dry_run", dry_run);
		jw_key(&r->w, "results");
		jw_arr_begin(&r->w);
	}
	return r;
}

static void step_json(struct jw *w, const struct spn_step_result *x)
{
	const struct spn_step *s = x->step;
	jw_obj_begin(w);
	jw_kstr(w, "op", spn_step_op_name(s->op));
	jw_kstr(w, "spn", s->spn);
	jw_kstr(w, "dn", s->dn);
	jw_kstr(w, "sam", s->sam);
	jw_kstr(w, "finding", s->finding);
	jw_kstr(w, "state", spn_step_state_name(x->state));
	jw_kstr(w, "stored", x->stored);
	jw_kbool(w, "via_replace", x->via_replace);
	jw_kstr(w, "message", x->message);
	jw_key(w, "appeared");
	jw_arr_begin(w);
	for (size_t i = 0; i < x->nappeared; i++)
		jw_str(w, x->appeared[i]);
	jw_arr_end(w);
	jw_key(w, "vanished");
	jw_arr_begin(w);
	for (size_t i = 0; i < x->nvanished; i++)
		jw_str(w, x->vanished[i]);
	jw_arr_end(w);
	jw_obj_end(w);
}

static void step_text(FILE *f, unsigned width, const struct spn_step_result *x)
{
	const struct spn_step *s = x->step;
	char line[LINE_MAX_SHOWN];
	const char *v = x->stored ? x->stored : s->spn;
	const char *who = acc(s->sam, s->dn);
	bool add = s->op == SPN_STEP_ADD;
	switch (x->state) {
	case SPN_STEP_APPLIED:
		snprintf(line, sizeof(line), "%s %s %s %s (%s)%s%s", add ? "added" : "removed", v,
		         add ? "to" : "from", who, s->dn, x->message || x->via_replace ? "; " : "",
		         x->message ? x->message :
		         x->via_replace ? "the DC refused a single-value delete, so the attribute was "
		                          "replaced with the values that remain" : "");
		break;
	case SPN_STEP_WOULD:
		snprintf(line, sizeof(line), "would %s %s %s %s (%s): dry run, nothing written",
		         add ? "add" : "remove", v, add ? "to" : "from", who, s->dn);
		break;
	case SPN_STEP_DECLINED:
		snprintf(line, sizeof(line), "skipped: %s %s %s %s (you said no)", add ? "add" : "remove",
		         v, add ? "to" : "from", who);
		break;
	case SPN_STEP_NOT_RUN:
		snprintf(line, sizeof(line), "not done: %s %s %s %s", add ? "add" : "remove", v,
		         add ? "to" : "from", who);
		break;
	case SPN_STEP_UNCHANGED:
		snprintf(line, sizeof(line), "unchanged: %s", x->message ? x->message : "");
		break;
	case SPN_STEP_REFUSED:
		snprintf(line, sizeof(line), "refused, nothing changed: %s", x->message ? x->message : "");
		break;
	case SPN_STEP_FAILED:
		snprintf(line, sizeof(line), "FAILED: %s", x->message ? x->message : "");
		break;
	}
	wrap_shown(f, width, 0, line);
	for (size_t i = 0; i < x->nvanished; i++) {
		snprintf(line, sizeof(line), "note: %s was removed from %s meanwhile (someone else's "
		         "change; left so)", x->vanished[i], who);
		wrap_shown(f, width, 2, line);
	}
	for (size_t i = 0; i < x->nappeared; i++) {
		snprintf(line, sizeof(line), "note: %s appeared on %s meanwhile (someone else's change; "
		         "kept)", x->appeared[i], who);
		wrap_shown(f, width, 2, line);
	}
}

void spn_change_report_step(struct spn_change_report *r, const struct spn_step_result *x)
{
	if (r->fmt == SPN_FORMAT_JSON)
		step_json(&r->w, x);
	else if (r->fmt == SPN_FORMAT_SETSPN)
		setspn_step(r->f, x);
	else
		step_text(r->f, r->width, x);
	if (r->fmt != SPN_FORMAT_JSON)
		fflush(r->f);   /* the user sees each step as it happens */
}

enum spn_rc spn_change_report_end(struct spn_change_report *r, const struct spn_apply_summary *s,
                                  const char *undo_path, const char *err)
{
	FILE *f = r->f;
	unsigned width = r->width;
	if (r->fmt == SPN_FORMAT_JSON) {
		jw_arr_end(&r->w);
		jw_key(&r->w, "summary");
		jw_obj_begin(&r->w);
		jw_kuint(&r->w, "applied", s->applied);
		jw_kuint(&r->w, "unchanged", s->unchanged);
		jw_kuint(&r->w, "would_apply", s->would);
		jw_kuint(&r->w, "declined", s->declined);
		jw_kuint(&r->w, "refused", s->refused);
		jw_kuint(&r->w, "failed", s->failed);
		jw_kuint(&r->w, "not_run", s->not_run);
		jw_obj_end(&r->w);
		jw_kstr(&r->w, "undo_file", undo_path);
		jw_kstr(&r->w, "error", err);
		if (r->follow)
			json_follow(&r->w, r->follow);
		jw_obj_end(&r->w);
		jw_raw(&r->w, "\n", 1);
		jw_flush(&r->w);
	} else if (r->fmt == SPN_FORMAT_TEXT) {
		if (s->would)
			fprintf(f, "dry run: %zu change%s would be written; nothing was.\n", s->would,
			        s->would == 1 ? "" : "s");
		else
			fprintf(f, "%zu changed, %zu unchanged, %zu refused, %zu failed%s%s.\n", s->applied,
			        s->unchanged, s->refused, s->failed, s->declined ? ", skipped " : "",
			        s->declined ? "some you declined" : "");
		char line[2048];
		if (undo_path) {
			char w[SPN_CMDLINE_WORD_MAX];
			if (spn_sh_word(undo_path, w, sizeof(w)))
				snprintf(line, sizeof(line), "Undo file: %s (spnctl undo -- %s puts it back).",
				         undo_path, w);
			else
				snprintf(line, sizeof(line), "Undo file: %s (spnctl undo FILE puts it back).",
				         undo_path);
			text_wrap(f, width, 0, "", line);
		}
		if (s->applied)
			text_wrap(f, width, 0, "", "Clients keep tickets they already have: klist purge on them "
			          "(for services running as the computer: klist -li 0x3e7 purge).");
		if (r->follow)
			text_follow(f, r->follow, r->bound);
	}
	enum spn_rc rc = report_status(f);
	free(r);
	return rc;
}

/* ---- An add refused before anything was written ---- */

enum spn_rc spn_report_conflicts(FILE *out, const struct spn_report_opts *o,
                                 const struct spn_model *m, const char *spn, const char *target,
                                 const struct spn_precheck *p, bool forced)
{
	char line[4096];
	enum spn_format f = format_of(o);
	if (f == SPN_FORMAT_SETSPN && !forced) {
		setspn_conflicts(out, o, m, p);
		return report_status(out);
	}
	if (f == SPN_FORMAT_JSON) {
		struct jw w;
		jw_init(&w, out);
		jw_obj_begin(&w);
		json_stamp(&w, o);
		jw_kstr(&w, "spn", spn);
		jw_kstr(&w, "account", target);
		jw_kbool(&w, "forced", forced);
		jw_key(&w, "conflicts");
		jw_arr_begin(&w);
		for (size_t i = 0; i < p->n; i++) {
			const struct spn_conflict *c = &p->v[i];
			const struct spn_account *a = c->account == SPN_NONE ? NULL
			                                                     : spn_model_account(m, c->account);
			jw_obj_begin(&w);
			jw_kstr(&w, "kind", spn_conflict_name(c->kind));
			jw_kstr(&w, "dn", a ? a->dn : NULL);
			jw_kstr(&w, "sam", a ? a->sam : NULL);
			jw_kstr(&w, "value", c->value);
			jw_kstr(&w, "text", c->text);
			jw_obj_end(&w);
		}
		jw_arr_end(&w);
		jw_obj_end(&w);
		jw_raw(&w, "\n", 1);
		jw_flush(&w);
		return report_status(out);
	}
	if (forced)
		snprintf(line, sizeof(line), "Adding %s to %s with --force; this will break:", spn, target);
	else
		snprintf(line, sizeof(line), "Not adding %s to %s:", spn, target);
	text_wrap(out, o ? o->width : 0, 0, "", line);
	for (size_t i = 0; i < p->n; i++)
		text_wrap(out, o ? o->width : 0, 2, "- ", p->v[i].text);
	if (!forced)
		text_wrap(out, o ? o->width : 0, 0, "",
		          "Nothing was written. Remove the SPN from the other account first "
		          "(spnctl rm SPN ACCOUNT), or add with --force to write it anyway (the DC may "
		          "still refuse).");
	return report_status(out);
}
