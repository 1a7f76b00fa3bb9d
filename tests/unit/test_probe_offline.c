/* test_probe_offline.c - spn/probe.h up to where a KDC would answer, and
 * spn_probe_open() without one.
 *
 * spn_probe(): a name that cannot be sent, a missing cache, a cache with
 * only a service ticket, one whose TGT has expired - each a status (or
 * SPN_USAGE) before any packet is sent, and the caller's cache untouched.
 *
 * spn_probe_open(): tickets made here (DER written by hand, enc-part
 * encrypted with krb5_c_encrypt under a key of our choosing) against keytab
 * files written with krb5_kt_add_entry. Every status: opened (the exact key
 * preferred over others that open it), opened by a key under another name
 * or kvno, no key of the name, other kvno, no key of the type, wrong key; an
 * 8-bit kvno; an empty keytab; and the refusals (no ticket, a malformed
 * ticket, a missing keytab). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <krb5.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "spn/probe.h"

#define REALM "CORP.EXAMPLE"
#define SERVER "HTTP/web.corp.example@" REALM
#define AES256 18
#define AES128 17
#define RC4 23

static krb5_context ctx;
static char dir[] = "/tmp/spnctl-test-keytab-XXXXXX";
static int nfiles;

/* ---- A ticket in DER (RFC 4120 5.3), small enough to write by hand ---- */

struct der {
	unsigned char b[4096];
	size_t n;
};

/* tag, length, then the bytes of inner */
static void tlv(struct der *out, unsigned char tag, const struct der *inner)
{
	out->b[out->n++] = tag;
	if (inner->n < 128) {
		out->b[out->n++] = (unsigned char)inner->n;
	} else {
		out->b[out->n++] = 0x82;
		out->b[out->n++] = (unsigned char)(inner->n >> 8);
		out->b[out->n++] = (unsigned char)inner->n;
	}
	memcpy(out->b + out->n, inner->b, inner->n);
	out->n += inner->n;
}

static void raw(struct der *out, unsigned char tag, const void *p, size_t n)
{
	struct der in = {.n = n};
	memcpy(in.b, p, n);
	tlv(out, tag, &in);
}

/* [ctx] INTEGER v (non-negative, minimal) */
static void integer(struct der *out, unsigned char ctx_tag, uint32_t v)
{
	unsigned char b[5];
	size_t n = 0;
	for (int shift = 24; shift >= 0; shift -= 8)
		if (n || (v >> shift) & 0xff || shift == 0)
			b[n++] = (unsigned char)(v >> shift);
	if (b[0] & 0x80) {
		memmove(b + 1, b, n++);
		b[0] = 0;
	}
	struct der i = {0};
	raw(&i, 0x02, b, n);
	tlv(out, ctx_tag, &i);
}

static void general_string(struct der *out, const char *s)
{
	raw(out, 0x1b, s, strlen(s));
}

/* Ticket for sname/shost@REALM: enc-part etype, kvno, cipher. */
static struct der ticket_der(const char *sname, const char *shost, int32_t etype, uint32_t kvno,
                             const krb5_data *cipher)
{
	struct der names = {0}, seq = {0}, name = {0}, pn = {0};
	general_string(&names, sname);
	general_string(&names, shost);
	tlv(&seq, 0x30, &names);
	integer(&pn, 0xa0, KRB5_NT_SRV_INST);
	tlv(&pn, 0xa1, &seq);
	tlv(&name, 0x30, &pn);

	struct der ed = {0}, edseq = {0}, c = {0};
	integer(&ed, 0xa0, (uint32_t)etype);
	integer(&ed, 0xa1, kvno);
	raw(&c, 0x04, cipher->data, cipher->length);
	tlv(&ed, 0xa2, &c);
	tlv(&edseq, 0x30, &ed);

	struct der body = {0}, realm = {0}, bodyseq = {0}, out = {0};
	integer(&body, 0xa0, 5);
	general_string(&realm, REALM);
	tlv(&body, 0xa1, &realm);
	tlv(&body, 0xa2, &name);
	tlv(&body, 0xa3, &edseq);
	tlv(&bodyseq, 0x30, &body);
	tlv(&out, 0x61, &bodyseq);
	return out;
}

/* ---- Keys, tickets and keytabs ---- */

static krb5_keyblock key_from(int32_t etype, const char *password)
{
	krb5_keyblock k;
	krb5_data pw = {0, (unsigned)strlen(password), (char *)password};
	krb5_data salt = {0, (unsigned)strlen(REALM "HTTPweb"), (char *)REALM "HTTPweb"};
	assert_int_equal(krb5_c_string_to_key(ctx, etype, &pw, &salt, &k), 0);
	return k;
}

