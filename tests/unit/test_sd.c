/* test_sd.c - the security descriptor reader (spn/sd.h): descriptors as AD
 * writes msDS-AllowedToActOnBehalfOfOtherIdentity, object ACEs, deny ACEs,
 * ACE types it skips, no DACL; and every way the bytes can lie (cut short
 * anywhere, sizes and offsets past the end, bad revisions, too many
 * sub-authorities) - each a clean SPN_INPUT; SID text and well-known names.
 * Also: the descriptor and msDS-KeyVersionNumber survive a snapshot. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "builder.h"
#include "spn/report.h"
#include "spn/sd.h"
#include "spn/source.h"
#include "source/ldif_int.h"

/* ---- Building descriptors ---- */

struct bytes {
	unsigned char b[4096];
	size_t n;
};

static void put8(struct bytes *x, unsigned v)
{
	x->b[x->n++] = (unsigned char)v;
}

static void put16(struct bytes *x, unsigned v)
{
	put8(x, v & 0xff);
	put8(x, v >> 8);
}

static void put32(struct bytes *x, uint32_t v)
{
	put16(x, v & 0xffff);
	put16(x, v >> 16);
}

static void set16(struct bytes *x, size_t at, unsigned v)
{
	x->b[at] = (unsigned char)(v & 0xff);
	x->b[at + 1] = (unsigned char)(v >> 8);
}

static void set32(struct bytes *x, size_t at, uint32_t v)
{
	set16(x, at, v & 0xffff);
	set16(x, at + 2, v >> 16);
}

/* S-1-<auth>-<subs...> */
static void put_sid(struct bytes *x, uint64_t auth, size_t n, const uint32_t *subs)
{
	put8(x, 1);
	put8(x, (unsigned)n);
	for (int i = 5; i >= 0; i--)
		put8(x, (unsigned)(auth >> (8 * i)) & 0xff);
	for (size_t i = 0; i < n; i++)
		put32(x, subs[i]);
}

static void put_domain_sid(struct bytes *x, uint32_t rid)
{
	uint32_t subs[] = {21, 1111, 2222, 3333, rid};
	put_sid(x, 5, 5, subs);
}

/* An ACE of type with mask for the domain SID of rid; object: flags and GUIDs. */
static void put_ace(struct bytes *x, unsigned type, uint32_t mask, uint32_t rid, uint32_t oflags)
{
	size_t start = x->n;
	put8(x, type);
	put8(x, 0x02);   /* CONTAINER_INHERIT */
	put16(x, 0);     /* size, set below */
	put32(x, mask);
	if (type == 5 || type == 6) {
		put32(x, oflags);
		for (int g = 0; g < ((oflags & 1) != 0) + ((oflags & 2) != 0); g++)
			for (int i = 0; i < 16; i++)
				put8(x, 0xa0 + (unsigned)i);
	}
	put_domain_sid(x, rid);
	set16(x, start + 2, (unsigned)(x->n - start));
}

/* Header with owner (rid 512) and a DACL of the ACEs add() writes. */
static size_t begin_sd(struct bytes *x, unsigned control)
{
	x->n = 0;
	put8(x, 1);
	put8(x, 0);
	put16(x, control);
	put32(x, 0);  /* owner */
	put32(x, 0);  /* group */
	put32(x, 0);  /* sacl */
	put32(x, 0);  /* dacl */
	set32(x, 4, (uint32_t)x->n);
	put_domain_sid(x, 512);
	set32(x, 16, (uint32_t)x->n);
	size_t acl = x->n;
	put8(x, 2);
	put8(x, 0);
	put16(x, 0);   /* size */
	put16(x, 0);   /* count */
	put16(x, 0);
	return acl;
}

static void end_sd(struct bytes *x, size_t acl, unsigned count)
{
	set16(x, acl + 2, (unsigned)(x->n - acl));
	set16(x, acl + 4, count);
}

