/*
 * uniqueness_disabled.c - uniqueness-disabled: dSHeuristics (on CN=Directory
 * Service,CN=Windows NT,CN=Services,CN=Configuration,...) whose 21st
 * character turns off the domain controllers' UPN/SPN/alias uniqueness
 * checks (DoNotVerifyUPNAndOrSPNUniqueness, KB5008382): bit 1 UPN, bit 2
 * SPN, bit 4 SPN alias. Reported only when the snapshot carried that entry.
 */
#include <string.h>

#include "check_int.h"

#define CODE "uniqueness-disabled"

static enum spn_rc run(const struct spn_model *m, const struct spn_check_opts *o,
                       struct spn_findings *out, struct spn_err *err)
{
	const char *ds = spn_model_ds_heuristics(m);
	(void)o;
	if (!ds || strlen(ds) < 21 || ds[20] < '1' || ds[20] > '9')
		return SPN_OK;
	unsigned bits = (unsigned)(ds[20] - '0') & 7u;
	if (!bits)
		return SPN_OK;
	struct spn_buf msg, fix;
	spn_buf_init(&msg, SPN_TEXT_MAX);
	spn_buf_init(&fix, SPN_TEXT_MAX);
	spn_buf_addf(&msg, "dSHeuristics on CN=Directory Service,CN=Windows NT,CN=Services,"
	             "CN=Configuration is \"");
	spn_text_add_value(&msg, ds, strlen(ds));
	spn_buf_addf(&msg, "\": its 21st character '%c' turns off the domain controllers' check of ", ds[20]);
	const char *what[3] = {"UPN uniqueness", "SPN uniqueness", "SPN alias uniqueness (HOST/ vs cifs/, http/, ...)"};
	size_t shown = 0, count = (bits & 1) + ((bits >> 1) & 1) + ((bits >> 2) & 1);
	for (unsigned b = 0; b < 3; b++) {
		if (!(bits & (1u << b)))
			continue;
		spn_buf_addf(&msg, "%s%s", shown ? (shown + 1 == count ? " and " : ", ") : "", what[b]);
		shown++;
	}
	spn_buf_addf(&msg, " (DoNotVerifyUPNAndOrSPNUniqueness, KB5008382). Windows DCs then accept "
	             "duplicate values without error, and every duplicate breaks Kerberos for its "
	             "name (Samba DCs ignore this setting).");
	spn_buf_addf(&fix, "Set the 21st character of dSHeuristics back to 0 and keep every other "
	             "character as it is (the 10th and 20th must stay '1' and '2'), unless a migration "
	             "that needs it is running right now. Then re-run this audit: duplicates written "
	             "while the check was off remain until removed.");
	enum spn_rc rc = spn_check_emit(out, err, CODE, SPN_SEV_WARNING, NULL, NULL, 0, &msg, &fix);
	spn_buf_release(&msg);
	spn_buf_release(&fix);
	return rc;
}

const struct spn_check spn_check_uniqueness_disabled = {
	.code = CODE,
	.severity = SPN_SEV_WARNING,
	.flags = 0,
	.title = "Forest-wide SPN/UPN uniqueness checks turned off",
	.explain =
		"Windows DCs (2012 R2 and later, and older ones with KB5008382) refuse to write a "
		"duplicate SPN, UPN or HOST-alias SPN, unless the 21st character of dSHeuristics on "
		"CN=Directory Service,CN=Windows NT,CN=Services,CN=Configuration,... says otherwise "
		"(bit 1: UPN, 2: SPN, 4: alias). Meant for the duration of a migration; left on, it lets "
		"duplicates in unnoticed. Reported only when the snapshot holds that entry; Samba DCs "
		"ignore the setting.",
	.run = run,
};
