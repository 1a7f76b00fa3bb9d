/* test_query.c - what `spnctl query` and setspn -Q show for a pattern:
 * each matching SPN once (value order), its holders in chain order, only
 * those inside -T's scope, and an SPN with no holder in scope left out. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "builder.h"

#define A_CORP "CN=A,CN=Computers,DC=corp,DC=example"
#define B_CORP "CN=B,CN=Computers,DC=corp,DC=example"
#define C_CHILD "CN=C,CN=Computers,DC=child,DC=corp,DC=example"

static struct spn_model *model(void)
{
	struct spn_model *m = tb_new(0);
	tb_add(m, A_CORP, "objectClass=computer", "sAMAccountName=A$",
	       "servicePrincipalName=HTTP/web", "servicePrincipalName=HOST/a", NULL);
	tb_add(m, B_CORP, "objectClass=computer", "sAMAccountName=B$",
	       "servicePrincipalName=http/WEB", NULL);
	tb_add(m, C_CHILD, "objectClass=computer", "sAMAccountName=C$",
	       "servicePrincipalName=HTTP/web", "servicePrincipalName=HTTP/child-only", NULL);
	tb_finish(m);
	return m;
}

static const char *holder(const struct spn_model *m, const struct spn_query_group *g, size_t k)
{
	return spn_model_account(m, spn_model_value(m, g->values[k])->account)->dn;
}

static void test_query_all(void **state)
{
	(void)state;
	struct spn_model *m = model();
	struct spn_query_result q;
	struct spn_err err;
	spn_err_init(&err);

	assert_int_equal(spn_model_query(m, NULL, "http/*", &q, &err), SPN_OK);
	assert_string_equal(q.pattern, "http/*");
	assert_int_equal(q.ngroups, 2);
	assert_string_equal(spn_model_value(m, q.groups[0].head)->str, "HTTP/web");
	assert_int_equal(q.groups[0].nvalues, 3);
	uint32_t v = q.groups[0].head;
	for (size_t k = 0; k < 3; k++, v = spn_model_value(m, v)->next_same)
		assert_int_equal(q.groups[0].values[k], v);  /* the chain, head first */
	assert_string_equal(holder(m, &q.groups[0], 0), A_CORP);
	assert_string_equal(spn_model_value(m, q.groups[1].head)->str, "HTTP/child-only");
	assert_int_equal(q.groups[1].nvalues, 1);
	spn_query_result_release(&q);
	assert_null(q.groups);

	/* Without '*': one lookup, any case. */
	assert_int_equal(spn_model_query(m, NULL, "host/A", &q, &err), SPN_OK);
	assert_int_equal(q.ngroups, 1);
	assert_int_equal(q.groups[0].nvalues, 1);
	assert_string_equal(holder(m, &q.groups[0], 0), A_CORP);
	spn_query_result_release(&q);

	assert_int_equal(spn_model_query(m, NULL, "HTTP/nowhere", &q, &err), SPN_OK);
	assert_int_equal(q.ngroups, 0);
	assert_null(q.groups);
	spn_query_result_release(&q);
	spn_model_free(m);
}

static void test_query_scope(void **state)
{
	(void)state;
	struct spn_model *m = model();
	struct spn_query_result q;
	struct spn_scope corp;
	struct spn_err err;
	const char *names[] = {"corp.example"};
	spn_err_init(&err);
	assert_int_equal(spn_scope_init(&corp, m, names, 1, &err), SPN_OK);

	/* The child's holder is left out, and HTTP/child-only with it. */
	assert_int_equal(spn_model_query(m, &corp, "HTTP/*", &q, &err), SPN_OK);
	assert_int_equal(q.ngroups, 1);
	assert_int_equal(q.groups[0].nvalues, 2);
	assert_string_equal(holder(m, &q.groups[0], 0), A_CORP);
	assert_string_equal(holder(m, &q.groups[0], 1), B_CORP);
	spn_query_result_release(&q);

	assert_int_equal(spn_model_query(m, &corp, "HTTP/child-only", &q, &err), SPN_OK);
	assert_int_equal(q.ngroups, 0);
	spn_query_result_release(&q);
	spn_scope_release(&corp);
	spn_model_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_query_all),
		cmocka_unit_test(test_query_scope),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
