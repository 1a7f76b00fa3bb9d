/*
 * gen_int.h - what the files of spngen's directory writer share: the
 * account being built, the domains, the generator's state, and the
 * reproducible randomness (accounts.c, directory.c, plants.c).
 */
#ifndef SPNGEN_GEN_INT_H
#define SPNGEN_GEN_INT_H

#include <stdarg.h>

#include "gen.h"

#define DAY_TICKS 864000000000LL            /* 100 ns ticks per day */
#define NOW_FILETIME 134116992000000000LL   /* 2026-01-01T00:00:00Z (GEN_NOW) */

/* Severities the checks give (issue 2 and lib/check/). Cross-domain
 * duplicates are told apart from same-domain ones in the message, not the
 * severity; the expected pairs (kadmin/changepw on every krbtgt, Samba's
 * DNS/<dc> on dns-<dc>) are info. */
#define SEV_DUP_SAME GS_ERROR
#define SEV_DUP_XDOM GS_ERROR
#define SEV_DELEG_DUP GS_ERROR

/* ---- randomness: splitmix64, seeded per unit so output is reproducible ---- */

struct rng {
	uint64_t s;
};

static inline uint64_t rnd(struct rng *r)
{
	uint64_t z = (r->s += 0x9E3779B97F4A7C15ULL);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

static inline uint32_t below(struct rng *r, uint32_t n)
{
	return (uint32_t)(((rnd(r) >> 32) * n) >> 32);
}

static inline bool permille(struct rng *r, unsigned pm)
{
	return below(r, 1000) < pm;
}

static inline struct rng rng_for(uint64_t seed, uint64_t a, uint64_t b)
{
	struct rng r = {seed ^ (a * 0xD1B54A32D192ED03ULL) ^ (b * 0xABC98388FB8FAC03ULL)};
	rnd(&r);
	return r;
}

#define NELEM(x) (sizeof(x) / sizeof((x)[0]))

/* Kinds of planted problem (plants.c describes each). */
enum pk {
	PK_DUP_PAIR, PK_DUP_CASE, PK_DUP_MULTI, PK_DUP_XDOM, PK_LOOKALIKE, PK_ALIAS, PK_UPN,
	PK_PRIV, PK_DISABLED, PK_KERB, PK_DELEG_MISSING, PK_DELEG_DUP, PK_MALFORMED,
	PK_HOST_CLASH, PK_DC_ONLY, PK_WEAK, PK_N
};

enum akind { A_USER, A_COMPUTER, A_DC, A_GMSA, A_KRBTGT };

#define MAXSPN 40
#define MAXLIST 8

struct acct {
	enum akind kind;
	char dn[320];
	char sam[64];
	char upn[192];         /* "" = none */
	char dns[160];         /* dNSHostName, "" = none */
	uint32_t uac, rid, pgid;
	uint32_t enctypes;     /* msDS-SupportedEncryptionTypes, 0 = absent */
	int64_t pwd;           /* pwdLastSet */
	int admin_count;       /* -1 = absent */
	bool privileged;       /* privileged-spn must name it (when it holds SPNs) */
	bool samba_dns;        /* Samba's dns-<dc> account: kerberoastable stays info */
	char pool[8192];
	size_t used;
	const char *spn[MAXSPN];
	size_t nspn;
	const char *memberof[MAXLIST];
	size_t nmemberof;
	const char *a2d[MAXLIST];
	size_t na2d;
};

struct unit {
	uint8_t kind;   /* enum pk */
	uint8_t role;   /* which side of a cross-domain plant */
	uint32_t k;     /* plant number */
};

struct dom {
	unsigned idx;
	char dns[128];    /* corp.example.com */
	char dn[192];     /* DC=corp,DC=example,DC=com */
	char nb[16];      /* CORP */
	uint32_t sid[3];
	uint32_t next_rid;
	struct gen_out *out;
	uint64_t quota, emitted;
	char last_sql[160], last_fs[160];  /* background servers, delegation targets */
	struct unit *units;
	size_t nunits, capunits;
};

struct gen {
	const struct gen_params *p;
	struct gen_result *r;
	struct dom dom[GEN_MAX_DOMAINS];
	unsigned ndom;
	struct gen_out out[GEN_MAX_DOMAINS];
	unsigned nout;
	uint64_t seq;        /* global account number: every name is unique */
	uint64_t units;      /* background units drawn */
	uint64_t dup_extra;  /* values whose folded key another value already has */
	uint64_t P;          /* units of each planted problem */
	uint64_t planned[PK_N];
};

/* ---- accounts.c ---- */

void gen_die_nomem(void) __attribute__((noreturn));
void gen_acct_init(struct acct *a, enum akind kind);
void gen_spn(struct acct *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void gen_memberof(struct acct *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void gen_a2d(struct acct *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Count n expected findings of code c at severity s. */
void gen_expect(struct gen *g, enum gen_code c, enum gen_sev s, uint64_t n);
/* Write the account to its domain's file and count its per-account findings. */
void gen_emit(struct gen *g, struct dom *d, struct acct *a);
/* objectSid:: of RID rid in domain d. */
void gen_put_sid(struct gen_out *o, const struct dom *d, uint32_t rid);
void gen_lower(char *dst, size_t cap, const char *src);
void gen_upper(char *dst, size_t cap, const char *src);
/* A member computer NAME (upper case NetBIOS name) in ou, with its own
 * HOST/ and RestrictedKrbHost/ SPNs (and WSMAN/, TERMSRV/ if asked). */
void gen_computer(struct acct *a, const struct dom *d, const char *name, const char *ou,
                  bool wsman, bool termsrv);
/* A service user in OU=Service Accounts: AES only, fresh password. */
void gen_service_user(struct acct *a, const struct dom *d, const char *sam, struct rng *r);
void gen_gmsa(struct acct *a, const struct dom *d, const char *name);

/* ---- plants.c ---- */

/* Assign every planted unit to its domain(s). */
void gen_plan_plants(struct gen *g);
/* Write one planted unit and count the findings it adds. */
void gen_plant(struct gen *g, struct dom *d, const struct unit *u);
/* List what was planted in the result. */
void gen_describe_plants(struct gen *g);

#endif
