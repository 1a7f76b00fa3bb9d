/*
 * main.c - spnctl's entry point: everything happens in spnctl_main()
 * (commands.c); the exit status is the command's (exit.h).
 */
#include "spnctl.h"

int main(int argc, char **argv)
{
	return spnctl_main(argc, argv);
}
