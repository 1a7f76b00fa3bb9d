/* findings.c - placeholder until the checks land. */
#include "spn/check.h"
