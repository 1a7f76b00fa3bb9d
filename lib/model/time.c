/*
 * time.c - when each source's data is from, so password ages are measured
 * against the snapshot's own time and not against today: what spnctl
 * snapshot wrote in its header, else the newest whenChanged or pwdLastSet
 * among its entries (the export cannot be older than its newest change),
 * else the file's modification time; a live read is from now.
 */
#include <stdlib.h>
#include <string.h>

#include "base/filetime.h"
#include "model_int.h"

const char *spn_time_from_name(enum spn_time_from f)
{
	switch (f) {
	case SPN_TIME_NONE: return "none";
	case SPN_TIME_FILE: return "file-time";
	case SPN_TIME_PWDLASTSET: return "pwdLastSet";
	case SPN_TIME_WHENCHANGED: return "whenChanged";
	case SPN_TIME_HEADER: return "snapshot-header";
	case SPN_TIME_READ: return "read";
	}
	return "none";
}

const char *spn_time_from_text(enum spn_time_from f)
{
	switch (f) {
	case SPN_TIME_NONE: return "the clock";
	case SPN_TIME_FILE: return "its file time";
	case SPN_TIME_PWDLASTSET: return "the newest pwdLastSet in it";
	case SPN_TIME_WHENCHANGED: return "the newest whenChanged in it";
	case SPN_TIME_HEADER: return "its snapshot header";
	case SPN_TIME_READ: return "read now";
	}
	return "the clock";
}

void spn_model_source_time(struct spn_model *m, size_t src, enum spn_time_from from,
                           int64_t filetime)
{
	if (src >= m->nsrc || filetime <= 0)
		return;
	struct spn_source_clock *c = &m->clocks[src];
	switch (from) {
	case SPN_TIME_FILE: c->file = filetime; break;
	case SPN_TIME_HEADER: c->header = filetime; break;
	case SPN_TIME_READ: c->read = filetime; break;
	case SPN_TIME_PWDLASTSET:
		if (filetime > c->pwd)
			c->pwd = filetime;
		break;
	case SPN_TIME_WHENCHANGED:
	case SPN_TIME_NONE:
		break;
	}
}

/* YYYYMMDDHHMMSS of a generalized time ("20240206123456.0Z"): 14 digits. */
static bool gt_digits(const char *p, size_t n)
{
	if (n < 14)
		return false;
	for (size_t i = 0; i < 14; i++)
		if (p[i] < '0' || p[i] > '9')
			return false;
	return true;
}

void spn_time_note_changed(struct spn_source_clock *c, const struct spn_values *v)
{
	/* The digits compare as times: no parsing until the end. */
	const char *p = v->v[0].p;
	if (gt_digits(p, v->v[0].n) && memcmp(p, c->wc, sizeof(c->wc)) > 0)
		memcpy(c->wc, p, sizeof(c->wc));
}

/* The FILETIME of YYYYMMDDHHMMSS, or 0 when it is no valid time. */
static int64_t gt_filetime(const char *d)
{
	if (!gt_digits(d, 14))
		return 0;
	unsigned v[6], len[6] = {4, 2, 2, 2, 2, 2};
	for (size_t i = 0, k = 0; i < 6; k += len[i++]) {
		v[i] = 0;
		for (size_t j = 0; j < len[i]; j++)
			v[i] = v[i] * 10 + (unsigned)(d[k + j] - '0');
	}
	if (v[0] < 1601 || v[1] < 1 || v[1] > 12 || v[2] < 1 || v[2] > 31 || v[3] > 23 || v[4] > 59 ||
	    v[5] > 60)
		return 0;
	return spn_filetime_from_date(v[0], v[1], v[2]) +
	       ((int64_t)v[3] * 3600 + v[4] * 60 + v[5]) * SPN_FILETIME_SECOND;
}

void spn_time_merge(struct spn_source_clock *dst, const struct spn_source_clock *src)
{
	if (src->header)
		dst->header = src->header;
	if (src->file)
		dst->file = src->file;
	if (src->read)
		dst->read = src->read;
	if (src->pwd > dst->pwd)
		dst->pwd = src->pwd;
	if (memcmp(src->wc, dst->wc, sizeof(dst->wc)) > 0)
		memcpy(dst->wc, src->wc, sizeof(dst->wc));
}

void spn_time_finish(struct spn_model *m)
{
	for (size_t i = 0; i < m->nsrc; i++) {
		const struct spn_source_clock *c = &m->clocks[i];
		struct spn_source_info *s = &m->src[i];
		int64_t wc = gt_filetime(c->wc);
		s->time = 0;
		s->time_from = SPN_TIME_NONE;
		if (c->read) {
			s->time = c->read;
			s->time_from = SPN_TIME_READ;
		} else if (c->header) {
			s->time = c->header;
			s->time_from = SPN_TIME_HEADER;
		} else if (wc && wc >= c->pwd) {
			s->time = wc;
			s->time_from = SPN_TIME_WHENCHANGED;
		} else if (c->pwd) {
			s->time = c->pwd;
			s->time_from = SPN_TIME_PWDLASTSET;
		} else if (c->file) {
			s->time = c->file;
			s->time_from = SPN_TIME_FILE;
		}
	}
}

int64_t spn_model_time(const struct spn_model *m)
{
	int64_t t = 0;
	for (size_t i = 0; i < m->nsrc; i++)
		if (m->src[i].time > t)
			t = m->src[i].time;
	return t;
}
