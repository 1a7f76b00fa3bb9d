/* test_report.c - the report writers: JSON escaping (control characters,
 * invalid UTF-8, a message longer than the writer's buffer), the JSON shape and "complete", CSV quoting, text
 * grouping and summary, and setspn's exact wording. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "spn/check.h"
#include "spn/report.h"
#include "builder.h"
#include "report/report_int.h"  /* setspn_domain_dn */

/* Capture what a report writes. */
struct capture {
	char *buf;
	size_t len;
	FILE *f;
};

static void cap_open(struct capture *c)
{
	c->buf = NULL;
	c->len = 0;
	c->f = open_memstream(&c->buf, &c->len);
	assert_non_null(c->f);
}

static const char *cap_close(struct capture *c)
{
	fclose(c->f);
	return c->buf;
}

static const struct spn_report_opts as_text = { .format = SPN_FORMAT_TEXT };
static const struct spn_report_opts as_json = { .format = SPN_FORMAT_JSON };
static const struct spn_report_opts as_csv = { .format = SPN_FORMAT_CSV };
static const struct spn_report_opts as_setspn = { .format = SPN_FORMAT_SETSPN };

#define EXCH "CN=EXCH01,OU=Exchange Servers,DC=corp,DC=example"
#define ADMIN "CN=Administrator,CN=Users,DC=corp,DC=example"

static struct spn_model *field_case(void)
{
	struct spn_model *m = tb_new(SPN_MODEL_KEEP_ALL);
	tb_add(m, EXCH, "objectClass=computer", "sAMAccountName=EXCH01$", "userAccountControl=4096",
	       "servicePrincipalName=SMTPSVC/exch01.corp.example", "servicePrincipalName=SMTPSVC/EXCH01",
	       NULL);
	tb_add(m, ADMIN, "objectClass=user", "sAMAccountName=Administrator",
	       "userAccountControl=66050", "servicePrincipalName=SMTPSVC/EXCH01", NULL);
	tb_add(m, "CN=Nobody,CN=Users,DC=corp,DC=example", "objectClass=user",
	       "sAMAccountName=nobody", NULL);
	tb_finish(m);
	return m;
}

static void one_finding(struct spn_findings *f, const struct spn_model *m, const char *spn,
                        const char *msg)
{
	uint32_t ids[2] = { tb_id(m, EXCH), tb_id(m, ADMIN) };
	spn_findings_init(f);
	assert_int_equal(spn_findings_add(f, "duplicate-spn", SPN_SEV_ERROR, spn, ids, 2,
	                                  "remove it from \"Administrator\", then klist purge",
	                                  "%s", msg), SPN_OK);
}

static void test_json_escaping(void **state)
{
	(void)state;
	struct spn_model *m = field_case();
	struct spn_findings f;
	struct capture c;
	/* control characters, quote, backslash, invalid UTF-8 (0xff, a lone
	 * continuation byte, an encoded surrogate, an overlong '/'), valid é */
	one_finding(&f, m, "SMTPSVC/a\x01" "b\"c\\d\xff\x80\xed\xa0\x80\xc0\xaf\xc3\xa9",
	            "line one\nline two\ttab\x7f");
	cap_open(&c);
	assert_int_equal(spn_report_findings(c.f, &as_json, m, &f), SPN_OK);
	const char *out = cap_close(&c);
	assert_non_null(strstr(out,
		"\"spn\": \"SMTPSVC/a\\u0001b\\\"c\\\\d\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd\xc3\xa9\""));
	assert_non_null(strstr(out, "\"message\": \"line one\\nline two\\ttab\\u007f\""));
	assert_non_null(strstr(out, "\"fix\": \"remove it from \\\"Administrator\\\", then klist purge\""));
	/* nothing raw below 0x20 but the newlines of the layout */
	for (const char *p = out; *p; p++)
		assert_true((unsigned char)*p >= 0x20 || *p == '\n');
	free(c.buf);
	spn_findings_release(&f);
	spn_model_free(m);
}

/* The escaper against a byte-at-a-time reference, on a message longer than
 * the writer's buffer with bytes to escape at every offset of a word. */
