/* test_owner.c - the evidence rule (spn/owner.h): one test per kind of
 * evidence, the SQL case of issue 8, even evidence, and --keep. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "builder.h"
#include "spn/owner.h"

#define DOM "DC=corp,DC=example"

struct decided {
	struct spn_owner o;
	struct spn_model *m;
};

/* Decide spn among the named DNs (NULL-terminated); keep: a DN or NULL. */
static void decide(struct decided *d, const char *spn, const char *keep, ...)
{
	uint32_t ids[8];
	size_t n = 0;
	va_list ap;
	struct spn_err err;
	va_start(ap, keep);
	for (const char *dn = va_arg(ap, const char *); dn; dn = va_arg(ap, const char *))
		ids[n++] = tb_id(d->m, dn);
	va_end(ap);
	spn_err_init(&err);
	/* d->o starts zeroed (= initialised); spn_owner_decide drops what a
	 * previous call left */
	assert_int_equal(spn_owner_decide(d->m, spn, strlen(spn), ids, n,
	                                  keep ? tb_id(d->m, keep) : SPN_NONE, &d->o, &err), SPN_OK);
}

static const char *winner(const struct decided *d)
{
	return spn_model_account(d->m, d->o.c[0].account)->dn;
}

static bool has_ev(const struct decided *d, const char *dn, enum spn_evidence_kind k)
{
	for (size_t i = 0; i < d->o.n; i++) {
		const struct spn_candidate *c = &d->o.c[i];
		if (strcmp(spn_model_account(d->m, c->account)->dn, dn) != 0)
			continue;
		for (size_t j = 0; j < c->nev; j++)
			if (c->ev[j].kind == k)
				return true;
	}
	return false;
}

static void done(struct decided *d)
{
	spn_owner_release(&d->o);
	spn_model_free(d->m);
}

#define EXCH "CN=EXCH01,OU=Servers," DOM
#define ADMIN "CN=Administrator,CN=Users," DOM

/* The field case: SMTPSVC runs as the computer; the other holder is RID 500. */
static void test_field_case_keeps_computer(void **state)
{
	(void)state;
	struct decided d = {.m = tb_new(0)};
	tb_add(d.m, EXCH, "objectClass=computer", "sAMAccountName=EXCH01$", "userAccountControl=4096",
	       "dNSHostName=exch01.corp.example", "servicePrincipalName=SMTPSVC/EXCH01",
	       "servicePrincipalName=SMTPSVC/exch01.corp.example", "servicePrincipalName=SMTP/EXCH01",
	       NULL);
	tb_add(d.m, ADMIN, "objectClass=user", "sAMAccountName=Administrator",
	       "userAccountControl=66048", "objectSid=S-1-5-21-1-2-3-500", "adminCount=1",
	       "servicePrincipalName=SMTPSVC/EXCH01", "servicePrincipalName=SMTPSVC/exch01.corp.example",
	       "servicePrincipalName=ldap/other", NULL);
	tb_finish(d.m);
	decide(&d, "SMTPSVC/exch01.corp.example", NULL, ADMIN, EXCH, NULL);
	assert_true(d.o.decided);
	assert_string_equal(winner(&d), EXCH);
	assert_true(has_ev(&d, EXCH, SPN_EV_HOST_COMPUTER));
	assert_true(has_ev(&d, ADMIN, SPN_EV_BUILTIN));
	/* Both hold the whole SMTPSVC pair: neither has the set to itself. */
	assert_false(has_ev(&d, EXCH, SPN_EV_SERVICE_SET));
	assert_false(has_ev(&d, ADMIN, SPN_EV_SERVICE_SET));
	/* the short name matches the computer too */
	decide(&d, "SMTPSVC/EXCH01", NULL, EXCH, ADMIN, NULL);
	assert_true(d.o.decided);
	assert_string_equal(winner(&d), EXCH);
	done(&d);
}

#define SQL02 "CN=SQL02,OU=Servers," DOM
#define SVCSQL "CN=svc_sql02,OU=Service Accounts," DOM

