/*
 * sd.h - the parts of a Windows security descriptor spnctl reads: who the
 * DACL allows or denies, as SIDs. Used for msDS-AllowedToActOnBehalfOfOtherIdentity
 * (resource-based constrained delegation: the accounts that may delegate
 * to the account that carries it).
 *
 * Invariants:
 *  - The input is untrusted bytes from the directory or a snapshot: every
 *    offset and length is checked against the input before it is read; a
 *    descriptor that does not hold together is SPN_INPUT with the byte
 *    offset and what is wrong, never a partial answer.
 *  - Only the self-relative form (MS-DTYP 2.4.6, control bit SE_SELF_RELATIVE)
 *    exists in an attribute value; an absolute one is refused.
 *  - ACEs are kept in DACL order, up to SPN_SD_MAX_ACES; nace_total counts
 *    them all. ACE types other than (object) allow and deny are counted and
 *    skipped (they grant nothing here).
 *  - Pure: no allocation, no I/O.
 */
#ifndef SPN_SD_H
#define SPN_SD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "spn/err.h"

#define SPN_SID_MAX_SUBAUTH 15
#define SPN_SID_TEXT_MAX 192     /* "S-1-" + authority + 15 x "-4294967295" */
#define SPN_SD_MAX_ACES 64

/* A SID (MS-DTYP 2.4.2). */
struct spn_sid {
	uint8_t revision;
	uint8_t count;               /* sub-authorities */
	uint64_t authority;          /* 48 bits */
	uint32_t sub[SPN_SID_MAX_SUBAUTH];
};

/* Read a binary SID at p[0..n): *used gets its length. false when it is not
 * one (revision 1, at most 15 sub-authorities, inside n). */
bool spn_sid_read(const unsigned char *p, size_t n, struct spn_sid *sid, size_t *used);
/* "S-1-5-21-1-2-3-1105" into buf (SPN_SID_TEXT_MAX is always enough). */
size_t spn_sid_text(const struct spn_sid *sid, char *buf, size_t size);
/* A domain account's SID (S-1-5-21-a-b-c-RID): true with its RID. */
bool spn_sid_domain_rid(const struct spn_sid *sid, uint32_t *rid);
/* A well-known SID's name ("Everyone", "Authenticated Users", ...) or NULL. */
const char *spn_sid_well_known(const struct spn_sid *sid);

enum spn_ace_kind {
	SPN_ACE_ALLOW = 0,          /* ACCESS_ALLOWED_ACE, ACCESS_ALLOWED_OBJECT_ACE */
	SPN_ACE_DENY,               /* ACCESS_DENIED_ACE, ACCESS_DENIED_OBJECT_ACE */
};

struct spn_ace {
	enum spn_ace_kind kind;
	uint8_t type;                /* the ACE type as stored (0, 1, 5, 6) */
	uint8_t flags;               /* AceFlags (inheritance) */
	uint32_t mask;               /* access mask */
	bool object;                 /* an object ACE: limited to an object type */
	struct spn_sid sid;
};

struct spn_sd {
	uint16_t control;
	bool has_owner;
	struct spn_sid owner;
	bool has_dacl;               /* no DACL (SE_DACL_PRESENT clear, or offset 0): in Windows
	                                terms everyone is allowed; for RBCD nobody is */
	struct spn_ace aces[SPN_SD_MAX_ACES];  /* allow and deny ACEs, in order */
	size_t nace;
	size_t nace_total;           /* every ACE of the DACL, kept or not */
};

/* Parse a self-relative security descriptor. SPN_INPUT with a message
 * naming the byte offset when it is malformed. */
enum spn_rc spn_sd_parse(const unsigned char *p, size_t n, struct spn_sd *sd, struct spn_err *err);

#endif
