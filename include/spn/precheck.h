/*
 * precheck.h - before `spnctl add` writes an SPN: everything in the way,
 * checked against the whole scope the way the DC checks (and more), each
 * conflict naming the account that holds what.
 *
 *  - syntax: the DC's rules (two or three "/"-separated parts, none empty)
 *    and spnctl's (no spaces, control characters, '@', ...);
 *  - duplicates as AD compares them: case-insensitive with Unicode case
 *    folding (a port makes a different name: dns/x and dns/x:53 differ);
 *  - look-alikes: the same name once invisible characters are dropped;
 *  - HOST aliases both ways, by the model's sPNMappings: adding cifs/x
 *    while HOST/x is on another account, and HOST/x while cifs/x (or any
 *    other alias class on x) is.
 */
#ifndef SPN_PRECHECK_H
#define SPN_PRECHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "spn/arena.h"
#include "spn/err.h"
#include "spn/model.h"

enum spn_conflict_kind {
	SPN_CONFLICT_SYNTAX = 0,    /* the DC refuses such a value whatever --force says */
	SPN_CONFLICT_MALFORMED,     /* not a well-formed SPN; the DC may take it */
	SPN_CONFLICT_DUPLICATE,     /* another account holds it */
	SPN_CONFLICT_LOOKALIKE,     /* another account holds a spelling that reads the same */
	SPN_CONFLICT_ALIAS_HOST,    /* adding an alias class while HOST/<host> is elsewhere */
	SPN_CONFLICT_ALIAS_CLASS,   /* adding HOST/<host> while an alias class on it is elsewhere */
};
const char *spn_conflict_name(enum spn_conflict_kind k);  /* "duplicate", "alias-host", ... */

struct spn_conflict {
	enum spn_conflict_kind kind;
	uint32_t account;           /* the other account (SPN_NONE for syntax) */
	const char *value;          /* what it holds, as stored (NULL for syntax) */
	const char *text;           /* one sentence: what is in the way and what would break */
};

struct spn_precheck {
	struct spn_conflict *v;
	size_t n, cap;
	const char *already;        /* the target holds it already, spelled so; else NULL */
	struct spn_arena arena;
};

void spn_precheck_init(struct spn_precheck *p);
void spn_precheck_release(struct spn_precheck *p);

/* Check adding spn to the account with DN target (it may be absent from
 * m: an account without SPNs). Conflicts go to out (none: the add is
 * safe). */
enum spn_rc spn_precheck_add(const struct spn_model *m, const char *spn, const char *target,
                             struct spn_precheck *out, struct spn_err *err);

/* True when only --force could let conflicts through (none is SYNTAX). */
bool spn_precheck_forceable(const struct spn_precheck *p);

#endif
