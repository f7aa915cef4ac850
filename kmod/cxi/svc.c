// SPDX-License-Identifier: GPL-2.0
/*
 * ssns_cxi: ssns's policy mirrored into HPE's services.
 *
 * For every device, every network namespace member of a tenant that sees
 * the device, and every group of the tenant's VNIs with profiles on the
 * device whose profiles have the same traffic classes, there is one
 * service per CXI_SVC_MAX_VNIS VNIs of the group: restricted to that netns
 * (cxi_svc_set_netns(), by its ns.inum), to those VNIs and to those
 * traffic classes, enabled once complete. Tenant-less profiles get the
 * same for init_net when the device is there. Grouping by traffic classes
 * keeps a service from granting a (VNI, TC) that has no profile.
 *
 * Each policy change recomputes what the device needs (scx_sync(), called
 * by the core with its configuration lock held, so the state cannot change
 * under it), keeps the services that still match and retires the others:
 * disabled and destroyed. HPE refuses both while LNIs hold the service
 * (-EBUSY); such a service goes on the device's reap list, is tried again
 * from a work item until it is free, and pins its netns when it was still
 * alive, so that its ns.inum cannot be given to a new namespace meanwhile
 * (see docs/hpe-cxi.md, "ns.inum").
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt
#include <linux/jiffies.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <net/net_namespace.h>
#include "ssns_cxi.h"

/* How often a busy retired service is tried again (first, at most). */
#define SCX_REAP_MIN	(HZ / 20)
#define SCX_REAP_MAX	(2 * HZ)

/* A VNI of the device's profiles and the traffic classes they have. */
struct scx_vni {
	u16 vni;
	u8 tcs;
};

/* A service the policy asks for. */
struct scx_want {
	struct list_head node;
	u64 cookie;
	unsigned int inum;
	u8 tcs;
	u8 nvnis;
	u16 vnis[CXI_SVC_MAX_VNIS];
};

/* The state of one scx_sync() pass. */
struct scx_pass {
	struct scx_dev *sd;
	struct list_head want;
	struct scx_vni *vnis;		/* of the tenant being walked */
	unsigned int nvnis, size;
	int err;
};

static int scx_vni_cmp(const void *a, const void *b)
{
	const struct scx_vni *x = a, *y = b;

	if (x->tcs != y->tcs)
		return x->tcs - y->tcs;
	return x->vni - y->vni;
}

/* Profiles come in (VNI, TC) order: one entry a VNI. */
static int scx_collect_profile(u16 vni, u8 tc, void *arg)
{
	struct scx_pass *p = arg;
	struct scx_vni *v;

	if (tc > SSNS_TC_MAX)
		return 0;
	if (p->nvnis && p->vnis[p->nvnis - 1].vni == vni) {
		p->vnis[p->nvnis - 1].tcs |= BIT(tc);
		return 0;
	}
	if (p->nvnis == p->size) {
		unsigned int size = p->size ? 2 * p->size : 16;

		v = krealloc_array(p->vnis, size, sizeof(*v), GFP_KERNEL);
		if (!v)
			return -ENOMEM;
		p->vnis = v;
		p->size = size;
	}
	p->vnis[p->nvnis].vni = vni;
	p->vnis[p->nvnis].tcs = BIT(tc);
	p->nvnis++;
	return 0;
}

/* Record the device-wide VNI -> TCs map the hook reads. */
static void scx_note_vnis(struct scx_pass *p, struct xarray *map)
{
	unsigned int i;
	unsigned long old;

	for (i = 0; i < p->nvnis; i++) {
		old = xa_to_value(xa_load(map, p->vnis[i].vni) ?: xa_mk_value(0));
		xa_store(map, p->vnis[i].vni,
			 xa_mk_value(old | p->vnis[i].tcs), GFP_KERNEL);
	}
}

