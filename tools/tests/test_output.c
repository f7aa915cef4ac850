// SPDX-License-Identifier: GPL-2.0
/*
 * Output: text lines and JSON documents for sample objects. JSON output is
 * read back with json-c, so that it is checked to be valid, not only to
 * look right.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "output.h"
#include "tests.h"

static char *buf;
static size_t len;
static struct ssnsctl_out out;

static void open_out(bool json, bool pretty)
{
	free(buf);
	buf = NULL;
	len = 0;
	out.f = open_memstream(&buf, &len);
	ck_assert_ptr_nonnull(out.f);
	out.json = json;
	out.pretty = pretty;
}

static const char *close_out(void)
{
	fclose(out.f);
	out.f = NULL;
	return buf;
}

static void teardown(void)
{
	if (out.f)
		fclose(out.f);
	out.f = NULL;
	free(buf);
	buf = NULL;
}

/* Parse the whole output as one JSON document; caller puts it. */
static json_object *parse_json(const char *s)
{
	enum json_tokener_error jerr;
	json_object *o = json_tokener_parse_verbose(s, &jerr);

	ck_assert_msg(o != NULL, "invalid JSON (%s): %s",
		      json_tokener_error_desc(jerr), s);
	return o;
}

static json_object *get(json_object *o, const char *key)
{
	json_object *v = NULL;

	ck_assert_msg(json_object_object_get_ex(o, key, &v),
		      "no key \"%s\"", key);
	return v;
}

static const char *get_str(json_object *o, const char *key)
{
	return json_object_get_string(get(o, key));
}

static int64_t get_int(json_object *o, const char *key)
{
	return json_object_get_int64(get(o, key));
}

/* ---------------------------------------------------------------- samples */

static struct ssns_dev sample_devs[2] = {
	{ .index = 0, .name = "cxi0", .provider = "ssns_sim",
	  .chardev = "/dev/cxi0", .has_netns_cookie = true,
	  .netns_cookie = 1, .cgroup_acct = true },
	{ .index = 3, .name = "cxi3", .provider = "ssns_sim",
	  .chardev = "/dev/cxi3", .has_netns_cookie = true,
	  .netns_cookie = 4097, .has_netns_id = true, .netns_id = 2 },
};

static struct ssns_vni_range alice_ranges[] = { { 100, 199 }, { 300, 300 } };
static struct ssns_member alice_members[] = {
	{ .type = SSNS_MEMBER_NETNS, .netns_cookie = 4097,
	  .has_netns_id = true, .netns_id = 0 },
	{ .type = SSNS_MEMBER_CGROUP, .cgroup_id = 1234,
	  .cgroup_path = "/kubepods/pod\"1" },
	{ .type = SSNS_MEMBER_CGROUP, .cgroup_id = 5,
	  .cgroup_path = "/x\ntenant bob: vni 1" },
};

static struct ssns_tenant sample_tenants[2] = {
	{ .name = "alice", .nranges = 2, .ranges = alice_ranges,
	  .nmembers = 3, .members = alice_members },
	{ .name = "bob" },
};

static struct ssns_profile sample_profiles[2] = {
	{ .dev_index = 0, .dev_name = "cxi0", .vni = 100,
	  .tc = SSNS_TC_LOW_LATENCY, .tenant = "alice" },
	{ .dev_index = 0, .dev_name = "cxi0", .vni = 7,
	  .tc = SSNS_TC_BEST_EFFORT },
};

static struct ssns_ep sample_eps[1] = {
	{ .dev_index = 0, .dev_name = "cxi0", .vni = 100,
	  .tc = SSNS_TC_BULK_DATA, .addr = 17, .owner_pid = 4242,
	  .owner_comm = "mpi\trank", .has_netns_cookie = true,
	  .netns_cookie = 4097, .tenant = "alice" },
};

/* ----------------------------------------------------------------- tests */

START_TEST(test_ranges)
{
	open_out(false, false);
	ssnsctl_print_ranges(out.f, alice_ranges, 2);
	ck_assert_str_eq(close_out(), "100-199,300");
	open_out(false, false);
	ssnsctl_print_ranges(out.f, NULL, 0);
	ck_assert_str_eq(close_out(), "none");
}
END_TEST

