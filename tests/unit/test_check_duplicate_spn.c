/* test_check_duplicate_spn.c - duplicate-spn: same domain, cross-domain,
 * the field case, the benign pairs, and what is not a duplicate. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "builder.h"
#include "check_helpers.h"

#define CODE "duplicate-spn"

static void add_exch01(struct spn_model *m)
{
	tb_add(m, "CN=EXCH01,OU=Servers,DC=corp,DC=example",
	       "objectClass=computer", "sAMAccountName=EXCH01$", "userAccountControl=4096",
	       "dNSHostName=exch01.corp.example", "servicePrincipalName=HOST/EXCH01",
	       "servicePrincipalName=HOST/exch01.corp.example",
	       "servicePrincipalName=SMTPSVC/exch01.corp.example",
	       "servicePrincipalName=SMTPSVC/EXCH01", NULL);
}

static void add_admin(struct spn_model *m)
{
	tb_add(m, "CN=Administrator,CN=Users,DC=corp,DC=example",
	       "objectClass=user", "sAMAccountName=Administrator", "userAccountControl=66048",
	       "objectSid=S-1-5-21-1-2-3-500", "adminCount=1",
	       "servicePrincipalName=smtpsvc/EXCH01.corp.example",
	       "servicePrincipalName=SMTPSVC/exch01", NULL);
}

static void test_field_case(void **state)
{
	(void)state;
	struct spn_model *m = tb_new(0);
	tb_add(m, "CN=alice,CN=Users,DC=corp,DC=example", "objectClass=user",
	       "sAMAccountName=alice", "userAccountControl=512", NULL);
	add_admin(m);   /* loaded before the computer: order must not matter */
	add_exch01(m);
	tb_finish(m);
	struct spn_findings f;
	tc_run(m, CODE, &f);
	assert_int_equal(f.n, 2);
	for (size_t i = 0; i < f.n; i++) {
		const struct spn_finding *x = &f.v[i];
		assert_int_equal(x->severity, SPN_SEV_ERROR);
		assert_int_equal(x->naccounts, 2);
		/* The computer that runs the service first, the Administrator second. */
		assert_string_equal(tc_acc(m, x, 0), "CN=EXCH01,OU=Servers,DC=corp,DC=example");
		assert_string_equal(tc_acc(m, x, 1), "CN=Administrator,CN=Users,DC=corp,DC=example");
		tc_contains(x->message, "registered on 2 accounts in corp.example");
		tc_contains(x->message, "KDC_ERR_S_PRINCIPAL_UNKNOWN");
		tc_contains(x->message, "event 11");
		tc_contains(x->message, "most likely runs the service");
		tc_contains(x->fix, "on EXCH01$");
		tc_contains(x->fix, "remove it from the account that does not run the service: "
		            "CN=Administrator,CN=Users,DC=corp,DC=example (setspn -D ");
		tc_contains(x->fix, "klist purge");
	}
	/* Sorted by SPN; the SPN as the computer spells it. */
	assert_string_equal(f.v[0].spn, "SMTPSVC/EXCH01");
	assert_string_equal(f.v[1].spn, "SMTPSVC/exch01.corp.example");
	tc_contains(f.v[0].fix, "setspn -D SMTPSVC/exch01 Administrator");
	/* Each fix points at the other shared SPN. */
	tc_contains(f.v[0].fix, "it also holds smtpsvc/EXCH01.corp.example of EXCH01$: remove that too");
	tc_contains(f.v[1].fix, "it also holds SMTPSVC/exch01 of EXCH01$: remove that too");
	spn_findings_release(&f);
	spn_model_free(m);
}

static void test_same_account_is_not_duplicate(void **state)
{
	(void)state;
	struct spn_model *m = tb_new(0);
	tb_add(m, "CN=WEB01,DC=corp,DC=example", "objectClass=computer", "sAMAccountName=WEB01$",
	       "servicePrincipalName=HOST/web01", "servicePrincipalName=host/WEB01", NULL);
	/* The same object again from an overlapping second snapshot. */
	tb_add(m, "cn=web01,dc=corp,dc=example", "objectClass=computer", "sAMAccountName=WEB01$",
	       "servicePrincipalName=HOST/web01", NULL);
	tb_add(m, "CN=WEB02,DC=corp,DC=example", "objectClass=computer", "sAMAccountName=WEB02$",
	       "servicePrincipalName=HOST/web02", NULL);
	tb_finish(m);
	struct spn_findings f;
	tc_run(m, CODE, &f);
	assert_int_equal(f.n, 0);
	spn_findings_release(&f);
	spn_model_free(m);
}

