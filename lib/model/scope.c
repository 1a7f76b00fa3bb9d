/*
 * scope.c - which accounts an answer speaks for: the domains -T names in a
 * snapshot (struct spn_scope; a NetBIOS name, as setspn takes it, is the
 * domain whose first DNS label it is), and the accounts a list of names
 * selects inside them (`spnctl list`, setspn -L with -C or -U).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "spn/model.h"

#define MAX_SAME_NAME 64

/* "-T: no domain 'x' in the snapshot (it holds a, b)" */
static enum spn_rc no_domain(const struct spn_model *m, const char *name, struct spn_err *err)
{
	char have[512];
	size_t o = 0;
	have[0] = '\0';
	for (size_t d = 0; d < spn_model_ndomains(m) && o < sizeof(have); d++)
		o += (size_t)snprintf(have + o, sizeof(have) - o, "%s%s", d ? ", " : "",
		                      spn_model_domain(m, d));
	return spn_err_set(err, SPN_USAGE, "-T: no domain '%s' in the snapshot (it holds %s)", name,
	                   spn_model_ndomains(m) ? have : "no domain");
}

/* The domain of m a NetBIOS name ("CONTOSO") stands for: the one whose
 * first DNS label it is (the NetBIOS name AD proposes), when exactly one
 * is; *several tells that more than one is. */
static const char *netbios_domain(const struct spn_model *m, const char *name, bool *several)
{
	size_t n = strlen(name);
	const char *found = NULL;
	*several = false;
	if (n == 0 || strchr(name, '.'))
		return NULL;
	for (size_t d = 0; d < spn_model_ndomains(m); d++) {
		const char *dom = spn_model_domain(m, d);
		if (strncasecmp(dom, name, n) == 0 && (dom[n] == '.' || dom[n] == '\0')) {
			*several = found != NULL;
			if (*several)
				return NULL;
			found = dom;
		}
	}
	return found;
}

/* No domain of m is called name: say so, and what a NetBIOS name missed. */
static enum spn_rc not_found(const struct spn_model *m, const char *name, bool several,
                             struct spn_err *err)
{
	if (several)
		return spn_err_set(err, SPN_USAGE, "-T: '%s' may be the NetBIOS name of more than one "
		                   "domain of the snapshot: give the DNS name", name);
	if (*name && !strchr(name, '.')) {
		enum spn_rc rc = no_domain(m, name, err);
		/* what we can tell NetBIOS names by, offline */
		size_t k = strlen(err->msg);
		snprintf(err->msg + k, sizeof(err->msg) - k, "; as a NetBIOS name it is the first label "
		         "of none of them (a snapshot has no crossRef objects): give the DNS name");
		return rc;
	}
	return no_domain(m, name, err);
}

enum spn_rc spn_scope_init(struct spn_scope *s, const struct spn_model *m,
                           const char *const *names, size_t n, struct spn_err *err)
{
	s->domains = NULL;
	s->n = 0;
	if (n == 0)
		return SPN_OK;
	s->domains = calloc(n, sizeof(*s->domains));
	if (!s->domains)
		return spn_err_set(err, SPN_NOMEM, "out of memory");
	for (size_t i = 0; i < n; i++) {
		const char *found = NULL;
		bool several = false;
		for (size_t d = 0; d < spn_model_ndomains(m) && !found; d++)
			if (strcasecmp(spn_model_domain(m, d), names[i]) == 0)
				found = spn_model_domain(m, d);
		if (!found)
			found = netbios_domain(m, names[i], &several);   /* -T CONTOSO, as setspn */
		if (!found) {
			spn_scope_release(s);
			return not_found(m, names[i], several, err);
		}
		s->domains[s->n++] = found;
	}
	return SPN_OK;
}

void spn_scope_release(struct spn_scope *s)
{
	free(s->domains);
	s->domains = NULL;
	s->n = 0;
}

bool spn_scope_has(const struct spn_scope *s, const struct spn_model *m, uint32_t account)
{
	if (!s || s->n == 0)
		return true;
	const char *d = spn_model_account(m, account)->domain;
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->domains[i], d) == 0)
			return true;
	return false;
}

static bool kind_wanted(const struct spn_model *m, unsigned kinds, uint32_t id)
{
	if (kinds == SPN_KINDS_ALL || kinds == (SPN_KINDS_COMPUTERS | SPN_KINDS_USERS))
		return true;
	bool computer = spn_kind_is_computer((enum spn_kind)spn_model_account(m, id)->kind);
	return (kinds & SPN_KINDS_COMPUTERS) ? computer : !computer;
}

enum spn_rc spn_scope_find_accounts(const struct spn_scope *s, const struct spn_model *m,
                                    unsigned kinds, const char *const *names, size_t n,
                                    uint32_t **ids, size_t *nids, bool *missing,
                                    struct spn_err *err)
{
	uint32_t hits[MAX_SAME_NAME], *out = NULL;
	size_t have = 0;
	for (size_t i = 0; i < n; i++) {
		size_t found = spn_model_find_account(m, names[i], hits, MAX_SAME_NAME);
		missing[i] = true;
		if (found > MAX_SAME_NAME) {
			free(out);
			return spn_err_set(err, SPN_USAGE, "'%s' names %zu accounts; give a DN or DOMAIN\\name",
			                   names[i], found);
		}
		uint32_t *p = found ? realloc(out, (have + found) * sizeof(*out)) : out;
		if (found && !p) {
			free(out);
			return spn_err_set(err, SPN_NOMEM, "out of memory");
		}
		out = p;
		for (size_t k = 0; k < found; k++) {
			if (!spn_scope_has(s, m, hits[k]) || !kind_wanted(m, kinds, hits[k]))
				continue;
			out[have++] = hits[k];
			missing[i] = false;
		}
	}
	*ids = out;
	*nids = have;
	return SPN_OK;
}
