/*
 * snapshot.h - writing a model back out as an LDIF snapshot (`spnctl
 * snapshot`), so an audit of a live directory can be repeated and compared
 * offline (`spnctl audit -f`, `spnctl diff`).
 *
 * What is written is exactly what the audit reads - the model's accounts,
 * groups and forest settings, not the directory's every attribute - in LDIF
 * the snapshot reader (source.h) reads back to the same model:
 *  - "version: 1", then a comment header: sources, time, complete flag and
 *    every gap;
 *  - lines are never folded (one attribute a line: greppable, diffable);
 *    values that are not RFC 2849 SAFE-STRINGs (non-ASCII, leading space,
 *    ':' or '<', trailing space, control bytes) are base64 ("attr:: ...");
 *  - objectClass is written for the account's kind (user, computer, gMSA,
 *    ...); objectSid carries only the RID, the one part spnctl reads
 *    (written S-1-5-21-0-0-0-RID: the domain SID is not kept);
 *  - an incomplete model ends with ldapsearch's result trailer
 *    ("search: 1" / "result: 80 ...") per gap, which the reader turns back
 *    into gaps: a re-read snapshot is never taken for complete data.
 */
#ifndef SPN_SNAPSHOT_H
#define SPN_SNAPSHOT_H

#include <stdint.h>
#include <stdio.h>

#include "spn/err.h"
#include "spn/model.h"

/* Write the finished model m to out. when: the time to name in the header
 * (seconds since 1970, UTC). SPN_IO when out reports a write error. */
enum spn_rc spn_ldif_write(FILE *out, const struct spn_model *m, int64_t when,
                           struct spn_err *err);

#endif
