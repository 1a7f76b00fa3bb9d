/* test_table.c - the one hash table (lib/base/table.c): find-or-add of many
 * keys through many growths finds each again under its first id; keys
 * whose tags collide (all of them, or by a weak hash) are told apart by
 * the caller's equality; a key added twice is met in the order added,
 * across growths and probe runs that wrap round the end of the table. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "base/hash.h"
#include "base/table.h"

#define NKEYS 50000

static char keys[NKEYS][16];   /* the caller's array: id -> key */
static uint32_t nkeys;

/* Find key k (tag given) or add it as the next id. */
static uint32_t intern(struct spn_table *t, const char *k, uint32_t tag)
{
	size_t at;
	assert_true(spn_table_reserve(t, 1));
	for (uint32_t id = spn_table_first(t, tag, &at); id != SPN_TABLE_NONE;
	     id = spn_table_next(t, tag, &at))
		if (strcmp(keys[id], k) == 0)
			return id;
	assert_true(nkeys < NKEYS);
	snprintf(keys[nkeys], sizeof(keys[nkeys]), "%s", k);
	spn_table_put(t, at, tag, nkeys);
	return nkeys++;
}

static uint32_t good_tag(const char *k)
{
	return spn_hash_tag(spn_hash(k, strlen(k)));
}

static uint32_t weak_tag(const char *k)
{
	return (uint32_t)strlen(k) << 28;   /* a handful of tags for all keys */
}

static void find_or_add(uint32_t (*tag)(const char *), unsigned n)
{
	struct spn_table t;
	char k[16];
	spn_table_init(&t);
	nkeys = 0;
	for (unsigned i = 0; i < n; i++) {
		snprintf(k, sizeof(k), "k%u", i);
		assert_int_equal(intern(&t, k, tag(k)), i);
	}
	for (unsigned i = 0; i < n; i++) {   /* all there: nothing added */
		snprintf(k, sizeof(k), "k%u", i);
		assert_int_equal(intern(&t, k, tag(k)), i);
	}
	assert_int_equal(t.n, n);
	assert_true(t.cap >= 2 * t.n);
	spn_table_release(&t);
}

static void test_many_keys(void **state)
{
	(void)state;
	find_or_add(good_tag, NKEYS);
}

static void test_colliding_tags(void **state)
{
	(void)state;
	find_or_add(weak_tag, 3000);
}

static void test_empty(void **state)
{
	struct spn_table t;
	size_t at;
	(void)state;
	spn_table_init(&t);
	assert_int_equal(spn_table_first(&t, 42, &at), SPN_TABLE_NONE);
	spn_table_release(&t);
}

/* Ids 0, 2, 4, ... share one tag (as one key added again and again), with
 * other tags in between; tag 0xffffffff lives in the last slot, so its run
 * wraps round to slot 0. */
static void check_order(uint32_t tag)
{
	struct spn_table t;
	spn_table_init(&t);
	for (uint32_t id = 0; id < 2000; id++) {
		assert_true(spn_table_reserve(&t, 1));
		spn_table_add(&t, id % 2 ? tag - id : tag, id);
		size_t at;
		uint32_t want = 0;
		for (uint32_t got = spn_table_first(&t, tag, &at); got != SPN_TABLE_NONE;
		     got = spn_table_next(&t, tag, &at), want += 2)
			assert_int_equal(got, want);
		assert_int_equal(want, id / 2 * 2 + 2);
	}
	spn_table_release(&t);
}

static void test_added_twice_order(void **state)
{
	(void)state;
	check_order(0x80000000u);
	check_order(0xffffffffu);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_many_keys),
		cmocka_unit_test(test_colliding_tags),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_added_twice_order),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
