/* test_check_disabled_spn.c - disabled-spn: one per disabled holder; krbtgt
 * and enabled accounts not reported. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "builder.h"
#include "check_helpers.h"

#define CODE "disabled-spn"

static void test_disabled(void **state)
{
	(void)state;
	struct spn_model *m = tb_new(0);
	tb_add(m, "CN=svc_old,OU=Svc,DC=corp,DC=example", "objectClass=user",
	       "sAMAccountName=svc_old", "userAccountControl=514",
	       "servicePrincipalName=HTTP/old1.corp.example",
	       "servicePrincipalName=HTTP/old2.corp.example", NULL);
	tb_add(m, "CN=OLDPC,OU=Retired,DC=corp,DC=example", "objectClass=computer",
	       "sAMAccountName=OLDPC$", "userAccountControl=4098",
	       "servicePrincipalName=HOST/oldpc", NULL);
	tb_add(m, "CN=krbtgt,CN=Users,DC=corp,DC=example", "objectClass=user",
	       "sAMAccountName=krbtgt", "userAccountControl=514",
	       "servicePrincipalName=kadmin/changepw", NULL);
	tb_add(m, "CN=svc_live,OU=Svc,DC=corp,DC=example", "objectClass=user",
	       "sAMAccountName=svc_live", "userAccountControl=512",
	       "servicePrincipalName=HTTP/live.corp.example", NULL);
	/* Disabled but no SPNs (kept with KEEP_ALL? not here): nothing to say. */
	tb_add(m, "CN=PC2,DC=corp,DC=example", "objectClass=computer", "sAMAccountName=PC2$",
	       "userAccountControl=4098", NULL);
	/* No userAccountControl at all: not known to be disabled. */
	tb_add(m, "CN=svc_nouac,DC=corp,DC=example", "objectClass=user", "sAMAccountName=svc_nouac",
	       "servicePrincipalName=HTTP/x.corp.example", NULL);
	tb_finish(m);
	struct spn_findings f;
	tc_run(m, CODE, &f);
	assert_int_equal(f.n, 2);
	assert_string_equal(tc_acc(m, &f.v[0], 0), "CN=OLDPC,OU=Retired,DC=corp,DC=example");
	assert_string_equal(tc_acc(m, &f.v[1], 0), "CN=svc_old,OU=Svc,DC=corp,DC=example");
	assert_int_equal(f.v[1].severity, SPN_SEV_WARNING);
	tc_contains(f.v[1].message, "2 SPNs (HTTP/old1.corp.example and HTTP/old2.corp.example)");
	tc_contains(f.v[1].fix, "setspn -D <spn> svc_old");
	spn_findings_release(&f);
	spn_model_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_disabled),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
