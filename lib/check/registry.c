/*
 * registry.c - every check, sorted by code, and running them side by side
 * on lib/base's worker pool (every online CPU unless told otherwise).
 *
 * Checks only read the model, so they run side by side: each into its own
 * findings, the slowest started first, and each check's findings sorted in
 * its thread; the results are then joined in registry order, so the
 * findings are exactly those of one check after the other, and the first
 * failure in registry order is the one reported. The sort puts severity
 * and code first, and a check reports under its own code: the sorted whole
 * is the checks' sorted runs of one severity and code, put in that order
 * (when two checks share a severity and code, everything is sorted again).
 *
 * The list is lib/check/checks.def; adding a check: the checklist at the
 * top of include/spn/check.h.
 */
#include <stdlib.h>
#include <string.h>

#include "base/pool.h"

#include "check_int.h"

/* Below this many accounts (with threads left to us) threads cost more
 * than they save. */
#define SMALL_MODEL 20000

/* checks.def, in its order (by code: spn_check_find() searches it). */
static const struct spn_check *const checks[] = {
#define SPN_CHECK(name, file) &spn_check_##name,
#include "checks.def"
#undef SPN_CHECK
};
#define NCHECKS (sizeof(checks) / sizeof(checks[0]))

/* Started first, slowest first (measured on generated directories of 1M
 * and 10M accounts), so no long check begins last on an idle machine. The
 * others follow in registry order. */
static const struct spn_check *const slow_first[] = {
	&spn_check_host_name_clash,
	&spn_check_kerberoastable,
	&spn_check_alias_conflict,
	&spn_check_dc_only_spn,
	&spn_check_privileged_spn,
};

size_t spn_check_count(void)
{
	return NCHECKS;
}

const struct spn_check *spn_check_at(size_t i)
{
	return i < NCHECKS ? checks[i] : NULL;
}

