// SPDX-License-Identifier: GPL-2.0
/*
 * ssns-oci-hook: the two stages, on libssns.
 *
 * createRuntime binds the container's network namespace (unless it is the
 * host's: init_net is never a tenant member) and its cgroup v2 directory
 * (unless it is the root) to the tenant, and records what it bound. If any
 * step fails, what this call bound is unbound again: a failed hook changes
 * nothing. poststop undoes the record: the netns by cookie and the cgroup
 * by id, which work after the namespace and the directory are gone.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libssns.h>

#include "hook.h"
#include "nsutil.h"

static int kerr(struct ssns_handle *h, int rc, const char *what,
		const char *tenant)
{
	const char *m = ssns_errmsg(h);

	hook_log(LOG_ERR, "%s (tenant %s): %s%s%s", what, tenant,
		 strerror(-rc), *m ? ": " : "", m);
	return -1;
}

static struct ssns_handle *connect_kernel(int *rc)
{
	struct ssns_handle *h = ssns_new();

	if (!h) {
		*rc = -ENOMEM;
		return NULL;
	}
	*rc = ssns_connect(h);
	if (*rc) {
		ssns_free(h);
		return NULL;
	}
	return h;
}

static int path_cookie(const char *path, uint64_t *cookie)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), rc;

	if (fd < 0)
		return -errno;
	rc = ns_cookie(fd, cookie);
	close(fd);
	return rc;
}

static char *read_text(const char *path)
{
	char *buf = NULL;
	size_t cap = 0;
	FILE *f = fopen(path, "re");
	ssize_t n;

	if (!f)
		return NULL;
	n = getdelim(&buf, &cap, '\0', f);
	fclose(f);
	if (n < 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

int hook_create_runtime(const struct hook_opts *o, const struct oci_state *st)
{
	struct hook_rec rec = { .tenant = st->tenant };
	struct ssns_handle *h;
	struct ssns_tenant *t = NULL;
	char path[512], err[512], *text, *cg = NULL;
	uint64_t host = 0;
	bool net_new = false, cg_new = false;
	struct stat sb;
	size_t i;
	int rc, fd = -1, ret = -1;

	h = connect_kernel(&rc);
	if (!h) {
		hook_log(LOG_ERR, "%s", rc == -ENOENT ?
			 "the ssns kernel module is not loaded" :
			 strerror(-rc));
		return -1;
	}
	rc = ssns_tenant_get(h, st->tenant, &t);
	if (rc == -ENOENT) {
		hook_log(LOG_ERR, "annotation %s: tenant %s does not exist (ssnsctl tenant add %s vni ...)",
			 HOOK_ANNOTATION, st->tenant, st->tenant);
		goto out;
	}
	if (rc) {
		kerr(h, rc, "cannot read the tenant", st->tenant);
		goto out;
	}

	/* the network namespace, unless it is the host's */
	snprintf(path, sizeof(path), "%s/%d/ns/net", o->proc, (int)st->pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || ns_cookie(fd, &rec.netns_cookie)) {
		hook_log(LOG_ERR, "cannot open %s: %s", path, strerror(errno));
		goto out;
	}
	snprintf(path, sizeof(path), "%s/1/ns/net", o->proc);
	if (path_cookie(path, &host) == 0 && host == rec.netns_cookie)
		rec.netns_cookie = 0;	/* host network: the cgroup confines */

	/* the cgroup v2 directory, unless it is the root */
	snprintf(path, sizeof(path), "%s/%d/cgroup", o->proc, (int)st->pid);
	text = read_text(path);
	cg = text ? oci_cgroup_v2_path(text) : NULL;
	free(text);
	if (cg && strcmp(cg, "/")) {
		if (asprintf(&rec.cgroup_path, "%s%s", o->cgroup_root, cg) < 0) {
			rec.cgroup_path = NULL;
			goto out;
		}
		if (stat(rec.cgroup_path, &sb) || !S_ISDIR(sb.st_mode)) {
			hook_log(LOG_ERR, "cgroup %s: %s", rec.cgroup_path,
				 strerror(errno));
			goto out;
		}
		rec.cgroup_id = sb.st_ino;	/* a cgroup2 inode is its id */
	} else if (!cg) {
		hook_log(LOG_WARNING, "no cgroup v2 membership in %s; binding the netns only",
			 path);
	}
	if (!rec.netns_cookie && !rec.cgroup_id) {
		hook_log(LOG_ERR, "the container shares the host's network namespace and has no cgroup of its own: nothing can confine it to tenant %s",
			 st->tenant);
		goto out;
	}

	/* members already (a repeated hook) stay members on failure */
	net_new = rec.netns_cookie != 0;
	cg_new = rec.cgroup_id != 0;
	for (i = 0; i < t->nmembers; i++) {
		if (t->members[i].type == SSNS_MEMBER_NETNS &&
		    t->members[i].netns_cookie == rec.netns_cookie)
			net_new = false;
		if (t->members[i].type == SSNS_MEMBER_CGROUP &&
		    t->members[i].cgroup_id == rec.cgroup_id)
			cg_new = false;
	}
	if (rec.netns_cookie) {
		rc = ssns_tenant_netns_fd(h, st->tenant, fd, SSNS_OP_ADD);
		if (rc) {
			kerr(h, rc, "cannot bind the container's netns", st->tenant);
			goto out;
		}
	}
	if (rec.cgroup_id) {
		rc = ssns_tenant_cgroup_path(h, st->tenant, rec.cgroup_path,
					     SSNS_OP_ADD);
		if (rc) {
			kerr(h, rc, "cannot bind the container's cgroup", st->tenant);
			goto undo;
		}
	}
	if (hook_rec_write(o->state_dir, st->id, &rec, err, sizeof(err))) {
		hook_log(LOG_ERR, "%s", err);
		goto undo;
	}
	ret = 0;
	goto out;
