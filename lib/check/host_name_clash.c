/*
 * host_name_clash.c - host-name-clash: HOST/<name> held by one account
 * while a computer named <name> (its cn, the first label of the host) in
 * the same domain does not hold it.
 *
 * Samba's KDC looks a 2-part host/<name> up with the SPN OR'ed with
 * (&(cn=<first label>)(objectClass=computer)) (db-glue / cracknames), so it
 * finds two accounts and answers KDC_ERR_S_PRINCIPAL_UNKNOWN - for HOST/
 * and for every class that falls back to it (cifs/, http/, ...). When that
 * computer really is the host (its dNSHostName or sAMAccountName is the
 * SPN's host), a Windows KDC issues the ticket under the other account's
 * key and the computer's services fail (KRB_AP_ERR_MODIFIED): then the
 * finding is an error, otherwise a warning (Samba only).
 *
 * One pass over the accounts: HOST/ values whose first label is the
 * holder's own name are skipped at once, and every machine account's cn is
 * noted (a 4-byte hash per account) while its DN is in cache anyway. The
 * few candidates left are sorted by label and each label put in a hash
 * table (lib/base's); the noted hashes are looked up there, and only a hit
 * reads its DN again: O(accounts + values), cache-friendly.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "check_int.h"

#define CODE "host-name-clash"

struct cand {
	char label[64];    /* first label of the host, lower case */
	size_t n;
	uint32_t value;
	uint32_t head;     /* head of the value's folded SPN */
};

static int cmp_cand(const void *a, const void *b)
{
	const struct cand *x = a, *y = b;
	size_t n = x->n < y->n ? x->n : y->n;
	int c = memcmp(x->label, y->label, n);
	if (c)
		return c;
	if (x->n != y->n)
		return x->n < y->n ? -1 : 1;
	if (x->head != y->head)
		return x->head < y->head ? -1 : 1;
	return x->value < y->value ? -1 : x->value > y->value;
}

/* The value of the DN's first RDN when it is CN=..., or NULL. */
static const char *dn_cn(const char *dn, size_t *n)
{
	if (!spn_ieq(dn, "CN=", 3))
		return NULL;
	const char *p = dn + 3, *q = p;
	while (*q && *q != ',' && *q != '+') {
		if (*q == '\\' && q[1])
			q++;
		q++;
	}
	*n = (size_t)(q - p);
	return p;
}

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

static bool holds(const struct spn_model *m, uint32_t head, const struct spn_account *c)
{
	for (uint32_t w = head; w != SPN_NONE; w = spn_model_value(m, w)->next_same)
		if (spn_same_dn(spn_model_account(m, spn_model_value(m, w)->account), c))
			return true;
	return false;
}

static enum spn_rc report(const struct spn_model *m, uint32_t value, uint32_t computer,
                          struct spn_findings *out, struct spn_err *err)
{
	const struct spn_value *v = spn_model_value(m, value);
	const struct spn_account *a = spn_model_account(m, v->account);
	const struct spn_account *c = spn_model_account(m, computer);
	struct spn_parts p;
	spn_parse(v->str, v->len, &p);
	bool is_host = spn_account_is_host(c, p.host.p, p.host.n);
	uint32_t ids[2] = {computer, v->account};
	size_t cnl = 0;
	const char *cnp = dn_cn(c->dn, &cnl);
	struct spn_buf msg, fix;
	spn_buf_init(&msg, SPN_TEXT_MAX);
	spn_buf_init(&fix, SPN_TEXT_MAX);
	spn_text_add_value(&msg, v->str, v->len);
	spn_buf_addf(&msg, " is on %s, while the %s %s is named %.*s and does not hold it. A Samba "
	             "KDC looks HOST/<name> up by SPN and by computer name together, finds both "
	             "accounts and refuses the ticket (KDC_ERR_S_PRINCIPAL_UNKNOWN), for HOST/ and for "
	             "every class that falls back to it (cifs/, http/, ...).", a->dn,
	             spn_kind_name((enum spn_kind)c->kind), c->dn, (int)cnl, cnp ? cnp : "");
	if (is_host)
		spn_buf_addf(&msg, " %s is that host, so a Windows KDC issues these tickets under the "
		             "key of %s instead and the computer's own services (SMB, RPC, ...) fail with "
		             "KRB_AP_ERR_MODIFIED.", spn_account_name(c), spn_account_name(a));
	spn_buf_addf(&fix, "HOST/ SPNs belong on the computer of that name: remove it from %s "
	             "(setspn -D ", a->dn);
	spn_text_add_value(&fix, v->str, v->len);
	spn_buf_addf(&fix, " %s)%s", spn_account_name(a), is_host ? " and register it on " : ".");
	if (is_host) {
		spn_buf_addf(&fix, "%s (setspn -S ", spn_account_name(c));
		spn_text_add_value(&fix, v->str, v->len);
		spn_buf_addf(&fix, " %s).", spn_account_name(c));
	}
	enum spn_rc rc = spn_check_emit(out, err, CODE, is_host ? SPN_SEV_ERROR : SPN_SEV_WARNING,
	                                v->str, ids, 2, &msg, &fix);
	spn_buf_release(&msg);
	spn_buf_release(&fix);
	return rc;
}

