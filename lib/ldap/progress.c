/*
 * progress.c - one updating line on a terminal while a long search runs:
 * "spnctl: 120,000 entries read (45,000/s)". Rewritten in place with '\r'
 * at most five times a second and erased when reading ends. Only used when
 * the tool hands a FILE * (a terminal); never in pipes or JSON.
 */
#include <stdio.h>
#include <string.h>

#include "ldap_int.h"

static double seconds(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) + (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

/* 1234567 -> "1,234,567" */
static void grouped(unsigned long long v, char *buf, size_t cap)
{
	char tmp[32];
	int n = snprintf(tmp, sizeof(tmp), "%llu", v);
	size_t k = 0;
	for (int i = 0; i < n && k + 2 < cap; i++) {
		if (i > 0 && (n - i) % 3 == 0)
			buf[k++] = ',';
		buf[k++] = tmp[i];
	}
	buf[k] = '\0';
}

void spn_progress_init(struct spn_progress *p, FILE *f)
{
	memset(p, 0, sizeof(*p));
	p->f = f;
	clock_gettime(CLOCK_MONOTONIC, &p->start);
	p->last = p->start;
}

void spn_progress_tick(struct spn_progress *p)
{
	p->n++;
	if (!p->f)
		return;
	if (p->n == 1) {   /* the rate counts from the first entry, not the connect */
		clock_gettime(CLOCK_MONOTONIC, &p->start);
		p->last = p->start;
	}
	if ((p->n & 255) != 0)
		return;
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (seconds(&p->last, &now) < 0.2)
		return;
	p->last = now;
	double el = seconds(&p->start, &now);
	char n[32], rate[32];
	grouped(p->n, n, sizeof(n));
	grouped(el > 0 ? (unsigned long long)((double)p->n / el) : 0, rate, sizeof(rate));
	fprintf(p->f, "\rspnctl: %s entries read (%s/s) ", n, rate);
	fflush(p->f);
	p->shown = true;
}

void spn_progress_done(struct spn_progress *p)
{
	if (!p->f || !p->shown)
		return;
	fprintf(p->f, "\r%60s\r", "");
	fflush(p->f);
	p->shown = false;
}
