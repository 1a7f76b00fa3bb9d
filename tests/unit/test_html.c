/* test_html.c - the HTML report's pure parts: escaping for text,
 * attributes and code blocks (markup, quotes, invisible characters, bytes
 * that are not UTF-8) and the page of a small model: nothing from the
 * directory opens a tag, the counts, the fix's LDIF (the words of its
 * command lines: test_cmdline_word.c). */
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
#include "report/report_int.h"  /* html_text, ... */

/* What one of html_text/html_attr writes for s. */
static char *escaped(void (*fn)(FILE *, const char *), const char *s)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	assert_non_null(f);
	fn(f, s);
	fclose(f);
	return buf;
}

static char *code_of(const char *s)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	assert_non_null(f);
	html_code(f, s, strlen(s));
	fclose(f);
	return buf;
}

static void test_markup_escaped(void **state)
{
	(void)state;
	const char *evil = "<script>x=\"1\" & y='2'</script>";
	const char *want = "&lt;script&gt;x=&quot;1&quot; &amp; y=&#39;2&#39;&lt;/script&gt;";
	char *t = escaped(html_text, evil), *a = escaped(html_attr, evil), *c = code_of(evil);
	assert_string_equal(t, want);
	assert_string_equal(a, want);
	assert_string_equal(c, want);
	free(t), free(a), free(c);
	t = escaped(html_text, NULL);
	assert_string_equal(t, "");
	free(t);
}

static void test_invisible_and_controls(void **state)
{
	(void)state;
	/* A zero width space (U+200B) and a right-to-left override (U+202E):
	 * text shows them; code keeps them for an exact copy. */
	const char *s = "HTTP/a\xE2\x80\x8B" "b\xE2\x80\xAE";
	char *t = escaped(html_text, s), *c = code_of(s);
	assert_non_null(strstr(t, "<span class=\"hc\" title=\"invisible character\">U+200B</span>"));
	assert_non_null(strstr(t, ">U+202E</span>"));
	assert_null(strstr(t, "\xE2\x80\x8B"));
	assert_string_equal(c, s);
	free(t), free(c);
	/* Controls: a marker in text, U+FFFD in code (but line ends and tabs). */
	t = escaped(html_text, "a\x1b[31mb");
	assert_string_equal(t, "a<span class=\"hc\" title=\"invisible character\">U+001B</span>[31mb");
	free(t);
	c = code_of("a\x1b" "b\nc\td");
	assert_string_equal(c, "a\xEF\xBF\xBD" "b\nc\td");
	free(c);
	/* Other letters pass as they are. */
	t = escaped(html_text, "M\xC3\xBCller");
	assert_string_equal(t, "M\xC3\xBCller");
	free(t);
}

static void test_not_utf8(void **state)
{
	(void)state;
	char *t = escaped(html_text, "a\xFF<b\xC3");
	assert_string_equal(t, "a<span class=\"hc\" title=\"not UTF-8\">\\xFF</span>&lt;b"
	                       "<span class=\"hc\" title=\"not UTF-8\">\\xC3</span>");
	free(t);
	char *a = escaped(html_attr, "a\xFF\"");
	assert_string_equal(a, "a\xEF\xBF\xBD&quot;");
	free(a);
}

/* The page of a model whose names are markup. */
static char *page_of(struct spn_model *m, size_t *nfindings)
{
	struct spn_findings fs;
	struct spn_check_opts o;
	struct spn_err err;
	struct spn_report_opts ro = { .format = SPN_FORMAT_HTML };
	char *buf = NULL;
	size_t len = 0;
	spn_findings_init(&fs);
	spn_check_opts_default(&o);
	o.threads = 1;
	spn_err_init(&err);
	assert_int_equal(spn_checks_run(m, &o, 0, &fs, &err), SPN_OK);
	FILE *f = open_memstream(&buf, &len);
	assert_non_null(f);
	assert_int_equal(spn_report_findings(f, &ro, m, &fs), SPN_OK);
	fclose(f);
	*nfindings = fs.n;
	spn_findings_release(&fs);
	return buf;
}