/* Hash of a lower-cased label, never 0 (0 marks "not a machine"): labels
 * that spn_ieq() calls equal hash equal. */
static uint32_t label_hash(const char *s, size_t n)
{
	return spn_hash_tag(spn_hash_lower(s, n)) | 1u;
}

static bool push_cand(struct cand **cand, size_t *ncand, size_t *cap, const char *host, size_t ln,
                      uint32_t value)
{
	if (*ncand == *cap) {
		size_t c = *cap ? *cap * 2 : 16;
		struct cand *p = realloc(*cand, c * sizeof(*p));
		if (!p)
			return false;
		*cand = p;
		*cap = c;
	}
	struct cand *x = &(*cand)[(*ncand)++];
	for (size_t k = 0; k < ln; k++)
		x->label[k] = (char)(host[k] >= 'A' && host[k] <= 'Z' ? host[k] + 32 : host[k]);
	x->n = ln;
	x->value = value;
	x->head = SPN_NONE;
	return true;
}

/* Match the machine account c against the candidates of one label, from
 * cand[first] on. */
static enum spn_rc match(const struct spn_model *m, const struct cand *cand, size_t ncand,
                         size_t first, uint32_t c, struct spn_findings *out, struct spn_err *err)
{
	const struct spn_account *ca = spn_model_account(m, c);
	const struct cand *label = &cand[first];
	enum spn_rc rc = SPN_OK;
	uint32_t prev = SPN_NONE;
	bool prev_holds = false;
	for (size_t k = first; k < ncand && rc == SPN_OK &&
	                       label_eq(cand[k].label, cand[k].n, label->label, label->n); k++) {
		const struct spn_value *v = spn_model_value(m, cand[k].value);
		const struct spn_account *holder = spn_model_account(m, v->account);
		if (spn_same_dn(holder, ca) || strcmp(holder->domain, ca->domain) != 0)
			continue;
		/* Candidates are grouped by SPN: walk each chain once per computer. */
		if (cand[k].head != prev) {
			prev = cand[k].head;
			prev_holds = holds(m, prev, ca);
		}
		if (prev_holds)
			continue;
		rc = report(m, cand[k].value, c, out, err);
	}
	return rc;
}

/* The first candidate of each label (cand sorted), by label_hash(). */
static bool index_labels(const struct cand *cand, size_t ncand, struct spn_table *labels)
{
	if (!spn_table_reserve(labels, ncand))
		return false;
	for (size_t k = 0; k < ncand; k++)
		if (k == 0 || !label_eq(cand[k].label, cand[k].n, cand[k - 1].label, cand[k - 1].n))
			spn_table_add(labels, label_hash(cand[k].label, cand[k].n), (uint32_t)k);
	return true;
}

