/*
 * target.c - a service as a user names it (URL or SPN) and the SPNs
 * Kerberos clients ask for to reach it (spn/target.h). Pure string work:
 * the caller brings what DNS answered.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "spn/spn.h"
#include "spn/target.h"

static const struct {
	const char *name;
	enum spn_target_scheme scheme;
} schemes[] = {
	{"http", SPN_SCHEME_HTTP}, {"https", SPN_SCHEME_HTTP}, {"mssql", SPN_SCHEME_MSSQL},
	{"smtp", SPN_SCHEME_SMTP}, {"cifs", SPN_SCHEME_CIFS}, {"smb", SPN_SCHEME_CIFS},
	{"ldap", SPN_SCHEME_LDAP}, {"ldaps", SPN_SCHEME_LDAP},
};
#define SCHEMES "http, https, mssql, smtp, cifs, smb, ldap, ldaps"

const char *spn_asker_text(enum spn_asker a)
{
	switch (a) {
	case SPN_ASKER_ALL: return "every client";
	case SPN_ASKER_CANONICAL:
		return "clients that follow DNS to the canonical name (browsers, SSPI, MIT Kerberos)";
	case SPN_ASKER_AS_TYPED: return "clients that use the name as typed (no DNS canonicalisation)";
	case SPN_ASKER_SHORT: return "clients given the short name";
	case SPN_ASKER_PIPES: return "SQL Server clients over named pipes";
	case SPN_ASKER_EXCHANGE: return "Exchange transport (SMTPSVC)";
	case SPN_ASKER_GSSAPI_SMTP: return "SMTP clients with GSSAPI (RFC 4954)";
	case SPN_ASKER_SMB: return "the Windows SMB client (the name as typed; it follows no CNAME)";
	}
	return "?";
}

/* ---- Parsing ---- */

static bool host_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '.' || c == '_';
}

/* Copy h[0..n) into t->host, lower case, trailing dot dropped; checks it. */
static enum spn_rc take_host(struct spn_target *t, const char *text, const char *h, size_t n,
                             struct spn_err *err)
{
	if (n && h[n - 1] == '.')
		n--;
	if (n == 0)
		return spn_err_set(err, SPN_USAGE, "'%s': no host name", text);
	if (h[0] == '[')
		return spn_err_set(err, SPN_USAGE, "'%s': an IP address - Kerberos needs the service's "
		                   "name (a client given an address falls back to NTLM)", text);
	if (n >= sizeof(t->host))
		return spn_err_set(err, SPN_USAGE, "'%s': the host name is longer than 255 bytes", text);
	bool digits_only = true;
	for (size_t i = 0; i < n; i++) {
		if (!host_char(h[i]))
			return spn_err_set(err, SPN_USAGE, "'%s': '%c' cannot stand in a host name", text,
			                   h[i]);
		if (h[i] == '.' && (i == 0 || h[i - 1] == '.'))
			return spn_err_set(err, SPN_USAGE, "'%s': an empty label in the host name", text);
		digits_only &= (h[i] >= '0' && h[i] <= '9') || h[i] == '.';
		t->host[i] = (char)(h[i] >= 'A' && h[i] <= 'Z' ? h[i] + 32 : h[i]);
	}
	t->host[n] = '\0';
	if (digits_only)
		return spn_err_set(err, SPN_USAGE, "'%s': an IP address - Kerberos needs the service's "
		                   "name (a client given an address falls back to NTLM)", text);
	return SPN_OK;
}

static enum spn_rc take_port(struct spn_target *t, const char *text, const char *p, size_t n,
                             struct spn_err *err)
{
	uint32_t v = 0;
	for (size_t i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9' || (v = v * 10 + (uint32_t)(p[i] - '0')) > 65535)
			return spn_err_set(err, SPN_USAGE, "'%s': '%.*s' is not a port (1 to 65535)", text,
			                   (int)n, p);
	}
	if (n == 0 || v == 0)
		return spn_err_set(err, SPN_USAGE, "'%s': '%.*s' is not a port (1 to 65535)", text,
		                   (int)n, p);
	t->port = v;
	return SPN_OK;
}

