/* test_diag.c - the KDC's answer read against the directory (spn/diag.h)
 * and doctor's delegation and fixes (spn/doctor.h), without a KDC: probe
 * results made by hand, a model from the builder. Two holders (both named,
 * the owner rule's rm), nobody (the near miss and the computer named like
 * the host), no key (never had a password; AES only), an issued ticket
 * (kvno against msDS-KeyVersionNumber, the HOST alias shadow and its rm),
 * resolve's disagreement; doctor: constrained, resource-based (a real
 * descriptor), none, a name that leads to two accounts; a value no command line carries;
 * their text at the report's width. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "builder.h"
#include "spn/diag.h"
#include "spn/doctor.h"
#include "spn/report.h"

static struct spn_model *domain(void)
{
	struct spn_model *m = tb_new(0);
	tb_add(m, "CN=EXCH01,CN=Computers,DC=corp,DC=example", "objectClass=computer",
	       "sAMAccountName=EXCH01$", "userAccountControl=4096", "dNSHostName=exch01.corp.example",
	       "servicePrincipalName=SMTPSVC/exch01.corp.example", "servicePrincipalName=HOST/EXCH01",
	       "servicePrincipalName=HOST/exch01.corp.example", "msDS-KeyVersionNumber=2",
	       "objectSid=S-1-5-21-1-2-3-1101", NULL);
	tb_add(m, "CN=Administrator,CN=Users,DC=corp,DC=example", "objectClass=user",
	       "sAMAccountName=Administrator", "userAccountControl=512", "objectSid=S-1-5-21-1-2-3-500",
	       "servicePrincipalName=SMTPSVC/exch01.corp.example", "msDS-KeyVersionNumber=1", NULL);
	tb_add(m, "CN=svc_sql,CN=Users,DC=corp,DC=example", "objectClass=user", "sAMAccountName=svc_sql",
	       "userAccountControl=512", "servicePrincipalName=MSSQLSvc/db01.corp.example:1433",
	       "msDS-KeyVersionNumber=3", "objectSid=S-1-5-21-1-2-3-1102", NULL);
	tb_add(m, "CN=WEB02,CN=Computers,DC=corp,DC=example", "objectClass=computer",
	       "sAMAccountName=WEB02$", "userAccountControl=4096", "pwdLastSet=0",
	       "servicePrincipalName=HTTP/web02.corp.example", "msDS-KeyVersionNumber=1", NULL);
	tb_add(m, "CN=svc_aes,CN=Users,DC=corp,DC=example", "objectClass=user", "sAMAccountName=svc_aes",
	       "userAccountControl=512", "pwdLastSet=130000000000000000",
	       "msDS-SupportedEncryptionTypes=24", "servicePrincipalName=HTTP/aes.corp.example", NULL);
	tb_add(m, "CN=DC1,OU=Domain Controllers,DC=corp,DC=example", "objectClass=computer",
	       "sAMAccountName=DC1$", "userAccountControl=532480", "servicePrincipalName=HOST/dc1.corp.example",
	       "msDS-KeyVersionNumber=1", NULL);
	tb_add(m, "CN=svc_cifs,CN=Users,DC=corp,DC=example", "objectClass=user",
	       "sAMAccountName=svc_cifs", "userAccountControl=512",
	       "servicePrincipalName=cifs/dc1.corp.example", "msDS-KeyVersionNumber=2", NULL);
	tb_add(m, "CN=svc_front,CN=Users,DC=corp,DC=example", "objectClass=user",
	       "sAMAccountName=svc_front", "userAccountControl=512", "objectSid=S-1-5-21-1-2-3-1105",
	       "servicePrincipalName=HTTP/front.corp.example",
	       "msDS-AllowedToDelegateTo=HTTP/web01.corp.example", NULL);
	tb_finish(m);
	return m;
}

static struct spn_probe_result answer(const char *spn, enum spn_probe_status st, uint32_t kvno)
{
	static char principal[8][256];
	static int next;
	struct spn_probe_result r;
	spn_probe_result_init(&r);
	char *p = principal[next++ % 8];
	snprintf(p, 256, "%s@CORP.EXAMPLE", spn);
	r.spn = spn;
	r.principal = p;
	r.status = st;
	r.code_name = st == SPN_PROBE_UNKNOWN ? "KDC_ERR_S_PRINCIPAL_UNKNOWN" :
	              st == SPN_PROBE_NO_KEY ? "KDC_ERR_ETYPE_NOSUPP" : NULL;
	r.summary = "(the KDC's words)";
	if (st == SPN_PROBE_ISSUED) {
		r.server = p;
		r.enctype = 23;
		r.kvno = kvno;
	}
	return r;
}

static const struct spn_diag *diagnose(struct spn_diags *ds, const struct spn_model *m,
                                       const struct spn_probe_result *r)
{
	struct spn_err err;
	spn_err_init(&err);
	if (spn_diag_probe(m, r, NULL, ds, &err) != SPN_OK)
		fail_msg("spn_diag_probe: %s", err.msg);
	return &ds->v[ds->n - 1];
}

static bool has(const char *const *v, size_t n, const char *words)
{
	for (size_t i = 0; i < n; i++)
		if (strstr(v[i], words))
			return true;
	return false;
}

static void test_duplicate(void **state)
{
	(void)state;
	struct spn_model *m = domain();
	struct spn_diags ds;
	spn_diags_init(&ds);
	struct spn_probe_result r = answer("SMTPSVC/exch01.corp.example", SPN_PROBE_UNKNOWN, 0);
	const struct spn_diag *d = diagnose(&ds, m, &r);
	assert_string_equal(d->verdict, "refused: 2 accounts hold it");
	assert_int_equal(d->nholders, 2);
	assert_string_equal(d->domain, "corp.example");
	assert_true(has(d->why, d->nwhy, "EXCH01$ most likely runs the service"));
	assert_true(has(d->fixes, d->nfixes, "spnctl rm -- SMTPSVC/exch01.corp.example Administrator"));
	assert_int_equal(d->agreement, SPN_AGREE);
	assert_int_equal(spn_diag_status(d), 1);
	spn_diags_release(&ds);
	spn_model_free(m);
}

static void test_nobody(void **state)
{
	(void)state;
	struct spn_model *m = domain();
	struct spn_diags ds;
	spn_diags_init(&ds);
	struct spn_probe_result r = answer("MSSQLSvc/db01.corp.example", SPN_PROBE_UNKNOWN, 0);
	const struct spn_diag *d = diagnose(&ds, m, &r);
	assert_string_equal(d->verdict, "refused: nobody holds it");
	assert_int_equal(d->nholders, 0);
	assert_string_equal(spn_model_account(m, d->likely_owner)->sam, "svc_sql");
	assert_true(has(d->why, d->nwhy, "MSSQLSvc/db01.corp.example:1433"));
	assert_true(has(d->fixes, d->nfixes, "spnctl add -- MSSQLSvc/db01.corp.example svc_sql"));
	/* A machine class: the computer named like the host, and reset. */
	struct spn_probe_result r2 = answer("cifs/exch02.corp.example", SPN_PROBE_UNKNOWN, 0);
	d = diagnose(&ds, m, &r2);
	assert_string_equal(d->alias_spn, "host/exch02.corp.example");
	assert_int_equal(d->likely_owner, SPN_NONE);
	assert_true(has(d->fixes, d->nfixes, "ACCOUNT"));
	struct spn_probe_result r3 = answer("TERMSRV/exch01.corp.example", SPN_PROBE_UNKNOWN, 0);
	d = diagnose(&ds, m, &r3);
	assert_string_equal(spn_model_account(m, d->likely_owner)->sam, "EXCH01$");
	assert_true(has(d->fixes, d->nfixes, "spnctl add -- TERMSRV/exch01.corp.example 'EXCH01$'"));
	spn_diags_release(&ds);
	spn_model_free(m);
}

