/*
 * exit.h - spnctl's exit statuses: the one table. spnctl(1) EXIT STATUS
 * says the same in words; tests/docs/ fails when the two disagree.
 */
#ifndef SPNCTL_EXIT_H
#define SPNCTL_EXIT_H

/* Complete, and nothing at or above --fail-on (list: every account found;
 * query, -Q: every pattern matched; resolve: every name gets a usable ticket;
 * add, rm, reset, undo, fix --apply: every change made or already so). */
#define SPNCTL_EXIT_OK 0
/* Findings at or above --fail-on (-X: duplicates found, beyond the benign
 * pairs reported as info; diff: SPNs changed; query, -Q: a pattern matched
 * nothing; resolve: a name gets no ticket or a ticket the service cannot
 * decrypt; add, -S: refused because another account is in the way, nothing
 * written; fix: changes to make or duplicates to decide; a write with --wait: a DC
 * still behind when the time ran out). */
#define SPNCTL_EXIT_FINDINGS 1
/* Could not complete: usage error, unreadable or malformed input, input
 * that cannot be a whole domain (no entries, SPNs or DC), unknown
 * account, connection or authentication failure, incomplete data, a change
 * the DC refused or that failed. */
#define SPNCTL_EXIT_FAILURE 2

#endif
