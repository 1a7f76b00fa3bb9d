/*
 * snapshot_ldif.c - the model back out as an LDIF snapshot (report.h,
 * spn_report_snapshot): what `spnctl snapshot` writes and `spnctl audit -f`
 * reads back to the same findings. The format choices (no folding, base64
 * rule, objectClass from the kind, RID-only objectSid, result trailer for
 * gaps) are listed in report.h.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/filetime.h"
#include "base/ldif_line.h"
#include "report_int.h"

/* One attribute line (never folded; base64 where RFC 2849 wants it). */
static void line(FILE *f, const char *attr, const char *v, size_t n)
{
	spn_ldif_line(f, attr, v, n);
}

static void sline(FILE *f, const char *attr, const char *v)
{
	if (v)
		line(f, attr, v, strlen(v));
}

static void uline(FILE *f, const char *attr, uint64_t v)
{
	fprintf(f, "%s: %" PRIu64 "\n", attr, v);
}

/* objectClass values that make the model see the same kind again. */
static void classes(FILE *f, enum spn_kind k)
{
	if (k == SPN_KIND_UNKNOWN)
		return;   /* it had none: written without, read without */
	fputs("objectClass: top\nobjectClass: person\nobjectClass: organizationalPerson\n"
	      "objectClass: user\n", f);
	switch (k) {
	case SPN_KIND_COMPUTER:
	case SPN_KIND_DC:
	case SPN_KIND_RODC:
		fputs("objectClass: computer\n", f);
		break;
	case SPN_KIND_SMSA:
		fputs("objectClass: computer\nobjectClass: msDS-ManagedServiceAccount\n", f);
		break;
	case SPN_KIND_GMSA:
		fputs("objectClass: computer\nobjectClass: msDS-GroupManagedServiceAccount\n", f);
		break;
	case SPN_KIND_DMSA:
		fputs("objectClass: computer\nobjectClass: msDS-DelegatedManagedServiceAccount\n", f);
		break;
	default:
		break;   /* user, krbtgt (RID or name), trust (userAccountControl) */
	}
}

static void account(FILE *f, const struct spn_model *m, uint32_t id)
{
	const struct spn_account *a = spn_model_account(m, id);
	line(f, "dn", a->dn, strlen(a->dn));
	classes(f, (enum spn_kind)a->kind);
	sline(f, "sAMAccountName", a->sam);
	sline(f, "userPrincipalName", a->upn);
	sline(f, "dNSHostName", a->dns_host);
	if (a->has & SPN_HAS_UAC)
		uline(f, "userAccountControl", a->uac);
	if (a->has & SPN_HAS_SID)
		fprintf(f, "objectSid: S-1-5-21-0-0-0-%" PRIu32 "\n", a->rid);
	if (a->has & SPN_HAS_PRIMARYGROUP)
		uline(f, "primaryGroupID", a->primary_group);
	if (a->has & SPN_HAS_ADMINCOUNT)
		uline(f, "adminCount", a->admin_count);
	if (a->has & SPN_HAS_ENCTYPES)
		uline(f, "msDS-SupportedEncryptionTypes", a->enctypes);
	if (a->has & SPN_HAS_PWDLASTSET)
		fprintf(f, "pwdLastSet: %" PRId64 "\n", a->pwd_last_set);
	if (a->has & SPN_HAS_KVNO)
		uline(f, "msDS-KeyVersionNumber", a->kvno);
	for (uint32_t i = 0; i < a->n_member_of; i++)
		sline(f, "memberOf", a->member_of[i]);
	for (uint32_t i = 0; i < a->n_delegate_to; i++)
		sline(f, "msDS-AllowedToDelegateTo", a->delegate_to[i]);
	if (a->allowed_to_act)  /* binary: base64 */
		line(f, "msDS-AllowedToActOnBehalfOfOtherIdentity", (const char *)a->allowed_to_act,
		     a->allowed_to_act_len);
	for (uint32_t i = 0; i < a->nspn; i++) {
		const struct spn_value *v = spn_model_value(m, a->spn_first + i);
		line(f, "servicePrincipalName", v->str, v->len);
	}
	const struct spn_stamp *st = spn_model_spn_stamp(m, id);
	if (st) {   /* provenance: servicePrincipalName's stamp only, as AD's blob */
		unsigned char blob[SPN_REPLMETA_ONE];
		spn_replmeta_write_one(st, blob);
		line(f, "replPropertyMetaData", (const char *)blob, sizeof(blob));
	}
	fputc('\n', f);
}

/* A DC's nTDSDSA object: its invocationId names it in the stamps. */
static void dsa(FILE *f, const struct spn_dsa *d)
{
	line(f, "dn", d->dn, strlen(d->dn));
	fputs("objectClass: top\nobjectClass: applicationSettings\nobjectClass: nTDSDSA\n", f);
	line(f, "invocationId", (const char *)d->invocation, 16);
	fputc('\n', f);
}

static void group(FILE *f, const struct spn_group *g)
{
	line(f, "dn", g->dn, strlen(g->dn));
	fputs("objectClass: top\nobjectClass: group\n", f);
	if (g->rid)
		fprintf(f, "objectSid: S-1-5-21-0-0-0-%" PRIu32 "\n", g->rid);
	if (g->admin_count)
		fputs("adminCount: 1\n", f);
	for (uint32_t i = 0; i < g->n_member_of; i++)
		sline(f, "memberOf", g->member_of[i]);
	fputc('\n', f);
}

