/*
 * keytab.c - open a probed ticket with a keytab as the service would, and
 * say exactly why it does not open: no key under the ticket's name, another
 * key version, another encryption type, or a key that does not decrypt it
 * (KRB_AP_ERR_MODIFIED). Also: the host's default keytab and whether this
 * process can read it.
 *
 * Every key of the ticket's encryption type is tried (krb5_c_decrypt of the
 * ticket's enc-part, key usage 2), as krb5_server_decrypt_ticket_keytab and
 * GSSAPI acceptors without a fixed name do; the key stored under the
 * ticket's own name and kvno is what an acceptor looking its name up uses.
 */
#include <stdlib.h>
#include <string.h>

#include "krb_int.h"

void spn_keytab_check_init(struct spn_keytab_check *k)
{
	memset(k, 0, sizeof(*k));
	spn_arena_init(&k->arena);
}

void spn_keytab_check_release(struct spn_keytab_check *k)
{
	spn_arena_release(&k->arena);
	memset(k, 0, sizeof(*k));
}

const char *spn_keytab_status_name(enum spn_keytab_status s)
{
	switch (s) {
	case SPN_KEYTAB_OPENED: return "opened";
	case SPN_KEYTAB_OPENED_OTHER: return "opened-other";
	case SPN_KEYTAB_NO_NAME: return "no-name";
	case SPN_KEYTAB_OTHER_KVNO: return "other-kvno";
	case SPN_KEYTAB_NO_ENCTYPE: return "no-enctype";
	case SPN_KEYTAB_WRONG_KEY: return "wrong-key";
	}
	return "unknown";
}

/* The keys as read, growing; moved into the arena at the end. */
struct keys {
	struct spn_keytab_key *v;
	bool *same_name;        /* key i is stored under the ticket's name */
	size_t n, cap;
};

static bool keys_add(struct keys *ks, struct spn_keytab_key key, bool same_name)
{
	if (ks->n == ks->cap) {
		size_t cap = ks->cap ? ks->cap * 2 : 16;
		struct spn_keytab_key *v = realloc(ks->v, cap * sizeof(*v));
		if (v)
			ks->v = v;
		bool *s = v ? realloc(ks->same_name, cap * sizeof(*s)) : NULL;
		if (s)
			ks->same_name = s;
		if (!v || !s)
			return false;
		ks->cap = cap;
	}
	ks->same_name[ks->n] = same_name;
	ks->v[ks->n++] = key;
	return true;
}

/* A keytab written with 8-bit key versions holds only the low byte (as
 * MIT's file keytab compares them). */
static bool kvno_matches(uint32_t key, uint32_t ticket)
{
	return key == ticket || (key < 256 && ticket > 255 && key == (ticket & 0xff));
}

static bool opens(krb5_context ctx, const krb5_keyblock *key, krb5_ticket *t)
{
	krb5_data plain;
	plain.length = t->enc_part.ciphertext.length;
	plain.data = malloc(plain.length ? plain.length : 1);
	if (!plain.data)
		return false;
	krb5_error_code ret = krb5_c_decrypt(ctx, key, KRB5_KEYUSAGE_KDC_REP_TICKET, NULL,
	                                     &t->enc_part, &plain);
	memset(plain.data, 0, t->enc_part.ciphertext.length);
	free(plain.data);
	return ret == 0;
}

/* Read every key of kt; try those of the ticket's type. */
static krb5_error_code read_keys(krb5_context ctx, krb5_keytab kt, krb5_ticket *t,
                                 struct spn_arena *a, struct keys *ks, bool *nomem)
{
	krb5_kt_cursor cur;
	krb5_keytab_entry e;
	krb5_error_code ret = krb5_kt_start_seq_get(ctx, kt, &cur);
	if (ret)
		return ret;
	while ((ret = krb5_kt_next_entry(ctx, kt, &e, &cur)) == 0) {
		char *name = NULL;
		struct spn_keytab_key key = {NULL, e.vno, e.key.enctype, false};
		if (krb5_unparse_name(ctx, e.principal, &name) == 0) {
			key.principal = spn_krb_dup(a, name, nomem);
			krb5_free_unparsed_name(ctx, name);
		}
		if (e.key.enctype == t->enc_part.enctype)
			key.opens = opens(ctx, &e.key, t);
		bool same = krb5_principal_compare(ctx, e.principal, t->server);
		krb5_free_keytab_entry_contents(ctx, &e);
		if (!keys_add(ks, key, same))
			*nomem = true;
		if (*nomem)
			break;
	}
	krb5_kt_end_seq_get(ctx, kt, &cur);
	return ret == KRB5_KT_END ? 0 : ret;
}

