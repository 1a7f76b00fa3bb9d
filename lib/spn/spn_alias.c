/*
 * spn_alias.c - the HOST alias table (sPNMappings).
 *
 * A value reads "host=alerter,appmgmt,...": every listed class is served by
 * the target class's SPN when no account holds the explicit one (MS-DRSR
 * 4.1.4.2.19 MapSPN). The table is sorted by class for binary search; the
 * first mapping of a class wins, as on Windows and in Samba. The alias key
 * (spn_alias_key()) is worked out here, and only here, for the checks, the
 * resolver and the live search filters alike.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "spn/spn.h"

/* Samba provisioning's value, as observed on Windows forests
 * (see ../shared/docs/ad-spn-reference.md, section 2.2). */
static const char default_mapping[] =
	"host=alerter,appmgmt,cisvc,clipsrv,browser,dhcp,dnscache,replicator,eventlog,"
	"eventsystem,policyagent,oakley,dmserver,dns,mcsvc,fax,msiserver,ias,messenger,"
	"netlogon,netman,netdde,netddedsm,nmagent,plugplay,protectedstorage,rasman,"
	"rpclocator,rpc,rpcss,remoteaccess,rsvp,samss,scardsvr,scesrv,seclogon,scm,dcom,"
	"cifs,spooler,snmp,schedule,tapisrv,trksvr,trkwks,ups,time,wins,www,http,w3svc,"
	"iisadmin,msdtc";

struct alias {
	char *cls;
	const char *target;   /* points into targets[] */
	size_t order;         /* position in the input: first one wins */
};

struct spn_alias_table {
	struct alias *v;
	size_t n;
	char **targets;
	size_t ntargets;
	bool any;             /* spn_alias_any(): every class but HOST is an alias of HOST */
};

static struct spn_alias_table any_table = {.any = true};

static int cmp_alias(const void *a, const void *b)
{
	const struct alias *x = a, *y = b;
	int c = strcasecmp(x->cls, y->cls);
	if (c)
		return c;
	return x->order < y->order ? -1 : x->order > y->order;
}

static char *dup_lower(const char *s, size_t n)
{
	while (n && (*s == ' ' || *s == '\t')) { s++; n--; }
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r')) n--;
	char *p = malloc(n + 1);
	if (!p)
		return NULL;
	for (size_t i = 0; i < n; i++)
		p[i] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i]);
	p[n] = '\0';
	return p;
}

static int add_value(struct spn_alias_table *t, const char *s, size_t n, size_t *order)
{
	const char *eq = memchr(s, '=', n);
	if (!eq || eq == s)
		return 1;
	char *target = dup_lower(s, (size_t)(eq - s));
	char **nt = target ? realloc(t->targets, (t->ntargets + 1) * sizeof(*nt)) : NULL;
	if (!nt) {
		free(target);
		return -1;
	}
	t->targets = nt;
	t->targets[t->ntargets++] = target;
	const char *p = eq + 1, *end = s + n;
	while (p < end) {
		const char *comma = memchr(p, ',', (size_t)(end - p));
		const char *stop = comma ? comma : end;
		if (stop > p) {
			struct alias *nv = realloc(t->v, (t->n + 1) * sizeof(*nv));
			if (!nv)
				return -1;
			t->v = nv;
			char *cls = dup_lower(p, (size_t)(stop - p));
			if (!cls)
				return -1;
			if (*cls == '\0') {
				free(cls);
			} else {
				t->v[t->n++] = (struct alias){cls, target, (*order)++};
			}
		}
		p = stop + 1;
	}
	return 0;
}

/* Sort and drop later duplicates of a class (first mapping wins). */
static void finish(struct spn_alias_table *t)
{
	if (t->n > 1)  /* qsort(NULL, 0, ...) is undefined (UBSan) */
		qsort(t->v, t->n, sizeof(*t->v), cmp_alias);
	size_t k = 0;
	for (size_t i = 0; i < t->n; i++) {
		if (k && strcmp(t->v[k - 1].cls, t->v[i].cls) == 0) {
			free(t->v[i].cls);
			continue;
		}
		t->v[k++] = t->v[i];
	}
	t->n = k;
}

struct spn_alias_table *spn_alias_parse(const struct spn_slice *values, size_t nvalues, size_t *bad)
{
	struct spn_alias_table *t = calloc(1, sizeof(*t));
	size_t order = 0, nbad = 0;
	if (!t)
		return NULL;
	for (size_t i = 0; i < nvalues; i++) {
		int r = add_value(t, values[i].p, values[i].n, &order);
		if (r < 0) {
			spn_alias_free(t);
			return NULL;
		}
		nbad += (size_t)r;
	}
	finish(t);
	if (bad)
		*bad = nbad;
	return t;
}

struct spn_alias_table *spn_alias_default(void)
{
	struct spn_slice v = {default_mapping, sizeof(default_mapping) - 1};
	return spn_alias_parse(&v, 1, NULL);
}

const struct spn_alias_table *spn_alias_any(void)
{
	return &any_table;
}

void spn_alias_free(struct spn_alias_table *t)
{
	if (!t || t->any)
		return;
	for (size_t i = 0; i < t->n; i++)
		free(t->v[i].cls);
	for (size_t i = 0; i < t->ntargets; i++)
		free(t->targets[i]);
	free(t->v);
	free(t->targets);
	free(t);
}

const char *spn_alias_target(const struct spn_alias_table *t, const char *cls, size_t n)
{
	size_t lo = 0, hi = t->n;
	/* strncasecmp stops at a NUL inside cls and would then read c[n] past
	 * the end of a shorter class (found by tests/fuzz/fuzz_spn). */
	if (memchr(cls, '\0', n))
		return NULL;
	if (t->any)
		return n == 4 && strncasecmp(cls, "host", 4) == 0 ? NULL : "HOST";
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const char *c = t->v[mid].cls;
		int r = strncasecmp(cls, c, n);
		if (r == 0 && c[n] != '\0')
			r = -1;  /* cls is a proper prefix of c */
		if (r == 0)
			return t->v[mid].target;
		if (r < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

size_t spn_alias_count(const struct spn_alias_table *t)
{
	return t->n;
}

void spn_alias_get(const struct spn_alias_table *t, size_t i, const char **cls, const char **target)
{
	*cls = t->v[i].cls;
	*target = t->v[i].target;
}

bool spn_alias_key(const struct spn_alias_table *t, const char *s, size_t n, struct spn_alias_key *k)
{
	const char *slash = t ? memchr(s, '/', n) : NULL;
	if (!slash)
		return false;
	size_t clsn = (size_t)(slash - s);
	const char *host = slash + 1, *end = memchr(host, '/', n - clsn - 1);
	size_t hostn = end ? (size_t)(end - host) : n - clsn - 1;
	const char *target = spn_alias_target(t, s, clsn);
	if (hostn == 0 || !target || (strlen(target) == clsn && strncasecmp(target, s, clsn) == 0))
		return false;
	*k = (struct spn_alias_key){target, {s, clsn}, {host, hostn}};
	return true;
}