/* The services for one netns: groups of equal TCs, cut in fours. */
static int scx_want_netns(struct scx_pass *p, u64 cookie, unsigned int inum)
{
	struct scx_want *w = NULL;
	unsigned int i;

	for (i = 0; i < p->nvnis; i++) {
		const struct scx_vni *v = &p->vnis[i];

		if (!w || w->tcs != v->tcs || w->nvnis == CXI_SVC_MAX_VNIS) {
			w = kzalloc(sizeof(*w), GFP_KERNEL);
			if (!w)
				return -ENOMEM;
			w->cookie = cookie;
			w->inum = inum;
			w->tcs = v->tcs;
			list_add_tail(&w->node, &p->want);
		}
		w->vnis[w->nvnis++] = v->vni;
	}
	return 0;
}

static int scx_want_member(struct net *net, u64 cookie, void *arg)
{
	struct scx_pass *p = arg;

	if (!ssns_dev_visible_from(p->sd->sdev, net))
		return 0;
	return scx_want_netns(p, cookie, net->ns.inum);
}

static int scx_want_tenant(const struct ssns_tenant *t, void *arg)
{
	struct scx_pass *p = arg;
	int err;

	p->nvnis = 0;
	err = ssns_dev_walk_profiles(p->sd->sdev, t, scx_collect_profile, p);
	if (err || !p->nvnis)
		return err;
	scx_note_vnis(p, &p->sd->vni_tcs);
	sort(p->vnis, p->nvnis, sizeof(*p->vnis), scx_vni_cmp, NULL);
	return ssns_tenant_walk_netns(t, scx_want_member, p);
}

static int scx_want_all(struct scx_pass *p)
{
	struct scx_dev *sd = p->sd;
	int err;

	err = ssns_walk_tenants(scx_want_tenant, p);
	if (err)
		return err;
	/* Tenant-less profiles: host use, from init_net only. */
	p->nvnis = 0;
	err = ssns_dev_walk_profiles(sd->sdev, NULL, scx_collect_profile, p);
	if (err || !p->nvnis)
		return err;
	scx_note_vnis(p, &sd->vni_tcs);
	if (!ssns_dev_visible_from(sd->sdev, &init_net))
		return 0;
	sort(p->vnis, p->nvnis, sizeof(*p->vnis), scx_vni_cmp, NULL);
	return scx_want_netns(p, init_net.net_cookie, init_net.ns.inum);
}

static bool scx_svc_is(const struct scx_svc *s, const struct scx_want *w)
{
	return s->cookie == w->cookie && s->tcs == w->tcs &&
	       s->nvnis == w->nvnis &&
	       !memcmp(s->vnis, w->vnis, w->nvnis * sizeof(w->vnis[0]));
}

/* ssns's traffic classes are HPE's first four, in the same order. */
static void scx_desc_tcs(struct cxi_svc_desc *d, u8 tcs)
{
	static const unsigned int map[] = {
		[SSNS_TC_DEDICATED_ACCESS] = CXI_TC_DEDICATED_ACCESS,
		[SSNS_TC_LOW_LATENCY] = CXI_TC_LOW_LATENCY,
		[SSNS_TC_BULK_DATA] = CXI_TC_BULK_DATA,
		[SSNS_TC_BEST_EFFORT] = CXI_TC_BEST_EFFORT,
	};
	unsigned int tc;

	for (tc = 0; tc < ARRAY_SIZE(map); tc++)
		d->tcs[map[tc]] = !!(tcs & BIT(tc));
}

/*
 * Make the service @w asks for: allocated with no member (HPE enables a
 * service with VNIs at once: with no member it admits nobody), disabled,
 * restricted to the netns, enabled. Caller holds sd->lock.
 */
