/*
 * privileged_spn.c - privileged-spn: an account that holds SPNs and is
 * privileged (RID 500, a protected group followed transitively, a
 * protected primary group, or adminCount=1). One finding per account.
 *
 * Domain controllers (their own SPNs are how the domain works) and krbtgt
 * are skipped. For user accounts the risk is Kerberoasting a domain-admin
 * password; for machine accounts (random passwords) it is the service
 * running with those rights.
 */
#include <string.h>

#include "check_int.h"

#define CODE "privileged-spn"

/* How many of a's SPNs another account holds too (small accounts only). */
static size_t shared_with_others(const struct spn_model *m, const struct spn_account *a)
{
	size_t n = 0;
	if (a->nspn > 64)
		return 0;
	for (uint32_t i = 0; i < a->nspn; i++) {
		const struct spn_value *v = spn_model_value(m, a->spn_first + i);
		for (uint32_t w = spn_model_find_spn(m, v->str, v->len); w != SPN_NONE;
		     w = spn_model_value(m, w)->next_same)
			if (!spn_same_dn(spn_model_account(m, spn_model_value(m, w)->account), a)) {
				n++;
				break;
			}
	}
	return n;
}

static enum spn_rc run(const struct spn_model *m, const struct spn_check_opts *o,
                       struct spn_findings *out, struct spn_err *err)
{
	struct spn_buf msg, fix;
	enum spn_rc rc = SPN_OK;
	size_t nacc = spn_model_naccounts(m);
	char why[512];

	(void)o;
	spn_buf_init(&msg, SPN_TEXT_MAX);
	spn_buf_init(&fix, SPN_TEXT_MAX);
	for (uint32_t i = 0; i < nacc && rc == SPN_OK; i++) {
		const struct spn_account *a = spn_model_account(m, i);
		if (a->nspn == 0 || a->kind == SPN_KIND_DC || a->kind == SPN_KIND_RODC ||
		    a->kind == SPN_KIND_KRBTGT)
			continue;
		if (!spn_model_privileged(m, i, why, sizeof(why)))
			continue;
		bool machine = spn_kind_machine((enum spn_kind)a->kind);
		spn_buf_clear(&msg);
		spn_buf_clear(&fix);
		spn_buf_addf(&msg, "%s holds %u SPN%s (", a->dn, a->nspn, a->nspn == 1 ? "" : "s");
		spn_text_add_spn_list(&msg, m, a, 6);
		spn_buf_addf(&msg, ") and is privileged: %s.", why);
		if (machine)
			spn_buf_addf(&msg, " Its password is random, so Kerberoasting is impractical, but "
			             "every service that runs as this %s runs with those rights.",
			             spn_kind_name((enum spn_kind)a->kind));
		else
			spn_buf_addf(&msg, " Any authenticated user can request a service ticket for these "
			             "SPNs and try to crack the account's password offline (Kerberoasting); "
			             "cracking it gives the attacker those rights, and a service running as "
			             "this account has them already.");
		if (machine) {
			spn_buf_addf(&fix, "Take %s out of the protected group unless it must be there.",
			             spn_account_name(a));
		} else {
			spn_buf_addf(&fix, "Do not run services as a privileged account: run the service as "
			             "a dedicated unprivileged account or a gMSA and move the SPNs there (");
			spn_text_add_setspn(&fix, "-D", "<spn>", spn_account_name(a));
			spn_buf_addf(&fix, ", then setspn -S <spn> <new account>); if the SPNs are stale, "
			             "only remove them.");
		}
		size_t shared = shared_with_others(m, a);
		if (shared)
			spn_buf_addf(&fix, " %zu of these SPNs %s also held by another account (see "
			             "duplicate-spn): if that account runs the service, removing %s from %s "
			             "fixes both findings.", shared, shared == 1 ? "is" : "are",
			             shared == 1 ? "it" : "them", spn_account_name(a));
		if (strcmp(why, "adminCount=1") == 0)
			spn_buf_addf(&fix, " adminCount=1 without a protected group is often left over from "
			             "a past membership: if so, clear it and restore inheritance on the "
			             "account's permissions.");
		rc = spn_check_emit(out, err, CODE, SPN_SEV_WARNING, NULL, &i, 1, &msg, &fix);
	}
	spn_buf_release(&msg);
	spn_buf_release(&fix);
	return rc;
}

const struct spn_check spn_check_privileged_spn = {
	.code = CODE,
	.severity = SPN_SEV_WARNING,
	.flags = 0,
	.title = "SPN on a privileged account",
	.explain =
		"Any authenticated user can ask for a service ticket to any SPN; it is encrypted with a "
		"key derived from the holder's password, which can be cracked offline (Kerberoasting). On "
		"a privileged account (RID 500 Administrator, a member of Domain/Enterprise/Schema Admins, "
		"Administrators, the operator groups, directly or through nested groups or the primary "
		"group, or adminCount=1) that is a direct path to domain control, and the service runs "
		"with those rights. One finding per account. Domain controllers' own SPNs and krbtgt are "
		"not reported.",
	.run = run,
};
