/* test_ldif.c - the LDIF snapshot reader: syntax as ldapsearch and ldifde
 * write it, ranged attributes, every error with its exact message and line,
 * records longer than the stream buffer, and files on disk. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "spn/model.h"
#include "spn/source.h"
#include "source/ldif_int.h"

/* ---- helpers ---- */

/* Read text (n bytes) as "t.ldif" with the given limits (NULL: defaults). */
static enum spn_rc read_lim(struct spn_model *m, const char *text, size_t n,
                            const struct spn_ldif_limits *lim, struct spn_err *err)
{
	spn_err_init(err);
	if (!lim)
		return spn_ldif_read_mem(m, "t.ldif", text, n, err);
	return spn_ldif_read_mem_limits(m, "t.ldif", text, n, lim, err);
}

/* Load text that must parse; finish the model. */
static struct spn_model *load_n(const char *text, size_t n, unsigned flags)
{
	struct spn_model *m = spn_model_new(flags);
	struct spn_err err;
	assert_non_null(m);
	if (read_lim(m, text, n, NULL, &err) != SPN_OK)
		fail_msg("unexpected error: %s", err.msg);
	spn_err_init(&err);
	if (spn_model_finish(m, &err) != SPN_OK)
		fail_msg("finish: %s", err.msg);
	return m;
}

static struct spn_model *load(const char *text)
{
	return load_n(text, strlen(text), SPN_MODEL_KEEP_ALL);
}

/* text must fail with exactly rc and msg. */
static void expect_error_n(const char *text, size_t n, enum spn_rc rc, const char *msg)
{
	struct spn_model *m = spn_model_new(SPN_MODEL_KEEP_ALL);
	struct spn_err err;
	assert_non_null(m);
	enum spn_rc got = read_lim(m, text, n, NULL, &err);
	assert_string_equal(err.msg, msg);
	assert_int_equal(got, rc);
	assert_int_equal(err.rc, rc);
	spn_model_free(m);
}

static void expect_error(const char *text, const char *msg)
{
	expect_error_n(text, strlen(text), SPN_INPUT, msg);
}

/* The single account with this sAMAccountName (or DN). */
static const struct spn_account *account(const struct spn_model *m, const char *name)
{
	uint32_t id;
	if (spn_model_find_account(m, name, &id, 1) != 1)
		fail_msg("no single account '%s'", name);
	return spn_model_account(m, id);
}

static const char *spn_at(const struct spn_model *m, const struct spn_account *a, uint32_t i)
{
	assert_true(i < a->nspn);
	return spn_model_value(m, a->spn_first + i)->str;
}

/* ---- syntax ---- */

static const char exch_lf[] =
	"version: 1\n"
	"\n"
	"# EXCH01, Servers, corp.example\n"
	"#  a folded comment line\n"
	"dn: CN=EXCH01,OU=Servers,DC=corp,DC=example\n"
	"objectClass: top\n"
	"objectClass: computer\n"
	"sAMAccountName: EXCH01$\n"
	"userAccountControl: 4096\n"
	"servicePrincipalName: SMTPSVC/exch01.corp.example\n"
	"servicePrincipalName: SMTPSVC/EXCH01\n"
	"\n"
	"\n"
	"\n"
	"dn: CN=Administrator,CN=Users,DC=corp,DC=example\n"
	"objectClass: user\n"
	"sAMAccountName: Administrator\n"
	"# a comment inside a record does not end it\n"
	"servicePrincipalName: SMTPSVC/exch01\n"
	"\n"
	"# search result\n"
	"\n"
	"# numResponses: 3\n"
	"# numEntries: 2\n";

static void check_exch(const struct spn_model *m, const char *name)
{
	assert_int_equal(spn_model_nsources(m), 1);
	assert_string_equal(spn_model_source(m, 0)->name, name);
	assert_string_equal(spn_model_source(m, 0)->kind, "ldif");
	assert_int_equal(spn_model_source(m, 0)->entries, 2);
	assert_int_equal(spn_model_naccounts(m), 2);
	const struct spn_account *a = account(m, "EXCH01$");
	assert_string_equal(a->dn, "CN=EXCH01,OU=Servers,DC=corp,DC=example");
	assert_int_equal(a->kind, SPN_KIND_COMPUTER);
	assert_int_equal(a->uac, 4096);
	assert_int_equal(a->nspn, 2);
	assert_string_equal(spn_at(m, a, 0), "SMTPSVC/exch01.corp.example");
	assert_string_equal(spn_at(m, a, 1), "SMTPSVC/EXCH01");
	a = account(m, "Administrator");
	assert_int_equal(a->nspn, 1);
	assert_string_equal(spn_at(m, a, 0), "SMTPSVC/exch01");
	assert_true(spn_model_complete(m));
}

static void test_basic(void **state)
{
	(void)state;
	struct spn_model *m = load(exch_lf);
	check_exch(m, "t.ldif");
	spn_model_free(m);
}

/* The same file with CRLF line ends (ldifde) and a UTF-8 byte order mark. */
static void test_crlf_and_bom(void **state)
{
	(void)state;
	size_t n = strlen(exch_lf);
	char *crlf = malloc(3 + 2 * n + 1), *w = crlf;
	assert_non_null(crlf);
	memcpy(w, "\xef\xbb\xbf", 3);
	w += 3;
	for (size_t i = 0; i < n; i++) {
		if (exch_lf[i] == '\n')
			*w++ = '\r';
		*w++ = exch_lf[i];
	}
	*w = '\0';
	struct spn_model *m = load(crlf);
	check_exch(m, "t.ldif");
	spn_model_free(m);
	free(crlf);
}