/* What AD writes for RBCD: O:BAD:(A;;CCDCLCSWRPWPDTLOCRSDRCWDWO;;;<front end>). */
static void rbcd_sd(struct bytes *x, uint32_t rid)
{
	size_t acl = begin_sd(x, 0x8004);
	put_ace(x, 0, 0x000f01ff, rid, 0);
	end_sd(x, acl, 1);
}

static enum spn_rc parse(const struct bytes *x, size_t n, struct spn_sd *sd, struct spn_err *err)
{
	spn_err_init(err);
	return spn_sd_parse(x->b, n, sd, err);
}

/* ---- Good descriptors ---- */

static void test_rbcd(void **state)
{
	(void)state;
	struct bytes x;
	struct spn_sd sd;
	struct spn_err err;
	char text[SPN_SID_TEXT_MAX];
	uint32_t rid;
	rbcd_sd(&x, 1105);
	assert_int_equal(parse(&x, x.n, &sd, &err), SPN_OK);
	assert_true(sd.has_owner && sd.has_dacl);
	assert_int_equal(sd.nace, 1);
	assert_int_equal(sd.nace_total, 1);
	assert_int_equal(sd.aces[0].kind, SPN_ACE_ALLOW);
	assert_int_equal(sd.aces[0].mask, 0x000f01ff);
	assert_false(sd.aces[0].object);
	spn_sid_text(&sd.aces[0].sid, text, sizeof(text));
	assert_string_equal(text, "S-1-5-21-1111-2222-3333-1105");
	assert_true(spn_sid_domain_rid(&sd.aces[0].sid, &rid));
	assert_int_equal(rid, 1105);
	spn_sid_text(&sd.owner, text, sizeof(text));
	assert_string_equal(text, "S-1-5-21-1111-2222-3333-512");
}

static void test_object_deny_and_skipped(void **state)
{
	(void)state;
	struct bytes x;
	struct spn_sd sd;
	struct spn_err err;
	size_t acl = begin_sd(&x, 0x8004);
	put_ace(&x, 5, 0x100, 1201, 3);       /* object allow, both GUIDs */
	put_ace(&x, 6, 0x100, 1202, 1);       /* object deny, one GUID */
	put_ace(&x, 1, 0x10, 1203, 0);        /* deny */
	put_ace(&x, 2, 0x10, 1204, 0);        /* system audit: skipped */
	put_ace(&x, 0, 0x10, 1205, 0);
	end_sd(&x, acl, 5);
	assert_int_equal(parse(&x, x.n, &sd, &err), SPN_OK);
	assert_int_equal(sd.nace_total, 5);
	assert_int_equal(sd.nace, 4);
	uint32_t rid;
	assert_true(sd.aces[0].object && sd.aces[0].kind == SPN_ACE_ALLOW);
	assert_true(spn_sid_domain_rid(&sd.aces[0].sid, &rid) && rid == 1201);
	assert_true(sd.aces[1].object && sd.aces[1].kind == SPN_ACE_DENY);
	assert_true(spn_sid_domain_rid(&sd.aces[1].sid, &rid) && rid == 1202);
	assert_true(!sd.aces[2].object && sd.aces[2].kind == SPN_ACE_DENY);
	assert_true(spn_sid_domain_rid(&sd.aces[3].sid, &rid) && rid == 1205);
}

static void test_no_dacl(void **state)
{
	(void)state;
	struct bytes x;
	struct spn_sd sd;
	struct spn_err err;
	rbcd_sd(&x, 1105);
	set16(&x, 2, 0x8000);   /* DACL_PRESENT clear */
	assert_int_equal(parse(&x, x.n, &sd, &err), SPN_OK);
	assert_false(sd.has_dacl);
	assert_int_equal(sd.nace, 0);
	rbcd_sd(&x, 1105);
	set32(&x, 16, 0);       /* present, but offset 0 */
	assert_int_equal(parse(&x, x.n, &sd, &err), SPN_OK);
	assert_false(sd.has_dacl);
}