static void test_no_key(void **state)
{
	(void)state;
	struct spn_model *m = domain();
	struct spn_diags ds;
	spn_diags_init(&ds);
	struct spn_probe_result r = answer("HTTP/web02.corp.example", SPN_PROBE_NO_KEY, 0);
	const struct spn_diag *d = diagnose(&ds, m, &r);
	assert_string_equal(d->verdict, "refused: no usable key");
	assert_true(has(d->why, d->nwhy, "never had a password set"));
	assert_true(has(d->fixes, d->nfixes, "samba-tool user setpassword -- 'WEB02$'"));
	assert_int_equal(d->agreement, SPN_AGREE);
	struct spn_probe_result r2 = answer("HTTP/aes.corp.example", SPN_PROBE_NO_KEY, 0);
	d = diagnose(&ds, m, &r2);
	assert_true(has(d->why, d->nwhy, "allows only AES"));
	assert_false(has(d->why, d->nwhy, "never had a password"));
	/* host/NAME nobody holds: Samba finds the computer; resolve does not. */
	struct spn_probe_result r3 = answer("HOST/WEB02", SPN_PROBE_NO_KEY, 0);
	d = diagnose(&ds, m, &r3);
	assert_true(has(d->why, d->nwhy, "Samba KDC also matches host/NAME"));
	assert_int_equal(d->agreement, SPN_DISAGREE);
	assert_string_equal(spn_model_account(m, d->likely_owner)->sam, "WEB02$");
	spn_diags_release(&ds);
	spn_model_free(m);
}

