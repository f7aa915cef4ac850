// SPDX-License-Identifier: GPL-2.0
/*
 * ssns-cni: the commands, on libssns.
 *
 * Every command runs under one lock file, so concurrent ADD and DEL of
 * different pods never interleave their read-modify-write of a tenant.
 *
 * Reference counting of shared state: ADD creates the tenant (when absent)
 * and the profiles it needs, and records what it created in the tenant's
 * record. A tenant's attachments are the attachment records naming it.
 * When DEL (or GC) removes the last one, "cleanup" is on (default) and the
 * tenant has no member left (a netns or cgroup bound by someone else, such
 * as the OCI hook or an administrator, counts as a pod of the tenant), the
 * plugin deletes the profiles it created, takes back the VNIs it added to
 * a pre-existing tenant, and deletes the tenant if it created it. Profiles
 * and tenants made by an administrator are never touched.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cni.h"
#include "quote.h"

#define Q(s) SSNS_QUOTE(s)

/* A libssns call on h failed with rc: CNI error 100 with the kernel's words. */
static int kfail(struct cni_err *e, struct ssns_handle *h, int rc,
		 const char *what)
{
	struct rt_err re;

	rt_kernel_fail(&re, h, rc, "%s", what);
	return cni_err_rt(e, &re);
}

static int connect_kernel(struct ssns_handle **out, struct cni_err *e)
{
	struct rt_err re;

	return rt_connect(out, &re) ? cni_err_rt(e, &re) : 0;
}

static bool tenant_has_vni(const struct ssns_tenant *t, uint32_t v)
{
	size_t i;

	for (i = 0; i < t->nranges; i++)
		if (v >= t->ranges[i].first && v <= t->ranges[i].last)
			return true;
	return false;
}

static int rec_add_range(struct cni_tenant_rec *r, uint32_t a, uint32_t b)
{
	struct ssns_vni_range *n = realloc(r->added,
					   (r->nadded + 1) * sizeof(*n));

	if (!n)
		return -ENOMEM;
	n[r->nadded].first = a;
	n[r->nadded].last = b;
	r->added = n;
	r->nadded++;
	return 0;
}

static int rec_add_profile(struct cni_tenant_rec *r, const char *dev,
			   uint32_t vni, int tc)
{
	struct cni_profile_key *n;
	size_t i;

	for (i = 0; i < r->nprofiles; i++)
		if (!strcmp(r->profiles[i].dev, dev) &&
		    r->profiles[i].vni == vni && r->profiles[i].tc == tc)
			return 0;
	n = realloc(r->profiles, (r->nprofiles + 1) * sizeof(*n));
	if (!n)
		return -ENOMEM;
	snprintf(n[r->nprofiles].dev, sizeof(n->dev), "%s", dev);
	n[r->nprofiles].vni = vni;
	n[r->nprofiles].tc = tc;
	r->profiles = n;
	r->nprofiles++;
	return 0;
}

/*
 * The tenant exists and owns the configured VNIs. The VNIs profiles are
 * made for are returned in *vr (the configured ones, else the tenant's).
 */
static int ensure_tenant(struct ssns_handle *h, const struct cni_conf *c,
			 struct cni_tenant_rec *tr,
			 struct ssns_vni_range **vr, size_t *nvr,
			 struct cni_err *e)
{
	struct ssns_tenant *t = NULL;
	size_t i;
	uint32_t v, start;
	int rc;

	*vr = NULL;
	*nvr = 0;
	rc = ssns_tenant_get(h, c->tenant, &t);
	if (rc == -ENOENT) {
		if (!c->nranges) {
			cni_err_set(e, CNI_ERR_CONFIG, "invalid network config",
				    "tenant %s does not exist and no VNIs were given (vnis, SSNS_VNIS or runtimeConfig)",
				    c->tenant);
			return -1;
		}
		rc = ssns_tenant_add(h, c->tenant, c->ranges, c->nranges);
		if (rc && rc != -EEXIST)
			return kfail(e, h, rc, "cannot create the tenant");
		if (!rc)
			tr->created = true;
		rc = ssns_tenant_get(h, c->tenant, &t);
	}
	if (rc)
		return kfail(e, h, rc, "cannot read the tenant");

