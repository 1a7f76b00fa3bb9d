/*
 * sd.c - reading a self-relative security descriptor (MS-DTYP 2.4.6) by
 * hand, as untrusted bytes: the owner and the DACL's allow and deny ACEs
 * with their SIDs. What msDS-AllowedToActOnBehalfOfOtherIdentity says
 * about resource-based delegation (spn/sd.h).
 *
 * Layout (little-endian):
 *   descriptor: Revision(1)=1 Sbz1(1) Control(2) OffsetOwner(4) OffsetGroup(4)
 *               OffsetSacl(4) OffsetDacl(4)
 *   ACL:        AclRevision(1)=2|4 Sbz1(1) AclSize(2) AceCount(2) Sbz2(2), ACEs
 *   ACE:        AceType(1) AceFlags(1) AceSize(2), then by type:
 *               0/1 (allow/deny): Mask(4) SID
 *               5/6 (object allow/deny): Mask(4) Flags(4) [GUID(16) if Flags&1]
 *                   [GUID(16) if Flags&2] SID
 *   SID:        Revision(1)=1 SubAuthorityCount(1)<=15 Authority(6, big-endian)
 *               SubAuthority(4 each)
 * Every read is bounded by the structure that contains it: a SID by its
 * ACE, an ACE by its ACL, an ACL by the descriptor.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "spn/sd.h"

#define SE_DACL_PRESENT 0x0004
#define SE_SELF_RELATIVE 0x8000
#define SD_HEADER 20
#define ACL_HEADER 8
#define ACE_HEADER 4

static uint16_t le16(const unsigned char *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

bool spn_sid_read(const unsigned char *p, size_t n, struct spn_sid *sid, size_t *used)
{
	if (n < 8 || p[0] != 1 || p[1] > SPN_SID_MAX_SUBAUTH)
		return false;
	size_t len = 8 + 4 * (size_t)p[1];
	if (len > n)
		return false;
	memset(sid, 0, sizeof(*sid));
	sid->revision = p[0];
	sid->count = p[1];
	for (int i = 0; i < 6; i++)
		sid->authority = sid->authority << 8 | p[2 + i];
	for (size_t i = 0; i < sid->count; i++)
		sid->sub[i] = le32(p + 8 + 4 * i);
	*used = len;
	return true;
}

size_t spn_sid_text(const struct spn_sid *sid, char *buf, size_t size)
{
	size_t k = 0;
	int r;
	/* MS-DTYP 2.4.2.1: the authority in decimal below 2^32, else hex. */
	if (sid->authority < (1ULL << 32))
		r = snprintf(buf, size, "S-%u-%" PRIu64, (unsigned)sid->revision, sid->authority);
	else
		r = snprintf(buf, size, "S-%u-0x%012" PRIX64, (unsigned)sid->revision, sid->authority);
	if (r > 0)
		k = (size_t)r;
	for (size_t i = 0; i < sid->count && i < SPN_SID_MAX_SUBAUTH; i++) {
		r = snprintf(k < size ? buf + k : NULL, k < size ? size - k : 0, "-%" PRIu32, sid->sub[i]);
		if (r > 0)
			k += (size_t)r;
	}
	return k;
}

bool spn_sid_domain_rid(const struct spn_sid *sid, uint32_t *rid)
{
	if (sid->authority != 5 || sid->count != 5 || sid->sub[0] != 21)
		return false;
	*rid = sid->sub[4];
	return true;
}

const char *spn_sid_well_known(const struct spn_sid *sid)
{
	static const struct {
		uint64_t authority;
		uint8_t count;
		uint32_t sub0, sub1;
		const char *name;
	} known[] = {
		{1, 1, 0, 0, "Everyone"},
		{5, 1, 7, 0, "Anonymous Logon"},
		{5, 1, 11, 0, "Authenticated Users"},
		{5, 1, 18, 0, "Local System"},
		{5, 2, 32, 544, "BUILTIN\\Administrators"},
	};
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (sid->authority == known[i].authority && sid->count == known[i].count &&
		    sid->sub[0] == known[i].sub0 && (sid->count < 2 || sid->sub[1] == known[i].sub1))
			return known[i].name;
	return NULL;
}

/* One ACE at p[0..n) (n = its AceSize, checked by the caller); kept in sd
 * when it allows or denies. */
