/* test_classify_fast.c - the hand-tuned halves of classify.c's rules
 * (classify_fast.c) and their plain twins agree: integers (every length of
 * plain digits, the overflow edges, and random mixes of digits, signs,
 * white space and other bytes) and where a DN's DC= suffix starts (random
 * DNs of escapes, '+', spaces and long RDNs). Each input sits in a block of
 * exactly its size, so the ASan build sees any read past its end. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "model/classify_int.h"
#include "twins.h"

static void int_agree(const char *s, size_t n)
{
	char *p = tw_copy(s, n);
	int64_t a = 12345, b = 12345;
	bool ra = spn_int_read_plain(p, n, &a), rb = spn_int_read_fast(p, n, &b);
	if (ra != rb || a != b)
		fail_msg("'%.*s': plain %d %lld, fast %d %lld", (int)n, s, ra, (long long)a, rb,
		         (long long)b);
	free(p);
}

static void int_agree_str(const char *s)
{
	int_agree(s, strlen(s));
}

static void test_int_edges(void **state)
{
	(void)state;
	static const char *const edges[] = {
		"", " ", "\r", "+", "-", " -", "0", "-0", "+0", "007", " 42", "42 ", "42\r", "42 \r",
		"\t42", "4 2", "42x", "x42", "--1", "+-1", "1e3", "0x10",
		"9223372036854775807", "9223372036854775808", "-9223372036854775808",
		"-9223372036854775809", "18446744073709551615", "99999999999999999999",
		"000000000000000000000000000001", "0000000000000000000000000000001",
		"133485408000000000", "99999999", "12345678a", "a2345678", "1234567 ", "12345678 ",
		"123456789012345678", "1234567890123456789", "12345678901234567\r",
	};
	for (size_t i = 0; i < sizeof(edges) / sizeof(edges[0]); i++)
		int_agree_str(edges[i]);
	char s[40];
	for (size_t n = 1; n < sizeof(s); n++) {  /* every length of digits, a non-digit anywhere */
		for (size_t i = 0; i < n; i++)
			s[i] = (char)('0' + (i * 7 + n) % 10);
		int_agree(s, n);
		for (size_t at = 0; at < n; at++) {
			char keep = s[at];
			static const char others[] = {'/', ':', ' ', '-', '+', '\r', '\t', 'a', 0};
			for (size_t k = 0; k < sizeof(others); k++) {
				s[at] = others[k];
				int_agree(s, n);
			}
			s[at] = keep;
		}
	}
}

static void test_int_random(void **state)
{
	(void)state;
	static const char bytes[] = "0123456789012345678901234567890123456789 +-\t\r\n\v\fx/:";
	char s[40];
	for (int round = 0; round < 300000; round++) {
		size_t n = tw_rnd(sizeof(s));
		unsigned digits_only = tw_rnd(3) == 0;
		for (size_t i = 0; i < n; i++)
			s[i] = digits_only ? (char)('0' + tw_rnd(10)) : bytes[tw_rnd(sizeof(bytes) - 1)];
		int_agree(s, n);
	}
}

static void dn_agree(const char *s, size_t n)
{
	char *p = tw_copy(s, n);
	size_t a = spn_dn_dc_start_plain(p, n), b = spn_dn_dc_start_fast(p, n);
	if (a != b)
		fail_msg("'%.*s': plain %zu, fast %zu", (int)n, s, a, b);
	free(p);
}

static void test_dn(void **state)
{
	(void)state;
	static const char *const edges[] = {
		"", "DC=x", "dc=x", "DC=", "DC", "CN=a,DC=x", "CN=a\\,DC=x,DC=y", "CN=a\\", "CN=a\\\\,DC=b",
		"CN=a+DC=b", "CN=a, DC=b", "CN=a,  dC=b,DC=c", "OU=a-very-long-organizational-unit-name\\,"
		"with-escapes-and-more,DC=corp,DC=example", "CN=0123456789abcdef\\", "CN=0123456789abcde\\,",
	};
	for (size_t i = 0; i < sizeof(edges) / sizeof(edges[0]); i++)
		dn_agree(edges[i], strlen(edges[i]));
	static const char *const parts[] = {
		"CN=", "OU=", "DC=", "dc=", "Dc=x", "D", "C=", " ", ",", "+", "\\", "\\,", "\\+", "\\\\",
		"=", "a", "server01", "a-long-name-of-twenty-four", "0123456789abcdef0123456789",
	};
	char s[300];
	for (int round = 0; round < 200000; round++) {
		size_t n = 0, want = tw_rnd(sizeof(s) - 32);
		while (n < want) {
			const char *piece = parts[tw_rnd(sizeof(parts) / sizeof(parts[0]))];
			size_t k = strlen(piece);
			memcpy(s + n, piece, k);
			n += k;
		}
		dn_agree(s, n);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_int_edges),
		cmocka_unit_test(test_int_random),
		cmocka_unit_test(test_dn),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