static void test_folded(void **state)
{
	(void)state;
	struct spn_model *m = load(
		"dn: CN=A Very Long Computer Name,OU=Servers,OU=Tier 1,DC=c\n"
		" orp,DC=exa\r\n"
		" mple\n"
		"objectClass: computer\n"
		"sAMAccountName: L\n"
		" ONG$\n"
		"servicePrincipalName: HTTP/a\n"
		"  b\n"                        /* one space removed, the second kept */
		"servicePrincipalName: HTTP/\xc3\n"
		" \xa9t\xc3\xa9.corp.example\n" /* a fold inside a UTF-8 sequence */
		"servicePrincipalName: HOST/x\n"
		" \n"                          /* continuation with nothing after the space */
		"\n");
	const struct spn_account *a = account(m, "LONG$");
	assert_string_equal(a->dn, "CN=A Very Long Computer Name,OU=Servers,OU=Tier 1,DC=corp,DC=example");
	assert_int_equal(a->nspn, 3);
	assert_string_equal(spn_at(m, a, 0), "HTTP/a b");
	assert_string_equal(spn_at(m, a, 1), "HTTP/\xc3\xa9t\xc3\xa9.corp.example");
	assert_string_equal(spn_at(m, a, 2), "HOST/x");
	spn_model_free(m);
}

static void test_base64(void **state)
{
	(void)state;
	/* dn:: "CN=Zoë,OU=Web,DC=corp,DC=example"; SPN "HTTP/web<U+200B>.corp.example";
	 * objectSid S-1-5-21-1-2-3-1105 in binary (with NUL bytes). */
	struct spn_model *m = load(
		"dn:: Q049Wm/DqyxPVT1XZWIsREM9Y29ycCxEQz1leGFtcGxl\n"
		"objectClass: user\n"
		"sAMAccountName:: em/Dqw==\n"
		"objectSid:: AQUAAAAAAAUVAAAAAQAAAAIAAAADAAAAUQQAAA==\n"
		"servicePrincipalName:: SFRUUC93ZWLigIsuY29ycC5leGFtcGxl\n"
		"servicePrincipalName::   SFRUUC93ZWIuY29ycC5leGFtcGxl\n"
		"description:: bm90IGRlY29kZWQ=\n"
		"servicePrincipalName:: \n"
		"\n");
	const struct spn_account *a = account(m, "CN=Zo\xc3\xab,OU=Web,DC=corp,DC=example");
	assert_string_equal(a->sam, "zo\xc3\xab");
	assert_true(a->has & SPN_HAS_SID);
	assert_int_equal(a->rid, 1105);
	assert_int_equal(a->nspn, 3);
	const struct spn_value *v = spn_model_value(m, a->spn_first);
	assert_string_equal(v->str, "HTTP/web\xe2\x80\x8b.corp.example");
	assert_int_equal(v->len, strlen("HTTP/web\xe2\x80\x8b.corp.example"));
	assert_true(v->flags & SPN_VALUE_NONASCII);
	assert_string_equal(spn_at(m, a, 1), "HTTP/web.corp.example");
	v = spn_model_value(m, a->spn_first + 2);
	assert_int_equal(v->len, 0);                 /* "attr:: " is an empty value */
	assert_int_equal(v->syntax, SPN_SYNTAX_EMPTY);
	spn_model_free(m);
}

static void test_values_and_names(void **state)
{
	(void)state;
	struct spn_model *m = load(
		"DN: CN=web,DC=corp,DC=example\n"
		"OBJECTCLASS: computer\n"
		"samaccountname:     WEB$\n"                  /* leading spaces trimmed */
		"servicePrincipalName:HTTP/nospace\n"          /* no space after ':' */
		"SERVICEPRINCIPALNAME;binary: HTTP/upper\n"    /* case and an option */
		"servicePrincipalName;lang-en: HTTP/trailing  \n" /* trailing spaces kept */
		"servicePrincipalName:\n"                       /* empty value */
		"msds-allowedtodelegateto: cifs/fs1\n"
		"memberOf;range=0-1: CN=g1,DC=corp,DC=example\n"
		"member;range=0-1499: CN=x\n"                   /* not ours: no gap */
		"thumbnailPhoto:: not base64, not read\n"
		"\n");
	const struct spn_account *a = account(m, "web$");
	assert_int_equal(a->nspn, 4);
	assert_string_equal(spn_at(m, a, 0), "HTTP/nospace");
	assert_string_equal(spn_at(m, a, 1), "HTTP/upper");
	assert_string_equal(spn_at(m, a, 2), "HTTP/trailing  ");
	assert_string_equal(spn_at(m, a, 3), "");
	assert_int_equal(a->n_delegate_to, 1);
	assert_string_equal(a->delegate_to[0], "cifs/fs1");
	assert_int_equal(a->n_member_of, 1);
	/* memberOf;range=0-1 is ranged and not followed: a gap. */
	assert_int_equal(spn_model_ngaps(m), 1);
	assert_string_equal(spn_model_gap(m, 0),
		"t.ldif:9: 'CN=web,DC=corp,DC=example': memberOf holds only values 0-1; the rest "
		"were not exported (ranged attribute not followed)");
	spn_model_free(m);
}

