/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * ssns: multi-tenant isolation for cxi-style RDMA NICs.
 *
 * Generic netlink family "ssns". Every request and every reply uses the
 * single attribute space below. Reads (GET) are open to every caller and
 * show only what the caller's network namespace can see; node-wide changes
 * need CAP_NET_ADMIN in the initial user namespace, and moving a device needs
 * CAP_NET_ADMIN over the user namespaces of both network namespaces.
 *
 * This header compiles alone in user space.
 */
#ifndef _UAPI_LINUX_SSNS_H
#define _UAPI_LINUX_SSNS_H

#include <linux/types.h>

#define SSNS_GENL_NAME		"ssns"
#define SSNS_GENL_VERSION	1
#define SSNS_GENL_MCGRP_MONITOR	"monitor"

/* Limits shared by the kernel and user space. */
#define SSNS_NAME_MAX		32	/* device and tenant names, with NUL */
#define SSNS_VNI_MIN		1
#define SSNS_VNI_MAX		65535
#define SSNS_PID_ANY		0xffffffffU	/* endpoint address: any free */
#define SSNS_CGROUP_PATH_MAX	4096

/*
 * Bandwidth (SSNS_ATTR_BW): a tenant's weight on a device (share) and its
 * ceilings, in bits per second (the unit of iproute2's rates and of the
 * CNI bandwidth capability). A share is relative: under contention on a
 * device's link, backlogged tenants get the link in proportion to their
 * shares; an idle tenant's share goes to the busy ones.
 */
#define SSNS_BW_SHARE_DEFAULT	1
#define SSNS_BW_SHARE_MAX	10000
#define SSNS_BW_RATE_MIN	1000ULL			/* bit/s: 1 kbit */
#define SSNS_BW_RATE_MAX	1000000000000000ULL	/* bit/s: 1 Pbit */

/* System-wide network namespace mode (SSNS_ATTR_SYS_NETNS_MODE). */
enum ssns_netns_mode {
	SSNS_NETNS_SHARED,	/* devices in init_net are visible everywhere */
	SSNS_NETNS_EXCLUSIVE,	/* a device is visible only in its netns */
};

/* Slingshot traffic classes (SSNS_ATTR_TC). */
enum ssns_tc {
	SSNS_TC_DEDICATED_ACCESS,
	SSNS_TC_LOW_LATENCY,
	SSNS_TC_BULK_DATA,
	SSNS_TC_BEST_EFFORT,

	__SSNS_TC_MAX,
	SSNS_TC_MAX = __SSNS_TC_MAX - 1,
};

/* Operation of a SET request on a set-valued attribute (SSNS_ATTR_OP). */
enum ssns_op {
	SSNS_OP_ADD,
	SSNS_OP_DEL,
};

/* Why an endpoint allocation was denied (SSNS_ATTR_REASON), in rule order. */
enum ssns_deny_reason {
	SSNS_DENY_NODEV = 1,	/* context revoked or device not visible */
	SSNS_DENY_NOPROFILE,	/* no profile (device, VNI, TC) */
	SSNS_DENY_TENANT,	/* profile belongs to another tenant */
	SSNS_DENY_CGROUP,	/* rdma cgroup limit reached */
	SSNS_DENY_ADDRINUSE,	/* endpoint address taken */
	SSNS_DENY_NOSPC,	/* no free endpoint address */

	__SSNS_DENY_MAX,
	SSNS_DENY_MAX = __SSNS_DENY_MAX - 1,
};

