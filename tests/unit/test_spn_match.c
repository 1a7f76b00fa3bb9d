/* test_spn_match.c - '*' patterns: spn_match() and spn_model_match() over a model. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "spn/spn.h"
#include "spn/model.h"
#include "builder.h"

static bool m_(const char *pat, const char *s)
{
	return spn_match(pat, strlen(pat), s, strlen(s));
}

static void test_literal_and_star(void **state)
{
	(void)state;
	assert_true(m_("http/web01", "http/web01"));
	assert_false(m_("http/web01", "http/web011"));
	assert_false(m_("http/web011", "http/web01"));
	assert_true(m_("*", ""));
	assert_true(m_("*", "anything/at/all"));
	assert_true(m_("*/*", "host/x"));
	assert_false(m_("*/*", "hostx"));
	assert_true(m_("*/web01", "http/web01"));
	assert_true(m_("*/web01", "host/web01"));
	assert_false(m_("*/web01", "host/web01.corp"));
	assert_true(m_("http/*", "http/a/b"));
	assert_true(m_("mssqlsvc/*:1433", "mssqlsvc/sql1.corp.example:1433"));
	assert_false(m_("mssqlsvc/*:1433", "mssqlsvc/sql1.corp.example:14330"));
	assert_true(m_("**a**", "a"));
	assert_true(m_("a*b*c", "aXXbYYbZZc"));
	assert_false(m_("a*b*c", "aXXbYYbZZ"));
	/* backtracking past a partial match */
	assert_true(m_("*abc", "ababc"));
	assert_true(m_("a*aab", "aaaaab"));
	assert_false(m_("", "x"));
	assert_true(m_("", ""));
}

static void test_has_wildcard(void **state)
{
	(void)state;
	assert_true(spn_has_wildcard("a*", 2));
	assert_false(spn_has_wildcard("HTTP/x", 6));
}

static enum spn_rc collect(void *arg, uint32_t head)
{
	uint32_t *v = arg;
	v[++v[0]] = head;
	return SPN_OK;
}

static enum spn_rc stop_at_first(void *arg, uint32_t head)
{
	(void)head;
	(*(int *)arg)++;
	return SPN_USAGE;
}

static struct spn_model *sample(void)
{
	struct spn_model *m = tb_new(0);
	tb_add(m, "CN=EXCH01,OU=Servers,DC=corp,DC=example", "objectClass=computer",
	       "sAMAccountName=EXCH01$", "servicePrincipalName=SMTPSVC/exch01.corp.example",
	       "servicePrincipalName=SMTPSVC/EXCH01", "servicePrincipalName=HOST/EXCH01", NULL);
	tb_add(m, "CN=Administrator,CN=Users,DC=corp,DC=example", "objectClass=user",
	       "sAMAccountName=Administrator", "servicePrincipalName=smtpsvc/EXCH01",
	       "servicePrincipalName=SMTPSVC/exch01.corp.example", NULL);
	tb_add(m, "CN=Stra\xc3\x9f" "e,OU=Servers,DC=corp,DC=example", "objectClass=user",
	       "sAMAccountName=strasse", "servicePrincipalName=HTTP/STRA\xc3\x9f" "E.corp.example", NULL);
	tb_finish(m);
	return m;
}

static void test_model_exact_uses_index(void **state)
{
	(void)state;
	struct spn_model *m = sample();
	struct spn_err err;
	uint32_t got[8] = {0};
	spn_err_init(&err);
	assert_int_equal(spn_model_match(m, "smtpsvc/exch01", collect, got, &err), SPN_OK);
	assert_int_equal(got[0], 1);
	const struct spn_value *v = spn_model_value(m, got[1]);
	assert_string_equal(v->str, "SMTPSVC/EXCH01");
	assert_true(v->flags & SPN_VALUE_HEAD);
	/* both holders are chained from the head */
	assert_int_not_equal(v->next_same, SPN_NONE);
	assert_string_equal(spn_model_value(m, v->next_same)->str, "smtpsvc/EXCH01");

	memset(got, 0, sizeof(got));
	assert_int_equal(spn_model_match(m, "HTTP/nothing", collect, got, &err), SPN_OK);
	assert_int_equal(got[0], 0);
	spn_model_free(m);
}

static void test_model_wildcards(void **state)
{
	(void)state;
	struct spn_model *m = sample();
	struct spn_err err;
	uint32_t got[8] = {0};
	spn_err_init(&err);
	/* each distinct SPN once, though two accounts hold two of them */
	assert_int_equal(spn_model_match(m, "SMTPSVC/*", collect, got, &err), SPN_OK);
	assert_int_equal(got[0], 2);
	assert_string_equal(spn_model_value(m, got[1])->str, "SMTPSVC/exch01.corp.example");
	assert_string_equal(spn_model_value(m, got[2])->str, "SMTPSVC/EXCH01");

	memset(got, 0, sizeof(got));
	assert_int_equal(spn_model_match(m, "*/exch01", collect, got, &err), SPN_OK);
	assert_int_equal(got[0], 2);  /* SMTPSVC/EXCH01 and HOST/EXCH01 */

	memset(got, 0, sizeof(got));
	assert_int_equal(spn_model_match(m, "*/*", collect, got, &err), SPN_OK);
	assert_int_equal(got[0], 4);

	/* non-ASCII: folded on both sides (sharp s folds to "ss") */
	memset(got, 0, sizeof(got));
	assert_int_equal(spn_model_match(m, "http/strasse*", collect, got, &err), SPN_OK);
	assert_int_equal(got[0], 1);

	int calls = 0;
	assert_int_equal(spn_model_match(m, "*", stop_at_first, &calls, &err), SPN_USAGE);
	assert_int_equal(calls, 1);
	spn_model_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_literal_and_star),
		cmocka_unit_test(test_has_wildcard),
		cmocka_unit_test(test_model_exact_uses_index),
		cmocka_unit_test(test_model_wildcards),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
