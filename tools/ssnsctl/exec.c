// SPDX-License-Identifier: GPL-2.0
/* Running parsed commands through libssns. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cdi.h"
#include "exec.h"

/* "error: <extack> (<strerror>)", or "error: <strerror>". */
static int report(struct ssnsctl_ctx *c, int err, const char *msg)
{
	if (err > 0)
		err = -err;
	if (msg && *msg)
		fprintf(c->err, "error: %s (%s)\n", msg, strerror(-err));
	else
		fprintf(c->err, "error: %s\n", strerror(-err));
	return SSNSCTL_EXIT_FAIL;
}

static int lib_err(struct ssnsctl_ctx *c, int rc)
{
	return report(c, rc, ssns_errmsg(c->h));
}

static int connect_once(struct ssnsctl_ctx *c)
{
	int rc;

	if (c->connected)
		return 0;
	if (!c->h) {
		c->h = ssns_new();
		if (!c->h)
			return report(c, -ENOMEM, NULL);
	}
	rc = ssns_connect(c->h);
	if (rc)
		return lib_err(c, rc);
	c->connected = true;
	return 0;
}

static int do_system(struct ssnsctl_ctx *c, const struct ssnsctl_cmd *cmd)
{
	struct ssns_system *s;
	int rc;

	if (cmd->verb == SSNSCTL_SET) {
		rc = ssns_system_set_mode(c->h, cmd->mode);
		return rc ? lib_err(c, rc) : 0;
	}
	rc = ssns_system_get(c->h, &s);
	if (rc)
		return lib_err(c, rc);
	ssnsctl_print_system(&c->out, s);
	ssns_system_free(s);
	return 0;
}

static int do_dev(struct ssnsctl_ctx *c, const struct ssnsctl_cmd *cmd)
{
	char path[PATH_MAX], err[SSNSCTL_ERRLEN];
	int rc;

	if (cmd->verb == SSNSCTL_SET) {
		rc = ssnsctl_netns_path(cmd->arg, c->netns_dir, path,
					sizeof(path), err, sizeof(err));
		if (rc)
			return report(c, rc, err);
		rc = ssns_dev_move_path(c->h, cmd->dev, path);
		return rc ? lib_err(c, rc) : 0;
	}
	if (cmd->has_dev) {
		struct ssns_dev *d;

		rc = ssns_dev_get(c->h, cmd->dev, &d);
		if (rc)
			return lib_err(c, rc);
		ssnsctl_print_devs(&c->out, d, 1);
		ssns_dev_free(d);
	} else {
		struct ssns_dev_list *l;

		rc = ssns_dev_list(c->h, &l);
		if (rc)
			return lib_err(c, rc);
		ssnsctl_print_devs(&c->out, l->devs, l->count);
		ssns_dev_list_free(l);
	}
	return 0;
}

/* tenant set NAME bw ... */
static int tenant_set_bw(struct ssnsctl_ctx *c, const struct ssnsctl_cmd *cmd)
{
	char path[PATH_MAX], err[SSNSCTL_ERRLEN];
	const char *dev = cmd->has_dev ? cmd->dev : NULL;
	uint64_t max = cmd->bw_op == SSNSCTL_BW_MAX ? cmd->bw_max : 0;
	int rc;

	switch (cmd->bw_member) {
	case SSNSCTL_BW_NETNS:
		rc = ssnsctl_netns_path(cmd->arg, c->netns_dir, path,
					sizeof(path), err, sizeof(err));
		if (rc)
			return report(c, rc, err);
		rc = ssns_tenant_bw_netns_path(c->h, cmd->tenant, path, max);
		break;
	case SSNSCTL_BW_CGROUP:
		rc = ssnsctl_cgroup_path(cmd->arg, c->cgroup_mnt, path,
					 sizeof(path), err, sizeof(err));
		if (rc)
			return report(c, rc, err);
		rc = ssns_tenant_bw_cgroup_path(c->h, cmd->tenant, path, max);
		break;
	default:
		if (cmd->bw_op == SSNSCTL_BW_SHARE)
			rc = ssns_tenant_bw_share(c->h, cmd->tenant, dev,
						  cmd->bw_share);
		else if (cmd->bw_op == SSNSCTL_BW_MAX)
			rc = ssns_tenant_bw_max(c->h, cmd->tenant, dev, max);
		else
			rc = ssns_tenant_bw_clear(c->h, cmd->tenant, dev);
		break;
	}
	return rc ? lib_err(c, rc) : 0;
}

