/*
 * pool.c - the worker pool (see pool.h): threads take the next task number
 * from one atomic counter until it passes the last, so a core that other
 * work slows down simply takes fewer tasks.
 */
#include <unistd.h>

#include "pool.h"

unsigned spn_pool_threads(unsigned threads)
{
	if (threads == 0) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);
		threads = n < 1 ? 1 : n > SPN_POOL_MAX ? SPN_POOL_MAX : (unsigned)n;
	}
	return threads > SPN_POOL_MAX ? SPN_POOL_MAX : threads;
}

bool spn_pool_help(struct spn_pool *p)
{
	size_t t = atomic_fetch_add(&p->next, 1);
	if (t >= p->ntasks)
		return false;
	p->fn(p->ctx, t);
	return true;
}

static void *take_all(void *arg)
{
	while (spn_pool_help(arg))
		;
	return NULL;
}

void spn_pool_start(struct spn_pool *p, unsigned threads, size_t ntasks,
                    void (*fn)(void *ctx, size_t task), void *ctx)
{
	p->fn = fn;
	p->ctx = ctx;
	p->ntasks = ntasks;
	p->started = 0;
	atomic_init(&p->next, 0);
	threads = spn_pool_threads(threads);
	while (p->started + 1 < threads && p->started < ntasks &&
	       pthread_create(&p->tid[p->started], NULL, take_all, p) == 0)
		p->started++;
}

void spn_pool_stop(struct spn_pool *p)
{
	atomic_store(&p->next, p->ntasks);
}

void spn_pool_join(struct spn_pool *p)
{
	take_all(p);
	for (unsigned t = 0; t < p->started; t++)
		pthread_join(p->tid[t], NULL);
	p->started = 0;
}

void spn_pool_run(unsigned threads, size_t ntasks, void (*fn)(void *ctx, size_t task), void *ctx)
{
	struct spn_pool p;
	threads = spn_pool_threads(threads);
	if (threads > ntasks)   /* the caller takes one too */
		threads = ntasks ? (unsigned)ntasks : 1;
	spn_pool_start(&p, threads, ntasks, fn, ctx);
	spn_pool_join(&p);
}
