// SPDX-License-Identifier: GPL-2.0
/*
 * ssns-oci-hook: the OCI state on stdin, /proc/PID/cgroup, and the record
 * of what createRuntime bound. No kernel contact here.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>

#include <linux/ssns.h>

#include "hook.h"
#include "quote.h"

/* Container ids and tenant names also name files. */
static bool name_ok(const char *s, size_t max)
{
	size_t n = strlen(s);

	if (!n || n >= max || *s == '.' || *s == '-')
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("_.-", *s))
			return false;
	return true;
}

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
	if (!name_ok(st->id, 256)) {
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
	if (!name_ok(st->tenant, SSNS_NAME_MAX)) {
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

char *oci_cgroup_v2_path(const char *text)
{
	const char *p = text, *nl;

	while (p && *p) {
		nl = strchr(p, '\n');
		if (!strncmp(p, "0::", 3)) {
			p += 3;
			if (*p != '/')
				return NULL;
			return nl ? strndup(p, (size_t)(nl - p)) : strdup(p);
		}
		p = nl ? nl + 1 : NULL;
	}
	return NULL;
}

static void rec_path(char *buf, size_t len, const char *dir, const char *id)
{
	snprintf(buf, len, "%s/%s.json", dir, id);
}

int hook_rec_write(const char *dir, const char *id, const struct hook_rec *r,
		   char *err, size_t errlen)
{
	char path[512], tmp[540], *p;
	json_object *o;
	int rc = 0;

	/* mkdir -p */
	snprintf(path, sizeof(path), "%s", dir);
	for (p = path + 1; !rc && *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0755) && errno != EEXIST)
			rc = -errno;
		*p = '/';
	}
	if (!rc && mkdir(path, 0700) && errno != EEXIST)
		rc = -errno;
	if (rc) {
		snprintf(err, errlen, "cannot create %s: %s", dir, strerror(-rc));
		return -1;
	}
	rec_path(path, sizeof(path), dir, id);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	o = json_object_new_object();
	json_object_object_add(o, "tenant", json_object_new_string(r->tenant));
	json_object_object_add(o, "netnsCookie",
			       json_object_new_int64((int64_t)r->netns_cookie));
	json_object_object_add(o, "cgroupId",
			       json_object_new_int64((int64_t)r->cgroup_id));
	if (r->cgroup_path)
		json_object_object_add(o, "cgroupPath",
				       json_object_new_string(r->cgroup_path));
	if (json_object_to_file_ext(tmp, o, JSON_C_TO_STRING_PLAIN) ||
	    rename(tmp, path)) {
		snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
		unlink(tmp);
		rc = -1;
	}
	json_object_put(o);
	return rc;
}

int hook_rec_read(const char *dir, const char *id, struct hook_rec *r)
{
	json_object *o, *v;
	char path[512];

	memset(r, 0, sizeof(*r));
	rec_path(path, sizeof(path), dir, id);
	if (access(path, F_OK))
		return errno == ENOENT ? 0 : -errno;
	o = json_object_from_file(path);
	if (!o || !json_object_object_get_ex(o, "tenant", &v) ||
	    json_object_get_type(v) != json_type_string) {
		json_object_put(o);
		return -EINVAL;
	}
	r->tenant = strdup(json_object_get_string(v));
	if (json_object_object_get_ex(o, "netnsCookie", &v))
		r->netns_cookie = (uint64_t)json_object_get_int64(v);
	if (json_object_object_get_ex(o, "cgroupId", &v))
		r->cgroup_id = (uint64_t)json_object_get_int64(v);
	if (json_object_object_get_ex(o, "cgroupPath", &v))
		r->cgroup_path = strdup(json_object_get_string(v));
	json_object_put(o);
	return 1;
}

int hook_rec_remove(const char *dir, const char *id)
{
	char path[512];

	rec_path(path, sizeof(path), dir, id);
	if (unlink(path) && errno != ENOENT)
		return -errno;
	return 0;
}

void hook_rec_free(struct hook_rec *r)
{
	free(r->tenant);
	free(r->cgroup_path);
	memset(r, 0, sizeof(*r));
}
