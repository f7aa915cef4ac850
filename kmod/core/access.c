// SPDX-License-Identifier: GPL-2.0
/*
 * ssns: who may change what: node admins, and delegates.
 *
 * A node admin (CAP_NET_ADMIN in the initial user namespace) may change
 * everything. A tenant may be delegated to a user namespace D (a rootless
 * kubelet's, a Flux instance's): a delegate of it is a caller with
 * CAP_NET_ADMIN over D, that is in D with the capability there, or in an
 * ancestor of D with power over it (its owner, or root there). A process in
 * a descendant of D has no power over D, as anywhere in the kernel: so a
 * sub-instance that got a child tenant delegated to its own nested user
 * namespace manages that child, never its parent.
 *
 * A caller manages a tenant when it is a node admin, or a delegate of the
 * tenant or of one of its ancestors (children are carved from their
 * parent). What managing allows is decided with each change
 * (tenant_change.c, profile creation): a delegate binds network namespaces
 * owned by the user namespace of its delegation or a descendant of it,
 * cgroups under the delegation's cgroup subtree, manages profiles of the
 * tenant's VNIs, creates children from the tenant's VNIs and delegates
 * them further down; it never widens the delegation it acts through.
 *
 * A delegation holds a reference on its user namespace. When nothing else
 * does (every process, credential and namespace of it gone), the namespace
 * is dead to its users: the delegation ends, and the children created
 * under it by delegates are deleted (their VNIs go back). system.c checks
 * this when a network namespace dies, before each change and every few
 * seconds.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt
#include <linux/module.h>
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/file.h>
#include <linux/magic.h>
#include <linux/pid.h>
#include <linux/proc_ns.h>
#include <linux/slab.h>
#include <linux/sched/task.h>
#include <linux/user_namespace.h>
#include "core.h"

/* Delegated tenants (ssns_cfg_lock), for the reaper. */
static LIST_HEAD(ssns_delegated);

/* Is @ns @ancestor or a descendant of it? */
bool ssns_userns_within(const struct user_namespace *ns,
			const struct user_namespace *ancestor)
{
	for (; ns; ns = ns->parent)
		if (ns == ancestor)
			return true;
	return false;
}

/*
 * Has the caller CAP_NET_ADMIN over @ns: the opener of its socket, and for
 * a request the task itself, as for any netlink request
 * (netlink_ns_capable()).
 */
bool ssns_caller_over(const struct ssns_caller *who,
		      struct user_namespace *ns)
{
	if (who->admin)
		return true;
	return who->file && file_ns_capable(who->file, ns, CAP_NET_ADMIN) &&
	       (!who->task_too || ns_capable_noaudit(ns, CAP_NET_ADMIN));
}

/*
 * The tenant whose delegation lets the caller manage @t (@t or an
 * ancestor), the nearest, or NULL. Node admins manage everything: for them
 * it returns @t. Under ssns_cfg_lock.
 */
struct ssns_tenant *ssns_manager_of(const struct ssns_caller *who,
				    struct ssns_tenant *t)
{
	struct ssns_tenant *a;

	if (who->admin)
		return t;
	for (a = t; a; a = a->parent)
		if (a->delegate && ssns_caller_over(who, a->delegate))
			return a;
	return NULL;
}

bool ssns_manages(const struct ssns_caller *who, struct ssns_tenant *t)
{
	return !!ssns_manager_of(who, t);
}

/*
 * May the caller bind @net to @t? A node admin binds any netns; a delegate
 * one owned by its delegation's user namespace or a descendant.
 */
int ssns_may_bind_net(const struct ssns_caller *who, struct ssns_tenant *t,
		      const struct net *net, struct netlink_ext_ack *extack)
{
	struct ssns_tenant *d = ssns_manager_of(who, t);

	if (who->admin)
		return 0;
	if (d && ssns_userns_within(net->user_ns, d->delegate))
		return 0;
	ssns_err(extack, NULL,
		 "netns %llu is not owned by the user namespace delegated %s (or a descendant)",
		 net->net_cookie, d ? d->name : t->name);
	return -EPERM;
}

int ssns_may_bind_cg(const struct ssns_caller *who, struct ssns_tenant *t,
		     struct cgroup *cgrp, struct netlink_ext_ack *extack)
{
	struct ssns_tenant *d = ssns_manager_of(who, t);

	if (who->admin)
		return 0;
	if (d && d->delegate_cg && ssns_cg_within(cgrp, d->delegate_cg))
		return 0;
	ssns_err(extack, NULL,
		 "cgroup %llu is not under the cgroup subtree delegated with %s",
		 ssns_cg_id(cgrp), d ? d->name : t->name);
	return -EPERM;
}

/*
 * What a reader sees: its own tenant (by netns, else cgroup), the tenants
 * it manages as a delegate (under the delegations it holds), and
 * everything when it reads from init_net with no tenant of its own. Built
 * once per request under ssns_cfg_lock (capability checks may sleep), then
 * asked under RCU too.
 */
