/*
 * ldif_reader.c - the sequential LDIF snapshot reader (source.c chooses it
 * or the parallel one, which reads its parts with it): opening the
 * input, the stream buffer, and the scan for logical lines.
 *
 * Hand-written hot path - one of spnctl's two, with the SPN index: a 300 MB
 * snapshot is some 10 million lines and the whole audit has to finish in
 * well under a second. The input is streamed with read() through one
 * buffer (256 KiB, so the copy and the parse stay in the cache); no mmap,
 * no per-line or per-value allocation, so memory does not grow with the
 * file (the audit's peak RSS target is below the snapshot's size). Each
 * logical line is found (ldif_fast.c, or memchr here), unfolded and
 * base64-decoded in place, and the entry handed to the model holds slices
 * into the buffer. So the buffer keeps the current entry from its dn: line;
 * when a refill is needed mid-entry, the entry moves to the front (its
 * slices are rebased), and the buffer grows only when one entry or logical
 * line is longer than the whole buffer - up to a ceiling (64 MiB a line,
 * 256 MiB an entry) that is an error with file:line, never a truncation.
 * A NUL byte anywhere in the text is an error (found once per read with
 * memchr, not per line).
 *
 * Line syntax lives in ldif_record.c (records) and ldif_attr.c (attribute
 * descriptions, ranges, base64); ldif_fast.c takes the plain lines that
 * make up most of a snapshot, and this file's scan the rest, one at a time.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/tuned.h"
#include "ldif_int.h"

#define MIB ((size_t)1 << 20)

void spn_ldif_limits_default(struct spn_ldif_limits *l)
{
	l->buf_size = 256 * 1024;
	l->line_max = 64 * MIB;
	l->record_max = 256 * MIB;
	l->general_only = !SPN_FAST_PATHS;  /* ldif_fast.c, or its plain twin (base/tuned.h) */
}

/* "64 MiB", or bytes for the tiny limits tests use. */
static const char *size_text(size_t n, char *buf, size_t cap)
{
	if (n % MIB == 0)
		snprintf(buf, cap, "%zu MiB", n / MIB);
	else
		snprintf(buf, cap, "%zu bytes", n);
	return buf;
}

/* The entry's slices into the buffer's bytes [from, from + n) follow them
 * to `to`; slices into the scratch stay. Compared as addresses: the
 * slices point into one of the two. */
static void rebase_entry(struct spn_entry *e, const char *from, size_t n, const char *to)
{
	uintptr_t lo = (uintptr_t)from, hi = lo + n;
	if (e->dn.p && (uintptr_t)e->dn.p >= lo && (uintptr_t)e->dn.p < hi)
		e->dn.p = to + ((uintptr_t)e->dn.p - lo);
	for (int a = 0; a < SPN_A_COUNT; a++)
		for (size_t i = 0; i < e->attr[a].n; i++) {
			uintptr_t p = (uintptr_t)e->attr[a].v[i].p;
			if (p >= lo && p < hi)
				e->attr[a].v[i].p = to + (p - lo);
		}
}

static enum spn_rc resize(struct spn_ldif *r, size_t cap)
{
	char b[32];
	char *nb = calloc(1, cap + SPN_LDIF_PAD);
	if (!nb)
		return spn_err_set(r->err, SPN_NOMEM, "%s: out of memory for a %s buffer", r->name,
		                   size_text(cap, b, sizeof(b)));
	memcpy(nb, r->own, r->len);
	rebase_entry(&r->e, r->own, r->len, nb);
	free(r->own);
	r->buf = r->own = nb;
	r->cap = cap;
	return SPN_OK;
}

/* Make room and read more: keep the current entry (or line) from its
 * start, move it to the front, grow only if it fills the buffer. */