static size_t ref_escape(const unsigned char *s, size_t n, char *out)
{
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = s[i];
		if (c == 0xc3 && i + 1 < n && s[i + 1] == 0xa9) {
			out[o++] = (char)c;
			out[o++] = (char)s[++i];
		} else if (c == '"' || c == '\\') {
			out[o++] = '\\';
			out[o++] = (char)c;
		} else if (c == '\n') {
			out[o++] = '\\';
			out[o++] = 'n';
		} else if (c >= 0x80) {
			memcpy(out + o, "\\ufffd", 6);
			o += 6;
		} else if (c < 0x20 || c == 0x7f) {
			o += (size_t)snprintf(out + o, 7, "\\u%04x", c);
		} else {
			out[o++] = (char)c;
		}
	}
	out[o] = '\0';
	return o;
}

static void test_json_long_escaping(void **state)
{
	(void)state;
	static const char *const pieces[] = {
		"a", "bc", "defghij", "klmnopqrstu", "\"", "\\", "\x01", "\x1f", "\x7f", "\n",
		"\xc3\xa9", "\xff", "\xc3", " ", "~", "0123456789ABCDEFGHIJ",
	};
	const size_t n = 200000;
	unsigned char *msg = malloc(n + 32);
	char *want = malloc(n * 6 + 64);
	assert_non_null(msg);
	assert_non_null(want);
	size_t len = 0;
	uint32_t r = 12345;
	while (len < n) {
		r = r * 1103515245u + 12345u;
		const char *p = pieces[(r >> 16) % (sizeof(pieces) / sizeof(pieces[0]))];
		memcpy(msg + len, p, strlen(p));
		len += strlen(p);
	}
	msg[len] = '\0';
	memcpy(want, "\"message\": \"", 12);
	size_t w = 12 + ref_escape(msg, len, want + 12);
	want[w++] = '"';
	want[w] = '\0';

	struct spn_model *m = field_case();
	struct spn_findings f;
	struct capture c;
	one_finding(&f, m, "SMTPSVC/EXCH01", (const char *)msg);
	cap_open(&c);
	assert_int_equal(spn_report_findings(c.f, &as_json, m, &f), SPN_OK);
	const char *out = cap_close(&c);
	assert_non_null(strstr(out, want));
	assert_non_null(strstr(out, "\"fix\": \"remove it from \\\"Administrator\\\", then klist purge\""));
	assert_true(c.len > 0 && out[c.len - 1] == '\n' && out[c.len - 2] == '}');
	free(c.buf);
	free(want);
	free(msg);
	spn_findings_release(&f);
	spn_model_free(m);
}

/* A word as the text report shows it: a control byte (here: a tab) as
 * \xNN, the width counted as shown (issue 11). */
static int ref_word(FILE *f, const char *p, size_t n)
{
	int width = 0;
	for (size_t i = 0; i < n; i++) {
		if ((unsigned char)p[i] < 0x20) {
			fprintf(f, "\\x%02x", (unsigned char)p[i]);
			width += 4;
		} else {
			fputc(p[i], f);
			width++;
		}
	}
	return width;
}

static int ref_width(const char *p, size_t n)
{
	int width = 0;
	for (size_t i = 0; i < n; i++)
		width += (unsigned char)p[i] < 0x20 ? 4 : 1;
	return width;
}

/* The text report's paragraph wrapping, against the word-at-a-time
 * reference it replaced: long words (longer than any buffer), runs of
 * spaces, new lines, tabs inside words (escaped). */
static void ref_wrap(FILE *f, int indent, const char *prefix, const char *text)
{
	int hang = indent + (int)strlen(prefix);
	int col = hang;
	fprintf(f, "%*s%s", indent, "", prefix);
	bool line_empty = true;
	const char *p = text;
	while (*p) {
		while (*p == ' ')
			p++;
		if (!*p)
			break;
		size_t n = strcspn(p, " \n");
		if (*p == '\n') {
			fprintf(f, "\n%*s", hang, "");
			col = hang;
			line_empty = true;
			p++;
			continue;
		}
		if (!line_empty && col + 1 + ref_width(p, n) > 79) {
			fprintf(f, "\n%*s", hang, "");
			col = hang;
			line_empty = true;
		}
		if (!line_empty) {
			fputc(' ', f);
			col++;
		}
		col += ref_word(f, p, n);
		line_empty = false;
		p += n;
	}
	fputc('\n', f);
}

