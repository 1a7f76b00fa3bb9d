/*
 * ldif_int.h - internals of the LDIF snapshot reader, shared by its files
 * (each calls only those below it):
 *   source.c        the front door (spn/source.h): chooses the reader
 *   ldif_parallel.c one file in parts on every core, merged in file order
 *   ldif_reader.c   the sequential reader: the stream buffer and the scan
 *                   for logical lines
 *   ldif_fast.c     the common lines of an entry, fused (the hot path)
 *   ldif_record.c   records: entries, ranges -> gaps, search results
 *   ldif_attr.c     attribute descriptions, options, ";range=", base64
 *   ldif_error.c    messages: "FILE:LINE: reason", a part's true line
 * and by its unit tests and fuzz target, which run it with tiny buffers
 * through spn_ldif_read_mem_limits() so every refill path is exercised.
 */
#ifndef SPN_LDIF_INT_H
#define SPN_LDIF_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "spn/err.h"
#include "spn/model.h"
#include "spn/source.h"

/* Sizes of the reader; the defaults are what spn_ldif_read_file() uses. */
struct spn_ldif_limits {
	size_t buf_size;    /* stream buffer: 256 KiB (grows for a longer entry) */
	size_t line_max;    /* longest logical line as written (folds count): 64 MiB, else SPN_INPUT */
	size_t record_max;  /* longest record held at once: 256 MiB, else SPN_INPUT */
	bool general_only;  /* every line through the general path, none through
	                       ldif_fast.c (tests: both must read the same) */
};

/* ldif_reader.c: the sizes spn_ldif_read_file() and spn_ldif_read_mem() use. */
void spn_ldif_limits_default(struct spn_ldif_limits *l);

/* source.c: read path with `threads` threads (0: one per online CPU) - in
 * parallel when it is a regular file of at least min_size bytes that splits
 * into more than one part, else sequentially (spn_ldif_read_file_threads()
 * with lim's sizes; tests pass min_size 0 to split small files). */
enum spn_rc spn_ldif_read_file_with(struct spn_model *m, const char *path,
                                    const struct spn_ldif_limits *lim, unsigned threads,
                                    size_t min_size, struct spn_err *err);

/* ldif_parallel.c: read path split at record boundaries into parts that
 * `threads` (2 or more) threads read. *read false and nothing done when it
 * cannot be split (not a regular file, empty, smaller than min_size, one
 * record): the caller reads it sequentially. */
enum spn_rc spn_ldif_read_parallel(struct spn_model *m, const char *path,
                                   const struct spn_ldif_limits *lim, unsigned threads,
                                   size_t min_size, bool *read, struct spn_err *err);

/* ldif_reader.c: the sequential reader, of text in memory or of a file
 * ("-" is standard input). */
enum spn_rc spn_ldif_read_mem_limits(struct spn_model *m, const char *name,
                                     const char *buf, size_t n,
                                     const struct spn_ldif_limits *lim, struct spn_err *err);
enum spn_rc spn_ldif_read_file_limits(struct spn_model *m, const char *path,
                                      const struct spn_ldif_limits *lim, struct spn_err *err);
/* Read bytes [start, end) of the open file fd as one part of path (ldif_reader.c):
 * start is 0 or the start of a record's dn: line; lines are counted from the
 * part's start and the true line number found only when a message needs it. */
enum spn_rc spn_ldif_read_part(struct spn_model *m, const char *path, int fd, uint64_t start,
                               uint64_t end, const struct spn_ldif_limits *lim, struct spn_err *err);

/* Bytes allocated after the stream buffer's capacity, so the fast path's
 * 16-byte loads at a line's end never leave the allocation. The buffer is
 * calloc'd: bytes past the text are never uninitialised (their values never
 * change a result, but Valgrind and MSan would say so). */
#define SPN_LDIF_PAD 64

/* ---- Reader state (one per file) ---- */

enum spn_ldif_state {
	SPN_LDIF_BETWEEN = 0,  /* before a record: expect version:, dn:, search: or ref: */
	SPN_LDIF_ENTRY,        /* inside an entry record (after its dn: line) */
	SPN_LDIF_SKIP,         /* inside a search result or reference record */
};

