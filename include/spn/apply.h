/*
 * apply.h - carrying a plan out on a domain controller, one value at a
 * time, with the discipline every spnctl write follows:
 *
 *  1. re-read the account (every value, ranged retrieval followed); a step
 *     already satisfied is left alone; after a question to a person, read
 *     again;
 *  2. write the undo record (spn/undo.h) and fsync it;
 *  3. change exactly one value: an LDAP modify "add" or "delete" of that
 *     value as the account stores it. Where the DC refuses a single-value
 *     delete (Samba refuses to delete one copy of a duplicated SPN), re-read
 *     and replace the attribute with the remaining values;
 *  4. re-read and compare: the step's value is as asked, and every other
 *     value is as it was. A value that vanished or appeared meanwhile is
 *     someone else's change: reported, and left so (putting back a value
 *     another administrator moved would make a duplicate). A write never
 *     loses a value it was not asked to remove.
 *
 * A DC's refusal is reported in words (who holds the value, which right is
 * missing, which host names the account may use) rather than as raw LDAP
 * text, and its undo record is taken back.
 */
#ifndef SPN_APPLY_H
#define SPN_APPLY_H

#include <stdbool.h>
#include <stddef.h>

#include "spn/directory.h"
#include "spn/err.h"
#include "spn/plan.h"
#include "spn/undo.h"

enum spn_step_state {
	SPN_STEP_APPLIED = 0,  /* changed and confirmed */
	SPN_STEP_UNCHANGED,    /* nothing to do: the account is already as asked */
	SPN_STEP_WOULD,        /* dry run: this would be written */
	SPN_STEP_DECLINED,     /* the user said no */
	SPN_STEP_REFUSED,      /* the DC refused: nothing changed */
	SPN_STEP_FAILED,       /* could not read, write or confirm: see message */
	SPN_STEP_NOT_RUN,      /* an earlier failure (or quit) stopped the run */
};
const char *spn_step_state_name(enum spn_step_state s);  /* "applied", "unchanged", ... */

struct spn_step_result {
	const struct spn_step *step;
	enum spn_step_state state;
	const char *stored;          /* the value as the account stores it (delete), or NULL */
	bool via_replace;            /* the DC refused the single-value delete */
	const char *message;         /* what happened, in words (NULL when applied plainly) */
	const char *const *appeared; /* values someone else added meanwhile */
	size_t nappeared;
	const char *const *vanished; /* values someone else removed meanwhile */
	size_t nvanished;
};

struct spn_apply_opts {
	bool dry_run;              /* everything up to the write; nothing is written */
	bool keep_going;           /* after a refusal or failure, go on with the next step */
	/* Asked before each change; NULL: no questions. Returns 1 yes, 0 no
	 * (skip this one), -1 quit (skip the rest). */
	int (*ask)(void *ctx, const struct spn_step *s);
	/* Told after each step, to print as it goes. The result's strings
	 * live only during the call. */
	void (*done)(void *ctx, const struct spn_step_result *r);
	void *ctx;
};

struct spn_apply_summary {
	size_t applied, unchanged, would, declined, refused, failed, not_run;
};

/* Carry out p's steps in order on d, recording each change in undo (may be
 * NULL only for a dry run). SPN_OK when every step ended applied,
 * unchanged, would or declined; SPN_REFUSED when the DC refused one;
 * SPN_DIRECTORY / SPN_INCOMPLETE / SPN_IO when one could not be carried
 * out or confirmed (err says the first). A plan made from incomplete data
 * is refused (SPN_INCOMPLETE) before anything is read. */
enum spn_rc spn_plan_apply(struct spn_dir *d, const struct spn_plan *p, struct spn_undo *undo,
                           const struct spn_apply_opts *o, struct spn_apply_summary *sum,
                           struct spn_err *err);

#endif
