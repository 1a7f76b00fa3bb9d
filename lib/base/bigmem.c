/*
 * bigmem.c - the big arrays of a model (accounts, SPN values, their index
 * tags) on huge pages (see spn/arena.h).
 *
 * A model of a million accounts fills some 100 MB of such arrays; with
 * 4 KiB pages that is tens of thousands of page faults, each zeroing its
 * page, and in a virtual machine the first touch of a page costs far more.
 * Arrays of 1 MiB and more are therefore their own mappings, aligned to
 * 2 MiB and advised onto huge pages, and grow with mremap() onto a new
 * aligned place: the pages move, nothing is copied or faulted twice.
 * Smaller arrays stay with malloc, and so does every array when built
 * with -Darena_debug=true, so AddressSanitizer sees overruns.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "spn/arena.h"

#ifdef SPN_ARENA_DEBUG
void *spn_big_realloc(void *p, size_t old_bytes, size_t new_bytes)
{
	if (p && new_bytes <= old_bytes)
		return p;  /* never shrinks */
	return realloc(p, new_bytes);
}

void spn_big_free(void *p, size_t bytes)
{
	(void)bytes;
	free(p);
}
#else
#define BIG_MIN ((size_t)1 << 20)
#define HUGE_PAGE ((size_t)2 << 20)

static size_t round_huge(size_t n)
{
	return (n + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
}

/* n bytes (a multiple of HUGE_PAGE) of address space aligned to HUGE_PAGE. */
static char *map_aligned(size_t n, int prot)
{
	size_t len = n + HUGE_PAGE;
	char *p = mmap(NULL, len, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	char *a = (char *)(((uintptr_t)p + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1));
	if (a > p)
		munmap(p, (size_t)(a - p));
	if (a + n < p + len)
		munmap(a + n, (size_t)(p + len - (a + n)));
	return a;
}

static void advise(char *p, size_t n)
{
#ifdef MADV_HUGEPAGE
	(void)madvise(p, n, MADV_HUGEPAGE);
#else
	(void)p;
	(void)n;
#endif
}

void *spn_big_realloc(void *p, size_t old_bytes, size_t new_bytes)
{
	if (new_bytes < BIG_MIN && (!p || old_bytes < BIG_MIN))
		return realloc(p, new_bytes);
	if (new_bytes <= old_bytes)
		return p;  /* never shrinks */
	size_t n = round_huge(new_bytes);
	if (!p || old_bytes < BIG_MIN) {
		char *q = map_aligned(n, PROT_READ | PROT_WRITE);
		if (!q)
			return NULL;
		advise(q, n);
		if (p) {
			memcpy(q, p, old_bytes);
			free(p);
		}
		return q;
	}
	size_t o = round_huge(old_bytes);
	if (n == o)
		return p;
	/* Move the pages onto a new aligned range of the new size (which
	 * mremap replaces); the VMA keeps its huge page advice. */
	char *dst = map_aligned(n, PROT_NONE);
	if (!dst)
		return NULL;
	void *q = mremap(p, o, n, MREMAP_MAYMOVE | MREMAP_FIXED, dst);
	if (q == MAP_FAILED) {
		munmap(dst, n);
		return NULL;
	}
	return q;
}

void spn_big_free(void *p, size_t bytes)
{
	if (!p)
		return;
	if (bytes < BIG_MIN)
		free(p);
	else
		munmap(p, round_huge(bytes));
}
#endif
