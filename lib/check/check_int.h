/*
 * check_int.h - what the files of lib/check/ share: the check structs the
 * registry lists (checks.def), a growable id list, holder sets of an SPN
 * and their ordering, the rules that have a hand-tuned twin (the findings'
 * order, the values with an alias key, host-name-clash's candidates; see
 * base/tuned.h), and a small text builder for messages. Nothing outside
 * lib/check/ includes this but the unit tests; everything else uses
 * spn/check.h.
 */
#ifndef SPN_CHECK_INT_H
#define SPN_CHECK_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "spn/check.h"
#include "base/buf.h"
#include "base/filetime.h"
#include "base/hash.h"
#include "base/table.h"

/* msDS-SupportedEncryptionTypes bit groups (MS-KILE 2.2.7). */
#define SPN_ET_DES 0x3u   /* DES-CBC-CRC, DES-CBC-MD5 */
#define SPN_ET_RC4 0x4u
#define SPN_ET_AES 0x18u  /* AES128, AES256 */

/* ---- The checks: one const struct spn_check spn_check_<name> per line
 * of checks.def ---- */
#define SPN_CHECK(name, file) extern const struct spn_check spn_check_##name;
#include "checks.def"
#undef SPN_CHECK

/* ---- Holders (holders.c) ---- */

/* One account holding one value of an SPN. */
struct spn_holder {
	uint32_t account;
	uint32_t value;
};

struct spn_holders {
	struct spn_holder *v;
	size_t n, cap;
};

void spn_holders_init(struct spn_holders *h);
void spn_holders_release(struct spn_holders *h);
bool spn_holders_push(struct spn_holders *h, uint32_t account, uint32_t value);

/* The distinct accounts holding the SPN whose head value is head (SPN_NONE:
 * none), replacing h's contents. Two account records with the same DN (the
 * same object read from two overlapping sources) count once. When domain is
 * not NULL only holders in that domain are kept. Sorted by account id.
 * Returns false on NOMEM. */
bool spn_holders_of(const struct spn_model *m, uint32_t head, const char *domain,
                    struct spn_holders *h);

/* Drop later repeats of an account (same id or same DN) from ids[0..n),
 * keeping the order of first appearance; returns the new count. O(n log n).
 * On allocation failure sets *nomem and leaves ids alone. */
size_t spn_unique_accounts(const struct spn_model *m, uint32_t *ids, size_t n, bool *nomem);

/* Like spn_holders_of(), without a domain filter, leaving out the object
 * skip (may be NULL) and stopping after max holders: O(max^2) however long
 * the chain, for checks that only name a few. */
bool spn_holders_upto(const struct spn_model *m, uint32_t head, const struct spn_account *skip,
                      size_t max, struct spn_holders *h);

/* Does computer-like account a (computer, DC, RODC) carry host name
 * host[0..n) as its dNSHostName or sAMAccountName without '$'? */
bool spn_account_is_host(const struct spn_account *a, const char *host, size_t n);
/* True for computer, DC, RODC and managed service accounts (random passwords). */
bool spn_kind_machine(enum spn_kind k);

/* Order holders most relevant first: the computer named host (the likely
 * runner of the service), then enabled ordinary accounts, then privileged
 * ones (RID 500, adminCount=1), then disabled ones; ties by DN. host may be
 * NULL. Returns how many of the first holders are "the computer named host"
 * (0 when none). */
size_t spn_holders_rank(const struct spn_model *m, const char *host, size_t hostn,
                        struct spn_holders *h);

/* The name setspn takes for an account: sAMAccountName, else the DN. */
const char *spn_account_name(const struct spn_account *a);
/* Samba (BIND9_DLZ) gives DC "X$" and user "dns-X" the same DNS/<dc fqdn>:
 * true when dc is that DC and user that account (same domain). */
bool spn_samba_dns_pair(const struct spn_account *dc, const struct spn_account *user);
/* Case-insensitive equality of two DNs (the same object twice). */
bool spn_same_dn(const struct spn_account *a, const struct spn_account *b);
/* The value of the DN's first RDN when it is CN=... (its length in *n), or NULL. */
const char *spn_dn_cn(const char *dn, size_t *n);

/* ASCII case-insensitive equality of n bytes: the hot-path replacement for
 * strncasecmp (locale-aware, several times slower on millions of values). */
static inline bool spn_ieq(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char x = (unsigned char)a[i], y = (unsigned char)b[i];
		if (x != y && ((x | 0x20) != (y | 0x20) || (unsigned char)((x | 0x20) - 'a') > 25))
			return false;
	}
	return true;
}

/* ---- The values with an alias key (alias-conflict) ---- */

struct spn_alias_cache;   /* alias_conflict_fast.c */
struct spn_alias_finder {
	const struct spn_alias_table *table;   /* may be NULL: no alias at all */
	struct spn_alias_cache *cache;         /* the tuned twin's, made on first use */
};
/* The first value at or after *i that is not malformed and has an alias key
 * (spn_alias_key(f->table, ...)): 1 with its id in *i and the key in *k, 0
 * when there is none left, -1 when memory is short. A pair of
 * base/tuned.h: the plain twin (alias_conflict.c) asks spn_alias_key() of
 * every value; the tuned one (alias_conflict_fast.c) turns most away with a
 * bit filter and remembers the classes seen. Start with {table, NULL}; end
 * with spn_alias_finder_release(). */