/* Special line names the record parser reacts to (beyond enum spn_attr). */
enum spn_ldif_name {
	SPN_LDIF_N_OTHER = -1,     /* an attribute spnctl does not read */
	SPN_LDIF_N_DN = 100,
	SPN_LDIF_N_VERSION,
	SPN_LDIF_N_CHANGETYPE,
	SPN_LDIF_N_CONTROL,
	SPN_LDIF_N_SEARCH,         /* ldapsearch without -LLL: "search: 2" */
	SPN_LDIF_N_RESULT,         /* "result: 0 Success" */
	SPN_LDIF_N_REF,            /* search continuation reference */
};

/* Byte classes of attribute descriptions (spn_ldif_names.cls). */
enum spn_ldif_class {
	SPN_LDIF_C_ALNUM = 1 << 0, /* may start a name */
	SPN_LDIF_C_NAME = 1 << 1,  /* may continue a name: alnum - . _ */
	SPN_LDIF_C_OPT = 1 << 2,   /* may be in an option: name chars, "=" and "*" (AD's range=0-*) */
};

/* Look-up tables for attribute lines (ldif_attr.c), built per reader. */
struct spn_ldif_names {
	signed char slot[32][32];  /* [name length][first letter & 31] -> candidate code */
	unsigned char cls[256];    /* byte classes for names and options */
	const char *attr[SPN_A_COUNT]; /* spn_attr_name() of each */
	uint64_t folded[SPN_A_COUNT][4]; /* each name's bytes | 0x20, padded with 0x20 to 32 */
	unsigned char colon[SPN_A_COUNT][32];
	                           /* each name's bytes | 0x20, then ':', then zeros (ldif_fast.c) */
};

/* Memory for the current record's decoded and unfolded values (the parsers
 * never write the input buffer: only fill() and resize() of ldif_reader.c
 * do). Chunks never move, so slices into them stay valid until the record
 * ends. */
struct spn_ldif_scratch {
	struct spn_ldif_scratch *prev;
	size_t cap, used;
	char data[];
};

/* One ";range=LOW-HIGH" seen in the current entry (deduplicated). */
struct spn_ldif_range {
	uint64_t low, high;        /* high == UINT64_MAX for "*" */
	size_t line;               /* first line that carried it */
	int attr;                  /* enum spn_attr */
};

/* A parsed attribute line: "name;options: value" or "name:: base64". */
struct spn_ldif_line {
	const char *name;          /* the line itself */
	size_t name_len;           /* attribute type without options */
	const char *opts;          /* ";range=0-1499;binary" (with the first ';') */
	size_t opts_len;
	int code;                  /* enum spn_attr, enum spn_ldif_name */
	const char *value;         /* after "name:" and the spaces that follow; a
	                              base64 value decoded is in the scratch */
	size_t value_len;
	bool base64;               /* "name::" */
	bool url;                  /* "name:<" */
};

