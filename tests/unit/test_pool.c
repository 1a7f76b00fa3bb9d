/* test_pool.c - the worker pool (lib/base/pool.c): every task runs exactly
 * once for any thread count (0 = every CPU, more than tasks, more than
 * SPN_POOL_MAX); one thread runs the tasks in order on the caller; a
 * caller with work of its own helps and stops the pool half way, and
 * nothing starts after the stop. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "base/pool.h"

#define NTASKS 1000

struct runs {
	atomic_uint count[NTASKS];
	pthread_t who[NTASKS];
	size_t order[NTASKS];
	atomic_size_t n;
};

static void task(void *ctx, size_t t)
{
	struct runs *r = ctx;
	atomic_fetch_add(&r->count[t], 1u);
	r->who[t] = pthread_self();
	r->order[atomic_fetch_add(&r->n, 1)] = t;
}

static struct runs *runs_new(void)
{
	struct runs *r = test_calloc(1, sizeof(*r));
	for (size_t t = 0; t < NTASKS; t++)
		atomic_init(&r->count[t], 0u);
	atomic_init(&r->n, 0);
	return r;
}

static void test_each_task_once(void **state)
{
	static const unsigned threads[] = {0, 1, 2, 3, 8, SPN_POOL_MAX, 1000};
	static const size_t ntasks[] = {0, 1, 2, 7, NTASKS};
	(void)state;
	for (size_t i = 0; i < sizeof(threads) / sizeof(threads[0]); i++)
		for (size_t k = 0; k < sizeof(ntasks) / sizeof(ntasks[0]); k++) {
			struct runs *r = runs_new();
			spn_pool_run(threads[i], ntasks[k], task, r);
			for (size_t t = 0; t < NTASKS; t++)
				assert_int_equal(atomic_load(&r->count[t]), t < ntasks[k] ? 1u : 0u);
			test_free(r);
		}
}

static void test_one_thread_in_order_here(void **state)
{
	struct runs *r = runs_new();
	(void)state;
	spn_pool_run(1, NTASKS, task, r);
	for (size_t t = 0; t < NTASKS; t++) {
		assert_int_equal(r->order[t], t);
		assert_true(pthread_equal(r->who[t], pthread_self()));
	}
	test_free(r);
}

static void test_threads_count(void **state)
{
	(void)state;
	assert_true(spn_pool_threads(0) >= 1);
	assert_true(spn_pool_threads(0) <= SPN_POOL_MAX);
	assert_int_equal(spn_pool_threads(1), 1);
	assert_int_equal(spn_pool_threads(5), 5);
	assert_int_equal(spn_pool_threads(SPN_POOL_MAX + 1), SPN_POOL_MAX);
}

/* The caller helps for 100 tasks, then stops: with no other thread exactly
 * those ran (join runs nothing after a stop); with others, every task ran
 * at most once. */
static void test_help_and_stop(void **state)
{
	(void)state;
	for (unsigned threads = 1; threads <= 4; threads++) {
		struct runs *r = runs_new();
		struct spn_pool p;
		spn_pool_start(&p, threads, NTASKS, task, r);
		for (int i = 0; i < 100; i++)
			spn_pool_help(&p);
		spn_pool_stop(&p);
		spn_pool_join(&p);
		assert_false(spn_pool_help(&p));
		size_t ran = 0;
		for (size_t t = 0; t < NTASKS; t++) {
			unsigned c = atomic_load(&r->count[t]);
			assert_true(c <= 1);
			ran += c;
		}
		assert_int_equal(ran, atomic_load(&r->n));
		if (threads == 1)
			assert_int_equal(ran, 100);
		test_free(r);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_each_task_once),
		cmocka_unit_test(test_one_thread_in_order_here),
		cmocka_unit_test(test_threads_count),
		cmocka_unit_test(test_help_and_stop),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
