// SPDX-License-Identifier: GPL-2.0
/*
 * ssns-oci-hook: the two stages, on the runtime library.
 *
 * createRuntime binds the container's network namespace (unless it is the
 * host's: init_net is never a tenant member) and its cgroup v2 directory
 * (unless it is the root) to the tenant, and records what it bound. If any
 * step fails, what this call bound is unbound again: a failed hook changes
 * nothing. poststop undoes the record: the netns by cookie and the cgroup
 * by id, which work after the namespace and the directory are gone.
 */
#include <errno.h>
#include <string.h>

#include <libssns.h>

#include "hook.h"

int hook_create_runtime(const struct hook_opts *o, const struct oci_state *st)
{
	struct ssns_handle *h = NULL;
	struct rt_store store = { 0 };
	struct rt_pod pod;
	struct hook_rec rec;
	struct rt_err e;
	bool no_cgroup;
	int ret = -1;

	rt_pod_init(&pod);
	if (rt_connect(&h, &e)) {
		hook_log(LOG_ERR, "%s", e.kind == RT_ENOMOD ? e.msg :
			 e.details);
		return -1;
	}
	if (rt_pod_of_pid(o->proc, st->pid, o->cgroup_root, &pod, &no_cgroup,
			  &e)) {
		hook_log_rt(&e);
		goto out;
	}
	if (no_cgroup)
		hook_log(LOG_WARNING, "no cgroup v2 membership in %s/%d/cgroup; binding the netns only",
			 o->proc, (int)st->pid);
	if (pod.netns_fd < 0 && !pod.cgroup_path) {
		hook_log(LOG_ERR, "the container shares the host's network namespace and has no cgroup of its own: nothing can confine it to tenant %s",
			 st->tenant);
		goto out;
	}
	if (rt_attach(h, st->tenant, &pod, "container", &e)) {
		if (e.kind == RT_ENOTENANT)
			hook_log(LOG_ERR, "annotation %s: tenant %s does not exist (ssnsctl tenant add %s vni ...)",
				 HOOK_ANNOTATION, st->tenant, st->tenant);
		else
			hook_log_rt(&e);
		goto out;
	}
	rec = (struct hook_rec){
		.tenant = st->tenant,
		.netns_cookie = pod.netns_cookie,
		.cgroup_id = pod.cgroup_id,
		.cgroup_path = pod.cgroup_path,
	};
	if (rt_store_open(&store, o->state_dir, HOOK_REC_SUFFIX, 0700, &e) ||
	    hook_rec_write(&store, st->id, &rec, &e)) {
		hook_log_rt(&e);
		rt_attach_undo(h, st->tenant, &pod);
		goto out;
	}
	ret = 0;
out:
	rt_store_close(&store);
	rt_pod_release(&pod);
	ssns_free(h);
	return ret;
}

int hook_poststop(const struct hook_opts *o, const struct oci_state *st)
{
	struct ssns_handle *h = NULL;
	struct rt_store store;
	struct hook_rec rec;
	struct rt_err e;
	int rc;

	if (rt_store_open(&store, o->state_dir, HOOK_REC_SUFFIX, 0, &e)) {
		hook_log_rt(&e);
		return -1;
	}
	rc = hook_rec_read(&store, st->id, &rec, &e);
	if (rc <= 0) {
		if (rc < 0)
			hook_log_rt(&e);
		rt_store_close(&store);
		return rc;	/* 0: nothing bound, or already undone */
	}
	/* without the module nothing is bound any more: h stays NULL */
	if (rt_connect(&h, &e) && e.kind != RT_ENOMOD) {
		hook_log(LOG_ERR, "%s", e.details);
		rc = -1;
	} else {
		rc = rt_detach(h, rec.tenant, rec.netns_cookie, rec.cgroup_id,
			       "container", &e);
		if (rc)
			hook_log_rt(&e);
	}
	if (!rc)
		rt_store_remove(&store, st->id);
	hook_rec_free(&rec);
	rt_store_close(&store);
	ssns_free(h);
	return rc ? -1 : 0;
}