static void test_many_aces(void **state)
{
	(void)state;
	struct bytes x;
	struct spn_sd sd;
	struct spn_err err;
	size_t acl = begin_sd(&x, 0x8004);
	for (uint32_t i = 0; i < SPN_SD_MAX_ACES + 5; i++) {
		size_t start = x.n;
		put8(&x, 0);
		put8(&x, 0);
		put16(&x, 0);
		put32(&x, 1);
		uint32_t sub = 11;
		put_sid(&x, 5, 1, &sub);
		set16(&x, start + 2, (unsigned)(x.n - start));
	}
	end_sd(&x, acl, SPN_SD_MAX_ACES + 5);
	assert_int_equal(parse(&x, x.n, &sd, &err), SPN_OK);
	assert_int_equal(sd.nace, SPN_SD_MAX_ACES);
	assert_int_equal(sd.nace_total, SPN_SD_MAX_ACES + 5);
	assert_string_equal(spn_sid_well_known(&sd.aces[0].sid), "Authenticated Users");
}

/* ---- Lies ---- */

static void test_cut_anywhere(void **state)
{
	(void)state;
	struct bytes x;
	struct spn_sd sd;
	struct spn_err err;
	size_t acl = begin_sd(&x, 0x8004);
	put_ace(&x, 5, 0x100, 1201, 3);
	put_ace(&x, 0, 0x10, 1205, 0);
	end_sd(&x, acl, 2);
	for (size_t n = 0; n < x.n; n++) {
		assert_int_equal(parse(&x, n, &sd, &err), SPN_INPUT);
		assert_non_null(strstr(err.msg, "security descriptor"));
	}
	assert_int_equal(parse(&x, x.n, &sd, &err), SPN_OK);
	assert_int_equal(spn_sd_parse(NULL, 0, &sd, &err), SPN_INPUT);
}

static void expect_input(const struct bytes *x, const char *words)
{
	struct spn_sd sd;
	struct spn_err err;
	assert_int_equal(parse(x, x->n, &sd, &err), SPN_INPUT);
	if (!strstr(err.msg, words))
		fail_msg("'%s' does not say '%s'", err.msg, words);
}

static void test_bad_fields(void **state)
{
	(void)state;
	struct bytes x;
	rbcd_sd(&x, 1105);
	x.b[0] = 2;
	expect_input(&x, "revision 2");
	rbcd_sd(&x, 1105);
	set16(&x, 2, 0x0004);
	expect_input(&x, "not self-relative");
	rbcd_sd(&x, 1105);
	set32(&x, 16, 0xfffffff0u);
	expect_input(&x, "outside");
	rbcd_sd(&x, 1105);
	set32(&x, 16, 8);
	expect_input(&x, "inside the header");
	rbcd_sd(&x, 1105);
	set32(&x, 4, 0xffffffffu);
	expect_input(&x, "owner");
	rbcd_sd(&x, 1105);
	size_t acl = 20 + 28;   /* header + owner SID (5 sub-authorities) */
	x.b[acl] = 3;
	expect_input(&x, "DACL revision 3");
	rbcd_sd(&x, 1105);
	set16(&x, acl + 2, 0xffff);
	expect_input(&x, "claims 65535 bytes");
	rbcd_sd(&x, 1105);
	set16(&x, acl + 4, 2);   /* two ACEs, one present */
	expect_input(&x, "ACE 2 of 2");
	rbcd_sd(&x, 1105);
	set16(&x, acl + 8 + 2, 200);   /* the ACE claims more than its DACL */
	expect_input(&x, "ACE 1 at byte");
	rbcd_sd(&x, 1105);
	set16(&x, acl + 8 + 2, 3);     /* shorter than an ACE header */
	expect_input(&x, "ACE 1 at byte");
	rbcd_sd(&x, 1105);
	x.b[acl + 8 + 8 + 1] = 16;     /* the ACE's SID: 16 sub-authorities */
	expect_input(&x, "no valid SID");
	rbcd_sd(&x, 1105);
	set16(&x, acl + 8 + 2, 6);     /* an allow ACE too short for its mask */
	expect_input(&x, "too short for its access mask");
}

