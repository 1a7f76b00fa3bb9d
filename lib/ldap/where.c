/*
 * where.c - which directory a live command reads when the command line
 * names none (no -H, -d or -T), and why, so spnctl can say so before it
 * binds: never a silent fallback to whatever libldap would try.
 *
 * In libldap's order (ldap_int_initialize): /etc/ldap/ldap.conf; ldaprc
 * and .ldaprc in $HOME and ldaprc here; then, as well, the file $LDAPCONF
 * names and the ldaprc files under the name $LDAPRC gives; then $LDAPURI
 * and $LDAPHOST - the last that sets URI (or HOST) decides, and libldap's
 * own merged value is the one named. When none sets one,
 * libldap would quietly try ldap://localhost; spnctl instead reads this
 * host's DNS domain (the resolver's: resolv.conf's domain or first search
 * entry, $LOCALDOMAIN; else the host name's domain) and finds its domain
 * controllers by their SRV records, as -d does. LDAPNOINIT set means no
 * defaults at all, for libldap and for spnctl.
 */
#include <ctype.h>
#include <resolv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "ldap_int.h"
#include "netbios.h"
#include "where.h"

/* Does text (ldap.conf syntax) set URI or HOST? The last value, in out;
 * which of the two it was, in *key. */
bool spn_ldapconf_server(const char *text, char *out, size_t cap, const char **key)
{
	bool found = false;
	for (const char *l = text; l && *l;) {
		const char *nl = strchr(l, '\n');
		size_t n = nl ? (size_t)(nl - l) : strlen(l);
		while (n && (*l == ' ' || *l == '\t')) {
			l++;
			n--;
		}
		size_t k = 0;
		while (k < n && !isspace((unsigned char)l[k]))
			k++;
		bool uri = k == 3 && strncasecmp(l, "URI", 3) == 0;
		bool host = k == 4 && strncasecmp(l, "HOST", 4) == 0;
		if ((uri || host) && k < n) {
			const char *v = l + k;
			size_t vn = n - k;
			while (vn && isspace((unsigned char)*v)) {
				v++;
				vn--;
			}
			while (vn && isspace((unsigned char)v[vn - 1]))
				vn--;
			if (vn) {
				snprintf(out, cap, "%.*s", (int)vn, v);
				*key = uri ? "URI" : "HOST";
				found = true;
			}
		}
		l = nl ? nl + 1 : NULL;
	}
	return found;
}

/* Does the file set URI or HOST? Its path into why. */
static bool file_sets(const char *path, struct spn_live_where *w)
{
	char text[65536], value[512];
	FILE *f = fopen(path, "r");
	if (!f)
		return false;
	size_t n = fread(text, 1, sizeof(text) - 1, f);
	fclose(f);
	text[n] = '\0';
	const char *key = "URI";
	if (!spn_ldapconf_server(text, value, sizeof(value), &key))
		return false;
	snprintf(w->why, sizeof(w->why), "%s in %s", key, path);
	return true;
}

/* Do the user's files of that name set URI or HOST ($HOME/name,
 * $HOME/.name, ./name)? */
static bool rc_sets(const char *rcname, struct spn_live_where *w)
{
	char path[1024];
	const char *home = getenv("HOME");
	bool set = false;
	if (home && *home) {
		snprintf(path, sizeof(path), "%s/%s", home, rcname);
		set |= file_sets(path, w);
		snprintf(path, sizeof(path), "%s/.%s", home, rcname);
		set |= file_sets(path, w);
	}
	return file_sets(rcname, w) || set;
}

/* Which configuration sets the server (the last one libldap reads).
 * $LDAPCONF and $LDAPRC add files; the default ones are read too. */
static bool configured(struct spn_live_where *w)
{
	const char *conf = getenv("LDAPCONF"), *rc = getenv("LDAPRC");
	bool set = file_sets("/etc/ldap/ldap.conf", w);
	set |= rc_sets("ldaprc", w);
	if (conf)
		set |= file_sets(conf, w);
	if (rc)
		set |= rc_sets(rc, w);
	for (const char *const *v = (const char *const[]){"LDAPURI", "LDAPHOST", NULL}; *v; v++)
		if (getenv(*v) && *getenv(*v)) {
			snprintf(w->why, sizeof(w->why), "$%s", *v);
			set = true;
		}
	return set;
}

/* This host's DNS domain: the resolver's default domain, else the host
 * name's. */
static bool host_domain(struct spn_live_where *w)
{
	struct __res_state rs;
	memset(&rs, 0, sizeof(rs));
	if (res_ninit(&rs) == 0) {
		const char *d = rs.dnsrch[0] ? rs.dnsrch[0] : rs.defdname;
		if (d && *d && strchr(d, '.')) {
			snprintf(w->domain, sizeof(w->domain), "%s", d);
			snprintf(w->why, sizeof(w->why), "this host's DNS domain (%s)",
			         getenv("LOCALDOMAIN") ? "$LOCALDOMAIN" : "resolv.conf");
			res_nclose(&rs);
			return true;
		}
		res_nclose(&rs);
	}
	char host[256] = "";
	if (gethostname(host, sizeof(host) - 1) != 0)
		return false;
	const char *dot = strchr(host, '.');
	if (dot && strchr(dot + 1, '.')) {
		snprintf(w->domain, sizeof(w->domain), "%s", dot + 1);
		snprintf(w->why, sizeof(w->why), "this host's DNS domain (its name, %s)", host);
		return true;
	}
	return false;
}

bool spn_live_names_directory(const struct spn_live_opts *o)
{
	if (o->nuris || o->domain)
		return true;
	for (size_t i = 0; i < o->ntargets; i++)
		if (spn_netbios_like(o->targets[i]))
			return false;
	return o->ntargets > 0;
}

enum spn_rc spn_live_where(struct spn_live_where *w, struct spn_err *err)
{
	memset(w, 0, sizeof(*w));
	if (getenv("LDAPNOINIT"))
		return spn_err_set(err, SPN_USAGE, "no directory given and LDAPNOINIT is set (no "
		                   "defaults): read a snapshot with -f FILE, or name a server with -H "
		                   "URI or a domain with -d DOMAIN");
	if (configured(w)) {
		char *def = NULL;
		ldap_get_option(NULL, LDAP_OPT_URI, &def);
		snprintf(w->uri, sizeof(w->uri), "%s", def ? def : "");
		ldap_memfree(def);
		if (w->uri[0])
			return SPN_OK;
	}
	if (host_domain(w))
		return SPN_OK;
	return spn_err_set(err, SPN_USAGE, "no directory given, no URI in ldap.conf and no DNS domain "
	                   "for this host: read a snapshot with -f FILE, or name a server with -H URI "
	                   "or a domain with -d DOMAIN");
}
