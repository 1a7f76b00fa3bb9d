/*
 * alias_conflict.c - alias-conflict: an explicit SPN whose class is a HOST
 * alias in sPNMappings (cifs, http, www, rpcss, dns, ...) on one account
 * while HOST/<same host> is on another.
 *
 * A KDC looks for the exact SPN first and falls back to the alias only when
 * no account holds it (MS-DRSR LookupSPN, Samba's DsCrackNameSPNAlias), so
 * the explicit SPN wins: every ticket for cifs/<host> is encrypted with the
 * other account's key, and the service that runs as the computer cannot
 * decrypt it (KRB_AP_ERR_MODIFIED). One finding per (explicit SPN value,
 * HOST holder) pair, at most MAX_PAIRS HOST holders per value (more is a
 * duplicate HOST/ of its own, which duplicate-spn reports). Samba's DNS/<dc fqdn> on dns-<dc> against the DC's
 * HOST/<dc fqdn> is expected: info, "benign". When the two accounts are in
 * different domains nothing is shadowed at the host's own KDC (a KDC searches
 * only its domain); clients sent to the other domain's KDC get the wrong key:
 * warning.
 *
 * Every value's alias key (spn_alias_key()) is looked up. Doing that for
 * millions of values is hand-tuned in alias_conflict_fast.c (a bit filter,
 * a cache of the classes seen); the plain twin below asks spn_alias_key()
 * each time (base/tuned.h).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/tuned.h"
#include "check_int.h"

#define CODE "alias-conflict"
#define MAX_PAIRS 16   /* HOST holders paired with one explicit SPN */

int spn_alias_finder_next_plain(struct spn_alias_finder *f, const struct spn_model *m, uint32_t *i,
                                struct spn_alias_key *k)
{
	for (size_t n = spn_model_nvalues(m); *i < n; ++*i) {
		const struct spn_value *v = spn_model_value(m, *i);
		if (!(v->flags & SPN_VALUE_MALFORMED) && spn_alias_key(f->table, v->str, v->len, k))
			return 1;
	}
	return 0;
}

static bool is_http_like(const char *cls, size_t n)
{
	static const char *const web[] = {"http", "www", "w3svc"};
	for (size_t i = 0; i < sizeof(web) / sizeof(web[0]); i++)
		if (strlen(web[i]) == n && strncasecmp(web[i], cls, n) == 0)
			return true;
	return false;
}

static enum spn_rc report(const struct spn_model *m, uint32_t value, const char *cls, size_t clsn,
                          const char *host, size_t hostn, const char *target, uint32_t host_value,
                          struct spn_buf *msg, struct spn_buf *fix, struct spn_findings *out,
                          struct spn_err *err)
{
	const struct spn_value *v = spn_model_value(m, value);
	const struct spn_value *hv = spn_model_value(m, host_value);
	const struct spn_account *b = spn_model_account(m, v->account);
	const struct spn_account *a = spn_model_account(m, hv->account);
	uint32_t ids[2] = {hv->account, v->account};

	spn_buf_clear(msg);
	spn_buf_clear(fix);
	if (clsn == 3 && strncasecmp(cls, "dns", 3) == 0 && spn_samba_dns_pair(a, b)) {
		spn_text_add_value(msg, v->str, v->len);
		spn_buf_addf(msg, " on %s and ", b->dn);
		spn_text_add_value(msg, hv->str, hv->len);
		spn_buf_addf(msg, " on the domain controller %s are benign: Samba provisioning gives its "
		             "dns-<name> account (used by BIND9_DLZ) the DNS/ name of the DC, and only "
		             "BIND asks for it.", a->dn);
		spn_buf_addf(fix, "Nothing to do.");
		return spn_check_emit(out, err, CODE, SPN_SEV_INFO, v->str, ids, 2, msg, fix);
	}
	if (strcmp(a->domain, b->domain) != 0) {
		/* A KDC searches only its own domain: the KDC of the host's domain
		 * still finds HOST/ there; only clients that ask the other
		 * domain's KDC get a ticket under the wrong key. A risk, not a
		 * certain failure: warning. */
		spn_text_add_value(msg, v->str, v->len);
		spn_buf_addf(msg, " on %s (domain %s) and ", b->dn, b->domain);
		spn_text_add_value(msg, hv->str, hv->len);
		spn_buf_addf(msg, " on %s (domain %s) name the same service: %.*s is an alias of %s "
		             "in sPNMappings. The KDC of %s still uses HOST/, but a client whose realm "
		             "mapping sends it to the KDC of %s gets a ticket encrypted with the key of "
		             "%s, which the service running as %s cannot decrypt (KRB_AP_ERR_MODIFIED).",
		             a->dn, a->domain, (int)clsn, cls, target, a->domain, b->domain,
		             spn_account_name(b), spn_account_name(a));
		spn_buf_addf(fix, "Unless a %.*s service on %.*s really runs as %s, remove the SPN: "
		             "", (int)clsn, cls, (int)hostn, host, spn_account_name(b));
		spn_text_add_setspn(fix, "-D", v->str, spn_account_name(b));
		spn_buf_addf(fix, ".");
		return spn_check_emit(out, err, CODE, SPN_SEV_WARNING, v->str, ids, 2, msg, fix);
	}
	spn_text_add_value(msg, v->str, v->len);
	spn_buf_addf(msg, " on %s shadows ", b->dn);
	spn_text_add_value(msg, hv->str, hv->len);
	spn_buf_addf(msg, " on %s: %.*s is an alias of %s in sPNMappings, and a KDC uses an explicit "
	             "SPN before it falls back to the alias. Every ticket for ", a->dn, (int)clsn, cls,
	             target);
	spn_text_add_value(msg, v->str, v->len);
	spn_buf_addf(msg, " is encrypted with the key of %s, so a %.*s service on %.*s that runs as "
	             "%s cannot decrypt it and the client gets KRB_AP_ERR_MODIFIED (observed on a real "
	             "DC: SMB tickets issued under the other account's key).", spn_account_name(b),
	             (int)clsn, cls, (int)hostn, host, spn_account_name(a));
	if (is_http_like(cls, clsn))
		spn_buf_addf(msg, " WinRM and PowerShell remoting ask for HTTP/<host> too and run as the "
		             "computer, so they break the same way.");
	spn_buf_addf(fix, "If the %.*s service on %.*s really runs as %s (for example an IIS "
	             "application pool with its own account), keep the SPN and make sure nothing else "
	             "of that class on the host runs as %s; otherwise remove it: ",
	             (int)clsn, cls, (int)hostn, host, spn_account_name(b), spn_account_name(a));
	spn_text_add_setspn(fix, "-D", v->str, spn_account_name(b));
	spn_buf_addf(fix, ". Then clear cached tickets on the client machines (klist purge).");
	return spn_check_emit(out, err, CODE, SPN_SEV_ERROR, v->str, ids, 2, msg, fix);
}