START_TEST(test_system)
{
	struct ssns_system s = { .netns_mode = SSNS_NETNS_EXCLUSIVE,
				 .cgroup_acct = true, .version = "0.1.0" };
	json_object *j;

	open_out(false, false);
	ssnsctl_print_system(&out, &s);
	ck_assert_str_eq(close_out(),
			 "netns exclusive cgroup_accounting on version 0.1.0\n");

	open_out(true, false);
	ssnsctl_print_system(&out, &s);
	ck_assert_str_eq(close_out(),
			 "{\"netns\":\"exclusive\",\"cgroup_accounting\":true,"
			 "\"version\":\"0.1.0\"}\n");

	s.netns_mode = SSNS_NETNS_SHARED;
	s.cgroup_acct = false;
	s.version[0] = '\0';
	open_out(true, true);
	ssnsctl_print_system(&out, &s);
	j = parse_json(close_out());
	ck_assert_str_eq(get_str(j, "netns"), "shared");
	ck_assert(!json_object_get_boolean(get(j, "cgroup_accounting")));
	ck_assert(json_object_is_type(get(j, "version"), json_type_null));
	json_object_put(j);
	/* pretty: one member a line, indented as json-c indents (two spaces) */
	ck_assert_ptr_nonnull(strstr(buf, "{\n  \"netns\": \"shared\",\n"));
}
END_TEST

START_TEST(test_devs)
{
	json_object *j, *d;

	open_out(false, false);
	ssnsctl_print_devs(&out, sample_devs, 2);
	ck_assert_str_eq(close_out(),
		"0: cxi0: provider ssns_sim chardev /dev/cxi0 netns_cookie 1 "
		"rdmacg on\n"
		"3: cxi3: provider ssns_sim chardev /dev/cxi3 netns_cookie 4097"
		" nsid 2 rdmacg off\n");

	open_out(true, false);
	ssnsctl_print_devs(&out, sample_devs, 2);
	j = parse_json(close_out());
	ck_assert(json_object_is_type(j, json_type_array));
	ck_assert_int_eq(json_object_array_length(j), 2);
	d = json_object_array_get_idx(j, 1);
	ck_assert_int_eq(get_int(d, "index"), 3);
	ck_assert_str_eq(get_str(d, "name"), "cxi3");
	ck_assert_str_eq(get_str(d, "chardev"), "/dev/cxi3");
	ck_assert_int_eq(get_int(d, "netns_cookie"), 4097);
	ck_assert_int_eq(get_int(d, "nsid"), 2);
	d = json_object_array_get_idx(j, 0);
	ck_assert(!json_object_object_get_ex(d, "nsid", NULL));
	ck_assert(json_object_get_boolean(get(d, "rdmacg")));
	json_object_put(j);

	/* an empty list is an empty array in JSON, nothing in text */
	open_out(true, false);
	ssnsctl_print_devs(&out, NULL, 0);
	ck_assert_str_eq(close_out(), "[]\n");
	open_out(false, false);
	ssnsctl_print_devs(&out, NULL, 0);
	ck_assert_str_eq(close_out(), "");
}
END_TEST

START_TEST(test_tenants)
{
	json_object *j, *t, *m;

	open_out(false, false);
	ssnsctl_print_tenants(&out, sample_tenants, 2);
	ck_assert_str_eq(close_out(),
			 "alice: vni 100-199,300\n"
			 "    netns_cookie 4097 nsid 0\n"
			 "    cgroup /kubepods/pod\"1 id 1234\n"
			 "    cgroup /x\\x0atenant bob: vni 1 id 5\n"
			 "bob: vni none\n");

	open_out(true, true);
	ssnsctl_print_tenants(&out, sample_tenants, 2);
	j = parse_json(close_out());
	ck_assert_int_eq(json_object_array_length(j), 2);
	t = json_object_array_get_idx(j, 0);
	ck_assert_str_eq(get_str(t, "name"), "alice");
	ck_assert_int_eq(json_object_array_length(get(t, "vni")), 2);
	ck_assert_int_eq(get_int(json_object_array_get_idx(get(t, "vni"), 0),
				 "last"), 199);
	m = get(t, "members");
	ck_assert_int_eq(json_object_array_length(m), 3);
	/* JSON keeps the exact bytes, escaped */
	ck_assert_str_eq(get_str(json_object_array_get_idx(m, 2), "path"),
			 "/x\ntenant bob: vni 1");
	ck_assert_str_eq(get_str(json_object_array_get_idx(m, 0), "type"),
			 "netns");
	ck_assert_str_eq(get_str(json_object_array_get_idx(m, 1), "path"),
			 "/kubepods/pod\"1");
	t = json_object_array_get_idx(j, 1);
	ck_assert_int_eq(json_object_array_length(get(t, "vni")), 0);
	ck_assert_int_eq(json_object_array_length(get(t, "members")), 0);
	json_object_put(j);
}
END_TEST

