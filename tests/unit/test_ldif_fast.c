/* test_ldif_fast.c - the hand-written hot-path parsers of the snapshot
 * reader against the library functions they replaced, on many generated
 * inputs: the base64 decoder (ldif_attr.c) against Cyrus SASL's
 * sasl_decode64 (same verdict, same bytes), the integer parser
 * (classify.c) against strtoll (same value, same rejections); and the
 * fused line loop (ldif_fast.c) against the general path on generated
 * snapshots full of the lines it must hand over (same model, same error). */
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <sasl/sasl.h>
#include <sasl/saslutil.h>

#include "model/model_int.h"
#include "source/ldif_int.h"
#include "twins.h"

/* sasl_decode64's verdict in the reader's terms: 0 ok, -2 truncated, -1 not base64. */
static int sasl_ref(const char *s, size_t n, char *out, size_t *len)
{
	unsigned l = 0;
	if (n == 0) {
		*len = 0;
		return 0;
	}
	int rc = sasl_decode64(s, (unsigned)n, out, (unsigned)n, &l);
	*len = l;
	return rc == SASL_OK ? 0 : rc == SASL_CONTINUE ? -2 : -1;
}

static void check_b64(const char *s, size_t n)
{
	char ref[128], mine[128];
	size_t rl = 0, ml = 0;
	assert_true(n < sizeof(ref));
	int r = sasl_ref(s, n, ref, &rl);
	memcpy(mine, s, n);
	int k = spn_ldif_base64(mine, n, &ml);
	if (r != k)
		fail_msg("'%.*s': sasl %d, ours %d", (int)n, s, r, k);
	if (r == 0) {
		assert_int_equal(rl, ml);
		assert_memory_equal(ref, mine, rl);
	}
}

