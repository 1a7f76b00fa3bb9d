/* live_stub.c - placeholder until the live-directory reader lands. */
#include <string.h>

#include "spn/live.h"

void spn_live_opts_init(struct spn_live_opts *o)
{
	memset(o, 0, sizeof(*o));
}

enum spn_rc spn_live_load(struct spn_model *m, const struct spn_live_opts *o, struct spn_err *err)
{
	(void)m; (void)o;
	return spn_err_set(err, SPN_USAGE, "reading a live directory is not built yet");
}
