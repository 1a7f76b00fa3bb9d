/*
 * arena.h - bump allocator for the millions of small, immutable strings and
 * records of a model.
 *
 * Invariants:
 *  - Memory comes from large blocks; nothing is freed individually.
 *  - Pointers stay valid until spn_arena_release(); blocks never move.
 *  - spn_arena_alloc() returns 8-byte aligned memory; strings from
 *    spn_arena_strndup() are packed, unaligned. Allocation failure returns NULL.
 *  - Built with -Darena_debug=true every allocation is its own malloc, so
 *    AddressSanitizer sees overruns.
 */
#ifndef SPN_ARENA_H
#define SPN_ARENA_H

#include <stdbool.h>
#include <stddef.h>

struct spn_arena_block;

struct spn_arena {
	struct spn_arena_block *head; /* current block, chained to older ones */
	size_t bytes;                 /* bytes handed out, for stats */
	size_t reserved;              /* bytes obtained from malloc */
};

void spn_arena_init(struct spn_arena *a);
void *spn_arena_alloc(struct spn_arena *a, size_t n);
/* Copy n bytes of s and add a NUL; s need not be NUL-terminated. */
char *spn_arena_strndup(struct spn_arena *a, const char *s, size_t n);
void spn_arena_release(struct spn_arena *a);
/* Move every block of src into dst (pointers into them stay valid, now
 * owned by dst); src is left empty. */
void spn_arena_adopt(struct spn_arena *dst, struct spn_arena *src);

/* A model's big growing arrays (bigmem.c): like realloc() from old_bytes
 * (the current capacity, 0 for p NULL) to new_bytes, but arrays of 2 MiB
 * and more live on huge pages and grow without copying. Never shrinks.
 * Free with spn_big_free() and the capacity in bytes. */
void *spn_big_realloc(void *p, size_t old_bytes, size_t new_bytes);
void spn_big_free(void *p, size_t bytes);
/* A zeroed big array of bytes (free with spn_big_free(p, bytes)). */
void *spn_big_zalloc(size_t bytes);
/* Append the first src_bytes of *src (capacity *src_cap bytes) to *dst
 * (dst_bytes used of *dst_cap); *src is consumed (NULL, 0). Two big arrays
 * are joined by moving src's pages, not by copying them into new ones.
 * False on NOMEM; *dst, *dst_cap, *src, *src_cap stay valid to free. */
bool spn_big_append(void **dst, size_t dst_bytes, size_t *dst_cap, void **src, size_t src_bytes,
                    size_t *src_cap);

#endif
