// SPDX-License-Identifier: GPL-2.0
/*
 * nlfuzz: a bounded, reproducible fuzzer of the generic netlink family
 * "ssns".
 *
 *   nlfuzz [-s SEED] [-n COUNT] [-t SECONDS] [-u UID]
 *
 *   -s SEED  seed of the campaign (default: from the clock); printed first
 *   -n N     iterations (default 1000)
 *   -t SECS  stop after SECS seconds even if COUNT is not reached
 *   -u UID   drop to UID/GID before opening anything: every change must
 *            then be refused
 *
 * Iteration I builds its request(s) from a generator seeded with (SEED, I)
 * only, never from a kernel reply, so "nlfuzz -s SEED -n I+1" replays a
 * failing run up to the failing iteration. Each iteration is one of:
 * a plausible request, a request with boundary values of the policies,
 * random attribute sets, a mutated request (bit flips, truncations, bad
 * nlmsg_len, bad nests), a header oddity (unknown command, version or
 * family), a batch of requests in one datagram, or a dump read partway
 * and then abandoned or overlapped by another request.
 *
 * Every answer is checked: one ack (NLMSG_ERROR) or NLMSG_DONE per request
 * the kernel parses, no reply for a request it must drop, errors in
 * -4095..0, well-formed extack TLVs with a NUL-terminated message. The
 * family's table (abi/ssns_nl_abi.c, from docs/netlink.md) is the oracle:
 * each request's bytes give the outcomes it allows (the errno of the first
 * bad attribute, EPERM for a change by a caller that is not a node admin
 * (-u, or a user namespace), and where the state decides, the command's
 * documented errors), and the ack must be one of them; replies and
 * notifications (MONITOR, group "monitor") must carry the attributes the
 * table gives their command, of the right sizes and ranges.
 *
 * Prints counts per command and per errno at the end, and how many acks
 * had one outcome allowed. Exit status: 0 when everything was as the ABI
 * says, 1 on any violation, 2 on a setup error.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/ssns.h>
#include <libssns.h>

#include "ssns_nl_abi.h"

#define REQ_MAX		(48 * 1024)
#define RX_MAX		(256 * 1024)
#define MAX_PEND	16
#define REPLY_MS	60000	/* debug kernels under emulation are slow */
#define MAX_REPORTS	20
#define CG_ROOT		"/sys/fs/cgroup"

static unsigned long long seed;
static unsigned int iter;
static uint16_t family_id;
static uint32_t mcgrp_id;
static uint32_t self_pid;
static int nsfd = -1, cgfd = -1;
static bool unpriv;
static struct nl_caller caller;	/* who the ABI table judges for */
static unsigned int violations;

/* ---- statistics ---- */

static unsigned long nr_requests, nr_ok, nr_err, nr_dropped, nr_dumps;
static unsigned long nr_data, nr_notif, nr_notif_lost, nr_abandoned;
static unsigned long nr_exact, nr_set, nr_other;	/* how acks were judged */
static bool subscribed;	/* a MONITOR succeeded on the request socket */
static void check_notification(const struct nlmsghdr *nlh);
static unsigned long cmd_sent[256], cmd_ok[256];
static unsigned long errno_hist[4096];
static unsigned long strat_count[8];

static const char *const strat_names[] = {
	"valid", "boundary", "random", "mutate", "header", "batch", "dump",
};

/* ---- deterministic generator (splitmix64) ---- */

static uint64_t rng;