static void test_text_wrapping(void **state)
{
	(void)state;
	static const char *const words[] = {"a", "word", "  ", "\n", "tab\there", "x.y.z,",
	                                    "CN=Some Account,OU=Service Accounts,DC=corp,DC=example",
	                                    "HTTP/web01.corp.example:443", " ", "\n\n", "end."};
	char *msg = malloc(40000), *fix = malloc(3000);
	assert_non_null(msg);
	assert_non_null(fix);
	size_t len = 0;
	uint32_t r = 99;
	while (len < 30000) {
		r = r * 1103515245u + 12345u;
		const char *w = words[(r >> 16) % (sizeof(words) / sizeof(words[0]))];
		size_t n = strlen(w);
		memcpy(msg + len, w, n);
		len += n;
		msg[len++] = ' ';
		if ((r >> 8) % 97 == 0) {  /* now and then a word of 1,500 bytes */
			memset(msg + len, 'L', 1500);
			len += 1500;
		}
	}
	msg[len] = '\0';
	memset(fix, 'F', 2500);
	memcpy(fix + 2500, " then short words follow", 25);

	struct capture want;
	cap_open(&want);
	ref_wrap(want.f, 4, "", msg);
	ref_wrap(want.f, 4, "Fix: ", fix);
	const char *expect = cap_close(&want);

	struct spn_model *m = field_case();
	struct spn_findings f;
	uint32_t ids[1] = { tb_id(m, EXCH) };
	spn_findings_init(&f);
	assert_int_equal(spn_findings_add(&f, "duplicate-spn", SPN_SEV_ERROR, "SMTPSVC/EXCH01", ids, 1,
	                                  fix, "%s", msg), SPN_OK);
	struct capture c;
	cap_open(&c);
	assert_int_equal(spn_report_findings(c.f, &as_text, m, &f), SPN_OK);
	const char *out = cap_close(&c);
	assert_non_null(strstr(out, expect));
	free(c.buf);
	free(want.buf);
	free(msg);
	free(fix);
	spn_findings_release(&f);
	spn_model_free(m);
}

static void test_json_shape_and_complete(void **state)
{
	(void)state;
	struct spn_model *m = field_case();
	struct spn_findings f;
	struct capture c;
	one_finding(&f, m, "SMTPSVC/EXCH01", "two holders");
	cap_open(&c);
	assert_int_equal(spn_report_findings(c.f, &as_json, m, &f), SPN_OK);
	const char *out = cap_close(&c);
	assert_true(strncmp(out, "{\n  \"complete\": true,\n  \"sources\": [", 36) == 0);
	assert_non_null(strstr(out, "\"name\": \"test.ldif\""));
	assert_non_null(strstr(out, "\"accounts\": 3,"));
	assert_non_null(strstr(out, "\"spn_values\": 3,"));
	assert_non_null(strstr(out, "\"code\": \"duplicate-spn\""));
	assert_non_null(strstr(out, "\"severity\": \"error\""));
	assert_non_null(strstr(out, "\"dn\": \"" EXCH "\""));
	assert_non_null(strstr(out, "\"sam\": \"EXCH01$\""));
	assert_non_null(strstr(out, "\"kind\": \"computer\""));
	assert_non_null(strstr(out, "\"upn\": null"));
	assert_non_null(strstr(out, "\"disabled\": true"));  /* Administrator: UAC 0x202 */
	assert_non_null(strstr(out, "\"gaps\": []\n}\n"));
	free(c.buf);

	/* A gap: complete is false and the gap is named, findings still there. */
	assert_int_equal(spn_model_add_gap(m, "test.ldif:9: range not followed"), SPN_OK);
	cap_open(&c);
	assert_int_equal(spn_report_findings(c.f, &as_json, m, &f), SPN_OK);
	out = cap_close(&c);
	assert_non_null(strstr(out, "\"complete\": false"));
	assert_non_null(strstr(out, "\"code\": \"duplicate-spn\""));
	assert_non_null(strstr(out, "\"gaps\": [\n    \"test.ldif:9: range not followed\"\n  ]"));
	free(c.buf);

	/* No findings: an empty array, still valid JSON. */
	struct spn_findings none;
	spn_findings_init(&none);
	cap_open(&c);
	assert_int_equal(spn_report_findings(c.f, &as_json, m, &none), SPN_OK);
	out = cap_close(&c);
	assert_non_null(strstr(out, "\"findings\": [],"));
	free(c.buf);
	spn_findings_release(&none);
	spn_findings_release(&f);
	spn_model_free(m);
}

