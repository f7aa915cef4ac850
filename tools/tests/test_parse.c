// SPDX-License-Identifier: GPL-2.0
/* Grammar of ssnsctl: options, objects, commands, VNI lists, TC names. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "tests.h"

static char err[SSNSCTL_ERRLEN];
static struct ssnsctl_cmd cmd;

/* Parse a NULL-terminated list of words; returns the parser's result. */
static int parse(const char *first, ...)
{
	char *argv[64];
	va_list ap;
	int argc = 0;

	va_start(ap, first);
	for (const char *a = first; a; a = va_arg(ap, const char *))
		argv[argc++] = (char *)a;
	va_end(ap);
	argv[argc] = NULL;
	ssnsctl_cmd_free(&cmd);
	return ssnsctl_parse_cmd(argc, argv, &cmd, err, sizeof(err));
}

static void teardown(void)
{
	ssnsctl_cmd_free(&cmd);
}

/* ---------------------------------------------------------------- options */

START_TEST(test_matches)
{
	ck_assert(ssnsctl_matches("s", "show"));
	ck_assert(ssnsctl_matches("show", "show"));
	ck_assert(!ssnsctl_matches("showx", "show"));
	ck_assert(!ssnsctl_matches("", "show"));
	ck_assert(!ssnsctl_matches("x", "show"));
	ck_assert(!ssnsctl_matches(NULL, "show"));
}
END_TEST

START_TEST(test_opts)
{
	struct ssnsctl_opts o;
	char *a1[] = { "ssnsctl", "-j", "-p", "dev", "show", NULL };
	char *a2[] = { "ssnsctl", "--json", "-batch", "f.txt", NULL };
	char *a3[] = { "ssnsctl", "-b", NULL };
	char *a4[] = { "ssnsctl", "-x", "dev", NULL };
	char *a5[] = { "ssnsctl", "-p", "--", "-weird", NULL };
	char *a6[] = { "ssnsctl", "-n", "pod1", "-V", "-force", NULL };
	char *a7[] = { "ssnsctl", "dev", "-j", NULL };

	ck_assert_int_eq(ssnsctl_parse_opts(5, a1, &o, err, sizeof(err)), 3);
	ck_assert(o.json && o.pretty && !o.batch);

	ck_assert_int_eq(ssnsctl_parse_opts(4, a2, &o, err, sizeof(err)), 4);
	ck_assert(o.json && !o.pretty);
	ck_assert_str_eq(o.batch, "f.txt");

	ck_assert_int_eq(ssnsctl_parse_opts(2, a3, &o, err, sizeof(err)),
			 -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "file name"));

	ck_assert_int_eq(ssnsctl_parse_opts(3, a4, &o, err, sizeof(err)),
			 -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "\"-x\""));

	/* -p alone implies JSON; "--" ends the options */
	ck_assert_int_eq(ssnsctl_parse_opts(4, a5, &o, err, sizeof(err)), 3);
	ck_assert(o.json && o.pretty);

	ck_assert_int_eq(ssnsctl_parse_opts(5, a6, &o, err, sizeof(err)), 5);
	ck_assert_str_eq(o.netns, "pod1");
	ck_assert(o.version && o.force);

	/* options stop at the object, as in ip(8) */
	ck_assert_int_eq(ssnsctl_parse_opts(3, a7, &o, err, sizeof(err)), 1);
	ck_assert(!o.json);
}
END_TEST

/* ------------------------------------------------------------ objects */

START_TEST(test_object_errors)
{
	ck_assert_int_eq(parse("foo", NULL), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "object \"foo\" is unknown"));
	ck_assert_int_eq(parse("dev", "frobnicate", NULL), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "ssnsctl dev help"));
	ck_assert_int_eq(parse("help", NULL), 0);
	ck_assert_int_eq(cmd.obj, SSNSCTL_OBJ_HELP);
	ck_assert_int_eq(parse("help", "me", NULL), -EINVAL);
	ck_assert_int_eq(parse("tenant", "help", NULL), 0);
	ck_assert_int_eq(cmd.obj, SSNSCTL_OBJ_TENANT);
	ck_assert_int_eq(cmd.verb, SSNSCTL_HELP);
}
END_TEST

