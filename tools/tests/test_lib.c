// SPDX-License-Identifier: GPL-2.0
/*
 * libssns without a kernel: request building, extended ack parsing from
 * crafted buffers, reply and event parsing, names, local errors.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <netlink/genl/genl.h>

#include "internal.h"
#include "tests.h"

#define FAMILY 0x42

static char err[256];

/* Parse a request built by ssns__build back into attributes. */
static struct genlmsghdr *parse_req(struct nl_msg *m, struct nlattr **tb)
{
	struct nlmsghdr *nlh = nlmsg_hdr(m);

	ck_assert_int_eq(nlh->nlmsg_type, FAMILY);
	ck_assert_int_eq(ssns__parse_attrs(nlh, tb), 0);
	return genlmsg_hdr(nlh);
}

/* ---------------------------------------------------------------- names */

START_TEST(test_names)
{
	unsigned int i;

	ck_assert_str_eq(ssns_tc_name(SSNS_TC_LOW_LATENCY), "low_latency");
	ck_assert_str_eq(ssns_netns_mode_name(SSNS_NETNS_EXCLUSIVE),
			 "exclusive");
	ck_assert_ptr_null(ssns_tc_name(SSNS_TC_MAX + 1));
	ck_assert_ptr_null(ssns_netns_mode_name(2));
	for (i = 0; i <= SSNS_TC_MAX; i++)
		ck_assert_int_eq(ssns_tc_from_name(ssns_tc_name(i)), (int)i);
	ck_assert_int_eq(ssns_tc_from_name("low"), -EINVAL);
	ck_assert_int_eq(ssns_tc_from_name(NULL), -EINVAL);
	ck_assert_int_eq(ssns_netns_mode_from_name("shared"),
			 SSNS_NETNS_SHARED);
	for (i = SSNS_STAT_PAD + 1; i <= SSNS_STAT_MAX; i++)
		ck_assert_ptr_nonnull(ssns_stat_name(i));
	for (i = 1; i <= SSNS_DENY_MAX; i++)
		ck_assert_ptr_nonnull(ssns_deny_reason_name(i));
	ck_assert_ptr_null(ssns_deny_reason_name(0));
	ck_assert_str_eq(ssns_event_name(SSNS_CMD_DEV_SET), "dev_set");
	ck_assert_ptr_null(ssns_event_name(SSNS_CMD_DEV_GET));
	ck_assert_str_eq(ssns_attr_name(SSNS_ATTR_VNI), "VNI");
	ck_assert_ptr_null(ssns_attr_name(SSNS_ATTR_MAX + 1));
	ck_assert_ptr_null(ssns_attr_name(SSNS_ATTR_UNSPEC));
	for (i = SSNS_ATTR_PAD; i <= SSNS_ATTR_MAX; i++)
		ck_assert_ptr_nonnull(ssns_attr_name(i));
	for (i = SSNS_CMD_SYS_GET; i <= SSNS_CMD_MAX; i++) {
		ck_assert_ptr_nonnull(ssns_cmd_name(i));
		if (ssns_event_name(i))
			ck_assert_str_eq(ssns_event_name(i), ssns_cmd_name(i));
	}
	ck_assert_str_eq(ssns_cmd_name(SSNS_CMD_MONITOR), "monitor");
	ck_assert_ptr_null(ssns_cmd_name(SSNS_CMD_UNSPEC));
	ck_assert_ptr_null(ssns_cmd_name(SSNS_CMD_MAX + 1));
	ck_assert_ptr_null(ssns_event_name(SSNS_CMD_MONITOR));
}
END_TEST

/* ------------------------------------------------------- request building */

START_TEST(test_build_tenant_set_vni)
{
	struct ssns_vni_range r[2] = { { 100, 199 }, { 300, 300 } };
	struct ssns__req q = { .cmd = SSNS_CMD_TENANT_SET, .tenant = "alice",
			       .ranges = r, .nranges = 2, .has_op = true,
			       .op = SSNS_OP_DEL };
	struct nlattr *tb[SSNS_ATTR_MAX + 1], *a, *rt[SSNS_ATTR_MAX + 1];
	struct genlmsghdr *g;
	struct nl_msg *m;
	int rem, n = 0;

	ck_assert_int_eq(ssns__build(FAMILY, &q, &m, err, sizeof(err)), 0);
	g = parse_req(m, tb);
	ck_assert_int_eq(g->cmd, SSNS_CMD_TENANT_SET);
	ck_assert_int_eq(g->version, SSNS_GENL_VERSION);
	ck_assert(!(nlmsg_hdr(m)->nlmsg_flags & NLM_F_DUMP));
	ck_assert(nlmsg_hdr(m)->nlmsg_flags & NLM_F_ACK);
	ck_assert_str_eq(nla_get_string(tb[SSNS_ATTR_TENANT_NAME]), "alice");
	ck_assert_int_eq(nla_get_u8(tb[SSNS_ATTR_OP]), SSNS_OP_DEL);
	ck_assert_ptr_null(tb[SSNS_ATTR_DEV_NAME]);
	ck_assert_ptr_null(tb[SSNS_ATTR_NETNS_FD]);
	ck_assert_ptr_nonnull(tb[SSNS_ATTR_VNI_RANGES]);
	nla_for_each_nested(a, tb[SSNS_ATTR_VNI_RANGES], rem) {
		ck_assert_int_eq(nla_type(a), SSNS_ATTR_VNI_RANGE);
		ck_assert_int_eq(nla_parse_nested(rt, SSNS_ATTR_MAX, a,
						  ssns__policy), 0);
		ck_assert_uint_eq(nla_get_u32(rt[SSNS_ATTR_VNI_FIRST]),
				  r[n].first);
		ck_assert_uint_eq(nla_get_u32(rt[SSNS_ATTR_VNI_LAST]),
				  r[n].last);
		n++;
	}
	ck_assert_int_eq(n, 2);
	nlmsg_free(m);
}
END_TEST