static void test_base64(void **state)
{
	(void)state;
	static const char *fixed[] = {
		"", "A", "AB", "ABC", "ABCD", "AB==", "ABC=", "A===", "====", "AB=C", "ABCD=", "ABCDAB==",
		"AB==ABCD", "AB==AB==", "ABC=\r\n", "\rABC", "ABCD\r", "Q049YSxEQz1*", "Q049YSxEQz1",
		"AQUAAAAAAAUVAAAAESIzRFVmd4iZqrvMAAIAAA==", "SFRUUC93w6tiLmNvcnA=", "YQ==", "YWI=",
		"+/+/", "-_-_", "AB CD", " ABC", "ABCD ", "AB\xff=",
	};
	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		check_b64(fixed[i], strlen(fixed[i]));
	/* Random strings over digits and the bytes that matter. */
	static const char alpha[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	                            "=====\r\n -_*\x80\xff";
	char s[64];
	for (int t = 0; t < 300000; t++) {
		size_t n = tw_rnd(24);
		bool clean = tw_rnd(4) != 0;
		for (size_t i = 0; i < n; i++)
			s[i] = alpha[tw_rnd(clean ? 64 : sizeof(alpha) - 1)];
		if (clean && n >= 2 && tw_rnd(2))
			s[n - 1] = '=';
		if (clean && n >= 3 && tw_rnd(3) == 0)
			s[n - 2] = '=';
		check_b64(s, n);
	}
}

static void check_int(const char *s)
{
	struct spn_entry e;
	struct spn_err err;
	int64_t v;
	bool present;
	spn_entry_init(&e);
	e.dn.p = "CN=x";
	e.dn.n = 4;
	e.where = "t.ldif:1";
	assert_int_equal(spn_entry_add(&e, SPN_A_USERACCOUNTCONTROL, s, strlen(s)), SPN_OK);
	spn_err_init(&err);
	enum spn_rc rc = spn_parse_int(&e, SPN_A_USERACCOUNTCONTROL, &v, &present, &err);
	/* The rule it replaced: trim ' ' (and '\r' at the end), at most 31
	 * bytes, then strtoll of the whole rest. */
	const char *p = s;
	size_t n = strlen(s);
	while (n && *p == ' ') { p++; n--; }
	while (n && (p[n - 1] == ' ' || p[n - 1] == '\r')) n--;
	char buf[32];
	bool ok = false;
	long long x = 0;
	if (n && n < sizeof(buf)) {
		memcpy(buf, p, n);
		buf[n] = '\0';
		char *end;
		errno = 0;
		x = strtoll(buf, &end, 10);
		ok = errno == 0 && *end == '\0';
	}
	if (ok != (rc == SPN_OK))
		fail_msg("'%s': strtoll %s, ours %s", s, ok ? "ok" : "bad", rc == SPN_OK ? "ok" : err.msg);
	if (ok) {
		assert_true(present);
		assert_int_equal(v, x);
	}
	spn_entry_release(&e);
}

static void test_int(void **state)
{
	(void)state;
	static const char *fixed[] = {
		"0", "512", "-1", "+7", " 66048 ", "66048\r", "\t5", "\v5", "5\t", "", " ", "+", "-", "--1",
		"+-1", "0x10", "1e3", "9223372036854775807", "9223372036854775808", "-9223372036854775808",
		"-9223372036854775809", "99999999999999999999", "00000000000000000000000000000001",
		"000000000000000000000000000000001", "1 2", "１", "132000000000000000",
		"12345678", "87654321", "123456789012345678", "-123456789012345678", "1234567x",
		"12345678x", "0000000009223372036854775807", "0000000009223372036854775808",
		"-000000009223372036854775808", "9999999999999999999", "18446744073709551615",
		"18446744073709551616", "99999999", "00000000", "1234567812345678",
	};
	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		check_int(fixed[i]);
	static const char alpha[] = "0123456789 +-\t\r\nx";
	char s[40];
	for (int t = 0; t < 200000; t++) {
		size_t n = tw_rnd(36);
		bool digits = tw_rnd(3) != 0;
		for (size_t i = 0; i < n; i++)
			s[i] = alpha[tw_rnd(digits ? 10 : sizeof(alpha) - 1)];
		s[n] = '\0';
		check_int(s);
	}
}

/* Everything a read put into a model, as one string. */
static void model_text(const struct spn_model *m, enum spn_rc rc, const struct spn_err *err,
                       char *out, size_t cap)
{
	size_t o = 0;
#define PUT(...) do { int w_ = snprintf(out + o, cap - o, __VA_ARGS__); \
	              if (w_ > 0) o += (size_t)w_ < cap - o ? (size_t)w_ : cap - o - 1; } while (0)
	PUT("rc=%d %s\n", rc, rc ? err->msg : "");
	for (uint32_t i = 0; i < spn_model_naccounts(m); i++) {
		const struct spn_account *a = spn_model_account(m, i);
		PUT("%s|%s|%s|%s|%u|%u|%u|%u|%lld|%d|%d|%u", a->dn, a->sam ? a->sam : "-",
		    a->upn ? a->upn : "-", a->dns_host ? a->dns_host : "-", a->uac, a->rid,
		    a->primary_group, a->enctypes, (long long)a->pwd_last_set, a->admin_count, a->kind,
		    a->has);
		for (uint32_t k = 0; k < a->n_member_of; k++)
			PUT("|m:%s", a->member_of[k]);
		for (uint32_t k = 0; k < a->n_delegate_to; k++)
			PUT("|d:%s", a->delegate_to[k]);
		for (uint32_t k = 0; k < a->nspn; k++) {
			const struct spn_value *v = spn_model_value(m, a->spn_first + k);
			PUT("|s:%s/%u/%u", v->str, v->flags, v->syntax);
		}
		PUT("\n");
	}
	for (uint32_t i = 0; i < spn_model_ngroups(m); i++)
		PUT("g:%s|%u|%d\n", spn_model_group(m, i)->dn, spn_model_group(m, i)->rid,
		    spn_model_group(m, i)->admin_count);
	for (size_t i = 0; i < spn_model_ngaps(m); i++)
		PUT("gap:%s\n", spn_model_gap(m, i));
#undef PUT
}

/* tmpl with its "%d" (if any) replaced by e. */
static size_t put_line(char *out, size_t cap, const char *tmpl, int e)
{
	const char *d = strstr(tmpl, "%d");
	int w = d ? snprintf(out, cap, "%.*s%d%s", (int)(d - tmpl), tmpl, e, d + 2)
	          : snprintf(out, cap, "%s", tmpl);
	return w > 0 ? (size_t)w : 0;
}

