/*
 * conn.c - one connection to a directory server: libldap options, TLS
 * (ldaps:// or StartTLS, certificates verified), and the bind - SASL GSSAPI
 * with the current Kerberos ticket by default, or a simple bind.
 *
 * Choices, each for a reason:
 *  - Referrals off: libldap would chase them with an anonymous bind, which
 *    AD refuses; search.c reports them instead.
 *  - SASL host name used as given (LDAP_OPT_X_SASL_NOCANON), as Windows
 *    clients do: reverse DNS turns 127.0.0.1 into "localhost" and NAT'd or
 *    aliased DCs into names the KDC does not know. --canon asks for it.
 *  - GSSAPI on plain ldap:// insists on sign+seal (minssf=56): AD with LDAP
 *    signing required accepts nothing less. Over TLS no SASL layer at all
 *    (maxssf=0): AD refuses a SASL layer inside TLS.
 *  - TLS: libldap's defaults and ldap.conf (TLS_CACERT) apply; --cacert
 *    adds a trust anchor for this connection only. Certificate checking is
 *    read back once libldap has read ldap.conf, ~/.ldaprc, ./ldaprc in the
 *    current folder and LDAPTLS_REQCERT - any of which can lower it
 *    silently - and anything below "demand" is refused unless the user
 *    said --insecure-tls (which turns checking off, loudly).
 *  - Kerberos over TLS sets SASL channel binding (tls-endpoint, RFC 5929)
 *    where libldap offers it: DCs that enforce LDAP channel binding accept
 *    nothing else.
 *  - A simple bind with a password is refused on an unencrypted connection
 *    unless allow_cleartext: the password would cross the network in clear;
 *    to a server the user did not name (DNS SRV, a Global Catalog's
 *    entries) it goes only over TLS whose certificate was verified.
 *  - Bounded: every message is at most SPN_LDAP_MAX_INCOMING bytes (set on
 *    each socket as libldap opens it, before any bind), and every wait ends
 *    at the connection's deadline (--timeout) or after SPN_LDAP_IDLE_MAX of
 *    silence.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/time.h>
#include <time.h>

#include <sasl/sasl.h>

#include "ldap_int.h"

static int interact(LDAP *ld, unsigned flags, void *defaults, void *in)
{
	(void)ld; (void)flags; (void)defaults;
	/* GSSAPI asks at most for an authorization id: none (act as the
	 * ticket's principal). */
	for (sasl_interact_t *i = in; i->id != SASL_CB_LIST_END; i++) {
		const char *v = i->defresult ? i->defresult : "";
		i->result = v;
		i->len = (unsigned)strlen(v);
	}
	return LDAP_SUCCESS;
}

enum spn_rc spn_conn_check_cleartext(const struct spn_live_opts *o, bool tls, const char *uri,
                                     struct spn_err *err)
{
	if (o->bind != SPN_BIND_SIMPLE || !o->bind_dn || tls || o->allow_cleartext ||
	    strncasecmp(uri, "ldapi:", 6) == 0)
		return SPN_OK;
	return spn_err_set(err, SPN_USAGE,
	                   "%s: refusing to send the password of '%s' in clear text: use ldaps://, "
	                   "-Z (StartTLS) or Kerberos, or --allow-cleartext-password", uri, o->bind_dn);
}

enum spn_rc spn_conn_check_found(const struct spn_live_opts *o, bool found, bool tls,
                                 const char *uri, struct spn_err *err)
{
	if (!found || o->bind != SPN_BIND_SIMPLE || !o->bind_dn || (tls && !o->insecure_tls))
		return SPN_OK;
	return spn_err_set(err, SPN_USAGE,
	                   "%s: refusing to send the password of '%s' to a server found through DNS "
	                   "or another server without a verified TLS certificate: use ldaps:// or -Z "
	                   "with certificate checking, Kerberos, or name the server with -H", uri,
	                   o->bind_dn);
}

void spn_deadline_after(struct timespec *d, unsigned seconds)
{
	d->tv_sec = 0;
	d->tv_nsec = 0;
	if (seconds == 0)
		return;
	clock_gettime(CLOCK_MONOTONIC, d);
	d->tv_sec += seconds;
}