	/* VNIs configured but not yet the tenant's: add them, one run each. */
	for (i = 0; i < c->nranges; i++) {
		for (v = c->ranges[i].first; v <= c->ranges[i].last; v++) {
			if (tenant_has_vni(t, v))
				continue;
			start = v;
			while (v < c->ranges[i].last && !tenant_has_vni(t, v + 1))
				v++;
			struct ssns_vni_range r = { start, v };

			rc = ssns_tenant_vni(h, c->tenant, &r, 1, SSNS_OP_ADD);
			if (rc) {
				ssns_tenant_free(t);
				return kfail(e, h, rc,
					     "cannot add the VNIs to the tenant");
			}
			if (!tr->created && rec_add_range(tr, start, v)) {
				ssns_tenant_free(t);
				cni_err_set(e, CNI_ERR_IO, "out of memory", NULL);
				return -1;
			}
		}
	}
	if (c->nranges) {
		*vr = malloc(c->nranges * sizeof(**vr));
		if (*vr) {
			memcpy(*vr, c->ranges, c->nranges * sizeof(**vr));
			*nvr = c->nranges;
		}
	} else {
		*vr = t->ranges;	/* steal them */
		*nvr = t->nranges;
		t->ranges = NULL;
		t->nranges = 0;
	}
	ssns_tenant_free(t);
	if (!*vr && *nvr) {
		cni_err_set(e, CNI_ERR_IO, "out of memory", NULL);
		return -1;
	}
	return 0;
}

/* The configured devices, or every device visible from here. */
static int devices_of(struct ssns_handle *h, const struct cni_conf *c,
		      char ***out, size_t *n, struct cni_err *e)
{
	struct ssns_dev_list *l;
	size_t i;
	int rc;

	*out = calloc(CNI_MAX_DEVICES + 1, sizeof(char *));
	*n = 0;
	if (!*out) {
		cni_err_set(e, CNI_ERR_IO, "out of memory", NULL);
		return -1;
	}
	if (c->ndevices) {
		for (i = 0; i < c->ndevices; i++)
			(*out)[(*n)++] = strdup(c->devices[i]);
		return 0;
	}
	rc = ssns_dev_list(h, &l);
	if (rc)
		return kfail(e, h, rc, "cannot list the devices");
	for (i = 0; i < l->count && *n < CNI_MAX_DEVICES; i++)
		(*out)[(*n)++] = strdup(l->devs[i].name);
	ssns_dev_list_free(l);
	return 0;
}

static size_t vni_count(const struct ssns_vni_range *r, size_t n)
{
	size_t i, cnt = 0;

	for (i = 0; i < n; i++)
		cnt += r[i].last - r[i].first + 1;
	return cnt;
}

static int make_profiles(struct ssns_handle *h, const struct cni_conf *c,
			 char **devs, size_t ndevs,
			 const struct ssns_vni_range *vr, size_t nvr,
			 struct cni_tenant_rec *tr, struct cni_err *e)
{
	size_t d, i, k;
	uint32_t v;
	int rc;

	if (ndevs * vni_count(vr, nvr) * c->ntcs > CNI_MAX_PROFILES) {
		cni_err_set(e, CNI_ERR_CONFIG, "too many profiles",
			    "%zu devices x %zu VNIs x %zu traffic classes is more than %d profiles: list fewer vnis",
			    ndevs, vni_count(vr, nvr), c->ntcs,
			    CNI_MAX_PROFILES);
		return -1;
	}
	for (d = 0; d < ndevs; d++)
		for (i = 0; i < nvr; i++)
			for (v = vr[i].first; v <= vr[i].last; v++)
				for (k = 0; k < c->ntcs; k++) {
					rc = ssns_profile_add(h, devs[d], v,
							      c->tcs[k]);
					if (rc == -EEXIST)
						continue;
					if (rc)
						return kfail(e, h, rc,
							"cannot create a profile");
					if (rec_add_profile(tr, devs[d], v,
							    c->tcs[k])) {
						cni_err_set(e, CNI_ERR_IO,
							    "out of memory", NULL);
						return -1;
					}
				}
	return 0;
}

/*
 * When no attachment of the tenant is left, undo what the plugin created
 * for it. Objects already gone are fine.
 */
