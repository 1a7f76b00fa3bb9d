/*
 * probe.c - ask the real KDC for a service ticket for an SPN (MIT krb5, the
 * caller's ticket cache), as a Windows client would, and read what it
 * issued: the ticket's encryption type and key version, the session key's
 * type, and the name the KDC answered for.
 *
 * The request starts from a copy of the cache's ticket-granting tickets in a
 * MEMORY cache: a service ticket already in the caller's cache would
 * otherwise be returned without asking the KDC (and could be stale), and
 * nothing is ever written to the caller's cache (KRB5_GC_NO_STORE as well).
 * KRB5_GC_CANONICALIZE is set, as Windows clients set it, so referrals to
 * another realm are followed.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "krb_int.h"

void spn_probe_result_init(struct spn_probe_result *r)
{
	memset(r, 0, sizeof(*r));
	spn_arena_init(&r->arena);
}

void spn_probe_result_release(struct spn_probe_result *r)
{
	spn_arena_release(&r->arena);
	memset(r, 0, sizeof(*r));
}

/* The krb5 objects of one probe; req_free() frees whatever was obtained. */
struct req {
	krb5_context ctx;
	krb5_ccache cc;         /* the caller's cache */
	krb5_ccache mem;        /* its TGTs, and only them */
	krb5_principal client;
	krb5_principal server;
	krb5_creds *creds;
	krb5_ticket *ticket;
	const char *note;       /* our words for a failure, instead of krb5's */
	bool nomem;
	char kdc_conf[64];      /* the file of a one-KDC context (kdc.c), or "" */
};

static void req_free(struct req *q)
{
	if (!q->ctx)
		return;
	krb5_free_ticket(q->ctx, q->ticket);
	krb5_free_creds(q->ctx, q->creds);
	krb5_free_principal(q->ctx, q->server);
	krb5_free_principal(q->ctx, q->client);
	if (q->mem)
		krb5_cc_destroy(q->ctx, q->mem);
	if (q->cc)
		krb5_cc_close(q->ctx, q->cc);
	krb5_free_context(q->ctx);
	if (q->kdc_conf[0])
		unlink(q->kdc_conf);
}

static bool is_tgt(krb5_const_principal p)
{
	return p->length == 2 && p->data[0].length == 6 && memcmp(p->data[0].data, "krbtgt", 6) == 0;
}

/* Copy the TGTs of q->cc into a new MEMORY cache for q->client, with the
 * cache's configuration entries (start_realm, ...); no service ticket. */
static krb5_error_code copy_tgts(struct req *q, struct spn_arena *a)
{
	krb5_cc_cursor cur;
	krb5_creds c;
	size_t n = 0, live = 0;
	krb5_timestamp now = (krb5_timestamp)time(NULL);
	krb5_error_code ret = krb5_cc_new_unique(q->ctx, "MEMORY", NULL, &q->mem);
	if (!ret)
		ret = krb5_cc_initialize(q->ctx, q->mem, q->client);
	if (!ret)
		ret = krb5_cc_start_seq_get(q->ctx, q->cc, &cur);
	if (ret)
		return ret;
	while ((ret = krb5_cc_next_cred(q->ctx, q->cc, &cur, &c)) == 0) {
		bool config = krb5_is_config_principal(q->ctx, c.server);
		if (config || is_tgt(c.server))
			ret = krb5_cc_store_cred(q->ctx, q->mem, &c);
		if (!config && is_tgt(c.server)) {
			n++;
			live += (uint32_t)c.times.endtime > (uint32_t)now;  /* unsigned, as MIT's */
		}
		krb5_free_cred_contents(q->ctx, &c);
		if (ret)
			break;
	}
	krb5_cc_end_seq_get(q->ctx, q->cc, &cur);
	if (ret && ret != KRB5_CC_END)
		return ret;
	if (n == 0) {
		q->note = spn_krb_fmt(a, "no ticket-granting ticket in the ticket cache %s:%s",
		                      krb5_cc_get_type(q->ctx, q->cc), krb5_cc_get_name(q->ctx, q->cc));
		return KRB5_CC_NOTFOUND;
	}
	if (live == 0) {
		q->note = spn_krb_fmt(a, "the ticket-granting ticket in %s:%s has expired",
		                      krb5_cc_get_type(q->ctx, q->cc), krb5_cc_get_name(q->ctx, q->cc));
		return KRB5KRB_AP_ERR_TKT_EXPIRED;
	}
	return 0;
}

