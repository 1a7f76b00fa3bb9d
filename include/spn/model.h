/*
 * model.h - the directory as spnctl sees it: accounts, their SPNs, groups,
 * forest settings, and the SPN index (folded SPN -> holders).
 *
 * Data flows one way: a source (LDIF snapshot or live LDAP) hands each
 * directory entry to spn_model_add_entry(); the model interprets it as AD
 * does (account kind, domain, RID, ...) and indexes its SPNs. Checks, resolve
 * and reports only read the model; they never know where data came from.
 *
 * Invariants:
 *  - The model owns every string and record; pointers and ids handed out are
 *    borrowed and valid until spn_model_free().
 *  - Accounts and values are numbered densely from 0 in load order; ids are
 *    uint32_t; SPN_NONE marks "no such id".
 *  - An account's SPN values are contiguous: values[spn_first .. spn_first+nspn).
 *  - All values with the same folded key are chained through next_same, head
 *    first; the head carries SPN_VALUE_HEAD. Iterating heads visits each
 *    distinct SPN once.
 *  - complete is false as soon as any source reported a gap; gaps say what.
 *  - The SPN index (next_same chains, SPN_VALUE_HEAD, spn_model_find_*), the
 *    alias table and group lookups are built by spn_model_finish(): call it
 *    after the last entry and before reading. Entries added after a finish
 *    are indexed by the next finish.
 */
#ifndef SPN_MODEL_H
#define SPN_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "spn/arena.h"
#include "spn/err.h"
#include "spn/replmeta.h"
#include "spn/spn.h"

#define SPN_NONE UINT32_MAX

/* ---- What a source hands in: one directory entry ---- */

/* The attributes spnctl reads. Sources request exactly these (live) or keep
 * exactly these (LDIF); names are matched case-insensitively, options such
 * as ";range=0-1499" or ";binary" stripped by the source. */
enum spn_attr {
	SPN_A_OBJECTCLASS,
	SPN_A_SAMACCOUNTNAME,
	SPN_A_USERPRINCIPALNAME,
	SPN_A_DNSHOSTNAME,
	SPN_A_SERVICEPRINCIPALNAME,
	SPN_A_USERACCOUNTCONTROL,
	SPN_A_ADMINCOUNT,
	SPN_A_PRIMARYGROUPID,
	SPN_A_MEMBEROF,
	SPN_A_ALLOWEDTODELEGATETO,   /* msDS-AllowedToDelegateTo */
	SPN_A_SUPPORTEDENCTYPES,     /* msDS-SupportedEncryptionTypes */
	SPN_A_PWDLASTSET,
	SPN_A_OBJECTSID,             /* binary */
	SPN_A_KEYVERSION,            /* msDS-KeyVersionNumber (constructed: asked for by name) */
	SPN_A_ALLOWEDTOACT,          /* msDS-AllowedToActOnBehalfOfOtherIdentity: a security
	                                descriptor (binary) */
	SPN_A_SPNMAPPINGS,           /* on CN=Directory Service,CN=Windows NT,CN=Services,CN=Configuration,... */
	SPN_A_DSHEURISTICS,          /* same entry */
	SPN_A_WHENCHANGED,           /* generalized time; only the newest counts: the snapshot's age
	                                (LDIF only: a live read knows when it reads) */
	SPN_A_REPLMETA,              /* replPropertyMetaData (binary, spn/replmeta.h): where and
	                                when servicePrincipalName last changed (provenance) */
	SPN_A_INVOCATIONID,          /* invocationId of a DC's nTDSDSA object (binary GUID):
	                                names the DC a replPropertyMetaData stamp comes from */
	SPN_A_COUNT
};

/* LDAP name of an attribute ("servicePrincipalName"), in AD's spelling. */
const char *spn_attr_name(enum spn_attr a);
/* Attribute id for a name (no options), case-insensitive; -1 if not one of ours. */
int spn_attr_lookup(const char *name, size_t n);
/* Are the attribute's values binary (NUL bytes allowed: objectSid, security
 * descriptors)? */
bool spn_attr_binary(enum spn_attr a);

struct spn_values {
	struct spn_slice *v;
	size_t n, cap;
};

/* One entry as read. Slices point into the source's buffers and need live
 * only for the spn_model_add_entry() call; the model copies what it keeps.
 * Sources reuse one entry: spn_entry_reset() between entries. */
