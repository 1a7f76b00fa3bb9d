/*
 * undo.c - the undo file (spn/undo.h): written ahead of every change,
 * read back by `spnctl undo`.
 *
 * The reader is deliberately narrow: it takes the change records spnctl
 * writes (and that ldapmodify reads) - "dn:", "changetype: modify", then
 * groups of "add:" / "delete:" servicePrincipalName with one or more
 * values, each group ended by "-" - and refuses everything else with
 * file:line, so a file that would do more than put SPN values back is
 * never half-applied. Not a hot path: plain C, base64 by Cyrus SASL.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <stdio_ext.h>

#include <sasl/saslutil.h>

#include "base/cmdline_word.h"
#include "base/ldif_line.h"
#include "spn/spn.h"
#include "spn/undo.h"

#define ATTR "servicePrincipalName"
#define LINE_MAX_BYTES (1u << 20)   /* a logical line longer than this is not ours */

struct spn_undo {
	FILE *f;
	char *path;
	long mark;          /* offset before the records begun last (one, or a group) */
	size_t open;        /* records written since mark, not yet done or cancelled */
	size_t records;
	bool grouping;      /* spn_undo_group(): begin adds to the open records */
};

/* ---- Writing ---- */

enum spn_rc spn_undo_create(struct spn_undo **out, const char *path, const char *server,
                            const char *command, int64_t when, struct spn_err *err)
{
	*out = NULL;
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return spn_err_set(err, SPN_IO, "cannot create undo file '%s': %s", path, strerror(errno));
	struct spn_undo *u = calloc(1, sizeof(*u));
	if (u)
		u->path = strdup(path);
	if (u && u->path)
		u->f = fdopen(fd, "w");
	if (!u || !u->path || !u->f) {
		close(fd);
		unlink(path);
		if (u)
			free(u->path);
		free(u);
		return spn_err_set(err, SPN_NOMEM, "out of memory");
	}
	char stamp[32];
	time_t t = (time_t)when;
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%d %H:%M:%S UTC", &tm);
	/* The "Apply with" line only when the words are safe on a command line. */
	char wp[SPN_CMDLINE_WORD_MAX], ws[SPN_CMDLINE_WORD_MAX];
	fprintf(u->f, "# spnctl undo file: puts back what '%s' changed on %s at %s.\n", command,
	        server, stamp);
	if (spn_sh_word(path, wp, sizeof(wp)) && spn_sh_word(server, ws, sizeof(ws)))
		fprintf(u->f, "# Apply with: spnctl undo -- %s   (or: ldapmodify -H %s -f %s)\n", wp, ws,
		        wp);
	fputs("version: 1\n", u->f);
	if (fflush(u->f) != 0 || fsync(fileno(u->f)) != 0) {
		int e = errno;
		fclose(u->f);
		unlink(path);
		free(u->path);
		free(u);
		return spn_err_set(err, SPN_IO, "cannot write undo file '%s': %s", path, strerror(e));
	}
	*out = u;
	return SPN_OK;
}

void spn_undo_group(struct spn_undo *u, bool on)
{
	if (on) {
		u->mark = ftell(u->f);
		u->open = 0;
	}
	u->grouping = on;
}

enum spn_rc spn_undo_begin(struct spn_undo *u, const struct spn_step *s, struct spn_err *err)
{
	if (!u->grouping) {
		u->mark = ftell(u->f);
		u->open = 0;
	}
	fputc('\n', u->f);
	if (s->sam) {   /* a comment: one line, whatever the value holds */
		char spn[8 * 1024 + 1], sam[8 * 256 + 1];
		fprintf(u->f, "# %s %s on %s\n", s->op == SPN_STEP_ADD ? "added" : "removed",
		        spn_visible(s->spn, spn, sizeof(spn)), spn_visible(s->sam, sam, sizeof(sam)));
	}
	spn_ldif_line(u->f, "dn", s->dn, strlen(s->dn));
	fputs("changetype: modify\n", u->f);
	/* The inverse: an added value is deleted, a removed one added back. */
	fprintf(u->f, "%s: " ATTR "\n", s->op == SPN_STEP_ADD ? "delete" : "add");
	spn_ldif_line(u->f, ATTR, s->spn, strlen(s->spn));
	fputs("-\n", u->f);
	if (u->mark < 0 || fflush(u->f) != 0 || ferror(u->f) || fsync(fileno(u->f)) != 0) {
		int e = errno ? errno : EIO;
		/* Leave no part of the record (or of its group) behind: a torn
		 * record would make the records before it unreadable to undo. */
		__fpurge(u->f);
		clearerr(u->f);
		if (u->mark >= 0 && ftruncate(fileno(u->f), u->mark) == 0)
			fseek(u->f, u->mark, SEEK_SET);
		u->records -= u->open;
		u->open = 0;
		return spn_err_set(err, SPN_IO, "cannot write undo file '%s': %s: nothing was changed",
		                   u->path, strerror(e));
	}
	u->records++;
	u->open++;
	return SPN_OK;
}

