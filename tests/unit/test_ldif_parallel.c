/* test_ldif_parallel.c - the parallel LDIF reader (ldif_parallel.c) against
 * the single-threaded one: the same model field by field (examples/
 * exchange-um.ldif, a generated file with groups, gaps, base64, CRLF, a file
 * whose only boundary is near its start) for 2 to 7 parts, and the same
 * first error with its true line when the error is in a later part. Files
 * are split with no minimum size here, so small files have several parts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "spn/model.h"
#include "spn/source.h"
#include "source/ldif_int.h"

static void str_eq(const char *a, const char *b)
{
	if (!a || !b)
		assert_ptr_equal(a, b);
	else
		assert_string_equal(a, b);
}

static void strv_eq(const char **a, const char **b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		str_eq(a[i], b[i]);
}

/* Every field of two finished models. */
static void model_eq(const struct spn_model *a, const struct spn_model *b)
{
	struct spn_model_stats sa, sb;
	spn_model_stats(a, &sa);
	spn_model_stats(b, &sb);
	assert_int_equal(sa.entries, sb.entries);
	assert_int_equal(sa.accounts_seen, sb.accounts_seen);
	assert_int_equal(sa.distinct_spns, sb.distinct_spns);
	assert_int_equal(spn_model_naccounts(a), spn_model_naccounts(b));
	for (uint32_t i = 0; i < spn_model_naccounts(a); i++) {
		const struct spn_account *x = spn_model_account(a, i), *y = spn_model_account(b, i);
		str_eq(x->dn, y->dn);
		str_eq(x->sam, y->sam);
		str_eq(x->upn, y->upn);
		str_eq(x->dns_host, y->dns_host);
		str_eq(x->domain, y->domain);
		assert_int_equal(x->n_member_of, y->n_member_of);
		strv_eq(x->member_of, y->member_of, x->n_member_of);
		assert_int_equal(x->n_delegate_to, y->n_delegate_to);
		strv_eq(x->delegate_to, y->delegate_to, x->n_delegate_to);
		assert_int_equal(x->spn_first, y->spn_first);
		assert_int_equal(x->nspn, y->nspn);
		assert_int_equal(x->uac, y->uac);
		assert_int_equal(x->rid, y->rid);
		assert_int_equal(x->primary_group, y->primary_group);
		assert_int_equal(x->enctypes, y->enctypes);
		assert_int_equal(x->pwd_last_set, y->pwd_last_set);
		assert_int_equal(x->has, y->has);
		assert_int_equal(x->kind, y->kind);
		assert_int_equal(x->admin_count, y->admin_count);
		assert_int_equal(x->source, y->source);
	}
	assert_int_equal(spn_model_nvalues(a), spn_model_nvalues(b));
	for (uint32_t i = 0; i < spn_model_nvalues(a); i++) {
		const struct spn_value *x = spn_model_value(a, i), *y = spn_model_value(b, i);
		str_eq(x->str, y->str);
		assert_int_equal(x->len, y->len);
		assert_int_equal(x->account, y->account);
		assert_int_equal(x->next_same, y->next_same);
		assert_int_equal(x->flags, y->flags);
		assert_int_equal(x->syntax, y->syntax);
	}
	assert_int_equal(spn_model_ngroups(a), spn_model_ngroups(b));
	for (uint32_t i = 0; i < spn_model_ngroups(a); i++) {
		const struct spn_group *x = spn_model_group(a, i), *y = spn_model_group(b, i);
		str_eq(x->dn, y->dn);
		str_eq(x->domain, y->domain);
		assert_int_equal(x->n_member_of, y->n_member_of);
		strv_eq(x->member_of, y->member_of, x->n_member_of);
		assert_int_equal(x->rid, y->rid);
		assert_int_equal(x->admin_count, y->admin_count);
	}
	assert_int_equal(spn_model_ngaps(a), spn_model_ngaps(b));
	for (size_t i = 0; i < spn_model_ngaps(a); i++)
		assert_string_equal(spn_model_gap(a, i), spn_model_gap(b, i));
	assert_int_equal(spn_model_ndomains(a), spn_model_ndomains(b));
	for (size_t i = 0; i < spn_model_ndomains(a); i++)
		assert_string_equal(spn_model_domain(a, i), spn_model_domain(b, i));
	assert_int_equal(spn_model_nsources(a), spn_model_nsources(b));
	for (size_t i = 0; i < spn_model_nsources(a); i++)
		assert_int_equal(spn_model_source(a, i)->entries, spn_model_source(b, i)->entries);
	str_eq(spn_model_ds_heuristics(a), spn_model_ds_heuristics(b));
	assert_int_equal(spn_model_aliases_from_directory(a), spn_model_aliases_from_directory(b));
	assert_int_equal(spn_alias_count(spn_model_aliases(a)), spn_alias_count(spn_model_aliases(b)));
}