/*
 * delegate USERNS [cgroup PATH]: USERNS a pid or a file of a user
 * namespace; PATH a cgroup v2 directory, under the cgroup2 mount or
 * relative to it (the kernel takes it relative to the cgroup2 root).
 */
static int tenant_delegate(struct ssnsctl_ctx *c,
			   const struct ssnsctl_cmd *cmd)
{
	const char *cg = cmd->arg2[0] ? cmd->arg2 : NULL;
	const char *m = c->cgroup_mnt ? c->cgroup_mnt : SSNSCTL_CGROUP_MNT;
	size_t mnt = strlen(m);
	char *end;
	long pid;
	int rc;

	if (cmd->delegate_none) {
		rc = ssns_tenant_undelegate(c->h, cmd->tenant);
		return rc ? lib_err(c, rc) : 0;
	}
	if (cg && !strncmp(cg, m, mnt) &&
	    (cg[mnt] == '/' || !cg[mnt]))
		cg = cg[mnt] ? cg + mnt : "/";
	errno = 0;
	pid = strtol(cmd->arg, &end, 10);
	if (!*end && !errno && pid > 0 && pid <= INT32_MAX)
		rc = ssns_tenant_delegate_pid(c->h, cmd->tenant, (pid_t)pid,
					      cg);
	else
		rc = ssns_tenant_delegate_path(c->h, cmd->tenant, cmd->arg,
					       cg);
	return rc ? lib_err(c, rc) : 0;
}

static int tenant_set(struct ssnsctl_ctx *c, const struct ssnsctl_cmd *cmd)
{
	enum ssns_op op = cmd->del ? SSNS_OP_DEL : SSNS_OP_ADD;
	char path[PATH_MAX], err[SSNSCTL_ERRLEN];
	int rc;

	switch (cmd->what) {
	case SSNSCTL_WHAT_BW:
		return tenant_set_bw(c, cmd);
	case SSNSCTL_WHAT_VNI:
		rc = ssns_tenant_vni(c->h, cmd->tenant, cmd->ranges,
				     cmd->nranges, op);
		break;
	case SSNSCTL_WHAT_NETNS:
		rc = ssnsctl_netns_path(cmd->arg, c->netns_dir, path,
					sizeof(path), err, sizeof(err));
		if (rc)
			return report(c, rc, err);
		rc = ssns_tenant_netns_path(c->h, cmd->tenant, path, op);
		break;
	case SSNSCTL_WHAT_CGROUP:
		rc = ssnsctl_cgroup_path(cmd->arg, c->cgroup_mnt, path,
					 sizeof(path), err, sizeof(err));
		if (rc)
			return report(c, rc, err);
		rc = ssns_tenant_cgroup_path(c->h, cmd->tenant, path, op);
		break;
	case SSNSCTL_WHAT_COOKIE:
		rc = ssns_tenant_netns_cookie(c->h, cmd->tenant, cmd->cookie,
					      op);
		break;
	case SSNSCTL_WHAT_CGROUP_ID:
		rc = ssns_tenant_cgroup_id(c->h, cmd->tenant, cmd->cookie, op);
		break;
	case SSNSCTL_WHAT_DELEGATE:
		return tenant_delegate(c, cmd);
	default:
		return report(c, -EINVAL, "nothing to set");
	}
	return rc ? lib_err(c, rc) : 0;
}

static int ext_fill_one(const char *name, const struct ssns_tenant_ext *ext,
			void *arg)
{
	struct ssnsctl_tenant_view *v = ssnsctl_views_find(arg, name);
	size_t len;

	if (!v)
		return 0;	/* made after the list */
	len = ext->size < sizeof(v->ext) ? ext->size : sizeof(v->ext);
	memcpy(&v->ext, ext, len);
	v->ext.size = sizeof(v->ext);
	v->has_ext = true;
	return 0;
}

/*
 * Print tenants with their parent and delegation: one more request for
 * one tenant, one more dump for several. A tenant deleted in between is
 * shown without them.
 */