static uint64_t rnd(void)
{
	uint64_t z = (rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint32_t rn(uint32_t n)
{
	return n ? (uint32_t)(rnd() % n) : 0;
}

static bool chance(unsigned int pct)
{
	return rn(100) < pct;
}

static void rnd_bytes(void *p, size_t n)
{
	unsigned char *b = p;
	size_t i;

	for (i = 0; i < n; i++)
		b[i] = (unsigned char)rnd();
}

#define PICK(a)	((a)[rn(ARRAY_SIZE(a))])

/* ---- violations ---- */

static const unsigned char *cur_req;
static size_t cur_len;

static void violation(const char *fmt, ...)
{
	va_list ap;
	size_t i;

	violations++;
	if (violations > MAX_REPORTS)
		return;
	printf("nlfuzz: VIOLATION seed=%llu iter=%u: ", seed, iter);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (cur_req) {
		printf("nlfuzz:   request (%zu bytes):", cur_len);
		for (i = 0; i < cur_len && i < 128; i++)
			printf("%s%02x", i % 32 ? "" : "\nnlfuzz:   ", cur_req[i]);
		printf("%s\n", cur_len > 128 ? " ..." : "");
	}
	printf("nlfuzz:   replay: nlfuzz -s %llu -n %u\n", seed, iter + 1);
	fflush(stdout);
}

/* ---- request building ---- */

struct req {
	unsigned char buf[REQ_MAX] __attribute__((aligned(8)));
	size_t len;
	size_t msg;		/* offset of the message being built */
};

static void *req_put(struct req *r, const void *p, size_t n)
{
	unsigned char *d;

	if (r->len + n > sizeof(r->buf) - 256)
		return NULL;	/* full: attributes are dropped */
	d = r->buf + r->len;
	if (p)
		memcpy(d, p, n);
	else
		memset(d, 0, n);
	r->len += n;
	return d;
}

static void req_align(struct req *r)
{
	size_t pad = NLA_ALIGN(r->len) - r->len;

	if (pad)
		req_put(r, NULL, pad);
}

static struct nlmsghdr *msg_hdr(struct req *r)
{
	return (struct nlmsghdr *)(r->buf + r->msg);
}

static uint32_t next_seq;

static void msg_start(struct req *r, uint16_t type, uint16_t flags,
		      uint8_t cmd, uint8_t version)
{
	struct nlmsghdr nlh = {
		.nlmsg_type = type,
		.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags,
		.nlmsg_seq = ++next_seq,
	};
	struct genlmsghdr g = { .cmd = cmd, .version = version };

	req_align(r);
	r->msg = r->len;
	req_put(r, &nlh, sizeof(nlh));
	req_put(r, &g, sizeof(g));
}

static void msg_end(struct req *r)
{
	msg_hdr(r)->nlmsg_len = (uint32_t)(r->len - r->msg);
}

static size_t nest_start(struct req *r, uint16_t type)
{
	struct nlattr a = { .nla_type = type };
	size_t off = r->len;

	if (!req_put(r, &a, sizeof(a)))
		return (size_t)-1;
	return off;
}

static void nest_end(struct req *r, size_t off)
{
	struct nlattr *a;

	if (off == (size_t)-1)
		return;
	a = (struct nlattr *)(r->buf + off);
	a->nla_len = (uint16_t)(r->len - off);
}

static void attr_put(struct req *r, uint16_t type, const void *p, size_t n)
{
	size_t off = r->len;

	if (r->len + NLA_HDRLEN + n > sizeof(r->buf) - 256)
		return;
	off = nest_start(r, type);
	req_put(r, p, n);
	nest_end(r, off);
	req_align(r);
}

/* ---- values: plausible ones and policy boundaries ---- */

static const uint8_t u8_bad[] = { 0, 1, 2, 3, 4, 5, 0x7f, 0x80, 0xff };
static const uint32_t u32_bad[] = {
	0, 1, 2, 3, 4095, 4096, 65535, 65536, 0x7fffffff, 0x80000000,
	0xfffffffe, 0xffffffff,
};
static const uint64_t u64_bad[] = {
	0, 1, 2, 0xffffffffULL, 0x100000000ULL, 0x7fffffffffffffffULL,
	0x8000000000000000ULL, ~0ULL,
};
static const uint32_t vni_good[] = { 100, 101, 102, 150, 200, 201, 300, 1000 };
static const uint32_t vni_bad[] = {
	0, 1, 2, 65534, 65535, 65536, 65537, 0x7fffffff, 0xffffffff,
};
static uint32_t fd_pool[6];
static uint32_t pid_pool[6];

static const char *const dev_names[] = { "cxi0", "cxi1", "cxi2" };
static const char *const tenant_names[] = { "fz0", "fz1", "fz2" };
static const char *const cg_paths[] = {
	"ssns-fz", "ssns-fz/a", "ssns-fz/b", "nosuch",
};
static const char *const odd_strings[] = {
	"a/b", "..", ".", " ", "-", "fz 0", "\xff\xfe", "fz0\n", "/ssns-fz",
	"../..", "ssns-fz/../..", "//", "ssns-fz/", "cxi0 ",
};

/* u8/u32/u64 of @size bytes; in bad mode maybe the wrong size or flags. */
static void put_num(struct req *r, uint16_t type, size_t size, uint64_t v,
		    bool bad)
{
	static const size_t sizes[] = { 0, 1, 2, 3, 4, 5, 7, 8, 9, 16 };
	unsigned char b[16];
	size_t n = size;

	if (bad && chance(15))
		n = PICK(sizes);
	if (bad && chance(5))
		type |= NLA_F_NESTED;
	else if (bad && chance(3))
		type |= NLA_F_NET_BYTEORDER;
	rnd_bytes(b, sizeof(b));
	memcpy(b, &v, n < sizeof(v) ? n : sizeof(v));
	attr_put(r, type, b, n);
}

/* A string attribute: @good, or in bad mode a boundary of NLA_NUL_STRING. */
static void put_str(struct req *r, uint16_t type, const char *good,
		    size_t max, bool bad)
{
	static char s[SSNS_CGROUP_PATH_MAX + 64];
	size_t n, i;

	if (!bad) {
		attr_put(r, type, good, strlen(good) + 1);
		return;
	}
	switch (rn(10)) {
	case 0:		/* empty */
		attr_put(r, type, "", 1);
		return;
	case 1:		/* no payload at all */
		attr_put(r, type, NULL, 0);
		return;
	case 2:		/* at the maximum length, max - 1, max + 1, max + 2 */
		n = max + rn(4) - 1;
		for (i = 0; i < n; i++)
			s[i] = (char)('a' + i % 26);
		s[n] = '\0';
		attr_put(r, type, s, n + 1);
		return;
	case 3:		/* without its NUL */
		attr_put(r, type, good, strlen(good));
		return;
	case 4:		/* maximum length without NUL */
		memset(s, 'x', max + 1);
		attr_put(r, type, s, max + rn(2));
		return;
	case 5:		/* an embedded NUL and trailing bytes */
		n = strlen(good) + 1;
		memcpy(s, good, n);
		memcpy(s + n, "junk", 5);
		attr_put(r, type, s, n + 5);
		return;
	case 6:
		good = PICK(odd_strings);
		attr_put(r, type, good, strlen(good) + 1);
		return;
	case 7:		/* random bytes, NUL-terminated */
		n = rn(40);
		rnd_bytes(s, n);
		s[n] = '\0';
		attr_put(r, type, s, n + 1);
		return;
	default:
		attr_put(r, type, good, strlen(good) + 1);
	}
}

static void put_attr(struct req *r, uint16_t type, bool bad);
static void put_random_attr(struct req *r, int depth);

static const uint16_t member_types[] = {
	SSNS_ATTR_NETNS_FD, SSNS_ATTR_NETNS_PID, SSNS_ATTR_NETNS_COOKIE,
	SSNS_ATTR_CGROUP_PATH, SSNS_ATTR_CGROUP_FD, SSNS_ATTR_CGROUP_ID,
};

static void put_ranges(struct req *r, bool bad)
{
	size_t o, ro;
	unsigned int i, n = 1 + rn(bad ? 5 : 3);
	uint32_t first, last;

	o = nest_start(r, SSNS_ATTR_VNI_RANGES |
		       (bad && chance(10) ? 0 : NLA_F_NESTED));
	if (bad && chance(5))
		n = 0;
	for (i = 0; i < n; i++) {
		if (bad && chance(8)) {
			put_random_attr(r, 2);
			continue;
		}
		ro = nest_start(r, SSNS_ATTR_VNI_RANGE |
				(bad && chance(8) ? 0 : NLA_F_NESTED));
		if (bad && chance(40)) {
			first = PICK(vni_bad);
			last = chance(50) ? PICK(vni_bad) : first + rn(3);
		} else {
			/* 2000..2015: VNIs profiles rarely name */
			first = chance(50) ? PICK(vni_good) : 2000 + rn(16);
			last = first + rn(4);
		}
		if (chance(2)) {	/* every VNI */
			first = SSNS_VNI_MIN;
			last = SSNS_VNI_MAX;
		}
		if (!(bad && chance(10)))
			put_num(r, SSNS_ATTR_VNI_FIRST, 4, first, bad && chance(20));
		if (chance(60) || last != first)
			put_num(r, SSNS_ATTR_VNI_LAST, 4, last, bad && chance(20));
		if (bad && chance(8))
			put_random_attr(r, 2);
		nest_end(r, ro);
	}
	nest_end(r, o);
}

static void put_member(struct req *r, bool bad)
{
	size_t o = nest_start(r, SSNS_ATTR_MEMBER |
			      (bad && chance(8) ? 0 : NLA_F_NESTED));
	unsigned int i, n = 1;

	if (bad && chance(20))
		n = rn(3);
	for (i = 0; i < n; i++)
		put_attr(r, PICK(member_types), bad);
	if (bad && chance(5))
		put_random_attr(r, 2);
	nest_end(r, o);
}

static void put_members(struct req *r, bool bad)
{
	size_t o = nest_start(r, SSNS_ATTR_MEMBERS |
			      (bad && chance(8) ? 0 : NLA_F_NESTED));
	unsigned int i, n = 1 + rn(3);

	for (i = 0; i < n; i++) {
		if (bad && chance(5))
			put_random_attr(r, 2);
		else
			put_member(r, bad);
	}
	nest_end(r, o);
}

static void put_dev(struct req *r, bool bad);

/* A tenant's bandwidth: one scope (the tenant, a device, a member). */
static void put_bw(struct req *r, bool bad)
{
	static const uint64_t rates[] = {
		0, 999, 1000, 1000000, 1000000000ULL, 1000000000000000ULL,
		1000000000000001ULL,
	};
	size_t o = nest_start(r, SSNS_ATTR_BW |
			      (bad && chance(8) ? 0 : NLA_F_NESTED));

	if (chance(30))
		put_dev(r, bad);
	else if (chance(30))
		put_attr(r, PICK(member_types), bad);
	if (chance(60))
		put_num(r, SSNS_ATTR_BW_SHARE, 4, bad && chance(30) ?
			PICK(u32_bad) : 1 + rn(8), bad && chance(20));
	if (chance(60))
		put_num(r, SSNS_ATTR_BW_MAX, 8, bad && chance(30) ?
			PICK(u64_bad) : PICK(rates), bad && chance(20));
	if (chance(10))
		attr_put(r, SSNS_ATTR_BW_CLEAR, NULL, 0);
	if (bad && chance(8))
		put_random_attr(r, 2);
	nest_end(r, o);
}

/* One attribute of the policy, plausible or (bad) at a boundary. */
static void put_attr(struct req *r, uint16_t type, bool bad)
{
	bool b = bad && chance(50);

	switch (type) {
	case SSNS_ATTR_SYS_NETNS_MODE:
		put_num(r, type, 1, b ? PICK(u8_bad) : rn(2), b);
		break;
	case SSNS_ATTR_DEV_INDEX:
		put_num(r, type, 4, b ? PICK(u32_bad) : rn(4), b);
		break;
	case SSNS_ATTR_DEV_NAME:
		put_str(r, type, dev_names[rn(8) ? rn(2) : 2], SSNS_NAME_MAX - 1,
			b);
		break;
	case SSNS_ATTR_NETNS_FD:
		put_num(r, type, 4, b ? PICK(fd_pool) : (uint32_t)nsfd, b);
		break;
	case SSNS_ATTR_NETNS_PID:
		put_num(r, type, 4, b ? PICK(pid_pool) :
			(chance(50) ? self_pid : 1), b);
		break;
	case SSNS_ATTR_NETNS_COOKIE:
		put_num(r, type, 8, b ? PICK(u64_bad) : 1 + rn(8), b);
		break;
	case SSNS_ATTR_TENANT_NAME:
		put_str(r, type, PICK(tenant_names), SSNS_NAME_MAX - 1, b);
		break;
	case SSNS_ATTR_VNI_RANGES:
		put_ranges(r, bad);
		break;
	case SSNS_ATTR_MEMBERS:
		put_members(r, bad);
		break;
	case SSNS_ATTR_MEMBER:
		put_member(r, bad);
		break;
	case SSNS_ATTR_CGROUP_PATH:
		put_str(r, type, PICK(cg_paths), SSNS_CGROUP_PATH_MAX - 1, b);
		break;
	case SSNS_ATTR_CGROUP_FD:
		put_num(r, type, 4, b ? PICK(fd_pool) :
			(cgfd >= 0 ? (uint32_t)cgfd : 987), b);
		break;
	case SSNS_ATTR_CGROUP_ID:
		put_num(r, type, 8, b ? PICK(u64_bad) : 1 + rn(64), b);
		break;
	case SSNS_ATTR_OP:
		put_num(r, type, 1, b ? PICK(u8_bad) : rn(2), b);
		break;
	case SSNS_ATTR_VNI:
		put_num(r, type, 4, b ? PICK(vni_bad) : chance(85) ?
			PICK(vni_good) : 2000 + rn(16), b);
		break;
	case SSNS_ATTR_TC:
		put_num(r, type, 1, b ? PICK(u8_bad) : rn(SSNS_TC_MAX + 1), b);
		break;
	case SSNS_ATTR_BW:
		put_bw(r, bad);
		break;
	default:
		put_random_attr(r, 1);
	}
}

/* An attribute of any type, length and content. */
static void put_random_attr(struct req *r, int depth)
{
	static const size_t lens[] = {
		0, 1, 2, 3, 4, 5, 7, 8, 9, 12, 16, 31, 32, 33, 64, 255, 256,
	};
	static unsigned char b[4096];
	uint16_t type;
	size_t n, o;
	unsigned int i, k;

	k = rn(100);
	if (k < 50)
		type = (uint16_t)rn(SSNS_ATTR_MAX + 4);
	else if (k < 80)
		type = (uint16_t)(SSNS_ATTR_SYS_NETNS_MODE + rn(SSNS_ATTR_TC - 1));
	else
		type = (uint16_t)rn(0x4000);
	if (chance(15))
		type |= NLA_F_NESTED;
	else if (chance(5))
		type |= NLA_F_NET_BYTEORDER;
	if (depth < 3 && chance(20)) {
		o = nest_start(r, type);
		k = rn(4);
		for (i = 0; i < k; i++) {
			if (chance(50))
				put_random_attr(r, depth + 1);
			else
				put_attr(r, (uint16_t)(1 + rn(SSNS_ATTR_MAX)), true);
		}
		nest_end(r, o);
		return;
	}
	n = chance(10) ? rn(sizeof(b)) : PICK(lens);
	if (chance(20))
		memset(b, chance(50) ? 0 : 'A', n);
	else
		rnd_bytes(b, n);
	attr_put(r, type, b, n);
}

/* Requests of the family, plausible (bad false) or at the boundaries. */
static const uint8_t dumpable[] = {
	SSNS_CMD_DEV_GET, SSNS_CMD_TENANT_GET, SSNS_CMD_PROFILE_GET,
	SSNS_CMD_EP_GET,
};

static bool need(bool bad)
{
	return !(bad && chance(10));
}

static void put_dev(struct req *r, bool bad)
{
	unsigned int k = rn(5);

	if (k == 0 || k == 4)
		put_attr(r, SSNS_ATTR_DEV_INDEX, bad);
	if (k >= 1)
		put_attr(r, SSNS_ATTR_DEV_NAME, bad);
}

static void put_cmd_attrs(struct req *r, uint8_t cmd, bool dump, bool bad)
{
	unsigned int i, k;

	switch (cmd) {
	case SSNS_CMD_SYS_SET:
		if (need(bad))
			put_attr(r, SSNS_ATTR_SYS_NETNS_MODE, bad);
		break;
	case SSNS_CMD_DEV_GET:
		if (!dump && need(bad))
			put_dev(r, bad);
		break;
	case SSNS_CMD_DEV_SET:
		if (need(bad))
			put_dev(r, bad);
		k = rn(bad ? 4 : 2);
		if (k == 0 || k == 2)
			put_attr(r, SSNS_ATTR_NETNS_FD, bad);
		if (k == 1 || k == 2)
			put_attr(r, SSNS_ATTR_NETNS_PID, bad);
		break;
	case SSNS_CMD_TENANT_GET:
	case SSNS_CMD_TENANT_DEL:
		if (!dump && need(bad))
			put_attr(r, SSNS_ATTR_TENANT_NAME, bad);
		break;
	case SSNS_CMD_TENANT_NEW:
	case SSNS_CMD_TENANT_SET:
		if (need(bad))
			put_attr(r, SSNS_ATTR_TENANT_NAME, bad);
		/* Bandwidth goes alone (a few times not, to see it refused). */
		if (cmd == SSNS_CMD_TENANT_SET && chance(25)) {
			put_attr(r, SSNS_ATTR_BW, bad);
			if (!chance(10))
				break;
		}
		if (cmd == SSNS_CMD_TENANT_SET ? need(bad) : bad && chance(5))
			put_attr(r, SSNS_ATTR_OP, bad);
		if (chance(60))
			put_attr(r, SSNS_ATTR_VNI_RANGES, bad);
		if (chance(25))
			put_attr(r, SSNS_ATTR_MEMBERS, bad);
		else if (chance(20))
			put_attr(r, PICK(member_types), bad);
		break;
	case SSNS_CMD_PROFILE_GET:
	case SSNS_CMD_PROFILE_NEW:
	case SSNS_CMD_PROFILE_DEL:
		if (dump && !bad)
			break;
		if (need(bad))
			put_dev(r, bad);
		if (need(bad))
			put_attr(r, SSNS_ATTR_VNI, bad);
		if (need(bad))
			put_attr(r, SSNS_ATTR_TC, bad);
		break;
	case SSNS_CMD_EP_GET:
		if (chance(20))
			put_dev(r, bad);
		break;
	}
	if (bad && chance(25)) {
		k = 1 + rn(3);
		for (i = 0; i < k; i++)
			put_attr(r, (uint16_t)(1 + rn(SSNS_ATTR_MAX)), true);
	}
	if (bad && chance(10))
		put_random_attr(r, 0);
}

static uint8_t pick_cmd(void)
{
	/*
	 * Every other block of iterations works on tenants and removes
	 * profiles: tenant-less profiles on a VNI keep tenants from taking
	 * it, so without such phases few tenant changes would succeed.
	 */
	static const uint8_t tenant_cmds[] = {
		SSNS_CMD_SYS_GET, SSNS_CMD_DEV_GET, SSNS_CMD_TENANT_GET,
		SSNS_CMD_TENANT_NEW, SSNS_CMD_TENANT_NEW, SSNS_CMD_TENANT_NEW,
		SSNS_CMD_TENANT_SET, SSNS_CMD_TENANT_SET, SSNS_CMD_TENANT_SET,
		SSNS_CMD_TENANT_SET, SSNS_CMD_TENANT_DEL, SSNS_CMD_PROFILE_DEL,
		SSNS_CMD_PROFILE_DEL, SSNS_CMD_PROFILE_DEL, SSNS_CMD_PROFILE_DEL,
		SSNS_CMD_PROFILE_NEW, SSNS_CMD_EP_GET,
	};
	/* Changes a bit more often than reads: they reach deeper code. */
	static const uint8_t cmds[] = {
		SSNS_CMD_SYS_GET, SSNS_CMD_SYS_SET, SSNS_CMD_DEV_GET,
		SSNS_CMD_DEV_SET, SSNS_CMD_TENANT_GET, SSNS_CMD_TENANT_NEW,
		SSNS_CMD_TENANT_NEW, SSNS_CMD_TENANT_DEL, SSNS_CMD_TENANT_SET,
		SSNS_CMD_TENANT_SET, SSNS_CMD_TENANT_SET, SSNS_CMD_PROFILE_GET,
		SSNS_CMD_PROFILE_NEW, SSNS_CMD_PROFILE_NEW, SSNS_CMD_PROFILE_DEL,
		SSNS_CMD_EP_GET, SSNS_CMD_DEV_NEW, SSNS_CMD_DEV_DEL,
		SSNS_CMD_EP_DENIED,
	};

	if ((iter / 256) % 2)
		return PICK(tenant_cmds);
	return PICK(cmds);
}

/* One request of the family: @bad picks boundary values. */
static void build_cmd(struct req *r, uint8_t cmd, bool dump, bool bad)
{
	msg_start(r, family_id, dump ? NLM_F_DUMP : 0, cmd,
		  SSNS_GENL_VERSION);
	put_cmd_attrs(r, cmd, dump, bad);
	msg_end(r);
}

static void build_random(struct req *r)
{
	unsigned int i, n = rn(9);
	uint8_t cmd;

	cmd = chance(85) ? (uint8_t)rn(SSNS_CMD_MAX + 3) : (uint8_t)rnd();
	msg_start(r, family_id, chance(10) ? NLM_F_DUMP : 0, cmd,
		  SSNS_GENL_VERSION);
	for (i = 0; i < n; i++)
		put_random_attr(r, 0);
	msg_end(r);
}

/* Unknown commands and versions, families that do not exist. */
static void build_header(struct req *r)
{
	uint16_t type = family_id;
	uint8_t cmd = pick_cmd(), version = SSNS_GENL_VERSION;
	bool dump = chance(20);

	switch (rn(4)) {
	case 0:
		cmd = chance(50) ? 0 : (uint8_t)(SSNS_CMD_MAX + 1 + rn(256 - SSNS_CMD_MAX - 1));
		break;
	case 1:
		version = chance(50) ? 0 : (uint8_t)(2 + rn(254));
		break;
	case 2:	/* generic netlink ids stop at GENL_MAX_ID */
		type = (uint16_t)(GENL_MAX_ID + 1 + rn(0x10000 - GENL_MAX_ID - 1));
		break;
	default: /* NLMSG_NOOP, NLMSG_ERROR, ...: acked, not dispatched */
		type = (uint16_t)rn(NLMSG_MIN_TYPE);
	}
	msg_start(r, type, dump ? NLM_F_DUMP : 0, cmd, version);
	put_cmd_attrs(r, cmd, dump, chance(50));
	msg_end(r);
}

/* A valid request, then damaged. */
static void build_mutated(struct req *r)
{
	struct nlmsghdr *nlh;
	size_t start, len, cut, i, n, o;
	uint8_t cmd = pick_cmd();

	build_cmd(r, cmd, false, chance(30));
	start = r->msg;
	nlh = msg_hdr(r);
	len = nlh->nlmsg_len;
	switch (rn(11)) {
	case 0:		/* bit flips in the genl header and attributes */
		n = 1 + rn(8);
		for (i = 0; i < n; i++) {
			o = NLMSG_HDRLEN + rn((uint32_t)(len - NLMSG_HDRLEN));
			r->buf[start + o] ^= (unsigned char)(1u << rn(8));
		}
		break;
	case 1:		/* random bytes in the attributes */
		if (len <= NLMSG_HDRLEN + GENL_HDRLEN)
			break;
		n = 1 + rn(4);
		for (i = 0; i < n; i++) {
			o = NLMSG_HDRLEN + GENL_HDRLEN +
			    rn((uint32_t)(len - NLMSG_HDRLEN - GENL_HDRLEN));
			r->buf[start + o] = (unsigned char)rnd();
		}
		break;
	case 2:		/* truncated, nlmsg_len follows */
		cut = 1 + rn((uint32_t)(len - NLMSG_HDRLEN));
		r->len -= cut;
		nlh->nlmsg_len = (uint32_t)(len - cut);
		break;
	case 3:		/* truncated, nlmsg_len larger than the datagram */
		cut = 1 + rn((uint32_t)(len - NLMSG_HDRLEN));
		r->len -= cut;
		break;
	case 4:		/* nlmsg_len larger than what is sent */
		nlh->nlmsg_len = (uint32_t)(len + 1 + rn(chance(50) ? 8 : 100000));
		break;
	case 5:		/* nlmsg_len shorter; the rest too short to parse */
		nlh->nlmsg_len = (uint32_t)(NLMSG_HDRLEN +
					    rn((uint32_t)(len - NLMSG_HDRLEN)));
		r->len = start + NLMSG_ALIGN(nlh->nlmsg_len);
		n = rn(NLMSG_HDRLEN);
		o = r->len;
		if (req_put(r, NULL, n))
			rnd_bytes(r->buf + o, n);
		break;
	case 6:		/* nlmsg_len shorter; a valid request follows */
		nlh->nlmsg_len = (uint32_t)(NLMSG_HDRLEN +
					    rn((uint32_t)(len - NLMSG_HDRLEN)));
		r->len = start + NLMSG_ALIGN(nlh->nlmsg_len);
		build_cmd(r, pick_cmd(), false, false);
		break;
	case 7:		/* nlmsg_len below the header size: dropped */
		nlh->nlmsg_len = rn(NLMSG_HDRLEN);
		break;
	case 8:		/* a nest whose inner attribute overruns it */
		o = nest_start(r, (uint16_t)(chance(50) ? SSNS_ATTR_VNI_RANGES :
				  SSNS_ATTR_MEMBERS) | NLA_F_NESTED);
		i = nest_start(r, (uint16_t)(chance(50) ? SSNS_ATTR_VNI_RANGE :
				  SSNS_ATTR_MEMBER) | NLA_F_NESTED);
		put_num(r, SSNS_ATTR_VNI_FIRST, 4, PICK(vni_good), false);
		nest_end(r, i);
		nest_end(r, o);
		if (o != (size_t)-1 && i != (size_t)-1) {
			struct nlattr *in = (struct nlattr *)(r->buf + i);

			in->nla_len = (uint16_t)(in->nla_len + 4 + rn(64));
			if (chance(30)) {
				struct nlattr *out = (struct nlattr *)(r->buf + o);

				out->nla_len = (uint16_t)(out->nla_len + 4 + rn(64));
			}
		}
		msg_end(r);
		break;
	case 9:		/* an attribute header with a length below its size */
		o = nest_start(r, (uint16_t)rn(SSNS_ATTR_MAX + 1));
		if (o != (size_t)-1) {
			((struct nlattr *)(r->buf + o))->nla_len = (uint16_t)rn(NLA_HDRLEN);
			if (chance(50))
				put_attr(r, SSNS_ATTR_VNI, false);
		}
		msg_end(r);
		break;
	default:	/* the same attribute twice */
		put_cmd_attrs(r, cmd, false, false);
		msg_end(r);
	}
}

static void build_batch(struct req *r)
{
	unsigned int i, n = 2 + rn(4);

	for (i = 0; i < n; i++) {
		uint8_t cmd = pick_cmd();

		switch (rn(4)) {
		case 0:
			build_random(r);
			break;
		case 1:
			build_cmd(r, cmd, false, true);
			break;
		case 2:
			build_cmd(r, PICK(dumpable), true, chance(30));
			break;
		default:
			build_cmd(r, cmd, false, false);
		}
	}
}

/* ---- what the kernel answers: netlink_rcv_skb() split of a datagram ---- */

struct pend {
	uint32_t seq;
	uint16_t type;
	uint16_t flags;
	uint32_t len;
	uint8_t cmd;
	bool done;
	bool dropped;		/* the kernel stops before it: no reply */
	unsigned int ndata;
	struct abi_outcome out;	/* what the ABI table allows */
};

/*
 * The messages of a datagram as the kernel will take them, each with the
 * outcomes the ABI allows; @dump_running: a dump may still be in progress
 * on the socket (then so may be every dump the datagram starts).
 */
static unsigned int expect(const unsigned char *buf, size_t len,
			   struct pend *p, unsigned int max,
			   enum abi_tri dump_running)
{
	size_t off = 0, msglen;
	unsigned int n = 0;

	while (len - off >= NLMSG_HDRLEN && n < max) {
		const struct nlmsghdr *h = (const void *)(buf + off);

		memset(&p[n], 0, sizeof(p[n]));
		p[n].seq = h->nlmsg_seq;
		if (h->nlmsg_len < NLMSG_HDRLEN || len - off < h->nlmsg_len) {
			p[n++].dropped = true;
			break;
		}
		p[n].type = h->nlmsg_type;
		p[n].flags = h->nlmsg_flags;
		p[n].len = h->nlmsg_len;
		p[n].cmd = h->nlmsg_len > NLMSG_HDRLEN ? buf[off + NLMSG_HDRLEN] : 0xff;
		nl_abi_expect(h, family_id, &caller, dump_running, &p[n].out);
		if (h->nlmsg_type == family_id &&
		    (h->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP &&
		    p[n].out.ok)
			dump_running = ABI_MAYBE;
		n++;
		msglen = NLMSG_ALIGN(h->nlmsg_len);
		off += msglen > len - off ? len - off : msglen;
	}
	return n;
}

/* ---- reply checks ---- */

/* Extack TLVs of an NLMSG_ERROR or NLMSG_DONE, from @off of the payload. */
static void check_tlvs(const struct nlmsghdr *nlh, size_t off,
		       uint32_t req_len)
{
	const unsigned char *p = NLMSG_DATA(nlh);
	size_t len = nlh->nlmsg_len - NLMSG_HDRLEN;

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	off = NLMSG_ALIGN(off);
	if (off > len) {
		violation("ack seq %u: TLVs start at %zu beyond %zu",
			  nlh->nlmsg_seq, off, len);
		return;
	}
	while (off < len) {
		const struct nlattr *a = (const void *)(p + off);
		size_t plen;
		uint32_t v;

		if (len - off < NLA_HDRLEN || a->nla_len < NLA_HDRLEN ||
		    a->nla_len > len - off) {
			violation("ack seq %u: extack TLV at %zu is cut",
				  nlh->nlmsg_seq, off);
			return;
		}
		plen = a->nla_len - NLA_HDRLEN;
		switch (a->nla_type & NLA_TYPE_MASK) {
		case NLMSGERR_ATTR_MSG:
			if (!plen || strnlen((const char *)(a + 1), plen) != plen - 1)
				violation("ack seq %u: extack message of %zu bytes is not NUL-terminated",
					  nlh->nlmsg_seq, plen);
			break;
		case NLMSGERR_ATTR_OFFS:
			if (plen != 4) {
				violation("ack seq %u: extack offset has %zu bytes",
					  nlh->nlmsg_seq, plen);
				break;
			}
			memcpy(&v, a + 1, 4);
			if (req_len && v >= req_len)
				violation("ack seq %u: extack offset %u beyond the request (%u bytes)",
					  nlh->nlmsg_seq, v, req_len);
			break;
		default:
			break;
		}
		off += NLA_ALIGN(a->nla_len);
	}
}

/* Judge and count an ack or a dump's end by the ABI table. */
static void account(struct pend *p, int err)
{
	char want[256];
	unsigned int n = abi_count(&p->out);

	if (!n)
		nr_other++;
	else if (n == 1)
		nr_exact++;
	else
		nr_set++;
	if (!abi_allows(&p->out, -err))
		violation("seq %u: %s%s: %s, the ABI allows %s%s%s", p->seq,
			  p->type == family_id ? (ssns_cmd_name(p->cmd) ?: "?") :
			  "type", p->flags & NLM_F_DUMP ? " dump" : "",
			  abi_errname(-err),
			  abi_outcome_str(&p->out, want, sizeof(want)),
			  p->out.why[0] ? ": " : "", p->out.why);
	if (!err) {
		nr_ok++;
		if (p->type == family_id)
			cmd_ok[p->cmd]++;
		if (p->type == family_id && p->cmd == SSNS_CMD_MONITOR &&
		    !(p->flags & NLM_F_DUMP))
			subscribed = true;
	} else {
		nr_err++;
		if (-err > 0 && -err < 4096)
			errno_hist[-err]++;
	}
}

static struct pend *find(struct pend *p, unsigned int np, uint32_t seq)
{
	unsigned int i;

	for (i = 0; i < np; i++)
		if (p[i].seq == seq)
			return &p[i];
	return NULL;
}

static void check_msg(const struct nlmsghdr *nlh, struct pend *pends,
		      unsigned int np, uint32_t portid)
{
	struct pend *p = find(pends, np, nlh->nlmsg_seq);
	size_t plen = nlh->nlmsg_len - NLMSG_HDRLEN;
	const unsigned char *pl = NLMSG_DATA(nlh);
	const char *bad;
	char why[256];
	int err;

	/* Once a MONITOR succeeded, events come on the request socket. */
	if (subscribed && !nlh->nlmsg_pid && !nlh->nlmsg_seq &&
	    nlh->nlmsg_type == family_id) {
		check_notification(nlh);
		return;
	}
	if (nlh->nlmsg_pid != portid)
		violation("reply seq %u type %u to portid %u, not %u",
			  nlh->nlmsg_seq, nlh->nlmsg_type, nlh->nlmsg_pid, portid);
	if (!p) {
		violation("reply type %u with unexpected seq %u",
			  nlh->nlmsg_type, nlh->nlmsg_seq);
		return;
	}
	if (p->dropped) {
		violation("reply type %u to seq %u, a request the kernel must drop",
			  nlh->nlmsg_type, p->seq);
		return;
	}
	if (p->done) {
		violation("reply type %u to seq %u after its ack or NLMSG_DONE",
			  nlh->nlmsg_type, p->seq);
		return;
	}
	switch (nlh->nlmsg_type) {
	case NLMSG_ERROR: {
		const struct nlmsgerr *e = (const void *)pl;
		size_t off = sizeof(*e);

		if (plen < sizeof(*e)) {
			violation("seq %u: NLMSG_ERROR of %zu bytes", p->seq, plen);
			return;
		}
		err = e->error;
		p->done = true;
		if (err > 0 || err < -4095) {
			violation("seq %u: error %d is not a negative errno",
				  p->seq, err);
			return;
		}
		if (e->msg.nlmsg_seq != p->seq || e->msg.nlmsg_type != p->type)
			violation("seq %u: the ack quotes seq %u type %u",
				  p->seq, e->msg.nlmsg_seq, e->msg.nlmsg_type);
		if (!(nlh->nlmsg_flags & NLM_F_CAPPED)) {
			if (e->msg.nlmsg_len < NLMSG_HDRLEN ||
			    off + e->msg.nlmsg_len - NLMSG_HDRLEN > plen) {
				violation("seq %u: quoted request of %u bytes overruns the ack",
					  p->seq, e->msg.nlmsg_len);
				return;
			}
			off += e->msg.nlmsg_len - NLMSG_HDRLEN;
		}
		check_tlvs(nlh, off, p->len);
		account(p, err);
		return;
	}
	case NLMSG_DONE:
		if (!(p->flags & NLM_F_DUMP)) {
			violation("seq %u: NLMSG_DONE for a request that is not a dump",
				  p->seq);
			return;
		}
		if (plen < sizeof(int)) {
			violation("seq %u: NLMSG_DONE of %zu bytes", p->seq, plen);
			return;
		}
		memcpy(&err, pl, sizeof(err));
		p->done = true;
		if (err > 0 || err < -4095) {
			violation("seq %u: NLMSG_DONE error %d", p->seq, err);
			return;
		}
		check_tlvs(nlh, sizeof(int), 0);
		account(p, err);
		return;
	default:
		break;
	}
	if (nlh->nlmsg_type != family_id || p->type != family_id) {
		violation("seq %u: reply of type %u to a request of type %u",
			  p->seq, nlh->nlmsg_type, p->type);
		return;
	}
	nr_data++;
	p->ndata++;
	if (plen < GENL_HDRLEN) {
		violation("seq %u: reply of %zu bytes has no genl header",
			  p->seq, plen);
		return;
	}
	if (pl[0] != p->cmd)
		violation("seq %u: reply cmd %u to a request cmd %u",
			  p->seq, pl[0], p->cmd);
	if (p->flags & NLM_F_DUMP) {
		if (!(nlh->nlmsg_flags & NLM_F_MULTI))
			violation("seq %u: dump reply without NLM_F_MULTI", p->seq);
	} else if (p->ndata > 1) {
		violation("seq %u: %u replies to a request that is not a dump",
			  p->seq, p->ndata);
	}
	bad = nl_abi_check_msg(NL_REPLY, pl[0], pl + GENL_HDRLEN,
			       plen - GENL_HDRLEN, why, sizeof(why));
	if (bad)
		violation("seq %u: reply cmd %u: %s", p->seq, pl[0], bad);
}

/*
 * Read and check replies on @fd until every request that must be answered
 * is, or @max_dgrams datagrams were read (0: no limit).
 */
static unsigned char rxbuf[RX_MAX] __attribute__((aligned(8)));

static bool all_done(struct pend *p, unsigned int np)
{
	unsigned int i;

	for (i = 0; i < np; i++)
		if (!p[i].dropped && !p[i].done)
			return false;
	return true;
}

static void collect(int fd, struct pend *p, unsigned int np,
		    unsigned int max_dgrams)
{
	struct sockaddr_nl sa;
	socklen_t salen;
	unsigned int dgrams = 0, i;
	uint32_t portid;
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	ssize_t n;
	int left;

	salen = sizeof(sa);
	if (getsockname(fd, (struct sockaddr *)&sa, &salen) < 0) {
		perror("nlfuzz: getsockname");
		exit(2);
	}
	portid = sa.nl_pid;
	while (!all_done(p, np)) {
		const struct nlmsghdr *nlh;

		if (max_dgrams && dgrams >= max_dgrams)
			return;
		if (poll(&pfd, 1, REPLY_MS) == 0) {
			for (i = 0; i < np; i++)
				if (!p[i].dropped && !p[i].done)
					violation("no reply to seq %u (type %u cmd %u) within %d ms",
						  p[i].seq, p[i].type, p[i].cmd,
						  REPLY_MS);
			return;
		}
		n = recv(fd, rxbuf, sizeof(rxbuf), MSG_TRUNC);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			violation("recv: %s", strerror(errno));
			return;
		}
		dgrams++;
		if ((size_t)n > sizeof(rxbuf)) {
			violation("a reply of %zd bytes", n);
			return;
		}
		left = (int)n;
		for (nlh = (const void *)rxbuf; mnl_nlmsg_ok(nlh, left);
		     nlh = mnl_nlmsg_next(nlh, &left))
			check_msg(nlh, p, np, portid);
		if (left > 0 && left >= (int)NLMSG_HDRLEN)
			violation("%d bytes left over in a reply datagram", left);
	}
}

/* ---- sockets ---- */

static int nl_open(bool ext_ack, bool cap_ack)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	int fd, one = 1;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		perror("nlfuzz: netlink socket");
		exit(2);
	}
	if (ext_ack)
		setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	if (cap_ack)
		setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	return fd;
}

