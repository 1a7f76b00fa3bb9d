/*
 * privilege.c - is an account privileged, and why (RID 500, protected
 * groups followed transitively, primary group, adminCount).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "model_int.h"

/* Protected groups (AdminSDHolder) by RID, with their English names, which
 * also recognise a group that is not in the snapshot by its CN. */
static const struct {
	uint32_t rid;
	const char *name;
} protected_groups[] = {
	{512, "Domain Admins"},
	{516, "Domain Controllers"},
	{518, "Schema Admins"},
	{519, "Enterprise Admins"},
	{521, "Read-only Domain Controllers"},
	{526, "Key Admins"},
	{527, "Enterprise Key Admins"},
	{544, "Administrators"},
	{548, "Account Operators"},
	{549, "Server Operators"},
	{550, "Print Operators"},
	{551, "Backup Operators"},
	{552, "Replicator"},
};
#define NPROTECTED (sizeof(protected_groups) / sizeof(protected_groups[0]))

static const char *protected_by_rid(uint32_t rid)
{
	for (size_t i = 0; i < NPROTECTED; i++)
		if (protected_groups[i].rid == rid)
			return protected_groups[i].name;
	return NULL;
}

/* "CN=Domain Admins,CN=Users,DC=..." -> "Domain Admins" if it is a protected name. */
static const char *protected_by_cn(const char *dn)
{
	if (strncasecmp(dn, "CN=", 3) != 0)
		return NULL;
	const char *cn = dn + 3;
	const char *end = strchr(cn, ',');
	size_t n = end ? (size_t)(end - cn) : strlen(cn);
	for (size_t i = 0; i < NPROTECTED; i++)
		if (strlen(protected_groups[i].name) == n && strncasecmp(protected_groups[i].name, cn, n) == 0)
			return protected_groups[i].name;
	return NULL;
}

/* Is group dn protected? Depth-first through the groups' own memberOf. */
static const char *group_protected(const struct spn_model *m, const char *dn, unsigned char *seen,
                                   int depth, const char **via)
{
	uint32_t g = spn_model_find_group(m, dn);
	if (g == SPN_NONE)
		return protected_by_cn(dn);
	if (seen[g])
		return NULL;
	seen[g] = 1;
	const struct spn_group *gr = &m->grp[g];
	const char *name = gr->rid ? protected_by_rid(gr->rid) : NULL;
	if (!name && !gr->rid)
		name = protected_by_cn(gr->dn);
	if (name)
		return name;
	if (depth > 64)
		return NULL;
	for (uint32_t i = 0; i < gr->n_member_of; i++) {
		const char *r = group_protected(m, gr->member_of[i], seen, depth + 1, via);
		if (r) {
			if (!*via)
				*via = gr->dn;
			return r;
		}
	}
	return NULL;
}

const char *spn_model_privileged(const struct spn_model *m, uint32_t account, char *buf, size_t cap)
{
	const struct spn_account *a = &m->acc[account];
	if ((a->has & SPN_HAS_SID) && a->rid == 500) {
		snprintf(buf, cap, "RID 500 (built-in Administrator)");
		return buf;
	}
	if (a->n_member_of) {
		unsigned char *seen = calloc(m->ngrp ? m->ngrp : 1, 1);
		if (seen) {
			for (uint32_t i = 0; i < a->n_member_of; i++) {
				const char *via = NULL;
				const char *name = group_protected(m, a->member_of[i], seen, 0, &via);
				if (!name)
					continue;
				if (via)
					snprintf(buf, cap, "member of %s through %s", name, via);
				else
					snprintf(buf, cap, "member of %s", name);
				free(seen);
				return buf;
			}
			free(seen);
		}
	}
	if (a->has & SPN_HAS_PRIMARYGROUP) {
		const char *name = protected_by_rid(a->primary_group);
		if (name) {
			snprintf(buf, cap, "primary group %s", name);
			return buf;
		}
	}
	if (a->admin_count) {
		snprintf(buf, cap, "adminCount=1");
		return buf;
	}
	return NULL;
}
