/* test_snapshot.c - the LDIF snapshot writer (written, read back by the
 * LDIF reader: the same model; gaps survive the round trip) and the diff
 * of two models (added, removed, moved; case-insensitive). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "builder.h"
#include "spn/diff.h"
#include "spn/report.h"
#include "spn/source.h"

static char *write_ldif(const struct spn_model *m, size_t *n)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, n);
	assert_non_null(f);
	assert_int_equal(spn_report_snapshot(f, m, 1795000000), SPN_OK);
	fclose(f);
	return buf;
}

static struct spn_model *read_back(const char *buf, size_t n)
{
	struct spn_model *m = spn_model_new(0);
	struct spn_err err;
	spn_err_init(&err);
	assert_non_null(m);
	if (spn_ldif_read_mem(m, "snap.ldif", buf, n, &err) != SPN_OK)
		fail_msg("re-read: %s\n%s", err.msg, buf);
	assert_int_equal(spn_model_finish(m, &err), SPN_OK);
	return m;
}

static void same_strv(const char **a, uint32_t na, const char **b, uint32_t nb)
{
	assert_int_equal(na, nb);
	for (uint32_t i = 0; i < na; i++)
		assert_string_equal(a[i], b[i]);
}

static void same_str(const char *a, const char *b)
{
	if (!a || !b)
		assert_ptr_equal(a, b);
	else
		assert_string_equal(a, b);
}

static void test_round_trip(void **state)
{
	(void)state;
	struct spn_model *m = tb_new(0);
	tb_add(m, "CN=Directory Service,CN=Windows NT,CN=Services,CN=Configuration,DC=corp,DC=example",
	       "sPNMappings=host=alerter,http,cifs", "sPNMappings=web=w3svc",
	       "dSHeuristics=000000000100000000021", NULL);
	tb_add(m, "CN=EXCH01,OU=Servers,DC=corp,DC=example", "objectClass=top",
	       "objectClass=computer", "sAMAccountName=EXCH01$", "userAccountControl=4096",
	       "dNSHostName=exch01.corp.example", "servicePrincipalName=SMTPSVC/exch01.corp.example",
	       "servicePrincipalName=SMTPSVC/EXCH01", "servicePrincipalName=HOST/EXCH01",
	       "objectSid=S-1-5-21-1-2-3-1105", "primaryGroupID=515",
	       "msDS-SupportedEncryptionTypes=24", "pwdLastSet=133000000000000000", NULL);
	tb_add(m, "CN=Administrator,CN=Users,DC=corp,DC=example", "objectClass=user",
	       "sAMAccountName=Administrator", "userAccountControl=66048", "adminCount=1",
	       "objectSid=S-1-5-21-1-2-3-500", "memberOf=CN=Domain Admins,CN=Users,DC=corp,DC=example",
	       "servicePrincipalName=smtpsvc/EXCH01.corp.example", NULL);
	/* Values the writer must base64: non-ASCII, leading space, ':' first. */
	tb_add(m, "CN=J\xc3\xbcrgen,CN=Users,DC=corp,DC=example", "objectClass=user",
	       "sAMAccountName=j\xc3\xbcrgen", "userPrincipalName=HTTP/web\xe2\x80\x8d" "01",
	       "servicePrincipalName=HTTP/web\xe2\x80\x8d" "01", "servicePrincipalName= HTTP/space",
	       "servicePrincipalName=:odd/value", "msDS-AllowedToDelegateTo=cifs/fs01", NULL);
	tb_add(m, "CN=gmsa1,CN=Managed Service Accounts,DC=corp,DC=example", "objectClass=computer",
	       "objectClass=msDS-GroupManagedServiceAccount", "sAMAccountName=gmsa1$",
	       "userAccountControl=4096", "servicePrincipalName=MSSQLSvc/sql01:1433", NULL);
	tb_add(m, "CN=DC1,OU=Domain Controllers,DC=corp,DC=example", "objectClass=computer",
	       "sAMAccountName=DC1$", "userAccountControl=532480", "servicePrincipalName=ldap/dc1", NULL);
	tb_add(m, "CN=noclass,DC=corp,DC=example", "sAMAccountName=noclass",
	       "servicePrincipalName=HTTP/noclass", NULL);
	tb_add(m, "CN=Domain Admins,CN=Users,DC=corp,DC=example", "objectClass=group",
	       "objectSid=S-1-5-21-1-2-3-512", "adminCount=1",
	       "memberOf=CN=Administrators,CN=Builtin,DC=corp,DC=example", NULL);
	tb_finish(m);

	size_t n;
	char *buf = write_ldif(m, &n);
	assert_non_null(strstr(buf, "# complete: true\n"));
	assert_non_null(strstr(buf, "# written: 2026-11-18T"));
	assert_non_null(strstr(buf, "servicePrincipalName:: IEhUVFAvc3BhY2U=\n"));  /* " HTTP/space" */
	assert_null(strstr(buf, "\n "));   /* never folded */
	struct spn_model *r = read_back(buf, n);

	assert_int_equal(spn_model_naccounts(r), spn_model_naccounts(m));
	assert_int_equal(spn_model_nvalues(r), spn_model_nvalues(m));
	for (uint32_t i = 0; i < spn_model_naccounts(m); i++) {
		const struct spn_account *a = spn_model_account(m, i), *b = spn_model_account(r, i);
		assert_string_equal(a->dn, b->dn);
		same_str(a->sam, b->sam);
		same_str(a->upn, b->upn);
		same_str(a->dns_host, b->dns_host);
		assert_string_equal(a->domain, b->domain);
		assert_int_equal(a->kind, b->kind);
		assert_int_equal(a->uac, b->uac);
		assert_int_equal(a->rid, b->rid);
		assert_int_equal(a->has, b->has);
		assert_int_equal(a->primary_group, b->primary_group);
		assert_int_equal(a->enctypes, b->enctypes);
		assert_int_equal(a->pwd_last_set, b->pwd_last_set);
		assert_int_equal(a->admin_count, b->admin_count);
		same_strv(a->member_of, a->n_member_of, b->member_of, b->n_member_of);
		same_strv(a->delegate_to, a->n_delegate_to, b->delegate_to, b->n_delegate_to);
		assert_int_equal(a->nspn, b->nspn);
		for (uint32_t k = 0; k < a->nspn; k++)
			assert_string_equal(spn_model_value(m, a->spn_first + k)->str,
			                    spn_model_value(r, b->spn_first + k)->str);
	}
	assert_int_equal(spn_model_ngroups(r), 1);
	assert_int_equal(spn_model_group(r, 0)->rid, 512);
	assert_int_equal(spn_model_group(r, 0)->admin_count, 1);
	assert_true(spn_model_aliases_from_directory(r));
	assert_string_equal(spn_model_ds_heuristics(r), "000000000100000000021");
	const struct spn_alias_table *ta = spn_model_aliases(m), *tb = spn_model_aliases(r);
	assert_int_equal(spn_alias_count(ta), spn_alias_count(tb));
	for (size_t i = 0; i < spn_alias_count(ta); i++) {
		const char *cls, *target;
		spn_alias_get(ta, i, &cls, &target);
		assert_string_equal(spn_alias_target(tb, cls, strlen(cls)), target);
	}
	assert_true(spn_model_complete(r));
	char why[200];
	assert_non_null(spn_model_privileged(r, tb_id(r, "Administrator"), why, sizeof(why)));
	free(buf);
	spn_model_free(r);
	spn_model_free(m);
}

