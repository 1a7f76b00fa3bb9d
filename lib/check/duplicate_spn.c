/*
 * duplicate_spn.c - duplicate-spn: one SPN (compared as AD does, without
 * regard to case) registered on two or more distinct accounts.
 *
 * One finding per folded SPN. Holders in one domain make that domain's KDC
 * refuse the name (KDC_ERR_S_PRINCIPAL_UNKNOWN, KDC event 11, NTLM
 * fallback); holders in different domains make the ticket depend on the
 * realm asked (KRB_AP_ERR_MODIFIED for the wrong one). Two pairs are
 * expected and reported as info with "benign" in the message:
 *  - kadmin/changepw on the krbtgt account of several domains;
 *  - Samba's DNS/<dc fqdn> on both the DC and its dns-<dc> service user.
 * Runs over the index heads only: O(values).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "check_int.h"
#include "spn/owner.h"

#define CODE "duplicate-spn"
#define SHOW_MAX 20   /* accounts named in a message */

static bool class_is(const struct spn_parts *p, const char *cls)
{
	size_t n = strlen(cls);
	return p->cls.n == n && strncasecmp(p->cls.p, cls, n) == 0;
}

static bool benign_kadmin(const struct spn_model *m, const struct spn_parts *p,
                          const struct spn_holders *h)
{
	if (!class_is(p, "kadmin"))
		return false;
	for (size_t i = 0; i < h->n; i++)
		if (spn_model_account(m, h->v[i].account)->kind != SPN_KIND_KRBTGT)
			return false;
	return true;
}

static bool benign_samba_dns(const struct spn_model *m, const struct spn_parts *p,
                             const struct spn_holders *h)
{
	if (!class_is(p, "dns") || h->n != 2)
		return false;
	const struct spn_account *a = spn_model_account(m, h->v[0].account);
	const struct spn_account *b = spn_model_account(m, h->v[1].account);
	return spn_samba_dns_pair(a, b) || spn_samba_dns_pair(b, a);
}

static int cmp_strp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Distinct domains among the holders, and the largest number of holders
 * in any one of them (written to *crowded, that domain to *where). */
static size_t count_domains(const struct spn_model *m, const struct spn_holders *h,
                            size_t *crowded, const char **where, bool *nomem)
{
	const char **d = malloc(h->n * sizeof(*d));
	if (!d) {
		*nomem = true;
		return 0;
	}
	for (size_t i = 0; i < h->n; i++)
		d[i] = spn_model_account(m, h->v[i].account)->domain;
	qsort(d, h->n, sizeof(*d), cmp_strp);
	size_t ndom = 0, run = 0;
	*crowded = 0;
	*where = NULL;
	for (size_t i = 0; i < h->n; i++) {
		if (i == 0 || strcmp(d[i], d[i - 1]) != 0) {
			ndom++;
			run = 0;
		}
		run++;
		if (run > *crowded) {
			*crowded = run;
			*where = d[i];
		}
	}
	free(d);
	return ndom;
}

static void list_holders(struct spn_buf *t, const struct spn_model *m, const struct spn_holders *h,
                         bool with_domain)
{
	size_t shown = h->n < SHOW_MAX ? h->n : SHOW_MAX;
	for (size_t i = 0; i < shown; i++) {
		const struct spn_account *a = spn_model_account(m, h->v[i].account);
		if (i)
			spn_buf_addf(t, "%s", i + 1 == shown && shown == h->n ? " and " : ", ");
		spn_buf_addf(t, "%s", a->dn);
		if (with_domain)
			spn_buf_addf(t, " (%s)", a->domain[0] ? a->domain : "unknown domain");
	}
	if (shown < h->n)
		spn_buf_addf(t, " and %zu more", h->n - shown);
}

/* Would spnctl fix take the SPN whose head value is head from other and
 * leave it on owner? The same evidence rule over the same holders as that
 * SPN's own finding; benign pairs are left alone. */
