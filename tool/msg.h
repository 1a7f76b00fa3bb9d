/*
 * msg.h - the only printer of errors and notes: "spnctl: <one line>" on
 * standard error, git's wording rules (what went wrong first, no capital,
 * no full stop, the subject quoted: cannot open 'x').
 */
#ifndef SPNCTL_MSG_H
#define SPNCTL_MSG_H

/* "spnctl: <message>"; returns SPNCTL_EXIT_FAILURE, so a command can
 * "return msg_fail(...)". */
int msg_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The same, for a command line spnctl cannot accept: adds "; see 'spnctl
 * --help'" (or "spnctl CMD --help" when cmd is not NULL). */
int msg_usage(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* "spnctl: <message>" for -v notes. */
void msg_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