/* Microseconds left until c's deadline (INT64_MAX: no deadline). */
static int64_t left_us(const struct spn_conn *c)
{
	if (c->deadline.tv_sec == 0 && c->deadline.tv_nsec == 0)
		return INT64_MAX;
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (int64_t)(c->deadline.tv_sec - now.tv_sec) * 1000000 +
	       (c->deadline.tv_nsec - now.tv_nsec) / 1000;
}

bool spn_conn_expired(struct spn_conn *c)
{
	/* A wait cut to the deadline may end a hair early by another clock. */
	if (left_us(c) > 0 && !(c->timed_out && c->deadline_wait))
		return false;
	c->timed_out = true;
	return true;
}

bool spn_conn_wait(struct spn_conn *c, struct timeval *tv)
{
	int64_t us = left_us(c);
	tv->tv_sec = SPN_LDAP_IDLE_MAX;
	tv->tv_usec = 0;
	c->deadline_wait = us < (int64_t)SPN_LDAP_IDLE_MAX * 1000000;
	if (us <= 0) {
		c->timed_out = true;
		return false;
	}
	if (c->deadline_wait) {
		tv->tv_sec = (time_t)(us / 1000000);
		tv->tv_usec = (suseconds_t)(us % 1000000);
	}
	return true;
}

/* libldap's limit for synchronous operations (bind, StartTLS, modify):
 * what spn_conn_wait allows, at least a second. */
static void op_timeout(struct spn_conn *c)
{
	struct timeval tv;
	spn_conn_wait(c, &tv);
	if (tv.tv_sec == 0) {
		tv.tv_sec = 1;
		tv.tv_usec = 0;
	}
	ldap_set_option(c->ld, LDAP_OPT_TIMEOUT, &tv);
}

void spn_conn_restart_clock(struct spn_conn *c, const struct spn_live_opts *o)
{
	spn_deadline_after(&c->deadline, o->timeout);
	c->timed_out = false;
	if (c->ld)
		op_timeout(c);
}

/* Every socket libldap opens for this handle (the first connect, a
 * reconnect) gets the message size limit before anything is read: liblber
 * would otherwise allocate whatever length a message claims. */
static int limit_socket(LDAP *ld, Sockbuf *sb, LDAPURLDesc *srv, struct sockaddr *addr,
                        struct ldap_conncb *ctx)
{
	(void)ld; (void)srv; (void)addr; (void)ctx;
	ber_len_t max = SPN_LDAP_MAX_INCOMING;
	ber_sockbuf_ctrl(sb, LBER_SB_OPT_SET_MAX_INCOMING, &max);
	return 0;
}

static void socket_gone(LDAP *ld, Sockbuf *sb, struct ldap_conncb *ctx)
{
	(void)ld; (void)sb; (void)ctx;
}

static struct ldap_conncb limits_cb = {limit_socket, socket_gone, NULL};

static enum spn_rc set_opt(struct spn_conn *c, int opt, const void *v, const char *name,
                           struct spn_err *err)
{
	int rc = ldap_set_option(c->ld, opt, v);
	if (rc != LDAP_OPT_SUCCESS)
		return spn_ldap_fail(err, SPN_DIRECTORY, c->ld, rc, c->uri, "setting %s", name);
	return SPN_OK;
}

