/* test_scope.c - -T's scope in a snapshot (the model's domains, any case,
 * an unknown domain refused with the domains it has), the accounts names
 * select inside it (list, setspn -L with -C / -U), and the findings kept
 * inside it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "builder.h"
#include "check_helpers.h"

#define WEB_CORP "CN=WEB,CN=Computers,DC=corp,DC=example"
#define WEB_CHILD "CN=WEB,CN=Computers,DC=child,DC=corp,DC=example"
#define SVC_CHILD "CN=web-svc,CN=Users,DC=child,DC=corp,DC=example"

/* Two domains; WEB$ in both, a user called "web" in the child. */
static struct spn_model *two_domains(void)
{
	struct spn_model *m = tb_new(SPN_MODEL_KEEP_ALL);
	tb_add(m, WEB_CORP, "objectClass=computer", "sAMAccountName=WEB$",
	       "userAccountControl=4096", "servicePrincipalName=HTTP/web", NULL);
	tb_add(m, WEB_CHILD, "objectClass=computer", "sAMAccountName=WEB$",
	       "userAccountControl=4096", "servicePrincipalName=HTTP/web", NULL);
	tb_add(m, SVC_CHILD, "objectClass=user", "sAMAccountName=web",
	       "userAccountControl=512", NULL);
	tb_finish(m);
	return m;
}

static void test_scope_init(void **state)
{
	(void)state;
	struct spn_model *m = two_domains();
	struct spn_scope s;
	struct spn_err err;
	spn_err_init(&err);

	/* No names: every domain. */
	assert_int_equal(spn_scope_init(&s, m, NULL, 0, &err), SPN_OK);
	assert_int_equal(s.n, 0);
	assert_true(spn_scope_has(&s, m, tb_id(m, WEB_CORP)));
	assert_true(spn_scope_has(NULL, m, tb_id(m, WEB_CHILD)));
	spn_scope_release(&s);

	/* Any case in, the model's spelling out. */
	const char *names[] = {"Child.CORP.example"};
	assert_int_equal(spn_scope_init(&s, m, names, 1, &err), SPN_OK);
	assert_int_equal(s.n, 1);
	assert_string_equal(s.domains[0], "child.corp.example");
	assert_ptr_equal(s.domains[0], spn_model_domain(m, 0));
	assert_false(spn_scope_has(&s, m, tb_id(m, WEB_CORP)));
	assert_true(spn_scope_has(&s, m, tb_id(m, WEB_CHILD)));
	spn_scope_release(&s);
	assert_null(s.domains);

	/* A domain the snapshot does not hold names those it does. */
	const char *bad[] = {"corp.example", "other.example"};
	assert_int_equal(spn_scope_init(&s, m, bad, 2, &err), SPN_USAGE);
	assert_string_equal(err.msg, "-T: no domain 'other.example' in the snapshot "
	                             "(it holds child.corp.example, corp.example)");
	assert_int_equal(s.n, 0);
	assert_null(s.domains);
	spn_model_free(m);

	struct spn_model *empty = tb_new(0);
	tb_finish(empty);
	spn_err_init(&err);
	assert_int_equal(spn_scope_init(&s, empty, bad, 1, &err), SPN_USAGE);
	assert_string_equal(err.msg, "-T: no domain 'corp.example' in the snapshot (it holds no domain)");
	spn_model_free(empty);
}

/* -T CORP as setspn takes it: the domain whose first label it is; none
 * or several: refused, saying why. */
static void test_scope_netbios(void **state)
{
	(void)state;
	struct spn_model *m = two_domains();
	struct spn_scope s;
	struct spn_err err;
	spn_err_init(&err);
	const char *corp[] = {"CORP"}, *child[] = {"child"}, *other[] = {"FABRIKAM"};
	assert_int_equal(spn_scope_init(&s, m, corp, 1, &err), SPN_OK);
	assert_int_equal(s.n, 1);
	assert_string_equal(s.domains[0], "corp.example");
	assert_true(spn_scope_has(&s, m, tb_id(m, WEB_CORP)));
	assert_false(spn_scope_has(&s, m, tb_id(m, WEB_CHILD)));
	spn_scope_release(&s);
	assert_int_equal(spn_scope_init(&s, m, child, 1, &err), SPN_OK);
	assert_string_equal(s.domains[0], "child.corp.example");
	spn_scope_release(&s);
	assert_int_equal(spn_scope_init(&s, m, other, 1, &err), SPN_USAGE);
	assert_string_equal(err.msg, "-T: no domain 'FABRIKAM' in the snapshot (it holds "
	                             "child.corp.example, corp.example); as a NetBIOS name it is the "
	                             "first label of none of them (a snapshot has no crossRef "
	                             "objects): give the DNS name");
	spn_model_free(m);

	/* corp.example and corp.example.org: CORP could be either. */
	m = tb_new(0);
	tb_add(m, "CN=A,DC=corp,DC=example", "objectClass=user", "sAMAccountName=a",
	       "servicePrincipalName=HTTP/a", NULL);
	tb_add(m, "CN=B,DC=corp,DC=example,DC=org", "objectClass=user", "sAMAccountName=b",
	       "servicePrincipalName=HTTP/b", NULL);
	tb_finish(m);
	spn_err_init(&err);
	assert_int_equal(spn_scope_init(&s, m, corp, 1, &err), SPN_USAGE);
	assert_string_equal(err.msg, "-T: 'CORP' may be the NetBIOS name of more than one domain of "
	                             "the snapshot: give the DNS name");
	spn_model_free(m);
}

