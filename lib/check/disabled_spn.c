/*
 * disabled_spn.c - disabled-spn: a disabled account that still holds SPNs.
 * One finding per account; krbtgt (always disabled) is skipped.
 */
#include "check_int.h"

#define CODE "disabled-spn"

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
		if (a->nspn == 0 || a->kind == SPN_KIND_KRBTGT || !spn_account_disabled(a))
			continue;
		spn_buf_clear(&msg);
		spn_buf_clear(&fix);
		spn_buf_addf(&msg, "%s is disabled but holds %u SPN%s (", a->dn, a->nspn,
		             a->nspn == 1 ? "" : "s");
		spn_text_add_spn_list(&msg, m, a, 6);
		spn_buf_addf(&msg, "). No service can run as a disabled account, so these names are "
		             "stale, yet they still count: a copy on a live account makes the name "
		             "ambiguous to the KDC (KDC_ERR_S_PRINCIPAL_UNKNOWN), and the uniqueness "
		             "check refuses to register them on the account that should own them.");
		spn_buf_addf(&fix, "Remove the SPNs from %s (", a->dn);
		spn_text_add_setspn(&fix, "-D", "<spn>", spn_account_name(a));
		spn_buf_addf(&fix, " for each), or enable the account if a service still runs as it.");
		rc = spn_check_emit(out, err, CODE, SPN_SEV_WARNING, NULL, &i, 1, &msg, &fix);
	}
	spn_buf_release(&msg);
	spn_buf_release(&fix);
	return rc;
}

const struct spn_check spn_check_disabled_spn = {
	.code = CODE,
	.severity = SPN_SEV_WARNING,
	.flags = 0,
	.title = "SPNs on a disabled account",
	.explain =
		"A disabled account cannot run a service, so its SPNs are stale. They still take part in "
		"the KDC's lookup (a copy on a live account makes the name not unique) and in the "
		"uniqueness check, which then refuses to register the SPN on the account that should "
		"own it. One finding per account; krbtgt, which is always disabled, is not reported.",
	.run = run,
};