static void test_csv(void **state)
{
	(void)state;
	struct spn_model *m = field_case();
	struct spn_findings f;
	struct capture c;
	one_finding(&f, m, "SMTPSVC/EXCH01", "two holders, one domain\r\nsecond line");
	cap_open(&c);
	assert_int_equal(spn_report_findings(c.f, &as_csv, m, &f), SPN_OK);
	const char *out = cap_close(&c);
	assert_string_equal(out,
		"code,severity,spn,dn,sam,kind,domain,message,fix\r\n"
		"duplicate-spn,error,SMTPSVC/EXCH01,\"" EXCH "\",EXCH01$,computer,corp.example,"
		"\"two holders, one domain\r\nsecond line\",\"remove it from \"\"Administrator\"\", then klist purge\"\r\n"
		"duplicate-spn,error,SMTPSVC/EXCH01,\"" ADMIN "\",Administrator,user,corp.example,"
		"\"two holders, one domain\r\nsecond line\",\"remove it from \"\"Administrator\"\", then klist purge\"\r\n");
	free(c.buf);

	uint32_t nobody = tb_id(m, "CN=Nobody,CN=Users,DC=corp,DC=example");
	cap_open(&c);
	assert_int_equal(spn_report_accounts(c.f, &as_csv, m, &nobody, 1), SPN_OK);
	out = cap_close(&c);
	assert_string_equal(out, "dn,sam,kind,domain,spn\r\n"
	                         "\"CN=Nobody,CN=Users,DC=corp,DC=example\",nobody,user,corp.example,\r\n");
	free(c.buf);
	spn_findings_release(&f);
	spn_model_free(m);
}

/* Quotes first, last and side by side are each doubled. */
static void test_csv_quotes(void **state)
{
	(void)state;
	struct spn_model *m = field_case();
	struct spn_findings f;
	struct capture c;
	one_finding(&f, m, "SMTPSVC/EXCH01", "\"a\"\"b\",\"");
	cap_open(&c);
	assert_int_equal(spn_report_findings(c.f, &as_csv, m, &f), SPN_OK);
	const char *out = cap_close(&c);
	assert_non_null(strstr(out, ",corp.example,\"\"\"a\"\"\"\"b\"\",\"\"\",\"remove it from "));
	free(c.buf);
	spn_findings_release(&f);
	spn_model_free(m);
}

static void test_text(void **state)
{
	(void)state;
	struct spn_model *m = field_case();
	struct spn_findings f;
	struct capture c;
	one_finding(&f, m, "SMTPSVC/EXCH01", "two holders");
	uint32_t admin = tb_id(m, ADMIN);
	assert_int_equal(spn_findings_add(&f, "kerberoastable", SPN_SEV_INFO, NULL, &admin, 1,
	                                  "use a gMSA", "a user with SPNs"), SPN_OK);
	cap_open(&c);
	assert_int_equal(spn_report_findings(c.f, &as_text, m, &f), SPN_OK);
	const char *out = cap_close(&c);
	const char *err = strstr(out, "== errors (1) ==\n\nduplicate-spn (1): ");
	const char *info = strstr(out, "== info (1) ==\n\nkerberoastable (1): ");
	assert_non_null(err);
	assert_non_null(info);
	assert_true(err < info);
	assert_non_null(strstr(out, "  SMTPSVC/EXCH01\n    " EXCH " (computer EXCH01$, corp.example)\n"
	                            "    " ADMIN " (user Administrator, corp.example, disabled)\n"
	                            "    two holders\n    Fix: remove it from"));
	/* a finding without SPN is headed by its account */
	assert_non_null(strstr(out, "  " ADMIN " (user Administrator, corp.example, disabled)\n"
	                            "    a user with SPNs\n    Fix: use a gMSA\n"));
	assert_non_null(strstr(out, "1 error, 0 warnings, 1 info in 3 accounts / 3 SPNs from 1 snapshot\n"));
	assert_null(strstr(out, "INCOMPLETE"));
	free(c.buf);

	assert_int_equal(spn_model_add_gap(m, "test.ldif:9: range not followed"), SPN_OK);
	cap_open(&c);
	assert_int_equal(spn_report_findings(c.f, &as_text, m, &f), SPN_OK);
	out = cap_close(&c);
	assert_true(strncmp(out, "INCOMPLETE: ", 12) == 0);
	assert_non_null(strstr(out, "  - test.ldif:9: range not followed\n"));
	assert_non_null(strstr(out, "from 1 snapshot - INCOMPLETE\n"));
	free(c.buf);
	spn_findings_release(&f);
	spn_model_free(m);
}

