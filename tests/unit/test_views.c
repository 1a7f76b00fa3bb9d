/* test_views.c - one domain as several DCs see it (spn/views.h) and which
 * DCs show a finding (spn_findings_mark_dcs, lib/check/dc_spread.c):
 *  - the union of a single DC's view audits exactly as that view does
 *    (examples/exchange-um.ldif: every check, every finding, same accounts),
 *    so --all-dcs loses nothing the checks read;
 *  - a duplicate written on two DCs before replication: found on the
 *    union, shown by no DC, each copy on its own DC, two differences;
 *  - after replication: shown by both, no difference; values that differ
 *    only in case are no difference;
 *  - a DC that could not be read and a DC of another domain say nothing
 *    (SILENT), and make no difference. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "builder.h"
#include "check_helpers.h"
#include "spn/source.h"
#include "spn/views.h"

#ifndef SPN_EXAMPLE_LDIF
#error "build with -DSPN_EXAMPLE_LDIF=\"<path to examples/exchange-um.ldif>\""
#endif

#define A "CN=svc_a,CN=Users,DC=contoso,DC=test"
#define B "CN=svc_b,CN=Users,DC=contoso,DC=test"
#define SPN "HTTP/shared.contoso.test"

static struct spn_views *build(size_t n, const char *const *names, const char *const *domains,
                               struct spn_model *const *models)
{
	struct spn_views *v = NULL;
	struct spn_err err;
	spn_err_init(&err);
	if (spn_views_build(&v, n, names, domains, models, 0, &err) ||
	    spn_views_finish(v, &err))
		fail_msg("views: %s", err.msg);
	return v;
}

/* A DC's view: svc_a and svc_b, each with the SPNs given (NULL: none). */
static struct spn_model *view(const char *spn_a, const char *spn_b)
{
	struct spn_model *m = tb_new(0);
	char sa[128], sb[128];
	snprintf(sa, sizeof(sa), "servicePrincipalName=%s", spn_a ? spn_a : "HOST/a-only");
	snprintf(sb, sizeof(sb), "servicePrincipalName=%s", spn_b ? spn_b : "HOST/b-only");
	tb_add(m, A, "objectClass=user", "sAMAccountName=svc_a", "userAccountControl=512",
	       "servicePrincipalName=HOST/a-only", sa, NULL);
	tb_add(m, B, "objectClass=user", "sAMAccountName=svc_b", "userAccountControl=512",
	       "servicePrincipalName=HOST/b-only", sb, NULL);
	tb_finish(m);
	return m;
}

static uint32_t acc(struct spn_views *v, const char *dn)
{
	uint32_t id = spn_model_find_dn(spn_views_union(v), dn, strlen(dn));
	assert_int_not_equal(id, SPN_NONE);
	return id;
}

/* Checks on every read view, then the marks on all. */
static void mark(struct spn_views *v, struct spn_findings *all)
{
	size_t n = spn_views_count(v);
	struct spn_findings per[4];
	struct spn_err err;
	assert_true(n <= 4);
	tc_run_all(spn_views_union_c(v), all);
	spn_findings_sort(all, spn_views_union_c(v));
	for (size_t i = 0; i < n; i++) {
		spn_findings_init(&per[i]);
		if (spn_views_model(v, i))
			tc_run_all(spn_views_model(v, i), &per[i]);
	}
	spn_err_init(&err);
	if (spn_findings_mark_dcs(all, v, per, &err))
		fail_msg("mark: %s", err.msg);
	for (size_t i = 0; i < n; i++)
		spn_findings_release(&per[i]);
}

static const char *dn_of(const struct spn_model *m, const struct spn_finding *x, size_t j)
{
	return spn_model_account(m, x->accounts[j])->dn;
}

static void test_union_of_one_is_the_view(void **state)
{
	(void)state;
	struct spn_model *m = spn_model_new(0);
	struct spn_err err;
	spn_err_init(&err);
	if (spn_ldif_read_file(m, SPN_EXAMPLE_LDIF, &err) || spn_model_finish(m, &err))
		fail_msg("%s", err.msg);
	const char *names[] = {"DC1"}, *domains[] = {"corp.contoso.com"};
	struct spn_views *v = build(1, names, domains, &m);
	const struct spn_model *u = spn_views_union_c(v);
	struct spn_findings fm, fu;
	tc_run_all(m, &fm);
	tc_run_all(u, &fu);
	spn_findings_sort(&fm, m);
	spn_findings_sort(&fu, u);
	assert_true(fm.n >= 5);
	assert_int_equal(fu.n, fm.n);
	for (size_t i = 0; i < fm.n; i++) {
		const struct spn_finding *a = &fm.v[i], *b = &fu.v[i];
		assert_string_equal(a->code, b->code);
		assert_int_equal(a->severity, b->severity);
		if (a->spn || b->spn)
			assert_string_equal(a->spn, b->spn);
		assert_int_equal(a->naccounts, b->naccounts);
		for (size_t j = 0; j < a->naccounts; j++)
			assert_string_equal(dn_of(m, a, j), dn_of(u, b, j));
		assert_string_equal(a->message, b->message);
	}
	assert_int_equal(spn_views_ndiffs(v), 0);
	spn_findings_release(&fm);
	spn_findings_release(&fu);
	spn_views_free(v);
	spn_model_free(m);
}

