// SPDX-License-Identifier: GPL-2.0
/* ssnsctl cdi generate: the spec (see cdi.h), and writing it. */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>

#include "cdi.h"
#include "quote.h"

#define Q(s) SSNS_QUOTE(s)

static bool cdi_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9');
}

bool ssnsctl_cdi_name_valid(const char *name)
{
	size_t n, i;

	if (!name || !*name)
		return false;
	n = strlen(name);
	if (!cdi_alnum(name[0]) || !cdi_alnum(name[n - 1]))
		return false;
	for (i = 1; i + 1 < n; i++)
		if (!cdi_alnum(name[i]) && !strchr("_.:-", name[i]))
			return false;
	return true;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* The index in devs of a profile's device, or -1 when it is not listed. */
static long dev_pos(const struct ssnsctl_cdi_in *in,
		    const struct ssns_profile *p)
{
	size_t i;

	for (i = 0; i < in->ndevs; i++)
		if (!strcmp(in->devs[i].name, p->dev_name))
			return (long)i;
	return -1;
}

static int cmp_dev(const void *a, const void *b)
{
	const struct ssns_dev *x = *(const struct ssns_dev *const *)a;
	const struct ssns_dev *y = *(const struct ssns_dev *const *)b;

	if (x->index != y->index)
		return x->index < y->index ? -1 : 1;
	return strcmp(x->name, y->name);
}

static void dev_node(const struct ssns_dev *d, char *buf, size_t len)
{
	if (d->chardev[0] == '/')
		snprintf(buf, len, "%s", d->chardev);
	else
		snprintf(buf, len, "/dev/%s", d->chardev[0] ? d->chardev :
			 d->name);
}

/* "a,b,c" of n numbers */
static void join_u32(const uint32_t *v, size_t n, char *buf, size_t len)
{
	size_t i, o = 0;

	buf[0] = '\0';
	for (i = 0; i < n && o < len; i++)
		o += snprintf(buf + o, len - o, "%s%u", i ? "," : "",
			      (unsigned int)v[i]);
}

static int add_env(json_object *env, const char *name, const char *value)
{
	char *s;
	int rc;

	if (asprintf(&s, "%s=%s", name, value) < 0)
		return -ENOMEM;
	rc = json_object_array_add(env, json_object_new_string(s)) ? -ENOMEM : 0;
	free(s);
	return rc;
}

static json_object *hook(const char *path, const char *tenant,
			 const char *stage)
{
	json_object *h = json_object_new_object(), *args;
	const char *base = strrchr(path, '/');

	base = base ? base + 1 : path;
	args = json_object_new_array();
	json_object_array_add(args, json_object_new_string(base));
	json_object_array_add(args, json_object_new_string("--tenant"));
	json_object_array_add(args, json_object_new_string(tenant));
	json_object_array_add(args, json_object_new_string(stage));
	json_object_object_add(h, "hookName", json_object_new_string(stage));
	json_object_object_add(h, "path", json_object_new_string(path));
	json_object_object_add(h, "args", args);
	return h;
}

/* One device: the tenant's edits. */
static int tenant_device(const struct ssnsctl_cdi_in *in,
			 const struct ssns_tenant *t, json_object **out,
			 char *err, size_t errlen)
{
	const struct ssns_dev **devs = NULL;
	uint32_t *vnis = NULL, *ids = NULL;
	size_t nv = 0, nd = 0, i, j;
	unsigned int tcs = 0;
	json_object *dev, *edits, *env, *nodes, *hooks;
	bool all_ids = true;
	char buf[4096];
	int rc = -ENOMEM;

	*out = NULL;
	vnis = calloc(in->nprofiles + 1, sizeof(*vnis));
	devs = calloc(in->nprofiles + 1, sizeof(*devs));
	ids = calloc(in->nprofiles + 1, sizeof(*ids));
	if (!vnis || !devs || !ids)
		goto out;
	for (i = 0; i < in->nprofiles; i++) {
		const struct ssns_profile *p = &in->profiles[i];
		long d;

		if (strcmp(p->tenant, t->name))
			continue;
		d = dev_pos(in, p);
		if (d < 0)
			continue;	/* not visible here */
		for (j = 0; j < nv && vnis[j] != p->vni; j++)
			;
		if (j == nv)
			vnis[nv++] = p->vni;
		for (j = 0; j < nd && devs[j] != &in->devs[d]; j++)
			;
		if (j == nd)
			devs[nd++] = &in->devs[d];
		if (p->tc <= SSNS_TC_MAX)
			tcs |= 1u << p->tc;
	}
	qsort(vnis, nv, sizeof(*vnis), cmp_u32);
	qsort(devs, nd, sizeof(*devs), cmp_dev);

	dev = json_object_new_object();
	edits = json_object_new_object();
	env = json_object_new_array();
	nodes = json_object_new_array();
	hooks = json_object_new_array();
	if (!dev || !edits || !env || !nodes || !hooks) {
		json_object_put(dev);
		json_object_put(edits);
		json_object_put(env);
		json_object_put(nodes);
		json_object_put(hooks);
		goto out;
	}
	json_object_object_add(dev, "name", json_object_new_string(t->name));
	json_object_object_add(dev, "containerEdits", edits);
	json_object_object_add(edits, "env", env);
	json_object_object_add(edits, "deviceNodes", nodes);
	json_object_object_add(edits, "hooks", hooks);
	*out = dev;

	if (nv) {
		join_u32(vnis, nv, buf, sizeof(buf));
		if ((rc = add_env(env, "SLINGSHOT_VNIS", buf)))
			goto out;
		buf[0] = '\0';
		for (i = 0, j = 0; i < nd && j < sizeof(buf); i++)
			j += snprintf(buf + j, sizeof(buf) - j, "%s%s",
				      i ? "," : "", devs[i]->name);
		if ((rc = add_env(env, "SLINGSHOT_DEVICES", buf)))
			goto out;
		snprintf(buf, sizeof(buf), "%u", tcs);
		if ((rc = add_env(env, "SLINGSHOT_TCS", buf)))
			goto out;
		for (i = 0; i < nd; i++) {
			int k = in->svc_id ? in->svc_id(in->svc_arg, t->name,
							devs[i], &ids[i]) : 0;

			if (k < 0) {
				snprintf(err, errlen,
					 "service id of tenant %s on %s: %s",
					 t->name, devs[i]->name, strerror(-k));
				rc = k;
				goto out;
			}
			if (!k)
				all_ids = false;
		}
		if (in->svc_id && all_ids) {
			join_u32(ids, nd, buf, sizeof(buf));
			if ((rc = add_env(env, "SLINGSHOT_SVC_IDS", buf)))
				goto out;
		}
	}
	for (i = 0; i < nd; i++) {
		json_object *n = json_object_new_object();

		dev_node(devs[i], buf, sizeof(buf));
		json_object_object_add(n, "path", json_object_new_string(buf));
		json_object_array_add(nodes, n);
	}
	json_object_array_add(hooks, hook(in->hook ? in->hook :
					  SSNSCTL_CDI_HOOK, t->name,
					  "createRuntime"));
	json_object_array_add(hooks, hook(in->hook ? in->hook :
					  SSNSCTL_CDI_HOOK, t->name,
					  "poststop"));
	rc = 0;
out:
	if (rc == -ENOMEM)
		snprintf(err, errlen, "out of memory");
	if (rc) {
		json_object_put(*out);
		*out = NULL;
	}
	free(vnis);
	free(devs);
	free(ids);
	return rc;
}

static int cmp_tenant(const void *a, const void *b)
{
	const struct ssns_tenant *x = *(const struct ssns_tenant *const *)a;
	const struct ssns_tenant *y = *(const struct ssns_tenant *const *)b;

	return strcmp(x->name, y->name);
}

char *ssnsctl_cdi_spec(const struct ssnsctl_cdi_in *in, char *err,
		       size_t errlen)
{
	const struct ssns_tenant **ts;
	json_object *spec, *devices, *d;
	const char *hookp = in->hook ? in->hook : SSNSCTL_CDI_HOOK;
	char *text = NULL;
	size_t i;

	if (hookp[0] != '/') {
		snprintf(err, errlen, "hook path %s: want an absolute path",
			 Q(hookp));
		return NULL;
	}
	ts = calloc(in->ntenants + 1, sizeof(*ts));
	spec = json_object_new_object();
	devices = json_object_new_array();
	if (!ts || !spec || !devices) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	for (i = 0; i < in->ntenants; i++)
		ts[i] = &in->tenants[i];
	qsort(ts, in->ntenants, sizeof(*ts), cmp_tenant);
	json_object_object_add(spec, "cdiVersion",
			       json_object_new_string(SSNSCTL_CDI_VERSION));
	json_object_object_add(spec, "kind",
			       json_object_new_string(SSNSCTL_CDI_KIND));
	json_object_object_add(spec, "devices", devices);
	devices = NULL;
	for (i = 0; i < in->ntenants; i++) {
		if (!ssnsctl_cdi_name_valid(ts[i]->name)) {
			if (in->warn)
				fprintf(in->warn, "warning: tenant %s: not a CDI device name (a letter or digit first and last): left out\n",
					Q(ts[i]->name));
			continue;
		}
		if (tenant_device(in, ts[i], &d, err, errlen))
			goto out;
		json_object_array_add(json_object_object_get(spec, "devices"),
				      d);
	}
	text = strdup(json_object_to_json_string_ext(spec,
			JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
			JSON_C_TO_STRING_NOSLASHESCAPE));
	if (text) {
		char *t2;

		if (asprintf(&t2, "%s\n", text) < 0)
			t2 = NULL;
		free(text);
		text = t2;
	}
	if (!text)
		snprintf(err, errlen, "out of memory");
out:
	json_object_put(devices);
	json_object_put(spec);
	free(ts);
	return text;
}

/* 1 when path holds exactly text */
static int same_content(const char *path, const char *text)
{
	size_t n = strlen(text), got = 0;
	char *buf;
	FILE *f;
	int same = 0;

	f = fopen(path, "re");
	if (!f)
		return 0;
	buf = malloc(n + 2);
	if (buf) {
		got = fread(buf, 1, n + 1, f);
		same = got == n && !memcmp(buf, text, n);
	}
	free(buf);
	fclose(f);
	return same;
}

int ssnsctl_cdi_write(const char *path, const char *text, char *err,
		      size_t errlen)
{
	char *tmp = NULL, *dcopy;
	size_t n = strlen(text);
	int fd, rc;

	if (same_content(path, text))
		return 1;
	dcopy = strdup(path);
	if (!dcopy || asprintf(&tmp, "%s/.%s.XXXXXX", dirname(dcopy),
			       strrchr(path, '/') ? strrchr(path, '/') + 1 :
			       path) < 0) {
		free(dcopy);
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	free(dcopy);
	fd = mkstemp(tmp);
	if (fd < 0) {
		rc = -errno;
		snprintf(err, errlen, "cannot write %s: %s", Q(path),
			 strerror(-rc));
		free(tmp);
		return rc;
	}
	rc = 0;
	errno = 0;
	if (write(fd, text, n) != (ssize_t)n || fchmod(fd, 0644) ||
	    fsync(fd))
		rc = errno ? -errno : -EIO;
	if (close(fd) && !rc)
		rc = -errno;
	if (!rc && rename(tmp, path))
		rc = -errno;
	if (rc) {
		unlink(tmp);
		snprintf(err, errlen, "cannot write %s: %s", Q(path),
			 strerror(-rc));
	}
	free(tmp);
	return rc;
}