/* Read path with `threads` parts (1: the sequential reader); returns rc,
 * the model finished when rc is SPN_OK. */
static enum spn_rc load(const char *path, unsigned threads, struct spn_model **out,
                        struct spn_err *err)
{
	struct spn_ldif_limits lim;
	spn_ldif_limits_default(&lim);
	struct spn_model *m = spn_model_new(0);
	assert_non_null(m);
	spn_err_init(err);
	enum spn_rc rc = spn_ldif_read_file_with(m, path, &lim, threads, 0, err);
	if (rc == SPN_OK)
		rc = spn_model_finish(m, err);
	*out = m;
	return rc;
}

/* The parallel reads of path equal the sequential one; returns the number
 * of accounts (so callers know the file was not empty). */
static size_t same_as_sequential(const char *path)
{
	struct spn_model *seq, *par;
	struct spn_err err;
	if (load(path, 1, &seq, &err) != SPN_OK)
		fail_msg("sequential read failed: %s", err.msg);
	for (unsigned t = 2; t <= 7; t++) {
		if (load(path, t, &par, &err) != SPN_OK)
			fail_msg("parallel read (%u) failed: %s", t, err.msg);
		model_eq(seq, par);
		spn_model_free(par);
	}
	size_t n = spn_model_naccounts(seq);
	spn_model_free(seq);
	return n;
}

/* The same error (message and code) from every number of parts. */
static void same_error(const char *path, const char *want)
{
	struct spn_model *m;
	struct spn_err err;
	for (unsigned t = 1; t <= 7; t++) {
		assert_int_not_equal(load(path, t, &m, &err), SPN_OK);
		assert_int_equal(err.rc, SPN_INPUT);
		assert_string_equal(err.msg, want);
		spn_model_free(m);
	}
}

static char tmpl[64];

static FILE *tmp_open(void)
{
	snprintf(tmpl, sizeof(tmpl), "/tmp/spn-par-XXXXXX");
	int fd = mkstemp(tmpl);
	assert_true(fd >= 0);
	FILE *f = fdopen(fd, "w");
	assert_non_null(f);
	return f;
}

/* A generated directory: n accounts in 3 domains with SPNs (some base64,
 * some non-ASCII), base64 objectSids, memberOf, groups, a ranged attribute
 * left unfollowed now and then (gaps), the Directory Service entry, and
 * `bad` (when > 0) a broken entry at account number bad. eol is "\n" or
 * "\r\n". Returns the path. */
static const char *gen(size_t n, const char *eol, size_t bad, const char *badline)
{
	static const char *doms[] = {"DC=corp,DC=example", "DC=emea,DC=corp,DC=example", "DC=lab,DC=test"};
	FILE *f = tmp_open();
	fprintf(f, "version: 1%s%s", eol, eol);
	for (size_t i = 0; i < n; i++) {
		const char *d = doms[i % 3];
		if (i % 97 == 5) {
			fprintf(f, "dn: CN=Group%zu,CN=Users,%s%sobjectClass: group%s"
			        "objectSid:: AQUAAAAAAAUVAAAAESIzRFVmd4iZqrvMAAIAAA==%s%s",
			        i, d, eol, eol, eol, eol);
			continue;
		}
		if (i == n / 2 && n > 20)
			fprintf(f, "dn: CN=Directory Service,CN=Windows NT,CN=Services,CN=Configuration,%s%s"
			        "sPNMappings: host=alerter,http,cifs%sdSHeuristics: 00000000010000000002000000011%s%s",
			        d, eol, eol, eol, eol);
		fprintf(f, "# account %zu%s", i, eol);
		fprintf(f, "dN: CN=host%zu,OU=Servers,%s%s", i, d, eol);
		fprintf(f, "objectClass: top%sobjectClass: %s%s", eol, i % 2 ? "computer" : "user", eol);
		fprintf(f, "sAMAccountName: host%zu%s%s", i, i % 2 ? "$" : "", eol);
		fprintf(f, "userAccountControl: %d%s", i % 2 ? 4096 : 512, eol);
		fprintf(f, "objectSid:: AQUAAAAAAAUVAAAAESIzRFVmd4iZqrvM%c%cAAAA==%s",
		        'A' + (int)(i % 26), 'a' + (int)(i / 26 % 26), eol);
		fprintf(f, "pwdLastSet: %zu%s", 132000000000000000u + i, eol);
		if (i % 4 == 0)
			fprintf(f, "memberOf: CN=Group%zu,CN=Users,%s%s", i % 5, d, eol);
		if (i % 2) {
			fprintf(f, "servicePrincipalName: HOST/host%zu.example%s", i, eol);
			fprintf(f, "servicePrincipalName: HOST/HOST%zu%s", i % 50, eol);  /* duplicates */
			fprintf(f, "servicePrincipalName: RestrictedKrbHost/host%zu.lo%s ng.name.exa%s mple%s",
			        i, eol, eol, eol);
		}
		if (i % 11 == 3)  /* "HTTP/wëb" in base64 */
			fprintf(f, "servicePrincipalName:: SFRUUC93w6tiLmNvcnA=%s", eol);
		if (i % 13 == 7)
			fprintf(f, "servicePrincipalName;range=0-1: MSSQLSvc/sql%zu:1433%s", i, eol);
		if (i % 3 == 1)
			fprintf(f, "userPrincipalName: host%zu@corp.example%s", i, eol);
		if (badline && i == bad)
			fprintf(f, "%s%s", badline, eol);
		fprintf(f, "%s", eol);
	}
	assert_int_equal(fclose(f), 0);
	return tmpl;
}

