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
 * The candidates - 2-part HOST/ values whose first label is not their
 * holder's own name - and the machine accounts named like one are found by
 * spn_clash_find_plain() below, the rule; a directory of millions of
 * accounts is searched by its hand-tuned twin in host_name_clash_fast.c
 * (base/tuned.h).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/tuned.h"
#include "check_int.h"

#define CODE "host-name-clash"

static bool label_eq(const char *a, size_t an, const char *b, size_t bn)
{
	return an == bn && spn_ieq(a, b, an);
}

static char lower(char c)
{
	return (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
}

/* The first label of the host of a 2-part HOST/ value, or 0 when v is not
 * one or the label is empty or too long. */
static size_t host_label(const struct spn_value *v, const char **label)
{
	struct spn_parts p;
	if (v->flags & SPN_VALUE_MALFORMED || v->len < 5 || !spn_ieq(v->str, "host/", 5) ||
	    spn_parse(v->str, v->len, &p) != SPN_SYNTAX_OK || p.ncomp != 2)
		return 0;
	const char *dot = memchr(p.host.p, '.', p.host.n);
	size_t n = dot ? (size_t)(dot - p.host.p) : p.host.n;
	*label = p.host.p;
	return n < SPN_CLASH_LABEL_MAX ? n : 0;
}

/* Is label[0..n) account a's own name: its cn, or its sAMAccountName
 * without the '$'? */
static bool own_name(const struct spn_account *a, const char *label, size_t n)
{
	size_t cnl = 0, saml = a->sam ? strlen(a->sam) : 0;
	const char *cn = spn_dn_cn(a->dn, &cnl);
	if (saml && a->sam[saml - 1] == '$')
		saml--;
	return (cn && label_eq(cn, cnl, label, n)) || (a->sam && label_eq(a->sam, saml, label, n));
}

/* The first candidate whose label is label[0..n) in any case, or SPN_NONE. */
static uint32_t first_with_label(const struct spn_clash *c, const char *label, size_t n)
{
	char low[SPN_CLASH_LABEL_MAX];
	if (n >= sizeof(low))
		return SPN_NONE;
	for (size_t k = 0; k < n; k++)
		low[k] = lower(label[k]);
	size_t lo = 0, hi = c->ncand;
	while (lo < hi) {  /* the first candidate whose label is not below it */
		size_t mid = lo + (hi - lo) / 2;
		const struct spn_clash_cand *x = &c->cand[mid];
		int d = memcmp(x->label, low, x->n < n ? x->n : n);
		if (d < 0 || (d == 0 && x->n < n))
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < c->ncand && c->cand[lo].n == n && memcmp(c->cand[lo].label, low, n) == 0)
		return (uint32_t)lo;
	return SPN_NONE;
}

bool spn_clash_find_plain(const struct spn_model *m, struct spn_clash *c)
{
	size_t nacc = spn_model_naccounts(m);
	for (uint32_t ai = 0; ai < nacc; ai++) {
		const struct spn_account *a = spn_model_account(m, ai);
		for (uint32_t j = 0; j < a->nspn; j++) {
			const char *label;
			size_t n = host_label(spn_model_value(m, a->spn_first + j), &label);
			if (n && !own_name(a, label, n) && !spn_clash_add(c, label, n, a->spn_first + j))
				return false;
		}
	}
	spn_clash_sort(m, c);
	for (uint32_t ai = 0; ai < nacc && c->ncand; ai++) {
		const struct spn_account *a = spn_model_account(m, ai);
		size_t cnl = 0;
		const char *cn = spn_kind_machine((enum spn_kind)a->kind) ? spn_dn_cn(a->dn, &cnl) : NULL;
		uint32_t k = cn && cnl ? first_with_label(c, cn, cnl) : SPN_NONE;
		if (k != SPN_NONE && !spn_clash_hit(c, ai, k))
			return false;
	}
	return true;
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
	const char *cnp = spn_dn_cn(c->dn, &cnl);
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
	             "(", a->dn);
	spn_text_add_setspn(&fix, "-D", v->str, spn_account_name(a));
	spn_buf_addf(&fix, ")%s", is_host ? " and register it on " : ".");
	if (is_host) {
		spn_buf_addf(&fix, "%s (", spn_account_name(c));
		spn_text_add_setspn(&fix, "-S", v->str, spn_account_name(c));
		spn_buf_addf(&fix, ").");
	}
	enum spn_rc rc = spn_check_emit(out, err, CODE, is_host ? SPN_SEV_ERROR : SPN_SEV_WARNING,
	                                v->str, ids, 2, &msg, &fix);
	spn_buf_release(&msg);
	spn_buf_release(&fix);
	return rc;
}

/* Match the machine account c against the candidates of one label, from
 * the first one on. */
static enum spn_rc match(const struct spn_model *m, const struct spn_clash *cl, size_t first,
                         uint32_t c, struct spn_findings *out, struct spn_err *err)
{
	const struct spn_account *ca = spn_model_account(m, c);
	const struct spn_clash_cand *cand = cl->cand, *label = &cand[first];
	enum spn_rc rc = SPN_OK;
	uint32_t prev = SPN_NONE;
	bool prev_holds = false;
	for (size_t k = first; k < cl->ncand && rc == SPN_OK &&
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

static enum spn_rc run(const struct spn_model *m, const struct spn_check_opts *o,
                       struct spn_findings *out, struct spn_err *err)
{
	struct spn_clash cl = {0};
	enum spn_rc rc = SPN_OK;

	(void)o;
	if (!SPN_TUNED(spn_clash_find)(m, &cl))
		rc = spn_err_set(err, SPN_NOMEM, "out of memory");
	for (size_t i = 0; i < cl.nhit && rc == SPN_OK; i++)
		rc = match(m, &cl, cl.hit[i].first, cl.hit[i].account, out, err);
	spn_clash_release(&cl);
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
