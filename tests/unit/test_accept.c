/* test_accept.c - accept files (spn/accept.h): what a line means, what is
 * an error and where, and which findings an entry accepts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "spn/accept.h"
#include "builder.h"

#define WEB "CN=Web01,OU=Srv,DC=corp,DC=example"
#define SVC "CN=svc web,CN=Users,DC=corp,DC=example"

static enum spn_rc parse(struct spn_accept *a, const char *text, struct spn_err *err)
{
	spn_accept_init(a);
	spn_err_init(err);
	return spn_accept_parse(a, "a.txt", text, strlen(text), err);
}

static void test_lines(void **state)
{
	(void)state;
	struct spn_accept a;
	struct spn_err err;
	assert_int_equal(parse(&a, "# header\r\n\r\n  3F2A9C1B2D3E4F50   # why\r\n"
	                           "duplicate-spn HTTP/web01#not-a-comment # a comment\n"
	                           "\tkerberoastable  svc_web$\n"
	                           "#3f2a9c1b2d3e4f51", &err), SPN_OK);
	assert_int_equal(a.n, 3);
	assert_string_equal(a.v[0].id, "3f2a9c1b2d3e4f50");   /* lower-cased */
	assert_null(a.v[0].code);
	assert_int_equal(a.v[0].line, 3);
	assert_null(a.v[1].id);
	assert_string_equal(a.v[1].code, "duplicate-spn");
	assert_string_equal(a.v[1].name, "HTTP/web01#not-a-comment");  /* '#' inside a word */
	assert_int_equal(a.v[1].line, 4);
	assert_string_equal(a.v[2].name, "svc_web$");
	spn_accept_release(&a);

	assert_int_equal(parse(&a, "", &err), SPN_OK);
	assert_int_equal(a.n, 0);
	spn_accept_release(&a);
}

static void test_errors(void **state)
{
	(void)state;
	static const struct {
		const char *text, *msg;
	} bad[] = {
		{"ok-line-missing\n", "a.txt:1: 'ok-line-missing' is neither a finding id"},
		{"# c\n\ndup-spn HTTP/x\n", "a.txt:3: unknown check 'dup-spn'"},
		{"3f2a9c1b2d3e4f50 HTTP/x\n", "a.txt:1: a finding id takes nothing after it"},
		{"3f2a9c1b2d3e4f5\n", "a.txt:1: '3f2a9c1b2d3e4f5' is neither a finding id"},
		{"3f2a9c1b2d3e4f5g\n", "a.txt:1: '3f2a9c1b2d3e4f5g' is neither a finding id"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct spn_accept a;
		struct spn_err err;
		assert_int_equal(parse(&a, bad[i].text, &err), SPN_INPUT);
		assert_true(strncmp(err.msg, bad[i].msg, strlen(bad[i].msg)) == 0);
		spn_accept_release(&a);
	}
	struct spn_accept a;
	struct spn_err err;
	spn_accept_init(&a);
	spn_err_init(&err);
	assert_int_equal(spn_accept_parse(&a, "a.txt", "x\0y", 3, &err), SPN_INPUT);
	assert_non_null(strstr(err.msg, "NUL"));
	spn_accept_release(&a);
}

/* Two findings: a duplicate of HTTP/web01 and a kerberoastable account. */
static void findings(struct spn_model **m, struct spn_findings *f)
{
	*m = tb_new(0);
	tb_add(*m, WEB, "objectClass=computer", "sAMAccountName=WEB01$",
	       "servicePrincipalName=HTTP/web01", NULL);
	tb_add(*m, SVC, "objectClass=user", "sAMAccountName=svc_web",
	       "servicePrincipalName=http/WEB01", NULL);
	tb_finish(*m);
	uint32_t both[2] = {tb_id(*m, WEB), tb_id(*m, SVC)}, svc = tb_id(*m, SVC);
	spn_findings_init(f);
	assert_int_equal(spn_findings_add(f, "duplicate-spn", SPN_SEV_ERROR, "HTTP/web01", both, 2,
	                                  "fix", "dup"), SPN_OK);
	assert_int_equal(spn_findings_add(f, "kerberoastable", SPN_SEV_WARNING, NULL, &svc, 1,
	                                  "fix", "roast"), SPN_OK);
}

static size_t accepts(const char *text, bool *dup, bool *roast)
{
	struct spn_model *m;
	struct spn_findings f;
	struct spn_accept a;
	struct spn_err err;
	size_t n = 99;
	findings(&m, &f);
	assert_int_equal(parse(&a, text, &err), SPN_OK);
	assert_int_equal(spn_accept_apply(&a, m, &f, &n), SPN_OK);
	*dup = f.v[0].accepted;
	*roast = f.v[1].accepted;
	spn_accept_release(&a);
	spn_findings_release(&f);
	spn_model_free(m);
	return n;
}

static void test_apply(void **state)
{
	(void)state;
	bool dup, roast;
	char id[SPN_FINDING_ID_LEN + 1], text[64];
	struct spn_model *m;
	struct spn_findings f;
	findings(&m, &f);
	assert_true(spn_finding_id(m, &f.v[0], id));
	spn_findings_release(&f);
	spn_model_free(m);

	snprintf(text, sizeof(text), "%s\n", id);
	assert_int_equal(accepts(text, &dup, &roast), 1);
	assert_true(dup && !roast);
	/* By code and SPN, as AD compares SPNs. */
	assert_int_equal(accepts("duplicate-spn HTTP/WEB01\n", &dup, &roast), 1);
	assert_true(dup && !roast);
	/* The code must match too. */
	assert_int_equal(accepts("lookalike-spn HTTP/web01\n", &dup, &roast), 0);
	assert_true(!dup && !roast);
	/* An account finding by sAMAccountName (case, '$') or DN (case). */
	assert_int_equal(accepts("kerberoastable SVC_WEB$\n", &dup, &roast), 1);
	assert_true(!dup && roast);
	assert_int_equal(accepts("kerberoastable cn=SVC WEB,cn=users,dc=corp,dc=example\n", &dup,
	                         &roast), 1);
	assert_true(!dup && roast);
	/* A name of another kind accepts nothing. */
	assert_int_equal(accepts("kerberoastable web01\nduplicate-spn HTTP/web02\n", &dup, &roast),
	                 0);
	assert_int_equal(accepts("0000000000000000\n", &dup, &roast), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lines),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_apply),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
