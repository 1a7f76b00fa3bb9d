/* ldif_reader.c - placeholder until the LDIF reader lands. */
#include "spn/source.h"

enum spn_rc spn_ldif_read_mem(struct spn_model *m, const char *name,
                              const char *buf, size_t n, struct spn_err *err)
{
	(void)m; (void)buf; (void)n;
	return spn_err_set(err, SPN_BUG, "%s: LDIF reader not built yet", name);
}

enum spn_rc spn_ldif_read_file(struct spn_model *m, const char *path, struct spn_err *err)
{
	return spn_ldif_read_mem(m, path, NULL, 0, err);
}