/* A probe result holding a ticket for SERVER, kvno, encrypted with key. */
static void make_probe(struct spn_probe_result *r, const krb5_keyblock *key, uint32_t kvno)
{
	static const char plain_text[] = "an EncTicketPart stands here";
	krb5_data plain = {0, sizeof(plain_text), (char *)plain_text};
	size_t len;
	assert_int_equal(krb5_c_encrypt_length(ctx, key->enctype, plain.length, &len), 0);
	krb5_enc_data enc;
	memset(&enc, 0, sizeof(enc));
	enc.ciphertext.length = (unsigned)len;
	enc.ciphertext.data = malloc(len);
	assert_non_null(enc.ciphertext.data);
	assert_int_equal(krb5_c_encrypt(ctx, key, KRB5_KEYUSAGE_KDC_REP_TICKET, NULL, &plain, &enc), 0);
	struct der d = ticket_der("HTTP", "web.corp.example", key->enctype, kvno, &enc.ciphertext);
	free(enc.ciphertext.data);

	spn_probe_result_init(r);
	unsigned char *t = spn_arena_alloc(&r->arena, d.n);
	assert_non_null(t);
	memcpy(t, d.b, d.n);
	r->spn = "HTTP/web.corp.example";
	r->principal = r->server = SERVER;
	r->status = SPN_PROBE_ISSUED;
	r->enctype = key->enctype;
	r->kvno = kvno;
	r->ticket = t;
	r->ticket_len = d.n;
}

struct entry {
	const char *principal;
	uint32_t kvno;
	const krb5_keyblock *key;
};

/* A keytab file with these entries; returns its name ("FILE:..."). */
static const char *keytab(const struct entry *e, size_t n, char *name, size_t size)
{
	snprintf(name, size, "FILE:%s/%d.keytab", dir, nfiles++);
	char wr[600];
	snprintf(wr, sizeof(wr), "WR%s", name);
	krb5_keytab kt;
	assert_int_equal(krb5_kt_resolve(ctx, wr, &kt), 0);
	for (size_t i = 0; i < n; i++) {
		krb5_keytab_entry ke;
		memset(&ke, 0, sizeof(ke));
		assert_int_equal(krb5_parse_name(ctx, e[i].principal, &ke.principal), 0);
		ke.vno = e[i].kvno;
		ke.key = *e[i].key;
		assert_int_equal(krb5_kt_add_entry(ctx, kt, &ke), 0);
		krb5_free_principal(ctx, ke.principal);
	}
	krb5_kt_close(ctx, kt);
	return name;
}

static void open_with(const struct spn_probe_result *r, const char *kt, struct spn_keytab_check *k)
{
	struct spn_err err;
	spn_err_init(&err);
	spn_keytab_check_init(k);
	assert_int_equal(spn_probe_open(r, kt, k, &err), SPN_OK);
	assert_non_null(k->summary);
	assert_null(strchr(k->summary, '\n'));
}

static krb5_keyblock k_aes, k_aes_old, k_aes128, k_rc4, k_other;

static int setup(void **state)
{
	(void)state;
	assert_non_null(mkdtemp(dir));
	assert_int_equal(krb5_init_context(&ctx), 0);
	k_aes = key_from(AES256, "Current.Passw0rd");
	k_aes_old = key_from(AES256, "Old.Passw0rd");
	k_aes128 = key_from(AES128, "Current.Passw0rd");
	k_rc4 = key_from(RC4, "Current.Passw0rd");
	k_other = key_from(AES256, "Another.Account");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	for (int i = 0; i < nfiles; i++) {
		char path[600];
		snprintf(path, sizeof(path), "%s/%d.keytab", dir, i);
		unlink(path);
	}
	rmdir(dir);
	krb5_free_keyblock_contents(ctx, &k_aes);
	krb5_free_keyblock_contents(ctx, &k_aes_old);
	krb5_free_keyblock_contents(ctx, &k_aes128);
	krb5_free_keyblock_contents(ctx, &k_rc4);
	krb5_free_keyblock_contents(ctx, &k_other);
	krb5_free_context(ctx);
	return 0;
}

/* Open a ticket for SERVER (kvno, encrypted with key) with a keytab of the
 * entries e; the status must be want. */
