/* test_resolve.c - the KDC resolution simulator: domains, UPN, exact SPN,
 * HOST alias, and each predicted outcome. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "builder.h"
#include "check_helpers.h"
#include "spn/resolve.h"

static struct spn_model *build(void)
{
	struct spn_model *m = tb_new(0);
	tb_add(m, "CN=EXCH01,OU=Servers,DC=corp,DC=example", "objectClass=computer",
	       "sAMAccountName=EXCH01$", "userAccountControl=4096", "dNSHostName=exch01.corp.example",
	       "servicePrincipalName=HOST/EXCH01", "servicePrincipalName=HOST/exch01.corp.example",
	       "servicePrincipalName=SMTPSVC/exch01.corp.example", "servicePrincipalName=SMTPSVC/EXCH01",
	       NULL);
	tb_add(m, "CN=Administrator,CN=Users,DC=corp,DC=example", "objectClass=user",
	       "sAMAccountName=Administrator", "userAccountControl=66048",
	       "servicePrincipalName=SMTPSVC/exch01.corp.example", "servicePrincipalName=SMTPSVC/EXCH01",
	       NULL);
	tb_add(m, "CN=FS01,OU=Servers,DC=corp,DC=example", "objectClass=computer",
	       "sAMAccountName=FS01$", "userAccountControl=4096", "dNSHostName=fs01.corp.example",
	       "servicePrincipalName=HOST/FS01", "servicePrincipalName=HOST/fs01.corp.example", NULL);
	tb_add(m, "CN=FS02,OU=Servers,DC=corp,DC=example", "objectClass=computer",
	       "sAMAccountName=FS02$", "userAccountControl=4096",
	       "servicePrincipalName=HOST/fs02.corp.example", NULL);
	tb_add(m, "CN=svc_backup,OU=Svc,DC=corp,DC=example", "objectClass=user",
	       "sAMAccountName=svc_backup", "userAccountControl=512",
	       "servicePrincipalName=cifs/fs02.corp.example", NULL);
	tb_add(m, "CN=svc_sql,OU=Svc,DC=corp,DC=example", "objectClass=user",
	       "sAMAccountName=svc_sql", "userAccountControl=512",
	       "servicePrincipalName=MSSQLSvc/sql01.corp.example:1433", NULL);
	tb_add(m, "CN=svc_sql,OU=Svc,DC=emea,DC=corp,DC=example", "objectClass=user",
	       "sAMAccountName=svc_sql", "userAccountControl=512",
	       "servicePrincipalName=MSSQLSvc/sql01.corp.example:1433", NULL);
	tb_add(m, "CN=WEB01,DC=emea,DC=corp,DC=example", "objectClass=computer",
	       "sAMAccountName=WEB01$", "userAccountControl=4096",
	       "servicePrincipalName=HOST/web01", "servicePrincipalName=HTTP/app.corp.example", NULL);
	tb_add(m, "CN=kt1,DC=emea,DC=corp,DC=example", "objectClass=user", "sAMAccountName=kt1",
	       "userAccountControl=512", "userPrincipalName=HTTP/app.corp.example@EMEA.CORP.EXAMPLE", NULL);
	tb_add(m, "CN=kt2,DC=corp,DC=example", "objectClass=user", "sAMAccountName=kt2",
	       "userAccountControl=512", "userPrincipalName=HTTP/upnonly.corp.example", NULL);
	tb_add(m, "CN=APP01,DC=corp,DC=example", "objectClass=computer", "sAMAccountName=APP01$",
	       "userAccountControl=4096", NULL);
	tb_add(m, "CN=svc_app,DC=corp,DC=example", "objectClass=user", "sAMAccountName=svc_app",
	       "userAccountControl=512", "servicePrincipalName=HOST/app01.corp.example", NULL);
	tb_finish(m);
	return m;
}

static void resolve(const struct spn_model *m, const char *spn, const char *domain,
                    struct spn_resolutions *r)
{
	struct spn_err err;
	spn_err_init(&err);
	spn_resolutions_init(r);
	if (spn_resolve(m, spn, domain, r, &err))
		fail_msg("resolve %s: %s", spn, err.msg);
	for (size_t i = 0; i < r->n; i++) {
		if (!r->v[i].summary || !r->v[i].nsteps || !r->v[i].domain || !r->v[i].spn)
			fail_msg("resolve %s: incomplete answer", spn);
	}
}

static bool any_step(const struct spn_resolution *x, const char *needle)
{
	for (size_t i = 0; i < x->nsteps; i++)
		if (strstr(x->steps[i], needle))
			return true;
	return false;
}

static void test_not_unique(void **state)
{
	(void)state;
	struct spn_model *m = build();
	struct spn_resolutions r;
	resolve(m, "smtpsvc/EXCH01.corp.example", NULL, &r);
	assert_int_equal(r.n, 1);
	const struct spn_resolution *x = &r.v[0];
	assert_string_equal(x->domain, "corp.example");
	assert_string_equal(x->spn, "smtpsvc/EXCH01.corp.example");
	assert_int_equal(x->outcome, SPN_OUTCOME_NOT_UNIQUE);
	assert_int_equal(x->account, SPN_NONE);
	assert_string_equal(x->kerberos_error, "KDC_ERR_S_PRINCIPAL_UNKNOWN");
	tc_contains(x->summary, "Server not found in Kerberos database");
	tc_contains(x->summary, "2 accounts in corp.example");
	assert_true(any_step(x, "EXCH01.corp.example is in corp.example, so that domain's KDC answers."));
	assert_true(any_step(x, "2 accounts hold"));
	assert_true(any_step(x, "userPrincipalName"));
	spn_resolutions_release(&r);

	/* A short host name is in no domain by name: every domain answers. */
	resolve(m, "SMTPSVC/EXCH01", NULL, &r);
	assert_int_equal(r.n, 2);
	assert_string_equal(r.v[0].domain, "corp.example");
	assert_int_equal(r.v[0].outcome, SPN_OUTCOME_NOT_UNIQUE);
	assert_string_equal(r.v[1].domain, "emea.corp.example");
	assert_int_equal(r.v[1].outcome, SPN_OUTCOME_NOT_FOUND);
	assert_true(any_step(&r.v[1], "It is also registered in another domain"));
	spn_resolutions_release(&r);
	spn_model_free(m);
}

