/* test_check_privileged_spn.c - privileged-spn: RID 500, nested protected
 * groups, primary group, adminCount; DCs and krbtgt skipped; one per account. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "builder.h"
#include "check_helpers.h"

#define CODE "privileged-spn"

static void test_privileged(void **state)
{
	(void)state;
	struct spn_model *m = tb_new(0);
	tb_add(m, "CN=Domain Admins,CN=Users,DC=corp,DC=example", "objectClass=group",
	       "objectSid=S-1-5-21-1-2-3-512", NULL);
	tb_add(m, "CN=SQL Admins,OU=Groups,DC=corp,DC=example", "objectClass=group",
	       "objectSid=S-1-5-21-1-2-3-1200", "memberOf=CN=Domain Admins,CN=Users,DC=corp,DC=example", NULL);
	tb_add(m, "CN=Administrator,CN=Users,DC=corp,DC=example", "objectClass=user",
	       "sAMAccountName=Administrator", "userAccountControl=66048",
	       "objectSid=S-1-5-21-1-2-3-500", "servicePrincipalName=SMTPSVC/EXCH01",
	       "servicePrincipalName=SMTPSVC/exch01.corp.example", NULL);
	tb_add(m, "CN=svc_sql,OU=Svc,DC=corp,DC=example", "objectClass=user",
	       "sAMAccountName=svc_sql", "userAccountControl=512",
	       "memberOf=CN=SQL Admins,OU=Groups,DC=corp,DC=example",
	       "servicePrincipalName=MSSQLSvc/sql01.corp.example:1433", NULL);
	tb_add(m, "CN=old_admin,OU=Svc,DC=corp,DC=example", "objectClass=user",
	       "sAMAccountName=old_admin", "userAccountControl=512", "adminCount=1",
	       "servicePrincipalName=HTTP/old.corp.example", NULL);
	tb_add(m, "CN=EXCH01,OU=Servers,DC=corp,DC=example", "objectClass=computer",
	       "sAMAccountName=EXCH01$", "userAccountControl=4096",
	       "servicePrincipalName=SMTPSVC/EXCH01", NULL);
	/* Not reported: an ordinary service account, a DC, krbtgt, and a
	 * Domain Admin without SPNs. */
	tb_add(m, "CN=svc_web,OU=Svc,DC=corp,DC=example", "objectClass=user",
	       "sAMAccountName=svc_web", "userAccountControl=512",
	       "servicePrincipalName=HTTP/web.corp.example", NULL);
	tb_add(m, "CN=DC1,OU=Domain Controllers,DC=corp,DC=example", "objectClass=computer",
	       "sAMAccountName=DC1$", "userAccountControl=532480", "primaryGroupID=516",
	       "servicePrincipalName=ldap/dc1.corp.example", NULL);
	tb_add(m, "CN=krbtgt,CN=Users,DC=corp,DC=example", "objectClass=user",
	       "sAMAccountName=krbtgt", "userAccountControl=514", "adminCount=1",
	       "objectSid=S-1-5-21-1-2-3-502", "servicePrincipalName=kadmin/changepw", NULL);
	tb_add(m, "CN=bob,CN=Users,DC=corp,DC=example", "objectClass=user",
	       "sAMAccountName=bob", "userAccountControl=512",
	       "memberOf=CN=Domain Admins,CN=Users,DC=corp,DC=example", NULL);
	/* A gMSA in Domain Admins by primary group: reported, machine wording. */
	tb_add(m, "CN=gmsa_web,CN=Managed Service Accounts,DC=corp,DC=example",
	       "objectClass=msDS-GroupManagedServiceAccount", "objectClass=computer",
	       "sAMAccountName=gmsa_web$", "userAccountControl=4096", "primaryGroupID=512",
	       "servicePrincipalName=HTTP/app.corp.example", NULL);
	tb_finish(m);
	struct spn_findings f;
	tc_run(m, CODE, &f);
	assert_int_equal(f.n, 4);
	for (size_t i = 0; i < f.n; i++) {
		assert_int_equal(f.v[i].severity, SPN_SEV_WARNING);
		assert_int_equal(f.v[i].naccounts, 1);
		assert_null(f.v[i].spn);
	}
	/* Sorted by first account DN. */
	const struct spn_finding *adm = &f.v[0], *gm = &f.v[1], *old = &f.v[2], *sql = &f.v[3];
	assert_string_equal(tc_acc(m, adm, 0), "CN=Administrator,CN=Users,DC=corp,DC=example");
	tc_contains(adm->message, "RID 500 (built-in Administrator)");
	tc_contains(adm->message, "Kerberoasting");
	tc_contains(adm->message, "2 SPNs (SMTPSVC/EXCH01 and SMTPSVC/exch01.corp.example)");
	tc_contains(adm->fix, "1 of these SPNs is also held by another account");
	assert_string_equal(tc_acc(m, gm, 0), "CN=gmsa_web,CN=Managed Service Accounts,DC=corp,DC=example");
	tc_contains(gm->message, "primary group Domain Admins");
	tc_contains(gm->message, "password is random");
	assert_string_equal(tc_acc(m, old, 0), "CN=old_admin,OU=Svc,DC=corp,DC=example");
	tc_contains(old->message, "adminCount=1");
	tc_contains(old->fix, "left over");
	assert_string_equal(tc_acc(m, sql, 0), "CN=svc_sql,OU=Svc,DC=corp,DC=example");
	tc_contains(sql->message, "member of Domain Admins through CN=SQL Admins,OU=Groups,DC=corp,DC=example");
	spn_findings_release(&f);
	spn_model_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_privileged),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
