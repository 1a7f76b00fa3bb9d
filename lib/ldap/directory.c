/*
 * directory.c - the connection the write commands use (spn/directory.h):
 * find an account, re-read an object, list the holders of an SPN, change
 * servicePrincipalName by one value.
 *
 * Every read goes through search.c into a fresh small model, so values are
 * seen as the audit sees them and ranged attributes are followed to the
 * end; a read with a gap is returned as SPN_INCOMPLETE and the caller must
 * not write on it.
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "spn/directory.h"
#include "ldap_int.h"

struct spn_dir {
	struct spn_conn c;
	struct spn_rootdse r;
	char *base;
	struct spn_live_opts o;    /* borrowed strings: the caller's, alive while d is */
	struct sigaction old_pipe;
	bool restore_pipe;
};

const char *spn_dir_server(const struct spn_dir *d)
{
	return d->c.uri;
}

const char *spn_dir_base(const struct spn_dir *d)
{
	return d->base;
}

enum spn_rc spn_dir_open(struct spn_dir **out, const struct spn_live_opts *o, struct spn_err *err)
{
	*out = NULL;
	if (o->forest)
		return spn_err_set(err, SPN_USAGE, "changes go to a domain controller, not the Global "
		                   "Catalog: leave out --forest (use -d DOMAIN or -H)");
	if (o->nuris && o->domain)
		return spn_err_set(err, SPN_USAGE, "-H and -d both name servers: give one of them");
	struct spn_dir *d = calloc(1, sizeof(*d));
	if (!d)
		return spn_err_set(err, SPN_NOMEM, "out of memory");
	d->o = *o;
	spn_deadline_after(&d->o.deadline, o->timeout);
	/* libldap writes with plain write(): a dropped connection must not
	 * kill the process with SIGPIPE (as in live.c). */
	struct sigaction ign;
	memset(&ign, 0, sizeof(ign));
	ign.sa_handler = SIG_IGN;
	sigemptyset(&ign.sa_mask);
	d->restore_pipe = sigaction(SIGPIPE, &ign, &d->old_pipe) == 0;

	enum spn_rc rc = spn_conn_open_opts(&d->c, &d->o, err);
	if (rc)
		goto fail;
	if ((rc = spn_rootdse_read(&d->c, &d->r, err)))
		goto fail;
	const char *base = o->base ? o->base : spn_rootdse_base(&d->r);
	if (!base) {
		rc = spn_err_set(err, SPN_USAGE, "%s names no naming context in its root DSE: give -b BASE",
		                 d->c.uri);
		goto fail;
	}
	if (!(d->base = strdup(base))) {
		rc = spn_err_set(err, SPN_NOMEM, "out of memory");
		goto fail;
	}
	*out = d;
	return SPN_OK;
fail:
	spn_dir_close(d);
	return rc;
}

void spn_dir_close(struct spn_dir *d)
{
	if (!d)
		return;
	if (d->c.ld)
		spn_conn_close(&d->c);
	spn_rootdse_release(&d->r);
	free(d->base);
	if (d->restore_pipe)
		sigaction(SIGPIPE, &d->old_pipe, NULL);
	free(d);
}

char *spn_dir_whoami(struct spn_dir *d)
{
	struct berval *who = NULL;
	char *s = NULL;
	if (ldap_whoami_s(d->c.ld, &who, NULL, NULL) == LDAP_SUCCESS && who && who->bv_len)
		s = strndup(who->bv_val, who->bv_len);
	if (who)
		ber_bvfree(who);
	return s;
}

/* ---- Reads into a small model ---- */

struct sink {
	struct spn_model *m;
	uint16_t src;
};

static enum spn_rc to_model(void *ctx, const struct spn_entry *e, struct spn_err *err)
{
	struct sink *k = ctx;
	return spn_model_add_entry(k->m, k->src, e, err);
}

/* Search, put every entry into a fresh model (every account kept) and
 * finish it. A gap makes the whole read SPN_INCOMPLETE. */