int spn_alias_finder_next_plain(struct spn_alias_finder *f, const struct spn_model *m, uint32_t *i,
                                struct spn_alias_key *k);
int spn_alias_finder_next_fast(struct spn_alias_finder *f, const struct spn_model *m, uint32_t *i,
                               struct spn_alias_key *k);
void spn_alias_finder_release(struct spn_alias_finder *f);

/* ---- host-name-clash's candidates (host_name_clash_cands.c) ---- */

/* A 2-part HOST/<label>[.rest][:port] value whose label is not its holder's
 * own name (cn, or sAMAccountName without '$'). */
#define SPN_CLASH_LABEL_MAX 64
struct spn_clash_cand {
	char label[SPN_CLASH_LABEL_MAX];  /* the host's first label, lower case (1 to 63 bytes) */
	size_t n;
	uint32_t value;
	uint32_t head;     /* head of the value's folded SPN */
};
/* A machine account whose cn is a candidate's label. */
struct spn_clash_hit {
	uint32_t account;
	size_t first;      /* the first candidate of that label */
};
struct spn_clash {
	struct spn_clash_cand *cand;   /* sorted by label, then head, then value */
	size_t ncand, capcand;
	struct spn_clash_hit *hit;     /* by account id */
	size_t nhit, caphit;
};
/* Every candidate of m and every hit, into c (zeroed before); false when
 * memory is short. A pair of base/tuned.h: plain (host_name_clash.c, the
 * rule) and hand-tuned (host_name_clash_fast.c: one pass, cn hashes, a
 * label table). Free with spn_clash_release(). */
bool spn_clash_find_plain(const struct spn_model *m, struct spn_clash *c);
bool spn_clash_find_fast(const struct spn_model *m, struct spn_clash *c);
void spn_clash_release(struct spn_clash *c);
/* What both twins fill it with (host_name_clash_cands.c): a candidate
 * (label lower-cased), their order (heads found first), a hit. */
bool spn_clash_add(struct spn_clash *c, const char *label, size_t n, uint32_t value);
void spn_clash_sort(const struct spn_model *m, struct spn_clash *c);
bool spn_clash_hit(struct spn_clash *c, uint32_t account, size_t first);

/* ---- Text (message.c) ---- */

/* Messages and fixes are composed in lib/base's struct spn_buf, with this
 * ceiling (a value spelled out is at most 8 bytes a byte of 16 MiB, and a
 * message names a few), plus these helpers: */
#define SPN_TEXT_MAX ((size_t)1 << 30)

/* Append an SPN (or any stored value) so that every byte is visible:
 * printable ASCII as is, other characters as <U+XXXX>, bytes that are not
 * UTF-8 as <0xNN>. */
void spn_text_add_value(struct spn_buf *t, const char *s, size_t n);
/* Append "setspn OP SPN ACCOUNT" (op "-D", "-S"; account NULL: "<account>")
 * with the words as base/cmdline_word.h quotes them for cmd.exe and
 * PowerShell; a value setspn's command line cannot carry safely (a
 * leading '-' or '/' is a switch to setspn quoted or not, an invisible
 * character does not survive copy and paste) is written as the
 * placeholder "<spn>" or "<account>", so no pasted line runs with it. */
void spn_text_add_setspn(struct spn_buf *t, const char *op, const char *spn, const char *account);
/* Append "v1, v2, v3 and N more" for an account's SPN values (at most max shown). */
void spn_text_add_spn_list(struct spn_buf *t, const struct spn_model *m,
                           const struct spn_account *a, size_t max);

/* spn_findings_add() for a message and fix already composed, with their
 * lengths (fix[fixn] and msg[msgn] are NUL): copied, not formatted. */
enum spn_rc spn_findings_add_text(struct spn_findings *f, const char *code, enum spn_severity sev,
                                  const char *spn, const uint32_t *accounts, size_t naccounts,
                                  const char *fix, size_t fixn, const char *msg, size_t msgn);

/* spn_findings_sort(); false when it could not allocate (order unchanged). */
bool spn_findings_sort_ok(struct spn_findings *f, const struct spn_model *m);
/* The order of spn_findings_sort() (finding_order.c): < 0 when a comes first. */
int spn_finding_cmp(const struct spn_finding *a, const struct spn_finding *b,
                    const struct spn_model *m);
/* Put f (2 findings or more) in that order; false when memory is short
 * (order unchanged). A pair of base/tuned.h: plain in finding_order.c,
 * hand-tuned in finding_order_fast.c. */
bool spn_findings_order_plain(struct spn_findings *f, const struct spn_model *m);
bool spn_findings_order_fast(struct spn_findings *f, const struct spn_model *m);

/* A finding whose message and fix are already composed texts. */
enum spn_rc spn_check_emit(struct spn_findings *out, struct spn_err *err, const char *code,
                           enum spn_severity sev, const char *spn, const uint32_t *accounts,
                           size_t naccounts, const struct spn_buf *msg, const struct spn_buf *fix);

#endif
