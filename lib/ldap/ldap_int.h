/*
 * ldap_int.h - the inside of the live-directory reader, shared by the files
 * of lib/ldap/ only (and by its unit tests). Everything else uses
 * spn/live.h.
 *
 * Layers, bottom up: uri.c / range.c / filter.c (pure string work),
 * discover.c (DNS SRV), ldap_err.c (LDAP failure -> one message), conn.c
 * (connect, TLS, bind), rootdse.c, search.c (paged search, ranged values,
 * references), progress.c, nc_search.c (one naming context searched for
 * what the audit needs), forest.c (Global Catalog plus per-domain
 * details), live.c (spn_live_load: the front door). Each file calls only
 * those before it. Strings are composed in lib/base's struct spn_buf.
 */
#ifndef SPN_LDAP_INT_H
#define SPN_LDAP_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include <ldap.h>

#include "spn/err.h"
#include "spn/live.h"
#include "spn/model.h"
#include "base/buf.h"
#include "base/hash.h"
#include "base/table.h"

/* Ceiling of the strings lib/ldap composes (filters, DNs, names): none is
 * a gigabyte. */
#define SPN_LDAP_STR_MAX ((size_t)1 << 30)

/* Page size of the paged searches: --page-size, else 1000 (AD's MaxPageSize). */
static inline unsigned spn_page_size(const struct spn_live_opts *o)
{
	return o->page_size ? o->page_size : 1000;
}

/* ---- uri.c: LDAP URIs, ports, domains and DNs ---- */

#define SPN_PORT_LDAP 389
#define SPN_PORT_LDAPS 636
#define SPN_PORT_GC 3268
#define SPN_PORT_GCS 3269

struct spn_uri {
	char scheme[8];     /* "ldap", "ldaps" or "ldapi" */
	char host[256];     /* without brackets; empty for ldapi:// or no host */
	unsigned port;      /* never 0 for ldap/ldaps: the default is filled in */
};

/* Parse "ldap[s]://host[:port][/...]". SPN_USAGE with the URI on error. */
enum spn_rc spn_uri_parse(const char *s, struct spn_uri *u, struct spn_err *err);
/* "ldap://host:port" (IPv6 hosts bracketed; default ports left out). */
void spn_uri_format(const struct spn_uri *u, char *buf, size_t cap);
bool spn_uri_is_tls(const struct spn_uri *u);
/* The Global Catalog port for a DC URI: 389 -> 3268, 636 -> 3269; other
 * ports are kept (the user named a GC port or a custom one). */
void spn_uri_to_gc(struct spn_uri *u);
/* The DC port for a Global Catalog URI: 3268 -> 389, 3269 -> 636. */
void spn_uri_to_dc(struct spn_uri *u);
/* The URIs of a list as ldap.conf's URI and LDAPURI hold them ("ldap://a
 * ldaps://b,ldap://c": spaces or commas between), in order, as a malloc'd
 * array of malloc'd strings (spn_strv_free); *n is 0 for an empty list.
 * false on NOMEM. */
bool spn_uri_split(const char *list, char ***uris, size_t *n);
/* "corp.example.com" -> "DC=corp,DC=example,DC=com" (malloc'd; NULL on
 * NOMEM or an empty label). */
char *spn_domain_to_dn(const char *domain);
/* A continuation reference to a partition that holds no accounts
 * (Configuration, Schema, DomainDnsZones, ForestDnsZones): not a gap. */
bool spn_ref_is_accountless(const char *url);

/* ---- range.c: ranged attribute retrieval (AD "attr;range=low-high") ---- */

struct spn_range {
	unsigned long low, high;
	bool to_end;         /* high was "*": these are the last values */
};

/* Split an attribute description "name;opt;range=L-H": *namelen is the
 * length of the name without options. Returns 1 when a range option was
 * found (in *r), 0 when there is none, -1 when it is malformed. */
int spn_range_parse(const char *desc, size_t n, size_t *namelen, struct spn_range *r);
/* "name;range=low-*" (step 0) or "name;range=low-(low+step-1)" into buf;
 * returns false when buf is too small. */
bool spn_range_request(char *buf, size_t cap, const char *name, unsigned long low,
                       unsigned step);
/* Attributes asked for with a range when a range step is set (multi-valued,
 * possibly large: servicePrincipalName, memberOf, msDS-AllowedToDelegateTo). */
bool spn_range_attr(enum spn_attr a);

/* ---- filter.c: RFC 4515 filters from user input ---- */

/* Append s[0..n) to b escaped per RFC 4515 (every '*', '(', ')', '\\', NUL
 * and non-printable byte as \XX); with wildcards, '*' is kept as the
 * substring wildcard it means in an SPN pattern. */
void spn_filter_escape(struct spn_buf *b, const char *s, size_t n, bool wildcards);
/* The filter for a whole-directory audit: SPN holders, delegation sources,
 * UPNs that look like SPNs, computers and groups (static string). */
const char *spn_filter_audit(void);
/* The same set split in two disjoint searches: SPN holders (indexed
 * everywhere), and the rest (filter.c says why). */
