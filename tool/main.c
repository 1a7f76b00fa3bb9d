/* main.c - placeholder until the command line lands. */
#include <stdio.h>
int main(void)
{
	puts("spnctl: not built yet");
	return 2;
}
