/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SSNS_TESTS_H
#define SSNS_TESTS_H

#include <check.h>

Suite *parse_suite(void);
Suite *netns_suite(void);
Suite *batch_suite(void);
Suite *output_suite(void);
Suite *lib_suite(void);
Suite *cli_suite(void);
Suite *quote_suite(void);
Suite *names_suite(void);
Suite *cdi_suite(void);
Suite *bw_suite(void);

#endif
