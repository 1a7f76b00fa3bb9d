/*
 * lookalike_spn.c - lookalike-spn: different stored SPNs that read the
 * same once invisible and compatibility characters are dropped
 * (spn_skeleton), held by different accounts - "HTTP/web01.corp" on A and
 * "HTTP/web<U+200C>01.corp" on B (CVE-2026-25177 class). AD's uniqueness
 * check compares the stored strings, so both are accepted; name resolution
 * that normalises them sends tickets to the wrong account.
 *
 * Only values with non-ASCII bytes can differ from their fold, so only
 * those get a skeleton (they are rare). Their skeletons are sorted and each
 * group is joined with the index chain of the skeleton itself (the clean
 * spelling, if anyone holds it). One finding per skeleton group that has
 * two spellings on two accounts. O(values + k log k), k = non-ASCII values.
 */
#include <stdlib.h>
#include <string.h>

#include "check_int.h"

#define CODE "lookalike-spn"
#define SHOW_MAX 12

struct skel {
	char *key;       /* skeleton, malloc'd */
	size_t n;
	uint32_t value;
	uint32_t head;   /* head of the value's own folded key */
};

struct member {
	uint32_t value, head, account;
	bool clean;      /* the stored string equals the skeleton's spelling (no hidden characters) */
};

static int cmp_skel(const void *a, const void *b)
{
	const struct skel *x = a, *y = b;
	size_t n = x->n < y->n ? x->n : y->n;
	int c = memcmp(x->key, y->key, n);
	if (c)
		return c;
	if (x->n != y->n)
		return x->n < y->n ? -1 : 1;
	return x->value < y->value ? -1 : x->value > y->value;
}

/* Within a skeleton group: by head, so each key is walked once. */
static int cmp_skel_head(const void *a, const void *b)
{
	const struct skel *x = a, *y = b;
	if (x->head != y->head)
		return x->head < y->head ? -1 : 1;
	return x->value < y->value ? -1 : x->value > y->value;
}

static int cmp_member(const void *a, const void *b)
{
	const struct member *x = a, *y = b;
	if (x->clean != y->clean)
		return x->clean ? -1 : 1;
	return x->value < y->value ? -1 : x->value > y->value;
}

