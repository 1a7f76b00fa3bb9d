/*
 * undo.h - the undo file every write leaves behind: LDIF change records
 * that put servicePrincipalName back as it was, readable by `spnctl undo`
 * and by `ldapmodify -f` / `ldifde -i`.
 *
 * Write-ahead: the inverse of a change is written and flushed to disk
 * (fsync) before the change is sent; when the change is then not made (the
 * DC refused it, the user declined), the record is taken back and a comment
 * says why. The file is created new (never overwritten) with mode 0600.
 *
 * Records are single-value "add:" or "delete:" modifications of
 * servicePrincipalName, in the order the changes were made; none depends
 * on another, so applying them in file order (ldapmodify) or in reverse
 * (`spnctl undo`) gives the same result.
 */
#ifndef SPN_UNDO_H
#define SPN_UNDO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "spn/err.h"
#include "spn/plan.h"

struct spn_undo;

/* Create path (O_EXCL, 0600) with a header naming the server, the command
 * and the time (seconds since 1970, UTC). */
enum spn_rc spn_undo_create(struct spn_undo **out, const char *path, const char *server,
                            const char *command, int64_t when, struct spn_err *err);
/* Write (and fsync) the record that undoes step s, before s is carried out. */
enum spn_rc spn_undo_begin(struct spn_undo *u, const struct spn_step *s, struct spn_err *err);
/* Records begun while on form one group: one change that carries out
 * several steps at once (a replace); spn_undo_cancel() takes back the
 * whole group. */
void spn_undo_group(struct spn_undo *u, bool on);
/* The step (or group) begun last was not carried out: take its records
 * back and leave "# not changed: why" in their place (why NULL: nothing). */
enum spn_rc spn_undo_cancel(struct spn_undo *u, const char *why, struct spn_err *err);
/* Close. A file that holds no record (nothing was changed) is removed;
 * *kept says whether the file stays. */
enum spn_rc spn_undo_close(struct spn_undo *u, int *kept, struct spn_err *err);
const char *spn_undo_path(const struct spn_undo *u);
size_t spn_undo_records(const struct spn_undo *u);

/* Read an undo file (any LDIF of single-value servicePrincipalName add /
 * delete records) into plan steps, in file order; reason "FILE:LINE".
 * Anything else is SPN_INPUT "FILE:LINE: ...". out must be initialised. */
enum spn_rc spn_undo_read(const char *path, struct spn_plan *out, struct spn_err *err);
/* The same from memory; name is used in messages. */
enum spn_rc spn_undo_read_mem(const char *name, const char *buf, size_t n, struct spn_plan *out,
                              struct spn_err *err);

#endif
