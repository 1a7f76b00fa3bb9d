/* test_plan.c - the fix plan (spn/plan.h) from real findings, the add
 * pre-check (spn/precheck.h) and the undo file (spn/undo.h): write, read
 * back, refuse what is not ours. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "builder.h"
#include "check_helpers.h"
#include "spn/apply.h"
#include "spn/plan.h"
#include "spn/precheck.h"
#include "spn/report.h"
#include "spn/undo.h"

#define DOM "DC=corp,DC=example"
#define EXCH "CN=EXCH01,OU=Servers," DOM
#define ADMIN "CN=Administrator,CN=Users," DOM

static void field_case(struct spn_model *m)
{
	tb_add(m, EXCH, "objectClass=computer", "sAMAccountName=EXCH01$", "userAccountControl=4096",
	       "dNSHostName=exch01.corp.example", "servicePrincipalName=HOST/EXCH01",
	       "servicePrincipalName=SMTPSVC/EXCH01", "servicePrincipalName=SMTPSVC/exch01.corp.example",
	       NULL);
	tb_add(m, ADMIN, "objectClass=user", "sAMAccountName=Administrator",
	       "userAccountControl=66048", "objectSid=S-1-5-21-1-2-3-500", "adminCount=1",
	       "servicePrincipalName=smtpsvc/EXCH01", "servicePrincipalName=SMTPSVC/exch01.corp.example",
	       "servicePrincipalName=http/unrelated.corp.example", NULL);
}

static void make_plan(struct spn_model *m, const char *only, const char *keep, struct spn_plan *p)
{
	struct spn_findings f;
	struct spn_check_opts o;
	struct spn_err err;
	uint32_t keep_id = keep ? tb_id(m, keep) : SPN_NONE;
	const char *only_v[1] = {only};
	struct spn_fix_opts fo = {only ? only_v : NULL, only ? 1 : 0, keep ? &keep_id : NULL,
	                          keep ? 1 : 0};
	tc_opts(&o);
	spn_err_init(&err);
	spn_findings_init(&f);
	if (spn_checks_run(m, &o, 0, &f, &err))
		fail_msg("checks: %s", err.msg);
	spn_plan_init(p);
	if (spn_plan_fix(m, &f, &fo, p, &err))
		fail_msg("plan: %s", err.msg);
	spn_findings_release(&f);
}

/* The field case: only Administrator's two SMTPSVC copies go, each as
 * Administrator stores it (lower-case smtpsvc included). */
static void test_fix_field_case(void **state)
{
	(void)state;
	struct spn_model *m = tb_new(0);
	field_case(m);
	tb_finish(m);
	struct spn_plan p;
	make_plan(m, "duplicate-spn", NULL, &p);
	assert_true(p.complete);
	assert_int_equal(p.nsteps, 2);
	assert_int_equal(p.nundecided, 0);
	for (size_t i = 0; i < p.nsteps; i++) {
		assert_int_equal(p.steps[i].op, SPN_STEP_DELETE);
		assert_string_equal(p.steps[i].dn, ADMIN);
		assert_string_equal(p.steps[i].finding, "duplicate-spn");
		assert_non_null(strstr(p.steps[i].reason, "EXCH01$ keeps it"));
		assert_non_null(strstr(p.steps[i].reason, "RID 500"));
	}
	bool lower = false, fqdn = false;
	for (size_t i = 0; i < p.nsteps; i++) {
		lower |= strcmp(p.steps[i].spn, "smtpsvc/EXCH01") == 0;
		fqdn |= strcmp(p.steps[i].spn, "SMTPSVC/exch01.corp.example") == 0;
	}
	assert_true(lower && fqdn);
	spn_plan_release(&p);
	spn_model_free(m);
}

