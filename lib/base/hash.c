/*
 * hash.c - the hash function family (see hash.h): one 64-bit hash, 8 bytes
 * a step, fed the bytes as they are or with ASCII capitals lowered on the
 * way, so a case-insensitive key needs no folded copy first.
 */
#include <stdbool.h>
#include <string.h>

#include "hash.h"

__extension__ typedef unsigned __int128 u128;

static inline uint64_t mix(uint64_t a, uint64_t b)
{
	u128 r = (u128)a * b;
	return (uint64_t)(r >> 64) ^ (uint64_t)r;
}

/* ASCII case folding of 8 bytes, all < 0x80: a byte gets 0x20 when it is
 * >= 'A' and <= 'Z' (the additions carry into no neighbour). */
static inline uint64_t lower8_ascii(uint64_t w)
{
	const uint64_t ones = 0x0101010101010101ULL, high = 0x8080808080808080ULL;
	uint64_t ge_a = w + (0x80 - 'A') * ones, gt_z = w + (0x7f - 'Z') * ones;
	return w | ((ge_a & ~gt_z & high) >> 2);
}

/* The same for any 8 bytes: the sums are taken of the low 7 bits (no
 * carry leaves a byte), and bytes >= 0x80 are left alone. */
static inline uint64_t lower8_any(uint64_t w)
{
	const uint64_t ones = 0x0101010101010101ULL, high = 0x8080808080808080ULL;
	uint64_t t = w & ~high;
	uint64_t ge_a = t + (0x80 - 'A') * ones, gt_z = t + (0x7f - 'Z') * ones;
	return w | ((ge_a & ~gt_z & ~w & high) >> 2);
}

enum feed { AS_IS, LOWER_ASCII, LOWER_ANY };

static inline uint64_t feed(uint64_t w, enum feed how)
{
	return how == LOWER_ASCII ? lower8_ascii(w) : how == LOWER_ANY ? lower8_any(w) : w;
}

/* The hash of s[0..n), each word fed as `how` says (inlined three times:
 * the choice folds away). */
static inline uint64_t hash(const char *s, size_t n, enum feed how)
{
	const uint64_t k0 = 0xa0761d6478bd642fULL, k1 = 0xe7037ed1a0b428dbULL;
	uint64_t h = k0 ^ (n * k1);
	size_t i = 0;
	for (; i + 8 <= n; i += 8) {
		uint64_t w;
		memcpy(&w, s + i, 8);
		h = mix(h ^ feed(w, how), k1);
	}
	uint64_t w = 0;
	if (n > i)
		memcpy(&w, s + i, n - i);
	h = mix(h ^ feed(w, how) ^ 0x8ebc6af09c88c6e3ULL, k0);
	return mix(h, k1 ^ 0x589965cc75374cc3ULL);
}

uint64_t spn_hash(const char *s, size_t n)
{
	return hash(s, n, AS_IS);
}

uint64_t spn_hash_lower(const char *s, size_t n)
{
	return hash(s, n, LOWER_ANY);
}

uint64_t spn_hash_ascii_lower(const char *s, size_t n)
{
	return hash(s, n, LOWER_ASCII);
}