/* Send @r; its messages as the kernel will split them go into @p. */
static unsigned int send_req(int fd, struct req *r, struct pend *p,
			     unsigned int max, enum abi_tri dump_running)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	unsigned int n, i;

	cur_req = r->buf;
	cur_len = r->len;
	n = expect(r->buf, r->len, p, max, dump_running);
	for (i = 0; i < n; i++) {
		nr_requests++;
		if (p[i].dropped)
			nr_dropped++;
		else if (p[i].type == family_id)
			cmd_sent[p[i].cmd]++;
		if (!p[i].dropped && (p[i].flags & NLM_F_DUMP))
			nr_dumps++;
	}
	if (sendto(fd, r->buf, r->len, 0, (struct sockaddr *)&sa,
		   sizeof(sa)) < 0)
		violation("sendto of %zu bytes: %s", r->len, strerror(errno));
	return n;
}

static uint16_t resolve(int fd, uint32_t *grp)
{
	static struct req r;
	struct nlattr *a, *g, *ga;
	const struct nlmsghdr *nlh;
	uint16_t id = 0;
	ssize_t n;
	int left;

	r.len = 0;
	msg_start(&r, GENL_ID_CTRL, 0, CTRL_CMD_GETFAMILY, 1);
	attr_put(&r, CTRL_ATTR_FAMILY_NAME, SSNS_GENL_NAME,
		 sizeof(SSNS_GENL_NAME));
	msg_end(&r);
	if (send(fd, r.buf, r.len, 0) < 0)
		return 0;
	for (;;) {
		n = recv(fd, rxbuf, sizeof(rxbuf), 0);
		if (n <= 0)
			return 0;
		left = (int)n;
		for (nlh = (const void *)rxbuf; mnl_nlmsg_ok(nlh, left);
		     nlh = mnl_nlmsg_next(nlh, &left)) {
			if (nlh->nlmsg_type == NLMSG_ERROR)
				return id;
			mnl_attr_for_each(a, nlh, GENL_HDRLEN) {
				if (mnl_attr_get_type(a) == CTRL_ATTR_FAMILY_ID)
					id = mnl_attr_get_u16(a);
				if (mnl_attr_get_type(a) != CTRL_ATTR_MCAST_GROUPS)
					continue;
				mnl_attr_for_each_nested(g, a) {
					uint32_t gid = 0;
					bool mon = false;

					mnl_attr_for_each_nested(ga, g) {
						if (mnl_attr_get_type(ga) == CTRL_ATTR_MCAST_GRP_ID)
							gid = mnl_attr_get_u32(ga);
						if (mnl_attr_get_type(ga) == CTRL_ATTR_MCAST_GRP_NAME &&
						    !strcmp(mnl_attr_get_str(ga),
							    SSNS_GENL_MCGRP_MONITOR))
							mon = true;
					}
					if (mon)
						*grp = gid;
				}
			}
		}
	}
}

