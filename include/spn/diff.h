/*
 * diff.h - what changed between two snapshots (`spnctl diff OLD NEW`):
 * SPNs added, removed, and moved between accounts.
 *
 * SPNs are compared as AD compares them (case-insensitive, spn_fold), and
 * holders by DN (case-insensitive). Per SPN, with O its holders in OLD and
 * N in NEW:
 *  - added:   not in OLD, or held by more accounts in NEW (to = N \ O; a
 *             new holder next to an old one is a new duplicate);
 *  - removed: not in NEW, or held by fewer accounts (from = O \ N);
 *  - moved:   some holders lost it and others gained it (from = O \ N,
 *             to = N \ O).
 * A change of letter case alone is no change. Changes are sorted by the
 * folded SPN. An added or moved SPN that makes a duplicate or a conflict
 * in NEW is marked (creates; spn_changes_mark in check.h runs the dups
 * checks' findings against the changes). Printing them is lib/report's (report.h, spn_report_diff).
 */
#ifndef SPN_DIFF_H
#define SPN_DIFF_H

#include <stddef.h>

#include "spn/arena.h"
#include "spn/err.h"
#include "spn/model.h"

enum spn_change_kind {
	SPN_CHANGE_ADDED = 0,
	SPN_CHANGE_REMOVED,
	SPN_CHANGE_MOVED,
};
const char *spn_change_name(enum spn_change_kind k);  /* "added", "removed", "moved" */

struct spn_change {
	enum spn_change_kind kind;
	const char *spn;            /* as stored: NEW's spelling, OLD's for a removal */
	const char **from;          /* DNs (as stored in OLD) that lost it */
	size_t nfrom;
	const char **to;            /* DNs (as stored in NEW) that gained it */
	size_t nto;
	/* The worst duplicate or conflict in NEW that this SPN on one of the
	 * accounts it went to takes part in (spn_changes_mark, check.h): its
	 * check code, severity and finding id; NULL code when none. */
	const char *creates;
	int creates_severity;       /* enum spn_severity */
	const char *creates_id;
};

struct spn_changes {
	struct spn_change *v;
	size_t n, cap;
	size_t added, removed, moved;
	size_t creating;            /* changes with a creates code */
	struct spn_arena arena;     /* owns the arrays; strings are the models' */
};

void spn_changes_init(struct spn_changes *c);
void spn_changes_release(struct spn_changes *c);

/* Compare two finished models. The strings in out point into the models:
 * keep both until out is released. */
enum spn_rc spn_model_diff(const struct spn_model *old, const struct spn_model *new,
                           struct spn_changes *out, struct spn_err *err);

#endif
