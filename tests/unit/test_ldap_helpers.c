/* test_ldap_helpers.c - the pure parts of the live reader: RFC 4515 filter
 * escaping and the filters built from user input, LDAP URIs and the Global
 * Catalog ports, DN <-> domain, ranged attribute options, SRV answers and
 * their order, and AD diagnostics in words. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "ldap/ldap_int.h"

static char *esc(const char *s, size_t n, bool wild)
{
	static char out[512];
	struct spn_buf b;
	spn_buf_init(&b, SPN_LDAP_STR_MAX);
	spn_filter_escape(&b, s, n, wild);
	snprintf(out, sizeof(out), "%s", spn_buf_str(&b));
	spn_buf_release(&b);
	return out;
}

static void test_escape(void **state)
{
	(void)state;
	assert_string_equal(esc("HTTP/web01", 10, false), "HTTP/web01");
	assert_string_equal(esc("a*b", 3, false), "a\\2ab");
	assert_string_equal(esc("a*b", 3, true), "a*b");
	assert_string_equal(esc("(x)\\", 4, true), "\\28x\\29\\5c");
	assert_string_equal(esc("a\0b", 3, false), "a\\00b");
	assert_string_equal(esc("tab\there", 8, false), "tab\\09here");
	assert_string_equal(esc("\x7f", 1, false), "\\7f");
	/* UTF-8 passes as it is: a filter value is UTF-8. */
	assert_string_equal(esc("caf\xc3\xa9", 5, false), "caf\xc3\xa9");
	/* An injection attempt stays one value. */
	assert_string_equal(esc("x)(objectClass=*", 16, false), "x\\29\\28objectClass=\\2a");
	assert_string_equal(esc("", 0, false), "");
}

static char *targets(const char *const *acc, size_t na, const char *const *pat, size_t np)
{
	static char out[2048];
	struct spn_buf b;
	spn_buf_init(&b, SPN_LDAP_STR_MAX);
	spn_filter_targets(&b, acc, na, pat, np);
	snprintf(out, sizeof(out), "%s", spn_buf_str(&b));
	spn_buf_release(&b);
	return out;
}

static void test_target_filters(void **state)
{
	(void)state;
	const char *a1[] = {"EXCH01"};
	assert_string_equal(targets(a1, 1, NULL, 0),
	                    "(|(sAMAccountName=EXCH01)(sAMAccountName=EXCH01$)(objectClass=group))");
	const char *a2[] = {"CONTOSO\\web$", "svc@contoso.test", "CN=a\\,b,DC=x", "ev*l"};
	assert_string_equal(targets(a2, 4, NULL, 0),
	                    "(|(sAMAccountName=web)(sAMAccountName=web$)"
	                    "(userPrincipalName=svc@contoso.test)"
	                    "(distinguishedName=CN=a\\5c,b,DC=x)"
	                    "(sAMAccountName=ev\\2al)(sAMAccountName=ev\\2al$)(objectClass=group))");
	/* Patterns keep '*'; a concrete SPN also fetches its HOST-alias forms. */
	const char *p1[] = {"HTTP/web*"};
	assert_string_equal(targets(NULL, 0, p1, 1),
	                    "(|(servicePrincipalName=HTTP/web*)(userPrincipalName=HTTP/web*)"
	                    "(objectClass=group))");
	const char *p2[] = {"cifs/web01"};
	assert_string_equal(targets(NULL, 0, p2, 1),
	                    "(|(servicePrincipalName=cifs/web01)(userPrincipalName=cifs/web01)"
	                    "(servicePrincipalName=HOST/web01)(objectClass=group))");
	/* The alias key keeps component 1 (host:port) and drops a service
	 * component, as the resolver looks it up (spn_alias_key()). */
	const char *p4[] = {"cifs/web01:445/svc"};
	assert_string_equal(targets(NULL, 0, p4, 1),
	                    "(|(servicePrincipalName=cifs/web01:445/svc)"
	                    "(userPrincipalName=cifs/web01:445/svc)"
	                    "(servicePrincipalName=HOST/web01:445)(objectClass=group))");
	const char *p3[] = {"host/web01(x)"};
	assert_string_equal(targets(NULL, 0, p3, 1),
	                    "(|(servicePrincipalName=host/web01\\28x\\29)"
	                    "(userPrincipalName=host/web01\\28x\\29)"
	                    "(servicePrincipalName=*/web01\\28x\\29)(objectClass=group))");
	/* The holder pass escapes '*' in stored values: they are not patterns. */
	struct spn_buf b;
	spn_buf_init(&b, SPN_LDAP_STR_MAX);
	spn_filter_spn_terms(&b, "HTTP/a*b", 8, false);
	assert_string_equal(spn_buf_str(&b), "(servicePrincipalName=HTTP/a\\2ab)"
	                    "(userPrincipalName=HTTP/a\\2ab)(servicePrincipalName=HOST/a\\2ab)");
	spn_buf_release(&b);
	assert_non_null(strstr(spn_filter_audit(), "(servicePrincipalName=*)"));
}

