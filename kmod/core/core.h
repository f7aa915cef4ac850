/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ssns: internal definitions of the isolation core.
 *
 * Locking:
 * - ssns_cfg_lock (a mutex) serializes every configuration change: device
 *   register/unregister/move, mode switch, tenants, profiles, netns
 *   teardown, and the visibility check + tenant pin of an open.
 * - Lookups on the admission path run under RCU over xarrays: devices by
 *   index, VNI -> tenant, netns cookie -> tenant, per device (VNI, TC) ->
 *   profile and VNI -> address -> endpoint.
 * - Each context has an in-flight rwsem: provider ops run with it held for
 *   reading; revocation sets the revoked bit, kicks the provider and takes
 *   it for writing before releasing provider state.
 * - Lock order: ssns_cfg_lock -> ctx->inflight -> dev->ctx_lock.
 *   The admission path never takes ssns_cfg_lock.
 */
#ifndef _SSNS_CORE_H
#define _SSNS_CORE_H

#include <linux/types.h>
#include <linux/mutex.h>
#include <linux/rwsem.h>
#include <linux/xarray.h>
#include <linux/refcount.h>
#include <linux/wait.h>
#include <linux/atomic.h>
#include <linux/cgroup_rdma.h>
#include <net/net_namespace.h>
#include <net/genetlink.h>
#include <ssns_provider.h>

#define SSNS_VERSION		"0.1.0"
#define SSNS_MAX_DEVS		256	/* char device minors */
#define SSNS_NR_STATS		(SSNS_STAT_MAX + 1)

extern struct mutex ssns_cfg_lock;

/* Per-VNI endpoint table of a device: address -> struct ssns_ep. */
struct ssns_vni_eps {
	struct xarray eps;	/* XA_FLAGS_ALLOC */
	struct rcu_head rcu;
};

struct ssns_dev {
	u32 index;
	char name[SSNS_NAME_MAX];
	char provider[SSNS_NAME_MAX];
	const struct ssns_dev_ops *ops;
	struct module *owner;
	void *priv;
	u32 max_addr;

	/* Owner netns: no reference; written under ssns_cfg_lock. */
	struct net *net;
	bool dead;		/* unregistered (ssns_cfg_lock) */

	struct cdev *cdev;
	struct device *cdevice;

	spinlock_t ctx_lock;		/* protects ctxs */
	struct list_head ctxs;		/* open contexts */

	struct xarray vnis;		/* vni -> struct ssns_vni_eps */
	struct xarray profiles;		/* ssns_profile_key() -> profile */

	atomic64_t stats[SSNS_NR_STATS];
#ifdef CONFIG_CGROUP_RDMA
	struct rdmacg_device rdmacg;
	bool rdmacg_on;
#endif
	refcount_t ref;
	struct rcu_head rcu;
};

enum {
	SSNS_CTX_REVOKED,	/* no op may start any more */
	SSNS_CTX_RELEASED,	/* ops->release() was called */
};

struct ssns_ctx {
	struct ssns_dev *dev;		/* reference held */
	struct rw_semaphore inflight;
	unsigned long flags;
	/*
	 * The netns the context was opened in. No reference is held: its
	 * teardown revokes the context first, so the pointer is compared,
	 * never followed, once the context is revoked.
	 */
	struct net *net;
	u64 net_cookie;
	struct ssns_tenant *tenant;	/* pinned at open, reference held */
	u64 via_cgid;			/* tenant found through this cgroup */
	void *priv;
	pid_t owner_pid;

	struct list_head dev_node;	/* dev->ctxs */
	spinlock_t ep_lock;
	struct list_head eps;		/* struct ssns_ep.ctx_node */