/*
 * Requests (attributes: R required, O optional) and replies.
 *
 * A device is named by DEV_INDEX or DEV_NAME (both: they must agree). A
 * netns by NETNS_FD or NETNS_PID (exactly one). Devices a caller's netns
 * cannot see are reported as missing (ENODEV), except to node admins
 * creating or deleting profiles, who name any device.
 *
 * SYS_GET      -> SYS_GET: SYS_NETNS_MODE, SYS_CGROUP_ACCT, SYS_VERSION
 * SYS_SET      R SYS_NETNS_MODE. Node admin. Notifies SYS_SET on a change.
 * DEV_GET      do: R device; dump: every visible device.
 *              -> DEV_INDEX, DEV_NAME, DEV_PROVIDER, DEV_PARENT,
 *                 [DEV_CHARDEV] (its device node, if it has one),
 *                 NETNS_COOKIE (owner), NETNS_ID (if the caller has an
 *                 nsid for the owner), SYS_CGROUP_ACCT, STATS (the
 *                 core's counters), DEV_COUNTERS (the provider's, by
 *                 name: COUNTER { COUNTER_NAME, COUNTER_VALUE })
 * DEV_SET      R device, R NETNS_FD | NETNS_PID: move. CAP_NET_ADMIN over
 *              the user namespaces of the current and the target netns.
 * TENANT_GET   do: R TENANT_NAME; dump: every readable tenant.
 *              -> TENANT_NAME, [TENANT_PARENT], VNI_RANGES, MEMBERS
 *                 (MEMBER: NETNS_COOKIE [NETNS_ID] or CGROUP_ID
 *                 CGROUP_PATH), [DELEGATE], STATS
 * TENANT_NEW   R TENANT_NAME ([A-Za-z0-9._-]+), O VNI_RANGES, O members,
 *              O TENANT_PARENT: a child, whose VNIs come from its parent.
 * TENANT_DEL   R TENANT_NAME. Deletes its children, its profiles,
 *              revokes its contexts; its VNIs go back to its parent.
 * TENANT_SET   R TENANT_NAME, then either a delegation alone:
 *              USERNS_FD | USERNS_PID, O DELEGATE_CGROUP (a path under
 *              the cgroup2 root); or DELEGATE_NONE. Or R OP, and
 *              VNI_RANGES and/or members.
 *              Members: MEMBERS (nest of MEMBER) or one member given at
 *              the top level; a member is NETNS_FD | NETNS_PID |
 *              CGROUP_PATH (relative to the cgroup2 root) | CGROUP_FD, or
 *              (OP del only) NETNS_COOKIE | CGROUP_ID.
 *              VNI_RANGE: R VNI_FIRST, O VNI_LAST (default VNI_FIRST).
 * PROFILE_GET  do: R device, VNI, TC; dump: every readable profile.
 *              -> DEV_INDEX, DEV_NAME, VNI, TC, [TENANT_NAME]
 * PROFILE_NEW  R device, VNI, TC. Tagged with the VNI's tenant, if any.
 * PROFILE_DEL  R device, VNI, TC. EBUSY while endpoints use it.
 * EP_GET       dump -> DEV_INDEX, DEV_NAME, VNI, TC, EP_ADDR, OWNER_PID,
 *                 OWNER_COMM, NETNS_COOKIE (of the context), [TENANT_NAME]
 * MONITOR     no attributes: the sending socket receives events as unicast
 *              messages until it is closed, each event only if it is the
 *              listener's business when it is sent: everything for a node
 *              admin (init_net, CAP_NET_ADMIN in the initial user
 *              namespace); else the mode, device events of devices its
 *              netns sees, and events of its own tenant (by its netns, else
 *              by the cgroup it subscribed from).
 * Events: DEV_NEW/DEV_DEL/DEV_SET (device attributes, no STATS), SYS_SET,
 * TENANT_NEW/DEL/SET (the tenant as in TENANT_GET; DEL: name only),
 * PROFILE_NEW/DEL, EP_DENIED (DEV_INDEX, DEV_NAME, VNI, TC, EP_ADDR,
 * OWNER_PID, OWNER_COMM, REASON, ERRNO, NETNS_COOKIE, [TENANT_NAME]).
 * They also go to the multicast group "monitor" in init_net, which only
 * node admins may join (EPERM for others: use MONITOR).
 *
 * Readers: a caller with a tenant (by netns, else by cgroup) reads only its
 * tenant, that tenant's profiles and endpoints; a caller without one reads
 * everything from init_net and no tenant object elsewhere. A delegate also
 * reads the tenants it manages.
 *
 * Permissions: SYS_SET needs CAP_NET_ADMIN in the initial user namespace
 * (a node admin). Tenant and profile changes are open to node admins and
 * to delegates: a tenant delegated to a user namespace D is managed, with
 * its children, by callers with CAP_NET_ADMIN over D; they bind netns owned
 * by D or below, cgroups under the delegated subtree, manage profiles of
 * its VNIs, make children from its VNIs and delegate them to D or below.
 * Top-level tenants, their VNIs and their delegation are node admins'.
 * Refusals: EPERM with a message naming the rule.
 *
 * Bandwidth. TENANT_SET with a BW nest changes one scope of a tenant's
 * bandwidth policy, which the providers enforce (the simulator shapes its
 * data path; see docs/bandwidth.md):
 *   BW { [DEV_INDEX | DEV_NAME], [member], [BW_SHARE], [BW_MAX], [BW_CLEAR] }
 * - no device and no member: the tenant's share and ceiling on every
 *   device (share SSNS_BW_SHARE_DEFAULT and no ceiling until set);
 * - a device (one the caller sees): the tenant's share and ceiling on that
 *   device only, overriding the above for what is given;
 * - a member (NETNS_FD | NETNS_PID | NETNS_COOKIE | CGROUP_PATH | CGROUP_FD
 *   | CGROUP_ID, a member of the tenant): the ceiling of that member's
 *   traffic (a pod's), on each device; BW_MAX only.
 * BW_MAX 0 is "no ceiling" at that scope (on a device: none there, whatever
 * the tenant's); BW_CLEAR (alone) drops the scope's settings: a device's
 * override, a member's ceiling, or the tenant's own back to the defaults.
 * Bandwidth is a node admin's (EPERM for a delegate) and a BW request
 * changes nothing else (EINVAL with OP, VNI_RANGES, members or a
 * delegation). Errors: EINVAL (nothing to set, a share for a member, a
 * device and a member together, BW_SHARE 0 or above SSNS_BW_SHARE_MAX,
 * BW_MAX not 0 and outside SSNS_BW_RATE_MIN..SSNS_BW_RATE_MAX: checked by
 * the command, the message names the value), ENODEV (device), ENOENT (not
 * a member of the tenant). A member's ceiling goes when it leaves the
 * tenant; a device's override when the device is unregistered.
 * TENANT_GET and the tenant events carry
 *   BW { BW_SHARE, [BW_MAX], BW_DEV*, BW_MEMBER*, BW_THROTTLED, BW_WAIT_US }
 * BW_DEV { DEV_INDEX, DEV_NAME, [BW_SHARE], [BW_MAX] } for each device
 * override, BW_MEMBER { NETNS_COOKIE | CGROUP_ID, BW_MAX } for each member
 * ceiling; BW_THROTTLED counts the tenant's messages that shaping slowed
 * (a sender that waited, or was told EAGAIN), BW_WAIT_US the time they
 * waited.
 */
