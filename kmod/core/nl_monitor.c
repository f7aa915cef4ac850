// SPDX-License-Identifier: GPL-2.0
/*
 * ssns: the monitors: who hears which event, and the messages they get.
 *
 * The model announces every change once (ssns_event()); this file, its
 * sink, builds the message and sends it two ways:
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
 *   hears that tenant's events from then on, or no more. A delegate hears
 *   the events of the tenants it manages too (access.c), as it reads them:
 *   the delegations a listener holds are judged on its socket's opener
 *   whenever tenants change, and at subscription.
 *
 * A subscription ends when its socket is released (NETLINK_URELEASE). The
 * cgroup of a subscriber is the one it had when it subscribed, as the
 * tenant of an open file is the one it had when it opened.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/notifier.h>
#include <net/sock.h>
#include "nl.h"

struct ssns_listener {
	struct list_head node;
	/* The socket's netns: the socket holds it while it exists. */
	struct net *net;
	u32 portid;
	bool admin;
	struct cgroup *cgrp;		/* referenced */
	struct sock *sk;		/* referenced */
	struct ssns_view view;		/* roots: the delegations it holds */
};

static LIST_HEAD(ssns_listeners);
static DEFINE_MUTEX(ssns_listeners_lock);

/* Who hears an event. */
enum ssns_ev_scope {
	SSNS_SCOPE_ALL,		/* everyone (the netns mode) */
	SSNS_SCOPE_DEV,		/* who sees the device, before or after */
	SSNS_SCOPE_TENANT,	/* the tenant's own (no tenant: node admins) */
};

/* The tenant a listener belongs to now, or NULL. Caller holds RCU. */
static const struct ssns_tenant *ssns_listener_tenant(struct ssns_listener *l)
{
	const struct ssns_tenant *t = ssns_tenant_find_net(l->net);
	u64 cgid;

	return t ?: ssns_tenant_of_cgroup(l->cgrp, &cgid);
}

static bool ssns_listener_hears(struct ssns_listener *l,
				enum ssns_ev_scope scope,
				const struct ssns_event *ev)
{
	const struct net *old = ev->old_net;
	bool yes;

	if (l->admin)
		return true;
	switch (scope) {
	case SSNS_SCOPE_ALL:
		return true;
	case SSNS_SCOPE_DEV:
		if (ssns_visible(ev->dev, l->net))
			return true;
		return old && (net_eq(old, l->net) ||
			       (net_eq(old, &init_net) &&
				READ_ONCE(ssns_netns_mode) == SSNS_NETNS_SHARED));
	case SSNS_SCOPE_TENANT:
		if (!ev->tenant)
			return false;
		rcu_read_lock();
		yes = ssns_listener_tenant(l) == ev->tenant;
		rcu_read_unlock();
		return yes || ssns_view_sees(&l->view, ev->tenant);
	}
	return false;
}

/*
 * The delegations @l holds, judged on its socket's opener: the socket's
 * file is alive while the socket is not orphaned, and the release of the
 * socket waits for ssns_listeners_lock (NETLINK_URELEASE) before the file
 * goes. Under ssns_cfg_lock and ssns_listeners_lock.
 */
static void ssns_listener_refresh(struct ssns_listener *l)
{
	struct ssns_caller who = { .net = l->net };
	struct socket *sock;

	if (l->admin)
		return;
	read_lock_bh(&l->sk->sk_callback_lock);
	sock = l->sk->sk_socket;
	if (sock && sock->file && get_file_rcu(sock->file))
		who.file = sock->file;
	read_unlock_bh(&l->sk->sk_callback_lock);
	if (!who.file)
		return;		/* closing: it hears nothing more anyway */
	if (ssns_view_roots(&l->view, &who))
		l->view.nr = 0;	/* no memory: it hears its own tenant only */
	fput(who.file);
}

