/*
 * merge.h - loading one file in parts (merge.c): the machinery the parallel
 * LDIF reader (lib/source/ldif_parallel.c) builds its part models with and
 * appends them in file order. Shared by lib/model and lib/source only;
 * nothing outside a reader needs it, so it is no part of spn/model.h.
 */
#ifndef SPN_MODEL_MERGE_H
#define SPN_MODEL_MERGE_H

#include <stdint.h>

#include "spn/err.h"
#include "spn/model.h"

/* The flags m was made with (for a part model made like it). */
unsigned spn_model_flags(const struct spn_model *m);
/* Append everything src read (entries of one source, not yet finished)
 * to dst as if its entries had been added to dst after dst's own: account
 * and value ids renumbered, src's accounts attributed to dst's source
 * index `source`, groups, gaps, domains, entry counts, sPNMappings (first
 * kept wins) and dSHeuristics (last read wins) combined as a sequential
 * load does. Strings move with src's arena; src is left empty (free it
 * with spn_model_free()). */
enum spn_rc spn_model_merge(struct spn_model *dst, struct spn_model *src, uint16_t source,
                            struct spn_err *err);

#endif