static enum spn_rc set_options(struct spn_conn *c, const struct spn_live_opts *o,
                               struct spn_err *err)
{
	int version = LDAP_VERSION3;
	struct timeval tv;
	/* Connecting gives up after 10 s (the next server is tried), or when
	 * the deadline comes first; a bind or StartTLS unanswered within the
	 * deadline (at most SPN_LDAP_IDLE_MAX) fails instead of hanging. */
	spn_conn_wait(c, &tv);
	if (tv.tv_sec >= 10 || (tv.tv_sec == 0 && tv.tv_usec == 0))
		tv = (struct timeval){10, 0};
	if (set_opt(c, LDAP_OPT_PROTOCOL_VERSION, &version, "LDAPv3", err) ||
	    set_opt(c, LDAP_OPT_REFERRALS, LDAP_OPT_OFF, "referrals off", err) ||
	    set_opt(c, LDAP_OPT_NETWORK_TIMEOUT, &tv, "the connect timeout", err) ||
	    set_opt(c, LDAP_OPT_CONNECT_CB, &limits_cb, "the message size limit", err) ||
	    set_opt(c, LDAP_OPT_X_SASL_NOCANON, o->canon ? LDAP_OPT_OFF : LDAP_OPT_ON,
	            "SASL host canonicalisation", err))
		return err->rc;
	op_timeout(c);
	if (o->cacert || o->insecure_tls) {
		int check = o->insecure_tls ? LDAP_OPT_X_TLS_NEVER : LDAP_OPT_X_TLS_DEMAND, client = 0;
		if ((o->cacert &&
		     set_opt(c, LDAP_OPT_X_TLS_CACERTFILE, o->cacert, "the TLS CA file", err)) ||
		    set_opt(c, LDAP_OPT_X_TLS_REQUIRE_CERT, &check, "TLS certificate checking", err) ||
		    set_opt(c, LDAP_OPT_X_TLS_NEWCTX, &client, "a TLS context", err)) {
			if (o->cacert)
				spn_err_prefix(err, "--cacert %s", o->cacert);
			return err->rc;
		}
	}
	return SPN_OK;
}

static const char *reqcert_name(int v)
{
	switch (v) {
	case LDAP_OPT_X_TLS_NEVER: return "never";
	case LDAP_OPT_X_TLS_ALLOW: return "allow";
	case LDAP_OPT_X_TLS_TRY: return "try";
	case LDAP_OPT_X_TLS_HARD: return "hard";
	case LDAP_OPT_X_TLS_DEMAND: return "demand";
	default: return "unknown";
	}
}

/* Certificate checking as libldap will apply it, once ldap.conf,
 * ~/.ldaprc, ./ldaprc and LDAPTLS_REQCERT have had their say: "demand"
 * (or "hard", the same) or --insecure-tls; anything else is refused. */
static enum spn_rc check_tls_level(struct spn_conn *c, const struct spn_live_opts *o,
                                   struct spn_err *err)
{
	int v = -1;
	if (ldap_get_option(c->ld, LDAP_OPT_X_TLS_REQUIRE_CERT, &v) != LDAP_OPT_SUCCESS)
		return spn_err_set(err, SPN_DIRECTORY, "%s: cannot read libldap's TLS certificate "
		                   "checking setting", c->uri);
	if (o->notes)
		fprintf(o->notes, "spnctl: %s: TLS certificate checking: %s%s\n", c->uri,
		        reqcert_name(v), o->insecure_tls ? " (--insecure-tls)" : "");
	if (v == LDAP_OPT_X_TLS_DEMAND || v == LDAP_OPT_X_TLS_HARD || o->insecure_tls)
		return SPN_OK;
	return spn_err_set(err, SPN_USAGE,
	                   "%s: TLS certificate checking is lowered to '%s' (TLS_REQCERT in "
	                   "LDAPTLS_REQCERT, ldap.conf, ~/.ldaprc or ./ldaprc in the current "
	                   "folder): spnctl refuses to talk TLS to a server it cannot verify; remove "
	                   "the setting, name the CA with --cacert, or accept the risk with "
	                   "--insecure-tls", c->uri, reqcert_name(v));
}

/* Channel binding for Kerberos over TLS, where libldap has it: the
 * name of what was set, for -v, or NULL. */
static const char *channel_binding(struct spn_conn *c)
{
#ifdef LDAP_OPT_X_SASL_CBINDING
	int cb = LDAP_OPT_X_SASL_CBINDING_TLS_ENDPOINT;
	if (ldap_set_option(c->ld, LDAP_OPT_X_SASL_CBINDING, &cb) == LDAP_OPT_SUCCESS)
		return "tls-endpoint";
#else
	(void)c;
#endif
	return NULL;
}

