/*
 * pool.h - the one worker pool of libspn: n tasks on up to t threads, the
 * calling thread among them. The parallel LDIF reader, the SPN index build
 * and the checks run on it.
 *
 * Invariants:
 *  - Tasks are numbered 0 .. n-1; each runs once, taken in that order by
 *    whichever thread is free next, unless spn_pool_stop() came first.
 *  - A thread count of 0 is one per online CPU; 1 runs every task on the
 *    calling thread, in order, and starts no thread; more than
 *    SPN_POOL_MAX is SPN_POOL_MAX. No more threads start than there are
 *    tasks.
 *  - A thread that cannot be started costs speed only: the calling thread
 *    runs what nobody else takes.
 *  - libspn reads no environment: the count comes from the caller (the
 *    tool's SPNCTL_THREADS).
 */
#ifndef SPN_BASE_POOL_H
#define SPN_BASE_POOL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#define SPN_POOL_MAX 64

struct spn_pool {
	void (*fn)(void *ctx, size_t task);
	void *ctx;
	size_t ntasks;
	atomic_size_t next;           /* the next task nobody has taken */
	pthread_t tid[SPN_POOL_MAX];
	unsigned started;             /* threads running besides the caller */
};

/* The threads a count stands for: 0 -> online CPUs; 1 .. SPN_POOL_MAX. */
unsigned spn_pool_threads(unsigned threads);
/* Run tasks 0 .. ntasks-1 of fn on up to `threads` threads, this one
 * among them; returns when every task is done. */
void spn_pool_run(unsigned threads, size_t ntasks, void (*fn)(void *ctx, size_t task), void *ctx);

/* The same in steps, for a caller with work of its own while the tasks
 * run: up to threads - 1 other threads start taking them. */
void spn_pool_start(struct spn_pool *p, unsigned threads, size_t ntasks,
                    void (*fn)(void *ctx, size_t task), void *ctx);
/* Run the next task nobody has taken, on this thread; false when none is left. */
bool spn_pool_help(struct spn_pool *p);
/* No task starts after this; tasks already running finish. */
void spn_pool_stop(struct spn_pool *p);
/* Run what is left on this thread, then wait for the others to end. */
void spn_pool_join(struct spn_pool *p);

#endif