static void test_cross_domain(void **state)
{
	(void)state;
	struct spn_model *m = tb_new(0);
	tb_add(m, "CN=svc_sql,OU=Svc,DC=corp,DC=example", "objectClass=user",
	       "sAMAccountName=svc_sql", "userAccountControl=512",
	       "servicePrincipalName=MSSQLSvc/sql01.corp.example:1433", NULL);
	tb_add(m, "CN=svc_sql,OU=Svc,DC=emea,DC=corp,DC=example", "objectClass=user",
	       "sAMAccountName=svc_sql", "userAccountControl=512",
	       "servicePrincipalName=MSSQLSvc/SQL01.corp.example:1433", NULL);
	tb_finish(m);
	struct spn_findings f;
	tc_run(m, CODE, &f);
	assert_int_equal(f.n, 1);
	const struct spn_finding *x = &f.v[0];
	assert_int_equal(x->severity, SPN_SEV_ERROR);
	assert_int_equal(x->naccounts, 2);
	tc_contains(x->message, "registered in 2 domains");
	tc_contains(x->message, "(emea.corp.example)");
	tc_contains(x->message, "KRB_AP_ERR_MODIFIED");
	assert_null(strstr(x->message, "KDC_ERR_S_PRINCIPAL_UNKNOWN"));
	tc_contains(x->fix, "Find the account the service on sql01.corp.example runs as");
	tc_contains(x->fix, "remove the copies in the other domains");
	spn_findings_release(&f);
	spn_model_free(m);
}

static void test_mixed_domains_and_order(void **state)
{
	(void)state;
	struct spn_model *m = tb_new(0);
	/* Disabled, privileged, ordinary, and the computer: four holders. */
	tb_add(m, "CN=old_web,DC=corp,DC=example", "objectClass=user", "sAMAccountName=old_web",
	       "userAccountControl=514", "servicePrincipalName=HTTP/web01.corp.example", NULL);
	tb_add(m, "CN=da_web,DC=corp,DC=example", "objectClass=user", "sAMAccountName=da_web",
	       "userAccountControl=512", "adminCount=1",
	       "servicePrincipalName=HTTP/web01.corp.example", NULL);
	tb_add(m, "CN=WEB01,DC=corp,DC=example", "objectClass=computer", "sAMAccountName=WEB01$",
	       "userAccountControl=4096", "dNSHostName=web01.corp.example",
	       "servicePrincipalName=HTTP/web01.corp.example", NULL);
	tb_add(m, "CN=app_web,DC=emea,DC=corp,DC=example", "objectClass=user",
	       "sAMAccountName=app_web", "userAccountControl=512",
	       "servicePrincipalName=http/web01.corp.example", NULL);
	tb_finish(m);
	struct spn_findings f;
	tc_run(m, CODE, &f);
	assert_int_equal(f.n, 1);
	const struct spn_finding *x = &f.v[0];
	assert_int_equal(x->naccounts, 4);
	assert_string_equal(tc_acc(m, x, 0), "CN=WEB01,DC=corp,DC=example");
	assert_string_equal(tc_acc(m, x, 1), "CN=app_web,DC=emea,DC=corp,DC=example");
	assert_string_equal(tc_acc(m, x, 2), "CN=da_web,DC=corp,DC=example");
	assert_string_equal(tc_acc(m, x, 3), "CN=old_web,DC=corp,DC=example");
	tc_contains(x->message, "4 accounts in 2 domains");
	tc_contains(x->message, "In corp.example 3 accounts hold it");
	tc_contains(x->message, "KDC_ERR_S_PRINCIPAL_UNKNOWN");
	tc_contains(x->message, "KRB_AP_ERR_MODIFIED");
	tc_contains(x->fix, "accounts that do not run the service");
	spn_findings_release(&f);
	spn_model_free(m);
}

static void test_benign_kadmin(void **state)
{
	(void)state;
	struct spn_model *m = tb_new(0);
	tb_add(m, "CN=krbtgt,CN=Users,DC=corp,DC=example", "objectClass=user",
	       "sAMAccountName=krbtgt", "userAccountControl=514", "objectSid=S-1-5-21-1-2-3-502",
	       "servicePrincipalName=kadmin/changepw", NULL);
	tb_add(m, "CN=krbtgt,CN=Users,DC=emea,DC=corp,DC=example", "objectClass=user",
	       "sAMAccountName=krbtgt", "userAccountControl=514", "objectSid=S-1-5-21-4-5-6-502",
	       "servicePrincipalName=kadmin/changepw", NULL);
	tb_add(m, "CN=krbtgt,CN=Users,DC=apac,DC=corp,DC=example", "objectClass=user",
	       "sAMAccountName=krbtgt", "userAccountControl=514", "objectSid=S-1-5-21-7-8-9-502",
	       "servicePrincipalName=kadmin/changepw", NULL);
	tb_finish(m);
	struct spn_findings f;
	tc_run(m, CODE, &f);
	assert_int_equal(f.n, 1);
	assert_int_equal(f.v[0].severity, SPN_SEV_INFO);
	assert_int_equal(f.v[0].naccounts, 3);
	tc_contains(f.v[0].message, "benign");
	tc_contains(f.v[0].message, "krbtgt account of 3 domains");
	assert_string_equal(f.v[0].fix, "Nothing to do.");
	spn_findings_release(&f);

	/* kadmin/changepw on an ordinary user as well is a real duplicate. */
	tb_add(m, "CN=mallory,CN=Users,DC=corp,DC=example", "objectClass=user",
	       "sAMAccountName=mallory", "userAccountControl=512",
	       "servicePrincipalName=kadmin/changepw", NULL);
	tb_finish(m);
	tc_run(m, CODE, &f);
	assert_int_equal(f.n, 1);
	assert_int_equal(f.v[0].severity, SPN_SEV_ERROR);
	assert_int_equal(f.v[0].naccounts, 4);
	assert_null(strstr(f.v[0].message, "benign"));
	spn_findings_release(&f);
	spn_model_free(m);
}

