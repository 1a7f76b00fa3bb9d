/*
 * spn_int.h - what lib/spn's files share beyond spn/spn.h: the hand-tuned
 * scan of spn_parse_fast.c and its plain twin in spn_parse.c (a pair of
 * lib/base/tuned.h). Nothing outside lib/spn includes this but the unit
 * test that holds the two against each other.
 */
#ifndef SPN_SPN_INT_H
#define SPN_SPN_INT_H

#include <stddef.h>
#include <stdint.h>

/* The bytes of s[0..min(n, 64)) that SPN syntax turns on - white space and
 * controls (<= 0x20), '/', ':', '@', DEL and every byte >= 0x80 - as a
 * mask: bit i set exactly when s[i] is one. Reads no byte past s[n - 1]. */
uint64_t spn_parse_special_plain(const char *s, size_t n);  /* spn_parse.c */
uint64_t spn_parse_special_fast(const char *s, size_t n);   /* spn_parse_fast.c */

#endif
