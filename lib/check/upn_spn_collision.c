/*
 * upn_spn_collision.c - upn-spn-collision: a userPrincipalName that names
 * an SPN held by another account.
 *
 * A Windows KDC may look a service name up as a userPrincipalName before it
 * looks at servicePrincipalName (MS-KILE 3.3.5.1.1), so a UPN that spells
 * an SPN competes with the SPN's holder. Matched case-insensitively: the
 * UPN itself, or - the form ktpass writes, "HTTP/web01.corp@CORP.EXAMPLE" -
 * the part before the last '@' when what follows is the realm (the DNS
 * domain of the UPN's account or of the SPN's holder). A UPN "<spn>@<other
 * suffix>" is left alone: a KDC never forms that name. One finding per
 * (UPN account, SPN); the model keeps every account whose UPN contains '/',
 * so this is one pass over the accounts.
 */
#include <string.h>
#include <strings.h>

#include "check_int.h"

#define CODE "upn-spn-collision"
#define MAX_SHOWN 16  /* holders a finding names */

static enum spn_rc report(const struct spn_model *m, uint32_t upn_acc, uint32_t head,
                          struct spn_holders *h, struct spn_buf *msg, struct spn_buf *fix,
                          struct spn_findings *out, struct spn_err *err)
{
	const struct spn_account *u = spn_model_account(m, upn_acc);
	uint32_t ids[MAX_SHOWN + 1];
	size_t nids = 0;
	ids[nids++] = upn_acc;
	for (size_t i = 0; i < h->n && nids < MAX_SHOWN + 1; i++)
		ids[nids++] = h->v[i].account;
	const struct spn_value *sv = spn_model_value(m, h->v[0].value);

	spn_buf_clear(msg);
	spn_buf_clear(fix);
	spn_buf_addf(msg, "The userPrincipalName of %s is \"", u->dn);
	spn_text_add_value(msg, u->upn, strlen(u->upn));
	spn_buf_addf(msg, "\", which names the SPN ");
	spn_text_add_value(msg, sv->str, sv->len);
	spn_buf_addf(msg, " held by ");
	for (size_t i = 0; i < h->n && i < MAX_SHOWN; i++)
		spn_buf_addf(msg, "%s%s", i ? (i + 1 == h->n ? " and " : ", ") : "",
		             spn_model_account(m, h->v[i].account)->dn);
	if (h->n > MAX_SHOWN)
		spn_buf_addf(msg, " and others");
	spn_buf_addf(msg, ". A Windows KDC may look a service name up as a UPN before it looks at "
	             "SPNs (MS-KILE 3.3.5.1.1), so tickets for this name can be issued under the key "
	             "of %s instead: the service then fails with KRB_AP_ERR_MODIFIED, or the KDC "
	             "finds two accounts and answers KDC_ERR_S_PRINCIPAL_UNKNOWN. Samba's KDC does "
	             "not use the UPN for service names, so the same request behaves differently on "
	             "Samba and Windows DCs.", spn_account_name(u));
	const char *holder = spn_account_name(spn_model_account(m, h->v[0].account));
	spn_buf_addf(fix, "If the service runs as %s, move the SPN to it: ", spn_account_name(u));
	spn_text_add_setspn(fix, "-D", sv->str, holder);
	spn_buf_addf(fix, ", then ");
	spn_text_add_setspn(fix, "-S", sv->str, spn_account_name(u));
	spn_buf_addf(fix, ". Otherwise change the userPrincipalName of %s to an ordinary name "
	             "such as %s@%s.", u->dn, u->sam ? u->sam : "<name>",
	             u->domain[0] ? u->domain : "<domain>");
	(void)head;
	return spn_check_emit(out, err, CODE, SPN_SEV_ERROR, sv->str, ids, nids, msg, fix);
}

/* Holders of the SPN spelled s[0..n), other than account self, into h (at
 * most MAX_SHOWN + 1: that is all a finding names). The full holder list of
 * the last name asked is kept in *cache: accounts sharing a UPN (a copied
 * template) then cost O(1) each, not a walk of the chain each. */