static void check(const krb5_keyblock *key, uint32_t kvno, const struct entry *e, size_t n,
                  enum spn_keytab_status want, struct spn_keytab_check *k)
{
	struct spn_probe_result r;
	char name[600];
	make_probe(&r, key, kvno);
	open_with(&r, keytab(e, n, name, sizeof(name)), k);
	spn_probe_result_release(&r);
	assert_string_equal(k->keytab, name);
	assert_int_equal(k->nkeys, n);
	assert_int_equal(k->status, want);
}

static void test_opened(void **state)
{
	(void)state;
	struct spn_keytab_check k;
	/* The old key and the RC4 key do not open it; the exact key does. */
	struct entry e[] = {{SERVER, 4, &k_aes_old}, {SERVER, 5, &k_rc4}, {SERVER, 5, &k_aes}};
	check(&k_aes, 5, e, 3, SPN_KEYTAB_OPENED, &k);
	assert_ptr_equal(k.opened_by, &k.keys[2]);
	assert_false(k.keys[0].opens);
	assert_false(k.keys[1].opens);
	assert_true(k.keys[2].opens);
	assert_string_equal(k.keys[1].principal, SERVER);
	assert_int_equal(k.keys[1].kvno, 5);
	assert_int_equal(k.keys[1].enctype, RC4);
	assert_string_equal(k.summary, "the keytab's key for " SERVER " (kvno 5, "
	                    "aes256-cts-hmac-sha1-96) opens the ticket");
	spn_keytab_check_release(&k);
	/* The same key also under another name, first: the exact one still wins. */
	struct entry e2[] = {{"WEB$@" REALM, 5, &k_aes}, {SERVER, 5, &k_aes}};
	check(&k_aes, 5, e2, 2, SPN_KEYTAB_OPENED, &k);
	assert_ptr_equal(k.opened_by, &k.keys[1]);
	assert_true(k.keys[0].opens);
	spn_keytab_check_release(&k);
}

static void test_opened_other(void **state)
{
	(void)state;
	struct spn_keytab_check k;
	struct entry by_name[] = {{"WEB$@" REALM, 5, &k_aes}};
	check(&k_aes, 5, by_name, 1, SPN_KEYTAB_OPENED_OTHER, &k);
	assert_ptr_equal(k.opened_by, &k.keys[0]);
	assert_non_null(strstr(k.summary, "opens with the key of WEB$@" REALM " (kvno 5)"));
	spn_keytab_check_release(&k);
	struct entry by_kvno[] = {{SERVER, 4, &k_aes}};
	check(&k_aes, 5, by_kvno, 1, SPN_KEYTAB_OPENED_OTHER, &k);
	spn_keytab_check_release(&k);
}

static void test_no_name(void **state)
{
	(void)state;
	struct spn_keytab_check k;
	struct entry e[] = {{"DC1$@" REALM, 2, &k_other}, {"DC1$@" REALM, 2, &k_rc4},
	                    {"host/dc1@" REALM, 2, &k_other}};
	check(&k_aes, 5, e, 3, SPN_KEYTAB_NO_NAME, &k);
	assert_null(k.opened_by);
	assert_string_equal(k.summary, "the KDC encrypted this ticket for " SERVER " (kvno 5, "
	                    "aes256-cts-hmac-sha1-96); this keytab holds keys of DC1$@" REALM
	                    " (kvno 2: aes256-cts-hmac-sha1-96, rc4-hmac), host/dc1@" REALM
	                    " (kvno 2: aes256-cts-hmac-sha1-96), none of which opens it");
	spn_keytab_check_release(&k);
}

/* A keytab whose only entry was removed holds no keys. */
static void test_empty(void **state)
{
	(void)state;
	struct spn_probe_result r;
	struct spn_keytab_check k;
	char name[600], wr[600];
	struct entry one[] = {{SERVER, 5, &k_aes}};
	const char *kt = keytab(one, 1, name, sizeof(name));
	snprintf(wr, sizeof(wr), "WR%s", kt);
	krb5_keytab h;
	krb5_keytab_entry ke;
	memset(&ke, 0, sizeof(ke));
	assert_int_equal(krb5_kt_resolve(ctx, wr, &h), 0);
	assert_int_equal(krb5_parse_name(ctx, SERVER, &ke.principal), 0);
	ke.vno = 5;
	ke.key = k_aes;
	assert_int_equal(krb5_kt_remove_entry(ctx, h, &ke), 0);
	krb5_free_principal(ctx, ke.principal);
	krb5_kt_close(ctx, h);
	make_probe(&r, &k_aes, 5);
	open_with(&r, kt, &k);
	assert_int_equal(k.status, SPN_KEYTAB_NO_NAME);
	assert_int_equal(k.nkeys, 0);
	assert_non_null(strstr(k.summary, "this keytab holds no keys"));
	spn_keytab_check_release(&k);
	spn_probe_result_release(&r);
}

