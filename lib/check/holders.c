/*
 * holders.c - who holds an SPN, and in which order to name them.
 *
 * The index chains every value of a folded SPN; the checks want accounts:
 * one entry per object (the same DN read twice from overlapping snapshots
 * is one object), in a stable order, with the account that most likely
 * runs the service first so a fix can say "keep it here, remove it there".
 * Also what the checks ask of an account's names: its kind, its DN's CN,
 * whether it is a given host.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "check_int.h"

void spn_holders_init(struct spn_holders *h)
{
	h->v = NULL;
	h->n = h->cap = 0;
}

void spn_holders_release(struct spn_holders *h)
{
	free(h->v);
	spn_holders_init(h);
}

bool spn_holders_push(struct spn_holders *h, uint32_t account, uint32_t value)
{
	if (h->n == h->cap) {
		size_t cap = h->cap ? h->cap * 2 : 16;
		struct spn_holder *v = realloc(h->v, cap * sizeof(*v));
		if (!v)
			return false;
		h->v = v;
		h->cap = cap;
	}
	h->v[h->n].account = account;
	h->v[h->n].value = value;
	h->n++;
	return true;
}

static int cmp_account(const void *a, const void *b)
{
	const struct spn_holder *x = a, *y = b;
	if (x->account != y->account)
		return x->account < y->account ? -1 : 1;
	return x->value < y->value ? -1 : x->value > y->value;
}

struct by_dn {
	struct spn_holder h;
	const char *dn;
};

/* By DN, then account id: the first record of an object is kept. */
static int cmp_by_dn(const void *a, const void *b)
{
	const struct by_dn *x = a, *y = b;
	int c = strcasecmp(x->dn, y->dn);
	if (c)
		return c;
	return x->h.account < y->h.account ? -1 : x->h.account > y->h.account;
}

bool spn_same_dn(const struct spn_account *a, const struct spn_account *b)
{
	return a == b || strcasecmp(a->dn, b->dn) == 0;
}

bool spn_holders_of(const struct spn_model *m, uint32_t head, const char *domain,
                    struct spn_holders *h)
{
	h->n = 0;
	for (uint32_t v = head; v != SPN_NONE; v = spn_model_value(m, v)->next_same) {
		uint32_t acc = spn_model_value(m, v)->account;
		if (domain && strcmp(spn_model_account(m, acc)->domain, domain) != 0)
			continue;
		if (!spn_holders_push(h, acc, v))
			return false;
	}
	if (h->n < 2)
		return true;
	/* Chains hold load order only loosely: sort by account, drop the same
	 * account seen again (HOST/x and host/x on one object). */
	qsort(h->v, h->n, sizeof(*h->v), cmp_account);
	size_t k = 0;
	for (size_t i = 0; i < h->n; i++)
		if (k == 0 || h->v[k - 1].account != h->v[i].account)
			h->v[k++] = h->v[i];
	h->n = k;
	if (h->n < 2)
		return true;
	/* The same DN from two sources is one object. Short lists: compare
	 * pairs; long ones (a planted SPN on thousands of accounts): sort by DN,
	 * so this stays O(k log k). */
	if (h->n <= 8) {
		k = 0;
		for (size_t i = 0; i < h->n; i++) {
			bool dup = false;
			const struct spn_account *a = spn_model_account(m, h->v[i].account);
			for (size_t j = 0; j < k && !dup; j++)
				dup = spn_same_dn(spn_model_account(m, h->v[j].account), a);
			if (!dup)
				h->v[k++] = h->v[i];
		}
		h->n = k;
		return true;
	}
	struct by_dn *d = malloc(h->n * sizeof(*d));
	if (!d)
		return false;
	for (size_t i = 0; i < h->n; i++)
		d[i] = (struct by_dn){h->v[i], spn_model_account(m, h->v[i].account)->dn};
	qsort(d, h->n, sizeof(*d), cmp_by_dn);
	k = 0;
	for (size_t i = 0; i < h->n; i++)
		if (i == 0 || strcasecmp(d[i - 1].dn, d[i].dn) != 0)
			h->v[k++] = d[i].h;
	free(d);
	h->n = k;
	qsort(h->v, h->n, sizeof(*h->v), cmp_account);
	return true;
}

bool spn_holders_upto(const struct spn_model *m, uint32_t head, const struct spn_account *skip,
                      size_t max, struct spn_holders *h)
{
	h->n = 0;
	for (uint32_t v = head; v != SPN_NONE && h->n < max; v = spn_model_value(m, v)->next_same) {
		uint32_t acc = spn_model_value(m, v)->account;
		const struct spn_account *a = spn_model_account(m, acc);
		bool dup = skip && spn_same_dn(a, skip);
		for (size_t j = 0; j < h->n && !dup; j++)
			dup = h->v[j].account == acc || spn_same_dn(spn_model_account(m, h->v[j].account), a);
		if (!dup && !spn_holders_push(h, acc, v))
			return false;
	}
	if (h->n > 1)
		qsort(h->v, h->n, sizeof(*h->v), cmp_account);
	return true;
}