START_TEST(test_build_misc)
{
	struct ssns__req dump = { .cmd = SSNS_CMD_DEV_GET, .dump = true };
	struct ssns__req prof = { .cmd = SSNS_CMD_PROFILE_NEW, .dev = "cxi0",
				  .has_vni = true, .vni = 65535,
				  .has_tc = true,
				  .tc = SSNS_TC_DEDICATED_ACCESS };
	struct ssns__req move = { .cmd = SSNS_CMD_DEV_SET, .dev = "cxi1",
				  .has_netns_fd = true, .netns_fd = 7 };
	struct ssns__req mode = { .cmd = SSNS_CMD_SYS_SET, .has_mode = true,
				  .mode = SSNS_NETNS_EXCLUSIVE };
	struct nlattr *tb[SSNS_ATTR_MAX + 1];
	struct nl_msg *m;
	int i;

	ck_assert_int_eq(ssns__build(FAMILY, &dump, &m, err, sizeof(err)), 0);
	ck_assert(nlmsg_hdr(m)->nlmsg_flags & NLM_F_DUMP);
	ck_assert(!(nlmsg_hdr(m)->nlmsg_flags & NLM_F_ACK));
	parse_req(m, tb);
	for (i = 0; i <= SSNS_ATTR_MAX; i++)
		ck_assert_ptr_null(tb[i]);
	nlmsg_free(m);

	ck_assert_int_eq(ssns__build(FAMILY, &prof, &m, err, sizeof(err)), 0);
	ck_assert_int_eq(parse_req(m, tb)->cmd, SSNS_CMD_PROFILE_NEW);
	ck_assert_str_eq(nla_get_string(tb[SSNS_ATTR_DEV_NAME]), "cxi0");
	ck_assert_uint_eq(nla_get_u32(tb[SSNS_ATTR_VNI]), 65535);
	ck_assert_uint_eq(nla_get_u8(tb[SSNS_ATTR_TC]),
			  SSNS_TC_DEDICATED_ACCESS);
	/* u32 and u8 on the wire, as the kernel's policy wants */
	ck_assert_int_eq(nla_len(tb[SSNS_ATTR_VNI]), 4);
	ck_assert_int_eq(nla_len(tb[SSNS_ATTR_TC]), 1);
	/* names are NUL-terminated (NLA_NUL_STRING in the kernel) */
	ck_assert_int_eq(nla_len(tb[SSNS_ATTR_DEV_NAME]), 5);
	nlmsg_free(m);

	ck_assert_int_eq(ssns__build(FAMILY, &move, &m, err, sizeof(err)), 0);
	parse_req(m, tb);
	ck_assert_uint_eq(nla_get_u32(tb[SSNS_ATTR_NETNS_FD]), 7);
	ck_assert_ptr_null(tb[SSNS_ATTR_NETNS_PID]);
	nlmsg_free(m);

	{
		struct ssns__req ck = { .cmd = SSNS_CMD_TENANT_SET,
					.tenant = "t", .has_op = true,
					.op = SSNS_OP_DEL,
					.has_netns_cookie = true,
					.netns_cookie = UINT64_MAX - 1,
					.has_cgroup_id = true,
					.cgroup_id = 12345 };

		ck_assert_int_eq(ssns__build(FAMILY, &ck, &m, err,
					     sizeof(err)), 0);
		parse_req(m, tb);
		ck_assert(nla_get_u64(tb[SSNS_ATTR_NETNS_COOKIE]) ==
			  UINT64_MAX - 1);
		ck_assert_int_eq(nla_len(tb[SSNS_ATTR_NETNS_COOKIE]), 8);
		ck_assert(nla_get_u64(tb[SSNS_ATTR_CGROUP_ID]) == 12345);
		nlmsg_free(m);
	}

	ck_assert_int_eq(ssns__build(FAMILY, &mode, &m, err, sizeof(err)), 0);
	parse_req(m, tb);
	ck_assert_uint_eq(nla_get_u8(tb[SSNS_ATTR_SYS_NETNS_MODE]),
			  SSNS_NETNS_EXCLUSIVE);
	nlmsg_free(m);
}
END_TEST

