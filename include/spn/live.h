/*
 * live.h - reading a live directory over LDAP into a model.
 *
 * The same model a snapshot fills: spn_live_load() searches the directory
 * (paged, ranged values followed to the end, referrals reported, not chased)
 * and hands each entry to spn_model_add_entry(). Anything cut short - size
 * or time limit, lost connection, unfollowed referral - is recorded as a gap
 * in the model (complete = false) and returned as SPN_INCOMPLETE; a live
 * audit never reports a clean bill from partial data.
 */
#ifndef SPN_LIVE_H
#define SPN_LIVE_H

#include <stdbool.h>
#include <stdio.h>
#include <time.h>

#include "spn/err.h"
#include "spn/model.h"

enum spn_bind {
	SPN_BIND_GSSAPI = 0,  /* default: SASL GSSAPI with the current ticket (KRB5CCNAME) */
	SPN_BIND_SIMPLE,      /* -x: simple bind; anonymous when bind_dn is NULL */
};

struct spn_live_opts {
	const char *const *uris;     /* -H ldap[s]://host[:port], tried in order; may be empty */
	size_t nuris;
	bool uris_found;             /* uris were found (DNS SRV, the configuration's DCs), not
	                                named by the user: a simple-bind password then goes only
	                                over verified TLS (set by libspn's --all-dcs reads) */
	const char *domain;          /* -d DOMAIN: find DCs by DNS SRV; NULL = not given */
	const char *base;            /* -b BASE: overrides the rootDSE naming context */
	const char *const *targets;  /* -T DOMAIN (repeatable): search these domains */
	size_t ntargets;
	bool forest;                 /* --forest / setspn -F: Global Catalog, whole forest */
	enum spn_bind bind;
	const char *bind_dn;         /* -D DN or user@domain; NULL = anonymous (simple) */
	const char *password;        /* read by the tool from a file, env or prompt; never argv */
	bool starttls;               /* -Z */
	bool canon;                  /* --canon: reverse-DNS canonicalise the SASL host name */
	bool allow_cleartext;        /* --allow-cleartext-password: simple bind without TLS */
	const char *cacert;          /* --cacert FILE: trust anchor for TLS (verification stays on) */
	bool insecure_tls;           /* --insecure-tls: TLS without certificate checking; otherwise
	                                a TLS_REQCERT below "demand" (ldap.conf, ~/.ldaprc,
	                                ./ldaprc, LDAPTLS_REQCERT) is refused */
	unsigned timeout;            /* --timeout: seconds a whole read (a write command: each
	                                operation) may take; 0 = no limit. spn_live_opts_init
	                                sets SPN_LIVE_TIMEOUT */
	unsigned page_size;          /* paged results page size; 0 = 1000 */
	unsigned range_step;         /* ask for values N at a time (testing ranged retrieval); 0 = server default */
	/* What to fetch. Both empty: everything the audit needs. Otherwise only
	 * these accounts (sAMAccountName, UPN or DN) and/or SPN patterns ('*'
	 * wildcards); every other character is escaped in the filter. */
	const char *const *accounts;
	size_t naccounts;
	const char *const *spn_patterns;
	size_t npatterns;
	FILE *progress;              /* progress line destination (a terminal), or NULL */
	FILE *notes;                 /* -v: a line per connection (TLS checking, bind, channel
	                                binding), or NULL */
	int verbose;
	struct timespec deadline;    /* set inside libspn from timeout (CLOCK_MONOTONIC); callers
	                                leave it alone */
};

/* The default --timeout: long enough for a million accounts over a slow
 * link, short enough that a server that never ends a search cannot hold a
 * scheduled audit for good. */
#define SPN_LIVE_TIMEOUT 1800

/* Zero, and timeout = SPN_LIVE_TIMEOUT. */
void spn_live_opts_init(struct spn_live_opts *o);

/* Where a live command goes when nothing names a directory (no -H, -d or
 * -T), and why - to be said before binding (where.c): */
struct spn_live_where {
	char uri[512];     /* the servers ldap.conf, ldaprc or $LDAPURI set, or "" */
	char domain[256];  /* else this host's DNS domain: its DCs by SRV, as -d */
	char why[1100];    /* "URI in /etc/ldap/ldap.conf", "$LDAPURI",
	                    * "this host's DNS domain (resolv.conf)" */
};
/* SPN_USAGE (saying what to give) when LDAPNOINIT is set, or when no
 * configuration sets a server and the host has no DNS domain. */
enum spn_rc spn_live_where(struct spn_live_where *w, struct spn_err *err);

/* Does o name the directory itself: -H, -d, or -T with DNS names only
 * (each finds its own DCs; a NetBIOS name needs a directory to look it up
 * in)? If not, spn_live_where() says which one is read. */
bool spn_live_names_directory(const struct spn_live_opts *o);

/* Connect, bind, search, fill m. SPN_INCOMPLETE when data was cut short
 * (the model then names the gap); other errors say which server failed. */
enum spn_rc spn_live_load(struct spn_model *m, const struct spn_live_opts *o, struct spn_err *err);

#endif
