/* test_target.c - doctor's TARGET (spn/target.h): every scheme, ports,
 * instances, user@, paths, bare SPNs; what is refused and how it is said;
 * and the SPNs derived from the name as typed, DNS's canonical name (a
 * CNAME or hosts alias) and the domain - short and fully qualified names,
 * primary first, each once. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "spn/target.h"

static struct spn_target parse_ok(const char *text)
{
	struct spn_target t;
	struct spn_err err;
	spn_err_init(&err);
	if (spn_target_parse(text, &t, &err) != SPN_OK)
		fail_msg("'%s': %s", text, err.msg);
	return t;
}

static void parse_bad(const char *text, const char *words)
{
	struct spn_target t;
	struct spn_err err;
	spn_err_init(&err);
	assert_int_equal(spn_target_parse(text, &t, &err), SPN_USAGE);
	if (!strstr(err.msg, words))
		fail_msg("'%s': '%s' does not say '%s'", text, err.msg, words);
}

static void test_parse_urls(void **state)
{
	(void)state;
	struct spn_target t = parse_ok("http://Intranet.Corp.Example/app/page?x=1");
	assert_int_equal(t.scheme, SPN_SCHEME_HTTP);
	assert_string_equal(t.scheme_text, "http");
	assert_string_equal(t.host, "intranet.corp.example");
	assert_int_equal(t.port, 0);
	t = parse_ok("HTTPS://user@web01.corp.example.:8443/");
	assert_string_equal(t.scheme_text, "https");
	assert_string_equal(t.host, "web01.corp.example");
	assert_int_equal(t.port, 8443);
	t = parse_ok("mssql://db01:1433");
	assert_int_equal(t.scheme, SPN_SCHEME_MSSQL);
	assert_string_equal(t.host, "db01");
	assert_int_equal(t.port, 1433);
	assert_string_equal(t.instance, "");
	t = parse_ok("mssql://db01.corp.example/SALES$2");
	assert_string_equal(t.instance, "SALES$2");
	assert_int_equal(t.port, 0);
	t = parse_ok("mssql://db01/");
	assert_string_equal(t.instance, "");
	t = parse_ok("smtp://exch01");
	assert_int_equal(t.scheme, SPN_SCHEME_SMTP);
	t = parse_ok("smb://fs01/share/dir");
	assert_int_equal(t.scheme, SPN_SCHEME_CIFS);
	assert_string_equal(t.host, "fs01");
	t = parse_ok("cifs://fs01");
	assert_int_equal(t.scheme, SPN_SCHEME_CIFS);
	t = parse_ok("ldaps://dc1.corp.example:636");
	assert_int_equal(t.scheme, SPN_SCHEME_LDAP);
	assert_int_equal(t.port, 636);
}

static void test_parse_spn(void **state)
{
	(void)state;
	struct spn_target t = parse_ok("MSSQLSvc/DB01.corp.example:1433");
	assert_int_equal(t.scheme, SPN_SCHEME_SPN);
	assert_string_equal(t.spn, "MSSQLSvc/DB01.corp.example:1433");
	assert_string_equal(t.host, "db01.corp.example");
	assert_int_equal(t.port, 1433);
	t = parse_ok("ldap/dc1.corp.example/corp.example");
	assert_string_equal(t.host, "dc1.corp.example");
	t = parse_ok("MSSQLSvc/db01:SALES");
	assert_int_equal(t.port, 0);
	/* A host that is no host name: kept as an SPN, no host for DNS. */
	t = parse_ok("ldap/10.0.0.1");
	assert_string_equal(t.host, "");
}

static void test_parse_refused(void **state)
{
	(void)state;
	parse_bad("gopher://x", "unknown scheme 'gopher' (known: http, https, mssql");
	parse_bad("http://10.1.2.3/", "an IP address");
	parse_bad("http://[::1]:80/", "an IP address");
	parse_bad("http://", "no host name");
	parse_bad("http://web:0", "'0' is not a port");
	parse_bad("http://web:65536", "'65536' is not a port");
	parse_bad("http://web:", "'' is not a port");
	parse_bad("http://web:8x", "'8x' is not a port");
	parse_bad("http://we b/", "' ' cannot stand in a host name");
	parse_bad("http://a..b/", "an empty label");
	parse_bad("mssql://db01:1433/SALES", "the port or the instance, not both");
	parse_bad("mssql://db01/SALES/x", "names one instance");
	parse_bad("web01", "neither a URL (http://web01, mssql://web01:1433, ...) nor an SPN");
	parse_bad("HTTP/web@CORP.EXAMPLE", "contains '@'");
	parse_bad("HTTP/", "is not an SPN");
	parse_bad("a/b/c/d", "is not an SPN");
}

/* ---- Derivation ---- */

static struct spn_derivation derive(const char *text, const char *canonical, const char *domain)
{
	struct spn_target t = parse_ok(text);
	struct spn_derivation d;
	struct spn_err err;
	spn_err_init(&err);
	if (spn_target_derive(&t, canonical, domain, &d, &err) != SPN_OK)
		fail_msg("derive '%s': %s", text, err.msg);
	return d;
}

