/*
 * cmd_snapshot.c - `spnctl snapshot -o FILE`: placeholder until reading a
 * live directory lands (issue 3); this file is then replaced entirely.
 */
#include "exit.h"
#include "msg.h"
#include "spnctl.h"

int cmd_snapshot(struct spnctl *c)
{
	(void)c;
	return msg_fail("snapshot: reading a live directory is not built yet");
}