/* Two equal service accounts: undecided, nothing removed; --keep settles. */
static void test_fix_undecided_then_keep(void **state)
{
	(void)state;
	struct spn_model *m = tb_new(0);
	tb_add(m, "CN=svc_a," DOM, "objectClass=user", "sAMAccountName=svc_a", "userAccountControl=512",
	       "servicePrincipalName=MSSQLSvc/db.corp.example:1433", NULL);
	tb_add(m, "CN=svc_b," DOM, "objectClass=user", "sAMAccountName=svc_b", "userAccountControl=512",
	       "servicePrincipalName=MSSQLSvc/db.corp.example:1433", NULL);
	tb_finish(m);
	struct spn_plan p;
	make_plan(m, NULL, NULL, &p);
	assert_int_equal(p.nsteps, 0);
	assert_int_equal(p.nundecided, 1);
	assert_string_equal(p.undecided[0].spn, "MSSQLSvc/db.corp.example:1433");
	assert_int_equal(p.undecided[0].n, 2);
	assert_non_null(strstr(p.undecided[0].reason, "--keep"));
	assert_true(p.unfixable > 0);   /* kerberoastable findings: no SPN change fixes them */
	spn_plan_release(&p);
	make_plan(m, NULL, "CN=svc_b," DOM, &p);
	assert_int_equal(p.nundecided, 0);
	assert_int_equal(p.nsteps, 1);
	assert_string_equal(p.steps[0].dn, "CN=svc_a," DOM);
	spn_plan_release(&p);
	spn_model_free(m);
}

/* --only leaves other kinds alone; the same step is never listed twice. */
static void test_fix_only_and_no_repeats(void **state)
{
	(void)state;
	struct spn_model *m = tb_new(0);
	field_case(m);
	tb_finish(m);
	struct spn_plan p;
	make_plan(m, "alias-conflict", NULL, &p);
	assert_int_equal(p.nsteps, 0);
	spn_plan_release(&p);
	spn_plan_init(&p);
	struct spn_err err;
	spn_err_init(&err);
	assert_int_equal(spn_plan_add_step(&p, SPN_STEP_DELETE, "A/b", "CN=x", NULL, NULL, "r", &err), 0);
	assert_int_equal(spn_plan_add_step(&p, SPN_STEP_DELETE, "A/b", "cn=X", NULL, NULL, "r", &err), 0);
	assert_int_equal(spn_plan_add_step(&p, SPN_STEP_ADD, "A/b", "CN=x", NULL, NULL, "r", &err), 0);
	assert_int_equal(p.nsteps, 2);
	spn_plan_release(&p);
	spn_model_free(m);
}

/* cifs/x on a user shadows the computer's HOST/x: the user's copy goes. */
static void test_fix_alias_conflict(void **state)
{
	(void)state;
	struct spn_model *m = tb_new(0);
	tb_add(m, "CN=FS01," DOM, "objectClass=computer", "sAMAccountName=FS01$",
	       "userAccountControl=4096", "dNSHostName=fs01.corp.example",
	       "servicePrincipalName=HOST/fs01.corp.example", NULL);
	tb_add(m, "CN=jdoe," DOM, "objectClass=user", "sAMAccountName=jdoe", "userAccountControl=512",
	       "servicePrincipalName=cifs/fs01.corp.example", NULL);
	tb_finish(m);
	struct spn_plan p;
	make_plan(m, "alias-conflict", NULL, &p);
	assert_int_equal(p.nsteps, 1);
	assert_string_equal(p.steps[0].dn, "CN=jdoe," DOM);
	assert_string_equal(p.steps[0].spn, "cifs/fs01.corp.example");
	spn_plan_release(&p);
	spn_model_free(m);
}

/* The audit's Fix: text of one duplicate may advise removing other values
 * the two accounts share; it names only those the fix plan removes too -
 * never one the evidence leaves undecided (HTTP on the SQL server and on
 * the SQL service account: nothing to choose by). */