START_TEST(test_system)
{
	ck_assert_int_eq(parse("system", NULL), 0);
	ck_assert_int_eq(cmd.obj, SSNSCTL_OBJ_SYSTEM);
	ck_assert_int_eq(cmd.verb, SSNSCTL_SHOW);

	ck_assert_int_eq(parse("sys", "sh", NULL), 0);
	ck_assert_int_eq(cmd.verb, SSNSCTL_SHOW);

	ck_assert_int_eq(parse("system", "set", "netns", "exclusive", NULL),
			 0);
	ck_assert_int_eq(cmd.verb, SSNSCTL_SET);
	ck_assert_int_eq(cmd.what, SSNSCTL_WHAT_MODE);
	ck_assert_int_eq(cmd.mode, SSNS_NETNS_EXCLUSIVE);

	ck_assert_int_eq(parse("s", "se", "n", "sh", NULL), 0);
	ck_assert_int_eq(cmd.obj, SSNSCTL_OBJ_SYSTEM);
	ck_assert_int_eq(cmd.mode, SSNS_NETNS_SHARED);

	ck_assert_int_eq(parse("system", "set", "netns", "bogus", NULL),
			 -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "bogus"));
	ck_assert_int_eq(parse("system", "set", "netns", NULL), -EINVAL);
	ck_assert_int_eq(parse("system", "set", "mode", "shared", NULL),
			 -EINVAL);
	ck_assert_int_eq(parse("system", "show", "extra", NULL), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "\"extra\""));
	ck_assert_int_eq(parse("system", "set", "netns", "shared", "x",
			       NULL), -EINVAL);
}
END_TEST

START_TEST(test_dev)
{
	ck_assert_int_eq(parse("dev", NULL), 0);
	ck_assert_int_eq(cmd.obj, SSNSCTL_OBJ_DEV);
	ck_assert(!cmd.has_dev);

	ck_assert_int_eq(parse("d", "s", "cxi0", NULL), 0);
	ck_assert(cmd.has_dev);
	ck_assert_str_eq(cmd.dev, "cxi0");

	ck_assert_int_eq(parse("dev", "set", "cxi1", "netns", "pod1", NULL),
			 0);
	ck_assert_int_eq(cmd.verb, SSNSCTL_SET);
	ck_assert_int_eq(cmd.what, SSNSCTL_WHAT_NETNS);
	ck_assert_str_eq(cmd.dev, "cxi1");
	ck_assert_str_eq(cmd.arg, "pod1");

	ck_assert_int_eq(parse("dev", "set", "cxi1", "netns", "1234", NULL),
			 0);
	ck_assert_str_eq(cmd.arg, "1234");

	ck_assert_int_eq(parse("dev", "set", "cxi1", "netns", NULL), -EINVAL);
	ck_assert_int_eq(parse("dev", "set", "cxi1", NULL), -EINVAL);
	ck_assert_int_eq(parse("dev", "set", NULL), -EINVAL);
	ck_assert_int_eq(parse("dev", "set", "cxi1", "mtu", "9000", NULL),
			 -EINVAL);
	ck_assert_int_eq(parse("dev", "show", "cxi0", "cxi1", NULL), -EINVAL);
	/* 32 characters do not fit SSNS_NAME_MAX (31 + NUL) */
	ck_assert_int_eq(parse("dev", "show",
			       "abcdefghijabcdefghijabcdefghijab", NULL),
			 -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "too long"));
	ck_assert_int_eq(parse("dev", "show",
			       "abcdefghijabcdefghijabcdefghija", NULL), 0);
	/* dev has no add */
	ck_assert_int_eq(parse("dev", "add", "x", NULL), -EINVAL);
}
END_TEST

