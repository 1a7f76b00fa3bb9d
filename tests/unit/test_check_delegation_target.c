/* test_check_delegation_target.c - delegation-target-missing and
 * delegation-target-duplicate: exact holders, HOST alias, one per
 * (account, target). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "builder.h"
#include "check_helpers.h"

static struct spn_model *build(void)
{
	struct spn_model *m = tb_new(0);
	tb_add(m, "CN=FS01,DC=corp,DC=example", "objectClass=computer", "sAMAccountName=FS01$",
	       "userAccountControl=4096", "servicePrincipalName=HOST/fs01.corp.example", NULL);
	tb_add(m, "CN=SQL01,DC=corp,DC=example", "objectClass=computer", "sAMAccountName=SQL01$",
	       "userAccountControl=4096", "servicePrincipalName=HOST/sql01.corp.example", NULL);
	tb_add(m, "CN=svc_sql,DC=corp,DC=example", "objectClass=user", "sAMAccountName=svc_sql",
	       "userAccountControl=512", "servicePrincipalName=MSSQLSvc/sql01.corp.example:1433", NULL);
	tb_add(m, "CN=svc_sql2,DC=corp,DC=example", "objectClass=user", "sAMAccountName=svc_sql2",
	       "userAccountControl=512", "servicePrincipalName=mssqlsvc/SQL01.corp.example:1433", NULL);
	/* A web front end delegating to: cifs (via HOST alias, fine), the SQL
	 * instance (duplicated), a retired server (missing), a class that is no
	 * alias on a host that exists (missing), and a host in another forest. */
	tb_add(m, "CN=WEB01,DC=corp,DC=example", "objectClass=computer", "sAMAccountName=WEB01$",
	       "userAccountControl=16781312", "servicePrincipalName=HOST/web01.corp.example",
	       "msDS-AllowedToDelegateTo=cifs/fs01.corp.example",
	       "msDS-AllowedToDelegateTo=MSSQLSvc/sql01.corp.example:1433",
	       "msDS-AllowedToDelegateTo=cifs/fs02.corp.example",
	       "msDS-AllowedToDelegateTo=ldap/fs01.corp.example",
	       "msDS-AllowedToDelegateTo=HTTP/app.partner.example", NULL);
	/* A delegation source without SPNs of its own is kept by the model too. */
	tb_add(m, "CN=svc_app,DC=corp,DC=example", "objectClass=user", "sAMAccountName=svc_app",
	       "userAccountControl=512", "msDS-AllowedToDelegateTo=http/FS01.corp.example", NULL);
	tb_finish(m);
	return m;
}

static void test_missing(void **state)
{
	(void)state;
	struct spn_model *m = build();
	struct spn_findings f;
	tc_run(m, "delegation-target-missing", &f);
	assert_int_equal(f.n, 3);
	const struct spn_finding *x = tc_find(&f, "delegation-target-missing", "cifs/fs02.corp.example");
	assert_non_null(x);
	assert_int_equal(x->severity, SPN_SEV_ERROR);
	assert_int_equal(x->naccounts, 1);
	assert_string_equal(tc_acc(m, x, 0), "CN=WEB01,DC=corp,DC=example");
	tc_contains(x->message, "or its HOST alias host/fs02.corp.example");
	tc_contains(x->message, "whoever registers that SPN later");
	assert_null(strstr(x->message, "no domain of the snapshot"));
	tc_contains(x->fix, "msDS-AllowedToDelegateTo of CN=WEB01,DC=corp,DC=example");
	x = tc_find(&f, "delegation-target-missing", "ldap/fs01.corp.example");
	assert_non_null(x);
	assert_null(strstr(x->message, "HOST alias"));
	x = tc_find(&f, "delegation-target-missing", "HTTP/app.partner.example");
	assert_non_null(x);
	tc_contains(x->message, "no domain of the snapshot");
	spn_findings_release(&f);
	spn_model_free(m);
}

static void test_duplicate(void **state)
{
	(void)state;
	struct spn_model *m = build();
	struct spn_findings f;
	tc_run(m, "delegation-target-duplicate", &f);
	assert_int_equal(f.n, 1);
	const struct spn_finding *x = &f.v[0];
	assert_string_equal(x->spn, "MSSQLSvc/sql01.corp.example:1433");
	assert_int_equal(x->naccounts, 3);
	assert_string_equal(tc_acc(m, x, 0), "CN=WEB01,DC=corp,DC=example");
	tc_contains(x->message, "held by 2 accounts");
	tc_contains(x->message, "S4U2Proxy");
	spn_findings_release(&f);

	/* Through the alias: a second HOST/fs01 makes cifs/fs01 and http/fs01 ambiguous. */
	tb_add(m, "CN=FS01-NEW,DC=corp,DC=example", "objectClass=computer",
	       "sAMAccountName=FS01-NEW$", "servicePrincipalName=host/FS01.corp.example", NULL);
	tb_finish(m);
	tc_run(m, "delegation-target-duplicate", &f);
	assert_int_equal(f.n, 3);
	x = tc_find(&f, "delegation-target-duplicate", "http/FS01.corp.example");
	assert_non_null(x);
	assert_string_equal(tc_acc(m, x, 0), "CN=svc_app,DC=corp,DC=example");
	tc_contains(x->message, "through host/FS01.corp.example is held by 2 accounts");
	spn_findings_release(&f);
	spn_model_free(m);
}

static void test_other_domain_counts_as_missing(void **state)
{
	(void)state;
	struct spn_model *m = tb_new(0);
	tb_add(m, "CN=APP01,DC=emea,DC=corp,DC=example", "objectClass=computer",
	       "sAMAccountName=APP01$", "servicePrincipalName=HTTP/app01.emea.corp.example", NULL);
	tb_add(m, "CN=APP01,DC=corp,DC=example", "objectClass=computer", "sAMAccountName=APP01$",
	       "servicePrincipalName=HTTP/app01.emea.corp.example", NULL);
	tb_add(m, "CN=WEB01,DC=corp,DC=example", "objectClass=computer", "sAMAccountName=WEB01$",
	       "msDS-AllowedToDelegateTo=HTTP/app01.emea.corp.example", NULL);
	tb_add(m, "CN=WEB02,DC=apac,DC=corp,DC=example", "objectClass=computer",
	       "sAMAccountName=WEB02$", "msDS-AllowedToDelegateTo=HTTP/app01.emea.corp.example", NULL);
	tb_finish(m);
	struct spn_findings f;
	/* corp holds it once (no duplicate: emea's copy is another KDC's business);
	 * apac holds nothing: missing, and the message says where it lives. */
	tc_run(m, "delegation-target-duplicate", &f);
	assert_int_equal(f.n, 0);
	spn_findings_release(&f);
	tc_run(m, "delegation-target-missing", &f);
	assert_int_equal(f.n, 1);
	assert_string_equal(tc_acc(m, &f.v[0], 0), "CN=WEB02,DC=apac,DC=corp,DC=example");
	tc_contains(f.v[0].message, "no account in apac.corp.example holds it");
	tc_contains(f.v[0].message, "works only within one domain");
	spn_findings_release(&f);
	spn_model_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_missing),
		cmocka_unit_test(test_duplicate),
		cmocka_unit_test(test_other_domain_counts_as_missing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