/* Every attribute spnctl reads is recognised in any case, as spn_attr_lookup does. */
static void test_attr_names(void **state)
{
	(void)state;
	struct spn_ldif_names t;
	spn_ldif_names_init(&t);
	for (int a = 0; a < SPN_A_COUNT; a++) {
		char line[80], upper[64];
		const char *name = spn_attr_name((enum spn_attr)a);
		size_t n = strlen(name);
		for (size_t i = 0; i <= n; i++)
			upper[i] = (char)(name[i] >= 'a' && name[i] <= 'z' ? name[i] - 32 : name[i]);
		const char *forms[] = {name, upper};
		for (int f = 0; f < 2; f++) {
			struct spn_ldif_line l;
			int len = snprintf(line, sizeof(line), "%s;range=0-*: v", forms[f]);
			assert_int_equal(spn_ldif_line_parse(&t, line, (size_t)len, &l), 0);
			assert_int_equal(l.code, a);
			assert_int_equal(spn_attr_lookup(forms[f], n), a);
			assert_int_equal(l.name_len, n);
			assert_int_equal(l.opts_len, strlen(";range=0-*"));
			assert_int_equal(l.value_len, 1);
			/* One letter off: not ours. */
			line[n - 1] = line[n - 1] == 'x' ? 'y' : 'x';
			assert_int_equal(spn_ldif_line_parse(&t, line, (size_t)len, &l), 0);
			assert_int_equal(l.code, SPN_LDIF_N_OTHER);
		}
	}
	struct spn_ldif_line l;
	char dn[] = "Dn: x", ct[] = "ChangeType: add", other[] = "cn: x";
	assert_int_equal(spn_ldif_line_parse(&t, dn, strlen(dn), &l), 0);
	assert_int_equal(l.code, SPN_LDIF_N_DN);
	assert_int_equal(spn_ldif_line_parse(&t, ct, strlen(ct), &l), 0);
	assert_int_equal(l.code, SPN_LDIF_N_CHANGETYPE);
	assert_int_equal(spn_ldif_line_parse(&t, other, strlen(other), &l), 0);
	assert_int_equal(l.code, SPN_LDIF_N_OTHER);
}

static void test_ranges(void **state)
{
	(void)state;
	struct spn_model *m = load(
		"dn: CN=complete,DC=corp,DC=example\n"
		"objectClass: user\n"
		"sAMAccountName: complete\n"
		"servicePrincipalName;range=0-1: a/1\n"
		"servicePrincipalName;range=0-1: a/2\n"
		"servicePrincipalName;Range=2-*: a/3\n"
		"\n"
		"dn: CN=star,DC=corp,DC=example\n"
		"objectClass: user\n"
		"sAMAccountName: star\n"
		"servicePrincipalName;range=0-*: b/1\n"
		"\n");
	assert_true(spn_model_complete(m));
	assert_int_equal(account(m, "complete")->nspn, 3);
	spn_model_free(m);

	/* Raw ldapsearch output from a DC that capped the values at 1500. */
	m = load(
		"dn: CN=EXCH01,OU=Servers,DC=corp,DC=example\n"
		"objectClass: computer\n"
		"sAMAccountName: EXCH01$\n"
		"servicePrincipalName;range=0-1499: SMTPSVC/EXCH01\n"
		"servicePrincipalName;range=0-1499: SMTPSVC/exch01.corp.example\n"
		"\n"
		"dn: CN=holes,DC=corp,DC=example\n"
		"objectClass: user\n"
		"sAMAccountName: holes\n"
		"servicePrincipalName;range=0-1: c/1\n"
		"memberOf;range=0-0: CN=g,DC=corp,DC=example\n"
		"servicePrincipalName;range=0-1: c/1b\n"       /* not consecutive: kept twice, shown once */
		"servicePrincipalName;range=5-*: c/2\n"
		"\n");
	assert_false(spn_model_complete(m));
	assert_int_equal(spn_model_ngaps(m), 3);
	assert_string_equal(spn_model_gap(m, 0),
		"t.ldif:4: 'CN=EXCH01,OU=Servers,DC=corp,DC=example': servicePrincipalName holds only "
		"values 0-1499; the rest were not exported (ranged attribute not followed)");
	assert_string_equal(spn_model_gap(m, 1),
		"t.ldif:13: 'CN=holes,DC=corp,DC=example': servicePrincipalName holds only "
		"values 0-1, 5-*; the rest were not exported (ranged attribute not followed)");
	assert_string_equal(spn_model_gap(m, 2),
		"t.ldif:11: 'CN=holes,DC=corp,DC=example': memberOf holds only "
		"values 0-0; the rest were not exported (ranged attribute not followed)");
	/* The entries are still there. */
	assert_int_equal(account(m, "EXCH01$")->nspn, 2);
	assert_int_equal(account(m, "holes")->nspn, 3);
	spn_model_free(m);
}

