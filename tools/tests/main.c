// SPDX-License-Identifier: GPL-2.0
/* Runs every unit-test suite; exit status 1 when any check failed. */
#include <stdlib.h>

#include "tests.h"

int main(void)
{
	SRunner *sr = srunner_create(parse_suite());
	int failed;

	srunner_add_suite(sr, netns_suite());
	srunner_add_suite(sr, batch_suite());
	srunner_add_suite(sr, output_suite());
	srunner_add_suite(sr, lib_suite());
	srunner_add_suite(sr, cli_suite());
	srunner_add_suite(sr, quote_suite());
	srunner_add_suite(sr, names_suite());
	srunner_add_suite(sr, cdi_suite());
	srunner_add_suite(sr, bw_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
