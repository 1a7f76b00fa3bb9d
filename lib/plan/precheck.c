/*
 * precheck.c - what stands in the way of adding an SPN (spn/precheck.h).
 *
 * Exact duplicates and HOST-alias forms are index lookups. Look-alikes
 * need skeletons: only values with non-ASCII bytes can differ from their
 * fold, so those (rare) are scanned, plus the skeleton of the new name as
 * a key of its own. O(alias classes + non-ASCII values).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "spn/precheck.h"
#include "spn/spn.h"

#define KEY_MAX 2048

const char *spn_conflict_name(enum spn_conflict_kind k)
{
	static const char *const names[] = {
		[SPN_CONFLICT_SYNTAX] = "syntax",
		[SPN_CONFLICT_MALFORMED] = "malformed",
		[SPN_CONFLICT_DUPLICATE] = "duplicate",
		[SPN_CONFLICT_LOOKALIKE] = "lookalike",
		[SPN_CONFLICT_ALIAS_HOST] = "alias-host",
		[SPN_CONFLICT_ALIAS_CLASS] = "alias-class",
	};
	return (unsigned)k < sizeof(names) / sizeof(names[0]) ? names[k] : "unknown";
}

void spn_precheck_init(struct spn_precheck *p)
{
	memset(p, 0, sizeof(*p));
	spn_arena_init(&p->arena);
}

void spn_precheck_release(struct spn_precheck *p)
{
	free(p->v);
	spn_arena_release(&p->arena);
	spn_precheck_init(p);
}

bool spn_precheck_forceable(const struct spn_precheck *p)
{
	for (size_t i = 0; i < p->n; i++)
		if (p->v[i].kind == SPN_CONFLICT_SYNTAX)
			return false;
	return true;
}

static const char *acc_name(const struct spn_account *a)
{
	return a->sam ? a->sam : a->dn;
}

static enum spn_rc add(struct spn_precheck *p, enum spn_conflict_kind k, uint32_t account,
                       const char *value, struct spn_err *err, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

static enum spn_rc add(struct spn_precheck *p, enum spn_conflict_kind k, uint32_t account,
                       const char *value, struct spn_err *err, const char *fmt, ...)
{
	for (size_t i = 0; i < p->n; i++)   /* one conflict per (kind, account, value) */
		if (p->v[i].kind == k && p->v[i].account == account && value && p->v[i].value &&
		    strcmp(p->v[i].value, value) == 0)
			return SPN_OK;
	if (p->n == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 8;
		struct spn_conflict *v = realloc(p->v, cap * sizeof(*v));
		if (!v)
			return spn_err_set(err, SPN_NOMEM, "out of memory");
		p->v = v;
		p->cap = cap;
	}
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	struct spn_conflict c = {k, account, NULL, spn_arena_strndup(&p->arena, buf, strlen(buf))};
	if (value)
		c.value = spn_arena_strndup(&p->arena, value, strlen(value));
	if (!c.text || (value && !c.value))
		return spn_err_set(err, SPN_NOMEM, "out of memory");
	p->v[p->n++] = c;
	return SPN_OK;
}

static bool is_target(const struct spn_account *a, const char *target)
{
	return strcasecmp(a->dn, target) == 0;
}

/* The DC's own syntax rules, then spnctl's stricter ones. */
static enum spn_rc syntax(struct spn_precheck *p, const char *spn, struct spn_parts *parts,
                          bool *ok, struct spn_err *err)
{
	enum spn_syntax s = spn_parse(spn, strlen(spn), parts);
	*ok = s == SPN_SYNTAX_OK;
	if (s == SPN_SYNTAX_OK)
		return SPN_OK;
	bool dc = s == SPN_SYNTAX_EMPTY || s == SPN_SYNTAX_ONE_PART || s == SPN_SYNTAX_TOO_MANY_PARTS ||
	          s == SPN_SYNTAX_EMPTY_PART;
	if (dc)
		return add(p, SPN_CONFLICT_SYNTAX, SPN_NONE, NULL, err,
		           "'%s' is not an SPN the DC accepts: it %s (an SPN is class/host[:port] or "
		           "class/host[:port]/service)", spn, spn_syntax_text(s));
	return add(p, SPN_CONFLICT_MALFORMED, SPN_NONE, NULL, err,
	           "'%s' is not a well-formed SPN: it %s; clients will not ask for such a name", spn,
	           spn_syntax_text(s));
}

