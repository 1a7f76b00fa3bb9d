/* test_spn.c - SPN syntax, case folding, skeletons, the alias table and the
 * alias key. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "spn/spn.h"
#include "base/hash.h"

static enum spn_syntax parse(const char *s, struct spn_parts *p)
{
	return spn_parse(s, strlen(s), p);
}

static void test_parse_two_and_three_parts(void **state)
{
	struct spn_parts p;
	(void)state;
	assert_int_equal(parse("HTTP/web.corp.example", &p), SPN_SYNTAX_OK);
	assert_int_equal(p.ncomp, 2);
	assert_int_equal(p.cls.n, 4);
	assert_memory_equal(p.host.p, "web.corp.example", 16);
	assert_int_equal(p.port.n, 0);

	assert_int_equal(parse("MSSQLSvc/sql1.corp.example:1433", &p), SPN_SYNTAX_OK);
	assert_int_equal(p.host.n, strlen("sql1.corp.example"));
	assert_memory_equal(p.port.p, "1433", 4);
	assert_true(p.port_numeric);

	assert_int_equal(parse("MSSQLSvc/sql1.corp.example:SALES", &p), SPN_SYNTAX_OK);
	assert_false(p.port_numeric);

	assert_int_equal(parse("ldap/dc1.corp.example/corp.example", &p), SPN_SYNTAX_OK);
	assert_int_equal(p.ncomp, 3);
	assert_memory_equal(p.service.p, "corp.example", 12);
}

static void test_parse_rejects(void **state)
{
	struct spn_parts p;
	(void)state;
	assert_int_equal(parse("", &p), SPN_SYNTAX_EMPTY);
	assert_int_equal(parse("HOST", &p), SPN_SYNTAX_ONE_PART);
	assert_int_equal(parse("a/b/c/d", &p), SPN_SYNTAX_TOO_MANY_PARTS);
	assert_int_equal(parse("a\\/b/c/d", &p), SPN_SYNTAX_TOO_MANY_PARTS);
	assert_int_equal(parse("HTTP/", &p), SPN_SYNTAX_EMPTY_PART);
	assert_int_equal(parse("/web", &p), SPN_SYNTAX_EMPTY_PART);
	assert_int_equal(parse("a//b", &p), SPN_SYNTAX_EMPTY_PART);
	assert_int_equal(parse("MSSQLSvc/h:", &p), SPN_SYNTAX_EMPTY_PORT);
	assert_int_equal(parse("HTTP/web corp", &p), SPN_SYNTAX_SPACE);
	assert_int_equal(parse("HTTP/web\x01", &p), SPN_SYNTAX_SPACE);
	assert_int_equal(parse("HTTP/web\xff", &p), SPN_SYNTAX_BAD_UTF8);
	assert_int_equal(parse("HT:TP/web", &p), SPN_SYNTAX_BAD_CLASS);
	assert_int_equal(parse("HTTP/web@CORP.EXAMPLE", &p), SPN_SYNTAX_AT_SIGN);
}

static size_t fold(const char *s, char *out)
{
	return spn_fold(s, strlen(s), out, 256);
}

static void test_fold_case_insensitive(void **state)
{
	char a[256], b[256];
	(void)state;
	size_t na = fold("SMTPSVC/EXCH01", a), nb = fold("smtpsvc/exch01", b);
	assert_int_equal(na, nb);
	assert_memory_equal(a, b, na);
	assert_memory_equal(a, "smtpsvc/exch01", na);
	/* Non-ASCII: German sharp s and capital umlaut fold like AD compares. */
	na = fold("HTTP/M\xc3\x9c" "LLER", a);   /* MÜLLER */
	nb = fold("http/m\xc3\xbc" "ller", b);   /* müller */
	assert_int_equal(na, nb);
	assert_memory_equal(a, b, na);
}

