/* test_findings.c - the findings container, severity names, the check
 * registry (sorted, findable, complete), running by flags, and the order
 * findings are reported in. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "builder.h"
#include "check_helpers.h"

static void test_severity(void **state)
{
	(void)state;
	assert_string_equal(spn_severity_name(SPN_SEV_INFO), "info");
	assert_string_equal(spn_severity_name(SPN_SEV_WARNING), "warning");
	assert_string_equal(spn_severity_name(SPN_SEV_ERROR), "error");
	assert_int_equal(spn_severity_parse("info"), 0);
	assert_int_equal(spn_severity_parse("Warning"), 1);
	assert_int_equal(spn_severity_parse("error"), 2);
	assert_int_equal(spn_severity_parse("none"), 3);
	assert_int_equal(spn_severity_parse("fatal"), -1);
	assert_int_equal(spn_severity_parse(""), -1);
	assert_int_equal(spn_severity_parse(NULL), -1);

	struct spn_check_opts o;
	spn_check_opts_default(&o);
	assert_int_equal(o.max_password_age_days, 365);
	/* Now is after 2024-01-01 and before 2100 as a FILETIME. */
	assert_true(o.now > 133485408000000000LL && o.now < 159725088000000000LL);
}

/* lib/check/checks.def: the names the registry must hold, in its order. */
static const char *const listed[] = {
#define SPN_CHECK(name, file) #name,
#include "check/checks.def"
#undef SPN_CHECK
};

static void test_registry(void **state)
{
	(void)state;
	size_t n = sizeof(listed) / sizeof(listed[0]);
	assert_int_equal(spn_check_count(), n);
	for (size_t i = 0; i < n; i++) {
		const struct spn_check *c = spn_check_at(i);
		assert_non_null(c);
		/* The code is the listed name with '-' for '_'. */
		char name[64];
		size_t k = 0;
		for (; c->code[k] && k + 1 < sizeof(name); k++)
			name[k] = c->code[k] == '-' ? '_' : c->code[k];
		name[k] = '\0';
		assert_string_equal(name, listed[i]);
		assert_ptr_equal(spn_check_find(c->code), c);
		assert_non_null(c->run);
		assert_true(strlen(c->title) > 10 && strlen(c->explain) > 80);
		if (i)
			assert_true(strcmp(spn_check_at(i - 1)->code, c->code) < 0);
		/* Kebab-case. */
		for (const char *p = c->code; *p; p++)
			assert_true((*p >= 'a' && *p <= 'z') || *p == '-');
	}
	assert_null(spn_check_at(n));
	assert_null(spn_check_find("no-such-check"));
	assert_null(spn_check_find(""));
	/* Severities fixed by the issue. */
	assert_int_equal(spn_check_find("duplicate-spn")->severity, SPN_SEV_ERROR);
	assert_int_equal(spn_check_find("lookalike-spn")->severity, SPN_SEV_ERROR);
	assert_int_equal(spn_check_find("alias-conflict")->severity, SPN_SEV_ERROR);
	assert_int_equal(spn_check_find("upn-spn-collision")->severity, SPN_SEV_ERROR);
	assert_int_equal(spn_check_find("privileged-spn")->severity, SPN_SEV_WARNING);
	assert_int_equal(spn_check_find("disabled-spn")->severity, SPN_SEV_WARNING);
	assert_int_equal(spn_check_find("kerberoastable")->severity, SPN_SEV_INFO);
	assert_int_equal(spn_check_find("delegation-target-missing")->severity, SPN_SEV_ERROR);
	assert_int_equal(spn_check_find("delegation-target-duplicate")->severity, SPN_SEV_ERROR);
	assert_int_equal(spn_check_find("malformed-spn")->severity, SPN_SEV_WARNING);
	/* `spnctl dups`: duplicates, look-alikes and alias conflicts. */
	assert_true(spn_check_find("duplicate-spn")->flags & SPN_CHECK_DUPS);
	assert_true(spn_check_find("lookalike-spn")->flags & SPN_CHECK_DUPS);
	assert_true(spn_check_find("alias-conflict")->flags & SPN_CHECK_DUPS);
	assert_false(spn_check_find("kerberoastable")->flags & SPN_CHECK_DUPS);
}