struct memo {
	struct spn_holders all;
	const char *key;
	size_t n;
	uint32_t head;
};

static bool realm_is(const char *realm, size_t n, const char *domain)
{
	return domain && domain[0] && strlen(domain) == n && strncasecmp(realm, domain, n) == 0;
}

/* Holders of s[0..n) other than self, at most MAX_SHOWN + 1. With a realm
 * (the UPN's "@suffix"), only holders for which it names the realm: the
 * holder's domain or self's. The filter runs before the cut-off, so a
 * matching holder is never lost behind others. */
static bool others(const struct spn_model *m, const char *s, size_t n, uint32_t self,
                   const char *realm, size_t realmn, uint32_t *head, struct spn_holders *h,
                   struct memo *cache)
{
	h->n = 0;
	if (!cache->key || cache->n != n || strncasecmp(cache->key, s, n) != 0) {
		cache->key = s;
		cache->n = n;
		cache->head = spn_model_find_spn(m, s, n);
		if (!spn_holders_of(m, cache->head, NULL, &cache->all))
			return false;
	}
	*head = cache->head;
	const struct spn_account *me = spn_model_account(m, self);
	bool realm_is_mine = realm && realm_is(realm, realmn, me->domain);
	for (size_t i = 0; i < cache->all.n && h->n <= MAX_SHOWN; i++) {
		const struct spn_account *x = spn_model_account(m, cache->all.v[i].account);
		if (spn_same_dn(x, me))
			continue;
		if (realm && !realm_is_mine && !realm_is(realm, realmn, x->domain))
			continue;
		if (!spn_holders_push(h, cache->all.v[i].account, cache->all.v[i].value))
			return false;
	}
	return true;
}

static enum spn_rc run(const struct spn_model *m, const struct spn_check_opts *o,
                       struct spn_findings *out, struct spn_err *err)
{
	struct spn_holders h;
	struct spn_buf msg, fix;
	enum spn_rc rc = SPN_OK;
	size_t nacc = spn_model_naccounts(m);

	(void)o;
	struct memo memo = {.key = NULL};
	spn_holders_init(&h);
	spn_holders_init(&memo.all);
	spn_buf_init(&msg, SPN_TEXT_MAX);
	spn_buf_init(&fix, SPN_TEXT_MAX);
	for (uint32_t i = 0; i < nacc && rc == SPN_OK; i++) {
		const struct spn_account *a = spn_model_account(m, i);
		if (!a->upn || !strchr(a->upn, '/'))
			continue;
		size_t n = strlen(a->upn);
		uint32_t head;
		if (!others(m, a->upn, n, i, NULL, 0, &head, &h, &memo))
			goto nomem;
		if (h.n == 0) {
			const char *at = strrchr(a->upn, '@');
			if (!at)
				continue;
			size_t sn = (size_t)(at - a->upn);
			if (!others(m, a->upn, sn, i, at + 1, n - sn - 1, &head, &h, &memo))
				goto nomem;
		}
		if (h.n)
			rc = report(m, i, head, &h, &msg, &fix, out, err);
	}
	goto done;
nomem:
	rc = spn_err_set(err, SPN_NOMEM, "out of memory");
done:
	spn_holders_release(&h);
	spn_holders_release(&memo.all);
	spn_buf_release(&msg);
	spn_buf_release(&fix);
	return rc;
}

const struct spn_check spn_check_upn_spn_collision = {
	.code = CODE,
	.severity = SPN_SEV_ERROR,
	.flags = SPN_CHECK_DUPS,
	.title = "userPrincipalName equal to another account's SPN",
	.explain =
		"A Windows KDC may look a service name up as a userPrincipalName before it looks at "
		"servicePrincipalName (MS-KILE 3.3.5.1.1), so a UPN that spells an SPN held by another "
		"account competes with it: tickets can be issued under the wrong key "
		"(KRB_AP_ERR_MODIFIED) or refused as not unique. Matched without regard to case, as the "
		"UPN itself or as \"<spn>@<realm>\" (the form ktpass writes) when the suffix is the "
		"domain of either account. One finding per (UPN, SPN).",
	.run = run,
};