enum spn_rc spn_undo_cancel(struct spn_undo *u, const char *why, struct spn_err *err)
{
	if (!u->open)
		return SPN_OK;
	u->records -= u->open;
	u->open = 0;
	if (fflush(u->f) != 0 || ftruncate(fileno(u->f), u->mark) != 0 ||
	    fseek(u->f, u->mark, SEEK_SET) != 0)
		return spn_err_set(err, SPN_IO, "cannot rewrite undo file '%s': %s", u->path,
		                   strerror(errno));
	if (why) {
		fputs("\n# not changed: ", u->f);
		for (const char *p = why; *p; p++)
			fputc(*p == '\n' ? ' ' : *p, u->f);
		fputc('\n', u->f);
	}
	if (fflush(u->f) != 0 || fsync(fileno(u->f)) != 0)
		return spn_err_set(err, SPN_IO, "cannot write undo file '%s': %s", u->path,
		                   strerror(errno));
	return SPN_OK;
}

enum spn_rc spn_undo_close(struct spn_undo *u, int *kept, struct spn_err *err)
{
	enum spn_rc rc = SPN_OK;
	*kept = u->records > 0;
	if (fflush(u->f) != 0 || fsync(fileno(u->f)) != 0)
		rc = spn_err_set(err, SPN_IO, "cannot write undo file '%s': %s", u->path, strerror(errno));
	if (fclose(u->f) != 0 && rc == SPN_OK)
		rc = spn_err_set(err, SPN_IO, "cannot write undo file '%s': %s", u->path, strerror(errno));
	if (!*kept)
		unlink(u->path);
	free(u->path);
	free(u);
	return rc;
}

const char *spn_undo_path(const struct spn_undo *u)
{
	return u->path;
}

size_t spn_undo_records(const struct spn_undo *u)
{
	return u->records;
}

/* ---- Reading ---- */

struct reader {
	const char *name;
	const char *p, *end;
	size_t line;           /* line number of the logical line last read */
	size_t next_line;
	char *buf;             /* the logical line (folded lines joined) */
	size_t cap;
};

/* Next logical line into r->buf (without CR/LF, continuations joined);
 * false at the end. *n its length. -1 on a line too long. */
static int next_line(struct reader *r, size_t *n)
{
	if (r->p >= r->end)
		return 0;
	r->line = ++r->next_line;
	*n = 0;
	for (;;) {
		const char *nl = memchr(r->p, '\n', (size_t)(r->end - r->p));
		const char *stop = nl ? nl : r->end;
		size_t len = (size_t)(stop - r->p);
		if (len && r->p[len - 1] == '\r')
			len--;
		if (*n + len + 1 > LINE_MAX_BYTES)
			return -1;
		if (*n + len + 1 > r->cap) {
			size_t cap = r->cap ? r->cap : 256;
			while (cap < *n + len + 1)
				cap *= 2;
			char *b = realloc(r->buf, cap);
			if (!b)
				return -2;
			r->buf = b;
			r->cap = cap;
		}
		memcpy(r->buf + *n, r->p, len);
		*n += len;
		r->buf[*n] = '\0';
		r->p = nl ? nl + 1 : r->end;
		/* RFC 2849 folding: a following line that starts with one space */
		if (r->p < r->end && *r->p == ' ') {
			r->p++;
			r->next_line++;
			continue;
		}
		return 1;
	}
}

static enum spn_rc bad(struct reader *r, struct spn_err *err, const char *what)
{
	return spn_err_set(err, SPN_INPUT, "%s:%zu: %s", r->name, r->line, what);
}

/* "name: value" or "name:: base64": the value (decoded) into *v (malloc'd). */
static enum spn_rc value_of(struct reader *r, const char *line, size_t n, const char *name,
                            char **v, struct spn_err *err)
{
	size_t k = strlen(name);
	*v = NULL;
	if (n < k + 1 || strncasecmp(line, name, k) != 0 || line[k] != ':')
		return bad(r, err, "unexpected line: this reader takes only servicePrincipalName changes");
	const char *p = line + k + 1;
	bool b64 = *p == ':';
	if (b64)
		p++;
	while (*p == ' ')
		p++;
	size_t len = n - (size_t)(p - line);
	if (!b64) {
		if (!(*v = strndup(p, len)))
			return spn_err_set(err, SPN_NOMEM, "out of memory");
		return SPN_OK;
	}
	unsigned outlen = 0;
	char *out = malloc(len / 4 * 3 + 4);
	if (!out)
		return spn_err_set(err, SPN_NOMEM, "out of memory");
	if (len > 0x7fffffff || sasl_decode64(p, (unsigned)len, out, (unsigned)(len / 4 * 3 + 4),
	                                      &outlen) != SASL_OK ||
	    memchr(out, '\0', outlen)) {
		free(out);
		return bad(r, err, "base64 value is not valid");
	}
	out[outlen] = '\0';
	*v = out;
	return SPN_OK;
}