static void test_fix_text_names_only_what_fix_removes(void **state)
{
	(void)state;
	struct spn_model *m = tb_new(0);
	tb_add(m, "CN=SQL02,OU=Servers," DOM, "objectClass=computer", "sAMAccountName=SQL02$",
	       "userAccountControl=4096", "dNSHostName=sql02.corp.example",
	       "servicePrincipalName=MSSQLSvc/sql02.corp.example:1433",
	       "servicePrincipalName=HTTP/sql02.corp.example", NULL);
	tb_add(m, "CN=svc_sql02,OU=Service Accounts," DOM, "objectClass=user",
	       "sAMAccountName=svc_sql02", "userAccountControl=66048",
	       "servicePrincipalName=MSSQLSvc/sql02.corp.example:1433",
	       "servicePrincipalName=MSSQLSvc/sql02.corp.example:SALES",
	       "servicePrincipalName=HTTP/sql02.corp.example", NULL);
	tb_finish(m);
	struct spn_findings f;
	struct spn_check_opts o;
	struct spn_err err;
	tc_opts(&o);
	spn_err_init(&err);
	spn_findings_init(&f);
	assert_int_equal(spn_checks_run(m, &o, 0, &f, &err), SPN_OK);
	const char *sql_fix = NULL;
	for (size_t i = 0; i < f.n; i++)
		if (strcmp(f.v[i].code, "duplicate-spn") == 0 &&
		    strcmp(f.v[i].spn, "MSSQLSvc/sql02.corp.example:1433") == 0)
			sql_fix = f.v[i].fix;
	assert_non_null(sql_fix);
	assert_non_null(strstr(sql_fix, "Keep MSSQLSvc/sql02.corp.example:1433 on svc_sql02"));
	struct spn_plan p;
	make_plan(m, "duplicate-spn", NULL, &p);
	bool http_undecided = false, http_removed = false;
	for (size_t i = 0; i < p.nundecided; i++)
		http_undecided |= strcmp(p.undecided[i].spn, "HTTP/sql02.corp.example") == 0;
	for (size_t i = 0; i < p.nsteps; i++)
		http_removed |= strcmp(p.steps[i].spn, "HTTP/sql02.corp.example") == 0;
	assert_true(http_undecided);
	assert_false(http_removed);
	if (strstr(sql_fix, "HTTP/sql02.corp.example"))
		fail_msg("Fix: advises removing what fix leaves undecided: %s", sql_fix);
	spn_plan_release(&p);
	spn_findings_release(&f);
	spn_model_free(m);
}

/* ---- What a person reads ---- */

#define HIDDEN "HTTP/look\xe2\x80\x8b" "alike.corp.example"   /* a zero-width space */
#define BROKEN "HTTP/a\nb.corp.example"                        /* a line end */

/* Text a person reads - the plan, each result, the undo file's comments -
 * shows hidden and control characters as <U+XXXX>: the spelling with a
 * zero-width space is told from the plain one, and a line end in a value
 * starts no line (in an LDIF comment it would start a record). Other
 * letters stay as they are. */
static void test_hidden_characters_are_shown(void **state)
{
	(void)state;
	struct spn_plan p;
	struct spn_err err;
	char *text = NULL;
	size_t len = 0;
	spn_plan_init(&p);
	spn_err_init(&err);
	assert_int_equal(spn_plan_add_step(&p, SPN_STEP_DELETE, HIDDEN, "CN=caf\xc3\xa9," DOM, "svc",
	                                   "lookalike-spn", "r", &err), SPN_OK);
	assert_int_equal(spn_plan_add_step(&p, SPN_STEP_DELETE, BROKEN, "CN=x," DOM, "x", NULL, "r",
	                                   &err), SPN_OK);
	FILE *f = open_memstream(&text, &len);
	assert_int_equal(spn_report_plan(f, NULL, &p, NULL, false), SPN_OK);
	struct spn_change_report *r = spn_change_report_begin(f, NULL, "ldap://dc1", false);
	struct spn_step_result res = {.step = &p.steps[0], .state = SPN_STEP_APPLIED};
	spn_change_report_step(r, &res);
	res.step = &p.steps[1];
	spn_change_report_step(r, &res);
	struct spn_apply_summary sum = {.applied = 2};
	spn_change_report_end(r, &sum, NULL, NULL);
	fclose(f);
	if (strstr(text, "\xe2\x80\x8b") || strstr(text, "a\nb"))
		fail_msg("a hidden character or line end printed as is:\n%s", text);
	assert_non_null(strstr(text, "remove HTTP/look<U+200B>alike.corp.example from svc"));
	assert_non_null(strstr(text, "removed HTTP/look<U+200B>alike.corp.example from svc"));
	assert_non_null(strstr(text, "HTTP/a<U+000A>b.corp.example"));
	assert_non_null(strstr(text, "CN=caf\xc3\xa9,"));   /* a letter is no hidden character */
	free(text);

	char path[] = "/tmp/spnctl-test-undo-XXXXXX";
	int fd = mkstemp(path);
	close(fd);
	unlink(path);
	struct spn_undo *u;
	int kept;
	assert_int_equal(spn_undo_create(&u, path, "ldap://dc1", "spnctl fix --apply", 0, &err), 0);
	assert_int_equal(spn_undo_begin(u, &p.steps[1], &err), 0);
	assert_int_equal(spn_undo_close(u, &kept, &err), 0);
	struct spn_plan back;
	spn_plan_init(&back);
	assert_int_equal(spn_undo_read(path, &back, &err), SPN_OK);
	assert_int_equal(back.nsteps, 1);
	assert_string_equal(back.steps[0].spn, BROKEN);
	spn_plan_release(&back);
	unlink(path);
	spn_plan_release(&p);
}