static void test_ldapsearch_trailers(void **state)
{
	(void)state;
	/* ldapsearch without -LLL: header comments, references, result record. */
	const char *ok =
		"# extended LDIF\n"
		"#\n"
		"# LDAPv3\n"
		"# base <DC=corp,DC=example> with scope subtree\n"
		"#\n"
		"\n"
		"# web, corp.example\n"
		"dn: CN=web,DC=corp,DC=example\n"
		"servicePrincipalName: HTTP/web\n"
		"\n"
		"# search reference\n"
		"ref: ldap://ForestDnsZones.corp.example/DC=ForestDnsZones,DC=corp,DC=example\n"
		"\n"
		"# search result\n"
		"search: 2\n"
		"result: 0 Success\n"
		"control: 1.2.840.113556.1.4.319 false MAQCAQAEAA==\n"
		"\n"
		"# numResponses: 3\n";
	struct spn_model *m = load(ok);
	assert_true(spn_model_complete(m));
	assert_int_equal(spn_model_naccounts(m), 1);
	spn_model_free(m);

	m = load("dn: CN=web,DC=corp,DC=example\n"
	         "servicePrincipalName: HTTP/web\n"
	         "\n"
	         "# search result\n"
	         "search: 2\n"
	         "result: 4 Size limit exceeded\n");
	assert_int_equal(spn_model_ngaps(m), 1);
	assert_string_equal(spn_model_gap(m, 0),
		"t.ldif:6: the search that wrote this file ended with 'result: 4 Size limit exceeded'; "
		"entries may be missing");
	spn_model_free(m);
	expect_error("search: 2\nresult: oops\n",
	             "t.ldif:2: malformed 'result:' line (expected 'result: CODE TEXT')");
}

static void test_changetype_add(void **state)
{
	(void)state;
	/* ldifde export: every entry is an add record. */
	struct spn_model *m = load(
		"\r\n"
		"dn: CN=sql,DC=corp,DC=example\r\n"
		"changetype: add\r\n"
		"objectClass: user\r\n"
		"sAMAccountName: sql\r\n"
		"servicePrincipalName: MSSQLSvc/sql.corp.example:1433\r\n"
		"\r\n");
	assert_int_equal(account(m, "sql")->nspn, 1);
	spn_model_free(m);
}

static void test_empty_inputs(void **state)
{
	(void)state;
	const char *texts[] = {"", "\n\n\n", "# only a comment\n", "version: 1\n",
	                       "version: 1\n\n# search result\n", "\xef\xbb\xbf"};
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		struct spn_model *m = load(texts[i]);
		struct spn_model_stats st;
		spn_model_stats(m, &st);
		assert_int_equal(st.entries, 0);
		assert_int_equal(spn_model_nsources(m), 1);
		assert_true(spn_model_complete(m));
		spn_model_free(m);
	}
	struct spn_model *m = load_n(NULL, 0, 0);
	spn_model_free(m);
}

/* The input ends without a line end, or inside a folded line. */
static void test_unterminated(void **state)
{
	(void)state;
	struct spn_model *m = load("dn: CN=a,DC=corp,DC=example\n"
	                           "sAMAccountName: a\n"
	                           "servicePrincipalName: HTTP/w\n"
	                           " eb");
	assert_string_equal(spn_at(m, account(m, "a"), 0), "HTTP/web");
	spn_model_free(m);
	m = load("dn: CN=a,DC=corp,DC=example\r\nservicePrincipalName: HTTP/x\r\n ");
	assert_string_equal(spn_model_value(m, 0)->str, "HTTP/x");
	spn_model_free(m);
}

/* ---- errors: one line, file:line first, DN when known ---- */

