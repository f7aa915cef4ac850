// SPDX-License-Identifier: GPL-2.0
/*
 * The netlink family "ssns" as a table, written from the comments of
 * uapi/linux/ssns.h and from docs/netlink.md: nothing here is taken from
 * the module's code.
 *
 * A request is judged in the order docs/netlink.md gives:
 *
 *  1. the netlink and generic netlink layers: a message type below
 *     NLMSG_MIN_TYPE is acknowledged (0), a family that does not exist is
 *     ENOENT, a message too short for the generic netlink header EINVAL,
 *     so are a reserved field of that header that is not zero and
 *     nlmsg_flags other than NLM_F_REQUEST, NLM_F_ACK, NLM_F_ECHO and
 *     NLM_F_DUMP; a command the family does not offer as a do or as a
 *     dump is EOPNOTSUPP;
 *     a dump while one is in progress on the socket EBUSY;
 *  2. the attributes, one after the other, nests depth first: one of
 *     another nest or not taken in requests, a number of the wrong size,
 *     NLA_F_NESTED missing on a nest or set on anything else, a string
 *     without its NUL within its limit, bytes after the last attribute:
 *     EINVAL; a number out of its range, a string over its limit, a nest
 *     of 1..3 bytes, a flag with a payload: ERANGE. The first bad
 *     attribute decides;
 *  3. the caller's permission: a change of the system or of devices needs
 *     a node admin (EPERM); a change of tenants and profiles is open to
 *     the delegates of a tenant, which the command checks in stage 4
 *     (EPERM, EACCES; ENOENT for a tenant the caller cannot see);
 *  4. the command's own rules, in no documented order: the attributes it
 *     needs (EINVAL), combinations it refuses (EINVAL), and what depends on
 *     the state (ENODEV, ENOENT, EEXIST, EBUSY...).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <libssns.h>

#include "ssns_nl_abi.h"

#define A(x)		(1ULL << SSNS_ATTR_##x)
#define S(x)		(1ULL << SSNS_STAT_##x)

/* ---- attributes ------------------------------------------------------ */

#define NUM(k, lo, hi)	{ .kind = NK_##k, .min = (lo), .max = (hi) }
#define ANY(k)		{ .kind = NK_##k, .min = 0, .max = ~0ULL }
#define U32_ANY		NUM(U32, 0, 0xffffffffULL)
#define STR(n)		{ .kind = NK_STRING, .maxlen = (n) }
#define NEST(sp)	{ .kind = NK_NEST, .nest = (sp) }

static const struct nl_attr_desc attrs[SSNS_ATTR_MAX + 1] = {
	[SSNS_ATTR_PAD]			= { .kind = NK_PAD },
	[SSNS_ATTR_SYS_NETNS_MODE]	= NUM(U8, 0, SSNS_NETNS_EXCLUSIVE),
	[SSNS_ATTR_SYS_CGROUP_ACCT]	= NUM(U8, 0, 1),
	[SSNS_ATTR_SYS_VERSION]		= STR(0),
	[SSNS_ATTR_DEV_INDEX]		= U32_ANY,
	[SSNS_ATTR_DEV_NAME]		= STR(SSNS_NAME_MAX - 1),
	[SSNS_ATTR_DEV_PROVIDER]	= STR(0),
	[SSNS_ATTR_DEV_CHARDEV]		= STR(0),
	[SSNS_ATTR_NETNS_FD]		= U32_ANY,
	/* a pid: 0 is no process */
	[SSNS_ATTR_NETNS_PID]		= NUM(U32, 1, 0xffffffffULL),
	[SSNS_ATTR_NETNS_COOKIE]	= ANY(U64),
	/* an nsid, sent only when there is one */
	[SSNS_ATTR_NETNS_ID]		= NUM(S32, 0, 0x7fffffff),
	[SSNS_ATTR_TENANT_NAME]		= { .kind = NK_STRING,
					    .maxlen = SSNS_NAME_MAX - 1,
					    .name = true },
	[SSNS_ATTR_VNI_RANGES]		= NEST(NS_RANGES),
	[SSNS_ATTR_VNI_RANGE]		= NEST(NS_RANGE),
	[SSNS_ATTR_VNI_FIRST]		= NUM(U32, SSNS_VNI_MIN, SSNS_VNI_MAX),
	[SSNS_ATTR_VNI_LAST]		= NUM(U32, SSNS_VNI_MIN, SSNS_VNI_MAX),
	[SSNS_ATTR_MEMBERS]		= NEST(NS_MEMBERS),
	[SSNS_ATTR_MEMBER]		= NEST(NS_MEMBER),
	[SSNS_ATTR_CGROUP_PATH]		= STR(SSNS_CGROUP_PATH_MAX - 1),
	[SSNS_ATTR_CGROUP_FD]		= U32_ANY,
	[SSNS_ATTR_CGROUP_ID]		= ANY(U64),
	[SSNS_ATTR_OP]			= NUM(U8, 0, SSNS_OP_DEL),
	[SSNS_ATTR_VNI]			= NUM(U32, SSNS_VNI_MIN, SSNS_VNI_MAX),
	[SSNS_ATTR_TC]			= NUM(U8, 0, SSNS_TC_MAX),
	[SSNS_ATTR_EP_ADDR]		= U32_ANY,
	[SSNS_ATTR_OWNER_PID]		= U32_ANY,
	[SSNS_ATTR_OWNER_COMM]		= STR(0),
	[SSNS_ATTR_REASON]		= NUM(U32, 1, SSNS_DENY_MAX),
	/* a positive errno */
	[SSNS_ATTR_ERRNO]		= NUM(U32, 1, 4095),
	[SSNS_ATTR_STATS]		= NEST(NS_STATS),
	[SSNS_ATTR_DEV_PARENT]		= STR(0),
	[SSNS_ATTR_DEV_COUNTERS]	= NEST(NS_COUNTERS),
	[SSNS_ATTR_COUNTER]		= NEST(NS_COUNTER),
	[SSNS_ATTR_COUNTER_NAME]	= STR(0),
	[SSNS_ATTR_COUNTER_VALUE]	= ANY(U64),
	[SSNS_ATTR_TENANT_PARENT]	= { .kind = NK_STRING,
					    .maxlen = SSNS_NAME_MAX - 1,
					    .name = true },
	[SSNS_ATTR_USERNS_FD]		= U32_ANY,
	[SSNS_ATTR_USERNS_PID]		= NUM(U32, 1, 0xffffffffULL),
	[SSNS_ATTR_USERNS_INUM]		= U32_ANY,
	[SSNS_ATTR_DELEGATE]		= NEST(NS_DELEGATE),
	[SSNS_ATTR_DELEGATE_NONE]	= { .kind = NK_FLAG },
	[SSNS_ATTR_DELEGATE_CGROUP]	= STR(SSNS_CGROUP_PATH_MAX - 1),
	[SSNS_ATTR_BW]			= NEST(NS_BW),
	/* 1..SSNS_BW_SHARE_MAX, 0 or SSNS_BW_RATE_MIN..SSNS_BW_RATE_MAX:
	 * rules of TENANT_SET (EINVAL)
	 */
	[SSNS_ATTR_BW_SHARE]		= U32_ANY,
	[SSNS_ATTR_BW_MAX]		= ANY(U64),
	[SSNS_ATTR_BW_CLEAR]		= { .kind = NK_FLAG },
	[SSNS_ATTR_BW_DEV]		= NEST(NS_BW_DEV),
	[SSNS_ATTR_BW_MEMBER]		= NEST(NS_BW_MEMBER),
	[SSNS_ATTR_BW_THROTTLED]	= ANY(U64),
	[SSNS_ATTR_BW_WAIT_US]		= ANY(U64),
	[SSNS_ATTR_MEMBER_SERVICES]	= NEST(NS_MSERVICES),
	[SSNS_ATTR_DEV_SERVICES]	= NEST(NS_DSERVICES),
	[SSNS_ATTR_SERVICE_ID]		= U32_ANY,
};

