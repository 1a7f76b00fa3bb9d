/*
 * classify_int.h - the hand-tuned halves of classify.c's rules, each with
 * its plain twin (a pair of lib/base/tuned.h): reading an integer value and
 * finding where a DN's DC= suffix starts. Nothing outside lib/model includes
 * this but the unit test that holds the twins against each other.
 */
#ifndef SPN_MODEL_CLASSIFY_INT_H
#define SPN_MODEL_CLASSIFY_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The integer p[0..n) spells, as strtoll(, 10) reads a whole value: spaces
 * (and a CR at the end) around it, then white space, a sign, and only
 * digits; no overflow; under 32 bytes once trimmed. False when it is not
 * one (then *out is untouched). */
bool spn_int_read_plain(const char *p, size_t n, int64_t *out);  /* classify.c */
bool spn_int_read_fast(const char *p, size_t n, int64_t *out);   /* classify_fast.c */

/* Where the first RDN of dn[0..n) that is DC=... starts (spaces before an
 * RDN skipped, "\\" escaping the next byte inside one), or n when none. */
size_t spn_dn_dc_start_plain(const char *dn, size_t n);  /* classify.c */
size_t spn_dn_dc_start_fast(const char *dn, size_t n);   /* classify_fast.c */

#endif