/* ---- add pre-check ---- */

static struct spn_model *precheck_model(void)
{
	struct spn_model *m = tb_new(0);
	tb_add(m, "CN=WEB01," DOM, "objectClass=computer", "sAMAccountName=WEB01$",
	       "userAccountControl=4096", "dNSHostName=web01.corp.example",
	       "servicePrincipalName=HOST/web01.corp.example", "servicePrincipalName=dns/ns1", NULL);
	tb_add(m, "CN=svc_web," DOM, "objectClass=user", "sAMAccountName=svc_web",
	       "userAccountControl=512", "servicePrincipalName=HTTP/app.corp.example",
	       "servicePrincipalName=cifs/files.corp.example",
	       "servicePrincipalName=HTTP/look\xe2\x80\x8b" "alike.corp.example", NULL);
	tb_add(m, "CN=other," DOM, "objectClass=user", "sAMAccountName=other",
	       "userAccountControl=512", NULL);
	tb_finish(m);
	return m;
}

static void check_add(const struct spn_model *m, const char *spn, const char *target,
                      struct spn_precheck *p)
{
	struct spn_err err;
	spn_err_init(&err);
	spn_precheck_init(p);
	if (spn_precheck_add(m, spn, target, p, &err))
		fail_msg("precheck: %s", err.msg);
}

static bool has_kind(const struct spn_precheck *p, enum spn_conflict_kind k)
{
	for (size_t i = 0; i < p->n; i++)
		if (p->v[i].kind == k)
			return true;
	return false;
}

static void test_precheck_duplicate_any_case(void **state)
{
	(void)state;
	struct spn_model *m = precheck_model();
	struct spn_precheck p;
	check_add(m, "http/APP.corp.example", "CN=other," DOM, &p);
	assert_int_equal(p.n, 1);
	assert_int_equal(p.v[0].kind, SPN_CONFLICT_DUPLICATE);
	assert_string_equal(p.v[0].value, "HTTP/app.corp.example");
	assert_non_null(strstr(p.v[0].text, "CN=svc_web"));
	assert_non_null(strstr(p.v[0].text, "other letter case"));
	spn_precheck_release(&p);
	/* on its own holder: no conflict, already there */
	check_add(m, "HTTP/app.corp.example", "CN=svc_web," DOM, &p);
	assert_int_equal(p.n, 0);
	assert_string_equal(p.already, "HTTP/app.corp.example");
	spn_precheck_release(&p);
	spn_model_free(m);
}

static void test_precheck_port_makes_it_distinct(void **state)
{
	(void)state;
	struct spn_model *m = precheck_model();
	struct spn_precheck p;
	check_add(m, "dns/ns1:53", "CN=other," DOM, &p);
	assert_int_equal(p.n, 0);
	spn_precheck_release(&p);
	check_add(m, "dns/ns1", "CN=other," DOM, &p);
	assert_true(has_kind(&p, SPN_CONFLICT_DUPLICATE));
	spn_precheck_release(&p);
	spn_model_free(m);
}

static void test_precheck_lookalike(void **state)
{
	(void)state;
	struct spn_model *m = precheck_model();
	struct spn_precheck p;
	check_add(m, "HTTP/lookalike.corp.example", "CN=other," DOM, &p);
	assert_int_equal(p.n, 1);
	assert_int_equal(p.v[0].kind, SPN_CONFLICT_LOOKALIKE);
	spn_precheck_release(&p);
	/* and the other way: a hidden-character spelling of a plain name */
	check_add(m, "HTTP/app.corp.\xe2\x80\x8b" "example", "CN=other," DOM, &p);
	assert_true(has_kind(&p, SPN_CONFLICT_LOOKALIKE));
	spn_precheck_release(&p);
	spn_model_free(m);
}