struct spn_entry {
	struct spn_slice dn;
	struct spn_values attr[SPN_A_COUNT];
	const char *where;      /* "corp.ldif:120" or "ldaps://dc1:636", for messages */
	const char *domain_hint;/* source's domain when the DN has no DC= parts; may be NULL */
};

void spn_entry_init(struct spn_entry *e);
void spn_entry_reset(struct spn_entry *e);          /* drop values, keep capacity */
void spn_entry_release(struct spn_entry *e);
/* Append a value; returns SPN_NOMEM or SPN_OK. */
enum spn_rc spn_entry_add(struct spn_entry *e, enum spn_attr a, const char *p, size_t n);

/* ---- The model ---- */

enum spn_kind {
	SPN_KIND_UNKNOWN = 0,  /* no objectClass seen (e.g. ldapsearch asked only for SPNs) */
	SPN_KIND_USER,
	SPN_KIND_COMPUTER,
	SPN_KIND_DC,           /* SERVER_TRUST_ACCOUNT */
	SPN_KIND_RODC,         /* PARTIAL_SECRETS_ACCOUNT */
	SPN_KIND_SMSA,         /* msDS-ManagedServiceAccount */
	SPN_KIND_GMSA,         /* msDS-GroupManagedServiceAccount */
	SPN_KIND_DMSA,         /* msDS-DelegatedManagedServiceAccount */
	SPN_KIND_KRBTGT,       /* krbtgt (RID 502) and RODC krbtgt_NNNN */
	SPN_KIND_TRUST,        /* INTERDOMAIN_TRUST_ACCOUNT */
};
const char *spn_kind_name(enum spn_kind k);
/* A computer object: member computer, DC or RODC (not a managed service account). */
bool spn_kind_is_computer(enum spn_kind k);  /* "user", "computer", "dc", "gmsa", ... */

/* userAccountControl bits (MS-ADTS 2.2.16) used by checks. */
enum spn_uac_flags {
	SPN_UAC_ACCOUNTDISABLE = 0x2,
	SPN_UAC_NORMAL_ACCOUNT = 0x200,
	SPN_UAC_INTERDOMAIN_TRUST = 0x800,
	SPN_UAC_WORKSTATION_TRUST = 0x1000,
	SPN_UAC_SERVER_TRUST = 0x2000,
	SPN_UAC_DONT_EXPIRE_PASSWD = 0x10000,
	SPN_UAC_TRUSTED_FOR_DELEGATION = 0x80000,
	SPN_UAC_NOT_DELEGATED = 0x100000,
	SPN_UAC_USE_DES_KEY_ONLY = 0x200000,
	SPN_UAC_DONT_REQ_PREAUTH = 0x400000,
	SPN_UAC_TRUSTED_TO_AUTH_FOR_DELEGATION = 0x1000000,
	SPN_UAC_PARTIAL_SECRETS = 0x4000000,
};
/* The MS-ADTS name of one userAccountControl bit ("DONT_EXPIRE_PASSWORD"
 * for 0x10000), or NULL for a bit without one. */
const char *spn_uac_flag_name(uint32_t bit);

/* Which optional attributes an account actually carried. */
enum spn_has_flags {
	SPN_HAS_UAC = 1 << 0,
	SPN_HAS_ADMINCOUNT = 1 << 1,
	SPN_HAS_PRIMARYGROUP = 1 << 2,
	SPN_HAS_ENCTYPES = 1 << 3,
	SPN_HAS_PWDLASTSET = 1 << 4,
	SPN_HAS_SID = 1 << 5,
	SPN_HAS_KVNO = 1 << 6,
};