/* The derived SPNs joined with ' ' (primary ones marked '*'). */
static const char *list(const struct spn_derivation *d)
{
	static char buf[2048];
	size_t k = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < d->n; i++)
		k += (size_t)snprintf(buf + k, sizeof(buf) - k, "%s%s%s", i ? " " : "",
		                      d->v[i].primary ? "*" : "", d->v[i].spn);
	return buf;
}

static void test_http(void **state)
{
	(void)state;
	/* Through an alias: the canonical name first. */
	struct spn_derivation d = derive("http://intranet.contoso.test", "web01.contoso.test.", NULL);
	assert_string_equal(list(&d), "*HTTP/web01.contoso.test HTTP/intranet.contoso.test");
	assert_true(d.alias);
	assert_string_equal(d.fqdn, "web01.contoso.test");
	assert_int_equal(d.v[0].asker, SPN_ASKER_CANONICAL);
	assert_int_equal(d.v[1].asker, SPN_ASKER_AS_TYPED);
	assert_null(d.note);
	/* A short name DNS qualifies: FQDN first, the short name too. */
	d = derive("http://web01", "WEB01.contoso.test", "other.test");
	assert_string_equal(list(&d), "*HTTP/web01.contoso.test HTTP/web01");
	assert_false(d.alias);
	/* No DNS answer: the domain qualifies it. */
	d = derive("http://web01:8080", NULL, "contoso.test");
	assert_string_equal(list(&d), "*HTTP/web01.contoso.test HTTP/web01");
	assert_non_null(d.note);
	assert_non_null(strstr(d.note, "EnableAuthNegotiatePort"));
	/* Nothing to qualify with. */
	d = derive("http://web01", NULL, NULL);
	assert_string_equal(list(&d), "*HTTP/web01");
	/* A fully qualified name that is its own canonical name. */
	d = derive("https://web01.contoso.test:443/", "web01.contoso.test", "contoso.test");
	assert_string_equal(list(&d), "*HTTP/web01.contoso.test");
	assert_int_equal(d.v[0].asker, SPN_ASKER_ALL);
	assert_null(d.note);
}

static void test_mssql(void **state)
{
	(void)state;
	struct spn_derivation d = derive("mssql://db01:1500", "db01.contoso.test", NULL);
	assert_string_equal(list(&d), "*MSSQLSvc/db01.contoso.test:1500");
	d = derive("mssql://db01", NULL, "contoso.test");
	assert_string_equal(list(&d), "*MSSQLSvc/db01.contoso.test:1433 MSSQLSvc/db01.contoso.test");
	d = derive("mssql://db01/SALES", "db01.contoso.test", NULL);
	assert_string_equal(list(&d), "*MSSQLSvc/db01.contoso.test:SALES");
	assert_non_null(strstr(d.note, "SQL Browser"));
	d = derive("mssql://sqlalias.contoso.test:1433", "db01.contoso.test", NULL);
	assert_string_equal(list(&d), "*MSSQLSvc/db01.contoso.test:1433 "
	                              "MSSQLSvc/sqlalias.contoso.test:1433");
}

static void test_smtp_cifs_ldap_spn(void **state)
{
	(void)state;
	struct spn_derivation d = derive("smtp://exch01", "exch01.contoso.test", NULL);
	assert_string_equal(list(&d), "*SMTPSVC/exch01.contoso.test SMTP/exch01.contoso.test "
	                              "SMTPSVC/exch01");
	d = derive("cifs://fs01", "fs01.contoso.test", NULL);
	assert_string_equal(list(&d), "*cifs/fs01 cifs/fs01.contoso.test");
	assert_int_equal(d.v[0].asker, SPN_ASKER_SMB);
	d = derive("cifs://files.contoso.test", "fs01.contoso.test", NULL);
	assert_string_equal(list(&d), "*cifs/files.contoso.test cifs/fs01.contoso.test");
	d = derive("ldap://dc1", "dc1.contoso.test", NULL);
	assert_string_equal(list(&d), "*ldap/dc1.contoso.test ldap/dc1");
	d = derive("ldap://dc1.contoso.test", NULL, NULL);
	assert_string_equal(list(&d), "*ldap/dc1.contoso.test");
	d = derive("MSSQLSvc/DB01.contoso.test:1433", "other.contoso.test", NULL);
	assert_string_equal(list(&d), "*MSSQLSvc/DB01.contoso.test:1433");
}

static void test_askers_have_words(void **state)
{
	(void)state;
	for (int a = SPN_ASKER_ALL; a <= SPN_ASKER_SMB; a++)
		assert_string_not_equal(spn_asker_text((enum spn_asker)a), "?");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_urls),
		cmocka_unit_test(test_parse_spn),
		cmocka_unit_test(test_parse_refused),
		cmocka_unit_test(test_http),
		cmocka_unit_test(test_mssql),
		cmocka_unit_test(test_smtp_cifs_ldap_spn),
		cmocka_unit_test(test_askers_have_words),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
