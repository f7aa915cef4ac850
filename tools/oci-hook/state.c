// SPDX-License-Identifier: GPL-2.0
/*
 * ssns-oci-hook: the OCI state on stdin, and the record of what
 * createRuntime bound. No kernel contact here.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include <linux/ssns.h>

#include "hook.h"
#include "quote.h"

static char *dup_str(json_object *o, const char *key, bool *bad)
{
	json_object *v;

	if (!json_object_object_get_ex(o, key, &v) || !v)
		return NULL;
	if (json_object_get_type(v) != json_type_string) {
		*bad = true;
		return NULL;
	}
	return strdup(json_object_get_string(v));
}

int oci_state_parse(const char *text, bool need_pid, struct oci_state *st,
		    char *err, size_t errlen)
{
	json_object *o, *v, *ann;
	bool bad = false;
	int64_t pid;

	memset(st, 0, sizeof(*st));
	o = json_tokener_parse(text);
	if (!o || json_object_get_type(o) != json_type_object) {
		snprintf(err, errlen, "the OCI state on stdin is not a JSON object");
		json_object_put(o);
		return -1;
	}
	st->oci_version = dup_str(o, "ociVersion", &bad);
	st->id = dup_str(o, "id", &bad);
	st->status = dup_str(o, "status", &bad);
	st->bundle = dup_str(o, "bundle", &bad);
	if (bad || !st->oci_version || !st->id) {
		snprintf(err, errlen, "the OCI state needs string fields ociVersion and id");
		goto fail;
	}
	/* a container id names its record */
	if (!rt_id_valid(st->id, 256)) {
		snprintf(err, errlen, "container id %s: want 1 to 255 characters of [A-Za-z0-9_.-]",
			 SSNS_QUOTE(st->id));
		goto fail;
	}
	if (json_object_object_get_ex(o, "pid", &v) && v) {
		pid = json_object_get_int64(v);
		if (json_object_get_type(v) != json_type_int || pid < 0 ||
		    pid > 0x3fffffff) {
			snprintf(err, errlen, "pid: want a process id");
			goto fail;
		}
		st->pid = (pid_t)pid;
	}
	/* no annotations, or not ours: not an ssns container */
	if (!json_object_object_get_ex(o, "annotations", &ann) || !ann) {
		json_object_put(o);
		return 0;
	}
	if (json_object_get_type(ann) != json_type_object) {
		snprintf(err, errlen, "annotations: want an object of strings");
		goto fail;
	}
	st->tenant = dup_str(ann, HOOK_ANNOTATION, &bad);
	if (bad) {
		snprintf(err, errlen, "annotation %s: want a string", HOOK_ANNOTATION);
		goto fail;
	}
	if (!st->tenant) {
		json_object_put(o);
		return 0;
	}
	if (!ssns_tenant_name_valid(st->tenant)) {
		snprintf(err, errlen,
			 "annotation %s=%s: a tenant name is 1 to %d characters of [A-Za-z0-9_.-]",
			 HOOK_ANNOTATION, SSNS_QUOTE(st->tenant), SSNS_NAME_MAX - 1);
		goto fail;
	}
	if (need_pid && st->pid <= 0) {
		snprintf(err, errlen, "the OCI state has no pid: the container has no process");
		goto fail;
	}
	json_object_put(o);
	return 0;
fail:
	json_object_put(o);
	oci_state_free(st);
	return -1;
}

void oci_state_free(struct oci_state *st)
{
	free(st->oci_version);
	free(st->id);
	free(st->status);
	free(st->bundle);
	free(st->tenant);
	memset(st, 0, sizeof(*st));
}

int hook_rec_write(const struct rt_store *s, const char *id,
		   const struct hook_rec *r, struct rt_err *e)
{
	json_object *o = json_object_new_object();
	int rc;

	if (!o)
		return rt_fail(e, RT_EIO, -ENOMEM, "out of memory", NULL);
	json_object_object_add(o, "tenant", json_object_new_string(r->tenant));
	json_object_object_add(o, "netnsCookie",
			       json_object_new_int64((int64_t)r->netns_cookie));
	json_object_object_add(o, "cgroupId",
			       json_object_new_int64((int64_t)r->cgroup_id));
	if (r->cgroup_path)
		json_object_object_add(o, "cgroupPath",
				       json_object_new_string(r->cgroup_path));
	rc = rt_store_write(s, id, o, e);
	json_object_put(o);
	return rc;
}

int hook_rec_read(const struct rt_store *s, const char *id,
		  struct hook_rec *r, struct rt_err *e)
{
	json_object *o;
	int rc;

	memset(r, 0, sizeof(*r));
	rc = rt_store_read(s, id, &o, e);
	if (rc <= 0)
		return rc;
	r->tenant = rt_rec_str(o, "tenant");
	r->netns_cookie = rt_rec_u64(o, "netnsCookie");
	r->cgroup_id = rt_rec_u64(o, "cgroupId");
	r->cgroup_path = rt_rec_str(o, "cgroupPath");
	json_object_put(o);
	if (!r->tenant || !ssns_tenant_name_valid(r->tenant)) {
		hook_rec_free(r);
		return rt_fail(e, RT_ECORRUPT, -EINVAL, "corrupt record",
			       "container %s: no valid tenant", id);
	}
	return 1;
}

void hook_rec_free(struct hook_rec *r)
{
	free(r->tenant);
	free(r->cgroup_path);
	memset(r, 0, sizeof(*r));
}
