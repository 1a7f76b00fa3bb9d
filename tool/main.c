/*
 * main.c - spnctl's entry point: setspn's lines are rewritten at the door
 * (setspn_compat.c), the line is parsed (opt.c) and the command runs; the
 * exit status is the command's (exit.h), or 2 when standard output could
 * not be written.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "spnctl.h"

int main(int argc, char **argv)
{
	struct spnctl c;
	char **owned = NULL;
	int rc;

	spnctl_init(&c);
	if ((rc = setspn_rewrite(&argc, &argv, &owned)) < 0 && (rc = spnctl_parse(&c, argc, argv)) < 0)
		rc = c.cmd->run(&c);
	errno = 0;
	if (fflush(stdout) != 0 || ferror(stdout))
		rc = spnctl_output_error();
	spnctl_release(&c);
	free(owned);
	return rc;
}