static int scx_svc_make(struct scx_dev *sd, const struct scx_want *w)
{
	struct cxi_svc_desc desc = {
		.restricted_members = 1,
		.restricted_vnis = 1,
		.restricted_tcs = 1,
		.num_vld_vnis = w->nvnis,
		.members = {
			{ .type = CXI_SVC_MEMBER_IGNORE },
			{ .type = CXI_SVC_MEMBER_IGNORE },
		},
	};
	struct cxi_dev *cdev = sd->cdev;
	struct scx_svc *s;
	char name[32];
	int id, err;

	s = kzalloc(sizeof(*s), GFP_KERNEL);
	if (!s)
		return -ENOMEM;
	memcpy(desc.vnis, w->vnis, w->nvnis * sizeof(w->vnis[0]));
	scx_desc_tcs(&desc, w->tcs);
	snprintf(name, sizeof(name), "ssns-%llu", w->cookie);

	id = cxi_svc_alloc(cdev, &desc, NULL, name);
	if (id < 0) {
		err = id;
		goto fail;
	}
	err = cxi_svc_enable(cdev, id, false);
	if (!err)
		err = cxi_svc_set_netns(cdev, id, w->inum);
	if (!err)
		err = cxi_svc_enable(cdev, id, true);
	if (err) {
		cxi_svc_destroy(cdev, id);
		goto fail;
	}
	s->id = id;
	s->cookie = w->cookie;
	s->inum = w->inum;
	s->tcs = w->tcs;
	s->nvnis = w->nvnis;
	memcpy(s->vnis, w->vnis, sizeof(s->vnis));
	list_add_tail(&s->node, &sd->svcs);
	atomic64_inc(&sd->svc_alloc);
	return 0;
fail:
	atomic64_inc(&sd->svc_errors);
	pr_err_ratelimited("%s: no service for netns inum %u, VNI %u..: %d\n",
			   cdev->name, w->inum, w->vnis[0], err);
	kfree(s);
	return err;
}

/* Disable and destroy: 0, or -EBUSY while LNIs hold it. */
static int scx_svc_kill(struct scx_dev *sd, struct scx_svc *s)
{
	int err;

	/* HPE refuses to disable a held service: destroy says the same. */
	cxi_svc_enable(sd->cdev, s->id, false);
	err = cxi_svc_destroy(sd->cdev, s->id);
	if (err == -EBUSY)
		return err;
	if (err)	/* gone with the device, or never ours: forget it */
		pr_warn_ratelimited("%s: destroying service %u: %d\n",
				    sd->cdev->name, s->id, err);
	atomic64_inc(&sd->svc_destroy);
	return 0;
}

static void scx_svc_free(struct scx_svc *s)
{
	list_del(&s->node);
	if (s->pin)
		put_net(s->pin);
	kfree(s);
}

/*
 * Retire a service the policy no longer asks for. A busy one is reaped
 * later; if its netns is alive (@net, the member being removed), pin it
 * meanwhile so that its inum is not reused. Caller holds sd->lock.
 */
static void scx_svc_retire(struct scx_dev *sd, struct scx_svc *s,
			   struct net *net)
{
	if (!scx_svc_kill(sd, s)) {
		scx_svc_free(s);
		return;
	}
	atomic64_inc(&sd->svc_busy);
	if (net && net->net_cookie == s->cookie && !s->pin)
		s->pin = maybe_get_net(net);
	if (!s->pin)
		pr_notice_ratelimited("%s: service %u of a dead netns (inum %u) is held by LNIs: destroyed when free\n",
				      sd->cdev->name, s->id, s->inum);
	s->retired = jiffies;
	list_move_tail(&s->node, &sd->reap);
	if (!sd->gone)
		mod_delayed_work(system_wq, &sd->reap_work, SCX_REAP_MIN);
}

/*
 * Bring the device's services in line with the policy after @change.
 * Called from ->policy() (configuration lock held) and at registration.
 */
