/* test_finding_order_fast.c - the hand-tuned sort of the findings
 * (finding_order_fast.c) and its plain twin (finding_order.c) put the same
 * findings in the same order: random findings whose SPNs and account DNs
 * share prefixes longer than the tuned sort's keys, differ only in case or
 * in a byte above 0x7f, repeat one DN under two ids, have no SPN or no
 * account, with a model and without one. */
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

#define NACC 60
#define NFIND 4000

static struct spn_model *model(void)
{
	static const char *const heads[] = {
		"CN=ServiceAccount", "cn=serviceaccount", "CN=Servic", "CN=S", "CN=\xc3\x89tienne",
		"CN=ServiceAccountLongerThanSixteen", "CN=ServiZ", "CN=ServiceAccouX", "",
	};
	struct spn_model *m = tb_new(SPN_MODEL_KEEP_ALL);
	char dn[128], sam[64];
	for (int i = 0; i < NACC; i++) {
		/* The last ones repeat a DN (two sources): same DN, another id. */
		snprintf(dn, sizeof(dn), "%s%d,OU=X,DC=corp,DC=example", heads[i % 9], i >= 50 ? 0 : i / 9 % 3);
		snprintf(sam, sizeof(sam), "sAMAccountName=a%d", i);
		tb_add(m, dn, "objectClass=user", sam, NULL);
	}
	tb_finish(m);
	return m;
}

/* The same random findings into a and b. */
static void fill(struct spn_findings *a, struct spn_findings *b, size_t nacc)
{
	static const char *const codes[] = {"duplicate-spn", "dup", "alias-conflict", "kerberoastable"};
	static const char *const spns[] = {
		"HTTP/", "http/", "HTTP/web", "HTTP/WEB", "H", "", "HTTP/web.corp.exampl",
		"HTTP/web.corp.example", "HTTP/web.corp.EXAMPLE", "HTTP/web.corp.example.com",
		"HTTP/web.corp.example.co\xc3\xa9", "HTTP/web.corp.example.co\xc3\x89", "\xff",
	};
	char spn[96], msg[32];
	for (int i = 0; i < NFIND; i++) {
		uint32_t ids[4];
		size_t n = tw_rnd(5);
		for (size_t k = 0; k < n; k++)
			ids[k] = k == 0 || tw_rnd(6) ? tw_rnd((unsigned)nacc) : ids[0];  /* some twice */
		const char *spnp = NULL;
		if (tw_rnd(5)) {
			snprintf(spn, sizeof(spn), "%s%u", spns[tw_rnd(sizeof(spns) / sizeof(spns[0]))], tw_rnd(3));
			spnp = spn;
		}
		snprintf(msg, sizeof(msg), "m%u", tw_rnd(3));
		const char *code = codes[tw_rnd(4)];
		enum spn_severity sev = (enum spn_severity)tw_rnd(3);
		assert_int_equal(spn_findings_add(a, code, sev, spnp, ids, n, msg, "%s", msg), SPN_OK);
		assert_int_equal(spn_findings_add(b, code, sev, spnp, ids, n, msg, "%s", msg), SPN_OK);
	}
}

static void same_order(const struct spn_findings *a, const struct spn_findings *b)
{
	assert_int_equal(a->n, b->n);
	for (size_t i = 0; i < a->n; i++) {
		const struct spn_finding *x = &a->v[i], *y = &b->v[i];
		bool same = x->severity == y->severity && strcmp(x->code, y->code) == 0 &&
		            (x->spn ? y->spn && strcmp(x->spn, y->spn) == 0 : !y->spn) &&
		            x->naccounts == y->naccounts &&
		            (!x->naccounts || memcmp(x->accounts, y->accounts,
		                                     x->naccounts * sizeof(*x->accounts)) == 0) &&
		            strcmp(x->message, y->message) == 0;
		if (!same)
			fail_msg("finding %zu: plain %s %s, fast %s %s", i, x->code, x->spn ? x->spn : "-",
			         y->code, y->spn ? y->spn : "-");
	}
}

static void run(const struct spn_model *m, size_t nacc)
{
	for (int round = 0; round < 5; round++) {
		struct spn_findings a, b;
		spn_findings_init(&a);
		spn_findings_init(&b);
		fill(&a, &b, nacc);
		assert_true(spn_findings_order_plain(&a, m));
		assert_true(spn_findings_order_fast(&b, m));
		same_order(&a, &b);
		spn_findings_release(&a);
		spn_findings_release(&b);
	}
}

static void test_with_model(void **state)
{
	(void)state;
	struct spn_model *m = model();
	run(m, spn_model_naccounts(m));
	spn_model_free(m);
}

static void test_without_model(void **state)
{
	(void)state;
	run(NULL, NACC);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_with_model),
		cmocka_unit_test(test_without_model),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