static enum spn_rc read_model(struct spn_dir *d, const char *what, const char *base, int scope,
                              const char *filter, struct spn_model **out, struct spn_err *err)
{
	*out = NULL;
	spn_conn_restart_clock(&d->c, &d->o);   /* each read gets the whole --timeout */
	struct spn_model *m = spn_model_new(SPN_MODEL_KEEP_ALL);
	uint16_t src;
	if (!m)
		return spn_err_set(err, SPN_NOMEM, "out of memory");
	enum spn_rc rc = spn_model_add_source(m, d->c.uri, "ldap", &src, err);
	struct sink k = {m, src};
	if (rc == SPN_OK) {
		struct spn_search s = {
			.what = what,
			.base = base,
			.scope = scope,
			.filter = filter,
			.attrs = spn_nc_account_attrs,
			.nattrs = spn_nc_naccount_attrs,
			.page_size = scope == LDAP_SCOPE_BASE ? 0 : spn_page_size(&d->o),
			.range_step = d->o.range_step,
			.missing_ok = scope == LDAP_SCOPE_BASE,
			.entry = to_model,
			.ctx = &k,
		};
		struct spn_search_stats st;
		rc = spn_search_run(&d->c, &s, m, &st, err);
	}
	/* A search cut short says so in the model, not in err: the first gap
	 * is the message (it was empty when the search itself said
	 * SPN_INCOMPLETE). */
	if ((rc == SPN_OK || rc == SPN_INCOMPLETE) && !spn_model_complete(m))
		rc = spn_err_set(err, SPN_INCOMPLETE, "%s", spn_model_gap(m, 0));
	if (rc == SPN_OK)
		rc = spn_model_finish(m, err);
	if (rc) {
		spn_model_free(m);
		return rc;
	}
	*out = m;
	return SPN_OK;
}

enum spn_rc spn_dir_read(struct spn_dir *d, const char *dn, struct spn_model **out,
                         struct spn_err *err)
{
	enum spn_rc rc = read_model(d, "the account", dn, LDAP_SCOPE_BASE, "(objectClass=*)", out, err);
	if (rc)
		return rc;
	if (spn_model_naccounts(*out) != 1) {
		spn_model_free(*out);
		*out = NULL;
		return spn_err_set(err, SPN_INPUT, "%s: no account '%s'", d->c.uri, dn);
	}
	return SPN_OK;
}

/* The filter that finds name among accounts of the given kinds. */
static void find_filter(struct spn_buf *f, const char *name, size_t n, unsigned kinds, bool dollar)
{
	if (memchr(name, '@', n)) {
		spn_buf_adds(f, "(userPrincipalName=");
		spn_filter_escape(f, name, n, false);
		spn_buf_adds(f, ")");
		return;
	}
	spn_buf_adds(f, "(&");
	if (kinds == SPN_DIR_COMPUTER)
		spn_buf_adds(f, "(objectClass=computer)");
	else if (kinds == SPN_DIR_USER)
		spn_buf_adds(f, "(objectClass=user)(!(objectClass=computer))");
	else
		spn_buf_adds(f, "(objectClass=user)");
	spn_buf_adds(f, "(sAMAccountName=");
	spn_filter_escape(f, name, n, false);
	if (dollar)
		spn_buf_adds(f, "$");
	spn_buf_adds(f, "))");
}

static enum spn_rc find_once(struct spn_dir *d, const char *name, size_t n, unsigned kinds,
                             bool dollar, struct spn_model **out, struct spn_err *err)
{
	if (memchr(name, '=', n))   /* a DN: read it (an account is objectClass=user) */
		return read_model(d, "the account", name, LDAP_SCOPE_BASE, "(objectClass=user)", out,
		                  err);
	struct spn_buf f;
	spn_buf_init(&f, SPN_LDAP_STR_MAX);
	find_filter(&f, name, n, kinds, dollar);
	if (!spn_buf_str(&f))
		return spn_err_set(err, SPN_NOMEM, "out of memory");
	enum spn_rc rc = read_model(d, "the account", d->base, LDAP_SCOPE_SUBTREE, spn_buf_str(&f),
	                            out, err);
	spn_buf_release(&f);
	return rc;
}

/* The DNS name of a domain naming context: "DC=corp,DC=example" ->
 * "corp.example" (only its DC= parts). */
static void nc_dns_name(const char *nc, char *buf, size_t cap)
{
	size_t used = 0;
	buf[0] = '\0';
	for (const char *p = nc; *p && used + 1 < cap;) {
		const char *end = strchr(p, ',');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		if (n > 3 && strncasecmp(p, "DC=", 3) == 0)
			used += (size_t)snprintf(buf + used, cap - used, "%s%.*s", used ? "." : "",
			                         (int)(n - 3), p + 3);
		p += n + (end ? 1 : 0);
	}
}

/* The NetBIOS name of the domain d is bound to (its crossRef's
 * nETBIOSName), malloc'd into *name; NULL when the directory does not say.
 * An error only when the server did not answer in time or went away. */
