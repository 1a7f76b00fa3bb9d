/*
 * ldap_int.h - the inside of the live-directory reader, shared by the files
 * of lib/ldap/ only (and by its unit tests). Everything else uses
 * spn/live.h.
 *
 * Layers, bottom up: uri.c / range.c / filter.c (pure string work),
 * decode.c (an entry's attributes read in place from BER), reply.c (what
 * search replies mean: values taken, ranges to follow, paging - decided
 * from decoded input, no I/O), discover.c (DNS SRV), ldap_err.c (LDAP
 * failure -> one message), conn.c (connect, TLS, bind, bounded waits),
 * rootdse.c, search.c (paged search, ranged values, references - the
 * talking), progress.c, nc_search.c (one naming context searched for what
 * the audit needs), forest.c (Global Catalog plus per-domain details),
 * live.c (spn_live_load: the front door). Each file calls only those
 * before it. Strings are composed in lib/base's struct spn_buf.
 *
 * Nothing a server sends is trusted to be small, finite or well formed:
 * the bounds below cap what one server can make spnctl hold or do, and
 * conn.c's deadline caps how long it can make spnctl wait. Reaching a
 * bound is a gap naming it, never a silent short read.
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

/* Bounds on what one server can make spnctl hold (legitimate sizes for
 * comparison: AD ranges at 1,500 values, an entry with 1,700 SPNs is a
 * 70 KiB message, a page of 1,000 entries a few MiB). */
#define SPN_LDAP_MAX_INCOMING (32u << 20)      /* bytes of one LDAP message (liblber
                                                  otherwise allocates any claimed length) */
#define SPN_ENTRY_MAX_VALUES 100000u           /* values of one entry, ranges included */
#define SPN_ENTRY_MAX_BYTES ((size_t)64 << 20) /* bytes one entry holds, range replies included */
#define SPN_RANGE_MAX_STEPS 10000u             /* range requests for one attribute of one entry */
#define SPN_SEARCH_MAX_PAGES 1000000u          /* pages of one search */
#define SPN_SEARCH_MAX_GAPS 20u                /* gaps listed per search; more are counted */
#define SPN_SEARCH_MAX_STRAYS 1000u            /* entries or references a base search may send
                                                  beyond its one entry */
/* Longest silence of a server within one wait (AD's MaxQueryDuration is
 * 120 s by default): past it the wait counts as cut short. */
#define SPN_LDAP_IDLE_MAX 600

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

/* ---- decode.c: an entry's attributes, read in place from BER ---- */

struct spn_attr_walk {
	BerElement *ber;
	ber_len_t stop;      /* bytes left when the open attribute ends */
	bool open;           /* inside an attribute's values */
};

/* ldap_get_dn_ber's steps on a BerElement holding a SearchResultEntry
 * (tag, DN, attribute list): for the fuzz target. 0, or -1 when malformed. */
int spn_decode_entry(BerElement *ber, struct berval *dn);
/* Walk the attribute list ber is in (as ldap_get_dn_ber leaves it). */
void spn_decode_start(struct spn_attr_walk *w, BerElement *ber);
/* The next attribute: 1 with its description (in place, not
 * NUL-terminated), 0 at the end of the list, -1 when it cannot be decoded.
 * Values not taken are skipped (and checked). */
int spn_decode_attr(struct spn_attr_walk *w, struct berval *desc);
/* The next value of the open attribute: 1, 0 after the last, -1 when
 * malformed. */
int spn_decode_value(struct spn_attr_walk *w, struct berval *v);

/* ---- reply.c: what search replies mean (decoded input, no I/O) ---- */

/* A gap: one line, "'DN': what was not read" (the caller names the server). */
typedef void (*spn_reply_gap_fn)(void *ctx, const char *msg);

struct spn_reply_range {
	unsigned long next;  /* the first value not read yet */
	unsigned steps;      /* follow-up replies taken */
	bool follow;         /* values from next on are still to be fetched */
	bool seen;           /* a ranged reply of the attribute came with the entry */
};

/* One entry being read: its values (slices into the messages, which the
 * caller keeps until the entry is handed on) and its ranges. */
struct spn_reply {
	struct spn_entry e;
	struct berval dn;
	struct spn_reply_range range[SPN_A_COUNT];
	size_t values, bytes;   /* taken and seen so far, against the SPN_ENTRY_* caps */
	uint64_t ranged;        /* values from follow-ups, over all entries */
	bool full;              /* a cap was reached: nothing more is taken */
	bool bad;               /* the entry cannot be used: left out (a gap says why) */
	unsigned step;          /* range step asked for (0: the server's choice) */
	spn_reply_gap_fn gap;
	void *gapctx;
};

void spn_reply_init(struct spn_reply *r, unsigned step, spn_reply_gap_fn gap, void *ctx);
void spn_reply_release(struct spn_reply *r);
/* A new entry, its DN as sent (kept by pointer). false when the entry
 * cannot be used (a DN with a NUL byte): a gap says so. */
