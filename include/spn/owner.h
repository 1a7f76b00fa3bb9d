/*
 * owner.h - which account runs the service an SPN names: the evidence rule
 * that decides which copy of a duplicated SPN stays and which go.
 *
 * The duplicate-spn check's "Fix:" text and `spnctl fix` both ask this one
 * rule, so what the audit advises and what fix would do never disagree.
 *
 * Each candidate account collects evidence, each item worth points:
 *   +4  the computer whose name is the SPN's host, for a class that runs as
 *       the machine (HOST and its aliases, RestrictedKrbHost, TERMSRV, WSMAN,
 *       ldap, GC, DNS, SMTPSVC/SMTP, exchange*, ...)
 *   +1  the same computer, for a class usually run by a service account
 *       (MSSQLSvc, HTTP of an app pool, MSOLAPSvc.3, any unknown class)
 *   +3  holds the rest of that service's set: other SPNs of the same class
 *       and host (other ports, instances, the short or full name) that no
 *       other candidate holds
 *   +2  a managed service account (gMSA, sMSA, dMSA)
 *   +1  a user named or placed like a dedicated service account ("svc",
 *       "service" in its name or OU)
 *   -2  an ordinary user account (not named or placed like a service account)
 *   -3  privileged (adminCount=1, a protected group)
 *   -4  the built-in Administrator (RID 500), krbtgt or a trust account
 *   -5  disabled
 * The candidate with the most points keeps the SPN only when it leads every
 * other by at least SPN_OWNER_MARGIN points. Anything closer is undecided:
 * a wrong removal is worse than none, so the caller then changes nothing
 * and asks (`--keep ACCOUNT`).
 */
#ifndef SPN_OWNER_H
#define SPN_OWNER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "spn/arena.h"
#include "spn/err.h"
#include "spn/model.h"

#define SPN_OWNER_MARGIN 3

enum spn_evidence_kind {
	SPN_EV_HOST_COMPUTER = 0,  /* the computer named by the host, machine class (+4) */
	SPN_EV_HOST_COMPUTER_WEAK, /* the same, class usually run by a service account (+1) */
	SPN_EV_SERVICE_SET,        /* holds the rest of the service's set (+3) */
	SPN_EV_MANAGED,            /* gMSA / sMSA / dMSA (+2) */
	SPN_EV_SERVICE_NAMED,      /* named or placed like a service account (+1) */
	SPN_EV_PERSON,             /* an ordinary user account (-2) */
	SPN_EV_PRIVILEGED,         /* adminCount=1 or a protected group (-3) */
	SPN_EV_BUILTIN,            /* RID 500, krbtgt, trust account (-4) */
	SPN_EV_DISABLED,           /* disabled (-5) */
};
/* "host-computer", "service-set", ... (for JSON). */
const char *spn_evidence_name(enum spn_evidence_kind k);

struct spn_evidence {
	enum spn_evidence_kind kind;
	int points;
	const char *text;          /* one clause: "the computer named exch01.corp.example" */
};

struct spn_candidate {
	uint32_t account;
	int score;                 /* sum of the points */
	const struct spn_evidence *ev;
	size_t nev;
};

struct spn_owner {
	struct spn_candidate *c;   /* best first (ties by DN) */
	size_t n;
	bool decided;              /* c[0] keeps the SPN; c[1..n) lose it */
	const char *why;           /* one sentence: why decided, or why not */
	struct spn_arena arena;    /* owns c, the evidence and the strings */
};

void spn_owner_init(struct spn_owner *o);
void spn_owner_release(struct spn_owner *o);

/* Weigh the evidence for each of accounts[0..n) (distinct accounts that
 * hold spn, or claim it through an alias) and decide. keep: an account the
 * user named with --keep (SPN_NONE: none): when it is among the candidates
 * it wins whatever the evidence says, and why says so. Replaces o's
 * previous contents. */
enum spn_rc spn_owner_decide(const struct spn_model *m, const char *spn, size_t spnlen,
                             const uint32_t *accounts, size_t n, uint32_t keep,
                             struct spn_owner *o, struct spn_err *err);

/* True when cls[0..n) is a class whose services run as the machine
 * (LocalSystem / NetworkService) under aliases: the HOST aliases of t,
 * except the web classes an app pool may run. */
bool spn_class_runs_as_machine(const struct spn_alias_table *t, const char *cls, size_t n);

#endif