static void test_alias_and_shadow(void **state)
{
	(void)state;
	struct spn_model *m = build();
	struct spn_resolutions r;
	/* cifs/ through HOST/: a ticket for the computer. */
	resolve(m, "cifs/fs01.corp.example", NULL, &r);
	assert_int_equal(r.n, 1);
	assert_int_equal(r.v[0].outcome, SPN_OUTCOME_TICKET);
	assert_string_equal(spn_model_account(m, r.v[0].account)->dn, "CN=FS01,OU=Servers,DC=corp,DC=example");
	assert_string_equal(r.v[0].matched, "HOST/fs01.corp.example");
	assert_null(r.v[0].kerberos_error);
	assert_true(any_step(&r.v[0], "cifs is an alias of host in the default sPNMappings, so the KDC tries host/fs01.corp.example"));
	tc_contains(r.v[0].summary, "Ticket for CN=FS01");
	spn_resolutions_release(&r);

	/* An explicit cifs/ on a user shadows the computer's HOST/. */
	resolve(m, "CIFS/fs02.corp.example", NULL, &r);
	assert_int_equal(r.v[0].outcome, SPN_OUTCOME_WRONG_KEY);
	assert_string_equal(spn_model_account(m, r.v[0].account)->dn, "CN=svc_backup,OU=Svc,DC=corp,DC=example");
	assert_string_equal(r.v[0].kerberos_error, "KRB_AP_ERR_MODIFIED");
	assert_string_equal(r.v[0].matched, "cifs/fs02.corp.example");
	assert_true(any_step(&r.v[0], "The explicit SPN wins over the alias"));
	tc_contains(r.v[0].summary, "runs as FS02$");
	spn_resolutions_release(&r);

	/* HOST/ itself on FS02: a plain ticket. */
	resolve(m, "HOST/fs02.corp.example", NULL, &r);
	assert_int_equal(r.v[0].outcome, SPN_OUTCOME_TICKET);
	spn_resolutions_release(&r);
	spn_model_free(m);
}

static void test_not_found_and_no_alias(void **state)
{
	(void)state;
	struct spn_model *m = build();
	struct spn_resolutions r;
	resolve(m, "MSSQLSvc/sql02.corp.example:1433", NULL, &r);
	assert_int_equal(r.n, 1);
	assert_int_equal(r.v[0].outcome, SPN_OUTCOME_NOT_FOUND);
	assert_string_equal(r.v[0].kerberos_error, "KDC_ERR_S_PRINCIPAL_UNKNOWN");
	assert_true(any_step(&r.v[0], "MSSQLSvc is not a HOST alias"));
	tc_contains(r.v[0].summary, "NTLM");
	spn_resolutions_release(&r);
	resolve(m, "http/nothing.corp.example", NULL, &r);
	assert_int_equal(r.v[0].outcome, SPN_OUTCOME_NOT_FOUND);
	assert_true(any_step(&r.v[0], "no account in corp.example holds it either"));
	spn_resolutions_release(&r);
	spn_model_free(m);
}

