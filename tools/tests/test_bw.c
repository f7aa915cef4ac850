// SPDX-License-Identifier: GPL-2.0
/*
 * Bandwidth without a kernel: rates in iproute2's units, the grammar of
 * `tenant set NAME bw ...` and its errors, the BW nest of requests and
 * replies, and how tenant show and stats print it.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <netlink/genl/genl.h>

#include "cmd.h"
#include "internal.h"
#include "output.h"
#include "tests.h"

#define FAMILY 0x42

static char err[SSNSCTL_ERRLEN];
static struct ssnsctl_cmd cmd;

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

/* ----------------------------------------------------------------- rates */

static uint64_t rate_of(const char *s)
{
	uint64_t v = 7;

	ck_assert_msg(ssns_rate_parse(s, &v) == 0, "rate %s refused", s);
	return v;
}

START_TEST(test_rate_parse)
{
	uint64_t v = 7;

	ck_assert_uint_eq(rate_of("10gbit"), 10000000000ULL);
	ck_assert_uint_eq(rate_of("10Gbit"), 10000000000ULL);
	ck_assert_uint_eq(rate_of("500mbit"), 500000000ULL);
	ck_assert_uint_eq(rate_of("1.5gbit"), 1500000000ULL);
	ck_assert_uint_eq(rate_of("0.001kbit"), 1);
	ck_assert_uint_eq(rate_of("1000"), 1000);
	ck_assert_uint_eq(rate_of("1000bit"), 1000);
	ck_assert_uint_eq(rate_of("1kibit"), 1024);
	ck_assert_uint_eq(rate_of("2mibit"), 2097152);
	/* iproute2: bps is bytes per second, whatever its case */
	ck_assert_uint_eq(rate_of("100bps"), 800);
	ck_assert_uint_eq(rate_of("1MBps"), 8000000);
	ck_assert_uint_eq(rate_of("1.25gbps"), 10000000000ULL);
	ck_assert_uint_eq(rate_of("18446744073709551615"), UINT64_MAX);

	ck_assert_int_eq(ssns_rate_parse("", &v), -EINVAL);
	ck_assert_int_eq(ssns_rate_parse("gbit", &v), -EINVAL);
	ck_assert_int_eq(ssns_rate_parse("-5mbit", &v), -EINVAL);
	ck_assert_int_eq(ssns_rate_parse("10 gbit", &v), -EINVAL);
	ck_assert_int_eq(ssns_rate_parse("10xbit", &v), -EINVAL);
	ck_assert_int_eq(ssns_rate_parse("1.gbit", &v), -EINVAL);
	ck_assert_int_eq(ssns_rate_parse("1.5.3gbit", &v), -EINVAL);
	ck_assert_int_eq(ssns_rate_parse("0x10", &v), -EINVAL);
	ck_assert_int_eq(ssns_rate_parse(NULL, &v), -EINVAL);
	/* overflow: of the digits, of the unit, of the fraction */
	ck_assert_int_eq(ssns_rate_parse("18446744073709551616", &v), -ERANGE);
	ck_assert_int_eq(ssns_rate_parse("99999999999999999999gbit", &v),
			 -ERANGE);
	ck_assert_int_eq(ssns_rate_parse("18446744073709552tbit", &v),
			 -ERANGE);
	ck_assert_int_eq(ssns_rate_parse("18446744073709551615.9bps", &v),
			 -ERANGE);
	ck_assert_uint_eq(v, 7);
}
END_TEST

START_TEST(test_rate_format)
{
	char b[32];

	ck_assert_str_eq(ssns_rate_format(10000000000ULL, b, sizeof(b)),
			 "10Gbit");
	ck_assert_str_eq(ssns_rate_format(1500000000ULL, b, sizeof(b)),
			 "1500Mbit");
	ck_assert_str_eq(ssns_rate_format(1000, b, sizeof(b)), "1Kbit");
	ck_assert_str_eq(ssns_rate_format(999, b, sizeof(b)), "999bit");
	ck_assert_str_eq(ssns_rate_format(0, b, sizeof(b)), "0bit");
	ck_assert_str_eq(ssns_rate_format(SSNS_BW_RATE_MAX, b, sizeof(b)),
			 "1000Tbit");
	ck_assert_str_eq(ssns_rate_format(10000000000ULL, b, 4), "");
	/* what it prints, it reads back */
	ck_assert_uint_eq(rate_of(ssns_rate_format(1500000000ULL, b,
						   sizeof(b))), 1500000000ULL);
}
END_TEST