static bool fix_moves(const struct spn_model *m, uint32_t head, uint32_t owner, uint32_t other)
{
	const struct spn_value *hv = spn_model_value(m, head);
	struct spn_holders h;
	struct spn_owner o;
	struct spn_parts p;
	struct spn_err err;
	uint32_t *ids = NULL;
	bool yes = false;
	spn_holders_init(&h);
	spn_owner_init(&o);
	spn_err_init(&err);
	if (!spn_holders_of(m, head, NULL, &h) || h.n < 2 ||
	    (spn_parse(hv->str, hv->len, &p) == SPN_SYNTAX_OK &&
	     (benign_kadmin(m, &p, &h) || benign_samba_dns(m, &p, &h))) ||
	    !(ids = malloc(h.n * sizeof(*ids))))
		goto out;
	for (size_t i = 0; i < h.n; i++)
		ids[i] = h.v[i].account;
	if (spn_owner_decide(m, hv->str, hv->len, ids, h.n, SPN_NONE, &o, &err) != SPN_OK ||
	    !o.decided || !spn_same_dn(spn_model_account(m, o.c[0].account), spn_model_account(m, owner)))
		goto out;
	for (size_t i = 1; i < o.n && !yes; i++)
		yes = spn_same_dn(spn_model_account(m, o.c[i].account), spn_model_account(m, other));
out:
	free(ids);
	spn_owner_release(&o);
	spn_holders_release(&h);
	return yes;
}

/* Other SPNs that account other shares with account owner (the field case:
 * Administrator holds both SMTPSVC values of EXCH01$), named only where
 * the evidence rule also moves them to owner, so that this text and
 * `spnctl fix` never disagree. Small accounts only: the hint is for a
 * person, not a census. */
static void shared_spns(struct spn_buf *t, const struct spn_model *m, uint32_t owner,
                        uint32_t other, uint32_t skip_head)
{
	const struct spn_account *o = spn_model_account(m, other);
	if (o->nspn > 64)
		return;
	size_t found = 0;
	for (uint32_t i = 0; i < o->nspn; i++) {
		const struct spn_value *v = spn_model_value(m, o->spn_first + i);
		uint32_t head = spn_model_find_spn(m, v->str, v->len);
		if (head == SPN_NONE || head == skip_head)
			continue;
		bool held = false;
		unsigned steps = 0;
		for (uint32_t w = head; w != SPN_NONE && !held && steps++ < 256;
		     w = spn_model_value(m, w)->next_same)
			held = spn_same_dn(spn_model_account(m, spn_model_value(m, w)->account),
			                   spn_model_account(m, owner));
		if (!held || !fix_moves(m, head, owner, other))
			continue;
		spn_buf_addf(t, found ? ", " : "; it also holds ");
		spn_text_add_value(t, v->str, v->len);
		found++;
	}
	if (found)
		spn_buf_addf(t, " of %s: remove %s too", spn_account_name(spn_model_account(m, owner)),
		             found == 1 ? "that" : "those");
}

/* Put the holders in the evidence rule's order (spn/owner.h): the account
 * that most likely runs the service first. */
static enum spn_rc order_by_evidence(const struct spn_model *m, uint32_t head,
                                     struct spn_holders *h, struct spn_owner *o,
                                     struct spn_err *err)
{
	uint32_t ids_stack[32];
	uint32_t *ids = h->n <= 32 ? ids_stack : malloc(h->n * sizeof(*ids));
	if (!ids)
		return spn_err_set(err, SPN_NOMEM, "out of memory");
	for (size_t i = 0; i < h->n; i++)
		ids[i] = h->v[i].account;
	const struct spn_value *hv = spn_model_value(m, head);
	enum spn_rc rc = spn_owner_decide(m, hv->str, hv->len, ids, h->n, SPN_NONE, o, err);
	if (ids != ids_stack)
		free(ids);
	if (rc)
		return rc;
	for (size_t k = 0; k < o->n; k++)   /* holders and candidates are the same accounts */
		for (size_t i = k; i < h->n; i++)
			if (h->v[i].account == o->c[k].account) {
				struct spn_holder t = h->v[k];
				h->v[k] = h->v[i];
				h->v[i] = t;
				break;
			}
	return SPN_OK;
}

/* "the computer named EXCH01, and SMTPSVC services run as the computer; ..." */
static void add_evidence(struct spn_buf *t, const struct spn_candidate *c)
{
	for (size_t i = 0; i < c->nev; i++)
		spn_buf_addf(t, "%s%s", i ? "; " : "", c->ev[i].text);
}

