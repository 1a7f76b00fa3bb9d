/*
 * fuzz_ldif.c - libFuzzer target: the LDIF snapshot reader and
 * spn_model_finish() on arbitrary bytes.
 *
 * The first input byte picks a stream buffer of 1-64 bytes, so every
 * refill, rebase and growth path of the reader runs on small inputs. The
 * same bytes are then read again with a 4096-byte buffer (the whole input at
 * libFuzzer's default -max_len), and once more with every line through the
 * general path (no ldif_fast.c), and the three runs must agree exactly
 * (result, message, every account with its attributes, SPN value and gap):
 * neither the buffer size nor the fast path may change what is read.
 * Other invariants: a failure is one line naming "fuzz.ldif:LINE"; a kept
 * SPN value never contains a NUL byte (the reader rejects them).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spn/model.h"
#include "spn/source.h"
#include "source/ldif_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct outcome {
	enum spn_rc rc;
	char msg[sizeof(((struct spn_err *)0)->msg)];
	uint64_t entries, accounts, values, gaps;
	uint64_t hash;  /* FNV-1a over every DN, sAMAccountName, SPN value and gap */
};

static void die(const char *what, const char *detail)
{
	fprintf(stderr, "fuzz_ldif: invariant failed: %s: %s\n", what, detail ? detail : "");
	abort();
}

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *s = p;
	for (size_t i = 0; i < n; i++)
		h = (h ^ s[i]) * 1099511628211ULL;
	return (h ^ 0xff) * 1099511628211ULL;  /* separator: "ab","c" != "a","bc" */
}

static uint64_t fnv_str(uint64_t h, const char *s)
{
	return s ? fnv(h, s, strlen(s)) : fnv(h, "", 0);
}

static uint64_t fnv_u64(uint64_t h, uint64_t v)
{
	return fnv(h, &v, sizeof(v));
}

static void run(const char *text, size_t n, size_t buf_size, bool general_only, unsigned flags,
                struct outcome *o)
{
	/* Small ceilings so the fuzzer reaches them with small inputs. */
	struct spn_ldif_limits lim = {.buf_size = buf_size, .line_max = 512, .record_max = 4096,
	                              .general_only = general_only};
	struct spn_model *m = spn_model_new(flags);
	struct spn_err err;
	if (!m)
		die("spn_model_new", "NULL");
	spn_err_init(&err);
	memset(o, 0, sizeof(*o));
	o->rc = spn_ldif_read_mem_limits(m, "fuzz.ldif", text, n, &lim, &err);
	if (o->rc == SPN_OK)
		o->rc = spn_model_finish(m, &err);
	memcpy(o->msg, err.msg, sizeof(o->msg));
	if (o->rc != SPN_OK) {
		if (o->rc != err.rc || err.msg[0] == '\0')
			die("failure without a message", err.msg);
		if (strchr(err.msg, '\n'))
			die("message is not one line", err.msg);
		if (o->rc == SPN_INPUT && strncmp(err.msg, "fuzz.ldif:", 10) != 0)
			die("input error does not name file:line", err.msg);
		if (o->rc != SPN_INPUT)
			die("unexpected error class", err.msg);
	}
	struct spn_model_stats st;
	spn_model_stats(m, &st);
	o->entries = st.entries;
	o->accounts = spn_model_naccounts(m);
	o->values = spn_model_nvalues(m);
	o->gaps = spn_model_ngaps(m);
	uint64_t h = 14695981039346656037ULL;
	for (uint32_t i = 0; i < o->accounts; i++) {
		const struct spn_account *a = spn_model_account(m, i);
		h = fnv_str(h, a->dn);
		h = fnv_str(h, a->sam);
		h = fnv_str(h, a->upn);
		h = fnv_str(h, a->dns_host);
		h = fnv_str(h, a->domain);
		h = fnv_u64(h, a->uac);
		h = fnv_u64(h, a->rid);
		h = fnv_u64(h, a->primary_group);
		h = fnv_u64(h, a->enctypes);
		h = fnv_u64(h, (uint64_t)a->pwd_last_set);
		h = fnv_u64(h, (uint64_t)a->admin_count << 32 | (uint64_t)a->kind << 16 | a->has);
		for (uint32_t k = 0; k < a->n_member_of; k++)
			h = fnv_str(h, a->member_of[k]);
		for (uint32_t k = 0; k < a->n_delegate_to; k++)
			h = fnv_str(h, a->delegate_to[k]);
		if (a->spn_first + (uint64_t)a->nspn > o->values)
			die("account values out of range", a->dn);
	}
	for (uint32_t i = 0; i < o->values; i++) {
		const struct spn_value *v = spn_model_value(m, i);
		if (strlen(v->str) != v->len)
			die("SPN value with a NUL byte", v->str);
		h = fnv(h, v->str, v->len);
		h = fnv_u64(h, (uint64_t)v->flags << 8 | v->syntax);
	}
	for (uint32_t i = 0; i < spn_model_ngroups(m); i++) {
		const struct spn_group *g = spn_model_group(m, i);
		h = fnv_str(h, g->dn);
		h = fnv_u64(h, (uint64_t)g->rid << 1 | g->admin_count);
	}
	for (size_t i = 0; i < o->gaps; i++) {
		const char *g = spn_model_gap(m, i);
		if (strncmp(g, "fuzz.ldif:", 10) != 0 || strchr(g, '\n'))
			die("gap does not name file:line in one line", g);
		h = fnv_str(h, g);
	}
	o->hash = h;
	spn_model_free(m);
}

static void compare(const struct outcome *a, const char *an, const struct outcome *b, const char *bn)
{
	if (a->rc == b->rc && strcmp(a->msg, b->msg) == 0 && a->entries == b->entries &&
	    a->accounts == b->accounts && a->values == b->values && a->gaps == b->gaps &&
	    a->hash == b->hash)
		return;
	fprintf(stderr, "%s: rc=%d entries=%llu accounts=%llu values=%llu gaps=%llu %s\n"
	        "%s: rc=%d entries=%llu accounts=%llu values=%llu gaps=%llu %s\n",
	        an, a->rc, (unsigned long long)a->entries, (unsigned long long)a->accounts,
	        (unsigned long long)a->values, (unsigned long long)a->gaps, a->msg,
	        bn, b->rc, (unsigned long long)b->entries, (unsigned long long)b->accounts,
	        (unsigned long long)b->values, (unsigned long long)b->gaps, b->msg);
	die("two ways of reading disagree", an);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	size_t small = 1 + data[0] % 64;
	unsigned flags = data[0] & 0x40 ? SPN_MODEL_KEEP_ALL : 0;
	const char *text = (const char *)data + 1;
	size_t n = size - 1;

	struct outcome *a = malloc(sizeof(*a)), *b = malloc(sizeof(*b)), *c = malloc(sizeof(*c));
	if (!a || !b || !c)
		die("malloc", NULL);
	run(text, n, small, false, flags, a);
	run(text, n, 4096, false, flags, b);
	run(text, n, 4096, true, flags, c);
	compare(a, "small buffer", b, "buffer 4096");
	compare(c, "general path only", b, "buffer 4096");
	free(a);
	free(b);
	free(c);
	return 0;
}