/* mssql://host/INSTANCE: the path's one segment. */
static enum spn_rc take_instance(struct spn_target *t, const char *text, const char *p,
                                 struct spn_err *err)
{
	size_t n = strcspn(p, "/?#");
	if (p[n] == '/' && p[n + 1])
		return spn_err_set(err, SPN_USAGE, "'%s': mssql://host/INSTANCE names one instance; "
		                   "nothing may follow it", text);
	if (n == 0)
		return SPN_OK;
	if (n >= sizeof(t->instance))
		return spn_err_set(err, SPN_USAGE, "'%s': the instance name is too long", text);
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)p[i] <= 0x20 || p[i] == ':' || p[i] == '@' || p[i] == 0x7f)
			return spn_err_set(err, SPN_USAGE, "'%s': '%c' cannot stand in an instance name",
			                   text, p[i] > 0x20 ? p[i] : '?');
	memcpy(t->instance, p, n);
	t->instance[n] = '\0';
	if (t->port)
		return spn_err_set(err, SPN_USAGE, "'%s': give the port or the instance, not both (a "
		                   "client that knows the port asks for MSSQLSvc/host:port)", text);
	return SPN_OK;
}

static enum spn_rc parse_url(const char *text, const char *sep, struct spn_target *t,
                             struct spn_err *err)
{
	size_t sn = (size_t)(sep - text);
	for (size_t i = 0; i < sizeof(schemes) / sizeof(schemes[0]); i++)
		if (strlen(schemes[i].name) == sn && strncasecmp(text, schemes[i].name, sn) == 0) {
			t->scheme = schemes[i].scheme;
			for (size_t k = 0; k < sn; k++)
				t->scheme_text[k] = (char)(text[k] | 0x20);
		}
	if (t->scheme == SPN_SCHEME_SPN)
		return spn_err_set(err, SPN_USAGE, "'%s': unknown scheme '%.*s' (known: " SCHEMES ")",
		                   text, (int)(sn > 20 ? 20 : sn), text);
	const char *auth = sep + 3;
	size_t an = strcspn(auth, "/?#");
	const char *at = memchr(auth, '@', an);
	while (at) {   /* user@host: the user is no part of the name */
		an -= (size_t)(at + 1 - auth);
		auth = at + 1;
		at = memchr(auth, '@', an);
	}
	const char *colon = auth[0] == '[' ? NULL : memchr(auth, ':', an);
	size_t hn = colon ? (size_t)(colon - auth) : an;
	enum spn_rc rc = take_host(t, text, auth, hn, err);
	if (rc == SPN_OK && colon)
		rc = take_port(t, text, colon + 1, an - hn - 1, err);
	const char *path = auth + an;
	if (rc == SPN_OK && t->scheme == SPN_SCHEME_MSSQL && *path == '/')
		rc = take_instance(t, text, path + 1, err);
	return rc;
}

static enum spn_rc parse_spn(const char *text, struct spn_target *t, struct spn_err *err)
{
	size_t n = strlen(text);
	struct spn_parts p;
	if (n >= sizeof(t->spn))
		return spn_err_set(err, SPN_USAGE, "'%.60s...': an SPN of %zu bytes is too long", text, n);
	if (memchr(text, '@', n))
		return spn_err_set(err, SPN_USAGE, "'%s' contains '@': an SPN has no realm", text);
	enum spn_syntax syn = spn_parse(text, n, &p);
	if (syn != SPN_SYNTAX_OK)
		return spn_err_set(err, SPN_USAGE, "'%s' is not an SPN: it %s", text, spn_syntax_text(syn));
	memcpy(t->spn, text, n + 1);
	/* The host, for DNS, when it is a host name (not a GUID's or an
	 * address's place in a replication SPN, say): else none. */
	struct spn_err ignored;
	spn_err_init(&ignored);
	if (take_host(t, text, p.host.p, p.host.n, &ignored) != SPN_OK)
		t->host[0] = '\0';
	if (p.port.n && p.port_numeric && take_port(t, text, p.port.p, p.port.n, &ignored) != SPN_OK)
		t->port = 0;
	return SPN_OK;
}