static enum spn_rc bind_gssapi(struct spn_conn *c, const struct spn_live_opts *o, int *lrc,
                               struct spn_err *err)
{
	/* See the top of the file for why these limits. */
	const char *props = c->tls ? "maxssf=0" : "minssf=56";
	if (set_opt(c, LDAP_OPT_X_SASL_SECPROPS, props, "SASL security properties", err))
		return err->rc;
	const char *cb = c->tls ? channel_binding(c) : NULL;
	if (o->notes && c->tls)
		fprintf(o->notes, "spnctl: %s: Kerberos over TLS: SASL channel binding %s\n", c->uri,
		        cb ? cb : "not offered by this libldap");
	int rc = *lrc = ldap_sasl_interactive_bind_s(c->ld, NULL, "GSSAPI", NULL, NULL,
	                                             LDAP_SASL_QUIET, interact, NULL);
	if (rc != LDAP_SUCCESS)
		return spn_ldap_fail(err, spn_ldap_rc(rc, true), c->ld, rc, c->uri,
		                     "binding with Kerberos (SASL GSSAPI%s)",
		                     c->tls ? " over TLS" : ", sign and seal");
	if (o->notes)
		fprintf(o->notes, "spnctl: %s: bound with Kerberos (SASL GSSAPI%s)\n", c->uri,
		        c->tls ? " over TLS" : ", sign and seal");
	return SPN_OK;
}

static enum spn_rc bind_simple(struct spn_conn *c, const struct spn_live_opts *o, int *lrc,
                               struct spn_err *err)
{
	struct berval cred = {0, NULL};
	if (o->bind_dn) {
		/* An empty password makes an "unauthenticated bind" (RFC 4513
		 * 5.1.2) that servers treat as anonymous: never what -D meant. */
		if (!o->password || !*o->password)
			return spn_err_set(err, SPN_USAGE, "%s: -D %s needs a password (--password-file, "
			                   "SPNCTL_PASSWORD or the prompt)", c->uri, o->bind_dn);
		cred.bv_val = (char *)o->password;
		cred.bv_len = strlen(o->password);
	}
	int rc = *lrc = ldap_sasl_bind_s(c->ld, o->bind_dn ? o->bind_dn : "", LDAP_SASL_SIMPLE,
	                                 &cred, NULL, NULL, NULL);
	if (rc != LDAP_SUCCESS) {
		if (o->bind_dn)
			return spn_ldap_fail(err, spn_ldap_rc(rc, true), c->ld, rc, c->uri,
			                     "binding as '%s'", o->bind_dn);
		return spn_ldap_fail(err, spn_ldap_rc(rc, true), c->ld, rc, c->uri,
		                     "binding anonymously");
	}
	if (o->notes)
		fprintf(o->notes, "spnctl: %s: bound %s%s%s%s\n", c->uri, o->bind_dn ? "as '" : "",
		        o->bind_dn ? o->bind_dn : "anonymously", o->bind_dn ? "'" : "",
		        c->tls ? " over TLS" : "");
	return SPN_OK;
}

enum spn_rc spn_conn_default_uris(char ***uris, size_t *n, struct spn_err *err)
{
	char *def = NULL;
	*uris = NULL;
	*n = 0;
	ldap_get_option(NULL, LDAP_OPT_URI, &def);
	bool ok = !def || spn_uri_split(def, uris, n);
	ldap_memfree(def);
	return ok ? SPN_OK : spn_err_set(err, SPN_NOMEM, "out of memory");
}

/* Name the servers libldap will try when no URI is given (ldap.conf's
 * list: libldap tries them in turn) in c->uri, as -H would name them
 * (libldap adds the default port); TLS only counts when every one of them
 * is ldaps://. */
static enum spn_rc default_uri(struct spn_conn *c, struct spn_err *err)
{
	char **v;
	size_t n;
	if (spn_conn_default_uris(&v, &n, err))
		return err->rc;
	if (n == 0)
		return spn_err_set(err, SPN_USAGE, "no directory server given: use -H URI or -d DOMAIN "
		                   "(or URI in ldap.conf)");
	bool all_tls = true, some_tls = false;
	size_t k = 0;
	c->uri[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		char shown[300];
		struct spn_uri u;
		struct spn_err ignore;
		spn_err_init(&ignore);
		if (spn_uri_parse(v[i], &u, &ignore) == SPN_OK)
			spn_uri_format(&u, shown, sizeof(shown));
		else
			snprintf(shown, sizeof(shown), "%s", v[i]);
		if (k < sizeof(c->uri))
			k += (size_t)snprintf(c->uri + k, sizeof(c->uri) - k, "%s%s", k ? " " : "", shown);
		if (strncasecmp(v[i], "ldaps:", 6) != 0)
			all_tls = false;
		else
			some_tls = true;
	}
	spn_strv_free(v, n);
	c->tls = all_tls;
	c->tls_maybe = some_tls;
	return SPN_OK;
}