/* --------------------------------------------------------------- grammar */

START_TEST(test_grammar)
{
	ck_assert_int_eq(parse("tenant", "set", "alice", "bw", "share", "3",
			       NULL), 0);
	ck_assert_int_eq(cmd.what, SSNSCTL_WHAT_BW);
	ck_assert_int_eq(cmd.bw_op, SSNSCTL_BW_SHARE);
	ck_assert_uint_eq(cmd.bw_share, 3);
	ck_assert(!cmd.has_dev);

	ck_assert_int_eq(parse("tenant", "set", "alice", "bw", "share", "10000",
			       "dev", "cxi0", NULL), 0);
	ck_assert_uint_eq(cmd.bw_share, 10000);
	ck_assert(cmd.has_dev);
	ck_assert_str_eq(cmd.dev, "cxi0");

	ck_assert_int_eq(parse("t", "set", "alice", "bw", "max", "10gbit",
			       NULL), 0);
	ck_assert_int_eq(cmd.bw_op, SSNSCTL_BW_MAX);
	ck_assert_uint_eq(cmd.bw_max, 10000000000ULL);
	ck_assert_int_eq(cmd.bw_member, SSNSCTL_BW_NO_MEMBER);

	ck_assert_int_eq(parse("tenant", "set", "alice", "bw", "max", "none",
			       "dev", "cxi1", NULL), 0);
	ck_assert_uint_eq(cmd.bw_max, 0);
	ck_assert_str_eq(cmd.dev, "cxi1");

	ck_assert_int_eq(parse("tenant", "set", "alice", "bw", "max",
			       "500mbit", "netns", "pod1", NULL), 0);
	ck_assert_int_eq(cmd.bw_member, SSNSCTL_BW_NETNS);
	ck_assert_str_eq(cmd.arg, "pod1");
	ck_assert_uint_eq(cmd.bw_max, 500000000ULL);

	ck_assert_int_eq(parse("tenant", "set", "alice", "bw", "clear",
			       "cgroup", "/kubepods/pod1", NULL), 0);
	ck_assert_int_eq(cmd.bw_op, SSNSCTL_BW_CLEAR);
	ck_assert_int_eq(cmd.bw_member, SSNSCTL_BW_CGROUP);
	ck_assert_str_eq(cmd.arg, "/kubepods/pod1");

	ck_assert_int_eq(parse("tenant", "set", "alice", "bw", "clear", NULL),
			 0);
	ck_assert_int_eq(cmd.bw_op, SSNSCTL_BW_CLEAR);
	ck_assert(!cmd.has_dev && !cmd.bw_member);
}
END_TEST

/* Each bad command fails, and its message says what (the value). */
static void refused(const char *want, const char *what, const char *value,
		    const char *where, const char *arg)
{
	ck_assert_int_eq(parse("tenant", "set", "alice", "bw", what, value,
			       where, arg, NULL), -EINVAL);
	ck_assert_msg(strstr(err, want), "\"%s\" not in \"%s\"", want, err);
}

START_TEST(test_grammar_errors)
{
	/* zero weight, out of range, not a number */
	refused("share \"0\" is out of range 1..10000", "share", "0", NULL,
		NULL);
	refused("share \"10001\" is out of range", "share", "10001", NULL,
		NULL);
	refused("share \"99999999999999999999\" is out of range", "share",
		"99999999999999999999", NULL, NULL);
	refused("invalid share \"-1\"", "share", "-1", NULL, NULL);
	refused("invalid share \"3x\"", "share", "3x", NULL, NULL);
	refused("missing share", "share", NULL, NULL, NULL);
	/* bad rates: unit, syntax, overflow, range, zero */
	refused("invalid rate \"10xbit\"", "max", "10xbit", NULL, NULL);
	refused("invalid rate \"fast\"", "max", "fast", NULL, NULL);
	refused("invalid rate \"-1gbit\"", "max", "-1gbit", NULL, NULL);
	refused("rate \"99999999999999999999gbit\" overflows 64 bits", "max",
		"99999999999999999999gbit", NULL, NULL);
	refused("rate \"2000tbit\" (2000000000000000 bit/s) is out of range "
		"1Kbit..1000Tbit", "max", "2000tbit", NULL, NULL);
	refused("rate \"999bit\" (999 bit/s) is out of range", "max",
		"999bit", NULL, NULL);
	refused("rate \"0\": a ceiling of nothing", "max", "0", NULL, NULL);
	refused("missing rate", "max", NULL, NULL, NULL);
	/* settings and scopes */
	refused("unknown bw setting \"weight\"", "weight", "3", NULL, NULL);
	refused("a share is a tenant's", "share", "3", "netns", "pod1");
	refused("missing argument after \"dev\"", "max", "1gbit", "dev",
		NULL);
	refused("unexpected argument \"vlan\"", "max", "1gbit", "vlan", "1");
	ck_assert_int_eq(parse("tenant", "set", "alice", "bw", "max", "1gbit",
			       "dev", "cxi0", "netns", "p", NULL), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "unexpected argument \"netns\""));
	ck_assert_int_eq(parse("tenant", "set", "alice", "bw", NULL),
			 -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "share, max or clear"));
}
END_TEST