const char *spn_filter_audit_spn(void);
const char *spn_filter_audit_rest(void);
/* Filter terms (no enclosing "(|...)") for the holders of one SPN or SPN
 * pattern: the SPN itself, a UPN equal to it, and its HOST-alias forms
 * ("cifs/x" -> "HOST/x"; "HOST/x" -> any class on x). */
void spn_filter_spn_terms(struct spn_buf *b, const char *spn, size_t n, bool wildcards);
/* The filter for chosen accounts and SPN patterns (see live.h), plus all
 * groups (for privilege), into b. */
void spn_filter_targets(struct spn_buf *b, const char *const *accounts, size_t naccounts,
                        const char *const *patterns, size_t npatterns);

/* ---- discover.c: domain controllers from DNS SRV records ---- */

struct spn_srv {
	unsigned short prio, weight, port;
	char target[256];
};

/* Parse a DNS answer (as res_query returns it) into SRV records; malloc'd
 * array in *out. SPN_INPUT for a malformed answer. */
enum spn_rc spn_srv_parse(const unsigned char *ans, size_t len, struct spn_srv **out,
                          size_t *nout, struct spn_err *err);
/* Order: priority ascending, then weight descending, then answer order
 * (deterministic; RFC 2782's weighted random choice is not needed when
 * every server is tried in turn). */
void spn_srv_sort(struct spn_srv *v, size_t n);
/* Look up _ldap._tcp.dc._msdcs.DOMAIN (gc: _gc._tcp.DOMAIN) and return
 * "ldap://target:port" URIs in order (malloc'd array of malloc'd strings;
 * free with spn_strv_free). SPN_DIRECTORY when nothing is found. */
enum spn_rc spn_discover(const char *domain, bool gc, char ***uris, size_t *n,
                         struct spn_err *err);
void spn_strv_free(char **v, size_t n);

/* ---- ldap_err.c: one message for one LDAP failure ---- */

/* Record "<doing> on <uri>: <server diagnostic or ldap_err2string(lrc)>"
 * (with AD's hex diagnostics explained) in err with rc; returns err->rc. */
enum spn_rc spn_ldap_fail(struct spn_err *err, enum spn_rc rc, LDAP *ld, int lrc,
                          const char *uri, const char *doing, ...)
	__attribute__((format(printf, 6, 7)));
/* Same, with the diagnostic text at hand (from a search result). */
enum spn_rc spn_ldap_fail_diag(struct spn_err *err, enum spn_rc rc, const char *diag, int lrc,
                               const char *uri, const char *doing, ...)
	__attribute__((format(printf, 6, 7)));
/* The explanation for an AD diagnostic ("00002028: ...", "data 52e"), or NULL. */
const char *spn_ad_diag_explain(const char *diag);
/* Which spn_rc an LDAP result code means for a bind or a search. */
enum spn_rc spn_ldap_rc(int lrc, bool bind);

/* ---- conn.c: one bound connection ---- */

struct spn_conn {
	LDAP *ld;
	char *given;       /* the URI as given to spn_conn_open (NULL: default), to reconnect */
	char uri[300];     /* the server, for messages and entry->where */
	bool tls;          /* ldaps:// or StartTLS */
	bool down;         /* the connection was lost: no further operations */
	bool ranges;       /* the server is AD (rootDSE says so): it knows
	                      "attr;range=" requests, so a range step may be used */
};

/* Connect to uri (NULL: ldap.conf / LDAPURI default), set options, StartTLS
 * when asked, bind as o says. On failure c->ld is NULL and err says why. */
enum spn_rc spn_conn_open(struct spn_conn *c, const char *uri, const struct spn_live_opts *o,
                          struct spn_err *err);
/* Try each URI in order; the first that binds wins. With n == 0, the
 * ldap.conf default. All failing: the first failure is reported, with the
 * number of other servers tried. */
enum spn_rc spn_conn_open_any(struct spn_conn *c, const char *const *uris, size_t n,
                              const struct spn_live_opts *o, struct spn_err *err);
void spn_conn_close(struct spn_conn *c);
/* The servers libldap tries when no URI is given: ldap.conf's URI (or
 * LDAPURI), every one of them in order (spn_uri_split); *n is 0 when
 * there are none. */
enum spn_rc spn_conn_default_uris(char ***uris, size_t *n, struct spn_err *err);
/* A second connection to the same server, bound the same way. */
enum spn_rc spn_conn_again(struct spn_conn *c2, const struct spn_conn *c,
                           const struct spn_live_opts *o, struct spn_err *err);
/* Refuse a simple bind with a password over a connection that is not
 * encrypted (unless allowed); SPN_USAGE with a message naming uri. */
enum spn_rc spn_conn_check_cleartext(const struct spn_live_opts *o, bool tls, const char *uri,
                                     struct spn_err *err);

/* ---- rootdse.c ---- */

struct spn_rootdse {
	char *default_nc, *config_nc, *root_nc, *dns_host;
	char **naming;     /* namingContexts */
	size_t nnaming;
	bool gc_ready;     /* isGlobalCatalogReady: TRUE */
	bool is_ad;        /* supportedCapabilities has LDAP_CAP_ACTIVE_DIRECTORY_OID */
};