static void test_issued(void **state)
{
	(void)state;
	struct spn_model *m = domain();
	struct spn_diags ds;
	spn_diags_init(&ds);
	struct spn_probe_result r = answer("MSSQLSvc/db01.corp.example:1433", SPN_PROBE_ISSUED, 3);
	const struct spn_diag *d = diagnose(&ds, m, &r);
	assert_string_equal(spn_model_account(m, d->key_account)->sam, "svc_sql");
	assert_int_equal(d->kvno_match, SPN_KVNO_SAME);
	assert_non_null(strstr(d->key_text, "RC4 because msDS-SupportedEncryptionTypes is not set"));
	assert_int_equal(spn_diag_status(d), 0);
	struct spn_probe_result r2 = answer("MSSQLSvc/db01.corp.example:1433", SPN_PROBE_ISSUED, 4);
	d = diagnose(&ds, m, &r2);
	assert_int_equal(d->kvno_match, SPN_KVNO_DIFFERS);
	assert_non_null(strstr(d->key_text, "msDS-KeyVersionNumber is 3"));
	/* The shadow: cifs/dc1 on svc_cifs, HOST/dc1 on DC1$. */
	struct spn_probe_result r3 = answer("cifs/dc1.corp.example", SPN_PROBE_ISSUED, 2);
	d = diagnose(&ds, m, &r3);
	assert_string_equal(spn_model_account(m, d->key_account)->sam, "svc_cifs");
	assert_int_equal(d->nalias_holders, 1);
	assert_true(has(d->fixes, d->nfixes, "spnctl rm -- cifs/dc1.corp.example svc_cifs"));
	assert_int_equal(d->prediction->outcome, SPN_OUTCOME_WRONG_KEY);
	/* Issued where resolve predicted nobody: said plainly. */
	struct spn_probe_result r4 = answer("HTTP/nothing.corp.example", SPN_PROBE_ISSUED, 1);
	d = diagnose(&ds, m, &r4);
	assert_int_equal(d->agreement, SPN_DISAGREE);
	assert_non_null(strstr(d->prediction_text, "but the KDC issued a ticket"));
	/* Could not ask: nothing compared, exit 2. */
	struct spn_probe_result r5 = answer("HTTP/x.corp.example", SPN_PROBE_NO_TGT, 0);
	d = diagnose(&ds, m, &r5);
	assert_int_equal(d->agreement, SPN_AGREE_NOT_ASKED);
	assert_int_equal(spn_diag_status(d), 2);
	spn_diags_release(&ds);
	spn_model_free(m);
}

/* ---- doctor, without a KDC ---- */

static void doctor_with(struct spn_doctor *d, const char *target, enum spn_probe_status st,
                        uint32_t kvno)
{
	struct spn_err err;
	spn_err_init(&err);
	spn_doctor_init(d);
	d->text = target;
	assert_int_equal(spn_target_parse(target, &d->target, &err), SPN_OK);
	assert_int_equal(spn_target_derive(&d->target, NULL, "corp.example", &d->der, &err), SPN_OK);
	snprintf(d->realm, sizeof(d->realm), "CORP.EXAMPLE");
	for (size_t i = 0; i < d->der.n; i++) {
		spn_probe_result_release(&d->probes[i]);
		d->probes[i] = answer(d->der.v[i].spn, i ? SPN_PROBE_UNKNOWN : st, kvno);
	}
}