static void uri(const char *in, const char *scheme, const char *host, unsigned port)
{
	struct spn_uri u;
	struct spn_err err;
	spn_err_init(&err);
	assert_int_equal(spn_uri_parse(in, &u, &err), SPN_OK);
	assert_string_equal(u.scheme, scheme);
	assert_string_equal(u.host, host);
	assert_int_equal(u.port, port);
}

static void test_uri(void **state)
{
	(void)state;
	uri("ldap://dc1.contoso.test", "ldap", "dc1.contoso.test", 389);
	uri("LDAPS://DC1", "ldaps", "DC1", 636);
	uri("ldap://dc1:3268/", "ldap", "dc1", 3268);
	uri("ldap://[::1]:1389", "ldap", "::1", 1389);

	struct spn_uri u;
	struct spn_err err;
	spn_err_init(&err);
	assert_int_equal(spn_uri_parse("http://dc1", &u, &err), SPN_USAGE);
	assert_non_null(strstr(err.msg, "'http://dc1' is not an LDAP URI"));
	spn_err_init(&err);
	assert_int_equal(spn_uri_parse("dc1.contoso.test", &u, &err), SPN_USAGE);

	char buf[300];
	spn_err_init(&err);
	assert_int_equal(spn_uri_parse("ldap://dc1", &u, &err), SPN_OK);
	spn_uri_format(&u, buf, sizeof(buf));
	assert_string_equal(buf, "ldap://dc1");
	assert_false(spn_uri_is_tls(&u));
	spn_uri_to_gc(&u);
	spn_uri_format(&u, buf, sizeof(buf));
	assert_string_equal(buf, "ldap://dc1:3268");
	spn_uri_to_dc(&u);
	spn_uri_format(&u, buf, sizeof(buf));
	assert_string_equal(buf, "ldap://dc1");

	assert_int_equal(spn_uri_parse("ldaps://[::1]", &u, &err), SPN_OK);
	assert_true(spn_uri_is_tls(&u));
	spn_uri_to_gc(&u);
	spn_uri_format(&u, buf, sizeof(buf));
	assert_string_equal(buf, "ldaps://[::1]:3269");
	/* A custom port is the user's choice: --forest keeps it. */
	assert_int_equal(spn_uri_parse("ldap://dc1:1389", &u, &err), SPN_OK);
	spn_uri_to_gc(&u);
	assert_int_equal(u.port, 1389);
}

/* ldap.conf's URI list: spaces or commas between, every URI kept in order. */
static void test_uri_split(void **state)
{
	(void)state;
	char **v;
	size_t n;
	assert_true(spn_uri_split(" ldap://dc1.corp.example ldaps://dc2:636,ldap://[::1]:389 ,, ", &v, &n));
	assert_int_equal(n, 3);
	assert_string_equal(v[0], "ldap://dc1.corp.example");
	assert_string_equal(v[1], "ldaps://dc2:636");
	assert_string_equal(v[2], "ldap://[::1]:389");
	spn_strv_free(v, n);
	assert_true(spn_uri_split("ldap://one", &v, &n));
	assert_int_equal(n, 1);
	assert_string_equal(v[0], "ldap://one");
	spn_strv_free(v, n);
	assert_true(spn_uri_split(" , ", &v, &n));
	assert_int_equal(n, 0);
	assert_null(v);
}