/* Status and the key that opens the ticket, preferring the exact key. */
static enum spn_keytab_status judge(const struct keys *ks, const struct spn_probe_result *p,
                                    const struct spn_keytab_key **by)
{
	bool name = false, kvno = false, type = false;
	*by = NULL;
	for (size_t i = 0; i < ks->n; i++) {
		const struct spn_keytab_key *k = &ks->v[i];
		bool exact = ks->same_name[i] && kvno_matches(k->kvno, p->kvno);
		if (k->opens && (exact || !*by))
			*by = k;
		if (k->opens && exact)
			return SPN_KEYTAB_OPENED;
		name |= ks->same_name[i];
		kvno |= exact;
		type |= exact && k->enctype == p->enctype;
	}
	if (*by)
		return SPN_KEYTAB_OPENED_OTHER;
	if (!name)
		return SPN_KEYTAB_NO_NAME;
	if (!kvno)
		return SPN_KEYTAB_OTHER_KVNO;
	if (!type)
		return SPN_KEYTAB_NO_ENCTYPE;
	return SPN_KEYTAB_WRONG_KEY;
}

/* "DC1$@CONTOSO.TEST (kvno 1: aes256-cts-hmac-sha1-96, rc4-hmac), ..." for
 * the keys selected by same (-1 all, 0 other names, 1 the ticket's name);
 * "" when none is. */
static const char *holdings(struct spn_arena *a, const struct keys *ks, int same, bool *nomem)
{
	const char *out = "";
	const char *prev_name = NULL;
	uint32_t prev_kvno = 0;
	for (size_t i = 0; i < ks->n; i++) {
		const struct spn_keytab_key *k = &ks->v[i];
		if (same >= 0 && ks->same_name[i] != (same == 1))
			continue;
		const char *et = spn_krb_enctype(a, k->enctype, nomem);
		const char *pname = k->principal ? k->principal : "?";
		if (prev_name && strcmp(prev_name, pname) == 0 && prev_kvno == k->kvno)
			out = spn_krb_fmt(a, "%.*s, %s)", (int)strlen(out) - 1, out, et);
		else
			out = spn_krb_fmt(a, "%s%s%s (kvno %u: %s)", out, *out ? ", " : "", pname,
			                  (unsigned)k->kvno, et);
		if (!out) {
			*nomem = true;
			return "";
		}
		prev_name = pname;
		prev_kvno = k->kvno;
	}
	return out;
}

static const char *summary(struct spn_keytab_check *k, const struct keys *ks,
                           const struct spn_probe_result *p, bool *nomem)
{
	struct spn_arena *a = &k->arena;
	const char *et = spn_krb_enctype(a, p->enctype, nomem);
	const char *s = NULL;
	switch (k->status) {
	case SPN_KEYTAB_OPENED:
		s = spn_krb_fmt(a, "the keytab's key for %s (kvno %u, %s) opens the ticket", p->server,
		                (unsigned)p->kvno, et);
		break;
	case SPN_KEYTAB_OPENED_OTHER:
		s = spn_krb_fmt(a, "the ticket for %s (kvno %u, %s) opens with the key of %s (kvno %u), "
		                "stored under another name or kvno: an acceptor that tries every key "
		                "accepts it, one that looks up %s kvno %u does not", p->server,
		                (unsigned)p->kvno, et, k->opened_by->principal ? k->opened_by->principal : "?",
		                (unsigned)k->opened_by->kvno, p->server, (unsigned)p->kvno);
		break;
	case SPN_KEYTAB_NO_NAME:
		s = spn_krb_fmt(a, "the KDC encrypted this ticket for %s (kvno %u, %s); this keytab "
		                "holds %s%s", p->server, (unsigned)p->kvno, et,
		                ks->n ? "keys of " : "no keys", ks->n ? holdings(a, ks, -1, nomem) : "");
		if (s && ks->n)
			s = spn_krb_fmt(a, "%s, none of which opens it", s);
		break;
	case SPN_KEYTAB_OTHER_KVNO:
		s = spn_krb_fmt(a, "the KDC encrypted this ticket for %s with kvno %u (%s); this keytab "
		                "holds %s, none of which opens it (KRB_AP_ERR_BADKEYVER): the "
		                "password changed after the keytab was made, or the name now belongs "
		                "to another account", p->server, (unsigned)p->kvno, et,
		                holdings(a, ks, 1, nomem));
		break;
	case SPN_KEYTAB_NO_ENCTYPE:
		s = spn_krb_fmt(a, "the KDC encrypted this ticket for %s (kvno %u) with %s; this keytab "
		                "holds %s", p->server, (unsigned)p->kvno, et, holdings(a, ks, 1, nomem));
		break;
	case SPN_KEYTAB_WRONG_KEY:
		s = spn_krb_fmt(a, "the keytab's key for %s (kvno %u, %s) does not decrypt the ticket "
		                "(KRB_AP_ERR_MODIFIED): the key belongs to another account or to an "
		                "old password", p->server, (unsigned)p->kvno, et);
		break;
	}
	if (!s)
		*nomem = true;
	return s;
}

