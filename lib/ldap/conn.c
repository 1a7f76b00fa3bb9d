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
 *  - TLS: libldap's defaults and ldap.conf (TLS_REQCERT, TLS_CACERT) apply,
 *    so certificates are verified unless the administrator said otherwise;
 *    --cacert adds a trust anchor for this connection only.
 *  - A simple bind with a password is refused on an unencrypted connection
 *    unless allow_cleartext: the password would cross the network in clear.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/time.h>

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
	struct timeval tv = {10, 0}, op = {600, 0};
	/* Connecting gives up after 10 s (the next server is tried); a bind or
	 * a base search unanswered for 10 minutes fails instead of hanging. */
	if (set_opt(c, LDAP_OPT_PROTOCOL_VERSION, &version, "LDAPv3", err) ||
	    set_opt(c, LDAP_OPT_REFERRALS, LDAP_OPT_OFF, "referrals off", err) ||
	    set_opt(c, LDAP_OPT_NETWORK_TIMEOUT, &tv, "the connect timeout", err) ||
	    set_opt(c, LDAP_OPT_TIMEOUT, &op, "the operation timeout", err) ||
	    set_opt(c, LDAP_OPT_X_SASL_NOCANON, o->canon ? LDAP_OPT_OFF : LDAP_OPT_ON,
	            "SASL host canonicalisation", err))
		return err->rc;
	if (o->cacert) {
		int demand = LDAP_OPT_X_TLS_DEMAND, server = 0;
		if (set_opt(c, LDAP_OPT_X_TLS_CACERTFILE, o->cacert, "the TLS CA file", err) ||
		    set_opt(c, LDAP_OPT_X_TLS_REQUIRE_CERT, &demand, "TLS certificate checking", err) ||
		    set_opt(c, LDAP_OPT_X_TLS_NEWCTX, &server, "a TLS context", err)) {
			spn_err_prefix(err, "--cacert %s", o->cacert);
			return err->rc;
		}
	}
	return SPN_OK;
}

static enum spn_rc bind_gssapi(struct spn_conn *c, struct spn_err *err)
{
	/* See the top of the file for why these limits. */
	const char *props = c->tls ? "maxssf=0" : "minssf=56";
	if (set_opt(c, LDAP_OPT_X_SASL_SECPROPS, props, "SASL security properties", err))
		return err->rc;
	int rc = ldap_sasl_interactive_bind_s(c->ld, NULL, "GSSAPI", NULL, NULL, LDAP_SASL_QUIET,
	                                      interact, NULL);
	if (rc != LDAP_SUCCESS)
		return spn_ldap_fail(err, spn_ldap_rc(rc, true), c->ld, rc, c->uri,
		                     "binding with Kerberos (SASL GSSAPI%s)",
		                     c->tls ? " over TLS" : ", sign and seal");
	return SPN_OK;
}

static enum spn_rc bind_simple(struct spn_conn *c, const struct spn_live_opts *o,
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
	int rc = ldap_sasl_bind_s(c->ld, o->bind_dn ? o->bind_dn : "", LDAP_SASL_SIMPLE, &cred,
	                          NULL, NULL, NULL);
	if (rc != LDAP_SUCCESS) {
		if (o->bind_dn)
			return spn_ldap_fail(err, spn_ldap_rc(rc, true), c->ld, rc, c->uri,
			                     "binding as '%s'", o->bind_dn);
		return spn_ldap_fail(err, spn_ldap_rc(rc, true), c->ld, rc, c->uri,
		                     "binding anonymously");
	}
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
	bool all_tls = true;
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
	}
	spn_strv_free(v, n);
	c->tls = all_tls;
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

enum spn_rc spn_conn_open(struct spn_conn *c, const char *uri, const struct spn_live_opts *o,
                          struct spn_err *err)
{
	memset(c, 0, sizeof(*c));
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
	if ((rc = spn_conn_check_cleartext(o, will_tls, c->uri, err)) ||
	    (rc = set_options(c, o, err)))
		goto fail;
	if (o->starttls) {
		lrc = ldap_start_tls_s(c->ld, NULL, NULL);
		if (lrc == LDAP_CONNECT_ERROR && uri && tls_untrusted(uri, o, true)) {
			rc = spn_err_set(err, SPN_AUTH, "starting TLS (-Z) on %s: the server's TLS "
			                 "certificate is not trusted or does not name this host: name its "
			                 "CA with --cacert FILE (or TLS_CACERT in ldap.conf)", c->uri);
			goto fail;
		}
		if (lrc != LDAP_SUCCESS) {
			rc = spn_ldap_fail(err, SPN_DIRECTORY, c->ld, lrc, c->uri, "starting TLS (-Z)");
			goto fail;
		}
		c->tls = true;
	}
	struct spn_err berr;
	spn_err_init(&berr);
	if (o->bind == SPN_BIND_SIMPLE)
		rc = bind_simple(c, o, &berr);
	else
		rc = bind_gssapi(c, &berr);
	if (rc == SPN_DIRECTORY && c->tls && !o->starttls && uri && tls_untrusted(uri, o, false)) {
		rc = spn_err_set(err, SPN_AUTH, "connecting to %s: the server's TLS certificate is not "
		                 "trusted or does not name this host: name its CA with --cacert FILE "
		                 "(or TLS_CACERT in ldap.conf)", c->uri);
		goto fail;
	}
	if (rc) {
		spn_err_set(err, berr.rc, "%s", berr.msg);
		goto fail;
	}
	read_ahead(c);
	return SPN_OK;
fail:
	spn_conn_close(c);
	return rc;
}

enum spn_rc spn_conn_open_any(struct spn_conn *c, const char *const *uris, size_t n,
                              const struct spn_live_opts *o, struct spn_err *err)
{
	if (n == 0)
		return spn_conn_open(c, NULL, o, err);
	struct spn_err first;
	spn_err_init(&first);
	for (size_t i = 0; i < n; i++) {
		struct spn_err e;
		spn_err_init(&e);
		enum spn_rc rc = spn_conn_open(c, uris[i], o, &e);
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
	enum spn_rc rc = spn_conn_open(c2, c->given, o, err);
	if (rc == SPN_OK)
		c2->ranges = c->ranges;
	return rc;
}
