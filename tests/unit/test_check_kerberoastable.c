/* test_check_kerberoastable.c - kerberoastable: user accounts only; info,
 * or warning for RC4 / DES / an old password; Samba's dns-<dc> stays info. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "builder.h"
#include "check_helpers.h"

#define CODE "kerberoastable"

static const struct spn_finding *by_dn(const struct spn_model *m, const struct spn_findings *f,
                                       const char *dn)
{
	for (size_t i = 0; i < f->n; i++)
		if (strcmp(spn_model_account(m, f->v[i].accounts[0])->dn, dn) == 0)
			return &f->v[i];
	return NULL;
}

static void test_kerberoastable(void **state)
{
	(void)state;
	char recent[64], old[64], old2[64];
	tc_days_ago(recent, sizeof(recent), 30);
	tc_days_ago(old, sizeof(old), 800);
	tc_days_ago(old2, sizeof(old2), 366);
	struct spn_model *m = tb_new(0);
	/* AES only, recent password: info. */
	tb_add(m, "CN=svc_aes,DC=corp,DC=example", "objectClass=user", "sAMAccountName=svc_aes",
	       "userAccountControl=512", "msDS-SupportedEncryptionTypes=24", recent,
	       "servicePrincipalName=HTTP/aes.corp.example", NULL);
	/* No enctypes attribute: RC4 possible -> warning. */
	tb_add(m, "CN=svc_sql,DC=corp,DC=example", "objectClass=user", "sAMAccountName=svc_sql",
	       "userAccountControl=66048", recent,
	       "servicePrincipalName=MSSQLSvc/sql01.corp.example:1433", NULL);
	/* Explicit 0: the default -> warning. */
	tb_add(m, "CN=svc_zero,DC=corp,DC=example", "objectClass=user", "sAMAccountName=svc_zero",
	       "userAccountControl=512", "msDS-SupportedEncryptionTypes=0", recent,
	       "servicePrincipalName=HTTP/zero.corp.example", NULL);
	/* AES + RC4 -> warning. */
	tb_add(m, "CN=svc_mixed,DC=corp,DC=example", "objectClass=user", "sAMAccountName=svc_mixed",
	       "userAccountControl=512", "msDS-SupportedEncryptionTypes=28", recent,
	       "servicePrincipalName=HTTP/mixed.corp.example", NULL);
	/* AES only but password 800 days old -> warning; 366 days -> warning. */
	tb_add(m, "CN=svc_old,DC=corp,DC=example", "objectClass=user", "sAMAccountName=svc_old",
	       "userAccountControl=512", "msDS-SupportedEncryptionTypes=24", old,
	       "servicePrincipalName=HTTP/old.corp.example", NULL);
	tb_add(m, "CN=svc_old2,DC=corp,DC=example", "objectClass=user", "sAMAccountName=svc_old2",
	       "userAccountControl=512", "msDS-SupportedEncryptionTypes=24", old2,
	       "servicePrincipalName=HTTP/old2.corp.example", NULL);
	/* DES only flag -> warning. */
	tb_add(m, "CN=svc_des,DC=corp,DC=example", "objectClass=user", "sAMAccountName=svc_des",
	       "userAccountControl=2097664", "msDS-SupportedEncryptionTypes=24", recent,
	       "servicePrincipalName=HTTP/des.corp.example", NULL);
	/* Unknown kind with NORMAL_ACCOUNT (snapshot without objectClass): counts. */
	tb_add(m, "CN=svc_nooc,DC=corp,DC=example", "sAMAccountName=svc_nooc",
	       "userAccountControl=512", "msDS-SupportedEncryptionTypes=24", recent,
	       "servicePrincipalName=HTTP/nooc.corp.example", NULL);
	/* Samba's DNS account: info even without enctypes. */
	tb_add(m, "CN=dns-DC1,CN=Users,DC=corp,DC=example", "objectClass=user",
	       "sAMAccountName=dns-DC1", "userAccountControl=512",
	       "servicePrincipalName=DNS/dc1.corp.example", NULL);
	/* Not reported: computer, gMSA, krbtgt, disabled user, user without SPNs. */
	tb_add(m, "CN=WEB01,DC=corp,DC=example", "objectClass=computer", "sAMAccountName=WEB01$",
	       "userAccountControl=4096", "servicePrincipalName=HOST/web01", NULL);
	tb_add(m, "CN=gmsa,DC=corp,DC=example", "objectClass=msDS-GroupManagedServiceAccount",
	       "sAMAccountName=gmsa$", "userAccountControl=4096", "servicePrincipalName=HTTP/g", NULL);
	tb_add(m, "CN=krbtgt,DC=corp,DC=example", "objectClass=user", "sAMAccountName=krbtgt",
	       "userAccountControl=514", "servicePrincipalName=kadmin/changepw", NULL);
	tb_add(m, "CN=svc_off,DC=corp,DC=example", "objectClass=user", "sAMAccountName=svc_off",
	       "userAccountControl=514", "servicePrincipalName=HTTP/off", NULL);
	tb_add(m, "CN=svc_none,DC=corp,DC=example", "objectClass=user", "sAMAccountName=svc_none",
	       "userAccountControl=512", "userPrincipalName=HTTP/none@corp.example", NULL);
	tb_finish(m);
	struct spn_findings f;
	tc_run(m, CODE, &f);
	assert_int_equal(f.n, 9);
	assert_int_equal(tc_count(&f, CODE, SPN_SEV_WARNING), 6);
	assert_int_equal(tc_count(&f, CODE, SPN_SEV_INFO), 3);
	const struct spn_finding *x;
	x = by_dn(m, &f, "CN=svc_aes,DC=corp,DC=example");
	assert_int_equal(x->severity, SPN_SEV_INFO);
	tc_contains(x->message, "AES only");
	tc_contains(x->message, "last set on 2026-10-02.");
	assert_null(strstr(x->message, "more than"));
	x = by_dn(m, &f, "CN=svc_sql,DC=corp,DC=example");
	assert_int_equal(x->severity, SPN_SEV_WARNING);
	tc_contains(x->message, "msDS-SupportedEncryptionTypes is not set");
	tc_contains(x->message, "never expires");
	tc_contains(x->fix, "gMSA");
	x = by_dn(m, &f, "CN=svc_zero,DC=corp,DC=example");
	assert_int_equal(x->severity, SPN_SEV_WARNING);
	x = by_dn(m, &f, "CN=svc_mixed,DC=corp,DC=example");
	assert_int_equal(x->severity, SPN_SEV_WARNING);
	tc_contains(x->message, "0x1C, which allows RC4");
	x = by_dn(m, &f, "CN=svc_old,DC=corp,DC=example");
	assert_int_equal(x->severity, SPN_SEV_WARNING);
	tc_contains(x->message, "last set on 2024-08-23. That is more than 365 days before the audit");
	x = by_dn(m, &f, "CN=svc_old2,DC=corp,DC=example");
	assert_int_equal(x->severity, SPN_SEV_WARNING);
	x = by_dn(m, &f, "CN=svc_des,DC=corp,DC=example");
	assert_int_equal(x->severity, SPN_SEV_WARNING);
	tc_contains(x->message, "DES only");
	x = by_dn(m, &f, "CN=svc_nooc,DC=corp,DC=example");
	assert_non_null(x);
	assert_int_equal(x->severity, SPN_SEV_INFO);
	x = by_dn(m, &f, "CN=dns-DC1,CN=Users,DC=corp,DC=example");
	assert_int_equal(x->severity, SPN_SEV_INFO);
	tc_contains(x->message, "Samba");
	spn_findings_release(&f);

	/* The age limit is an option: 900 days makes svc_old and svc_old2 fine. */
	const struct spn_check *c = spn_check_find(CODE);
	struct spn_check_opts o;
	struct spn_err err;
	tc_opts(&o);
	o.max_password_age_days = 900;
	spn_err_init(&err);
	spn_findings_init(&f);
	assert_int_equal(c->run(m, &o, &f, &err), SPN_OK);
	assert_int_equal(tc_count(&f, CODE, SPN_SEV_WARNING), 4);
	spn_findings_release(&f);
	spn_model_free(m);
}