static enum spn_rc netbios_name(struct spn_dir *d, char **name, struct spn_err *err)
{
	*name = NULL;
	if (!d->r.config_nc)
		return SPN_OK;
	struct spn_buf base, f;
	char *attrs[] = {(char *)"nETBIOSName", NULL};
	LDAPMessage *e = NULL;
	char *diag = NULL;
	enum spn_rc rc = SPN_OK;
	spn_buf_init(&base, SPN_LDAP_STR_MAX);
	spn_buf_init(&f, SPN_LDAP_STR_MAX);
	spn_buf_addf(&base, "CN=Partitions,%s", d->r.config_nc);
	spn_buf_adds(&f, "(&(objectClass=crossRef)(nCName=");
	spn_filter_escape(&f, d->base, strlen(d->base), false);
	spn_buf_adds(&f, "))");
	if (!spn_buf_str(&base) || !spn_buf_str(&f)) {
		rc = spn_err_set(err, SPN_NOMEM, "out of memory");
		goto out;
	}
	/* Bounded like every read of a server that may misbehave: within the
	 * --timeout, entries past the first dropped (spn_conn_read_first). */
	int lrc = spn_conn_read_first(&d->c, spn_buf_str(&base), LDAP_SCOPE_ONELEVEL, spn_buf_str(&f),
	                              attrs, &e, &diag);
	if (lrc == LDAP_TIMEOUT || lrc == LDAP_SERVER_DOWN || lrc == LDAP_PROTOCOL_ERROR) {
		rc = spn_err_set(err, SPN_DIRECTORY, "looking up the NetBIOS name of %s under %s on %s: %s",
		                 d->base, spn_buf_str(&base), d->c.uri,
		                 lrc == LDAP_PROTOCOL_ERROR ? "the server sent far more than the one "
		                                              "entry asked for; the search was abandoned" :
		                 spn_conn_expired(&d->c) ? "no answer within the --timeout"
		                                         : "the server stopped answering");
		goto out;
	}
	/* The server said no (no such object, no access): the directory does
	 * not say, and the caller falls back to the DNS name. */
	if (lrc != LDAP_SUCCESS && lrc != LDAP_SIZELIMIT_EXCEEDED)
		goto out;
	struct berval **v = e ? ldap_get_values_len(d->c.ld, e, "nETBIOSName") : NULL;
	if (v && v[0] && v[0]->bv_len && !(*name = strndup(v[0]->bv_val, v[0]->bv_len)))
		rc = spn_err_set(err, SPN_NOMEM, "out of memory");
	ldap_value_free_len(v);
out:
	if (e)
		ldap_msgfree(e);
	ldap_memfree(diag);
	spn_buf_release(&base);
	spn_buf_release(&f);
	return rc;
}

/* "DOMAIN\name": DOMAIN must be the domain d is bound to - its NetBIOS
 * or DNS name. Another domain's account of the same name is another
 * account: refused, never looked up here. */
static enum spn_rc check_domain(struct spn_dir *d, const char *given, size_t n,
                                struct spn_err *err)
{
	char dns[256];
	nc_dns_name(d->base, dns, sizeof(dns));
	if (n && strlen(dns) == n && strncasecmp(dns, given, n) == 0)
		return SPN_OK;
	char *nb;
	enum spn_rc nrc = netbios_name(d, &nb, err);
	if (nrc)
		return nrc;
	bool same = nb && strlen(nb) == n && strncasecmp(nb, given, n) == 0;
	if (!nb) {   /* the directory does not say: the DNS name's first label */
		const char *dot = strchr(dns, '.');
		size_t fn = dot ? (size_t)(dot - dns) : strlen(dns);
		same = fn == n && strncasecmp(dns, given, n) == 0;
	}
	enum spn_rc rc = same ? SPN_OK
	                      : spn_err_set(err, SPN_INPUT, "%s: '%.*s' is a domain other than the one "
	                                    "connected to (%s%s%s): connect to a DC of %.*s (-d), or "
	                                    "name the account by DN or UPN", d->c.uri, (int)n, given,
	                                    nb ? nb : "", nb ? ", " : "", dns, (int)n, given);
	free(nb);
	return rc;
}

enum spn_rc spn_dir_find(struct spn_dir *d, const char *name, unsigned kinds,
                         struct spn_model **out, struct spn_err *err)
{
	*out = NULL;
	const char *bs = strchr(name, '\\');
	if (bs && !strchr(name, '=')) {
		enum spn_rc drc = check_domain(d, name, (size_t)(bs - name), err);
		if (drc)
			return drc;
		name = bs + 1;   /* DOMAIN\name, DOMAIN the one we are bound to */
	}
	size_t n = strlen(name);
	if (n == 0)
		return spn_err_set(err, SPN_USAGE, "an empty account name");
	if (kinds == 0)
		kinds = SPN_DIR_ANY;
	bool plain = !memchr(name, '=', n) && !memchr(name, '@', n);
	bool has_dollar = name[n - 1] == '$';
	enum spn_rc rc;
	/* setspn's order: the computer NAME$ first, then the name as given. */
	if (plain && !has_dollar && (kinds & SPN_DIR_COMPUTER)) {
		if ((rc = find_once(d, name, n, SPN_DIR_COMPUTER, true, out, err)))
			return rc;
		if (spn_model_naccounts(*out) > 0)
			goto found;
		spn_model_free(*out);
		*out = NULL;
	}
	if ((rc = find_once(d, name, n, kinds, false, out, err)))
		return rc;
found:
	if (spn_model_naccounts(*out) == 1)
		return SPN_OK;
	size_t many = spn_model_naccounts(*out);
	if (many == 0)
		rc = spn_err_set(err, SPN_INPUT, "%s: no account '%s' under '%s'", d->c.uri, name, d->base);
	else
		rc = spn_err_set(err, SPN_USAGE, "%s: '%s' names %zu accounts (%s and %s%s): give the DN",
		                 d->c.uri, name, many, spn_model_account(*out, 0)->dn,
		                 spn_model_account(*out, 1)->dn, many > 2 ? ", ..." : "");
	spn_model_free(*out);
	*out = NULL;
	return rc;
}

