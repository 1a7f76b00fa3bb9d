/*
 * dcs.h - every writable domain controller of a domain (--all-dcs), from
 * lib/ldap:
 *
 *  - found twice over: DNS (_ldap._tcp.dc._msdcs.DOMAIN SRV records, as
 *    clients find DCs) and the configuration partition's nTDSDSA objects
 *    (what replication knows); where the two disagree a note says so, and
 *    a DC either one names is read. Read-only DCs are left out (a note
 *    names them): nothing is ever written there.
 *  - read each on a connection of its own, several at once but never more
 *    than in_flight: each DC's own view of the domain into a model of its
 *    own. A DC that cannot be read is a failed read with its reason - the
 *    caller turns it into a gap, never into silence.
 *  - provenance: replPropertyMetaData of chosen accounts read from a DC,
 *    servicePrincipalName's stamp kept per account, the latest write
 *    winning across DCs.
 *  - a change followed: one object re-read on every DC until each shows
 *    the expected servicePrincipalName values (fix --wait).
 *
 * The DCs of the answer are in the order found: DNS order (priority,
 * weight) first, then the configuration's.
 */
#ifndef SPN_DCS_H
#define SPN_DCS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "spn/err.h"
#include "spn/live.h"
#include "spn/model.h"

struct spn_dc {
	char *name;                   /* the server object's CN ("DC2"); the host when only DNS names it */
	char *host;                   /* "dc2.contoso.test" (dNSHostName, or the SRV target) */
	char *uri;                    /* "ldap://dc2.contoso.test" (the seed's scheme) */
	char *domain;                 /* the DNS domain it holds ("contoso.test") */
	char *base;                   /* that domain's naming context */
	char *ntds_dn;                /* its nTDSDSA object, or NULL (only in DNS) */
	unsigned char invocation[16]; /* its invocationId (has_invocation) */
	bool has_invocation;
	bool in_dns, in_config;
};

struct spn_dc_list {
	struct spn_dc *v;
	size_t n;
	char **notes;                 /* where DNS and the configuration disagree; RODCs left out */
	size_t nnotes;
};

/* The writable DCs of the domain o names (-d DOMAIN, else the domain of the
 * server -H or ldap.conf reaches; -T: those domains; --forest: every domain
 * of the forest). SPN_DIRECTORY when neither DNS nor the configuration
 * names any. */
enum spn_rc spn_dcs_find(struct spn_dc_list *l, const struct spn_live_opts *o, struct spn_err *err);
void spn_dcs_release(struct spn_dc_list *l);
/* Hand every DC's nTDSDSA object to m (objectClass nTDSDSA, invocationId),
 * so stamps name DCs and a snapshot keeps the names. */
enum spn_rc spn_dcs_to_model(const struct spn_dc_list *l, struct spn_model *m, struct spn_err *err);

/* One DC's read. */
struct spn_dc_read {
	struct spn_model *m;          /* its view, finished; NULL when it could not be read */
	enum spn_rc rc;               /* SPN_OK, SPN_INCOMPLETE (m has gaps) or the failure */
	char error[1024];             /* why, when rc is not SPN_OK */
	double seconds;               /* how long the read took */
};

/* Told as each DC's read ends (one call at a time). */
typedef void (*spn_dc_done_fn)(void *ctx, const struct spn_dc *dc, const struct spn_dc_read *r);

/* Read every DC of l as o says (what to fetch: accounts, patterns; the
 * bind), each into reads[i] (model_flags: spn_model_new's), at most
 * in_flight (1 .. SPN_POOL_MAX; 0: 8) at a time. Returns SPN_OK when
 * every read was tried - each read's own result is in reads[i]; only
 * out of memory stops it. Release with spn_dc_reads_release(). */
enum spn_rc spn_dcs_read(const struct spn_dc_list *l, const struct spn_live_opts *o,
                         unsigned in_flight, unsigned model_flags, struct spn_dc_read *reads,
                         spn_dc_done_fn done, void *ctx, struct spn_err *err);
void spn_dc_reads_release(struct spn_dc_read *reads, size_t n);

/* Read replPropertyMetaData of accounts ids[0..n) of m (by DN) from the
 * server at uri (NULL: as spn_live_load chooses it) and keep each one's
 * servicePrincipalName stamp (spn_model_set_spn_stamp: the later write
 * wins, so calling this for each DC leaves the latest). With uri NULL the
 * DCs' nTDSDSA objects are read too (names for the stamps). An account
 * the server does not return keeps what it had. SPN_INCOMPLETE (err says
 * which and why) when a search was cut short or accounts came back
 * without the attribute (a bind without the rights to read it): the
 * stamps read are kept all the same. */
enum spn_rc spn_dcs_read_stamps(struct spn_model *m, const char *uri, const struct spn_live_opts *o,
                                const uint32_t *ids, size_t n, struct spn_err *err);

#endif
