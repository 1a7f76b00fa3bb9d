/*
 * bigmem.c - the big arrays of a model (accounts, SPN values, their index
 * tags) on huge pages (see bigmem.h).
 *
 * A model of a million accounts fills some 100 MB of such arrays; with
 * 4 KiB pages that is tens of thousands of page faults, each zeroing its
 * page, and in a virtual machine the first touch of a page costs far more.
 * Arrays of 2 MiB and more are therefore their own mappings, aligned to
 * 2 MiB and advised onto huge pages, and grow with mremap() onto a new
 * aligned place: the pages move, nothing is copied or faulted twice
 * (except for an array spn_big_append() joined from two: several
 * mappings, copied when it grows again).
 * Smaller arrays stay with malloc, and so does every array when built
 * with -Darena_debug=true, so AddressSanitizer sees overruns, or with
 * -Dfast_paths=false (lib/base/tuned.h): malloc is the plain twin.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "bigmem.h"
#include "tuned.h"

/* The plain way: grow dst, copy src, free it. */
static bool append_copy(void **dst, size_t dst_bytes, size_t *dst_cap, void **src, size_t src_bytes,
                        size_t *src_cap)
{
	size_t need = dst_bytes + src_bytes;
	void *p = spn_big_realloc(*dst, *dst_cap, need);
	if (!p)
		return false;
	*dst = p;
	if (need > *dst_cap)
		*dst_cap = need;
	if (src_bytes)
		memcpy((char *)p + dst_bytes, *src, src_bytes);
	spn_big_free(*src, *src_cap);
	*src = NULL;
	*src_cap = 0;
	return true;
}

#if defined(SPN_ARENA_DEBUG) || !SPN_FAST_PATHS
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

void *spn_big_zalloc(size_t bytes)
{
	return calloc(1, bytes ? bytes : 1);
}

bool spn_big_append(void **dst, size_t dst_bytes, size_t *dst_cap, void **src, size_t src_bytes,
                    size_t *src_cap)
{
	return append_copy(dst, dst_bytes, dst_cap, src, src_bytes, src_cap);
}
#else
#define BIG_MIN ((size_t)2 << 20)  /* a whole huge page, none half used */
#define HUGE_PAGE ((size_t)2 << 20)

/* n rounded up to whole huge pages; sizes near SIZE_MAX stay too big for
 * map_aligned() instead of wrapping to small ones. */
static size_t round_huge(size_t n)
{
	if (n > SIZE_MAX / 4)
		return SIZE_MAX / 2;
	return (n + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
}

/* n bytes (a multiple of HUGE_PAGE) of address space aligned to HUGE_PAGE. */
static char *map_aligned(size_t n, int prot)
{
	if (n == 0 || n > SIZE_MAX / 4)
		return NULL;  /* no such memory anyway; and n + HUGE_PAGE must not wrap */
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

/* Move the pages of [from, from + n) to [to, to + n), replacing what is
 * there (n a multiple of HUGE_PAGE, both ends aligned to it). An array
 * spn_big_append() joined is several mappings, which one mremap cannot
 * move: then a huge page at a time - every boundary between them is
 * aligned to one. All or nothing: false (after moving back what had
 * moved) only if the kernel refuses. */
static bool move_range(char *from, size_t n, char *to)
{
	if (mremap(from, n, n, MREMAP_MAYMOVE | MREMAP_FIXED, to) != MAP_FAILED)
		return true;
	for (size_t off = 0; off < n; off += HUGE_PAGE)
		if (mremap(from + off, HUGE_PAGE, HUGE_PAGE, MREMAP_MAYMOVE | MREMAP_FIXED, to + off) ==
		    MAP_FAILED) {
			while (off) {
				off -= HUGE_PAGE;
				(void)mremap(to + off, HUGE_PAGE, HUGE_PAGE, MREMAP_MAYMOVE | MREMAP_FIXED,
				             from + off);
			}
			return false;
		}
	return true;
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
	if (p && new_bytes <= old_bytes)
		return p;  /* never shrinks */
	if (new_bytes < BIG_MIN && (!p || old_bytes < BIG_MIN))
		return realloc(p, new_bytes);
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
	/* Move the pages to the start of a new aligned range of the new size;
	 * they keep their huge page advice, the rest is made like them. */
	char *dst = map_aligned(n, PROT_READ | PROT_WRITE);
	if (!dst)
		return NULL;
	advise(dst + o, n - o);
	if (move_range(p, o, dst))
		return dst;
	/* The kernel refused (it moved nothing, or a part): copy what is
	 * left where it was. Not seen in practice. */
	munmap(dst, n);
	dst = map_aligned(n, PROT_READ | PROT_WRITE);
	if (!dst)
		return NULL;
	advise(dst, n);
	memcpy(dst, p, old_bytes);
	munmap(p, o);
	return dst;
}

void *spn_big_zalloc(size_t bytes)
{
	if (bytes < BIG_MIN)
		return calloc(1, bytes ? bytes : 1);
	size_t n = round_huge(bytes);
	char *p = map_aligned(n, PROT_READ | PROT_WRITE);  /* the kernel's pages are zero */
	if (p)
		advise(p, n);
	return p;
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

bool spn_big_append(void **dst, size_t dst_bytes, size_t *dst_cap, void **src, size_t src_bytes,
                    size_t *src_cap)
{
	if (!*dst || !*src || *dst_cap < BIG_MIN || *src_cap < BIG_MIN || !src_bytes)
		return append_copy(dst, dst_bytes, dst_cap, src, src_bytes, src_cap);
	/* Both mapped: src's pages go after dst's last used huge page, then
	 * src's bytes slide down (by less than a huge page) to follow dst's.
	 * The pages stay resident: nothing is faulted in or zeroed again, and
	 * only src's bytes are copied, in place. */
	size_t a = round_huge(dst_bytes), d = round_huge(*dst_cap), n = round_huge(*src_cap);
	char *r = map_aligned(a + n, PROT_NONE);
	if (!r)
		return append_copy(dst, dst_bytes, dst_cap, src, src_bytes, src_cap);
	if (a && !move_range(*dst, a, r)) {
		munmap(r, a + n);
		return append_copy(dst, dst_bytes, dst_cap, src, src_bytes, src_cap);
	}
	if (d > a)
		munmap((char *)*dst + a, d - a);  /* capacity dst did not use */
	if (!move_range(*src, n, r + a)) {
		/* dst is at r now, with room for nothing more: take it from there. */
		munmap(r + a, n);
		*dst = r;
		*dst_cap = a;
		return append_copy(dst, dst_bytes, dst_cap, src, src_bytes, src_cap);
	}
	memmove(r + dst_bytes, r + a, src_bytes);
	*dst = r;
	*dst_cap = a + n;
	*src = NULL;
	*src_cap = 0;
	return true;
}
#endif
