/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ssns: the generic netlink front end: definitions shared by its files.
 *
 * nl.c holds the family, the policies and the helpers every front-end file
 * uses, and calls no front-end file; nl_<object>.c hold the handlers,
 * fills and parsing of one object each; nl_monitor.c renders the model's
 * events for the monitors; nl_family.c puts the operations together.
 */
#ifndef _SSNS_NL_H
#define _SSNS_NL_H

#include <net/genetlink.h>
#include "core.h"

extern struct genl_family ssns_genl_family;
extern const struct nla_policy ssns_policy[SSNS_ATTR_MAX + 1];
extern const struct nla_policy ssns_range_policy[SSNS_ATTR_VNI_LAST + 1];
extern const struct nla_policy ssns_member_policy[SSNS_ATTR_CGROUP_ID + 1];
extern const struct nla_policy ssns_bw_policy[SSNS_ATTR_BW_CLEAR + 1];
extern bool ssns_nl_down;

/*
 * Operation flags (genl_small_ops.internal_flags), checked by pre_doit.
 * Changes of tenants and profiles, open to delegates too, are judged by
 * the model (access.c) once the request says what it touches.
 */
#define SSNS_NL_NODE_ADMIN	BIT(0)	/* CAP_NET_ADMIN, initial userns */

void *ssns_nl_put_hdr(struct sk_buff *skb, u32 portid, u32 seq, int flags,
		      u8 cmd);
int ssns_nl_put_stats(struct sk_buff *skb, const atomic64_t *stats);
int ssns_nl_put_dev_ref(struct sk_buff *skb, const struct ssns_dev *dev);
struct net *ssns_nl_get_netns(struct nlattr **tb,
			      const struct nlattr *where,
			      struct netlink_ext_ack *extack);
struct ssns_dev *ssns_nl_dev(struct genl_info *info, bool global);
void ssns_nl_caller(struct sk_buff *skb, struct net *net,
		    struct ssns_caller *who);

/* Fills, for replies and events. */
int ssns_sys_fill(struct sk_buff *skb, u32 portid, u32 seq, u8 cmd);
int ssns_dev_fill(struct sk_buff *skb, struct ssns_dev *dev,
		  struct net *caller, u32 portid, u32 seq, int flags, u8 cmd);
struct sk_buff *ssns_tenant_msg(struct ssns_tenant *t, u8 cmd,
				struct net *caller, u32 portid, u32 seq);
int ssns_profile_fill(struct sk_buff *skb, struct ssns_profile *p,
		      u32 portid, u32 seq, int flags, u8 cmd);
int ssns_denial_fill(struct sk_buff *skb, const struct ssns_denial *d);

/* Handlers. */
int ssns_nl_sys_get(struct sk_buff *skb, struct genl_info *info);
int ssns_nl_sys_set(struct sk_buff *skb, struct genl_info *info);
int ssns_nl_dev_get(struct sk_buff *skb, struct genl_info *info);
int ssns_nl_dev_dump(struct sk_buff *skb, struct netlink_callback *cb);
int ssns_nl_dev_set(struct sk_buff *skb, struct genl_info *info);
int ssns_nl_tenant_get(struct sk_buff *skb, struct genl_info *info);
int ssns_nl_tenant_dump(struct sk_buff *skb, struct netlink_callback *cb);
int ssns_nl_tenant_new(struct sk_buff *skb, struct genl_info *info);
int ssns_nl_tenant_del(struct sk_buff *skb, struct genl_info *info);
int ssns_nl_tenant_set(struct sk_buff *skb, struct genl_info *info);
int ssns_nl_profile_get(struct sk_buff *skb, struct genl_info *info);
int ssns_nl_profile_dump(struct sk_buff *skb, struct netlink_callback *cb);
int ssns_nl_profile_new(struct sk_buff *skb, struct genl_info *info);
int ssns_nl_profile_del(struct sk_buff *skb, struct genl_info *info);
int ssns_nl_ep_dump(struct sk_buff *skb, struct netlink_callback *cb);
int ssns_nl_monitor(struct sk_buff *skb, struct genl_info *info);

/* Bandwidth (nl_bw.c): TENANT_SET with BW, and the tenant's BW nest. */
int ssns_nl_tenant_bw_set(struct sk_buff *skb, struct genl_info *info);
int ssns_nl_put_tenant_bw(struct sk_buff *skb, struct ssns_tenant *t);
size_t ssns_nl_tenant_bw_size(struct ssns_tenant *t);

/* The monitors (nl_monitor.c). */
void ssns_monitor_event(const struct ssns_event *ev);
int ssns_monitor_init(void);
void ssns_monitor_exit(void);

int ssns_netlink_init(void);
void ssns_netlink_exit(void);

#endif /* _SSNS_NL_H */
