/* test_check_upn_spn_collision.c - upn-spn-collision: a UPN that spells
 * another account's SPN, as is or as "<spn>@<realm>". */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#include "builder.h"
#include "check_helpers.h"

#define CODE "upn-spn-collision"

static void test_collisions(void **state)
{
	(void)state;
	struct spn_model *m = tb_new(0);
	tb_add(m, "CN=WEB01,DC=corp,DC=example", "objectClass=computer", "sAMAccountName=WEB01$",
	       "servicePrincipalName=HTTP/web01.corp.example",
	       "servicePrincipalName=HTTP/intranet.corp.example",
	       "servicePrincipalName=HTTP/portal.corp.example", NULL);
	/* UPN exactly the SPN (other case). */
	tb_add(m, "CN=kt1,DC=corp,DC=example", "objectClass=user", "sAMAccountName=kt1",
	       "userPrincipalName=http/WEB01.corp.example", NULL);
	/* ktpass style: <spn>@<REALM>. */
	tb_add(m, "CN=kt2,DC=corp,DC=example", "objectClass=user", "sAMAccountName=kt2",
	       "userPrincipalName=HTTP/intranet.corp.example@CORP.EXAMPLE", NULL);
	/* <spn>@<another suffix>: a KDC never forms that name. */
	tb_add(m, "CN=kt3,DC=corp,DC=example", "objectClass=user", "sAMAccountName=kt3",
	       "userPrincipalName=HTTP/portal.corp.example@example.org", NULL);
	/* ktpass style on the SPN's own holder: fine. */
	tb_add(m, "CN=svc_app,DC=corp,DC=example", "objectClass=user", "sAMAccountName=svc_app",
	       "userPrincipalName=HTTP/app.corp.example@CORP.EXAMPLE",
	       "servicePrincipalName=HTTP/app.corp.example", NULL);
	tb_finish(m);
	struct spn_findings f;
	tc_run(m, CODE, &f);
	assert_int_equal(f.n, 2);
	const struct spn_finding *a = tc_find(&f, CODE, "HTTP/web01.corp.example");
	const struct spn_finding *b = tc_find(&f, CODE, "HTTP/intranet.corp.example");
	assert_non_null(a);
	assert_non_null(b);
	assert_int_equal(a->severity, SPN_SEV_ERROR);
	assert_string_equal(tc_acc(m, a, 0), "CN=kt1,DC=corp,DC=example");
	assert_string_equal(tc_acc(m, a, 1), "CN=WEB01,DC=corp,DC=example");
	tc_contains(a->message, "MS-KILE 3.3.5.1.1");
	tc_contains(a->message, "KRB_AP_ERR_MODIFIED");
	tc_contains(b->message, "\"HTTP/intranet.corp.example@CORP.EXAMPLE\"");
	tc_contains(b->fix, "kt2@corp.example");
	spn_findings_release(&f);
	spn_model_free(m);
}

/* UPN "<spn>@<realm>": holders in other domains do not count, however many
 * come first; the one in the realm's domain is still found. */
static void test_realm_holder_behind_many_others(void **state)
{
	(void)state;
	struct spn_model *m = tb_new(0);
	char dn[96];
	for (int i = 0; i < 20; i++) {
		snprintf(dn, sizeof(dn), "CN=web%02d,DC=emea,DC=corp,DC=example", i);
		tb_add(m, dn, "objectClass=user", "servicePrincipalName=HTTP/app.corp.example", NULL);
	}
	tb_add(m, "CN=web,DC=apac,DC=corp,DC=example", "objectClass=user",
	       "servicePrincipalName=HTTP/app.corp.example", NULL);
	tb_add(m, "CN=bob,DC=corp,DC=example", "objectClass=user", "sAMAccountName=bob",
	       "userPrincipalName=HTTP/app.corp.example@APAC.CORP.EXAMPLE", NULL);
	tb_finish(m);
	struct spn_findings f;
	tc_run(m, "upn-spn-collision", &f);
	assert_int_equal(f.n, 1);
	assert_int_equal(f.v[0].naccounts, 2);
	assert_string_equal(tc_acc(m, &f.v[0], 1), "CN=web,DC=apac,DC=corp,DC=example");
	spn_findings_release(&f);
	spn_model_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_collisions),
		cmocka_unit_test(test_realm_holder_behind_many_others),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