const struct spn_check *spn_check_find(const char *code)
{
	size_t lo = 0, hi = NCHECKS;
	if (!code)
		return NULL;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(code, checks[mid]->code);
		if (c == 0)
			return checks[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

struct job {
	const struct spn_check *check;
	struct spn_findings found;
	struct spn_err err;
	enum spn_rc rc;
	bool sorted;          /* found is in sort order */
};

struct batch {
	const struct spn_model *m;
	const struct spn_check_opts *o;
	struct job **order;   /* jobs in the order they are started */
};

/* Task i of lib/base's pool: the i-th job to start, run and sorted. */
static void run_job(void *ctx, size_t i)
{
	struct batch *b = ctx;
	struct job *j = b->order[i];
	j->rc = j->check->run(b->m, b->o, &j->found, &j->err);
	j->sorted = j->rc == SPN_OK && spn_findings_sort_ok(&j->found, b->m);
}

static unsigned thread_count(const struct spn_model *m, const struct spn_check_opts *o)
{
	if (o->threads == 0 && spn_model_naccounts(m) < SMALL_MODEL)
		return 1;
	return spn_pool_threads(o->threads);
}

/* Append src's findings to out (their strings move with src's arena). */
static enum spn_rc join_findings(struct spn_findings *out, struct spn_findings *src)
{
	if (src->n == 0)
		return SPN_OK;
	if (out->cap - out->n < src->n) {
		size_t cap = out->n + src->n;
		struct spn_finding *v = realloc(out->v, cap * sizeof(*v));
		if (!v)
			return SPN_NOMEM;
		out->v = v;
		out->cap = cap;
	}
	memcpy(out->v + out->n, src->v, src->n * sizeof(*src->v));
	out->n += src->n;
	spn_arena_adopt(&out->arena, &src->arena);
	free(src->v);
	src->v = NULL;
	src->n = src->cap = 0;
	return SPN_OK;
}

/* Findings of one severity and code, in sort order, in out->v. */
struct run {
	size_t start, n;
	enum spn_severity sev;
	const char *code;
};

static int cmp_run(const void *a, const void *b)
{
	const struct run *x = a, *y = b;
	if (x->sev != y->sev)
		return x->sev > y->sev ? -1 : 1;
	int c = strcmp(x->code, y->code);
	if (c)
		return c;
	return x->start < y->start ? -1 : x->start > y->start;
}

/* out->v[bounds[k] .. bounds[k + 1]) is the k-th check's findings, sorted.
 * Put the whole in sort order by moving runs of one severity and code;
 * false (order unchanged) when two runs share both or memory is short. */
static bool order_runs(struct spn_findings *out, const size_t *bounds, size_t nchecks)
{
	struct run *r = malloc((out->n ? out->n : 1) * sizeof(*r));
	struct spn_finding *tmp = malloc((out->n ? out->n : 1) * sizeof(*tmp));
	size_t nr = 0;
	bool ok = r && tmp;
	for (size_t k = 0; ok && k < nchecks; k++) {
		for (size_t i = bounds[k]; i < bounds[k + 1]; i++) {
			const struct spn_finding *f = &out->v[i];
			if (i > bounds[k] && f->severity == r[nr - 1].sev &&
			    (f->code == r[nr - 1].code || strcmp(f->code, r[nr - 1].code) == 0)) {
				r[nr - 1].n++;
				continue;
			}
			r[nr++] = (struct run){i, 1, f->severity, f->code};
		}
	}
	if (ok) {
		qsort(r, nr, sizeof(*r), cmp_run);
		for (size_t i = 1; i < nr && ok; i++)
			ok = r[i].sev != r[i - 1].sev || strcmp(r[i].code, r[i - 1].code) != 0;
	}
	if (ok) {
		size_t o = 0;
		for (size_t i = 0; i < nr; i++) {
			memcpy(tmp + o, out->v + r[i].start, r[i].n * sizeof(*tmp));
			o += r[i].n;
		}
		memcpy(out->v, tmp, o * sizeof(*tmp));
	}
	free(tmp);
	free(r);
	return ok;
}

static enum spn_rc run_parallel(const struct spn_model *m, const struct spn_check_opts *o,
                                unsigned need, unsigned nthreads, struct spn_findings *out,
                                struct spn_err *err)
{
	struct job jobs[NCHECKS];
	struct job *order[NCHECKS];
	size_t njobs = 0, nord = 0;
	enum spn_rc rc = SPN_OK;

	for (size_t i = 0; i < NCHECKS; i++) {
		if ((checks[i]->flags & need) != need)
			continue;
		struct job *j = &jobs[njobs++];
		j->check = checks[i];
		spn_findings_init(&j->found);
		spn_err_init(&j->err);
		j->rc = SPN_OK;
		j->sorted = false;
	}
	for (size_t k = 0; k < sizeof(slow_first) / sizeof(slow_first[0]); k++)
		for (size_t i = 0; i < njobs; i++)
			if (jobs[i].check == slow_first[k])
				order[nord++] = &jobs[i];
	for (size_t i = 0; i < njobs; i++) {
		bool slow = false;
		for (size_t k = 0; k < sizeof(slow_first) / sizeof(slow_first[0]); k++)
			slow = slow || jobs[i].check == slow_first[k];
		if (!slow)
			order[nord++] = &jobs[i];
	}
	struct batch b = {m, o, order};
	spn_pool_run(nthreads, njobs, run_job, &b);

	size_t bounds[NCHECKS + 1];
	bool sorted = out->n == 0;   /* findings already there: sort everything */
	bounds[0] = out->n;
	for (size_t i = 0; i < njobs; i++) {
		struct job *j = &jobs[i];
		if (rc == SPN_OK && j->rc) {
			rc = spn_err_set(err, j->rc, "%s", j->err.msg);
			spn_err_prefix(err, "check %s", j->check->code);
		}
		if (rc == SPN_OK && join_findings(out, &j->found))
			rc = spn_err_set(err, SPN_NOMEM, "out of memory joining the findings of %s",
			                 j->check->code);
		sorted = sorted && j->sorted;
		bounds[i + 1] = out->n;
		spn_findings_release(&j->found);
	}
	if (rc == SPN_OK && !(sorted && order_runs(out, bounds, njobs)))
		spn_findings_sort(out, m);
	return rc;
}

enum spn_rc spn_checks_run(const struct spn_model *m, const struct spn_check_opts *o,
                           unsigned need, struct spn_findings *out, struct spn_err *err)
{
	struct spn_check_opts defaults;
	if (!o) {
		spn_check_opts_default(&defaults);
		o = &defaults;
	}
	unsigned nthreads = thread_count(m, o);
	if (nthreads > 1)
		return run_parallel(m, o, need, nthreads, out, err);
	for (size_t i = 0; i < NCHECKS; i++) {
		const struct spn_check *c = checks[i];
		if ((c->flags & need) != need)
			continue;
		enum spn_rc rc = c->run(m, o, out, err);
		if (rc) {
			spn_err_prefix(err, "check %s", c->code);
			return rc;
		}
	}
	spn_findings_sort(out, m);
	return SPN_OK;
}