static int cleanup_tenant(struct ssns_handle *h, const struct cni_state *st,
			  bool cleanup, const char *tenant,
			  struct cni_err *e)
{
	struct cni_tenant_rec tr;
	struct ssns_tenant *t;
	size_t i, keep = 0;
	int rc, err = 0;

	if (!cleanup || !h || cni_att_count_tenant(st, tenant))
		return 0;
	if (cni_tenant_read(st, tenant, &tr) <= 0)
		return 0;
	/*
	 * Members bound by someone else (ssnsctl, the OCI hook) are pods of
	 * the tenant too: keep everything for them. The record stays, and the
	 * last DEL after them cleans up.
	 */
	rc = ssns_tenant_get(h, tenant, &t);
	if (!rc) {
		keep = t->nmembers;
		ssns_tenant_free(t);
		if (keep) {
			cni_tenant_rec_free(&tr);
			return 0;
		}
	} else if (rc != -ENOENT) {
		cni_tenant_rec_free(&tr);
		return kfail(e, h, rc, "cannot read the tenant");
	}
	for (i = 0; i < tr.nprofiles; i++) {
		rc = ssns_profile_del(h, tr.profiles[i].dev, tr.profiles[i].vni,
				      tr.profiles[i].tc);
		if (rc && rc != -ENOENT && rc != -ENODEV) {
			if (!err)
				kfail(e, h, rc, "cannot delete a profile");
			err = rc;
			tr.profiles[keep++] = tr.profiles[i];
		}
	}
	tr.nprofiles = keep;
	if (!err && !tr.created) {
		rc = tr.nadded ? ssns_tenant_vni(h, tenant, tr.added, tr.nadded,
						 SSNS_OP_DEL) : 0;
		if (rc && rc != -ENOENT) {
			kfail(e, h, rc, "cannot take back the VNIs added to the tenant");
			err = rc;
		} else {
			tr.nadded = 0;
		}
	}
	if (!err && tr.created) {
		rc = ssns_tenant_get(h, tenant, &t);
		if (!rc) {
			/* someone else's members: the tenant is still in use */
			if (!t->nmembers) {
				rc = ssns_tenant_del(h, tenant);
				if (!rc)
					tr.created = false;
			}
			ssns_tenant_free(t);
		} else if (rc == -ENOENT) {
			tr.created = false;
			rc = 0;
		}
		if (rc && rc != -ENOENT) {
			kfail(e, h, rc, "cannot delete the tenant");
			err = rc;
		}
	}
	if (!tr.nprofiles && !tr.nadded && !tr.created)
		cni_tenant_remove(st, tenant);
	else
		cni_tenant_write(st, tenant, &tr, e);
	cni_tenant_rec_free(&tr);
	return err ? -1 : 0;
}

/* Give the devices of an exclusive attachment back to the host. */
static int return_devices(const struct cni_att_rec *r, int nsfd,
			  struct cni_err *e)
{
	struct ssns_handle *h2 = NULL;
	struct rt_err re;
	uint64_t cookie = 0;
	int own = -1, self, rc = 0;
	size_t i;

	if (!r->ndevices)
		return 0;
	if (nsfd < 0) {
		/* gone with the netns: its devices went home by themselves */
		if (!r->netns)
			return 0;
		own = open(r->netns, O_RDONLY | O_CLOEXEC);
		if (own < 0)
			return 0;
		nsfd = own;
	}
	/* the same namespace as at ADD, not a new one at the same path */
	if (rt_netns_cookie(nsfd, &cookie) ||
	    (r->netns_cookie && cookie != r->netns_cookie))
		goto out;
	self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (self < 0) {
		cni_err_set(e, CNI_ERR_IO, "cannot open own netns", "%s",
			    strerror(errno));
		rc = -1;
		goto out;
	}
	if (rt_connect_in(nsfd, &h2, &re)) {
		close(self);
		rc = cni_err_rt(e, &re);
		goto out;
	}
	for (i = 0; i < r->ndevices; i++) {
		int mrc = ssns_dev_move_fd(h2, r->devices[i], self);

		if (mrc && mrc != -ENODEV) {
			rc = kfail(e, h2, mrc, "cannot return a device to the host");
			break;
		}
	}
	ssns_free(h2);
	close(self);
out:
	if (own >= 0)
		close(own);
	return rc;
}