static int show_tenants(struct ssnsctl_ctx *c, const struct ssns_tenant *t,
			size_t n, const struct ssns_tenant_bw *bws, size_t nbw)
{
	struct ssnsctl_views vs;
	struct ssnsctl_tenant_view *v;

	if (ssnsctl_views_init(&vs, t, n))
		return lib_err(c, -ENOMEM);
	ssnsctl_views_set_bw(&vs, bws, nbw);
	v = vs.v;
	/* Without them (an older kernel) the tenants print without them. */
	if (n == 1) {
		v[0].ext.size = sizeof(v[0].ext);
		v[0].has_ext = !ssns_tenant_ext_get(c->h, t[0].name, &v[0].ext);
	} else if (n > 1) {
		ssns_tenant_ext_each(c->h, ext_fill_one, &vs);
	}
	ssnsctl_print_tenants(&c->out, v, n);
	ssnsctl_views_free(&vs);
	return 0;
}

static int do_tenant(struct ssnsctl_ctx *c, const struct ssnsctl_cmd *cmd)
{
	int rc;

	switch (cmd->verb) {
	case SSNSCTL_ADD:
		if (cmd->has_parent)
			rc = ssns_tenant_add_child(c->h, cmd->tenant,
						   cmd->parent, cmd->ranges,
						   cmd->nranges);
		else
			rc = ssns_tenant_add(c->h, cmd->tenant, cmd->ranges,
					     cmd->nranges);
		return rc ? lib_err(c, rc) : 0;
	case SSNSCTL_DEL:
		rc = ssns_tenant_del(c->h, cmd->tenant);
		return rc ? lib_err(c, rc) : 0;
	case SSNSCTL_SET:
		return tenant_set(c, cmd);
	case SSNSCTL_SERVICES: {
		struct ssns_service_list *l;

		rc = ssns_tenant_services(c->h, cmd->tenant, &l);
		if (rc)
			return lib_err(c, rc);
		ssnsctl_print_services(&c->out, l);
		ssns_service_list_free(l);
		return 0;
	}
	default:
		break;
	}
	if (cmd->has_tenant) {
		struct ssns_tenant_bw *bw = NULL;
		struct ssns_tenant *t;

		rc = ssns_tenant_get(c->h, cmd->tenant, &t);
		if (rc)
			return lib_err(c, rc);
		/* The tenant may be gone meanwhile: it is shown without. */
		if (ssns_tenant_bw_get(c->h, cmd->tenant, &bw))
			bw = NULL;
		rc = show_tenants(c, t, 1, bw, bw ? 1 : 0);
		ssns_tenant_bw_free(bw);
		ssns_tenant_free(t);
	} else {
		struct ssns_tenant_bw_list *bl = NULL;
		struct ssns_tenant_list *l;

		rc = ssns_tenant_list(c->h, &l);
		if (rc)
			return lib_err(c, rc);
		if (ssns_tenant_bw_list(c->h, &bl))
			bl = NULL;
		rc = show_tenants(c, l->tenants, l->count, bl ? bl->bws : NULL,
				  bl ? bl->count : 0);
		ssns_tenant_bw_list_free(bl);
		ssns_tenant_list_free(l);
	}
	return rc;
}

static int do_profile(struct ssnsctl_ctx *c, const struct ssnsctl_cmd *cmd)
{
	struct ssns_profile_list *l;
	int rc;

	if (cmd->verb == SSNSCTL_ADD || cmd->verb == SSNSCTL_DEL) {
		rc = (cmd->verb == SSNSCTL_ADD ? ssns_profile_add :
		      ssns_profile_del)(c->h, cmd->dev, cmd->vni, cmd->tc);
		return rc ? lib_err(c, rc) : 0;
	}
	rc = ssns_profile_list(c->h, cmd->has_dev ? cmd->dev : NULL, &l);
	if (rc)
		return lib_err(c, rc);
	ssnsctl_print_profiles(&c->out, l->profiles, l->count);
	ssns_profile_list_free(l);
	return 0;
}

static int do_ep(struct ssnsctl_ctx *c, const struct ssnsctl_cmd *cmd)
{
	struct ssns_ep_list *l;
	int rc;

	rc = ssns_ep_list(c->h, cmd->has_dev ? cmd->dev : NULL, &l);
	if (rc)
		return lib_err(c, rc);
	ssnsctl_print_eps(&c->out, l->eps, l->count);
	ssns_ep_list_free(l);
	return 0;
}

