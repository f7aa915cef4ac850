// SPDX-License-Identifier: GPL-2.0
/* Echo of user input in error messages: quoted, escaped, cut. */
#include <string.h>

#include "quote.h"
#include "tests.h"

static char buf[SSNS_QUOTE_LEN];

START_TEST(test_quote_short)
{
	ck_assert_str_eq(ssns_quote(buf, sizeof(buf), "alice"), "\"alice\"");
	ck_assert_str_eq(ssns_quote(buf, sizeof(buf), ""), "\"\"");
	ck_assert_str_eq(ssns_quote(buf, sizeof(buf), NULL), "\"\"");
	ck_assert_str_eq(SSNS_QUOTE("-1"), "\"-1\"");
}
END_TEST

START_TEST(test_quote_escapes)
{
	ck_assert_str_eq(ssns_quote(buf, sizeof(buf), "a\"b\\c"),
			 "\"a\\\"b\\\\c\"");
	ck_assert_str_eq(ssns_quote(buf, sizeof(buf), "\x1b[31mx\n\x7f\xc3\xa9"),
			 "\"\\x1b[31mx\\x0a\\x7f\\xc3\\xa9\"");
}
END_TEST

START_TEST(test_quote_cut)
{
	char in[5001], want[SSNS_QUOTE_LEN];

	memset(in, 'a', 5000);
	in[5000] = '\0';
	ssns_quote(buf, sizeof(buf), in);
	memset(want, 0, sizeof(want));
	want[0] = '"';
	memset(want + 1, 'a', SSNS_QUOTE_SHOW);
	strcat(want, "\"... (5000 bytes, cut to 48)");
	ck_assert_str_eq(buf, want);

	/* exactly SSNS_QUOTE_SHOW bytes: whole, no note */
	in[SSNS_QUOTE_SHOW] = '\0';
	ck_assert_ptr_null(strstr(ssns_quote(buf, sizeof(buf), in), "cut"));
	in[SSNS_QUOTE_SHOW] = 'a';

	/* the longest output fits: every shown byte escaped, and the note */
	memset(in, '\x01', 5000);
	ssns_quote(buf, sizeof(buf), in);
	ck_assert_ptr_nonnull(strstr(buf, "\"... (5000 bytes, cut to 48)"));
	ck_assert_uint_lt(strlen(buf), sizeof(buf));
	/* too small a buffer is refused, not overrun */
	ck_assert_str_eq(ssns_quote(buf, 8, "alice"), "\"?\"");
}
END_TEST

Suite *quote_suite(void)
{
	Suite *s = suite_create("quote");
	TCase *tc = tcase_create("quote");

	tcase_add_test(tc, test_quote_short);
	tcase_add_test(tc, test_quote_escapes);
	tcase_add_test(tc, test_quote_cut);
	suite_add_tcase(s, tc);
	return s;
}