/* ------------------------------------------------------ requests, replies */

START_TEST(test_build)
{
	struct ssns__req q = { .cmd = SSNS_CMD_TENANT_SET, .tenant = "alice",
			       .dev = "cxi0", .bw = true, .has_bw_max = true,
			       .bw_max = 1000000000ULL };
	struct nlattr *tb[SSNS_ATTR_MAX + 1], *bt[SSNS_ATTR_MAX + 1];
	struct nl_msg *m;

	ck_assert_int_eq(ssns__build(FAMILY, &q, &m, err, sizeof(err)), 0);
	ck_assert_int_eq(ssns__parse_attrs(nlmsg_hdr(m), tb), 0);
	ck_assert_str_eq(nla_get_string(tb[SSNS_ATTR_TENANT_NAME]), "alice");
	/* the device is the scope: in the nest, not at the top */
	ck_assert_ptr_null(tb[SSNS_ATTR_DEV_NAME]);
	ck_assert_ptr_null(tb[SSNS_ATTR_OP]);
	ck_assert_ptr_nonnull(tb[SSNS_ATTR_BW]);
	ck_assert_int_eq(nla_parse_nested(bt, SSNS_ATTR_MAX, tb[SSNS_ATTR_BW],
					  ssns__policy), 0);
	ck_assert_str_eq(nla_get_string(bt[SSNS_ATTR_DEV_NAME]), "cxi0");
	ck_assert_uint_eq(nla_get_u64(bt[SSNS_ATTR_BW_MAX]), 1000000000ULL);
	ck_assert_ptr_null(bt[SSNS_ATTR_BW_SHARE]);
	ck_assert_ptr_null(bt[SSNS_ATTR_BW_CLEAR]);
	nlmsg_free(m);

	q = (struct ssns__req){ .cmd = SSNS_CMD_TENANT_SET, .tenant = "bob",
				.bw = true, .has_netns_fd = true,
				.netns_fd = 5, .bw_clear = true };
	ck_assert_int_eq(ssns__build(FAMILY, &q, &m, err, sizeof(err)), 0);
	ck_assert_int_eq(ssns__parse_attrs(nlmsg_hdr(m), tb), 0);
	ck_assert_ptr_null(tb[SSNS_ATTR_NETNS_FD]);
	ck_assert_int_eq(nla_parse_nested(bt, SSNS_ATTR_MAX, tb[SSNS_ATTR_BW],
					  ssns__policy), 0);
	ck_assert_uint_eq(nla_get_u32(bt[SSNS_ATTR_NETNS_FD]), 5);
	ck_assert_ptr_nonnull(bt[SSNS_ATTR_BW_CLEAR]);
	ck_assert_ptr_null(bt[SSNS_ATTR_DEV_NAME]);
	nlmsg_free(m);
}
END_TEST

START_TEST(test_local_errors)
{
	struct ssns_handle *h = ssns_new();

	ck_assert_ptr_nonnull(h);
	ck_assert_int_eq(ssns_tenant_bw_share(h, "a", NULL, 0), -EINVAL);
	ck_assert_ptr_nonnull(strstr(ssns_errmsg(h), "share 0 is out of range"));
	ck_assert_int_eq(ssns_tenant_bw_max(h, "a", NULL, 999), -EINVAL);
	ck_assert_ptr_nonnull(strstr(ssns_errmsg(h), "999bit (999 bit/s)"));
	ck_assert_int_eq(ssns_tenant_bw_netns_fd(h, "a", -1, 0), -EBADF);
	ck_assert_int_eq(ssns_tenant_bw_max(h, NULL, NULL, 0), -EINVAL);
	ssns_free(h);
}
END_TEST