/* Undo one attachment: unbind the netns, return devices, drop the record. */
static int undo_attachment(struct ssns_handle *h, const struct cni_state *st,
			   const struct cni_att_rec *r, int nsfd,
			   struct cni_err *e)
{
	struct rt_err re;
	int rc;

	if (r->tenant && rt_detach(h, r->tenant, r->netns_cookie, 0, "pod", &re))
		return cni_err_rt(e, &re);
	if (h && r->mode == CNI_MODE_EXCLUSIVE && return_devices(r, nsfd, e))
		return -1;
	rc = cni_att_remove(st, r);
	if (rc) {
		cni_err_set(e, CNI_ERR_IO, "cannot remove the attachment record",
			    "%s", strerror(-rc));
		return -1;
	}
	return 0;
}

static int check_ids(const struct cni_env *env, struct cni_err *e)
{
	if (!rt_id_valid(env->container_id, 256)) {
		cni_err_set(e, CNI_ERR_ENV, "invalid CNI_CONTAINERID",
			    "%s: 1 to 255 characters of [A-Za-z0-9_.-]",
			    Q(env->container_id));
		return -1;
	}
	if (!rt_id_valid(env->ifname, 16)) {
		cni_err_set(e, CNI_ERR_ENV, "invalid CNI_IFNAME",
			    "%s: 1 to 15 characters of [A-Za-z0-9_.-]",
			    Q(env->ifname));
		return -1;
	}
	return 0;
}

int cni_cmd_add(struct cni_conf *c, const struct cni_env *env,
		struct cni_err *e)
{
	struct cni_att_rec r = { .mode = c->mode };
	struct cni_tenant_rec tr;
	struct cni_state st;
	struct ssns_handle *h = NULL;
	struct ssns_vni_range *vr = NULL;
	struct rt_pod pod;
	struct rt_err re;
	char **devs = NULL;
	size_t ndevs = 0, nvr = 0, i;
	int rc = -1, krc;
	bool bound = false, recorded = false;

	if (check_ids(env, e))
		return -1;
	/*
	 * Exclusive pods need a tenant too: a process with no tenant may use
	 * only tenant-less profiles, and only from init_net.
	 */
	if (!c->tenant) {
		cni_err_set(e, CNI_ERR_CONFIG, "invalid network config",
			    "no tenant (tenant, SSNS_TENANT or runtimeConfig)");
		return -1;
	}
	if (cni_state_open(&st, c->state_dir, e))
		return -1;
	memset(&tr, 0, sizeof(tr));
	rt_pod_init(&pod);
	if (connect_kernel(&h, e))
		goto out;
	pod.netns_fd = rt_netns_open(env->netns, "CNI_NETNS",
				     &pod.netns_cookie, &re);
	if (pod.netns_fd < 0) {
		cni_err_rt(e, &re);
		goto out;
	}
	r.network = (char *)c->name;
	r.container_id = (char *)env->container_id;
	r.ifname = (char *)env->ifname;
	r.netns = (char *)env->netns;
	r.netns_cookie = pod.netns_cookie;
	r.tenant = c->tenant;