static void read_both_ways(const char *text, size_t n, char *fast, char *general, size_t cap)
{
	for (int way = 0; way < 2; way++) {
		struct spn_ldif_limits lim;
		spn_ldif_limits_default(&lim);
		lim.general_only = way == 1;
		struct spn_model *m = spn_model_new(0);
		struct spn_err err;
		assert_non_null(m);
		spn_err_init(&err);
		enum spn_rc rc = spn_ldif_read_mem_limits(m, "t.ldif", text, n, &lim, &err);
		model_text(m, rc, &err, way ? general : fast, cap);
		spn_model_free(m);
	}
}

/* Entries whose lines are plain, folded, CRLF-ended, base64, commented,
 * ranged, in odd letter case, with unknown attributes - the fast path
 * takes some and must hand the others over exactly where the general path
 * would read them. */
static void test_fast_path_equals_general(void **state)
{
	(void)state;
	static const char *const lines[] = {
		"objectClass: top\n", "objectClass: user\n", "objectclass: computer\n",
		"OBJECTCLASS: group\n", "sAMAccountName: svc_%d\n", "samaccountname:: c3ZjJGQ=\n",
		"userAccountControl: 512\n", "userAccountControl: 4096\r\n", "pwdLastSet: 132000000000000000\n",
		"primaryGroupID: 513\n", "adminCount: 1\n", "msDS-SupportedEncryptionTypes: 24\n",
		"servicePrincipalName: HTTP/web%d.corp.example.com\n",
		"servicePrincipalName: MSSQLSvc/sql%d.corp.example.com:1433\n",
		"servicePrincipalName;range=0-*: HOST/pc%d\n",
		"servicePrincipalName: HOST/a-very-long-host-name-that-will-be-folded-%d.corp.exa\n mple.com\n",
		"servicePrincipalName:: SE9TVC9iYXNlNjQ=\n", "servicePrincipalName:  HOST/spaces%d\n",
		"memberOf: CN=Domain Admins,CN=Users,DC=corp,DC=example,DC=com\n",
		"userPrincipalName: HTTP/upn%d@CORP.EXAMPLE.COM\n", "dNSHostName: pc%d.corp.example.com\n",
		"msDS-AllowedToDelegateTo: cifs/fs%d\n", "objectSid:: AQUAAAAAAAUVAAAAI/LGcbwBczxOOpZ4UQQAAA==\n",
		"description: anything at all %d\n", "# a comment\n", "# folded\n comment\n",
		"whenCreated: 20240101000000.0Z\n", "x-Unknown-Attribute-With-A-Long-Name: %d\n",
		"thumbnailPhoto:: AAEC\n", "sAMAccountName:\n",
	};
	size_t cap = 1 << 20;
	char *text = malloc(cap), *fast = malloc(4 * cap), *general = malloc(4 * cap);
	assert_non_null(text);
	assert_non_null(fast);
	assert_non_null(general);
	for (int round = 0; round < 200; round++) {
		size_t o = 0;
		int entries = 1 + (int)tw_rnd(40);
		if (tw_rnd(4) == 0)
			o += (size_t)snprintf(text + o, cap - o, "version: 1\n\n");
		for (int e = 0; e < entries && o < cap - 8192; e++) {
			o += (size_t)snprintf(text + o, cap - o, tw_rnd(8) ? "dn: CN=e%d,OU=x,DC=corp,DC=example,DC=com\n"
			                                              : "dn: CN=e%d,OU=a-long-ou-name-to-fold,DC=corp,DC=exam\n ple,DC=com\n", e);
			int nl = (int)tw_rnd(14);
			for (int k = 0; k < nl; k++)
				o += put_line(text + o, cap - o, lines[tw_rnd(sizeof(lines) / sizeof(lines[0]))], e);
			o += (size_t)snprintf(text + o, cap - o, tw_rnd(10) ? "\n" : "\r\n");
		}
		read_both_ways(text, o, fast, general, 4 * cap);
		if (strcmp(fast, general) != 0)
			fail_msg("round %d: the fast path read differently:\n--- fast\n%.2000s\n--- general\n%.2000s",
			         round, fast, general);
	}
	free(text);
	free(fast);
	free(general);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_base64),
		cmocka_unit_test(test_int),
		cmocka_unit_test(test_fast_path_equals_general),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