static struct nl_msg *tenant_reply(void)
{
	struct nl_msg *m = nlmsg_alloc();
	struct nlattr *bw, *n;

	ck_assert_ptr_nonnull(m);
	ck_assert_ptr_nonnull(genlmsg_put(m, 0, 0, FAMILY, 0, 0,
					  SSNS_CMD_TENANT_GET, 1));
	nla_put_string(m, SSNS_ATTR_TENANT_NAME, "alice");
	bw = nla_nest_start(m, SSNS_ATTR_BW);
	nla_put_u32(m, SSNS_ATTR_BW_SHARE, 3);
	nla_put_u64(m, SSNS_ATTR_BW_MAX, 10000000000ULL);
	n = nla_nest_start(m, SSNS_ATTR_BW_DEV);
	nla_put_u32(m, SSNS_ATTR_DEV_INDEX, 1);
	nla_put_string(m, SSNS_ATTR_DEV_NAME, "cxi1");
	nla_put_u64(m, SSNS_ATTR_BW_MAX, 0);
	nla_nest_end(m, n);
	n = nla_nest_start(m, SSNS_ATTR_BW_MEMBER);
	nla_put_u64(m, SSNS_ATTR_NETNS_COOKIE, 4097);
	nla_put_u64(m, SSNS_ATTR_BW_MAX, 500000000ULL);
	nla_nest_end(m, n);
	n = nla_nest_start(m, SSNS_ATTR_BW_MEMBER);
	nla_put_u64(m, SSNS_ATTR_CGROUP_ID, 77);
	nla_put_u64(m, SSNS_ATTR_BW_MAX, 1000000ULL);
	nla_nest_end(m, n);
	nla_put_u64(m, SSNS_ATTR_BW_THROTTLED, 12);
	nla_put_u64(m, SSNS_ATTR_BW_WAIT_US, 3456);
	nla_put_u32(m, 200, 1);		/* a newer kernel's */
	nla_nest_end(m, bw);
	return m;
}

START_TEST(test_parse)
{
	struct nl_msg *m = tenant_reply();
	struct nlattr *tb[SSNS_ATTR_MAX + 1], *bw;
	struct ssns_tenant_bw b;

	ck_assert_int_eq(ssns__parse_attrs(nlmsg_hdr(m), tb), 0);
	ck_assert_int_eq(ssns__parse_tenant_bw(tb, &b), 0);
	ck_assert_str_eq(b.tenant, "alice");
	ck_assert_uint_eq(b.share, 3);
	ck_assert_uint_eq(b.max, 10000000000ULL);
	ck_assert_uint_eq(b.ndevs, 1);
	ck_assert_str_eq(b.devs[0].dev_name, "cxi1");
	ck_assert_uint_eq(b.devs[0].share, 0);
	ck_assert(b.devs[0].has_max && b.devs[0].max == 0);
	ck_assert_uint_eq(b.nmembers, 2);
	ck_assert_int_eq(b.members[0].type, SSNS_MEMBER_NETNS);
	ck_assert_uint_eq(b.members[0].id, 4097);
	ck_assert_uint_eq(b.members[0].max, 500000000ULL);
	ck_assert_int_eq(b.members[1].type, SSNS_MEMBER_CGROUP);
	ck_assert_uint_eq(b.members[1].id, 77);
	ck_assert_uint_eq(b.throttled, 12);
	ck_assert_uint_eq(b.wait_us, 3456);
	ssns__tenant_bw_clear(&b);
	nlmsg_free(m);

	/* an older module: no BW nest, the defaults */
	m = nlmsg_alloc();
	genlmsg_put(m, 0, 0, FAMILY, 0, 0, SSNS_CMD_TENANT_GET, 1);
	nla_put_string(m, SSNS_ATTR_TENANT_NAME, "old");
	ck_assert_int_eq(ssns__parse_attrs(nlmsg_hdr(m), tb), 0);
	ck_assert_int_eq(ssns__parse_tenant_bw(tb, &b), 0);
	ck_assert_uint_eq(b.share, SSNS_BW_SHARE_DEFAULT);
	ck_assert_uint_eq(b.max, 0);
	ck_assert_uint_eq(b.ndevs + b.nmembers, 0);
	nlmsg_free(m);

	/* a member without its ceiling is malformed, and nothing leaks */
	m = nlmsg_alloc();
	genlmsg_put(m, 0, 0, FAMILY, 0, 0, SSNS_CMD_TENANT_GET, 1);
	nla_put_string(m, SSNS_ATTR_TENANT_NAME, "bad");
	bw = nla_nest_start(m, SSNS_ATTR_BW);
	nla_put_u32(m, SSNS_ATTR_BW_SHARE, 1);
	tb[0] = nla_nest_start(m, SSNS_ATTR_BW_MEMBER);
	nla_put_u64(m, SSNS_ATTR_NETNS_COOKIE, 1);
	nla_nest_end(m, tb[0]);
	nla_nest_end(m, bw);
	ck_assert_int_eq(ssns__parse_attrs(nlmsg_hdr(m), tb), 0);
	ck_assert_int_eq(ssns__parse_tenant_bw(tb, &b), -EPROTO);
	ck_assert_ptr_null(b.members);
	nlmsg_free(m);
}
END_TEST