static void test_domains(void **state)
{
	(void)state;
	char *dn = spn_domain_to_dn("corp.example.com");
	assert_string_equal(dn, "DC=corp,DC=example,DC=com");
	free(dn);
	dn = spn_domain_to_dn("contoso.test.");
	assert_string_equal(dn, "DC=contoso,DC=test");
	free(dn);
	assert_null(spn_domain_to_dn(""));
	assert_null(spn_domain_to_dn("a..b"));
	assert_null(spn_domain_to_dn("a,DC=evil"));

	char buf[64];
	const char *d = "CN=web\\,01,OU=Srv,DC=Corp,DC=Example";
	assert_true(spn_dn_domain_name(d, strlen(d), buf, sizeof(buf)));
	assert_string_equal(buf, "corp.example");
	assert_false(spn_dn_domain_name("CN=x,O=org", 10, buf, sizeof(buf)));
	assert_false(spn_dn_domain_name(d, strlen(d), buf, 5));

	assert_true(spn_ref_is_accountless("ldap://contoso.test/CN=Configuration,DC=contoso,DC=test"));
	assert_true(spn_ref_is_accountless("ldap://x/DC=DomainDnsZones,DC=contoso,DC=test"));
	assert_true(spn_ref_is_accountless("ldap://x/DC=ForestDnsZones,DC=contoso,DC=test??base"));
	assert_false(spn_ref_is_accountless("ldap://child.contoso.test/DC=child,DC=contoso,DC=test"));
	assert_false(spn_ref_is_accountless("not a url"));
}