/* Issue 8's SQL case: the service account holds the instance's other names. */
static void test_sql_keeps_service_account_with_the_set(void **state)
{
	(void)state;
	struct decided d = {.m = tb_new(0)};
	tb_add(d.m, SQL02, "objectClass=computer", "sAMAccountName=SQL02$", "userAccountControl=4096",
	       "dNSHostName=sql02.corp.example", "servicePrincipalName=HOST/sql02.corp.example",
	       "servicePrincipalName=MSSQLSvc/sql02.corp.example:1433", NULL);
	tb_add(d.m, SVCSQL, "objectClass=user", "sAMAccountName=svc_sql02", "userAccountControl=66048",
	       "servicePrincipalName=MSSQLSvc/sql02.corp.example:1433",
	       "servicePrincipalName=MSSQLSvc/sql02.corp.example:SALES",
	       "servicePrincipalName=MSSQLSvc/sql02.corp.example:49172", NULL);
	tb_finish(d.m);
	decide(&d, "MSSQLSvc/sql02.corp.example:1433", NULL, SQL02, SVCSQL, NULL);
	assert_true(d.o.decided);
	assert_string_equal(winner(&d), SVCSQL);
	assert_true(has_ev(&d, SVCSQL, SPN_EV_SERVICE_SET));
	assert_true(has_ev(&d, SQL02, SPN_EV_HOST_COMPUTER_WEAK));
	assert_false(has_ev(&d, SQL02, SPN_EV_HOST_COMPUTER));
	assert_non_null(strstr(d.o.c[0].ev[0].text, "MSSQLSvc/sql02.corp.example:SALES"));
	done(&d);
}

/* Two dedicated service accounts, nothing else to go by: undecided. */
static void test_two_equal_service_accounts_undecided(void **state)
{
	(void)state;
	struct decided d = {.m = tb_new(0)};
	tb_add(d.m, "CN=svc_app1,OU=Service Accounts," DOM, "objectClass=user",
	       "sAMAccountName=svc_app1", "userAccountControl=512",
	       "servicePrincipalName=MSSQLSvc/db.corp.example:1433", NULL);
	tb_add(d.m, "CN=svc_app2,OU=Service Accounts," DOM, "objectClass=user",
	       "sAMAccountName=svc_app2", "userAccountControl=512",
	       "servicePrincipalName=MSSQLSvc/db.corp.example:1433", NULL);
	tb_finish(d.m);
	decide(&d, "MSSQLSvc/db.corp.example:1433", NULL, "CN=svc_app1,OU=Service Accounts," DOM,
	       "CN=svc_app2,OU=Service Accounts," DOM, NULL);
	assert_false(d.o.decided);
	assert_int_equal(d.o.c[0].score, d.o.c[1].score);
	assert_non_null(strstr(d.o.why, "even"));
	done(&d);
}

/* --keep settles what the evidence cannot. */
static void test_keep_settles(void **state)
{
	(void)state;
	struct decided d = {.m = tb_new(0)};
	tb_add(d.m, "CN=svc_app1," DOM, "objectClass=user", "sAMAccountName=svc_app1",
	       "userAccountControl=512", "servicePrincipalName=HTTP/app.corp.example", NULL);
	tb_add(d.m, "CN=svc_app2," DOM, "objectClass=user", "sAMAccountName=svc_app2",
	       "userAccountControl=512", "servicePrincipalName=HTTP/app.corp.example", NULL);
	tb_finish(d.m);
	decide(&d, "HTTP/app.corp.example", "CN=svc_app2," DOM, "CN=svc_app1," DOM,
	       "CN=svc_app2," DOM, NULL);
	assert_true(d.o.decided);
	assert_string_equal(winner(&d), "CN=svc_app2," DOM);
	assert_non_null(strstr(d.o.why, "--keep"));
	done(&d);
}

/* A disabled account runs nothing. */
static void test_disabled_loses(void **state)
{
	(void)state;
	struct decided d = {.m = tb_new(0)};
	tb_add(d.m, "CN=svc_old," DOM, "objectClass=user", "sAMAccountName=svc_old",
	       "userAccountControl=514", "servicePrincipalName=HTTP/app.corp.example", NULL);
	tb_add(d.m, "CN=svc_new," DOM, "objectClass=user", "sAMAccountName=svc_new",
	       "userAccountControl=512", "servicePrincipalName=HTTP/app.corp.example", NULL);
	tb_finish(d.m);
	decide(&d, "HTTP/app.corp.example", NULL, "CN=svc_old," DOM, "CN=svc_new," DOM, NULL);
	assert_true(d.o.decided);
	assert_string_equal(winner(&d), "CN=svc_new," DOM);
	assert_true(has_ev(&d, "CN=svc_old," DOM, SPN_EV_DISABLED));
	done(&d);
}

/* A privileged account (adminCount=1) loses to an ordinary service account. */
static void test_privileged_loses(void **state)
{
	(void)state;
	struct decided d = {.m = tb_new(0)};
	tb_add(d.m, "CN=svc_admin," DOM, "objectClass=user", "sAMAccountName=svc_admin",
	       "userAccountControl=512", "adminCount=1", "servicePrincipalName=HTTP/app.corp.example",
	       NULL);
	tb_add(d.m, "CN=svc_web," DOM, "objectClass=user", "sAMAccountName=svc_web",
	       "userAccountControl=512", "servicePrincipalName=HTTP/app.corp.example", NULL);
	tb_finish(d.m);
	decide(&d, "HTTP/app.corp.example", NULL, "CN=svc_admin," DOM, "CN=svc_web," DOM, NULL);
	assert_true(d.o.decided);
	assert_string_equal(winner(&d), "CN=svc_web," DOM);
	assert_true(has_ev(&d, "CN=svc_admin," DOM, SPN_EV_PRIVILEGED));
	done(&d);
}

