/* SPDX-License-Identifier: LGPL-2.1-or-later OR GPL-2.0 */
/*
 * libssns: client library of the ssns generic netlink family.
 *
 * ssns makes the kernel isolate tenants on cxi-style RDMA NICs: devices live
 * in network namespaces, tenants own VNIs and have members (network
 * namespaces and cgroup v2 directories), communication profiles tag
 * (device, VNI, traffic class) with the tenant that owns the VNI, and every
 * endpoint allocation that crosses tenants is refused in the kernel.
 *
 * Conventions of this API
 *
 *  - Every function that can fail returns 0 (or a positive count) on
 *    success and a negative errno on failure. The errno is the kernel's
 *    when the kernel refused the request; ssns_errmsg() then returns the
 *    kernel's extended ack message (it names the offending value), or a
 *    message from the library itself for local failures.
 *
 *  - Objects (devices, tenants, profiles, endpoints, events) are returned
 *    as plain structures allocated by the library. Free them with the
 *    matching *_free() function. Never allocate, embed or copy these
 *    structures yourself: later versions may append fields at their end.
 *
 *  - A handle is not thread-safe: use one handle per thread, or lock.
 *
 *  - Network namespaces are given by an open file descriptor (of
 *    /proc/PID/ns/net or a bind mount such as /run/netns/NAME), by a pid,
 *    or by a path that the library opens. A cgroup v2 directory is given by
 *    an open directory fd or by a path.
 *
 * Link with pkg-config: `pkg-config --cflags --libs libssns`.
 */
#ifndef LIBSSNS_H
#define LIBSSNS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <linux/ssns.h>