struct ordered {
	uint32_t id;
	size_t pos;
	const char *dn;
};

static int cmp_ordered_dn(const void *a, const void *b)
{
	const struct ordered *x = a, *y = b;
	int c = strcasecmp(x->dn, y->dn);
	if (c)
		return c;
	return x->pos < y->pos ? -1 : x->pos > y->pos;
}

static int cmp_ordered_pos(const void *a, const void *b)
{
	const struct ordered *x = a, *y = b;
	return x->pos < y->pos ? -1 : x->pos > y->pos;
}

size_t spn_unique_accounts(const struct spn_model *m, uint32_t *ids, size_t n, bool *nomem)
{
	if (n < 2)
		return n;
	struct ordered *o = malloc(n * sizeof(*o));
	if (!o) {
		*nomem = true;
		return n;
	}
	for (size_t i = 0; i < n; i++)
		o[i] = (struct ordered){ids[i], i, spn_model_account(m, ids[i])->dn};
	qsort(o, n, sizeof(*o), cmp_ordered_dn);
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (k == 0 || strcasecmp(o[k - 1].dn, o[i].dn) != 0)
			o[k++] = o[i];
	qsort(o, k, sizeof(*o), cmp_ordered_pos);
	for (size_t i = 0; i < k; i++)
		ids[i] = o[i].id;
	free(o);
	return k;
}

bool spn_kind_machine(enum spn_kind k)
{
	return spn_kind_is_computer(k) || k == SPN_KIND_SMSA || k == SPN_KIND_GMSA || k == SPN_KIND_DMSA;
}

static bool eq_nocase(const char *a, size_t an, const char *b, size_t bn)
{
	while (an && a[an - 1] == '.')
		an--;
	while (bn && b[bn - 1] == '.')
		bn--;
	return an == bn && an && strncasecmp(a, b, an) == 0;
}

bool spn_account_is_host(const struct spn_account *a, const char *host, size_t n)
{
	if (!spn_kind_is_computer(a->kind))
		return false;
	if (a->dns_host && eq_nocase(a->dns_host, strlen(a->dns_host), host, n))
		return true;
	if (a->sam) {
		size_t sn = strlen(a->sam);
		if (sn && a->sam[sn - 1] == '$')
			sn--;
		if (eq_nocase(a->sam, sn, host, n))
			return true;
	}
	return false;
}

bool spn_samba_dns_pair(const struct spn_account *dc, const struct spn_account *user)
{
	if ((dc->kind != SPN_KIND_DC && dc->kind != SPN_KIND_RODC) || !dc->sam || !user->sam)
		return false;
	if (user->kind != SPN_KIND_USER && user->kind != SPN_KIND_UNKNOWN)
		return false;
	size_t n = strlen(dc->sam);
	if (n && dc->sam[n - 1] == '$')
		n--;
	return strncasecmp(user->sam, "dns-", 4) == 0 && strlen(user->sam) == n + 4 &&
	       strncasecmp(user->sam + 4, dc->sam, n) == 0 && strcmp(dc->domain, user->domain) == 0;
}

const char *spn_account_name(const struct spn_account *a)
{
	return a->sam ? a->sam : a->dn;
}

struct ranked {
	struct spn_holder h;
	int rank;
	const char *dn;
};

static int cmp_ranked(const void *a, const void *b)
{
	const struct ranked *x = a, *y = b;
	if (x->rank != y->rank)
		return x->rank - y->rank;
	int c = strcasecmp(x->dn, y->dn);
	if (c)
		return c;
	return x->h.account < y->h.account ? -1 : x->h.account > y->h.account;
}

size_t spn_holders_rank(const struct spn_model *m, const char *host, size_t hostn,
                        struct spn_holders *h)
{
	if (h->n == 0)
		return 0;
	struct ranked stackbuf[16];
	struct ranked *r = h->n <= 16 ? stackbuf : malloc(h->n * sizeof(*r));
	size_t runners = 0;
	if (!r)
		return 0;  /* keep the id order: still deterministic */
	for (size_t i = 0; i < h->n; i++) {
		const struct spn_account *a = spn_model_account(m, h->v[i].account);
		int rank;
		if (host && hostn && spn_account_is_host(a, host, hostn))
			rank = 0;
		else if (spn_account_disabled(a))
			rank = 3;
		else if (a->admin_count || ((a->has & SPN_HAS_SID) && a->rid == 500))
			rank = 2;
		else
			rank = 1;
		runners += rank == 0;
		r[i] = (struct ranked){h->v[i], rank, a->dn};
	}
	qsort(r, h->n, sizeof(*r), cmp_ranked);
	for (size_t i = 0; i < h->n; i++)
		h->v[i] = r[i].h;
	if (r != stackbuf)
		free(r);
	return runners;
}

const char *spn_dn_cn(const char *dn, size_t *n)
{
	if (!spn_ieq(dn, "CN=", 3))
		return NULL;
	const char *p = dn + 3, *q = p;
	while (*q && *q != ',' && *q != '+') {
		if (*q == '\\' && q[1])
			q++;
		q++;
	}
	*n = (size_t)(q - p);
	return p;
}
