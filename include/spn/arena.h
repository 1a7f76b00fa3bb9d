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

#include <stdarg.h>
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
/* printf into the arena; NULL when out of memory (or for a bad format). */
char *spn_arena_printf(struct spn_arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *spn_arena_vprintf(struct spn_arena *a, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
void spn_arena_release(struct spn_arena *a);
/* Move every block of src into dst (pointers into them stay valid, now
 * owned by dst); src is left empty. */
void spn_arena_adopt(struct spn_arena *dst, struct spn_arena *src);

#endif