/* A notification: well-formed, of a notification command, from the kernel. */
static void check_notification(const struct nlmsghdr *nlh)
{
	const unsigned char *pl = NLMSG_DATA(nlh);
	size_t plen = nlh->nlmsg_len - NLMSG_HDRLEN;
	const char *bad;
	char why[256];

	nr_notif++;
	if (nlh->nlmsg_type != family_id || nlh->nlmsg_pid ||
	    nlh->nlmsg_seq || plen < GENL_HDRLEN) {
		violation("notification type %u pid %u seq %u len %u",
			  nlh->nlmsg_type, nlh->nlmsg_pid, nlh->nlmsg_seq,
			  nlh->nlmsg_len);
		return;
	}
	/* Of an event of the family, with its attributes. */
	bad = nl_abi_check_msg(NL_NOTIFY, pl[0], pl + GENL_HDRLEN,
			       plen - GENL_HDRLEN, why, sizeof(why));
	if (bad)
		violation("notification cmd %u: %s", pl[0], bad);
}

/* Notifications of the "monitor" group. */
static void drain_monitor(int fd)
{
	const struct nlmsghdr *nlh;
	ssize_t n;
	int left;

	if (fd < 0)
		return;
	for (;;) {
		n = recv(fd, rxbuf, sizeof(rxbuf), MSG_DONTWAIT | MSG_TRUNC);
		if (n < 0) {
			if (errno == ENOBUFS) {
				nr_notif_lost++;
				continue;
			}
			if (errno != EAGAIN && errno != EINTR)
				violation("monitor recv: %s", strerror(errno));
			return;
		}
		if ((size_t)n > sizeof(rxbuf)) {
			violation("a notification of %zd bytes", n);
			continue;
		}
		left = (int)n;
		for (nlh = (const void *)rxbuf; mnl_nlmsg_ok(nlh, left);
		     nlh = mnl_nlmsg_next(nlh, &left))
			check_notification(nlh);
	}
}