/* A counter of STATS, and their padding. */
static const struct nl_attr_desc stat_attr = ANY(U64);
static const struct nl_attr_desc stat_pad = { .kind = NK_PAD };

const struct nl_attr_desc *nl_abi_attr(unsigned int type)
{
	if (type > SSNS_ATTR_MAX || attrs[type].kind == NK_NONE)
		return NULL;
	return &attrs[type];
}

size_t nl_abi_size(enum nl_kind kind)
{
	switch (kind) {
	case NK_U8:
		return 1;
	case NK_U32:
	case NK_S32:
		return 4;
	case NK_U64:
		return 8;
	default:
		return 0;
	}
}

/* ---- what each nest holds, in requests and in replies ------------------ */

#define MEMBER_IN	(A(NETNS_FD) | A(NETNS_PID) | A(NETNS_COOKIE) | \
			 A(CGROUP_PATH) | A(CGROUP_FD) | A(CGROUP_ID))

static const struct {
	uint64_t in;	/* taken in requests (NS_TOP: computed from cmds) */
	uint64_t out;	/* sent in replies and events (NS_TOP: from cmds) */
} spaces[NS_NR] = {
	[NS_RANGES]	= { A(VNI_RANGE), A(VNI_RANGE) },
	[NS_RANGE]	= { A(VNI_FIRST) | A(VNI_LAST), A(VNI_FIRST) | A(VNI_LAST) },
	[NS_MEMBERS]	= { A(MEMBER), A(MEMBER) },
	[NS_MEMBER]	= { MEMBER_IN, A(NETNS_COOKIE) | A(NETNS_ID) |
			    A(CGROUP_ID) | A(CGROUP_PATH) | A(PAD) |
			    A(MEMBER_SERVICES) },
	/* TX_MSGS, RX_MSGS, DROPS: not sent any more */
	[NS_STATS]	= { 0, S(PAD) | S(CTX_OPEN) | S(CTX_REVOKED) |
			    S(EP_ALLOC) | S(EP_FREE) | S(DENY_NODEV) |
			    S(DENY_NOPROFILE) | S(DENY_TENANT) |
			    S(DENY_CGROUP) | S(DENY_ADDRINUSE) |
			    S(DENY_NOSPC) },
	[NS_COUNTERS]	= { 0, A(COUNTER) },
	[NS_COUNTER]	= { 0, A(COUNTER_NAME) | A(COUNTER_VALUE) | A(PAD) },
	[NS_DELEGATE]	= { 0, A(USERNS_INUM) | A(CGROUP_ID) | A(CGROUP_PATH) |
			    A(PAD) },
	[NS_BW]		= { A(DEV_INDEX) | A(DEV_NAME) | MEMBER_IN |
			    A(BW_SHARE) | A(BW_MAX) | A(BW_CLEAR),
			    A(BW_SHARE) | A(BW_MAX) | A(BW_DEV) |
			    A(BW_MEMBER) | A(BW_THROTTLED) | A(BW_WAIT_US) |
			    A(PAD) },
	[NS_BW_DEV]	= { 0, A(DEV_INDEX) | A(DEV_NAME) | A(BW_SHARE) |
			    A(BW_MAX) | A(PAD) },
	[NS_BW_MEMBER]	= { 0, A(NETNS_COOKIE) | A(CGROUP_ID) | A(BW_MAX) |
			    A(PAD) },
	[NS_MSERVICES]	= { 0, A(DEV_SERVICES) },
	[NS_DSERVICES]	= { 0, A(DEV_NAME) | A(SERVICE_ID) },
};

/* ---- commands --------------------------------------------------------- */

/* The request rules of a command, evaluated in no order (stage 4). */
enum rule_kind {
	Q_NEED,		/* one of `attrs` is there (EINVAL) */
	Q_NOT_BOTH,	/* not all of `attrs` (EINVAL) */
	Q_FORBID,	/* none of `attrs` (EINVAL) */
	Q_LOOKUP,	/* with one of `attrs`: may fail with `errs` */
	Q_LOOKUP_ALL,	/* with all of `attrs`: may fail with `errs` */
	Q_STATE,	/* may fail with `errs` */
	Q_NOT_ADMIN,	/* fails with `errs` unless the caller is a node admin */
	Q_TENANT_NAME,	/* TENANT_NAME is a good name (EINVAL) */
	Q_RANGES,	/* VNI_RANGES: each with VNI_FIRST, not reversed */
	Q_MEMBERS_ADD,	/* the members to add (MEMBERS or one at the top) */
	Q_MEMBERS_OP,	/* the members to add or remove, by OP */
	Q_SOMETHING,	/* VNI ranges or members to change (EINVAL) */
	Q_MANAGER,	/* a caller not a node admin may be refused (`errs`) */
	Q_DELEGATION,	/* a delegation, or its withdrawal (TENANT_SET) */
	Q_BW,		/* a change of bandwidth (TENANT_SET) */
};

#define MAX_ERRS	6

struct rule {
	enum rule_kind kind;
	uint64_t attrs;
	int errs[MAX_ERRS];
	unsigned int nerrs;
	const char *what;
};

#define ERRS(...)	.errs = { __VA_ARGS__ }, \
			.nerrs = sizeof((int[]){ __VA_ARGS__ }) / sizeof(int)

enum perm {
	P_ANY,		/* everyone */
	P_NODE_ADMIN,	/* CAP_NET_ADMIN in the initial user namespace */
	P_NS_ADMIN,	/* checked by the command (DEV_SET) */
	P_DELEGABLE,	/* a node admin or a delegate: checked by the command */
};

