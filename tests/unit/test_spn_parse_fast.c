/* test_spn_parse_fast.c - spn_parse()'s hand-tuned scan (spn_parse_fast.c)
 * and its plain twin (spn_parse.c) find the same special bytes: every byte
 * value at every place of values up to 80 bytes long, and random values
 * made of the bytes that matter, up to 150 bytes at any offset. Each value
 * sits in a block of exactly its size, so the ASan build sees any read past
 * its end. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "spn/spn_int.h"
#include "twins.h"

/* Both scans of s[0..n) from offset k on, in a block of its own. */
static void agree(const unsigned char *s, size_t n, size_t k)
{
	char *v = tw_copy(s, n);
	uint64_t plain = spn_parse_special_plain(v + k, n - k);
	uint64_t fast = spn_parse_special_fast(v + k, n - k);
	if (plain != fast)
		fail_msg("%zu bytes from %zu: plain %016llx, fast %016llx", n, k,
		         (unsigned long long)plain, (unsigned long long)fast);
	free(v);
}

static void test_every_byte_everywhere(void **state)
{
	(void)state;
	unsigned char s[80];
	for (size_t n = 0; n <= sizeof(s); n++) {
		memset(s, 'a', sizeof(s));
		agree(s, n, 0);
		for (size_t at = 0; at < n; at++) {
			for (unsigned c = 0; c < 256; c++) {
				s[at] = (unsigned char)c;
				agree(s, n, 0);
			}
			s[at] = 'a';
		}
	}
}

static void test_random(void **state)
{
	(void)state;
	static const unsigned char bytes[] = {
		'a', 'Z', '0', '.', '-', '_', '/', ':', '@', ' ', '\t', 0, 0x1f, 0x20, 0x21,
		0x2e, 0x2f, 0x30, 0x39, 0x3a, 0x3b, 0x3f, 0x40, 0x41, 0x7e, 0x7f, 0x80, 0xa0,
		0xc3, 0xe2, 0xfe, 0xff,
	};
	unsigned char s[150];
	for (int round = 0; round < 200000; round++) {
		size_t n = tw_rnd(sizeof(s) + 1);
		unsigned plain_share = tw_rnd(4);  /* 0: special bytes everywhere; 3: rare */
		for (size_t i = 0; i < n; i++)
			s[i] = tw_rnd(8) < plain_share * 2 ? (unsigned char)('a' + tw_rnd(26))
			                                : bytes[tw_rnd(sizeof(bytes))];
		agree(s, n, n ? tw_rnd((unsigned)n) : 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_byte_everywhere),
		cmocka_unit_test(test_random),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
