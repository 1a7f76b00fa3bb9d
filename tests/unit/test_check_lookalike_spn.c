/* test_check_lookalike_spn.c - lookalike-spn: hidden characters and
 * compatibility forms on different accounts (CVE-2026-25177 class). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "builder.h"
#include "check_helpers.h"

#define CODE "lookalike-spn"
#define ZWNJ "\xe2\x80\x8c"   /* U+200C */
#define ZWSP "\xe2\x80\x8b"   /* U+200B */
#define SHY "\xc2\xad"        /* U+00AD soft hyphen */
#define FW_W "\xef\xbd\x97"   /* U+FF57 full-width w */

static void test_zero_width_on_another_account(void **state)
{
	(void)state;
	struct spn_model *m = tb_new(0);
	tb_add(m, "CN=B,DC=corp,DC=example", "objectClass=user", "sAMAccountName=b",
	       "servicePrincipalName=HTTP/web" ZWNJ "01.corp.example", NULL);
	tb_add(m, "CN=A,DC=corp,DC=example", "objectClass=user", "sAMAccountName=a",
	       "servicePrincipalName=HTTP/web01.corp.example", NULL);
	tb_finish(m);
	struct spn_findings f;
	tc_run(m, CODE, &f);
	assert_int_equal(f.n, 1);
	const struct spn_finding *x = &f.v[0];
	assert_int_equal(x->severity, SPN_SEV_ERROR);
	assert_string_equal(x->spn, "HTTP/web01.corp.example");
	assert_int_equal(x->naccounts, 2);
	assert_string_equal(tc_acc(m, x, 0), "CN=A,DC=corp,DC=example");
	assert_string_equal(tc_acc(m, x, 1), "CN=B,DC=corp,DC=example");
	/* What each account stores, for the reports (JSON "stored"). */
	assert_non_null(x->values);
	assert_string_equal(spn_model_value(m, x->values[0])->str, "HTTP/web01.corp.example");
	assert_string_equal(spn_model_value(m, x->values[1])->str, "HTTP/web" ZWNJ "01.corp.example");
	assert_null(x->roles);
	tc_contains(x->message, "\"HTTP/web<U+200C>01.corp.example\" on CN=B,DC=corp,DC=example");
	tc_contains(x->message, "CVE-2026-25177");
	tc_contains(x->fix, "Keep \"HTTP/web01.corp.example\" on CN=A,DC=corp,DC=example");
	tc_contains(x->fix, "CN=B,DC=corp,DC=example (\"HTTP/web<U+200C>01.corp.example\")");
	/* The raw string never reaches a message unescaped. */
	assert_null(strstr(x->message, ZWNJ));
	spn_findings_release(&f);
	spn_model_free(m);
}

static void test_same_account_and_plain_unicode(void **state)
{
	(void)state;
	struct spn_model *m = tb_new(0);
	/* Both spellings on one account: not a look-alike between accounts. */
	tb_add(m, "CN=A,DC=corp,DC=example", "objectClass=user", "sAMAccountName=a",
	       "servicePrincipalName=HTTP/web01.corp.example",
	       "servicePrincipalName=HTTP/web" ZWNJ "01.corp.example", NULL);
	/* A real non-ASCII name, identical on two accounts: a duplicate, not a look-alike. */
	tb_add(m, "CN=C,DC=corp,DC=example", "objectClass=user", "sAMAccountName=c",
	       "servicePrincipalName=HTTP/caf\xc3\xa9.corp.example", NULL);
	tb_add(m, "CN=D,DC=corp,DC=example", "objectClass=user", "sAMAccountName=d",
	       "servicePrincipalName=HTTP/CAF\xc3\x89.corp.example", NULL);
	tb_finish(m);
	struct spn_findings f;
	tc_run(m, CODE, &f);
	assert_int_equal(f.n, 0);
	spn_findings_release(&f);
	spn_model_free(m);
}

static void test_groups_without_clean_and_fullwidth(void **state)
{
	(void)state;
	struct spn_model *m = tb_new(0);
	/* Group 1: two hidden spellings, nobody holds the plain one. */
	tb_add(m, "CN=B,DC=corp,DC=example", "objectClass=user", "sAMAccountName=b",
	       "servicePrincipalName=HTTP/app" ZWSP "01.corp.example", NULL);
	tb_add(m, "CN=C,DC=corp,DC=example", "objectClass=user", "sAMAccountName=c",
	       "servicePrincipalName=HTTP/app" SHY "01.corp.example", NULL);
	/* Group 2: a full-width letter (NFKC) against the plain name. */
	tb_add(m, "CN=WEB02,DC=corp,DC=example", "objectClass=computer", "sAMAccountName=WEB02$",
	       "servicePrincipalName=HTTP/web02.corp.example", NULL);
	tb_add(m, "CN=E,DC=corp,DC=example", "objectClass=user", "sAMAccountName=e",
	       "servicePrincipalName=HTTP/" FW_W "eb02.corp.example", NULL);
	tb_finish(m);
	struct spn_findings f;
	tc_run(m, CODE, &f);
	assert_int_equal(f.n, 2);
	const struct spn_finding *g2 = tc_find(&f, CODE, "HTTP/web02.corp.example");
	assert_non_null(g2);
	assert_string_equal(tc_acc(m, g2, 0), "CN=WEB02,DC=corp,DC=example");
	tc_contains(g2->message, "<U+FF57>");
	const struct spn_finding *g1 = g2 == &f.v[0] ? &f.v[1] : &f.v[0];
	assert_int_equal(g1->naccounts, 2);
	tc_contains(g1->message, "<U+200B>");
	tc_contains(g1->message, "<U+00AD>");
	tc_contains(g1->fix, "Keep one plain spelling");
	spn_findings_release(&f);
	spn_model_free(m);
}

/* Thousands of hidden-character copies of one name: one finding, the
 * plain holder first, each account once. */
static void test_many_lookalikes(void **state)
{
	(void)state;
	struct spn_model *m = tb_new(0);
	char dn[64];
	tb_add(m, "CN=WEB01,DC=corp,DC=example", "objectClass=computer", "sAMAccountName=WEB01$",
	       "servicePrincipalName=HTTP/web01.corp.example", NULL);
	for (int i = 0; i < 2000; i++) {
		snprintf(dn, sizeof(dn), "CN=u%04d,DC=corp,DC=example", i);
		tb_add(m, dn, "objectClass=user",
		       i % 2 ? "servicePrincipalName=HTTP/web" ZWNJ "01.corp.example"
		             : "servicePrincipalName=HTTP/web01" ZWSP ".corp.example", NULL);
	}
	tb_finish(m);
	struct spn_findings f;
	tc_run(m, CODE, &f);
	assert_int_equal(f.n, 1);
	assert_int_equal(f.v[0].naccounts, 2001);
	assert_string_equal(tc_acc(m, &f.v[0], 0), "CN=WEB01,DC=corp,DC=example");
	tc_contains(f.v[0].message, "and 1989 more");
	spn_findings_release(&f);
	spn_model_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_zero_width_on_another_account),
		cmocka_unit_test(test_same_account_and_plain_unicode),
		cmocka_unit_test(test_groups_without_clean_and_fullwidth),
		cmocka_unit_test(test_many_lookalikes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