undo:
	if (cg_new && rec.cgroup_id)
		ssns_tenant_cgroup_id(h, st->tenant, rec.cgroup_id, SSNS_OP_DEL);
	if (net_new)
		ssns_tenant_netns_cookie(h, st->tenant, rec.netns_cookie,
					 SSNS_OP_DEL);
out:
	if (fd >= 0)
		close(fd);
	free(cg);
	free(rec.cgroup_path);
	ssns_tenant_free(t);
	ssns_free(h);
	return ret;
}

int hook_poststop(const struct hook_opts *o, const struct oci_state *st)
{
	struct ssns_handle *h;
	struct hook_rec rec;
	int rc, ret = 0;

	rc = hook_rec_read(o->state_dir, st->id, &rec);
	if (rc == 0)
		return 0;	/* nothing bound, or already undone */
	if (rc < 0) {
		hook_log(LOG_ERR, "unreadable record in %s: %s", o->state_dir,
			 strerror(-rc));
		return -1;
	}
	h = connect_kernel(&rc);
	if (!h && rc != -ENOENT) {
		hook_log(LOG_ERR, "%s", strerror(-rc));
		hook_rec_free(&rec);
		return -1;
	}
	/* without the module nothing is bound any more */
	if (h && rec.netns_cookie) {
		rc = ssns_tenant_netns_cookie(h, rec.tenant, rec.netns_cookie,
					      SSNS_OP_DEL);
		if (rc && rc != -ENOENT)
			ret = kerr(h, rc, "cannot unbind the container's netns",
				   rec.tenant);
	}
	if (h && rec.cgroup_id) {
		rc = ssns_tenant_cgroup_id(h, rec.tenant, rec.cgroup_id,
					   SSNS_OP_DEL);
		if (rc && rc != -ENOENT)
			ret = kerr(h, rc, "cannot unbind the container's cgroup",
				   rec.tenant);
	}
	if (!ret)
		hook_rec_remove(o->state_dir, st->id);
	hook_rec_free(&rec);
	ssns_free(h);
	return ret;
}