/* A gMSA wins over a person's account. */
static void test_gmsa_beats_person(void **state)
{
	(void)state;
	struct decided d = {.m = tb_new(0)};
	tb_add(d.m, "CN=jsmith,CN=Users," DOM, "objectClass=user", "sAMAccountName=jsmith",
	       "userAccountControl=512", "servicePrincipalName=HTTP/portal.corp.example", NULL);
	tb_add(d.m, "CN=gmsa-portal,CN=Managed Service Accounts," DOM,
	       "objectClass=msDS-GroupManagedServiceAccount", "sAMAccountName=gmsa-portal$",
	       "userAccountControl=4096", "servicePrincipalName=HTTP/portal.corp.example", NULL);
	tb_finish(d.m);
	decide(&d, "HTTP/portal.corp.example", NULL, "CN=jsmith,CN=Users," DOM,
	       "CN=gmsa-portal,CN=Managed Service Accounts," DOM, NULL);
	assert_true(d.o.decided);
	assert_string_equal(winner(&d), "CN=gmsa-portal,CN=Managed Service Accounts," DOM);
	assert_true(has_ev(&d, "CN=jsmith,CN=Users," DOM, SPN_EV_PERSON));
	assert_true(has_ev(&d, "CN=gmsa-portal,CN=Managed Service Accounts," DOM, SPN_EV_MANAGED));
	done(&d);
}

/* A dedicated service account wins over a person's account. */
static void test_service_account_beats_person(void **state)
{
	(void)state;
	struct decided d = {.m = tb_new(0)};
	tb_add(d.m, "CN=jsmith,CN=Users," DOM, "objectClass=user", "sAMAccountName=jsmith",
	       "userAccountControl=512", "servicePrincipalName=MSOLAPSvc.3/olap.corp.example", NULL);
	tb_add(d.m, "CN=OLAP,OU=Service Accounts," DOM, "objectClass=user",
	       "sAMAccountName=olap_run", "userAccountControl=512",
	       "servicePrincipalName=MSOLAPSvc.3/olap.corp.example", NULL);
	tb_finish(d.m);
	decide(&d, "MSOLAPSvc.3/olap.corp.example", NULL, "CN=jsmith,CN=Users," DOM,
	       "CN=OLAP,OU=Service Accounts," DOM, NULL);
	assert_true(d.o.decided);
	assert_string_equal(winner(&d), "CN=OLAP,OU=Service Accounts," DOM);
	assert_true(has_ev(&d, "CN=OLAP,OU=Service Accounts," DOM, SPN_EV_SERVICE_NAMED));
	done(&d);
}

/* IIS: HTTP on the web server's computer and on an app-pool account is
 * Microsoft's documented setup; nothing to choose by: undecided. */
static void test_web_class_computer_vs_app_pool_undecided(void **state)
{
	(void)state;
	struct decided d = {.m = tb_new(0)};
	tb_add(d.m, "CN=WEB01,OU=Servers," DOM, "objectClass=computer", "sAMAccountName=WEB01$",
	       "userAccountControl=4096", "dNSHostName=web01.corp.example",
	       "servicePrincipalName=HTTP/web01.corp.example", NULL);
	tb_add(d.m, "CN=svc_pool," DOM, "objectClass=user", "sAMAccountName=svc_pool",
	       "userAccountControl=512", "servicePrincipalName=HTTP/web01.corp.example", NULL);
	tb_finish(d.m);
	decide(&d, "HTTP/web01.corp.example", NULL, "CN=WEB01,OU=Servers," DOM, "CN=svc_pool," DOM,
	       NULL);
	assert_false(d.o.decided);
	done(&d);
}