static void test_range(void **state)
{
	(void)state;
	size_t nl;
	struct spn_range r;
	const char *a = "servicePrincipalName;range=0-1499";
	assert_int_equal(spn_range_parse(a, strlen(a), &nl, &r), 1);
	assert_int_equal(nl, 20);
	assert_int_equal(r.low, 0);
	assert_int_equal(r.high, 1499);
	assert_false(r.to_end);
	a = "member;Range=1500-*";
	assert_int_equal(spn_range_parse(a, strlen(a), &nl, &r), 1);
	assert_int_equal(nl, 6);
	assert_int_equal(r.low, 1500);
	assert_true(r.to_end);
	a = "objectSid;binary";
	assert_int_equal(spn_range_parse(a, strlen(a), &nl, &r), 0);
	assert_int_equal(nl, 9);
	a = "x;binary;range=100-199";
	assert_int_equal(spn_range_parse(a, strlen(a), &nl, &r), 1);
	assert_int_equal(nl, 1);
	assert_int_equal(r.high, 199);
	assert_int_equal(spn_range_parse("sAMAccountName", 14, &nl, &r), 0);
	assert_int_equal(nl, 14);
	/* Malformed: the reader must not guess. */
	const char *bad[] = {"x;range=5-3", "x;range=a-b", "x;range=1", "x;range=-5", "x;range=1-2x",
	                     "x;range=0-1;range=2-3", "x;range=0-99999999999"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(spn_range_parse(bad[i], strlen(bad[i]), &nl, &r), -1);

	char buf[64];
	assert_true(spn_range_request(buf, sizeof(buf), "servicePrincipalName", 1500, 0));
	assert_string_equal(buf, "servicePrincipalName;range=1500-*");
	assert_true(spn_range_request(buf, sizeof(buf), "memberOf", 0, 100));
	assert_string_equal(buf, "memberOf;range=0-99");
	assert_false(spn_range_request(buf, 10, "servicePrincipalName", 0, 0));
	assert_true(spn_range_attr(SPN_A_SERVICEPRINCIPALNAME));
	assert_false(spn_range_attr(SPN_A_OBJECTSID));
}

/* A DNS answer for name with SRV records (prio, weight, port, target). */
struct rec {
	unsigned prio, weight, port;
	const char *target;
};

static size_t put_name(unsigned char *p, const char *name)
{
	size_t k = 0;
	while (*name) {
		const char *dot = strchr(name, '.');
		size_t n = dot ? (size_t)(dot - name) : strlen(name);
		p[k++] = (unsigned char)n;
		memcpy(p + k, name, n);
		k += n;
		name += n + (dot ? 1 : 0);
	}
	p[k++] = 0;
	return k;
}

static size_t answer(unsigned char *p, const char *qname, const struct rec *r, size_t n)
{
	size_t k = 0;
	unsigned char hdr[12] = {0x12, 0x34, 0x81, 0x80, 0, 1, 0, (unsigned char)n, 0, 0, 0, 0};
	memcpy(p, hdr, 12);
	k = 12;
	k += put_name(p + k, qname);
	p[k++] = 0; p[k++] = 33; p[k++] = 0; p[k++] = 1;
	for (size_t i = 0; i < n; i++) {
		p[k++] = 0xc0; p[k++] = 12;                 /* the question's name */
		p[k++] = 0; p[k++] = 33; p[k++] = 0; p[k++] = 1;
		p[k++] = 0; p[k++] = 0; p[k++] = 2; p[k++] = 88;  /* TTL */
		size_t rdlen_at = k;
		k += 2;
		p[k++] = (unsigned char)(r[i].prio >> 8); p[k++] = (unsigned char)r[i].prio;
		p[k++] = (unsigned char)(r[i].weight >> 8); p[k++] = (unsigned char)r[i].weight;
		p[k++] = (unsigned char)(r[i].port >> 8); p[k++] = (unsigned char)r[i].port;
		k += put_name(p + k, r[i].target);
		size_t rdlen = k - rdlen_at - 2;
		p[rdlen_at] = (unsigned char)(rdlen >> 8);
		p[rdlen_at + 1] = (unsigned char)rdlen;
	}
	return k;
}

static void test_srv(void **state)
{
	(void)state;
	const struct rec recs[] = {
		{10, 50, 389, "dc3.contoso.test"},
		{0, 10, 389, "dc2.contoso.test"},
		{0, 100, 389, "dc1.contoso.test"},
		{10, 50, 3268, "dc4.contoso.test"},
		{0, 10, 1389, "dc5.contoso.test"},
	};
	unsigned char buf[1024];
	size_t len = answer(buf, "_ldap._tcp.dc._msdcs.contoso.test", recs, 5);
	struct spn_srv *v;
	size_t n;
	struct spn_err err;
	spn_err_init(&err);
	assert_int_equal(spn_srv_parse(buf, len, &v, &n, &err), SPN_OK);
	assert_int_equal(n, 5);
	assert_string_equal(v[0].target, "dc3.contoso.test");
	assert_int_equal(v[3].port, 3268);
	spn_srv_sort(v, n);
	/* priority first, heavier weight first, answer order on ties */
	assert_string_equal(v[0].target, "dc1.contoso.test");
	assert_string_equal(v[1].target, "dc2.contoso.test");
	assert_string_equal(v[2].target, "dc5.contoso.test");
	assert_int_equal(v[2].port, 1389);
	assert_string_equal(v[3].target, "dc3.contoso.test");
	assert_string_equal(v[4].target, "dc4.contoso.test");
	free(v);

	/* "." is "no service here"; a truncated answer is an error. */
	const struct rec none[] = {{0, 0, 0, ""}};
	len = answer(buf, "_gc._tcp.contoso.test", none, 1);
	assert_int_equal(spn_srv_parse(buf, len, &v, &n, &err), SPN_OK);
	assert_int_equal(n, 0);
	free(v);
	len = answer(buf, "_gc._tcp.contoso.test", recs, 2);
	assert_int_not_equal(spn_srv_parse(buf, len - 5, &v, &n, &err), SPN_OK);

	/* A target that is no host name never reaches a URI (issue 11). */
	const struct rec odd[] = {
		{0, 0, 389, "evil.test/DC=x??sub"}, {0, 0, 389, "a@b.test"},
		{0, 0, 389, "dc1.contoso.test"}, {0, 0, 389, "x:1.test"},
	};
	len = answer(buf, "_ldap._tcp.dc._msdcs.contoso.test", odd, 4);
	assert_int_equal(spn_srv_parse(buf, len, &v, &n, &err), SPN_OK);
	assert_int_equal(n, 1);
	assert_string_equal(v[0].target, "dc1.contoso.test");
	free(v);
	assert_true(spn_host_name_ok("dc1.contoso.test"));
	assert_true(spn_host_name_ok("127.0.0.1"));
	assert_true(spn_host_name_ok("_msdcs.x-y.test"));
	assert_false(spn_host_name_ok(""));
	assert_false(spn_host_name_ok("a..b"));
	assert_false(spn_host_name_ok(".a"));
	assert_false(spn_host_name_ok("a b"));
	assert_false(spn_host_name_ok("a\\.b"));
	assert_false(spn_host_name_ok("[::1]"));
}

static void test_diagnostics(void **state)
{
	(void)state;
	assert_string_equal(spn_ad_diag_explain("80090308: LdapErr: DSID-0C09041C, comment: "
	                                        "AcceptSecurityContext error, data 52e, v4563"),
	                    "wrong user name or password");
	assert_string_equal(spn_ad_diag_explain("80090308: LdapErr: DSID-0C09041C, comment: "
	                                        "AcceptSecurityContext error, data 775, v4563"),
	                    "the account is locked out");
	assert_non_null(strstr(spn_ad_diag_explain("00002028: LdapErr: DSID-0C090259, comment: The "
	                                           "server requires binds to turn on integrity "
	                                           "checking"), "signing or sealing"));
	assert_non_null(strstr(spn_ad_diag_explain("00002020: Operation unavailable without "
	                                           "authentication"), "anonymous"));
	assert_null(spn_ad_diag_explain("something else"));
	assert_null(spn_ad_diag_explain(NULL));

	/* One message: what we did, where, why. */
	struct spn_err err;
	spn_err_init(&err);
	assert_int_equal(spn_ldap_fail_diag(&err, SPN_DIRECTORY, "00002020: Operation unavailable "
	                                    "without authentication", LDAP_OPERATIONS_ERROR,
	                                    "ldap://dc1", "searching for %s", "accounts"), SPN_AUTH);
	assert_non_null(strstr(err.msg, "searching for accounts on ldap://dc1: the server does not "
	                       "allow anonymous searches"));
	assert_int_equal(spn_ldap_rc(LDAP_INVALID_CREDENTIALS, true), SPN_AUTH);
	assert_int_equal(spn_ldap_rc(LDAP_SERVER_DOWN, true), SPN_DIRECTORY);

	/* The clear-text rule. */
	struct spn_live_opts o;
	spn_live_opts_init(&o);
	o.bind = SPN_BIND_SIMPLE;
	o.bind_dn = "Administrator@contoso.test";
	spn_err_init(&err);
	assert_int_equal(spn_conn_check_cleartext(&o, false, "ldap://dc1", &err), SPN_USAGE);
	assert_non_null(strstr(err.msg, "ldap://dc1: refusing to send the password"));
	assert_int_equal(spn_conn_check_cleartext(&o, true, "ldaps://dc1", &err), SPN_OK);
	o.allow_cleartext = true;
	assert_int_equal(spn_conn_check_cleartext(&o, false, "ldap://dc1", &err), SPN_OK);
	o.allow_cleartext = false;
	o.bind_dn = NULL;   /* anonymous: no password to protect */
	assert_int_equal(spn_conn_check_cleartext(&o, false, "ldap://dc1", &err), SPN_OK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escape),
		cmocka_unit_test(test_target_filters),
		cmocka_unit_test(test_uri),
		cmocka_unit_test(test_uri_split),
		cmocka_unit_test(test_domains),
		cmocka_unit_test(test_range),
		cmocka_unit_test(test_srv),
		cmocka_unit_test(test_diagnostics),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