struct spn_account {
	const char *dn;
	const char *sam;          /* sAMAccountName or NULL */
	const char *upn;          /* userPrincipalName or NULL */
	const char *dns_host;     /* dNSHostName or NULL */
	const char *domain;       /* DNS name from the DN's DC= parts, lower case ("corp.example.com") */
	const char **member_of;   /* memberOf DNs (direct; primary group not included) */
	const char **delegate_to; /* msDS-AllowedToDelegateTo values */
	uint32_t n_member_of, n_delegate_to;
	uint32_t spn_first, nspn; /* this account's values in the value array */
	uint32_t uac, rid, primary_group, enctypes;
	int64_t pwd_last_set;     /* FILETIME (100 ns since 1601); 0 = must change */
	uint32_t kvno;            /* msDS-KeyVersionNumber: the version of the account's current
	                             key, as a KDC puts it in tickets (SPN_HAS_KVNO) */
	uint32_t allowed_to_act_len;
	const unsigned char *allowed_to_act; /* msDS-AllowedToActOnBehalfOfOtherIdentity as stored
	                             (a self-relative security descriptor: spn/sd.h), or NULL */
	uint16_t has;             /* enum spn_has_flags */
	uint8_t kind;             /* enum spn_kind */
	uint8_t admin_count;      /* value of adminCount (0 when absent) */
	uint16_t source;          /* index into the model's sources */
};

enum spn_value_flags {
	SPN_VALUE_HEAD = 1 << 0,      /* first value of its folded key */
	SPN_VALUE_MALFORMED = 1 << 1, /* spn_parse() failed; syntax in value->syntax */
	SPN_VALUE_NONASCII = 1 << 2,  /* has bytes >= 0x80: skeleton may differ from key */
};

struct spn_value {
	const char *str;      /* as stored in the directory (case kept), NUL-terminated */
	uint32_t len;
	uint32_t account;     /* holder */
	uint32_t next_same;   /* next value with the same folded key, or SPN_NONE */
	uint16_t flags;       /* enum spn_value_flags */
	uint8_t syntax;       /* enum spn_syntax */
};

struct spn_group {
	const char *dn;
	const char *domain;
	const char **member_of;
	uint32_t n_member_of;
	uint32_t rid;         /* 0 when unknown */
	uint8_t admin_count;
};

/* What says when a source's data is from, weakest first: the best one a
 * source has wins (spn_model_finish). */
enum spn_time_from {
	SPN_TIME_NONE = 0,       /* nothing: the clock stands in */
	SPN_TIME_FILE,           /* the file's modification time */
	SPN_TIME_PWDLASTSET,     /* the newest pwdLastSet in it */
	SPN_TIME_WHENCHANGED,    /* the newest whenChanged in it */
	SPN_TIME_HEADER,         /* spnctl snapshot's header ("# as of:", "# written:") */
	SPN_TIME_READ,           /* read live, just now */
};
/* "none", "file-time", "pwdLastSet", "whenChanged", "snapshot-header", "read" (JSON). */
const char *spn_time_from_name(enum spn_time_from f);
/* "the clock", "its file time", "the newest pwdLastSet in it", "the newest
 * whenChanged in it", "its snapshot header", "read now" (text). */
const char *spn_time_from_text(enum spn_time_from f);

/* What a source read and what (if anything) it could not read. */
struct spn_source_info {
	const char *name;     /* file name or server URI */
	const char *kind;     /* "ldif" or "ldap" */
	uint64_t entries;     /* entries read from this source */
	uint32_t attrs;       /* 1u << enum spn_attr: the attributes at least one of its entries
	                         carried (what the export asked for, and the server returned) */
	int64_t time;         /* FILETIME its data is from (after spn_model_finish); 0: not known */
	enum spn_time_from time_from;
};

enum spn_model_flags {
	SPN_MODEL_KEEP_ALL = 1 << 0,  /* keep every account; default keeps only what checks need:
	                                 SPN holders, computers, delegation sources, accounts
	                                 whose UPN contains '/' */
};

struct spn_model;

struct spn_model *spn_model_new(unsigned flags);
void spn_model_free(struct spn_model *m);

/* Register a source before adding its entries; returns its index. */
enum spn_rc spn_model_add_source(struct spn_model *m, const char *name, const char *kind,
                                 uint16_t *idx, struct spn_err *err);
/* Interpret and keep one entry from source idx. Entries that are neither
 * accounts, groups nor the Directory Service object are counted and dropped.
 * Bad data inside a valid entry (unparsable integer, bad SID) is SPN_INPUT
 * with e->where and the DN in the message. */
enum spn_rc spn_model_add_entry(struct spn_model *m, uint16_t source,
                                const struct spn_entry *e, struct spn_err *err);