static void test_precheck_alias_both_ways(void **state)
{
	(void)state;
	struct spn_model *m = precheck_model();
	struct spn_precheck p;
	/* an alias class while HOST/ of the host is elsewhere */
	check_add(m, "cifs/web01.corp.example", "CN=other," DOM, &p);
	assert_int_equal(p.n, 1);
	assert_int_equal(p.v[0].kind, SPN_CONFLICT_ALIAS_HOST);
	assert_string_equal(p.v[0].value, "HOST/web01.corp.example");
	spn_precheck_release(&p);
	/* HOST/ while an alias class on the host is elsewhere */
	check_add(m, "HOST/files.corp.example", "CN=other," DOM, &p);
	assert_int_equal(p.n, 1);
	assert_int_equal(p.v[0].kind, SPN_CONFLICT_ALIAS_CLASS);
	assert_string_equal(p.v[0].value, "cifs/files.corp.example");
	spn_precheck_release(&p);
	/* the computer itself may hold both */
	check_add(m, "cifs/web01.corp.example", "CN=WEB01," DOM, &p);
	assert_int_equal(p.n, 0);
	spn_precheck_release(&p);
	spn_model_free(m);
}

static void test_precheck_syntax(void **state)
{
	(void)state;
	struct spn_model *m = precheck_model();
	struct spn_precheck p;
	const char *dc_refuses[] = {"", "HTTP", "a/b/c/d", "HTTP/", "/host"};
	for (size_t i = 0; i < sizeof(dc_refuses) / sizeof(dc_refuses[0]); i++) {
		check_add(m, dc_refuses[i], "CN=other," DOM, &p);
		assert_true(has_kind(&p, SPN_CONFLICT_SYNTAX));
		assert_false(spn_precheck_forceable(&p));
		spn_precheck_release(&p);
	}
	check_add(m, "HTTP/web 01", "CN=other," DOM, &p);
	assert_true(has_kind(&p, SPN_CONFLICT_MALFORMED));
	assert_true(spn_precheck_forceable(&p));
	spn_precheck_release(&p);
	spn_model_free(m);
}

/* ---- undo file ---- */

static void test_undo_round_trip(void **state)
{
	(void)state;
	char path[] = "/tmp/spnctl-test-undo-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	unlink(path);
	struct spn_undo *u;
	struct spn_err err;
	spn_err_init(&err);
	assert_int_equal(spn_undo_create(&u, path, "ldap://dc1", "spnctl fix --apply", 0, &err), 0);
	struct spn_step del = {SPN_STEP_DELETE, "SMTPSVC/EXCH01", ADMIN, "Administrator", NULL, NULL};
	struct spn_step add = {SPN_STEP_ADD, "HTTP/caf\xc3\xa9", "CN=caf\xc3\xa9," DOM, NULL, NULL, NULL};
	struct spn_step refused = {SPN_STEP_DELETE, "X/y", ADMIN, NULL, NULL, NULL};
	assert_int_equal(spn_undo_begin(u, &del, &err), 0);
	assert_int_equal(spn_undo_begin(u, &refused, &err), 0);
	assert_int_equal(spn_undo_cancel(u, "the DC refused", &err), 0);
	assert_int_equal(spn_undo_begin(u, &add, &err), 0);
	assert_int_equal(spn_undo_records(u), 2);
	int kept;
	assert_int_equal(spn_undo_close(u, &kept, &err), 0);
	assert_true(kept);
	/* mode 0600: no one else reads what was changed */
	assert_int_equal(access(path, R_OK), 0);
	struct spn_plan p;
	spn_plan_init(&p);
	assert_int_equal(spn_undo_read(path, &p, &err), 0);
	assert_int_equal(p.nsteps, 2);
	assert_int_equal(p.steps[0].op, SPN_STEP_ADD);   /* a removal is undone by an add */
	assert_string_equal(p.steps[0].spn, "SMTPSVC/EXCH01");
	assert_string_equal(p.steps[0].dn, ADMIN);
	assert_int_equal(p.steps[1].op, SPN_STEP_DELETE);
	assert_string_equal(p.steps[1].spn, "HTTP/caf\xc3\xa9");       /* base64 and back */
	assert_string_equal(p.steps[1].dn, "CN=caf\xc3\xa9," DOM);
	spn_plan_release(&p);
	/* never overwritten */
	assert_int_equal(spn_undo_create(&u, path, "ldap://dc1", "x", 0, &err), SPN_IO);
	unlink(path);
}