static void test_other_kvno(void **state)
{
	(void)state;
	struct spn_keytab_check k;
	struct entry e[] = {{SERVER, 4, &k_aes_old}, {SERVER, 4, &k_rc4}};
	check(&k_aes, 5, e, 2, SPN_KEYTAB_OTHER_KVNO, &k);
	assert_null(k.opened_by);
	assert_non_null(strstr(k.summary, "with kvno 5 (aes256-cts-hmac-sha1-96); this keytab holds "
	                       SERVER " (kvno 4: aes256-cts-hmac-sha1-96, rc4-hmac)"));
	assert_non_null(strstr(k.summary, "KRB_AP_ERR_BADKEYVER"));
	spn_keytab_check_release(&k);
}

static void test_no_enctype(void **state)
{
	(void)state;
	struct spn_keytab_check k;
	struct entry e[] = {{SERVER, 5, &k_aes128}, {SERVER, 5, &k_rc4}};
	check(&k_aes, 5, e, 2, SPN_KEYTAB_NO_ENCTYPE, &k);
	assert_string_equal(k.summary, "the KDC encrypted this ticket for " SERVER " (kvno 5) with "
	                    "aes256-cts-hmac-sha1-96; this keytab holds " SERVER
	                    " (kvno 5: aes128-cts-hmac-sha1-96, rc4-hmac)");
	spn_keytab_check_release(&k);
}

static void test_wrong_key(void **state)
{
	(void)state;
	struct spn_keytab_check k;
	struct entry e[] = {{SERVER, 5, &k_other}};
	check(&k_aes, 5, e, 1, SPN_KEYTAB_WRONG_KEY, &k);
	assert_null(k.opened_by);
	assert_false(k.keys[0].opens);
	assert_non_null(strstr(k.summary, "KRB_AP_ERR_MODIFIED"));
	spn_keytab_check_release(&k);
	/* A ticket kvno above 255 against a keytab that kept only its low byte. */
	struct entry low[] = {{SERVER, 5, &k_aes}};
	check(&k_aes, 261, low, 1, SPN_KEYTAB_OPENED, &k);
	spn_keytab_check_release(&k);
}

static void test_refusals(void **state)
{
	(void)state;
	struct spn_probe_result r;
	struct spn_keytab_check k;
	struct spn_err err;
	char name[600];
	struct entry e[] = {{SERVER, 5, &k_aes}};
	const char *kt = keytab(e, 1, name, sizeof(name));

	spn_probe_result_init(&r);
	r.spn = "HTTP/web";
	r.status = SPN_PROBE_UNKNOWN;
	spn_err_init(&err);
	spn_keytab_check_init(&k);
	assert_int_equal(spn_probe_open(&r, kt, &k, &err), SPN_USAGE);
	assert_non_null(strstr(err.msg, "no ticket"));
	spn_probe_result_release(&r);

	make_probe(&r, &k_aes, 5);
	spn_err_init(&err);
	assert_int_equal(spn_probe_open(&r, "FILE:/nonexistent/spnctl.keytab", &k, &err), SPN_IO);
	assert_non_null(strstr(err.msg, "/nonexistent/spnctl.keytab"));
	r.ticket_len = 7;   /* cut short */
	spn_err_init(&err);
	assert_int_equal(spn_probe_open(&r, kt, &k, &err), SPN_INPUT);
	spn_keytab_check_release(&k);
	spn_probe_result_release(&r);
}

/* ---- spn_probe() before the KDC ---- */

/* A MEMORY cache for Administrator holding one credential for server,
 * valid until endtime. */
static void cache_with(const char *name, const char *server, krb5_timestamp endtime)
{
	krb5_ccache cc;
	krb5_creds c;
	memset(&c, 0, sizeof(c));
	assert_int_equal(krb5_cc_resolve(ctx, name, &cc), 0);
	assert_int_equal(krb5_parse_name(ctx, "Administrator@" REALM, &c.client), 0);
	assert_int_equal(krb5_parse_name(ctx, server, &c.server), 0);
	assert_int_equal(krb5_cc_initialize(ctx, cc, c.client), 0);
	c.times.authtime = c.times.starttime = endtime - 36000;
	c.times.endtime = endtime;
	assert_int_equal(krb5_copy_keyblock_contents(ctx, &k_aes, &c.keyblock), 0);
	c.ticket.data = (char *)"not a ticket";
	c.ticket.length = 12;
	assert_int_equal(krb5_cc_store_cred(ctx, cc, &c), 0);
	c.ticket.data = NULL;
	c.ticket.length = 0;
	krb5_free_cred_contents(ctx, &c);
	krb5_cc_close(ctx, cc);
}