bool spn_reply_begin(struct spn_reply *r, const char *dn, size_t n);
/* The entry's attributes (ber as ldap_get_dn_ber leaves it). Problems are
 * gaps; r->bad when the entry must be left out. SPN_OK or SPN_NOMEM. */
enum spn_rc spn_reply_attrs(struct spn_reply *r, BerElement *ber);
/* The next ranged attribute to fetch: true with *a and its request
 * ("name;range=N-*") in req. */
bool spn_reply_next(struct spn_reply *r, enum spn_attr *a, char *req, size_t cap);
/* The reply to that request: ber in the attribute list of the entry
 * returned (NULL: none was), dnlen the length of the DN it came with. */
enum spn_rc spn_reply_range(struct spn_reply *r, enum spn_attr a, BerElement *ber,
                            size_t dnlen);
/* The request for a failed (why: the LDAP error): a gap, a is not followed. */
void spn_reply_range_failed(struct spn_reply *r, enum spn_attr a, const char *why);

/* Paging: the cookies of one search, page by page. */
struct spn_paging {
	char *last;          /* the previous cookie (a copy) */
	size_t nlast;
	uint64_t pages;
};

enum spn_page {
	SPN_PAGE_DONE,       /* no cookie: the search is over */
	SPN_PAGE_MORE,       /* ask for the next page with this cookie */
	SPN_PAGE_REPEATED,   /* the server sent the same cookie again */
	SPN_PAGE_TOO_MANY,   /* SPN_SEARCH_MAX_PAGES reached */
	SPN_PAGE_NOMEM,
};

/* One more page ended with this cookie (NULL or empty: none). */
enum spn_page spn_paging_next(struct spn_paging *p, const struct berval *cookie);
void spn_paging_release(struct spn_paging *p);

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

/* A host name fit for a URI: dot-separated labels of letters, digits,
 * '-' and '_' (1 to 63 each, 253 in all). */
bool spn_host_name_ok(const char *s);
/* Parse a DNS answer (as res_query returns it) into SRV records; malloc'd
 * array in *out; records whose target is no host name are left out.
 * SPN_INPUT for a malformed answer. */
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
	bool tls_maybe;    /* ldap.conf's list holds an ldaps:// among others */
	bool found;        /* the URI came from DNS or another server, not from the user */
	bool down;         /* the connection was lost: no further operations */
	bool timed_out;    /* a wait ran into the deadline or SPN_LDAP_IDLE_MAX */
	bool deadline_wait;  /* the last wait was cut to the deadline (not the idle limit) */
	bool ranges;       /* the server is AD (rootDSE says so): it knows
	                      "attr;range=" requests, so a range step may be used */
	struct timespec deadline;  /* when work on this connection must end
	                              (CLOCK_MONOTONIC); {0, 0}: no limit */
	unsigned timeout;  /* the --timeout the deadline came from, for messages */
};

/* Now plus seconds (CLOCK_MONOTONIC) into *d; {0, 0} (no deadline) for
 * 0. spn_live_load and spn_dir_* set o->deadline with it; each connection
 * takes it from there. */
void spn_deadline_after(struct timespec *d, unsigned seconds);
/* c's deadline has passed (c->timed_out is then set). */
bool spn_conn_expired(struct spn_conn *c);
/* How long the next wait on c may take (the rest of the deadline, at most
 * SPN_LDAP_IDLE_MAX) into *tv; false when the deadline has passed (and
 * c->timed_out is set). */
bool spn_conn_wait(struct spn_conn *c, struct timeval *tv);
/* A fresh deadline for c (directory.c: each operation of a write command
 * gets the whole --timeout). */
void spn_conn_restart_clock(struct spn_conn *c, const struct spn_live_opts *o);

/* Connect to uri (NULL: ldap.conf / LDAPURI default), set options, StartTLS
 * when asked, bind as o says. found: the URI was not named by the user
 * (DNS SRV, a Global Catalog's entries): a simple-bind password then goes
 * only over TLS whose certificate was verified. On failure c->ld is NULL
 * and err says why. */
enum spn_rc spn_conn_open(struct spn_conn *c, const char *uri, bool found,
                          const struct spn_live_opts *o, struct spn_err *err);
/* Try each URI in order; the first that binds wins. With n == 0, the
 * ldap.conf default. All failing: the first failure is reported, with the
 * number of other servers tried. */
enum spn_rc spn_conn_open_any(struct spn_conn *c, const char *const *uris, size_t n, bool found,
                              const struct spn_live_opts *o, struct spn_err *err);
/* The server the user's options reach first: o->uris, else the DCs of
 * o->domain through DNS SRV (-d; those count as found), else the ldap.conf
 * default; o->uris_found marks given URIs as found too. */
enum spn_rc spn_conn_open_opts(struct spn_conn *c, const struct spn_live_opts *o,
                               struct spn_err *err);
