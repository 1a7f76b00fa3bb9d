/* test_buf.c - the growable string with a ceiling (lib/base/buf.c): appends
 * of every kind keep the content NUL-terminated through many doublings;
 * reaching the ceiling exactly is fine, passing it by one byte fails, adds
 * nothing and stays failed until cleared; formatted appends that do and do
 * not fit the room left read the same. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "base/buf.h"

static void test_empty(void **state)
{
	struct spn_buf b;
	(void)state;
	spn_buf_init(&b, 100);
	assert_string_equal(spn_buf_str(&b), "");
	assert_true(spn_buf_ok(&b));
	spn_buf_add(&b, "", 0);
	assert_string_equal(spn_buf_str(&b), "");
	assert_int_equal(b.n, 0);
	spn_buf_release(&b);
	assert_null(b.p);
}

/* Every kind of append, growing through many doublings; compared with the
 * same text made by snprintf. */
static void test_appends_grow(void **state)
{
	struct spn_buf b;
	char want[70000];
	size_t w = 0;
	(void)state;
	spn_buf_init(&b, (size_t)1 << 30);
	for (int i = 0; i < 2000; i++) {
		switch (i % 3) {
		case 0: spn_buf_add(&b, "ab\0c", 4); memcpy(want + w, "ab\0c", 4); w += 4; break;
		case 1: spn_buf_adds(&b, "xyz"); memcpy(want + w, "xyz", 3); w += 3; break;
		default:
			spn_buf_addf(&b, "[%d:%0*d]", i, i % 40, i);
			w += (size_t)snprintf(want + w, sizeof(want) - w, "[%d:%0*d]", i, i % 40, i);
		}
		assert_int_equal(b.n, w);
		assert_memory_equal(b.p, want, w);
		assert_int_equal(b.p[b.n], '\0');
	}
	assert_true(spn_buf_ok(&b));
	spn_buf_release(&b);
}

/* One formatted append longer than any room: printed again after growing. */
static void test_addf_longer_than_room(void **state)
{
	struct spn_buf b;
	char big[5000];
	(void)state;
	memset(big, 'q', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	spn_buf_init(&b, 10000);
	spn_buf_adds(&b, "<");
	spn_buf_addf(&b, "%s>", big);
	assert_int_equal(b.n, 5000 + 1);
	assert_int_equal(b.p[0], '<');
	assert_int_equal(b.p[4999], 'q');
	assert_int_equal(b.p[5000], '>');
	spn_buf_release(&b);
}

static void test_ceiling(void **state)
{
	struct spn_buf b;
	(void)state;
	spn_buf_init(&b, 8);
	spn_buf_adds(&b, "12345678");   /* exactly the ceiling */
	assert_true(spn_buf_ok(&b));
	assert_string_equal(spn_buf_str(&b), "12345678");
	spn_buf_add(&b, "9", 1);        /* one byte past it */
	assert_false(spn_buf_ok(&b));
	assert_null(spn_buf_str(&b));
	assert_int_equal(b.n, 8);       /* nothing added, nothing cut */
	spn_buf_clear(&b);
	assert_true(spn_buf_ok(&b));
	spn_buf_adds(&b, "abc");
	spn_buf_add(&b, "defghi", 6);   /* 9 bytes: fails as a whole */
	spn_buf_adds(&b, "d");          /* would fit, but the buffer has failed */
	assert_false(spn_buf_ok(&b));
	assert_int_equal(b.n, 3);
	spn_buf_clear(&b);
	assert_string_equal(spn_buf_str(&b), "");
	spn_buf_release(&b);
}

/* A formatted append past the ceiling fails though the room would hold it. */
static void test_ceiling_addf(void **state)
{
	struct spn_buf b;
	(void)state;
	spn_buf_init(&b, 5);
	spn_buf_addf(&b, "%d", 1234);
	assert_string_equal(spn_buf_str(&b), "1234");
	spn_buf_addf(&b, "%d", 56);
	assert_false(spn_buf_ok(&b));
	assert_int_equal(b.n, 4);
	assert_int_equal(b.p[4], '\0');
	spn_buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_appends_grow),
		cmocka_unit_test(test_addf_longer_than_room),
		cmocka_unit_test(test_ceiling),
		cmocka_unit_test(test_ceiling_addf),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
