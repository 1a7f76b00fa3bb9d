/*
 * whole_file.c - a small text file read at once, with a ceiling
 * (whole_file.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "whole_file.h"

enum spn_rc spn_read_whole_file(const char *path, size_t max, const char *what, char **out,
                                size_t *nout, struct spn_err *err)
{
	*out = NULL;
	*nout = 0;
	FILE *f = fopen(path, "rb");
	if (!f)
		return spn_err_set(err, SPN_IO, "cannot open '%s': %s", path, strerror(errno));
	char *buf = NULL;
	size_t n = 0, cap = 0;
	enum spn_rc rc = SPN_OK;
	for (;;) {
		if (n == cap) {
			if (cap >= max) {
				rc = spn_err_set(err, SPN_INPUT, "%s: larger than %zu MiB: not %s", path,
				                 max >> 20, what);
				break;
			}
			cap = cap ? cap * 2 : 65536;
			char *b = realloc(buf, cap);
			if (!b) {
				rc = spn_err_set(err, SPN_NOMEM, "out of memory");
				break;
			}
			buf = b;
		}
		size_t got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	if (rc == SPN_OK && ferror(f))
		rc = spn_err_set(err, SPN_IO, "cannot read '%s'", path);
	fclose(f);
	if (rc != SPN_OK) {
		free(buf);
		return rc;
	}
	*out = buf;
	*nout = n;
	return SPN_OK;
}