static void test_container(void **state)
{
	(void)state;
	struct spn_findings f;
	char fix[64];
	uint32_t ids[3] = {7, 8, 9};
	spn_findings_init(&f);
	snprintf(fix, sizeof(fix), "do this");
	for (int i = 0; i < 300; i++)
		assert_int_equal(spn_findings_add(&f, "duplicate-spn", SPN_SEV_ERROR, "HTTP/x", ids, 3,
		                                  fix, "message %d about %s", i, "HTTP/x"), SPN_OK);
	/* Copies, not references. */
	ids[0] = 0;
	fix[0] = 'X';
	assert_int_equal(f.n, 300);
	assert_string_equal(f.v[299].message, "message 299 about HTTP/x");
	assert_string_equal(f.v[0].fix, "do this");
	assert_int_equal(f.v[0].accounts[0], 7);
	assert_int_equal(f.v[0].naccounts, 3);
	assert_int_equal(spn_findings_add(&f, "uniqueness-disabled", SPN_SEV_WARNING, NULL, NULL, 0,
	                                  NULL, "%s", "no accounts"), SPN_OK);
	assert_null(f.v[300].spn);
	assert_null(f.v[300].accounts);
	assert_string_equal(f.v[300].fix, "");
	spn_findings_release(&f);
	assert_int_equal(f.n, 0);
	spn_findings_release(&f);   /* twice is harmless */
}

static void test_sort_order(void **state)
{
	(void)state;
	struct spn_model *m = tb_new(0);
	tb_add(m, "CN=b,DC=x", "objectClass=user", "servicePrincipalName=A/1", NULL);
	tb_add(m, "CN=a,DC=x", "objectClass=user", "servicePrincipalName=A/2", NULL);
	tb_finish(m);
	uint32_t a = tb_id(m, "CN=a,DC=x"), b = tb_id(m, "CN=b,DC=x");
	struct spn_findings f;
	spn_findings_init(&f);
	spn_findings_add(&f, "kerberoastable", SPN_SEV_INFO, NULL, &b, 1, "f", "1");
	spn_findings_add(&f, "kerberoastable", SPN_SEV_WARNING, NULL, &b, 1, "f", "2");
	spn_findings_add(&f, "kerberoastable", SPN_SEV_WARNING, NULL, &a, 1, "f", "3");
	spn_findings_add(&f, "alias-conflict", SPN_SEV_ERROR, "http/y", &a, 1, "f", "4");
	spn_findings_add(&f, "duplicate-spn", SPN_SEV_ERROR, "HTTP/x", &b, 1, "f", "5");
	spn_findings_add(&f, "duplicate-spn", SPN_SEV_ERROR, "http/x", &a, 1, "f", "6");
	spn_findings_add(&f, "duplicate-spn", SPN_SEV_ERROR, "HTTP/a", &b, 1, "f", "7");
	spn_findings_add(&f, "alias-conflict", SPN_SEV_ERROR, "http/y", NULL, 0, "f", "8");
	spn_findings_sort(&f, m);
	const char *order = "84756321";
	for (size_t i = 0; i < f.n; i++)
		assert_int_equal(f.v[i].message[0], order[i]);
	spn_findings_release(&f);
	spn_model_free(m);
}

static void test_run_flags(void **state)
{
	(void)state;
	struct spn_model *m = tb_new(0);
	tb_add(m, "CN=EXCH01,DC=corp,DC=example", "objectClass=computer", "sAMAccountName=EXCH01$",
	       "userAccountControl=4096", "servicePrincipalName=SMTPSVC/EXCH01", NULL);
	tb_add(m, "CN=Administrator,DC=corp,DC=example", "objectClass=user",
	       "sAMAccountName=Administrator", "userAccountControl=512",
	       "objectSid=S-1-5-21-1-2-3-500", "servicePrincipalName=SMTPSVC/EXCH01", NULL);
	tb_finish(m);
	struct spn_findings f;
	struct spn_check_opts o;
	struct spn_err err;
	tc_opts(&o);
	spn_err_init(&err);
	spn_findings_init(&f);
	assert_int_equal(spn_checks_run(m, &o, SPN_CHECK_DUPS, &f, &err), SPN_OK);
	assert_int_equal(f.n, 1);
	assert_string_equal(f.v[0].code, "duplicate-spn");
	spn_findings_release(&f);
	tc_run_all(m, &f);
	assert_int_equal(f.n, 3);
	assert_string_equal(f.v[0].code, "duplicate-spn");
	assert_string_equal(f.v[1].code, "kerberoastable");
	assert_string_equal(f.v[2].code, "privileged-spn");
	spn_findings_release(&f);
	/* NULL options: defaults (the clock). */
	spn_findings_init(&f);
	assert_int_equal(spn_checks_run(m, NULL, 0, &f, &err), SPN_OK);
	assert_int_equal(f.n, 3);
	spn_findings_release(&f);
	spn_model_free(m);
}

static void test_empty_model(void **state)
{
	(void)state;
	struct spn_model *m = tb_new(0);
	tb_finish(m);
	struct spn_findings f;
	tc_run_all(m, &f);
	assert_int_equal(f.n, 0);
	spn_findings_release(&f);
	spn_model_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_severity),
		cmocka_unit_test(test_registry),
		cmocka_unit_test(test_container),
		cmocka_unit_test(test_sort_order),
		cmocka_unit_test(test_run_flags),
		cmocka_unit_test(test_empty_model),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