/* ---- one iteration ---- */

static struct req req;
static int main_fd;

static void req_reset(struct req *r)
{
	r->len = 0;
	r->msg = 0;
}

/*
 * A dump read for a few datagrams, then: the socket closed, another
 * request on the same socket, or a second dump on top of it.
 */
static void run_dump(void)
{
	struct pend p[MAX_PEND];
	unsigned int np, k = rn(3), how = rn(4);
	int fd = nl_open(chance(80), chance(50));

	req_reset(&req);
	build_cmd(&req, chance(90) ? PICK(dumpable) : pick_cmd(), true,
		  chance(30));
	np = send_req(fd, &req, p, MAX_PEND, ABI_NO);
	if (how == 0) {		/* read all of it */
		collect(fd, p, np, 0);
		close(fd);
		return;
	}
	collect(fd, p, np, k);
	if (how == 1) {		/* abandon */
		if (!all_done(p, np))
			nr_abandoned++;
		close(fd);
		return;
	}
	/* Another request (how 2) or another dump (how 3) meanwhile. */
	req_reset(&req);
	if (how == 2)
		build_cmd(&req, pick_cmd(), false, chance(30));
	else
		build_cmd(&req, PICK(dumpable), true, chance(30));
	np += send_req(fd, &req, p + np, MAX_PEND - np,
		       all_done(p, np) ? ABI_NO : ABI_MAYBE);
	collect(fd, p, np, chance(30) ? 1 + rn(2) : 0);
	if (!all_done(p, np))
		nr_abandoned++;
	close(fd);
}