START_TEST(test_tenant)
{
	ck_assert_int_eq(parse("tenant", "add", "alice", "vni", "100-199,300",
			       NULL), 0);
	ck_assert_int_eq(cmd.obj, SSNSCTL_OBJ_TENANT);
	ck_assert_int_eq(cmd.verb, SSNSCTL_ADD);
	ck_assert_str_eq(cmd.tenant, "alice");
	ck_assert_uint_eq(cmd.nranges, 2);
	ck_assert_uint_eq(cmd.ranges[0].first, 100);
	ck_assert_uint_eq(cmd.ranges[0].last, 199);
	ck_assert_uint_eq(cmd.ranges[1].first, 300);
	ck_assert_uint_eq(cmd.ranges[1].last, 300);

	ck_assert_int_eq(parse("tenant", "add", "bob", NULL), 0);
	ck_assert_uint_eq(cmd.nranges, 0);

	ck_assert_int_eq(parse("tenant", "del", "alice", NULL), 0);
	ck_assert_int_eq(cmd.verb, SSNSCTL_DEL);
	ck_assert_int_eq(parse("t", "delete", "alice", NULL), 0);
	ck_assert_int_eq(cmd.verb, SSNSCTL_DEL);

	ck_assert_int_eq(parse("tenant", "set", "alice", "netns", "pod1",
			       NULL), 0);
	ck_assert_int_eq(cmd.verb, SSNSCTL_SET);
	ck_assert_int_eq(cmd.what, SSNSCTL_WHAT_NETNS);
	ck_assert_str_eq(cmd.arg, "pod1");
	ck_assert(!cmd.del);

	ck_assert_int_eq(parse("tenant", "set", "alice", "netns", "pod1",
			       "del", NULL), 0);
	ck_assert(cmd.del);

	ck_assert_int_eq(parse("tenant", "set", "alice", "vni", "7", "d",
			       NULL), 0);
	ck_assert_int_eq(cmd.what, SSNSCTL_WHAT_VNI);
	ck_assert(cmd.del);
	ck_assert_uint_eq(cmd.nranges, 1);
	ck_assert_uint_eq(cmd.ranges[0].first, 7);

	ck_assert_int_eq(parse("tenant", "set", "alice", "cgroup",
			       "/kubepods/pod1", NULL), 0);
	ck_assert_int_eq(cmd.what, SSNSCTL_WHAT_CGROUP);
	ck_assert_str_eq(cmd.arg, "/kubepods/pod1");

	ck_assert_int_eq(parse("tenant", "set", "alice", "netns_cookie",
			       "18446744073709551615", "del", NULL), 0);
	ck_assert_int_eq(cmd.what, SSNSCTL_WHAT_COOKIE);
	ck_assert(cmd.cookie == UINT64_MAX);
	ck_assert(cmd.del);
	/* "netns" is a prefix of both: the first, netns, wins */
	ck_assert_int_eq(parse("tenant", "set", "alice", "netns", "4097",
			       NULL), 0);
	ck_assert_int_eq(cmd.what, SSNSCTL_WHAT_NETNS);
	ck_assert_int_eq(parse("tenant", "set", "alice", "netns_c", "4097",
			       NULL), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "del"));
	ck_assert_int_eq(parse("tenant", "set", "alice", "netns_c",
			       "18446744073709551616", "del", NULL), -EINVAL);
	ck_assert_int_eq(parse("tenant", "set", "alice", "netns_c", "-1",
			       "del", NULL), -EINVAL);

	ck_assert_int_eq(parse("tenant", NULL), 0);
	ck_assert_int_eq(cmd.verb, SSNSCTL_SHOW);
	ck_assert(!cmd.has_tenant);
	ck_assert_int_eq(parse("tenant", "show", "alice", NULL), 0);
	ck_assert(cmd.has_tenant);
	ck_assert_str_eq(cmd.tenant, "alice");

	/* errors */
	ck_assert_int_eq(parse("tenant", "add", NULL), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "missing tenant name"));
	ck_assert_int_eq(parse("tenant", "add", "a", "vni", NULL), -EINVAL);
	ck_assert_int_eq(parse("tenant", "add", "a", "vni", "0", NULL),
			 -EINVAL);
	ck_assert_int_eq(parse("tenant", "add", "a", "vni", "1-2", "x", NULL),
			 -EINVAL);
	ck_assert_int_eq(parse("tenant", "add", "a", "vlan", "1", NULL),
			 -EINVAL);
	ck_assert_int_eq(parse("tenant", "set", "alice", NULL), -EINVAL);
	ck_assert_int_eq(parse("tenant", "set", "alice", "bogus", "x", NULL),
			 -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "netns, vni, cgroup, netns_cookie, "
				     "cgroup_id"));
	ck_assert_int_eq(parse("tenant", "set", "alice", "cgroup_id", "77",
			       "del", NULL), 0);
	ck_assert_int_eq(cmd.what, SSNSCTL_WHAT_CGROUP_ID);
	ck_assert(cmd.cookie == 77 && cmd.del);
	ck_assert_int_eq(parse("tenant", "set", "alice", "cgroup_", "77",
			       NULL), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "a cgroup id only names"));
	/* "cgroup" is a prefix of both: the first, cgroup, wins */
	ck_assert_int_eq(parse("tenant", "set", "alice", "cg", "77", NULL), 0);
	ck_assert_int_eq(cmd.what, SSNSCTL_WHAT_CGROUP);
	ck_assert_str_eq(cmd.arg, "77");
	ck_assert_int_eq(parse("tenant", "set", "alice", "netns", "p", "del",
			       "x", NULL), -EINVAL);
	ck_assert_int_eq(parse("tenant", "del", "alice", "bob", NULL),
			 -EINVAL);
	ck_assert_int_eq(parse("tenant", "del", "", NULL), -EINVAL);
}
END_TEST

