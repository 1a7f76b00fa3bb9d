/* test_probe.c - the pure parts of spn/probe.h: the principal text built from
 * an SPN (realm appended, '@' and control characters refused, '\' kept as a
 * character, components split as AD counts them), the classification of
 * krb5 error codes, encryption type names and msDS-SupportedEncryptionTypes
 * bits. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <krb5.h>
#include <string.h>

#include "spn/probe.h"

static enum spn_rc text(const char *spn, const char *realm, char *buf, size_t size,
                        struct spn_err *err)
{
	spn_err_init(err);
	return spn_probe_principal_text(spn, realm, buf, size, err);
}

static void test_principal_text(void **state)
{
	(void)state;
	char buf[256];
	struct spn_err err;
	static const struct {
		const char *spn, *want;
	} ok[] = {
		{"HTTP/web.corp.example", "HTTP/web.corp.example@CORP.EXAMPLE"},
		{"MSSQLSvc/db01.corp.example:1433", "MSSQLSvc/db01.corp.example:1433@CORP.EXAMPLE"},
		{"MSSQLSvc/db01.corp.example:INST", "MSSQLSvc/db01.corp.example:INST@CORP.EXAMPLE"},
		{"ldap/dc1.corp.example/corp.example", "ldap/dc1.corp.example/corp.example@CORP.EXAMPLE"},
		{"WEB01$", "WEB01$@CORP.EXAMPLE"},
		{"http/Web", "http/Web@CORP.EXAMPLE"},             /* case kept */
		{"a\\b/c", "a\\\\b/c@CORP.EXAMPLE"},                /* '\' is a character */
	};
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		assert_int_equal(text(ok[i].spn, "CORP.EXAMPLE", buf, sizeof(buf), &err), SPN_OK);
		assert_string_equal(buf, ok[i].want);
		assert_int_equal(err.rc, SPN_OK);
	}
}

static void test_principal_refused(void **state)
{
	(void)state;
	char buf[256];
	struct spn_err err;
	assert_int_equal(text("HTTP/web@EVIL.EXAMPLE", "CORP.EXAMPLE", buf, sizeof(buf), &err),
	                 SPN_USAGE);
	assert_non_null(strstr(err.msg, "'@'"));
	assert_non_null(strstr(err.msg, "HTTP/web@EVIL.EXAMPLE"));
	assert_int_equal(text("HTTP/web", "CORP@X", buf, sizeof(buf), &err), SPN_USAGE);
	assert_non_null(strstr(err.msg, "realm"));
	assert_int_equal(text("", "CORP.EXAMPLE", buf, sizeof(buf), &err), SPN_USAGE);
	assert_int_equal(text(NULL, "CORP.EXAMPLE", buf, sizeof(buf), &err), SPN_USAGE);
	assert_int_equal(text("HTTP/web", "", buf, sizeof(buf), &err), SPN_USAGE);
	assert_int_equal(text("HTTP/web\n", "CORP.EXAMPLE", buf, sizeof(buf), &err), SPN_USAGE);
	assert_non_null(strstr(err.msg, "control character"));
	assert_int_equal(text("HTTP/w\x7f", "CORP.EXAMPLE", buf, sizeof(buf), &err), SPN_USAGE);
	/* A buffer one byte short fails and is left empty; the exact size works. */
	const char *want = "HTTP/web@R";
	char small[16];
	assert_int_equal(text("HTTP/web", "R", small, strlen(want), &err), SPN_USAGE);
	assert_string_equal(small, "");
	assert_int_equal(text("HTTP/web", "R", small, strlen(want) + 1, &err), SPN_OK);
	assert_string_equal(small, want);
	assert_int_equal(text("a\\b", "R", small, 6, &err), SPN_USAGE);  /* "a\\\\b@R" needs 8 */
	assert_int_equal(text("a\\b", "R", small, 8, &err), SPN_OK);
}

/* krb5_parse_name splits the text into the components AD counts: at every
 * '/', ':' inside, '\' a character of its component. */