/* ---------------------------------------------------------------- output */

static char *print_tenant(bool json)
{
	struct nl_msg *m = tenant_reply();
	struct nlattr *tb[SSNS_ATTR_MAX + 1];
	struct ssns_tenant t = { .name = "alice" };
	struct ssnsctl_out o = { .json = json };
	struct ssns_tenant_bw b;
	char *buf = NULL;
	size_t len = 0;

	ck_assert_int_eq(ssns__parse_attrs(nlmsg_hdr(m), tb), 0);
	ck_assert_int_eq(ssns__parse_tenant_bw(tb, &b), 0);
	o.f = open_memstream(&buf, &len);
	ck_assert_int_eq(ssnsctl_print_tenants_bw(&o, &t, 1, &b, 1), 0);
	fclose(o.f);
	ssns__tenant_bw_clear(&b);
	nlmsg_free(m);
	return buf;
}

START_TEST(test_output)
{
	char *s = print_tenant(false);
	json_object *j, *bw, *v;

	ck_assert_str_eq(s, "alice: vni none\n"
			 "    bw share 3 max 10Gbit\n"
			 "    bw dev cxi1 max none\n"
			 "    bw netns_cookie 4097 max 500Mbit\n"
			 "    bw cgroup_id 77 max 1Mbit\n");
	free(s);
	s = print_tenant(true);
	j = json_tokener_parse(s);
	ck_assert_msg(j != NULL, "invalid JSON: %s", s);
	ck_assert(json_object_object_get_ex(json_object_array_get_idx(j, 0),
					    "bw", &bw));
	ck_assert(json_object_object_get_ex(bw, "share", &v));
	ck_assert_int_eq(json_object_get_int64(v), 3);
	ck_assert(json_object_object_get_ex(bw, "max", &v));
	ck_assert_int_eq(json_object_get_int64(v), 10000000000LL);
	ck_assert(json_object_object_get_ex(bw, "devs", &v));
	v = json_object_array_get_idx(v, 0);
	ck_assert(json_object_object_get_ex(v, "share", &v));
	ck_assert_ptr_null(v);		/* null: the tenant's */
	ck_assert(json_object_object_get_ex(bw, "members", &v));
	ck_assert_int_eq(json_object_array_length(v), 2);
	ck_assert(json_object_object_get_ex(bw, "throttled", &v));
	ck_assert_int_eq(json_object_get_int64(v), 12);
	json_object_put(j);
	free(s);
}
END_TEST

