/*
 * diag.h - the KDC's real answer for an SPN (spn/probe.h) tied to the
 * directory (spn/model.h): who holds the name, whose key the ticket is,
 * why the KDC said no, whether resolve's prediction (spn/resolve.h) agrees,
 * why a keytab does not open the ticket, and the spnctl commands that make
 * it right. `spnctl probe` prints one struct spn_diag per SPN; `spnctl
 * doctor` one per SPN a client asks for.
 *
 * Invariants:
 *  - A diagnosis only reads: the probe, the keytab check and the model are
 *    borrowed and must outlive it; every string it makes is in its arena.
 *  - The directory is the KDC's domain's: the realm the probe asked,
 *    lower-cased, when the model holds that domain; else resolve's choice
 *    (the domain that ends the host).
 *  - "agrees" compares outcomes, not wording: a ticket predicted and issued,
 *    or a refusal predicted and refused (not found / not unique / no key on
 *    an account resolve found). A KDC that could not be asked compares
 *    nothing (SPN_AGREE_NOT_ASKED).
 *  - Fixes are spnctl command lines (add, rm, fix, reset) with shell-safe
 *    words, or a sentence where no spnctl command applies (a password to
 *    reset, a keytab to export).
 */
#ifndef SPN_DIAG_H
#define SPN_DIAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "spn/arena.h"
#include "spn/err.h"
#include "spn/model.h"
#include "spn/probe.h"
#include "spn/resolve.h"

#define SPN_DIAG_MAX_HOLDERS 16

enum spn_agreement {
	SPN_AGREE = 0,            /* the KDC did what resolve predicted */
	SPN_DISAGREE,             /* it did not: the directory read or the KDC is not what resolve models */
	SPN_AGREE_NOT_ASKED,      /* the KDC could not be asked: nothing to compare */
};
const char *spn_agreement_name(enum spn_agreement a);  /* "agrees", "disagrees", "not-asked" */

enum spn_kvno_match {
	SPN_KVNO_UNKNOWN = 0,     /* no ticket, no account, or no msDS-KeyVersionNumber read */
	SPN_KVNO_SAME,            /* the ticket's kvno is the account's msDS-KeyVersionNumber */
	SPN_KVNO_DIFFERS,
};

struct spn_diag {
	const char *spn;
	const struct spn_probe_result *probe;      /* borrowed */
	const struct spn_keytab_check *keytab;     /* borrowed; NULL: none opened */
	const char *domain;          /* the KDC's domain in the model, or NULL */
	/* The directory: accounts of the domain holding the SPN exactly, and
	 * (for a HOST alias class) those holding HOST/<host>. */
	uint32_t holders[SPN_DIAG_MAX_HOLDERS];
	size_t nholders;             /* all of them (more than kept: see SPN_DIAG_MAX_HOLDERS) */
	uint32_t alias_holders[SPN_DIAG_MAX_HOLDERS];
	size_t nalias_holders;
	const char *alias_spn;       /* "HOST/dc1.contoso.test" when the class is a HOST alias */
	uint32_t key_account;        /* issued: the account whose key the ticket is, else SPN_NONE */
	enum spn_kvno_match kvno_match;
	uint32_t likely_owner;       /* nobody holds it: the account that most likely runs it */
	const struct spn_resolution *prediction;  /* resolve's answer, or NULL */
	enum spn_agreement agreement;
	const char *verdict;         /* one line: "ticket issued", "refused: two accounts hold it" */
	const char **why;            /* sentences tying the answer to the directory */
	size_t nwhy;
	const char *key_text;        /* issued: enctype, kvno and the account, in words; or NULL */
	const char *prediction_text; /* resolve's prediction against the answer; or NULL */
	const char *keytab_text;     /* the keytab against the ticket; or NULL */
	bool keytab_opens;           /* a key of the keytab opens the ticket */
	const char **fixes;          /* spnctl commands or sentences, in order */
	size_t nfixes;
};

struct spn_diags {
	struct spn_diag *v;
	size_t n, cap;
	struct spn_resolutions res;  /* the predictions the diagnoses point into */
	struct spn_arena arena;
};

void spn_diags_init(struct spn_diags *d);
void spn_diags_release(struct spn_diags *d);

/* Diagnose one probe against the finished model m (k: its keytab check, or
 * NULL). Appends to out. */
enum spn_rc spn_diag_probe(const struct spn_model *m, const struct spn_probe_result *p,
                           const struct spn_keytab_check *k, struct spn_diags *out,
                           struct spn_err *err);

/* The exit status a diagnosis stands for, as `spnctl probe` ends: 0 the
 * ticket was issued (and, with a keytab, opens), 1 the KDC said no or the
 * keytab does not open it, 2 the KDC could not be asked. */
int spn_diag_status(const struct spn_diag *d);

#endif