START_TEST(test_build_errors)
{
	struct ssns_vni_range rev = { 10, 5 }, zero = { 0, 5 };
	struct ssns__req q;
	struct nl_msg *m = (void *)1;

	q = (struct ssns__req){ .cmd = SSNS_CMD_TENANT_NEW,
				.tenant = "abcdefghijabcdefghijabcdefghijab" };
	ck_assert_int_eq(ssns__build(FAMILY, &q, &m, err, sizeof(err)),
			 -EINVAL);
	ck_assert_ptr_null(m);
	ck_assert_ptr_nonnull(strstr(err, "too long"));

	{
		static char longname[5001];

		memset(longname, 'n', 5000);
		q = (struct ssns__req){ .cmd = SSNS_CMD_TENANT_NEW,
					.tenant = longname };
		ck_assert_int_eq(ssns__build(FAMILY, &q, &m, err, sizeof(err)),
				 -EINVAL);
		ck_assert_ptr_nonnull(strstr(err, "(5000 bytes, cut to 48)"));
		ck_assert_uint_lt(strlen(err), 200);
	}

	q = (struct ssns__req){ .cmd = SSNS_CMD_TENANT_NEW, .tenant = "" };
	ck_assert_int_eq(ssns__build(FAMILY, &q, &m, err, sizeof(err)),
			 -EINVAL);

	q = (struct ssns__req){ .cmd = SSNS_CMD_TENANT_NEW, .tenant = "a",
				.ranges = &rev, .nranges = 1 };
	ck_assert_int_eq(ssns__build(FAMILY, &q, &m, err, sizeof(err)),
			 -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "10-5"));

	q.ranges = &zero;
	ck_assert_int_eq(ssns__build(FAMILY, &q, &m, err, sizeof(err)),
			 -EINVAL);

	q = (struct ssns__req){ .cmd = SSNS_CMD_PROFILE_NEW, .dev = "c",
				.has_vni = true, .vni = 65536 };
	ck_assert_int_eq(ssns__build(FAMILY, &q, &m, err, sizeof(err)),
			 -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "65536"));

	q = (struct ssns__req){ .cmd = SSNS_CMD_PROFILE_NEW, .dev = "c",
				.has_tc = true, .tc = SSNS_TC_MAX + 1 };
	ck_assert_int_eq(ssns__build(FAMILY, &q, &m, err, sizeof(err)),
			 -EINVAL);

	q = (struct ssns__req){ .cmd = 0 };
	ck_assert_int_eq(ssns__build(FAMILY, &q, &m, err, sizeof(err)),
			 -EINVAL);
	q = (struct ssns__req){ .cmd = SSNS_CMD_MAX + 1 };
	ck_assert_int_eq(ssns__build(FAMILY, &q, &m, err, sizeof(err)),
			 -EINVAL);
}
END_TEST

/* ------------------------------------------------------ extended acks */

/* Append one TLV at *off in buf; returns the new offset. */
static size_t put_tlv(unsigned char *buf, size_t off, uint16_t type,
		      const void *data, uint16_t len)
{
	struct nlattr a = { .nla_len = NLA_HDRLEN + len, .nla_type = type };

	memcpy(buf + off, &a, sizeof(a));
	memcpy(buf + off + NLA_HDRLEN, data, len);
	return off + NLA_ALIGN(NLA_HDRLEN + len);
}

/*
 * An NLMSG_ERROR for request req, capped or carrying a copy of req, with
 * the given TLVs (msg may be NULL; offs/miss < 0 when absent).
 */
static size_t craft_error(unsigned char *buf, int error, bool capped,
			  const struct nlmsghdr *req, const char *msg,
			  int offs, int miss)
{
	struct nlmsghdr *nlh = (void *)buf;
	struct nlmsgerr *e = (void *)(buf + NLMSG_HDRLEN);
	size_t off;

	memset(buf, 0, 1024);
	nlh->nlmsg_type = NLMSG_ERROR;
	e->error = error;
	e->msg = *req;
	if (capped) {
		nlh->nlmsg_flags |= NLM_F_CAPPED;
		off = NLMSG_HDRLEN + sizeof(*e);
	} else {
		memcpy(&e->msg, req, req->nlmsg_len);
		off = NLMSG_HDRLEN + offsetof(struct nlmsgerr, msg) +
		      NLMSG_ALIGN(req->nlmsg_len);
	}
	if (msg || offs >= 0 || miss >= 0)
		nlh->nlmsg_flags |= NLM_F_ACK_TLVS;
	if (msg)
		off = put_tlv(buf, off, NLMSGERR_ATTR_MSG, msg,
			      (uint16_t)(strlen(msg) + 1));
	if (offs >= 0) {
		uint32_t v = (uint32_t)offs;

		off = put_tlv(buf, off, NLMSGERR_ATTR_OFFS, &v, 4);
	}
	if (miss >= 0) {
		uint32_t v = (uint32_t)miss;

		off = put_tlv(buf, off, NLMSGERR_ATTR_MISS_TYPE, &v, 4);
	}
	nlh->nlmsg_len = (uint32_t)off;
	return off;
}

/* Offset of attribute type in the request, as the kernel reports it. */
static int attr_offset(struct nl_msg *m, int type)
{
	struct nlmsghdr *nlh = nlmsg_hdr(m);
	struct nlattr *a = nlmsg_find_attr(nlh, GENL_HDRLEN, type);

	ck_assert_ptr_nonnull(a);
	return (int)((unsigned char *)a - (unsigned char *)nlh);
}