/* The providers' counters of @n devices; entries stay NULL on failure. */
static struct ssns_counter_list **dev_counters(struct ssnsctl_ctx *c,
					       const struct ssns_dev *d,
					       size_t n)
{
	struct ssns_counter_list **dc = calloc(n ? n : 1, sizeof(*dc));
	size_t i;

	for (i = 0; dc && i < n; i++)
		if (ssns_dev_counters(c->h, d[i].name, &dc[i]))
			dc[i] = NULL;	/* gone meanwhile: core counters only */
	return dc;
}

static void dev_counters_free(struct ssns_counter_list **dc, size_t n)
{
	size_t i;

	for (i = 0; dc && i < n; i++)
		ssns_counter_list_free(dc[i]);
	free(dc);
}

static int do_stats(struct ssnsctl_ctx *c, const struct ssnsctl_cmd *cmd)
{
	struct ssns_counter_list **dc = NULL;
	struct ssns_tenant_bw_list *bl = NULL;
	struct ssns_dev_list *dl = NULL;
	struct ssns_tenant_list *tl = NULL;
	struct ssns_dev *d = NULL;
	struct ssns_tenant *t = NULL;
	int rc;

	if (cmd->has_dev) {
		rc = ssns_dev_get(c->h, cmd->dev, &d);
		if (rc)
			return lib_err(c, rc);
		dc = dev_counters(c, d, 1);
		ssnsctl_print_stats(&c->out, d, dc, 1, NULL, 0);
		dev_counters_free(dc, 1);
		ssns_dev_free(d);
		return 0;
	}
	if (cmd->has_tenant) {
		struct ssns_tenant_bw *bw = NULL;

		rc = ssns_tenant_get(c->h, cmd->tenant, &t);
		if (rc)
			return lib_err(c, rc);
		if (ssns_tenant_bw_get(c->h, cmd->tenant, &bw))
			bw = NULL;
		rc = ssnsctl_print_stats_bw(&c->out, NULL, NULL, 0, t, 1, bw,
					    bw ? 1 : 0);
		ssns_tenant_bw_free(bw);
		ssns_tenant_free(t);
		return rc ? lib_err(c, rc) : 0;
	}
	rc = ssns_dev_list(c->h, &dl);
	if (rc)
		return lib_err(c, rc);
	rc = ssns_tenant_list(c->h, &tl);
	if (rc) {
		ssns_dev_list_free(dl);
		return lib_err(c, rc);
	}
	if (ssns_tenant_bw_list(c->h, &bl))
		bl = NULL;
	dc = dev_counters(c, dl->devs, dl->count);
	rc = ssnsctl_print_stats_bw(&c->out, dl->devs, dc, dl->count,
				    tl->tenants, tl->count,
				    bl ? bl->bws : NULL, bl ? bl->count : 0);
	dev_counters_free(dc, dl->count);
	ssns_tenant_bw_list_free(bl);
	ssns_dev_list_free(dl);
	ssns_tenant_list_free(tl);
	return rc ? lib_err(c, rc) : 0;
}

static int on_event(const struct ssns_event *ev, void *arg)
{
	struct ssnsctl_ctx *c = arg;

	ssnsctl_print_event(&c->out, ev);
	return ferror(c->out.f) ? -EPIPE : 0;
}

static int do_monitor(struct ssnsctl_ctx *c)
{
	int rc = ssns_event_subscribe(c->h);

	if (rc)
		return lib_err(c, rc);
	for (;;) {
		rc = ssns_event_loop(c->h, on_event, c);
		if (rc == -ENOBUFS) {
			fprintf(c->err, "warning: %s\n", ssns_errmsg(c->h));
			continue;
		}
		if (rc == -EPIPE)
			return SSNSCTL_EXIT_OK;	/* reader went away */
		return lib_err(c, rc);
	}
}

/*
 * cdi generate. Service ids (SLINGSHOT_SVC_IDS) come from a provider that
 * knows them: none does yet, so the variable is left out; an adapter for
 * HPE's service API plugs in here as the generator's svc_id callback.
 */