/* Other holders of the name key[0..n) (already folded). */
static enum spn_rc holders_of_key(const struct spn_model *m, const char *key, size_t n,
                                  const char *target, const char **already, uint32_t *found,
                                  size_t cap, size_t *nfound, uint32_t *values)
{
	*nfound = 0;
	for (uint32_t w = spn_model_find_key(m, key, n); w != SPN_NONE;
	     w = spn_model_value(m, w)->next_same) {
		const struct spn_value *v = spn_model_value(m, w);
		const struct spn_account *a = spn_model_account(m, v->account);
		if (is_target(a, target)) {
			*already = v->str;
			continue;
		}
		if (*nfound < cap) {
			found[*nfound] = v->account;
			values[*nfound] = w;
			(*nfound)++;
		}
	}
	return SPN_OK;
}

static enum spn_rc duplicates(struct spn_precheck *p, const struct spn_model *m, const char *spn,
                              const char *target, struct spn_err *err)
{
	char key[KEY_MAX];
	uint32_t acc[64], val[64];
	size_t n, k = spn_key(spn, strlen(spn), key, sizeof(key));
	if (k == (size_t)-1)
		return spn_err_set(err, SPN_USAGE, "'%.60s...' is too long for an SPN", spn);
	holders_of_key(m, key, k, target, &p->already, acc, 64, &n, val);
	for (size_t i = 0; i < n; i++) {
		const struct spn_account *a = spn_model_account(m, acc[i]);
		const char *stored = spn_model_value(m, val[i])->str;
		enum spn_rc rc = add(p, SPN_CONFLICT_DUPLICATE, acc[i], stored, err,
		                     "%s (%s) already holds %s%s: with a second holder the KDC refuses "
		                     "every ticket for the name (KDC_ERR_S_PRINCIPAL_UNKNOWN, \"Server not "
		                     "found in Kerberos database\") and the service falls back to NTLM or "
		                     "fails", a->dn, acc_name(a), stored,
		                     strcmp(stored, spn) != 0 ? " (the same name in other letter case)" : "");
		if (rc)
			return rc;
	}
	return SPN_OK;
}

static enum spn_rc lookalike_one(struct spn_precheck *p, const struct spn_model *m, uint32_t w,
                                 const char *target, struct spn_err *err)
{
	const struct spn_value *v = spn_model_value(m, w);
	const struct spn_account *a = spn_model_account(m, v->account);
	if (is_target(a, target))
		return SPN_OK;
	return add(p, SPN_CONFLICT_LOOKALIKE, v->account, v->str, err,
	           "%s (%s) holds a spelling that reads the same once invisible characters are dropped: "
	           "a ticket for the name can be issued under the wrong account's key", a->dn,
	           acc_name(a));
}

static enum spn_rc lookalikes(struct spn_precheck *p, const struct spn_model *m, const char *spn,
                              const char *target, struct spn_err *err)
{
	char skel[KEY_MAX], key[KEY_MAX], other[KEY_MAX];
	size_t sn = spn_skeleton(spn, strlen(spn), skel, sizeof(skel));
	size_t kn = spn_key(spn, strlen(spn), key, sizeof(key));
	if (sn == (size_t)-1 || kn == (size_t)-1)
		return SPN_OK;   /* not UTF-8: the syntax check said so */
	enum spn_rc rc = SPN_OK;
	/* A plain spelling of a name with hidden characters. */
	if (sn != kn || memcmp(skel, key, sn) != 0)
		for (uint32_t w = spn_model_find_key(m, skel, sn); w != SPN_NONE && !rc;
		     w = spn_model_value(m, w)->next_same)
			rc = lookalike_one(p, m, w, target, err);
	/* Stored spellings with hidden characters of this name (not the very
	 * same name: duplicates() has those). */
	size_t nv = spn_model_nvalues(m);
	for (uint32_t w = 0; w < nv && !rc; w++) {
		const struct spn_value *v = spn_model_value(m, w);
		if (!(v->flags & SPN_VALUE_NONASCII))
			continue;
		size_t on = spn_skeleton(v->str, v->len, other, sizeof(other));
		if (on != sn || memcmp(other, skel, sn) != 0)
			continue;
		size_t ok = spn_key(v->str, v->len, other, sizeof(other));
		if (ok == kn && memcmp(other, key, kn) == 0)
			continue;
		rc = lookalike_one(p, m, w, target, err);
	}
	return rc;
}