static void test_find_accounts(void **state)
{
	(void)state;
	struct spn_model *m = two_domains();
	struct spn_scope all = {0}, child;
	struct spn_err err;
	uint32_t *ids;
	size_t n;
	bool missing[3];
	const char *names[] = {"web", "nosuch", WEB_CORP};
	const char *child_name[] = {"child.corp.example"};
	spn_err_init(&err);

	/* "web" finds both WEB$ and the user, in model order; "nosuch" nothing. */
	assert_int_equal(spn_scope_find_accounts(&all, m, SPN_KINDS_ALL, names, 3, &ids, &n, missing, &err),
	                 SPN_OK);
	assert_int_equal(n, 4);
	assert_int_equal(ids[0], tb_id(m, WEB_CORP));
	assert_int_equal(ids[1], tb_id(m, WEB_CHILD));
	assert_int_equal(ids[2], tb_id(m, SVC_CHILD));
	assert_int_equal(ids[3], tb_id(m, WEB_CORP));
	assert_false(missing[0]);
	assert_true(missing[1]);
	assert_false(missing[2]);
	free(ids);

	/* -C: computers only; -U: the rest; both: everything. */
	assert_int_equal(spn_scope_find_accounts(NULL, m, SPN_KINDS_COMPUTERS, names, 1, &ids, &n, missing,
	                                         &err), SPN_OK);
	assert_int_equal(n, 2);
	free(ids);
	assert_int_equal(spn_scope_find_accounts(NULL, m, SPN_KINDS_USERS, names, 1, &ids, &n, missing, &err),
	                 SPN_OK);
	assert_int_equal(n, 1);
	assert_int_equal(ids[0], tb_id(m, SVC_CHILD));
	free(ids);
	assert_int_equal(spn_scope_find_accounts(NULL, m, SPN_KINDS_COMPUTERS | SPN_KINDS_USERS, names, 1,
	                                         &ids, &n, missing, &err), SPN_OK);
	assert_int_equal(n, 3);
	free(ids);

	/* Inside the child domain the corp DN finds nothing. */
	assert_int_equal(spn_scope_init(&child, m, child_name, 1, &err), SPN_OK);
	assert_int_equal(spn_scope_find_accounts(&child, m, SPN_KINDS_ALL, names, 3, &ids, &n, missing, &err),
	                 SPN_OK);
	assert_int_equal(n, 2);
	assert_int_equal(ids[0], tb_id(m, WEB_CHILD));
	assert_int_equal(ids[1], tb_id(m, SVC_CHILD));
	assert_false(missing[0]);
	assert_true(missing[2]);
	free(ids);
	spn_scope_release(&child);
	spn_model_free(m);
}

static void test_find_accounts_too_many(void **state)
{
	(void)state;
	struct spn_model *m = tb_new(SPN_MODEL_KEEP_ALL);
	char dn[64];
	for (int i = 0; i < 65; i++) {
		snprintf(dn, sizeof(dn), "CN=svc%d,CN=Users,DC=corp,DC=example", i);
		tb_add(m, dn, "objectClass=user", "sAMAccountName=svc", NULL);
	}
	tb_finish(m);
	const char *names[] = {"svc"};
	uint32_t *ids = NULL;
	size_t n = 0;
	bool missing[1];
	struct spn_err err;
	spn_err_init(&err);
	assert_int_equal(spn_scope_find_accounts(NULL, m, SPN_KINDS_ALL, names, 1, &ids, &n, missing, &err),
	                 SPN_USAGE);
	assert_string_equal(err.msg, "'svc' names 65 accounts; give a DN or DOMAIN\\name");
	spn_model_free(m);
}

static void test_findings_keep_scope(void **state)
{
	(void)state;
	struct spn_model *m = two_domains();
	struct spn_findings f;
	struct spn_scope s;
	struct spn_err err;
	uint32_t corp = tb_id(m, WEB_CORP), child = tb_id(m, WEB_CHILD);
	uint32_t both[] = {corp, child};
	const char *names[] = {"corp.example"};
	spn_err_init(&err);
	spn_findings_init(&f);
	assert_int_equal(spn_findings_add(&f, "a", SPN_SEV_ERROR, NULL, &child, 1, "fix", "child"), SPN_OK);
	assert_int_equal(spn_findings_add(&f, "b", SPN_SEV_ERROR, NULL, both, 2, "fix", "both"), SPN_OK);
	assert_int_equal(spn_findings_add(&f, "c", SPN_SEV_ERROR, NULL, NULL, 0, "fix", "forest"), SPN_OK);
	assert_int_equal(spn_findings_add(&f, "d", SPN_SEV_ERROR, NULL, &corp, 1, "fix", "corp"), SPN_OK);

	spn_findings_keep_scope(&f, m, NULL);
	assert_int_equal(f.n, 4);
	assert_int_equal(spn_scope_init(&s, m, names, 1, &err), SPN_OK);
	spn_findings_keep_scope(&f, m, &s);
	assert_int_equal(f.n, 3);
	assert_string_equal(f.v[0].code, "b");
	assert_string_equal(f.v[1].code, "c");
	assert_string_equal(f.v[2].code, "d");
	spn_scope_release(&s);
	spn_findings_release(&f);
	spn_model_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scope_init),
		cmocka_unit_test(test_scope_netbios),
		cmocka_unit_test(test_find_accounts),
		cmocka_unit_test(test_find_accounts_too_many),
		cmocka_unit_test(test_findings_keep_scope),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