static void test_principal_components(void **state)
{
	(void)state;
	static const struct {
		const char *spn;
		int n;
		const char *c[3];
	} cases[] = {
		{"MSSQLSvc/db01.corp.example:1433", 2, {"MSSQLSvc", "db01.corp.example:1433", NULL}},
		{"ldap/dc1.corp.example/CORP", 3, {"ldap", "dc1.corp.example", "CORP"}},
		{"a\\/b/c", 3, {"a\\", "b", "c"}},
		{"HOST/x\\", 2, {"HOST", "x\\", NULL}},
	};
	krb5_context ctx;
	assert_int_equal(krb5_init_context(&ctx), 0);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char buf[256];
		struct spn_err err;
		krb5_principal p;
		assert_int_equal(text(cases[i].spn, "CORP.EXAMPLE", buf, sizeof(buf), &err), SPN_OK);
		assert_int_equal(krb5_parse_name(ctx, buf, &p), 0);
		assert_int_equal(p->length, cases[i].n);
		for (int k = 0; k < cases[i].n; k++) {
			assert_int_equal(p->data[k].length, strlen(cases[i].c[k]));
			assert_memory_equal(p->data[k].data, cases[i].c[k], p->data[k].length);
		}
		assert_int_equal(p->realm.length, strlen("CORP.EXAMPLE"));
		krb5_free_principal(ctx, p);
	}
	krb5_free_context(ctx);
}

static void test_classify(void **state)
{
	(void)state;
	static const struct {
		krb5_error_code code;
		enum spn_probe_status want;
		const char *name;
	} cases[] = {
		{0, SPN_PROBE_ISSUED, NULL},
		{KRB5KDC_ERR_S_PRINCIPAL_UNKNOWN, SPN_PROBE_UNKNOWN, "KDC_ERR_S_PRINCIPAL_UNKNOWN"},
		{KRB5KDC_ERR_PRINCIPAL_NOT_UNIQUE, SPN_PROBE_NOT_UNIQUE, "KDC_ERR_PRINCIPAL_NOT_UNIQUE"},
		{KRB5KDC_ERR_ETYPE_NOSUPP, SPN_PROBE_NO_KEY, "KDC_ERR_ETYPE_NOSUPP"},
		{KRB5KDC_ERR_NULL_KEY, SPN_PROBE_NO_KEY, "KDC_ERR_NULL_KEY"},
		{KRB5KDC_ERR_POLICY, SPN_PROBE_REFUSED, "KDC_ERR_POLICY"},
		{KRB5KDC_ERR_MUST_USE_USER2USER, SPN_PROBE_REFUSED, "KDC_ERR_MUST_USE_USER2USER"},
		{KRB5KDC_ERR_PADATA_TYPE_NOSUPP, SPN_PROBE_REFUSED, NULL},  /* any other KDC error */
		{KRB5KRB_AP_ERR_TKT_EXPIRED, SPN_PROBE_NO_TGT, "KRB_AP_ERR_TKT_EXPIRED"},
		{KRB5KDC_ERR_TGT_REVOKED, SPN_PROBE_NO_TGT, "KDC_ERR_TGT_REVOKED"},
		{KRB5KRB_AP_ERR_MODIFIED, SPN_PROBE_NO_TGT, "KRB_AP_ERR_MODIFIED"},  /* the TGT's key */
		{KRB5_FCC_NOFILE, SPN_PROBE_NO_TGT, "KRB5_FCC_NOFILE"},
		{KRB5_CC_FORMAT, SPN_PROBE_NO_TGT, "KRB5_CC_FORMAT"},
		{KRB5_CC_NOTFOUND, SPN_PROBE_NO_TGT, "KRB5_CC_NOTFOUND"},
		{KRB5_KDC_UNREACH, SPN_PROBE_UNREACHABLE, "KRB5_KDC_UNREACH"},
		{KRB5_REALM_UNKNOWN, SPN_PROBE_UNREACHABLE, "KRB5_REALM_UNKNOWN"},
		{KRB5KDC_ERR_SVC_UNAVAILABLE, SPN_PROBE_UNREACHABLE, "KDC_ERR_SVC_UNAVAILABLE"},
		{ECONNREFUSED, SPN_PROBE_UNREACHABLE, NULL},
		{ETIMEDOUT, SPN_PROBE_UNREACHABLE, NULL},
		{KRB5KRB_AP_ERR_SKEW, SPN_PROBE_SKEW, "KRB_AP_ERR_SKEW"},
		{KRB5_KDCREP_SKEW, SPN_PROBE_SKEW, "KRB5_KDCREP_SKEW"},
		{KRB5_CONFIG_BADFORMAT, SPN_PROBE_FAILED, "KRB5_CONFIG_BADFORMAT"},
		{KRB5_KT_END, SPN_PROBE_FAILED, NULL},      /* this side, not in the table */
		{ENOMEM, SPN_PROBE_FAILED, NULL},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(spn_probe_classify(cases[i].code), cases[i].want);
		const char *name = spn_krb5_code_name(cases[i].code);
		if (cases[i].name)
			assert_string_equal(name, cases[i].name);
		else
			assert_null(name);
	}
}