enum spn_rc spn_target_parse(const char *text, struct spn_target *t, struct spn_err *err)
{
	memset(t, 0, sizeof(*t));
	const char *sep = strstr(text, "://");
	if (sep)
		return parse_url(text, sep, t, err);
	if (strchr(text, '/'))
		return parse_spn(text, t, err);
	return spn_err_set(err, SPN_USAGE, "'%s' is neither a URL (http://%s, mssql://%s:1433, ...) "
	                   "nor an SPN (class/host)", text, text, text);
}

/* ---- What clients ask for ---- */

struct out {
	struct spn_derivation *d;
	bool full;
};

static void add(struct out *o, enum spn_asker asker, bool primary, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void add(struct out *o, enum spn_asker asker, bool primary, const char *fmt, ...)
{
	struct spn_derivation *d = o->d;
	struct spn_derived x = {.asker = asker, .primary = primary};
	va_list ap;
	va_start(ap, fmt);
	int r = vsnprintf(x.spn, sizeof(x.spn), fmt, ap);
	va_end(ap);
	if (r < 0 || (size_t)r >= sizeof(x.spn)) {
		o->full = true;
		return;
	}
	for (size_t i = 0; i < d->n; i++)
		if (strcasecmp(d->v[i].spn, x.spn) == 0)
			return;
	if (d->n == SPN_TARGET_MAX_SPNS) {
		o->full = true;
		return;
	}
	d->v[d->n++] = x;
}

static size_t label_len(const char *h)
{
	return strcspn(h, ".");
}

/* The names to build from: typed (as typed), fqdn ("" unknown), canon
 * (the name DNS answered, when it is another host's: alias). */
struct names {
	const char *typed;
	bool is_short;
	char fqdn[256];
	char canon[256];
};

static void names_init(struct names *nm, const struct spn_target *t, const char *canonical,
                       const char *domain, struct spn_derivation *d)
{
	char c[256] = "";
	nm->typed = t->host;
	nm->is_short = strchr(t->host, '.') == NULL;
	if (canonical && *canonical) {
		size_t n = strlen(canonical);
		if (canonical[n - 1] == '.')
			n--;
		if (n < sizeof(c)) {
			for (size_t i = 0; i < n; i++)
				c[i] = (char)(canonical[i] >= 'A' && canonical[i] <= 'Z' ? canonical[i] + 32
				                                                        : canonical[i]);
			c[n] = '\0';
		}
	}
	nm->fqdn[0] = nm->canon[0] = '\0';
	size_t tl = label_len(t->host);
	if (!nm->is_short)
		snprintf(nm->fqdn, sizeof(nm->fqdn), "%s", t->host);
	else if (strchr(c, '.') && label_len(c) == tl && strncmp(c, t->host, tl) == 0)
		snprintf(nm->fqdn, sizeof(nm->fqdn), "%s", c);
	else if (domain && *domain)
		snprintf(nm->fqdn, sizeof(nm->fqdn), "%s.%s", t->host, domain);
	const char *mine = nm->fqdn[0] ? nm->fqdn : t->host;
	if (c[0] && strchr(c, '.') && strcmp(c, mine) != 0)
		snprintf(nm->canon, sizeof(nm->canon), "%s", c);
	d->alias = nm->canon[0] != '\0';
	snprintf(d->fqdn, sizeof(d->fqdn), "%s", d->alias ? nm->canon : nm->fqdn);
}

/* The name a canonicalising client uses: the alias's target, else the FQDN,
 * else the name as typed. */
static const char *best(const struct names *nm)
{
	return nm->canon[0] ? nm->canon : nm->fqdn[0] ? nm->fqdn : nm->typed;
}

static void derive_http(struct out *o, const struct spn_target *t, const struct names *nm)
{
	if (nm->canon[0]) {
		add(o, SPN_ASKER_CANONICAL, true, "HTTP/%s", nm->canon);
		add(o, SPN_ASKER_AS_TYPED, false, "HTTP/%s", nm->typed);
	} else {
		add(o, nm->is_short ? SPN_ASKER_CANONICAL : SPN_ASKER_ALL, true, "HTTP/%s", best(nm));
		if (nm->is_short)
			add(o, SPN_ASKER_SHORT, false, "HTTP/%s", nm->typed);
	}
	bool tls = strcmp(t->scheme_text, "https") == 0;
	if (t->port && t->port != (tls ? 443u : 80u))
		o->d->note = "browsers leave the port out of the SPN unless told to (Chrome's "
		             "EnableAuthNegotiatePort, Internet Explorer's "
		             "FEATURE_INCLUDE_PORT_IN_SPN_KB908209): the SPN is HTTP/host whatever the port";
}

static void derive_mssql(struct out *o, const struct spn_target *t, const struct names *nm)
{
	const char *h = best(nm);
	if (t->instance[0]) {
		add(o, SPN_ASKER_PIPES, true, "MSSQLSvc/%s:%s", h, t->instance);
		o->d->note = "a named instance: over named pipes clients ask for MSSQLSvc/host:INSTANCE; "
		             "over TCP they ask SQL Browser (UDP 1434) for the instance's port and then "
		             "for MSSQLSvc/host:port - check that one with mssql://host:PORT";
	} else {
		add(o, SPN_ASKER_ALL, true, "MSSQLSvc/%s:%u", h, t->port ? t->port : 1433u);
		if (!t->port)
			add(o, SPN_ASKER_PIPES, false, "MSSQLSvc/%s", h);
	}
	if (nm->canon[0]) {
		if (t->instance[0])
			add(o, SPN_ASKER_AS_TYPED, false, "MSSQLSvc/%s:%s", nm->typed, t->instance);
		else
			add(o, SPN_ASKER_AS_TYPED, false, "MSSQLSvc/%s:%u", nm->typed, t->port ? t->port : 1433u);
	}
}

static void derive_smtp(struct out *o, const struct names *nm)
{
	const char *h = best(nm);
	add(o, SPN_ASKER_EXCHANGE, true, "SMTPSVC/%s", h);
	add(o, SPN_ASKER_GSSAPI_SMTP, false, "SMTP/%s", h);
	add(o, SPN_ASKER_SHORT, false, "SMTPSVC/%.*s", (int)label_len(h), h);
}

static void derive_cifs(struct out *o, const struct names *nm)
{
	add(o, SPN_ASKER_SMB, true, "cifs/%s", nm->typed);
	if (nm->canon[0])
		add(o, SPN_ASKER_CANONICAL, false, "cifs/%s", nm->canon);
	else if (nm->is_short && nm->fqdn[0])
		add(o, SPN_ASKER_CANONICAL, false, "cifs/%s", nm->fqdn);
}

static void derive_ldap(struct out *o, const struct names *nm)
{
	add(o, SPN_ASKER_CANONICAL, true, "ldap/%s", best(nm));
	if (nm->canon[0] || nm->is_short)
		add(o, SPN_ASKER_AS_TYPED, false, "ldap/%s", nm->typed);
}

enum spn_rc spn_target_derive(const struct spn_target *t, const char *canonical, const char *domain,
                              struct spn_derivation *out, struct spn_err *err)
{
	struct out o = {.d = out};
	struct names nm;
	memset(out, 0, sizeof(*out));
	names_init(&nm, t, canonical, domain, out);
	switch (t->scheme) {
	case SPN_SCHEME_SPN: add(&o, SPN_ASKER_ALL, true, "%s", t->spn); break;
	case SPN_SCHEME_HTTP: derive_http(&o, t, &nm); break;
	case SPN_SCHEME_MSSQL: derive_mssql(&o, t, &nm); break;
	case SPN_SCHEME_SMTP: derive_smtp(&o, &nm); break;
	case SPN_SCHEME_CIFS: derive_cifs(&o, &nm); break;
	case SPN_SCHEME_LDAP: derive_ldap(&o, &nm); break;
	}
	if (o.full && out->n == 0)
		return spn_err_set(err, SPN_USAGE, "'%s': the SPN would be too long", t->host);
	return SPN_OK;
}
