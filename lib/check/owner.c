/*
 * owner.c - the evidence rule: which of the accounts holding an SPN runs
 * the service (spn/owner.h has the points and the margin).
 *
 * Reads only the model. The service-set evidence walks each candidate's own
 * values (an account holds a handful) and, for each value of the same
 * class and host, the index chain of that value, to see whether another
 * candidate holds it too: O(values of the candidates x holders).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "spn/owner.h"
#include "spn/spn.h"
#include "check_int.h"

#define POINTS_HOST 4
#define POINTS_HOST_WEAK 1
#define POINTS_SET 3
#define POINTS_MANAGED 2
#define POINTS_NAMED 1
#define POINTS_PERSON (-2)
#define POINTS_PRIVILEGED (-3)
#define POINTS_BUILTIN (-4)
#define POINTS_DISABLED (-5)
#define MAX_EVIDENCE 8      /* kinds an account can collect at once */
#define SET_SHOWN 3         /* set members named in the text */

/* Classes that run as the machine and are not HOST aliases by default
 * (aliases come from the model's sPNMappings). */
static const char *const machine_classes[] = {
	"host", "restrictedkrbhost", "termsrv", "wsman", "ldap", "gc", "dns", "smtpsvc", "smtp",
	"exchangemdb", "exchangerfr", "exchangeab", "imap", "imap4", "pop", "pop3", "rpc", "cifs",
	"msclustervirtualserver", "msserverclustermgmtapi", "msservercluster",
	"e3514235-4b06-11d1-ab04-00c04fc2dcd2", "dfsr-12f9a27c-bf97-4787-9364-d31b6c55eb04",
	"ntfrs-88f5d2bd-b646-11d2-a6d3-00c04fc9b232",
};
/* HOST aliases that an IIS application pool (a service account) may run. */
static const char *const web_classes[] = {"http", "www", "w3svc"};

static bool in_list(const char *const *list, size_t n, const char *s, size_t len)
{
	for (size_t i = 0; i < n; i++)
		if (strlen(list[i]) == len && strncasecmp(list[i], s, len) == 0)
			return true;
	return false;
}
#define IN(list, s, n) in_list(list, sizeof(list) / sizeof(list[0]), s, n)

bool spn_class_runs_as_machine(const struct spn_alias_table *t, const char *cls, size_t n)
{
	if (IN(web_classes, cls, n))
		return false;
	if (IN(machine_classes, cls, n))
		return true;
	return t && spn_alias_target(t, cls, n) != NULL;
}

const char *spn_evidence_name(enum spn_evidence_kind k)
{
	static const char *const names[] = {
		[SPN_EV_HOST_COMPUTER] = "host-computer",
		[SPN_EV_HOST_COMPUTER_WEAK] = "host-computer-weak",
		[SPN_EV_SERVICE_SET] = "service-set",
		[SPN_EV_MANAGED] = "managed-account",
		[SPN_EV_SERVICE_NAMED] = "service-account-name",
		[SPN_EV_PERSON] = "person",
		[SPN_EV_PRIVILEGED] = "privileged",
		[SPN_EV_BUILTIN] = "built-in",
		[SPN_EV_DISABLED] = "disabled",
	};
	return (unsigned)k < sizeof(names) / sizeof(names[0]) ? names[k] : "unknown";
}

void spn_owner_init(struct spn_owner *o)
{
	memset(o, 0, sizeof(*o));
	spn_arena_init(&o->arena);
}

void spn_owner_release(struct spn_owner *o)
{
	spn_arena_release(&o->arena);
	spn_owner_init(o);
}

/* ---- Small helpers ---- */

static bool contains_nocase(const char *s, size_t n, const char *word)
{
	size_t w = strlen(word);
	for (size_t i = 0; i + w <= n; i++)
		if (strncasecmp(s + i, word, w) == 0)
			return true;
	return false;
}

/* The end of the RDN that starts at p: the next ',' that is no escaped
 * "\," (RFC 4514), or the end of the DN. */
static const char *rdn_end(const char *p)
{
	for (; *p && *p != ','; p++)
		if (*p == '\\' && p[1])
			p++;
	return p;
}

