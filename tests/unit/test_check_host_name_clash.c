/* test_check_host_name_clash.c - host-name-clash: HOST/<name> on one
 * account while the computer called <name> lacks it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "builder.h"
#include "check_helpers.h"

#define CODE "host-name-clash"

static void test_clash(void **state)
{
	(void)state;
	struct spn_model *m = tb_new(0);
	/* The computer APP01 is the host app01.corp.example but lost its HOST/
	 * SPNs to a service account: error (Windows and Samba). */
	tb_add(m, "CN=APP01,OU=Servers,DC=corp,DC=example", "objectClass=computer",
	       "sAMAccountName=APP01$", "userAccountControl=4096", "dNSHostName=app01.corp.example",
	       "servicePrincipalName=TERMSRV/app01.corp.example", NULL);
	tb_add(m, "CN=svc_app,OU=Svc,DC=corp,DC=example", "objectClass=user",
	       "sAMAccountName=svc_app", "userAccountControl=512",
	       "servicePrincipalName=HOST/app01.corp.example", "servicePrincipalName=HOST/APP01", NULL);
	/* A computer named "files" whose own name is files01: HOST/files.other.example
	 * on a user only confuses Samba (first label): warning. */
	tb_add(m, "CN=files,OU=Servers,DC=corp,DC=example", "objectClass=computer",
	       "sAMAccountName=FILES01$", "userAccountControl=4096", "dNSHostName=files01.corp.example",
	       NULL);
	tb_add(m, "CN=svc_files,OU=Svc,DC=corp,DC=example", "objectClass=user",
	       "sAMAccountName=svc_files", "userAccountControl=512",
	       "servicePrincipalName=host/files.other.example", NULL);
	/* Not reported: the computer holds it too (that is duplicate-spn), the
	 * holder is the computer itself, another domain, 3-part, a port. */
	tb_add(m, "CN=WEB01,DC=corp,DC=example", "objectClass=computer", "sAMAccountName=WEB01$",
	       "servicePrincipalName=HOST/web01", NULL);
	tb_add(m, "CN=svc_web,DC=corp,DC=example", "objectClass=user", "sAMAccountName=svc_web",
	       "servicePrincipalName=HOST/web01", "servicePrincipalName=HOST/web02/x",
	       "servicePrincipalName=HOST/db01.emea.corp.example", NULL);
	tb_add(m, "CN=WEB02,DC=corp,DC=example", "objectClass=computer", "sAMAccountName=WEB02$", NULL);
	tb_add(m, "CN=DB01,DC=emea,DC=corp,DC=example", "objectClass=computer",
	       "sAMAccountName=DB01$", NULL);
	tb_finish(m);
	struct spn_findings f;
	tc_run(m, CODE, &f);
	assert_int_equal(f.n, 3);
	assert_int_equal(tc_count(&f, CODE, SPN_SEV_ERROR), 2);
	assert_int_equal(tc_count(&f, CODE, SPN_SEV_WARNING), 1);
	const struct spn_finding *x = tc_find(&f, CODE, "HOST/app01.corp.example");
	assert_non_null(x);
	assert_int_equal(x->severity, SPN_SEV_ERROR);
	assert_string_equal(tc_acc(m, x, 0), "CN=APP01,OU=Servers,DC=corp,DC=example");
	assert_string_equal(tc_acc(m, x, 1), "CN=svc_app,OU=Svc,DC=corp,DC=example");
	tc_contains(x->message, "is named APP01");
	tc_contains(x->message, "KRB_AP_ERR_MODIFIED");
	tc_contains(x->fix, "setspn -S HOST/app01.corp.example APP01$");
	assert_non_null(tc_find(&f, CODE, "HOST/APP01"));
	x = tc_find(&f, CODE, "host/files.other.example");
	assert_non_null(x);
	assert_int_equal(x->severity, SPN_SEV_WARNING);
	tc_contains(x->message, "Samba");
	assert_null(strstr(x->message, "KRB_AP_ERR_MODIFIED"));
	spn_findings_release(&f);
	spn_model_free(m);
}

/* Names longer than a machine word, in other case than the cn, with a
 * port, and the own-name test by sAMAccountName when the cn differs. */
static void test_long_names(void **state)
{
	(void)state;
	struct spn_model *m = tb_new(0);
	tb_add(m, "CN=FileServer0123456789,OU=Servers,DC=corp,DC=example", "objectClass=computer",
	       "sAMAccountName=FS01$", "userAccountControl=4096",
	       "servicePrincipalName=HOST/fs01.corp.example", NULL);
	tb_add(m, "CN=svc_fs,OU=Svc,DC=corp,DC=example", "objectClass=user", "sAMAccountName=svc_fs",
	       "userAccountControl=512", "servicePrincipalName=HOST/FILESERVER0123456789.corp.example:445",
	       "servicePrincipalName=HOST/fileserver0123456788", NULL);
	tb_add(m, "CN=FileServer0123456788,OU=Servers,DC=corp,DC=example", "objectClass=computer",
	       "sAMAccountName=FS02$", "userAccountControl=4096", NULL);
	/* Its own names: the cn in other case, the sAMAccountName without '$'. */
	tb_add(m, "CN=Another-Long-Computer,OU=Servers,DC=corp,DC=example", "objectClass=computer",
	       "sAMAccountName=ALC01$", "userAccountControl=4096",
	       "servicePrincipalName=HOST/ANOTHER-LONG-COMPUTER.corp.example",
	       "servicePrincipalName=HOST/alc01", NULL);
	tb_finish(m);
	struct spn_findings f;
	tc_run(m, CODE, &f);
	assert_int_equal(f.n, 2);
	const struct spn_finding *x = tc_find(&f, CODE, "HOST/FILESERVER0123456789.corp.example:445");
	assert_non_null(x);
	assert_string_equal(tc_acc(m, x, 0), "CN=FileServer0123456789,OU=Servers,DC=corp,DC=example");
	x = tc_find(&f, CODE, "HOST/fileserver0123456788");
	assert_non_null(x);
	assert_string_equal(tc_acc(m, x, 0), "CN=FileServer0123456788,OU=Servers,DC=corp,DC=example");
	spn_findings_release(&f);
	spn_model_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clash),
		cmocka_unit_test(test_long_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