/*
 * libldap keeps no useful message when a TLS handshake fails ("Can't contact
 * LDAP server", "Connect error: (unknown error code)"). Tell an untrusted certificate from an
 * unreachable server by connecting once more without verification - no bind,
 * nothing sent but the handshake - and calling it a trust failure if that
 * works.
 */
static bool tls_untrusted(const char *uri, const struct spn_live_opts *o, bool starttls)
{
	LDAP *ld = NULL;
	if (ldap_initialize(&ld, uri) != LDAP_SUCCESS || !ld)
		return false;
	int version = LDAP_VERSION3, never = LDAP_OPT_X_TLS_NEVER, client = 0;
	struct timeval tv = {10, 0};
	ldap_set_option(ld, LDAP_OPT_PROTOCOL_VERSION, &version);
	ldap_set_option(ld, LDAP_OPT_NETWORK_TIMEOUT, &tv);
	if (o->cacert)
		ldap_set_option(ld, LDAP_OPT_X_TLS_CACERTFILE, o->cacert);
	ldap_set_option(ld, LDAP_OPT_X_TLS_REQUIRE_CERT, &never);
	ldap_set_option(ld, LDAP_OPT_X_TLS_NEWCTX, &client);
	bool ok = starttls ? ldap_start_tls_s(ld, NULL, NULL) == LDAP_SUCCESS
	                   : ldap_connect(ld) == LDAP_SUCCESS;
	ldap_unbind_ext_s(ld, NULL, NULL);
	return ok;
}

/*
 * libldap reads every message with two read() calls (header, body) and a
 * poll() before each: three system calls per entry, more time than the
 * decoding. liblber's read-ahead layer, slid under the TLS or SASL layer,
 * reads the socket in large blocks; libldap then finds the next message
 * already buffered and neither polls nor reads. Added once the connection
 * is bound (the socket exists then); without it everything still works.
 */
static void read_ahead(struct spn_conn *c)
{
	Sockbuf *sb = NULL;
	int size = 256 * 1024;
	if (ldap_get_option(c->ld, LDAP_OPT_SOCKBUF, &sb) != LDAP_OPT_SUCCESS || !sb)
		return;
	ber_sockbuf_add_io(sb, &ber_sockbuf_io_readahead, LBER_SBIOD_LEVEL_PROVIDER, &size);
}

/* The handshake failed, or the server could not be reached: the codes
 * libldap gives for a certificate it would not accept. */
static bool tls_failure_code(int lrc)
{
	return lrc == LDAP_CONNECT_ERROR || lrc == LDAP_SERVER_DOWN;
}

static enum spn_rc start_tls(struct spn_conn *c, const char *uri, const struct spn_live_opts *o,
                             struct spn_err *err)
{
	int lrc = ldap_start_tls_s(c->ld, NULL, NULL);
	if (lrc == LDAP_CONNECT_ERROR && uri && !o->insecure_tls && tls_untrusted(uri, o, true))
		return spn_err_set(err, SPN_AUTH, "starting TLS (-Z) on %s: the server's TLS "
		                   "certificate is not trusted or does not name this host: name its "
		                   "CA with --cacert FILE (or TLS_CACERT in ldap.conf)", c->uri);
	if (lrc != LDAP_SUCCESS)
		return spn_ldap_fail(err, SPN_DIRECTORY, c->ld, lrc, c->uri, "starting TLS (-Z)");
	c->tls = true;
	return SPN_OK;
}