	wait_queue_head_t wq;		/* poll; outlives revocation */
	void *cg;			/* rdma cgroup charged for the handle */
	refcount_t ref;
	struct rcu_head rcu;
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
	struct xarray vnis;		/* vni -> xa_mk_value(1) */
	struct list_head members;	/* struct ssns_tenant_member */
	struct list_head node;		/* ssns_tenants */
	bool dead;
	unsigned int nr_profiles;
	atomic64_t stats[SSNS_NR_STATS];
	refcount_t ref;
	struct rcu_head rcu;
};

struct ssns_profile {
	struct ssns_dev *dev;		/* no reference: freed with the dev */
	u16 vni;
	u8 tc;
	struct ssns_tenant *tenant;	/* reference held, or NULL */
	atomic_t users;			/* 1 while published + live endpoints */
	struct rcu_head rcu;
};

static inline unsigned long ssns_profile_key(u16 vni, u8 tc)
{
	return (unsigned long)vni * (SSNS_TC_MAX + 1) + tc;
}

/* netns.c */
extern int ssns_netns_mode;
bool ssns_visible(const struct ssns_dev *dev, const struct net *net);
int ssns_netns_init(void);
void ssns_netns_exit(void);
int ssns_set_mode(int mode);

/* dev.c */
extern struct xarray ssns_devs;
struct ssns_dev *ssns_dev_find(struct net *net, const struct nlattr *index,
			       const struct nlattr *name, bool global,
			       struct netlink_ext_ack *extack);
void ssns_dev_put(struct ssns_dev *dev);
int ssns_dev_move(struct ssns_dev *dev, struct net *target);
void ssns_dev_stat_inc(struct ssns_dev *dev, int stat);

/* chardev.c */
int ssns_chardev_init(void);
void ssns_chardev_exit(void);
int ssns_chardev_add(struct ssns_dev *dev);
void ssns_chardev_del(struct ssns_dev *dev);
void ssns_ctx_revoke(struct ssns_ctx *ctx);
typedef bool (*ssns_ctx_match_t)(struct ssns_ctx *ctx, void *arg);
void ssns_dev_revoke_ctxs(struct ssns_dev *dev, ssns_ctx_match_t match,
			  void *arg);
void ssns_revoke_all_ctxs(ssns_ctx_match_t match, void *arg);

/* admit.c */
void ssns_dev_free_eps(struct ssns_dev *dev);
int ssns_nl_ep_dump(struct sk_buff *skb, struct netlink_callback *cb);

/* tenant.c */
struct ssns_tenant *ssns_tenant_find_net(const struct net *net);
struct ssns_tenant *ssns_tenant_of_vni(u16 vni);
struct ssns_tenant *ssns_tenant_of_cgid(u64 cgid);
struct ssns_tenant *ssns_tenant_resolve(const struct net *net, u64 *via_cgid);
struct ssns_tenant *ssns_reader_tenant(const struct net *net, bool *all);
void ssns_tenant_put(struct ssns_tenant *t);
void ssns_tenant_net_exit(struct net *net);
void ssns_tenant_exit(void);
void ssns_tenant_stat_inc(struct ssns_tenant *t, int stat);
int ssns_nl_tenant_get(struct sk_buff *skb, struct genl_info *info);
int ssns_nl_tenant_dump(struct sk_buff *skb, struct netlink_callback *cb);
int ssns_nl_tenant_new(struct sk_buff *skb, struct genl_info *info);
int ssns_nl_tenant_del(struct sk_buff *skb, struct genl_info *info);
int ssns_nl_tenant_set(struct sk_buff *skb, struct genl_info *info);
bool ssns_tenant_readable(const struct ssns_tenant *t, struct net *net);

/* profile.c */
struct ssns_profile *ssns_profile_lookup_rcu(struct ssns_dev *dev, u16 vni,
					     u8 tc);
bool ssns_vni_has_profiles(u16 vni, struct ssns_tenant *t,
			   struct ssns_profile **example);
