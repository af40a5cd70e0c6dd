/* portierd: main() only. */
#include "autoconf.h"

#include <stdio.h>

int
main(int argc, char *argv[])
{
	printf("portierd %s\n", PACKAGE_VERSION);
	return 0;
}
