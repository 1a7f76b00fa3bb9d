/*
 * model_int.h - the inside of struct spn_model, shared by the files of
 * lib/model/ only. Everything else uses spn/model.h.
 */
#ifndef SPN_MODEL_INT_H
#define SPN_MODEL_INT_H

#include "spn/model.h"
#include "base/bigmem.h"
#include "base/hash.h"
#include "base/table.h"

/* The SPN index: open addressing, linear probing. A slot holds
 * (32-bit hash tag << 32) | (head value id + 1); 0 is empty. The home slot
 * is (tag * cap) >> 32, so resizing needs no rehash of strings. */
struct spn_index {
	uint64_t *slots;
	size_t cap;     /* any size, or 0 */
	size_t used;
};

/* What a source's entries and its reader said about its time (time.c). */
struct spn_source_clock {
	int64_t header, file, read;  /* FILETIMEs the source gave; 0: none */
	int64_t pwd;                 /* newest pwdLastSet seen */
	char wc[14];                 /* newest whenChanged seen: its YYYYMMDDHHMMSS; zeros: none */
};

struct spn_model {
	unsigned flags;
	unsigned threads; /* for the index build: 0 = every online CPU */
	struct spn_arena arena;

	struct spn_account *acc;
	size_t nacc, capacc;
	struct spn_value *val;
	size_t nval, capval;
	uint32_t *tag;    /* per value: index tag (hash of the folded key), computed
	                     as it is added - in a parallel reader's threads */
	size_t captag;
	struct spn_group *grp;
	size_t ngrp, capgrp;
	struct spn_source_info *src;
	struct spn_source_clock *clocks;  /* one per source */
	size_t nsrc;
	char **gaps;
	size_t ngaps;
	char **domains;   /* interned, lower case; sorted by spn_model_finish() */
	size_t ndomains;

	struct spn_index index;
	size_t indexed;   /* values [0, indexed) are in the index */
	struct spn_table groupmap;  /* group DN -> group id, built by spn_model_finish() */

	struct spn_strset {  /* interned group DNs of memberOf: thousands of
	                        accounts share a handful of groups */
		struct spn_table table;   /* -> index into strs */
		const char **strs;
		size_t n, cap;
	} groupdns;

	char *dc_suffix;  /* last DN suffix ",DC=..." seen, and its domain: a cache */
	size_t dc_suffix_n, dc_suffix_cap;
	const char *dc_domain;
	size_t last_domain;  /* index of the domain interned last: a cache */

	struct spn_alias_table *aliases;
	bool aliases_from_dir;
	bool has_ds;      /* a Directory Service entry was read */
	const char *ds_heuristics;
	struct spn_slice *pending_mappings;  /* sPNMappings values until finish */
	size_t npending_mappings;

	uint64_t entries, accounts_seen;

	/* provenance.c */
	struct spn_dsa *dsas;
	size_t ndsas, capdsas;
	struct spn_acc_stamp {
		uint32_t account;
		struct spn_stamp s;
	} *stamps;        /* in the order they were read; one per account after finish */
	size_t nstamps, capstamps;
	uint32_t *stamp_of;  /* account id -> index into stamps or SPN_NONE (finish) */
	size_t nstamp_of;
	struct spn_table dnmap;  /* account DN (folded hash) -> id: spn_model_find_dn */
	bool dnmap_built;

	char *scratch;    /* folding buffer */
	size_t scratch_cap;
};

/* index.c */
/* Index values [m->indexed, m->nval): called by spn_model_finish(). */
enum spn_rc spn_index_build(struct spn_model *m);
/* The same with its choices made by the caller (unit tests): nthreads
 * threads (1..16) over 2^bits partitions of the table, or bits 0 for one
 * pass in value order. The chains come out the same for any choice. */
enum spn_rc spn_index_build_with(struct spn_model *m, unsigned nthreads, unsigned bits);
uint32_t spn_index_find_folded(const struct spn_model *m, const char *key, size_t n);
void spn_index_release(struct spn_index *ix);
/* Index tag of value v (its folded key's hash), folding into the scratch buffer;
 * false on NOMEM. */
bool spn_index_tag(struct spn_model *m, const struct spn_value *v, uint32_t *tag);
/* Fold s into the model's scratch buffer; returns length or (size_t)-1 on NOMEM. */
size_t spn_model_fold_scratch(struct spn_model *m, const char *s, size_t n, const char **out);

/* time.c */
/* Note the newest whenChanged of an entry (v has a value). */
void spn_time_note_changed(struct spn_source_clock *c, const struct spn_values *v);
/* Keep the newest of both (a part of a parallel read into its file's source). */
void spn_time_merge(struct spn_source_clock *dst, const struct spn_source_clock *src);
/* Each source's time and what says so (spn_model_finish). */
void spn_time_finish(struct spn_model *m);
/* provenance.c */
/* An nTDSDSA entry: a DC's name and invocationId (none: nothing kept). */
enum spn_rc spn_model_add_dsa(struct spn_model *m, const struct spn_entry *e, struct spn_err *err);
/* Account id's servicePrincipalName stamp from the entry's
 * replPropertyMetaData (none: nothing kept); SPN_INPUT when malformed. */
enum spn_rc spn_model_add_entry_stamp(struct spn_model *m, uint32_t id, const struct spn_entry *e,
                                      struct spn_err *err);
/* One stamp per account and the account -> stamp map (spn_model_finish). */
enum spn_rc spn_model_finish_stamps(struct spn_model *m);
/* Append src's DSAs and stamps (account ids + acc0) to dst (merge.c). */
bool spn_model_merge_provenance(struct spn_model *dst, struct spn_model *src, uint32_t acc0);
void spn_model_free_provenance(struct spn_model *m);

/* intern.c */
/* The arena copy of s[0..n), shared with every earlier identical string;
 * NULL on NOMEM. */
const char *spn_model_intern(struct spn_model *m, struct spn_strset *set, const char *s, size_t n);
void spn_strset_init(struct spn_strset *set);
void spn_strset_release(struct spn_strset *set);

/* classify.c */
enum spn_rc spn_parse_int(const struct spn_entry *e, enum spn_attr a, int64_t *out,
                          bool *present, struct spn_err *err);
/* RID from a binary or "S-1-..." SID; false if the value is not a SID. */
bool spn_sid_rid(const char *p, size_t n, uint32_t *rid);
/* "corp.example.com" from "CN=x,DC=corp,DC=example,DC=com" (lower case), into arena. */
const char *spn_dn_domain(struct spn_model *m, const char *dn, size_t n, const char *hint);

#endif