START_TEST(test_profiles)
{
	json_object *j;

	open_out(false, false);
	ssnsctl_print_profiles(&out, sample_profiles, 2);
	/* the text is valid input of `profile add` */
	ck_assert_str_eq(close_out(),
			 "dev cxi0 vni 100 tc low_latency tenant alice\n"
			 "dev cxi0 vni 7 tc best_effort\n");

	open_out(true, false);
	ssnsctl_print_profiles(&out, sample_profiles, 2);
	j = parse_json(close_out());
	ck_assert_str_eq(get_str(json_object_array_get_idx(j, 0), "tc"),
			 "low_latency");
	ck_assert_str_eq(get_str(json_object_array_get_idx(j, 0), "tenant"),
			 "alice");
	ck_assert(json_object_is_type(get(json_object_array_get_idx(j, 1),
					  "tenant"), json_type_null));
	ck_assert_int_eq(get_int(json_object_array_get_idx(j, 1), "vni"), 7);
	json_object_put(j);
}
END_TEST

START_TEST(test_eps)
{
	json_object *j, *e;

	open_out(false, false);
	ssnsctl_print_eps(&out, sample_eps, 1);
	ck_assert_str_eq(close_out(),
			 "dev cxi0 vni 100 tc bulk_data addr 17 pid 4242 comm "
			 "mpi\\x09rank tenant alice netns_cookie 4097\n");

	open_out(true, false);
	ssnsctl_print_eps(&out, sample_eps, 1);
	ck_assert_ptr_nonnull(strstr(buf, "\"mpi\\trank\""));
	j = parse_json(close_out());
	e = json_object_array_get_idx(j, 0);
	ck_assert_str_eq(get_str(e, "comm"), "mpi\trank");
	ck_assert_int_eq(get_int(e, "pid"), 4242);
	ck_assert_int_eq(get_int(e, "addr"), 17);
	ck_assert_str_eq(get_str(e, "tenant"), "alice");
	json_object_put(j);
}
END_TEST

START_TEST(test_stats)
{
	struct ssns_dev d = { .name = "cxi0" };
	struct ssns_tenant t = { .name = "alice" };
	struct ssns_counter pc[] = {
		{ "tx_msgs", 3 }, { "drops", UINT64_C(1) << 40 },
	};
	struct ssns_counter_list l = { 2, pc }, *dc[] = { &l };
	json_object *j, *st, *ct;

	d.stats.present = true;
	d.stats.v[SSNS_STAT_EP_ALLOC] = 5;
	d.stats.v[SSNS_STAT_DENY_TENANT] = 2;

	open_out(false, false);
	ssnsctl_print_stats(&out, &d, dc, 1, &t, 1);
	close_out();
	ck_assert_ptr_nonnull(strstr(buf, "dev cxi0: ctx_open 0 "));
	ck_assert_ptr_nonnull(strstr(buf, " ep_alloc 5 "));
	ck_assert_ptr_nonnull(strstr(buf, " deny_tenant 2 "));
	ck_assert_ptr_nonnull(strstr(buf,
		" deny_nospc 0 tx_msgs 3 drops 1099511627776\n"));
	ck_assert_ptr_nonnull(strstr(buf, "tenant alice: no counters\n"));

	open_out(true, false);
	ssnsctl_print_stats(&out, &d, dc, 1, &t, 1);
	j = parse_json(close_out());
	st = get(json_object_array_get_idx(get(j, "devs"), 0), "stats");
	ct = get(json_object_array_get_idx(get(j, "devs"), 0), "counters");
	ck_assert_int_eq(get_int(st, "ep_alloc"), 5);
	ck_assert_int_eq(get_int(st, "deny_tenant"), 2);
	ck_assert(!json_object_object_get_ex(st, "drops", NULL));
	ck_assert_int_eq(get_int(ct, "tx_msgs"), 3);
	ck_assert_int_eq(get_int(ct, "drops"), INT64_C(1) << 40);
	ck_assert(json_object_is_type(
		get(json_object_array_get_idx(get(j, "tenants"), 0), "stats"),
		json_type_null));
	json_object_put(j);
}
END_TEST