/* The forest root's DN for the Directory Service object: the shortest
 * domain name the model holds (children are longer). */
static void root_dn(FILE *f, const struct spn_model *m)
{
	const char *root = NULL;
	for (size_t i = 0; i < spn_model_ndomains(m); i++) {
		const char *d = spn_model_domain(m, i);
		if (*d && (!root || strlen(d) < strlen(root)))
			root = d;
	}
	if (!root) {
		fputs("DC=invalid", f);
		return;
	}
	for (const char *p = root; *p;) {
		size_t n = strcspn(p, ".");
		fprintf(f, "%sDC=%.*s", p == root ? "" : ",", (int)n, p);
		p += n + (p[n] == '.');
	}
}

static void directory_service(FILE *f, const struct spn_model *m)
{
	bool mappings = spn_model_aliases_from_directory(m);
	const char *heur = spn_model_ds_heuristics(m);
	if (!mappings && !heur)
		return;   /* the snapshot had none: the reader uses the default */
	fputs("dn: CN=Directory Service,CN=Windows NT,CN=Services,CN=Configuration,", f);
	root_dn(f, m);
	fputs("\nobjectClass: top\nobjectClass: nTDSService\n", f);
	if (heur)
		sline(f, "dSHeuristics", heur);
	const struct spn_alias_table *t = spn_model_aliases(m);
	size_t n = mappings && t ? spn_alias_count(t) : 0;
	bool *done = n ? calloc(n, sizeof(*done)) : NULL;
	/* One value per target, as AD stores it: "host=alerter,appmgmt,...". */
	for (size_t i = 0; done && i < n; i++) {
		if (done[i])
			continue;
		const char *cls, *target;
		spn_alias_get(t, i, &cls, &target);
		fprintf(f, "sPNMappings: %s=%s", target, cls);
		for (size_t j = i + 1; j < n; j++) {
			const char *c2, *t2;
			spn_alias_get(t, j, &c2, &t2);
			if (!done[j] && strcmp(t2, target) == 0) {
				fprintf(f, ",%s", c2);
				done[j] = true;
			}
		}
		fputc('\n', f);
	}
	if (n && !done)
		fputs("# sPNMappings could not be written: out of memory\n", f);
	free(done);
	fputc('\n', f);
}

/* A gap as printable ASCII for a comment or a result line. */
static void printable(FILE *f, const char *s)
{
	for (; *s; s++)
		fputc((unsigned char)*s >= 0x20 && (unsigned char)*s < 0x7f ? *s : '?', f);
}

enum spn_rc spn_report_snapshot(FILE *out, const struct spn_model *m, int64_t when)
{
	char ts[32];
	if (!spn_time_format_iso(when, ts, sizeof(ts)))
		snprintf(ts, sizeof(ts), "?");
	bool complete = spn_model_complete(m);
	struct spn_model_stats st;
	spn_model_stats(m, &st);

	fputs("version: 1\n", out);
	fputs("# spnctl snapshot: what the audit reads, as LDIF; read it back with -f\n", out);
	for (size_t i = 0; i < spn_model_nsources(m); i++) {
		const struct spn_source_info *s = spn_model_source(m, i);
		fputs("# source: ", out);
		printable(out, s->name);
		fprintf(out, " (%s, %" PRIu64 " entries)\n", s->kind, s->entries);
	}
	fprintf(out, "# written: %s\n", ts);
	/* When the data is from - the read, or the snapshots re-written: what
	 * the reader takes as this file's time (password ages). */
	int64_t asof = spn_model_time(m);
	char at[32];
	if (asof && spn_time_format_iso(spn_filetime_to_unix(asof), at, sizeof(at)))
		fprintf(out, "# as of: %s\n", at);
	fprintf(out, "# accounts: %" PRIu64 ", groups: %" PRIu64 ", SPN values: %" PRIu64 "\n",
	        st.accounts, st.groups, st.spn_values);
	fprintf(out, "# complete: %s\n", complete ? "true" : "false");
	for (size_t i = 0; i < spn_model_ngaps(m); i++) {
		fputs("# gap: ", out);
		printable(out, spn_model_gap(m, i));
		fputc('\n', out);
	}
	fputs("# Lines are not folded; values that are not plain ASCII are base64 (\"::\").\n"
	      "# objectSid keeps only the RID (S-1-5-21-0-0-0-RID): spnctl reads nothing else.\n\n",
	      out);

	directory_service(out, m);
	for (size_t i = 0; i < spn_model_ndsas(m); i++)
		dsa(out, spn_model_dsa(m, i));
	for (uint32_t i = 0; i < spn_model_naccounts(m); i++)
		account(out, m, i);
	for (uint32_t i = 0; i < spn_model_ngroups(m); i++)
		group(out, spn_model_group(m, i));
	/* ldapsearch's trailer, once per gap: the reader records each as a gap. */
	for (size_t i = 0; i < spn_model_ngaps(m); i++) {
		fputs("# search result\nsearch: 1\nresult: 80 incomplete: ", out);
		printable(out, spn_model_gap(m, i));
		fputs("\n\n", out);
	}
	fflush(out);
	return report_status(out);
}