#define DEV_REF		(A(DEV_INDEX) | A(DEV_NAME))
#define NETNS_REF	(A(NETNS_FD) | A(NETNS_PID))
#define DEV_REPLY	(DEV_REF | A(DEV_PROVIDER) | A(DEV_PARENT) | \
			 A(DEV_CHARDEV) | A(NETNS_COOKIE) | A(NETNS_ID) | \
			 A(SYS_CGROUP_ACCT) | A(STATS) | A(DEV_COUNTERS))
#define SYS_REPLY	(A(SYS_NETNS_MODE) | A(SYS_CGROUP_ACCT) | A(SYS_VERSION))
#define TENANT_REPLY	(A(TENANT_NAME) | A(VNI_RANGES) | A(MEMBERS) | A(STATS) | \
			 A(TENANT_PARENT) | A(DELEGATE) | A(BW))
#define TENANT_MUST	(A(TENANT_NAME) | A(VNI_RANGES) | A(MEMBERS) | A(STATS))
#define DELEGATION_REQ	(A(USERNS_FD) | A(USERNS_PID) | A(DELEGATE_NONE) | \
			 A(DELEGATE_CGROUP))
#define MANAGER_RULE							\
	{ Q_MANAGER, 0, ERRS(EPERM, EACCES, ENOENT),			\
	  "not a delegate of the tenant, or beyond its delegation" }
#define PROFILE_REPLY	(DEV_REF | A(VNI) | A(TC))
#define EP_REPLY	(DEV_REF | A(VNI) | A(TC) | A(EP_ADDR) | A(OWNER_PID) | \
			 A(OWNER_COMM) | A(NETNS_COOKIE))
#define TENANT_REQ	(A(TENANT_NAME) | A(VNI_RANGES) | A(MEMBERS) | MEMBER_IN)

/* The device a request names (DEV_INDEX or DEV_NAME; both must agree). */
#define DEV_RULES							\
	{ Q_NEED, DEV_REF, ERRS(EINVAL), "DEV_INDEX or DEV_NAME" },	\
	{ Q_LOOKUP, DEV_REF, ERRS(ENODEV), "no such device visible" },	\
	{ Q_LOOKUP_ALL, DEV_REF, ERRS(EINVAL),				\
	  "DEV_INDEX and DEV_NAME disagree" }

#define END_RULES	{ Q_STATE, 0, { 0 }, 0, NULL }

struct cmd_desc {
	unsigned int ops;
	enum perm perm;
	uint64_t req;		/* attributes of its do requests */
	struct rule rules[12];	/* its do requests' rules */
	uint64_t reply, reply_must;	/* attributes of its replies */
	uint64_t event, event_must;	/* of its events */
};

static const struct cmd_desc cmds[SSNS_CMD_MAX + 1] = {
	[SSNS_CMD_SYS_GET] = {
		NL_DO, P_ANY, 0, { END_RULES },
		SYS_REPLY | A(PAD), SYS_REPLY,
	},
	[SSNS_CMD_SYS_SET] = {
		NL_DO | NL_EVENT, P_NODE_ADMIN, A(SYS_NETNS_MODE), {
			{ Q_NEED, A(SYS_NETNS_MODE), ERRS(EINVAL),
			  "SYS_NETNS_MODE" },
			END_RULES,
		},
		0, 0, SYS_REPLY | A(PAD), SYS_REPLY,
	},
	[SSNS_CMD_DEV_GET] = {
		NL_DO | NL_DUMP, P_ANY, DEV_REF, { DEV_RULES, END_RULES },
		DEV_REPLY | A(PAD), DEV_REF | A(DEV_PROVIDER) |
		A(NETNS_COOKIE) | A(SYS_CGROUP_ACCT) | A(STATS),
	},
	[SSNS_CMD_DEV_SET] = {
		NL_DO | NL_EVENT, P_NS_ADMIN, DEV_REF | NETNS_REF, {
			DEV_RULES,
			{ Q_NEED, NETNS_REF, ERRS(EINVAL),
			  "NETNS_FD or NETNS_PID" },
			{ Q_NOT_BOTH, NETNS_REF, ERRS(EINVAL),
			  "both NETNS_FD and NETNS_PID" },
			{ Q_LOOKUP, A(NETNS_FD), ERRS(EBADF, EINVAL),
			  "NETNS_FD not a netns" },
			{ Q_LOOKUP, A(NETNS_PID), ERRS(ESRCH),
			  "NETNS_PID of no process" },
			{ Q_NOT_ADMIN, 0, ERRS(EPERM),
			  "CAP_NET_ADMIN over both netns" },
			END_RULES,
		},
		0, 0, (DEV_REPLY & ~A(STATS)) | A(PAD), DEV_REF,
	},
	[SSNS_CMD_DEV_NEW] = {
		NL_EVENT, .event = (DEV_REPLY & ~A(STATS)) | A(PAD),
		.event_must = DEV_REF,
	},
	[SSNS_CMD_DEV_DEL] = {
		NL_EVENT, .event = (DEV_REPLY & ~A(STATS)) | A(PAD),
		.event_must = DEV_REF,
	},
	[SSNS_CMD_TENANT_GET] = {
		NL_DO | NL_DUMP, P_ANY, A(TENANT_NAME), {
			{ Q_NEED, A(TENANT_NAME), ERRS(EINVAL), "TENANT_NAME" },
			{ Q_STATE, 0, ERRS(ENOENT), "no such tenant readable" },
			END_RULES,
		},
		TENANT_REPLY | A(PAD), TENANT_MUST,
	},
	[SSNS_CMD_TENANT_NEW] = {
		NL_DO | NL_EVENT, P_DELEGABLE, TENANT_REQ | A(TENANT_PARENT), {
			{ Q_NEED, A(TENANT_NAME), ERRS(EINVAL), "TENANT_NAME" },
			{ Q_FORBID, A(OP), ERRS(EINVAL),
			  "OP is TENANT_SET's" },
			{ Q_TENANT_NAME, 0, ERRS(EINVAL), "bad tenant name" },
			{ Q_RANGES, 0, ERRS(EINVAL), "bad VNI range" },
			{ Q_MEMBERS_ADD, 0, ERRS(EINVAL), "bad member" },
			{ Q_LOOKUP, A(TENANT_PARENT), ERRS(ENOENT, EINVAL),
			  "no such parent readable, or VNIs not the parent's" },
			MANAGER_RULE,
			{ Q_STATE, 0, ERRS(EEXIST, EBUSY),
			  "name taken, VNI or member of another" },
			END_RULES,
		},
		0, 0, TENANT_REPLY | A(PAD), TENANT_MUST,
	},
	[SSNS_CMD_TENANT_DEL] = {
		NL_DO | NL_EVENT, P_DELEGABLE, A(TENANT_NAME), {
			{ Q_NEED, A(TENANT_NAME), ERRS(EINVAL), "TENANT_NAME" },
			MANAGER_RULE,
			{ Q_STATE, 0, ERRS(ENOENT), "no such tenant" },
			END_RULES,
		},
		0, 0, A(TENANT_NAME) | A(PAD), A(TENANT_NAME),
	},
	[SSNS_CMD_TENANT_SET] = {
		NL_DO | NL_EVENT, P_DELEGABLE, TENANT_REQ | A(OP) |
		DELEGATION_REQ | A(BW), {
			{ Q_NEED, A(TENANT_NAME), ERRS(EINVAL), "TENANT_NAME" },
			/* with BW: that rule alone */
			{ Q_BW, 0, ERRS(EINVAL), "bad bandwidth change" },
			/* with a DELEGATION_REQ attribute: that rule alone */
			{ Q_DELEGATION, 0, ERRS(EINVAL), "bad delegation" },
			{ Q_NEED, A(OP), ERRS(EINVAL), "OP" },
			{ Q_RANGES, 0, ERRS(EINVAL), "bad VNI range" },
			{ Q_MEMBERS_OP, 0, ERRS(EINVAL), "bad member" },
			{ Q_SOMETHING, 0, ERRS(EINVAL), "nothing to change" },
			MANAGER_RULE,
			{ Q_STATE, 0, ERRS(ENOENT, EBUSY),
			  "no such tenant, VNI or member; VNI or member busy" },
			END_RULES,
		},
		0, 0, TENANT_REPLY | A(PAD), TENANT_MUST,
	},
	[SSNS_CMD_PROFILE_GET] = {
		NL_DO | NL_DUMP, P_ANY, DEV_REF | A(VNI) | A(TC), {
			DEV_RULES,
			{ Q_NEED, A(VNI), ERRS(EINVAL), "VNI" },
			{ Q_NEED, A(TC), ERRS(EINVAL), "TC" },
			{ Q_STATE, 0, ERRS(ENOENT), "no such profile readable" },
			END_RULES,
		},
		PROFILE_REPLY | A(TENANT_NAME) | A(PAD), PROFILE_REPLY,
	},
	[SSNS_CMD_PROFILE_NEW] = {
		NL_DO | NL_EVENT, P_DELEGABLE, DEV_REF | A(VNI) | A(TC), {
			DEV_RULES,
			{ Q_NEED, A(VNI), ERRS(EINVAL), "VNI" },
			{ Q_NEED, A(TC), ERRS(EINVAL), "TC" },
			MANAGER_RULE,
			{ Q_STATE, 0, ERRS(EEXIST), "the profile exists" },
			END_RULES,
		},
		0, 0, PROFILE_REPLY | A(TENANT_NAME) | A(PAD), PROFILE_REPLY,
	},
	[SSNS_CMD_PROFILE_DEL] = {
		NL_DO | NL_EVENT, P_DELEGABLE, DEV_REF | A(VNI) | A(TC), {
			DEV_RULES,
			{ Q_NEED, A(VNI), ERRS(EINVAL), "VNI" },
			{ Q_NEED, A(TC), ERRS(EINVAL), "TC" },
			MANAGER_RULE,
			{ Q_STATE, 0, ERRS(ENOENT, EBUSY),
			  "no such profile, or in use" },
			END_RULES,
		},
		0, 0, PROFILE_REPLY | A(TENANT_NAME) | A(PAD), PROFILE_REPLY,
	},
	[SSNS_CMD_EP_GET] = {
		NL_DUMP, P_ANY, 0, { END_RULES },
		EP_REPLY | A(TENANT_NAME) | A(PAD), EP_REPLY,
	},
	[SSNS_CMD_EP_DENIED] = {
		NL_EVENT,
		.event = EP_REPLY | A(REASON) | A(ERRNO) | A(TENANT_NAME) | A(PAD),
		.event_must = EP_REPLY | A(REASON) | A(ERRNO),
	},
	[SSNS_CMD_MONITOR] = {
		NL_DO, P_ANY, 0, { END_RULES },
	},
};