static enum spn_rc fill(struct spn_ldif *r)
{
	enum spn_rc rc;
	char b[32];
	size_t keep = r->state == SPN_LDIF_ENTRY ? r->rec_start : r->pos;
	if (keep > 0) {
		memmove(r->own, r->own + keep, r->len - keep);
		rebase_entry(&r->e, r->own + keep, r->len - keep, r->own);
		r->len -= keep;
		r->pos -= keep;
		if (r->state == SPN_LDIF_ENTRY)
			r->rec_start = 0;
	}
	if (r->len == r->cap) {
		if (r->cap >= r->lim.record_max)
			return spn_ldif_fail(r, r->rec_line, "record is longer than %s",
			                     size_text(r->lim.record_max, b, sizeof(b)));
		size_t cap = r->cap > r->lim.record_max / 2 ? r->lim.record_max : r->cap * 2;
		if ((rc = resize(r, cap)))
			return rc;
	} else if (r->cap > r->lim.buf_size && r->len < r->lim.buf_size / 2) {
		/* A long entry is over: give the memory back. */
		if ((rc = resize(r, r->lim.buf_size)))
			return rc;
	}

	size_t want = r->cap - r->len, got;
	if (r->fd < 0) {
		got = r->mem_len - r->mem_off < want ? r->mem_len - r->mem_off : want;
		if (got) {
			memcpy(r->own + r->len, r->mem + r->mem_off, got);
			r->mem_off += got;
		}
	} else if (r->part) {
		ssize_t k = 0;
		if (r->part_end - r->part_off < want)
			want = (size_t)(r->part_end - r->part_off);
		if (want) {
			do
				k = pread(r->fd, r->own + r->len, want, (off_t)r->part_off);
			while (k < 0 && errno == EINTR);
		}
		if (k < 0)
			return spn_err_set(r->err, SPN_IO, "cannot read '%s': %s", r->name, strerror(errno));
		got = (size_t)k;
		r->part_off += got;
	} else {
		ssize_t k;
		do
			k = read(r->fd, r->own + r->len, want);
		while (k < 0 && errno == EINTR);
		if (k < 0)
			return spn_err_set(r->err, SPN_IO, "cannot read '%s': %s", r->name, strerror(errno));
		got = (size_t)k;
	}
	if (got == 0) {
		r->eof = true;
		return SPN_OK;
	}
	char *z = memchr(r->own + r->len, '\0', got);
	if (z) {
		/* Stop the text at the NUL; the scan reports it on its line. */
		r->len = (size_t)(z - r->own);
		r->eof = r->nul = true;
		return SPN_OK;
	}
	r->len += got;
	return SPN_OK;
}

/* Join a folded logical line into out (stop - s bytes are enough): drop
 * each line end and the one space after it. stop is the end of the last
 * physical line's text. */
static size_t unfold(char *out, const char *s, const char *stop)
{
	char *w = out;
	const char *p = s;
	for (;;) {
		const char *nl = memchr(p, '\n', (size_t)(stop - p));
		const char *ce = nl ? nl : stop;
		if (ce > p && ce[-1] == '\r')
			ce--;
		memcpy(w, p, (size_t)(ce - p));
		w += ce - p;
		if (!nl)
			return (size_t)(w - out);
		p = nl + 2;
	}
}

static enum spn_rc nul_error(struct spn_ldif *r, size_t line)
{
	return spn_ldif_fail(r, line, "line contains a NUL byte (binary data must be base64; "
	                     "is this a UTF-16 or binary file?)");
}

enum scan { SCAN_LINE, SCAN_MORE, SCAN_END };

/* Find the logical line at pos: physical lines joined by a line end plus
 * one space. A blank line never continues. Needs one byte after the line
 * end to know whether the next line continues it. */