struct spn_ldif {
	/* Input. */
	const char *name;          /* path or "<stdin>", for messages */
	int fd;                    /* -1: reading from mem */
	const char *mem;
	size_t mem_len, mem_off;
	bool part;                 /* reading bytes [part_off, part_end) of fd with pread */
	uint64_t part_start, part_off, part_end;
	size_t line_base;          /* newlines before part_start (0 for a whole input) */
	bool line_base_known;
	struct spn_ldif_limits lim;
	/* Stream buffer: bytes [0, len) are valid; pos starts the next logical line.
	 * The reader's own calloc'd buffer, refilled by read() or pread() (never
	 * a mapping of the file: bench/README.md says why), with SPN_LDIF_PAD
	 * zero bytes after its capacity. The parsers read it through buf and
	 * never write it; fill() and resize() write it through own. */
	const char *buf;
	char *own;                 /* the same buffer (== buf), writable */
	size_t cap, len, pos;
	size_t line;               /* physical line number of buf[pos] */
	bool eof;                  /* nothing after buf[len] */
	bool nul;                  /* the input has a NUL byte at buf[len] */
	/* Destination. */
	struct spn_model *m;
	uint16_t src;
	struct spn_err *err;
	/* Record (ldif_record.c). */
	enum spn_ldif_state state;
	size_t rec_start;          /* buffer offset of the entry's dn: line (SPN_LDIF_ENTRY) */
	size_t line_off;           /* buffer offset of the logical line being handled */
	struct spn_ldif_scratch *scratch; /* this record's decoded values */
	size_t rec_line;           /* its line number */
	struct spn_entry e;        /* slices point into buf (rebased when it moves) */
	struct spn_ldif_range *ranges;
	size_t nranges, capranges;
	size_t last_range[SPN_A_COUNT]; /* index of each attribute's latest range, or SIZE_MAX */
	struct spn_ldif_names names;
	char where[320];           /* "file:LINE" for the entry being added */
	size_t nentries;           /* entries read (of this part) */
	char failed[120];          /* the first non-zero "result:" of a trailer, or "" */
	size_t failed_line;
	size_t where_len;          /* length of its "file:" prefix; 0 until set */
};

/* ldif_error.c: the true line number of the input's line `line` (lines of a
 * part are counted from its start; the newlines before it are counted here,
 * once, only when a message needs a line). */