unsigned int nl_abi_ops(unsigned int cmd)
{
	return cmd <= SSNS_CMD_MAX ? cmds[cmd].ops : 0;
}

bool nl_abi_is_change(unsigned int cmd)
{
	return cmd <= SSNS_CMD_MAX && (cmds[cmd].ops & NL_DO) &&
	       cmds[cmd].perm != P_ANY;
}

/* The attributes a nest takes in requests; the top: what commands take. */
static uint64_t space_in(enum nl_space sp)
{
	uint64_t in = 0;
	unsigned int c;

	if (sp != NS_TOP)
		return spaces[sp].in;
	for (c = 0; c <= SSNS_CMD_MAX; c++)
		in |= cmds[c].req;
	return in;
}

/* ---- requests: the attributes (stage 2) ------------------------------ */

static const char *attr_str(unsigned int type, enum nl_space sp, char *buf,
			    size_t len)
{
	const char *n = sp == NS_STATS ? ssns_stat_name(type) :
			ssns_attr_name(type);

	if (n)
		return n;
	snprintf(buf, len, "%u", type);
	return buf;
}

static const char *const space_names[NS_NR] = {
	[NS_TOP] = "the message", [NS_RANGES] = "VNI_RANGES",
	[NS_RANGE] = "VNI_RANGE", [NS_MEMBERS] = "MEMBERS",
	[NS_MEMBER] = "MEMBER", [NS_STATS] = "STATS",
	[NS_COUNTERS] = "DEV_COUNTERS", [NS_COUNTER] = "COUNTER",
	[NS_DELEGATE] = "DELEGATE", [NS_BW] = "BW", [NS_BW_DEV] = "BW_DEV",
	[NS_BW_MEMBER] = "BW_MEMBER",
	[NS_MSERVICES] = "MEMBER_SERVICES", [NS_DSERVICES] = "DEV_SERVICES",
};

static uint64_t get_num(const unsigned char *p, size_t n)
{
	uint64_t v = 0;
	uint32_t v32;
	uint8_t v8;

	if (n == 1) {
		memcpy(&v8, p, 1);
		v = v8;
	} else if (n == 4) {
		memcpy(&v32, p, 4);
		v = v32;
	} else if (n == 8) {
		memcpy(&v, p, 8);
	}
	return v;
}

/* Is @v within the range of @d? S32 ranges are of signed values. */
static bool in_range(const struct nl_attr_desc *d, uint64_t v)
{
	if (d->kind == NK_S32)
		return (int64_t)(int32_t)v >= (int64_t)d->min &&
		       (int64_t)(int32_t)v <= (int64_t)d->max;
	return v >= d->min && v <= d->max;
}

/*
 * Validate @len bytes of attributes at @p, a nest of space @sp, as the
 * family does a request's: 0, or EINVAL or ERANGE with what is wrong in
 * @why.
 */