static enum spn_rc read_ace(const unsigned char *p, size_t n, size_t at, struct spn_sd *sd,
                            struct spn_err *err)
{
	uint8_t type = p[0];
	bool object = type == 5 || type == 6;
	if (type != 0 && type != 1 && !object)
		return SPN_OK;   /* audit, alarm, callback ACEs: nothing here */
	size_t off = ACE_HEADER + 4;
	if (n < off)
		return spn_err_set(err, SPN_INPUT, "security descriptor: the ACE at byte %zu is %zu "
		                   "bytes, too short for its access mask", at, n);
	if (object) {
		if (n < off + 4)
			return spn_err_set(err, SPN_INPUT, "security descriptor: the object ACE at byte "
			                   "%zu is too short for its flags", at);
		uint32_t flags = le32(p + off);
		off += 4 + (flags & 1 ? 16 : 0) + (flags & 2 ? 16 : 0);
		if (off > n)
			return spn_err_set(err, SPN_INPUT, "security descriptor: the object ACE at byte "
			                   "%zu is too short for its object types", at);
	}
	struct spn_ace ace;
	size_t used;
	memset(&ace, 0, sizeof(ace));
	if (!spn_sid_read(p + off, n - off, &ace.sid, &used))
		return spn_err_set(err, SPN_INPUT, "security descriptor: the ACE at byte %zu holds no "
		                   "valid SID at byte %zu", at, at + off);
	ace.kind = type == 0 || type == 5 ? SPN_ACE_ALLOW : SPN_ACE_DENY;
	ace.type = type;
	ace.flags = p[1];
	ace.mask = le32(p + ACE_HEADER);
	ace.object = object;
	if (sd->nace < SPN_SD_MAX_ACES)
		sd->aces[sd->nace++] = ace;
	return SPN_OK;
}

static enum spn_rc read_dacl(const unsigned char *p, size_t n, size_t at, struct spn_sd *sd,
                             struct spn_err *err)
{
	if (at > n || n - at < ACL_HEADER)
		return spn_err_set(err, SPN_INPUT, "security descriptor: the DACL offset %zu lies "
		                   "outside its %zu bytes", at, n);
	const unsigned char *acl = p + at;
	if (acl[0] != 2 && acl[0] != 4)
		return spn_err_set(err, SPN_INPUT, "security descriptor: DACL revision %u at byte %zu "
		                   "(2 or 4 expected)", (unsigned)acl[0], at);
	size_t size = le16(acl + 2), count = le16(acl + 4);
	if (size < ACL_HEADER || size > n - at)
		return spn_err_set(err, SPN_INPUT, "security descriptor: the DACL at byte %zu claims "
		                   "%zu bytes; %zu are left", at, size, n - at);
	size_t off = ACL_HEADER;
	for (size_t i = 0; i < count; i++) {
		if (size - off < ACE_HEADER)
			return spn_err_set(err, SPN_INPUT, "security descriptor: ACE %zu of %zu starts "
			                   "past the DACL's end (byte %zu)", i + 1, count, at + size);
		size_t ace_size = le16(acl + off + 2);
		if (ace_size < ACE_HEADER || ace_size > size - off)
			return spn_err_set(err, SPN_INPUT, "security descriptor: ACE %zu at byte %zu "
			                   "claims %zu bytes; its DACL has %zu left", i + 1, at + off,
			                   ace_size, size - off);
		enum spn_rc rc = read_ace(acl + off, ace_size, at + off, sd, err);
		if (rc)
			return rc;
		sd->nace_total++;
		off += ace_size;
	}
	return SPN_OK;
}

enum spn_rc spn_sd_parse(const unsigned char *p, size_t n, struct spn_sd *sd, struct spn_err *err)
{
	memset(sd, 0, sizeof(*sd));
	if (!p || n < SD_HEADER)
		return spn_err_set(err, SPN_INPUT, "security descriptor: %zu bytes, shorter than its "
		                   "%d-byte header", n, SD_HEADER);
	if (p[0] != 1)
		return spn_err_set(err, SPN_INPUT, "security descriptor: revision %u (1 expected)",
		                   (unsigned)p[0]);
	sd->control = le16(p + 2);
	if (!(sd->control & SE_SELF_RELATIVE))
		return spn_err_set(err, SPN_INPUT, "security descriptor: not self-relative (control "
		                   "0x%04x)", (unsigned)sd->control);
	size_t owner = le32(p + 4), dacl = le32(p + 16);
	if (owner) {
		size_t used;
		if (owner < SD_HEADER || owner >= n || !spn_sid_read(p + owner, n - owner, &sd->owner, &used))
			return spn_err_set(err, SPN_INPUT, "security descriptor: no valid owner SID at "
			                   "byte %zu", owner);
		sd->has_owner = true;
	}
	if (!(sd->control & SE_DACL_PRESENT) || dacl == 0)
		return SPN_OK;
	if (dacl < SD_HEADER)
		return spn_err_set(err, SPN_INPUT, "security descriptor: the DACL offset %zu lies "
		                   "inside the header", dacl);
	sd->has_dacl = true;
	return read_dacl(p, n, dacl, sd, err);
}