enum ssns_cmd {
	SSNS_CMD_UNSPEC,

	SSNS_CMD_SYS_GET,	/* do */
	SSNS_CMD_SYS_SET,	/* do; also the notification of a mode change */

	SSNS_CMD_DEV_GET,	/* do, dump */
	SSNS_CMD_DEV_SET,	/* do: move to a netns; notification of a move */
	SSNS_CMD_DEV_NEW,	/* notification only */
	SSNS_CMD_DEV_DEL,	/* notification only */

	SSNS_CMD_TENANT_GET,	/* do, dump */
	SSNS_CMD_TENANT_NEW,	/* do; notification */
	SSNS_CMD_TENANT_DEL,	/* do; notification */
	SSNS_CMD_TENANT_SET,	/* do: add/remove VNIs and members; notification */

	SSNS_CMD_PROFILE_GET,	/* do, dump */
	SSNS_CMD_PROFILE_NEW,	/* do; notification */
	SSNS_CMD_PROFILE_DEL,	/* do; notification */

	SSNS_CMD_EP_GET,	/* dump */
	SSNS_CMD_EP_DENIED,	/* notification only */
	SSNS_CMD_MONITOR,	/* do: subscribe this socket to events */

	__SSNS_CMD_MAX,
	SSNS_CMD_MAX = __SSNS_CMD_MAX - 1,
};

enum ssns_attr {
	SSNS_ATTR_UNSPEC,
	SSNS_ATTR_PAD,

	/* system */
	SSNS_ATTR_SYS_NETNS_MODE,	/* u8, enum ssns_netns_mode */
	SSNS_ATTR_SYS_CGROUP_ACCT,	/* u8: 1 when rdma cgroup accounting is on */
	SSNS_ATTR_SYS_VERSION,		/* string: module version */

	/* device */
	SSNS_ATTR_DEV_INDEX,		/* u32 */
	SSNS_ATTR_DEV_NAME,		/* string, "cxi0" */
	SSNS_ATTR_DEV_PROVIDER,		/* string, "ssns_sim" */
	SSNS_ATTR_DEV_CHARDEV,		/* string, "/dev/cxi0" */

	/* network namespaces: a target is given by exactly one of FD or PID */
	SSNS_ATTR_NETNS_FD,		/* u32 */
	SSNS_ATTR_NETNS_PID,		/* u32 */
	SSNS_ATTR_NETNS_COOKIE,		/* u64: identity of a netns (output) */
	SSNS_ATTR_NETNS_ID,		/* s32: nsid in the caller's netns, if any */

	/* tenant */
	SSNS_ATTR_TENANT_NAME,		/* string */
	SSNS_ATTR_VNI_RANGES,		/* nest of SSNS_ATTR_VNI_RANGE */
	SSNS_ATTR_VNI_RANGE,		/* nest: SSNS_ATTR_VNI_FIRST, _LAST */
	SSNS_ATTR_VNI_FIRST,		/* u32, 1..65535 */
	SSNS_ATTR_VNI_LAST,		/* u32, 1..65535 */
	SSNS_ATTR_MEMBERS,		/* nest of SSNS_ATTR_MEMBER */
	SSNS_ATTR_MEMBER,		/* nest: NETNS_COOKIE or CGROUP_ID/PATH */
	SSNS_ATTR_CGROUP_PATH,		/* string: cgroup v2 directory */
	SSNS_ATTR_CGROUP_FD,		/* u32: fd of a cgroup v2 directory */
	SSNS_ATTR_CGROUP_ID,		/* u64 (output) */
	SSNS_ATTR_OP,			/* u8, enum ssns_op (TENANT_SET) */