/* Open the cache, find its client and the realm to ask in, build the
 * server's name. */
static krb5_error_code prepare(struct req *q, const char *spn, const struct spn_probe_opts *o,
                               struct spn_probe_result *r, struct spn_err *err, enum spn_rc *rc)
{
	krb5_error_code ret;
	if (o->kdc) {   /* one KDC of the realm asked for (the cache's, unless given) */
		char realm[1024];
		struct spn_err ignore;
		spn_err_init(&ignore);
		if (o->realm)
			snprintf(realm, sizeof(realm), "%s", o->realm);
		else
			spn_probe_realm(o->ccache, realm, sizeof(realm), &ignore);
		ret = spn_krb_kdc_context(realm, o->kdc, &q->ctx, q->kdc_conf, sizeof(q->kdc_conf));
	} else {
		ret = krb5_init_context(&q->ctx);
	}
	if (ret) {
		q->ctx = NULL;
		return ret;
	}
	ret = o->ccache ? krb5_cc_resolve(q->ctx, o->ccache, &q->cc) : krb5_cc_default(q->ctx, &q->cc);
	if (!ret)
		ret = krb5_cc_get_principal(q->ctx, q->cc, &q->client);
	if (ret)
		return ret;
	char *name = NULL;
	if (krb5_unparse_name(q->ctx, q->client, &name) == 0) {
		r->client = spn_krb_dup(&r->arena, name, &q->nomem);
		krb5_free_unparsed_name(q->ctx, name);
	}
	char realm[1024], text[4096];
	if (o->realm)
		snprintf(realm, sizeof(realm), "%s", o->realm);
	else
		snprintf(realm, sizeof(realm), "%.*s", (int)q->client->realm.length,
		         q->client->realm.data);
	*rc = spn_probe_principal_text(spn, realm, text, sizeof(text), err);
	if (*rc != SPN_OK)
		return 0;
	r->principal = spn_krb_dup(&r->arena, text, &q->nomem);
	ret = krb5_parse_name(q->ctx, text, &q->server);
	if (ret)
		return ret;
	/* Windows sends SPNs as NT-SRV-INST (MS-KILE); a one-part name stays a user's. */
	if (q->server->length >= 2)
		q->server->type = KRB5_NT_SRV_INST;
	return copy_tgts(q, &r->arena);
}

static krb5_error_code ask(struct req *q, struct spn_probe_result *r)
{
	krb5_creds in;
	memset(&in, 0, sizeof(in));
	in.client = q->client;
	in.server = q->server;
	krb5_error_code ret = krb5_get_credentials(q->ctx, KRB5_GC_NO_STORE | KRB5_GC_CANONICALIZE,
	                                           q->mem, &in, &q->creds);
	if (ret)
		return ret;
	char *name = NULL;
	ret = krb5_unparse_name(q->ctx, q->creds->server, &name);
	if (ret)
		return ret;
	r->server = spn_krb_dup(&r->arena, name, &q->nomem);
	krb5_free_unparsed_name(q->ctx, name);
	ret = krb5_decode_ticket(&q->creds->ticket, &q->ticket);
	if (ret)
		return ret;
	r->enctype = q->ticket->enc_part.enctype;
	r->kvno = q->ticket->enc_part.kvno;
	r->session_enctype = q->creds->keyblock.enctype;
	size_t len = q->creds->ticket.length;
	unsigned char *t = spn_arena_alloc(&r->arena, len ? len : 1);
	if (!t) {
		q->nomem = true;
		return 0;
	}
	memcpy(t, q->creds->ticket.data, len);
	r->ticket = t;
	r->ticket_len = len;
	return 0;
}

/* Our words for an answer other than a ticket:
 * "LEAD PRINCIPAL (CODE_NAME: krb5's message); TAIL". */