static void run_one(void)
{
	struct pend p[MAX_PEND];
	unsigned int np, s, k = rn(100);

	req_reset(&req);
	if (k < 20)
		s = 0;		/* valid */
	else if (k < 40)
		s = 1;		/* boundary */
	else if (k < 52)
		s = 2;		/* random attributes */
	else if (k < 72)
		s = 3;		/* mutation */
	else if (k < 78)
		s = 4;		/* header oddities */
	else if (k < 88)
		s = 5;		/* batch */
	else
		s = 6;		/* dump games */
	strat_count[s]++;
	switch (s) {
	case 0:
		k = pick_cmd();
		build_cmd(&req, (uint8_t)k, false, false);
		break;
	case 1:
		k = pick_cmd();
		build_cmd(&req, (uint8_t)k, chance(10), true);
		break;
	case 2:
		build_random(&req);
		break;
	case 3:
		build_mutated(&req);
		break;
	case 4:
		build_header(&req);
		break;
	case 5:
		build_batch(&req);
		break;
	default:
		run_dump();
		return;
	}
	np = send_req(main_fd, &req, p, MAX_PEND, ABI_NO);
	collect(main_fd, p, np, 0);
}

/* ---- main ---- */

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static bool same_link(const char *a, const char *b)
{
	char la[64], lb[64];
	ssize_t na, nb;

	na = readlink(a, la, sizeof(la) - 1);
	nb = readlink(b, lb, sizeof(lb) - 1);
	if (na < 0 || nb < 0)
		return false;
	return na == nb && !memcmp(la, lb, (size_t)na);
}