	/* profile and endpoint */
	SSNS_ATTR_VNI,			/* u32, 1..65535 */
	SSNS_ATTR_TC,			/* u8, enum ssns_tc */
	SSNS_ATTR_EP_ADDR,		/* u32: endpoint address ("pid") */
	SSNS_ATTR_OWNER_PID,		/* u32: tgid of the allocating task */
	SSNS_ATTR_OWNER_COMM,		/* string */
	SSNS_ATTR_REASON,		/* u32, enum ssns_deny_reason */
	SSNS_ATTR_ERRNO,		/* u32: positive errno of a denial */

	/* counters */
	SSNS_ATTR_STATS,		/* nest of enum ssns_stat_attr */

	/* device, continued */
	SSNS_ATTR_DEV_PARENT,		/* string: the provider's device */
	SSNS_ATTR_DEV_COUNTERS,		/* nest of SSNS_ATTR_COUNTER */
	SSNS_ATTR_COUNTER,		/* nest: COUNTER_NAME, COUNTER_VALUE */
	SSNS_ATTR_COUNTER_NAME,		/* string: a provider's counter */
	SSNS_ATTR_COUNTER_VALUE,	/* u64 */

	/* nesting and delegation of tenants */
	SSNS_ATTR_TENANT_PARENT,	/* string: the parent tenant's name */
	SSNS_ATTR_USERNS_FD,		/* u32: fd of a user namespace */
	SSNS_ATTR_USERNS_PID,		/* u32: a process of a user namespace */
	SSNS_ATTR_USERNS_INUM,		/* u32 (output): a user namespace */
	SSNS_ATTR_DELEGATE,		/* nest (output): USERNS_INUM,
					 * [CGROUP_ID, CGROUP_PATH]
					 */
	SSNS_ATTR_DELEGATE_NONE,	/* flag: withdraw a delegation */
	SSNS_ATTR_DELEGATE_CGROUP,	/* string: delegated cgroup subtree */
	/* bandwidth (see "Bandwidth" above) */
	SSNS_ATTR_BW,			/* nest: one scope (set), the policy (get) */
	SSNS_ATTR_BW_SHARE,		/* u32: weight, 1..SSNS_BW_SHARE_MAX */
	SSNS_ATTR_BW_MAX,		/* u64: ceiling, bit/s; 0: none */
	SSNS_ATTR_BW_CLEAR,		/* flag: drop the scope's settings */
	SSNS_ATTR_BW_DEV,		/* nest: a device's override (output) */
	SSNS_ATTR_BW_MEMBER,		/* nest: a member's ceiling (output) */
	SSNS_ATTR_BW_THROTTLED,		/* u64: messages slowed (output) */
	SSNS_ATTR_BW_WAIT_US,		/* u64: time they waited (output) */

	/* a provider's services serving a netns member (HPE's svc_id) */
	SSNS_ATTR_MEMBER_SERVICES,	/* nest (output) in a netns MEMBER:
					 * DEV_SERVICES...
					 */
	SSNS_ATTR_DEV_SERVICES,		/* nest: DEV_NAME, SERVICE_ID... */
	SSNS_ATTR_SERVICE_ID,		/* u32: a provider's service id */

	__SSNS_ATTR_MAX,
	SSNS_ATTR_MAX = __SSNS_ATTR_MAX - 1,
};

/* Counters inside SSNS_ATTR_STATS, all u64. */
enum ssns_stat_attr {
	SSNS_STAT_UNSPEC,
	SSNS_STAT_PAD,
	SSNS_STAT_CTX_OPEN,		/* contexts opened */
	SSNS_STAT_CTX_REVOKED,		/* contexts revoked */
	SSNS_STAT_EP_ALLOC,		/* endpoints admitted */
	SSNS_STAT_EP_FREE,		/* endpoints released */
	SSNS_STAT_DENY_NODEV,
	SSNS_STAT_DENY_NOPROFILE,
	SSNS_STAT_DENY_TENANT,
	SSNS_STAT_DENY_CGROUP,
	SSNS_STAT_DENY_ADDRINUSE,
	SSNS_STAT_DENY_NOSPC,
	/*
	 * Not sent any more: a provider's counters (the simulator's messages
	 * sent, delivered, dropped...) are in SSNS_ATTR_DEV_COUNTERS.
	 */
	SSNS_STAT_TX_MSGS,
	SSNS_STAT_RX_MSGS,
	SSNS_STAT_DROPS,

	__SSNS_STAT_MAX,
	SSNS_STAT_MAX = __SSNS_STAT_MAX - 1,
};

#endif /* _UAPI_LINUX_SSNS_H */