static enum spn_rc bind_as_asked(struct spn_conn *c, const char *uri, const struct spn_live_opts *o,
                                 struct spn_err *err)
{
	struct spn_err berr;
	int lrc = LDAP_SUCCESS;
	spn_err_init(&berr);
	enum spn_rc rc = o->bind == SPN_BIND_SIMPLE ? bind_simple(c, o, &lrc, &berr)
	                                            : bind_gssapi(c, o, &lrc, &berr);
	/* Only a failure to connect at all may be an untrusted certificate:
	 * any other refusal is the server's, and says so itself. */
	if (rc == SPN_DIRECTORY && c->tls && !o->starttls && !o->insecure_tls && uri &&
	    tls_failure_code(lrc) && tls_untrusted(uri, o, false))
		return spn_err_set(err, SPN_AUTH, "connecting to %s: the server's TLS certificate is "
		                   "not trusted or does not name this host: name its CA with --cacert "
		                   "FILE (or TLS_CACERT in ldap.conf)", c->uri);
	if (rc)
		return spn_err_set(err, berr.rc, "%s", berr.msg);
	return SPN_OK;
}

enum spn_rc spn_conn_open(struct spn_conn *c, const char *uri, bool found,
                          const struct spn_live_opts *o, struct spn_err *err)
{
	memset(c, 0, sizeof(*c));
	c->found = found;
	c->deadline = o->deadline;
	c->timeout = o->timeout;
	enum spn_rc rc;
	if (uri) {
		struct spn_uri u;
		if (spn_uri_parse(uri, &u, err))
			return err->rc;
		spn_uri_format(&u, c->uri, sizeof(c->uri));
		c->tls = spn_uri_is_tls(&u);
	}
	if (uri && !(c->given = strdup(uri)))
		return spn_err_set(err, SPN_NOMEM, "out of memory");
	int lrc = ldap_initialize(&c->ld, uri);
	if (lrc != LDAP_SUCCESS || !c->ld) {
		c->ld = NULL;
		free(c->given);
		c->given = NULL;
		return spn_ldap_fail(err, SPN_USAGE, NULL, lrc, uri ? uri : "the default server",
		                     "setting up a connection");
	}
	if (!uri && (rc = default_uri(c, err)))
		goto fail;
	if (o->starttls && c->tls) {
		rc = spn_err_set(err, SPN_USAGE, "%s: -Z (StartTLS) does not go with ldaps://", c->uri);
		goto fail;
	}
	bool will_tls = c->tls || o->starttls;
	if (spn_conn_expired(c)) {
		rc = spn_err_set(err, SPN_DIRECTORY, "%s: not contacted: the --timeout of %u s was used "
		                 "up", c->uri, c->timeout);
		goto fail;
	}
	if ((rc = spn_conn_check_cleartext(o, will_tls, c->uri, err)) ||
	    (rc = spn_conn_check_found(o, found, will_tls, c->uri, err)) ||
	    (rc = set_options(c, o, err)) ||
	    ((will_tls || c->tls_maybe) && (rc = check_tls_level(c, o, err))))
		goto fail;
	if (o->starttls && (rc = start_tls(c, uri, o, err)))
		goto fail;
	if ((rc = bind_as_asked(c, uri, o, err)))
		goto fail;
	read_ahead(c);
	return SPN_OK;
fail:
	spn_conn_close(c);
	return rc;
}

enum spn_rc spn_conn_open_any(struct spn_conn *c, const char *const *uris, size_t n, bool found,
                              const struct spn_live_opts *o, struct spn_err *err)
{
	if (n == 0)
		return spn_conn_open(c, NULL, false, o, err);
	struct spn_err first;
	spn_err_init(&first);
	for (size_t i = 0; i < n; i++) {
		struct spn_err e;
		spn_err_init(&e);
		enum spn_rc rc = spn_conn_open(c, uris[i], found, o, &e);
		if (rc == SPN_OK)
			return SPN_OK;
		if (first.rc == SPN_OK)
			first = e;
		/* Only an unreachable server is worth trying the next one for:
		 * wrong credentials would count against the account on each DC. */
		if (rc != SPN_DIRECTORY || i + 1 == n) {
			if (i > 0)
				return spn_err_set(err, first.rc, "%s (%zu servers tried)", first.msg, i + 1);
			return spn_err_set(err, first.rc, "%s", first.msg);
		}
	}
	return spn_err_set(err, SPN_BUG, "no server tried");
}

