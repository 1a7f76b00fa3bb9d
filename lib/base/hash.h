/*
 * hash.h - the one hash function family of libspn: every table (the SPN
 * index, interned strings, DN and class lookups) hashes with these.
 *
 * Invariants:
 *  - One mixing (multiply-xorshift in the style of wyhash, 8 bytes a
 *    step); the variants differ only in what they feed it:
 *      spn_hash_lower(s)       == spn_hash(s with ASCII 'A'..'Z' lowered),
 *                                 for any bytes;
 *      spn_hash_ascii_lower(s) == spn_hash_lower(s) for ASCII-only s, and
 *                                 undefined for other bytes (the load path's
 *                                 hash of every SPN value: a tighter loop).
 *  - A table keeps the top 32 bits as its tag (spn_hash_tag); they are as
 *    good as the low ones.
 *  - Values are fixed for a build but no format: nothing is ever stored,
 *    printed or ordered by a hash.
 */
#ifndef SPN_BASE_HASH_H
#define SPN_BASE_HASH_H

#include <stddef.h>
#include <stdint.h>

uint64_t spn_hash(const char *s, size_t n);
uint64_t spn_hash_lower(const char *s, size_t n);
uint64_t spn_hash_ascii_lower(const char *s, size_t n);

/* The 32 bits of a hash a table keeps. */
static inline uint32_t spn_hash_tag(uint64_t h)
{
	return (uint32_t)(h >> 32);
}

#endif