static void test_written_on_two_dcs(void **state)
{
	(void)state;
	struct spn_model *dc[2] = {view(SPN, NULL), view(NULL, SPN)};
	const char *names[] = {"DC1", "DC2"}, *domains[] = {"contoso.test", "contoso.test"};
	struct spn_views *v = build(2, names, domains, dc);
	uint32_t a = acc(v, A), b = acc(v, B);
	assert_int_equal(spn_views_holds(v, 0, a, SPN, strlen(SPN)), SPN_VIEW_YES);
	assert_int_equal(spn_views_holds(v, 1, a, SPN, strlen(SPN)), SPN_VIEW_NO);
	assert_int_equal(spn_views_holds(v, 0, b, SPN, strlen(SPN)), SPN_VIEW_NO);
	assert_int_equal(spn_views_holds(v, 1, b, SPN, strlen(SPN)), SPN_VIEW_YES);
	/* Both values are a difference between the DCs: svc_a's, then svc_b's. */
	assert_int_equal(spn_views_ndiffs(v), 2);
	const struct spn_model *u = spn_views_union_c(v);
	const struct spn_view_diff *d0 = spn_views_diff(v, 0), *d1 = spn_views_diff(v, 1);
	assert_string_equal(spn_model_account(u, d0->account)->dn, A);
	assert_string_equal(spn_model_value(u, d0->value)->str, SPN);
	assert_int_equal(d0->holds[0], SPN_VIEW_YES);
	assert_int_equal(d0->holds[1], SPN_VIEW_NO);
	assert_string_equal(spn_model_account(u, d1->account)->dn, B);
	assert_int_equal(d1->holds[0], SPN_VIEW_NO);
	assert_int_equal(d1->holds[1], SPN_VIEW_YES);

	struct spn_findings all;
	mark(v, &all);
	const struct spn_finding *x = tc_find(&all, "duplicate-spn", SPN);
	assert_non_null(x);
	assert_non_null(x->dcs);
	assert_int_equal(x->dcs->n, 2);
	assert_int_equal(x->dcs->shown[0], SPN_VIEW_NO);   /* no DC shows it on its own */
	assert_int_equal(x->dcs->shown[1], SPN_VIEW_NO);
	for (size_t j = 0; j < x->naccounts; j++) {
		const uint8_t *row = x->dcs->holders + j * x->dcs->n;
		bool is_a = strcmp(dn_of(u, x, j), A) == 0;
		assert_int_equal(row[0], is_a ? SPN_VIEW_YES : SPN_VIEW_NO);
		assert_int_equal(row[1], is_a ? SPN_VIEW_NO : SPN_VIEW_YES);
	}
	spn_findings_release(&all);
	spn_views_free(v);
	spn_model_free(dc[0]);
	spn_model_free(dc[1]);
}

static void test_after_replication(void **state)
{
	(void)state;
	/* Both DCs hold both copies; DC2 stores one in another case. */
	struct spn_model *dc[2] = {view(SPN, SPN), view(SPN, "http/SHARED.contoso.test")};
	const char *names[] = {"DC1", "DC2"}, *domains[] = {"contoso.test", "contoso.test"};
	struct spn_views *v = build(2, names, domains, dc);
	assert_int_equal(spn_views_ndiffs(v), 0);
	struct spn_findings all;
	mark(v, &all);
	const struct spn_finding *x = tc_find(&all, "duplicate-spn", SPN);
	assert_non_null(x);
	assert_int_equal(x->dcs->shown[0], SPN_VIEW_YES);
	assert_int_equal(x->dcs->shown[1], SPN_VIEW_YES);
	spn_findings_release(&all);
	spn_views_free(v);
	spn_model_free(dc[0]);
	spn_model_free(dc[1]);
}

static void test_unread_and_other_domain_are_silent(void **state)
{
	(void)state;
	struct spn_model *other = tb_new(0);
	tb_add(other, "CN=svc_x,CN=Users,DC=fabrikam,DC=test", "objectClass=user",
	       "sAMAccountName=svc_x", "userAccountControl=512",
	       "servicePrincipalName=HTTP/x.fabrikam.test", NULL);
	tb_finish(other);
	struct spn_model *dc[3] = {view(SPN, NULL), NULL, other};
	const char *names[] = {"DC1", "DC2", "FAB1"};
	const char *domains[] = {"contoso.test", "contoso.test", "fabrikam.test"};
	struct spn_views *v = build(3, names, domains, dc);
	uint32_t a = acc(v, A), x = acc(v, "CN=svc_x,CN=Users,DC=fabrikam,DC=test");
	assert_int_equal(spn_views_holds(v, 0, a, SPN, strlen(SPN)), SPN_VIEW_YES);
	assert_int_equal(spn_views_holds(v, 1, a, SPN, strlen(SPN)), SPN_VIEW_SILENT);
	assert_int_equal(spn_views_holds(v, 2, a, SPN, strlen(SPN)), SPN_VIEW_SILENT);
	assert_int_equal(spn_views_holds(v, 0, x, "HTTP/x.fabrikam.test", 20), SPN_VIEW_SILENT);
	assert_int_equal(spn_views_holds(v, 2, x, "HTTP/x.fabrikam.test", 20), SPN_VIEW_YES);
	assert_null(spn_views_model(v, 1));
	/* One DC of each domain read: nobody to disagree with. */
	assert_int_equal(spn_views_ndiffs(v), 0);
	spn_views_free(v);
	spn_model_free(dc[0]);
	spn_model_free(other);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_union_of_one_is_the_view),
		cmocka_unit_test(test_written_on_two_dcs),
		cmocka_unit_test(test_after_replication),
		cmocka_unit_test(test_unread_and_other_domain_are_silent),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
