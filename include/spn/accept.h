/*
 * accept.h - accepted findings, like a linter's baseline: findings someone
 * has looked at and decided to live with. They stay in the report, marked
 * accepted, but no longer count for the exit status, so an audit in CI
 * passes on them and still fails on any new problem.
 *
 * The file is text, one entry a line (`spnctl audit --write-accept FILE`
 * writes one to start from, report.h's spn_report_accept):
 *   3f2a9c1b2d3e4f50           a finding id (spn_finding_id, check.h)
 *   duplicate-spn HTTP/web01   a check code and a name: the finding's SPN
 *                              (compared as AD compares SPNs, without
 *                              regard to case) or, for a finding without
 *                              one, its first account's DN or
 *                              sAMAccountName (any case, '$' optional)
 * '#' starts a comment at the start of a line or after a blank; blank lines
 * and CR line ends are fine. Anything else is SPN_INPUT naming the line
 * ("accepted.txt:3: unknown check 'dup-spn' (spnctl checks lists them)").
 */
#ifndef SPN_ACCEPT_H
#define SPN_ACCEPT_H

#include <stdbool.h>
#include <stddef.h>

#include "spn/check.h"
#include "spn/err.h"
#include "spn/model.h"

struct spn_accept_entry {
	const char *id;      /* 16 hex digits, lower case; NULL for a code and name */
	const char *code;    /* a check code; NULL for an id */
	const char *name;    /* the SPN, DN or sAMAccountName; NULL for an id */
	size_t line;         /* where it stands in the file */
};

struct spn_accept {
	struct spn_accept_entry *v;
	size_t n, cap;
	char **texts;        /* a copy of each file parsed; the entries point into them */
	size_t ntexts;
};

void spn_accept_init(struct spn_accept *a);
void spn_accept_release(struct spn_accept *a);
/* Parse text[0..n) (name: the file, for messages) and append its entries
 * (several files add up). */
enum spn_rc spn_accept_parse(struct spn_accept *a, const char *name, const char *text, size_t n,
                             struct spn_err *err);
/* Read and parse the file at path (at most 64 MiB). */
enum spn_rc spn_accept_read_file(struct spn_accept *a, const char *path, struct spn_err *err);
/* Mark every finding an entry names as accepted; returns how many are.
 * SPN_NOMEM leaves the findings it could not weigh unaccepted. */
enum spn_rc spn_accept_apply(const struct spn_accept *a, const struct spn_model *m,
                             struct spn_findings *f, size_t *naccepted);

#endif
