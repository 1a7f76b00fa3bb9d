/*
 * views.h - one domain as several DCs see it (--all-dcs): each DC's own
 * view (a finished model read from that DC), and the union the audit
 * checks - every account once, with every SPN any DC holds for it: what
 * the domain holds once replication has carried each write everywhere,
 * so a duplicate written on two DCs before replication is found before
 * any single DC shows it. For each value, which DCs hold it; and the
 * values some DCs hold and others do not (a difference between DCs:
 * replication has not arrived yet, or a write on one DC took it away).
 *
 * Invariants:
 *  - A view speaks only for accounts of its own domain; a view that could
 *    not be read speaks for none (the caller records the gap).
 *  - The union's accounts come in view order, each from the first view
 *    that has it (its attributes are that DC's); its SPN values are the
 *    first view's, then each other view's values not yet there (as AD
 *    compares them: any case).
 *  - Views are the caller's; the union is the views' own (spn_views_free).
 */
#ifndef SPN_VIEWS_H
#define SPN_VIEWS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "spn/err.h"
#include "spn/model.h"

struct spn_views;

/* names[i]: a DC's name for reports; domains[i]: the DNS domain it holds;
 * models[i]: its finished view, or NULL when it could not be read. The
 * union (spn_views_union) is built, not finished: add to it (DCs, gaps),
 * then spn_views_finish(). model_flags: spn_model_new's. */
enum spn_rc spn_views_build(struct spn_views **out, size_t n, const char *const *names,
                            const char *const *domains, struct spn_model *const *models,
                            unsigned model_flags, struct spn_err *err);
/* Finish the union and find the differences between DCs. */
enum spn_rc spn_views_finish(struct spn_views *v, struct spn_err *err);
void spn_views_free(struct spn_views *v);

struct spn_model *spn_views_union(struct spn_views *v);
const struct spn_model *spn_views_union_c(const struct spn_views *v);
/* DC i's own view, or NULL when it could not be read. */
const struct spn_model *spn_views_model(const struct spn_views *v, size_t i);
size_t spn_views_count(const struct spn_views *v);
const char *spn_views_name(const struct spn_views *v, size_t i);

enum spn_view_holds {
	SPN_VIEW_NO = 0,        /* the DC does not hold it (or does not have the account) */
	SPN_VIEW_YES = 1,
	SPN_VIEW_SILENT = 2,    /* the DC speaks not for this account: unread, another domain */
};
/* Does view i hold spn (as AD compares: any case) on the union's account? */
enum spn_view_holds spn_views_holds(const struct spn_views *v, size_t i, uint32_t account,
                                    const char *spn, size_t n);

/* A value some DCs of its account's domain hold and others do not. */
struct spn_view_diff {
	uint32_t account;       /* the union's account */
	uint32_t value;         /* the union's value id */
	const uint8_t *holds;   /* per view: enum spn_view_holds */
};
/* After spn_views_finish(): in union order (account, then value). */
size_t spn_views_ndiffs(const struct spn_views *v);
const struct spn_view_diff *spn_views_diff(const struct spn_views *v, size_t i);

#endif
