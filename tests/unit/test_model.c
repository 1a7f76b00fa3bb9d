/* test_model.c - building the model from entries; the SPN index; lookups. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "builder.h"

static size_t holders(const struct spn_model *m, const char *spn, uint32_t *out, size_t cap)
{
	size_t n = 0;
	for (uint32_t v = spn_model_find_spn(m, spn, strlen(spn)); v != SPN_NONE;
	     v = spn_model_value(m, v)->next_same) {
		if (n < cap)
			out[n] = spn_model_value(m, v)->account;
		n++;
	}
	return n;
}

static void test_field_case_index(void **state)
{
	(void)state;
	struct spn_model *m = tb_new(0);
	tb_add(m, "CN=EXCH01,OU=Servers,DC=corp,DC=example",
	       "objectClass=top", "objectClass=computer", "sAMAccountName=EXCH01$",
	       "userAccountControl=4096", "dNSHostName=exch01.corp.example",
	       "servicePrincipalName=SMTPSVC/exch01.corp.example",
	       "servicePrincipalName=SMTPSVC/EXCH01", "servicePrincipalName=HOST/EXCH01", NULL);
	tb_add(m, "CN=Administrator,CN=Users,DC=corp,DC=example",
	       "objectClass=user", "sAMAccountName=Administrator", "userAccountControl=66048",
	       "objectSid=S-1-5-21-1-2-3-500", "adminCount=1",
	       "servicePrincipalName=smtpsvc/EXCH01.corp.example",
	       "servicePrincipalName=SMTPSVC/exch01", NULL);
	tb_add(m, "CN=alice,CN=Users,DC=corp,DC=example",
	       "objectClass=user", "sAMAccountName=alice", "userAccountControl=512", NULL);
	tb_finish(m);

	struct spn_model_stats st;
	spn_model_stats(m, &st);
	assert_int_equal(st.entries, 3);
	assert_int_equal(st.accounts_seen, 3);
	assert_int_equal(st.accounts, 2);       /* alice holds nothing: not kept */
	assert_int_equal(st.spn_values, 5);
	assert_int_equal(st.distinct_spns, 3);

	uint32_t h[4];
	assert_int_equal(holders(m, "SMTPSVC/Exch01.Corp.Example", h, 4), 2);
	assert_int_equal(holders(m, "smtpsvc/exch01", h, 4), 2);
	assert_int_equal(holders(m, "HOST/exch01", h, 4), 1);
	assert_int_equal(holders(m, "HOST/exch02", h, 4), 0);

	uint32_t exch = tb_id(m, "EXCH01"), admin = tb_id(m, "administrator");
	const struct spn_account *a = spn_model_account(m, exch);
	assert_int_equal(a->kind, SPN_KIND_COMPUTER);
	assert_string_equal(a->domain, "corp.example");
	assert_int_equal(a->nspn, 3);
	assert_string_equal(spn_model_value(m, a->spn_first)->str, "SMTPSVC/exch01.corp.example");
	a = spn_model_account(m, admin);
	assert_int_equal(a->kind, SPN_KIND_USER);
	assert_int_equal(a->rid, 500);
	char why[256];
	assert_string_equal(spn_model_privileged(m, admin, why, sizeof(why)), "RID 500 (built-in Administrator)");
	assert_null(spn_model_privileged(m, exch, why, sizeof(why)));

	/* Every distinct key has exactly one head. */
	size_t heads = 0;
	for (uint32_t i = 0; i < spn_model_nvalues(m); i++)
		heads += (spn_model_value(m, i)->flags & SPN_VALUE_HEAD) != 0;
	assert_int_equal(heads, 3);
	assert_false(spn_model_aliases_from_directory(m));
	assert_true(spn_model_complete(m));
	spn_model_free(m);
}

static void test_keep_all_and_lookup(void **state)
{
	(void)state;
	struct spn_model *m = tb_new(SPN_MODEL_KEEP_ALL);
	tb_add(m, "CN=alice,CN=Users,DC=corp,DC=example", "objectClass=user",
	       "sAMAccountName=alice", "userPrincipalName=alice@corp.example", NULL);
	tb_add(m, "CN=alice,CN=Users,DC=child,DC=corp,DC=example", "objectClass=user",
	       "sAMAccountName=alice", NULL);
	tb_finish(m);
	uint32_t ids[4];
	assert_int_equal(spn_model_find_account(m, "ALICE", ids, 4), 2);
	assert_int_equal(spn_model_find_account(m, "alice$", ids, 4), 2);
	assert_int_equal(spn_model_find_account(m, "alice@corp.example", ids, 4), 1);
	assert_int_equal(spn_model_find_account(m, "child\\alice", ids, 4), 1);
	assert_string_equal(spn_model_account(m, ids[0])->domain, "child.corp.example");
	assert_int_equal(spn_model_find_account(m, "cn=alice,cn=users,dc=corp,dc=example", ids, 4), 1);
	assert_int_equal(spn_model_ndomains(m), 2);
	assert_string_equal(spn_model_domain(m, 0), "child.corp.example");
	spn_model_free(m);
}