static int validate(const unsigned char *p, int len, enum nl_space sp,
		    char *why, size_t wlen)
{
	uint64_t in = space_in(sp);
	int rem = len, err;
	char nb[16];

	while (rem >= NLA_HDRLEN) {
		const struct nl_attr_desc *d = NULL;
		const unsigned char *pl = p + NLA_HDRLEN;
		unsigned int type, plen;
		struct nlattr h;
		bool nested;
		size_t size;

		memcpy(&h, p, sizeof(h));
		if (h.nla_len < NLA_HDRLEN || h.nla_len > rem)
			break;
		type = h.nla_type & NLA_TYPE_MASK;
		nested = h.nla_type & NLA_F_NESTED;
		plen = h.nla_len - NLA_HDRLEN;
		if (type < 64 && (in & (1ULL << type)))
			d = &attrs[type];
		if (!d) {
			snprintf(why, wlen, "attribute %s not taken in %s",
				 attr_str(type, sp, nb, sizeof(nb)),
				 space_names[sp]);
			return EINVAL;
		}
		size = nl_abi_size(d->kind);
		if (size && plen != size) {
			snprintf(why, wlen, "%s of %u bytes, not %zu",
				 ssns_attr_name(type), plen, size);
			return EINVAL;
		}
		if (nested != (d->kind == NK_NEST)) {
			snprintf(why, wlen, "%s: NLA_F_NESTED %s",
				 ssns_attr_name(type),
				 nested ? "on a non-nest" : "missing");
			return EINVAL;
		}
		if (d->kind == NK_FLAG && plen) {
			snprintf(why, wlen, "flag %s with %u bytes",
				 ssns_attr_name(type), plen);
			return ERANGE;
		}
		switch (d->kind) {
		case NK_STRING: {
			unsigned int n = d->maxlen && plen > d->maxlen + 1 ?
					 d->maxlen + 1 : plen;

			if (!n || !memchr(pl, '\0', n)) {
				snprintf(why, wlen,
					 "%s of %u bytes without its NUL in %u",
					 ssns_attr_name(type), plen, n);
				return EINVAL;
			}
			n = pl[plen - 1] ? plen : plen - 1;
			if (d->maxlen && n > d->maxlen) {
				snprintf(why, wlen, "%s of %u bytes, above %u",
					 ssns_attr_name(type), n, d->maxlen);
				return ERANGE;
			}
			break;
		}
		case NK_NEST:
			if (plen && plen < NLA_HDRLEN) {
				snprintf(why, wlen, "%s of %u bytes",
					 ssns_attr_name(type), plen);
				return ERANGE;
			}
			err = validate(pl, (int)plen, d->nest, why, wlen);
			if (err)
				return err;
			break;
		default:
			if (size && !in_range(d, get_num(pl, size))) {
				snprintf(why, wlen, "%s %llu out of %llu..%llu",
					 ssns_attr_name(type),
					 (unsigned long long)get_num(pl, size),
					 (unsigned long long)d->min,
					 (unsigned long long)d->max);
				return ERANGE;
			}
		}
		p += NLA_ALIGN(h.nla_len);
		rem -= NLA_ALIGN(h.nla_len);
	}
	if (rem > 0) {
		snprintf(why, wlen, "%d bytes after the last attribute of %s",
			 rem, space_names[sp]);
		return EINVAL;
	}
	return 0;
}

/* ---- requests: the command's rules (stage 4) -------------------------- */

/* The last attribute of each type of a validated nest, as the kernel has it. */
struct tb {
	const unsigned char *p[SSNS_ATTR_MAX + 1];
	unsigned int len[SSNS_ATTR_MAX + 1];
	uint64_t have;
};

/* Each attribute @h (payload @pl) of the @len bytes at @p, a valid nest. */
#define for_each_attr(h, pl, p, len, rem)				\
	for ((rem) = (int)(len);					\
	     (rem) >= NLA_HDRLEN && (memcpy(&(h), (p), sizeof(h)), 1) &&\
	     (h).nla_len >= NLA_HDRLEN && (h).nla_len <= (rem) &&	\
	     ((pl) = (p) + NLA_HDRLEN, 1);				\
	     (rem) -= NLA_ALIGN((h).nla_len), (p) += NLA_ALIGN((h).nla_len))

static void parse(const unsigned char *p, unsigned int len, struct tb *tb)
{
	const unsigned char *pl;
	struct nlattr h;
	unsigned int t;
	int rem;

	memset(tb, 0, sizeof(*tb));
	for_each_attr(h, pl, p, len, rem) {
		t = h.nla_type & NLA_TYPE_MASK;
		if (t > SSNS_ATTR_MAX)
			continue;
		tb->p[t] = pl;
		tb->len[t] = h.nla_len - NLA_HDRLEN;
		tb->have |= 1ULL << t;
	}
}

static uint32_t tb_u32(const struct tb *tb, unsigned int t)
{
	return (uint32_t)get_num(tb->p[t], 4);
}

/* A lookup: may fail when it is made. */
static enum abi_tri maybe(bool made)
{
	return made ? ABI_MAYBE : ABI_NO;
}

/* A tenant name: letters, digits, '.', '_', '-'. */
static bool good_name(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || strchr("._-", *s)))
			return false;
	return true;
}

/* VNI_RANGES: each range with its first VNI, not reversed. */
static unsigned int rule_ranges(struct abi_eval *e, const struct tb *top)
{
	const unsigned char *p = top->p[SSNS_ATTR_VNI_RANGES], *pl;
	unsigned int n = 0;
	struct nlattr h;
	struct tb r;
	int rem;

	if (!p)
		return 0;
	for_each_attr(h, pl, p, top->len[SSNS_ATTR_VNI_RANGES], rem) {
		n++;
		parse(pl, h.nla_len - NLA_HDRLEN, &r);
		if (!r.p[SSNS_ATTR_VNI_FIRST])
			abi_rule1(e, ABI_YES, EINVAL,
				  "VNI range %u without VNI_FIRST", n);
		else if (r.p[SSNS_ATTR_VNI_LAST] &&
			 tb_u32(&r, SSNS_ATTR_VNI_LAST) <
			 tb_u32(&r, SSNS_ATTR_VNI_FIRST))
			abi_rule1(e, ABI_YES, EINVAL,
				  "VNI range %u-%u reversed",
				  tb_u32(&r, SSNS_ATTR_VNI_FIRST),
				  tb_u32(&r, SSNS_ATTR_VNI_LAST));
	}
	return n;
}

/*
 * One member: a netns by NETNS_FD or NETNS_PID, or a cgroup by
 * CGROUP_PATH or CGROUP_FD; to remove, also by NETNS_COOKIE or CGROUP_ID,
 * alone.
 */