static void test_errors(void **state)
{
	(void)state;
	expect_error("dn: CN=a,DC=x\nobjectClass: user\nthis line has no colon\n",
	             "t.ldif:3: expected 'attribute: value', found a line without ':' in 'CN=a,DC=x'");
	expect_error("objectClass: user\ndn: CN=a,DC=x\n",
	             "t.ldif:1: a record must start with 'dn:', found 'objectClass:'");
	expect_error("dn: CN=a,DC=x\n\nservicePrincipalName;range=0-1: x\n",
	             "t.ldif:3: a record must start with 'dn:', found 'servicePrincipalName;range=0-1:'");
	expect_error("dn: CN=a,DC=x\nchangetype: modify\nreplace: servicePrincipalName\n",
	             "t.ldif:2: change records are not a snapshot (changetype: modify) in 'CN=a,DC=x'");
	expect_error("dn: CN=a,DC=x\nchangetype:: ZGVsZXRl\n",
	             "t.ldif:2: change records are not a snapshot (changetype: delete) in 'CN=a,DC=x'");
	expect_error("dn: CN=a,DC=x\ncontrol: 1.2.840.113556.1.4.805 true\nchangetype: delete\n",
	             "t.ldif:2: change records are not a snapshot (control: line) in 'CN=a,DC=x'");
	expect_error("dn: CN=a,DC=x\njpegPhoto:< file:///tmp/photo.jpg\n",
	             "t.ldif:2: 'jpegPhoto:<' (a value read from a URL) is not supported in 'CN=a,DC=x'");
	expect_error("dn:< file:///tmp/dn\n",
	             "t.ldif:1: 'dn:<' (a value read from a URL) is not supported");
	expect_error("dn: CN=a,DC=x\nservicePrincipalName:: SFRU*UC93\n",
	             "t.ldif:2: base64 value of 'servicePrincipalName' is not valid in 'CN=a,DC=x'");
	expect_error("dn: CN=a,DC=x\nservicePrincipalName:: SFRUUC93Z\n",
	             "t.ldif:2: base64 value of 'servicePrincipalName' is truncated in 'CN=a,DC=x'");
	expect_error("dn: CN=a,DC=x\nservicePrincipalName:: SFRUUA== \n",
	             "t.ldif:2: base64 value of 'servicePrincipalName' is not valid in 'CN=a,DC=x'");
	expect_error("dn: CN=a,DC=x\nsAMAccountName:: YQBi\n",
	             "t.ldif:2: base64 value of 'sAMAccountName' contains a NUL byte in 'CN=a,DC=x'");
	expect_error("dn:: Q049YSxEQz1*\n", "t.ldif:1: base64 DN is not valid");
	expect_error("version: 1\n\ndn:: Q049YSxEQz1\n", "t.ldif:3: base64 DN is truncated");
	expect_error("dn:: Q049YQBE\n", "t.ldif:1: base64 DN contains a NUL byte");
	expect_error("dn: CN=a,DC=x\nservicePrincipalName;range=5-: x\n",
	             "t.ldif:2: malformed range option ';range=5-' on 'servicePrincipalName' in 'CN=a,DC=x'");
	expect_error("dn: CN=a,DC=x\nservicePrincipalName;range=9-3: x\n",
	             "t.ldif:2: malformed range option ';range=9-3' on 'servicePrincipalName' in 'CN=a,DC=x'");
	expect_error("dn: CN=a,DC=x\nmemberOf;range=0-1;range=2-3: x\n",
	             "t.ldif:2: malformed range option ';range=2-3' on 'memberOf' in 'CN=a,DC=x'");
	expect_error("dn: CN=a,DC=x\nservicePrincipalName;range=0-99999999999999999999: x\n",
	             "t.ldif:2: malformed range option ';range=0-99999999999999999999' on "
	             "'servicePrincipalName' in 'CN=a,DC=x'");
	expect_error("dn: CN=a,DC=x\n\n continued\n",
	             "t.ldif:3: line starts with a space, but there is no line before it to continue");
	expect_error(" dn: CN=a,DC=x\n",
	             "t.ldif:1: line starts with a space, but there is no line before it to continue");
	expect_error("dn: CN=a,DC=x\nobjectClass: user\ndn: CN=b,DC=x\n",
	             "t.ldif:3: second 'dn:' line in one record (is the blank line before it missing?) "
	             "in 'CN=a,DC=x'");
	expect_error("version: 2\n\ndn: CN=a,DC=x\n",
	             "t.ldif:1: unsupported LDIF version '2' (only version 1 exists)");
	expect_error("dn: CN=a,DC=x\nservice principal name: x\n",
	             "t.ldif:2: malformed attribute description 'service principal name' in 'CN=a,DC=x'");
	expect_error("dn: CN=a,DC=x\n: x\n",
	             "t.ldif:2: malformed attribute description '' in 'CN=a,DC=x'");
	expect_error("dn: CN=a,DC=x\nmemberOf;: x\n",
	             "t.ldif:2: malformed attribute description 'memberOf;' in 'CN=a,DC=x'");
	expect_error("dn;x: CN=a,DC=x\n", "t.ldif:1: malformed 'dn:' line (options on dn)");
	/* Line numbers count physical lines, also after folds and CRLF. */
	expect_error("# c\r\n#  c\r\ndn: CN=a,\r\n DC=x\r\nservicePrincipalName: HTTP/\r\n a\r\nbad\r\n",
	             "t.ldif:7: expected 'attribute: value', found a line without ':' in 'CN=a,DC=x'");
	/* A DN with control characters is shown with '?'. */
	expect_error("dn:: Q049YQEKQg==\nbad\n",
	             "t.ldif:2: expected 'attribute: value', found a line without ':' in 'CN=a??B'");
}

static void test_nul_and_utf16(void **state)
{
	(void)state;
	static const char nul_value[] = "dn: CN=a,DC=x\nsAMAccountName: a\x00" "b\n\n";
	expect_error_n(nul_value, sizeof(nul_value) - 1, SPN_INPUT,
	               "t.ldif:2: line contains a NUL byte (binary data must be base64; is this a "
	               "UTF-16 or binary file?) in 'CN=a,DC=x'");
	static const char nul_comment[] = "# ok\n#\x00\ndn: CN=a,DC=x\n";
	expect_error_n(nul_comment, sizeof(nul_comment) - 1, SPN_INPUT,
	               "t.ldif:2: line contains a NUL byte (binary data must be base64; is this a "
	               "UTF-16 or binary file?)");
	static const char nul_line_start[] = "dn: CN=a,DC=x\n\n\x00";
	expect_error_n(nul_line_start, sizeof(nul_line_start) - 1, SPN_INPUT,
	               "t.ldif:3: line contains a NUL byte (binary data must be base64; is this a "
	               "UTF-16 or binary file?)");
	static const char utf16[] = "\xff\xfe" "d\x00n\x00:\x00";
	expect_error_n(utf16, sizeof(utf16) - 1, SPN_INPUT,
	               "t.ldif:1: file is UTF-16 (ldifde -u?); convert it to UTF-8 first "
	               "(iconv -f UTF-16 -t UTF-8)");
}

/* An error from the model names the entry's dn: line (e.where). */
static void test_where(void **state)
{
	(void)state;
	expect_error("version: 1\n\n# x\ndn: CN=a,DC=corp,DC=example\nobjectClass: user\n"
	             "sAMAccountName: a\nsAMAccountName: b\n",
	             "t.ldif:4: 'CN=a,DC=corp,DC=example': sAMAccountName has 2 values; AD allows one");
}

