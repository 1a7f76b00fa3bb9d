/*
 * converge.h - a change followed until every DC agrees (--wait after a
 * write): each DC's view of the changed objects re-read until it holds
 * what the write left on the DC that took it, and - with a ticket cache -
 * each DC's own KDC asked for the SPN until it issues the ticket. Bounded:
 * when the time runs out, the DCs still behind are named with what they
 * still lack.
 *
 * Invariants:
 *  - Reads only: nothing is written anywhere.
 *  - Each DC is asked on a connection of its own, kept for the whole wait;
 *    a DC that cannot be reached is asked again at the next round (it may
 *    be restarting), and its last error is kept.
 *  - A KDC is asked only for SPNs that exactly one account holds after the
 *    change (spn_expect.probe): only then may every KDC issue the ticket.
 *  - Times are seconds since the wait began, from the monotonic clock.
 */
#ifndef SPN_CONVERGE_H
#define SPN_CONVERGE_H

#include <stdbool.h>
#include <stddef.h>

#include "spn/dcs.h"
#include "spn/err.h"
#include "spn/live.h"

/* One value of one object, as the write left it. */
struct spn_expect {
	const char *dn;
	const char *spn;
	bool present;              /* the object holds it (an add), or not (a removal) */
	bool probe;                /* once the directory agrees, a KDC should issue a ticket for it */
};

struct spn_follow_dc {
	const struct spn_dc *dc;
	double dir_seconds;        /* when its directory agreed; < 0: not (yet) */
	double kdc_seconds;        /* when its KDC issued every ticket; < 0: not (yet), or not asked */
	bool kdc_asked;            /* there was a ticket to ask for and a ticket cache to ask with */
	char behind[600];          /* what it still lacked at the last round, in words */
	char error[600];           /* why it could not be asked at the last round, or "" */
};

struct spn_follow {
	struct spn_follow_dc *dcs;
	size_t n;
	double seconds;            /* how long the wait took */
	bool converged;            /* every DC agreed (directory and, where asked, KDC) */
	bool no_ticket_cache;      /* KDCs were not asked: no usable ticket-granting ticket */
};

struct spn_follow_opts {
	double max_seconds;        /* the bound */
	bool kdc;                  /* ask each DC's KDC too */
	const char *ccache;        /* NULL: KRB5CCNAME or the default cache */
	/* Told after each round (progress on a terminal); NULL: nothing. */
	void (*round)(void *ctx, const struct spn_follow *f, double elapsed);
	void *ctx;
};

/* Follow ex[0..nex) to every DC of l, reading with o's bind. Release out
 * with spn_follow_release() (also after an error). SPN_OK whether or not
 * it converged (out says); errors: out of memory. */
enum spn_rc spn_follow_change(const struct spn_dc_list *l, const struct spn_live_opts *o,
                              const struct spn_expect *ex, size_t nex,
                              const struct spn_follow_opts *fo, struct spn_follow *out,
                              struct spn_err *err);
void spn_follow_release(struct spn_follow *f);

#endif
