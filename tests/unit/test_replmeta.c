/* test_replmeta.c - replPropertyMetaData read by hand (spn/replmeta.h): a
 * blob as a real Samba DC served it over LDAP (servicePrincipalName of an
 * account written on dc2, version 2), blobs built here with both time
 * units (FILETIME and DSTIME seconds), and every way the bytes can lie -
 * cut anywhere, a count past the end, trailing bytes, another version -
 * each a clean SPN_INPUT; GUID text both ways. In the model: DCs from
 * nTDSDSA entries, an account's stamp from its entry, the later write
 * winning, a malformed blob naming the entry; and both surviving a
 * snapshot and a parallel read. */
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
#include "spn/replmeta.h"
#include "spn/report.h"
#include "spn/source.h"
#include "source/ldif_int.h"

/* ---- Building blobs ---- */

struct bytes {
	unsigned char b[1024];
	size_t n;
};

static void put32(struct bytes *x, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		x->b[x->n++] = (unsigned char)(v >> 8 * i);
}

static void put64(struct bytes *x, uint64_t v)
{
	put32(x, (uint32_t)v);
	put32(x, (uint32_t)(v >> 32));
}

static void header(struct bytes *x, uint32_t version, uint32_t count)
{
	x->n = 0;
	put32(x, version);
	put32(x, 0);
	put32(x, count);
	put32(x, 0);
}

static void entry(struct bytes *x, uint32_t attid, uint32_t version, uint64_t when,
                  unsigned char fill, uint64_t ousn, uint64_t lusn)
{
	put32(x, attid);
	put32(x, version);
	put64(x, when);
	memset(x->b + x->n, fill, 16);
	x->n += 16;
	put64(x, ousn);
	put64(x, lusn);
}

/* ---- Real bytes ---- */

#include "replmeta_samba.h"

static void samba_blob(void **state)
{
	(void)state;
	struct spn_err err;
	size_t count;
	spn_err_init(&err);
	assert_int_equal(spn_replmeta_count(samba_replmeta, sizeof(samba_replmeta), &count, &err),
	                 SPN_OK);
	assert_int_equal(count, SAMBA_REPLMETA_COUNT);
	struct spn_stamp s;
	bool found;
	assert_int_equal(spn_replmeta_find(samba_replmeta, sizeof(samba_replmeta),
	                                   SPN_ATTID_SERVICEPRINCIPALNAME, &s, &found, &err), SPN_OK);
	assert_true(found);
	assert_int_equal(s.version, SAMBA_SPN_VERSION);
	assert_true(s.when == SAMBA_SPN_WHEN);
	char g[SPN_GUID_TEXT];
	spn_guid_text(s.invocation, g);
	assert_string_equal(g, SAMBA_SPN_INVOCATION);
	assert_true(s.orig_usn == SAMBA_SPN_OUSN);
	assert_true(s.local_usn == SAMBA_SPN_LUSN);
	/* Every entry of a real blob: attids seen in any AD object, versions >= 1. */
	for (size_t i = 0; i < count; i++) {
		spn_replmeta_get(samba_replmeta, i, &s);
		assert_true(s.version >= 1);
		assert_true(s.when > (int64_t)130000000000000000);   /* after 2012 */
	}
}

/* ---- Built blobs ---- */

static void both_time_units(void **state)
{
	(void)state;
	struct bytes x;
	struct spn_err err;
	struct spn_stamp s;
	bool found;
	spn_err_init(&err);
	header(&x, 1, 3);
	entry(&x, 0x00000000, 1, 133500000000000000ULL, 0x11, 10, 10);
	entry(&x, SPN_ATTID_SERVICEPRINCIPALNAME, 7, 133500000000000000ULL, 0x22, 40, 41);
	entry(&x, 0x00090092, 2, 13350000000ULL, 0x33, 50, 51);   /* seconds (DSTIME) */
	assert_int_equal(spn_replmeta_find(x.b, x.n, SPN_ATTID_SERVICEPRINCIPALNAME, &s, &found,
	                                   &err), SPN_OK);
	assert_true(found);
	assert_int_equal(s.version, 7);
	assert_true(s.when == 133500000000000000LL);
	assert_int_equal(s.invocation[0], 0x22);
	assert_true(s.orig_usn == 40 && s.local_usn == 41);
	assert_int_equal(spn_replmeta_find(x.b, x.n, 0x00090092, &s, &found, &err), SPN_OK);
	assert_true(found);
	assert_true(s.when == 133500000000000000LL);   /* seconds made 100 ns */
	assert_int_equal(spn_replmeta_find(x.b, x.n, 0x12345678, &s, &found, &err), SPN_OK);
	assert_false(found);
	header(&x, 1, 0);
	assert_int_equal(spn_replmeta_find(x.b, x.n, 1, &s, &found, &err), SPN_OK);
	assert_false(found);
	/* Seconds no FILETIME can hold (fuzz_replmeta found the overflow):
	 * saturated, never undefined. */
	header(&x, 1, 1);
	entry(&x, SPN_ATTID_SERVICEPRINCIPALNAME, 1, 1086070837693ULL, 0x44, 1, 1);
	assert_int_equal(spn_replmeta_find(x.b, x.n, SPN_ATTID_SERVICEPRINCIPALNAME, &s, &found,
	                                   &err), SPN_OK);
	assert_true(found && s.when == INT64_MAX);
}