static void test_benign_samba_dns(void **state)
{
	(void)state;
	struct spn_model *m = tb_new(0);
	tb_add(m, "CN=DC1,OU=Domain Controllers,DC=samdom,DC=example", "objectClass=computer",
	       "sAMAccountName=DC1$", "userAccountControl=532480",
	       "dNSHostName=dc1.samdom.example", "servicePrincipalName=DNS/dc1.samdom.example",
	       "servicePrincipalName=HOST/dc1.samdom.example", NULL);
	tb_add(m, "CN=dns-DC1,CN=Users,DC=samdom,DC=example", "objectClass=user",
	       "sAMAccountName=dns-DC1", "userAccountControl=512",
	       "servicePrincipalName=DNS/dc1.samdom.example",
	       "servicePrincipalName=DNS/samdom.example", NULL);
	tb_finish(m);
	struct spn_findings f;
	tc_run(m, CODE, &f);
	assert_int_equal(f.n, 1);
	assert_int_equal(f.v[0].severity, SPN_SEV_INFO);
	tc_contains(f.v[0].message, "benign");
	tc_contains(f.v[0].message, "Samba");
	spn_findings_release(&f);
	spn_model_free(m);

	/* dns-DC2 is not the DNS account of DC1: an error. */
	m = tb_new(0);
	tb_add(m, "CN=DC1,OU=Domain Controllers,DC=samdom,DC=example", "objectClass=computer",
	       "sAMAccountName=DC1$", "userAccountControl=532480",
	       "servicePrincipalName=DNS/dc1.samdom.example", NULL);
	tb_add(m, "CN=dns-DC2,CN=Users,DC=samdom,DC=example", "objectClass=user",
	       "sAMAccountName=dns-DC2", "userAccountControl=512",
	       "servicePrincipalName=DNS/dc1.samdom.example", NULL);
	tb_finish(m);
	tc_run(m, CODE, &f);
	assert_int_equal(f.n, 1);
	assert_int_equal(f.v[0].severity, SPN_SEV_ERROR);
	spn_findings_release(&f);
	spn_model_free(m);
}

static void test_counts_one_per_spn(void **state)
{
	(void)state;
	struct spn_model *m = tb_new(0);
	char dn[128], spn[64];
	/* 10 SPNs, each on 3 accounts; 5 unique SPNs. */
	for (int a = 0; a < 3; a++) {
		snprintf(dn, sizeof(dn), "CN=svc%d,DC=corp,DC=example", a);
		struct spn_entry e;
		struct spn_err err;
		spn_entry_init(&e);
		spn_err_init(&err);
		e.dn.p = dn;
		e.dn.n = strlen(dn);
		e.where = "t";
		char vals[15][64];
		for (int s = 0; s < 10; s++) {
			snprintf(vals[s], sizeof(vals[s]), "HTTP/app%d.corp.example", s);
			spn_entry_add(&e, SPN_A_SERVICEPRINCIPALNAME, vals[s], strlen(vals[s]));
		}
		if (a == 0)
			for (int s = 0; s < 5; s++) {
				snprintf(vals[10 + s], sizeof(vals[0]), "HTTP/solo%d.corp.example", s);
				spn_entry_add(&e, SPN_A_SERVICEPRINCIPALNAME, vals[10 + s], strlen(vals[10 + s]));
			}
		spn_entry_add(&e, SPN_A_OBJECTCLASS, "user", 4);
		assert_int_equal(spn_model_add_entry(m, 0, &e, &err), SPN_OK);
		spn_entry_release(&e);
	}
	(void)spn;
	tb_finish(m);
	struct spn_findings f;
	tc_run(m, CODE, &f);
	assert_int_equal(f.n, 10);
	for (size_t i = 0; i < f.n; i++)
		assert_int_equal(f.v[i].naccounts, 3);
	spn_findings_release(&f);
	spn_model_free(m);
}