static void test_setspn_wording(void **state)
{
	(void)state;
	struct spn_model *m = field_case();
	struct spn_findings f;
	struct spn_query_result q;
	struct spn_err err;
	struct capture c;
	char dn[128];
	uint32_t ids[2] = { tb_id(m, EXCH), tb_id(m, "CN=Nobody,CN=Users,DC=corp,DC=example") };
	spn_err_init(&err);

	assert_string_equal(setspn_domain_dn("corp.example", dn, sizeof(dn)), "DC=corp,DC=example");
	assert_string_equal(setspn_domain_dn("a.b.c.d", dn, sizeof(dn)), "DC=a,DC=b,DC=c,DC=d");

	cap_open(&c);
	assert_int_equal(spn_report_accounts(c.f, &as_setspn, m, ids, 2), SPN_OK);
	assert_string_equal(cap_close(&c),
		"Registered ServicePrincipalNames for " EXCH ":\n"
		"\tSMTPSVC/exch01.corp.example\n\tSMTPSVC/EXCH01\n"
		"Registered ServicePrincipalNames for CN=Nobody,CN=Users,DC=corp,DC=example:\n");
	free(c.buf);

	assert_int_equal(spn_model_query(m, NULL, "smtpsvc/exch01.*", &q, &err), SPN_OK);
	cap_open(&c);
	assert_int_equal(spn_report_query(c.f, &as_setspn, m, &q, 1), SPN_OK);
	assert_string_equal(cap_close(&c),
		"Checking domain DC=corp,DC=example\n" EXCH "\n"
		"\tSMTPSVC/exch01.corp.example\n\tSMTPSVC/EXCH01\n\nExisting SPN found!\n");
	free(c.buf);
	spn_query_result_release(&q);

	/* Each holder once, in order of first match, however many SPNs match. */
	assert_int_equal(spn_model_query(m, NULL, "SMTPSVC/*", &q, &err), SPN_OK);
	cap_open(&c);
	assert_int_equal(spn_report_query(c.f, &as_setspn, m, &q, 1), SPN_OK);
	assert_string_equal(cap_close(&c),
		"Checking domain DC=corp,DC=example\n" EXCH "\n"
		"\tSMTPSVC/exch01.corp.example\n\tSMTPSVC/EXCH01\n" ADMIN "\n\tSMTPSVC/EXCH01\n"
		"\nExisting SPN found!\n");
	free(c.buf);
	spn_query_result_release(&q);

	struct spn_report_opts forest = { .format = SPN_FORMAT_SETSPN, .forest = true };
	assert_int_equal(spn_model_query(m, NULL, "HTTP/nowhere", &q, &err), SPN_OK);
	cap_open(&c);
	assert_int_equal(spn_report_query(c.f, &forest, m, &q, 1), SPN_OK);
	assert_string_equal(cap_close(&c),
		"Checking forest DC=corp,DC=example\n"
		"Operation will be performed forestwide, it might take a while.\n\nNo such SPN found.\n");
	free(c.buf);
	spn_query_result_release(&q);

	/* -X: duplicate-spn findings only. */
	one_finding(&f, m, "SMTPSVC/EXCH01", "two holders");
	assert_int_equal(spn_findings_add(&f, "lookalike-spn", SPN_SEV_ERROR, "HTTP/x", ids, 2, "fix",
	                                  "other code"), SPN_OK);
	assert_true(spn_report_shows(&as_setspn, &f.v[0]));
	assert_false(spn_report_shows(&as_setspn, &f.v[1]));
	assert_true(spn_report_shows(&as_text, &f.v[1]));
	assert_true(spn_report_shows(NULL, &f.v[1]));
	cap_open(&c);
	assert_int_equal(spn_report_findings(c.f, &as_setspn, m, &f), SPN_OK);
	assert_string_equal(cap_close(&c),
		"Checking domain DC=corp,DC=example\n"
		"SMTPSVC/EXCH01 is registered on these accounts:\n\t" EXCH "\n\t" ADMIN "\n\n"
		"found 1 group of duplicate SPNs.\n");
	free(c.buf);

	struct spn_findings none;
	spn_findings_init(&none);
	cap_open(&c);
	assert_int_equal(spn_report_findings(c.f, &as_setspn, m, &none), SPN_OK);
	assert_string_equal(cap_close(&c),
		"Checking domain DC=corp,DC=example\n\nfound 0 group of duplicate SPNs.\n");
	free(c.buf);

	/* Reports setspn has no wording for. */
	cap_open(&c);
	assert_int_equal(spn_report_checks(c.f, &as_setspn, NULL, 0, false), SPN_USAGE);
	assert_string_equal(cap_close(&c), "");
	free(c.buf);
	spn_findings_release(&none);
	spn_findings_release(&f);
	spn_model_free(m);
}