enum spn_rc spn_dir_holders(struct spn_dir *d, const char *spn, struct spn_model **out,
                            struct spn_err *err)
{
	struct spn_buf f;
	spn_buf_init(&f, SPN_LDAP_STR_MAX);
	spn_buf_adds(&f, "(|");
	spn_filter_spn_terms(&f, spn, strlen(spn), false);
	spn_buf_adds(&f, ")");
	if (!spn_buf_str(&f))
		return spn_err_set(err, SPN_NOMEM, "out of memory");
	enum spn_rc rc = read_model(d, "the holders of the SPN", d->base, LDAP_SCOPE_SUBTREE,
	                            spn_buf_str(&f), out, err);
	spn_buf_release(&f);
	return rc;
}

/* ---- The one write ---- */

enum spn_rc spn_dir_modify(struct spn_dir *d, const char *dn, enum spn_dir_op op,
                           const char *const *values, size_t n, int *lrc, struct spn_err *err)
{
	static const char *const verbs[] = {"adding", "deleting", "replacing", "deleting"};
	*lrc = LDAP_OTHER;
	if (op == SPN_DIR_DELETE_SHIELDED && n != 2)
		return spn_err_set(err, SPN_BUG, "a shielded delete takes a value and a placeholder");
	struct berval *bv = calloc(n ? n : 1, sizeof(*bv));
	struct berval **bvp = calloc(2 * n + 2, sizeof(*bvp));   /* lists ended by NULL */
	if (!bv || !bvp) {
		free(bv);
		free(bvp);
		return spn_err_set(err, SPN_NOMEM, "out of memory");
	}
	for (size_t i = 0; i < n; i++) {
		bv[i].bv_val = (char *)values[i];
		bv[i].bv_len = strlen(values[i]);
	}
	LDAPMod mod[3];
	LDAPMod *mods[4] = {&mod[0], NULL, NULL, NULL};
	memset(mod, 0, sizeof(mod));
	for (size_t i = 0; i < 3; i++) {
		mod[i].mod_type = (char *)"servicePrincipalName";
		mod[i].mod_op = LDAP_MOD_BVALUES;
	}
	if (op == SPN_DIR_DELETE_SHIELDED) {
		/* add the placeholder, delete the value, delete the placeholder:
		 * three lists of one value each */
		struct berval *order[3] = {&bv[1], &bv[0], &bv[1]};
		int ops[3] = {LDAP_MOD_ADD, LDAP_MOD_DELETE, LDAP_MOD_DELETE};
		for (size_t i = 0; i < 3; i++) {
			bvp[2 * i] = order[i];
			mod[i].mod_op |= ops[i];
			mod[i].mod_bvalues = &bvp[2 * i];
			mods[i] = &mod[i];
		}
	} else {
		for (size_t i = 0; i < n; i++)
			bvp[i] = &bv[i];
		mod[0].mod_op |= op == SPN_DIR_ADD ? LDAP_MOD_ADD : op == SPN_DIR_DELETE ? LDAP_MOD_DELETE
		                                                                        : LDAP_MOD_REPLACE;
		mod[0].mod_bvalues = bvp;
	}
	spn_conn_restart_clock(&d->c, &d->o);
	int rc = ldap_modify_ext_s(d->c.ld, dn, mods, NULL, NULL);
	free(bv);
	free(bvp);
	*lrc = rc;
	if (rc == LDAP_SUCCESS)
		return SPN_OK;
	if (rc == LDAP_SERVER_DOWN || rc == LDAP_CONNECT_ERROR || rc == LDAP_TIMEOUT) {
		d->c.down = true;
		return spn_ldap_fail(err, SPN_DIRECTORY, d->c.ld, rc, d->c.uri,
		                     "%s servicePrincipalName of '%s'", verbs[op], dn);
	}
	return spn_ldap_fail(err, SPN_REFUSED, d->c.ld, rc, d->c.uri, "%s servicePrincipalName of '%s'",
	                     verbs[op], dn);
}