static size_t occurrences(const char *s, const char *what)
{
	size_t n = 0;
	for (const char *p = s; (p = strstr(p, what)); p++)
		n++;
	return n;
}

static void test_page(void **state)
{
	(void)state;
	struct spn_model *m = tb_new(0);
	tb_add(m, "CN=<script>alert(1)</script>,OU=Servers,DC=corp,DC=example",
	       "objectClass=computer", "sAMAccountName=WEB01$", "userAccountControl=4096",
	       "msDS-SupportedEncryptionTypes=24", "servicePrincipalName=HTTP/web.corp.example", NULL);
	tb_add(m, "CN=App,OU=Servers,DC=corp,DC=example", "objectClass=computer",
	       "sAMAccountName=\"><img src=x onerror=alert(2)>", "userAccountControl=4096",
	       "msDS-SupportedEncryptionTypes=24", "servicePrincipalName=HTTP/web.corp.example", NULL);
	tb_finish(m);
	size_t n;
	char *page = page_of(m, &n);
	assert_true(n >= 1);
	/* One script (the page's own), no tag from the directory. */
	assert_int_equal(occurrences(page, "<script"), 1);
	assert_null(strstr(page, "<img"));
	assert_non_null(strstr(page, "CN=&lt;script&gt;alert(1)&lt;/script&gt;,OU=Servers"));
	assert_non_null(strstr(page, "&quot;&gt;&lt;img src=x onerror=alert(2)&gt;"));
	/* Counts the tests read, and the plan's LDIF for the duplicate. */
	assert_non_null(strstr(page, "data-count=\"check:duplicate-spn\">1<"));
	assert_non_null(strstr(page, "changetype: modify\ndelete: servicePrincipalName\n"));
	assert_non_null(strstr(page, "Content-Security-Policy"));
	assert_non_null(strstr(page, "</html>\n"));
	free(page);
	spn_model_free(m);
}

/* A holder named like an option: pasted, the spnctl line must not read it
 * as one (it would send the bind to another server), and setspn gets no
 * line for it. */
static void test_page_option_name(void **state)
{
	(void)state;
	struct spn_model *m = tb_new(0);
	tb_add(m, "CN=a,OU=x,DC=corp,DC=example", "objectClass=user",
	       "sAMAccountName=--uri=ldap://evil.example", "userAccountControl=512",
	       "servicePrincipalName=HTTP/web.corp.example", NULL);
	tb_add(m, "CN=b,OU=x,DC=corp,DC=example", "objectClass=user", "sAMAccountName=svc_web",
	       "userAccountControl=512", "servicePrincipalName=HTTP/web.corp.example", NULL);
	tb_finish(m);
	size_t n;
	char *page = page_of(m, &n);
	assert_true(n >= 1);
	assert_non_null(strstr(page, "spnctl rm -- HTTP/web.corp.example --uri=ldap://evil.example\n"));
	assert_null(strstr(page, "spnctl rm HTTP/"));
	assert_null(strstr(page, "spnctl list --uri"));
	assert_null(strstr(page, "&quot;--uri"));
	free(page);
	spn_model_free(m);
}

static void test_page_empty(void **state)
{
	(void)state;
	struct spn_model *m = tb_new(0);
	tb_add(m, "CN=APP01,OU=Servers,DC=corp,DC=example", "objectClass=computer",
	       "sAMAccountName=APP01$", "userAccountControl=4096", "msDS-SupportedEncryptionTypes=24",
	       "servicePrincipalName=HOST/app01.corp.example", NULL);
	tb_finish(m);
	size_t n;
	char *page = page_of(m, &n);
	assert_int_equal(n, 0);
	assert_non_null(strstr(page, "<p class=\"clean\">No findings.</p>"));
	assert_non_null(strstr(page, "data-count=\"total\">0<"));
	assert_null(strstr(page, "<form"));
	free(page);
	spn_model_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_markup_escaped),
		cmocka_unit_test(test_invisible_and_controls),
		cmocka_unit_test(test_not_utf8),
		cmocka_unit_test(test_page),
		cmocka_unit_test(test_page_empty),
		cmocka_unit_test(test_page_option_name),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
