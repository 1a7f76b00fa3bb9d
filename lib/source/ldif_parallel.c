/*
 * ldif_parallel.c - reading one snapshot file on all cores.
 *
 * A regular file is cut into one part per thread at record boundaries (a
 * blank line, then a line starting "dn:" in any case, LF or CRLF). The
 * calling thread reads the first part straight into the caller's model;
 * every other part is read by its own thread into its own model, through
 * its own fixed buffer (pread, no mmap). The part models are then merged
 * into the caller's model in file order (spn_model_merge), so accounts,
 * values, groups, gaps and messages are those of a single-threaded read.
 * Errors: the first one in file order wins; a part counts its lines from
 * its own start and the true line number is found only when a message
 * needs it (spn_ldif_line_no). Standard input, other non-regular files and
 * small files are read by one thread (ldif_reader.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ldif_int.h"

#define MAX_PARTS 64

struct part {
	const char *path;
	int fd;
	uint64_t start, end;
	const struct spn_ldif_limits *lim;
	struct spn_model *m;
	struct spn_err err;
	enum spn_rc rc;
	bool started;       /* a thread runs it */
};

static void *part_main(void *arg)
{
	struct part *p = arg;
	p->rc = spn_ldif_read_part(p->m, p->path, p->fd, p->start, p->end, p->lim, &p->err);
	return NULL;
}

/* The first record boundary at or after off: the offset of a line starting
 * "dn:" that follows a blank line; size when there is none. */
static uint64_t next_boundary(int fd, uint64_t off, uint64_t size)
{
	char b[65536];
	while (off < size) {
		size_t want = size - off < sizeof(b) ? (size_t)(size - off) : sizeof(b);
		ssize_t k = pread(fd, b, want, (off_t)off);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return size;
		size_t n = (size_t)k;
		/* Newlines up to limit have all the look-ahead they need
		 * ("\n\r\ndn:" is 6 bytes) or are at the end of the file. */
		size_t limit = off + n >= size ? n : n > 6 ? n - 6 : 0;
		if (limit == 0)
			return size;
		for (const char *p = b; (p = memchr(p, '\n', limit - (size_t)(p - b))) != NULL; p++) {
			size_t i = (size_t)(p - b), d;
			if (i + 1 < n && b[i + 1] == '\n')
				d = i + 2;
			else if (i + 2 < n && b[i + 1] == '\r' && b[i + 2] == '\n')
				d = i + 3;
			else
				continue;
			if (d + 3 <= n && (b[d] | 0x20) == 'd' && (b[d + 1] | 0x20) == 'n' && b[d + 2] == ':')
				return off + d;
			if (p + 1 == b + limit)
				break;
		}
		off += limit;
	}
	return size;
}

enum spn_rc spn_ldif_read_file_parallel(struct spn_model *m, const char *path,
                                        const struct spn_ldif_limits *lim, unsigned threads,
                                        size_t min_size, struct spn_err *err)
{
	if (threads == 0) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);
		threads = n > 0 ? (unsigned)n : 1;
	}
	if (threads > MAX_PARTS)
		threads = MAX_PARTS;
	if (threads == 1 || strcmp(path, "-") == 0)
		return spn_ldif_read_file_limits(m, path, lim, err);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return spn_err_set(err, SPN_IO, "cannot open '%s': %s", path, strerror(errno));
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size == 0 ||
	    (uint64_t)st.st_size < min_size) {
		close(fd);
		return spn_ldif_read_file_limits(m, path, lim, err);
	}
	uint64_t size = (uint64_t)st.st_size;

	/* Cut at the first boundary after each equal share. */
	struct part parts[MAX_PARTS];
	size_t nparts = 0;
	uint64_t start = 0;
	for (unsigned k = 1; k <= threads && start < size; k++) {
		uint64_t end = size;
		if (k < threads) {
			uint64_t t = size / threads * k;
			end = next_boundary(fd, t > start ? t : start + 1, size);
		}
		memset(&parts[nparts], 0, sizeof(parts[nparts]));
		parts[nparts].path = path;
		parts[nparts].fd = fd;
		parts[nparts].start = start;
		parts[nparts].end = end;
		parts[nparts].lim = lim;
		spn_err_init(&parts[nparts].err);
		nparts++;
		start = end;
	}
	if (nparts == 1) {
		close(fd);
		return spn_ldif_read_file_limits(m, path, lim, err);
	}

	enum spn_rc rc = SPN_OK;
	pthread_t tid[MAX_PARTS];
	for (size_t k = 1; k < nparts; k++) {
		parts[k].m = spn_model_new(spn_model_flags(m));
		if (!parts[k].m) {
			parts[k].rc = spn_err_set(&parts[k].err, SPN_NOMEM, "out of memory");
			continue;
		}
		parts[k].started = pthread_create(&tid[k], NULL, part_main, &parts[k]) == 0;
	}
	/* The first part goes straight into the caller's model. */
	rc = spn_ldif_read_part(m, path, fd, 0, parts[0].end, lim, err);
	for (size_t k = 1; k < nparts; k++) {
		if (parts[k].started)
			pthread_join(tid[k], NULL);
		else if (parts[k].m)
			part_main(&parts[k]);  /* no thread to be had: read it here */
	}
	uint16_t src = (uint16_t)(spn_model_nsources(m) - 1);
	for (size_t k = 1; k < nparts; k++) {
		if (rc == SPN_OK && parts[k].rc != SPN_OK)
			rc = spn_err_set(err, parts[k].err.rc, "%s", parts[k].err.msg);
		if (rc == SPN_OK)
			rc = spn_model_merge(m, parts[k].m, src, err);
		spn_model_free(parts[k].m);
	}
	close(fd);
	return rc;
}
