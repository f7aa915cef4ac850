/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The generic netlink family "ssns" as a table: each attribute of
 * uapi/linux/ssns.h with its type and range, which attributes each nest
 * holds, and for each command its operations (do, dump, event), its
 * permission, the attributes of its requests with the rules they follow
 * and the errno of each violation, and the attributes of its replies and
 * events. Written from the uapi header and docs/netlink.md; nlfuzz judges
 * every request and every reply by it, nlraw prints by it.
 */
#ifndef SSNS_NL_ABI_H
#define SSNS_NL_ABI_H

#include <stddef.h>
#include <stdint.h>
#include <linux/netlink.h>
#include <linux/ssns.h>

#include "abi.h"

/* How an attribute's payload is laid out. */
enum nl_kind {
	NK_NONE,	/* no such attribute */
	NK_PAD,		/* alignment padding, no meaning */
	NK_U8,
	NK_U32,
	NK_S32,
	NK_U64,
	NK_STRING,	/* NUL-terminated */
	NK_FLAG,	/* no payload */
	NK_NEST,
};

/* The attribute sets nests hold. */
enum nl_space {
	NS_TOP,		/* the message itself */
	NS_RANGES,	/* VNI_RANGES: VNI_RANGE... */
	NS_RANGE,	/* VNI_RANGE: VNI_FIRST, VNI_LAST */
	NS_MEMBERS,	/* MEMBERS: MEMBER... */
	NS_MEMBER,	/* MEMBER: a netns or a cgroup */
	NS_STATS,	/* STATS: enum ssns_stat_attr, u64 each */
	NS_COUNTERS,	/* DEV_COUNTERS: COUNTER... */
	NS_COUNTER,	/* COUNTER: COUNTER_NAME, COUNTER_VALUE */
	NS_DELEGATE,	/* DELEGATE: USERNS_INUM [CGROUP_ID, CGROUP_PATH] */
	NS_BW,		/* BW: one scope (requests), the policy (replies) */
	NS_BW_DEV,	/* BW_DEV: a device's override */
	NS_BW_MEMBER,	/* BW_MEMBER: a member's ceiling */
	NS_MSERVICES,	/* MEMBER_SERVICES: DEV_SERVICES... */
	NS_DSERVICES,	/* DEV_SERVICES: DEV_NAME, SERVICE_ID... */
	NS_NR,
};

struct nl_attr_desc {
	enum nl_kind kind;
	uint64_t min, max;	/* numbers (S32: as unsigned, min <= max) */
	unsigned int maxlen;	/* strings: longest without NUL, 0: any */
	enum nl_space nest;	/* NK_NEST: what it holds */
	bool name;		/* a tenant name: [A-Za-z0-9._-]+ */
};

/* Attribute @type of the family (enum ssns_attr), or NULL if none. */
const struct nl_attr_desc *nl_abi_attr(unsigned int type);
/* Payload size of a number kind (0 for the others). */
size_t nl_abi_size(enum nl_kind kind);

/* Operations of a command. */
#define NL_DO		0x1
#define NL_DUMP		0x2
#define NL_EVENT	0x4

/* NL_DO | NL_DUMP | NL_EVENT of command @cmd, 0 when there is none. */
unsigned int nl_abi_ops(unsigned int cmd);
/*
 * Does a do request of @cmd change the node (and need a node admin, or a
 * delegate of the tenant it changes)?
 */
bool nl_abi_is_change(unsigned int cmd);

/* Who asks. */
struct nl_caller {
	/* CAP_NET_ADMIN in the initial user namespace */
	bool node_admin;
};

/*
 * The outcomes the family allows for the request @nlh (its nlmsg_len
 * bytes are all there) sent by @c to the family @family; @dump_running:
 * whether a dump may still be in progress on the socket.
 */
void nl_abi_expect(const struct nlmsghdr *nlh, uint16_t family,
		   const struct nl_caller *c, enum abi_tri dump_running,
		   struct abi_outcome *o);

/* What a message carries: a reply to a request, or an event. */
enum nl_msg_kind {
	NL_REPLY,
	NL_NOTIFY,
};

/*
 * Check the attributes (@len bytes at @attrs, after the genl header) of
 * a reply to command @cmd or of event @cmd: which attributes, their sizes
 * and ranges, what each nest holds, those that must be there. NULL when
 * the ABI allows the message, else what is wrong (in @buf).
 */
const char *nl_abi_check_msg(enum nl_msg_kind kind, unsigned int cmd,
			     const void *attrs, size_t len, char *buf,
			     size_t blen);

#endif /* SSNS_NL_ABI_H */