static enum scan scan(struct spn_ldif *r, const char **s_out, const char **stop_out, bool *folded,
                      size_t *phys_out, bool *nul_at_end)
{
	const char *b = r->buf, *s = b + r->pos, *end = b + r->len, *p = s;
	size_t phys = 0;
	*folded = false;
	*nul_at_end = false;
	if (s == end)
		return r->eof ? SCAN_END : SCAN_MORE;
	for (;;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl) {
			if (!r->eof)
				return SCAN_MORE;
			*nul_at_end = r->nul;
			*s_out = s;
			*stop_out = end;
			*phys_out = phys;
			r->pos = r->len;
			return SCAN_LINE;
		}
		phys++;
		if (nl + 1 == end && !r->eof)
			return SCAN_MORE;
		if (nl + 1 == end || nl[1] != ' ' ||
		    (p == s && (nl == s || (nl == s + 1 && *s == '\r')))) {
			*s_out = s;
			*stop_out = nl;
			*phys_out = phys;
			r->pos = (size_t)(nl + 1 - b);
			return SCAN_LINE;
		}
		*folded = true;
		p = nl + 2;
	}
}

static enum spn_rc parse(struct spn_ldif *r)
{
	enum spn_rc rc;
	char b[32];
	/* Byte order marks: skip UTF-8's; UTF-16 (ldifde -u) is not LDIF text.
	 * The first SPN_LDIF_SNIFF bytes also tell other formats (ldif_sniff.c),
	 * whatever the buffer size: it grows for them up to the record ceiling. */
	while (!r->eof && r->len < SPN_LDIF_SNIFF + 3 &&
	       (r->len < r->cap || r->cap < r->lim.record_max))
		if ((rc = fill(r)))
			return rc;
	const unsigned char *u = (const unsigned char *)r->buf;
	if (r->part && r->part_start > 0)
		;  /* a part starts at a dn: line */
	else if ((r->len >= 2 && ((u[0] == 0xff && u[1] == 0xfe) || (u[0] == 0xfe && u[1] == 0xff))) ||
	         (r->nul && r->len == 1 && u[0] >= 0x20 && u[0] < 0x7f))
		/* a byte order mark, or "d\0n\0": UTF-16 without one */
		return spn_ldif_fail(r, 1, "file is UTF-16 (ldifde -u?); convert it to UTF-8 first "
		                     "(iconv -f UTF-16 -t UTF-8)");
	else if (r->nul && r->len == 0)
		return spn_ldif_fail(r, 1, "file starts with a NUL byte: UTF-16 (convert it: iconv -f "
		                     "UTF-16 -t UTF-8) or binary, not LDIF");
	else if (r->len >= 3 && u[0] == 0xef && u[1] == 0xbb && u[2] == 0xbf)
		r->pos = 3;
	/* Something else entirely (CSV, JSON, gzip, ...): say what. */
	const char *what = r->part && r->part_start > 0 ? NULL
	                   : spn_ldif_sniff(r->buf + r->pos, r->len - r->pos);
	if (what)
		return spn_ldif_fail(r, 1, "%s", what);

	for (;;) {
		const char *s = NULL, *stop = NULL;
		bool folded, nul;
		size_t phys = 0;
		if (!r->lim.general_only && (rc = spn_ldif_fast(r)))
			return rc;
		if (r->state != SPN_LDIF_ENTRY)
			spn_ldif_scratch_reset(r);  /* nothing outside an entry outlives its line */
		size_t off = r->pos;
		switch (scan(r, &s, &stop, &folded, &phys, &nul)) {
		case SCAN_MORE:
			/* The line has at least len - pos - 1 bytes (the last one
			 * may be its line end, waiting for the next byte). */
			if (r->len - r->pos > r->lim.line_max + 1)
				return spn_ldif_fail(r, r->line, "line is longer than %s",
				                     size_text(r->lim.line_max, b, sizeof(b)));
			if ((rc = fill(r)))
				return rc;
			continue;
		case SCAN_END:
			if (r->nul)
				return nul_error(r, r->line);
			return spn_ldif_record_eof(r);
		case SCAN_LINE:
			break;
		}
		size_t line = r->line;
		/* The same ceiling whether or not the line crossed a refill; and
		 * before a NUL that ends it, which a smaller buffer would not
		 * have reached yet. */
		if ((size_t)(stop - s) > r->lim.line_max)
			return spn_ldif_fail(r, line, "line is longer than %s",
			                     size_text(r->lim.line_max, b, sizeof(b)));
		if (nul)
			return nul_error(r, line + phys);
		r->line += phys;
		if (*s == '#')
			continue;  /* comment, with its continuation lines */
		size_t n;
		if (folded) {
			char *joined = spn_ldif_scratch(r, (size_t)(stop - s));
			if (!joined)
				return spn_err_set(r->err, SPN_NOMEM, "out of memory");
			n = unfold(joined, s, stop);
			s = joined;
		} else {
			if (stop > s && stop[-1] == '\r')
				stop--;
			n = (size_t)(stop - s);
		}
		r->line_off = off;
		if ((rc = spn_ldif_record_line(r, s, n, line)))
			return rc;
	}
}

