/* test_hash.c - the hash function family (lib/base/hash.c): the values the
 * SPN index was tuned with stay as they were, the case-folded variants
 * equal the plain hash of the lowered bytes (for any bytes, and for ASCII
 * the load path's tighter loop too), and different keys spread. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "base/hash.h"

static uint64_t h(const char *s)
{
	return spn_hash(s, strlen(s));
}

/* Pinned: the body of the hot path's hash must not drift unnoticed. */
static void test_values_pinned(void **state)
{
	(void)state;
	assert_true(h("") == 0x815789e0e437e7f6ULL);
	assert_true(h("a") == 0x22287642ee2bc28eULL);
	assert_true(h("host/web01.corp.example") == 0x9f89d66257f1f74cULL);
	assert_true(h("HTTP/Web01.Corp.Example:8080") == 0x99461d2875f7e2f3ULL);
	assert_true(spn_hash_ascii_lower("HTTP/Web01.Corp.Example:8080", 28) == 0x0fd0d5c652426153ULL);
}

static void test_spreads(void **state)
{
	(void)state;
	assert_true(h("host/a") != h("host/b"));
	assert_true(h("") != h("a"));
	assert_true(spn_hash("a\0", 2) != h("a"));   /* the length counts */
	assert_true(spn_hash_tag(h("host/a")) != spn_hash_tag(h("host/b")));
	assert_true(spn_hash_tag(0x1234567800000000ULL) == 0x12345678u);
}

/* Every length up to 70 (all tail sizes), random bytes from an alphabet
 * with every edge of 'A'..'Z' and bytes >= 0x80 that would carry. */
static void test_lower_is_hash_of_lowered(void **state)
{
	(void)state;
	static const char any[] = "@AZ[`az{/09\x7f\x80\xc1\xc3\xdf\xda\xfa\xff";
	static const char ascii[] = "@ABCXYZ[`abcxyz{/09:. \x7f";
	char s[80], low[80];
	unsigned seed = 11;
	for (int t = 0; t < 100000; t++) {
		bool only_ascii = t & 1;
		const char *alpha = only_ascii ? ascii : any;
		size_t na = strlen(alpha);
		seed = seed * 1103515245u + 12345u;
		size_t n = (seed >> 16) % 70;
		for (size_t i = 0; i < n; i++) {
			seed = seed * 1103515245u + 12345u;
			s[i] = alpha[(seed >> 16) % na];
			low[i] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i]);
		}
		assert_true(spn_hash_lower(s, n) == spn_hash(low, n));
		if (only_ascii)
			assert_true(spn_hash_ascii_lower(s, n) == spn_hash(low, n));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_values_pinned),
		cmocka_unit_test(test_spreads),
		cmocka_unit_test(test_lower_is_hash_of_lowered),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