static void test_object_ace_short(void **state)
{
	(void)state;
	struct bytes x;
	size_t acl = begin_sd(&x, 0x8004);
	size_t start = x.n;
	put8(&x, 5);
	put8(&x, 0);
	put16(&x, 0);
	put32(&x, 0x100);
	put32(&x, 3);        /* two GUIDs announced, none there */
	set16(&x, start + 2, (unsigned)(x.n - start));
	end_sd(&x, acl, 1);
	expect_input(&x, "object types");
	acl = begin_sd(&x, 0x8004);
	start = x.n;
	put8(&x, 6);
	put8(&x, 0);
	put16(&x, 0);
	put32(&x, 0x100);    /* no flags */
	set16(&x, start + 2, (unsigned)(x.n - start));
	end_sd(&x, acl, 1);
	expect_input(&x, "flags");
}

/* ---- SIDs ---- */

static void test_sid_text(void **state)
{
	(void)state;
	struct bytes x = {.n = 0};
	struct spn_sid sid;
	size_t used;
	char text[SPN_SID_TEXT_MAX];
	uint32_t subs[15];
	for (int i = 0; i < 15; i++)
		subs[i] = 4294967295u;
	put_sid(&x, 0xffffffffffffULL, 15, subs);
	assert_true(spn_sid_read(x.b, x.n, &sid, &used));
	assert_int_equal(used, x.n);
	size_t len = spn_sid_text(&sid, text, sizeof(text));
	assert_true(len < sizeof(text));
	assert_true(strncmp(text, "S-1-0xFFFFFFFFFFFF-4294967295-", 30) == 0);
	char small[8];
	assert_int_equal(spn_sid_text(&sid, small, sizeof(small)), len);  /* as snprintf */
	assert_int_equal(strlen(small), 7);
	assert_false(spn_sid_read(x.b, x.n - 1, &sid, &used));
	uint32_t rid;
	assert_false(spn_sid_domain_rid(&sid, &rid));
	x.n = 0;
	uint32_t ev = 0;
	put_sid(&x, 1, 1, &ev);
	assert_true(spn_sid_read(x.b, x.n, &sid, &used));
	assert_string_equal(spn_sid_well_known(&sid), "Everyone");
	assert_false(spn_sid_domain_rid(&sid, &rid));
	spn_sid_text(&sid, text, sizeof(text));
	assert_string_equal(text, "S-1-1-0");
	x.n = 0;
	uint32_t admins[] = {32, 544};
	put_sid(&x, 5, 2, admins);
	assert_true(spn_sid_read(x.b, x.n, &sid, &used));
	assert_string_equal(spn_sid_well_known(&sid), "BUILTIN\\Administrators");
	x.n = 0;
	put_domain_sid(&x, 1105);
	assert_true(spn_sid_read(x.b, x.n, &sid, &used));
	assert_null(spn_sid_well_known(&sid));
}

/* ---- In the model and a snapshot ---- */

