/* test_check_parallel.c - spn_checks_run on several threads gives exactly
 * what one thread gives (same findings, same order, same text), for all
 * checks and for the `dups` subset, on a model where most checks find
 * something. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "spn/check.h"
#include "builder.h"
#include "check_helpers.h"

#define D ",DC=corp,DC=example"
#define N 240

static struct spn_model *busy_model(void)
{
	struct spn_model *m = tb_new(SPN_MODEL_KEEP_ALL);
	char dn[128], sam[64], s1[96], s2[96], s3[96], s4[96], upn[96], pwd[64];
	for (int i = 0; i < N; i++) {
		/* A computer with its own HOST/ names; every 9th also a DC-only name. */
		snprintf(dn, sizeof(dn), "CN=WS%03d,OU=Computers" D, i);
		snprintf(sam, sizeof(sam), "sAMAccountName=WS%03d$", i);
		snprintf(s1, sizeof(s1), "servicePrincipalName=HOST/ws%03d.corp.example", i);
		snprintf(s2, sizeof(s2), "servicePrincipalName=HOST/WS%03d", i);
		snprintf(s3, sizeof(s3), "servicePrincipalName=%s/ws%03d.corp.example/corp.example",
		         i % 9 == 0 ? "ldap" : "HTTP", i);
		snprintf(s4, sizeof(s4), "msDS-AllowedToDelegateTo=cifs/%s%03d.corp.example",
		         i % 4 == 0 ? "gone" : "ws", i + 1);
		tb_add(m, dn, "objectClass=computer", sam, "userAccountControl=4096", s1, s2, s3, s4,
		       NULL);
		/* A service account: a copy of the next computer's HOST/ name
		 * (duplicate) or one in another domain (host-name clash), cifs/ of
		 * this one (alias conflict), a name the Administrator holds a
		 * look-alike of. */
		snprintf(dn, sizeof(dn), "CN=svc%03d,OU=Service Accounts" D, i);
		snprintf(sam, sizeof(sam), "sAMAccountName=svc%03d", i);
		snprintf(s1, sizeof(s1), "servicePrincipalName=HOST/ws%03d%s", (i + 1) % N,
		         i % 2 ? "" : ".lab.example");
		snprintf(s2, sizeof(s2), "servicePrincipalName=cifs/ws%03d.corp.example", i);
		snprintf(s3, sizeof(s3), "servicePrincipalName=MSSQLSvc/ws%03d.corp.example:1433", i);
		snprintf(s4, sizeof(s4), "servicePrincipalName=%s", i % 7 == 0 ? "notanspn" : "MSSQLSvc/x");
		snprintf(upn, sizeof(upn), "userPrincipalName=HOST/ws%03d.corp.example@CORP.EXAMPLE", i);
		tc_days_ago(pwd, sizeof(pwd), 100 + 5 * i);
		tb_add(m, dn, "objectClass=user", sam,
		       i % 5 == 0 ? "userAccountControl=514" : "userAccountControl=66048", s1, s2, s3, s4,
		       upn, pwd, i % 6 == 0 ? "adminCount=1" : "adminCount=0",
		       i % 3 == 0 ? "msDS-SupportedEncryptionTypes=4" : "msDS-SupportedEncryptionTypes=24",
		       NULL);
	}
	tb_add(m, "CN=Administrator,CN=Users" D, "objectClass=user", "sAMAccountName=Administrator",
	       "objectSid=S-1-5-21-1-2-3-500", "userAccountControl=512",
	       "servicePrincipalName=MSSQLSvc/ws001.corp.exam\xe2\x80\x8c" "ple:1433",
	       "servicePrincipalName=MSSQLSvc/ws002.corp.ex\xe2\x80\x8c" "ample:1433", NULL);
	tb_finish(m);
	return m;
}

static void run(const struct spn_model *m, unsigned threads, unsigned need, struct spn_findings *f)
{
	struct spn_check_opts o;
	struct spn_err err;
	tc_opts(&o);
	o.threads = threads;
	spn_err_init(&err);
	spn_findings_init(f);
	if (spn_checks_run(m, &o, need, f, &err))
		fail_msg("checks (%u threads): %s", threads, err.msg);
}

static void assert_same(const struct spn_findings *a, const struct spn_findings *b)
{
	assert_int_equal(a->n, b->n);
	for (size_t i = 0; i < a->n; i++) {
		const struct spn_finding *x = &a->v[i], *y = &b->v[i];
		assert_string_equal(x->code, y->code);
		assert_int_equal(x->severity, y->severity);
		assert_true((x->spn == NULL) == (y->spn == NULL));
		if (x->spn)
			assert_string_equal(x->spn, y->spn);
		assert_int_equal(x->naccounts, y->naccounts);
		assert_memory_equal(x->accounts, y->accounts, x->naccounts * sizeof(*x->accounts));
		assert_string_equal(x->message, y->message);
		assert_string_equal(x->fix, y->fix);
	}
}

static size_t ncodes(const struct spn_findings *f)
{
	size_t n = 0;
	for (size_t i = 0; i < f->n; i++)
		if (i == 0 || strcmp(f->v[i].code, f->v[i - 1].code) != 0 ||
		    f->v[i].severity != f->v[i - 1].severity)
			n++;
	return n;
}

static void test_threads_same_as_one(void **state)
{
	(void)state;
	struct spn_model *m = busy_model();
	static const unsigned need[] = {0, SPN_CHECK_DUPS};
	for (size_t k = 0; k < 2; k++) {
		struct spn_findings one;
		run(m, 1, need[k], &one);
		/* Not an empty comparison: the checks find plenty, of many kinds. */
		assert_true(one.n > N);
		assert_true(ncodes(&one) >= (need[k] ? 4 : 12));
		static const unsigned threads[] = {2, 3, 16, 0};
		for (size_t t = 0; t < 4; t++) {
			struct spn_findings many;
			run(m, threads[t], need[k], &many);
			assert_same(&one, &many);
			spn_findings_release(&many);
		}
		spn_findings_release(&one);
	}
	spn_model_free(m);
}

/* Appending to findings already there keeps them, in front. */
static void test_appends(void **state)
{
	(void)state;
	struct spn_model *m = busy_model();
	struct spn_findings one, many;
	run(m, 1, 0, &one);
	struct spn_check_opts o;
	struct spn_err err;
	tc_opts(&o);
	o.threads = 2;
	spn_err_init(&err);
	spn_findings_init(&many);
	uint32_t id = 0;
	assert_int_equal(spn_findings_add(&many, "zz-first", SPN_SEV_INFO, NULL, &id, 1, "no fix",
	                                  "already there"), SPN_OK);
	assert_int_equal(spn_checks_run(m, &o, 0, &many, &err), SPN_OK);
	assert_int_equal(many.n, one.n + 1);
	assert_string_equal(many.v[many.n - 1].message, "already there");  /* info, code sorts last */
	many.n--;
	assert_same(&one, &many);
	spn_findings_release(&many);
	spn_findings_release(&one);
	spn_model_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_threads_same_as_one),
		cmocka_unit_test(test_appends),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
