// SPDX-License-Identifier: GPL-2.0
/*
 * The ssnsctl binary end to end, where no kernel is needed: exit codes,
 * usage, error text, batch files stopping at the failing line.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/socket.h>

#include "tests.h"

#define CTL "../ssnsctl/ssnsctl"

static char dir[64];
static char out[8192], err[8192];

static void slurp(const char *name, char *buf, size_t len)
{
	char p[128];
	FILE *f;
	size_t n;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	f = fopen(p, "r");
	ck_assert_ptr_nonnull(f);
	n = fread(buf, 1, len - 1, f);
	buf[n] = '\0';
	fclose(f);
}

/* Run ssnsctl with args (a shell word list); returns its exit status. */
static int run(const char *args)
{
	char cmd[1024];
	int st;

	snprintf(cmd, sizeof(cmd), "%s %s >%s/out 2>%s/err </dev/null", CTL,
		 args, dir, dir);
	st = system(cmd);
	ck_assert(WIFEXITED(st));
	slurp("out", out, sizeof(out));
	slurp("err", err, sizeof(err));
	return WEXITSTATUS(st);
}

static void write_file(const char *name, const char *text)
{
	char p[128];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	f = fopen(p, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

static void setup(void)
{
	ck_assert_msg(access(CTL, X_OK) == 0, "%s not built", CTL);
	snprintf(dir, sizeof(dir), "/tmp/ssns-cli-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

START_TEST(test_usage)
{
	ck_assert_int_eq(run(""), 2);
	ck_assert_ptr_nonnull(strstr(err, "Usage: ssnsctl"));

	ck_assert_int_eq(run("-V"), 0);
	ck_assert_ptr_nonnull(strstr(out, "ssnsctl "));

	ck_assert_int_eq(run("help"), 0);
	ck_assert_ptr_nonnull(strstr(out, "OBJECT := { system | dev"));

	ck_assert_int_eq(run("-h"), 0);
	ck_assert_ptr_nonnull(strstr(out, "Usage: ssnsctl"));

	ck_assert_int_eq(run("ten help"), 0);
	ck_assert_ptr_nonnull(strstr(out, "tenant set NAME vni LIST"));
	ck_assert_ptr_null(strstr(out, "profile add"));

	ck_assert_int_eq(run("profile help"), 0);
	ck_assert_ptr_nonnull(strstr(out, "low_latency"));
}
END_TEST

START_TEST(test_usage_errors)
{
	ck_assert_int_eq(run("bogus"), 2);
	ck_assert_str_eq(err, "error: object \"bogus\" is unknown, try "
			 "\"ssnsctl help\"\n");
	ck_assert_int_eq(run("-x dev"), 2);
	ck_assert_ptr_nonnull(strstr(err, "option \"-x\" is unknown"));
	ck_assert_int_eq(run("tenant add a vni 0"), 2);
	ck_assert_str_eq(err, "error: VNI \"0\" out of range 1-65535\n");
	ck_assert_int_eq(run("profile add dev cxi0 vni 1 tc b"), 2);
	ck_assert_ptr_nonnull(strstr(err, "ambiguous traffic class"));
	ck_assert_str_eq(out, "");
}
END_TEST

START_TEST(test_batch)
{
	char args[160];

	write_file("b1", "help\n# comment\n\ntenant add a vni 70000\nhelp\n");
	snprintf(args, sizeof(args), "-b %s/b1", dir);
	ck_assert_int_eq(run(args), 2);
	ck_assert_ptr_nonnull(strstr(err, "VNI \"70000\""));
	ck_assert_ptr_nonnull(strstr(err, "b1:4\n"));
	/* the first help ran, the one after the failure did not */
	ck_assert_ptr_nonnull(strstr(out, "Usage"));
	ck_assert_ptr_null(strstr(strstr(out, "Usage") + 1, "Usage: ssnsctl ["));

	/* -force goes on: both helps run, the status is the failure's */
	snprintf(args, sizeof(args), "-force -b %s/b1", dir);
	ck_assert_int_eq(run(args), 2);
	ck_assert_ptr_nonnull(strstr(strstr(out, "Usage") + 1,
				     "Usage: ssnsctl ["));

	ck_assert_int_eq(run("-b /nonexistent/batch"), 1);
	ck_assert_ptr_nonnull(strstr(err, "cannot open batch file"));

	snprintf(args, sizeof(args), "-b %s/b1 dev show", dir);
	ck_assert_int_eq(run(args), 2);

	/* standard input */
	{
		char cmd[512];
		int st;

		snprintf(cmd, sizeof(cmd), "%s -b - <%s/b1 >%s/out 2>%s/err",
			 CTL, dir, dir, dir);
		st = system(cmd);
		ck_assert_int_eq(WEXITSTATUS(st), 2);
		slurp("err", err, sizeof(err));
		ck_assert_ptr_nonnull(strstr(err, "Command failed -:4"));
	}
}
END_TEST

/* True when the ssns family exists here (the module is loaded). */
static bool family_present(void)
{
	struct nl_sock *sk = nl_socket_alloc();
	bool yes = false;

	if (sk && !genl_connect(sk))
		yes = genl_ctrl_resolve(sk, "ssns") >= 0;
	nl_socket_free(sk);
	return yes;
}

START_TEST(test_no_module)
{
	if (family_present()) {
		/* Check has no skip: say so and assert nothing false */
		fprintf(stderr, "test_no_module: SKIP (ssns is loaded)\n");
		return;
	}
	ck_assert_int_eq(run("dev show"), 1);
	ck_assert_str_eq(err, "error: generic netlink family \"ssns\" not "
			 "found (is the ssns module loaded?) (No such file or "
			 "directory)\n");
	ck_assert_int_eq(run("-j system show"), 1);
	ck_assert_str_eq(out, "");
}
END_TEST

Suite *cli_suite(void)
{
	Suite *s = suite_create("cli");
	TCase *tc = tcase_create("ssnsctl");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_usage);
	tcase_add_test(tc, test_usage_errors);
	tcase_add_test(tc, test_batch);
	tcase_add_test(tc, test_no_module);
	suite_add_tcase(s, tc);
	return s;
}