static void print_stats(double secs)
{
	unsigned int i, best;
	bool used[4096] = { false };

	printf("nlfuzz: %lu requests (%u iterations) in %.1f s: ok=%lu errors=%lu dropped=%lu dumps=%lu abandoned=%lu replies=%lu notifications=%lu lost=%lu violations=%u\n",
	       nr_requests, iter, secs, nr_ok, nr_err, nr_dropped, nr_dumps,
	       nr_abandoned, nr_data, nr_notif, nr_notif_lost, violations);
	printf("nlfuzz: judged by the ABI table: %lu acks with one outcome allowed, %lu with a set, %lu of other families\n",
	       nr_exact, nr_set, nr_other);
	printf("nlfuzz: strategies:");
	for (i = 0; i < ARRAY_SIZE(strat_names); i++)
		printf(" %s=%lu", strat_names[i], strat_count[i]);
	printf("\nnlfuzz: commands (sent/ok):");
	for (i = 0; i < 256; i++) {
		if (!cmd_sent[i])
			continue;
		if (ssns_cmd_name(i))
			printf(" %s=%lu/%lu", ssns_cmd_name(i), cmd_sent[i],
			       cmd_ok[i]);
		else
			printf(" %u=%lu/%lu", i, cmd_sent[i], cmd_ok[i]);
	}
	printf("\nnlfuzz: errno:");
	for (;;) {		/* by count, highest first */
		best = 0;
		for (i = 1; i < 4096; i++)
			if (!used[i] && errno_hist[i] > errno_hist[best])
				best = i;
		if (!best || !errno_hist[best])
			break;
		used[best] = true;
		printf(" %s=%lu", strerrorname_np((int)best) ?: "E?",
		       errno_hist[best]);
	}
	printf("\n");
}