int ssns_view_init(struct ssns_view *v, const struct ssns_caller *who)
{
	memset(v, 0, sizeof(*v));
	lockdep_assert_held(&ssns_cfg_lock);
	v->own = ssns_reader_tenant(who->net, &v->all);
	/* A node admin outside init_net sees only its own, as before. */
	if (v->all || who->admin)
		return 0;
	return ssns_view_roots(v, who);
}

/* The delegations @who holds, into @v->roots (replaced). */
int ssns_view_roots(struct ssns_view *v, const struct ssns_caller *who)
{
	struct ssns_tenant *t;
	unsigned int n = 0;

	lockdep_assert_held(&ssns_cfg_lock);
	kfree(v->roots);
	v->roots = NULL;
	v->nr = 0;
	list_for_each_entry(t, &ssns_delegated, delegated_node)
		n++;
	if (!n)
		return 0;
	v->roots = kmalloc_array(n, sizeof(*v->roots), GFP_KERNEL);
	if (!v->roots)
		return -ENOMEM;
	list_for_each_entry(t, &ssns_delegated, delegated_node)
		if (ssns_caller_over(who, t->delegate))
			v->roots[v->nr++] = t;
	return 0;
}

bool ssns_view_sees(const struct ssns_view *v, const struct ssns_tenant *t)
{
	unsigned int i;

	if (v->all || (t && t == v->own))
		return true;
	for (; t; t = t->parent)
		for (i = 0; i < v->nr; i++)
			if (v->roots[i] == t)
				return true;
	return false;
}

void ssns_view_free(struct ssns_view *v)
{
	kfree(v->roots);
	v->roots = NULL;
}

/* ssns_view_sees() for one tenant. */
bool ssns_reader_sees(const struct ssns_caller *who, struct ssns_tenant *t)
{
	struct ssns_tenant *own;
	bool all;

	own = ssns_reader_tenant(who->net, &all);
	if (all || (t && t == own))
		return true;
	return t && !who->admin && ssns_manages(who, t);
}

/* ---- user namespaces named by requests ---- */

/* The user namespace open as @fd (/proc/PID/ns/user), referenced. */
struct user_namespace *ssns_userns_get_fd(int fd)
{
	struct user_namespace *ns = ERR_PTR(-EINVAL);
	struct ns_common *nsc;
	struct file *file;

	file = fget(fd);
	if (!file)
		return ERR_PTR(-EBADF);
	if (file_inode(file)->i_sb->s_magic == NSFS_MAGIC) {
		nsc = get_proc_ns(file_inode(file));
		if (nsc->ops->type == CLONE_NEWUSER)
			ns = get_user_ns(container_of(nsc,
						      struct user_namespace,
						      ns));
	}
	fput(file);
	return ns;
}

/* The user namespace of process @pid (in the caller's pid namespace). */
struct user_namespace *ssns_userns_get_pid(pid_t pid)
{
	struct user_namespace *ns = ERR_PTR(-ESRCH);
	struct task_struct *task;

	rcu_read_lock();
	task = pid_task(find_vpid(pid), PIDTYPE_PID);
	if (task)
		ns = get_user_ns(__task_cred(task)->user_ns);
	rcu_read_unlock();
	return ns;
}

/* ---- delegations ---- */

/*
 * Delegate @t to @ns (referenced: the reference moves) with cgroup subtree
 * @cg (referenced, or NULL), or end its delegation (@ns NULL). Under
 * ssns_cfg_lock.
 */
void ssns_delegate_set(struct ssns_tenant *t, struct user_namespace *ns,
		       struct cgroup *cg)
{
	lockdep_assert_held(&ssns_cfg_lock);
	if (t->delegate && t->delegate != ns)
		pr_info("tenant %s: delegation to user namespace %u ends\n",
			t->name, t->delegate->ns.inum);
	if (t->delegate) {
		list_del_init(&t->delegated_node);
		put_user_ns(t->delegate);
	}
	if (t->delegate_cg)
		ssns_cg_put(t->delegate_cg);
	t->delegate = ns;
	t->delegate_cg = cg;
	if (ns) {
		list_add_tail(&t->delegated_node, &ssns_delegated);
		pr_info("tenant %s: delegated to user namespace %u\n",
			t->name, ns->ns.inum);
	}
}

/* References ssns holds on @ns: one per delegation to it. */
static unsigned int ssns_userns_refs(const struct user_namespace *ns)
{
	struct ssns_tenant *t;
	unsigned int n = 0;

	list_for_each_entry(t, &ssns_delegated, delegated_node)
		n += t->delegate == ns;
	return n;
}

/*
 * A delegated tenant whose user namespace only ssns still holds, or NULL:
 * its delegation is to end (system.c). Under ssns_cfg_lock.
 */
struct ssns_tenant *ssns_delegation_dead(void)
{
	struct ssns_tenant *t;

	lockdep_assert_held(&ssns_cfg_lock);
	list_for_each_entry(t, &ssns_delegated, delegated_node)
		if (refcount_read(&t->delegate->ns.count) <=
		    ssns_userns_refs(t->delegate))
			return t;
	return NULL;
}