static void cache_destroy(const char *name)
{
	krb5_ccache cc;
	assert_int_equal(krb5_cc_resolve(ctx, name, &cc), 0);
	assert_int_equal(krb5_cc_destroy(ctx, cc), 0);
}

static void probe(const char *spn, const char *ccache, const char *realm,
                  enum spn_probe_status want, struct spn_probe_result *r)
{
	struct spn_probe_opts o = {realm, ccache, NULL};
	struct spn_err err;
	spn_err_init(&err);
	spn_probe_result_init(r);
	assert_int_equal(spn_probe(spn, &o, r, &err), SPN_OK);
	assert_int_equal(r->status, want);
	assert_false(spn_probe_asked(r->status));
	assert_string_equal(r->spn, spn);
	assert_non_null(r->message);
	assert_non_null(r->summary);
	assert_null(r->ticket);
	assert_null(r->server);
}

static void test_probe_no_tgt(void **state)
{
	(void)state;
	struct spn_probe_result r;
	char path[600];
	snprintf(path, sizeof(path), "FILE:%s/no-such-ccache", dir);
	probe("HTTP/web.corp.example", path, NULL, SPN_PROBE_NO_TGT, &r);
	assert_string_equal(r.code_name, "KRB5_FCC_NOFILE");
	assert_null(r.principal);            /* no realm to take from a cache */
	assert_non_null(strstr(r.summary, "run kinit"));
	spn_probe_result_release(&r);
	probe("HTTP/web.corp.example", path, "OTHER.EXAMPLE", SPN_PROBE_NO_TGT, &r);
	assert_string_equal(r.principal, "HTTP/web.corp.example@OTHER.EXAMPLE");
	spn_probe_result_release(&r);

	/* Only a service ticket in the cache: it is not used, and not a TGT. */
	krb5_timestamp later = (krb5_timestamp)time(NULL) + 3600;
	cache_with("MEMORY:spnctl-service-only", SERVER, later);
	probe("HTTP/web.corp.example", "MEMORY:spnctl-service-only", NULL, SPN_PROBE_NO_TGT, &r);
	assert_string_equal(r.client, "Administrator@" REALM);
	assert_string_equal(r.principal, SERVER);
	assert_string_equal(r.code_name, "KRB5_CC_NOTFOUND");
	assert_string_equal(r.message, "no ticket-granting ticket in the ticket cache "
	                    "MEMORY:spnctl-service-only");
	spn_probe_result_release(&r);
	cache_destroy("MEMORY:spnctl-service-only");

	/* A TGT that ended an hour ago. */
	cache_with("MEMORY:spnctl-expired", "krbtgt/" REALM "@" REALM, later - 7200);
	probe("HTTP/web.corp.example", "MEMORY:spnctl-expired", NULL, SPN_PROBE_NO_TGT, &r);
	assert_string_equal(r.code_name, "KRB_AP_ERR_TKT_EXPIRED");
	assert_non_null(strstr(r.message, "has expired"));
	spn_probe_result_release(&r);
	cache_destroy("MEMORY:spnctl-expired");
}

static void test_probe_refused_name(void **state)
{
	(void)state;
	struct spn_probe_result r;
	struct spn_err err;
	struct spn_probe_opts o = {NULL, "MEMORY:spnctl-never-opened", NULL};
	spn_err_init(&err);
	spn_probe_result_init(&r);
	assert_int_equal(spn_probe("HTTP/web@EVIL.EXAMPLE", &o, &r, &err), SPN_USAGE);
	assert_non_null(strstr(err.msg, "'@'"));
	assert_null(r.summary);
	spn_probe_result_release(&r);
	spn_err_init(&err);
	o.realm = "EVIL@X";
	spn_probe_result_init(&r);
	assert_int_equal(spn_probe("HTTP/web", &o, &r, &err), SPN_USAGE);
	spn_probe_result_release(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_opened),
		cmocka_unit_test(test_opened_other),
		cmocka_unit_test(test_no_name),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_other_kvno),
		cmocka_unit_test(test_no_enctype),
		cmocka_unit_test(test_wrong_key),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_probe_no_tgt),
		cmocka_unit_test(test_probe_refused_name),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