static void rule_member(struct abi_eval *e, const struct tb *m, bool add)
{
	static const int fd_errs[] = { EBADF, EINVAL };
	static const int pid_errs[] = { ESRCH, EINVAL };
	static const int path_errs[] = { ENOENT, ENOTDIR, EINVAL };
	uint64_t h = m->have;
	bool by_net = h & (A(NETNS_FD) | A(NETNS_PID));
	bool by_cg = h & (A(CGROUP_PATH) | A(CGROUP_FD));
	bool cookie = h & A(NETNS_COOKIE), cgid = h & A(CGROUP_ID);

	abi_rule1(e, abi_tri((by_cg || cgid) && (by_net || cookie)), EINVAL,
		  "a member both netns and cgroup");
	abi_rule1(e, abi_tri(cgid && (add || by_cg)), EINVAL,
		  "CGROUP_ID but to remove, alone");
	abi_rule1(e, abi_tri(cookie && (add || by_net)), EINVAL,
		  "NETNS_COOKIE but to remove, alone");
	abi_rule1(e, abi_tri((h & A(CGROUP_PATH)) && (h & A(CGROUP_FD))),
		  EINVAL, "both CGROUP_PATH and CGROUP_FD");
	abi_rule1(e, abi_tri((h & A(NETNS_FD)) && (h & A(NETNS_PID))), EINVAL,
		  "both NETNS_FD and NETNS_PID");
	abi_rule1(e, abi_tri(!(h & MEMBER_IN)), EINVAL, "an empty member");
	abi_rule(e, maybe(h & (A(NETNS_FD) | A(CGROUP_FD))), fd_errs,
		 ARRAY_SIZE(fd_errs), "fd of no netns or cgroup directory");
	abi_rule(e, maybe(h & A(NETNS_PID)), pid_errs, ARRAY_SIZE(pid_errs),
		 "pid of no process, or in init_net");
	abi_rule(e, maybe(h & A(CGROUP_PATH)), path_errs,
		 ARRAY_SIZE(path_errs), "no such cgroup directory, or the root");
	/* A member of another tenant (add), or not of this one (remove). */
	abi_rule1(e, ABI_MAYBE, add ? EBUSY : ENOENT, "member state");
}

/* The members of a request: MEMBERS, and one at the top level. */
static unsigned int rule_members(struct abi_eval *e, const struct tb *top,
				 bool add)
{
	const unsigned char *p = top->p[SSNS_ATTR_MEMBERS], *pl;
	unsigned int n = 0;
	struct nlattr h;
	struct tb m;
	int rem;

	if (top->have & MEMBER_IN) {
		rule_member(e, top, add);
		n++;
	}
	if (!p)
		return n;
	for_each_attr(h, pl, p, top->len[SSNS_ATTR_MEMBERS], rem) {
		parse(pl, h.nla_len - NLA_HDRLEN, &m);
		rule_member(e, &m, add);
		n++;
	}
	return n;
}

/*
 * TENANT_SET with a delegation attribute: the delegation alone. Only a
 * node admin, or a delegate of the tenant's parent within its own
 * delegation, delegates (EPERM); the tenant must be one the caller sees.
 */
static void rule_delegation(struct abi_eval *e, const struct tb *tb,
			    const struct nl_caller *c)
{
	static const int fd_errs[] = { EBADF, EINVAL };
	static const int cg_errs[] = { ENOENT, ENOTDIR, EINVAL };
	static const int who_errs[] = { EPERM, ENOENT };
	uint64_t h = tb->have;
	bool none = h & A(DELEGATE_NONE);
	bool fd = h & A(USERNS_FD), pid = h & A(USERNS_PID);

	abi_rule1(e, abi_tri(h & (A(OP) | A(VNI_RANGES) | A(MEMBERS) |
				  A(NETNS_FD) | A(NETNS_PID) |
				  A(CGROUP_PATH) | A(CGROUP_FD))), EINVAL,
		  "a delegation changes nothing else");
	abi_rule1(e, abi_tri(none && (h & (A(USERNS_FD) | A(USERNS_PID) |
					   A(DELEGATE_CGROUP)))), EINVAL,
		  "DELEGATE_NONE takes nothing else");
	abi_rule1(e, abi_tri(!none && fd == pid), EINVAL,
		  "USERNS_FD or USERNS_PID, one of them");
	abi_rule(e, maybe(fd), fd_errs, ARRAY_SIZE(fd_errs),
		 "USERNS_FD not a user namespace");
	abi_rule1(e, maybe(pid), ESRCH, "USERNS_PID of no process");
	abi_rule(e, maybe(h & A(DELEGATE_CGROUP)), cg_errs,
		 ARRAY_SIZE(cg_errs), "DELEGATE_CGROUP no cgroup directory");
	abi_rule(e, c->node_admin ? ABI_NO : ABI_MAYBE, who_errs,
		 ARRAY_SIZE(who_errs), "not a node admin nor the parent's delegate");
	abi_rule1(e, ABI_MAYBE, ENOENT, "no such tenant");
}

/*
 * TENANT_SET with BW: the bandwidth change alone, a node admin's (EPERM).
 * The nest names one scope: the tenant, a device or one member.
 */
static void rule_bw(struct abi_eval *e, const struct tb *tb,
		    const struct nl_caller *c)
{
	static const int fd_errs[] = { EBADF, EINVAL };
	static const int pid_errs[] = { ESRCH, EINVAL };
	static const int path_errs[] = { ENOENT, ENOTDIR, EINVAL };
	static const int dev_errs[] = { ENODEV, EINVAL };
	static const int state_errs[] = { ENOENT, ENODEV, ENOMEM };
	const unsigned char *p = tb->p[SSNS_ATTR_BW];
	uint64_t h, max = 0, share = 1;
	unsigned int members;
	struct tb b;

	abi_rule1(e, abi_tri(!c->node_admin), EPERM,
		  "bandwidth is a node admin's");
	abi_rule1(e, abi_tri(tb->have & (A(OP) | A(VNI_RANGES) | A(MEMBERS) |
					  MEMBER_IN | DELEGATION_REQ)),
		  EINVAL, "BW goes alone");
	parse(p, tb->len[SSNS_ATTR_BW], &b);
	h = b.have;
	members = __builtin_popcountll(h & MEMBER_IN);
	if (b.p[SSNS_ATTR_BW_MAX])
		max = get_num(b.p[SSNS_ATTR_BW_MAX], 8);
	if (b.p[SSNS_ATTR_BW_SHARE])
		share = get_num(b.p[SSNS_ATTR_BW_SHARE], 4);
	abi_rule1(e, abi_tri(share < 1 || share > SSNS_BW_SHARE_MAX), EINVAL,
		  "BW_SHARE %llu out of range", (unsigned long long)share);
	abi_rule1(e, abi_tri((h & A(BW_CLEAR)) &&
			     (h & (A(BW_SHARE) | A(BW_MAX)))), EINVAL,
		  "BW_CLEAR with BW_SHARE or BW_MAX");
	abi_rule1(e, abi_tri(!(h & (A(BW_CLEAR) | A(BW_SHARE) | A(BW_MAX)))),
		  EINVAL, "nothing to set");
	abi_rule1(e, abi_tri(max && (max < SSNS_BW_RATE_MIN ||
				     max > SSNS_BW_RATE_MAX)), EINVAL,
		  "BW_MAX %llu out of range", (unsigned long long)max);
	abi_rule1(e, abi_tri(members > 1), EINVAL, "more than one member");
	abi_rule1(e, abi_tri(members && (h & A(BW_SHARE))), EINVAL,
		  "a share for a member");
	abi_rule1(e, abi_tri(members && (h & DEV_REF)), EINVAL,
		  "a device and a member");
	abi_rule(e, maybe(h & (A(NETNS_FD) | A(CGROUP_FD))), fd_errs,
		 ARRAY_SIZE(fd_errs), "fd of no netns or cgroup directory");
	abi_rule(e, maybe(h & A(NETNS_PID)), pid_errs, ARRAY_SIZE(pid_errs),
		 "pid of no process");
	abi_rule(e, maybe(h & A(CGROUP_PATH)), path_errs,
		 ARRAY_SIZE(path_errs), "no such cgroup directory");
	abi_rule(e, maybe(h & DEV_REF), dev_errs, ARRAY_SIZE(dev_errs),
		 "no such device visible, or DEV_INDEX and DEV_NAME disagree");
	abi_rule(e, ABI_MAYBE, state_errs, ARRAY_SIZE(state_errs),
		 "no such tenant or member");
}

