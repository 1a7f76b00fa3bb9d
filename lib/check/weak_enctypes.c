/*
 * weak_enctypes.c - weak-enctypes: an enabled SPN holder whose tickets can
 * only use DES or RC4: USE_DES_KEY_ONLY, or msDS-SupportedEncryptionTypes
 * set to a value without AES (0x8/0x10). Absent or 0 is the domain default
 * and is not reported here (kerberoastable covers user accounts).
 *
 * DES is off by default since Windows 7 / Server 2008 R2, so such a service
 * gets KDC_ERR_ETYPE_NOSUPP; RC4 is being removed from the Windows KDC's
 * defaults (CVE-2026-20833 updates) and is the cheapest ticket to crack.
 * One finding per account; krbtgt and disabled accounts are skipped.
 */
#include "check_int.h"

#define CODE "weak-enctypes"

static enum spn_rc run(const struct spn_model *m, const struct spn_check_opts *o,
                       struct spn_findings *out, struct spn_err *err)
{
	struct spn_buf msg, fix;
	enum spn_rc rc = SPN_OK;
	size_t nacc = spn_model_naccounts(m);

	(void)o;
	spn_buf_init(&msg, SPN_TEXT_MAX);
	spn_buf_init(&fix, SPN_TEXT_MAX);
	for (uint32_t i = 0; i < nacc && rc == SPN_OK; i++) {
		const struct spn_account *a = spn_model_account(m, i);
		if (a->nspn == 0 || a->kind == SPN_KIND_KRBTGT || spn_account_disabled(a))
			continue;
		bool des_flag = (a->has & SPN_HAS_UAC) && (a->uac & SPN_UAC_USE_DES_KEY_ONLY);
		uint32_t et = (a->has & SPN_HAS_ENCTYPES) ? a->enctypes & (SPN_ET_DES | SPN_ET_RC4 | SPN_ET_AES) : 0;
		bool no_aes = et != 0 && !(et & SPN_ET_AES);
		if (!des_flag && !no_aes)
			continue;
		bool des_only = des_flag || !(et & SPN_ET_RC4);
		spn_buf_clear(&msg);
		spn_buf_clear(&fix);
		spn_buf_addf(&msg, "%s holds %u SPN%s (", a->dn, a->nspn, a->nspn == 1 ? "" : "s");
		spn_text_add_spn_list(&msg, m, a, 6);
		if (des_flag)
			spn_buf_addf(&msg, ") and is set to use DES keys only (USE_DES_KEY_ONLY).");
		else
			spn_buf_addf(&msg, ") and its msDS-SupportedEncryptionTypes is 0x%X: %s, no AES.",
			             a->enctypes, des_only ? "DES only" : "RC4");
		if (des_only)
			spn_buf_addf(&msg, " DES is disabled by default since Windows 7 and Server 2008 R2, "
			             "so ticket requests for these SPNs fail with KDC_ERR_ETYPE_NOSUPP; where "
			             "DES is still allowed, the tickets are trivial to crack.");
		else
			spn_buf_addf(&msg, " RC4 tickets are the cheapest to crack, and Windows KDCs are "
			             "dropping RC4 (CVE-2026-20833 updates): once RC4 is off, ticket requests "
			             "for these SPNs fail with KDC_ERR_ETYPE_NOSUPP.");
		spn_buf_addf(&fix, "%sSet msDS-SupportedEncryptionTypes of %s to 0x18 (AES128 and AES256; "
		             "0x1C keeps RC4 while old clients remain), then reset the account's password "
		             "so AES keys exist, and update the service's keytab if it has one.",
		             des_flag ? "Clear USE_DES_KEY_ONLY in userAccountControl. " : "", a->dn);
		rc = spn_check_emit(out, err, CODE, SPN_SEV_WARNING, NULL, &i, 1, &msg, &fix);
	}
	spn_buf_release(&msg);
	spn_buf_release(&fix);
	return rc;
}

const struct spn_check spn_check_weak_enctypes = {
	.code = CODE,
	.severity = SPN_SEV_WARNING,
	.flags = 0,
	.title = "SPN holder limited to DES or RC4",
	.explain =
		"An account whose msDS-SupportedEncryptionTypes is set without AES (0x8, 0x10), or which "
		"has USE_DES_KEY_ONLY, can only receive DES or RC4 service tickets. DES is disabled by "
		"default since Windows 7 / Server 2008 R2 (KDC_ERR_ETYPE_NOSUPP), and Windows KDCs are "
		"removing RC4 (CVE-2026-20833 updates); both are cheap to crack. An absent value means "
		"the domain default and is not reported. One finding per enabled account (krbtgt "
		"excluded).",
	.run = run,
};