/* A user named or placed like a dedicated service account: "svc" or
 * "service" in its sAMAccountName, or an OU of its DN whose name has
 * "service" in it ("OU=Service Accounts"). RDNs are split where the DN
 * splits them: "CN=jdoe\,OU=Service Accounts" is one CN, no OU. */
static bool service_named(const struct spn_account *a)
{
	if (a->sam && (contains_nocase(a->sam, strlen(a->sam), "svc") ||
	               contains_nocase(a->sam, strlen(a->sam), "service")))
		return true;
	for (const char *p = a->dn, *end; *p; p = *end ? end + 1 : end) {
		end = rdn_end(p);
		while (*p == ' ')
			p++;
		if (strncasecmp(p, "OU=", 3) == 0 && end > p + 3 &&
		    contains_nocase(p + 3, (size_t)(end - (p + 3)), "service"))
			return true;
	}
	return false;
}

/* Two host parts name the same machine: equal without regard to case and
 * trailing dots, or one is the first label of the other (short name). */
static bool same_host(const char *a, size_t an, const char *b, size_t bn)
{
	while (an && a[an - 1] == '.')
		an--;
	while (bn && b[bn - 1] == '.')
		bn--;
	if (an == bn)
		return an && strncasecmp(a, b, an) == 0;
	if (an > bn) {
		const char *t = a;
		size_t tn = an;
		a = b, an = bn, b = t, bn = tn;
	}
	/* a is shorter: a single label equal to b's first label */
	return an && !memchr(a, '.', an) && b[an] == '.' && strncasecmp(a, b, an) == 0;
}

static bool is_candidate(const uint32_t *acc, size_t n, uint32_t id)
{
	for (size_t i = 0; i < n; i++)
		if (acc[i] == id)
			return true;
	return false;
}

/* Does any candidate other than self hold the value v (by its key)? */
static bool held_by_other(const struct spn_model *m, const struct spn_value *v, uint32_t self,
                          const uint32_t *acc, size_t n)
{
	uint32_t head = spn_model_find_spn(m, v->str, v->len);
	const struct spn_account *me = spn_model_account(m, self);
	for (uint32_t w = head; w != SPN_NONE; w = spn_model_value(m, w)->next_same) {
		uint32_t holder = spn_model_value(m, w)->account;
		if (holder != self && is_candidate(acc, n, holder) &&
		    !spn_same_dn(spn_model_account(m, holder), me))
			return true;
	}
	return false;
}

/* ---- Evidence per candidate ---- */

struct collect {
	const struct spn_model *m;
	struct spn_arena *arena;
	struct spn_parts p;        /* the SPN decided on */
	bool parsed;
	uint32_t self_head;        /* index head of the SPN itself, or SPN_NONE */
	const uint32_t *acc;
	size_t nacc;
	struct spn_evidence ev[MAX_EVIDENCE];
	size_t nev;
	bool nomem;
};