/* HOST/<rest> <-> <alias>/<rest>, by the model's sPNMappings. */
static enum spn_rc aliases(struct spn_precheck *p, const struct spn_model *m, const char *spn,
                           const struct spn_parts *parts, const char *target, struct spn_err *err)
{
	const struct spn_alias_table *t = spn_model_aliases(m);
	const char *rest = parts->cls.p + parts->cls.n;   /* "/host[:port][/service]" */
	const char *tgt = spn_alias_target(t, parts->cls.p, parts->cls.n);
	char name[KEY_MAX], key[KEY_MAX];
	uint32_t acc[64], val[64];
	size_t n;
	const char *ignore = NULL;
	bool is_host = parts->cls.n == 4 && strncasecmp(parts->cls.p, "host", 4) == 0;
	if (tgt && !is_host) {
		snprintf(name, sizeof(name), "%s%s", tgt, rest);
		size_t k = spn_key(name, strlen(name), key, sizeof(key));
		if (k == (size_t)-1)
			return SPN_OK;
		holders_of_key(m, key, k, target, &ignore, acc, 64, &n, val);
		for (size_t i = 0; i < n; i++) {
			const struct spn_account *a = spn_model_account(m, acc[i]);
			const char *stored = spn_model_value(m, val[i])->str;
			enum spn_rc rc = add(p, SPN_CONFLICT_ALIAS_HOST, acc[i], stored, err,
			                     "%s (%s) holds %s, which stands for %s through sPNMappings: "
			                     "with an explicit %s elsewhere the KDC issues those tickets under "
			                     "the other key, and the service running as %s cannot decrypt "
			                     "them (KRB_AP_ERR_MODIFIED)", a->dn, acc_name(a), stored, spn, spn,
			                     acc_name(a));
			if (rc)
				return rc;
		}
		return SPN_OK;
	}
	if (!is_host)
		return SPN_OK;
	for (size_t i = 0; i < spn_alias_count(t); i++) {
		const char *cls, *to;
		spn_alias_get(t, i, &cls, &to);
		if (strcasecmp(to, "host") != 0 || strcasecmp(cls, "host") == 0)
			continue;
		snprintf(name, sizeof(name), "%s%s", cls, rest);
		size_t k = spn_key(name, strlen(name), key, sizeof(key));
		if (k == (size_t)-1)
			continue;
		holders_of_key(m, key, k, target, &ignore, acc, 64, &n, val);
		for (size_t j = 0; j < n; j++) {
			const struct spn_account *a = spn_model_account(m, acc[j]);
			const char *stored = spn_model_value(m, val[j])->str;
			enum spn_rc rc = add(p, SPN_CONFLICT_ALIAS_CLASS, acc[j], stored, err,
			                     "%s (%s) holds %s, an alias of %s in sPNMappings: the DC refuses "
			                     "HOST/ on one account while an alias of it is on another, and %s "
			                     "tickets would still go to %s", a->dn, acc_name(a), stored, spn,
			                     cls, acc_name(a));
			if (rc)
				return rc;
		}
	}
	return SPN_OK;
}

enum spn_rc spn_precheck_add(const struct spn_model *m, const char *spn, const char *target,
                             struct spn_precheck *out, struct spn_err *err)
{
	struct spn_parts parts;
	bool ok;
	enum spn_rc rc = syntax(out, spn, &parts, &ok, err);
	if (rc == SPN_OK && out->n && !spn_precheck_forceable(out))
		return SPN_OK;   /* the DC refuses it anyway: no point looking further */
	if (rc == SPN_OK)
		rc = duplicates(out, m, spn, target, err);
	if (rc == SPN_OK)
		rc = lookalikes(out, m, spn, target, err);
	if (rc == SPN_OK && ok)
		rc = aliases(out, m, spn, &parts, target, err);
	return rc;
}