START_TEST(test_extack)
{
	struct ssns__req q = { .cmd = SSNS_CMD_PROFILE_NEW, .dev = "cxi9",
			       .has_vni = true, .vni = 100, .has_tc = true };
	unsigned char buf[1024];
	struct ssns__ack ack;
	char text[256];
	struct nl_msg *m;
	size_t n;
	int off;

	ck_assert_int_eq(ssns__build(FAMILY, &q, &m, err, sizeof(err)), 0);
	off = attr_offset(m, SSNS_ATTR_DEV_NAME);

	/* capped, with a message and the offset of the bad attribute */
	n = craft_error(buf, -ENODEV, true, nlmsg_hdr(m),
			"ssns: no device cxi9", off, -1);
	ck_assert_int_eq(ssns__parse_ack((void *)buf, n, &ack), 0);
	ck_assert_int_eq(ack.error, -ENODEV);
	ck_assert(ack.has_msg);
	ck_assert_str_eq(ack.msg, "ssns: no device cxi9");
	ck_assert(ack.has_offs);
	ck_assert_int_eq(ack.offs, off);
	ssns__ack_text(&ack, nlmsg_hdr(m), text, sizeof(text));
	ck_assert_str_eq(text, "ssns: no device cxi9");

	/* not capped: the TLVs follow a copy of the request */
	n = craft_error(buf, -EBUSY, false, nlmsg_hdr(m),
			"ssns: VNI 100 belongs to tenant alice", -1, -1);
	ck_assert_int_eq(ssns__parse_ack((void *)buf, n, &ack), 0);
	ck_assert_int_eq(ack.error, -EBUSY);
	ck_assert_str_eq(ack.msg, "ssns: VNI 100 belongs to tenant alice");
	ck_assert(!ack.has_offs);

	/* only a missing-attribute type: the text names it */
	n = craft_error(buf, -EINVAL, true, nlmsg_hdr(m), NULL, -1,
			SSNS_ATTR_TENANT_NAME);
	ck_assert_int_eq(ssns__parse_ack((void *)buf, n, &ack), 0);
	ck_assert(!ack.has_msg);
	ssns__ack_text(&ack, nlmsg_hdr(m), text, sizeof(text));
	ck_assert_str_eq(text, "missing attribute TENANT_NAME");

	/* only an offset */
	n = craft_error(buf, -ERANGE, true, nlmsg_hdr(m), NULL,
			attr_offset(m, SSNS_ATTR_VNI), -1);
	ck_assert_int_eq(ssns__parse_ack((void *)buf, n, &ack), 0);
	ssns__ack_text(&ack, nlmsg_hdr(m), text, sizeof(text));
	ck_assert_str_eq(text, "invalid attribute VNI");

	/* no TLVs at all */
	n = craft_error(buf, -EPERM, true, nlmsg_hdr(m), NULL, -1, -1);
	ck_assert_int_eq(ssns__parse_ack((void *)buf, n, &ack), 0);
	ck_assert_int_eq(ack.error, -EPERM);
	ck_assert(!ack.has_msg && !ack.has_offs && !ack.has_miss_type);
	ssns__ack_text(&ack, nlmsg_hdr(m), text, sizeof(text));
	ck_assert_str_eq(text, "");

	/* a success ack */
	n = craft_error(buf, 0, true, nlmsg_hdr(m), NULL, -1, -1);
	ck_assert_int_eq(ssns__parse_ack((void *)buf, n, &ack), 0);
	ck_assert_int_eq(ack.error, 0);

	nlmsg_free(m);
}
END_TEST

START_TEST(test_extack_malformed)
{
	struct nlmsghdr req = { .nlmsg_len = NLMSG_HDRLEN, .nlmsg_type = 1 };
	unsigned char buf[1024];
	struct ssns__ack ack;
	struct nlattr *a;
	size_t n;

	n = craft_error(buf, -EINVAL, true, &req, "hello", -1, -1);
	/* truncated: the header says more than we have */
	ck_assert_int_eq(ssns__parse_ack((void *)buf, n - 4, &ack), -EPROTO);
	ck_assert_int_eq(ssns__parse_ack((void *)buf, 8, &ack), -EPROTO);

	/* a TLV longer than the message is ignored, not overrun */
	a = (void *)(buf + NLMSG_HDRLEN + sizeof(struct nlmsgerr));
	a->nla_len = 200;
	ck_assert_int_eq(ssns__parse_ack((void *)buf, n, &ack), 0);
	ck_assert_int_eq(ack.error, -EINVAL);
	ck_assert(!ack.has_msg);

	/* a message without NUL inside its TLV is cut at the TLV end */
	n = craft_error(buf, -EINVAL, true, &req, "abcdefg", -1, -1);
	a = (void *)(buf + NLMSG_HDRLEN + sizeof(struct nlmsgerr));
	a->nla_len = NLA_HDRLEN + 3;
	ck_assert_int_eq(ssns__parse_ack((void *)buf, n, &ack), 0);
	ck_assert_str_eq(ack.msg, "abc");

	/* not an ack */
	((struct nlmsghdr *)buf)->nlmsg_type = FAMILY;
	ck_assert_int_eq(ssns__parse_ack((void *)buf, n, &ack), -EPROTO);

	/* uncapped with a bogus inner length */
	n = craft_error(buf, -EINVAL, false, &req, "x", -1, -1);
	((struct nlmsgerr *)(buf + NLMSG_HDRLEN))->msg.nlmsg_len = 3;
	ck_assert_int_eq(ssns__parse_ack((void *)buf, n, &ack), -EPROTO);
}
END_TEST

START_TEST(test_extack_done)
{
	unsigned char buf[256];
	struct nlmsghdr *nlh = (void *)buf;
	struct ssns__ack ack;
	int e = -EMSGSIZE;
	size_t off;

	memset(buf, 0, sizeof(buf));
	nlh->nlmsg_type = NLMSG_DONE;
	nlh->nlmsg_flags = NLM_F_MULTI | NLM_F_ACK_TLVS;
	memcpy(buf + NLMSG_HDRLEN, &e, sizeof(e));
	off = put_tlv(buf, NLMSG_HDRLEN + 4, NLMSGERR_ATTR_MSG,
		      "dump failed\n", 13);
	nlh->nlmsg_len = (uint32_t)off;
	ck_assert_int_eq(ssns__parse_ack(nlh, off, &ack), 0);
	ck_assert_int_eq(ack.error, -EMSGSIZE);
	ck_assert_str_eq(ack.msg, "dump failed");	/* newline dropped */

	/* a plain, successful end of dump */
	e = 0;
	memcpy(buf + NLMSG_HDRLEN, &e, sizeof(e));
	nlh->nlmsg_flags = NLM_F_MULTI;
	nlh->nlmsg_len = NLMSG_HDRLEN + 4;
	ck_assert_int_eq(ssns__parse_ack(nlh, nlh->nlmsg_len, &ack), 0);
	ck_assert_int_eq(ack.error, 0);
	ck_assert(!ack.has_msg);
}
END_TEST