START_TEST(test_output_defaults)
{
	struct ssns_tenant t = { .name = "bob" };
	struct ssns_tenant_bw b = { .tenant = "bob", .share = 1 };
	struct ssnsctl_out o = { 0 };
	char *buf = NULL;
	size_t len = 0;

	/* nothing set: tenant show prints what it printed before */
	o.f = open_memstream(&buf, &len);
	ck_assert_int_eq(ssnsctl_print_tenants_bw(&o, &t, 1, &b, 1), 0);
	fclose(o.f);
	ck_assert_str_eq(buf, "bob: vni none\n");
	free(buf);
	/* the counters are in stats */
	buf = NULL;
	b.throttled = 5;
	b.wait_us = 6;
	t.stats.present = true;
	o.f = open_memstream(&buf, &len);
	ssnsctl_print_stats_bw(&o, NULL, NULL, 0, &t, 1, &b, 1);
	fclose(o.f);
	ck_assert_msg(strstr(buf, " bw_throttled 5 bw_wait_us 6\n"), "%s",
		      buf);
	free(buf);
}
END_TEST

/* Each tenant finds its own bandwidth among many, in another order. */
START_TEST(test_views_many)
{
	enum { N = 3000 };
	struct ssns_tenant *t = calloc(N, sizeof(*t));
	struct ssns_tenant_bw *b = calloc(N, sizeof(*b));
	struct ssnsctl_views vs;
	struct ssnsctl_tenant_view *v;
	size_t i, nb = 0;

	ck_assert(t && b);
	for (i = 0; i < N; i++)
		snprintf(t[i].name, sizeof(t[i].name), "t%zu", i);
	/* Every third tenant has none; the others in reverse order. */
	for (i = N; i-- > 0;) {
		if (i % 3 == 0)
			continue;
		snprintf(b[nb].tenant, sizeof(b[nb].tenant), "t%zu", i);
		b[nb++].share = i + 1;
	}
	ck_assert_int_eq(ssnsctl_views_init(&vs, t, N), 0);
	ck_assert_ptr_nonnull(vs.byname);
	ssnsctl_views_set_bw(&vs, b, nb);
	v = vs.v;
	for (i = 0; i < N; i++) {
		ck_assert_ptr_eq(v[i].t, &t[i]);
		if (i % 3 == 0) {
			ck_assert_ptr_null(v[i].bw);
		} else {
			ck_assert_ptr_nonnull(v[i].bw);
			ck_assert_str_eq(v[i].bw->tenant, t[i].name);
			ck_assert_uint_eq(v[i].bw->share, i + 1);
		}
	}
	ck_assert_ptr_eq(ssnsctl_views_find(&vs, "t2999"), &v[2999]);
	ck_assert_ptr_eq(ssnsctl_views_find(&vs, "t0"), &v[0]);
	ck_assert_ptr_null(ssnsctl_views_find(&vs, "zzz"));
	ck_assert_ptr_null(ssnsctl_views_find(&vs, "t"));
	/* Without the index (no memory for it) a walk finds the same. */
	free(vs.byname);
	vs.byname = NULL;
	ck_assert_ptr_eq(ssnsctl_views_find(&vs, "t2999"), &v[2999]);
	ck_assert_ptr_eq(ssnsctl_views_find(&vs, "t1500"), &v[1500]);
	ck_assert_ptr_null(ssnsctl_views_find(&vs, "zzz"));
	ssnsctl_views_free(&vs);
	/* No bandwidth dump at all. */
	ck_assert_int_eq(ssnsctl_views_init(&vs, t, N), 0);
	ssnsctl_views_set_bw(&vs, NULL, 0);
	for (i = 0; i < N; i++)
		ck_assert_ptr_null(vs.v[i].bw);
	ssnsctl_views_free(&vs);
	/* One tenant: no index, found by the walk. */
	ck_assert_int_eq(ssnsctl_views_init(&vs, t, 1), 0);
	ck_assert_ptr_null(vs.byname);
	ck_assert_ptr_eq(ssnsctl_views_find(&vs, "t0"), &vs.v[0]);
	ssnsctl_views_free(&vs);
	free(b);
	free(t);
}
END_TEST

Suite *bw_suite(void)
{
	Suite *s = suite_create("bandwidth");
	TCase *tc = tcase_create("bw");

	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_add_test(tc, test_rate_parse);
	tcase_add_test(tc, test_rate_format);
	tcase_add_test(tc, test_grammar);
	tcase_add_test(tc, test_grammar_errors);
	tcase_add_test(tc, test_build);
	tcase_add_test(tc, test_local_errors);
	tcase_add_test(tc, test_parse);
	tcase_add_test(tc, test_output);
	tcase_add_test(tc, test_output_defaults);
	tcase_add_test(tc, test_views_many);
	suite_add_tcase(s, tc);
	return s;
}