/* One record: "dn:" already read into dn. */
static enum spn_rc record(struct reader *r, const char *dn, struct spn_plan *out,
                          struct spn_err *err)
{
	size_t n;
	int got = next_line(r, &n);
	if (got <= 0 || strcasecmp(r->buf, "changetype: modify") != 0)
		return bad(r, err, "expected 'changetype: modify'");
	bool any = false;
	while ((got = next_line(r, &n)) > 0 && n > 0) {
		if (r->buf[0] == '#')
			continue;
		enum spn_step_op op;
		if (strcasecmp(r->buf, "add: " ATTR) == 0)
			op = SPN_STEP_ADD;
		else if (strcasecmp(r->buf, "delete: " ATTR) == 0)
			op = SPN_STEP_DELETE;
		else
			return bad(r, err, "expected 'add: servicePrincipalName' or 'delete: "
			                   "servicePrincipalName'");
		size_t values = 0;
		while ((got = next_line(r, &n)) > 0 && strcmp(r->buf, "-") != 0) {
			char *v;
			enum spn_rc rc = value_of(r, r->buf, n, ATTR, &v, err);
			if (rc)
				return rc;
			char where[64];
			snprintf(where, sizeof(where), "%.40s:%zu", r->name, r->line);
			rc = spn_plan_add_step(out, op, v, dn, NULL, NULL, where, err);
			free(v);
			if (rc)
				return rc;
			values++;
		}
		if (got < 0)
			return got == -2 ? spn_err_set(err, SPN_NOMEM, "out of memory")
			                 : bad(r, err, "line too long");
		if (got == 0)
			return bad(r, err, "record ends without '-'");
		if (values == 0)
			return bad(r, err, "a change without values (it would touch every value): "
			                   "refused");
		any = true;
	}
	if (got < 0)
		return got == -2 ? spn_err_set(err, SPN_NOMEM, "out of memory")
		                 : bad(r, err, "line too long");
	if (!any)
		return bad(r, err, "a record without changes");
	return SPN_OK;
}

enum spn_rc spn_undo_read_mem(const char *name, const char *buf, size_t len, struct spn_plan *out,
                              struct spn_err *err)
{
	struct reader r = {name, buf, buf + len, 0, 0, NULL, 0};
	enum spn_rc rc = SPN_OK;
	size_t n, records = 0;
	int got;
	while (rc == SPN_OK && (got = next_line(&r, &n)) != 0) {
		if (got < 0) {
			rc = got == -2 ? spn_err_set(err, SPN_NOMEM, "out of memory")
			               : bad(&r, err, "line too long");
			break;
		}
		if (n == 0 || r.buf[0] == '#')
			continue;
		if (records == 0 && strcasecmp(r.buf, "version: 1") == 0)
			continue;
		char *dn;
		if ((rc = value_of(&r, r.buf, n, "dn", &dn, err)))
			break;
		if (!*dn) {
			free(dn);
			rc = bad(&r, err, "empty DN");
			break;
		}
		rc = record(&r, dn, out, err);
		free(dn);
		records++;
	}
	free(r.buf);
	if (rc == SPN_OK && out->nsteps == 0)
		rc = spn_err_set(err, SPN_INPUT, "%s: no changes in the file", name);
	return rc;
}

enum spn_rc spn_undo_read(const char *path, struct spn_plan *out, struct spn_err *err)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return spn_err_set(err, SPN_IO, "cannot open '%s': %s", path, strerror(errno));
	char *buf = NULL;
	size_t n = 0, cap = 0;
	for (;;) {
		if (n == cap) {
			if (cap >= (64u << 20)) {
				free(buf);
				fclose(f);
				return spn_err_set(err, SPN_INPUT, "%s: larger than 64 MiB: not an undo file",
				                   path);
			}
			cap = cap ? cap * 2 : 65536;
			char *b = realloc(buf, cap);
			if (!b) {
				free(buf);
				fclose(f);
				return spn_err_set(err, SPN_NOMEM, "out of memory");
			}
			buf = b;
		}
		size_t got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	bool failed = ferror(f);
	fclose(f);
	if (failed) {
		free(buf);
		return spn_err_set(err, SPN_IO, "cannot read '%s'", path);
	}
	enum spn_rc rc = spn_undo_read_mem(path, buf, n, out, err);
	free(buf);
	return rc;
}
