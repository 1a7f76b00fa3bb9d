/* test_check_alias_conflict.c - alias-conflict: explicit alias-class SPN on
 * one account, HOST/<host> on another; pairs; the Samba DNS exception; the
 * directory's own sPNMappings. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "builder.h"
#include "check_helpers.h"

#define CODE "alias-conflict"

static void add_fs01(struct spn_model *m)
{
	tb_add(m, "CN=FS01,OU=Servers,DC=corp,DC=example", "objectClass=computer",
	       "sAMAccountName=FS01$", "userAccountControl=4096", "dNSHostName=fs01.corp.example",
	       "servicePrincipalName=HOST/FS01", "servicePrincipalName=HOST/fs01.corp.example", NULL);
}

static void test_cifs_on_user(void **state)
{
	(void)state;
	struct spn_model *m = tb_new(0);
	add_fs01(m);
	tb_add(m, "CN=svc_backup,OU=Svc,DC=corp,DC=example", "objectClass=user",
	       "sAMAccountName=svc_backup", "userAccountControl=512",
	       "servicePrincipalName=cifs/fs01.corp.example",
	       "servicePrincipalName=MSSQLSvc/fs01.corp.example:1433", NULL);
	tb_finish(m);
	struct spn_findings f;
	tc_run(m, CODE, &f);
	assert_int_equal(f.n, 1);
	const struct spn_finding *x = &f.v[0];
	assert_int_equal(x->severity, SPN_SEV_ERROR);
	assert_string_equal(x->spn, "cifs/fs01.corp.example");
	assert_int_equal(x->naccounts, 2);
	assert_string_equal(tc_acc(m, x, 0), "CN=FS01,OU=Servers,DC=corp,DC=example");
	assert_string_equal(tc_acc(m, x, 1), "CN=svc_backup,OU=Svc,DC=corp,DC=example");
	tc_contains(x->message, "cifs/fs01.corp.example on CN=svc_backup,OU=Svc,DC=corp,DC=example "
	            "shadows HOST/fs01.corp.example on CN=FS01,OU=Servers,DC=corp,DC=example");
	tc_contains(x->message, "KRB_AP_ERR_MODIFIED");
	tc_contains(x->message, "runs as FS01$");
	tc_contains(x->message, "(observed on a real DC: SMB tickets issued under the other "
	            "account's key)");
	/* No Directory Service entry: the default mappings, said as such. */
	tc_contains(x->message, "cifs is an alias of host in the default sPNMappings (the snapshot "
	            "does not carry the directory's)");
	assert_null(strstr(x->message, "WinRM"));
	tc_contains(x->fix, "setspn -D cifs/fs01.corp.example svc_backup");
	spn_findings_release(&f);
	spn_model_free(m);
}

static void test_pairs_and_http(void **state)
{
	(void)state;
	struct spn_model *m = tb_new(0);
	/* HOST/web01 on two computers (a duplicate of its own), HTTP/web01 and
	 * HTTP/web01:8080 on an app pool account: 2 explicit values x 2 HOST holders?
	 * No: HTTP/web01:8080 maps to HOST/web01:8080, which nobody holds. */
	tb_add(m, "CN=WEB01,DC=corp,DC=example", "objectClass=computer", "sAMAccountName=WEB01$",
	       "servicePrincipalName=HOST/web01", NULL);
	tb_add(m, "CN=WEB01-OLD,DC=corp,DC=example", "objectClass=computer",
	       "sAMAccountName=WEB01-OLD$", "servicePrincipalName=host/WEB01", NULL);
	tb_add(m, "CN=apppool,DC=corp,DC=example", "objectClass=user", "sAMAccountName=apppool",
	       "servicePrincipalName=HTTP/web01", "servicePrincipalName=HTTP/web01:8080",
	       "servicePrincipalName=HOST/web01", NULL);
	tb_finish(m);
	struct spn_findings f;
	tc_run(m, CODE, &f);
	/* apppool's own HOST/web01 is not a conflict with itself. */
	assert_int_equal(f.n, 2);
	assert_string_equal(tc_acc(m, &f.v[0], 0), "CN=WEB01,DC=corp,DC=example");
	assert_string_equal(tc_acc(m, &f.v[1], 0), "CN=WEB01-OLD,DC=corp,DC=example");
	for (size_t i = 0; i < 2; i++) {
		assert_string_equal(f.v[i].spn, "HTTP/web01");
		assert_string_equal(tc_acc(m, &f.v[i], 1), "CN=apppool,DC=corp,DC=example");
		tc_contains(f.v[i].message, "WinRM");
		tc_contains(f.v[i].message, "right for a web service on web01 that runs as apppool");
		assert_null(strstr(f.v[i].message, "SMB"));  /* an SMB-only remark */
		tc_contains(f.v[i].fix, "IIS application pool");
	}
	spn_findings_release(&f);
	spn_model_free(m);
}