static void test_gaps_survive(void **state)
{
	(void)state;
	struct spn_model *m = tb_new(0);
	tb_add(m, "CN=web,DC=corp,DC=example", "objectClass=user", "sAMAccountName=web",
	       "servicePrincipalName=HTTP/web", NULL);
	spn_model_add_gap(m, "ldap://dc1: connection lost after 12 entries of the search for "
	                  "accounts and groups under 'DC=corp,DC=example'; the rest was not read");
	tb_finish(m);
	size_t n;
	char *buf = write_ldif(m, &n);
	assert_non_null(strstr(buf, "# complete: false\n"));
	assert_non_null(strstr(buf, "# gap: ldap://dc1: connection lost after 12 entries"));
	struct spn_model *r = read_back(buf, n);
	assert_false(spn_model_complete(r));
	assert_int_equal(spn_model_ngaps(r), 1);
	assert_non_null(strstr(spn_model_gap(r, 0), "connection lost after 12 entries"));
	assert_int_equal(spn_model_naccounts(r), 1);
	free(buf);
	spn_model_free(r);
	spn_model_free(m);
}

static void test_no_directory_service(void **state)
{
	(void)state;
	struct spn_model *m = tb_new(0);
	tb_add(m, "CN=web,DC=corp,DC=example", "objectClass=user", "servicePrincipalName=HTTP/web",
	       NULL);
	tb_finish(m);
	size_t n;
	char *buf = write_ldif(m, &n);
	assert_null(strstr(buf, "CN=Directory Service"));   /* the default table stays the default */
	struct spn_model *r = read_back(buf, n);
	assert_false(spn_model_aliases_from_directory(r));
	assert_null(spn_model_ds_heuristics(r));
	free(buf);
	spn_model_free(r);
	spn_model_free(m);
}

