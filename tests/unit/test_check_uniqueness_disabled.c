/* test_check_uniqueness_disabled.c - uniqueness-disabled: the 21st
 * character of dSHeuristics, only when the entry was read. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "builder.h"
#include "check_helpers.h"

#define CODE "uniqueness-disabled"
#define DS "CN=Directory Service,CN=Windows NT,CN=Services,CN=Configuration,DC=corp,DC=example"

static void one(const char *value, size_t expect, const char *needle)
{
	char kv[128];
	struct spn_model *m = tb_new(0);
	snprintf(kv, sizeof(kv), "dSHeuristics=%s", value);
	tb_add(m, DS, kv, "sPNMappings=host=cifs,http", NULL);
	tb_finish(m);
	struct spn_findings f;
	tc_run(m, CODE, &f);
	assert_int_equal(f.n, expect);
	if (expect) {
		assert_int_equal(f.v[0].severity, SPN_SEV_WARNING);
		assert_int_equal(f.v[0].naccounts, 0);
		assert_null(f.v[0].spn);
		tc_contains(f.v[0].message, needle);
		tc_contains(f.v[0].fix, "21st character");
	}
	spn_findings_release(&f);
	spn_model_free(m);
}

static void test_values(void **state)
{
	(void)state;
	one("000000000100000000022", 1, "turns off the domain controllers' check of SPN uniqueness (");
	one("000000000100000000021", 1, "check of UPN uniqueness (");
	one("000000000100000000027", 1, "UPN uniqueness, SPN uniqueness and SPN alias uniqueness");
	one("000000000100000000024", 1, "SPN alias uniqueness");
	one("000000000100000000020", 0, NULL);    /* enforce all */
	one("0000000001000000000200001", 0, NULL);
	one("00000000010000000002", 0, NULL);     /* too short: defaults to 0 */
	one("000000000100000000028", 0, NULL);    /* bit 8 means nothing */

	/* No Directory Service entry: nothing to say. */
	struct spn_model *m = tb_new(0);
	tb_finish(m);
	struct spn_findings f;
	tc_run(m, CODE, &f);
	assert_int_equal(f.n, 0);
	spn_findings_release(&f);
	spn_model_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_values),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
