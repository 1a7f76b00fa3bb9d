/*
 * findings.c - running the checks for dups and audit on the loaded model:
 * which checks (--check, --skip), keeping what lies inside -T's scope and
 * at --min-severity or worse, marking what --accept files accept; and the
 * exit status --fail-on gives the findings the report prints.
 */
#include <stdlib.h>
#include <string.h>

#include "spn/accept.h"
#include "exit.h"
#include "msg.h"
#include "spnctl.h"

static bool listed(const char *const *v, size_t n, const char *code)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i], code) == 0)
			return true;
	return false;
}

/* Per check of the registry: does --check or --skip leave it out? NULL
 * (nothing to skip) when neither was given; *nomem on failure. */
static bool *skipped(const struct spnctl *c, bool *nomem)
{
	if (!c->nchecks && !c->nskips)
		return NULL;
	size_t n = spn_check_count();
	bool *skip = calloc(n, sizeof(*skip));
	if (!skip) {
		*nomem = true;
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		const char *code = spn_check_at(i)->code;
		skip[i] = (c->nchecks && !listed(c->checks, c->nchecks, code)) ||
		          listed(c->skips, c->nskips, code);
	}
	return skip;
}

/* Mark what the --accept files accept; returns -1 or an exit status. */
static int accept(const struct spnctl *c, struct spn_findings *out)
{
	struct spn_accept a;
	struct spn_err err;
	size_t n;
	int rc = -1;
	if (!c->naccepts)
		return -1;
	spn_accept_init(&a);
	spn_err_init(&err);
	for (size_t i = 0; i < c->naccepts && rc < 0; i++)
		if (spn_accept_read_file(&a, c->accepts[i], &err) != SPN_OK)
			rc = msg_fail("--accept: %s", err.msg);
	if (rc < 0 && spn_accept_apply(&a, c->model, out, &n) != SPN_OK)
		rc = msg_fail("out of memory");
	if (rc < 0 && c->verbose)
		msg_note("%zu finding%s accepted", n, n == 1 ? "" : "s");
	spn_accept_release(&a);
	return rc;
}

/* The check settings of the command line into o; *skip (freed by the
 * caller) holds --check/--skip. Returns -1 or an exit status. */
static int check_opts(const struct spnctl *c, struct spn_check_opts *o, bool **skip)
{
	bool nomem = false;
	*skip = skipped(c, &nomem);
	if (nomem)
		return msg_fail("out of memory");
	spn_check_opts_default(o);
	if (c->max_password_age)
		o->max_password_age_days = c->max_password_age;
	o->now = c->now_set ? c->now : 0;  /* 0: each snapshot's own time */
	o->threads = spnctl_threads();
	o->skip = *skip;
	return -1;
}

static int run(const struct spn_model *m, const struct spn_check_opts *o, unsigned need,
               struct spn_findings *out)
{
	struct spn_err err;
	spn_err_init(&err);
	if (spn_checks_run(m, o, need, out, &err) != SPN_OK)
		return msg_fail("%s", err.msg);
	return -1;
}

int spnctl_run_checks(const struct spnctl *c, const struct spn_model *m, unsigned need,
                      struct spn_findings *out)
{
	struct spn_check_opts o;
	bool *skip;
	int rc = check_opts(c, &o, &skip);
	if (rc < 0)
		rc = run(m, &o, need, out);
	free(skip);
	return rc;
}

int spnctl_findings(struct spnctl *c, unsigned need, struct spn_findings *out)
{
	struct spn_check_opts o;
	bool *skip;
	int rc = check_opts(c, &o, &skip);
	if (rc < 0)
		rc = run(c->model, &o, need, out);
	if (rc < 0) {
		spn_findings_keep_scope(out, c->model, &c->scope);
		/* --all-dcs: each DC's own findings (the same checks); --provenance */
		rc = spnctl_findings_where(c, need, &o, out);
	}
	free(skip);
	if (rc >= 0)
		return rc;
	spn_findings_keep_severity(out, (enum spn_severity)c->min_severity);
	return accept(c, out);
}

int spnctl_findings_status(const struct spnctl *c, const struct spn_findings *f)
{
	for (size_t i = 0; i < f->n; i++)
		if ((int)f->v[i].severity >= c->fail_on && !f->v[i].accepted &&
		    spn_report_shows(&c->report, &f->v[i]))
			return SPNCTL_EXIT_FINDINGS;
	return SPNCTL_EXIT_OK;
}
