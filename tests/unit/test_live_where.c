/* test_live_where.c - where a live command goes with no -H, -d or -T
 * (lib/ldap/where.c): ldap.conf's syntax for URI and HOST; LDAPNOINIT
 * means no defaults; with no configured server, this host's DNS domain
 * ($LOCALDOMAIN here); $LDAPURI named as the reason. libldap reads its
 * defaults once per process, so the cases run in this order. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "spn/live.h"
#include "ldap/where.h"

static void test_ldapconf_syntax(void **state)
{
	(void)state;
	char v[128];
	const char *key = NULL;
	assert_false(spn_ldapconf_server("", v, sizeof(v), &key));
	assert_false(spn_ldapconf_server("# URI ldap://x\nBASE dc=x\nTLS_CACERT /etc/ca\n", v, sizeof(v), &key));
	assert_false(spn_ldapconf_server("URIS ldap://x\nURI\n", v, sizeof(v), &key));
	assert_true(spn_ldapconf_server("BASE dc=corp\n  uri\tldap://dc1 ldap://dc2  \n", v, sizeof(v), &key));
	assert_string_equal(v, "ldap://dc1 ldap://dc2");
	assert_true(spn_ldapconf_server("URI ldap://a\nHOST dc9.corp.example\n", v, sizeof(v), &key));
	assert_string_equal(v, "dc9.corp.example");   /* the last one, as libldap reads it */
	assert_string_equal(key, "HOST");   /* named as what it is: "HOST in ..." */
	assert_true(spn_ldapconf_server("URI ldaps://dc1.corp.example:636", v, sizeof(v), &key));
	assert_string_equal(v, "ldaps://dc1.corp.example:636");
	assert_string_equal(key, "URI");
}

static void test_noinit(void **state)
{
	(void)state;
	struct spn_live_where w;
	struct spn_err err;
	spn_err_init(&err);
	setenv("LDAPNOINIT", "1", 1);
	assert_int_equal(spn_live_where(&w, &err), SPN_USAGE);
	assert_non_null(strstr(err.msg, "LDAPNOINIT is set"));
	unsetenv("LDAPNOINIT");
}

static void test_dns_domain(void **state)
{
	(void)state;
	struct spn_live_where w;
	struct spn_err err;
	spn_err_init(&err);
	setenv("LDAPCONF", "/nonexistent/ldap.conf", 1);
	setenv("LDAPRC", "nonexistent-ldaprc", 1);
	setenv("HOME", "/nonexistent", 1);
	unsetenv("LDAPURI");
	unsetenv("LDAPHOST");
	setenv("LOCALDOMAIN", "corp.example.com", 1);
	assert_int_equal(spn_live_where(&w, &err), SPN_OK);
	assert_string_equal(w.uri, "");
	assert_string_equal(w.domain, "corp.example.com");
	assert_string_equal(w.why, "this host's DNS domain ($LOCALDOMAIN)");
}

static void test_ldapuri(void **state)
{
	(void)state;
	struct spn_live_where w;
	struct spn_err err;
	spn_err_init(&err);
	setenv("LDAPURI", "ldap://dc1.corp.example.com", 1);
	assert_int_equal(spn_live_where(&w, &err), SPN_OK);
	assert_string_equal(w.uri, "ldap://dc1.corp.example.com:389");  /* as libldap names it */
	assert_string_equal(w.domain, "");
	assert_string_equal(w.why, "$LDAPURI");
}

/* $LDAPRC adds a name: libldap still reads $HOME/ldaprc, so a URI there
 * is the configured server, not "no URI, this host's DNS domain". (libldap
 * keeps the URI it read first; the file named as the reason is the test.) */
static void test_ldaprc_default_too(void **state)
{
	(void)state;
	struct spn_live_where w;
	struct spn_err err;
	char home[] = "/tmp/spnctl-where-XXXXXX", path[64];
	assert_non_null(mkdtemp(home));
	snprintf(path, sizeof(path), "%s/ldaprc", home);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs("URI ldap://rc.corp.example.com\n", f);
	fclose(f);
	spn_err_init(&err);
	unsetenv("LDAPURI");
	setenv("HOME", home, 1);
	setenv("LDAPRC", "nonexistent-ldaprc", 1);
	setenv("LDAPCONF", "/nonexistent/ldap.conf", 1);
	enum spn_rc rc = spn_live_where(&w, &err);
	char why[1100];
	snprintf(why, sizeof(why), "URI in %s", path);
	unlink(path);
	rmdir(home);
	assert_int_equal(rc, SPN_OK);
	assert_string_equal(w.why, why);
	assert_string_equal(w.domain, "");
}

/* -H, -d, or -T with DNS names only name the directory; a NetBIOS -T
 * name needs one to be looked up in. */
static void test_names_directory(void **state)
{
	(void)state;
	struct spn_live_opts o;
	const char *uri[] = {"ldap://dc1"}, *dns[] = {"corp.example", "emea.corp.example"},
	           *mixed[] = {"corp.example", "EMEA"};
	spn_live_opts_init(&o);
	assert_false(spn_live_names_directory(&o));
	o.targets = dns;
	o.ntargets = 2;
	assert_true(spn_live_names_directory(&o));
	o.targets = mixed;
	assert_false(spn_live_names_directory(&o));
	o.uris = uri;
	o.nuris = 1;
	assert_true(spn_live_names_directory(&o));
	o.uris = NULL;
	o.nuris = 0;
	o.domain = "corp.example";
	assert_true(spn_live_names_directory(&o));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ldapconf_syntax),
		cmocka_unit_test(test_names_directory),
		cmocka_unit_test(test_noinit),
		cmocka_unit_test(test_dns_domain),
		cmocka_unit_test(test_ldapuri),
		cmocka_unit_test(test_ldaprc_default_too),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