static enum spn_rc report(const struct spn_model *m, uint32_t head, struct spn_holders *h,
                          struct spn_buf *msg, struct spn_buf *fix, struct spn_owner *o,
                          struct spn_findings *out, struct spn_err *err)
{
	const struct spn_value *hv = spn_model_value(m, head);
	struct spn_parts p;
	bool parsed = spn_parse(hv->str, hv->len, &p) == SPN_SYNTAX_OK;
	enum spn_rc orc = order_by_evidence(m, head, h, o, err);
	if (orc)
		return orc;
	bool decided = o->decided;
	const struct spn_value *first = spn_model_value(m, h->v[0].value);
	const struct spn_account *owner = spn_model_account(m, h->v[0].account);
	bool nomem = false;
	size_t crowded;
	const char *where;
	size_t ndom = count_domains(m, h, &crowded, &where, &nomem);
	uint32_t ids_stack[32];
	uint32_t *ids = h->n <= 32 ? ids_stack : malloc(h->n * sizeof(*ids));
	enum spn_rc rc = SPN_OK;

	if (nomem || !ids) {
		if (ids != ids_stack)
			free(ids);
		return spn_err_set(err, SPN_NOMEM, "out of memory");
	}
	for (size_t i = 0; i < h->n; i++)
		ids[i] = h->v[i].account;
	spn_buf_clear(msg);
	spn_buf_clear(fix);

	if (parsed && benign_kadmin(m, &p, h)) {
		spn_text_add_value(msg, first->str, first->len);
		spn_buf_addf(msg, " is on the krbtgt account of %zu domains: ", h->n);
		list_holders(msg, m, h, true);
		spn_buf_addf(msg, ". This is benign and by design: every domain's krbtgt carries it for "
		             "password changes, and each KDC looks only in its own domain.");
		spn_buf_addf(fix, "Nothing to do.");
		rc = spn_check_emit(out, err, CODE, SPN_SEV_INFO, first->str, ids, h->n, msg, fix);
		goto done;
	}
	if (parsed && benign_samba_dns(m, &p, h)) {
		spn_text_add_value(msg, first->str, first->len);
		spn_buf_addf(msg, " is on both ");
		list_holders(msg, m, h, false);
		spn_buf_addf(msg, ". This pair is benign: Samba provisioning gives the domain controller "
		             "and its dns-<name> account (used by BIND9_DLZ for DNS updates) the same "
		             "DNS/ name.");
		spn_buf_addf(fix, "Nothing to do.");
		rc = spn_check_emit(out, err, CODE, SPN_SEV_INFO, first->str, ids, h->n, msg, fix);
		goto done;
	}

	spn_text_add_value(msg, first->str, first->len);
	if (ndom == 1) {
		spn_buf_addf(msg, " is registered on %zu accounts in %s: ", h->n,
		             where[0] ? where : "the same domain");
		list_holders(msg, m, h, false);
		spn_buf_addf(msg, ". The KDC cannot tell which one runs the service, so it refuses every "
		             "ticket for this name with KDC_ERR_S_PRINCIPAL_UNKNOWN (\"Server not found in "
		             "Kerberos database\") and logs KDC event 11 (duplicate name); Windows clients "
		             "fall back to NTLM where they can, and whatever requires Kerberos fails.");
	} else if (crowded < 2) {
		spn_buf_addf(msg, " is registered in %zu domains: ", ndom);
		list_holders(msg, m, h, true);
		spn_buf_addf(msg, ". Each domain's KDC finds only its own account, so the ticket a client "
		             "gets depends on the realm it asks: a client that asks the realm of an account "
		             "that does not run the service gets a ticket the service cannot decrypt "
		             "(KRB_AP_ERR_MODIFIED).");
	} else {
		spn_buf_addf(msg, " is registered on %zu accounts in %zu domains: ", h->n, ndom);
		list_holders(msg, m, h, true);
		spn_buf_addf(msg, ". In %s %zu accounts hold it, so that domain's KDC refuses the name "
		             "with KDC_ERR_S_PRINCIPAL_UNKNOWN (\"Server not found in Kerberos database\", "
		             "KDC event 11); clients that ask another realm get a ticket for a different "
		             "account, which the service cannot decrypt (KRB_AP_ERR_MODIFIED).",
		             where, crowded);
	}
	if (decided && o->c[0].nev) {
		spn_buf_addf(msg, " %s most likely runs the service: ", owner->dn);
		add_evidence(msg, &o->c[0]);
		spn_buf_addf(msg, ".");
	}