void scx_sync(struct scx_dev *sd, const struct ssns_policy *change)
{
	struct scx_pass p = { .sd = sd };
	struct net *net = NULL;
	struct scx_want *w, *wt;
	struct scx_svc *s, *st;
	int err;

	INIT_LIST_HEAD(&p.want);
	if (change && (change->type == SSNS_POLICY_MEMBER_DEL ||
		       change->type == SSNS_POLICY_NETNS_EXIT))
		net = change->net;

	mutex_lock(&sd->lock);
	if (sd->gone)
		goto unlock;
	xa_destroy(&sd->vni_tcs);
	err = scx_want_all(&p);
	if (err) {
		/* Keep what exists rather than tear down on a failed pass. */
		atomic64_inc(&sd->svc_errors);
		pr_err_ratelimited("%s: mirroring the policy: %d\n",
				   sd->cdev->name, err);
		goto free;
	}

	list_for_each_entry(s, &sd->svcs, node)
		s->keep = false;
	list_for_each_entry_safe(w, wt, &p.want, node) {
		list_for_each_entry(s, &sd->svcs, node) {
			if (!s->keep && scx_svc_is(s, w)) {
				s->keep = true;
				list_del(&w->node);
				kfree(w);
				break;
			}
		}
	}
	list_for_each_entry_safe(s, st, &sd->svcs, node)
		if (!s->keep)
			scx_svc_retire(sd, s, net);
	list_for_each_entry(w, &p.want, node)
		scx_svc_make(sd, w);
free:
	list_for_each_entry_safe(w, wt, &p.want, node)
		kfree(w);
unlock:
	mutex_unlock(&sd->lock);
	kfree(p.vnis);
}

void scx_reap_work(struct work_struct *work)
{
	struct scx_dev *sd = container_of(to_delayed_work(work),
					  struct scx_dev, reap_work);
	unsigned long delay = SCX_REAP_MAX;
	struct scx_svc *s, *st;

	mutex_lock(&sd->lock);
	list_for_each_entry_safe(s, st, &sd->reap, node) {
		if (!scx_svc_kill(sd, s)) {
			scx_svc_free(s);
			continue;
		}
		/* Soon after retirement, LNIs usually go soon too. */
		delay = min(delay, max_t(unsigned long, SCX_REAP_MIN,
					 (jiffies - s->retired) / 4));
	}
	if (!list_empty(&sd->reap) && !sd->gone)
		schedule_delayed_work(&sd->reap_work, delay);
	mutex_unlock(&sd->lock);
}

/*
 * The device goes: destroy what is left. HPE frees the services of a
 * removed device itself, held or not; a busy one is only forgotten.
 * The work is stopped and ->policy() no longer runs.
 */
void scx_svc_fini(struct scx_dev *sd)
{
	struct scx_svc *s, *st;

	mutex_lock(&sd->lock);
	list_splice_tail_init(&sd->reap, &sd->svcs);
	list_for_each_entry_safe(s, st, &sd->svcs, node) {
		scx_svc_kill(sd, s);
		scx_svc_free(s);
	}
	xa_destroy(&sd->vni_tcs);
	mutex_unlock(&sd->lock);
}

/*
 * The services serving netns @cookie on the device, in @ids (at most
 * @max): how many there are.
 */
int scx_svc_info(struct scx_dev *sd, u64 cookie, u32 *ids, unsigned int max)
{
	struct scx_svc *s;
	unsigned int n = 0;

	mutex_lock(&sd->lock);
	list_for_each_entry(s, &sd->svcs, node) {
		if (s->cookie != cookie)
			continue;
		if (n < max)
			ids[n] = s->id;
		n++;
	}
	mutex_unlock(&sd->lock);
	return n;
}

/*
 * Service @id for an LNI of a task of netns @cookie: 1 it is the adapter's
 * and serves @cookie, 0 it is not the adapter's, -EACCES it serves another
 * netns, -EKEYREVOKED it is retired.
 */
int scx_svc_state(struct scx_dev *sd, unsigned int id, u64 cookie,
		  bool *ours)
{
	struct scx_svc *s;
	int ret = 0;

	*ours = false;
	mutex_lock(&sd->lock);
	list_for_each_entry(s, &sd->svcs, node) {
		if (s->id == id) {
			*ours = true;
			ret = s->cookie == cookie ? 1 : -EACCES;
			goto out;
		}
	}
	list_for_each_entry(s, &sd->reap, node) {
		if (s->id == id) {
			*ours = true;
			ret = -EKEYREVOKED;
			goto out;
		}
	}
out:
	mutex_unlock(&sd->lock);
	return ret;
}