static bool push_member(struct member **v, size_t *n, size_t *cap, struct member mb)
{
	if (*n == *cap) {
		size_t c = *cap ? *cap * 2 : 8;
		struct member *p = realloc(*v, c * sizeof(*p));
		if (!p)
			return false;
		*v = p;
		*cap = c;
	}
	(*v)[(*n)++] = mb;
	return true;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

static int cmp_member_value(const void *a, const void *b)
{
	const struct member *x = a, *y = b;
	return x->value < y->value ? -1 : x->value > y->value;
}

/* Sort, drop repeated values (a value reached twice stays once, "clean" if
 * either said so), and count distinct heads and distinct accounts. */
static bool settle(const struct spn_model *m, struct member *v, size_t *n, size_t *nheads,
                   size_t *naccounts)
{
	qsort(v, *n, sizeof(*v), cmp_member_value);
	size_t k = 0;
	for (size_t i = 0; i < *n; i++) {
		if (k && v[k - 1].value == v[i].value) {
			v[k - 1].clean |= v[i].clean;
			continue;
		}
		v[k++] = v[i];
	}
	*n = k;
	uint32_t *t = malloc((k ? k : 1) * sizeof(*t));
	if (!t)
		return false;
	for (size_t i = 0; i < k; i++)
		t[i] = v[i].head;
	qsort(t, k, sizeof(*t), cmp_u32);
	*nheads = 0;
	for (size_t i = 0; i < k; i++)
		*nheads += i == 0 || t[i] != t[i - 1];
	for (size_t i = 0; i < k; i++)
		t[i] = v[i].account;
	bool nomem = false;
	*naccounts = spn_unique_accounts(m, t, k, &nomem);
	free(t);
	return !nomem;
}

static enum spn_rc report(const struct spn_model *m, struct member *v, size_t n,
                          struct spn_findings *out, struct spn_err *err)
{
	struct spn_buf msg, fix;
	uint32_t *ids = malloc(n * sizeof(*ids));
	size_t nids = 0;
	enum spn_rc rc;

	if (!ids)
		return spn_err_set(err, SPN_NOMEM, "out of memory");
	bool nomem = false;
	qsort(v, n, sizeof(*v), cmp_member);
	for (size_t i = 0; i < n; i++)
		ids[i] = v[i].account;
	nids = spn_unique_accounts(m, ids, n, &nomem);
	if (nomem) {
		free(ids);
		return spn_err_set(err, SPN_NOMEM, "out of memory");
	}
	spn_buf_init(&msg, SPN_TEXT_MAX);
	spn_buf_init(&fix, SPN_TEXT_MAX);
	const struct spn_value *first = spn_model_value(m, v[0].value);
	spn_buf_addf(&msg, "Look-alike SPNs on different accounts: ");
	for (size_t i = 0; i < n && i < SHOW_MAX; i++) {
		const struct spn_value *x = spn_model_value(m, v[i].value);
		spn_buf_addf(&msg, "%s\"", i ? "; " : "");
		spn_text_add_value(&msg, x->str, x->len);
		spn_buf_addf(&msg, "\" on %s", spn_model_account(m, v[i].account)->dn);
	}
	if (n > SHOW_MAX)
		spn_buf_addf(&msg, "; and %zu more", n - SHOW_MAX);
	spn_buf_addf(&msg, ". They differ only by invisible or compatibility characters (shown as "
	             "<U+XXXX>), so AD's uniqueness check accepts them as different names while they "
	             "read the same to people and to name resolution that normalises them "
	             "(CVE-2026-25177 class): a ticket for the name can be issued under the wrong "
	             "account's key (KRB_AP_ERR_MODIFIED for the real service) or refused as not "
	             "unique, and whoever planted the look-alike can receive tickets meant for the "
	             "real service.");
	if (v[0].clean) {
		spn_buf_addf(&fix, "Keep \"");
		spn_text_add_value(&fix, first->str, first->len);
		spn_buf_addf(&fix, "\" on %s and remove the look-alike value%s from ",
		             spn_model_account(m, v[0].account)->dn, n > 2 ? "s" : "");
		bool any = false;
		for (size_t i = 1; i < n && i < SHOW_MAX; i++) {
			if (v[i].clean)
				continue;
			const struct spn_value *x = spn_model_value(m, v[i].value);
			spn_buf_addf(&fix, "%s%s (\"", any ? "; " : "", spn_model_account(m, v[i].account)->dn);
			spn_text_add_value(&fix, x->str, x->len);
			spn_buf_addf(&fix, "\")");
			any = true;
		}
		spn_buf_addf(&fix, ".");
	} else {
		spn_buf_addf(&fix, "Keep one plain spelling (without hidden characters) on the account "
		             "that runs the service and remove the others.");
	}
	spn_buf_addf(&fix, " Hidden characters in an SPN are almost never an accident: find out who "
	             "wrote them (replication metadata of servicePrincipalName) and treat it as a "
	             "possible attack.");
	rc = spn_check_emit(out, err, CODE, SPN_SEV_ERROR, first->str, ids, nids, &msg, &fix);
	if (rc == SPN_OK) {
		/* What each account stores: its first spelling in the group. */
		uint32_t *values = malloc(nids * sizeof(*values));
		for (size_t k = 0; values && k < nids; k++) {
			values[k] = SPN_NONE;
			for (size_t i = 0; i < n && values[k] == SPN_NONE; i++)
				if (v[i].account == ids[k])
					values[k] = v[i].value;
		}
		if (!values || spn_findings_set_holders(out, values, NULL))
			rc = spn_err_set(err, SPN_NOMEM, "out of memory");
		free(values);
	}
	spn_buf_release(&msg);
	spn_buf_release(&fix);
	free(ids);
	return rc;
}

/* Is the stored value's own fold equal to the skeleton (nothing hidden)? */
static bool is_clean(const struct spn_model *m, uint32_t value, const struct skel *s)
{
	const struct spn_value *v = spn_model_value(m, value);
	if (!(v->flags & SPN_VALUE_NONASCII))
		return true;
	size_t cap = SPN_KEY_CAP((size_t)v->len);
	char *buf = malloc(cap);
	if (!buf)
		return false;
	size_t k = spn_fold(v->str, v->len, buf, cap);
	bool eq = k == s->n && memcmp(buf, s->key, k) == 0;
	free(buf);
	return eq;
}

static enum spn_rc run(const struct spn_model *m, const struct spn_check_opts *o,
                       struct spn_findings *out, struct spn_err *err)
{
	struct skel *sk = NULL;
	size_t nsk = 0, capsk = 0;
	struct member *mem = NULL;
	size_t nmem = 0, capmem = 0;
	enum spn_rc rc = SPN_OK;
	size_t nval = spn_model_nvalues(m);

	(void)o;
	for (uint32_t i = 0; i < nval; i++) {
		const struct spn_value *v = spn_model_value(m, i);
		if (!(v->flags & SPN_VALUE_NONASCII) || v->syntax == SPN_SYNTAX_BAD_UTF8)
			continue;
		if (nsk == capsk) {
			size_t c = capsk ? capsk * 2 : 64;
			struct skel *p = realloc(sk, c * sizeof(*p));
			if (!p)
				goto nomem;
			sk = p;
			capsk = c;
		}
		size_t cap = SPN_KEY_CAP((size_t)v->len);
		char *key = malloc(cap);
		if (!key)
			goto nomem;
		size_t k = spn_skeleton(v->str, v->len, key, cap);
		if (k == (size_t)-1) {
			free(key);
			continue;
		}
		sk[nsk++] = (struct skel){key, k, i, spn_model_find_spn(m, v->str, v->len)};
	}
	if (nsk)
		qsort(sk, nsk, sizeof(*sk), cmp_skel);
	for (size_t a = 0; a < nsk && rc == SPN_OK;) {
		size_t b = a + 1;
		while (b < nsk && sk[b].n == sk[a].n && memcmp(sk[b].key, sk[a].key, sk[a].n) == 0)
			b++;
		nmem = 0;
		/* Each distinct key of the group once: every value of it, so
		 * duplicates of a look-alike spelling are named too. */
		uint32_t prev = SPN_NONE;
		qsort(sk + a, b - a, sizeof(*sk), cmp_skel_head);
		for (size_t i = a; i < b; i++) {
			if (sk[i].head == prev)
				continue;
			prev = sk[i].head;
			for (uint32_t w = sk[i].head; w != SPN_NONE; w = spn_model_value(m, w)->next_same)
				if (!push_member(&mem, &nmem, &capmem,
				                 (struct member){w, sk[i].head, spn_model_value(m, w)->account,
				                                 is_clean(m, w, &sk[a])}))
					goto nomem;
		}
		uint32_t clean = spn_model_find_key(m, sk[a].key, sk[a].n);
		for (uint32_t w = clean; w != SPN_NONE && clean != prev; w = spn_model_value(m, w)->next_same)
			if (!push_member(&mem, &nmem, &capmem,
			                 (struct member){w, clean, spn_model_value(m, w)->account, true}))
				goto nomem;
		/* Two spellings on two accounts always include a pair that differs
		 * in both (if x,y differ in spelling but share account A, any value
		 * z on another account differs in spelling from x or from y). */
		size_t nheads, naccounts;
		if (!settle(m, mem, &nmem, &nheads, &naccounts))
			goto nomem;
		if (nheads >= 2 && naccounts >= 2)
			rc = report(m, mem, nmem, out, err);
		a = b;
	}
	goto done;
nomem:
	rc = spn_err_set(err, SPN_NOMEM, "out of memory");
done:
	for (size_t i = 0; i < nsk; i++)
		free(sk[i].key);
	free(sk);
	free(mem);
	return rc;
}

const struct spn_check spn_check_lookalike_spn = {
	.code = CODE,
	.severity = SPN_SEV_ERROR,
	.flags = SPN_CHECK_DUPS,
	.title = "Look-alike SPNs (hidden characters) on different accounts",
	.explain =
		"Two SPNs that differ only by invisible or compatibility characters (zero-width joiners, "
		"soft hyphens, bidi marks, full-width letters...) are different values to AD's "
		"uniqueness check, so both can be registered, but they read the same to administrators "
		"and to name resolution that normalises them (CVE-2026-25177 class). Tickets for the name "
		"can then be issued under the wrong account's key, or refused as not unique, and an "
		"attacker who planted the look-alike can receive tickets meant for the real service. "
		"Hidden characters are shown as <U+XXXX>. One finding per group of look-alikes.",
	.run = run,
};