static void test_example(void **state)
{
	(void)state;
	assert_true(same_as_sequential(SPN_EXAMPLE_LDIF) > 5);
}

static void test_generated(void **state)
{
	(void)state;
	const char *p = gen(3000, "\n", 0, NULL);
	assert_true(same_as_sequential(p) > 1000);
	unlink(p);
}

static void test_crlf(void **state)
{
	(void)state;
	const char *p = gen(1000, "\r\n", 0, NULL);
	assert_true(same_as_sequential(p) > 300);
	unlink(p);
}

/* One small record, then one huge record: the only boundary is near the
 * start, so most parts find none and the file has at most two parts. */
static void test_one_boundary(void **state)
{
	(void)state;
	FILE *f = tmp_open();
	fprintf(f, "dn: CN=a,DC=x\nservicePrincipalName: HTTP/a\n\n"
	        "DN: CN=b,DC=x\nobjectClass: computer\n");
	for (int i = 0; i < 20000; i++)
		fprintf(f, "servicePrincipalName: HOST/b%d.x\n", i);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(same_as_sequential(tmpl), 2);
	unlink(tmpl);
}

/* No boundary at all: one part. And no blank line at the end. */
static void test_no_boundary(void **state)
{
	(void)state;
	FILE *f = tmp_open();
	fprintf(f, "dn: CN=a,DC=x\nservicePrincipalName: HTTP/a");
	assert_int_equal(fclose(f), 0);
	assert_int_equal(same_as_sequential(tmpl), 1);
	unlink(tmpl);
}

/* An error late in the file (a later part): the same message, with the true
 * line, from every number of parts. */
static void test_error_late(void **state)
{
	(void)state;
	const char *p = gen(3000, "\n", 2500, "this line has no colon");
	/* Find the bad line's number independently. */
	FILE *f = fopen(p, "r");
	char line[256];
	size_t no = 0, bad = 0;
	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		no++;
		if (strcmp(line, "this line has no colon\n") == 0)
			bad = no;
	}
	fclose(f);
	assert_true(bad > 1000);
	char want[200];
	snprintf(want, sizeof(want), "%s:%zu: expected 'attribute: value', found a line without ':' "
	         "in 'CN=host2500,OU=Servers,DC=emea,DC=corp,DC=example'", p, bad);
	same_error(p, want);
	unlink(p);
}

/* Two errors: the first in file order wins, whatever part finds it first. */
static void test_error_first_wins(void **state)
{
	(void)state;
	const char *p = gen(3000, "\n", 2900, "objectSid: S-1-broken");
	struct spn_model *m;
	struct spn_err err;
	/* A model error (from spn_model_add_entry, with the entry's where). */
	assert_int_not_equal(load(p, 1, &m, &err), SPN_OK);
	spn_model_free(m);
	char want[1024];
	snprintf(want, sizeof(want), "%s", err.msg);
	assert_non_null(strstr(want, "objectSid has 2 values"));
	same_error(p, want);
	unlink(p);

	p = gen(3000, "\n", 1700, "sAMAccountName: twice");
	assert_int_not_equal(load(p, 1, &m, &err), SPN_OK);
	spn_model_free(m);
	snprintf(want, sizeof(want), "%s", err.msg);
	same_error(p, want);
	unlink(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_example),
		cmocka_unit_test(test_generated),
		cmocka_unit_test(test_crlf),
		cmocka_unit_test(test_one_boundary),
		cmocka_unit_test(test_no_boundary),
		cmocka_unit_test(test_error_late),
		cmocka_unit_test(test_error_first_wins),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