#ifdef __cplusplus
extern "C" {
#endif

#define LIBSSNS_VERSION_MAJOR	0
#define LIBSSNS_VERSION_MINOR	4	/* newest symbol version, LIBSSNS_0.4 */

/* Opaque connection to the kernel. */
struct ssns_handle;

/* ---------------------------------------------------------------- handle */

/*
 * Allocate a handle. No kernel contact yet. Returns NULL when out of memory.
 */
struct ssns_handle *ssns_new(void);

/*
 * Open the netlink socket and resolve the "ssns" family. Returns 0, or
 * -ENOENT when the ssns module is not loaded, or another negative errno.
 */
int ssns_connect(struct ssns_handle *h);

/* Close the connection (if any) and free the handle. NULL is accepted. */
void ssns_free(struct ssns_handle *h);

/*
 * Message that explains the last failure on this handle: the kernel's
 * extended ack text when it sent one, else a library message, else "".
 * Never NULL. Valid until the next call on the handle.
 */
const char *ssns_errmsg(const struct ssns_handle *h);

/* Negative errno of the last failure on this handle, 0 when none. */
int ssns_errno(const struct ssns_handle *h);

/* Names of enum values: "shared", "low_latency", "tenant"... or NULL. */
const char *ssns_netns_mode_name(unsigned int mode);
const char *ssns_tc_name(unsigned int tc);
const char *ssns_deny_reason_name(unsigned int reason);
const char *ssns_stat_name(unsigned int stat);

/* Inverse of the above; return the value or -EINVAL. Exact names only. */
int ssns_netns_mode_from_name(const char *name);
int ssns_tc_from_name(const char *name);

/*
 * The kernel's rules for names (LIBSSNS_0.3), to refuse a bad name before
 * asking the kernel. No kernel contact; NULL is not valid.
 *
 * A tenant name is 1 to SSNS_NAME_MAX - 1 (31) bytes of ASCII letters,
 * digits, '.', '_' and '-', in any position: ".x-1", "-a" and ".." are
 * valid. A tenant name is not a safe file name as it is (".", "..").
 *
 * A device name is 1 to 31 bytes without '/', blank, tab or newline (it
 * also names /dev/NAME and the device of the rdma cgroup controller).
 */
bool ssns_tenant_name_valid(const char *name);
bool ssns_dev_name_valid(const char *name);

/*
 * Names of the family's commands ("dev_get", "tenant_set", "monitor"...,
 * the events' names too) and of its attributes as the uapi spells them
 * after SSNS_ATTR_ ("DEV_NAME", "VNI_RANGES"...; the kernel's messages and
 * ssns_errmsg() use them), or NULL. Since LIBSSNS_0.3.
 */
const char *ssns_cmd_name(unsigned int cmd);
const char *ssns_attr_name(unsigned int attr);

/* ---------------------------------------------------------------- system */

struct ssns_system {
	uint8_t netns_mode;		/* enum ssns_netns_mode */
	bool cgroup_acct;		/* rdma cgroup accounting available */
	char version[64];		/* module version, "" if unknown */
};

int ssns_system_get(struct ssns_handle *h, struct ssns_system **out);
void ssns_system_free(struct ssns_system *sys);
/* Switch the node-wide mode; needs CAP_NET_ADMIN. */
int ssns_system_set_mode(struct ssns_handle *h, enum ssns_netns_mode mode);

/* ------------------------------------------------------------ statistics */

struct ssns_stats {
	bool present;			/* the kernel sent counters */
	uint64_t v[SSNS_STAT_MAX + 1];	/* indexed by enum ssns_stat_attr */
};

/* --------------------------------------------------------------- devices */

struct ssns_dev {
	uint32_t index;
	char name[SSNS_NAME_MAX];
	char provider[SSNS_NAME_MAX];
	char chardev[64];
	bool has_netns_cookie;
	uint64_t netns_cookie;		/* owner netns */
	bool has_netns_id;
	int32_t netns_id;		/* nsid of the owner in caller's netns */
	bool cgroup_acct;		/* registered with the rdma cgroup */
	struct ssns_stats stats;
};

struct ssns_dev_list {
	size_t count;
	struct ssns_dev *devs;		/* array of count devices */
};

/* Devices the caller's network namespace can see. */
int ssns_dev_list(struct ssns_handle *h, struct ssns_dev_list **out);
void ssns_dev_list_free(struct ssns_dev_list *list);
/* One device by name; -ENODEV when unknown or not visible. */
int ssns_dev_get(struct ssns_handle *h, const char *name,
		 struct ssns_dev **out);
void ssns_dev_free(struct ssns_dev *dev);

/*
 * The counters a device's provider publishes (the simulator's messages
 * sent, delivered, dropped...), by the provider's names, in its order.
 * The core's own counters are in struct ssns_dev.stats.
 */
struct ssns_counter {
	char name[SSNS_NAME_MAX];
	uint64_t value;
};

struct ssns_counter_list {
	size_t count;
	struct ssns_counter *c;		/* array of count counters */
};

int ssns_dev_counters(struct ssns_handle *h, const char *dev,
		      struct ssns_counter_list **out);
void ssns_counter_list_free(struct ssns_counter_list *list);

/* Move a device into a network namespace given by fd, pid or path. */
int ssns_dev_move_fd(struct ssns_handle *h, const char *dev, int netns_fd);
int ssns_dev_move_pid(struct ssns_handle *h, const char *dev, pid_t pid);
int ssns_dev_move_path(struct ssns_handle *h, const char *dev,
		       const char *netns_path);

/* --------------------------------------------------------------- tenants */

struct ssns_vni_range {
	uint32_t first;			/* 1..65535 */
	uint32_t last;			/* first..65535 */
};

enum ssns_member_type {
	SSNS_MEMBER_NETNS = 1,
	SSNS_MEMBER_CGROUP,
};

struct ssns_member {
	enum ssns_member_type type;
	uint64_t netns_cookie;		/* SSNS_MEMBER_NETNS */
	bool has_netns_id;
	int32_t netns_id;
	uint64_t cgroup_id;		/* SSNS_MEMBER_CGROUP */
	char *cgroup_path;		/* may be NULL */
};

struct ssns_tenant {
	char name[SSNS_NAME_MAX];
	size_t nranges;
	struct ssns_vni_range *ranges;
	size_t nmembers;
	struct ssns_member *members;
	struct ssns_stats stats;
};

struct ssns_tenant_list {
	size_t count;
	struct ssns_tenant *tenants;
};

int ssns_tenant_list(struct ssns_handle *h, struct ssns_tenant_list **out);
void ssns_tenant_list_free(struct ssns_tenant_list *list);
/* One tenant by name; -ENOENT when unknown. */
int ssns_tenant_get(struct ssns_handle *h, const char *name,
		    struct ssns_tenant **out);
void ssns_tenant_free(struct ssns_tenant *t);

/* Create a tenant owning the given VNI ranges (nranges may be 0). */
int ssns_tenant_add(struct ssns_handle *h, const char *name,
		    const struct ssns_vni_range *ranges, size_t nranges);
/* Remove a tenant: its contexts are revoked. */
int ssns_tenant_del(struct ssns_handle *h, const char *name);

/*
 * Nesting and delegation. A child tenant takes its VNI ranges from its
 * parent (they go back when it is deleted). A tenant delegated to a user
 * namespace is managed, with its children, by processes with
 * CAP_NET_ADMIN over that user namespace (a rootless kubelet, a Flux
 * instance): they bind network namespaces it owns, cgroups under
 * cgroup_path (relative to the cgroup2 root; NULL: none), profiles of the
 * tenant's VNIs, and make and delegate children. See "Rootless and nested
 * deployments" in the README.
 */
int ssns_tenant_add_child(struct ssns_handle *h, const char *name,
			  const char *parent,
			  const struct ssns_vni_range *ranges, size_t nranges);
/* Delegate to the user namespace of process pid, or of a file such as
 * /proc/PID/ns/user. */
int ssns_tenant_delegate_pid(struct ssns_handle *h, const char *name,
			     pid_t pid, const char *cgroup_path);
int ssns_tenant_delegate_path(struct ssns_handle *h, const char *name,
			      const char *userns_path,
			      const char *cgroup_path);
/* Take a delegation back (the children its delegates made go). */
int ssns_tenant_undelegate(struct ssns_handle *h, const char *name);

/*
 * Where a tenant stands, beyond struct ssns_tenant. The caller sets size
 * to sizeof(struct ssns_tenant_ext) (an older caller's smaller size is
 * honoured).
 */
struct ssns_tenant_ext {
	uint32_t size;
	char parent[SSNS_NAME_MAX];	/* "" for a top-level tenant */
	bool delegated;
	uint32_t delegate_userns;	/* inode number of the user namespace */
	uint64_t delegate_cgroup_id;	/* 0: no cgroup subtree */
	char delegate_cgroup[256];	/* its path, cut to fit */
};

int ssns_tenant_ext_get(struct ssns_handle *h, const char *name,
			struct ssns_tenant_ext *ext);

/*
 * The same for every tenant the caller may see, in one dump: fn is called
 * once per tenant with its name and where it stands (ext->size is the
 * library's; read only the fields your header has). A non-zero return of
 * fn stops the walk, and ssns_tenant_ext_each() returns it. Since
 * LIBSSNS_0.4.
 */
typedef int (*ssns_tenant_ext_fn)(const char *name,
				  const struct ssns_tenant_ext *ext,
				  void *arg);
int ssns_tenant_ext_each(struct ssns_handle *h, ssns_tenant_ext_fn fn,
			 void *arg);

/*
 * The services of a device's provider (HPE's cxi driver: its service ids)
 * that serve the network namespace members of a tenant: one entry per
 * (member, device) that has any, what a runtime exports to a pod as
 * SLINGSHOT_SVC_IDS. Devices of providers without services (the
 * simulator) have no entry.
 */
struct ssns_service {
	uint64_t netns_cookie;		/* the member */
	bool has_netns_id;
	int32_t netns_id;		/* its nsid in the caller's netns */
	char dev[SSNS_NAME_MAX];
	size_t count;
	uint32_t *ids;			/* the provider's service ids */
};

struct ssns_service_list {
	size_t count;
	struct ssns_service *s;		/* array of count entries */
	size_t cap_;			/* private */
};

int ssns_tenant_services(struct ssns_handle *h, const char *name,
			 struct ssns_service_list **out);
void ssns_service_list_free(struct ssns_service_list *list);

/* Add (SSNS_OP_ADD) or remove (SSNS_OP_DEL) VNI ranges. */
int ssns_tenant_vni(struct ssns_handle *h, const char *name,
		    const struct ssns_vni_range *ranges, size_t nranges,
		    enum ssns_op op);

/* Bind (SSNS_OP_ADD) or unbind (SSNS_OP_DEL) a network namespace. */
int ssns_tenant_netns_fd(struct ssns_handle *h, const char *name,
			 int netns_fd, enum ssns_op op);
int ssns_tenant_netns_pid(struct ssns_handle *h, const char *name,
			  pid_t pid, enum ssns_op op);
int ssns_tenant_netns_path(struct ssns_handle *h, const char *name,
			   const char *netns_path, enum ssns_op op);
/*
 * Unbind a member network namespace by its cookie (as listed in
 * struct ssns_member), which works after the namespace is gone; the
 * kernel accepts a cookie for SSNS_OP_DEL only.
 */
int ssns_tenant_netns_cookie(struct ssns_handle *h, const char *name,
			     uint64_t cookie, enum ssns_op op);

/*
 * Bind or unbind a cgroup v2 directory, by open directory fd or by path
 * (opened here and passed as an fd, so the path is one of the caller's
 * file system, such as /sys/fs/cgroup/kubepods/pod1).
 */
int ssns_tenant_cgroup_fd(struct ssns_handle *h, const char *name,
			  int cgroup_fd, enum ssns_op op);
int ssns_tenant_cgroup_path(struct ssns_handle *h, const char *name,
			    const char *cgroup_path, enum ssns_op op);
/*
 * Unbind a member cgroup by its id (struct ssns_member.cgroup_id), which
 * works after its directory was removed; SSNS_OP_DEL only.
 */
int ssns_tenant_cgroup_id(struct ssns_handle *h, const char *name,
			  uint64_t cgroup_id, enum ssns_op op);

/* -------------------------------------------------------------- profiles */

struct ssns_profile {
	uint32_t dev_index;
	char dev_name[SSNS_NAME_MAX];
	uint32_t vni;
	uint8_t tc;			/* enum ssns_tc */
	char tenant[SSNS_NAME_MAX];	/* "" when tenant-less */
};

struct ssns_profile_list {
	size_t count;
	struct ssns_profile *profiles;
};

/* All visible profiles, or those of one device when dev is not NULL. */
int ssns_profile_list(struct ssns_handle *h, const char *dev,
		      struct ssns_profile_list **out);
void ssns_profile_list_free(struct ssns_profile_list *list);
int ssns_profile_add(struct ssns_handle *h, const char *dev, uint32_t vni,
		     enum ssns_tc tc);
int ssns_profile_del(struct ssns_handle *h, const char *dev, uint32_t vni,
		     enum ssns_tc tc);

/* ------------------------------------------------------------- endpoints */

struct ssns_ep {
	uint32_t dev_index;
	char dev_name[SSNS_NAME_MAX];
	uint32_t vni;
	uint8_t tc;
	uint32_t addr;			/* endpoint address ("pid") */
	uint32_t owner_pid;
	char owner_comm[32];
	bool has_netns_cookie;
	uint64_t netns_cookie;
	char tenant[SSNS_NAME_MAX];	/* "" when none */
};

struct ssns_ep_list {
	size_t count;
	struct ssns_ep *eps;
};

/* Endpoints visible to the caller, optionally of one device. */
int ssns_ep_list(struct ssns_handle *h, const char *dev,
		 struct ssns_ep_list **out);
void ssns_ep_list_free(struct ssns_ep_list *list);

/* ------------------------------------------------------------- bandwidth */

/*
 * A rate as iproute2 writes it, in bits per second: a number (a decimal
 * fraction allowed) and a unit: bit (the default), kbit, mbit, gbit, tbit
 * (powers of 1000), kibit, mibit, gibit, tibit (of 1024), or bytes per
 * second: bps, kbps, mbps, gbps, tbps, kibps... (case does not matter).
 * "10gbit", "500mbit", "1.5gbit". Returns 0, -EINVAL (not a rate) or
 * -ERANGE (above UINT64_MAX bit/s).
 */
int ssns_rate_parse(const char *s, uint64_t *bits);
/*
 * Format a rate in bit/s as iproute2 prints one: the largest unit that
 * divides it ("10Gbit", "1500Mbit", "999bit"). Returns buf ("" when len
 * is too small).
 */
const char *ssns_rate_format(uint64_t bits, char *buf, size_t len);

/* A tenant's share and ceiling on one device, overriding its own. */
struct ssns_bw_dev {
	uint32_t dev_index;
	char dev_name[SSNS_NAME_MAX];
	uint32_t share;			/* 0: the tenant's */
	bool has_max;
	uint64_t max;			/* bit/s, 0: none on this device */
};

/* The ceiling of a member's traffic (a pod's), on each device. */
struct ssns_bw_member {
	enum ssns_member_type type;
	uint64_t id;			/* netns cookie, or cgroup id */
	uint64_t max;			/* bit/s */
};

/* A tenant's bandwidth policy and what shaping did to it. */
struct ssns_tenant_bw {
	char tenant[SSNS_NAME_MAX];
	uint32_t share;			/* on every device (1 until set) */
	uint64_t max;			/* bit/s, 0: none */
	size_t ndevs;
	struct ssns_bw_dev *devs;
	size_t nmembers;
	struct ssns_bw_member *members;
	uint64_t throttled;		/* messages shaping slowed */
	uint64_t wait_us;		/* the time they waited */
};

struct ssns_tenant_bw_list {
	size_t count;
	struct ssns_tenant_bw *bws;	/* in the order of ssns_tenant_list() */
};

/* -ENOENT when the tenant is unknown. */
int ssns_tenant_bw_get(struct ssns_handle *h, const char *tenant,
		       struct ssns_tenant_bw **out);
void ssns_tenant_bw_free(struct ssns_tenant_bw *bw);
/* Every readable tenant's, in one dump. */
int ssns_tenant_bw_list(struct ssns_handle *h,
			struct ssns_tenant_bw_list **out);
void ssns_tenant_bw_list_free(struct ssns_tenant_bw_list *list);

/*
 * Set a tenant's share (1..SSNS_BW_SHARE_MAX) or ceiling (bit/s,
 * SSNS_BW_RATE_MIN..SSNS_BW_RATE_MAX; 0: none), on every device (dev
 * NULL) or on one. Clear drops the tenant's own settings (dev NULL: back
 * to share 1, no ceiling) or a device's override. Node admins only.
 */
int ssns_tenant_bw_share(struct ssns_handle *h, const char *tenant,
			 const char *dev, uint32_t share);
int ssns_tenant_bw_max(struct ssns_handle *h, const char *tenant,
		       const char *dev, uint64_t max);
int ssns_tenant_bw_clear(struct ssns_handle *h, const char *tenant,
			 const char *dev);
/*
 * The ceiling (bit/s, 0: none) of a member of the tenant, given as for
 * ssns_tenant_netns_fd() and ssns_tenant_cgroup_fd(): it limits the
 * member's traffic on each device, and goes when the member leaves.
 */
int ssns_tenant_bw_netns_fd(struct ssns_handle *h, const char *tenant,
			    int netns_fd, uint64_t max);
int ssns_tenant_bw_netns_path(struct ssns_handle *h, const char *tenant,
			      const char *netns_path, uint64_t max);
int ssns_tenant_bw_cgroup_fd(struct ssns_handle *h, const char *tenant,
			     int cgroup_fd, uint64_t max);
int ssns_tenant_bw_cgroup_path(struct ssns_handle *h, const char *tenant,
			       const char *cgroup_path, uint64_t max);

/* ---------------------------------------------------------------- events */

/*
 * One notification of the "monitor" multicast group. cmd tells what
 * happened (SSNS_CMD_DEV_NEW, _DEV_DEL, _DEV_SET (a move), _SYS_SET,
 * _TENANT_NEW/_DEL/_SET, _PROFILE_NEW/_DEL, _EP_DENIED). Only the fields
 * whose attribute is flagged in `attrs` (bit 1 << SSNS_ATTR_x) are valid.
 */
struct ssns_event {
	uint8_t cmd;
	uint64_t attrs;
	uint8_t netns_mode;
	uint32_t dev_index;
	char dev_name[SSNS_NAME_MAX];
	uint64_t netns_cookie;
	int32_t netns_id;
	char tenant[SSNS_NAME_MAX];
	uint32_t vni;
	uint8_t tc;
	uint8_t op;
	uint32_t addr;
	uint32_t owner_pid;
	char owner_comm[32];
	uint32_t reason;		/* enum ssns_deny_reason */
	uint32_t err;			/* positive errno of a denial */
	uint64_t cgroup_id;
	size_t nranges;
	struct ssns_vni_range *ranges;	/* owned by the library */
	size_t nmembers;		/* SSNS_ATTR_MEMBERS: tenant members */
	struct ssns_member *members;	/* owned by the library */
};

/* True when the event carries attribute attr (an enum ssns_attr). */
static inline bool ssns_event_has(const struct ssns_event *ev,
				  unsigned int attr)
{
	return attr < 64 && (ev->attrs & (UINT64_C(1) << attr));
}

/* Name of an event command ("dev_new", "ep_denied"...), or NULL. */
const char *ssns_event_name(unsigned int cmd);

/*
 * Event callback: return 0 to go on, anything else stops
 * ssns_event_loop() which then returns that value. The event is valid
 * only during the call.
 */
typedef int (*ssns_event_cb)(const struct ssns_event *ev, void *arg);

/*
 * Subscribe to events (SSNS_CMD_MONITOR) on a socket of its own inside the
 * handle, so that requests keep working on the same handle. The kernel
 * sends each listener what is its business: a node admin (init_net,
 * CAP_NET_ADMIN in the initial user namespace) hears everything, anyone
 * else the netns mode, the devices its netns sees and its own tenant's
 * events. Events that arrive while subscribing are returned by the next
 * ssns_event_dispatch(), which does not block while it has them: call it
 * once before polling the fd. With a module older than SSNS_CMD_MONITOR
 * this joins the "monitor" multicast group instead.
 */
int ssns_event_subscribe(struct ssns_handle *h);
/* File descriptor to poll() for readability, or -1 if not subscribed. */
int ssns_event_fd(const struct ssns_handle *h);
/*
 * Read what is pending on the event socket (blocks when nothing is, unless
 * the fd was made non-blocking) and call cb for every event. Returns 0,
 * the callback's non-zero value, or a negative errno (-ENOBUFS when
 * events were lost because the reader was too slow).
 */
int ssns_event_dispatch(struct ssns_handle *h, ssns_event_cb cb, void *arg);
/* Call ssns_event_dispatch() until the callback or an error stops it. */
int ssns_event_loop(struct ssns_handle *h, ssns_event_cb cb, void *arg);

#ifdef __cplusplus
}
#endif

#endif /* LIBSSNS_H */