/* msDS-AllowedToActOnBehalfOfOtherIdentity allowing the domain SID with rid. */
static size_t rbcd(unsigned char *b, uint32_t rid)
{
	static const unsigned char head[] = {
		1, 0, 0x04, 0x80, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 48, 0, 0, 0,
		/* owner S-1-5-21-1-2-3-512 */
		1, 5, 0, 0, 0, 0, 0, 5, 21, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 0, 2, 0, 0,
		/* DACL: revision 2, size 8 + 36, one ACE */
		2, 0, 44, 0, 1, 0, 0, 0,
		/* ACE: allow, size 36, mask 0xf01ff, S-1-5-21-1-2-3-RID */
		0, 0, 36, 0, 0xff, 0x01, 0x0f, 0, 1, 5, 0, 0, 0, 0, 0, 5, 21, 0, 0, 0, 1, 0, 0, 0,
		2, 0, 0, 0, 3, 0, 0, 0,
	};
	memcpy(b, head, sizeof(head));
	b[sizeof(head)] = (unsigned char)(rid & 0xff);
	b[sizeof(head) + 1] = (unsigned char)(rid >> 8);
	b[sizeof(head) + 2] = b[sizeof(head) + 3] = 0;
	return sizeof(head) + 4;
}

static void test_doctor_delegation(void **state)
{
	(void)state;
	struct spn_model *m = tb_new(0);
	unsigned char sd[128];
	size_t sdn = rbcd(sd, 1105);
	tb_add(m, "CN=svc_web,CN=Users,DC=corp,DC=example", "objectClass=user", "sAMAccountName=svc_web",
	       "servicePrincipalName=HTTP/web01.corp.example", "msDS-KeyVersionNumber=2", NULL);
	struct spn_entry e;
	struct spn_err err;
	const char *dn = "CN=svc_sql,CN=Users,DC=corp,DC=example";
	spn_entry_init(&e);
	spn_err_init(&err);
	e.dn = (struct spn_slice){dn, strlen(dn)};
	e.where = "t:1";
	spn_entry_add(&e, SPN_A_OBJECTCLASS, "user", 4);
	spn_entry_add(&e, SPN_A_SAMACCOUNTNAME, "svc_sql", 7);
	spn_entry_add(&e, SPN_A_SERVICEPRINCIPALNAME, "MSSQLSvc/db01.corp.example:1433", 31);
	spn_entry_add(&e, SPN_A_KEYVERSION, "3", 1);
	spn_entry_add(&e, SPN_A_ALLOWEDTOACT, (const char *)sd, sdn);
	assert_int_equal(spn_model_add_entry(m, 0, &e, &err), SPN_OK);
	spn_entry_release(&e);
	tb_add(m, "CN=svc_front,CN=Users,DC=corp,DC=example", "objectClass=user",
	       "sAMAccountName=svc_front", "objectSid=S-1-5-21-1-2-3-1105",
	       "servicePrincipalName=HTTP/front.corp.example",
	       "msDS-AllowedToDelegateTo=HTTP/web01.corp.example", NULL);
	tb_add(m, "CN=APP01,CN=Computers,DC=corp,DC=example", "objectClass=computer",
	       "sAMAccountName=APP01$", "userAccountControl=4096", "objectSid=S-1-5-21-1-2-3-1106", NULL);
	tb_add(m, "CN=dup1,CN=Users,DC=corp,DC=example", "objectClass=user", "sAMAccountName=dup1",
	       "servicePrincipalName=HTTP/twice.corp.example", NULL);
	tb_add(m, "CN=dup2,CN=Users,DC=corp,DC=example", "objectClass=user", "sAMAccountName=dup2",
	       "servicePrincipalName=HTTP/twice.corp.example", NULL);
	tb_finish(m);

	struct spn_doctor d;
	doctor_with(&d, "http://web01", SPN_PROBE_ISSUED, 2);
	assert_int_equal(spn_doctor_finish(&d, m, "svc_front", &err), SPN_OK);
	assert_int_equal(d.deleg.kind, SPN_DELEG_CONSTRAINED);
	assert_string_equal(d.deleg.listed, "HTTP/web01.corp.example");
	assert_string_equal(spn_model_account(m, d.deleg.target)->sam, "svc_web");
	/* The short name nobody holds goes to the service's account. */
	assert_int_equal(d.nfixes, 1);
	assert_string_equal(d.fixes[0], "spnctl add -- HTTP/web01 svc_web");
	assert_int_equal(spn_doctor_status(&d), 0);
	spn_doctor_release(&d);

	doctor_with(&d, "mssql://db01.corp.example:1433", SPN_PROBE_ISSUED, 3);
	assert_int_equal(spn_doctor_finish(&d, m, "svc_front", &err), SPN_OK);
	assert_int_equal(d.deleg.kind, SPN_DELEG_RESOURCE);
	assert_true(d.deleg.resource);
	assert_int_equal(spn_doctor_status(&d), 0);
	spn_doctor_release(&d);

	doctor_with(&d, "mssql://db01.corp.example:1433", SPN_PROBE_ISSUED, 3);
	assert_int_equal(spn_doctor_finish(&d, m, "APP01", &err), SPN_OK);
	assert_int_equal(d.deleg.kind, SPN_DELEG_NONE);
	assert_true(has(d.deleg.lines, d.deleg.nlines, "allows S-1-5-21-1-2-3-1105 (svc_front), not APP01$"));
	assert_true(has(d.deleg.lines, d.deleg.nlines, "APP01$ holds no SPN"));
	assert_true(has(d.fixes, d.nfixes, "samba-tool delegation add-principal -- svc_sql 'APP01$'"));
	assert_int_equal(spn_doctor_status(&d), 1);
	spn_doctor_release(&d);

	doctor_with(&d, "HTTP/twice.corp.example", SPN_PROBE_UNKNOWN, 0);
	assert_int_equal(spn_doctor_finish(&d, m, "svc_front", &err), SPN_OK);
	assert_int_equal(d.deleg.ntargets, 2);
	assert_true(has(d.deleg.lines, d.deleg.nlines, "leads to 2 accounts"));
	assert_int_equal(spn_doctor_status(&d), 1);
	spn_doctor_release(&d);

	doctor_with(&d, "HTTP/twice.corp.example", SPN_PROBE_UNKNOWN, 0);
	spn_err_init(&err);
	assert_int_equal(spn_doctor_finish(&d, m, "nobody", &err), SPN_USAGE);
	assert_non_null(strstr(err.msg, "--via: no account 'nobody'"));
	spn_doctor_release(&d);
	spn_model_free(m);
}