static void test_cross_domain_twin(void **state)
{
	(void)state;
	struct spn_model *m = build();
	struct spn_resolutions r;
	resolve(m, "MSSQLSvc/sql01.corp.example:1433", NULL, &r);
	assert_int_equal(r.n, 1);
	assert_string_equal(r.v[0].domain, "corp.example");
	assert_int_equal(r.v[0].outcome, SPN_OUTCOME_WRONG_KEY);
	assert_string_equal(spn_model_account(m, r.v[0].account)->dn, "CN=svc_sql,OU=Svc,DC=corp,DC=example");
	tc_contains(r.v[0].summary, "also registered in another domain");
	spn_resolutions_release(&r);
	/* Asking the other domain explicitly, or through the realm in the name. */
	resolve(m, "MSSQLSvc/sql01.corp.example:1433", "EMEA.corp.example", &r);
	assert_string_equal(r.v[0].domain, "emea.corp.example");
	assert_string_equal(spn_model_account(m, r.v[0].account)->dn, "CN=svc_sql,OU=Svc,DC=emea,DC=corp,DC=example");
	assert_int_equal(r.v[0].outcome, SPN_OUTCOME_WRONG_KEY);
	spn_resolutions_release(&r);
	resolve(m, "MSSQLSvc/sql01.corp.example:1433@EMEA.CORP.EXAMPLE", NULL, &r);
	assert_int_equal(r.n, 1);
	assert_string_equal(r.v[0].domain, "emea.corp.example");
	assert_string_equal(r.v[0].spn, "MSSQLSvc/sql01.corp.example:1433");
	spn_resolutions_release(&r);

	struct spn_err err;
	spn_err_init(&err);
	spn_resolutions_init(&r);
	assert_int_equal(spn_resolve(m, "HTTP/x@OTHER.EXAMPLE", NULL, &r, &err), SPN_USAGE);
	tc_contains(err.msg, "OTHER.EXAMPLE");
	spn_err_init(&err);
	assert_int_equal(spn_resolve(m, "HTTP/x", "nowhere.example", &r, &err), SPN_USAGE);
	tc_contains(err.msg, "nowhere.example");
	assert_int_equal(r.n, 0);
	spn_resolutions_release(&r);
	spn_model_free(m);
}

static void test_upn(void **state)
{
	(void)state;
	struct spn_model *m = build();
	struct spn_resolutions r;
	/* HTTP/app.corp.example: SPN on WEB01$ and UPN "<spn>@EMEA..." on kt1,
	 * both in emea; asked of emea's KDC. */
	resolve(m, "HTTP/app.corp.example", "emea.corp.example", &r);
	assert_int_equal(r.v[0].outcome, SPN_OUTCOME_WRONG_KEY);
	assert_string_equal(spn_model_account(m, r.v[0].account)->dn, "CN=kt1,DC=emea,DC=corp,DC=example");
	assert_string_equal(r.v[0].kerberos_error, "KRB_AP_ERR_MODIFIED");
	assert_true(any_step(&r.v[0], "userPrincipalName match in emea.corp.example: CN=kt1"));
	assert_true(any_step(&r.v[0], "a Samba KDC for CN=WEB01"));
	spn_resolutions_release(&r);
	/* corp.example's KDC has neither. */
	resolve(m, "HTTP/app.corp.example", NULL, &r);
	assert_string_equal(r.v[0].domain, "corp.example");
	assert_int_equal(r.v[0].outcome, SPN_OUTCOME_NOT_FOUND);
	spn_resolutions_release(&r);
	/* UPN only. */
	resolve(m, "http/UPNONLY.corp.example", NULL, &r);
	assert_int_equal(r.v[0].outcome, SPN_OUTCOME_TICKET);
	assert_string_equal(spn_model_account(m, r.v[0].account)->dn, "CN=kt2,DC=corp,DC=example");
	assert_true(any_step(&r.v[0], "Samba KDC"));
	spn_resolutions_release(&r);
	spn_model_free(m);
}