static void test_status(void **state)
{
	(void)state;
	static const struct {
		enum spn_probe_status s;
		const char *name;
		bool asked;
	} cases[] = {
		{SPN_PROBE_ISSUED, "issued", true},
		{SPN_PROBE_UNKNOWN, "unknown", true},
		{SPN_PROBE_NOT_UNIQUE, "not-unique", true},
		{SPN_PROBE_NO_KEY, "no-key", true},
		{SPN_PROBE_REFUSED, "refused", true},
		{SPN_PROBE_NO_TGT, "no-tgt", false},
		{SPN_PROBE_UNREACHABLE, "unreachable", false},
		{SPN_PROBE_SKEW, "clock-skew", false},
		{SPN_PROBE_FAILED, "failed", false},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_string_equal(spn_probe_status_name(cases[i].s), cases[i].name);
		assert_int_equal(spn_probe_asked(cases[i].s), cases[i].asked);
	}
	assert_string_equal(spn_keytab_status_name(SPN_KEYTAB_WRONG_KEY), "wrong-key");
	assert_string_equal(spn_keytab_status_name(SPN_KEYTAB_OTHER_KVNO), "other-kvno");
}

static void test_enctype_names(void **state)
{
	(void)state;
	static const struct {
		int32_t et;
		const char *name;
		uint32_t bit;
	} cases[] = {
		{18, "aes256-cts-hmac-sha1-96", 0x10},
		{17, "aes128-cts-hmac-sha1-96", 0x8},
		{23, "rc4-hmac", 0x4},
		{3, "des-cbc-md5", 0x2},
		{1, "des-cbc-crc", 0x1},
		{20, "aes256-cts-hmac-sha384-192", 0},
		{19, "aes128-cts-hmac-sha256-128", 0},
		{16, "des3-cbc-sha1", 0},
		{99, NULL, 0},
		{0, NULL, 0},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *name = spn_enctype_name(cases[i].et);
		if (cases[i].name)
			assert_string_equal(name, cases[i].name);
		else
			assert_null(name);
		assert_int_equal(spn_enctype_msds_bit(cases[i].et), cases[i].bit);
		/* Where MIT still knows the name, it means the same number. */
		krb5_enctype mit;
		if (name && krb5_string_to_enctype((char *)name, &mit) == 0)
			assert_int_equal(mit, cases[i].et);
	}
}

static void bits(uint32_t v, const char *want)
{
	char buf[512];
	size_t n = spn_enctype_bits_text(v, buf, sizeof(buf));
	assert_string_equal(buf, want);
	assert_int_equal(n, strlen(want));
}

static void test_enctype_bits(void **state)
{
	(void)state;
	bits(0, "none");
	bits(0x4, "RC4-HMAC");
	bits(0x18, "AES128-CTS-HMAC-SHA1-96, AES256-CTS-HMAC-SHA1-96");
	bits(0x1C, "RC4-HMAC, AES128-CTS-HMAC-SHA1-96, AES256-CTS-HMAC-SHA1-96");
	bits(0x27, "DES-CBC-CRC, DES-CBC-MD5, RC4-HMAC, AES256-SK");
	bits(0x80000, "Resource-SID-compression-disabled");
	bits(0x10000 | 0x40, "0x40, FAST-supported");
	bits(0x80000000u, "0x80000000");
	/* Cut short: the length needed is still returned, the text ends in NUL. */
	char small[5];
	assert_int_equal(spn_enctype_bits_text(0x1C, small, sizeof(small)),
	                 strlen("RC4-HMAC, AES128-CTS-HMAC-SHA1-96, AES256-CTS-HMAC-SHA1-96"));
	assert_string_equal(small, "RC4-");
	assert_int_equal(spn_enctype_bits_text(0x4, NULL, 0), strlen("RC4-HMAC"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_principal_text),
		cmocka_unit_test(test_principal_refused),
		cmocka_unit_test(test_principal_components),
		cmocka_unit_test(test_classify),
		cmocka_unit_test(test_status),
		cmocka_unit_test(test_enctype_names),
		cmocka_unit_test(test_enctype_bits),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