/* The first candidate whose label is the cn of machine account c (its
 * hash h), or SPN_TABLE_NONE. */
static uint32_t find_label(const struct spn_model *m, const struct cand *cand,
                           const struct spn_table *labels, uint32_t c, uint32_t h)
{
	size_t at, cnl = 0;
	const char *cn = NULL;
	for (uint32_t k = spn_table_first(labels, h, &at); k != SPN_TABLE_NONE;
	     k = spn_table_next(labels, h, &at)) {
		if (!cn)
			cn = dn_cn(spn_model_account(m, c)->dn, &cnl);
		if (label_eq(cand[k].label, cand[k].n, cn, cnl))
			return k;
	}
	return SPN_TABLE_NONE;
}

static enum spn_rc run(const struct spn_model *m, const struct spn_check_opts *o,
                       struct spn_findings *out, struct spn_err *err)
{
	struct cand *cand = NULL;
	size_t ncand = 0, capcand = 0;
	enum spn_rc rc = SPN_OK;
	size_t nacc = spn_model_naccounts(m);
	uint32_t *cnhash = nacc ? calloc(nacc, sizeof(*cnhash)) : NULL;
	struct spn_table labels;

	(void)o;
	spn_table_init(&labels);
	if (nacc && !cnhash)
		return spn_err_set(err, SPN_NOMEM, "out of memory");
	for (uint32_t ai = 0; ai < nacc; ai++) {
		const struct spn_account *a = spn_model_account(m, ai);
		size_t cnl = 0, saml = 0;
		const char *cn = NULL;
		bool named = false;
		if (spn_kind_machine((enum spn_kind)a->kind)) {
			cn = dn_cn(a->dn, &cnl);
			named = true;
			if (cn && cnl && cnl < sizeof(cand->label))
				cnhash[ai] = label_hash(cn, cnl);
		}
		bool sam_known = false;
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
			if (ln == 0 || ln >= sizeof(cand->label))
				continue;
			if (!named) {
				cn = dn_cn(a->dn, &cnl);
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
			if (!push_cand(&cand, &ncand, &capcand, host, ln, i)) {
				rc = spn_err_set(err, SPN_NOMEM, "out of memory");
				goto done;
			}
		}
	}
	if (ncand == 0)
		goto done;
	for (size_t k = 0; k < ncand; k++) {
		const struct spn_value *v = spn_model_value(m, cand[k].value);
		cand[k].head = spn_model_find_spn(m, v->str, v->len);
	}
	qsort(cand, ncand, sizeof(*cand), cmp_cand);
	if (!index_labels(cand, ncand, &labels)) {
		rc = spn_err_set(err, SPN_NOMEM, "out of memory");
		goto done;
	}
	for (uint32_t c = 0; c < nacc && rc == SPN_OK; c++) {
		uint32_t k = cnhash[c] ? find_label(m, cand, &labels, c, cnhash[c]) : SPN_TABLE_NONE;
		if (k != SPN_TABLE_NONE)
			rc = match(m, cand, ncand, k, c, out, err);
	}
done:
	spn_table_release(&labels);
	free(cnhash);
	free(cand);
	return rc;
}

const struct spn_check spn_check_host_name_clash = {
	.code = CODE,
	.severity = SPN_SEV_WARNING,
	.flags = SPN_CHECK_DUPS,
	.title = "HOST/<name> on another account than the computer of that name",
	.explain =
		"Samba's KDC looks a 2-part host/<name> up by SPN and by computer name (cn = first label) "
		"together: when HOST/<name> is on one account and a computer called <name> in the same "
		"domain does not hold it, it finds two accounts and refuses the name "
		"(KDC_ERR_S_PRINCIPAL_UNKNOWN), also for cifs/, http/ and the other HOST aliases. When "
		"that computer really is the host (dNSHostName or sAMAccountName match), Windows issues "
		"the tickets under the other account's key and the computer's services fail "
		"(KRB_AP_ERR_MODIFIED): then the finding is an error, otherwise a warning.",
	.run = run,
};