/* WEB0n$ (the computer named in host, the owner by the evidence) and
 * the user named sam both hold HTTP/host: probe's fix removes it from sam. */
static const struct spn_diag *shared_with(struct spn_diags *ds, struct spn_model **m,
                                          const char *host, const char *sam)
{
	static char http[160];   /* the probe's SPN points into it */
	char cn[64], acc[64], dns[128], hfq[160], hshort[64];
	snprintf(cn, sizeof(cn), "CN=%.5s,CN=Computers,DC=corp,DC=example", host);
	snprintf(acc, sizeof(acc), "sAMAccountName=%.5s$", host);
	snprintf(dns, sizeof(dns), "dNSHostName=%s", host);
	snprintf(http, sizeof(http), "servicePrincipalName=HTTP/%s", host);
	snprintf(hfq, sizeof(hfq), "servicePrincipalName=HOST/%s", host);
	snprintf(hshort, sizeof(hshort), "servicePrincipalName=HOST/%.5s", host);
	*m = tb_new(0);
	tb_add(*m, cn, "objectClass=computer", acc, "userAccountControl=4096", dns, http, hfq, hshort,
	       NULL);
	char user[160];
	snprintf(user, sizeof(user), "sAMAccountName=%s", sam);
	tb_add(*m, "CN=someone,CN=Users,DC=corp,DC=example", "objectClass=user", user,
	       "userAccountControl=512", http, NULL);
	tb_finish(*m);
	spn_diags_init(ds);
	static struct spn_probe_result r;
	r = answer(http + strlen("servicePrincipalName="), SPN_PROBE_UNKNOWN, 0);
	return diagnose(ds, *m, &r);
}

/* A value no shell command line carries safely (an invisible character
 * does not survive copy and paste) gets no spnctl line, but a sentence
 * saying why. */
static void test_unsafe_words(void **state)
{
	(void)state;
	struct spn_model *m;
	struct spn_diags ds;
	const struct spn_diag *d = shared_with(&ds, &m, "web09.corp.example", "jo\xE2\x80\x8Bhn");
	assert_true(has(d->why, d->nwhy, "web09$ most likely runs the service"));
	assert_false(has(d->fixes, d->nfixes, "spnctl rm"));
	assert_true(has(d->fixes, d->nfixes, "No command line for this: jo\xE2\x80\x8Bhn holds"));
	spn_diags_release(&ds);
	spn_model_free(m);
}