	if (cni_tenant_read(&st, c->tenant, &tr) < 0)
		memset(&tr, 0, sizeof(tr));
	rc = ensure_tenant(h, c, &tr, &vr, &nvr, e);
	if (!rc)
		rc = devices_of(h, c, &devs, &ndevs, e);
	if (!rc)
		rc = make_profiles(h, c, devs, ndevs, vr, nvr, &tr, e);
	/* record what exists now, even after a failure, for cleanup */
	if ((tr.created || tr.nadded || tr.nprofiles) &&
	    cni_tenant_write(&st, c->tenant, &tr,
			     rc ? &(struct cni_err){0} : e) && !rc)
		rc = -1;
	if (rc)
		goto undo;
	rc = rt_attach(h, c->tenant, &pod, "pod", &re);
	if (rc) {
		cni_err_rt(e, &re);
		goto undo;
	}
	bound = true;
	/* The bandwidth capability: the pod's ceiling, as a member. */
	if (c->egress_rate) {
		krc = ssns_tenant_bw_netns_fd(h, c->tenant, pod.netns_fd,
					      c->egress_rate);
		if (krc) {
			rc = kfail(e, h, krc, "cannot set the pod's egress rate");
			goto undo;
		}
	}
	/* recorded before the moves, so DEL can always return the devices */
	if (c->mode == CNI_MODE_EXCLUSIVE) {
		for (i = 0; i < c->ndevices; i++)
			r.devices[i] = c->devices[i];
		r.ndevices = c->ndevices;
	}
	rc = cni_att_write(&st, &r, e);
	if (rc)
		goto undo;
	recorded = true;
	for (i = 0; i < r.ndevices; i++) {
		krc = ssns_dev_move_fd(h, r.devices[i], pod.netns_fd);
		if (krc) {
			rc = kfail(e, h, krc, "cannot move the device into the pod's netns");
			goto undo;
		}
	}
	if (cni_slingshot_env(c, vr, nvr, devs, ndevs)) {
		cni_err_set(e, CNI_ERR_IO, "out of memory", NULL);
		goto undo;
	}
	rc = 0;
	goto out;

undo:
	/* leave the node as it was: the runtime may or may not call DEL */
	{
		struct cni_err ignore = {0};

		if (bound && !recorded)
			rt_attach_undo(h, c->tenant, &pod);
		if (recorded)
			undo_attachment(h, &st, &r, pod.netns_fd, &ignore);
		cleanup_tenant(h, &st, c->cleanup, c->tenant, &ignore);
	}
	rc = -1;
out:
	if (devs)
		rt_strv_free(devs, ndevs);
	free(vr);
	cni_tenant_rec_free(&tr);
	rt_pod_release(&pod);
	ssns_free(h);
	cni_state_close(&st);
	return rc;
}

int cni_cmd_del(struct cni_conf *c, const struct cni_env *env,
		struct cni_err *e)
{
	struct ssns_handle *h = NULL;
	struct cni_att_rec r;
	struct cni_state st;
	struct rt_err re;
	uint64_t cookie = 0;
	char *key, *tenant = NULL;
	int nsfd = -1, rc = 0, krc;
	size_t i;

	if (check_ids(env, e))
		return -1;
	if (cni_state_open(&st, c->state_dir, e))
		return -1;
	/* without the module nothing is bound: forget the pod */
	if (rt_connect(&h, &re) && re.kind != RT_ENOMOD) {
		cni_state_close(&st);
		return cni_err_rt(e, &re);
	}
	if (env->netns && *env->netns)
		nsfd = rt_netns_open(env->netns, NULL, &cookie, &re);
	key = cni_att_key(c->name, env->container_id, env->ifname);
	krc = key ? cni_att_read(&st, key, &r, &re) : -1;
	if (krc < 0 && key)	/* unreadable: drop it, undo from the config */
		rt_store_remove(&st.att, key);
	free(key);
	if (krc == 1) {
		rc = undo_attachment(h, &st, &r, nsfd, e);
		tenant = r.tenant ? strdup(r.tenant) : NULL;
		cni_att_free(&r);
	} else {
		/* ADD did not finish: undo whatever of it the config implies */
		if (h && c->tenant && nsfd >= 0 &&
		    rt_detach(h, c->tenant, cookie, 0, "pod", &re))
			rc = cni_err_rt(e, &re);
		if (h && !rc && c->mode == CNI_MODE_EXCLUSIVE && nsfd >= 0) {
			struct cni_att_rec tmp = { .mode = c->mode,
						   .netns_cookie = cookie };

			for (i = 0; i < c->ndevices; i++)
				tmp.devices[i] = c->devices[i];
			tmp.ndevices = c->ndevices;
			rc = return_devices(&tmp, nsfd, e);
		}
		tenant = c->tenant ? strdup(c->tenant) : NULL;
	}
	if (!rc && tenant)
		rc = cleanup_tenant(h, &st, c->cleanup, tenant, e);
	free(tenant);
	if (nsfd >= 0)
		close(nsfd);
	ssns_free(h);
	cni_state_close(&st);
	return rc ? -1 : 0;
}

static bool range_has(const struct ssns_vni_range *r, size_t n, uint32_t v)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (v >= r[i].first && v <= r[i].last)
			return true;
	return false;
}