	if (decided) {
		spn_buf_addf(fix, "Keep ");
		spn_text_add_value(fix, first->str, first->len);
		spn_buf_addf(fix, " on %s (%s) and remove it from the account%s that do%s not run the "
		             "service: ", spn_account_name(owner), owner->dn, h->n > 2 ? "s" : "",
		             h->n > 2 ? "" : "es");
		for (size_t i = 1; i < h->n && i < SHOW_MAX; i++) {
			const struct spn_account *a = spn_model_account(m, h->v[i].account);
			const struct spn_value *v = spn_model_value(m, h->v[i].value);
			spn_buf_addf(fix, "%s%s (", i > 1 ? "; " : "", a->dn);
			spn_text_add_setspn(fix, "-D", v->str, spn_account_name(a));
			shared_spns(fix, m, h->v[0].account, h->v[i].account, head);
			spn_buf_addf(fix, ")");
		}
		if (h->n > SHOW_MAX)
			spn_buf_addf(fix, " and %zu more", h->n - SHOW_MAX);
		spn_buf_addf(fix, "; spnctl fix --apply does this, with an undo file.");
	} else {
		spn_buf_addf(fix, "Find the account the service ");
		if (parsed)
			spn_buf_addf(fix, "on %.*s ", (int)p.host.n, p.host.p);
		spn_buf_addf(fix, "runs as (its logon account; the computer account when it runs as "
		             "LocalSystem or NetworkService), keep ");
		spn_text_add_value(fix, first->str, first->len);
		spn_buf_addf(fix, " there and remove it from every other holder (");
		spn_text_add_setspn(fix, "-D", first->str, NULL);
		spn_buf_addf(fix, "). The evidence does not settle it: %s; once you know, "
		             "spnctl fix --keep ACCOUNT removes the other copies.", o->why);
		if (ndom > 1)
			spn_buf_addf(fix, " An SPN belongs in the domain of the account that runs the service;"
			             " remove the copies in the other domains.");
	}
	spn_buf_addf(fix, " Then clear cached tickets on the client machines (klist purge; for services "
	             "running as the computer: klist -li 0x3e7 purge).");
	rc = spn_check_emit(out, err, CODE, SPN_SEV_ERROR, first->str, ids, h->n, msg, fix);
done:
	if (ids != ids_stack)
		free(ids);
	return rc;
}

static enum spn_rc run(const struct spn_model *m, const struct spn_check_opts *o,
                       struct spn_findings *out, struct spn_err *err)
{
	struct spn_holders h;
	struct spn_buf msg, fix;
	struct spn_owner owner;
	enum spn_rc rc = SPN_OK;
	size_t n = spn_model_nvalues(m);

	(void)o;
	spn_holders_init(&h);
	spn_buf_init(&msg, SPN_TEXT_MAX);
	spn_buf_init(&fix, SPN_TEXT_MAX);
	spn_owner_init(&owner);
	for (uint32_t v = 0; v < n && rc == SPN_OK; v++) {
		const struct spn_value *val = spn_model_value(m, v);
		if (!(val->flags & SPN_VALUE_HEAD) || val->next_same == SPN_NONE)
			continue;
		if (!spn_holders_of(m, v, NULL, &h)) {
			rc = spn_err_set(err, SPN_NOMEM, "out of memory");
			break;
		}
		if (h.n >= 2)
			rc = report(m, v, &h, &msg, &fix, &owner, out, err);
	}
	spn_owner_release(&owner);
	spn_holders_release(&h);
	spn_buf_release(&msg);
	spn_buf_release(&fix);
	return rc;
}

const struct spn_check spn_check_duplicate_spn = {
	.code = CODE,
	.severity = SPN_SEV_ERROR,
	.flags = SPN_CHECK_DUPS,
	.title = "SPN registered on more than one account",
	.explain =
		"A KDC maps a service name to exactly one account and encrypts the ticket with that "
		"account's key. When two accounts in one domain hold the same SPN (compared without "
		"regard to case), the KDC refuses the name: the client sees KDC_ERR_S_PRINCIPAL_UNKNOWN "
		"(\"Server not found in Kerberos database\"), the DC logs KDC event 11, and Windows falls "
		"back to NTLM or fails. When the holders are in different domains, each realm's KDC "
		"issues a ticket for its own account, and a client that asks the wrong realm gets a "
		"ticket the service cannot decrypt (KRB_AP_ERR_MODIFIED). One finding per SPN; the "
		"account that most likely runs the service is listed first, by the evidence rule spnctl "
		"fix uses (the service class and the computer its host names, who holds the rest of the "
		"service, the kind of account), and the fix keeps the SPN there when the evidence is "
		"clear. kadmin/changepw on several domains' krbtgt accounts, and Samba's DNS/<dc> on the "
		"DC and its dns-<dc> account, are expected: reported as info.",
	.run = run,
};