static void test_groups_and_mappings(void **state)
{
	(void)state;
	struct spn_model *m = tb_new(0);
	tb_add(m, "CN=Directory Service,CN=Windows NT,CN=Services,CN=Configuration,DC=corp,DC=example",
	       "sPNMappings=host=cifs,www", "dSHeuristics=000000000100000000022", NULL);
	tb_add(m, "CN=Domain Admins,CN=Users,DC=corp,DC=example", "objectClass=group",
	       "objectSid=S-1-5-21-1-2-3-512", NULL);
	tb_add(m, "CN=SQL Admins,OU=Groups,DC=corp,DC=example", "objectClass=group",
	       "memberOf=CN=Domain Admins,CN=Users,DC=corp,DC=example", NULL);
	tb_add(m, "CN=svc_sql,OU=Svc,DC=corp,DC=example", "objectClass=user",
	       "memberOf=CN=SQL Admins,OU=Groups,DC=corp,DC=example",
	       "servicePrincipalName=MSSQLSvc/sql1.corp.example:1433", NULL);
	tb_add(m, "CN=svc_web,OU=Svc,DC=corp,DC=example", "objectClass=user",
	       "memberOf=CN=Backup Operators,CN=Builtin,DC=corp,DC=example",
	       "servicePrincipalName=HTTP/web.corp.example", NULL);
	tb_add(m, "CN=svc_app,OU=Svc,DC=corp,DC=example", "objectClass=user",
	       "primaryGroupID=513", "servicePrincipalName=HTTP/app.corp.example", NULL);
	tb_finish(m);
	assert_true(spn_model_aliases_from_directory(m));
	const struct spn_alias_table *t = spn_model_aliases(m);
	assert_string_equal(spn_alias_target(t, "www", 3), "host");
	assert_null(spn_alias_target(t, "http", 4));
	assert_string_equal(spn_model_ds_heuristics(m), "000000000100000000022");
	assert_int_equal(spn_model_ngroups(m), 2);
	char why[512];
	assert_string_equal(spn_model_privileged(m, tb_id(m, "CN=svc_sql,OU=Svc,DC=corp,DC=example"), why, sizeof(why)),
	                    "member of Domain Admins through CN=SQL Admins,OU=Groups,DC=corp,DC=example");
	/* Not in the snapshot: recognised by its well-known name. */
	assert_string_equal(spn_model_privileged(m, tb_id(m, "CN=svc_web,OU=Svc,DC=corp,DC=example"), why, sizeof(why)),
	                    "member of Backup Operators");
	assert_null(spn_model_privileged(m, tb_id(m, "CN=svc_app,OU=Svc,DC=corp,DC=example"), why, sizeof(why)));
	spn_model_free(m);
}

/* Group DNs are looked up the way they are hashed, with the Unicode case
 * fold: a memberOf value may spell a non-ASCII letter in the other case
 * ("CN=équipe" for "CN=Équipe"), and two DNs that differ in a non-ASCII
 * letter that is not a case pair are two groups. */
static void test_group_dn_unicode_case(void **state)
{
	(void)state;
	struct spn_model *m = tb_new(0);
	tb_add(m, "CN=Domain Admins,CN=Users,DC=corp,DC=example", "objectClass=group",
	       "objectSid=S-1-5-21-1-2-3-512", NULL);
	tb_add(m, "CN=\xc3\x89quipe SQL,OU=Groups,DC=corp,DC=example", "objectClass=group",
	       "memberOf=CN=Domain Admins,CN=Users,DC=corp,DC=example", NULL);
	tb_add(m, "CN=\xc3\x88quipe SQL,OU=Groups,DC=corp,DC=example", "objectClass=group", NULL);
	tb_add(m, "CN=svc_sql,OU=Svc,DC=corp,DC=example", "objectClass=user",
	       "memberOf=cn=\xc3\xa9quipe sql,ou=groups,dc=corp,dc=example",
	       "servicePrincipalName=MSSQLSvc/sql1.corp.example:1433", NULL);
	tb_finish(m);
	assert_int_equal(spn_model_find_group(m, "CN=\xc3\x89quipe SQL,OU=Groups,DC=corp,DC=example"), 1);
	assert_int_equal(spn_model_find_group(m, "cn=\xc3\xa9quipe sql,ou=groups,dc=corp,dc=example"), 1);
	assert_int_equal(spn_model_find_group(m, "CN=\xc3\x88QUIPE SQL,OU=GROUPS,DC=CORP,DC=EXAMPLE"), 2);
	assert_int_equal(spn_model_find_group(m, "cn=\xc3\xa8quipe sql,ou=groups,dc=corp,dc=example"), 2);
	assert_int_equal(spn_model_find_group(m, "CN=Equipe SQL,OU=Groups,DC=corp,DC=example"), SPN_NONE);
	char why[512];
	assert_string_equal(spn_model_privileged(m, tb_id(m, "CN=svc_sql,OU=Svc,DC=corp,DC=example"), why, sizeof(why)),
	                    "member of Domain Admins through CN=\xc3\x89quipe SQL,OU=Groups,DC=corp,DC=example");
	spn_model_free(m);
}