static void add_ev(struct collect *c, enum spn_evidence_kind k, int points, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void add_ev(struct collect *c, enum spn_evidence_kind k, int points, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	if (c->nev == MAX_EVIDENCE)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	char *s = spn_arena_strndup(c->arena, buf, strlen(buf));
	if (!s) {
		c->nomem = true;
		return;
	}
	c->ev[c->nev++] = (struct spn_evidence){k, points, s};
}

static void host_evidence(struct collect *c, const struct spn_account *a)
{
	if (!c->parsed || !spn_account_is_host(a, c->p.host.p, c->p.host.n))
		return;
	int cn = (int)c->p.cls.n;
	if (spn_class_runs_as_machine(spn_model_aliases(c->m), c->p.cls.p, c->p.cls.n))
		add_ev(c, SPN_EV_HOST_COMPUTER, POINTS_HOST,
		       "the computer named %.*s, and %.*s services run as the computer", (int)c->p.host.n,
		       c->p.host.p, cn, c->p.cls.p);
	else
		add_ev(c, SPN_EV_HOST_COMPUTER_WEAK, POINTS_HOST_WEAK,
		       "the computer named %.*s (a %.*s service may run as the computer, but usually "
		       "has an account of its own)", (int)c->p.host.n, c->p.host.p, cn, c->p.cls.p);
}

/* Other SPNs of the same service (class and host) that only this
 * candidate holds. */
static void set_evidence(struct collect *c, uint32_t id, const struct spn_account *a)
{
	char list[400];
	size_t found = 0, used = 0;
	if (!c->parsed)
		return;
	list[0] = '\0';
	for (uint32_t i = 0; i < a->nspn; i++) {
		const struct spn_value *v = spn_model_value(c->m, a->spn_first + i);
		struct spn_parts q;
		if (spn_parse(v->str, v->len, &q) != SPN_SYNTAX_OK || q.cls.n != c->p.cls.n ||
		    strncasecmp(q.cls.p, c->p.cls.p, q.cls.n) != 0 ||
		    !same_host(q.host.p, q.host.n, c->p.host.p, c->p.host.n))
			continue;
		if (spn_model_find_spn(c->m, v->str, v->len) == c->self_head ||
		    held_by_other(c->m, v, id, c->acc, c->nacc))
			continue;
		if (found < SET_SHOWN && used < sizeof(list)) {
			int w = snprintf(list + used, sizeof(list) - used, "%s%s", found ? " and " : "", v->str);
			used += w > 0 ? (size_t)w : 0;
		}
		found++;
	}
	if (found > SET_SHOWN)
		add_ev(c, SPN_EV_SERVICE_SET, POINTS_SET,
		       "also holds %s and %zu more of that service, which no other holder has", list,
		       found - SET_SHOWN);
	else if (found)
		add_ev(c, SPN_EV_SERVICE_SET, POINTS_SET,
		       "also holds %s of that service, which no other holder has", list);
}

static void account_evidence(struct collect *c, uint32_t id, const struct spn_account *a)
{
	char why[256];
	bool machine = spn_kind_machine((enum spn_kind)a->kind);

	if (spn_account_disabled(a))
		add_ev(c, SPN_EV_DISABLED, POINTS_DISABLED, "disabled, so it runs nothing");
	if (a->kind == SPN_KIND_SMSA || a->kind == SPN_KIND_GMSA || a->kind == SPN_KIND_DMSA) {
		add_ev(c, SPN_EV_MANAGED, POINTS_MANAGED, "a managed service account (%s)",
		       spn_kind_name((enum spn_kind)a->kind));
		return;
	}
	if (a->kind == SPN_KIND_KRBTGT || a->kind == SPN_KIND_TRUST) {
		add_ev(c, SPN_EV_BUILTIN, POINTS_BUILTIN, "the %s account, which runs no service",
		       a->kind == SPN_KIND_KRBTGT ? "krbtgt" : "trust");
		return;
	}
	if (machine)
		return;
	if ((a->has & SPN_HAS_SID) && a->rid == 500)
		add_ev(c, SPN_EV_BUILTIN, POINTS_BUILTIN,
		       "the built-in Administrator (RID 500): services do not belong on it");
	else if (spn_model_privileged(c->m, id, why, sizeof(why)))
		add_ev(c, SPN_EV_PRIVILEGED, POINTS_PRIVILEGED, "privileged (%s)", why);
	if (service_named(a))
		add_ev(c, SPN_EV_SERVICE_NAMED, POINTS_NAMED,
		       "named or placed like a dedicated service account");
	else
		add_ev(c, SPN_EV_PERSON, POINTS_PERSON,
		       "an ordinary user account, not named or placed like a service account");
}

static enum spn_rc collect_one(struct collect *c, uint32_t id, struct spn_candidate *out)
{
	const struct spn_account *a = spn_model_account(c->m, id);
	c->nev = 0;
	host_evidence(c, a);
	set_evidence(c, id, a);
	account_evidence(c, id, a);
	if (c->nomem)
		return SPN_NOMEM;
	struct spn_evidence *ev = NULL;
	if (c->nev) {
		ev = spn_arena_alloc(c->arena, c->nev * sizeof(*ev));
		if (!ev)
			return SPN_NOMEM;
		memcpy(ev, c->ev, c->nev * sizeof(*ev));
	}
	int score = 0;
	for (size_t i = 0; i < c->nev; i++)
		score += c->ev[i].points;
	*out = (struct spn_candidate){id, score, ev, c->nev};
	return SPN_OK;
}

/* ---- Deciding ---- */

/* Best first: score, then DN, then id. */
static bool before(const struct spn_model *m, const struct spn_candidate *a,
                   const struct spn_candidate *b)
{
	if (a->score != b->score)
		return a->score > b->score;
	int c = strcasecmp(spn_model_account(m, a->account)->dn, spn_model_account(m, b->account)->dn);
	if (c)
		return c < 0;
	return a->account < b->account;
}

/* Insertion sort: a handful of candidates, and checks run on several
 * threads (qsort would need the model in a global). */
static void sort_candidates(const struct spn_model *m, struct spn_candidate *c, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		struct spn_candidate t = c[i];
		size_t j = i;
		while (j > 0 && before(m, &t, &c[j - 1])) {
			c[j] = c[j - 1];
			j--;
		}
		c[j] = t;
	}
}