static int check_profiles(struct ssns_handle *h, const struct cni_conf *c,
			  struct cni_err *e)
{
	struct ssns_profile_list *pl;
	char **devs = NULL;
	size_t ndevs = 0, d, i, k, p;
	uint32_t v;
	int rc;

	if (!c->nranges)
		return 0;
	if (devices_of(h, c, &devs, &ndevs, e))
		return -1;
	rc = ssns_profile_list(h, NULL, &pl);
	if (rc) {
		rt_strv_free(devs, ndevs);
		return kfail(e, h, rc, "cannot list the profiles");
	}
	rc = 0;
	for (d = 0; d < ndevs && !rc; d++)
		for (i = 0; i < c->nranges && !rc; i++)
			for (v = c->ranges[i].first;
			     v <= c->ranges[i].last && !rc; v++)
				for (k = 0; k < c->ntcs && !rc; k++) {
					for (p = 0; p < pl->count; p++)
						if (!strcmp(pl->profiles[p].dev_name, devs[d]) &&
						    pl->profiles[p].vni == v &&
						    pl->profiles[p].tc == c->tcs[k] &&
						    !strcmp(pl->profiles[p].tenant, c->tenant))
							break;
					if (p == pl->count) {
						cni_err_set(e, CNI_ERR_NOT_BOUND,
							    "profile missing",
							    "no profile %s/%u/%s of tenant %s",
							    devs[d], v,
							    ssns_tc_name((unsigned int)c->tcs[k]),
							    c->tenant);
						rc = -1;
					}
				}
	ssns_profile_list_free(pl);
	rt_strv_free(devs, ndevs);
	return rc;
}

/* The pod's netns has the ceiling of the bandwidth capability. */
static int check_egress(struct ssns_handle *h, const struct cni_conf *c,
			uint64_t cookie, struct cni_err *e)
{
	struct ssns_tenant_bw *bw;
	uint64_t max = 0;
	size_t i;
	int rc;

	rc = ssns_tenant_bw_get(h, c->tenant, &bw);
	if (rc)
		return kfail(e, h, rc, "cannot read the tenant's bandwidth");
	for (i = 0; i < bw->nmembers; i++)
		if (bw->members[i].type == SSNS_MEMBER_NETNS &&
		    bw->members[i].id == cookie)
			max = bw->members[i].max;
	ssns_tenant_bw_free(bw);
	if (max == c->egress_rate)
		return 0;
	cni_err_set(e, CNI_ERR_NOT_BOUND, "egress rate not set",
		    "netns (cookie %llu) of tenant %s has a ceiling of %llu bit/s, not %llu",
		    (unsigned long long)cookie, c->tenant,
		    (unsigned long long)max,
		    (unsigned long long)c->egress_rate);
	return -1;
}

int cni_cmd_check(struct cni_conf *c, const struct cni_env *env,
		  struct cni_err *e)
{
	struct ssns_handle *h = NULL, *h2 = NULL;
	struct ssns_tenant *t = NULL;
	struct ssns_dev *dev;
	struct cni_state st;
	struct rt_err re;
	uint64_t cookie;
	int nsfd = -1, rc = -1, krc;
	size_t i;

