/*
 * delegation_target.c - the two delegation-target checks:
 *  - delegation-target-missing: a value of msDS-AllowedToDelegateTo that no
 *    account holds, the HOST alias counting (cifs/x is served by HOST/x);
 *  - delegation-target-duplicate: a value held by two or more accounts.
 * One finding per (delegating account, target). Holders count only in the
 * delegating account's own domain: classic constrained delegation does not
 * cross domains (its KDC looks the target up at home). Constrained delegation
 * (S4U2Proxy) asks the KDC for the target by name, so a missing target
 * fails, a duplicated one is refused as not unique, and a stale entry hands
 * delegated tickets to whoever registers that SPN later.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "check_int.h"

#define CODE_MISSING "delegation-target-missing"
#define CODE_DUPLICATE "delegation-target-duplicate"

/* Holders of target in domain (NULL: any domain), exactly, else through
 * its HOST alias, into h; the alias name used, if any, into alias. */
static bool target_holders(const struct spn_model *m, const char *target, const char *domain,
                           struct spn_holders *h, struct spn_buf *alias)
{
	size_t n = strlen(target);
	spn_buf_clear(alias);
	if (!spn_holders_of(m, spn_model_find_spn(m, target, n), domain, h))
		return false;
	if (h->n)
		return true;
	struct spn_parts p;
	struct spn_alias_key k;
	if (spn_parse(target, n, &p) != SPN_SYNTAX_OK ||
	    !spn_alias_key(spn_model_aliases(m), target, n, &k))
		return true;
	spn_buf_addf(alias, "%s/%.*s", k.target, (int)k.host.n, k.host.p);
	if (!spn_buf_ok(alias))
		return false;
	return spn_holders_of(m, spn_model_find_spn(m, alias->p, alias->n), domain, h);
}

/* Is host (of target) inside a domain of the snapshot? */
static bool host_in_snapshot(const struct spn_model *m, const char *target)
{
	struct spn_parts p;
	if (spn_parse(target, strlen(target), &p) != SPN_SYNTAX_OK)
		return true;
	if (!memchr(p.host.p, '.', p.host.n))
		return true;  /* short name: resolved in the local domain */
	for (size_t i = 0; i < spn_model_ndomains(m); i++) {
		const char *d = spn_model_domain(m, i);
		size_t dn = strlen(d);
		if (dn && p.host.n > dn && p.host.p[p.host.n - dn - 1] == '.' &&
		    strncasecmp(p.host.p + p.host.n - dn, d, dn) == 0)
			return true;
		if (dn && p.host.n == dn && strncasecmp(p.host.p, d, dn) == 0)
			return true;
	}
	return false;
}

static enum spn_rc run_common(const struct spn_model *m, bool missing, struct spn_findings *out,
                              struct spn_err *err)
{
	struct spn_holders h, elsewhere;
	struct spn_buf msg, fix, alias, alias2;
	enum spn_rc rc = SPN_OK;
	size_t nacc = spn_model_naccounts(m);
	uint32_t *ids = NULL;
	size_t capids = 0;
	const char *last = NULL, *last_domain = NULL;

