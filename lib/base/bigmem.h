/*
 * bigmem.h - the big growing arrays of a model (accounts, SPN values, their
 * index tags, the index itself) and the arena's blocks: machinery inside
 * libspn, not part of its interface.
 *
 * Invariants:
 *  - Arrays of 2 MiB and more are their own mappings on huge pages and grow
 *    without copying; smaller ones (and every one with -Darena_debug=true
 *    or -Dfast_paths=false) come from malloc.
 *  - The caller keeps the capacity in bytes and hands it back: to grow, to
 *    append and to free. Nothing ever shrinks.
 */
#ifndef SPN_BASE_BIGMEM_H
#define SPN_BASE_BIGMEM_H

#include <stdbool.h>
#include <stddef.h>

/* Like realloc() from old_bytes (the current capacity, 0 for p NULL) to
 * new_bytes. Never shrinks. Free with spn_big_free() and the capacity in
 * bytes. */
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
