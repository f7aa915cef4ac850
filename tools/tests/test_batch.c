// SPDX-License-Identifier: GPL-2.0
/* Batch mode: line splitting, comments, stop on the first error. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "tests.h"

static char err[SSNSCTL_ERRLEN];

static int split(const char *line, char **argv, int max, char *buf,
		 size_t len)
{
	snprintf(buf, len, "%s", line);
	return ssnsctl_split_line(buf, argv, max, err, sizeof(err));
}

START_TEST(test_split)
{
	char buf[256], *argv[8];

	ck_assert_int_eq(split("dev show cxi0\n", argv, 8, buf, sizeof(buf)),
			 3);
	ck_assert_str_eq(argv[0], "dev");
	ck_assert_str_eq(argv[2], "cxi0");

	ck_assert_int_eq(split("", argv, 8, buf, sizeof(buf)), 0);
	ck_assert_int_eq(split("   \t \n", argv, 8, buf, sizeof(buf)), 0);
	ck_assert_int_eq(split("# a comment", argv, 8, buf, sizeof(buf)), 0);
	ck_assert_int_eq(split("  # indented", argv, 8, buf, sizeof(buf)), 0);

	/* a comment after words; '#' inside a word is not one */
	ck_assert_int_eq(split("tenant show # all", argv, 8, buf,
			       sizeof(buf)), 2);
	ck_assert_int_eq(split("tenant show a#b", argv, 8, buf, sizeof(buf)),
			 3);
	ck_assert_str_eq(argv[2], "a#b");

	/* quotes and escapes */
	ck_assert_int_eq(split("tenant set t cgroup \"/a b/c\" del", argv, 8,
			       buf, sizeof(buf)), 6);
	ck_assert_str_eq(argv[4], "/a b/c");
	ck_assert_str_eq(argv[5], "del");
	ck_assert_int_eq(split("x 'it''s' \"q\\\"x\" a\\ b", argv, 8, buf,
			       sizeof(buf)), 4);
	ck_assert_str_eq(argv[1], "its");
	ck_assert_str_eq(argv[2], "q\"x");
	ck_assert_str_eq(argv[3], "a b");
	ck_assert_int_eq(split("x '#not a comment'", argv, 8, buf,
			       sizeof(buf)), 2);
	ck_assert_str_eq(argv[1], "#not a comment");
	ck_assert_int_eq(split("a \"\" b", argv, 8, buf, sizeof(buf)), 3);
	ck_assert_str_eq(argv[1], "");

	ck_assert_int_eq(split("dev \"show", argv, 8, buf, sizeof(buf)),
			 -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "quote"));
	ck_assert_int_eq(split("a b c d", argv, 3, buf, sizeof(buf)),
			 -EINVAL);
}
END_TEST

/* Records every command; fails on words named "fail". */
struct rec {
	int calls;
	char seen[8][64];
};

static int record(int argc, char **argv, void *arg)
{
	struct rec *r = arg;
	char *p;
	int i;

	if (r->calls < 8) {
		p = r->seen[r->calls];
		p[0] = '\0';
		for (i = 0; i < argc; i++) {
			strcat(p, argv[i]);
			if (i + 1 < argc)
				strcat(p, "|");
		}
	}
	r->calls++;
	for (i = 0; i < argc; i++)
		if (!strcmp(argv[i], "fail"))
			return 3;
	return 0;
}

static int run_batch(const char *text, bool force, struct rec *r,
		     char *errbuf, size_t errlen)
{
	FILE *in = fmemopen((void *)text, strlen(text), "r");
	FILE *ef = fmemopen(errbuf, errlen, "w");
	int rc;

	ck_assert_ptr_nonnull(in);
	ck_assert_ptr_nonnull(ef);
	memset(r, 0, sizeof(*r));
	rc = ssnsctl_batch(in, "cmds.txt", record, r, force, ef);
	fclose(in);
	fclose(ef);
	return rc;
}

START_TEST(test_batch_ok)
{
	char errbuf[256] = "";
	struct rec r;

	ck_assert_int_eq(run_batch("# setup\n"
				   "tenant add alice vni 100-199\n"
				   "\n"
				   "   profile add dev cxi0 vni 100 tc bulk\n"
				   "tenant show", false, &r, errbuf,
				   sizeof(errbuf)), 0);
	ck_assert_int_eq(r.calls, 3);
	ck_assert_str_eq(r.seen[0], "tenant|add|alice|vni|100-199");
	ck_assert_str_eq(r.seen[1], "profile|add|dev|cxi0|vni|100|tc|bulk");
	ck_assert_str_eq(r.seen[2], "tenant|show");	/* no final newline */
	ck_assert_str_eq(errbuf, "");
}
END_TEST

START_TEST(test_batch_stop)
{
	char errbuf[256] = "";
	struct rec r;

	ck_assert_int_eq(run_batch("dev show\n# c\nfail here\ndev show\n",
				   false, &r, errbuf, sizeof(errbuf)), 3);
	ck_assert_int_eq(r.calls, 2);	/* the line after is not run */
	ck_assert_ptr_nonnull(strstr(errbuf, "cmds.txt:3"));
}
END_TEST

START_TEST(test_batch_force)
{
	char errbuf[256] = "";
	struct rec r;

	ck_assert_int_eq(run_batch("fail 1\ndev show\nfail 2\nx \"bad\n"
				   "ok\n", true, &r, errbuf, sizeof(errbuf)),
			 3);
	ck_assert_int_eq(r.calls, 4);	/* the unbalanced line never runs */
	ck_assert_ptr_nonnull(strstr(errbuf, "cmds.txt:1"));
	ck_assert_ptr_nonnull(strstr(errbuf, "cmds.txt:3"));
	ck_assert_ptr_nonnull(strstr(errbuf, "cmds.txt:4"));
	ck_assert_ptr_nonnull(strstr(errbuf, "quote"));
}
END_TEST

/* The batch runner with the real grammar: a syntax error stops it. */
static int parse_only(int argc, char **argv, void *arg)
{
	struct ssnsctl_cmd cmd;
	int rc = ssnsctl_parse_cmd(argc, argv, &cmd, err, sizeof(err));

	(void)arg;
	ssnsctl_cmd_free(&cmd);
	return rc ? 2 : 0;
}

START_TEST(test_batch_grammar)
{
	const char *text = "tenant add a vni 1-9\n"
			   "profile add dev cxi0 vni 5 tc low\n"
			   "tenant add b vni 0\n"
			   "tenant del a\n";
	FILE *in = fmemopen((void *)text, strlen(text), "r");
	char errbuf[256] = "";
	FILE *ef = fmemopen(errbuf, sizeof(errbuf), "w");

	ck_assert_int_eq(ssnsctl_batch(in, "-", parse_only, NULL, false, ef),
			 2);
	fclose(in);
	fclose(ef);
	ck_assert_ptr_nonnull(strstr(errbuf, "-:3"));
	ck_assert_ptr_nonnull(strstr(err, "VNI"));
}
END_TEST

Suite *batch_suite(void)
{
	Suite *s = suite_create("batch");
	TCase *tc = tcase_create("batch");

	tcase_add_test(tc, test_split);
	tcase_add_test(tc, test_batch_ok);
	tcase_add_test(tc, test_batch_stop);
	tcase_add_test(tc, test_batch_force);
	tcase_add_test(tc, test_batch_grammar);
	suite_add_tcase(s, tc);
	return s;
}