START_TEST(test_profile)
{
	ck_assert_int_eq(parse("profile", "add", "dev", "cxi0", "vni", "100",
			       "tc", "low_latency", NULL), 0);
	ck_assert_int_eq(cmd.obj, SSNSCTL_OBJ_PROFILE);
	ck_assert_int_eq(cmd.verb, SSNSCTL_ADD);
	ck_assert_str_eq(cmd.dev, "cxi0");
	ck_assert_uint_eq(cmd.vni, 100);
	ck_assert_uint_eq(cmd.tc, SSNS_TC_LOW_LATENCY);

	/* any order, abbreviations */
	ck_assert_int_eq(parse("p", "del", "tc", "best-effort", "v", "65535",
			       "d", "cxi3", NULL), 0);
	ck_assert_int_eq(cmd.verb, SSNSCTL_DEL);
	ck_assert_str_eq(cmd.dev, "cxi3");
	ck_assert_uint_eq(cmd.vni, 65535);
	ck_assert_uint_eq(cmd.tc, SSNS_TC_BEST_EFFORT);

	ck_assert_int_eq(parse("profile", "show", NULL), 0);
	ck_assert(!cmd.has_dev);
	ck_assert_int_eq(parse("profile", "show", "dev", "cxi0", NULL), 0);
	ck_assert(cmd.has_dev);

	ck_assert_int_eq(parse("profile", "add", "dev", "cxi0", "vni", "100",
			       NULL), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "tc"));
	ck_assert_int_eq(parse("profile", "add", "vni", "1", "tc", "bulk_data",
			       NULL), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "dev"));
	ck_assert_int_eq(parse("profile", "add", "dev", "c", "tc", "bulk",
			       NULL), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "vni"));
	ck_assert_int_eq(parse("profile", "add", "dev", "c", "vni", "1",
			       "vni", "2", "tc", "bulk", NULL), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "twice"));
	ck_assert_int_eq(parse("profile", "add", "dev", "c", "vni", "65536",
			       "tc", "bulk", NULL), -EINVAL);
	ck_assert_int_eq(parse("profile", "add", "dev", "c", "vni", "1",
			       "tc", "b", NULL), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "ambiguous"));
	ck_assert_int_eq(parse("profile", "add", "dev", "c", "vni", "1",
			       "tc", "gold", NULL), -EINVAL);
	ck_assert_int_eq(parse("profile", "set", NULL), -EINVAL);
	ck_assert_int_eq(parse("profile", "show", "cxi0", NULL), -EINVAL);
}
END_TEST