static void lies(void **state)
{
	(void)state;
	struct bytes x;
	struct spn_err err;
	size_t count;
	header(&x, 1, 2);
	entry(&x, 1, 1, 133500000000000000ULL, 0, 1, 1);
	entry(&x, 2, 1, 133500000000000000ULL, 0, 1, 1);
	/* Cut anywhere: refused, never read past n (ASan watches). */
	for (size_t cut = 0; cut < x.n; cut++) {
		unsigned char *p = malloc(cut ? cut : 1);
		memcpy(p, x.b, cut);
		spn_err_init(&err);
		assert_int_equal(spn_replmeta_count(p, cut, &count, &err), SPN_INPUT);
		assert_true(err.msg[0] != '\0');
		assert_int_equal(count, 0);
		free(p);
	}
	/* A count past the end, or huge. */
	spn_err_init(&err);
	x.b[8] = 3;
	assert_int_equal(spn_replmeta_count(x.b, x.n, &count, &err), SPN_INPUT);
	assert_non_null(strstr(err.msg, "3 attributes"));
	memset(x.b + 8, 0xff, 4);
	assert_int_equal(spn_replmeta_count(x.b, x.n, &count, &err), SPN_INPUT);
	/* Trailing bytes. */
	header(&x, 1, 1);
	entry(&x, 1, 1, 1, 0, 1, 1);
	x.b[x.n++] = 0;
	spn_err_init(&err);
	assert_int_equal(spn_replmeta_count(x.b, x.n, &count, &err), SPN_INPUT);
	assert_non_null(strstr(err.msg, "1 bytes after 1 attributes"));
	/* Another version. */
	header(&x, 2, 0);
	spn_err_init(&err);
	assert_int_equal(spn_replmeta_count(x.b, x.n, &count, &err), SPN_INPUT);
	assert_non_null(strstr(err.msg, "version 2"));
}

static void guid_text(void **state)
{
	(void)state;
	unsigned char g[16], back[16];
	for (int i = 0; i < 16; i++)
		g[i] = (unsigned char)(i * 17 + 1);
	char t[SPN_GUID_TEXT];
	spn_guid_text(g, t);
	assert_string_equal(t, "34231201-5645-7867-899a-abbccddeef00");
	assert_true(spn_guid_parse(t, 36, back));
	assert_memory_equal(g, back, 16);
	assert_true(spn_guid_parse("34231201-5645-7867-899A-ABBCCDDEEF00", 36, back));
	assert_memory_equal(g, back, 16);
	assert_false(spn_guid_parse(t, 35, back));
	assert_false(spn_guid_parse("34231201x5645-7867-899a-abbccddeef00", 36, back));
	assert_false(spn_guid_parse("3423120g-5645-7867-899a-abbccddeef00", 36, back));
}

/* ---- In the model ---- */

