/*
 * check_helpers.h - run one check (or all) on a builder model in a unit
 * test, and look at what it found:
 *
 *   struct spn_findings f;
 *   tc_run(m, "duplicate-spn", &f);
 *   assert_int_equal(f.n, 1);
 *   const struct spn_finding *x = tc_find(&f, "duplicate-spn", "SMTPSVC/EXCH01");
 *
 * Time is pinned: TC_NOW is 2026-11-01 00:00 UTC as a FILETIME, and
 * tc_days_ago(n) gives a pwdLastSet value n days before it.
 */
#ifndef SPN_TEST_CHECK_HELPERS_H
#define SPN_TEST_CHECK_HELPERS_H

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "spn/check.h"

/* 2026-11-01T00:00:00Z: (1793491200 + 11644473600) * 10^7 */
#define TC_NOW 134379648000000000LL
#define TC_DAY 864000000000LL

static inline const char *tc_days_ago(char *buf, size_t cap, int days)
{
	snprintf(buf, cap, "pwdLastSet=%lld", (long long)(TC_NOW - (long long)days * TC_DAY));
	return buf;
}

static inline void tc_opts(struct spn_check_opts *o)
{
	spn_check_opts_default(o);
	o->now = TC_NOW;
	o->max_password_age_days = 365;
}

static inline void tc_run(const struct spn_model *m, const char *code, struct spn_findings *f)
{
	const struct spn_check *c = spn_check_find(code);
	struct spn_check_opts o;
	struct spn_err err;
	if (!c)
		fail_msg("no check '%s'", code);
	tc_opts(&o);
	spn_err_init(&err);
	spn_findings_init(f);
	if (c->run(m, &o, f, &err))
		fail_msg("%s: %s", code, err.msg);
	spn_findings_sort(f, m);
	for (size_t i = 0; i < f->n; i++) {
		if (strcmp(f->v[i].code, code) != 0)
			fail_msg("check %s emitted code %s", code, f->v[i].code);
		if (!f->v[i].message[0] || !f->v[i].fix[0])
			fail_msg("check %s: empty message or fix", code);
	}
}

static inline void tc_run_all(const struct spn_model *m, struct spn_findings *f)
{
	struct spn_check_opts o;
	struct spn_err err;
	tc_opts(&o);
	spn_err_init(&err);
	spn_findings_init(f);
	if (spn_checks_run(m, &o, 0, f, &err))
		fail_msg("checks: %s", err.msg);
}

/* The finding with this code and SPN (NULL: any SPN), or NULL. */
static inline const struct spn_finding *tc_find(const struct spn_findings *f, const char *code,
                                                const char *spn)
{
	for (size_t i = 0; i < f->n; i++)
		if (strcmp(f->v[i].code, code) == 0 &&
		    (!spn || (f->v[i].spn && strcasecmp(f->v[i].spn, spn) == 0)))
			return &f->v[i];
	return NULL;
}

static inline size_t tc_count(const struct spn_findings *f, const char *code, int sev)
{
	size_t n = 0;
	for (size_t i = 0; i < f->n; i++)
		if (strcmp(f->v[i].code, code) == 0 && (sev < 0 || (int)f->v[i].severity == sev))
			n++;
	return n;
}

/* DN of the finding's i-th account. */
static inline const char *tc_acc(const struct spn_model *m, const struct spn_finding *x, size_t i)
{
	if (i >= x->naccounts)
		fail_msg("finding %s has %zu accounts, wanted #%zu", x->code, x->naccounts, i);
	return spn_model_account(m, x->accounts[i])->dn;
}

static inline void tc_contains(const char *hay, const char *needle)
{
	if (!strstr(hay, needle))
		fail_msg("expected \"%s\" in: %s", needle, hay);
}

#endif
