/*
 * findings.c - running the checks for dups and audit on the loaded model,
 * keeping what lies inside -T's scope, and the exit status --fail-on gives
 * the findings the report prints.
 */
#include "exit.h"
#include "msg.h"
#include "spnctl.h"

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
	spn_findings_keep_scope(out, c->model, &c->scope);
	return spnctl_findings_where(c, need, &o, out);
}

int spnctl_findings_status(const struct spnctl *c, const struct spn_findings *f)
{
	for (size_t i = 0; i < f->n; i++)
		if ((int)f->v[i].severity >= c->fail_on && spn_report_shows(&c->report, &f->v[i]))
			return SPNCTL_EXIT_FINDINGS;
	return SPNCTL_EXIT_OK;
}
