/* test_check_malformed_spn.c - malformed-spn: one per bad value, reason and
 * a visible rendering of invisible bytes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "builder.h"
#include "check_helpers.h"

#define CODE "malformed-spn"

static void test_malformed(void **state)
{
	(void)state;
	struct spn_model *m = tb_new(0);
	tb_add(m, "CN=svc,DC=corp,DC=example", "objectClass=user", "sAMAccountName=svc",
	       "servicePrincipalName=HTTP/web01.corp.example@CORP.EXAMPLE",
	       "servicePrincipalName=HTTP/web01.corp.example ",
	       "servicePrincipalName=MSSQLSvc",
	       "servicePrincipalName=a/b/c/d",
	       "servicePrincipalName=MSSQLSvc/sql01:",
	       "servicePrincipalName=HTTP/ok.corp.example",
	       "servicePrincipalName=HTTP/bad\xff.corp.example", NULL);
	tb_finish(m);
	struct spn_findings f;
	tc_run(m, CODE, &f);
	assert_int_equal(f.n, 6);
	for (size_t i = 0; i < f.n; i++) {
		assert_int_equal(f.v[i].severity, SPN_SEV_WARNING);
		assert_int_equal(f.v[i].naccounts, 1);
	}
	const struct spn_finding *x = tc_find(&f, CODE, "HTTP/web01.corp.example@CORP.EXAMPLE");
	tc_contains(x->message, "without a realm");
	tc_contains(x->fix, "register HTTP/web01.corp.example instead");
	x = tc_find(&f, CODE, "HTTP/web01.corp.example ");
	tc_contains(x->message, "\"HTTP/web01.corp.example<U+0020>\"");
	tc_contains(x->message, "white space");
	x = tc_find(&f, CODE, "MSSQLSvc");
	tc_contains(x->fix, "needs a service class and a host");
	x = tc_find(&f, CODE, "a/b/c/d");
	tc_contains(x->message, "more than 3");
	x = tc_find(&f, CODE, "HTTP/bad\xff.corp.example");
	tc_contains(x->message, "HTTP/bad<0xFF>.corp.example");
	tc_contains(x->message, "not valid UTF-8");
	assert_null(tc_find(&f, CODE, "HTTP/ok.corp.example"));
	spn_findings_release(&f);
	spn_model_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_malformed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