int main(int argc, char **argv)
{
	unsigned long count = 1000, secs = 0;
	long uid = -1;
	double t0, dt;
	char *end;
	int opt, mon_fd;

	seed = (unsigned long long)time(NULL) ^ ((unsigned long long)getpid() << 20);
	while ((opt = getopt(argc, argv, "s:n:t:u:")) != -1) {
		errno = 0;
		switch (opt) {
		case 's':
			seed = strtoull(optarg, &end, 0);
			break;
		case 'n':
			count = strtoul(optarg, &end, 0);
			break;
		case 't':
			secs = strtoul(optarg, &end, 0);
			break;
		case 'u':
			uid = strtol(optarg, &end, 0);
			break;
		default:
			end = NULL;
		}
		if (!end || *end || errno) {
			fprintf(stderr, "usage: nlfuzz [-s SEED] [-n COUNT] [-t SECONDS] [-u UID]\n");
			return 2;
		}
	}
	if (uid >= 0 && (setgroups(0, NULL) || setgid((gid_t)uid) ||
			 setuid((uid_t)uid))) {
		perror("nlfuzz: dropping privileges");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	/* Not a node admin: not root, or root of another user namespace. */
	unpriv = geteuid() != 0 ||
		 !same_link("/proc/self/ns/user", "/proc/1/ns/user");
	caller.node_admin = !unpriv;
	self_pid = (uint32_t)getpid();

	nsfd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	cgfd = open(CG_ROOT "/ssns-fz", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	fd_pool[0] = 0;
	fd_pool[1] = 1;
	fd_pool[2] = 987;		/* closed */
	fd_pool[3] = 0xffffffff;
	fd_pool[4] = 0x7fffffff;
	fd_pool[5] = nsfd >= 0 ? (uint32_t)nsfd : 986;
	pid_pool[0] = 0;
	pid_pool[1] = 1;
	pid_pool[2] = self_pid;
	pid_pool[3] = 0xffffffff;
	pid_pool[4] = 0x7fffffff;
	pid_pool[5] = 999999;
	if (nsfd < 0)
		nsfd = 986;

	rng = seed;
	main_fd = nl_open(true, rnd() & 1);
	family_id = resolve(main_fd, &mcgrp_id);
	if (!family_id) {
		fprintf(stderr, "nlfuzz: family %s not registered\n", SSNS_GENL_NAME);
		return 2;
	}
	mon_fd = nl_open(false, false);
	if (!mcgrp_id || setsockopt(mon_fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP,
				    &mcgrp_id, sizeof(mcgrp_id)) < 0) {
		close(mon_fd);
		mon_fd = -1;
	}
	printf("nlfuzz: seed=%llu count=%lu secs=%lu uid=%u unprivileged=%d family=%u pid=%u\n",
	       seed, count, secs, (unsigned int)geteuid(), unpriv, family_id,
	       self_pid);

	t0 = now();
	for (iter = 0; iter < count; iter++) {
		if (secs && now() - t0 >= (double)secs) {
			printf("nlfuzz: time cap of %lu s reached at iteration %u\n",
			       secs, iter);
			break;
		}
		/* Each iteration from (seed, iteration) alone. */
		rng = seed ^ (0xd1b54a32d192ed03ULL * (iter + 1ULL));
		next_seq = (iter + 1) * 64;
		run_one();
		drain_monitor(mon_fd);
	}
	/* Nothing may come after the last ack: one more request and its ack. */
	{
		struct pend p[2];
		unsigned int np;

		cur_req = NULL;
		req_reset(&req);
		next_seq = 0x7ffffff0;
		build_cmd(&req, SSNS_CMD_SYS_GET, false, false);
		np = send_req(main_fd, &req, p, 2, ABI_NO);
		collect(main_fd, p, np, 0);
		drain_monitor(mon_fd);
	}
	dt = now() - t0;
	print_stats(dt);
	if (violations) {
		printf("nlfuzz: FAILED: %u violations; replay: nlfuzz -s %llu -n %u%s\n",
		       violations, seed, iter, uid >= 0 ? " -u UID" : "");
		return 1;
	}
	printf("nlfuzz: seed=%llu ok\n", seed);
	return 0;
}
