/*
 * phases.c - spnphases, a benchmark helper: where an offline audit spends
 * its time and memory, phase by phase, through the public libspn API (the
 * same calls spnctl audit makes).
 *
 *   spnphases FILE.ldif...
 *
 * Prints wall time and peak RSS after each phase: reading the file alone
 * (read() and counting lines: the floor for any reader), LDIF reading with
 * the model filled, spn_model_finish (the SPN index), each check alone,
 * sorting their findings, all checks side by side with the sort as
 * spn_checks_run() does them (the figure the total counts), and the JSON
 * report written to /dev/null. Not a test.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "spn/check.h"
#include "spn/model.h"
#include "spn/report.h"
#include "spn/source.h"

#define NOW_FILETIME 134116992000000000LL  /* 2026-01-01, as spngen's manifest says */

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static long peak_mib(void)
{
	struct rusage r;
	getrusage(RUSAGE_SELF, &r);
	return r.ru_maxrss / 1024;
}

static void row(const char *what, double secs, const char *extra)
{
	printf("%-44s %8.3f s %6ld MiB  %s\n", what, secs, peak_mib(), extra);
}

/* read() the file through a 1 MiB buffer and count its lines. */
static int floor_read(const char *path, double *secs, unsigned long long *lines)
{
	static char buf[1 << 20];
	double t = now();
	int fd = open(path, O_RDONLY);
	if (fd < 0) {
		fprintf(stderr, "spnphases: %s: %s\n", path, strerror(errno));
		return -1;
	}
	ssize_t k;
	while ((k = read(fd, buf, sizeof(buf))) > 0)
		for (const char *p = buf; (p = memchr(p, '\n', (size_t)(buf + k - p))) != NULL; p++)
			(*lines)++;
	close(fd);
	*secs += now() - t;
	return k < 0 ? -1 : 0;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fputs("usage: spnphases FILE.ldif...\n", stderr);
		return 2;
	}
	char extra[128];
	double t = 0;
	unsigned long long lines = 0;
	for (int i = 1; i < argc; i++)
		if (floor_read(argv[i], &t, &lines))
			return 2;
	snprintf(extra, sizeof(extra), "%llu lines", lines);
	row("read() + count lines (floor)", t, extra);

	struct spn_err err;
	spn_err_init(&err);
	struct spn_model *m = spn_model_new(0);
	if (!m)
		return 2;
	t = now();
	for (int i = 1; i < argc; i++)
		if (spn_ldif_read_file(m, argv[i], &err)) {
			fprintf(stderr, "spnphases: %s\n", err.msg);
			return 2;
		}
	double total = now() - t;
	row("LDIF reader + model (spn_ldif_read_file)", total, "");
	t = now();
	if (spn_model_finish(m, &err)) {
		fprintf(stderr, "spnphases: %s\n", err.msg);
		return 2;
	}
	double d = now() - t;
	total += d;
	struct spn_model_stats st;
	spn_model_stats(m, &st);
	snprintf(extra, sizeof(extra), "%llu values, %llu distinct", (unsigned long long)st.spn_values,
	         (unsigned long long)st.distinct_spns);
	row("model finish (SPN index)", d, extra);

	struct spn_check_opts o;
	spn_check_opts_default(&o);
	o.now = NOW_FILETIME;
	struct spn_findings f;
	spn_findings_init(&f);
	double checks = 0;
	for (size_t i = 0; i < spn_check_count(); i++) {
		const struct spn_check *c = spn_check_at(i);
		size_t before = f.n;
		char what[64];
		t = now();
		if (c->run(m, &o, &f, &err)) {
			fprintf(stderr, "spnphases: %s: %s\n", c->code, err.msg);
			return 2;
		}
		d = now() - t;
		checks += d;
		snprintf(what, sizeof(what), "  check %s", c->code);
		snprintf(extra, sizeof(extra), "%zu findings", f.n - before);
		row(what, d, extra);
	}
	row("checks, one after the other", checks, "");
	t = now();
	spn_findings_sort(&f, m);
	d = now() - t;
	row("sort findings", d, "");
	/* What spnctl audit runs: every check side by side, then the sort. */
	struct spn_findings fp;
	spn_findings_init(&fp);
	t = now();
	if (spn_checks_run(m, &o, 0, &fp, &err)) {
		fprintf(stderr, "spnphases: %s\n", err.msg);
		return 2;
	}
	d = now() - t;
	total += d;
	snprintf(extra, sizeof(extra), "%ld CPUs, %zu findings%s", sysconf(_SC_NPROCESSORS_ONLN), fp.n,
	         fp.n == f.n ? "" : " (NOT the sequential count)");
	row("checks side by side + sort (spn_checks_run)", d, extra);
	spn_findings_release(&fp);
	FILE *devnull = fopen("/dev/null", "w");
	if (!devnull)
		return 2;
	struct spn_report_opts json = { .format = SPN_FORMAT_JSON };
	t = now();
	enum spn_rc rc = spn_report_findings(devnull, &json, m, &f);
	fclose(devnull);
	d = now() - t;
	total += d;
	row("JSON report to /dev/null", d, rc ? "write failed" : "");
	snprintf(extra, sizeof(extra), "%llu accounts kept of %llu, arena %llu MiB",
	         (unsigned long long)st.accounts, (unsigned long long)st.accounts_seen,
	         (unsigned long long)(st.arena_bytes >> 20));
	row("total (without the floor)", total, extra);
	spn_findings_release(&f);
	spn_model_free(m);
	return 0;
}