/* DES-only through msDS-SupportedEncryptionTypes (no USE_DES_KEY_ONLY flag):
 * not "AES only", and a warning. */
static void test_des_by_enctypes(void **state)
{
	(void)state;
	char recent[64];
	tc_days_ago(recent, sizeof(recent), 30);
	struct spn_model *m = tb_new(0);
	tb_add(m, "CN=svc_des3,DC=corp,DC=example", "objectClass=user", "sAMAccountName=svc_des3",
	       "userAccountControl=512", "msDS-SupportedEncryptionTypes=3", recent,
	       "servicePrincipalName=HTTP/des3.corp.example", NULL);
	tb_finish(m);
	struct spn_findings f;
	tc_run(m, CODE, &f);
	assert_int_equal(f.n, 1);
	assert_int_equal(f.v[0].severity, SPN_SEV_WARNING);
	tc_contains(f.v[0].message, "DES only (msDS-SupportedEncryptionTypes 0x3)");
	assert_null(strstr(f.v[0].message, "AES only"));
	spn_findings_release(&f);
	spn_model_free(m);
}

/* A snapshot that never carried msDS-SupportedEncryptionTypes or
 * pwdLastSet: "not in the snapshot", said, and no warning for it - the
 * same account with the attribute known to be unset is a warning. */