static void command_rules(struct abi_eval *e, const struct cmd_desc *d,
			  const struct tb *tb, const struct nl_caller *c)
{
	const struct rule *r;
	unsigned int n = 0;
	bool add;

	for (r = d->rules; r->what; r++) {
		switch (r->kind) {
		case Q_NEED:
			abi_rule(e, abi_tri(!(tb->have & r->attrs)), r->errs,
				 r->nerrs, "missing %s", r->what);
			break;
		case Q_NOT_BOTH:
			abi_rule(e, abi_tri((tb->have & r->attrs) == r->attrs),
				 r->errs, r->nerrs, "%s", r->what);
			break;
		case Q_FORBID:
			abi_rule(e, abi_tri(tb->have & r->attrs), r->errs,
				 r->nerrs, "%s", r->what);
			break;
		case Q_LOOKUP:
			abi_rule(e, maybe(tb->have & r->attrs), r->errs,
				 r->nerrs, "%s", r->what);
			break;
		case Q_LOOKUP_ALL:
			abi_rule(e, maybe((tb->have & r->attrs) == r->attrs),
				 r->errs, r->nerrs, "%s", r->what);
			break;
		case Q_STATE:
			abi_rule(e, ABI_MAYBE, r->errs, r->nerrs, "%s",
				 r->what);
			break;
		case Q_NOT_ADMIN:
			abi_rule(e, abi_tri(!c->node_admin), r->errs, r->nerrs,
				 "not a node admin: %s", r->what);
			break;
		case Q_TENANT_NAME:
			if (tb->p[SSNS_ATTR_TENANT_NAME])
				abi_rule(e, abi_tri(!good_name((const char *)
					 tb->p[SSNS_ATTR_TENANT_NAME])),
					 r->errs, r->nerrs, "%s", r->what);
			break;
		case Q_RANGES:
			n += rule_ranges(e, tb);
			break;
		case Q_MEMBERS_ADD:
		case Q_MEMBERS_OP:
			add = r->kind == Q_MEMBERS_ADD ||
			      (tb->p[SSNS_ATTR_OP] &&
			       get_num(tb->p[SSNS_ATTR_OP], 1) == SSNS_OP_ADD);
			n += rule_members(e, tb, add);
			break;
		case Q_SOMETHING:
			/* Q_RANGES and Q_MEMBERS_OP come first. */
			abi_rule(e, abi_tri(!n), r->errs, r->nerrs, "%s",
				 r->what);
			break;
		case Q_MANAGER:
			abi_rule(e, c->node_admin ? ABI_NO : ABI_MAYBE,
				 r->errs, r->nerrs, "%s", r->what);
			break;
		case Q_BW:
			if (tb->have & A(BW)) {
				rule_bw(e, tb, c);
				return;
			}
			break;
		case Q_DELEGATION:
			if (tb->have & DELEGATION_REQ) {
				rule_delegation(e, tb, c);
				return;
			}
			break;
		}
	}
}

void nl_abi_expect(const struct nlmsghdr *nlh, uint16_t family,
		   const struct nl_caller *c, enum abi_tri dump_running,
		   struct abi_outcome *o)
{
	const unsigned char *msg = (const unsigned char *)nlh;
	const struct cmd_desc *d = NULL;
	struct genlmsghdr g = { 0 };
	char why[160];
	struct abi_eval e;
	uint16_t flags;
	bool dump;
	uint8_t cmd = 0;
	struct tb tb;
	int err;