enum spn_rc spn_conn_open_opts(struct spn_conn *c, const struct spn_live_opts *o,
                               struct spn_err *err)
{
	const char *const *uris = o->uris;
	size_t nuris = o->nuris;
	char **found = NULL;
	size_t nfound = 0;
	if (nuris == 0 && o->domain) {
		if (spn_discover(o->domain, false, &found, &nfound, err)) {
			spn_err_prefix(err, "finding a domain controller of %s (-d)", o->domain);
			return err->rc;
		}
		uris = (const char *const *)found;
		nuris = nfound;
	}
	enum spn_rc rc = spn_conn_open_any(c, uris, nuris, nfound > 0 || o->uris_found, o, err);
	spn_strv_free(found, nfound);
	return rc;
}

void spn_conn_close(struct spn_conn *c)
{
	if (c->ld)
		ldap_unbind_ext_s(c->ld, NULL, NULL);
	c->ld = NULL;
	free(c->given);
	c->given = NULL;
}

enum spn_rc spn_conn_again(struct spn_conn *c2, const struct spn_conn *c,
                           const struct spn_live_opts *o, struct spn_err *err)
{
	enum spn_rc rc = spn_conn_open(c2, c->given, c->found, o, err);
	if (rc == SPN_OK) {
		c2->ranges = c->ranges;
		c2->deadline = c->deadline;   /* the same read: the same time */
	}
	return rc;
}

/* A message no one asked for (an entry past max, a reference): dropped;
 * too many of them and the search is abandoned. */
static bool stray(struct spn_conn *c, int msgid, unsigned *n)
{
	if (++*n <= SPN_SEARCH_MAX_STRAYS)
		return true;
	ldap_abandon_ext(c->ld, msgid, NULL, NULL);
	return false;
}

int spn_conn_read_few(struct spn_conn *c, const char *base, int scope, const char *filter,
                      char **attrs, size_t max, spn_conn_take_fn take, void *ctx, char **diag)
{
	int msgid = -1, code = LDAP_OTHER;
	unsigned strays = 0;
	size_t taken = 0;
	*diag = NULL;
	int lrc = ldap_search_ext(c->ld, base, scope, filter, attrs, 0, NULL, NULL, NULL,
	                          (int)max + 1, &msgid);
	if (lrc != LDAP_SUCCESS) {
		c->down |= lrc == LDAP_SERVER_DOWN;
		return lrc;
	}
	for (;;) {
		struct timeval tv;
		LDAPMessage *m = NULL;
		int t = spn_conn_wait(c, &tv) ? ldap_result(c->ld, msgid, LDAP_MSG_ONE, &tv, &m) : 0;
		if (t == 0) {
			c->timed_out = true;
			ldap_abandon_ext(c->ld, msgid, NULL, NULL);
			return LDAP_TIMEOUT;
		}
		if (t < 0) {
			code = LDAP_SERVER_DOWN;
			ldap_get_option(c->ld, LDAP_OPT_RESULT_CODE, &code);
			c->down |= code == LDAP_SERVER_DOWN || code == LDAP_CONNECT_ERROR;
			return code;
		}
		if (t == LDAP_RES_SEARCH_ENTRY && taken < max) {
			taken++;
			if (!take(ctx, c->ld, m))
				ldap_msgfree(m);
			continue;
		}
		if (t != LDAP_RES_SEARCH_RESULT) {
			ldap_msgfree(m);
			if (!stray(c, msgid, &strays))
				return LDAP_PROTOCOL_ERROR;
			continue;
		}
		lrc = ldap_parse_result(c->ld, m, &code, NULL, diag, NULL, NULL, 1);
		return lrc == LDAP_SUCCESS ? code : lrc;
	}
}

static bool keep_first(void *ctx, LDAP *ld, LDAPMessage *e)
{
	(void)ld;
	*(LDAPMessage **)ctx = e;
	return true;
}

int spn_conn_read_first(struct spn_conn *c, const char *base, int scope, const char *filter,
                        char **attrs, LDAPMessage **entry, char **diag)
{
	*entry = NULL;
	return spn_conn_read_few(c, base, scope, filter, attrs, 1, keep_first, entry, diag);
}

int spn_conn_read_base(struct spn_conn *c, const char *dn, char **attrs, LDAPMessage **entry,
                       char **diag)
{
	return spn_conn_read_first(c, dn, LDAP_SCOPE_BASE, "(objectClass=*)", attrs, entry, diag);
}
