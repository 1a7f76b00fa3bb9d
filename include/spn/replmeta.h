/*
 * replmeta.h - where and when an attribute last changed: the replication
 * metadata AD keeps per object in replPropertyMetaData (MS-DRSR
 * PROPERTY_META_DATA_EXT_VECTOR, as Samba's drsblobs.idl calls it
 * replPropertyMetaDataBlob), read by hand as untrusted bytes.
 *
 * Layout (little-endian, 16 + 48 x count bytes):
 *   dwVersion(4)=1 dwReserved(4) cNumProps(4) dwReserved(4), then per attribute:
 *   attrType(4) dwVersion(4) timeChanged(8) uuidDsaOriginating(16)
 *   usnOriginating(8) usnProperty(8)
 * timeChanged: the protocol's DSTIME, seconds since 1601 - what a Samba
 * 4.17 DC served (tests/unit/replmeta_samba.h). A FILETIME (100 ns units)
 * is read too: a value below 2^40 cannot be a FILETIME of this millennium
 * (2^40 x 100 ns is 30 hours past 1601), so it is taken as seconds, and
 * anything larger as 100 ns; either way `when` comes out as a FILETIME.
 *
 * Invariants:
 *  - Every length is checked before a byte is read: a blob whose size is
 *    not exactly 16 + 48 x count, or whose version is not 1, is SPN_INPUT
 *    with what is wrong and where; never a partial answer.
 *  - Pure: no allocation, no I/O (lib/model, beside sd.h).
 */
#ifndef SPN_REPLMETA_H
#define SPN_REPLMETA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "spn/err.h"

/* servicePrincipalName's attribute id (ATTRTYP): base schema, the same in
 * every forest (prefix 1.2.840.113556.1.4 -> 0x0009, 771 -> 0x0303). */
#define SPN_ATTID_SERVICEPRINCIPALNAME 0x00090303u

#define SPN_GUID_TEXT 37   /* "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" and NUL */

/* The stamp of one attribute's last originating write. */
struct spn_stamp {
	uint32_t attid;
	uint32_t version;               /* how many originating writes it has had */
	int64_t when;                   /* FILETIME of the last one (UTC) */
	unsigned char invocation[16];   /* invocationId of the DC that made it (GUID bytes) */
	uint64_t orig_usn;              /* its USN on that DC */
	uint64_t local_usn;             /* the USN it has on the DC that answered */
};

/* How many attributes the blob describes; SPN_INPUT when it is malformed. */
enum spn_rc spn_replmeta_count(const unsigned char *p, size_t n, size_t *count,
                               struct spn_err *err);
/* Attribute i (0 .. count-1) of a blob spn_replmeta_count() accepted. */
void spn_replmeta_get(const unsigned char *p, size_t i, struct spn_stamp *out);
/* The stamp of attid: *found says whether the blob has it. SPN_INPUT when
 * the blob is malformed. */
enum spn_rc spn_replmeta_find(const unsigned char *p, size_t n, uint32_t attid,
                              struct spn_stamp *out, bool *found, struct spn_err *err);

/* A blob of one attribute, s (time as a FILETIME, which reads back
 * exactly; DSTIME would round to seconds): what a snapshot keeps
 * of an account's replPropertyMetaData. */
#define SPN_REPLMETA_ONE 64
void spn_replmeta_write_one(const struct spn_stamp *s, unsigned char out[SPN_REPLMETA_ONE]);

/* A GUID's 16 bytes (the first three fields little-endian, as Windows
 * stores them) as lower-case text; buf holds SPN_GUID_TEXT. */
void spn_guid_text(const unsigned char g[16], char *buf);
/* Text (36 characters, any case) back to bytes; false when it is not one. */
bool spn_guid_parse(const char *s, size_t n, unsigned char g[16]);

#endif