/* A DN and SPNs with terminal control sequences (set the window title,
 * clear the screen, a C1 CSI, bytes that are not UTF-8): the text and
 * setspn writers show them as \xNN and hand no control byte to the
 * terminal; JSON escapes them its own way (issue 11). */
static void test_text_escapes_controls(void **state)
{
	(void)state;
	static const char evil[] = "CN=ev\x1b]0;pwned\x07il,CN=Users,DC=corp,DC=example";
	struct spn_model *m = tb_new(SPN_MODEL_KEEP_ALL);
	tb_add(m, evil, "objectClass=user", "sAMAccountName=ev\x1b[2Jil",
	       "servicePrincipalName=HTTP/a\xc2\x9b" "31mb", "servicePrincipalName=HTTP/\xff\x9bx",
	       "servicePrincipalName=HTTP/caf\xc3\xa9", NULL);
	tb_finish(m);
	uint32_t id = tb_id(m, evil);
	const struct spn_report_opts *fmts[] = {&as_text, &as_setspn};
	for (size_t k = 0; k < 2; k++) {
		struct capture c;
		cap_open(&c);
		assert_int_equal(spn_report_accounts(c.f, fmts[k], m, &id, 1), SPN_OK);
		const char *out = cap_close(&c);
		for (size_t i = 0; i < c.len; i++) {
			unsigned char b = (unsigned char)out[i];
			assert_true(b >= 0x20 || b == '\n' || b == '\t');
			assert_true(b != 0x7f && b != 0x9b && b != 0xff);
		}
		assert_non_null(strstr(out, "CN=ev\\x1b]0;pwned\\x07il,CN=Users"));
		assert_non_null(strstr(out, "HTTP/a\\xc2\\x9b31mb"));
		assert_non_null(strstr(out, "HTTP/\\xff\\x9bx"));
		assert_non_null(strstr(out, "HTTP/caf\xc3\xa9"));   /* UTF-8 stays as it is */
		if (k == 0)
			assert_non_null(strstr(out, "ev\\x1b[2Jil"));
		free(c.buf);
	}
	spn_model_free(m);
}

static void test_write_error(void **state)
{
	(void)state;
	FILE *full = fopen("/dev/full", "w");
	if (!full)
		skip();
	struct spn_model *m = field_case();
	struct spn_findings f;
	one_finding(&f, m, "SMTPSVC/EXCH01", "two holders");
	setvbuf(full, NULL, _IONBF, 0);
	assert_int_equal(spn_report_findings(full, &as_json, m, &f), SPN_IO);
	fclose(full);
	spn_findings_release(&f);
	spn_model_free(m);
}

static void test_format_parse(void **state)
{
	(void)state;
	assert_int_equal(spn_format_parse("text"), SPN_FORMAT_TEXT);
	assert_int_equal(spn_format_parse("json"), SPN_FORMAT_JSON);
	assert_int_equal(spn_format_parse("csv"), SPN_FORMAT_CSV);
	assert_int_equal(spn_format_parse("setspn"), SPN_FORMAT_SETSPN);
	assert_int_equal(spn_format_parse("JSON"), -1);
	assert_int_equal(spn_format_parse("xml"), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_escaping),
		cmocka_unit_test(test_json_long_escaping),
		cmocka_unit_test(test_json_shape_and_complete),
		cmocka_unit_test(test_csv),
		cmocka_unit_test(test_csv_quotes),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_text_wrapping),
		cmocka_unit_test(test_setspn_wording),
		cmocka_unit_test(test_text_escapes_controls),
		cmocka_unit_test(test_write_error),
		cmocka_unit_test(test_format_parse),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