START_TEST(test_ep_stats_monitor)
{
	ck_assert_int_eq(parse("ep", NULL), 0);
	ck_assert_int_eq(cmd.obj, SSNSCTL_OBJ_EP);
	ck_assert_int_eq(parse("ep", "show", "dev", "cxi0", NULL), 0);
	ck_assert(cmd.has_dev);
	ck_assert_int_eq(parse("ep", "show", "cxi0", NULL), -EINVAL);
	ck_assert_int_eq(parse("ep", "add", NULL), -EINVAL);

	ck_assert_int_eq(parse("stats", NULL), 0);
	ck_assert_int_eq(cmd.obj, SSNSCTL_OBJ_STATS);
	ck_assert(!cmd.has_dev && !cmd.has_tenant);
	ck_assert_int_eq(parse("st", "dev", "cxi0", NULL), 0);
	ck_assert(cmd.has_dev && !cmd.has_tenant);
	ck_assert_int_eq(parse("stats", "show", "tenant", "alice", NULL), 0);
	ck_assert(cmd.has_tenant);
	ck_assert_str_eq(cmd.tenant, "alice");
	ck_assert_int_eq(parse("stats", "tenant", NULL), -EINVAL);
	ck_assert_int_eq(parse("stats", "bogus", NULL), -EINVAL);
	ck_assert_int_eq(parse("stats", "dev", "a", "tenant", "b", NULL),
			 -EINVAL);

	ck_assert_int_eq(parse("monitor", NULL), 0);
	ck_assert_int_eq(cmd.obj, SSNSCTL_OBJ_MONITOR);
	ck_assert_int_eq(parse("m", NULL), 0);
	ck_assert_int_eq(cmd.obj, SSNSCTL_OBJ_MONITOR);
	ck_assert_int_eq(parse("monitor", "now", NULL), -EINVAL);
}
END_TEST

/* ------------------------------------------------------------ values */

struct vni_case {
	const char *in;
	int rc;
	size_t n;
	uint32_t r[3][2];
};

static const struct vni_case vni_cases[] = {
	{ "100-199,300", 0, 2, { { 100, 199 }, { 300, 300 } } },
	{ "300,100-199", 0, 2, { { 100, 199 }, { 300, 300 } } },
	{ "1-10,5-20", 0, 1, { { 1, 20 } } },		/* overlap merged */
	{ "1,2,3", 0, 1, { { 1, 3 } } },		/* adjacent merged */
	{ "7,7", 0, 1, { { 7, 7 } } },
	{ "1", 0, 1, { { 1, 1 } } },
	{ "65535", 0, 1, { { 65535, 65535 } } },
	{ "1-65535", 0, 1, { { 1, 65535 } } },
	{ "10,30,20", 0, 3, { { 10, 10 }, { 20, 20 }, { 30, 30 } } },
	{ "0", -EINVAL, 0, { { 0 } } },
	{ "65536", -EINVAL, 0, { { 0 } } },
	{ "0-5", -EINVAL, 0, { { 0 } } },
	{ "5-70000", -EINVAL, 0, { { 0 } } },
	{ "99999999999999999999", -EINVAL, 0, { { 0 } } },
	{ "", -EINVAL, 0, { { 0 } } },
	{ "1,,2", -EINVAL, 0, { { 0 } } },
	{ ",1", -EINVAL, 0, { { 0 } } },
	{ "1,", -EINVAL, 0, { { 0 } } },
	{ "1-", -EINVAL, 0, { { 0 } } },
	{ "-1", -EINVAL, 0, { { 0 } } },
	{ "5-1", -EINVAL, 0, { { 0 } } },
	{ "1-2-3", -EINVAL, 0, { { 0 } } },
	{ "abc", -EINVAL, 0, { { 0 } } },
	{ " 1", -EINVAL, 0, { { 0 } } },
	{ "+1", -EINVAL, 0, { { 0 } } },
	{ "0x10", -EINVAL, 0, { { 0 } } },
};