size_t spn_ldif_line_no(struct spn_ldif *r, size_t line);
/* ldif_error.c: a one-line SPN_INPUT error "FILE:LINE: reason[ in 'DN']". */
enum spn_rc spn_ldif_fail(struct spn_ldif *r, size_t line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* ldif_error.c: copy s[0..n) into out for a message: control bytes as '?',
 * cut with "...". */
const char *spn_ldif_printable(const char *s, size_t n, char *out, size_t cap);

/* ldif_sniff.c: what the first bytes of an input say it is when it is no
 * LDIF (CSV, JSON, XML, gzip, setspn's or ldapsearch's own output, ...): a
 * message naming it and how to get LDIF, or NULL when it may well be LDIF
 * (the parser then decides). It reads buf[0 .. min(n, SPN_LDIF_SNIFF)):
 * the reader hands it that much whatever its buffer size, so every reader
 * comes to the same verdict. */
#define SPN_LDIF_SNIFF 512
const char *spn_ldif_sniff(const char *buf, size_t n);

/* ldif_record.c */
void spn_ldif_record_init(struct spn_ldif *r);
void spn_ldif_record_release(struct spn_ldif *r);
/* One logical line (unfolded, no line end; n == 0 is a blank line); r->line_off
 * is where it starts in the buffer. */
enum spn_rc spn_ldif_record_line(struct spn_ldif *r, const char *s, size_t n, size_t line);
/* End of input: hand over the last entry. */
enum spn_rc spn_ldif_record_eof(struct spn_ldif *r);

/* ldif_attr.c */
void spn_ldif_names_init(struct spn_ldif_names *t);
/* Split an attribute line; 0 on success, else -1 (no ':') or -2 (bad name). */
int spn_ldif_line_parse(const struct spn_ldif_names *t, const char *s, size_t n,
                        struct spn_ldif_line *out);
/* Find ";range=" among the options: 0 none, 1 found (low, high set), -1 malformed
 * (*bad and *bad_len name the option). */
int spn_ldif_range_parse(const char *opts, size_t n, uint64_t *low, uint64_t *high,
                         const char **bad, size_t *bad_len);
/* Decode base64 in[0..n) to out (which may be in: in place): 0 ok (*out_len
 * set), -1 not base64, -2 truncated. */
int spn_ldif_base64_to(const char *in, size_t n, char *out, size_t *out_len);
/* The same, in place. */
int spn_ldif_base64(char *p, size_t n, size_t *out_len);
/* "dn", "version", ... by name; SPN_LDIF_N_OTHER if none. */
int spn_ldif_special_lookup(const char *s, size_t n);

/* same_name() of ldif_attr.c 8 bytes a step, against a name of exactly n
 * bytes (n < 32) prepared by spn_ldif_names_init(); s has avail bytes. */
static inline bool spn_ldif_same_name8(const char *s, size_t avail, const uint64_t *folded, size_t n)
{
	const uint64_t k = 0x2020202020202020ULL;
	size_t i = 0;
	for (; i + 8 <= n; i += 8) {
		uint64_t w;
		memcpy(&w, s + i, 8);
		if ((w | k) != folded[i / 8])
			return false;
	}
	if (i == n)
		return true;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	if (avail - i >= 8) {
		/* The line goes on after the name: load 8, keep the name's bytes. */
		uint64_t w;
		memcpy(&w, s + i, 8);
		w &= ~0ULL >> (8 * (8 - (n - i)));
		return (w | k) == folded[i / 8];
	}
#endif
	/* The rest; zero bytes | 0x20 match the name's padding. A byte loop:
	 * memcpy of a variable length is a library call. */
	unsigned char rest[8] = {0};
	for (size_t j = 0; j < n - i; j++)
		rest[j] = (unsigned char)s[i + j];
	uint64_t w;
	memcpy(&w, rest, 8);
	return (w | k) == folded[i / 8];
}

/* The code of the attribute (or special line) named s[0..n), a valid
 * name; s has avail bytes. Inline: both line parsers call it per line. */
static inline int spn_ldif_classify(const struct spn_ldif_names *t, const char *s, size_t avail,
                                    size_t n)
{
	if (n >= 32) {  /* no table slot: few names are this long */
		int a = spn_attr_lookup(s, n);
		return a >= 0 ? a : SPN_LDIF_N_OTHER;
	}
	int cand = t->slot[n][(unsigned char)s[0] & 31];
	if (cand == -1)
		return SPN_LDIF_N_OTHER;
	if (cand >= SPN_LDIF_N_DN)
		return spn_ldif_special_lookup(s, n);
	if (cand >= 0)  /* the one attribute with this length and initial */
		return spn_ldif_same_name8(s, avail, t->folded[cand], n) ? cand : SPN_LDIF_N_OTHER;
	int a = spn_attr_lookup(s, n);
	return a >= 0 ? a : spn_ldif_special_lookup(s, n);
}

/* ldif_record.c: decode the base64 value *value[0..*len) into the scratch
 * (*value, *len updated); name[0..name_len) names the attribute for a
 * message (dn: "base64 DN ..."). NUL bytes are allowed only where binary. */
enum spn_rc spn_ldif_decode(struct spn_ldif *r, const char *name, size_t name_len,
                            const char **value, size_t *len, size_t line, bool binary, bool dn);
/* n bytes of the current record's scratch (ldif_record.c); NULL on NOMEM. */
char *spn_ldif_scratch(struct spn_ldif *r, size_t n);
/* Forget the scratch's contents (keeping one chunk): at the end of an entry,
 * and before each line outside one (nothing outside an entry outlives its line). */
void spn_ldif_scratch_reset(struct spn_ldif *r);

/* Add value p[0..n) of attribute a to the entry being read: inline while
 * there is room (~13 values an entry), else spn_entry_add(). */
static inline enum spn_rc spn_ldif_push(struct spn_ldif *r, int a, const char *p, size_t n)
{
	struct spn_values *vs = &r->e.attr[a];
	if (vs->n < vs->cap) {
		vs->v[vs->n].p = p;
		vs->v[vs->n].n = n;
		vs->n++;
		return SPN_OK;
	}
	if (spn_entry_add(&r->e, (enum spn_attr)a, p, n))
		return spn_err_set(r->err, SPN_NOMEM, "out of memory");
	return SPN_OK;
}

/* ldif_fast.c: read the lines at r->pos that need no special handling
 * (complete, unfolded, no CR, no comment, no options, no URL) - the bulk
 * of a snapshot - and stop before the first one that does, which the
 * general path (ldif_reader.c's scan, spn_ldif_record_line) then takes. */
enum spn_rc spn_ldif_fast(struct spn_ldif *r);

#endif
