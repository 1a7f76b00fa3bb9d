/*
 * tuned.h - the one switch between hand-tuned code and its plain twin.
 *
 * Hand-tuned code (SSE2, SWAR, prefetching, bit filters and caches in front
 * of a rule) lives only in files named *_fast.c, and in lib/base. Each tuned
 * function f_fast() has a plain twin f_plain() in the library, in the file
 * that defines the rule and written as the rule, with the same contract,
 * and a unit test that the two agree on edge and random inputs; both are
 * always compiled, so that test runs in every build. Callers name a pair as
 * SPN_TUNED(f): f_fast, or f_plain when the build is configured with
 * -Dfast_paths=false (meson defines SPN_PLAIN). SPN_FAST_PATHS is the same
 * switch as a value, for the few places that choose a path at run time
 * (the LDIF reader's fused fast path, lib/base's huge-page arrays).
 *
 * The pairs - tuned file: the function, its plain twin; the agreement test:
 *   lib/spn/spn_parse_fast.c: spn_parse_special (spn_parse()'s scan),
 *       spn_parse.c; test_spn_parse_fast
 *   lib/model/classify_fast.c: spn_int_read (integer values) and
 *       spn_dn_dc_start (a DN's DC= suffix), classify.c; test_classify_fast
 *   lib/check/finding_order_fast.c: spn_findings_order (the findings'
 *       sort), finding_order.c; test_finding_order_fast
 *   lib/check/alias_conflict_fast.c: spn_alias_finder_next (the values with
 *       an alias key), alias_conflict.c over lib/spn's spn_alias_key();
 *       test_alias_fast
 *   lib/check/host_name_clash_fast.c: spn_clash_find (host-name-clash's
 *       candidates), host_name_clash.c; test_host_name_clash_fast
 *   lib/source/ldif_fast.c: spn_ldif_fast(), the general path of
 *       ldif_reader.c (limits.general_only); test_ldif_fast
 *   lib/base/bigmem.c: huge-page mappings, malloc (same file); test_bigmem
 */
#ifndef SPN_BASE_TUNED_H
#define SPN_BASE_TUNED_H

#ifdef SPN_PLAIN
#define SPN_TUNED(f) f##_plain
#define SPN_FAST_PATHS 0
#else
#define SPN_TUNED(f) f##_fast
#define SPN_FAST_PATHS 1
#endif

#endif
