/*
 * ldif_parallel.c - reading one snapshot file on all cores.
 *
 * A regular file is cut into parts (four per thread) at record boundaries
 * (a blank line, then a line starting "dn:" in any case, LF or CRLF). The
 * calling thread reads the first part straight into the caller's model;
 * every other part is read into its own model, through its own fixed
 * buffer (pread, no mmap), by whichever thread takes it next - so a core
 * that other work slows down takes fewer parts. The part models are
 * merged into the caller's model in file order (spn_model_merge), so
 * accounts, values, groups, gaps and messages are those of a
 * single-threaded read. The calling thread merges each part as soon as it
 * and those before it are read, while the other threads go on reading:
 * only the last part's merge is left when the reading ends. The threads
 * are lib/base's pool; the calling thread's own work (the first part, the
 * merges in order) runs beside it, helping it while a merge waits.
 * Errors: the first one in file order wins; a part counts its lines from
 * its own start and the true line number is found only when a message
 * needs it (spn_ldif_line_no). Standard input, other non-regular files and
 * small files are left to the sequential reader (ldif_reader.c): source.c
 * chooses.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/pool.h"
#include "model/merge.h"

#include "ldif_int.h"

#define PARTS_PER_THREAD 4  /* smaller parts share the work out evenly when a
                               core is busy with something else */
#define MAX_PARTS (SPN_POOL_MAX * PARTS_PER_THREAD)

struct part {
	uint64_t start, end;
	struct spn_model *m;    /* the caller's for part 0, else its own */
	struct spn_err err;
	enum spn_rc rc;
	bool done;              /* read (under job.lock) */
};

struct job {
	const char *path;
	int fd;
	const struct spn_ldif_limits *lim;
	struct part *parts;
	size_t nparts;
	struct spn_pool pool;   /* task t reads part t + 1 */
	pthread_mutex_t lock;   /* guards parts[].done */
	pthread_cond_t read;    /* a part is done */
};

static void read_part(struct job *j, size_t k)
{
	struct part *p = &j->parts[k];
	p->rc = spn_ldif_read_part(p->m, j->path, j->fd, p->start, p->end, j->lim, &p->err);
	pthread_mutex_lock(&j->lock);
	p->done = true;
	pthread_cond_broadcast(&j->read);
	pthread_mutex_unlock(&j->lock);
}

/* A task of the pool: the parts after the first, in file order. */
static void read_task(void *ctx, size_t t)
{
	read_part(ctx, t + 1);
}

/* The calling thread, after the first part: merge parts in file order as
 * they are done, and read parts nobody has taken while the next one to
 * merge is still being read. Stops at the first failed part (and stops
 * the others from starting one); parts still being read then are freed
 * by the caller after the threads are joined. */
static enum spn_rc merge_parts(struct job *j, struct spn_model *m, struct spn_err *err)
{
	enum spn_rc rc = SPN_OK;
	uint16_t src = (uint16_t)(spn_model_nsources(m) - 1);
	for (size_t k = 1; k < j->nparts; k++) {
		struct part *p = &j->parts[k];
		for (;;) {
			pthread_mutex_lock(&j->lock);
			bool done = p->done;
			pthread_mutex_unlock(&j->lock);
			if (done)
				break;
			if (spn_pool_help(&j->pool))
				continue;
			pthread_mutex_lock(&j->lock);
			while (!p->done)
				pthread_cond_wait(&j->read, &j->lock);
			pthread_mutex_unlock(&j->lock);
		}
		if (p->rc != SPN_OK)
			rc = spn_err_set(err, p->err.rc, "%s", p->err.msg);
		else
			rc = spn_model_merge(m, p->m, src, err);
		spn_model_free(p->m);
		p->m = NULL;
		if (rc != SPN_OK) {
			/* The first error in file order: nobody starts another part. */
			spn_pool_stop(&j->pool);
			break;
		}
	}
	return rc;
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

enum spn_rc spn_ldif_read_parallel(struct spn_model *m, const char *path,
                                   const struct spn_ldif_limits *lim, unsigned threads,
                                   size_t min_size, bool *read, struct spn_err *err)
{
	*read = true;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return spn_err_set(err, SPN_IO, "cannot open '%s': %s", path, strerror(errno));
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size == 0 ||
	    (uint64_t)st.st_size < min_size) {
		close(fd);
		*read = false;
		return SPN_OK;
	}
	uint64_t size = (uint64_t)st.st_size;

	/* Cut at the first boundary after each share. The first part, read
	 * straight into the caller's model, is nearly one thread's share
	 * (15/16: the calling thread also merges the others); the rest is
	 * cut in equal smaller parts that the threads take as they go (so a
	 * busy core does less). Every other part is copied into the caller's
	 * model when it is merged: a big first part copies less. */
	struct part *parts = calloc(MAX_PARTS, sizeof(*parts));
	if (!parts) {
		close(fd);
		return spn_err_set(err, SPN_NOMEM, "out of memory");
	}
	size_t want = (size_t)threads * PARTS_PER_THREAD, nparts = 0;
	uint64_t start = 0, first = size / threads - size / threads / 16, rest = size - first;
	for (size_t k = 1; k <= want && start < size; k++) {
		uint64_t end = size;
		if (k < want) {
			uint64_t t = first + (uint64_t)((double)rest * (double)(k - 1) / (double)(want - 1));
			end = next_boundary(fd, t > start ? t : start + 1, size);
		}
		memset(&parts[nparts], 0, sizeof(parts[nparts]));
		parts[nparts].start = start;
		parts[nparts].end = end;
		spn_err_init(&parts[nparts].err);
		nparts++;
		start = end;
	}
	if (nparts == 1) {
		free(parts);
		close(fd);
		*read = false;
		return SPN_OK;
	}

	/* The first part goes straight into the caller's model; it is taken
	 * first, by this thread. */
	enum spn_rc rc = SPN_OK;
	parts[0].m = m;
	for (size_t k = 1; k < nparts && rc == SPN_OK; k++)
		if (!(parts[k].m = spn_model_new(spn_model_flags(m))))
			rc = spn_err_set(err, SPN_NOMEM, "out of memory");
	struct job job = {.path = path, .fd = fd, .lim = lim, .parts = parts, .nparts = nparts};
	pthread_mutex_init(&job.lock, NULL);
	pthread_cond_init(&job.read, NULL);
	if (rc == SPN_OK) {
		spn_pool_start(&job.pool, threads, nparts - 1, read_task, &job);
		parts[0].rc = spn_ldif_read_part(m, path, fd, 0, parts[0].end, lim, err);
		/* Merge the rest as it comes (reading what nobody took); after a
		 * failed first part, only wait for the others to end. */
		if (parts[0].rc == SPN_OK) {
			rc = merge_parts(&job, m, err);
		} else {
			rc = parts[0].rc;
			spn_pool_stop(&job.pool);
		}
		spn_pool_join(&job.pool);
	}
	for (size_t k = 1; k < nparts; k++)
		spn_model_free(parts[k].m);  /* those not merged (after an error) */
	pthread_cond_destroy(&job.read);
	pthread_mutex_destroy(&job.lock);
	free(parts);
	close(fd);
	return rc;
}
