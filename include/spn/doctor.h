/*
 * doctor.h - `spnctl doctor TARGET`: why Kerberos to a service fails, on
 * one screen. From the service as a user names it (spn/target.h): what DNS
 * answers for its host (the system resolver's canonical name: a CNAME or
 * hosts alias followed, as browsers and SSPI do), the SPNs clients ask for,
 * and for each who holds it, what the KDC does and whether a keytab opens
 * the ticket (spn/diag.h); with a front-end account, whether constrained
 * delegation (its msDS-AllowedToDelegateTo) or resource-based delegation
 * (msDS-AllowedToActOnBehalfOfOtherIdentity on the target account, spn/sd.h)
 * lets it reach the service, and that the name resolves to exactly one
 * account; then the fix as spnctl commands.
 *
 * In three steps, so the directory is read between them (by the caller,
 * for exactly these SPNs): spn_doctor_prepare() (target, DNS, realm, SPNs),
 * spn_doctor_ask() (the KDC, the keytab), spn_doctor_finish() (the
 * directory's side, delegation, the fix).
 *
 * Invariants: the doctor owns its probes, keytab checks, diagnoses and
 * strings; the model given to spn_doctor_finish() must outlive it.
 */
#ifndef SPN_DOCTOR_H
#define SPN_DOCTOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "spn/arena.h"
#include "spn/diag.h"
#include "spn/err.h"
#include "spn/model.h"
#include "spn/probe.h"
#include "spn/target.h"

/* The system resolver's canonical name for host (getaddrinfo with
 * AI_CANONNAME: CNAMEs and hosts-file aliases followed) into buf; false
 * with why (gai_strerror's words) when there is no answer. */
bool spn_dns_canonical(const char *host, char *buf, size_t size, char *why, size_t whysize);

enum spn_deleg_kind {
	SPN_DELEG_NONE = 0,        /* nothing lets the front end delegate to the service */
	SPN_DELEG_CONSTRAINED,     /* its msDS-AllowedToDelegateTo lists the SPN */
	SPN_DELEG_RESOURCE,        /* the target's msDS-AllowedToActOnBehalfOfOtherIdentity allows it */
	SPN_DELEG_UNCONSTRAINED,   /* TRUSTED_FOR_DELEGATION: any service */
};
const char *spn_deleg_kind_name(enum spn_deleg_kind k); /* "none", "constrained", ... */

struct spn_delegation {
	const char *via;             /* the front end as given */
	uint32_t frontend;           /* its account, or SPN_NONE */
	uint32_t target;             /* the account the service's SPN resolves to, or SPN_NONE */
	size_t ntargets;             /* accounts the SPN resolves to (1 is right) */
	const char *spn;             /* the SPN delegation is checked for (the primary one) */
	enum spn_deleg_kind kind;    /* what works, best first: constrained, resource, unconstrained */
	bool constrained;            /* msDS-AllowedToDelegateTo lists one of the service's SPNs */
	const char *listed;          /* the value that lists it, or NULL */
	bool protocol_transition;    /* TRUSTED_TO_AUTH_FOR_DELEGATION: any first authentication */
	bool resource;               /* the target's descriptor allows the front end */
	bool resource_denied;        /* ... and denies it too (deny wins) */
	bool unconstrained;
	const char **lines;          /* what was found, in words */
	size_t nlines;
};

struct spn_doctor {
	struct spn_target target;
	const char *text;            /* TARGET as given */
	char canonical[256];         /* DNS's canonical name, or "" */
	char dns_why[256];           /* why DNS gave none, or "" */
	char realm[256];             /* the realm asked (the ticket cache's), or "" */
	struct spn_derivation der;
	struct spn_probe_result probes[SPN_TARGET_MAX_SPNS];
	struct spn_keytab_check keytabs[SPN_TARGET_MAX_SPNS];
	bool opened[SPN_TARGET_MAX_SPNS];  /* keytabs[i] holds a check */
	struct spn_diags diags;      /* diags.v[i] for der.v[i] after spn_doctor_finish() */
	bool have_delegation;
	struct spn_delegation deleg;
	const char *verdict;         /* one line for the whole service */
	const char **fixes;          /* every SPN's fixes and delegation's, once each */
	size_t nfixes;
	struct spn_arena arena;
};

void spn_doctor_init(struct spn_doctor *d);
void spn_doctor_release(struct spn_doctor *d);

/* Parse TARGET, ask DNS, find the realm, derive the SPNs. SPN_USAGE for a
 * TARGET that is not one (spn_target_parse's message). */
enum spn_rc spn_doctor_prepare(struct spn_doctor *d, const char *target, struct spn_err *err);
/* Ask the KDC for each SPN; open each issued ticket with keytab (NULL:
 * none). *asked: how many the KDC answered. SPN_IO/SPN_INPUT for a keytab
 * that cannot be read. */
enum spn_rc spn_doctor_ask(struct spn_doctor *d, const char *keytab, size_t *asked,
                           struct spn_err *err);
/* Read the answers against the finished model; via: the front end for
 * delegation (NULL: none). SPN_USAGE when via names no account or several. */
enum spn_rc spn_doctor_finish(struct spn_doctor *d, const struct spn_model *m, const char *via,
                              struct spn_err *err);
/* 0 the primary SPNs get tickets (that open, with a keytab) and delegation,
 * when asked about, is configured to exactly one account; 1 not; 2 the KDC
 * could not be asked for one of them. */
int spn_doctor_status(const struct spn_doctor *d);

#endif