/* ---- buffers ---- */

/* A record and a line longer than the ceilings: an error, not a truncation. */
static void test_ceilings(void **state)
{
	(void)state;
	struct spn_ldif_limits lim = {.buf_size = 16, .line_max = 64, .record_max = 256};
	struct spn_model *m = spn_model_new(0);
	struct spn_err err;
	char text[1024];
	int n = snprintf(text, sizeof(text), "dn: CN=a,DC=x\nservicePrincipalName: HTTP/%070d\n", 1);
	assert_int_equal(read_lim(m, text, (size_t)n, &lim, &err), SPN_INPUT);
	assert_string_equal(err.msg, "t.ldif:2: line is longer than 64 bytes in 'CN=a,DC=x'");
	spn_model_free(m);

	m = spn_model_new(0);
	n = snprintf(text, sizeof(text), "# %070d\n", 1);
	assert_int_equal(read_lim(m, text, (size_t)n, &lim, &err), SPN_INPUT);
	assert_string_equal(err.msg, "t.ldif:1: line is longer than 64 bytes");
	spn_model_free(m);

	m = spn_model_new(0);
	size_t used = (size_t)snprintf(text, sizeof(text), "\n\ndn: CN=a,DC=x\n");
	for (int i = 0; i < 12; i++)
		used += (size_t)snprintf(text + used, sizeof(text) - used, "servicePrincipalName: HTTP/%d\n", i);
	assert_int_equal(read_lim(m, text, used, &lim, &err), SPN_INPUT);
	assert_string_equal(err.msg, "t.ldif:3: record is longer than 256 bytes in 'CN=a,DC=x'");
	spn_model_free(m);

	/* The same ceiling whether the line crosses refills or not: 64 bytes
	 * pass, 65 do not. */
	for (size_t bs = 8; bs <= 4096; bs *= 8) {
		struct spn_ldif_limits l2 = {.buf_size = bs, .line_max = 64, .record_max = 4096};
		m = spn_model_new(0);
		n = snprintf(text, sizeof(text), "dn: CN=a,DC=x\nservicePrincipalName: HTTP/%037d\n\n", 1);
		assert_int_equal(read_lim(m, text, (size_t)n, &l2, &err), SPN_OK);
		spn_model_free(m);
		m = spn_model_new(0);
		n = snprintf(text, sizeof(text), "dn: CN=a,DC=x\nservicePrincipalName: HTTP/%038d\n\n", 1);
		assert_int_equal(read_lim(m, text, (size_t)n, &l2, &err), SPN_INPUT);
		assert_string_equal(err.msg, "t.ldif:2: line is longer than 64 bytes in 'CN=a,DC=x'");
		spn_model_free(m);
	}

	/* A NUL after the ceiling: the long line is reported, whatever the buffer. */
	for (size_t bs = 8; bs <= 4096; bs *= 8) {
		struct spn_ldif_limits l3 = {.buf_size = bs, .line_max = 64, .record_max = 4096};
		m = spn_model_new(0);
		n = snprintf(text, sizeof(text), "dn: CN=a,DC=x\nservicePrincipalName: HTTP/%070dX", 1);
		text[n - 1] = '\0';
		assert_int_equal(read_lim(m, text, (size_t)n, &l3, &err), SPN_INPUT);
		assert_string_equal(err.msg, "t.ldif:2: line is longer than 64 bytes in 'CN=a,DC=x'");
		spn_model_free(m);
	}

	/* Exactly what fits is fine. */
	m = spn_model_new(0);
	n = snprintf(text, sizeof(text), "dn: CN=a,DC=x\nservicePrincipalName: HTTP/%030d\n\n", 1);
	assert_int_equal(read_lim(m, text, (size_t)n, &lim, &err), SPN_OK);
	spn_model_free(m);
}

/* Every buffer size from tiny up gives the same model as the default. */
static void test_buffer_sizes(void **state)
{
	(void)state;
	const char *text =
		"version: 1\r\n"
		"# comment\r\n"
		"#  continued\r\n"
		"\r\n"
		"dn: CN=EXCH01,OU=Servers,DC=corp,DC=exa\r\n"
		" mple\r\n"
		"objectClass: computer\r\n"
		"objectSid:: AQUAAAAAAAUVAAAAAQAAAAIAAAADAAAAUQQAAA==\r\n"
		"sAMAccountName: EXCH01$\r\n"
		"servicePrincipalName;range=0-1: SMTPSVC/exch01.corp.exam\r\n"
		" ple\r\n"
		"servicePrincipalName;range=0-1:: U01UUFNWQy9FWENIMDE=\r\n"
		"description: not read\r\n"
		"\r\n"
		"\r\n"
		"dn: CN=Administrator,CN=Users,DC=corp,DC=example\r\n"
		"objectClass: user\r\n"
		"sAMAccountName: Administrator\r\n"
		"servicePrincipalName: SMTPSVC/exch01\r\n"
		"\r\n"
		"# search result\r\n"
		"search: 2\r\n"
		"result: 0 Success\r\n";
	size_t n = strlen(text);
	for (size_t bs = 1; bs <= n + 2; bs++) {
		struct spn_ldif_limits lim;
		spn_ldif_limits_default(&lim);
		lim.buf_size = bs;
		struct spn_model *m = spn_model_new(0);
		struct spn_err err;
		if (read_lim(m, text, n, &lim, &err))
			fail_msg("buffer %zu: %s", bs, err.msg);
		assert_int_equal(spn_model_naccounts(m), 2);
		const struct spn_account *a = account(m, "EXCH01$");
		assert_string_equal(a->dn, "CN=EXCH01,OU=Servers,DC=corp,DC=example");
		assert_int_equal(a->rid, 1105);
		assert_int_equal(a->nspn, 2);
		assert_string_equal(spn_at(m, a, 0), "SMTPSVC/exch01.corp.example");
		assert_string_equal(spn_at(m, a, 1), "SMTPSVC/EXCH01");
		assert_int_equal(spn_model_ngaps(m), 1);
		assert_string_equal(spn_model_gap(m, 0),
			"t.ldif:10: 'CN=EXCH01,OU=Servers,DC=corp,DC=example': servicePrincipalName holds "
			"only values 0-1; the rest were not exported (ranged attribute not followed)");
		assert_int_equal(account(m, "Administrator")->nspn, 1);
		spn_model_free(m);
	}
}

