/*
 * twins.h - what the tests that hold hand-tuned code and its plain twin
 * equal (lib/base/tuned.h) share: a small deterministic random source, and
 * copies in blocks of their exact size, so the ASan build sees any read past
 * an input's end. Include after cmocka.h.
 */
#ifndef SPN_TEST_TWINS_H
#define SPN_TEST_TWINS_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static uint64_t tw_state = 88172645463325252ULL;

/* A number below n (xorshift64: the same sequence on every run). */
static inline unsigned tw_rnd(unsigned n)
{
	tw_state ^= tw_state << 13;
	tw_state ^= tw_state >> 7;
	tw_state ^= tw_state << 17;
	return (unsigned)(tw_state % n);
}

/* s[0..n) in a block of exactly n bytes (1 when n is 0); free() it. */
static inline char *tw_copy(const void *s, size_t n)
{
	char *p = malloc(n ? n : 1);
	assert_non_null(p);
	if (n)
		memcpy(p, s, n);
	return p;
}

#endif