static void test_malformed_and_samba_host(void **state)
{
	(void)state;
	struct spn_model *m = build();
	struct spn_resolutions r;
	resolve(m, "HTTP/web 01", NULL, &r);
	assert_int_equal(r.n, 1);
	assert_int_equal(r.v[0].outcome, SPN_OUTCOME_MALFORMED);
	assert_int_equal(r.v[0].account, SPN_NONE);
	assert_null(r.v[0].kerberos_error);
	assert_true(any_step(&r.v[0], "white space"));
	spn_resolutions_release(&r);
	resolve(m, "EXCH01$", NULL, &r);
	assert_int_equal(r.v[0].outcome, SPN_OUTCOME_MALFORMED);
	assert_true(any_step(&r.v[0], "sAMAccountName"));
	spn_resolutions_release(&r);

	/* HOST/app01 is on svc_app while computer APP01 exists: Windows gives
	 * svc_app a ticket, Samba also matches APP01 by name. */
	resolve(m, "HOST/app01.corp.example", NULL, &r);
	assert_int_equal(r.v[0].outcome, SPN_OUTCOME_TICKET);
	assert_true(any_step(&r.v[0], "A Samba KDC also matches the computer CN=APP01,DC=corp,DC=example"));
	spn_resolutions_release(&r);

	assert_string_equal(spn_outcome_name(SPN_OUTCOME_TICKET), "ticket");
	assert_string_equal(spn_outcome_name(SPN_OUTCOME_WRONG_KEY), "wrong-key");
	assert_string_equal(spn_outcome_name(SPN_OUTCOME_NOT_FOUND), "not-found");
	assert_string_equal(spn_outcome_name(SPN_OUTCOME_NOT_UNIQUE), "not-unique");
	assert_string_equal(spn_outcome_name(SPN_OUTCOME_MALFORMED), "malformed");
	spn_model_free(m);
}

static void test_many_appends(void **state)
{
	(void)state;
	struct spn_model *m = build();
	struct spn_resolutions r;
	struct spn_err err;
	spn_err_init(&err);
	spn_resolutions_init(&r);
	for (int i = 0; i < 50; i++)
		assert_int_equal(spn_resolve(m, "HOST/fs01.corp.example", NULL, &r, &err), SPN_OK);
	assert_int_equal(r.n, 50);
	assert_int_equal(r.v[49].outcome, SPN_OUTCOME_TICKET);
	spn_resolutions_release(&r);
	spn_model_free(m);
}

/* HTTP/ on an application pool's account beside the computer's HOST/:
 * Microsoft's documented IIS setup. Not a certain KRB_AP_ERR_MODIFIED:
 * which service gets which key, and that WinRM breaks. */
static void test_web_app_pool(void **state)
{
	(void)state;
	struct spn_model *m = tb_new(0);
	tb_add(m, "CN=INTRANET,OU=Servers,DC=corp,DC=example", "objectClass=computer",
	       "sAMAccountName=INTRANET$", "userAccountControl=4096",
	       "servicePrincipalName=HOST/intranet.corp.example", NULL);
	tb_add(m, "CN=Intranet App Pool,OU=Svc,DC=corp,DC=example", "objectClass=user",
	       "sAMAccountName=svc_intranet", "userAccountControl=512",
	       "servicePrincipalName=HTTP/intranet.corp.example", NULL);
	tb_finish(m);
	struct spn_resolutions r;
	resolve(m, "HTTP/intranet.corp.example", NULL, &r);
	assert_int_equal(r.n, 1);
	assert_int_equal(r.v[0].outcome, SPN_OUTCOME_SHADOWS_HOST);
	assert_string_equal(spn_outcome_name(r.v[0].outcome), "shadows-host");
	assert_true(spn_outcome_usable(r.v[0].outcome));
	assert_false(spn_outcome_usable(SPN_OUTCOME_WRONG_KEY));
	assert_null(r.v[0].kerberos_error);   /* not certain: it depends on who runs the service */
	assert_string_equal(spn_model_account(m, r.v[0].account)->dn,
	                    "CN=Intranet App Pool,OU=Svc,DC=corp,DC=example");
	tc_contains(r.v[0].summary, "right if the web service on intranet.corp.example runs as "
	            "svc_intranet; WinRM and PowerShell remoting to intranet.corp.example, which run "
	            "as INTRANET$, cannot decrypt it");
	assert_true(any_step(&r.v[0], "Which service gets which key"));
	for (size_t i = 0; i < r.v[0].nsteps; i++)
		assert_null(strstr(r.v[0].steps[i], "SMB"));
	spn_resolutions_release(&r);
	spn_model_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_not_unique),
		cmocka_unit_test(test_alias_and_shadow),
		cmocka_unit_test(test_web_app_pool),
		cmocka_unit_test(test_not_found_and_no_alias),
		cmocka_unit_test(test_cross_domain_twin),
		cmocka_unit_test(test_upn),
		cmocka_unit_test(test_malformed_and_samba_host),
		cmocka_unit_test(test_many_appends),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
