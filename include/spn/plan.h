/*
 * plan.h - changes to servicePrincipalName, each with its reason: what
 * `spnctl fix` proposes from the audit's findings, and what add, rm, reset
 * and undo ask for. A plan is data; lib/report prints it (text, JSON,
 * LDIF for ldapmodify / ldifde -i) and spn/apply.h carries it out.
 *
 * Every step changes one value of one account. Steps never depend on each
 * other's order (fix only removes copies; add, rm and reset touch one
 * account), so a plan's LDIF may be applied by any tool in file order.
 */
#ifndef SPN_PLAN_H
#define SPN_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "spn/arena.h"
#include "spn/check.h"
#include "spn/err.h"
#include "spn/model.h"

enum spn_step_op {
	SPN_STEP_DELETE = 0,
	SPN_STEP_ADD,
};
const char *spn_step_op_name(enum spn_step_op op);   /* "delete", "add" */

struct spn_step {
	enum spn_step_op op;
	const char *spn;        /* the value as stored (delete) or to be stored (add) */
	const char *dn;         /* the account */
	const char *sam;        /* its sAMAccountName, or NULL */
	const char *finding;    /* code of the finding this fixes, or NULL (a command) */
	const char *reason;     /* one sentence: why this change */
};

/* A duplicate the evidence could not settle: nothing is changed for it. */
struct spn_undecided {
	const char *spn;
	const char *finding;
	const char **dns;       /* the holders */
	const char **sams;      /* their sAMAccountNames (NULL entries allowed) */
	size_t n;
	const char *reason;     /* why undecided, and how to settle it (--keep) */
};

struct spn_plan {
	struct spn_step *steps;
	size_t nsteps, capsteps;
	struct spn_undecided *undecided;
	size_t nundecided, capundecided;
	bool complete;          /* made from complete data (false: say so, apply nothing) */
	size_t unfixable;       /* findings of kinds no SPN change fixes (kerberoastable, ...) */
	struct spn_arena arena; /* owns every string and array above */
};

void spn_plan_init(struct spn_plan *p);
void spn_plan_release(struct spn_plan *p);

/* Append a step (strings copied). A step equal to one already there
 * (same op, DN and value) is not added twice. */
enum spn_rc spn_plan_add_step(struct spn_plan *p, enum spn_step_op op, const char *spn,
                              const char *dn, const char *sam, const char *finding,
                              const char *reason, struct spn_err *err);

/* What `spnctl fix` may act on. */
struct spn_fix_opts {
	const char *const *only;   /* --only CODE: only findings of these codes (n 0: all) */
	size_t nonly;
	const uint32_t *keep;      /* --keep ACCOUNT: accounts that keep what they hold */
	size_t nkeep;
};

/* Codes of the findings fix can act on (NULL-terminated): duplicate-spn,
 * lookalike-spn, alias-conflict. */
extern const char *const spn_fix_codes[];

/* The plan that fixes findings fs of model m: for each duplicate,
 * look-alike or HOST-alias conflict (not the benign ones), the evidence
 * rule (spn/owner.h) picks the account that keeps the SPN and the others
 * lose their copies; when the evidence is even the duplicate goes to
 * undecided and nothing is removed. Findings of other kinds are counted
 * in unfixable. out must be initialised. */
enum spn_rc spn_plan_fix(const struct spn_model *m, const struct spn_findings *fs,
                         const struct spn_fix_opts *o, struct spn_plan *out, struct spn_err *err);

#endif