static void test_diff(void **state)
{
	(void)state;
	const char *a = "CN=a,DC=corp,DC=example", *b = "CN=b,DC=corp,DC=example",
	           *c = "CN=c,DC=corp,DC=example";
	struct spn_model *o = tb_new(0), *n = tb_new(0);
	tb_add(o, a, "objectClass=user", "servicePrincipalName=HTTP/stay",
	       "servicePrincipalName=HTTP/gone", "servicePrincipalName=HTTP/moving",
	       "servicePrincipalName=http/case", NULL);
	tb_add(o, b, "objectClass=user", "servicePrincipalName=HTTP/shared", NULL);
	tb_add(n, "cn=A,DC=corp,DC=example", "objectClass=user", "servicePrincipalName=HTTP/stay",
	       "servicePrincipalName=HTTP/CASE", NULL);
	tb_add(n, b, "objectClass=user", "servicePrincipalName=HTTP/moving",
	       "servicePrincipalName=HTTP/shared", "servicePrincipalName=HTTP/new", NULL);
	tb_add(n, c, "objectClass=user", "servicePrincipalName=http/SHARED", NULL);
	tb_finish(o);
	tb_finish(n);

	struct spn_changes ch;
	struct spn_err err;
	spn_changes_init(&ch);
	spn_err_init(&err);
	assert_int_equal(spn_model_diff(o, n, &ch, &err), SPN_OK);
	/* sorted by folded SPN: gone, moving, new, shared */
	assert_int_equal(ch.n, 4);
	assert_int_equal(ch.added, 2);
	assert_int_equal(ch.removed, 1);
	assert_int_equal(ch.moved, 1);
	assert_int_equal(ch.v[0].kind, SPN_CHANGE_REMOVED);
	assert_string_equal(ch.v[0].spn, "HTTP/gone");
	assert_int_equal(ch.v[0].nfrom, 1);
	assert_string_equal(ch.v[0].from[0], a);
	assert_int_equal(ch.v[1].kind, SPN_CHANGE_MOVED);
	assert_string_equal(ch.v[1].from[0], a);
	assert_string_equal(ch.v[1].to[0], b);
	assert_int_equal(ch.v[2].kind, SPN_CHANGE_ADDED);
	assert_string_equal(ch.v[2].spn, "HTTP/new");
	assert_int_equal(ch.v[2].nfrom, 0);
	/* A second holder of an SPN that stayed: added there (a new duplicate),
	 * spelled as NEW stores it. */
	assert_int_equal(ch.v[3].kind, SPN_CHANGE_ADDED);
	assert_int_equal(ch.v[3].nto, 1);
	assert_string_equal(ch.v[3].to[0], c);
	assert_string_equal(spn_change_name(ch.v[3].kind), "added");

	char *buf = NULL;
	size_t len;
	FILE *f = open_memstream(&buf, &len);
	assert_int_equal(spn_report_diff(f, NULL, o, n, &ch), SPN_OK);
	fclose(f);
	assert_non_null(strstr(buf, "- HTTP/gone  CN=a,DC=corp,DC=example\n"));
	assert_non_null(strstr(buf, "~ HTTP/moving  CN=a,DC=corp,DC=example -> CN=b,DC=corp,DC=example\n"));
	assert_non_null(strstr(buf, "2 added, 1 removed, 1 moved\n"));
	free(buf);
	spn_changes_release(&ch);

	/* Identical models: nothing. */
	spn_changes_init(&ch);
	assert_int_equal(spn_model_diff(o, o, &ch, &err), SPN_OK);
	assert_int_equal(ch.n, 0);
	spn_changes_release(&ch);
	spn_model_free(o);
	spn_model_free(n);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_gaps_survive),
		cmocka_unit_test(test_no_directory_service),
		cmocka_unit_test(test_diff),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