static void test_skeleton_drops_invisible(void **state)
{
	char a[256], b[256];
	(void)state;
	const char *zwnj = "HTTP/web\xe2\x80\x8c" "01.corp.example";   /* U+200C */
	const char *shy = "HTTP/web\xc2\xad" "01.corp.example";       /* U+00AD */
	const char *rlm = "HTTP/web01.corp.example\xe2\x80\x8f";       /* U+200F */
	const char *plain = "http/WEB01.corp.example";
	size_t np = spn_skeleton(plain, strlen(plain), b, sizeof(b));
	assert_memory_equal(b, "http/web01.corp.example", np);
	size_t n = spn_skeleton(zwnj, strlen(zwnj), a, sizeof(a));
	assert_int_equal(n, np);
	assert_memory_equal(a, b, n);
	n = spn_skeleton(shy, strlen(shy), a, sizeof(a));
	assert_int_equal(n, np);
	assert_memory_equal(a, b, n);
	n = spn_skeleton(rlm, strlen(rlm), a, sizeof(a));
	assert_int_equal(n, np);
	assert_memory_equal(a, b, n);
	/* ...but the fold keeps them apart: they are different stored names. */
	size_t nf = spn_fold(zwnj, strlen(zwnj), a, sizeof(a));
	assert_true(nf != np || memcmp(a, b, np) != 0);
	/* A real letter is not invisible. */
	n = spn_skeleton("http/web02.corp.example", 23, a, sizeof(a));
	assert_true(memcmp(a, b, n) != 0);
}

static void test_alias_default_and_parse(void **state)
{
	(void)state;
	struct spn_alias_table *t = spn_alias_default();
	assert_non_null(t);
	assert_string_equal(spn_alias_target(t, "CIFS", 4), "host");
	assert_string_equal(spn_alias_target(t, "http", 4), "host");
	assert_string_equal(spn_alias_target(t, "msdtc", 5), "host");
	assert_null(spn_alias_target(t, "ldap", 4));
	assert_null(spn_alias_target(t, "MSSQLSvc", 8));
	assert_null(spn_alias_target(t, "cif", 3));
	assert_null(spn_alias_target(t, "cifsx", 5));
	assert_int_equal(spn_alias_count(t), 53);
	spn_alias_free(t);

	struct spn_slice v[2] = {{"host=cifs,Foo", 13}, {"other=foo,bar", 13}};
	size_t bad = 9;
	t = spn_alias_parse(v, 2, &bad);
	assert_non_null(t);
	assert_int_equal(bad, 0);
	assert_string_equal(spn_alias_target(t, "foo", 3), "host");  /* first wins */
	assert_string_equal(spn_alias_target(t, "BAR", 3), "other");
	assert_null(spn_alias_target(t, "http", 4));
	spn_alias_free(t);

	struct spn_slice broken = {"no equals sign", 14};
	t = spn_alias_parse(&broken, 1, &bad);
	assert_non_null(t);
	assert_int_equal(bad, 1);
	assert_int_equal(spn_alias_count(t), 0);
	spn_alias_free(t);
}

/* k is the alias key target "/" host of s under t; NULL: s has none. */
static void alias_key_is(const struct spn_alias_table *t, const char *s, const char *key)
{
	struct spn_alias_key k;
	char got[128];
	bool has = spn_alias_key(t, s, strlen(s), &k);
	if (!key) {
		if (has)
			fail_msg("%s: alias key %s/%.*s, want none", s, k.target, (int)k.host.n, k.host.p);
		return;
	}
	if (!has)
		fail_msg("%s: no alias key, want %s", s, key);
	snprintf(got, sizeof(got), "%s/%.*s", k.target, (int)k.host.n, k.host.p);
	assert_string_equal(got, key);
	/* The class as written, just before the host. */
	assert_ptr_equal(k.cls.p, s);
	assert_ptr_equal(k.cls.p + k.cls.n + 1, k.host.p);
}

