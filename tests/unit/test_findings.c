/* test_findings.c - the findings container, severity names, the check
 * registry (sorted, findable, complete), running by flags, and the order
 * findings are reported in. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
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

/* What an account's age is measured to: --now, else its source's time,
 * else the clock. */
static void test_check_now(void **state)
{
	(void)state;
	struct spn_model *m = tb_new(0);
	tb_add(m, "CN=svc,DC=corp,DC=example", "objectClass=user", "sAMAccountName=svc",
	       "pwdLastSet=134000000000000000", "servicePrincipalName=HTTP/x", NULL);
	tb_finish(m);
	const struct spn_account *a = spn_model_account(m, 0);
	struct spn_check_opts o;
	int from = 99;
	spn_check_opts_default(&o);
	o.now = TC_NOW;
	assert_int_equal(spn_check_now(m, a, &o, &from), TC_NOW);
	assert_int_equal(from, -1);
	o.now = 0;
	assert_int_equal(spn_check_now(m, a, &o, &from), 134000000000000000LL);
	assert_int_equal(from, SPN_TIME_PWDLASTSET);
	spn_model_free(m);

	m = tb_new(0);
	tb_add(m, "CN=svc,DC=corp,DC=example", "objectClass=user", "sAMAccountName=svc",
	       "servicePrincipalName=HTTP/x", NULL);
	tb_finish(m);
	int64_t t = spn_check_now(m, spn_model_account(m, 0), &o, &from);
	assert_int_equal(from, SPN_TIME_NONE);
	assert_true(t > 133485408000000000LL);  /* the clock: after 2024 */
	spn_model_free(m);
}

/* FNV-1a 64 written out again, as spnctl(1) gives it. */
static uint64_t ref_fnv(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3ULL;
	}
	return h;
}

/* A finding's id: FNV-1a 64 of code, folded SPN and the folded DNs of its
 * holders, sorted; the same whatever the holders' order, the case of the
 * SPN and DNs, or the message; different for another code, SPN or
 * holder. */
static void test_finding_id(void **state)
{
	(void)state;
	struct spn_model *m = tb_new(0);
	tb_add(m, "CN=Web01,OU=Srv,DC=corp,DC=example", "objectClass=computer",
	       "sAMAccountName=WEB01$", "servicePrincipalName=HTTP/web01", NULL);
	tb_add(m, "CN=svc,CN=Users,DC=corp,DC=example", "objectClass=user", "sAMAccountName=svc",
	       "servicePrincipalName=http/WEB01", NULL);
	tb_finish(m);
	uint32_t ab[2] = {0, 1}, ba[2] = {1, 0};
	struct spn_findings f;
	spn_findings_init(&f);
	assert_int_equal(spn_findings_add(&f, "duplicate-spn", SPN_SEV_ERROR, "HTTP/web01", ab, 2,
	                                  "fix", "one"), SPN_OK);
	assert_int_equal(spn_findings_add(&f, "duplicate-spn", SPN_SEV_ERROR, "http/WEB01", ba, 2,
	                                  "other fix", "two"), SPN_OK);
	assert_int_equal(spn_findings_add(&f, "lookalike-spn", SPN_SEV_ERROR, "HTTP/web01", ab, 2,
	                                  "fix", "three"), SPN_OK);
	assert_int_equal(spn_findings_add(&f, "duplicate-spn", SPN_SEV_ERROR, "HTTP/web01", ab, 1,
	                                  "fix", "four"), SPN_OK);
	assert_int_equal(spn_findings_add(&f, "uniqueness-disabled", SPN_SEV_WARNING, NULL, NULL, 0,
	                                  "fix", "five"), SPN_OK);
	char id[5][SPN_FINDING_ID_LEN + 1], want[SPN_FINDING_ID_LEN + 1];
	for (size_t i = 0; i < 5; i++) {
		assert_true(spn_finding_id(m, &f.v[i], id[i]));
		assert_int_equal(strlen(id[i]), SPN_FINDING_ID_LEN);
	}
	snprintf(want, sizeof(want), "%016llx", (unsigned long long)ref_fnv(
	         "duplicate-spn\nhttp/web01\ncn=svc,cn=users,dc=corp,dc=example\n"
	         "cn=web01,ou=srv,dc=corp,dc=example"));
	assert_string_equal(id[0], want);
	assert_string_equal(id[1], id[0]);          /* holders' order, SPN case, wording */
	assert_string_not_equal(id[2], id[0]);      /* another code */
	assert_string_not_equal(id[3], id[0]);      /* another set of holders */
	snprintf(want, sizeof(want), "%016llx", (unsigned long long)ref_fnv("uniqueness-disabled\n"));
	assert_string_equal(id[4], want);
	spn_findings_release(&f);
	spn_model_free(m);
}

static void test_run_flags(void **state)
{
	(void)state;
	struct spn_model *m = tb_new(0);
	/* EXCH01's enctypes: the snapshot carries the attribute, so Administrator
	 * without it is RC4-capable (a kerberoastable warning), not "not known". */
	tb_add(m, "CN=EXCH01,DC=corp,DC=example", "objectClass=computer", "sAMAccountName=EXCH01$",
	       "userAccountControl=4096", "msDS-SupportedEncryptionTypes=28",
	       "servicePrincipalName=SMTPSVC/EXCH01", NULL);
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
		cmocka_unit_test(test_check_now),
		cmocka_unit_test(test_finding_id),
		cmocka_unit_test(test_empty_model),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