static void test_bad_values_are_input_errors(void **state)
{
	(void)state;
	struct spn_model *m = tb_new(0);
	struct spn_entry e;
	struct spn_err err;
	spn_entry_init(&e);
	spn_err_init(&err);
	e.dn.p = "CN=x,DC=corp";
	e.dn.n = strlen(e.dn.p);
	e.where = "snap.ldif:42";
	spn_entry_add(&e, SPN_A_OBJECTCLASS, "user", 4);
	spn_entry_add(&e, SPN_A_USERACCOUNTCONTROL, "51x2", 4);
	assert_int_equal(spn_model_add_entry(m, 0, &e, &err), SPN_INPUT);
	assert_string_equal(err.msg, "snap.ldif:42: 'CN=x,DC=corp': userAccountControl value '51x2' is not a number");

	spn_entry_reset(&e);
	spn_err_init(&err);
	e.dn.p = "CN=y,DC=corp";
	e.dn.n = strlen(e.dn.p);
	e.where = "snap.ldif:50";
	spn_entry_add(&e, SPN_A_SAMACCOUNTNAME, "a", 1);
	spn_entry_add(&e, SPN_A_SAMACCOUNTNAME, "b", 1);
	assert_int_equal(spn_model_add_entry(m, 0, &e, &err), SPN_INPUT);
	assert_string_equal(err.msg, "snap.ldif:50: 'CN=y,DC=corp': sAMAccountName has 2 values; AD allows one");
	spn_entry_release(&e);
	spn_model_free(m);
}

static void test_malformed_and_nonascii_flags(void **state)
{
	(void)state;
	struct spn_model *m = tb_new(0);
	tb_add(m, "CN=a,DC=corp", "objectClass=user", "servicePrincipalName=HOST",
	       "servicePrincipalName=HTTP/w\xe2\x80\x8c" "eb", NULL);
	tb_finish(m);
	assert_true(spn_model_value(m, 0)->flags & SPN_VALUE_MALFORMED);
	assert_int_equal(spn_model_value(m, 0)->syntax, SPN_SYNTAX_ONE_PART);
	assert_true(spn_model_value(m, 1)->flags & SPN_VALUE_NONASCII);
	assert_false(spn_model_value(m, 1)->flags & SPN_VALUE_MALFORMED);
	/* the zero-width character keeps it a different key from HTTP/web */
	assert_int_equal(spn_model_find_spn(m, "HTTP/web", 8), SPN_NONE);
	const char *variant = "http/W\xe2\x80\x8c" "EB";
	assert_int_equal(spn_model_find_spn(m, variant, strlen(variant)), 1);
	spn_model_free(m);
}

/* An empty value first: the index folds it before any buffer exists (found
 * by fuzz_ldif under UBSan). */
static void test_empty_value_first(void **state)
{
	(void)state;
	struct spn_model *m = tb_new(0);
	tb_add(m, "CN=a,DC=corp", "objectClass=user", "servicePrincipalName=", NULL);
	tb_finish(m);
	assert_true(spn_model_value(m, 0)->flags & SPN_VALUE_MALFORMED);
	assert_int_equal(spn_model_find_spn(m, "", 0), 0);
	spn_model_free(m);
}

static void test_index_grows(void **state)
{
	(void)state;
	struct spn_model *m = tb_new(0);
	char dn[64], spn[64], spn2[64];
	for (int i = 0; i < 5000; i++) {
		snprintf(dn, sizeof(dn), "CN=pc%d,DC=corp", i);
		snprintf(spn, sizeof(spn), "servicePrincipalName=HOST/pc%d", i);
		snprintf(spn2, sizeof(spn2), "servicePrincipalName=HOST/shared%d", i % 10);
		tb_add(m, dn, "objectClass=computer", spn, spn2, NULL);
	}
	tb_finish(m);
	struct spn_model_stats st;
	spn_model_stats(m, &st);
	assert_int_equal(st.distinct_spns, 5010);
	uint32_t h[600];
	assert_int_equal(holders(m, "host/PC4999", h, 600), 1);
	assert_int_equal(holders(m, "host/shared7", h, 600), 500);
	spn_model_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_field_case_index),
		cmocka_unit_test(test_keep_all_and_lookup),
		cmocka_unit_test(test_groups_and_mappings),
		cmocka_unit_test(test_group_dn_unicode_case),
		cmocka_unit_test(test_bad_values_are_input_errors),
		cmocka_unit_test(test_malformed_and_nonascii_flags),
		cmocka_unit_test(test_empty_value_first),
		cmocka_unit_test(test_index_grows),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
