/* test_alias_fast.c - alias-conflict's hand-tuned search for the values
 * with an alias key (alias_conflict_fast.c: bit filter, class cache) and the
 * plain twin (spn_alias_key() on every value) find the same values with the
 * same keys: in models of random values - aliased and other classes in any
 * case, prefixes of classes and more, values without '/' or host, with a
 * port or a service component, malformed ones - under the default
 * sPNMappings, tables with one-letter, very long and self-mapped classes
 * and other targets, and no table. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "builder.h"
#include "check/check_int.h"
#include "twins.h"

static const char long_class[] = "averyveryverylongserviceclassnamethatisfarlongerthansixtyfourbytes";

/* A random class: one of t's (or a near miss) in random case, or another. */
static size_t random_class(const struct spn_alias_table *t, char *out)
{
	static const char *const others[] = {"host", "HOST", "MSSQLSvc", "ldap", "RestrictedKrbHost",
	                                     "WSMAN", "ci", "cifsx", "h", "", "ww", "x", long_class};
	const char *c = others[tw_rnd(sizeof(others) / sizeof(others[0]))];
	size_t n = strlen(c);
	memcpy(out, c, n);
	if (t && spn_alias_count(t) && tw_rnd(2)) {
		const char *target;
		spn_alias_get(t, tw_rnd((unsigned)spn_alias_count(t)), &c, &target);
		n = strlen(c);
		memcpy(out, c, n);
		if (tw_rnd(8) == 0 && n > 1)
			n--;                      /* a prefix of a class */
		if (tw_rnd(8) == 0)
			out[n++] = 's';           /* a class and more */
	}
	for (size_t i = 0; i < n; i++)
		if (tw_rnd(2) && out[i] >= 'a' && out[i] <= 'z')
			out[i] = (char)(out[i] - 32);
	return n;
}

/* A model of n accounts, each with 1 to 3 random values. */
static struct spn_model *random_model(const struct spn_alias_table *t, int n)
{
	static const char *const tails[] = {"/web01", "/WEB01.corp.example", "/web01:443", "/web01/svc",
	                                    "/db:1433/inst", "/", "//x", "", "/a/b/c", "/a b"};
	struct spn_model *m = tb_new(0);
	char dn[64], v[3][200];
	for (int a = 0; a < n; a++) {
		for (int j = 0; j < 3; j++) {
			size_t k = (size_t)snprintf(v[j], sizeof(v[j]), "servicePrincipalName=");
			k += random_class(t, v[j] + k);
			snprintf(v[j] + k, sizeof(v[j]) - k, "%s", tails[tw_rnd(sizeof(tails) / sizeof(tails[0]))]);
		}
		snprintf(dn, sizeof(dn), "CN=a%d,DC=corp,DC=example", a);
		unsigned nv = tw_rnd(3);
		tb_add(m, dn, "objectClass=user", v[0], nv > 0 ? v[1] : NULL, nv > 1 ? v[2] : NULL, NULL);
	}
	tb_finish(m);
	return m;
}

/* Both finders through m under t: the same values, the same keys. */
static void agree_on(const struct spn_alias_table *t, int accounts)
{
	struct spn_model *m = random_model(t, accounts);
	struct spn_alias_finder plain = {t, NULL}, fast = {t, NULL};
	struct spn_alias_key a, b;
	uint32_t i = 0, j = 0;
	size_t found = 0;
	for (;; i++, j++, found++) {
		int ra = spn_alias_finder_next_plain(&plain, m, &i, &a);
		int rb = spn_alias_finder_next_fast(&fast, m, &j, &b);
		assert_true(ra >= 0 && rb >= 0);
		if (ra != rb || (ra && (i != j || a.target != b.target || a.cls.p != b.cls.p ||
		                        a.cls.n != b.cls.n || a.host.p != b.host.p || a.host.n != b.host.n)))
			fail_msg("plain %d at %u (%s), fast %d at %u (%s)", ra, i,
			         ra ? spn_model_value(m, i)->str : "-", rb, j, rb ? spn_model_value(m, j)->str : "-");
		if (!ra)
			break;
	}
	if (t && spn_alias_count(t))
		assert_true(found > 10);  /* not a test of nothing */
	spn_alias_finder_release(&plain);
	spn_alias_finder_release(&fast);
	spn_model_free(m);
}

static void test_default(void **state)
{
	(void)state;
	struct spn_alias_table *t = spn_alias_default();
	agree_on(t, 30000);
	spn_alias_free(t);
}

static void test_other_tables(void **state)
{
	(void)state;
	char longmap[128];
	snprintf(longmap, sizeof(longmap), "host=cifs,%s,x", long_class);
	struct spn_slice v[][3] = {
		{{"http=www,w3svc", 14}, {"cifs=cifs,smb", 13}, {"host=http,ldap", 14}},
		{{longmap, strlen(longmap)}, {"host=ab", 7}, {"other=abcdefghijklmnopqrstuvwxyz0123456", 39}},
		{{"host=", 5}, {"=x", 2}, {"broken", 6}},
	};
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		struct spn_alias_table *t = spn_alias_parse(v[i], 3, NULL);
		assert_non_null(t);
		agree_on(t, 10000);
		spn_alias_free(t);
	}
	agree_on(NULL, 500);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default),
		cmocka_unit_test(test_other_tables),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