/* Keys and status into k; the keys move into k's arena. */
static enum spn_rc finish(struct spn_keytab_check *k, struct keys *ks,
                          const struct spn_probe_result *p, bool *nomem)
{
	const struct spn_keytab_key *by;
	k->status = judge(ks, p, &by);
	if (ks->n) {
		k->keys = spn_arena_alloc(&k->arena, ks->n * sizeof(*k->keys));
		if (!k->keys) {
			*nomem = true;
			return SPN_NOMEM;
		}
		memcpy(k->keys, ks->v, ks->n * sizeof(*k->keys));
		k->nkeys = ks->n;
		k->opened_by = by ? k->keys + (by - ks->v) : NULL;
	}
	k->summary = summary(k, ks, p, nomem);
	return *nomem ? SPN_NOMEM : SPN_OK;
}

static enum spn_rc kt_error(krb5_context ctx, krb5_error_code ret, const char *name,
                            struct spn_err *err)
{
	const char *m = krb5_get_error_message(ctx, ret);
	enum spn_rc rc = ret == KRB5_KT_FORMAT || ret == KRB5_KT_BADNAME ||
	                 ret == KRB5_KT_UNKNOWN_TYPE ? SPN_INPUT : SPN_IO;
	spn_err_set(err, rc, "keytab '%s': %s", name, m ? m : "cannot be read");
	krb5_free_error_message(ctx, m);
	return rc;
}

enum spn_rc spn_probe_open(const struct spn_probe_result *probe, const char *keytab,
                           struct spn_keytab_check *k, struct spn_err *err)
{
	if (probe->status != SPN_PROBE_ISSUED || !probe->ticket || !probe->server)
		return spn_err_set(err, SPN_USAGE, "no ticket to open: the KDC issued none for %s",
		                   probe->principal ? probe->principal : probe->spn);
	krb5_context ctx;
	if (krb5_init_context(&ctx))
		return spn_err_set(err, SPN_IO, "cannot initialise Kerberos (krb5.conf?)");
	krb5_keytab kt = NULL;
	krb5_ticket *t = NULL;
	struct keys ks = {0};
	bool nomem = false;
	char name[1024] = "";
	enum spn_rc rc = SPN_OK;
	krb5_data der = {0, (unsigned)probe->ticket_len, (char *)probe->ticket};
	krb5_error_code ret = keytab ? krb5_kt_resolve(ctx, keytab, &kt) : krb5_kt_default(ctx, &kt);
	if (!ret)
		ret = krb5_kt_get_name(ctx, kt, name, sizeof(name));
	if (ret) {
		rc = kt_error(ctx, ret, keytab ? keytab : "(default)", err);
	} else if (krb5_decode_ticket(&der, &t)) {
		rc = spn_err_set(err, SPN_INPUT, "the ticket for %s cannot be decoded", probe->principal);
	} else {
		k->keytab = spn_krb_dup(&k->arena, name, &nomem);
		ret = read_keys(ctx, kt, t, &k->arena, &ks, &nomem);
		if (ret)
			rc = kt_error(ctx, ret, name, err);
		else if (!nomem)
			rc = finish(k, &ks, probe, &nomem);
	}
	free(ks.v);
	free(ks.same_name);
	krb5_free_ticket(ctx, t);
	if (kt)
		krb5_kt_close(ctx, kt);
	krb5_free_context(ctx);
	if (nomem)
		return spn_err_set(err, SPN_NOMEM, "out of memory reading keytab '%s'", name);
	return rc;
}

enum spn_rc spn_probe_default_keytab(char *name, size_t size, bool *readable,
                                     struct spn_err *err)
{
	krb5_context ctx;
	*readable = false;
	if (size)
		name[0] = '\0';
	if (krb5_init_context(&ctx))
		return spn_err_set(err, SPN_IO, "cannot initialise Kerberos (krb5.conf?)");
	enum spn_rc rc = SPN_OK;
	krb5_keytab kt = NULL;
	krb5_kt_cursor cur;
	if (size > INT32_MAX || krb5_kt_default_name(ctx, name, (int)size)) {
		rc = spn_err_set(err, SPN_USAGE, "the default keytab's name does not fit %zu bytes", size);
	} else if (krb5_kt_resolve(ctx, name, &kt) == 0 && krb5_kt_start_seq_get(ctx, kt, &cur) == 0) {
		*readable = true;
		krb5_kt_end_seq_get(ctx, kt, &cur);
	}
	if (kt)
		krb5_kt_close(ctx, kt);
	krb5_free_context(ctx);
	return rc;
}
