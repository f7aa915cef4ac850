/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ssns: the in-kernel API between the isolation core (ssns.ko) and the
 * drivers of cxi-style NICs ("providers": ssns_sim.ko, ssns_cxi.ko).
 *
 * The core is the authority: it decides which process may use which
 * device, VNI and traffic class, charges the rdma cgroup, counts and
 * announces every decision. A provider does the work: its device node,
 * its endpoint addresses, its data path. See docs/provider-api.md for a
 * driver author's walk through it.
 *
 * Objects:
 *
 * - struct ssns_dev: a NIC, registered by its provider. It is a struct
 *   device of class "ssns" under the provider's parent device, named as
 *   the NIC ("cxi0"). It may have a char device /dev/NAME run by the
 *   core's char-device helper (struct ssns_cdev_ops), or none when the
 *   provider has a device node of its own.
 *
 * - struct ssns_ctx: a context, what one opener holds (an open file, a
 *   driver's LNI...). Creating it decides visibility, pins the opener's
 *   tenant, netns and cgroup, and charges one rdma cgroup hca_handle.
 *
 * - struct ssns_ep: an endpoint, embedded in the provider's own. It is
 *   authorized (admission rules 1 to 4), then committed once the provider
 *   has its address (rule 5 is the provider's), then released.
 *
 * Admission rules, in order, each with its errno and denial counter:
 *   1. context not revoked, device visible from its netns     -ENODEV
 *   2. a profile (device, VNI, TC) exists                      -ENOENT
 *   3. the profile's tenant is the context's tenant; without a
 *      tenant, only tenant-less profiles, only from init_net   -EACCES
 *   4. the rdma cgroup allows one more hca_object              -EAGAIN
 *   5. (provider) the address is free                          -EADDRINUSE,
 *      or there is one                                         -ENOSPC
 *
 * Revocation. The core revokes a context when its device moves away or is
 * unregistered, when the netns mode changes so that it no longer sees the
 * device, when its netns dies, and when its tenant or the membership that
 * gave it its tenant goes. It then calls the holder's ->revoke(), which must
 * stop every call in progress on the context and release its endpoints
 * (like RDMA's disassociate); the core then uncharges the context. The
 * holder still calls ssns_ctx_destroy() when it is done with it; every
 * authority call on a revoked context fails with -ENODEV.
 *
 * Policy mirroring. A provider whose hardware or driver has access lists
 * of its own (HPE's services) implements ->policy(): the core calls it for
 * every change the provider must mirror, in the order of the changes, with
 * the configuration lock held, so the policy cannot change under it and
 * the query helpers below see the state after the change.
 *
 * Bandwidth. The core holds the bandwidth policy (a share and a ceiling
 * per tenant and device, a ceiling per member); the provider enforces it
 * on its data path, or maps it onto its hardware's traffic classes. It
 * reads the policy with ssns_ctx_bw() and friends (RCU, any context) and
 * learns of changes from ->policy() (SSNS_POLICY_BW). A provider that
 * does not shape ignores both. The core is never called per message:
 * shaping is the provider's, and so is keeping its unshaped data path as
 * fast as before.
 *
 * Locking, for a provider:
 * - ssns_dev_register(), ssns_dev_unregister(), ssns_ctx_create() and
 *   ssns_ctx_destroy() sleep and take the configuration lock: never call
 *   them from ->policy() or ->revoke().
 * - ssns_ep_authorize() and ssns_ep_commit() may sleep (rdma cgroup,
 *   event delivery); ssns_ep_abort() and ssns_ep_release() may sleep too.
 *   None takes the configuration lock: call them from process context,
 *   with no spinlock held, also from ->revoke().
 * - ->revoke() and ->policy() run with the configuration lock held and may
 *   sleep. ->counters() may run under the configuration lock and must not
 *   sleep.
 */
#ifndef _SSNS_PROVIDER_H
#define _SSNS_PROVIDER_H

#include <linux/types.h>
#include <linux/list.h>
#include <linux/poll.h>
#include <linux/sched.h>
#include <linux/wait.h>
#include <uapi/linux/ssns.h>

struct ssns_dev;
struct ssns_ctx;
struct ssns_tenant;
struct ssns_profile;
struct net;
struct module;
struct device;
struct file;

/**
 * struct ssns_ep - an endpoint, embedded in the provider's endpoint
 * @ctx: context it belongs to
 * @vni: its VNI
 * @tc: its traffic class (enum ssns_tc)
 * @addr: its address on (device, VNI), given at commit
 * @owner_pid: tgid of the task that allocated it
 * @owner_comm: command of that task
 *
 * The core fills it in; the provider reads it and never writes it. The
 * provider frees the structure holding it only after ssns_ep_release()
 * and an RCU grace period (endpoint dumps read it under RCU).
 */
struct ssns_ep {
	struct ssns_ctx *ctx;
	u16 vni;
	u8 tc;
	u32 addr;
	pid_t owner_pid;
	char owner_comm[TASK_COMM_LEN];
	/* private to the core */
	struct list_head ctx_node;
	void *cg;
	struct ssns_profile *profile;
	u32 id;
	u8 state;
};

/**
 * struct ssns_ctx_ops - what the holder of a context does for the core
 * @revoke: stop every call in progress on @ctx and release its endpoints
 *	with ssns_ep_release(). Called at most once, never after
 *	ssns_ctx_destroy() began, with the configuration lock held; may sleep.
 */
struct ssns_ctx_ops {
	void (*revoke)(struct ssns_ctx *ctx);
};

/**
 * struct ssns_cdev_ops - a provider that lets the core run /dev/NAME
 * @open: a file was opened and its context created; set up provider state
 *	(ssns_ctx_set_priv()). An error fails the open.
 * @release: free every endpoint of the context (ssns_ep_release()) and the
 *	provider state. Called once, on last close or on revocation, with no
 *	other op of the context in flight.
 * @kick: optional; wake up the provider's sleepers on the context: it is
 *	being revoked, and they must return (-ENODEV) for ->release() to run.
 *	The helper wakes ssns_cdev_waitq() itself.
 * @ioctl: optional; an ioctl of the file.
 * @poll: optional; the readiness of the file. The helper has already
 *	queued the caller on ssns_cdev_waitq().
 *
 * Every op except ->kick runs with the file's in-flight lock held for
 * reading, and ->release with it held for writing, so ->release never runs
 * beside another op. Sleeping waits in ->ioctl must use ssns_cdev_waitq()
 * and wake up on ssns_ctx_revoked().
 */
struct ssns_cdev_ops {
	int (*open)(struct ssns_ctx *ctx);
	void (*release)(struct ssns_ctx *ctx);
	void (*kick)(struct ssns_ctx *ctx);
	long (*ioctl)(struct ssns_ctx *ctx, unsigned int cmd, unsigned long arg);
	__poll_t (*poll)(struct ssns_ctx *ctx, struct file *file,
			 poll_table *wait);
};

/**
 * enum ssns_policy_type - what changed (struct ssns_policy)
 * @SSNS_POLICY_MODE: the netns mode (shared, exclusive) changed
 * @SSNS_POLICY_DEV_MOVE: @dev moved from @old_net to its new netns
 * @SSNS_POLICY_MEMBER_ADD: netns @net, or cgroup @cgroup_id, joined @tenant
 * @SSNS_POLICY_MEMBER_DEL: it left @tenant (unbound, tenant deleted, or
 *	the netns is dying)
 * @SSNS_POLICY_PROFILE_ADD: a profile (@dev, @vni, @tc) of @tenant (NULL:
 *	tenant-less) was created
 * @SSNS_POLICY_PROFILE_DEL: it was deleted
 * @SSNS_POLICY_NETNS_EXIT: @net is dying; its memberships and devices are
 *	gone already (MEMBER_DEL, DEV_MOVE came first)
 * @SSNS_POLICY_BW: the bandwidth policy of @tenant changed: its share or
 *	ceiling on @dev (NULL: on every device), or the ceiling of its member
 *	@net_cookie or @cgroup_id (one of them not 0); read the new values
 *	with ssns_tenant_bw(), ssns_tenant_member_bw() or ssns_ctx_bw()
 */
enum ssns_policy_type {
	SSNS_POLICY_MODE,
	SSNS_POLICY_DEV_MOVE,
	SSNS_POLICY_MEMBER_ADD,
	SSNS_POLICY_MEMBER_DEL,
	SSNS_POLICY_PROFILE_ADD,
	SSNS_POLICY_PROFILE_DEL,
	SSNS_POLICY_NETNS_EXIT,
	SSNS_POLICY_BW,
};

/**
 * struct ssns_policy - a change a provider may mirror
 * @type: what changed
 * @dev: the device (DEV_MOVE, PROFILE_*, BW of one device), NULL otherwise
 * @old_net: DEV_MOVE: where the device was
 * @tenant: MEMBER_*, PROFILE_*, BW: the tenant (profiles: NULL if
 *	tenant-less)
 * @net: MEMBER_* of a netns, NETNS_EXIT: the netns (alive during the call)
 * @net_cookie: its cookie (never reused, unlike its inode number); BW: the
 *	netns member whose ceiling changed, or 0
 * @cgroup_id: MEMBER_* of a cgroup: its id (0 for a netns member); BW: the
 *	cgroup member whose ceiling changed, or 0
 * @vni: PROFILE_*
 * @tc: PROFILE_*
 * @mode: MODE: enum ssns_netns_mode
 */
struct ssns_policy {
	enum ssns_policy_type type;
	struct ssns_dev *dev;
	const struct net *old_net;
	const struct ssns_tenant *tenant;
	struct net *net;
	u64 net_cookie;
	u64 cgroup_id;
	u16 vni;
	u8 tc;
	u8 mode;
};

/**
 * struct ssns_dev_ops - optional callbacks of a provider
 * @counters: fill @values[i] for counter i of the descriptor given at
 *	registration. Must not sleep.
 * @policy: mirror a change (see "Policy mirroring" above). Called for every
 *	change on every registered device of the provider, in order.
 * @member_services: the ids of the provider's own access-control objects
 *	(HPE's services) that serve the network namespace member
 *	@net_cookie on the device: at most @max of them in @ids; returns
 *	how many there are (0: none). Called with the configuration lock
 *	held; may sleep. Shown with the member (SSNS_ATTR_MEMBER_SERVICES),
 *	for runtimes that pass them on (SLINGSHOT_SVC_IDS).
 */
struct ssns_dev_ops {
	void (*counters)(struct ssns_dev *dev, u64 *values);
	void (*policy)(struct ssns_dev *dev, const struct ssns_policy *change);
	int (*member_services)(struct ssns_dev *dev, u64 net_cookie, u32 *ids,
			       unsigned int max);
};

/* At most this many services a (device, member) are shown. */
#define SSNS_MEMBER_SERVICES_MAX	64

/**
 * struct ssns_dev_desc - what a provider registers
 * @name: the device's name, at most SSNS_NAME_MAX - 1 bytes, no '/' or
 *	blank; "cxi%d" asks the core for the first free number
 * @provider: the provider's name ("ssns_sim")
 * @owner: the provider's module (THIS_MODULE)
 * @parent: the provider's device (required)
 * @net: netns the device starts in (NULL: init_net)
 * @ops: optional callbacks (may be NULL)
 * @cdev_ops: the char-device helper's ops, or NULL for no /dev/NAME
 * @devnode: with no char device: the path of the provider's own device
 *	node, shown to users (e.g. "/dev/cxi0"), or NULL
 * @counters: names of the provider's counters ("tx_msgs"...), shown by
 *	the netlink interface and ssnsctl stats; at most SSNS_COUNTERS_MAX
 * @nr_counters: how many
 * @priv: the provider's pointer (ssns_dev_priv())
 */
struct ssns_dev_desc {
	const char *name;
	const char *provider;
	struct module *owner;
	struct device *parent;
	struct net *net;
	const struct ssns_dev_ops *ops;
	const struct ssns_cdev_ops *cdev_ops;
	const char *devnode;
	const char *const *counters;
	unsigned int nr_counters;
	void *priv;
};

#define SSNS_COUNTERS_MAX	32

/* ---- devices ---- */

/*
 * Register a device. Returns it, or ERR_PTR(): -EINVAL (a required field
 * missing, a bad name or counter list), -EEXIST (name taken), -ENFILE (no
 * free index), -ENOMEM. May sleep.
 */
struct ssns_dev *ssns_dev_register(const struct ssns_dev_desc *desc);
/*
 * Unregister: revokes every context (so no op of the provider runs after
 * this returns), deletes the device's profiles, removes /dev/NAME. The
 * memory goes with the last reference; the provider may unload at once.
 */
void ssns_dev_unregister(struct ssns_dev *dev);

u32 ssns_dev_index(const struct ssns_dev *dev);
const char *ssns_dev_name(const struct ssns_dev *dev);
void *ssns_dev_priv(const struct ssns_dev *dev);
/* The device's struct device (class "ssns", child of the parent). */
struct device *ssns_dev_device(struct ssns_dev *dev);

/* ---- contexts ---- */

/*
 * Create a context for the current task on @dev: checks that the task's
 * netns sees the device (-ENODEV), pins its tenant, charges one
 * hca_handle in its rdma cgroup (-EAGAIN). @holder is the caller's, given
 * back by ssns_ctx_holder(). May sleep.
 */
struct ssns_ctx *ssns_ctx_create(struct ssns_dev *dev,
				 const struct ssns_ctx_ops *ops, void *holder);
/* The holder is done: releases what is left, uncharges, drops the context. */
void ssns_ctx_destroy(struct ssns_ctx *ctx);

struct ssns_dev *ssns_ctx_dev(const struct ssns_ctx *ctx);
void *ssns_ctx_holder(const struct ssns_ctx *ctx);
void *ssns_ctx_priv(const struct ssns_ctx *ctx);
void ssns_ctx_set_priv(struct ssns_ctx *ctx, void *priv);
bool ssns_ctx_revoked(const struct ssns_ctx *ctx);
/* net_cookie of the netns the context was created in. */
u64 ssns_ctx_net_cookie(const struct ssns_ctx *ctx);
/* Its tenant, or NULL; valid as long as the context. */
const struct ssns_tenant *ssns_ctx_tenant(const struct ssns_ctx *ctx);

/* ---- endpoints ---- */

/*
 * Admission rules 1 to 4 for an endpoint of @ctx on (@vni, @tc): 0, or
 * the rule's errno (-ENODEV, -ENOENT, -EACCES, -EAGAIN; -EINVAL for a VNI
 * or TC out of range), counted and announced as a denial. @addr is the
 * address asked for (SSNS_PID_ANY: any), for the record of a denial. On
 * success @ep holds the profile and the hca_object charge: end it with
 * ssns_ep_commit() or ssns_ep_abort().
 */
int ssns_ep_authorize(struct ssns_ctx *ctx, struct ssns_ep *ep, u16 vni,
		      u8 tc, u32 addr);
/*
 * The provider gave the endpoint address @addr: publish it. Fails with
 * -ENODEV, when the context was revoked meanwhile: then abort it.
 */
int ssns_ep_commit(struct ssns_ep *ep, u32 addr);
/*
 * Undo an authorization. @err is why: -EADDRINUSE and -ENOSPC are rule 5
 * and counted and announced as denials (for @addr, or SSNS_PID_ANY); any
 * other errno is the provider's own failure and only undone.
 */
void ssns_ep_abort(struct ssns_ep *ep, int err, u32 addr);
/* Unpublish and uncharge a committed endpoint. */
void ssns_ep_release(struct ssns_ep *ep);

/* ---- the char-device helper ---- */

/*
 * The file's wait queue, valid until the file is released (after any
 * revocation): use it for ->poll() and for sleeping waits, so that no poll
 * entry outlives it. The helper wakes it with EPOLLERR | EPOLLHUP when it
 * revokes the file.
 */
wait_queue_head_t *ssns_cdev_waitq(struct ssns_ctx *ctx);

/* ---- queries, for ->policy() (configuration lock held) ---- */

typedef int (*ssns_netns_fn_t)(struct net *net, u64 cookie, void *arg);
typedef int (*ssns_profile_fn_t)(u16 vni, u8 tc, void *arg);
typedef int (*ssns_tenant_fn_t)(const struct ssns_tenant *t, void *arg);

const char *ssns_tenant_name(const struct ssns_tenant *t);
/*
 * Call @fn for each netns member of @t that is alive: @fn gets the netns
 * and its cookie. Stops at and returns the first non-zero return.
 */
int ssns_tenant_walk_netns(const struct ssns_tenant *t, ssns_netns_fn_t fn,
			   void *arg);
/*
 * Call @fn for each profile of @dev tagged @t (NULL: tenant-less), in
 * (VNI, TC) order. Stops at and returns the first non-zero return.
 */
int ssns_dev_walk_profiles(struct ssns_dev *dev, const struct ssns_tenant *t,
			   ssns_profile_fn_t fn, void *arg);
/* Call @fn for each tenant. Stops at and returns the first non-zero. */
int ssns_walk_tenants(ssns_tenant_fn_t fn, void *arg);
/* Does @dev's current netns see it from @net (the visibility rule)? */
bool ssns_dev_visible_from(const struct ssns_dev *dev, const struct net *net);

/* ---- bandwidth: the policy a provider enforces (any context) ---- */

/**
 * struct ssns_bw - the bandwidth policy that applies to a context
 * @share: the weight of the context's tenant on its device, under
 *	contention for the device's link (SSNS_BW_SHARE_DEFAULT for a
 *	context without a tenant)
 * @tenant_max: the ceiling of the tenant's traffic on the device, in bit/s
 *	(0: none)
 * @member_max: the ceiling of the traffic of the member (a pod's netns or
 *	cgroup) through which the context has its tenant, on the device, in
 *	bit/s (0: none)
 * @member_id: that member: its netns cookie, or its cgroup id when
 *	@member_is_cgroup (0: no tenant); contexts with equal ids on a device
 *	share the member's ceiling
 * @member_is_cgroup: the member is a cgroup
 *
 * The shares of the tenants on a device divide its link among the ones
 * that are backlogged; a ceiling holds whatever the load. Traffic classes
 * keep their meaning: dedicated_access and low_latency messages are not to
 * wait behind another tenant's bulk_data or best_effort ones. Nothing is
 * dropped by shaping: a sender above its rate is slowed (see
 * docs/bandwidth.md for the simulator's scheduler and the mapping onto
 * Slingshot's traffic classes).
 */
struct ssns_bw {
	u32 share;
	u64 tenant_max;
	u64 member_max;
	u64 member_id;
	bool member_is_cgroup;
};

/*
 * These read the policy under RCU: they may be called from any context,
 * with or without the configuration lock, also from a data path, and
 * never sleep. A provider caches what they return and reads it again when
 * ->policy() tells it of an SSNS_POLICY_BW change.
 */
void ssns_ctx_bw(const struct ssns_ctx *ctx, struct ssns_bw *bw);
/* The share and ceiling (bit/s, 0: none) of @t (NULL: tenant-less) on @dev. */
void ssns_tenant_bw(const struct ssns_tenant *t, const struct ssns_dev *dev,
		    u32 *share, u64 *max);
/* The ceiling (bit/s, 0: none) of member @id (netns cookie or cgroup id). */
u64 ssns_tenant_member_bw(const struct ssns_tenant *t, bool is_cgroup,
			  u64 id);
/*
 * Might a ceiling apply on @dev? False means that no tenant or member has
 * one there: with no link rate of its own to share, the device need not
 * shape at all.
 */
bool ssns_dev_bw_limited(const struct ssns_dev *dev);

typedef int (*ssns_bw_member_fn_t)(bool is_cgroup, u64 id, u64 max,
				   void *arg);
/*
 * Call @fn for each member of @t with a ceiling (configuration lock held).
 * Stops at and returns the first non-zero return.
 */
int ssns_tenant_walk_bw_members(const struct ssns_tenant *t,
				ssns_bw_member_fn_t fn, void *arg);
/*
 * Account shaping to the context's tenant (ssnsctl stats): @throttled
 * messages that had to wait (a sleeping sender, or one told -EAGAIN), and
 * @wait_ns that they waited. Any context; does nothing for a context
 * without a tenant.
 */
void ssns_ctx_bw_count(struct ssns_ctx *ctx, u64 throttled, u64 wait_ns);

#endif /* _SSNS_PROVIDER_H */