/* One entry with 200,000 SPN values (~8 MB): longer than the 256 KiB buffer. */
static char *big_record(size_t *len)
{
	size_t cap = 16u << 20, n = 0;
	char *s = malloc(cap);
	assert_non_null(s);
	n += (size_t)snprintf(s + n, cap - n, "dn: CN=dup,DC=first,DC=example\nobjectClass: user\n"
	                                      "sAMAccountName: big\n");
	for (int i = 0; i < 200000; i++)
		n += (size_t)snprintf(s + n, cap - n, "servicePrincipalName: HTTP/host%06d.first.example\n", i);
	n += (size_t)snprintf(s + n, cap - n, "\ndn: CN=after,DC=first,DC=example\nobjectClass: user\n"
	                                      "sAMAccountName: after\nservicePrincipalName: HTTP/after\n");
	*len = n;
	return s;
}

static void check_big(const struct spn_model *m)
{
	const struct spn_account *a = account(m, "big");
	assert_int_equal(a->nspn, 200000);
	assert_string_equal(spn_at(m, a, 0), "HTTP/host000000.first.example");
	assert_string_equal(spn_at(m, a, 123456), "HTTP/host123456.first.example");
	assert_string_equal(spn_at(m, a, 199999), "HTTP/host199999.first.example");
	assert_string_equal(spn_at(m, account(m, "after"), 0), "HTTP/after");
}

static void test_big_record_mem(void **state)
{
	(void)state;
	size_t n;
	char *s = big_record(&n);
	assert_true(n > (4u << 20));
	struct spn_model *m = load_n(s, n, 0);
	check_big(m);
	spn_model_free(m);
	free(s);
}

/* ---- files ---- */

struct tmp {
	char dir[64];
	char path[8][128];
	int n;
};

