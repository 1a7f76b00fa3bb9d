/* test_check_weak_enctypes.c - weak-enctypes: explicit values without AES,
 * USE_DES_KEY_ONLY; absent/0/AES values and krbtgt not reported. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "builder.h"
#include "check_helpers.h"

#define CODE "weak-enctypes"

static void test_weak(void **state)
{
	(void)state;
	struct spn_model *m = tb_new(0);
	tb_add(m, "CN=A_rc4,DC=corp,DC=example", "objectClass=computer", "sAMAccountName=A$",
	       "userAccountControl=4096", "msDS-SupportedEncryptionTypes=4",
	       "servicePrincipalName=HOST/a", NULL);
	tb_add(m, "CN=B_des,DC=corp,DC=example", "objectClass=user", "sAMAccountName=b",
	       "userAccountControl=512", "msDS-SupportedEncryptionTypes=3",
	       "servicePrincipalName=HTTP/b", NULL);
	tb_add(m, "CN=C_desflag,DC=corp,DC=example", "objectClass=user", "sAMAccountName=c",
	       "userAccountControl=2097664", "servicePrincipalName=HTTP/c", NULL);
	/* Not reported. */
	tb_add(m, "CN=D_absent,DC=corp,DC=example", "objectClass=user", "sAMAccountName=d",
	       "userAccountControl=512", "servicePrincipalName=HTTP/d", NULL);
	tb_add(m, "CN=E_zero,DC=corp,DC=example", "objectClass=user", "sAMAccountName=e",
	       "userAccountControl=512", "msDS-SupportedEncryptionTypes=0", "servicePrincipalName=HTTP/e", NULL);
	tb_add(m, "CN=F_aesrc4,DC=corp,DC=example", "objectClass=user", "sAMAccountName=f",
	       "userAccountControl=512", "msDS-SupportedEncryptionTypes=28", "servicePrincipalName=HTTP/f", NULL);
	tb_add(m, "CN=G_fastonly,DC=corp,DC=example", "objectClass=user", "sAMAccountName=g",
	       "userAccountControl=512", "msDS-SupportedEncryptionTypes=65536", "servicePrincipalName=HTTP/g", NULL);
	tb_add(m, "CN=krbtgt,DC=corp,DC=example", "objectClass=user", "sAMAccountName=krbtgt",
	       "userAccountControl=514", "msDS-SupportedEncryptionTypes=4",
	       "servicePrincipalName=kadmin/changepw", NULL);
	tb_add(m, "CN=H_off,DC=corp,DC=example", "objectClass=user", "sAMAccountName=h",
	       "userAccountControl=514", "msDS-SupportedEncryptionTypes=4", "servicePrincipalName=HTTP/h", NULL);
	tb_add(m, "CN=I_nospn,DC=corp,DC=example", "objectClass=computer", "sAMAccountName=I$",
	       "userAccountControl=4096", "msDS-SupportedEncryptionTypes=4", NULL);
	tb_finish(m);
	struct spn_findings f;
	tc_run(m, CODE, &f);
	assert_int_equal(f.n, 3);
	assert_string_equal(tc_acc(m, &f.v[0], 0), "CN=A_rc4,DC=corp,DC=example");
	tc_contains(f.v[0].message, "0x4: RC4, no AES");
	tc_contains(f.v[0].message, "CVE-2026-20833");
	assert_string_equal(tc_acc(m, &f.v[1], 0), "CN=B_des,DC=corp,DC=example");
	tc_contains(f.v[1].message, "DES only");
	tc_contains(f.v[1].message, "KDC_ERR_ETYPE_NOSUPP");
	assert_string_equal(tc_acc(m, &f.v[2], 0), "CN=C_desflag,DC=corp,DC=example");
	tc_contains(f.v[2].message, "USE_DES_KEY_ONLY");
	tc_contains(f.v[2].fix, "Clear USE_DES_KEY_ONLY");
	for (size_t i = 0; i < f.n; i++) {
		assert_int_equal(f.v[i].severity, SPN_SEV_WARNING);
		tc_contains(f.v[i].fix, "0x18");
	}
	spn_findings_release(&f);
	spn_model_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_weak),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
