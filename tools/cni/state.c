// SPDX-License-Identifier: GPL-2.0
/*
 * ssns-cni: bookkeeping of what ADD did, so that DEL and GC can undo it
 * after the pod's network namespace is gone, and so that a tenant's
 * profiles are removed only when its last attachment leaves.
 *
 *   <state_dir>.lock                        flock()ed by every command
 *   <state_dir>/att/NETWORK.CONTAINERID.IFNAME   one attachment
 *   <state_dir>/tenant/TENANT                what the plugin created
 *
 * Records are JSON in the runtime library's record store (written to a
 * temporary file and renamed into place); here is only what they hold.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cni.h"

int cni_state_open(struct cni_state *st, const char *dir, struct cni_err *e)
{
	char *att = NULL, *ten = NULL, *lock = NULL;
	struct rt_err re;
	int rc = -1;

	memset(st, 0, sizeof(*st));
	st->lock = -1;
	if (asprintf(&att, "%s/att", dir) < 0)
		att = NULL;
	if (asprintf(&ten, "%s/tenant", dir) < 0)
		ten = NULL;
	if (asprintf(&lock, "%s.lock", dir) < 0)
		lock = NULL;
	if (!att || !ten || !lock)
		rt_fail(&re, RT_EIO, -ENOMEM, "out of memory", NULL);
	else if (!rt_store_open(&st->att, att, "", 0755, &re) &&
		 !rt_store_open(&st->tenant, ten, "", 0755, &re) &&
		 (st->lock = rt_lock(lock, &re)) >= 0)
		rc = 0;
	free(att);
	free(ten);
	free(lock);
	if (rc) {
		cni_state_close(st);
		return cni_err_rt(e, &re);
	}
	return 0;
}

void cni_state_close(struct cni_state *st)
{
	rt_store_close(&st->att);
	rt_store_close(&st->tenant);
	rt_unlock(st->lock);
	st->lock = -1;
}

char *cni_att_key(const char *network, const char *cid, const char *ifname)
{
	char *k;

	if (asprintf(&k, "%s.%s.%s", network, cid, ifname) < 0)
		return NULL;
	return k;
}

int cni_att_write(const struct cni_state *st, const struct cni_att_rec *r,
		  struct cni_err *e)
{
	json_object *o = json_object_new_object(), *a;
	struct rt_err re;
	char *key;
	size_t i;
	int rc;

	key = cni_att_key(r->network, r->container_id, r->ifname);
	if (!o || !key) {
		json_object_put(o);
		free(key);
		cni_err_set(e, CNI_ERR_IO, "out of memory", NULL);
		return -1;
	}
	json_object_object_add(o, "network", json_object_new_string(r->network));
	json_object_object_add(o, "containerID",
			       json_object_new_string(r->container_id));
	json_object_object_add(o, "ifname", json_object_new_string(r->ifname));
	if (r->tenant)
		json_object_object_add(o, "tenant",
				       json_object_new_string(r->tenant));
	json_object_object_add(o, "netnsCookie",
			       json_object_new_int64((int64_t)r->netns_cookie));
	if (r->netns)
		json_object_object_add(o, "netns",
				       json_object_new_string(r->netns));
	json_object_object_add(o, "mode", json_object_new_string(
		r->mode == CNI_MODE_EXCLUSIVE ? "exclusive" : "shared"));
	a = json_object_new_array();
	for (i = 0; i < r->ndevices; i++)
		json_object_array_add(a, json_object_new_string(r->devices[i]));
	json_object_object_add(o, "devices", a);
	rc = rt_store_write(&st->att, key, o, &re);
	json_object_put(o);
	free(key);
	return rc ? cni_err_rt(e, &re) : 0;
}

int cni_att_read(const struct cni_state *st, const char *key,
		 struct cni_att_rec *r, struct rt_err *e)
{
	json_object *o, *v, *el;
	char *mode;
	size_t i;
	int rc;

	memset(r, 0, sizeof(*r));
	rc = rt_store_read(&st->att, key, &o, e);
	if (rc <= 0)
		return rc;
	r->network = rt_rec_str(o, "network");
	r->container_id = rt_rec_str(o, "containerID");
	r->ifname = rt_rec_str(o, "ifname");
	r->tenant = rt_rec_str(o, "tenant");
	r->netns = rt_rec_str(o, "netns");
	r->netns_cookie = rt_rec_u64(o, "netnsCookie");
	mode = rt_rec_str(o, "mode");
	r->mode = mode && !strcmp(mode, "exclusive") ? CNI_MODE_EXCLUSIVE :
						       CNI_MODE_SHARED;
	free(mode);
	if (json_object_object_get_ex(o, "devices", &v) &&
	    json_object_get_type(v) == json_type_array)
		for (i = 0; i < json_object_array_length(v) &&
			    r->ndevices < CNI_MAX_DEVICES; i++) {
			el = json_object_array_get_idx(v, i);
			if (json_object_get_type(el) == json_type_string)
				r->devices[r->ndevices++] =
					strdup(json_object_get_string(el));
		}
	json_object_put(o);
	if (!r->network || !r->container_id || !r->ifname) {
		cni_att_free(r);
		return rt_fail(e, RT_ECORRUPT, -EINVAL, "corrupt record",
			       "attachment %s: no network, containerID or ifname",
			       key);
	}
	return 1;
}

void cni_att_free(struct cni_att_rec *r)
{
	size_t i;

	free(r->network);
	free(r->container_id);
	free(r->ifname);
	free(r->tenant);
	free(r->netns);
	for (i = 0; i < r->ndevices; i++)
		free(r->devices[i]);
	memset(r, 0, sizeof(*r));
}

int cni_att_remove(const struct cni_state *st, const struct cni_att_rec *r)
{
	char *key = cni_att_key(r->network, r->container_id, r->ifname);
	int rc;

	if (!key)
		return -ENOMEM;
	rc = rt_store_remove(&st->att, key);
	free(key);
	return rc;
}

size_t cni_att_count_tenant(const struct cni_state *st, const char *tenant)
{
	struct cni_att_rec r;
	struct rt_err ignore;
	char **v;
	size_t n, i, cnt = 0;

	if (rt_store_keys(&st->att, &v, &n))
		return 0;
	for (i = 0; i < n; i++) {
		if (cni_att_read(st, v[i], &r, &ignore) <= 0)
			continue;
		if (r.tenant && !strcmp(r.tenant, tenant))
			cnt++;
		cni_att_free(&r);
	}
	rt_strv_free(v, n);
	return cnt;
}

int cni_tenant_read(const struct cni_state *st, const char *tenant,
		    struct cni_tenant_rec *r)
{
	json_object *o, *v, *el, *f;
	struct rt_err ignore;
	size_t i, n;
	int rc, tc;

	memset(r, 0, sizeof(*r));
	rc = rt_store_read(&st->tenant, tenant, &o, &ignore);
	if (rc <= 0)
		return rc;
	if (json_object_object_get_ex(o, "created", &v))
		r->created = json_object_get_boolean(v);
	if (json_object_object_get_ex(o, "added", &v) &&
	    json_object_get_type(v) == json_type_array) {
		n = json_object_array_length(v);
		r->added = calloc(n + 1, sizeof(*r->added));
		for (i = 0; r->added && i < n; i++) {
			el = json_object_array_get_idx(v, i);
			if (json_object_get_type(el) != json_type_array ||
			    json_object_array_length(el) != 2)
				continue;
			r->added[r->nadded].first = (uint32_t)
				json_object_get_int(json_object_array_get_idx(el, 0));
			r->added[r->nadded].last = (uint32_t)
				json_object_get_int(json_object_array_get_idx(el, 1));
			r->nadded++;
		}
	}
	if (json_object_object_get_ex(o, "profiles", &v) &&
	    json_object_get_type(v) == json_type_array) {
		n = json_object_array_length(v);
		r->profiles = calloc(n + 1, sizeof(*r->profiles));
		for (i = 0; r->profiles && i < n; i++) {
			struct cni_profile_key *k = &r->profiles[r->nprofiles];

			el = json_object_array_get_idx(v, i);
			if (!json_object_object_get_ex(el, "tc", &f) ||
			    (tc = ssns_tc_from_name(json_object_get_string(f))) < 0)
				continue;
			k->tc = tc;
			if (!json_object_object_get_ex(el, "dev", &f))
				continue;
			snprintf(k->dev, sizeof(k->dev), "%s",
				 json_object_get_string(f));
			if (!json_object_object_get_ex(el, "vni", &f))
				continue;
			k->vni = (uint32_t)json_object_get_int(f);
			r->nprofiles++;
		}
	}
	json_object_put(o);
	return 1;
}

int cni_tenant_write(const struct cni_state *st, const char *tenant,
		     const struct cni_tenant_rec *r, struct cni_err *e)
{
	json_object *o = json_object_new_object(), *a, *p, *el;
	struct rt_err re;
	size_t i;
	int rc;

	if (!o) {
		cni_err_set(e, CNI_ERR_IO, "out of memory", NULL);
		return -1;
	}
	json_object_object_add(o, "created",
			       json_object_new_boolean(r->created));
	a = json_object_new_array();
	for (i = 0; i < r->nadded; i++) {
		el = json_object_new_array();
		json_object_array_add(el, json_object_new_int((int)r->added[i].first));
		json_object_array_add(el, json_object_new_int((int)r->added[i].last));
		json_object_array_add(a, el);
	}
	json_object_object_add(o, "added", a);
	a = json_object_new_array();
	for (i = 0; i < r->nprofiles; i++) {
		p = json_object_new_object();
		json_object_object_add(p, "dev",
			json_object_new_string(r->profiles[i].dev));
		json_object_object_add(p, "vni",
			json_object_new_int((int)r->profiles[i].vni));
		json_object_object_add(p, "tc", json_object_new_string(
			ssns_tc_name((unsigned int)r->profiles[i].tc)));
		json_object_array_add(a, p);
	}
	json_object_object_add(o, "profiles", a);
	rc = rt_store_write(&st->tenant, tenant, o, &re);
	json_object_put(o);
	return rc ? cni_err_rt(e, &re) : 0;
}

int cni_tenant_remove(const struct cni_state *st, const char *tenant)
{
	return rt_store_remove(&st->tenant, tenant);
}

void cni_tenant_rec_free(struct cni_tenant_rec *r)
{
	free(r->added);
	free(r->profiles);
	memset(r, 0, sizeof(*r));
}