static void test_snapshot_round_trip(void **state)
{
	(void)state;
	struct bytes x;
	rbcd_sd(&x, 1105);
	struct spn_model *m = tb_new(0);
	struct spn_entry e;
	struct spn_err err;
	const char *dn = "CN=WEB01,CN=Computers,DC=corp,DC=example";
	spn_entry_init(&e);
	spn_err_init(&err);
	e.dn = (struct spn_slice){dn, strlen(dn)};
	e.where = "test:1";
	spn_entry_add(&e, SPN_A_OBJECTCLASS, "computer", 8);
	spn_entry_add(&e, SPN_A_SAMACCOUNTNAME, "WEB01$", 6);
	spn_entry_add(&e, SPN_A_SERVICEPRINCIPALNAME, "HTTP/web01.corp.example", 23);
	spn_entry_add(&e, SPN_A_KEYVERSION, "7", 1);
	spn_entry_add(&e, SPN_A_ALLOWEDTOACT, (const char *)x.b, x.n);
	assert_int_equal(spn_model_add_entry(m, 0, &e, &err), SPN_OK);
	spn_entry_release(&e);
	tb_add(m, "CN=svc,CN=Users,DC=corp,DC=example", "objectClass=user", "sAMAccountName=svc",
	       "servicePrincipalName=HTTP/svc", NULL);
	tb_finish(m);
	const struct spn_account *a = spn_model_account(m, 0);
	assert_true(a->has & SPN_HAS_KVNO);
	assert_int_equal(a->kvno, 7);
	assert_int_equal(a->allowed_to_act_len, x.n);
	assert_memory_equal(a->allowed_to_act, x.b, x.n);
	assert_false(spn_model_account(m, 1)->has & SPN_HAS_KVNO);
	assert_null(spn_model_account(m, 1)->allowed_to_act);

	char *buf = NULL;
	size_t n;
	FILE *f = open_memstream(&buf, &n);
	assert_non_null(f);
	assert_int_equal(spn_report_snapshot(f, m, 1795000000), SPN_OK);
	fclose(f);
	assert_non_null(strstr(buf, "msDS-KeyVersionNumber: 7\n"));
	assert_non_null(strstr(buf, "msDS-AllowedToActOnBehalfOfOtherIdentity:: AQAEgBQAAAAA"));
	/* Read back by both line parsers: the fast path and the general one
	 * (with a small buffer that refills mid-line). */
	for (int pass = 0; pass < 2; pass++) {
		struct spn_model *r = spn_model_new(0);
		struct spn_ldif_limits lim;
		spn_ldif_limits_default(&lim);
		if (pass == 1) {
			lim.general_only = true;
			lim.buf_size = 16;
		}
		spn_err_init(&err);
		enum spn_rc rc = spn_ldif_read_mem_limits(r, "snap.ldif", buf, n, &lim, &err);
		if (rc != SPN_OK)
			fail_msg("re-read: %s", err.msg);
		assert_int_equal(spn_model_finish(r, &err), SPN_OK);
		const struct spn_account *b = spn_model_account(r, 0);
		assert_true(b->has & SPN_HAS_KVNO);
		assert_int_equal(b->kvno, 7);
		assert_int_equal(b->allowed_to_act_len, x.n);
		assert_memory_equal(b->allowed_to_act, x.b, x.n);
		spn_model_free(r);
	}
	free(buf);
	spn_model_free(m);
}

static void test_bad_kvno(void **state)
{
	(void)state;
	struct spn_model *m = tb_new(0);
	struct spn_entry e;
	struct spn_err err;
	const char *dn = "CN=x,DC=corp,DC=example";
	spn_entry_init(&e);
	spn_err_init(&err);
	e.dn = (struct spn_slice){dn, strlen(dn)};
	e.where = "x.ldif:3";
	spn_entry_add(&e, SPN_A_OBJECTCLASS, "user", 4);
	spn_entry_add(&e, SPN_A_SERVICEPRINCIPALNAME, "HTTP/x", 6);
	spn_entry_add(&e, SPN_A_KEYVERSION, "-1", 2);
	assert_int_equal(spn_model_add_entry(m, 0, &e, &err), SPN_INPUT);
	assert_non_null(strstr(err.msg, "x.ldif:3"));
	assert_non_null(strstr(err.msg, "msDS-KeyVersionNumber -1"));
	spn_entry_release(&e);
	spn_model_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rbcd),
		cmocka_unit_test(test_object_deny_and_skipped),
		cmocka_unit_test(test_no_dacl),
		cmocka_unit_test(test_many_aces),
		cmocka_unit_test(test_cut_anywhere),
		cmocka_unit_test(test_bad_fields),
		cmocka_unit_test(test_object_ace_short),
		cmocka_unit_test(test_sid_text),
		cmocka_unit_test(test_snapshot_round_trip),
		cmocka_unit_test(test_bad_kvno),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
