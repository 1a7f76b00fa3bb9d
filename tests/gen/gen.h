/*
 * gen.h - shared by the files of spngen, the synthetic directory generator
 * (a test and benchmark tool; not part of libspn or the product).
 *
 *   ldif_out.c   LDIF output exactly as `ldapsearch -LLL` writes it
 *   directory.c  what the directory holds: domains, the fixed part of each,
 *                the background accounts, and the order they are written in
 *   accounts.c   one account: its shapes, writing it, its per-account findings
 *   plants.c     the planted problems and the per-SPN findings they add
 *   gen_int.h    what those three share
 *   spngen.c     command line and the JSON manifest
 *   phases.c     spnphases: time and memory of each audit phase (bench/)
 */
#ifndef SPNGEN_GEN_H
#define SPNGEN_GEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* ---- ldif_out.c ---- */

/* One LDIF file, written through a large buffer. */
struct gen_out {
	FILE *f;
	char *path;
	char *buf;
	size_t n, cap;
	uint64_t bytes;     /* bytes written so far */
	uint64_t entries;   /* entries ended */
	bool failed;        /* a write failed; reported at close */
};

int gen_out_open(struct gen_out *o, const char *path);
/* Flush and close; returns -1 (and prints why) if any write failed. */
int gen_out_close(struct gen_out *o);

/* "name: value", or "name:: base64" when ldapsearch would encode the value
 * (non-printable or non-ASCII bytes, leading space/':'/'<', trailing space);
 * lines longer than 76 columns are folded as ldapsearch folds them. */
void ldif_attr(struct gen_out *o, const char *name, const char *v, size_t n);
void ldif_attr_str(struct gen_out *o, const char *name, const char *v);
void ldif_attr_int(struct gen_out *o, const char *name, int64_t v);
/* Always base64 (binary attributes such as objectSid). */
void ldif_attr_bin(struct gen_out *o, const char *name, const void *v, size_t n);
/* Blank line after an entry. */
void ldif_end(struct gen_out *o);

/* ---- directory.c ---- */

/* The check codes a correct audit reports for a generated directory: every
 * check of lib/check/checks.def (GC_<name>), in its order. */
enum gen_code {
#define SPN_CHECK(name, file) GC_##name,
#include "check/checks.def"
#undef SPN_CHECK
	GC_NCODES
};
enum gen_sev { GS_INFO, GS_WARNING, GS_ERROR, GS_NSEV };

const char *gen_code_name(enum gen_code c);
const char *gen_sev_name(enum gen_sev s);

struct gen_params {
	uint64_t accounts;     /* --accounts N */
	uint64_t seed;         /* --seed S */
	const char *domain;    /* --domain: the forest root's DNS name */
	unsigned ndomains;     /* --domains K */
	int64_t plant;         /* --plant-scale P; -1 = default (proportional to N) */
	bool split;            /* --split: one file per domain */
	bool containers;       /* --containers: domain head, OUs and CN containers too (slapadd) */
	const char *out;       /* -o FILE */
};

#define GEN_MAX_DOMAINS 64

/* What a planted problem kind is, how many were planted, and what it adds. */
struct gen_plant_info {
	const char *kind;
	const char *what;
	uint64_t units;
};

struct gen_result {
	uint64_t count[GC_NCODES][GS_NSEV];   /* expected findings */
	uint64_t accounts;        /* account entries written */
	uint64_t groups;
	uint64_t entries;         /* all entries written */
	uint64_t spn_values;
	uint64_t distinct_spns;   /* distinct case-folded SPN values */
	uint64_t plant_scale;     /* P actually used */
	uint64_t bytes;
	unsigned ndomains;
	char domain[GEN_MAX_DOMAINS][128];
	char *file[GEN_MAX_DOMAINS];  /* files written (1, or one per domain) */
	unsigned nfiles;
	struct gen_plant_info plants[32];
	unsigned nplants;
};

/* The date every pwdLastSet is pinned to: audits of generated directories
 * must run with `--now GEN_NOW`. */
#define GEN_NOW "2026-01-01"
/* Default password age threshold of the kerberoastable check (days). */
#define GEN_OLD_PASSWORD_DAYS 365

/* Write the directory; returns 0, or -1 after printing why. */
int gen_directory(const struct gen_params *p, struct gen_result *r);
void gen_result_release(struct gen_result *r);

#endif