static int cdi_once(struct ssnsctl_ctx *c, const struct ssnsctl_cmd *cmd)
{
	struct ssns_tenant_list *tl = NULL;
	struct ssns_profile_list *pl = NULL;
	struct ssns_dev_list *dl = NULL;
	struct ssnsctl_cdi_in in = { .warn = c->err };
	char err[SSNSCTL_ERRLEN];
	char *text;
	int rc;

	if ((rc = ssns_tenant_list(c->h, &tl)) ||
	    (rc = ssns_profile_list(c->h, NULL, &pl)) ||
	    (rc = ssns_dev_list(c->h, &dl))) {
		rc = lib_err(c, rc);
		goto out;
	}
	in.tenants = tl->tenants;
	in.ntenants = tl->count;
	in.profiles = pl->profiles;
	in.nprofiles = pl->count;
	in.devs = dl->devs;
	in.ndevs = dl->count;
	in.hook = cmd->arg2[0] ? cmd->arg2 : NULL;
	text = ssnsctl_cdi_spec(&in, err, sizeof(err));
	if (!text) {
		fprintf(c->err, "error: %s\n", err);
		rc = SSNSCTL_EXIT_FAIL;
		goto out;
	}
	if (!cmd->arg[0] || !strcmp(cmd->arg, "-")) {
		fputs(text, c->out.f);
		rc = 0;
	} else {
		rc = ssnsctl_cdi_write(cmd->arg, text, err, sizeof(err));
		if (rc < 0) {
			fprintf(c->err, "error: %s\n", err);
			rc = SSNSCTL_EXIT_FAIL;
		} else {
			if (cmd->watch && !rc)
				fprintf(c->out.f, "wrote %s\n", cmd->arg);
			fflush(c->out.f);
			rc = 0;
		}
	}
	free(text);
out:
	if (tl)
		ssns_tenant_list_free(tl);
	if (pl)
		ssns_profile_list_free(pl);
	if (dl)
		ssns_dev_list_free(dl);
	return rc;
}

static int cdi_event(const struct ssns_event *ev, void *arg)
{
	bool *dirty = arg;

	switch (ev->cmd) {
	case SSNS_CMD_DEV_NEW:
	case SSNS_CMD_DEV_DEL:
	case SSNS_CMD_DEV_SET:
	case SSNS_CMD_TENANT_NEW:
	case SSNS_CMD_TENANT_DEL:
	case SSNS_CMD_TENANT_SET:
	case SSNS_CMD_PROFILE_NEW:
	case SSNS_CMD_PROFILE_DEL:
		*dirty = true;
		break;
	default:
		break;
	}
	return 0;
}

/* --watch: subscribe first, so that no change between the dump and the
 * subscription is missed; rewrite after each batch of events (only when the
 * spec changed). */
static int do_cdi(struct ssnsctl_ctx *c, const struct ssnsctl_cmd *cmd)
{
	bool dirty;
	int rc;

	if (!cmd->watch)
		return cdi_once(c, cmd);
	rc = ssns_event_subscribe(c->h);
	if (rc)
		return lib_err(c, rc);
	rc = cdi_once(c, cmd);
	if (rc)
		return rc;
	for (;;) {
		dirty = false;
		rc = ssns_event_dispatch(c->h, cdi_event, &dirty);
		if (rc == -ENOBUFS) {
			dirty = true;	/* events lost: look again */
		} else if (rc) {
			return lib_err(c, rc);
		}
		if (dirty && (rc = cdi_once(c, cmd)))
			return rc;
	}
}

int ssnsctl_exec(struct ssnsctl_ctx *c, const struct ssnsctl_cmd *cmd)
{
	int rc;

	if (cmd->verb == SSNSCTL_HELP || cmd->obj == SSNSCTL_OBJ_HELP) {
		ssnsctl_usage(c->out.f, cmd->obj);
		return 0;
	}
	rc = connect_once(c);
	if (rc)
		return rc;
	switch (cmd->obj) {
	case SSNSCTL_OBJ_SYSTEM:
		return do_system(c, cmd);
	case SSNSCTL_OBJ_DEV:
		return do_dev(c, cmd);
	case SSNSCTL_OBJ_TENANT:
		return do_tenant(c, cmd);
	case SSNSCTL_OBJ_PROFILE:
		return do_profile(c, cmd);
	case SSNSCTL_OBJ_EP:
		return do_ep(c, cmd);
	case SSNSCTL_OBJ_STATS:
		return do_stats(c, cmd);
	case SSNSCTL_OBJ_MONITOR:
		return do_monitor(c);
	case SSNSCTL_OBJ_CDI:
		return do_cdi(c, cmd);
	default:
		return report(c, -EINVAL, "unknown object");
	}
}
