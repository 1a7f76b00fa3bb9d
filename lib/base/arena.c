/*
 * arena.c - the bump allocator behind every model (see spn/arena.h).
 *
 * Blocks start at 64 KiB and double up to 4 MiB, so a tiny test model stays
 * tiny and a ten-million-account model makes a few thousand mallocs, not tens
 * of millions. An allocation larger than a quarter block gets its own block.
 * Blocks come from spn_big_realloc(): full-size ones on huge pages.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spn/arena.h"
#include "bigmem.h"

#define ARENA_MIN_BLOCK ((size_t)64 * 1024)
#define ARENA_MAX_BLOCK ((size_t)4 * 1024 * 1024)
#define ARENA_ALIGN 8

struct spn_arena_block {
	struct spn_arena_block *prev;
	size_t size;   /* usable bytes in data[] */
	size_t used;
	max_align_t data[];
};

void spn_arena_init(struct spn_arena *a)
{
	a->head = NULL;
	a->bytes = 0;
	a->reserved = 0;
}

static struct spn_arena_block *arena_grow(struct spn_arena *a, size_t need)
{
	/* Block sizes count the header, so a block is exactly 64 KiB ... 4 MiB:
	 * big ones come from bigmem on whole huge pages, filled with one page
	 * fault per 2 MiB and no page half used. */
	struct spn_arena_block *b;
	size_t total = a->head ? (sizeof(*b) + a->head->size) * 2 : ARENA_MIN_BLOCK;
	if (total > ARENA_MAX_BLOCK)
		total = ARENA_MAX_BLOCK;
	size_t size = total - sizeof(*b);
	if (need > size / 4)
		size = need;
#ifdef SPN_ARENA_DEBUG
	size = need;  /* one exact block per allocation, so ASan sees overruns */
#endif
	b = spn_big_realloc(NULL, 0, sizeof(*b) + size);
	if (!b)
		return NULL;
	b->size = size;
	b->used = 0;
	if (need == size && a->head) {
		/* A big one-off: keep the current block as head for small allocations. */
		b->prev = a->head->prev;
		a->head->prev = b;
	} else {
		b->prev = a->head;
		a->head = b;
	}
	a->reserved += size;
	return b;
}

/* n bytes at the given alignment (1 for strings, 8 for records). */
static void *arena_take(struct spn_arena *a, size_t n, size_t align)
{
	if (n == 0)
		n = 1;
	if (n > SIZE_MAX / 2)
		return NULL;
#ifdef SPN_ARENA_DEBUG
	(void)align;
	struct spn_arena_block *d = arena_grow(a, n);
	if (!d)
		return NULL;
	d->used = d->size;
	a->bytes += n;
	return d->data;
#else
	struct spn_arena_block *b = a->head;
	size_t off = b ? (b->used + align - 1) & ~(align - 1) : 0;
	if (!b || off > b->size || b->size - off < n) {
		b = arena_grow(a, n);
		if (!b)
			return NULL;
		off = b->used;   /* a fresh block (or a one-off) starts aligned */
	}
	void *p = (char *)b->data + off;
	b->used = off + n;
	a->bytes += n;
	return p;
#endif
}

void *spn_arena_alloc(struct spn_arena *a, size_t n)
{
	return arena_take(a, n, ARENA_ALIGN);
}

char *spn_arena_strndup(struct spn_arena *a, const char *s, size_t n)
{
	if (n == SIZE_MAX)
		return NULL;
	/* Strings need no alignment: packing them saves ~4 bytes a string,
	 * which is megabytes over millions of SPNs. */
	char *p = arena_take(a, n + 1, 1);
	if (!p)
		return NULL;
	if (n)
		memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *spn_arena_vprintf(struct spn_arena *a, const char *fmt, va_list ap)
{
	va_list ap2;
	va_copy(ap2, ap);
	int len = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	char *s = len < 0 ? NULL : spn_arena_alloc(a, (size_t)len + 1);
	if (s)
		vsnprintf(s, (size_t)len + 1, fmt, ap);
	return s;
}

char *spn_arena_printf(struct spn_arena *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = spn_arena_vprintf(a, fmt, ap);
	va_end(ap);
	return s;
}

void spn_arena_release(struct spn_arena *a)
{
	struct spn_arena_block *b = a->head;
	while (b) {
		struct spn_arena_block *prev = b->prev;
		spn_big_free(b, sizeof(*b) + b->size);
		b = prev;
	}
	spn_arena_init(a);
}

void spn_arena_adopt(struct spn_arena *dst, struct spn_arena *src)
{
	struct spn_arena_block *tail = src->head;
	if (!tail)
		return;
	while (tail->prev)
		tail = tail->prev;
	if (dst->head) {
		/* Behind dst's current block, which keeps taking small allocations. */
		tail->prev = dst->head->prev;
		dst->head->prev = src->head;
	} else {
		dst->head = src->head;
	}
	dst->bytes += src->bytes;
	dst->reserved += src->reserved;
	spn_arena_init(src);
}