static void test_not_in_snapshot(void **state)
{
	(void)state;
	struct spn_model *m = tb_new(0);
	tb_add(m, "CN=svc_sql,DC=corp,DC=example", "objectClass=user", "sAMAccountName=svc_sql",
	       "userAccountControl=512", "servicePrincipalName=MSSQLSvc/sql01.corp.example:1433",
	       NULL);
	tb_finish(m);
	struct spn_findings f;
	tc_run(m, CODE, &f);
	assert_int_equal(f.n, 1);
	assert_int_equal(f.v[0].severity, SPN_SEV_INFO);
	tc_contains(f.v[0].message, "msDS-SupportedEncryptionTypes is not in the snapshot, so "
	            "whether RC4 tickets (the fastest to crack) are possible is not known.");
	tc_contains(f.v[0].message, "pwdLastSet is not in the snapshot");
	assert_null(strstr(f.v[0].message, "is not set"));
	spn_findings_release(&f);
	spn_model_free(m);

	char recent[64];
	tc_days_ago(recent, sizeof(recent), 30);
	m = tb_new(0);
	tb_add(m, "CN=svc_sql,DC=corp,DC=example", "objectClass=user", "sAMAccountName=svc_sql",
	       "userAccountControl=512", recent, "servicePrincipalName=MSSQLSvc/sql01.corp.example:1433",
	       NULL);
	tb_add(m, "CN=DC1,OU=Domain Controllers,DC=corp,DC=example", "objectClass=computer",
	       "sAMAccountName=DC1$", "userAccountControl=532480", "msDS-SupportedEncryptionTypes=28",
	       "servicePrincipalName=HOST/dc1.corp.example", NULL);
	tb_finish(m);
	tc_run(m, CODE, &f);
	assert_int_equal(f.n, 1);
	assert_int_equal(f.v[0].severity, SPN_SEV_WARNING);
	tc_contains(f.v[0].message, "msDS-SupportedEncryptionTypes is not set");
	assert_null(strstr(f.v[0].message, "not in the snapshot"));
	spn_findings_release(&f);
	spn_model_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kerberoastable),
		cmocka_unit_test(test_des_by_enctypes),
		cmocka_unit_test(test_not_in_snapshot),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