#define SPN_LDAP_CAP_AD "1.2.840.113556.1.4.800"


/* Read the rootDSE of c (and note in c whether the server is AD). */
enum spn_rc spn_rootdse_read(struct spn_conn *c, struct spn_rootdse *r, struct spn_err *err);
void spn_rootdse_release(struct spn_rootdse *r);
/* The base to search: defaultNamingContext, else the first namingContexts. */
const char *spn_rootdse_base(const struct spn_rootdse *r);

/* ---- progress.c: "spnctl: 120,000 entries read (45,000/s)" ---- */

struct spn_progress {
	FILE *f;             /* NULL: silent */
	uint64_t n;          /* entries so far, over all searches */
	struct timespec start, last;
	bool shown;
};

void spn_progress_init(struct spn_progress *p, FILE *f);
void spn_progress_tick(struct spn_progress *p);   /* one more entry */
void spn_progress_done(struct spn_progress *p);   /* clear the line */

/* ---- search.c: one search, paged, ranged values followed to the end ---- */

struct spn_search {
	const char *what;            /* "accounts and groups": for messages and gaps */
	const char *base;
	int scope;                   /* LDAP_SCOPE_BASE / _SUBTREE */
	const char *filter;
	const enum spn_attr *attrs;  /* attributes to ask for */
	size_t nattrs;
	unsigned page_size;          /* 0: not paged (base searches) */
	unsigned range_step;         /* 0: take what the server sends, follow ranges;
	                                used only when the server is AD (c->ranges):
	                                others ignore unknown attribute options and
	                                would return nothing */
	const char *domain_hint;     /* for entries whose DN has no DC= part */
	/* Called with each entry once all its values are in; slices are valid
	 * only during the call. A non-OK return abandons the search. */
	enum spn_rc (*entry)(void *ctx, const struct spn_entry *e, struct spn_err *err);
	void *ctx;
	struct spn_progress *progress;
	bool missing_ok;             /* noSuchObject on the base is "no entries" */
	bool refs_covered;           /* references lead to data read elsewhere (--forest) */
};

struct spn_search_stats {
	uint64_t entries;
	uint64_t pages;
	uint64_t refs_ignored;       /* references to partitions without accounts */
	uint64_t ranged;             /* values fetched by range follow-ups */
};

/* Run s on c. Anything cut short (limits, lost connection, references not
 * followed, a failure after entries were delivered) becomes a gap in m and
 * SPN_INCOMPLETE (err says the same); other failures are errors. */
enum spn_rc spn_search_run(struct spn_conn *c, const struct spn_search *s, struct spn_model *m,
                           struct spn_search_stats *st, struct spn_err *err);
/* The same in two steps, so the server can work on one search while the
 * client reads another on the same connection: start sends the first page
 * request (the server starts evaluating), finish reads every page and
 * frees *r. finish must be called for every start (also after a failure);
 * entries are handed to s->entry only in finish. st must outlive finish. */
struct spn_running;
enum spn_rc spn_search_start(struct spn_conn *c, const struct spn_search *s, struct spn_model *m,
                             struct spn_search_stats *st, struct spn_running **r,
                             struct spn_err *err);
enum spn_rc spn_search_finish(struct spn_running *r, struct spn_err *err);

/* ---- nc_search.c: one naming context, searched for what the audit needs ---- */

/* The attributes an audit reads from accounts and groups. */
extern const enum spn_attr spn_nc_account_attrs[];
extern const size_t spn_nc_naccount_attrs;
/* Read sPNMappings and dSHeuristics (CN=Directory Service,...,config_nc)
 * and hand the entry to the model; absent entry: nothing to do. */
enum spn_rc spn_nc_read_ds(struct spn_conn *c, const char *config_nc, struct spn_model *m,
                           uint16_t src, struct spn_err *err);
/* Where entries go (NULL: straight into the model). */
typedef enum spn_rc (*spn_nc_sink)(void *ctx, const struct spn_entry *e, struct spn_err *err);
/* Search base on c for what the audit needs, or for what the user named
 * (opts->accounts / spn_patterns, then the other holders of the named
 * accounts' SPNs). Entries go to sink, or to the model as source src. */
enum spn_rc spn_nc_search(struct spn_conn *c, const char *base, const char *hint,
                          uint16_t src, spn_nc_sink sink, void *sinkctx,
                          const struct spn_live_opts *o, struct spn_model *m,
                          struct spn_progress *pr, struct spn_err *err);

/* ---- forest.c: the Global Catalog and per-domain details ---- */

enum spn_rc spn_forest_load(struct spn_model *m, const struct spn_live_opts *o,
                            struct spn_progress *pr, struct spn_err *err);

/* ---- live.c ---- */

/* spn_live_load() without touching SIGPIPE's disposition: for callers
 * that read on several threads and set it once for all (dcs.c). */
enum spn_rc spn_live_load_quiet(struct spn_model *m, const struct spn_live_opts *o,
                                struct spn_err *err);

#endif