static const char *say(struct spn_arena *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static const char *say(struct spn_arena *a, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return spn_arena_strndup(a, buf, strlen(buf));
}

static void decide(const struct spn_model *m, struct spn_owner *o, uint32_t keep)
{
	const struct spn_account *best = spn_model_account(m, o->c[0].account);
	if (keep != SPN_NONE) {
		for (size_t i = 0; i < o->n; i++) {
			if (o->c[i].account != keep)
				continue;
			struct spn_candidate t = o->c[i];
			memmove(&o->c[1], &o->c[0], i * sizeof(o->c[0]));
			o->c[0] = t;
			o->decided = true;
			o->why = say(&o->arena, "kept on %s because you named it (--keep)",
			             spn_account_name(spn_model_account(m, keep)));
			return;
		}
	}
	if (o->n < 2) {
		o->decided = o->n == 1;
		o->why = say(&o->arena, "only one account holds it");
		return;
	}
	const struct spn_account *next = spn_model_account(m, o->c[1].account);
	int lead = o->c[0].score - o->c[1].score;
	if (lead >= SPN_OWNER_MARGIN) {
		o->decided = true;
		o->why = say(&o->arena, "%s has the strongest evidence (%+d against %+d for %s)",
		             spn_account_name(best), o->c[0].score, o->c[1].score, spn_account_name(next));
	} else if (lead == 0) {
		o->why = say(&o->arena, "the evidence is even: %s and %s both score %+d", spn_account_name(best),
		             spn_account_name(next), o->c[0].score);
	} else {
		o->why = say(&o->arena, "the evidence is too close to call: %s %+d against %s %+d (a lead of "
		             "%d is needed)", spn_account_name(best), o->c[0].score, spn_account_name(next),
		             o->c[1].score, SPN_OWNER_MARGIN);
	}
}

enum spn_rc spn_owner_decide(const struct spn_model *m, const char *spn, size_t spnlen,
                             const uint32_t *accounts, size_t n, uint32_t keep,
                             struct spn_owner *o, struct spn_err *err)
{
	struct collect c;
	spn_owner_release(o);
	memset(&c, 0, sizeof(c));
	c.m = m;
	c.arena = &o->arena;
	c.parsed = spn_parse(spn, spnlen, &c.p) == SPN_SYNTAX_OK;
	c.self_head = spn_model_find_spn(m, spn, spnlen);
	c.acc = accounts;
	c.nacc = n;
	if (n) {
		o->c = spn_arena_alloc(&o->arena, n * sizeof(*o->c));
		if (!o->c)
			return spn_err_set(err, SPN_NOMEM, "out of memory");
	}
	for (size_t i = 0; i < n; i++)
		if (collect_one(&c, accounts[i], &o->c[i]) != SPN_OK)
			return spn_err_set(err, SPN_NOMEM, "out of memory");
	o->n = n;
	if (n)
		sort_candidates(m, o->c, n);
	decide(m, o, keep);
	if (!o->why)
		return spn_err_set(err, SPN_NOMEM, "out of memory");
	return SPN_OK;
}