START_TEST(test_vni_list)
{
	const struct vni_case *c = &vni_cases[_i];
	struct ssns_vni_range *r = NULL;
	size_t n = 99, k;
	int rc;

	rc = ssnsctl_parse_vni_list(c->in, &r, &n, err, sizeof(err));
	ck_assert_msg(rc == c->rc, "\"%s\": rc %d, expected %d", c->in, rc,
		      c->rc);
	if (rc) {
		ck_assert_ptr_null(r);
		ck_assert_uint_eq(n, 0);
		ck_assert_msg(err[0], "\"%s\": no error message", c->in);
		return;
	}
	ck_assert_msg(n == c->n, "\"%s\": %zu ranges, expected %zu", c->in,
		      n, c->n);
	for (k = 0; k < n; k++) {
		ck_assert_uint_eq(r[k].first, c->r[k][0]);
		ck_assert_uint_eq(r[k].last, c->r[k][1]);
	}
	free(r);
}
END_TEST

START_TEST(test_vni_messages)
{
	struct ssns_vni_range *r;
	size_t n;

	ck_assert_int_eq(ssnsctl_parse_vni_list("5-70000", &r, &n, err,
						sizeof(err)), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "70000"));
	ck_assert_ptr_nonnull(strstr(err, "1-65535"));
	ck_assert_int_eq(ssnsctl_parse_vni_list("9-3", &r, &n, err,
						sizeof(err)), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "reversed"));
}
END_TEST

/* Every VNI error names the value as given, never an empty string. */
START_TEST(test_vni_names_value)
{
	static const struct { const char *in, *want; } cases[] = {
		{ "-1", "invalid VNI \"-1\"" },
		{ "-", "invalid VNI \"-\"" },
		{ "1-", "invalid VNI range \"1-\"" },
		{ "1--2", "invalid VNI range \"1--2\"" },
		{ "5-x", "invalid VNI \"x\" in range \"5-x\"" },
		{ "x-5", "invalid VNI \"x\" in range \"x-5\"" },
		{ "1-70000", "VNI \"70000\" in range \"1-70000\" out of range" },
		{ "100,-3", "invalid VNI \"-3\"" },
		{ "0", "VNI \"0\" out of range 1-65535" },
		{ "1,,2", "empty element in VNI list \"1,,2\"" },
	};
	struct ssns_vni_range *r;
	size_t n, i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ck_assert_int_eq(ssnsctl_parse_vni_list(cases[i].in, &r, &n,
							err, sizeof(err)),
				 -EINVAL);
		ck_assert_msg(strstr(err, cases[i].want),
			      "%s: got '%s', want '%s'", cases[i].in, err,
			      cases[i].want);
		ck_assert_msg(!strstr(err, "\"\""), "%s: '%s' echoes \"\"",
			      cases[i].in, err);
	}
	/* the command line of the report */
	ck_assert_int_eq(parse("tenant", "add", "x", "vni", "-1", NULL),
			 -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "\"-1\""));
}
END_TEST

/* Long input comes back cut, and says so. */
START_TEST(test_long_input_cut)
{
	static char name[5001], path[5001];

	memset(name, 'a', 5000);
	memset(path, 'p', 5000);
	ck_assert_int_eq(parse("tenant", "add", name, "vni", "1", NULL),
			 -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "(5000 bytes, cut to 48) too long "
				     "(max 31)"));
	ck_assert_uint_lt(strlen(err), 200);
	ck_assert_int_eq(parse("tenant", "set", "x", "netns", path, NULL),
			 -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "netns argument \"ppp"));
	ck_assert_ptr_nonnull(strstr(err, "cut to 48"));
	ck_assert_int_eq(parse(name, NULL), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "cut to 48"));
	ck_assert_int_eq(parse("profile", "add", "dev", "cxi0", "vni", name,
			       NULL), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "cut to 48"));
	ck_assert_int_eq(parse("profile", "add", "dev", "cxi0", "tc", name,
			       NULL), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "cut to 48"));
}
END_TEST