/* A directory value that reads like an option (an account named
 * --uri=ldap://evil.example) stays an operand: spnctl's lines put "--"
 * before their operands, or the pasted line would bind elsewhere. */
static void test_option_names(void **state)
{
	(void)state;
	struct spn_model *m;
	struct spn_diags ds;
	const struct spn_diag *d = shared_with(&ds, &m, "web08.corp.example",
	                                       "--uri=ldap://evil.example");
	assert_true(has(d->fixes, d->nfixes,
	                "spnctl rm -- HTTP/web08.corp.example --uri=ldap://evil.example"));
	spn_diags_release(&ds);
	spn_model_free(m);
}

/* ---- probe's and doctor's text at the report's width ---- */

/* The text of probe (d == NULL) or doctor at width; its longest line and
 * its number of lines. */
static char *text_at(unsigned width, const struct spn_model *m, const struct spn_diags *ds,
                     const struct spn_doctor *d, size_t *longest, size_t *lines)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);
	assert_non_null(f);
	struct spn_report_opts o;
	spn_report_opts_init(&o);
	o.width = width;
	if (d)
		assert_int_equal(spn_report_doctor(f, &o, m, d), SPN_OK);
	else
		assert_int_equal(spn_report_probes(f, &o, m, ds, NULL), SPN_OK);
	fclose(f);
	*longest = *lines = 0;
	for (const char *p = buf; *p;) {
		size_t k = strcspn(p, "\n");
		if (k > *longest)
			*longest = k;
		(*lines)++;
		p += k + (p[k] == '\n');
	}
	return buf;
}

/* Every line of text fits in width but an SPN's heading ("SPN: verdict",
 * like audit's SPN lines, not wrapped) and one holding a unit text_wrap
 * keeps whole (a DN, a command), which runs past it. */
static void fits(const char *text, size_t width)
{
	for (const char *p = text; *p;) {
		size_t k = strcspn(p, "\n");
		char line[512];
		snprintf(line, sizeof(line), "%.*s", (int)k, p);
		size_t first = strcspn(line, " ");
		bool heading = first > 1 && line[first - 1] == ':' && memchr(line, '/', first);
		if (k > width && !heading && !strstr(line, "CN=") && !strstr(line, "spnctl "))
			fail_msg("longer than %zu: '%s'", width, line);
		p += k + (p[k] == '\n');
	}
}

/* Probe's (d == NULL) or doctor's text at 40 columns, the default (79)
 * and 160: each fits, the narrower the more lines, and 160 is wider than
 * 79. */
static void at_widths(const struct spn_model *m, const struct spn_diags *ds,
                      const struct spn_doctor *d)
{
	static const unsigned widths[3] = {40, 0, 160};
	size_t longest[3], lines[3];
	for (int i = 0; i < 3; i++) {
		char *t = text_at(widths[i], m, ds, d, &longest[i], &lines[i]);
		fits(t, widths[i] ? widths[i] : 79);
		free(t);
	}
	assert_true(lines[0] > lines[1]);
	assert_true(lines[1] > lines[2]);
	assert_true(longest[2] > 79);
}

/* COLUMNS reaches probe and doctor as it does audit: 40 columns wrap
 * narrower than the default 79, 160 leave lines longer than 79. */
static void test_width(void **state)
{
	(void)state;
	struct spn_model *m = domain();
	struct spn_diags ds;
	spn_diags_init(&ds);
	struct spn_probe_result r = answer("SMTPSVC/exch01.corp.example", SPN_PROBE_UNKNOWN, 0);
	diagnose(&ds, m, &r);
	at_widths(m, &ds, NULL);
	spn_diags_release(&ds);

	struct spn_doctor d;
	struct spn_err err;
	spn_err_init(&err);
	doctor_with(&d, "smtp://exch01.corp.example", SPN_PROBE_UNKNOWN, 0);
	assert_int_equal(spn_doctor_finish(&d, m, "svc_front", &err), SPN_OK);
	at_widths(m, NULL, &d);
	spn_doctor_release(&d);
	spn_model_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_duplicate),
		cmocka_unit_test(test_nobody),
		cmocka_unit_test(test_no_key),
		cmocka_unit_test(test_issued),
		cmocka_unit_test(test_doctor_delegation),
		cmocka_unit_test(test_unsafe_words),
		cmocka_unit_test(test_option_names),
		cmocka_unit_test(test_width),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
