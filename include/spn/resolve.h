/*
 * resolve.h - which account a KDC would issue a service ticket under, and why.
 *
 * Follows MS-KILE 3.3.5.1.1 / MS-DRSR LookupSPN as Windows and Samba KDCs do,
 * per domain (a KDC searches only its own domain): UPN equal to the name,
 * exact SPN (case-insensitive), then the HOST alias from sPNMappings. Predicts
 * what the client sees: a ticket for one account, "server not found"
 * (KDC_ERR_S_PRINCIPAL_UNKNOWN: no holder, or two holders in one domain), or
 * a ticket the service cannot decrypt (KRB_AP_ERR_MODIFIED: an explicit SPN on
 * another account shadows HOST/, or the same SPN lives in two domains) - or,
 * for a web SPN on its own account beside the computer's HOST/, which
 * service gets which key and whom that breaks (shadows-host).
 */
#ifndef SPN_RESOLVE_H
#define SPN_RESOLVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "spn/arena.h"
#include "spn/err.h"
#include "spn/model.h"

enum spn_outcome {
	SPN_OUTCOME_TICKET = 0,        /* one account: a ticket the service can use */
	SPN_OUTCOME_WRONG_KEY,         /* a ticket, but likely for the wrong key (AP_ERR_MODIFIED) */
	SPN_OUTCOME_NOT_FOUND,         /* no holder: KDC_ERR_S_PRINCIPAL_UNKNOWN */
	SPN_OUTCOME_NOT_UNIQUE,        /* 2+ holders in the domain: KDC_ERR_S_PRINCIPAL_UNKNOWN */
	SPN_OUTCOME_MALFORMED,         /* the name is not an SPN */
	SPN_OUTCOME_SHADOWS_HOST,      /* a web SPN (HTTP/...) on its own account beside the
	                                  computer's HOST/: a ticket right for an IIS application
	                                  pool running as that account, wrong for the computer's
	                                  own web listeners (WinRM, PowerShell remoting) */
};
/* "ticket", "wrong-key", "not-found", "not-unique", "malformed", "shadows-host". */
const char *spn_outcome_name(enum spn_outcome o);
/* A ticket the service asked for may use: ticket, and shadows-host (right
 * for the account that holds the name). */
bool spn_outcome_usable(enum spn_outcome o);

struct spn_resolution {
	const char *spn;            /* as asked */
	const char *domain;         /* the KDC's domain this answer is for */
	enum spn_outcome outcome;
	uint32_t account;           /* the account the ticket is for, or SPN_NONE */
	const char *matched;        /* the stored name that matched ("HOST/web01"), or NULL */
	const char **steps;         /* the lookup, step by step, in words */
	size_t nsteps;
	const char *summary;        /* one line: "ticket for CN=..., encrypted with its key" */
	const char *kerberos_error; /* "KDC_ERR_S_PRINCIPAL_UNKNOWN", "KRB_AP_ERR_MODIFIED" or NULL */
};

struct spn_resolutions {
	struct spn_resolution *v;
	size_t n, cap;
	struct spn_arena arena;     /* owns every string above */
};

void spn_resolutions_init(struct spn_resolutions *r);
void spn_resolutions_release(struct spn_resolutions *r);

/* Resolve one name. domain NULL: the domain whose DNS name is the longest
 * suffix of the SPN's host, else every domain in the model (one resolution
 * each). Appends to out. */
enum spn_rc spn_resolve(const struct spn_model *m, const char *spn, const char *domain,
                        struct spn_resolutions *out, struct spn_err *err);

#endif
