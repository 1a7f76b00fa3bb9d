/*
 * source.c - the front door of lib/source (spn/source.h): every read of an
 * LDIF snapshot comes in here, and here the reader is chosen - the
 * parallel one (ldif_parallel.c) for a regular file big enough to split,
 * the sequential one (ldif_reader.c) for everything else: standard input,
 * pipes, small files, one thread, text in memory. Either gives the same
 * model and the same first error.
 */
#include <stdbool.h>
#include <string.h>

#include "base/pool.h"

#include "ldif_int.h"

#define MIB ((size_t)1 << 20)

enum spn_rc spn_ldif_read_file_with(struct spn_model *m, const char *path,
                                    const struct spn_ldif_limits *lim, unsigned threads,
                                    size_t min_size, struct spn_err *err)
{
	threads = spn_pool_threads(threads);
	if (threads > 1 && strcmp(path, "-") != 0) {
		bool read = false;
		enum spn_rc rc = spn_ldif_read_parallel(m, path, lim, threads, min_size, &read, err);
		if (read)
			return rc;
	}
	return spn_ldif_read_file_limits(m, path, lim, err);
}

enum spn_rc spn_ldif_read_file_threads(struct spn_model *m, const char *path, unsigned threads,
                                       struct spn_err *err)
{
	struct spn_ldif_limits lim;
	spn_ldif_limits_default(&lim);
	return spn_ldif_read_file_with(m, path, &lim, threads, 16 * MIB, err);
}

enum spn_rc spn_ldif_read_file(struct spn_model *m, const char *path, struct spn_err *err)
{
	return spn_ldif_read_file_threads(m, path, 0, err);
}

enum spn_rc spn_ldif_read_mem(struct spn_model *m, const char *name,
                              const char *buf, size_t n, struct spn_err *err)
{
	struct spn_ldif_limits lim;
	spn_ldif_limits_default(&lim);
	return spn_ldif_read_mem_limits(m, name, buf, n, &lim, err);
}
