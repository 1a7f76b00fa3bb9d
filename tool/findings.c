/*
 * findings.c - running the checks for dups, audit and setspn -X on the
 * loaded model, keeping what lies inside -T's scope, and the exit status
 * --fail-on gives the result.
 */
#include <string.h>

#include "exit.h"
#include "msg.h"
#include "spnctl.h"

/* Keep findings that concern an account in scope (or no account at all). */
static void filter_scope(const struct spnctl *c, struct spn_findings *f)
{
	size_t keep = 0;
	if (!c->scope)
		return;
	for (size_t i = 0; i < f->n; i++) {
		bool in = f->v[i].naccounts == 0;
		for (size_t j = 0; j < f->v[i].naccounts && !in; j++)
			in = spnctl_in_scope(c, f->v[i].accounts[j]);
		if (in)
			f->v[keep++] = f->v[i];
	}
	f->n = keep;
}

int spnctl_findings(struct spnctl *c, unsigned need, struct spn_findings *out)
{
	struct spn_check_opts o;
	struct spn_err err;
	spn_check_opts_default(&o);
	if (c->max_password_age)
		o.max_password_age_days = c->max_password_age;
	if (c->now_set)
		o.now = c->now;
	o.threads = spnctl_threads();
	spn_err_init(&err);
	if (spn_checks_run(c->model, &o, need, out, &err) != SPN_OK)
		return msg_fail("%s", err.msg);
	filter_scope(c, out);
	return -1;
}

int spnctl_findings_status(const struct spnctl *c, const struct spn_findings *f)
{
	for (size_t i = 0; i < f->n; i++)
		if ((int)f->v[i].severity >= c->fail_on)
			return SPNCTL_EXIT_FINDINGS;
	return SPNCTL_EXIT_OK;
}
