/*
 * kerberoastable.c - kerberoastable: an enabled user account that holds
 * SPNs, so anyone in the domain can get a ticket encrypted with a key
 * derived from its (human-chosen) password and crack it offline.
 *
 * Severity info; warning when RC4 tickets are possible
 * (msDS-SupportedEncryptionTypes absent or 0, or with bit 0x4; or
 * USE_DES_KEY_ONLY) or the password is older than opts->max_password_age_days.
 * An attribute the snapshot did not carry at all (spn_account_attr_known)
 * is "not in the snapshot": said, and never a reason for the warning.
 * Only user accounts (kind user, or unknown with NORMAL_ACCOUNT): computers,
 * managed service accounts and krbtgt have random passwords. Disabled
 * accounts are left to disabled-spn. Samba's dns-<dc> account (random
 * password, DNS/ SPNs only) stays info.
 */
#include <string.h>
#include <strings.h>

#include "check_int.h"

#define CODE "kerberoastable"

static bool is_user(const struct spn_account *a)
{
	return a->kind == SPN_KIND_USER ||
	       (a->kind == SPN_KIND_UNKNOWN && (a->has & SPN_HAS_UAC) && (a->uac & SPN_UAC_NORMAL_ACCOUNT));
}

/* dns-<name> holding only DNS/ SPNs: Samba's BIND9_DLZ account. */
static bool samba_dns_user(const struct spn_model *m, const struct spn_account *a)
{
	/* The SPNs first: the message reads them anyway, the name it does not. */
	for (uint32_t i = 0; i < a->nspn; i++)
		if (strncasecmp(spn_model_value(m, a->spn_first + i)->str, "dns/", 4) != 0)
			return false;
	return a->sam && strncasecmp(a->sam, "dns-", 4) == 0;
}

/* What the age is measured to: "the audit" (--now, a live read, the
 * clock), or the snapshot's own time and what says so. */
static void add_as_of(struct spn_buf *t, const struct spn_model *m, const struct spn_account *a,
                      int64_t now, int from)
{
	char day[32];
	if (from < 0 || from == SPN_TIME_NONE || from == SPN_TIME_READ ||
	    !spn_filetime_format_date(now, day, sizeof(day))) {
		spn_buf_adds(t, "the audit");
		return;
	}
	spn_buf_addf(t, "%s, the time of %s (%s)", day, spn_model_source(m, a->source)->name,
	             spn_time_from_text((enum spn_time_from)from));
}

static enum spn_rc run(const struct spn_model *m, const struct spn_check_opts *o,
                       struct spn_findings *out, struct spn_err *err)
{
	struct spn_buf msg, fix;
	enum spn_rc rc = SPN_OK;
	size_t nacc = spn_model_naccounts(m);

