/*
 * source.h - where a model's entries come from.
 *
 * LDIF snapshot reader: reads LDIF as `ldapsearch -LLL` and `ldifde` write it
 * (folded lines, "::" base64, "#" comments, "version: 1", CRLF, attribute
 * options such as ";range=0-1499", names in any case) and hands each entry
 * to spn_model_add_entry(). Streams the file through a fixed buffer, so
 * memory does not grow with file size beyond what the model keeps.
 *
 * Failure contract: malformed LDIF is SPN_INPUT with "file:line: reason";
 * nothing read from that file is presented as complete. A ranged attribute
 * whose last range is not "*" records a gap in the model (the snapshot holds
 * only part of the values) - the model then reports complete = false.
 */
#ifndef SPN_SOURCE_H
#define SPN_SOURCE_H

#include <stddef.h>

#include "spn/err.h"
#include "spn/model.h"

/* Read the snapshot at path ("-" is standard input) into m. */
enum spn_rc spn_ldif_read_file(struct spn_model *m, const char *path, struct spn_err *err);
/* Read an LDIF held in memory; name is used in messages. */
enum spn_rc spn_ldif_read_mem(struct spn_model *m, const char *name,
                              const char *buf, size_t n, struct spn_err *err);

/* spn_ldif_read_file() with a number of reader threads: 0 is one per online CPU (what
 * spn_ldif_read_file() uses), 1 reads in the calling thread only. A regular
 * file of 16 MiB or more is split at record boundaries and its parts read
 * in parallel, each through its own fixed buffer; the model, its order and
 * any error (the first in file order, with its true line) are exactly
 * those of a single-threaded read. */
enum spn_rc spn_ldif_read_file_threads(struct spn_model *m, const char *path, unsigned threads,
                                       struct spn_err *err);

#endif
