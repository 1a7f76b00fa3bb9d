/* test_check_dc_only_spn.c - dc-only-spn: 3-part SPN naming the holder's
 * own domain on a non-DC. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "builder.h"
#include "check_helpers.h"

#define CODE "dc-only-spn"

static void test_dc_only(void **state)
{
	(void)state;
	struct spn_model *m = tb_new(0);
	/* A demoted DC, now a member server, still carrying DC SPNs. */
	tb_add(m, "CN=OLDDC,OU=Servers,DC=corp,DC=example", "objectClass=computer",
	       "sAMAccountName=OLDDC$", "userAccountControl=4096",
	       "servicePrincipalName=ldap/olddc.corp.example/corp.example",
	       "servicePrincipalName=HOST/olddc.corp.example/CORP.EXAMPLE.",
	       "servicePrincipalName=ldap/olddc.corp.example/CORP",
	       "servicePrincipalName=GC/olddc.corp.example/example", NULL);
	/* The real DCs and RODCs may. */
	tb_add(m, "CN=DC1,OU=Domain Controllers,DC=corp,DC=example", "objectClass=computer",
	       "sAMAccountName=DC1$", "userAccountControl=532480",
	       "servicePrincipalName=ldap/dc1.corp.example/corp.example", NULL);
	tb_add(m, "CN=RODC1,OU=Domain Controllers,DC=corp,DC=example", "objectClass=computer",
	       "sAMAccountName=RODC1$", "userAccountControl=83890176",
	       "servicePrincipalName=HOST/rodc1.corp.example/corp.example", NULL);
	/* Another domain's name as third part: not this rule. */
	tb_add(m, "CN=svc,DC=emea,DC=corp,DC=example", "objectClass=user", "sAMAccountName=svc",
	       "servicePrincipalName=HTTP/app.corp.example/corp.example", NULL);
	tb_finish(m);
	struct spn_findings f;
	tc_run(m, CODE, &f);
	assert_int_equal(f.n, 2);
	assert_string_equal(f.v[0].spn, "HOST/olddc.corp.example/CORP.EXAMPLE.");
	assert_string_equal(f.v[1].spn, "ldap/olddc.corp.example/corp.example");
	for (size_t i = 0; i < f.n; i++) {
		assert_int_equal(f.v[i].severity, SPN_SEV_WARNING);
		assert_string_equal(tc_acc(m, &f.v[i], 0), "CN=OLDDC,OU=Servers,DC=corp,DC=example");
		tc_contains(f.v[i].message, "CVE-2020-25722");
		tc_contains(f.v[i].message, "demoted DC");
		tc_contains(f.v[i].fix, "setspn -D ");
	}
	spn_findings_release(&f);
	spn_model_free(m);
}

/* The shapes near the rule's edge: the domain as host of a 2-part name,
 * as a longer third part, several trailing dots, a port, the domain
 * followed by a dot-less suffix. Values of several accounts in turn. */
static void test_edges(void **state)
{
	(void)state;
	struct spn_model *m = tb_new(0);
	tb_add(m, "CN=SRV1,OU=Servers,DC=corp,DC=example", "objectClass=computer",
	       "sAMAccountName=SRV1$", "userAccountControl=4096",
	       "servicePrincipalName=HTTP/corp.example",
	       "servicePrincipalName=ldap/srv1/xcorp.example",
	       "servicePrincipalName=ldap/srv1/corp.example...",
	       "servicePrincipalName=ldap/srv1:389/Corp.Example", NULL);
	tb_add(m, "CN=SRV2,OU=Servers,DC=corp,DC=example", "objectClass=computer",
	       "sAMAccountName=SRV2$", "userAccountControl=4096",
	       "servicePrincipalName=ldap/srv2/corp.examples",
	       "servicePrincipalName=ldap/srv2/corp.example/x", NULL);
	tb_add(m, "CN=SRV3,DC=emea,DC=corp,DC=example", "objectClass=computer",
	       "sAMAccountName=SRV3$", "userAccountControl=4096",
	       "servicePrincipalName=ldap/srv3/emea.corp.example", NULL);
	tb_finish(m);
	struct spn_findings f;
	tc_run(m, CODE, &f);
	assert_int_equal(f.n, 3);
	assert_non_null(tc_find(&f, CODE, "ldap/srv1/corp.example..."));
	assert_non_null(tc_find(&f, CODE, "ldap/srv1:389/Corp.Example"));
	assert_non_null(tc_find(&f, CODE, "ldap/srv3/emea.corp.example"));
	spn_findings_release(&f);
	spn_model_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dc_only),
		cmocka_unit_test(test_edges),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
