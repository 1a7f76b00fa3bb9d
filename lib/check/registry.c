/*
 * registry.c - every check, sorted by code, and running them.
 *
 * Adding a check: write lib/check/<code>.c exporting a const struct
 * spn_check, declare it in check_int.h, list it below (keep the order:
 * a unit test asserts it), add tests/unit/test_check_<code>.c, a case
 * under tests/cases/, and the man page and README rows.
 */
#include <string.h>

#include "check_int.h"

static const struct spn_check *const checks[] = {
	&spn_check_alias_conflict,
	&spn_check_dc_only_spn,
	&spn_check_delegation_target_duplicate,
	&spn_check_delegation_target_missing,
	&spn_check_disabled_spn,
	&spn_check_duplicate_spn,
	&spn_check_host_name_clash,
	&spn_check_kerberoastable,
	&spn_check_lookalike_spn,
	&spn_check_malformed_spn,
	&spn_check_privileged_spn,
	&spn_check_uniqueness_disabled,
	&spn_check_upn_spn_collision,
	&spn_check_weak_enctypes,
};
#define NCHECKS (sizeof(checks) / sizeof(checks[0]))

size_t spn_check_count(void)
{
	return NCHECKS;
}

const struct spn_check *spn_check_at(size_t i)
{
	return i < NCHECKS ? checks[i] : NULL;
}

const struct spn_check *spn_check_find(const char *code)
{
	size_t lo = 0, hi = NCHECKS;
	if (!code)
		return NULL;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(code, checks[mid]->code);
		if (c == 0)
			return checks[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

enum spn_rc spn_checks_run(const struct spn_model *m, const struct spn_check_opts *o,
                           unsigned need, struct spn_findings *out, struct spn_err *err)
{
	struct spn_check_opts defaults;
	if (!o) {
		spn_check_opts_default(&defaults);
		o = &defaults;
	}
	for (size_t i = 0; i < NCHECKS; i++) {
		const struct spn_check *c = checks[i];
		if ((c->flags & need) != need)
			continue;
		enum spn_rc rc = c->run(m, o, out, err);
		if (rc) {
			spn_err_prefix(err, "check %s", c->code);
			return rc;
		}
	}
	spn_findings_sort(out, m);
	return SPN_OK;
}