void spn_conn_close(struct spn_conn *c);
/* The servers libldap tries when no URI is given: ldap.conf's URI (or
 * LDAPURI), every one of them in order (spn_uri_split); *n is 0 when
 * there are none. */
enum spn_rc spn_conn_default_uris(char ***uris, size_t *n, struct spn_err *err);
/* A second connection to the same server, bound the same way. */
enum spn_rc spn_conn_again(struct spn_conn *c2, const struct spn_conn *c,
                           const struct spn_live_opts *o, struct spn_err *err);
/* Refuse a simple bind with a password to a server the user did not name
 * (found) unless over TLS with certificate checking. SPN_USAGE naming uri. */
enum spn_rc spn_conn_check_found(const struct spn_live_opts *o, bool found, bool tls,
                                 const char *uri, struct spn_err *err);
/* Refuse a simple bind with a password over a connection that is not
 * encrypted (unless allowed); SPN_USAGE with a message naming uri. */
enum spn_rc spn_conn_check_cleartext(const struct spn_live_opts *o, bool tls, const char *uri,
                                     struct spn_err *err);
/* A small search (the forest's crossRef objects), within c's deadline:
 * each of at most max entries to take(), which keeps the message (true) or
 * leaves it to be freed; entries past max and references are dropped (at
 * most SPN_SEARCH_MAX_STRAYS, then the search is abandoned). Returns the
 * search's LDAP result code, or LDAP_TIMEOUT (c->timed_out),
 * LDAP_SERVER_DOWN (c->down), another local failure; *diag the server's
 * text (ldap_memfree). */
typedef bool (*spn_conn_take_fn)(void *ctx, LDAP *ld, LDAPMessage *entry);
int spn_conn_read_few(struct spn_conn *c, const char *base, int scope, const char *filter,
                      char **attrs, size_t max, spn_conn_take_fn take, void *ctx, char **diag);
/* A base search for one entry (the root DSE, a range follow-up), within
 * c's deadline: the entry's message in *entry (NULL when none came;
 * ldap_msgfree it), the server's text in *diag (ldap_memfree). Entries and
 * references beyond the first entry are dropped (at most
 * SPN_SEARCH_MAX_STRAYS). Returns the search's LDAP result code, or
 * LDAP_TIMEOUT (c->timed_out), LDAP_SERVER_DOWN (c->down), another local
 * failure. */
int spn_conn_read_base(struct spn_conn *c, const char *dn, char **attrs, LDAPMessage **entry,
                       char **diag);
/* The same for the first entry of any search (-T NETBIOS's crossRef). */
int spn_conn_read_first(struct spn_conn *c, const char *base, int scope, const char *filter,
                        char **attrs, LDAPMessage **entry, char **diag);

/* ---- rootdse.c ---- */

struct spn_rootdse {
	char *default_nc, *config_nc, *root_nc, *dns_host;
	char **naming;     /* namingContexts */
	size_t nnaming;
	bool gc_ready;     /* isGlobalCatalogReady: TRUE */
	bool is_ad;        /* supportedCapabilities has LDAP_CAP_ACTIVE_DIRECTORY_OID */
};

#define SPN_LDAP_CAP_AD "1.2.840.113556.1.4.800"
#define SPN_ROOTDSE_MAX_NAMING 1000   /* namingContexts kept */


/* Read the rootDSE of c (and note in c whether the server is AD). */
enum spn_rc spn_rootdse_read(struct spn_conn *c, struct spn_rootdse *r, struct spn_err *err);
/* The same, where a server that stops answering after the bind is a gap
 * in m ("nothing was read from it") and SPN_INCOMPLETE, not a failure. */
enum spn_rc spn_rootdse_read_or_gap(struct spn_conn *c, struct spn_rootdse *r,
                                    struct spn_model *m, struct spn_err *err);
/* The rootDSE's attributes from its entry (ber as ldap_get_dn_ber leaves
 * it) into r: pure, for the fuzz target too. SPN_OK, SPN_NOMEM, or
 * SPN_DIRECTORY when the entry cannot be decoded. */
enum spn_rc spn_rootdse_parse(struct spn_rootdse *r, BerElement *ber);
void spn_rootdse_release(struct spn_rootdse *r);
/* bv's bytes as a malloc'd, NUL-terminated string (NULL: no memory). */
char *spn_bv_strdup(const struct berval *bv);
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

#define SPN_FOREST_MAX_DOMAINS 10000   /* domains taken from the Partitions container */

enum spn_rc spn_forest_load(struct spn_model *m, const struct spn_live_opts *o,
                            struct spn_progress *pr, struct spn_err *err);

/* ---- live.c ---- */

/* spn_live_load() without touching SIGPIPE's disposition: for callers
 * that read on several threads and set it once for all (dcs.c). */
enum spn_rc spn_live_load_quiet(struct spn_model *m, const struct spn_live_opts *o,
                                struct spn_err *err);

#endif
