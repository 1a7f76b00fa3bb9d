/*
 * suggest.h - "did you mean" (suggest.c): the nearest of some words to
 * what was typed, whether an argument names a file, and the message for
 * an argument a command does not take.
 */
#ifndef SPNCTL_SUGGEST_H
#define SPNCTL_SUGGEST_H

#include <stdbool.h>
#include <stddef.h>

struct spnctl;

/* Optimal string alignment distance of a and b, ignoring case (a swap of
 * neighbours costs 1); (size_t)-1 for words of 64 bytes or more. */
size_t spnctl_distance(const char *a, const char *b);
/* The candidate word most likely meant (NULL entries are skipped), or
 * NULL: the only candidate word is the start of (2 letters or more; none
 * when it starts several), else the nearest when at most 2 away and at most
 * half of word's length. */
const char *spnctl_nearest(const char *word, const char *const *cands, size_t n);
/* Does word name a file: an existing regular file, or a name ending in
 * .ldif or .ldf? */
bool spnctl_names_file(const char *word);
/* "unexpected argument 'x'" for c's first operand (c->args[0]), with the
 * -f FILE (or snapshot's -o FILE) it probably meant when it names a file;
 * returns the exit status. */
int spnctl_unexpected(const struct spnctl *c);

#endif