	abi_begin(&e, o);
	/* Not a request, or a control message: acknowledged as such. */
	if (!(nlh->nlmsg_flags & NLM_F_REQUEST) ||
	    nlh->nlmsg_type < NLMSG_MIN_TYPE) {
		abi_end(&e);
		return;
	}
	if (nlh->nlmsg_type != family) {
		/* Generic netlink ids stop at GENL_MAX_ID. */
		if (nlh->nlmsg_type > GENL_MAX_ID) {
			abi_rule1(&e, ABI_YES, ENOENT, "no family %u",
				  nlh->nlmsg_type);
			abi_end(&e);
		} else {
			o->any = true;	/* another family: not ours to judge */
		}
		return;
	}
	abi_rule1(&e, abi_tri(nlh->nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN),
		  EINVAL, "no room for the genl header");
	abi_stage(&e);
	if (nlh->nlmsg_len >= NLMSG_HDRLEN + GENL_HDRLEN) {
		memcpy(&g, msg + NLMSG_HDRLEN, sizeof(g));
		cmd = g.cmd;
		d = cmd <= SSNS_CMD_MAX ? &cmds[cmd] : NULL;
	}
	dump = (nlh->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP;
	flags = nlh->nlmsg_flags & ~(dump ? NLM_F_DUMP : 0);
	abi_rule1(&e, abi_tri(g.reserved), EINVAL,
		  "genl header's reserved field %#x", g.reserved);
	abi_rule1(&e, abi_tri(flags & ~(NLM_F_REQUEST | NLM_F_ACK |
					NLM_F_ECHO)), EINVAL,
		  "nlmsg_flags %#x", nlh->nlmsg_flags);
	abi_stage(&e);
	abi_rule1(&e, abi_tri(!d || !(d->ops & (dump ? NL_DUMP : NL_DO))),
		  EOPNOTSUPP, "command %u has no %s", cmd, dump ? "dump" : "do");
	abi_stage(&e);
	abi_rule1(&e, dump ? dump_running : ABI_NO, EBUSY,
		  "a dump in progress on the socket");
	abi_stage(&e);
	if (!e.decided) {
		err = validate(msg + NLMSG_HDRLEN + GENL_HDRLEN,
			       (int)nlh->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN,
			       NS_TOP, why, sizeof(why));
		abi_rule1(&e, abi_tri(err), err, "%s", why);
	}
	abi_stage(&e);
	if (dump || e.decided) {
		abi_end(&e);
		return;
	}
	abi_rule1(&e, abi_tri(d->perm == P_NODE_ADMIN && !c->node_admin),
		  EPERM, "%s needs a node admin", ssns_cmd_name(cmd));
	abi_stage(&e);
	parse(msg + NLMSG_HDRLEN + GENL_HDRLEN,
	      nlh->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN, &tb);
	command_rules(&e, d, &tb, c);
	abi_end(&e);
}

/* ---- replies and events ---------------------------------------------- */

static const char *check_nest(const unsigned char *p, size_t len,
			      enum nl_space sp, uint64_t may, uint64_t must,
			      char *buf, size_t blen);

/* Cross-attribute rules of a nest's content. */
static const char *check_space(enum nl_space sp, const struct tb *tb,
			       char *buf, size_t blen)
{
	uint64_t h = tb->have;

	switch (sp) {
	case NS_RANGE:
		if (tb->p[SSNS_ATTR_VNI_LAST] &&
		    tb_u32(tb, SSNS_ATTR_VNI_LAST) <
		    tb_u32(tb, SSNS_ATTR_VNI_FIRST)) {
			snprintf(buf, blen, "VNI range %u-%u reversed",
				 tb_u32(tb, SSNS_ATTR_VNI_FIRST),
				 tb_u32(tb, SSNS_ATTR_VNI_LAST));
			return buf;
		}
		return NULL;
	case NS_MEMBER:
		/* NETNS_COOKIE [NETNS_ID], or CGROUP_ID [CGROUP_PATH] */
		if (!(h & A(NETNS_COOKIE)) == !(h & A(CGROUP_ID)) ||
		    ((h & A(NETNS_ID)) && !(h & A(NETNS_COOKIE))) ||
		    ((h & A(CGROUP_PATH)) && !(h & A(CGROUP_ID)))) {
			snprintf(buf, blen, "a member with attributes %#llx",
				 (unsigned long long)h);
			return buf;
		}
		return NULL;
	default:
		return NULL;
	}
}

static const char *check_nest(const unsigned char *p, size_t len,
			      enum nl_space sp, uint64_t may, uint64_t must,
			      char *buf, size_t blen)
{
	size_t off = 0;
	struct tb tb;
	char nb[16];

	memset(&tb, 0, sizeof(tb));
	while (off < len) {
		const struct nl_attr_desc *d = NULL;
		const unsigned char *pl = p + off + NLA_HDRLEN;
		unsigned int type, plen;
		const char *name, *bad;
		struct nlattr h;
		uint64_t v;
		size_t size;

		if (len - off < NLA_HDRLEN) {
			snprintf(buf, blen, "%s: %zu bytes left at %zu",
				 space_names[sp], len - off, off);
			return buf;
		}
		memcpy(&h, p + off, sizeof(h));
		if (h.nla_len < NLA_HDRLEN || h.nla_len > len - off) {
			snprintf(buf, blen, "%s: attribute at %zu of %zu cut (nla_len %u)",
				 space_names[sp], off, len, h.nla_len);
			return buf;
		}
		type = h.nla_type & NLA_TYPE_MASK;
		plen = h.nla_len - NLA_HDRLEN;
		name = attr_str(type, sp, nb, sizeof(nb));
		if (type < 64 && (may & (1ULL << type)))
			d = sp == NS_STATS ? (type == SSNS_STAT_PAD ?
					      &stat_pad : &stat_attr) :
			    &attrs[type];
		if (!d) {
			snprintf(buf, blen, "unexpected attribute %s (flags %#x) in %s",
				 name, h.nla_type & ~NLA_TYPE_MASK,
				 space_names[sp]);
			return buf;
		}
		if (!(h.nla_type & NLA_F_NESTED) != (d->kind != NK_NEST)) {
			snprintf(buf, blen, "%s in %s: NLA_F_NESTED %s", name,
				 space_names[sp],
				 d->kind == NK_NEST ? "missing" : "on a non-nest");
			return buf;
		}
		tb.have |= 1ULL << type;
		if (type <= SSNS_ATTR_MAX) {
			tb.p[type] = pl;
			tb.len[type] = plen;
		}
		size = nl_abi_size(d->kind);
		switch (d->kind) {
		case NK_PAD:
			break;
		case NK_STRING:
			if (!plen || strnlen((const char *)pl, plen) != plen - 1) {
				snprintf(buf, blen, "string %s of %u bytes is not NUL-terminated",
					 name, plen);
				return buf;
			}
			if (d->maxlen && plen - 1 > d->maxlen) {
				snprintf(buf, blen, "%s of %u bytes, above %u",
					 name, plen - 1, d->maxlen);
				return buf;
			}
			if (d->name && !good_name((const char *)pl)) {
				snprintf(buf, blen, "%s \"%s\" is no tenant name",
					 name, pl);
				return buf;
			}
			break;
		case NK_NEST:
			bad = check_nest(pl, plen, d->nest, spaces[d->nest].out,
					 d->nest == NS_RANGE ? A(VNI_FIRST) :
					 d->nest == NS_COUNTER ?
					 A(COUNTER_NAME) | A(COUNTER_VALUE) : 0,
					 buf, blen);
			if (bad)
				return bad;
			break;
		default:
			if (plen != size) {
				snprintf(buf, blen, "%s in %s has %u bytes, not %zu",
					 name, space_names[sp], plen, size);
				return buf;
			}
			v = get_num(pl, size);
			if (!in_range(d, v)) {
				snprintf(buf, blen, "%s has value %llu out of its range",
					 name, (unsigned long long)v);
				return buf;
			}
		}
		off += NLA_ALIGN(h.nla_len);
	}
	if (must & ~tb.have) {
		unsigned int t = (unsigned int)__builtin_ctzll(must & ~tb.have);

		snprintf(buf, blen, "%s without %s", space_names[sp],
			 attr_str(t, sp, nb, sizeof(nb)));
		return buf;
	}
	return check_space(sp, &tb, buf, blen);
}

const char *nl_abi_check_msg(enum nl_msg_kind kind, unsigned int cmd,
			     const void *p, size_t len, char *buf,
			     size_t blen)
{
	const struct cmd_desc *d = cmd <= SSNS_CMD_MAX ? &cmds[cmd] : NULL;
	uint64_t may = 0, must = 0;
	const char *bad;

	if (d && kind == NL_REPLY) {
		may = d->reply;
		must = d->reply_must;
	} else if (d && (d->ops & NL_EVENT)) {
		may = d->event;
		must = d->event_must;
	}
	if (!may) {
		snprintf(buf, blen, "command %u sends no %s", cmd,
			 kind == NL_REPLY ? "reply" : "event");
		return buf;
	}
	bad = check_nest(p, len, NS_TOP, may, must, buf, blen);
	if (bad && bad != buf)
		snprintf(buf, blen, "%s", bad);
	return bad ? buf : NULL;
}
