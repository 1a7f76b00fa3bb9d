/*
 * whole_file.h - a small text file (an undo file, an accept file) read
 * into memory at once, with a ceiling: a file past it is SPN_INPUT, never
 * cut short.
 */
#ifndef SPN_BASE_WHOLE_FILE_H
#define SPN_BASE_WHOLE_FILE_H

#include <stddef.h>

#include "spn/err.h"

/* Read path into *buf (malloc'd, the caller frees; n bytes, not
 * NUL-terminated; NULL for an empty file). More than max bytes is
 * SPN_INPUT "PATH: larger than MAX_MIB MiB: not WHAT"; a file that cannot be
 * opened or read is SPN_IO naming it. */
enum spn_rc spn_read_whole_file(const char *path, size_t max, const char *what, char **buf,
                                size_t *n, struct spn_err *err);

#endif