/* Send @skb (consumed) to the admins' group and to the subscribers. */
static void ssns_monitor_send(struct sk_buff *skb, enum ssns_ev_scope scope,
			      const struct ssns_event *ev)
{
	struct ssns_listener *l;
	struct sk_buff *copy;

	if (READ_ONCE(ssns_nl_down)) {
		nlmsg_free(skb);
		return;
	}
	mutex_lock(&ssns_listeners_lock);
	list_for_each_entry(l, &ssns_listeners, node) {
		if (!ssns_listener_hears(l, scope, ev))
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
	/* Without the flag anyone could join: the group gets nothing. */
	nlmsg_free(skb);
#endif
}

static const u8 ssns_event_cmd[] = {
	[SSNS_EV_MODE]		= SSNS_CMD_SYS_SET,
	[SSNS_EV_DEV_NEW]	= SSNS_CMD_DEV_NEW,
	[SSNS_EV_DEV_DEL]	= SSNS_CMD_DEV_DEL,
	[SSNS_EV_DEV_MOVE]	= SSNS_CMD_DEV_SET,
	[SSNS_EV_TENANT_NEW]	= SSNS_CMD_TENANT_NEW,
	[SSNS_EV_TENANT_DEL]	= SSNS_CMD_TENANT_DEL,
	[SSNS_EV_TENANT_SET]	= SSNS_CMD_TENANT_SET,
	[SSNS_EV_PROFILE_NEW]	= SSNS_CMD_PROFILE_NEW,
	[SSNS_EV_PROFILE_DEL]	= SSNS_CMD_PROFILE_DEL,
	[SSNS_EV_EP_DENIED]	= SSNS_CMD_EP_DENIED,
};

/* The event sink of the model (ssns_event()). */
void ssns_monitor_event(const struct ssns_event *ev)
{
	u8 cmd = ssns_event_cmd[ev->type];
	enum ssns_ev_scope scope;
	struct sk_buff *msg;
	int err;

	if (READ_ONCE(ssns_nl_down))
		return;
	if (ev->type == SSNS_EV_TENANT_NEW || ev->type == SSNS_EV_TENANT_DEL ||
	    ev->type == SSNS_EV_TENANT_SET) {
		struct ssns_listener *l;

		/* Tenants change under ssns_cfg_lock: so do delegations. */
		mutex_lock(&ssns_listeners_lock);
		list_for_each_entry(l, &ssns_listeners, node)
			ssns_listener_refresh(l);
		mutex_unlock(&ssns_listeners_lock);
		msg = ssns_tenant_msg(ev->tenant, cmd, NULL, 0, 0);
		if (msg)
			ssns_monitor_send(msg, SSNS_SCOPE_TENANT, ev);
		return;
	}
	msg = nlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return;
	switch (ev->type) {
	case SSNS_EV_MODE:
		scope = SSNS_SCOPE_ALL;
		err = ssns_sys_fill(msg, 0, 0, cmd);
		break;
	case SSNS_EV_DEV_NEW:
	case SSNS_EV_DEV_DEL:
	case SSNS_EV_DEV_MOVE:
		scope = SSNS_SCOPE_DEV;
		err = ssns_dev_fill(msg, ev->dev, NULL, 0, 0, 0, cmd);
		break;
	case SSNS_EV_PROFILE_NEW:
	case SSNS_EV_PROFILE_DEL:
		scope = SSNS_SCOPE_TENANT;
		err = ssns_profile_fill(msg, ev->profile, 0, 0, 0, cmd);
		break;
	case SSNS_EV_EP_DENIED:
		scope = SSNS_SCOPE_TENANT;
		err = ssns_denial_fill(msg, ev->denial);
		break;
	default:
		err = -EINVAL;
	}
	if (err) {
		nlmsg_free(msg);
		return;
	}
	ssns_monitor_send(msg, scope, ev);
}

static void ssns_listener_free(struct ssns_listener *l)
{
	ssns_cg_put(l->cgrp);
	sock_put(l->sk);
	ssns_view_free(&l->view);
	kfree(l);
}

int ssns_nl_monitor(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	struct ssns_listener *l, *new;
	bool admin;

	if (!info->snd_portid) {
		ssns_err(info->extack, NULL,
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
	new->sk = NETLINK_CB(skb).sk;
	sock_hold(new->sk);

	mutex_lock(&ssns_cfg_lock);
	mutex_lock(&ssns_listeners_lock);
	list_for_each_entry(l, &ssns_listeners, node) {
		if (net_eq(l->net, net) && l->portid == new->portid) {
			/* Subscribed already: nothing changes. */
			mutex_unlock(&ssns_listeners_lock);
			mutex_unlock(&ssns_cfg_lock);
			ssns_listener_free(new);
			return 0;
		}
	}
	ssns_listener_refresh(new);
	list_add_tail(&new->node, &ssns_listeners);
	mutex_unlock(&ssns_listeners_lock);
	mutex_unlock(&ssns_cfg_lock);
	return 0;
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
		if (net_eq(l->net, n->net) && l->portid == n->portid) {
			list_del(&l->node);
			ssns_listener_free(l);
		}
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
	list_for_each_entry_safe(l, tmp, &ssns_listeners, node) {
		list_del(&l->node);
		ssns_listener_free(l);
	}
	mutex_unlock(&ssns_listeners_lock);
}