static void test_alias_key(void **state)
{
	(void)state;
	struct spn_alias_table *t = spn_alias_default();
	alias_key_is(t, "cifs/web01", "host/web01");
	alias_key_is(t, "CIFS/Web01.corp.example", "host/Web01.corp.example");
	/* Component 1 with its port kept, a service component dropped. */
	alias_key_is(t, "http/web01:8080/site", "host/web01:8080");
	alias_key_is(t, "www/web01/x/y", "host/web01");
	/* HOST to HOST is no alias; neither is a class outside the table. */
	alias_key_is(t, "host/web01", NULL);
	alias_key_is(t, "HOST/web01", NULL);
	alias_key_is(t, "MSSQLSvc/db:1433", NULL);
	alias_key_is(t, "cif/web01", NULL);
	/* No component 1. */
	alias_key_is(t, "cifs", NULL);
	alias_key_is(t, "cifs/", NULL);
	alias_key_is(t, "cifs//x", NULL);
	alias_key_is(NULL, "cifs/web01", NULL);
	struct spn_alias_key k;
	assert_false(spn_alias_key(t, "cifs\0/x", 7, &k));
	spn_alias_free(t);

	/* Another target; a class mapped to itself. */
	struct spn_slice v[] = {{"http=www,w3svc", 14}, {"cifs=cifs,smb", 13}};
	t = spn_alias_parse(v, 2, NULL);
	assert_non_null(t);
	alias_key_is(t, "WWW/web01", "http/web01");
	alias_key_is(t, "http/web01", NULL);
	alias_key_is(t, "cifs/web01", NULL);
	alias_key_is(t, "smb/web01", "cifs/web01");
	spn_alias_free(t);

	/* Before sPNMappings are known: every class but HOST. */
	const struct spn_alias_table *any = spn_alias_any();
	alias_key_is(any, "cifs/web01", "HOST/web01");
	alias_key_is(any, "MSSQLSvc/db:1433/inst", "HOST/db:1433");
	alias_key_is(any, "/web01", "HOST/web01");
	alias_key_is(any, "Host/web01", NULL);
	alias_key_is(any, "cifs/", NULL);
	assert_int_equal(spn_alias_count(any), 0);
	spn_alias_free((struct spn_alias_table *)(uintptr_t)any);  /* a no-op */
	alias_key_is(spn_alias_any(), "cifs/x", "HOST/x");
}

static void test_key_always_defined(void **state)
{
	char out[SPN_KEY_CAP(32)];
	(void)state;
	/* Not UTF-8: the bytes, ASCII letters lowered, are the key. */
	assert_int_equal(spn_key("HTTP/W\xff" "EB", 9, out, sizeof(out)), 9);
	assert_memory_equal(out, "http/w\xff" "eb", 9);
	/* UTF-8: the full case fold. */
	size_t n = spn_key("HTTP/M\xc3\x9c" "LLER", 12, out, sizeof(out));
	assert_int_equal(n, 12);
	assert_memory_equal(out, "http/m\xc3\xbc" "ller", 12);
	/* Too little room is the only failure. */
	assert_int_equal(spn_key("HOST/x", 6, out, SPN_KEY_CAP(6) - 1), (size_t)-1);
}

/* The load path hashes ASCII values without folding them first: the same
 * hash as spn_hash() of the folded key, for every length and letter case. */
static void test_hash_ascii_lower(void **state)
{
	(void)state;
	static const char alpha[] = "ABCXYZabcxyz09/:.-@[`{~ \x7f";
	char s[80], key[SPN_KEY_CAP(80)];
	unsigned seed = 7;
	for (int t = 0; t < 100000; t++) {
		seed = seed * 1103515245u + 12345u;
		size_t n = (seed >> 16) % 70;
		for (size_t i = 0; i < n; i++) {
			seed = seed * 1103515245u + 12345u;
			s[i] = alpha[(seed >> 16) % (sizeof(alpha) - 1)];
		}
		size_t k = spn_key(s, n, key, sizeof(key));
		assert_int_equal(k, n);
		assert_true(spn_hash_ascii_lower(s, n) == spn_hash(key, k));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_two_and_three_parts),
		cmocka_unit_test(test_parse_rejects),
		cmocka_unit_test(test_fold_case_insensitive),
		cmocka_unit_test(test_skeleton_drops_invisible),
		cmocka_unit_test(test_alias_default_and_parse),
		cmocka_unit_test(test_alias_key),
		cmocka_unit_test(test_key_always_defined),
		cmocka_unit_test(test_hash_ascii_lower),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