/* A class that is a HOST alias by sPNMappings (cifs) runs as the machine. */
static void test_alias_class_runs_as_machine(void **state)
{
	(void)state;
	struct decided d = {.m = tb_new(0)};
	tb_add(d.m, "CN=FS01,OU=Servers," DOM, "objectClass=computer", "sAMAccountName=FS01$",
	       "userAccountControl=4096", "dNSHostName=fs01.corp.example",
	       "servicePrincipalName=cifs/fs01.corp.example", NULL);
	tb_add(d.m, "CN=svc_backup," DOM, "objectClass=user", "sAMAccountName=svc_backup",
	       "userAccountControl=512", "servicePrincipalName=cifs/fs01.corp.example", NULL);
	tb_finish(d.m);
	assert_true(spn_class_runs_as_machine(spn_model_aliases(d.m), "alerter", 7));
	assert_true(spn_class_runs_as_machine(spn_model_aliases(d.m), "CIFS", 4));
	assert_false(spn_class_runs_as_machine(spn_model_aliases(d.m), "HTTP", 4));
	assert_false(spn_class_runs_as_machine(spn_model_aliases(d.m), "MSSQLSvc", 8));
	decide(&d, "cifs/fs01.corp.example", NULL, "CN=svc_backup," DOM, "CN=FS01,OU=Servers," DOM,
	       NULL);
	assert_true(d.o.decided);
	assert_string_equal(winner(&d), "CN=FS01,OU=Servers," DOM);
	done(&d);
}

/* Close but not enough: the lead must be SPN_OWNER_MARGIN. */
static void test_close_call_undecided(void **state)
{
	(void)state;
	struct decided d = {.m = tb_new(0)};
	/* svc_a +1 (named) +3 (set) = 4; svc_b +1 (named) +2... no: a gMSA (+2)
	 * with the set (+3) = 5 against 4: a lead of 1. */
	tb_add(d.m, "CN=svc_a," DOM, "objectClass=user", "sAMAccountName=svc_a",
	       "userAccountControl=512", "servicePrincipalName=MSSQLSvc/db.corp.example:1433",
	       "servicePrincipalName=MSSQLSvc/db.corp.example:A", NULL);
	tb_add(d.m, "CN=gmsa-db," DOM, "objectClass=msDS-GroupManagedServiceAccount",
	       "sAMAccountName=gmsa-db$", "userAccountControl=4096",
	       "servicePrincipalName=MSSQLSvc/db.corp.example:1433",
	       "servicePrincipalName=MSSQLSvc/db:B", NULL);
	tb_finish(d.m);
	decide(&d, "MSSQLSvc/db.corp.example:1433", NULL, "CN=svc_a," DOM, "CN=gmsa-db," DOM, NULL);
	assert_false(d.o.decided);
	assert_int_equal(d.o.c[0].score - d.o.c[1].score, 1);
	assert_non_null(strstr(d.o.why, "too close"));
	/* the short name db counts as the same host for the set */
	assert_true(has_ev(&d, "CN=gmsa-db," DOM, SPN_EV_SERVICE_SET));
	done(&d);
}

/* "OU=Service" inside an escaped CN is no OU: a person whose name reads
 * "jdoe,OU=Service Accounts" is still a person, and does not win the SQL
 * server's SPN from the computer (it would, scored as a service account). */
static void test_escaped_comma_is_no_ou(void **state)
{
	(void)state;
	struct decided d = {.m = tb_new(0)};
#define FAKE "CN=jdoe\\,OU=Service Accounts,CN=Users," DOM
	tb_add(d.m, SQL02, "objectClass=computer", "sAMAccountName=SQL02$", "userAccountControl=4096",
	       "dNSHostName=sql02.corp.example",
	       "servicePrincipalName=MSSQLSvc/sql02.corp.example:1433", NULL);
	tb_add(d.m, FAKE, "objectClass=user", "sAMAccountName=jdoe", "userAccountControl=512",
	       "servicePrincipalName=MSSQLSvc/sql02.corp.example:1433",
	       "servicePrincipalName=MSSQLSvc/sql02.corp.example:A", NULL);
	tb_finish(d.m);
	decide(&d, "MSSQLSvc/sql02.corp.example:1433", NULL, SQL02, FAKE, NULL);
	assert_true(has_ev(&d, FAKE, SPN_EV_PERSON));
	assert_false(has_ev(&d, FAKE, SPN_EV_SERVICE_NAMED));
	assert_false(d.o.decided);
	/* the instance's set it holds still counts */
	assert_true(has_ev(&d, FAKE, SPN_EV_SERVICE_SET));
#undef FAKE
	done(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_field_case_keeps_computer),
		cmocka_unit_test(test_sql_keeps_service_account_with_the_set),
		cmocka_unit_test(test_two_equal_service_accounts_undecided),
		cmocka_unit_test(test_keep_settles),
		cmocka_unit_test(test_disabled_loses),
		cmocka_unit_test(test_privileged_loses),
		cmocka_unit_test(test_gmsa_beats_person),
		cmocka_unit_test(test_service_account_beats_person),
		cmocka_unit_test(test_web_class_computer_vs_app_pool_undecided),
		cmocka_unit_test(test_alias_class_runs_as_machine),
		cmocka_unit_test(test_close_call_undecided),
		cmocka_unit_test(test_escaped_comma_is_no_ou),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