static uint64_t bit(unsigned int attr)
{
	return UINT64_C(1) << attr;
}

START_TEST(test_events)
{
	struct ssns_event ev = {
		.cmd = SSNS_CMD_EP_DENIED,
		.attrs = bit(SSNS_ATTR_DEV_NAME) | bit(SSNS_ATTR_DEV_INDEX) |
			 bit(SSNS_ATTR_VNI) | bit(SSNS_ATTR_TC) |
			 bit(SSNS_ATTR_EP_ADDR) | bit(SSNS_ATTR_OWNER_PID) |
			 bit(SSNS_ATTR_OWNER_COMM) | bit(SSNS_ATTR_REASON) |
			 bit(SSNS_ATTR_ERRNO) | bit(SSNS_ATTR_TENANT_NAME) |
			 bit(SSNS_ATTR_NETNS_COOKIE),
		.dev_name = "cxi0", .dev_index = 0, .vni = 200,
		.tc = SSNS_TC_LOW_LATENCY, .addr = 3, .owner_pid = 99,
		.owner_comm = "ev\nil\\", .reason = SSNS_DENY_TENANT, .err = 13,
		.tenant = "bob", .netns_cookie = 4100,
	};
	struct ssns_event mode = {
		.cmd = SSNS_CMD_SYS_SET,
		.attrs = bit(SSNS_ATTR_SYS_NETNS_MODE),
		.netns_mode = SSNS_NETNS_EXCLUSIVE,
	};
	struct ssns_event tset = {
		.cmd = SSNS_CMD_TENANT_SET,
		.attrs = bit(SSNS_ATTR_TENANT_NAME) |
			 bit(SSNS_ATTR_VNI_RANGES) | bit(SSNS_ATTR_MEMBERS),
		.tenant = "alice", .nranges = 2, .ranges = alice_ranges,
		.nmembers = 2, .members = alice_members,
	};
	json_object *j;

	open_out(false, false);
	ssnsctl_print_event(&out, &tset);
	ck_assert_str_eq(close_out(),
			 "tenant_set tenant alice vni 100-199,300 members "
			 "netns_cookie 4097 cgroup /kubepods/pod\"1\n");
	open_out(true, false);
	ssnsctl_print_event(&out, &tset);
	j = parse_json(close_out());
	ck_assert_int_eq(json_object_array_length(get(j, "members")), 2);
	ck_assert_int_eq(json_object_array_length(get(j, "vni_ranges")), 2);
	json_object_put(j);

	open_out(false, false);
	ssnsctl_print_event(&out, &ev);
	ssnsctl_print_event(&out, &mode);
	ck_assert_str_eq(close_out(),
			 "ep_denied dev cxi0 index 0 tenant bob vni 200 tc "
			 "low_latency addr 3 pid 99 comm ev\\x0ail\\x5c "
			 "netns_cookie 4100"
			 " reason tenant errno EACCES\n"
			 "sys_set netns exclusive\n");

	open_out(true, false);
	ssnsctl_print_event(&out, &ev);
	j = parse_json(close_out());
	ck_assert_str_eq(get_str(j, "event"), "ep_denied");
	ck_assert_str_eq(get_str(j, "reason"), "tenant");
	ck_assert_str_eq(get_str(j, "errno"), "EACCES");
	ck_assert_int_eq(get_int(j, "vni"), 200);
	ck_assert(!json_object_object_get_ex(j, "netns", NULL));
	json_object_put(j);

	/* monitor -j: one JSON document a line */
	open_out(true, false);
	ssnsctl_print_event(&out, &mode);
	ssnsctl_print_event(&out, &ev);
	close_out();
	ck_assert_ptr_nonnull(strstr(buf, "{\"event\":\"sys_set\","
				     "\"netns\":\"exclusive\"}\n{"));
}
END_TEST

/* ------------------------------------------------------------ JSON strings */

/* The compact JSON of one endpoint whose command name is comm. */
static const char *ep_json(const char *comm)
{
	struct ssns_ep e = { .dev_name = "cxi0", .tc = SSNS_TC_BEST_EFFORT };

	snprintf(e.owner_comm, sizeof(e.owner_comm), "%s", comm);
	open_out(true, false);
	ssnsctl_print_eps(&out, &e, 1);
	return close_out();
}

/* The "comm" of that document as printed, quotes included. */
static char *comm_of(const char *doc)
{
	const char *p = strstr(doc, "\"comm\":"), *q;

	ck_assert_ptr_nonnull(p);
	p += 7;
	q = strstr(p, ",\"tenant\"");
	ck_assert_ptr_nonnull(q);
	return strndup(p, (size_t)(q - p));
}

