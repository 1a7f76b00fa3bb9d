/*
 * cmd_diff.c - `spnctl diff OLD NEW`: placeholder until snapshot
 * comparison lands (issue 3); this file is then replaced entirely.
 */
#include "exit.h"
#include "msg.h"
#include "spnctl.h"

int cmd_diff(struct spnctl *c)
{
	(void)c;
	return msg_fail("diff: comparing snapshots is not built yet");
}