static const unsigned char inv1[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
static const unsigned char inv2[16] = {0xaa, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};

static void add_raw(struct spn_model *m, const char *dn, const char *cls, enum spn_attr a,
                    const void *p, size_t n)
{
	struct spn_entry e;
	struct spn_err err;
	spn_entry_init(&e);
	spn_err_init(&err);
	e.dn = (struct spn_slice){dn, strlen(dn)};
	e.where = "test:1";
	spn_entry_add(&e, SPN_A_OBJECTCLASS, cls, strlen(cls));
	if (strcmp(cls, "user") == 0)
		spn_entry_add(&e, SPN_A_SERVICEPRINCIPALNAME, "HTTP/web", 8);
	spn_entry_add(&e, a, p, n);
	if (spn_model_add_entry(m, 0, &e, &err))
		fail_msg("add_raw(%s): %s", dn, err.msg);
	spn_entry_release(&e);
}

static struct spn_model *provenance_model(void)
{
	struct spn_model *m = tb_new(0);
	add_raw(m, "CN=NTDS Settings,CN=DC1,CN=Servers,CN=Default-First-Site-Name,CN=Sites,"
	        "CN=Configuration,DC=corp,DC=example", "nTDSDSA", SPN_A_INVOCATIONID, inv1, 16);
	add_raw(m, "CN=NTDS Settings,CN=DC2,CN=Servers,CN=Default-First-Site-Name,CN=Sites,"
	        "CN=Configuration,DC=corp,DC=example", "nTDSDSA", SPN_A_INVOCATIONID, inv2, 16);
	struct bytes x;
	header(&x, 1, 2);
	entry(&x, 0x00000000, 1, 133000000000000000ULL, 0x11, 10, 10);
	entry(&x, SPN_ATTID_SERVICEPRINCIPALNAME, 7, 134000000000000000ULL, 0, 40, 41);
	memcpy(x.b + 16 + 48 + 16, inv2, 16);
	add_raw(m, "CN=svc,CN=Users,DC=corp,DC=example", "user", SPN_A_REPLMETA, x.b, x.n);
	tb_add(m, "CN=other,CN=Users,DC=corp,DC=example", "objectClass=user",
	       "servicePrincipalName=HTTP/other", NULL);
	tb_finish(m);
	return m;
}

static void check_provenance(const struct spn_model *m)
{
	assert_int_equal(spn_model_ndsas(m), 2);
	assert_string_equal(spn_model_dsa(m, 0)->name, "DC1");
	assert_string_equal(spn_model_dsa_find(m, inv2)->name, "DC2");
	unsigned char none[16] = {0};
	assert_null(spn_model_dsa_find(m, none));
	const struct spn_stamp *s = spn_model_spn_stamp(m, 0);
	assert_non_null(s);
	assert_int_equal(s->version, 7);
	assert_true(s->when == 134000000000000000LL);
	assert_memory_equal(s->invocation, inv2, 16);
	assert_true(s->orig_usn == 40 && s->local_usn == 41);
	assert_null(spn_model_spn_stamp(m, 1));
}

static void in_model(void **state)
{
	(void)state;
	struct spn_model *m = provenance_model();
	check_provenance(m);
	/* A later read: an older stamp does not replace it, a newer does. */
	struct spn_stamp s = *spn_model_spn_stamp(m, 0);
	struct spn_err err;
	spn_err_init(&err);
	s.version = 6;
	s.when += 1000;
	assert_int_equal(spn_model_set_spn_stamp(m, 0, &s, &err), SPN_OK);
	assert_int_equal(spn_model_spn_stamp(m, 0)->version, 7);
	s.version = 7;
	memcpy(s.invocation, inv1, 16);   /* same version, later time: newer */
	assert_int_equal(spn_model_set_spn_stamp(m, 0, &s, &err), SPN_OK);
	assert_memory_equal(spn_model_spn_stamp(m, 0)->invocation, inv1, 16);
	assert_int_equal(spn_model_set_spn_stamp(m, 1, &s, &err), SPN_OK);
	assert_non_null(spn_model_spn_stamp(m, 1));
	assert_int_equal(spn_model_set_spn_stamp(m, 9, &s, &err), SPN_BUG);
	const char *other = "cn=OTHER,cn=users,dc=corp,dc=example", *nobody = "CN=nobody,DC=corp,DC=example";
	assert_int_equal(spn_model_find_dn(m, other, strlen(other)), 1);
	assert_int_equal(spn_model_find_dn(m, other, strlen(other) - 1), SPN_NONE);
	assert_int_equal(spn_model_find_dn(m, nobody, strlen(nobody)), SPN_NONE);
	spn_model_free(m);
}

static void malformed_in_entry(void **state)
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
	spn_entry_add(&e, SPN_A_REPLMETA, "\1\0\0\0", 4);
	assert_int_equal(spn_model_add_entry(m, 0, &e, &err), SPN_INPUT);
	assert_non_null(strstr(err.msg, "x.ldif:3"));
	assert_non_null(strstr(err.msg, "CN=x,DC=corp,DC=example"));
	assert_non_null(strstr(err.msg, "replPropertyMetaData"));
	spn_entry_release(&e);
	spn_model_free(m);
}

static void snapshot_round_trip(void **state)
{
	(void)state;
	struct spn_model *m = provenance_model();
	char *buf = NULL;
	size_t n;
	FILE *f = open_memstream(&buf, &n);
	assert_non_null(f);
	assert_int_equal(spn_report_snapshot(f, m, 1795000000), SPN_OK);
	fclose(f);
	assert_non_null(strstr(buf, "objectClass: nTDSDSA\n"));
	assert_non_null(strstr(buf, "replPropertyMetaData:: AQAAAAAAAAABAAAA"));
	for (int pass = 0; pass < 3; pass++) {
		struct spn_model *r = spn_model_new(0);
		struct spn_err err;
		spn_err_init(&err);
		enum spn_rc rc;
		if (pass < 2) {
			struct spn_ldif_limits lim;
			spn_ldif_limits_default(&lim);
			lim.general_only = pass == 1;
			rc = spn_ldif_read_mem_limits(r, "snap.ldif", buf, n, &lim, &err);
		} else {   /* the parallel reader's part models, merged */
			char path[] = "/tmp/spnctl-replmeta-XXXXXX";
			int fd = mkstemp(path);
			assert_true(fd >= 0);
			FILE *w = fdopen(fd, "w");
			fwrite(buf, 1, n, w);
			fclose(w);
			rc = spn_ldif_read_file_threads(r, path, 4, &err);
			unlink(path);
		}
		if (rc != SPN_OK)
			fail_msg("re-read %d: %s", pass, err.msg);
		assert_int_equal(spn_model_finish(r, &err), SPN_OK);
		check_provenance(r);
		spn_model_free(r);
	}
	free(buf);
	spn_model_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(samba_blob),
		cmocka_unit_test(both_time_units),
		cmocka_unit_test(lies),
		cmocka_unit_test(guid_text),
		cmocka_unit_test(in_model),
		cmocka_unit_test(malformed_in_entry),
		cmocka_unit_test(snapshot_round_trip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