	spn_buf_init(&msg, SPN_TEXT_MAX);
	spn_buf_init(&fix, SPN_TEXT_MAX);
	for (uint32_t i = 0; i < nacc && rc == SPN_OK; i++) {
		const struct spn_account *a = spn_model_account(m, i);
		if (a->nspn == 0 || !is_user(a) || spn_account_disabled(a))
			continue;
		bool et_known = spn_account_attr_known(m, a, SPN_A_SUPPORTEDENCTYPES);
		bool et_set = (a->has & SPN_HAS_ENCTYPES) && (a->enctypes & (SPN_ET_DES | SPN_ET_RC4 | SPN_ET_AES));
		bool des_flag = (a->uac & SPN_UAC_USE_DES_KEY_ONLY) != 0;
		bool des_only = des_flag || (et_set && !(a->enctypes & (SPN_ET_RC4 | SPN_ET_AES)));
		bool rc4 = des_only || (!et_set && et_known) || (a->enctypes & SPN_ET_RC4);
		int64_t age = -1;
		int from;
		int64_t now = spn_check_now(m, a, o, &from);
		if ((a->has & SPN_HAS_PWDLASTSET) && a->pwd_last_set > 0 && now > a->pwd_last_set)
			age = spn_filetime_days(a->pwd_last_set, now);
		bool old = age >= 0 && (uint64_t)age > o->max_password_age_days;
		bool samba_dns = samba_dns_user(m, a);
		enum spn_severity sev = (rc4 || old) && !samba_dns ? SPN_SEV_WARNING : SPN_SEV_INFO;

		spn_buf_clear(&msg);
		spn_buf_clear(&fix);
		spn_buf_addf(&msg, "%s is a user account holding %u SPN%s (", a->dn, a->nspn,
		             a->nspn == 1 ? "" : "s");
		spn_text_add_spn_list(&msg, m, a, 6);
		spn_buf_adds(&msg, "): any authenticated user can request a service ticket encrypted with "
		             "a key derived from its password and try to crack it offline (Kerberoasting).");
		if (des_flag)
			spn_buf_adds(&msg, " It is set to DES only (USE_DES_KEY_ONLY), the weakest keys there are.");
		else if (des_only)
			spn_buf_addf(&msg, " It is set to DES only (msDS-SupportedEncryptionTypes 0x%X), the "
			             "weakest keys there are.", a->enctypes);
		else if (!et_set && !et_known)
			spn_buf_adds(&msg, " msDS-SupportedEncryptionTypes is not in the snapshot, so "
			             "whether RC4 tickets (the fastest to crack) are possible is not known.");
		else if (!et_set)
			spn_buf_adds(&msg, " msDS-SupportedEncryptionTypes is not set, so a KDC without the "
			             "2026 RC4 hardening issues RC4 tickets, the fastest to crack.");
		else if (a->enctypes & SPN_ET_RC4)
			spn_buf_addf(&msg, " msDS-SupportedEncryptionTypes is 0x%X, which allows RC4 tickets, "
			             "the fastest to crack.", a->enctypes);
		else
			spn_buf_addf(&msg, " Tickets are AES only (msDS-SupportedEncryptionTypes 0x%X), which "
			             "slows cracking but does not stop it for a weak password.", a->enctypes);
		if (age >= 0) {
			/* A date, not "N days ago": the same snapshot reads the same tomorrow. */
			char day[32];
			if (spn_filetime_format_date(a->pwd_last_set, day, sizeof(day)))
				spn_buf_addf(&msg, " The password was last set on %s.", day);
			if (old) {
				spn_buf_addf(&msg, " That is more than %u days before ", o->max_password_age_days);
				add_as_of(&msg, m, a, now, from);
				spn_buf_adds(&msg, ": the longer a password lives, the longer an attacker has "
				             "to crack it.");
			}
		}
		else if (!spn_account_attr_known(m, a, SPN_A_PWDLASTSET))
			spn_buf_adds(&msg, " pwdLastSet is not in the snapshot, so the password's age is "
			             "not known.");
		if (a->uac & SPN_UAC_DONT_EXPIRE_PASSWD)
			spn_buf_adds(&msg, " The password never expires.");
		if (samba_dns)
			spn_buf_adds(&msg, " This looks like Samba's dns-<name> account, whose password "
			             "provisioning sets at random: low risk.");
		spn_buf_adds(&fix, "Run the service as a group managed service account (gMSA: a long "
		             "random password the DCs rotate) and move the SPNs there; if it must stay a "
		             "user account, give it a random password of 25 or more characters, set "
		             "msDS-SupportedEncryptionTypes to 0x18 (AES only) and then reset the password "
		             "so AES keys exist. If the SPNs do not belong on this account at all (stale, "
		             "or copies of another account's), remove them instead.");
		rc = spn_check_emit(out, err, CODE, sev, NULL, &i, 1, &msg, &fix);
	}
	spn_buf_release(&msg);
	spn_buf_release(&fix);
	return rc;
}

const struct spn_check spn_check_kerberoastable = {
	.code = CODE,
	.severity = SPN_SEV_INFO,
	.flags = 0,
	.title = "User account with SPNs (Kerberoasting target)",
	.explain =
		"Any authenticated user can request a service ticket for any SPN; for a user account "
		"the ticket is encrypted with a key derived from a human-chosen password, which can be "
		"cracked offline. Reported as info for every enabled user account holding SPNs, and as a "
		"warning when RC4 tickets are possible (msDS-SupportedEncryptionTypes absent, 0 or with "
		"RC4; or DES only) or the password is older than the limit (365 days by default). "
		"An attribute the snapshot does not carry at all is said to be missing and never "
		"makes the finding a warning. Computers, managed service accounts and krbtgt have random passwords and are not "
		"reported; disabled accounts are left to disabled-spn.",
	.run = run,
};
