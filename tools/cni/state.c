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
 * Files are JSON, written to a temporary name and renamed into place.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cni.h"

static int mkdir_p(const char *path)
{
	char buf[512], *p;

	if (snprintf(buf, sizeof(buf), "%s", path) >= (int)sizeof(buf))
		return -ENAMETOOLONG;
	for (p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0755) && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(buf, 0755) && errno != EEXIST)
		return -errno;
	return 0;
}

int cni_state_lock(const char *dir, struct cni_err *e)
{
	char path[512];
	int fd, rc;

	snprintf(path, sizeof(path), "%s/att", dir);
	rc = mkdir_p(path);
	if (!rc) {
		snprintf(path, sizeof(path), "%s/tenant", dir);
		rc = mkdir_p(path);
	}
	if (rc) {
		cni_err_set(e, CNI_ERR_IO, "cannot create the state directory",
			    "%s: %s", path, strerror(-rc));
		return -1;
	}
	snprintf(path, sizeof(path), "%s.lock", dir);
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0 || flock(fd, LOCK_EX)) {
		cni_err_set(e, CNI_ERR_IO, "cannot lock the state directory",
			    "%s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

void cni_state_unlock(int fd)
{
	if (fd >= 0)
		close(fd);	/* releases the flock */
}

char *cni_att_path(const char *dir, const char *network, const char *cid,
		   const char *ifname)
{
	char *p;

	if (asprintf(&p, "%s/att/%s.%s.%s", dir, network, cid, ifname) < 0)
		return NULL;
	return p;
}

static int write_json(const char *path, json_object *o)
{
	char tmp[600];
	const char *s;
	FILE *f;
	int rc = 0;

	snprintf(tmp, sizeof(tmp), "%s.tmp%d", path, (int)getpid());
	f = fopen(tmp, "we");
	if (!f)
		return -errno;
	s = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN);
	if (fputs(s, f) < 0 || fputc('\n', f) < 0)
		rc = -EIO;
	if (fflush(f) || fsync(fileno(f)))
		rc = -errno;
	if (fclose(f) && !rc)
		rc = -errno;
	if (!rc && rename(tmp, path))
		rc = -errno;
	if (rc)
		unlink(tmp);
	return rc;
}

/* 1 and *out when read, 0 when absent, <0 on error. */
static int read_json(const char *path, json_object **out)
{
	json_object *o;

	if (access(path, F_OK))
		return errno == ENOENT ? 0 : -errno;
	o = json_object_from_file(path);
	if (!o || json_object_get_type(o) != json_type_object) {
		json_object_put(o);
		return -EINVAL;
	}
	*out = o;
	return 1;
}

static char *get_str(json_object *o, const char *key)
{
	json_object *v;

	if (!json_object_object_get_ex(o, key, &v) ||
	    json_object_get_type(v) != json_type_string)
		return NULL;
	return strdup(json_object_get_string(v));
}

int cni_att_write(const char *dir, const struct cni_att_rec *r,
		  struct cni_err *e)
{
	json_object *o = json_object_new_object(), *a;
	char *path;
	size_t i;
	int rc;

	path = cni_att_path(dir, r->network, r->container_id, r->ifname);
	if (!o || !path) {
		json_object_put(o);
		free(path);
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
	rc = write_json(path, o);
	json_object_put(o);
	if (rc)
		cni_err_set(e, CNI_ERR_IO, "cannot write the attachment record",
			    "%s: %s", path, strerror(-rc));
	free(path);
	return rc ? -1 : 0;
}

int cni_att_read(const char *path, struct cni_att_rec *r)
{
	json_object *o, *v, *el;
	char *mode;
	size_t i;
	int rc;

	memset(r, 0, sizeof(*r));
	rc = read_json(path, &o);
	if (rc <= 0)
		return rc;
	r->network = get_str(o, "network");
	r->container_id = get_str(o, "containerID");
	r->ifname = get_str(o, "ifname");
	r->tenant = get_str(o, "tenant");
	r->netns = get_str(o, "netns");
	if (json_object_object_get_ex(o, "netnsCookie", &v))
		r->netns_cookie = (uint64_t)json_object_get_int64(v);
	mode = get_str(o, "mode");
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
		return -EINVAL;
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

int cni_att_remove(const char *dir, const struct cni_att_rec *r)
{
	char *path = cni_att_path(dir, r->network, r->container_id, r->ifname);
	int rc = 0;

	if (!path)
		return -ENOMEM;
	if (unlink(path) && errno != ENOENT)
		rc = -errno;
	free(path);
	return rc;
}

void cni_strv_free(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

int cni_att_list(const char *dir, char ***out, size_t *n)
{
	char path[512], **v = NULL, **nv;
	struct dirent *de;
	size_t cnt = 0;
	DIR *d;

	snprintf(path, sizeof(path), "%s/att", dir);
	*out = NULL;
	*n = 0;
	d = opendir(path);
	if (!d)
		return errno == ENOENT ? 0 : -errno;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.' || strstr(de->d_name, ".tmp"))
			continue;
		nv = realloc(v, (cnt + 1) * sizeof(*v));
		if (!nv)
			break;
		v = nv;
		if (asprintf(&v[cnt], "%s/%s", path, de->d_name) < 0)
			break;
		cnt++;
	}
	closedir(d);
	*out = v;
	*n = cnt;
	return 0;
}

size_t cni_att_count_tenant(const char *dir, const char *tenant)
{
	struct cni_att_rec r;
	char **v;
	size_t n, i, cnt = 0;

	if (cni_att_list(dir, &v, &n))
		return 0;
	for (i = 0; i < n; i++) {
		if (cni_att_read(v[i], &r) <= 0)
			continue;
		if (r.tenant && !strcmp(r.tenant, tenant))
			cnt++;
		cni_att_free(&r);
	}
	cni_strv_free(v, n);
	return cnt;
}

static void tenant_path(char *buf, size_t len, const char *dir,
			const char *tenant)
{
	snprintf(buf, len, "%s/tenant/%s", dir, tenant);
}

int cni_tenant_read(const char *dir, const char *tenant,
		    struct cni_tenant_rec *r)
{
	json_object *o, *v, *el, *f;
	char path[512];
	size_t i, n;
	int rc, tc;

	memset(r, 0, sizeof(*r));
	tenant_path(path, sizeof(path), dir, tenant);
	rc = read_json(path, &o);
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

int cni_tenant_write(const char *dir, const char *tenant,
		     const struct cni_tenant_rec *r, struct cni_err *e)
{
	json_object *o = json_object_new_object(), *a, *p, *el;
	char path[512];
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
	tenant_path(path, sizeof(path), dir, tenant);
	rc = write_json(path, o);
	json_object_put(o);
	if (rc) {
		cni_err_set(e, CNI_ERR_IO, "cannot write the tenant record",
			    "%s: %s", path, strerror(-rc));
		return -1;
	}
	return 0;
}

int cni_tenant_remove(const char *dir, const char *tenant)
{
	char path[512];

	tenant_path(path, sizeof(path), dir, tenant);
	if (unlink(path) && errno != ENOENT)
		return -errno;
	return 0;
}

void cni_tenant_rec_free(struct cni_tenant_rec *r)
{
	free(r->added);
	free(r->profiles);
	memset(r, 0, sizeof(*r));
}