static void test_not_alias_and_directory_mappings(void **state)
{
	(void)state;
	struct spn_model *m = tb_new(0);
	add_fs01(m);
	/* ldap and MSSQLSvc are not HOST aliases by default. */
	tb_add(m, "CN=svc,DC=corp,DC=example", "objectClass=user", "sAMAccountName=svc",
	       "servicePrincipalName=ldap/fs01.corp.example",
	       "servicePrincipalName=MSSQLSvc/fs01.corp.example", NULL);
	tb_finish(m);
	struct spn_findings f;
	tc_run(m, CODE, &f);
	assert_int_equal(f.n, 0);
	spn_findings_release(&f);
	spn_model_free(m);

	/* A directory whose sPNMappings adds ldap (the pre-Sch12 list) and drops cifs. */
	m = tb_new(0);
	tb_add(m, "CN=Directory Service,CN=Windows NT,CN=Services,CN=Configuration,DC=corp,DC=example",
	       "sPNMappings=host=ldap,http", NULL);
	add_fs01(m);
	tb_add(m, "CN=svc,DC=corp,DC=example", "objectClass=user", "sAMAccountName=svc",
	       "servicePrincipalName=ldap/fs01.corp.example",
	       "servicePrincipalName=cifs/fs01.corp.example", NULL);
	tb_finish(m);
	tc_run(m, CODE, &f);
	assert_int_equal(f.n, 1);
	assert_string_equal(f.v[0].spn, "ldap/fs01.corp.example");
	tc_contains(f.v[0].message, "ldap is an alias of host in sPNMappings, and");
	spn_findings_release(&f);
	spn_model_free(m);
}

static void test_samba_dns_benign(void **state)
{
	(void)state;
	struct spn_model *m = tb_new(0);
	tb_add(m, "CN=DC1,OU=Domain Controllers,DC=samdom,DC=example", "objectClass=computer",
	       "sAMAccountName=DC1$", "userAccountControl=532480", "dNSHostName=dc1.samdom.example",
	       "servicePrincipalName=HOST/dc1.samdom.example", NULL);
	tb_add(m, "CN=dns-DC1,CN=Users,DC=samdom,DC=example", "objectClass=user",
	       "sAMAccountName=dns-DC1", "userAccountControl=512",
	       "servicePrincipalName=DNS/dc1.samdom.example", "servicePrincipalName=DNS/samdom.example",
	       NULL);
	/* The same DNS/ SPN on an unrelated user is a real conflict. */
	tb_add(m, "CN=DC2,OU=Domain Controllers,DC=samdom,DC=example", "objectClass=computer",
	       "sAMAccountName=DC2$", "userAccountControl=532480",
	       "servicePrincipalName=HOST/dc2.samdom.example", NULL);
	tb_add(m, "CN=eve,CN=Users,DC=samdom,DC=example", "objectClass=user",
	       "sAMAccountName=eve", "userAccountControl=512",
	       "servicePrincipalName=dns/dc2.samdom.example", NULL);
	tb_finish(m);
	struct spn_findings f;
	tc_run(m, CODE, &f);
	assert_int_equal(f.n, 2);
	assert_int_equal(tc_count(&f, CODE, SPN_SEV_ERROR), 1);
	assert_int_equal(tc_count(&f, CODE, SPN_SEV_INFO), 1);
	assert_string_equal(f.v[0].spn, "dns/dc2.samdom.example");   /* errors sort first */
	tc_contains(f.v[1].message, "benign");
	assert_string_equal(f.v[1].spn, "DNS/dc1.samdom.example");
	spn_findings_release(&f);
	spn_model_free(m);
}

static void test_other_domain_is_warning(void **state)
{
	(void)state;
	struct spn_model *m = tb_new(0);
	add_fs01(m);
	tb_add(m, "CN=svc_emea,OU=Svc,DC=emea,DC=corp,DC=example", "objectClass=user",
	       "sAMAccountName=svc_emea", "userAccountControl=512",
	       "servicePrincipalName=cifs/fs01.corp.example", NULL);
	tb_finish(m);
	struct spn_findings f;
	tc_run(m, CODE, &f);
	assert_int_equal(f.n, 1);
	assert_int_equal(f.v[0].severity, SPN_SEV_WARNING);
	tc_contains(f.v[0].message, "(domain emea.corp.example)");
	tc_contains(f.v[0].message, "The KDC of corp.example still uses HOST/");
	assert_null(strstr(f.v[0].message, "shadows"));
	tc_contains(f.v[0].fix, "setspn -D cifs/fs01.corp.example svc_emea");
	spn_findings_release(&f);
	spn_model_free(m);
}

/* Classes the quick filter must let through or turn away correctly: alias
 * classes sharing first letters with other classes (re: replicator,
 * remoteaccess, RestrictedKrbHost), upper case, one letter, longer than 32,
 * no '/'. */
static void test_class_shapes(void **state)
{
	(void)state;
	struct spn_model *m = tb_new(0);
	add_fs01(m);
	tb_add(m, "CN=svc_x,OU=Svc,DC=corp,DC=example", "objectClass=user",
	       "sAMAccountName=svc_x", "userAccountControl=512",
	       "servicePrincipalName=REMOTEACCESS/fs01.corp.example",
	       "servicePrincipalName=Replicator/FS01",
	       "servicePrincipalName=RestrictedKrbHost/fs01.corp.example",
	       "servicePrincipalName=rpc/fs01.corp.example",
	       "servicePrincipalName=r/fs01.corp.example",
	       "servicePrincipalName=remoteaccessremoteaccessremoteaccess/fs01.corp.example",
	       "servicePrincipalName=remoteaccess", NULL);
	tb_finish(m);
	struct spn_findings f;
	tc_run(m, CODE, &f);
	assert_int_equal(f.n, 3);
	assert_non_null(tc_find(&f, CODE, "REMOTEACCESS/fs01.corp.example"));
	assert_non_null(tc_find(&f, CODE, "Replicator/FS01"));
	assert_non_null(tc_find(&f, CODE, "rpc/fs01.corp.example"));
	spn_findings_release(&f);
	spn_model_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_class_shapes),
		cmocka_unit_test(test_cifs_on_user),
		cmocka_unit_test(test_pairs_and_http),
		cmocka_unit_test(test_not_alias_and_directory_mappings),
		cmocka_unit_test(test_samba_dns_benign),
		cmocka_unit_test(test_other_domain_is_warning),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