void ssns_profiles_del_dev(struct ssns_dev *dev);
void ssns_profiles_del_tenant(struct ssns_tenant *t);
int ssns_nl_profile_get(struct sk_buff *skb, struct genl_info *info);
int ssns_nl_profile_dump(struct sk_buff *skb, struct netlink_callback *cb);
int ssns_nl_profile_new(struct sk_buff *skb, struct genl_info *info);
int ssns_nl_profile_del(struct sk_buff *skb, struct genl_info *info);
extern const char * const ssns_tc_names[SSNS_TC_MAX + 1];

/* cgroup.c */
struct cgroup;
struct cgroup *ssns_cg_member_get(struct nlattr **tb,
				  const struct nlattr *where,
				  struct netlink_ext_ack *extack);
u64 ssns_cg_member_id(struct cgroup *cgrp);
bool ssns_cg_member_is_root(struct cgroup *cgrp);
void ssns_cg_member_put(struct cgroup *cgrp);
int ssns_cg_member_path(struct cgroup *cgrp, char *buf, size_t len);
struct ssns_tenant *ssns_cg_tenant_of_current(u64 *cgid);
struct ssns_tenant *ssns_cg_tenant_of(struct cgroup *cgrp, u64 *cgid);
struct cgroup *ssns_cg_current_get(void);
bool ssns_cg_active(void);
void ssns_cg_dev_add(struct ssns_dev *dev);
void ssns_cg_dev_del(struct ssns_dev *dev);
int ssns_cg_charge(struct ssns_dev *dev, void **cg, bool object);
void ssns_cg_uncharge(struct ssns_dev *dev, void **cg, bool object);

/* monitor.c: who hears an event */
enum ssns_ev_scope {
	SSNS_EV_ALL,		/* everyone (the netns mode) */
	SSNS_EV_DEV,		/* who sees the device, before or after */
	SSNS_EV_TENANT,		/* the tenant's own (no tenant: node admins) */
};

struct ssns_ev_who {
	enum ssns_ev_scope scope;
	const struct ssns_dev *dev;	/* DEV */
	const struct net *old_net;	/* DEV: the owner before a move */
	const struct ssns_tenant *tenant;	/* TENANT */
};

void ssns_notify(struct sk_buff *skb, const struct ssns_ev_who *who);
int ssns_nl_monitor(struct sk_buff *skb, struct genl_info *info);
int ssns_monitor_init(void);
void ssns_monitor_exit(void);

/* netlink.c */
extern struct genl_family ssns_genl_family;
extern const struct nla_policy ssns_range_policy[SSNS_ATTR_VNI_LAST + 1];
extern const struct nla_policy ssns_member_policy[SSNS_ATTR_CGROUP_ID + 1];
int ssns_netlink_init(void);
void ssns_netlink_exit(void);
__printf(3, 4)
void ssns_nl_err(struct netlink_ext_ack *extack, const struct nlattr *attr,
		 const char *fmt, ...);
bool ssns_nl_node_admin(struct sk_buff *skb, struct netlink_ext_ack *extack);
void *ssns_nl_put_hdr(struct sk_buff *skb, u32 portid, u32 seq, int flags,
		      u8 cmd);
int ssns_nl_put_stats(struct sk_buff *skb, const atomic64_t *stats,
		      const u64 *extra);
int ssns_nl_put_dev_ref(struct sk_buff *skb, const struct ssns_dev *dev);
struct net *ssns_nl_get_netns(struct nlattr **tb, struct net *caller,
			      const struct nlattr *where,
			      struct netlink_ext_ack *extack);
extern bool ssns_nl_down;
void ssns_notify_dev(struct ssns_dev *dev, u8 cmd, struct net *old_net);
void ssns_notify_mode(void);
void ssns_notify_tenant(struct sk_buff *skb, const struct ssns_tenant *t);
void ssns_notify_denied(struct ssns_ctx *ctx, u16 vni, u8 tc, u32 addr,
			int reason, int err);

#endif /* _SSNS_CORE_H */
