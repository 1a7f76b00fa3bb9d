/* test_bigmem.c - the big arrays of a model (lib/base/bigmem.c): growing
 * by doubling from nothing past the huge page threshold keeps every
 * element, and growing to the same or a smaller size keeps the array. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "spn/arena.h"

static void test_grow_keeps_contents(void **state)
{
	(void)state;
	uint32_t *v = NULL;
	size_t cap = 0, n = 0;
	/* 64 Mi elements: past 1 MiB (mapped) and through many mremap moves. */
	while (n < ((size_t)64 << 20) / sizeof(*v)) {
		if (n == cap) {
			size_t nc = cap ? cap * 2 : 16;
			uint32_t *p = spn_big_realloc(v, cap * sizeof(*v), nc * sizeof(*v));
			assert_non_null(p);
			v = p;
			cap = nc;
			/* Everything written so far is still there after each move. */
			for (size_t i = 0; i < n; i += 4099)
				assert_int_equal(v[i], (uint32_t)(i * 2654435761u));
		}
		v[n] = (uint32_t)(n * 2654435761u);
		n++;
	}
	for (size_t i = 0; i < n; i++)
		if (v[i] != (uint32_t)(i * 2654435761u))
			fail_msg("element %zu lost", i);
	assert_ptr_equal(spn_big_realloc(v, cap * sizeof(*v), cap * sizeof(*v)), v);
	assert_ptr_equal(spn_big_realloc(v, cap * sizeof(*v), 16), v);
	spn_big_free(v, cap * sizeof(*v));
	spn_big_free(NULL, 0);
}

static void test_small_stays_small(void **state)
{
	(void)state;
	char *p = spn_big_realloc(NULL, 0, 100);
	assert_non_null(p);
	memset(p, 'x', 100);
	p = spn_big_realloc(p, 100, 1000);
	assert_non_null(p);
	assert_int_equal(p[99], 'x');
	/* From malloc'd to mapped: the contents move along. */
	p = spn_big_realloc(p, 1000, (size_t)3 << 20);
	assert_non_null(p);
	assert_int_equal(p[0], 'x');
	assert_int_equal(p[99], 'x');
	p[((size_t)3 << 20) - 1] = 'y';
	spn_big_free(p, (size_t)3 << 20);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_grow_keeps_contents),
		cmocka_unit_test(test_small_stays_small),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