	if (check_ids(env, e))
		return -1;
	/*
	 * Exclusive pods need a tenant too: a process with no tenant may use
	 * only tenant-less profiles, and only from init_net.
	 */
	if (!c->tenant) {
		cni_err_set(e, CNI_ERR_CONFIG, "invalid network config",
			    "no tenant (tenant, SSNS_TENANT or runtimeConfig)");
		return -1;
	}
	if (cni_state_open(&st, c->state_dir, e))
		return -1;
	if (connect_kernel(&h, e))
		goto out;
	nsfd = rt_netns_open(env->netns, "CNI_NETNS", &cookie, &re);
	if (nsfd < 0) {
		cni_err_rt(e, &re);
		goto out;
	}
	if (c->tenant) {
		krc = ssns_tenant_get(h, c->tenant, &t);
		if (krc == -ENOENT) {
			cni_err_set(e, CNI_ERR_NOT_BOUND, "tenant missing",
				    "tenant %s does not exist", c->tenant);
			goto out;
		}
		if (krc) {
			kfail(e, h, krc, "cannot read the tenant");
			goto out;
		}
		for (i = 0; i < t->nmembers; i++)
			if (t->members[i].type == SSNS_MEMBER_NETNS &&
			    t->members[i].netns_cookie == cookie)
				break;
		if (i == t->nmembers) {
			cni_err_set(e, CNI_ERR_NOT_BOUND, "pod not bound to its tenant",
				    "netns %s (cookie %llu) is not a member of tenant %s",
				    Q(env->netns), (unsigned long long)cookie,
				    c->tenant);
			goto out;
		}
		for (i = 0; i < c->nranges; i++)
			for (uint32_t v = c->ranges[i].first;
			     v <= c->ranges[i].last; v++)
				if (!range_has(t->ranges, t->nranges, v)) {
					cni_err_set(e, CNI_ERR_NOT_BOUND,
						    "VNI missing",
						    "VNI %u is not tenant %s's",
						    v, c->tenant);
					goto out;
				}
		if (c->mode == CNI_MODE_SHARED && check_profiles(h, c, e))
			goto out;
		if (c->egress_rate && check_egress(h, c, cookie, e))
			goto out;
	}
	if (c->mode == CNI_MODE_EXCLUSIVE) {
		if (rt_connect_in(nsfd, &h2, &re)) {
			cni_err_rt(e, &re);
			goto out;
		}
		for (i = 0; i < c->ndevices; i++) {
			krc = ssns_dev_get(h2, c->devices[i], &dev);
			if (!krc && !(dev->has_netns_cookie &&
				      dev->netns_cookie == cookie))
				krc = -ENODEV;
			if (!krc)
				ssns_dev_free(dev);
			if (krc) {
				cni_err_set(e, CNI_ERR_NOT_BOUND,
					    "device not in the pod",
					    "device %s is not in netns %s",
					    c->devices[i], Q(env->netns));
				goto out;
			}
		}
	}
	rc = 0;
out:
	ssns_tenant_free(t);
	ssns_free(h2);
	if (nsfd >= 0)
		close(nsfd);
	ssns_free(h);
	cni_state_close(&st);
	return rc;
}

static bool att_valid(const struct cni_conf *c, const struct cni_att_rec *r)
{
	size_t i;

	for (i = 0; i < c->nvalid; i++)
		if (!strcmp(c->valid[i].container_id, r->container_id) &&
		    !strcmp(c->valid[i].ifname, r->ifname))
			return true;
	return false;
}

int cni_cmd_gc(struct cni_conf *c, struct cni_err *e)
{
	struct ssns_handle *h = NULL;
	struct cni_att_rec r;
	struct cni_state st;
	struct rt_err re;
	char **v;
	size_t n, i;
	int rc = 0;

	if (cni_state_open(&st, c->state_dir, e))
		return -1;
	if (rt_connect(&h, &re) && re.kind != RT_ENOMOD) {
		cni_state_close(&st);
		return cni_err_rt(e, &re);
	}
	if (rt_store_keys(&st.att, &v, &n) == 0) {
		for (i = 0; i < n && !rc; i++) {
			if (cni_att_read(&st, v[i], &r, &re) <= 0)
				continue;
			if (!strcmp(r.network, c->name) && !att_valid(c, &r)) {
				rc = undo_attachment(h, &st, &r, -1, e);
				if (!rc && r.tenant)
					rc = cleanup_tenant(h, &st, c->cleanup,
							    r.tenant, e);
			}
			cni_att_free(&r);
		}
		rt_strv_free(v, n);
	}
	ssns_free(h);
	cni_state_close(&st);
	return rc ? -1 : 0;
}

int cni_cmd_status(struct cni_conf *c, struct cni_err *e)
{
	struct ssns_handle *h;
	struct ssns_system *sys;
	int rc;

	(void)c;
	if (connect_kernel(&h, e)) {
		e->code = CNI_ERR_NOT_AVAILABLE;
		return -1;
	}
	rc = ssns_system_get(h, &sys);
	if (rc) {
		kfail(e, h, rc, "the ssns kernel module does not answer");
		e->code = CNI_ERR_NOT_AVAILABLE;
		ssns_free(h);
		return -1;
	}
	ssns_system_free(sys);
	ssns_free(h);
	return 0;
}