	spn_holders_init(&h);
	spn_holders_init(&elsewhere);
	spn_buf_init(&alias2, SPN_TEXT_MAX);
	spn_buf_init(&msg, SPN_TEXT_MAX);
	spn_buf_init(&fix, SPN_TEXT_MAX);
	spn_buf_init(&alias, SPN_TEXT_MAX);
	for (uint32_t i = 0; i < nacc && rc == SPN_OK; i++) {
		const struct spn_account *a = spn_model_account(m, i);
		for (uint32_t t = 0; t < a->n_delegate_to && rc == SPN_OK; t++) {
			const char *target = a->delegate_to[t];
			/* Classic constrained delegation stays inside the delegating
			 * account's domain: its KDC looks the target up there. Many
			 * accounts delegate to the same target: reuse the answer. */
			if (!last || last_domain != a->domain || strcasecmp(last, target) != 0) {
				if (!target_holders(m, target, a->domain, &h, &alias))
					goto nomem;
				elsewhere.n = 0;
				if (missing && h.n == 0 && !target_holders(m, target, NULL, &elsewhere, &alias2))
					goto nomem;
				if (!missing && h.n >= 2)
					spn_holders_rank(m, NULL, 0, &h);
				last = target;
				last_domain = a->domain;
			}
			if (missing ? h.n != 0 : h.n < 2)
				continue;
			spn_buf_clear(&msg);
			spn_buf_clear(&fix);
			spn_buf_addf(&msg, "%s may delegate to ", a->dn);
			spn_text_add_value(&msg, target, strlen(target));
			spn_buf_addf(&msg, " (msDS-AllowedToDelegateTo)");
			if (missing) {
				spn_buf_addf(&msg, ", but no account in %s holds it", a->domain);
				if (alias.n)
					spn_buf_addf(&msg, " or its HOST alias %s", alias.p);
				if (elsewhere.n)
					spn_buf_addf(&msg, " (%s holds it in %s, but classic constrained "
					             "delegation works only within one domain: use resource-based "
					             "constrained delegation across domains)",
					             spn_model_account(m, elsewhere.v[0].account)->dn,
					             spn_model_account(m, elsewhere.v[0].account)->domain);
				spn_buf_addf(&msg, ". Constrained delegation to it fails (the KDC cannot find "
				             "the target service), and whoever registers that SPN later will "
				             "receive the tickets %s obtains on behalf of users.",
				             spn_account_name(a));
				if (!elsewhere.n && !host_in_snapshot(m, target))
					spn_buf_addf(&msg, " Its host is in no domain of the snapshot; classic "
					             "constrained delegation works only within one domain.");
				spn_buf_addf(&fix, "Remove ");
				spn_text_add_value(&fix, target, strlen(target));
				spn_buf_addf(&fix, " from msDS-AllowedToDelegateTo of %s if the service is gone, "
				             "or correct it to the SPN the service really registers.", a->dn);
				rc = spn_check_emit(out, err, CODE_MISSING, SPN_SEV_ERROR, target, &i, 1, &msg, &fix);
				continue;
			}
			/* The finding lists the delegating account and at most 64 holders. */
			size_t keep = h.n < 64 ? h.n : 64;
			if (keep + 1 > capids) {
				uint32_t *p = realloc(ids, (keep + 1) * sizeof(*p));
				if (!p)
					goto nomem;
				ids = p;
				capids = keep + 1;
			}
			ids[0] = i;
			spn_buf_addf(&msg, ", which %s%s is held by %zu accounts: ", alias.n ? "through " : "",
			             alias.n ? alias.p : "", h.n);
			for (size_t k = 0; k < h.n && k < 64; k++) {
				ids[k + 1] = h.v[k].account;
				if (k < 16)
					spn_buf_addf(&msg, "%s%s", k ? (k + 1 == h.n ? " and " : ", ") : "",
					             spn_model_account(m, h.v[k].account)->dn);
			}
			if (h.n > 16)
				spn_buf_addf(&msg, " and %zu more", h.n - 16);
			spn_buf_addf(&msg, ". The KDC cannot pick one, so delegated ticket requests "
			             "(S4U2Proxy) for it fail with KDC_ERR_S_PRINCIPAL_UNKNOWN, like every "
			             "other ticket request for that name.");
			spn_buf_addf(&fix, "Resolve the duplicate (see duplicate-spn for %s): keep the SPN only "
			             "on the account that runs the service.", alias.n ? alias.p : target);
			rc = spn_check_emit(out, err, CODE_DUPLICATE, SPN_SEV_ERROR, target, ids, keep + 1,
			                    &msg, &fix);
		}
	}
	goto done;
nomem:
	rc = spn_err_set(err, SPN_NOMEM, "out of memory");
done:
	free(ids);
	spn_holders_release(&h);
	spn_holders_release(&elsewhere);
	spn_buf_release(&alias2);
	spn_buf_release(&msg);
	spn_buf_release(&fix);
	spn_buf_release(&alias);
	return rc;
}

static enum spn_rc run_missing(const struct spn_model *m, const struct spn_check_opts *o,
                               struct spn_findings *out, struct spn_err *err)
{
	(void)o;
	return run_common(m, true, out, err);
}

static enum spn_rc run_duplicate(const struct spn_model *m, const struct spn_check_opts *o,
                                 struct spn_findings *out, struct spn_err *err)
{
	(void)o;
	return run_common(m, false, out, err);
}

const struct spn_check spn_check_delegation_target_missing = {
	.code = CODE_MISSING,
	.severity = SPN_SEV_ERROR,
	.flags = 0,
	.title = "Constrained delegation target that no account holds",
	.explain =
		"msDS-AllowedToDelegateTo lists the SPNs an account may obtain tickets to on behalf of "
		"users (constrained delegation, S4U2Proxy). A target no account holds - not even through "
		"its HOST alias (cifs/x is served by HOST/x) - makes the delegation fail, and whoever "
		"registers that SPN later receives delegated tickets. Only holders in the delegating "
		"account's own domain count: classic constrained delegation does not cross domains. "
		"One finding per (account, target).",
	.run = run_missing,
};

const struct spn_check spn_check_delegation_target_duplicate = {
	.code = CODE_DUPLICATE,
	.severity = SPN_SEV_ERROR,
	.flags = 0,
	.title = "Constrained delegation target held by several accounts",
	.explain =
		"A delegation target (msDS-AllowedToDelegateTo value) held by two or more accounts, "
		"directly or through its HOST alias, is not unique: the KDC refuses delegated tickets "
		"for it (KDC_ERR_S_PRINCIPAL_UNKNOWN). One finding per (account, target).",
	.run = run_duplicate,
};
