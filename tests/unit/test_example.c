/* test_example.c - examples/exchange-um.ldif end to end: read it with the
 * LDIF reader, run every check, and get exactly the findings that
 * examples/README.md lists; resolve the field case's names. The path comes
 * from meson (SPN_EXAMPLE_LDIF). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "check_helpers.h"
#include "spn/resolve.h"
#include "spn/source.h"

#ifndef SPN_EXAMPLE_LDIF
#error "build with -DSPN_EXAMPLE_LDIF=\"<path to examples/exchange-um.ldif>\""
#endif

#define D ",DC=corp,DC=contoso,DC=com"
#define EXCH01 "CN=EXCH01,OU=Exchange Servers" D
#define ADMIN "CN=Administrator,CN=Users" D

static struct spn_model *load(void)
{
	struct spn_model *m = spn_model_new(0);
	struct spn_err err;
	spn_err_init(&err);
	assert_non_null(m);
	if (spn_ldif_read_file(m, SPN_EXAMPLE_LDIF, &err) || spn_model_finish(m, &err))
		fail_msg("%s", err.msg);
	return m;
}

static void test_model(void **state)
{
	(void)state;
	struct spn_model *m = load();
	assert_true(spn_model_complete(m));
	assert_true(spn_model_aliases_from_directory(m));
	assert_null(spn_model_ds_heuristics(m));
	assert_int_equal(spn_model_ndomains(m), 1);
	assert_string_equal(spn_model_domain(m, 0), "corp.contoso.com");
	struct spn_model_stats st;
	spn_model_stats(m, &st);
	assert_int_equal(st.groups, 14);
	/* 2 DCs, 6 member computers, Administrator, krbtgt, 2 service users, 1 gMSA;
	 * Guest and the four people hold no SPN and are not kept. */
	assert_int_equal(st.accounts, 13);
	assert_int_equal(st.accounts_seen, 18);
	uint32_t id;
	assert_int_equal(spn_model_find_account(m, "Administrator", &id, 1), 1);
	assert_int_equal(spn_model_account(m, id)->rid, 500);
	assert_int_equal(spn_model_find_account(m, "gmsaReports$", &id, 1), 1);
	assert_int_equal(spn_model_account(m, id)->kind, SPN_KIND_GMSA);
	spn_model_free(m);
}

struct want {
	const char *code;
	enum spn_severity sev;
	const char *spn;
	const char *acc[2];
};

static void test_findings(void **state)
{
	(void)state;
	static const struct want want[] = {
		{"duplicate-spn", SPN_SEV_ERROR, "SMTPSVC/EXCH01", {EXCH01, ADMIN}},
		{"duplicate-spn", SPN_SEV_ERROR, "SMTPSVC/exch01.corp.contoso.com", {EXCH01, ADMIN}},
		{"kerberoastable", SPN_SEV_WARNING, NULL, {ADMIN, NULL}},
		{"kerberoastable", SPN_SEV_WARNING, NULL, {"CN=Intranet App Pool,OU=Service Accounts" D, NULL}},
		{"kerberoastable", SPN_SEV_WARNING, NULL, {"CN=SQL Service,OU=Service Accounts" D, NULL}},
		{"privileged-spn", SPN_SEV_WARNING, NULL, {ADMIN, NULL}},
	};
	size_t nwant = sizeof(want) / sizeof(want[0]);
	struct spn_model *m = load();
	struct spn_findings f;
	tc_run_all(m, &f);
	for (size_t i = 0; i < f.n; i++)
		print_message("finding %zu: %s %s %s\n", i, f.v[i].code,
		              spn_severity_name(f.v[i].severity), f.v[i].spn ? f.v[i].spn : "-");
	assert_int_equal(f.n, nwant);
	for (size_t i = 0; i < nwant; i++) {
		const struct spn_finding *x = &f.v[i];
		assert_string_equal(x->code, want[i].code);
		assert_int_equal(x->severity, want[i].sev);
		if (want[i].spn)
			assert_string_equal(x->spn, want[i].spn);
		else
			assert_null(x->spn);
		size_t nacc = want[i].acc[1] ? 2 : 1;
		assert_int_equal(x->naccounts, nacc);
		for (size_t k = 0; k < nacc; k++)
			assert_string_equal(tc_acc(m, x, k), want[i].acc[k]);
	}
	/* The field case reads clearly. */
	tc_contains(f.v[0].message, "registered on 2 accounts in corp.contoso.com");
	tc_contains(f.v[0].message, "KDC_ERR_S_PRINCIPAL_UNKNOWN");
	tc_contains(f.v[0].fix, "Keep SMTPSVC/EXCH01 on EXCH01$");
	tc_contains(f.v[0].fix, "setspn -D SMTPSVC/EXCH01 Administrator; it also holds "
	            "SMTPSVC/exch01.corp.contoso.com of EXCH01$: remove that too");
	tc_contains(f.v[0].fix, "klist purge");
	tc_contains(f.v[2].message, "last set on 2024-02-06");
	tc_contains(f.v[4].message, "msDS-SupportedEncryptionTypes is not set");
	tc_contains(f.v[5].message, "RID 500 (built-in Administrator)");
	spn_findings_release(&f);

	/* `spnctl dups`: only the two duplicates. */
	struct spn_check_opts o;
	struct spn_err err;
	tc_opts(&o);
	spn_err_init(&err);
	spn_findings_init(&f);
	assert_int_equal(spn_checks_run(m, &o, SPN_CHECK_DUPS, &f, &err), SPN_OK);
	assert_int_equal(f.n, 2);
	spn_findings_release(&f);
	spn_model_free(m);
}

static void test_resolve(void **state)
{
	(void)state;
	struct spn_model *m = load();
	struct spn_resolutions r;
	struct spn_err err;
	spn_err_init(&err);
	spn_resolutions_init(&r);
	assert_int_equal(spn_resolve(m, "SMTPSVC/exch01.corp.contoso.com", NULL, &r, &err), SPN_OK);
	assert_int_equal(spn_resolve(m, "cifs/exch02.corp.contoso.com", NULL, &r, &err), SPN_OK);
	assert_int_equal(spn_resolve(m, "MSSQLSvc/sql01.corp.contoso.com:1433", NULL, &r, &err), SPN_OK);
	assert_int_equal(spn_resolve(m, "HTTP/intranet.corp.contoso.com", NULL, &r, &err), SPN_OK);
	assert_int_equal(r.n, 4);
	assert_int_equal(r.v[0].outcome, SPN_OUTCOME_NOT_UNIQUE);
	tc_contains(r.v[0].summary, "Server not found in Kerberos database");
	assert_int_equal(r.v[1].outcome, SPN_OUTCOME_TICKET);
	assert_string_equal(spn_model_account(m, r.v[1].account)->dn, "CN=EXCH02,OU=Exchange Servers" D);
	assert_string_equal(r.v[1].matched, "HOST/exch02.corp.contoso.com");
	assert_int_equal(r.v[2].outcome, SPN_OUTCOME_TICKET);
	assert_string_equal(spn_model_account(m, r.v[2].account)->dn, "CN=SQL Service,OU=Service Accounts" D);
	/* http is a HOST alias, but the explicit SPN is found first and nobody holds HOST/intranet. */
	assert_int_equal(r.v[3].outcome, SPN_OUTCOME_TICKET);
	spn_resolutions_release(&r);
	spn_model_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_model),
		cmocka_unit_test(test_findings),
		cmocka_unit_test(test_resolve),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