/* ------------------------------------------------------- reply parsing */

static struct nl_msg *reply(uint8_t cmd)
{
	struct nl_msg *m = nlmsg_alloc();

	ck_assert_ptr_nonnull(m);
	ck_assert_ptr_nonnull(genlmsg_put(m, 0, 0, FAMILY, 0, 0, cmd, 1));
	return m;
}

static void attrs_of(struct nl_msg *m, struct nlattr **tb)
{
	ck_assert_int_eq(ssns__parse_attrs(nlmsg_hdr(m), tb), 0);
}

START_TEST(test_parse_dev)
{
	struct nl_msg *m = reply(SSNS_CMD_DEV_GET);
	struct nlattr *tb[SSNS_ATTR_MAX + 1], *st;
	struct ssns_dev d;

	nla_put_u32(m, SSNS_ATTR_DEV_INDEX, 3);
	nla_put_string(m, SSNS_ATTR_DEV_NAME, "cxi3");
	nla_put_string(m, SSNS_ATTR_DEV_PROVIDER, "ssns_sim");
	nla_put_u64(m, SSNS_ATTR_NETNS_COOKIE, 4097);
	nla_put_u8(m, SSNS_ATTR_SYS_CGROUP_ACCT, 1);
	nla_put_string(m, SSNS_ATTR_DEV_CHARDEV, "/dev/cxi3");
	nla_put_s32(m, SSNS_ATTR_NETNS_ID, -1);
	st = nla_nest_start(m, SSNS_ATTR_STATS);
	nla_put_u64(m, SSNS_STAT_EP_ALLOC, 9);
	nla_put_u64(m, SSNS_STAT_DROPS, 1);
	nla_put_u64(m, SSNS_STAT_MAX + 5, 77);	/* from a newer kernel */
	nla_nest_end(m, st);

	attrs_of(m, tb);
	ck_assert_int_eq(ssns__parse_dev(tb, &d), 0);
	ck_assert_uint_eq(d.index, 3);
	ck_assert_str_eq(d.name, "cxi3");
	ck_assert_str_eq(d.provider, "ssns_sim");
	ck_assert_str_eq(d.chardev, "/dev/cxi3");
	ck_assert(d.has_netns_cookie);
	ck_assert_uint_eq(d.netns_cookie, 4097);
	ck_assert(d.has_netns_id);
	ck_assert_int_eq(d.netns_id, -1);
	ck_assert(d.cgroup_acct);
	ck_assert(d.stats.present);
	ck_assert_uint_eq(d.stats.v[SSNS_STAT_EP_ALLOC], 9);
	ck_assert_uint_eq(d.stats.v[SSNS_STAT_DROPS], 1);
	ck_assert_uint_eq(d.stats.v[SSNS_STAT_CTX_OPEN], 0);
	nlmsg_free(m);

	/* a device without a name is malformed */
	m = reply(SSNS_CMD_DEV_GET);
	nla_put_u32(m, SSNS_ATTR_DEV_INDEX, 3);
	attrs_of(m, tb);
	ck_assert_int_eq(ssns__parse_dev(tb, &d), -EPROTO);
	nlmsg_free(m);

	/* a counter of the wrong size */
	m = reply(SSNS_CMD_DEV_GET);
	nla_put_string(m, SSNS_ATTR_DEV_NAME, "cxi0");
	st = nla_nest_start(m, SSNS_ATTR_STATS);
	nla_put_u32(m, SSNS_STAT_EP_ALLOC, 9);
	nla_nest_end(m, st);
	attrs_of(m, tb);
	ck_assert_int_eq(ssns__parse_dev(tb, &d), -EPROTO);
	nlmsg_free(m);

	/* an attribute of the wrong type fails the whole message */
	m = reply(SSNS_CMD_DEV_GET);
	nla_put_u8(m, SSNS_ATTR_DEV_INDEX, 1);
	ck_assert_int_eq(ssns__parse_attrs(nlmsg_hdr(m), tb), -EPROTO);
	nlmsg_free(m);
}
END_TEST