START_TEST(test_tc)
{
	static const struct { const char *in; int tc; } ok[] = {
		{ "dedicated_access", SSNS_TC_DEDICATED_ACCESS },
		{ "dedicated-access", SSNS_TC_DEDICATED_ACCESS },
		{ "ded", SSNS_TC_DEDICATED_ACCESS },
		{ "low_latency", SSNS_TC_LOW_LATENCY },
		{ "LOW_LATENCY", SSNS_TC_LOW_LATENCY },
		{ "low", SSNS_TC_LOW_LATENCY },
		{ "bulk_data", SSNS_TC_BULK_DATA },
		{ "bu", SSNS_TC_BULK_DATA },
		{ "best_effort", SSNS_TC_BEST_EFFORT },
		{ "best", SSNS_TC_BEST_EFFORT },
	};
	static const char *const bad[] = {
		"", "b", "x", "low_latencyx", "0", "dedicated_access_",
		"a_very_long_traffic_class_name_that_overflows",
	};
	uint8_t tc;
	size_t i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		tc = 0xff;
		ck_assert_msg(!ssnsctl_parse_tc(ok[i].in, &tc, err,
						sizeof(err)),
			      "\"%s\" rejected: %s", ok[i].in, err);
		ck_assert_int_eq(tc, ok[i].tc);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(ssnsctl_parse_tc(bad[i], &tc, err,
					       sizeof(err)) == -EINVAL,
			      "\"%s\" accepted", bad[i]);
}
END_TEST

/* Names are checked by the kernel's rules before anything is asked. */
START_TEST(test_names)
{
	ck_assert_int_eq(parse("tenant", "add", ".x-1", "vni", "1", NULL), 0);
	ck_assert_str_eq(cmd.tenant, ".x-1");
	ck_assert_int_eq(parse("tenant", "del", "-", NULL), 0);
	ck_assert_int_eq(parse("tenant", "add", "a b", NULL), -EINVAL);
	ck_assert_str_eq(err, "bad tenant name \"a b\": use letters, digits, . _ -");
	ck_assert_int_eq(parse("tenant", "show", "caf\xc3\xa9", NULL), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "bad tenant name \"caf\\xc3\\xa9\""));
	ck_assert_int_eq(parse("profile", "show", "dev", ".c-0", NULL), 0);
	ck_assert_str_eq(cmd.dev, ".c-0");
	ck_assert_int_eq(parse("dev", "show", "a/b", NULL), -EINVAL);
	ck_assert_str_eq(err, "bad device name \"a/b\": no '/', blank, tab or newline");
	ck_assert_int_eq(parse("ep", "show", "dev", "a\tb", NULL), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "bad device name \"a\\x09b\""));
}
END_TEST

Suite *parse_suite(void)
{
	Suite *s = suite_create("parse");
	TCase *tc = tcase_create("grammar");

	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_add_test(tc, test_matches);
	tcase_add_test(tc, test_opts);
	tcase_add_test(tc, test_object_errors);
	tcase_add_test(tc, test_system);
	tcase_add_test(tc, test_dev);
	tcase_add_test(tc, test_tenant);
	tcase_add_test(tc, test_profile);
	tcase_add_test(tc, test_ep_stats_monitor);
	tcase_add_loop_test(tc, test_vni_list, 0,
			    sizeof(vni_cases) / sizeof(vni_cases[0]));
	tcase_add_test(tc, test_vni_messages);
	tcase_add_test(tc, test_vni_names_value);
	tcase_add_test(tc, test_long_input_cut);
	tcase_add_test(tc, test_tc);
	tcase_add_test(tc, test_names);
	suite_add_tcase(s, tc);
	return s;
}