static char *tmp_write(struct tmp *t, const char *name, const char *text, size_t n)
{
	assert_true(t->n < 8);
	int i = t->n++;
	char *p = t->path[i];
	memcpy(p, t->dir, sizeof(t->dir));
	strcat(p, "/");
	strcat(p, name);
	FILE *f = fopen(p, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
	return p;
}

static int tmp_setup(void **state)
{
	struct tmp *t = calloc(1, sizeof(*t));
	if (!t)
		return -1;
	const char *base = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	snprintf(t->dir, sizeof(t->dir), "%s/test_ldif.XXXXXX", base);
	if (!mkdtemp(t->dir))
		return -1;
	*state = t;
	return 0;
}

static int tmp_teardown(void **state)
{
	struct tmp *t = *state;
	for (int i = 0; i < t->n; i++)
		unlink(t->path[i]);
	rmdir(t->dir);
	free(t);
	return 0;
}

static void test_file(void **state)
{
	struct tmp *t = *state;
	struct spn_err err;
	const char *p = tmp_write(t, "exch.ldif", exch_lf, strlen(exch_lf));
	struct spn_model *m = spn_model_new(0);
	spn_err_init(&err);
	assert_int_equal(spn_ldif_read_file(m, p, &err), SPN_OK);
	assert_int_equal(spn_model_finish(m, &err), SPN_OK);
	check_exch(m, p);
	spn_model_free(m);

	/* Two files, one per domain, into one model. */
	size_t n;
	char *big = big_record(&n);
	const char *pb = tmp_write(t, "big.ldif", big, n);
	free(big);
	m = spn_model_new(0);
	assert_int_equal(spn_ldif_read_file(m, p, &err), SPN_OK);
	assert_int_equal(spn_ldif_read_file(m, pb, &err), SPN_OK);
	assert_int_equal(spn_model_finish(m, &err), SPN_OK);
	assert_int_equal(spn_model_nsources(m), 2);
	assert_int_equal(spn_model_source(m, 1)->entries, 2);
	check_big(m);
	spn_model_free(m);

	/* Errors name the file. */
	const char *bad = "dn: CN=a,DC=x\nservicePrincipalName:: ***\n";
	const char *pe = tmp_write(t, "bad.ldif", bad, strlen(bad));
	m = spn_model_new(0);
	assert_int_equal(spn_ldif_read_file(m, pe, &err), SPN_INPUT);
	char want[256];
	snprintf(want, sizeof(want), "%s:2: base64 value of 'servicePrincipalName' is truncated in 'CN=a,DC=x'", pe);
	assert_string_equal(err.msg, want);
	spn_model_free(m);
}

static void test_file_io_errors(void **state)
{
	struct tmp *t = *state;
	struct spn_err err;
	char path[160], want[256];
	snprintf(path, sizeof(path), "%s/missing.ldif", t->dir);
	struct spn_model *m = spn_model_new(0);
	spn_err_init(&err);
	assert_int_equal(spn_ldif_read_file(m, path, &err), SPN_IO);
	snprintf(want, sizeof(want), "cannot open '%s': No such file or directory", path);
	assert_string_equal(err.msg, want);
	assert_int_equal(spn_model_nsources(m), 0);
	spn_model_free(m);

	m = spn_model_new(0);
	spn_err_init(&err);
	assert_int_equal(spn_ldif_read_file(m, t->dir, &err), SPN_IO);
	snprintf(want, sizeof(want), "cannot read '%s': Is a directory", t->dir);
	assert_string_equal(err.msg, want);
	spn_model_free(m);
}

/* Files that are no LDIF say what they are (ldif_sniff.c); comments, even
 * folded ones with commas, and folded lines do not make LDIF look like CSV. */
static void test_not_ldif(void **state)
{
	(void)state;
#define GET " export with ldifde -f FILE (Windows) or ldapsearch -LLL (Linux)"
	expect_error("#TYPE Selected.Microsoft.ActiveDirectory.Management.ADUser\r\n\"Name\",\"SPN\"\r\n",
	             "t.ldif:1: this looks like CSV from Export-Csv, not LDIF;" GET);
	expect_error("\"DistinguishedName\",\"servicePrincipalName\"\n\"CN=a,DC=x\",\"HTTP/a:80\"\n",
	             "t.ldif:1: this looks like CSV (Export-Csv or csvde), not LDIF;" GET);
	expect_error("DN,objectClass,servicePrincipalName\n",
	             "t.ldif:1: this looks like CSV (csvde or Export-Csv), not LDIF;" GET);
	expect_error("\n[\n  {\"dn\": \"CN=a\"}\n]\n",
	             "t.ldif:1: this looks like JSON (ConvertTo-Json, or spnctl -o json?), not LDIF;" GET);
	expect_error("{\"complete\": true}\n",
	             "t.ldif:1: this looks like JSON (ConvertTo-Json, or spnctl -o json?), not LDIF;" GET);
	expect_error("<!DOCTYPE html>\n",
	             "t.ldif:1: this looks like HTML or XML (Export-Clixml, or a saved page?), not LDIF;" GET);
	expect_error("Registered ServicePrincipalNames for CN=a,DC=x:\n\tHOST/a\n",
	             "t.ldif:1: this is what setspn -L prints, not an export;" GET);
	expect_error("Checking domain DC=x\nCN=a,DC=x\n",
	             "t.ldif:1: this is what setspn -Q or -X prints, not an export;" GET);
	expect_error("ldap_search_ext: No such object (32)\n",
	             "t.ldif:1: this is an error message of ldapsearch, not an export: the search did "
	             "not run; run it again and read what it says");
	expect_error_n("\x1f\x8b\x08\x00", 4, SPN_INPUT,
	               "t.ldif:1: this is gzip-compressed, not LDIF; uncompress it first (zcat FILE > "
	               "FILE.ldif)");
	expect_error_n("d\0n\0:\0 \0", 8, SPN_INPUT,
	               "t.ldif:1: file is UTF-16 (ldifde -u?); convert it to UTF-8 first (iconv -f "
	               "UTF-16 -t UTF-8)");
	expect_error("# search result\nsearch: 2\nresult: 32 No such object\n",
	             "t.ldif:3: the search failed ('result: 32 No such object') and exported nothing; "
	             "run it again with the right base (-b) and filter");
#undef GET
	/* LDIF that starts oddly but is LDIF. */
	struct spn_model *m = load("# exported by a script, with, commas\n and a folded comment, too\n"
	                           "version: 1\n\ndn: CN=a,DC=x\nobjectClass: user\n"
	                           "sAMAccountName: a\n\n# search result\nsearch: 2\n"
	                           "result: 4 Size limit exceeded\n");
	assert_non_null(account(m, "a"));
	assert_false(spn_model_complete(m));   /* entries, then a failed trailer: a gap */
	spn_model_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_basic),
		cmocka_unit_test(test_crlf_and_bom),
		cmocka_unit_test(test_folded),
		cmocka_unit_test(test_base64),
		cmocka_unit_test(test_values_and_names),
		cmocka_unit_test(test_attr_names),
		cmocka_unit_test(test_ranges),
		cmocka_unit_test(test_ldapsearch_trailers),
		cmocka_unit_test(test_changetype_add),
		cmocka_unit_test(test_empty_inputs),
		cmocka_unit_test(test_unterminated),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_nul_and_utf16),
		cmocka_unit_test(test_not_ldif),
		cmocka_unit_test(test_where),
		cmocka_unit_test(test_ceilings),
		cmocka_unit_test(test_buffer_sizes),
		cmocka_unit_test(test_big_record_mem),
		cmocka_unit_test_setup_teardown(test_file, tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_file_io_errors, tmp_setup, tmp_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