START_TEST(test_parse_tenant)
{
	struct nl_msg *m = reply(SSNS_CMD_TENANT_GET);
	struct nlattr *tb[SSNS_ATTR_MAX + 1], *n1, *n2;
	struct ssns_tenant t;

	nla_put_string(m, SSNS_ATTR_TENANT_NAME, "alice");
	n1 = nla_nest_start(m, SSNS_ATTR_VNI_RANGES);
	n2 = nla_nest_start(m, SSNS_ATTR_VNI_RANGE);
	nla_put_u32(m, SSNS_ATTR_VNI_FIRST, 100);
	nla_put_u32(m, SSNS_ATTR_VNI_LAST, 199);
	nla_nest_end(m, n2);
	n2 = nla_nest_start(m, SSNS_ATTR_VNI_RANGE);
	nla_put_u32(m, SSNS_ATTR_VNI_FIRST, 300);	/* LAST omitted */
	nla_nest_end(m, n2);
	nla_nest_end(m, n1);
	n1 = nla_nest_start(m, SSNS_ATTR_MEMBERS);
	n2 = nla_nest_start(m, SSNS_ATTR_MEMBER);
	nla_put_u64(m, SSNS_ATTR_NETNS_COOKIE, 4097);
	nla_put_s32(m, SSNS_ATTR_NETNS_ID, 2);
	nla_nest_end(m, n2);
	n2 = nla_nest_start(m, SSNS_ATTR_MEMBER);
	nla_put_u64(m, SSNS_ATTR_CGROUP_ID, 555);
	nla_put_string(m, SSNS_ATTR_CGROUP_PATH, "/kubepods/pod1");
	nla_nest_end(m, n2);
	n2 = nla_nest_start(m, SSNS_ATTR_MEMBER);	/* unknown kind */
	nla_put_u32(m, SSNS_ATTR_VNI, 1);
	nla_nest_end(m, n2);
	nla_nest_end(m, n1);

	attrs_of(m, tb);
	ck_assert_int_eq(ssns__parse_tenant(tb, &t), 0);
	ck_assert_str_eq(t.name, "alice");
	ck_assert_uint_eq(t.nranges, 2);
	ck_assert_uint_eq(t.ranges[0].first, 100);
	ck_assert_uint_eq(t.ranges[0].last, 199);
	ck_assert_uint_eq(t.ranges[1].first, 300);
	ck_assert_uint_eq(t.ranges[1].last, 300);
	ck_assert_uint_eq(t.nmembers, 2);
	ck_assert_int_eq(t.members[0].type, SSNS_MEMBER_NETNS);
	ck_assert_uint_eq(t.members[0].netns_cookie, 4097);
	ck_assert(t.members[0].has_netns_id);
	ck_assert_int_eq(t.members[0].netns_id, 2);
	ck_assert_int_eq(t.members[1].type, SSNS_MEMBER_CGROUP);
	ck_assert_uint_eq(t.members[1].cgroup_id, 555);
	ck_assert_str_eq(t.members[1].cgroup_path, "/kubepods/pod1");
	ck_assert(!t.stats.present);
	ssns__tenant_clear(&t);
	ck_assert_ptr_null(t.ranges);
	nlmsg_free(m);

	/* a range without FIRST is malformed and nothing leaks */
	m = reply(SSNS_CMD_TENANT_GET);
	nla_put_string(m, SSNS_ATTR_TENANT_NAME, "bob");
	n1 = nla_nest_start(m, SSNS_ATTR_VNI_RANGES);
	n2 = nla_nest_start(m, SSNS_ATTR_VNI_RANGE);
	nla_put_u32(m, SSNS_ATTR_VNI_FIRST, 1);
	nla_nest_end(m, n2);
	n2 = nla_nest_start(m, SSNS_ATTR_VNI_RANGE);
	nla_put_u32(m, SSNS_ATTR_VNI_LAST, 5);
	nla_nest_end(m, n2);
	nla_nest_end(m, n1);
	attrs_of(m, tb);
	ck_assert_int_eq(ssns__parse_tenant(tb, &t), -EPROTO);
	ck_assert_ptr_null(t.ranges);
	nlmsg_free(m);
}
END_TEST

START_TEST(test_parse_profile_ep)
{
	struct nlattr *tb[SSNS_ATTR_MAX + 1];
	struct ssns_profile p;
	struct ssns_ep e;
	struct nl_msg *m;

	m = reply(SSNS_CMD_PROFILE_GET);
	nla_put_u32(m, SSNS_ATTR_DEV_INDEX, 0);
	nla_put_string(m, SSNS_ATTR_DEV_NAME, "cxi0");
	nla_put_u32(m, SSNS_ATTR_VNI, 100);
	nla_put_u8(m, SSNS_ATTR_TC, SSNS_TC_BULK_DATA);
	nla_put_string(m, SSNS_ATTR_TENANT_NAME, "alice");
	attrs_of(m, tb);
	ck_assert_int_eq(ssns__parse_profile(tb, &p), 0);
	ck_assert_str_eq(p.dev_name, "cxi0");
	ck_assert_uint_eq(p.vni, 100);
	ck_assert_uint_eq(p.tc, SSNS_TC_BULK_DATA);
	ck_assert_str_eq(p.tenant, "alice");
	nlmsg_free(m);

	m = reply(SSNS_CMD_PROFILE_GET);
	nla_put_string(m, SSNS_ATTR_DEV_NAME, "cxi0");
	nla_put_u32(m, SSNS_ATTR_VNI, 100);
	attrs_of(m, tb);
	ck_assert_int_eq(ssns__parse_profile(tb, &p), -EPROTO);	/* no TC */
	nlmsg_free(m);

	m = reply(SSNS_CMD_EP_GET);
	nla_put_string(m, SSNS_ATTR_DEV_NAME, "cxi1");
	nla_put_u32(m, SSNS_ATTR_VNI, 7);
	nla_put_u8(m, SSNS_ATTR_TC, SSNS_TC_LOW_LATENCY);
	nla_put_u32(m, SSNS_ATTR_EP_ADDR, 12);
	nla_put_u32(m, SSNS_ATTR_OWNER_PID, 4242);
	/* a comm longer than our buffer is truncated, still terminated */
	nla_put_string(m, SSNS_ATTR_OWNER_COMM,
		       "a-very-long-command-name-of-more-than-32");
	nla_put_u64(m, SSNS_ATTR_NETNS_COOKIE, 4100);
	attrs_of(m, tb);
	ck_assert_int_eq(ssns__parse_ep(tb, &e), 0);
	ck_assert_str_eq(e.dev_name, "cxi1");
	ck_assert_uint_eq(e.addr, 12);
	ck_assert_uint_eq(e.owner_pid, 4242);
	ck_assert_uint_eq(strlen(e.owner_comm), sizeof(e.owner_comm) - 1);
	ck_assert(e.has_netns_cookie);
	ck_assert_str_eq(e.tenant, "");
	nlmsg_free(m);
}
END_TEST