/* One SPN on thousands of accounts, some of them the same object read
 * twice (DN in another case): one finding, each object once. */
static void test_many_holders(void **state)
{
	(void)state;
	struct spn_model *m = tb_new(0);
	char dn[64];
	for (int i = 0; i < 3000; i++) {
		snprintf(dn, sizeof(dn), "CN=svc%04d,OU=Svc,DC=corp,DC=example", i);
		tb_add(m, dn, "objectClass=user", "userAccountControl=512",
		       "servicePrincipalName=HTTP/planted.corp.example", NULL);
	}
	for (int i = 0; i < 3000; i += 3) {
		snprintf(dn, sizeof(dn), "cn=SVC%04d,ou=svc,dc=corp,dc=example", i);
		tb_add(m, dn, "objectClass=user", "userAccountControl=512",
		       "servicePrincipalName=http/PLANTED.corp.example", NULL);
	}
	tb_finish(m);
	struct spn_findings f;
	tc_run(m, CODE, &f);
	assert_int_equal(f.n, 1);
	assert_int_equal(f.v[0].naccounts, 3000);
	tc_contains(f.v[0].message, "registered on 3000 accounts in corp.example");
	tc_contains(f.v[0].message, "and 2980 more");
	/* Every account once, none twice. */
	for (size_t i = 1; i < f.v[0].naccounts; i++)
		assert_true(strcasecmp(tc_acc(m, &f.v[0], i - 1), tc_acc(m, &f.v[0], i)) < 0);
	spn_findings_release(&f);
	spn_model_free(m);
}

/* Issue 8's SQL case: the Fix: text follows the evidence rule (spnctl fix's),
 * so it keeps the SPN on the service account that holds the instance's
 * other names, not on the computer; two equal service accounts: undecided. */
static void test_fix_follows_evidence(void **state)
{
	(void)state;
	struct spn_model *m = tb_new(0);
	tb_add(m, "CN=SQL02,OU=Servers,DC=corp,DC=example", "objectClass=computer",
	       "sAMAccountName=SQL02$", "userAccountControl=4096", "dNSHostName=sql02.corp.example",
	       "servicePrincipalName=MSSQLSvc/sql02.corp.example:1433", NULL);
	tb_add(m, "CN=svc_sql02,OU=Service Accounts,DC=corp,DC=example", "objectClass=user",
	       "sAMAccountName=svc_sql02", "userAccountControl=66048",
	       "servicePrincipalName=MSSQLSvc/sql02.corp.example:1433",
	       "servicePrincipalName=MSSQLSvc/sql02.corp.example:SALES",
	       "servicePrincipalName=MSSQLSvc/sql02.corp.example:49172", NULL);
	tb_add(m, "CN=svc_a,DC=corp,DC=example", "objectClass=user", "sAMAccountName=svc_a",
	       "userAccountControl=512", "servicePrincipalName=HTTP/app.corp.example", NULL);
	tb_add(m, "CN=svc_b,DC=corp,DC=example", "objectClass=user", "sAMAccountName=svc_b",
	       "userAccountControl=512", "servicePrincipalName=HTTP/app.corp.example", NULL);
	tb_finish(m);
	struct spn_findings f;
	tc_run(m, CODE, &f);
	assert_int_equal(f.n, 2);
	const struct spn_finding *sql = tc_find(&f, CODE, "MSSQLSvc/sql02.corp.example:1433");
	assert_non_null(sql);
	assert_string_equal(tc_acc(m, sql, 0), "CN=svc_sql02,OU=Service Accounts,DC=corp,DC=example");
	tc_contains(sql->fix, "Keep MSSQLSvc/sql02.corp.example:1433 on svc_sql02");
	tc_contains(sql->fix, "CN=SQL02,OU=Servers,DC=corp,DC=example (setspn -D");
	tc_contains(sql->message, "also holds MSSQLSvc/sql02.corp.example:SALES");
	const struct spn_finding *web = tc_find(&f, CODE, "HTTP/app.corp.example");
	assert_non_null(web);
	tc_contains(web->fix, "The evidence does not settle it: the evidence is even");
	tc_contains(web->fix, "spnctl fix --keep ACCOUNT");
	spn_findings_release(&f);
	spn_model_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_field_case),
		cmocka_unit_test(test_same_account_is_not_duplicate),
		cmocka_unit_test(test_cross_domain),
		cmocka_unit_test(test_mixed_domains_and_order),
		cmocka_unit_test(test_benign_kadmin),
		cmocka_unit_test(test_benign_samba_dns),
		cmocka_unit_test(test_counts_one_per_spn),
		cmocka_unit_test(test_many_holders),
		cmocka_unit_test(test_fix_follows_evidence),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