static enum spn_rc run(const struct spn_model *m, const struct spn_check_opts *o,
                       struct spn_findings *out, struct spn_err *err)
{
	struct spn_alias_finder finder = {spn_model_aliases(m), NULL};
	struct spn_alias_key k;
	struct spn_holders h;
	struct spn_buf msg, fix, key;
	enum spn_rc rc = SPN_OK;
	int found;

	(void)o;
	if (!finder.table)
		return SPN_OK;
	spn_holders_init(&h);
	spn_buf_init(&msg, SPN_TEXT_MAX);
	spn_buf_init(&fix, SPN_TEXT_MAX);
	spn_buf_init(&key, SPN_TEXT_MAX);
	for (uint32_t i = 0; rc == SPN_OK && (found = SPN_TUNED(spn_alias_finder_next)(&finder, m, &i, &k));
	     i++) {
		if (found < 0) {
			rc = spn_err_set(err, SPN_NOMEM, "out of memory");
			break;
		}
		const struct spn_value *v = spn_model_value(m, i);
		spn_buf_clear(&key);
		spn_buf_addf(&key, "%s/%.*s", k.target, (int)k.host.n, k.host.p);
		if (!spn_buf_ok(&key)) {
			rc = spn_err_set(err, SPN_NOMEM, "out of memory");
			break;
		}
		uint32_t head = spn_model_find_spn(m, key.p, key.n);
		if (head == SPN_NONE)
			continue;
		const struct spn_account *b = spn_model_account(m, v->account);
		if (!spn_holders_upto(m, head, b, MAX_PAIRS, &h)) {
			rc = spn_err_set(err, SPN_NOMEM, "out of memory");
			break;
		}
		const char *colon = memchr(k.host.p, ':', k.host.n);
		size_t hn = colon ? (size_t)(colon - k.host.p) : k.host.n;
		/* One finding per HOST holder; HOST/<host> on more than MAX_PAIRS
		 * accounts is a duplicate of its own (duplicate-spn says so), and
		 * pairing every copy would only multiply the same finding. */
		for (size_t j = 0; j < h.n && rc == SPN_OK; j++)
			rc = report(m, i, k.cls.p, k.cls.n, k.host.p, hn, k.target, h.v[j].value, &msg, &fix,
			            out, err);
	}
	spn_alias_finder_release(&finder);
	spn_holders_release(&h);
	spn_buf_release(&msg);
	spn_buf_release(&fix);
	spn_buf_release(&key);
	return rc;
}

const struct spn_check spn_check_alias_conflict = {
	.code = CODE,
	.severity = SPN_SEV_ERROR,
	.flags = SPN_CHECK_DUPS,
	.title = "Explicit SPN shadows another account's HOST/ SPN",
	.explain =
		"About fifty service classes (cifs, http, www, rpcss, dns, time, ...) are aliases of "
		"HOST in sPNMappings: a computer's HOST/<name> serves them all. A KDC looks for the "
		"exact SPN first and uses the alias only when no account holds it, so cifs/<host> on "
		"another account wins over the computer's HOST/<host>: every ticket for it is encrypted "
		"with that account's key, and the service running as the computer fails with "
		"KRB_AP_ERR_MODIFIED (seen on a real DC: SMB to it broke). For HTTP the same goes for "
		"WinRM/PowerShell remoting. This is intended only when that service really runs as the "
		"other account (an IIS application pool with its own identity). One finding per "
		"(explicit SPN, HOST holder) pair; Samba's DNS/<dc> on dns-<dc> is expected (info). "
		"Across domains the host's own KDC is not misled, only clients sent to the other "
		"domain's KDC are: warning.",
	.run = run,
};