START_TEST(test_parse_event)
{
	struct nlattr *tb[SSNS_ATTR_MAX + 1], *n1, *n2;
	struct ssns_event ev;
	struct nl_msg *m;

	m = reply(SSNS_CMD_EP_DENIED);
	nla_put_u32(m, SSNS_ATTR_DEV_INDEX, 0);
	nla_put_string(m, SSNS_ATTR_DEV_NAME, "cxi0");
	nla_put_u32(m, SSNS_ATTR_VNI, 200);
	nla_put_u8(m, SSNS_ATTR_TC, 1);
	nla_put_u32(m, SSNS_ATTR_REASON, SSNS_DENY_TENANT);
	nla_put_u32(m, SSNS_ATTR_ERRNO, EACCES);
	nla_put_string(m, SSNS_ATTR_OWNER_COMM, "evil");
	attrs_of(m, tb);
	ck_assert_int_eq(ssns__parse_event(SSNS_CMD_EP_DENIED, tb, &ev), 0);
	ck_assert_int_eq(ev.cmd, SSNS_CMD_EP_DENIED);
	ck_assert(ssns_event_has(&ev, SSNS_ATTR_VNI));
	ck_assert(ssns_event_has(&ev, SSNS_ATTR_REASON));
	ck_assert(!ssns_event_has(&ev, SSNS_ATTR_TENANT_NAME));
	ck_assert(!ssns_event_has(&ev, SSNS_ATTR_EP_ADDR));
	ck_assert(!ssns_event_has(&ev, 200));
	ck_assert_uint_eq(ev.vni, 200);
	ck_assert_uint_eq(ev.reason, SSNS_DENY_TENANT);
	ck_assert_uint_eq(ev.err, EACCES);
	ck_assert_str_eq(ev.owner_comm, "evil");
	ssns__event_clear(&ev);
	nlmsg_free(m);

	/* a tenant change with ranges and a member nest */
	m = reply(SSNS_CMD_TENANT_SET);
	nla_put_string(m, SSNS_ATTR_TENANT_NAME, "alice");
	nla_put_u8(m, SSNS_ATTR_OP, SSNS_OP_DEL);
	n1 = nla_nest_start(m, SSNS_ATTR_VNI_RANGES);
	n2 = nla_nest_start(m, SSNS_ATTR_VNI_RANGE);
	nla_put_u32(m, SSNS_ATTR_VNI_FIRST, 5);
	nla_put_u32(m, SSNS_ATTR_VNI_LAST, 6);
	nla_nest_end(m, n2);
	nla_nest_end(m, n1);
	n1 = nla_nest_start(m, SSNS_ATTR_MEMBER);
	nla_put_u64(m, SSNS_ATTR_NETNS_COOKIE, 4097);
	nla_nest_end(m, n1);
	n1 = nla_nest_start(m, SSNS_ATTR_MEMBERS);
	n2 = nla_nest_start(m, SSNS_ATTR_MEMBER);
	nla_put_u64(m, SSNS_ATTR_NETNS_COOKIE, 5000);
	nla_nest_end(m, n2);
	n2 = nla_nest_start(m, SSNS_ATTR_MEMBER);
	nla_put_string(m, SSNS_ATTR_CGROUP_PATH, "/pods/x");
	nla_nest_end(m, n2);
	nla_nest_end(m, n1);
	attrs_of(m, tb);
	ck_assert_int_eq(ssns__parse_event(SSNS_CMD_TENANT_SET, tb, &ev), 0);
	ck_assert_uint_eq(ev.nmembers, 2);
	ck_assert_uint_eq(ev.members[0].netns_cookie, 5000);
	ck_assert_str_eq(ev.members[1].cgroup_path, "/pods/x");
	ck_assert_uint_eq(ev.op, SSNS_OP_DEL);
	ck_assert_uint_eq(ev.nranges, 1);
	ck_assert_uint_eq(ev.ranges[0].last, 6);
	ck_assert(ssns_event_has(&ev, SSNS_ATTR_NETNS_COOKIE));
	ck_assert_uint_eq(ev.netns_cookie, 4097);
	ssns__event_clear(&ev);
	ck_assert_ptr_null(ev.ranges);
	nlmsg_free(m);
}
END_TEST

/* Appends a copy of m to buf at *off. */
static void append(unsigned char *buf, size_t *off, struct nl_msg *m)
{
	struct nlmsghdr *nlh = nlmsg_hdr(m);

	memcpy(buf + *off, nlh, nlh->nlmsg_len);
	*off += NLMSG_ALIGN(nlh->nlmsg_len);
	nlmsg_free(m);
}

struct seen {
	int n;
	uint8_t cmd[8];
	char dev[8][SSNS_NAME_MAX];
	int stop_at;
};

static int on_ev(const struct ssns_event *ev, void *arg)
{
	struct seen *s = arg;

	s->cmd[s->n] = ev->cmd;
	strcpy(s->dev[s->n], ev->dev_name);
	s->n++;
	return s->n == s->stop_at ? 42 : 0;
}

