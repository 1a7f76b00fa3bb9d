/*
 * dc_only_spn.c - dc-only-spn: a 3-part SPN whose service part is the
 * holder's own domain (ldap/<host>/<domain>, HOST/<host>/<domain>, ...) on
 * an account that is not a domain controller.
 *
 * Samba's KDC refuses such an SPN on a non-DC (db-glue, the CVE-2020-25722
 * hardening: "a 3-part SPN ending in my domain/realm" is for full DCs
 * only) and answers KDC_ERR_S_PRINCIPAL_UNKNOWN; Windows only lets a DC
 * write them through the validated write, so elsewhere they are usually
 * left over from a demoted DC. Compared with the account's DNS domain (the
 * snapshot does not carry the NetBIOS domain name). One finding per value.
 */
#include <string.h>
#include <strings.h>

#include "check_int.h"

#define CODE "dc-only-spn"

static enum spn_rc run(const struct spn_model *m, const struct spn_check_opts *o,
                       struct spn_findings *out, struct spn_err *err)
{
	struct spn_buf msg, fix;
	enum spn_rc rc = SPN_OK;
	size_t nval = spn_model_nvalues(m);

	(void)o;
	spn_buf_init(&msg, SPN_TEXT_MAX);
	spn_buf_init(&fix, SPN_TEXT_MAX);
	uint32_t last = SPN_NONE;
	const struct spn_account *a = NULL;
	size_t dl = 0;
	for (uint32_t i = 0; i < nval && rc == SPN_OK; i++) {
		const struct spn_value *v = spn_model_value(m, i);
		if (v->flags & SPN_VALUE_MALFORMED)
			continue;
		if (v->account != last) {
			last = v->account;
			a = spn_model_account(m, last);
			dl = a->kind == SPN_KIND_DC || a->kind == SPN_KIND_RODC ? 0 : strlen(a->domain);
		}
		if (dl == 0)
			continue;  /* a DC, or no domain */
		/* Cheap filter before parsing, on the end of the value only: it
		 * must end in "/<domain>" (then any dots). */
		size_t n = v->len;
		while (n && v->str[n - 1] == '.')
			n--;
		if (n < dl + 2 || v->str[n - dl - 1] != '/' || !spn_ieq(v->str + n - dl, a->domain, dl))
			continue;
		struct spn_parts p;
		if (spn_parse(v->str, v->len, &p) != SPN_SYNTAX_OK || p.ncomp != 3)
			continue;
		size_t sn = p.service.n;
		while (sn && p.service.p[sn - 1] == '.')
			sn--;
		if (sn != strlen(a->domain) || strncasecmp(p.service.p, a->domain, sn) != 0)
			continue;
		spn_buf_clear(&msg);
		spn_buf_clear(&fix);
		spn_text_add_value(&msg, v->str, v->len);
		spn_buf_addf(&msg, " on %s names the account's own domain %s as its third part, a form "
		             "only domain controllers hold (ldap/<dc>/<domain>, HOST/<dc>/<domain>). "
		             "%s is not a domain controller: a Samba KDC refuses tickets for this name "
		             "(KDC_ERR_S_PRINCIPAL_UNKNOWN, the CVE-2020-25722 hardening), and on Windows "
		             "it is usually left over from a demoted DC.", a->dn, a->domain,
		             spn_account_name(a));
		spn_buf_addf(&fix, "Remove it: ");
		spn_text_add_setspn(&fix, "-D", v->str, spn_account_name(a));
		spn_buf_addf(&fix, ". If a service really needs a 3-part name, use its own name as the "
		             "third part, not the domain.");
		uint32_t id = v->account;
		rc = spn_check_emit(out, err, CODE, SPN_SEV_WARNING, v->str, &id, 1, &msg, &fix);
	}
	spn_buf_release(&msg);
	spn_buf_release(&fix);
	return rc;
}

const struct spn_check spn_check_dc_only_spn = {
	.code = CODE,
	.severity = SPN_SEV_WARNING,
	.flags = 0,
	.title = "Domain-controller-only 3-part SPN on a non-DC",
	.explain =
		"A 3-part SPN whose third part is the domain itself (ldap/<host>/<domain>, "
		"HOST/<host>/<domain>, GC/...) belongs to domain controllers. Samba's KDC refuses such a "
		"name on any other account (KDC_ERR_S_PRINCIPAL_UNKNOWN; hardening from CVE-2020-25722), "
		"and Windows lets only a DC write it through the validated write, so elsewhere it is "
		"usually left over from a demoted DC. Compared with the account's DNS domain name. One "
		"finding per value.",
	.run = run,
};