static enum spn_rc run(struct spn_ldif *r, size_t first_cap)
{
	enum spn_rc rc;
	struct spn_ldif_limits *l = &r->lim;
	/* Keep the ceilings coherent whatever a test asks for. */
	if (l->buf_size < 4)
		l->buf_size = 4;
	if (l->line_max < 1)
		l->line_max = 1;
	if (l->record_max < l->line_max + 2)
		l->record_max = l->line_max + 2;
	if (l->record_max < l->buf_size)
		l->record_max = l->buf_size;
	if (first_cap < 4)
		first_cap = 4;
	r->line = 1;
	spn_ldif_names_init(&r->names);
	spn_ldif_record_init(r);
	if ((rc = spn_model_add_source(r->m, r->name, "ldif", &r->src, r->err)))
		goto out;
	r->buf = r->own = calloc(1, first_cap + SPN_LDIF_PAD);
	if (!r->own) {
		rc = spn_err_set(r->err, SPN_NOMEM, "out of memory");
		goto out;
	}
	r->cap = first_cap;
	rc = parse(r);
out:
	free(r->own);
	spn_ldif_record_release(r);
	return rc;
}

enum spn_rc spn_ldif_read_mem_limits(struct spn_model *m, const char *name,
                                     const char *buf, size_t n,
                                     const struct spn_ldif_limits *lim, struct spn_err *err)
{
	struct spn_ldif r;
	memset(&r, 0, sizeof(r));
	r.name = name;
	r.fd = -1;
	r.mem = buf;
	r.mem_len = buf ? n : 0;
	r.lim = *lim;
	r.m = m;
	r.err = err;
	r.line_base_known = true;
	/* All of the input fits: no need for more buffer than that. */
	return run(&r, n + 1 < lim->buf_size ? n + 1 : lim->buf_size);
}

enum spn_rc spn_ldif_read_file_limits(struct spn_model *m, const char *path,
                                      const struct spn_ldif_limits *lim, struct spn_err *err)
{
	struct spn_ldif r;
	bool is_stdin = strcmp(path, "-") == 0;
	memset(&r, 0, sizeof(r));
	r.name = is_stdin ? "<stdin>" : path;
	r.fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
	if (r.fd < 0)
		return spn_err_set(err, SPN_IO, "cannot open '%s': %s", path, strerror(errno));
	(void)posix_fadvise(r.fd, 0, 0, POSIX_FADV_SEQUENTIAL);
	r.lim = *lim;
	r.m = m;
	r.err = err;
	r.line_base_known = true;
	enum spn_rc rc = run(&r, lim->buf_size);
	if (!is_stdin)
		close(r.fd);
	return rc;
}

enum spn_rc spn_ldif_read_part(struct spn_model *m, const char *path, int fd, uint64_t start,
                               uint64_t end, const struct spn_ldif_limits *lim, struct spn_err *err)
{
	struct spn_ldif r;
	memset(&r, 0, sizeof(r));
	r.name = path;
	r.fd = fd;
	r.part = true;
	r.part_start = r.part_off = start;
	r.part_end = end;
	r.line_base_known = start == 0;
	r.lim = *lim;
	r.m = m;
	r.err = err;
	size_t size = end - start + 1;
	return run(&r, size < lim->buf_size ? size : lim->buf_size);
}
