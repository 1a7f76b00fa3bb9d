/* test_host_name_clash_fast.c - host-name-clash's hand-tuned search
 * (host_name_clash_fast.c) and its plain twin (host_name_clash.c) find the
 * same candidates in the same order and the same machine accounts: random
 * models of computers, DCs, gMSAs and users whose HOST/ values name another
 * computer or themselves, in any case, with a domain, a port, a third
 * component, an empty or a 64-byte label, under escaped and non-CN DNs, in
 * two domains. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "builder.h"
#include "check/check_int.h"
#include "twins.h"

#define NAMES 40

static const char *name(unsigned i)
{
	static char names[NAMES][80];
	if (!names[0][0])
		for (unsigned k = 0; k < NAMES; k++) {
			if (k == NAMES - 1)
				snprintf(names[k], sizeof(names[k]), "%064d", 7);  /* too long a label */
			else
				snprintf(names[k], sizeof(names[k]), k % 5 ? "srv%02u" : "Web%u", k);
		}
	return names[i];
}

/* s in random letter case. */
static void mixed_case(char *s)
{
	for (; *s; s++)
		if (tw_rnd(2) && ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z')))
			*s ^= 0x20;
}

static void random_host_value(char *out, size_t cap, unsigned self)
{
	static const char *const tails[] = {"", ".corp.example", ":80", "/corp", ".corp.example/x",
	                                    "@x", ".y:1"};
	static const char *const classes[] = {"host", "HOST", "Host", "hosts", "cifs", "hos"};
	char label[80];
	snprintf(label, sizeof(label), "%s", tw_rnd(4) ? name(tw_rnd(NAMES)) : name(self));
	mixed_case(label);
	snprintf(out, cap, "%s/%s%s%s", classes[tw_rnd(4) ? 0 : tw_rnd(sizeof(classes) / sizeof(classes[0]))],
	         tw_rnd(20) ? "" : ".", label, tails[tw_rnd(sizeof(tails) / sizeof(tails[0]))]);
}

static struct spn_model *random_model(int accounts)
{
	static const char *const kinds[][2] = {
		{"objectClass=computer", "userAccountControl=4096"},
		{"objectClass=computer", "userAccountControl=532480"},
		{"objectClass=msDS-GroupManagedServiceAccount", "userAccountControl=4096"},
		{"objectClass=user", "userAccountControl=512"},
	};
	struct spn_model *m = tb_new(SPN_MODEL_KEEP_ALL);
	char dn[160], sam[120], v[3][160];
	for (int a = 0; a < accounts; a++) {
		unsigned self = tw_rnd(NAMES), kind = tw_rnd(4);
		const char *domain = tw_rnd(3) ? "DC=corp,DC=example" : "DC=other,DC=example";
		if (tw_rnd(10) == 0)
			snprintf(dn, sizeof(dn), "OU=%s,%s", name(self), domain);       /* no CN */
		else if (tw_rnd(10) == 0)
			snprintf(dn, sizeof(dn), "CN=%s\\,x,%s", name(self), domain);   /* escaped */
		else
			snprintf(dn, sizeof(dn), "CN=%s,OU=Servers,%s", name(self), domain);
		mixed_case(dn + 3);
		snprintf(sam, sizeof(sam), "sAMAccountName=%s%s", tw_rnd(3) ? name(self) : name(tw_rnd(NAMES)),
		         kind < 3 && tw_rnd(4) ? "$" : "");
		for (int j = 0; j < 3; j++) {
			int k = snprintf(v[j], sizeof(v[j]), "servicePrincipalName=");
			random_host_value(v[j] + k, sizeof(v[j]) - (size_t)k, self);
		}
		unsigned nv = tw_rnd(4);
		tb_add(m, dn, kinds[kind][0], kinds[kind][1], sam, nv > 0 ? v[0] : NULL,
		       nv > 1 ? v[1] : NULL, nv > 2 ? v[2] : NULL, NULL);
	}
	tb_finish(m);
	return m;
}

static void test_agree(void **state)
{
	(void)state;
	size_t cands = 0, hits = 0;
	for (int round = 0; round < 40; round++) {
		struct spn_model *m = random_model(50 + (int)tw_rnd(400));
		struct spn_clash a = {0}, b = {0};
		assert_true(spn_clash_find_plain(m, &a));
		assert_true(spn_clash_find_fast(m, &b));
		assert_int_equal(a.ncand, b.ncand);
		for (size_t k = 0; k < a.ncand; k++) {
			const struct spn_clash_cand *x = &a.cand[k], *y = &b.cand[k];
			if (x->n != y->n || memcmp(x->label, y->label, x->n) != 0 || x->value != y->value ||
			    x->head != y->head)
				fail_msg("round %d, candidate %zu: plain %.*s (value %u), fast %.*s (value %u)",
				         round, k, (int)x->n, x->label, x->value, (int)y->n, y->label, y->value);
		}
		assert_int_equal(a.nhit, b.nhit);
		for (size_t k = 0; k < a.nhit; k++)
			if (a.hit[k].account != b.hit[k].account || a.hit[k].first != b.hit[k].first)
				fail_msg("round %d, hit %zu: plain %u at %zu, fast %u at %zu", round, k,
				         a.hit[k].account, a.hit[k].first, b.hit[k].account, b.hit[k].first);
		cands += a.ncand;
		hits += a.nhit;
		spn_clash_release(&a);
		spn_clash_release(&b);
		spn_model_free(m);
	}
	assert_true(cands > 1000 && hits > 100);  /* not a test of nothing */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_agree),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