static void comm_is(const char *comm, const char *want)
{
	char *got = comm_of(ep_json(comm));

	ck_assert_str_eq(got, want);
	free(got);
}

START_TEST(test_json_escape)
{
	comm_is("plain", "\"plain\"");
	comm_is("a\"b\\c", "\"a\\\"b\\\\c\"");
	comm_is("\n\r\t\b\f", "\"\\n\\r\\t\\b\\f\"");
	comm_is("\x01\x1f", "\"\\u0001\\u001f\"");
	comm_is("/", "\"/\"");
	/* DEL is valid in a JSON string: json-c leaves it as it is */
	comm_is("\x7f", "\"\x7f\"");
	/* valid UTF-8 passes through */
	comm_is("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80",
		"\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"");
	/* a byte that starts no valid sequence is U+FFFD, one for each */
	comm_is("a\xff" "b", "\"a\xef\xbf\xbd" "b\"");
	comm_is("\xc0\xaf", "\"\xef\xbf\xbd\xef\xbf\xbd\"");
	comm_is("\xe2\x82", "\"\xef\xbf\xbd\xef\xbf\xbd\"");
	comm_is("\xed\xa0\x80", "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"");
	/* the whole document, byte for byte as before json-c */
	ck_assert_str_eq(ep_json("mpi"),
			 "[{\"dev\":\"cxi0\",\"dev_index\":0,\"vni\":0,"
			 "\"tc\":\"best_effort\",\"addr\":0,\"pid\":0,"
			 "\"comm\":\"mpi\",\"tenant\":null}]\n");
}
END_TEST

START_TEST(test_json_roundtrip)
{
	/* every control char and odd bytes survive a round trip via json-c */
	char nasty[64];
	struct ssns_member m = { .type = SSNS_MEMBER_CGROUP, .cgroup_id = 9,
				 .cgroup_path = nasty };
	struct ssns_tenant t = { .name = "t", .nmembers = 1, .members = &m };
	struct ssns_dev d = { .name = "cxi0", .has_netns_id = true,
			      .netns_id = -5 };
	struct ssns_counter pc[] = { { "big", UINT64_MAX } };
	struct ssns_counter_list l = { 1, pc }, *dc[] = { &l };
	json_object *j;
	int i;

	for (i = 1; i < 32; i++)
		nasty[i - 1] = (char)i;
	strcpy(nasty + 31, "\"\\</script>");
	open_out(true, true);
	ssnsctl_print_tenants(&out, &t, 1);
	j = parse_json(close_out());
	ck_assert_str_eq(get_str(json_object_array_get_idx(
		get(json_object_array_get_idx(j, 0), "members"), 0), "path"),
		nasty);
	json_object_put(j);

	open_out(true, false);
	ssnsctl_print_devs(&out, &d, 1);
	j = parse_json(close_out());
	ck_assert_int_eq(get_int(json_object_array_get_idx(j, 0), "nsid"), -5);
	json_object_put(j);

	open_out(true, false);
	ssnsctl_print_stats(&out, &d, dc, 1, NULL, 0);
	ck_assert_ptr_nonnull(strstr(buf, "\"counters\":{\"big\":18446744073709551615}"));
	j = parse_json(close_out());
	ck_assert_uint_eq(json_object_get_uint64(get(get(
		json_object_array_get_idx(get(j, "devs"), 0), "counters"),
		"big")), UINT64_MAX);
	ck_assert_int_eq(json_object_array_length(get(j, "tenants")), 0);
	json_object_put(j);
	ck_assert_ptr_nonnull(strstr(buf, "\"tenants\":[]}\n"));
}
END_TEST

Suite *output_suite(void)
{
	Suite *s = suite_create("output");
	TCase *tc = tcase_create("print");

	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_add_test(tc, test_ranges);
	tcase_add_test(tc, test_system);
	tcase_add_test(tc, test_devs);
	tcase_add_test(tc, test_tenants);
	tcase_add_test(tc, test_profiles);
	tcase_add_test(tc, test_eps);
	tcase_add_test(tc, test_stats);
	tcase_add_test(tc, test_events);
	tcase_add_test(tc, test_json_escape);
	tcase_add_test(tc, test_json_roundtrip);
	suite_add_tcase(s, tc);
	return s;
}