static const struct {
	const char *lead, *tail;
} words[] = {
	[SPN_PROBE_UNKNOWN] = {"the KDC has no single account for",
	                       "no account of the realm holds the name, or two do"},
	[SPN_PROBE_NOT_UNIQUE] = {"the KDC found more than one account for", ""},
	[SPN_PROBE_NO_KEY] = {"the KDC has no usable key for",
	                      "no key of an encryption type both sides allow: the account never had "
	                      "a password set, has no AES keys, or allows only types this client "
	                      "does not"},
	[SPN_PROBE_REFUSED] = {"the KDC refused a ticket for", ""},
	[SPN_PROBE_NO_TGT] = {"could not ask for", "no usable ticket-granting ticket: run kinit"},
	[SPN_PROBE_UNREACHABLE] = {"could not ask for", "no KDC answered"},
	[SPN_PROBE_SKEW] = {"could not ask for", "this host's clock and the KDC's are too far apart"},
	[SPN_PROBE_FAILED] = {"could not ask for", ""},
};

/* One line in words for the result. */
static const char *summary(struct spn_probe_result *r, bool *nomem)
{
	struct spn_arena *a = &r->arena;
	const char *s;
	if (r->status == SPN_PROBE_ISSUED) {
		s = spn_krb_fmt(a, "the KDC issued a ticket for %s: %s, kvno %u (session key %s)",
		                r->server, spn_krb_enctype(a, r->enctype, nomem), (unsigned)r->kvno,
		                spn_krb_enctype(a, r->session_enctype, nomem));
	} else {
		const char *tail = words[r->status].tail;
		s = spn_krb_fmt(a, "%s %s (%s%s%s)%s%s", words[r->status].lead,
		                r->principal ? r->principal : r->spn, r->code_name ? r->code_name : "",
		                r->code_name ? ": " : "", r->message ? r->message : "?", *tail ? "; " : "", tail);
	}
	if (!s)
		*nomem = true;
	return s;
}

enum spn_rc spn_probe(const char *spn, const struct spn_probe_opts *opts,
                      struct spn_probe_result *r, struct spn_err *err)
{
	static const struct spn_probe_opts none;
	const struct spn_probe_opts *o = opts ? opts : &none;
	char text[4096];
	/* A name that cannot be sent is refused before anything is opened. */
	enum spn_rc rc = spn_probe_principal_text(spn, o->realm ? o->realm : "REALM", text,
	                                          sizeof(text), err);
	if (rc != SPN_OK)
		return rc;
	struct req q;
	memset(&q, 0, sizeof(q));
	r->spn = spn_krb_dup(&r->arena, spn, &q.nomem);
	if (o->realm)
		r->principal = spn_krb_dup(&r->arena, text, &q.nomem);
	krb5_error_code ret = prepare(&q, spn, o, r, err, &rc);
	if (!ret && rc == SPN_OK)
		ret = ask(&q, r);
	if (rc == SPN_OK) {
		r->code = ret;
		r->status = spn_probe_classify(ret);
		r->code_name = spn_krb5_code_name(ret);
		if (ret)
			r->message = q.note ? q.note : spn_krb_message(q.ctx, ret, &r->arena, &q.nomem);
		if (!q.nomem)
			r->summary = summary(r, &q.nomem);
	}
	req_free(&q);
	if (rc == SPN_OK && q.nomem)
		rc = spn_err_set(err, SPN_NOMEM, "out of memory probing '%.200s'", spn);
	return rc;
}

enum spn_rc spn_probe_realm(const char *ccache, char *buf, size_t size, struct spn_err *err)
{
	krb5_context ctx;
	krb5_ccache cc = NULL;
	krb5_principal client = NULL;
	if (size)
		buf[0] = '\0';
	if (krb5_init_context(&ctx))
		return spn_err_set(err, SPN_IO, "cannot initialise Kerberos (krb5.conf?)");
	krb5_error_code ret = ccache ? krb5_cc_resolve(ctx, ccache, &cc) : krb5_cc_default(ctx, &cc);
	if (!ret)
		ret = krb5_cc_get_principal(ctx, cc, &client);
	if (!ret && size) {
		snprintf(buf, size, "%.*s", (int)client->realm.length, client->realm.data);
	} else if (size) {
		char *def = NULL;
		if (krb5_get_default_realm(ctx, &def) == 0 && def)
			snprintf(buf, size, "%s", def);
		krb5_free_default_realm(ctx, def);
	}
	krb5_free_principal(ctx, client);
	if (cc)
		krb5_cc_close(ctx, cc);
	krb5_free_context(ctx);
	return SPN_OK;
}
