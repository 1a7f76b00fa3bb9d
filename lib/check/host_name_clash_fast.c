/*
 * host_name_clash_fast.c - host-name-clash's candidates and the machine
 * accounts named like one (spn_clash_find(), check_int.h), hand-tuned for
 * directories of millions of accounts; the rule and the plain twin are in
 * host_name_clash.c (base/tuned.h).
 *
 * One pass over the accounts: HOST/ values are recognised by one 4-byte
 * compare, those whose first label is the holder's own name are skipped at
 * once, and every machine account's cn is noted (a 4-byte hash per
 * account) while its DN is in cache anyway. The few candidates left are
 * sorted and each label put in a hash table (lib/base's); the noted hashes
 * are looked up there, and only a hit reads its DN again:
 * O(accounts + values), cache-friendly.
 */
#include <stdlib.h>
#include <string.h>

#include "check_int.h"

/* "host/" in any case (s has at least 5 bytes): ORing 0x20 lowers exactly
 * the letters that can match, as spn_ieq() would. */
static bool is_host_slash(const char *s)
{
	uint32_t w;
	memcpy(&w, s, sizeof(w));
	uint32_t host;
	memcpy(&host, "host", sizeof(host));
	return (w | 0x20202020u) == host && s[4] == '/';
}

static bool label_eq(const char *a, size_t an, const char *b, size_t bn)
{
	return an == bn && spn_ieq(a, b, an);
}

/* Hash of a lower-cased label, never 0 (0 marks "not a machine"): labels
 * that spn_ieq() calls equal hash equal. */
static uint32_t label_hash(const char *s, size_t n)
{
	return spn_hash_tag(spn_hash_lower(s, n)) | 1u;
}

/* Account a's candidates into c; a machine account's cn hash into *cnhash. */
static bool account_cands(const struct spn_model *m, const struct spn_account *a,
                          struct spn_clash *c, uint32_t *cnhash)
{
	size_t cnl = 0, saml = 0;
	const char *cn = NULL;
	bool named = false, sam_known = false;
	if (spn_kind_machine((enum spn_kind)a->kind)) {
		cn = spn_dn_cn(a->dn, &cnl);
		named = true;
		if (cn && cnl && cnl < SPN_CLASH_LABEL_MAX)
			*cnhash = label_hash(cn, cnl);
	}
	for (uint32_t j = 0; j < a->nspn; j++) {
		uint32_t i = a->spn_first + j;
		const struct spn_value *v = spn_model_value(m, i);
		if (v->len < 6 || !is_host_slash(v->str) || (v->flags & SPN_VALUE_MALFORMED))
			continue;
		/* host/<label>[.rest][:port], 2-part only (Samba's name filter
		 * applies to 2-part host/ only), in one scan. */
		const char *host = v->str + 5, *end = v->str + v->len, *q = host;
		while (q < end && *q != '.' && *q != ':' && *q != '/')
			q++;
		if (q < end && (*q == '/' || memchr(q, '/', (size_t)(end - q))))
			continue;
		size_t ln = (size_t)(q - host);
		if (ln == 0 || ln >= SPN_CLASH_LABEL_MAX)
			continue;
		if (!named) {
			cn = spn_dn_cn(a->dn, &cnl);
			named = true;
		}
		if (cn && label_eq(cn, cnl, host, ln))
			continue;  /* its own name */
		if (!sam_known && a->sam) {
			saml = strlen(a->sam);
			if (saml && a->sam[saml - 1] == '$')
				saml--;
		}
		sam_known = true;
		if (a->sam && label_eq(a->sam, saml, host, ln))
			continue;  /* its own name */
		if (!spn_clash_add(c, host, ln, i))
			return false;
	}
	return true;
}

/* The first candidate of each label (c sorted), by label_hash(). */
static bool index_labels(const struct spn_clash *c, struct spn_table *labels)
{
	const struct spn_clash_cand *cand = c->cand;
	if (!spn_table_reserve(labels, c->ncand))
		return false;
	for (size_t k = 0; k < c->ncand; k++)
		if (k == 0 || !label_eq(cand[k].label, cand[k].n, cand[k - 1].label, cand[k - 1].n))
			spn_table_add(labels, label_hash(cand[k].label, cand[k].n), (uint32_t)k);
	return true;
}

/* The first candidate whose label is the cn of machine account a (its
 * hash h), or SPN_TABLE_NONE. */
static uint32_t find_label(const struct spn_clash *c, const struct spn_table *labels,
                           const struct spn_account *a, uint32_t h)
{
	size_t at, cnl = 0;
	const char *cn = NULL;
	for (uint32_t k = spn_table_first(labels, h, &at); k != SPN_TABLE_NONE;
	     k = spn_table_next(labels, h, &at)) {
		if (!cn)
			cn = spn_dn_cn(a->dn, &cnl);
		if (label_eq(c->cand[k].label, c->cand[k].n, cn, cnl))
			return k;
	}
	return SPN_TABLE_NONE;
}

bool spn_clash_find_fast(const struct spn_model *m, struct spn_clash *c)
{
	size_t nacc = spn_model_naccounts(m);
	uint32_t *cnhash = nacc ? calloc(nacc, sizeof(*cnhash)) : NULL;
	struct spn_table labels;
	bool ok = !nacc || cnhash;

	spn_table_init(&labels);
	for (uint32_t ai = 0; ai < nacc && ok; ai++)
		ok = account_cands(m, spn_model_account(m, ai), c, &cnhash[ai]);
	if (ok && c->ncand) {
		spn_clash_sort(m, c);
		ok = index_labels(c, &labels);
		for (uint32_t ai = 0; ai < nacc && ok; ai++) {
			uint32_t k = cnhash[ai] ? find_label(c, &labels, spn_model_account(m, ai), cnhash[ai])
			                        : SPN_TABLE_NONE;
			if (k != SPN_TABLE_NONE)
				ok = spn_clash_hit(c, ai, k);
		}
	}
	spn_table_release(&labels);
	free(cnhash);
	return ok;
}