/* A source says when its data is from (the LDIF reader: its header, the
 * file's mtime; a live source is "read" when registered). The newest
 * pwdLastSet and whenChanged of its entries the model notes itself;
 * spn_model_finish() keeps the strongest evidence (enum spn_time_from). */
void spn_model_source_time(struct spn_model *m, size_t src, enum spn_time_from from,
                           int64_t filetime);
/* The newest time of all sources (FILETIME), 0 when none is known. */
int64_t spn_model_time(const struct spn_model *m);
/* Record that data is missing (cut-short search, unfollowed range, ...). */
enum spn_rc spn_model_add_gap(struct spn_model *m, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Call after the last entry: resolves group nesting, applies sPNMappings. */
enum spn_rc spn_model_finish(struct spn_model *m, struct spn_err *err);
/* Threads spn_model_finish() may build a big SPN index on: 0 (the
 * default) one per online CPU, 1 the calling thread only. The index is
 * the same either way. */
void spn_model_set_threads(struct spn_model *m, unsigned threads);

/* Read access. */
bool spn_model_complete(const struct spn_model *m);
size_t spn_model_ngaps(const struct spn_model *m);
const char *spn_model_gap(const struct spn_model *m, size_t i);
size_t spn_model_nsources(const struct spn_model *m);
const struct spn_source_info *spn_model_source(const struct spn_model *m, size_t i);

size_t spn_model_naccounts(const struct spn_model *m);
const struct spn_account *spn_model_account(const struct spn_model *m, uint32_t id);
size_t spn_model_nvalues(const struct spn_model *m);
const struct spn_value *spn_model_value(const struct spn_model *m, uint32_t id);
size_t spn_model_ngroups(const struct spn_model *m);
const struct spn_group *spn_model_group(const struct spn_model *m, uint32_t id);

struct spn_model_stats {
	uint64_t entries;        /* entries read from all sources */
	uint64_t accounts_seen;  /* account entries read (kept or not) */
	uint64_t accounts;       /* accounts kept in the model */
	uint64_t spn_values;     /* SPN values */
	uint64_t distinct_spns;  /* distinct folded SPNs */
	uint64_t groups;
	uint64_t domains;
	uint64_t arena_bytes;
};
void spn_model_stats(const struct spn_model *m, struct spn_model_stats *st);

/* Distinct DNS domains seen, sorted. */
size_t spn_model_ndomains(const struct spn_model *m);
const char *spn_model_domain(const struct spn_model *m, size_t i);

/* The alias table in force: the snapshot's sPNMappings if it had the
 * Directory Service entry, else the built-in default. */
const struct spn_alias_table *spn_model_aliases(const struct spn_model *m);
bool spn_model_aliases_from_directory(const struct spn_model *m);
/* dSHeuristics value, or NULL when the snapshot did not carry it. */
const char *spn_model_ds_heuristics(const struct spn_model *m);
/* Did any source carry the CN=Directory Service entry at all? */
bool spn_model_has_directory_service(const struct spn_model *m);

/* ---- What the sources carried (attr.c) ----
 *
 * An export carries only the attributes it asked for (ldapsearch's
 * attribute list, ldifde -l) and the server returned. An attribute no
 * entry of a source carries is "not in the snapshot", not "not set": a
 * check says so, and never raises a severity on it. */

/* A source that reads only some entries on purpose (a live read of named
 * accounts or SPN patterns) says which attributes it asked for: their
 * absence from those few entries is no evidence that the source lacks
 * them. */
void spn_model_source_asked(struct spn_model *m, size_t src, uint32_t attrs);
/* Did source src carry attribute a on at least one entry? */
bool spn_model_source_has(const struct spn_model *m, size_t src, enum spn_attr a);
/* Did the source account a came from carry attribute attr? When it did,
 * the attribute's absence on a means "not set". */
bool spn_account_attr_known(const struct spn_model *m, const struct spn_account *a,
                            enum spn_attr attr);
/* One attribute an export of a whole domain always carries somewhere (a
 * DC, Administrator, krbtgt have it), missing from some sources. */
struct spn_missing {
	enum spn_attr attr;
	const char *effect;   /* what spnctl cannot judge without it, one clause */
	uint32_t nsources;    /* how many sources lack it (sPNMappings, dSHeuristics: every
	                         source, when none carried the Directory Service entry) */
};
/* The attributes missing from some source, in enum order, into out (room
 * for SPN_A_COUNT); returns how many. Which sources lack one:
 * spn_model_source_has(). */
size_t spn_model_missing(const struct spn_model *m, struct spn_missing *out);

/* ---- Is it a whole directory? (whole.c) ---- */

/* A domain controller among the accounts: kind dc or rodc, or - without
 * userAccountControl - a computer under OU=Domain Controllers or holding
 * the DRS replication SPN (E3514235-4B06-11D1-AB04-00C04FC2DCD2/...). */
bool spn_model_has_dc(const struct spn_model *m);
/* A finished model read from whole domains always has entries in each
 * source, accounts, SPNs and a domain controller: SPN_INPUT naming what is
 * missing ("'x.ldif' holds no entries (...)", "'x.ldif': no domain
 * controller among 3 accounts") when it does not - a broken or
 * partial export, whatever an audit of it would say. */
enum spn_rc spn_model_check_whole(const struct spn_model *m, struct spn_err *err);

/* ---- Provenance: where and when SPNs were written (provenance.c) ---- */

/* A domain controller as its nTDSDSA object ("CN=NTDS Settings,CN=DC2,
 * CN=Servers,...,CN=Configuration,...") names it: replication stamps name
 * the DC that made a write by its invocationId. An entry with objectClass
 * nTDSDSA and an invocationId becomes one. */
struct spn_dsa {
	const char *dn;
	const char *name;               /* the server's CN ("DC2"), or the DN when it has no such shape */
	unsigned char invocation[16];
};
size_t spn_model_ndsas(const struct spn_model *m);
const struct spn_dsa *spn_model_dsa(const struct spn_model *m, size_t i);
/* The DC an invocationId belongs to, or NULL (a DC removed since, or the
 * id a DC had before it was restored from a backup). */
const struct spn_dsa *spn_model_dsa_find(const struct spn_model *m, const unsigned char inv[16]);

/* servicePrincipalName's last originating write on the account (from
 * replPropertyMetaData), or NULL when it was not read. An entry carrying
 * replPropertyMetaData sets it as it is added; valid after spn_model_finish(). */
const struct spn_stamp *spn_model_spn_stamp(const struct spn_model *m, uint32_t account);
/* Set it after the load (the accounts of findings, read from each DC).
 * When the account has one already, the later write wins as replication
 * decides it: higher version, then later time, then the larger
 * invocationId (MS-DRSR AttributeStamp comparison). */
enum spn_rc spn_model_set_spn_stamp(struct spn_model *m, uint32_t account,
                                    const struct spn_stamp *s, struct spn_err *err);
/* Is stamp a later write than b (the comparison above)? */
bool spn_stamp_newer(const struct spn_stamp *a, const struct spn_stamp *b);
/* The account with this DN (any case), or SPN_NONE. Linear the first
 * time, then through a table built on that call (not thread-safe). */
uint32_t spn_model_find_dn(struct spn_model *m, const char *dn, size_t n);

/* ---- Lookups ---- */

/* Head value id of the SPN whose folded key equals fold(s), or SPN_NONE.
 * Walk holders with spn_model_value(m, id)->next_same. */
uint32_t spn_model_find_spn(const struct spn_model *m, const char *s, size_t n);
/* Same, with an already folded key (no folding done). */
uint32_t spn_model_find_key(const struct spn_model *m, const char *key, size_t n);
/* Account by sAMAccountName (with or without trailing '$'), UPN or DN,
 * case-insensitive. Several domains may hold the same sAMAccountName: the
 * matches are written to out (up to cap) and their number returned. */
size_t spn_model_find_account(const struct spn_model *m, const char *name,
                              uint32_t *out, size_t cap);
/* Group by DN (case-insensitive), or SPN_NONE. */
uint32_t spn_model_find_group(const struct spn_model *m, const char *dn);

/* ---- Scope: the domains an answer speaks for (scope.c) ---- */

/* -T with snapshots: the domains of the model an answer is limited to, as
 * the model spells them. Empty (n == 0), like a NULL scope, means every
 * domain. (A live -T is a search base instead: spn_live_opts.targets.) */
struct spn_scope {
	const char **domains;
	size_t n;
};

/* The scope of -T's names (any case) in a finished model. A name without a
 * '.' that is no domain may be a NetBIOS name: the one domain whose first
 * DNS label it is (a snapshot holds no crossRef objects). A name that is
 * none of these is SPN_USAGE ("-T: no domain 'x' in the snapshot (it holds
 * a, b)", saying what a NetBIOS name missed); no names give the empty scope. Release with
 * spn_scope_release(); the strings are the model's. */
enum spn_rc spn_scope_init(struct spn_scope *s, const struct spn_model *m,
                           const char *const *names, size_t n, struct spn_err *err);
void spn_scope_release(struct spn_scope *s);
/* Is the account in one of the scope's domains (always, for an empty scope)? */
bool spn_scope_has(const struct spn_scope *s, const struct spn_model *m, uint32_t account);

/* Which kinds of account spn_scope_find_accounts() keeps (list --computers
 * and --users, setspn -C and -U); both bits, like none, keep every kind. */
enum spn_kinds {
	SPN_KINDS_ALL = 0,
	SPN_KINDS_COMPUTERS = 1 << 0,  /* computer objects (spn_kind_is_computer) */
	SPN_KINDS_USERS = 1 << 1,      /* every other account */
};

/* The accounts each of names finds (spn_model_find_account) inside s and of
 * the kinds wanted, name after name; missing[i] tells that names[i] found
 * none there. *ids is allocated (free it). A name that finds more than 64
 * accounts is SPN_USAGE ("'x' names 70 accounts; give a DN or DOMAIN\name"). */
enum spn_rc spn_scope_find_accounts(const struct spn_scope *s, const struct spn_model *m,
                                    unsigned kinds, const char *const *names, size_t n,
                                    uint32_t **ids, size_t *nids, bool *missing,
                                    struct spn_err *err);

/* DNS domain of a DN: its DC= parts joined with '.', lower case, into buf
 * (NUL-terminated); false when the DN has no DC= part or buf is too small.
 * "CN=x,OU=y,DC=corp,DC=example" -> "corp.example". */
bool spn_dn_domain_name(const char *dn, size_t n, char *buf, size_t cap);

/* ---- Derived facts used by several checks ---- */

/* True when the account is disabled (UAC ACCOUNTDISABLE). */
bool spn_account_disabled(const struct spn_account *a);
/* Why the account is privileged, written into buf (cap bytes), or NULL when
 * it is not: "RID 500 (built-in Administrator)", "member of Domain Admins",
 * "member of Domain Admins through CN=SQL Admins,...", "primary group Domain
 * Admins", "adminCount=1". Membership is followed transitively through the
 * groups in the model; a group missing from the model is recognised by its
 * well-known CN. Domain Controllers membership is reported too: callers
 * decide whether a DC's own SPNs matter. */
const char *spn_model_privileged(const struct spn_model *m, uint32_t account,
                                 char *buf, size_t cap);

/* ---- Pattern search (match.c) ---- */

/* Every distinct SPN matching pattern ('*' matches any run, case-insensitive
 * as AD compares): fn is called with each head value id, in value order; a
 * non-OK return from fn stops the walk and is returned. Without '*' this is
 * one index lookup. */
enum spn_rc spn_model_match(const struct spn_model *m, const char *pattern,
                            enum spn_rc (*fn)(void *arg, uint32_t head), void *arg,
                            struct spn_err *err);

/* One distinct SPN that matched a pattern, and the holders' values. */
struct spn_query_group {
	uint32_t head;              /* head value id: the name shown */
	const uint32_t *values;     /* value ids of the holders shown (head chain, in order) */
	size_t nvalues;
};
/* The answer to one pattern. */
struct spn_query_result {
	const char *pattern;        /* as the user gave it (borrowed) */
	const struct spn_query_group *groups;
	size_t ngroups;             /* 0: nothing matched */
};
/* Answer one pattern (`spnctl query`, setspn -Q): each distinct SPN that
 * matches it (spn_model_match), in value order, with its holders inside s
 * (NULL or empty: all) in chain order; an SPN no holder of s holds is left
 * out. Release q with spn_query_result_release(), also after an error. */
enum spn_rc spn_model_query(const struct spn_model *m, const struct spn_scope *s,
                            const char *pattern, struct spn_query_result *q,
                            struct spn_err *err);
void spn_query_result_release(struct spn_query_result *q);

#endif