START_TEST(test_dispatch)
{
	struct ssns_handle *h = ssns_new();
	unsigned char buf[4096];
	struct nlmsghdr noop = { .nlmsg_len = NLMSG_HDRLEN,
				 .nlmsg_type = NLMSG_NOOP };
	struct seen s = { 0 };
	struct nl_msg *m;
	size_t off = 0;

	h->family = FAMILY;
	m = reply(SSNS_CMD_DEV_NEW);
	nla_put_string(m, SSNS_ATTR_DEV_NAME, "cxi0");
	append(buf, &off, m);
	memcpy(buf + off, &noop, sizeof(noop));	/* skipped */
	off += NLMSG_HDRLEN;
	m = nlmsg_alloc();			/* another family: skipped */
	genlmsg_put(m, 0, 0, FAMILY + 1, 0, 0, SSNS_CMD_DEV_DEL, 1);
	append(buf, &off, m);
	m = reply(SSNS_CMD_DEV_SET);
	nla_put_string(m, SSNS_ATTR_DEV_NAME, "cxi1");
	nla_put_u64(m, SSNS_ATTR_NETNS_COOKIE, 9);
	append(buf, &off, m);
	m = reply(SSNS_CMD_SYS_SET);
	nla_put_u8(m, SSNS_ATTR_SYS_NETNS_MODE, 1);
	append(buf, &off, m);

	ck_assert_int_eq(ssns__dispatch_buf(h, buf, off, on_ev, &s), 0);
	ck_assert_int_eq(s.n, 3);
	ck_assert_int_eq(s.cmd[0], SSNS_CMD_DEV_NEW);
	ck_assert_str_eq(s.dev[0], "cxi0");
	ck_assert_int_eq(s.cmd[1], SSNS_CMD_DEV_SET);
	ck_assert_str_eq(s.dev[1], "cxi1");
	ck_assert_int_eq(s.cmd[2], SSNS_CMD_SYS_SET);

	/* a non-zero return stops at once and is passed up */
	memset(&s, 0, sizeof(s));
	s.stop_at = 2;
	ck_assert_int_eq(ssns__dispatch_buf(h, buf, off, on_ev, &s), 42);
	ck_assert_int_eq(s.n, 2);

	/* a truncated datagram yields what is whole, and nothing more */
	memset(&s, 0, sizeof(s));
	ck_assert_int_eq(ssns__dispatch_buf(h, buf, off - 4, on_ev, &s), 0);
	ck_assert_int_eq(s.n, 2);
	ssns_free(h);
}
END_TEST

/* ---------------------------------------------- handle without a kernel */

START_TEST(test_handle_local_errors)
{
	struct ssns_handle *h = ssns_new();
	struct ssns_dev_list *l = (void *)1;
	struct ssns_vni_range r = { 1, 2 };

	ck_assert_ptr_nonnull(h);
	ck_assert_str_eq(ssns_errmsg(h), "");
	ck_assert_int_eq(ssns_errno(h), 0);
	ck_assert_str_eq(ssns_errmsg(NULL), "");

	/* not connected */
	ck_assert_int_eq(ssns_dev_list(h, &l), -ENOTCONN);
	ck_assert_ptr_null(l);
	ck_assert_int_eq(ssns_errno(h), -ENOTCONN);
	ck_assert_str_eq(ssns_errmsg(h), "not connected");
	ck_assert_int_eq(ssns_event_fd(h), -1);
	ck_assert_int_eq(ssns_event_subscribe(h), -ENOTCONN);

	/* argument checks come before any kernel contact */
	ck_assert_int_eq(ssns_dev_move_path(h, "cxi0", "/nonexistent/ns"),
			 -ENOENT);
	ck_assert_ptr_nonnull(strstr(ssns_errmsg(h), "/nonexistent/ns"));
	ck_assert_int_eq(ssns_tenant_cgroup_path(h, "t", "/proc/self/status",
						 SSNS_OP_ADD), -ENOTDIR);
	ck_assert_int_eq(ssns_tenant_vni(h, "t", &r, 0, SSNS_OP_ADD),
			 -EINVAL);
	ck_assert_int_eq(ssns_tenant_vni(h, "t", &r, 1, 7), -EINVAL);
	ck_assert_int_eq(ssns_dev_move_fd(h, "cxi0", -1), -EBADF);
	ck_assert_int_eq(ssns_dev_move_pid(h, "cxi0", 0), -ESRCH);
	ck_assert_int_eq(ssns_tenant_add(h, NULL, NULL, 0), -EINVAL);
	ssns_free(h);
	ssns_free(NULL);
}
END_TEST

START_TEST(test_handle_no_module)
{
	struct ssns_handle *h = ssns_new();
	int rc;

	ck_assert_ptr_nonnull(h);
	rc = ssns_connect(h);
	if (rc == 0) {
		/* the module is loaded here: nothing to check */
		ssns_free(h);
		return;
	}
	ck_assert_int_eq(rc, -ENOENT);
	ck_assert_ptr_nonnull(strstr(ssns_errmsg(h), "\"ssns\" not found"));
	ssns_free(h);
}
END_TEST

Suite *lib_suite(void)
{
	Suite *s = suite_create("libssns");
	TCase *tc = tcase_create("offline");

	tcase_add_test(tc, test_names);
	tcase_add_test(tc, test_build_tenant_set_vni);
	tcase_add_test(tc, test_build_misc);
	tcase_add_test(tc, test_build_errors);
	tcase_add_test(tc, test_extack);
	tcase_add_test(tc, test_extack_malformed);
	tcase_add_test(tc, test_extack_done);
	tcase_add_test(tc, test_parse_dev);
	tcase_add_test(tc, test_parse_tenant);
	tcase_add_test(tc, test_parse_profile_ep);
	tcase_add_test(tc, test_parse_event);
	tcase_add_test(tc, test_dispatch);
	tcase_add_test(tc, test_handle_local_errors);
	tcase_add_test(tc, test_handle_no_module);
	suite_add_tcase(s, tc);
	return s;
}