static void test_undo_nothing_changed_leaves_no_file(void **state)
{
	(void)state;
	char path[] = "/tmp/spnctl-test-undo-XXXXXX";
	int fd = mkstemp(path);
	close(fd);
	unlink(path);
	struct spn_undo *u;
	struct spn_err err;
	int kept;
	spn_err_init(&err);
	assert_int_equal(spn_undo_create(&u, path, "ldap://dc1", "spnctl rm", 0, &err), 0);
	assert_int_equal(spn_undo_close(u, &kept, &err), 0);
	assert_false(kept);
	assert_int_not_equal(access(path, F_OK), 0);
}

static void expect_refused(const char *text, const char *what)
{
	struct spn_plan p;
	struct spn_err err;
	spn_plan_init(&p);
	spn_err_init(&err);
	assert_int_equal(spn_undo_read_mem("u.ldif", text, strlen(text), &p, &err), SPN_INPUT);
	if (!strstr(err.msg, what))
		fail_msg("expected '%s' in '%s'", what, err.msg);
	spn_plan_release(&p);
}

static void test_undo_reader_refuses_what_is_not_ours(void **state)
{
	(void)state;
	expect_refused("dn: CN=x\nchangetype: delete\n", "u.ldif:2: expected 'changetype: modify'");
	expect_refused("dn: CN=x\nchangetype: modify\nreplace: servicePrincipalName\n"
	               "servicePrincipalName: a/b\n-\n", "u.ldif:3:");
	expect_refused("dn: CN=x\nchangetype: modify\nadd: member\nmember: CN=y\n-\n", "u.ldif:3:");
	expect_refused("dn: CN=x\nchangetype: modify\ndelete: servicePrincipalName\n-\n",
	               "without values");
	expect_refused("dn: CN=x\nchangetype: modify\nadd: servicePrincipalName\n"
	               "servicePrincipalName:: !!!!\n-\n", "u.ldif:4: base64");
	expect_refused("dn: CN=x\nchangetype: modify\nadd: servicePrincipalName\n"
	               "servicePrincipalName: a/b\n", "without '-'");
	expect_refused("version: 1\n# nothing\n", "no changes");
	/* folded lines and CRLF are fine */
	const char *ok = "version: 1\r\ndn: CN=a long\r\n  name\r\nchangetype: modify\r\n"
	                 "delete: servicePrincipalName\r\nservicePrincipalName: a/b\r\n-\r\n";
	struct spn_plan p;
	struct spn_err err;
	spn_plan_init(&p);
	spn_err_init(&err);
	assert_int_equal(spn_undo_read_mem("u.ldif", ok, strlen(ok), &p, &err), 0);
	assert_int_equal(p.nsteps, 1);
	assert_string_equal(p.steps[0].dn, "CN=a long name");
	spn_plan_release(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fix_field_case),
		cmocka_unit_test(test_fix_undecided_then_keep),
		cmocka_unit_test(test_fix_only_and_no_repeats),
		cmocka_unit_test(test_fix_alias_conflict),
		cmocka_unit_test(test_fix_text_names_only_what_fix_removes),
		cmocka_unit_test(test_hidden_characters_are_shown),
		cmocka_unit_test(test_precheck_duplicate_any_case),
		cmocka_unit_test(test_precheck_port_makes_it_distinct),
		cmocka_unit_test(test_precheck_lookalike),
		cmocka_unit_test(test_precheck_alias_both_ways),
		cmocka_unit_test(test_precheck_syntax),
		cmocka_unit_test(test_undo_round_trip),
		cmocka_unit_test(test_undo_nothing_changed_leaves_no_file),
		cmocka_unit_test(test_undo_reader_refuses_what_is_not_ours),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
