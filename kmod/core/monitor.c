// SPDX-License-Identifier: GPL-2.0
/*
 * ssns: who hears which event.
 *
 * Every event is built once and handed to ssns_notify() with its scope.
 * It then goes two ways:
 *
 * - the "monitor" multicast group, in init_net only. Joining the group
 *   needs CAP_NET_ADMIN in the initial user namespace (the group's
 *   GENL_MCAST_CAP_NET_ADMIN flag, checked against init_net's owner), so
 *   its members are node admins, who hear everything;
 *
 * - subscribers: a socket that sent SSNS_CMD_MONITOR gets each event as a
 *   unicast message, when the event is its business at the time it is
 *   delivered. A subscriber is a node admin (init_net, CAP_NET_ADMIN in
 *   the initial user namespace, judged on the socket's opener as for any
 *   netlink request) and hears everything, or it hears the mode, device
 *   events of devices its netns can see (before or after the change), and
 *   events of its own tenant: the tenant of its netns, else of the nearest
 *   member ancestor of the cgroup it subscribed from. A listener without a
 *   tenant hears no tenant event; tenant-less profiles and denials of
 *   contexts without a tenant go to node admins only. As the tenant is
 *   looked up at delivery, a listener whose netns joins or leaves a tenant
 *   hears that tenant's events from then on, or no more.
 *
 * A subscription ends when its socket is released (NETLINK_URELEASE). The
 * cgroup of a subscriber is the one it had when it subscribed, as the
 * tenant of an open file is the one it had when it opened.
 */
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/cgroup.h>
#include <linux/notifier.h>
#include <net/genetlink.h>
#include <net/sock.h>
#include "core.h"

struct ssns_listener {
	struct list_head node;
	/* The socket's netns: the socket holds it while it exists. */
	struct net *net;
	u32 portid;
	bool admin;
	struct cgroup *cgrp;		/* referenced */
};

static LIST_HEAD(ssns_listeners);
static DEFINE_MUTEX(ssns_listeners_lock);

/* The tenant a listener belongs to now, or NULL. Caller holds RCU. */
static const struct ssns_tenant *ssns_listener_tenant(struct ssns_listener *l)
{
	const struct ssns_tenant *t = ssns_tenant_find_net(l->net);
	u64 cgid;

	return t ?: ssns_cg_tenant_of(l->cgrp, &cgid);
}

static bool ssns_listener_hears(struct ssns_listener *l,
				const struct ssns_ev_who *who)
{
	const struct net *old = who->old_net;
	bool yes;

	if (l->admin)
		return true;
	switch (who->scope) {
	case SSNS_EV_ALL:
		return true;
	case SSNS_EV_DEV:
		if (ssns_visible(who->dev, l->net))
			return true;
		return old && (net_eq(old, l->net) ||
			       (net_eq(old, &init_net) &&
				READ_ONCE(ssns_netns_mode) == SSNS_NETNS_SHARED));
	case SSNS_EV_TENANT:
		if (!who->tenant)
			return false;
		rcu_read_lock();
		yes = ssns_listener_tenant(l) == who->tenant;
		rcu_read_unlock();
		return yes;
	}
	return false;
}

/* Send @skb (consumed) to the admins' group and to the subscribers. */
void ssns_notify(struct sk_buff *skb, const struct ssns_ev_who *who)
{
	struct ssns_listener *l;
	struct sk_buff *copy;

	if (READ_ONCE(ssns_nl_down)) {
		nlmsg_free(skb);
		return;
	}
	mutex_lock(&ssns_listeners_lock);
	list_for_each_entry(l, &ssns_listeners, node) {
		if (!ssns_listener_hears(l, who))
			continue;
		copy = skb_clone(skb, GFP_KERNEL);
		/* A full receive buffer sets ENOBUFS on the socket. */
		if (copy)
			genlmsg_unicast(l->net, copy, l->portid);
	}
	mutex_unlock(&ssns_listeners_lock);
#ifdef GENL_MCAST_CAP_NET_ADMIN
	genlmsg_multicast_netns(&ssns_genl_family, &init_net, skb, 0, 0,
				GFP_KERNEL);
#else
	nlmsg_free(skb);
#endif
}

int ssns_nl_monitor(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	struct ssns_listener *l, *new;
	bool admin;

	if (!info->snd_portid) {
		ssns_nl_err(info->extack, NULL,
			    "a monitor needs a socket bound to a port id");
		return -EINVAL;
	}
	admin = net_eq(net, &init_net) &&
		netlink_capable(skb, CAP_NET_ADMIN);
	new = kzalloc(sizeof(*new), GFP_KERNEL_ACCOUNT);
	if (!new)
		return -ENOMEM;
	new->net = net;
	new->portid = info->snd_portid;
	new->admin = admin;
	new->cgrp = ssns_cg_current_get();

	mutex_lock(&ssns_listeners_lock);
	list_for_each_entry(l, &ssns_listeners, node) {
		if (net_eq(l->net, net) && l->portid == new->portid) {
			/* Subscribed already: nothing changes. */
			mutex_unlock(&ssns_listeners_lock);
			ssns_cg_member_put(new->cgrp);
			kfree(new);
			return 0;
		}
	}
	list_add_tail(&new->node, &ssns_listeners);
	mutex_unlock(&ssns_listeners_lock);
	return 0;
}

static void ssns_listener_free(struct ssns_listener *l)
{
	list_del(&l->node);
	ssns_cg_member_put(l->cgrp);
	kfree(l);
}

static int ssns_monitor_urelease(struct notifier_block *nb,
				 unsigned long event, void *ptr)
{
	struct netlink_notify *n = ptr;
	struct ssns_listener *l, *tmp;

	if (event != NETLINK_URELEASE || n->protocol != NETLINK_GENERIC ||
	    !n->portid)
		return NOTIFY_DONE;
	mutex_lock(&ssns_listeners_lock);
	list_for_each_entry_safe(l, tmp, &ssns_listeners, node)
		if (net_eq(l->net, n->net) && l->portid == n->portid)
			ssns_listener_free(l);
	mutex_unlock(&ssns_listeners_lock);
	return NOTIFY_DONE;
}

static struct notifier_block ssns_monitor_nb = {
	.notifier_call = ssns_monitor_urelease,
};

int ssns_monitor_init(void)
{
	return netlink_register_notifier(&ssns_monitor_nb);
}

void ssns_monitor_exit(void)
{
	struct ssns_listener *l, *tmp;

	netlink_unregister_notifier(&ssns_monitor_nb);
	mutex_lock(&ssns_listeners_lock);
	list_for_each_entry_safe(l, tmp, &ssns_listeners, node)
		ssns_listener_free(l);
	mutex_unlock(&ssns_listeners_lock);
}
