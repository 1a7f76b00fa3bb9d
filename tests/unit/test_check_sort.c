/* test_check_sort.c - spn_findings_sort against the order it documents,
 * written out plainly here (strcasecmp, then strcmp, on SPNs and account
 * DNs): random findings whose SPNs and DNs share long prefixes and differ
 * only in case, with and without SPN and accounts. Every neighbour pair
 * after sorting must be in that order. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <cmocka.h>

#include "spn/check.h"
#include "builder.h"

#define NACC 49
#define NFIND 3000

static int ref_str0(const char *a, const char *b)
{
	if (!a || !b)
		return a ? 1 : b ? -1 : 0;
	int c = strcasecmp(a, b);
	return c ? c : strcmp(a, b);
}

static int ref_cmp(const struct spn_finding *a, const struct spn_finding *b, const struct spn_model *m)
{
	int c;
	if (a->severity != b->severity)
		return a->severity > b->severity ? -1 : 1;
	if ((c = strcmp(a->code, b->code)) != 0)
		return c;
	if ((c = ref_str0(a->spn, b->spn)) != 0)
		return c;
	size_t n = a->naccounts < b->naccounts ? a->naccounts : b->naccounts;
	for (size_t i = 0; i < n; i++) {
		if (a->accounts[i] == b->accounts[i])
			continue;
		if ((c = ref_str0(spn_model_account(m, a->accounts[i])->dn,
		                  spn_model_account(m, b->accounts[i])->dn)) != 0)
			return c;
		return a->accounts[i] < b->accounts[i] ? -1 : 1;
	}
	if (a->naccounts != b->naccounts)
		return a->naccounts < b->naccounts ? -1 : 1;
	return strcmp(a->message, b->message);
}

static uint32_t rnd(uint32_t *s)
{
	*s = *s * 1103515245u + 12345u;
	return *s >> 8;
}

static void test_sort_matches_reference(void **state)
{
	(void)state;
	static const char *const codes[] = {"duplicate-spn", "dup", "alias-conflict", "kerberoastable"};
	/* DNs alike for 16 bytes and more, some only in case. */
	static const char *const dn_heads[] = {"CN=ServiceAccount", "cn=serviceaccount", "CN=Servic",
	                                       "CN=S", "CN=ServiceAccountLongerThanSixteen",
	                                       "CN=ServiZ", "CN=ServiceAccouX"};
	static const char *const spn_heads[] = {"HTTP/", "http/", "HTTP/web", "HTTP/WEB", "H", "",
	                                        "HTTP/web.corp.exampl", "HTTP/web.corp.example",
	                                        "HTTP/web.corp.EXAMPLE", "HTTP/web.corp.example.com"};
	struct spn_model *m = tb_new(SPN_MODEL_KEEP_ALL);
	char dn[128], msg[64], spn[64];
	for (int i = 0; i < NACC; i++) {
		snprintf(dn, sizeof(dn), "%s%d,OU=X,DC=corp,DC=example", dn_heads[i % 7], i / 7 % 3);
		if (i >= 42)  /* a few DNs twice (two sources): same DN, other id */
			snprintf(dn, sizeof(dn), "%s%d,OU=X,DC=corp,DC=example", dn_heads[i % 7], 0);
		char sam[64];
		snprintf(sam, sizeof(sam), "sAMAccountName=a%d", i);
		tb_add(m, dn, "objectClass=user", sam, NULL);
	}
	tb_finish(m);
	size_t nacc = spn_model_naccounts(m);
	assert_true(nacc >= 42);

	struct spn_findings f;
	spn_findings_init(&f);
	uint32_t s = 7;
	for (int i = 0; i < NFIND; i++) {
		uint32_t ids[3];
		size_t n = rnd(&s) % 4;
		for (size_t k = 0; k < n; k++)
			ids[k] = rnd(&s) % (uint32_t)nacc;
		const char *spnp = NULL;
		if (rnd(&s) % 5) {
			snprintf(spn, sizeof(spn), "%s%u", spn_heads[rnd(&s) % 10], rnd(&s) % 4);
			spnp = spn;
		}
		snprintf(msg, sizeof(msg), "m%u", rnd(&s) % 3);
		assert_int_equal(spn_findings_add(&f, codes[rnd(&s) % 4], (enum spn_severity)(rnd(&s) % 3),
		                                  spnp, ids, n, "fix", "%s", msg), SPN_OK);
	}
	spn_findings_sort(&f, m);
	assert_int_equal(f.n, NFIND);
	size_t strict = 0;
	for (size_t i = 1; i < f.n; i++) {
		int c = ref_cmp(&f.v[i - 1], &f.v[i], m);
		if (c > 0)
			fail_msg("findings %zu and %zu out of order", i - 1, i);
		strict += c < 0;
	}
	assert_true(strict > NFIND / 2);  /* not a pile of equal findings */
	spn_findings_release(&f);
	spn_model_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sort_matches_reference),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
