/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ssns: internal definitions of the isolation core.
 *
 * Two layers. The model (dev, ctx, admit, tenant, tenant_change, profile,
 * netns, system, cgroup, chardev, event, err) takes plain arguments and an
 * extack, and knows nothing of generic netlink. The netlink front end
 * (nl_*.c) parses requests, calls the model and renders replies and
 * events; the model reaches it only through the event sink it registers
 * (event.c). Within the model, a file calls only files below it:
 *
 *   system -> tenant_change -> profile -> tenant -> cgroup
 *   system, dev -> ctx -> admit -> profile, netns, cgroup
 *   dev -> chardev -> ctx
 *   tenant_change, dev -> bw (bandwidth policy; calls only the leaves)
 *   everything -> event, err (leaves)
 *
 * Locking:
 * - ssns_cfg_lock (a mutex) serializes every configuration change: device
 *   register/unregister/move, mode switch, tenants, profiles, netns
 *   teardown, context creation (visibility + tenant pin). Providers'
 *   ->policy() and contexts' ->revoke() run under it.
 * - Admission runs under RCU over xarrays (per device (VNI, TC) ->
 *   profile) and never takes ssns_cfg_lock.
 * - ctx->lock orders a context's revocation against its destruction.
 * - Lock order: ssns_cfg_lock -> ctx->lock -> (holder's locks, e.g. the
 *   char-device helper's in-flight rwsem) -> dev->ctx_lock, t->ctx_lock,
 *   ctx->ep_lock (spinlocks, innermost).
 */
#ifndef _SSNS_CORE_H
#define _SSNS_CORE_H

#include <linux/types.h>
#include <linux/atomic.h>
#include <linux/cdev.h>
#include <linux/cgroup_rdma.h>
#include <linux/device.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/netlink.h>
#include <linux/refcount.h>
#include <linux/xarray.h>
#include <net/net_namespace.h>
#include <ssns_provider.h>

#define SSNS_VERSION		"0.1.0"
#define SSNS_MAX_DEVS		256	/* device indexes, char device minors */
/* The core's own counters: enum ssns_stat_attr up to DENY_NOSPC. */
#define SSNS_NR_STATS		(SSNS_STAT_DENY_NOSPC + 1)

extern struct mutex ssns_cfg_lock;

/* ---- devices (dev.c) ---- */

struct ssns_dev {
	struct device dev;		/* class "ssns", child of the parent */
	struct cdev cdev;		/* with cdev_ops only */
	u32 index;
	char name[SSNS_NAME_MAX];
	char provider[SSNS_NAME_MAX];
	char devnode[SSNS_NAME_MAX + 8];	/* "/dev/cxi0", or "" */
	const struct ssns_dev_ops *ops;
	const struct ssns_cdev_ops *cdev_ops;
	struct module *owner;
	void *priv;
	const char *const *counters;
	unsigned int nr_counters;

	/* Owner netns: no reference; written under ssns_cfg_lock. */
	struct net *net;
	bool dead;			/* unregistered (ssns_cfg_lock) */

	spinlock_t ctx_lock;		/* ctxs */
	struct list_head ctxs;		/* contexts, struct ssns_ctx.dev_node */

	struct xarray profiles;		/* ssns_profile_key() -> profile */
	struct xarray eps;		/* id -> committed struct ssns_ep */

	atomic64_t stats[SSNS_NR_STATS];
#ifdef CONFIG_CGROUP_RDMA
	struct rdmacg_device rdmacg;
	bool rdmacg_on;
#endif
	struct rcu_head rcu;
};

extern struct xarray ssns_devs;		/* index -> device, ssns_cfg_lock */

static inline void ssns_dev_stat_inc(struct ssns_dev *dev, int stat)
{
	atomic64_inc(&dev->stats[stat]);
}

struct ssns_dev *ssns_dev_lookup(struct net *net, const u32 *index,
				 const char *name, bool global,
				 struct netlink_ext_ack *extack);
int ssns_dev_move(struct ssns_dev *dev, struct net *target);
void ssns_policy_all(const struct ssns_policy *p);
int ssns_dev_init(void);
void ssns_dev_exit(void);

/* ---- contexts (ctx.c) ---- */

enum {
	SSNS_CTX_REVOKED,	/* no authority call succeeds any more */
	SSNS_CTX_DONE,		/* torn down: endpoints released, uncharged */
};

struct ssns_ctx {
	struct ssns_dev *dev;		/* device reference held */
	const struct ssns_ctx_ops *ops;
	void *holder;
	void *priv;
	struct mutex lock;		/* revocation vs destruction */
	unsigned long flags;
	/*
	 * The netns the context was created in. No reference is held: its
	 * teardown revokes the context first, so the pointer is compared,
	 * never followed, once the context is revoked.
	 */
	struct net *net;
	u64 net_cookie;
	struct ssns_tenant *tenant;	/* pinned at creation, referenced */
	u64 via_cgid;			/* tenant found through this cgroup */
	pid_t owner_pid;

	struct list_head dev_node;	/* dev->ctxs */
	struct list_head tenant_node;	/* tenant->ctxs */
	spinlock_t ep_lock;		/* eps, and REVOKED against commits */
	struct list_head eps;		/* committed, struct ssns_ep.ctx_node */
	void *cg;			/* rdma cgroup charged for the handle */
	refcount_t ref;
	struct rcu_head rcu;
};

static inline bool ssns_ctx_is_revoked(const struct ssns_ctx *ctx)
{
	return test_bit(SSNS_CTX_REVOKED, &ctx->flags);
}

struct ssns_ctx *ssns_ctx_new(struct ssns_dev *dev,
			      const struct ssns_ctx_ops *ops, void *holder);
void ssns_ctx_count_open(struct ssns_ctx *ctx);
typedef bool (*ssns_ctx_match_t)(struct ssns_ctx *ctx, void *arg);
void ssns_dev_revoke_ctxs(struct ssns_dev *dev, ssns_ctx_match_t match,
			  void *arg);
void ssns_tenant_revoke_ctxs(struct ssns_tenant *t, ssns_ctx_match_t match,
			     void *arg);
void ssns_revoke_all_ctxs(ssns_ctx_match_t match, void *arg);

/* ---- endpoints (admit.c) ---- */

void ssns_ep_release_all(struct ssns_ctx *ctx);

/* ---- tenants (tenant.c) ---- */

struct ssns_vni_range {
	u16 first;
	u16 last;
};

/* A member is a netns (cgrp == NULL) or a cgroup v2 directory. */
struct ssns_tenant_member {
	struct list_head node;
	u64 cookie;			/* netns cookie, or cgroup id */
	struct net *net;		/* no reference: pernet exit unlinks */
	struct cgroup *cgrp;		/* referenced */
};

struct ssns_tenant {
	char name[SSNS_NAME_MAX];
	u32 id;				/* in the tenant table: dump order */
	struct hlist_node name_node;	/* name hash */
	struct ssns_vni_range *ranges;	/* sorted, disjoint, not adjacent */
	u32 nr_ranges;
	bool dead;
	bool by_delegate;		/* made by a delegate, not an admin */
	/* Nesting: a child's VNIs were carved from its parent's. */
	struct ssns_tenant *parent;	/* outlives its children */
	struct list_head children;	/* struct ssns_tenant.child_node */
	struct list_head child_node;
	/* Delegation (access.c), all under ssns_cfg_lock. */
	struct user_namespace *delegate;	/* referenced, or NULL */
	struct cgroup *delegate_cg;	/* referenced, or NULL */
	struct list_head delegated_node;
	struct list_head members;	/* struct ssns_tenant_member */
	struct list_head profiles;	/* struct ssns_profile.tenant_node */
	spinlock_t ctx_lock;		/* ctxs */
	struct list_head ctxs;		/* struct ssns_ctx.tenant_node */
	atomic64_t stats[SSNS_NR_STATS];
	struct ssns_bw_conf __rcu *bw;	/* bandwidth policy (bw.c), or NULL */
	atomic64_t bw_throttled;	/* messages slowed by shaping */
	atomic64_t bw_wait_ns;		/* the time they waited */
	refcount_t ref;
	struct rcu_head rcu;
};

static inline void ssns_tenant_stat_inc(struct ssns_tenant *t, int stat)
{
	atomic64_inc(&t->stats[stat]);
}

/* Who asks for a change or a read (access.c). */
struct ssns_caller {
	bool admin;			/* CAP_NET_ADMIN, initial user namespace */
	bool task_too;			/* current must be capable too */
	struct file *file;		/* the socket's file, for its opener */
	struct net *net;		/* the netns the request came from */
};

struct ssns_tenant *ssns_tenant_by_name(const char *name);
struct ssns_tenant *ssns_tenant_find_net(const struct net *net);
struct ssns_tenant *ssns_tenant_of_vni(u16 vni);
struct ssns_tenant *ssns_tenant_of_cgid(u64 cgid);
struct ssns_tenant *ssns_tenant_of_cgroup(struct cgroup *cgrp, u64 *cgid);
struct ssns_tenant *ssns_tenant_resolve(const struct net *net, u64 *via_cgid);
struct ssns_tenant *ssns_reader_tenant(const struct net *net, bool *all);
bool ssns_tenant_has_vni(const struct ssns_tenant *t, u16 vni);
void ssns_tenant_put(struct ssns_tenant *t);
struct ssns_tenant *ssns_tenant_next(unsigned long *id);

/* The tenant tables, changed only by tenant_change.c (ssns_cfg_lock). */
struct ssns_tenant_tables {
	struct xarray ids;		/* id -> tenant (XA_FLAGS_ALLOC1) */
	struct xarray net;		/* netns cookie -> tenant */
	struct xarray cg;		/* cgroup id -> tenant */
	struct xarray vni;		/* last VNI of a range -> its tenant */
};

extern struct ssns_tenant_tables ssns_tt;
void ssns_tenant_name_add(struct ssns_tenant *t);
void ssns_tenant_name_del(struct ssns_tenant *t);
struct ssns_tenant *ssns_vni_range_at(unsigned long *last, u16 *first);

/* ---- tenant changes (tenant_change.c) ---- */

struct ssns_member_spec {
	bool is_cg;
	u64 cookie;			/* netns cookie or cgroup id */
	struct net *net;		/* referenced, or NULL (by cookie) */
	struct cgroup *cgrp;		/* referenced, or NULL (by id) */
	const struct nlattr *where;	/* for error messages */
	struct ssns_tenant_member *m;	/* preallocated (add) */
};

enum ssns_change_kind {
	SSNS_CHANGE_NEW,		/* a tenant, with VNIs and members */
	SSNS_CHANGE_ADD,		/* VNIs and members to a tenant */
	SSNS_CHANGE_DEL,		/* VNIs and members from a tenant */
	SSNS_CHANGE_DELEGATE,		/* a tenant's delegation */
};

/*
 * VNI ranges moving from @src to @dst (NULL: the free pool), prepared:
 * the two tenants' ranges after, and their map slots reserved.
 */
struct ssns_vni_move {
	struct ssns_tenant *src, *dst;
	struct ssns_vni_range *src_new, *dst_new;
	u32 nr_src_new, nr_dst_new;
	bool active;
};

/*
 * A change of the tenant tables: prepared (checked, and every allocation
 * made), then committed (cannot fail) or aborted. Under ssns_cfg_lock from
 * prepare to commit or abort.
 */
struct ssns_tenant_change {
	enum ssns_change_kind kind;
	const struct ssns_caller *who;
	const char *name;		/* NEW */
	struct ssns_tenant *parent;	/* NEW: a child of this one */
	struct ssns_tenant *t;		/* the tenant; NEW: made here */
	struct ssns_vni_range *vnis;	/* requested, sorted and merged */
	u32 nr_vnis;
	struct ssns_member_spec *members;
	u32 nr_members;
	/* DELEGATE: to this user namespace (NULL: none), referenced */
	struct user_namespace *delegate;
	struct cgroup *delegate_cg;	/* referenced, or NULL */
	/* prepared */
	struct ssns_vni_move mv;
	u32 id;				/* NEW: reserved */
};

int ssns_change_set_vnis(struct ssns_tenant_change *c,
			 const struct ssns_vni_range *r, u32 n,
			 struct netlink_ext_ack *extack);
int ssns_tenant_change_prepare(struct ssns_tenant_change *c,
			       struct netlink_ext_ack *extack);
void ssns_tenant_change_commit(struct ssns_tenant_change *c);
void ssns_tenant_change_abort(struct ssns_tenant_change *c);
void ssns_tenant_change_free(struct ssns_tenant_change *c);
int ssns_may_delete(const struct ssns_caller *who, struct ssns_tenant *t,
		    struct netlink_ext_ack *extack);
void ssns_tenant_delete(struct ssns_tenant *t);
void ssns_delegation_end(struct ssns_tenant *t);
void ssns_tenant_net_exit(struct net *net);
void ssns_tenants_exit(void);
int ssns_tenant_cache_init(void);
void ssns_tenant_cache_exit(void);
struct ssns_tenant *ssns_tenant_zalloc(void);

/* ---- who may change what (access.c) ---- */

struct user_namespace;
bool ssns_userns_within(const struct user_namespace *ns,
			const struct user_namespace *ancestor);
bool ssns_caller_over(const struct ssns_caller *who,
		      struct user_namespace *ns);
struct ssns_tenant *ssns_manager_of(const struct ssns_caller *who,
				    struct ssns_tenant *t);
bool ssns_manages(const struct ssns_caller *who, struct ssns_tenant *t);
bool ssns_reader_sees(const struct ssns_caller *who, struct ssns_tenant *t);

struct ssns_view {
	bool all;			/* the host's view: everything */
	struct ssns_tenant *own;	/* the reader's tenant, or NULL */
	struct ssns_tenant **roots;	/* delegations the reader holds */
	unsigned int nr;
};

int ssns_view_init(struct ssns_view *v, const struct ssns_caller *who);
int ssns_view_roots(struct ssns_view *v, const struct ssns_caller *who);
bool ssns_view_sees(const struct ssns_view *v, const struct ssns_tenant *t);
void ssns_view_free(struct ssns_view *v);
int ssns_may_bind_net(const struct ssns_caller *who, struct ssns_tenant *t,
		      const struct net *net, struct netlink_ext_ack *extack);
int ssns_may_bind_cg(const struct ssns_caller *who, struct ssns_tenant *t,
		     struct cgroup *cgrp, struct netlink_ext_ack *extack);
struct user_namespace *ssns_userns_get_fd(int fd);
struct user_namespace *ssns_userns_get_pid(pid_t pid);
void ssns_delegate_set(struct ssns_tenant *t, struct user_namespace *ns,
		       struct cgroup *cg);
struct ssns_tenant *ssns_delegation_dead(void);

/* ---- profiles (profile.c) ---- */

struct ssns_profile {
	struct ssns_dev *dev;		/* no reference: freed with the dev */
	u16 vni;
	u8 tc;
	struct ssns_tenant *tenant;	/* reference held, or NULL */
	struct list_head tenant_node;	/* tenant->profiles (ssns_cfg_lock) */
	atomic_t users;			/* 1 while published + live endpoints */
	struct rcu_head rcu;
};

static inline unsigned long ssns_profile_key(u16 vni, u8 tc)
{
	return (unsigned long)vni * (SSNS_TC_MAX + 1) + tc;
}

extern const char * const ssns_tc_names[SSNS_TC_MAX + 1];
struct ssns_profile *ssns_profile_lookup(struct ssns_dev *dev, u16 vni,
					 u8 tc);
struct ssns_profile *ssns_profile_new(struct ssns_dev *dev, u16 vni, u8 tc,
				      struct netlink_ext_ack *extack);
int ssns_profile_del(struct ssns_dev *dev, u16 vni, u8 tc,
		     struct netlink_ext_ack *extack);
struct ssns_profile *ssns_free_vni_profile(u16 first, u16 last);
struct ssns_profile *ssns_tenant_vni_profile(struct ssns_tenant *t,
					     u16 first, u16 last);
void ssns_profiles_del_dev(struct ssns_dev *dev);
void ssns_profiles_del_tenant(struct ssns_tenant *t);

/* ---- bandwidth policy (bw.c) ---- */

/* One change of a tenant's bandwidth policy: one scope, what to set. */
struct ssns_bw_change {
	struct ssns_dev *dev;		/* scope: this device, or NULL */
	bool member;			/* scope: a member (is_cg, id) */
	bool is_cg;
	u64 id;				/* netns cookie or cgroup id */
	const struct nlattr *where;	/* the member, for error messages */
	bool has_share;
	u32 share;
	bool has_max;
	u64 max;			/* bit/s, 0: none */
	bool clear;			/* drop the scope's settings */
};

/* What TENANT_GET shows of a device override or a member's ceiling. */
struct ssns_bw_entry {
	u32 dev_index;			/* device overrides */
	u32 share;			/* 0: the tenant's */
	bool has_max;
	u64 id;				/* member ceilings */
	bool is_cg;
	u64 max;
};

typedef int (*ssns_bw_entry_fn_t)(const struct ssns_bw_entry *e, void *arg);

int ssns_bw_set(struct ssns_tenant *t, const struct ssns_bw_change *c,
		struct netlink_ext_ack *extack);
void ssns_bw_tenant_get(const struct ssns_tenant *t, u32 *share, u64 *max);
int ssns_bw_walk_devs(const struct ssns_tenant *t, ssns_bw_entry_fn_t fn,
		      void *arg);
int ssns_bw_walk_members(const struct ssns_tenant *t, ssns_bw_entry_fn_t fn,
			 void *arg);
unsigned int ssns_bw_nr_entries(const struct ssns_tenant *t);
void ssns_bw_member_gone(struct ssns_tenant *t, bool is_cg, u64 id);
void ssns_bw_tenant_gone(struct ssns_tenant *t);
void ssns_bw_dev_gone(struct ssns_dev *dev);

/* ---- netns visibility and mode (netns.c) ---- */

extern int ssns_netns_mode;
bool ssns_visible(const struct ssns_dev *dev, const struct net *net);

/* ---- the system: mode switch, netns teardown (system.c) ---- */

int ssns_set_mode(int mode);
void ssns_system_reap(void);
int ssns_system_init(void);
void ssns_system_exit(void);

/* ---- char-device helper (chardev.c) ---- */

extern const struct file_operations ssns_cdev_fops;
int ssns_chardev_init(void);
void ssns_chardev_exit(void);
dev_t ssns_chardev_devt(u32 index);
/* The device a class's devnode() takes (const since 6.2: see Kbuild). */
#ifdef SSNS_DEVNODE_CONST
#define SSNS_DEVNODE_DEV const struct device *
#else
#define SSNS_DEVNODE_DEV struct device *
#endif
char *ssns_devnode(SSNS_DEVNODE_DEV dev, umode_t *mode);

/* ---- cgroups (cgroup.c) ---- */

struct cgroup;
bool ssns_cg_active(void);
void ssns_cg_dev_add(struct ssns_dev *dev);
void ssns_cg_dev_del(struct ssns_dev *dev);
bool ssns_cg_dev_on(const struct ssns_dev *dev);
int ssns_cg_charge(struct ssns_dev *dev, void **cg, bool object);
void ssns_cg_uncharge(struct ssns_dev *dev, void **cg, bool object);
struct cgroup *ssns_cg_get_path(const char *path);
struct cgroup *ssns_cg_get_fd(int fd);
struct cgroup *ssns_cg_current_get(void);
u64 ssns_cg_id(struct cgroup *cgrp);
bool ssns_cg_is_root(struct cgroup *cgrp);
void ssns_cg_put(struct cgroup *cgrp);
bool ssns_cg_within(struct cgroup *cgrp, struct cgroup *ancestor);
int ssns_cg_path(struct cgroup *cgrp, char *buf, size_t len);
struct cgroup *ssns_cg_current(void);
struct cgroup *ssns_cg_parent(struct cgroup *cgrp);

/* ---- events for the front end (event.c) ---- */

enum ssns_event_type {
	SSNS_EV_MODE,
	SSNS_EV_DEV_NEW,
	SSNS_EV_DEV_DEL,
	SSNS_EV_DEV_MOVE,
	SSNS_EV_TENANT_NEW,
	SSNS_EV_TENANT_DEL,
	SSNS_EV_TENANT_SET,
	SSNS_EV_PROFILE_NEW,
	SSNS_EV_PROFILE_DEL,
	SSNS_EV_EP_DENIED,
};

struct ssns_denial {
	struct ssns_ctx *ctx;
	u16 vni;
	u8 tc;
	u32 addr;
	int reason;			/* enum ssns_deny_reason */
	int err;			/* positive errno */
};

struct ssns_event {
	enum ssns_event_type type;
	struct ssns_dev *dev;		/* DEV_*, PROFILE_* */
	const struct net *old_net;	/* DEV_MOVE */
	struct ssns_tenant *tenant;	/* TENANT_*, PROFILE_* (or NULL) */
	struct ssns_profile *profile;	/* PROFILE_* */
	const struct ssns_denial *denial;	/* EP_DENIED */
};

typedef void (*ssns_event_sink_t)(const struct ssns_event *ev);
void ssns_event_set_sink(ssns_event_sink_t sink);
void ssns_event(const struct ssns_event *ev);

/* ---- error messages (err.c) ---- */

__printf(3, 4)
void ssns_err(struct netlink_ext_ack *extack, const struct nlattr *attr,
	      const char *fmt, ...);
/* How much of a value given by the caller an error message quotes. */
#define SSNS_ERR_QUOTE	40

#endif /* _SSNS_CORE_H */
