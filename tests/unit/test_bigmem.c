/* test_bigmem.c - the big arrays of a model (lib/base/bigmem.c): growing
 * by doubling from nothing past the huge page threshold keeps every
 * element, growing to the same or a smaller size keeps the array (small
 * ones too), and appending one array to another - big ones by moving
 * pages - gives exactly the two in order, for every mix of sizes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "base/bigmem.h"

static void test_grow_keeps_contents(void **state)
{
	(void)state;
	uint32_t *v = NULL;
	size_t cap = 0, n = 0;
	/* 64 Mi elements: past 2 MiB (mapped) and through many mremap moves. */
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

static void test_small_never_shrinks(void **state)
{
	(void)state;
	char *p = spn_big_realloc(NULL, 0, 1000);
	assert_non_null(p);
	assert_ptr_equal(spn_big_realloc(p, 1000, 10), p);
	p[999] = 'z';  /* still 1000 bytes (ASan would see a shrunk block) */
	spn_big_free(p, 1000);
}

/* An array of n uint32 counting from start, in capacity cap. */
static uint32_t *counting(size_t n, size_t cap, uint32_t start)
{
	uint32_t *v = spn_big_realloc(NULL, 0, cap * sizeof(*v));
	assert_non_null(v);
	for (size_t i = 0; i < n; i++)
		v[i] = start + (uint32_t)i;
	return v;
}

static void test_append(void **state)
{
	(void)state;
	/* Element counts around the 1 MiB (256 Ki uint32) and 2 MiB marks. */
	static const size_t sizes[] = {0, 1, 1000, 262143, 262144, 300000, 524288, 600001, 1500000};
	size_t ns = sizeof(sizes) / sizeof(sizes[0]);
	for (size_t i = 0; i < ns; i++)
		for (size_t k = 0; k < ns; k++) {
			size_t dn = sizes[i], sn = sizes[k];
			size_t dcap = dn + dn / 3 + 1, scap = sn + sn / 2 + 1;
			uint32_t *d = counting(dn, dcap, 0), *s = counting(sn, scap, (uint32_t)dn);
			void *dv = d, *sv = s;
			size_t db = dcap * 4, sb = scap * 4;
			assert_true(spn_big_append(&dv, dn * 4, &db, &sv, sn * 4, &sb));
			assert_null(sv);
			assert_int_equal(sb, 0);
			assert_true(db >= (dn + sn) * 4);
			d = dv;
			for (size_t j = 0; j < dn + sn; j++)
				if (d[j] != (uint32_t)j)
					fail_msg("%zu + %zu: element %zu is %u", dn, sn, j, d[j]);
			/* The capacity is real: the last element can be written, and
			 * the array grows on from it. */
			size_t cap = db / 4;
			if (cap > dn + sn)
				d[cap - 1] = 7;
			uint32_t *g = spn_big_realloc(d, cap * 4, cap * 8);
			if (!g)
				fail_msg("%zu + %zu: cannot grow from %zu", dn, sn, cap);
			if (cap > dn + sn)
				assert_int_equal(g[cap - 1], 7);
			if (dn + sn)
				assert_int_equal(g[dn + sn - 1], (uint32_t)(dn + sn - 1));
			g[cap * 2 - 1] = 8;
			spn_big_free(g, cap * 8);
		}
}

/* The merge's pattern: one array gets part after part appended (so it is
 * many mappings), then grows on as a later file is read into it. */
static void test_append_many(void **state)
{
	(void)state;
	static const size_t parts[] = {700000, 3, 400000, 0, 1200000, 262144, 999999, 50};
	void *dv = NULL;
	size_t db = 0, n = 0;
	for (size_t p = 0; p < sizeof(parts) / sizeof(parts[0]); p++) {
		size_t sn = parts[p], scap = sn + sn / 4 + 1;
		void *sv = counting(sn, scap, (uint32_t)n);
		size_t sb = scap * 4;
		assert_true(spn_big_append(&dv, n * 4, &db, &sv, sn * 4, &sb));
		n += sn;
		const uint32_t *d = dv;
		for (size_t j = 0; j < n; j++)
			if (d[j] != (uint32_t)j)
				fail_msg("after part %zu: element %zu is %u", p, j, d[j]);
	}
	size_t cap = db / 4;
	uint32_t *g = spn_big_realloc(dv, cap * 4, cap * 12);
	assert_non_null(g);
	for (size_t j = 0; j < n; j++)
		if (g[j] != (uint32_t)j)
			fail_msg("after growing: element %zu is %u", j, g[j]);
	g[cap * 3 - 1] = 1;
	spn_big_free(g, cap * 12);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_grow_keeps_contents),
		cmocka_unit_test(test_small_stays_small),
		cmocka_unit_test(test_small_never_shrinks),
		cmocka_unit_test(test_append),
		cmocka_unit_test(test_append_many),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
