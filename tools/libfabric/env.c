// SPDX-License-Identifier: LGPL-2.1-or-later OR GPL-2.0
/*
 * Which device, VNI and traffic class the endpoints use.
 *
 * Like HPE's cxi provider, the environment decides first:
 *   SLINGSHOT_VNIS     comma-separated VNIs; the first one is used
 *   SLINGSHOT_DEVICES  comma-separated device names (cxi0,cxi1); only these
 *   SLINGSHOT_TCS      traffic classes allowed, a bit mask: DA=1 LL=2
 *                      BULK=4 BE=8 (decimal or 0x hex)
 *   SLINGSHOT_SVC_IDS  HPE service ids: accepted and ignored
 * Without SLINGSHOT_VNIS the caller's own tenant decides, as ssns's netlink
 * interface shows it (libssns): the tenant's lowest VNI that has a profile
 * on the device. A caller without a tenant (a host process) uses the lowest
 * tenant-less VNI with a profile. The kernel has the last word: it admits
 * or refuses the endpoint allocation whatever is chosen here.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libssns.h>
#include <linux/ssns.h>
#include <linux/ssns_sim.h>

#include "ssnsfi.h"

#ifndef SO_NETNS_COOKIE
#define SO_NETNS_COOKIE 71
#endif

static const char *const tc_names[] = {
	[SSNS_TC_DEDICATED_ACCESS] = "dedicated_access",
	[SSNS_TC_LOW_LATENCY] = "low_latency",
	[SSNS_TC_BULK_DATA] = "bulk_data",
	[SSNS_TC_BEST_EFFORT] = "best_effort",
};

/* Preference when the application names no traffic class. */
static const uint8_t tc_default_order[] = {
	SSNS_TC_LOW_LATENCY, SSNS_TC_BEST_EFFORT, SSNS_TC_BULK_DATA,
	SSNS_TC_DEDICATED_ACCESS,
};

const char *sfi_tc_name(unsigned int tc)
{
	return tc <= SSNS_TC_MAX ? tc_names[tc] : "unknown";
}

/* A libfabric traffic class: the ssns one, -1 for none, -2 unsupported. */
int sfi_tc_from_fi(uint32_t tclass)
{
	switch (tclass) {
	case FI_TC_UNSPEC:
		return -1;
	case FI_TC_BEST_EFFORT:
		return SSNS_TC_BEST_EFFORT;
	case FI_TC_LOW_LATENCY:
		return SSNS_TC_LOW_LATENCY;
	case FI_TC_DEDICATED_ACCESS:
		return SSNS_TC_DEDICATED_ACCESS;
	case FI_TC_BULK_DATA:
		return SSNS_TC_BULK_DATA;
	default:
		return -2;
	}
}

uint32_t sfi_tc_to_fi(unsigned int tc)
{
	switch (tc) {
	case SSNS_TC_DEDICATED_ACCESS:
		return FI_TC_DEDICATED_ACCESS;
	case SSNS_TC_LOW_LATENCY:
		return FI_TC_LOW_LATENCY;
	case SSNS_TC_BULK_DATA:
		return FI_TC_BULK_DATA;
	default:
		return FI_TC_BEST_EFFORT;
	}
}

static int parse_u32(const char *s, int base, unsigned long max,
		     uint32_t *out)
{
	unsigned long v;
	char *end;

	if (!*s || *s == '-' || *s == '+' || *s == ' ')
		return -1;
	errno = 0;
	v = strtoul(s, &end, base);
	if (errno || *end || v > max)
		return -1;
	*out = v;
	return 0;
}

/* SLINGSHOT_VNIS: "100" or "100,101": every entry valid, the first used. */
int sfi_parse_vnis(const char *s, uint32_t *first)
{
	char tok[16];
	const char *p = s, *comma;
	size_t len;
	uint32_t v;
	int n = 0;

	do {
		comma = strchr(p, ',');
		len = comma ? (size_t)(comma - p) : strlen(p);
		if (!len || len >= sizeof(tok))
			return -FI_EINVAL;
		memcpy(tok, p, len);
		tok[len] = '\0';
		if (parse_u32(tok, 10, 65535, &v) || !v)
			return -FI_EINVAL;
		if (!n++)
			*first = v;
		p = comma + 1;
	} while (comma);
	return 0;
}

/* SLINGSHOT_TCS: a mask of 1..15, decimal or 0x hex. */
int sfi_parse_tcs(const char *s, unsigned int *mask)
{
	uint32_t v;

	if (parse_u32(s, 0, 15, &v) || !v)
		return -FI_EINVAL;
	*mask = v;
	return 0;
}

/*
 * The traffic classes to try, in order: the one the application wants
 * (want >= 0) if the mask allows it, else the default order within the
 * mask. Returns how many.
 */
int sfi_tc_order(unsigned int mask, int want, uint8_t *tcs)
{
	unsigned int i;
	int n = 0;

	if (want >= 0) {
		if (want <= SSNS_TC_MAX && (mask & (1U << want)))
			tcs[n++] = want;
		return n;
	}
	for (i = 0; i < sizeof(tc_default_order); i++)
		if (mask & (1U << tc_default_order[i]))
			tcs[n++] = tc_default_order[i];
	return n;
}

static bool valid_dev_name(const char *s)
{
	size_t len = strlen(s);

	return len && len < SFI_NAME_LEN && !strchr(s, '/') &&
	       !strpbrk(s, " \t\n");
}

void sfi_env_free(struct sfi_env *env)
{
	char **p;

	if (env->devices) {
		for (p = env->devices; *p; p++)
			free(*p);
		free(env->devices);
	}
	env->devices = NULL;
}

static int parse_devices(const char *s, struct sfi_env *env, char *err,
			 size_t errlen)
{
	char *copy = strdup(s), *tok, *save = NULL;
	size_t n = 0;
	char **v;

	if (!copy)
		return -FI_ENOMEM;
	v = calloc(strlen(s) / 2 + 2, sizeof(*v));
	if (!v) {
		free(copy);
		return -FI_ENOMEM;
	}
	env->devices = v;
	for (tok = strtok_r(copy, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		if (!valid_dev_name(tok)) {
			snprintf(err, errlen,
				 "SLINGSHOT_DEVICES: bad device name \"%s\"",
				 tok);
			free(copy);
			return -FI_EINVAL;
		}
		v[n] = strdup(tok);
		if (!v[n++]) {
			free(copy);
			return -FI_ENOMEM;
		}
	}
	free(copy);
	if (!n) {
		snprintf(err, errlen, "SLINGSHOT_DEVICES names no device");
		return -FI_EINVAL;
	}
	return 0;
}

/* Read the SLINGSHOT_* variables; on error, err says which and why. */
int sfi_env_parse(struct sfi_env *env, char *err, size_t errlen)
{
	const char *s;
	int ret;

	memset(env, 0, sizeof(*env));
	env->tc_mask = 0xf;
	s = getenv("SLINGSHOT_VNIS");
	if (s && *s) {
		if (sfi_parse_vnis(s, &env->vni)) {
			snprintf(err, errlen,
				 "SLINGSHOT_VNIS=\"%s\": expected VNIs 1..65535 separated by commas",
				 s);
			return -FI_EINVAL;
		}
		env->has_vni = true;
	}
	s = getenv("SLINGSHOT_TCS");
	if (s && *s && sfi_parse_tcs(s, &env->tc_mask)) {
		snprintf(err, errlen,
			 "SLINGSHOT_TCS=\"%s\": expected a mask 1..15 (DA=1 LL=2 BULK=4 BE=8)",
			 s);
		return -FI_EINVAL;
	}
	s = getenv("SLINGSHOT_DEVICES");
	if (s && *s) {
		ret = parse_devices(s, env, err, errlen);
		if (ret) {
			sfi_env_free(env);
			return ret;
		}
	}
	return 0;
}

static bool env_wants_dev(const struct sfi_env *env, const char *name)
{
	char **p;

	if (!env->devices)
		return true;
	for (p = env->devices; *p; p++)
		if (!strcmp(*p, name))
			return true;
	return false;
}

/* ------------------------------------------------- what netlink shows */

struct sfi_view {
	struct ssns_handle *h;
	struct ssns_dev_list *devs;
	struct ssns_tenant_list *tenants;
	struct ssns_profile_list *profiles;
	const struct ssns_tenant *mine;
	bool mine_known;
	char err[128];
};

static int netns_cookie(uint64_t *cookie)
{
	socklen_t len = sizeof(*cookie);
	int s = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0), ret;

	if (s < 0)
		return -1;
	ret = getsockopt(s, SOL_SOCKET, SO_NETNS_COOKIE, cookie, &len);
	close(s);
	return ret;
}

/* The cgroup v2 id of /sys/fs/cgroup + path (its kernfs node id). */
static int cgroup_id(const char *path, uint64_t *id)
{
	struct {
		struct file_handle fh;
		unsigned char bytes[16];
	} h;
	char full[4096 + 16];
	int mnt;

	snprintf(full, sizeof(full), "/sys/fs/cgroup%s", path);
	h.fh.handle_bytes = sizeof(h.bytes);
	if (name_to_handle_at(AT_FDCWD, full, &h.fh, &mnt, 0) ||
	    h.fh.handle_bytes < sizeof(*id))
		return -1;
	memcpy(id, h.fh.f_handle, sizeof(*id));
	return 0;
}

static const struct ssns_tenant *
tenant_with_member(const struct ssns_tenant_list *tl, bool cg, uint64_t key)
{
	size_t i, j;

	for (i = 0; i < tl->count; i++) {
		const struct ssns_tenant *t = &tl->tenants[i];

		for (j = 0; j < t->nmembers; j++) {
			const struct ssns_member *m = &t->members[j];

			if (cg && m->type == SSNS_MEMBER_CGROUP &&
			    m->cgroup_id == key)
				return t;
			if (!cg && m->type == SSNS_MEMBER_NETNS &&
			    m->netns_cookie == key)
				return t;
		}
	}
	return NULL;
}

/*
 * The caller's tenant, as the kernel decides it: its netns's tenant, else
 * the tenant of the nearest ancestor of its cgroup that is a member.
 */
static void find_mine(struct sfi_view *v)
{
	char line[4096], *path = NULL, *slash;

	/* "0::/path\n": the path is at most 4092 bytes. */
	uint64_t cookie, id;
	FILE *f;

	if (netns_cookie(&cookie))
		return;
	v->mine_known = true;
	v->mine = tenant_with_member(v->tenants, false, cookie);
	if (v->mine)
		return;
	f = fopen("/proc/self/cgroup", "re");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "0::", 3)) {
			line[strcspn(line, "\n")] = '\0';
			path = line + 3;
			break;
		}
	}
	fclose(f);
	while (path && *path) {
		if (!cgroup_id(!strcmp(path, "/") ? "" : path, &id)) {
			v->mine = tenant_with_member(v->tenants, true, id);
			if (v->mine)
				return;
		}
		if (!strcmp(path, "/"))
			break;
		slash = strrchr(path, '/');
		if (!slash)
			break;
		if (slash == path)
			slash[1] = '\0';
		else
			*slash = '\0';
	}
}

static void view_free(struct sfi_view *v)
{
	ssns_dev_list_free(v->devs);
	ssns_tenant_list_free(v->tenants);
	ssns_profile_list_free(v->profiles);
	ssns_free(v->h);
	memset(v, 0, sizeof(*v));
}

static int view_load(struct sfi_view *v)
{
	int ret;

	memset(v, 0, sizeof(*v));
	v->h = ssns_new();
	if (!v->h)
		return -FI_ENOMEM;
	ret = ssns_connect(v->h);
	if (!ret)
		ret = ssns_dev_list(v->h, &v->devs);
	if (!ret)
		ret = ssns_tenant_list(v->h, &v->tenants);
	if (!ret)
		ret = ssns_profile_list(v->h, NULL, &v->profiles);
	if (ret) {
		snprintf(v->err, sizeof(v->err), "%s",
			 ret == -ENOENT ? "the ssns module is not loaded" :
			 *ssns_errmsg(v->h) ? ssns_errmsg(v->h) :
			 strerror(-ret));
		ssns_dev_list_free(v->devs);
		ssns_tenant_list_free(v->tenants);
		ssns_free(v->h);
		v->h = NULL;
		v->devs = NULL;
		v->tenants = NULL;
		return ret;
	}
	find_mine(v);
	return 0;
}

static bool tc_listed(const struct sfi_sel *sel, unsigned int tc)
{
	int i;

	for (i = 0; i < sel->ntcs; i++)
		if (sel->tcs[i] == tc)
			return true;
	return false;
}

/* Keep, in order, the candidate classes that have a profile for sel->vni. */
static int keep_profiled(const struct sfi_view *v, struct sfi_sel *sel,
			 const char *tenant)
{
	uint8_t keep[4];
	int i, n = 0;
	size_t j;

	for (i = 0; i < sel->ntcs; i++) {
		for (j = 0; j < v->profiles->count; j++) {
			const struct ssns_profile *p = &v->profiles->profiles[j];

			if (p->dev_index == sel->dev_index &&
			    p->vni == sel->vni && p->tc == sel->tcs[i] &&
			    (!tenant || !strcmp(p->tenant, tenant))) {
				keep[n++] = sel->tcs[i];
				break;
			}
		}
	}
	if (n) {
		memcpy(sel->tcs, keep, n);
		sel->ntcs = n;
	}
	return n;
}

/* The lowest VNI of tenant (or tenant-less: "") with a usable profile. */
static bool lowest_vni(const struct sfi_view *v, struct sfi_sel *sel,
		       const char *tenant)
{
	uint32_t best = 0;
	size_t j;

	for (j = 0; j < v->profiles->count; j++) {
		const struct ssns_profile *p = &v->profiles->profiles[j];

		if (p->dev_index == sel->dev_index &&
		    !strcmp(p->tenant, tenant) && tc_listed(sel, p->tc) &&
		    (!best || p->vni < best))
			best = p->vni;
	}
	if (!best)
		return false;
	sel->vni = best;
	keep_profiled(v, sel, tenant);
	return true;
}

/*
 * Fill sel (device fields set) for the environment and what the view
 * shows; false with why set when the device is not usable.
 */
static bool resolve(const struct sfi_view *v, const struct sfi_env *env,
		    int want_tc, struct sfi_sel *sel)
{
	sel->ntcs = sfi_tc_order(env->tc_mask, want_tc, sel->tcs);
	if (v && v->h) {
		sel->tenant_known = v->mine_known;
		snprintf(sel->tenant, sizeof(sel->tenant), "%s",
			 v->mine ? v->mine->name : "");
	}
	if (!sel->ntcs) {
		snprintf(sel->why, sizeof(sel->why),
			 "SLINGSHOT_TCS=0x%x does not allow the traffic class asked for",
			 env->tc_mask);
		return false;
	}
	if (env->has_vni) {
		sel->vni = env->vni;
		snprintf(sel->why, sizeof(sel->why), "SLINGSHOT_VNIS");
		if (v && v->h)
			keep_profiled(v, sel, NULL);
		return true;
	}
	if (!v || !v->h) {
		snprintf(sel->why, sizeof(sel->why),
			 "SLINGSHOT_VNIS is not set and the tenant cannot be looked up (%.60s)",
			 v ? v->err : "no ssns netlink");
		return false;
	}
	if (v->mine) {
		if (lowest_vni(v, sel, v->mine->name)) {
			snprintf(sel->why, sizeof(sel->why),
				 "tenant %s's first VNI with a profile on %s",
				 v->mine->name, sel->dev);
			return true;
		}
		snprintf(sel->why, sizeof(sel->why),
			 "tenant %s has no profile on %s for an allowed traffic class",
			 v->mine->name, sel->dev);
		return false;
	}
	if (lowest_vni(v, sel, "")) {
		snprintf(sel->why, sizeof(sel->why),
			 "no tenant: the first tenant-less VNI with a profile on %s",
			 sel->dev);
		return true;
	}
	snprintf(sel->why, sizeof(sel->why),
		 "this process has no tenant and no tenant-less profile on %s is visible",
		 sel->dev);
	return false;
}

/* Devices through the /dev nodes, when netlink cannot list them. */
static int scan_devs(struct sfi_sel **out, size_t *count)
{
	struct ssns_sim_info info;
	struct dirent *de;
	struct sfi_sel *v = NULL, *nv;
	size_t n = 0;
	DIR *d = opendir("/dev");
	int fd;

	if (!d)
		return -FI_ENODATA;
	while ((de = readdir(d))) {
		char path[64];

		if (strncmp(de->d_name, "cxi", 3) ||
		    strlen(de->d_name) >= SFI_NAME_LEN)
			continue;
		snprintf(path, sizeof(path), "/dev/%s", de->d_name);
		fd = open(path, O_RDWR | O_CLOEXEC);
		if (fd < 0)
			continue;
		memset(&info, 0, sizeof(info));
		info.size = sizeof(info);
		if (ioctl(fd, SSNS_SIM_IOC_INFO, &info)) {
			close(fd);
			continue;
		}
		close(fd);
		nv = realloc(v, (n + 1) * sizeof(*v));
		if (!nv)
			break;
		v = nv;
		memset(&v[n], 0, sizeof(v[n]));
		snprintf(v[n].dev, sizeof(v[n].dev), "%s", de->d_name);
		snprintf(v[n].path, sizeof(v[n].path), "%s", path);
		v[n].dev_index = info.dev_index;
		n++;
	}
	closedir(d);
	*out = v;
	*count = n;
	return 0;
}

static int view_devs(const struct sfi_view *v, struct sfi_sel **out,
		     size_t *count)
{
	struct sfi_sel *s;
	size_t i, n = 0;

	s = calloc(v->devs->count + 1, sizeof(*s));
	if (!s)
		return -FI_ENOMEM;
	for (i = 0; i < v->devs->count; i++) {
		const struct ssns_dev *d = &v->devs->devs[i];

		/* Only the simulated NIC has this char-device ABI. */
		if (strcmp(d->provider, "ssns_sim"))
			continue;
		snprintf(s[n].dev, sizeof(s[n].dev), "%s", d->name);
		if (d->chardev[0])
			snprintf(s[n].path, sizeof(s[n].path), "%s",
				 d->chardev);
		else
			snprintf(s[n].path, sizeof(s[n].path), "/dev/%s",
				 d->name);
		s[n].dev_index = d->index;
		n++;
	}
	*out = s;
	*count = n;
	return 0;
}

/*
 * Every usable device with its selection, in fabric-index order. want_tc:
 * the traffic class the application asked for, or -1. -FI_ENODATA when
 * none is usable (each reason is logged).
 */
int sfi_select(struct sfi_sel **out, size_t *count, int want_tc)
{
	struct sfi_sel *all = NULL, *ok;
	struct sfi_view v;
	struct sfi_env env;
	char err[160] = "";
	size_t n = 0, i, k = 0;
	bool have_view;
	char **p;
	int ret;

	*out = NULL;
	*count = 0;
	ret = sfi_env_parse(&env, err, sizeof(err));
	if (ret) {
		SFI_WARN(FI_LOG_FABRIC, "%s\n", err);
		return ret;
	}
	if (getenv("SLINGSHOT_SVC_IDS"))
		SFI_INFO(FI_LOG_FABRIC,
			 "SLINGSHOT_SVC_IDS names HPE services: ignored\n");
	have_view = !view_load(&v);
	if (!have_view)
		SFI_INFO(FI_LOG_FABRIC, "ssns netlink: %s\n", v.err);
	ret = have_view ? view_devs(&v, &all, &n) : scan_devs(&all, &n);
	if (ret)
		goto out;
	if (env.devices)
		for (p = env.devices; *p; p++) {
			for (i = 0; i < n && strcmp(all[i].dev, *p); i++)
				;
			if (i == n)
				SFI_WARN(FI_LOG_FABRIC,
					 "SLINGSHOT_DEVICES names %s, which is not visible here\n",
					 *p);
		}
	ok = calloc(n + 1, sizeof(*ok));
	if (!ok) {
		ret = -FI_ENOMEM;
		goto out;
	}
	for (i = 0; i < n; i++) {
		if (!env_wants_dev(&env, all[i].dev))
			continue;
		if (!resolve(have_view ? &v : NULL, &env, want_tc, &all[i])) {
			SFI_INFO(FI_LOG_FABRIC, "%s: not usable: %s\n",
				 all[i].dev, all[i].why);
			continue;
		}
		ok[k++] = all[i];
	}
	if (!k) {
		if (!n)
			SFI_INFO(FI_LOG_FABRIC,
				 "no ssns_sim device is visible here\n");
		free(ok);
		ret = -FI_ENODATA;
		goto out;
	}
	/* Lowest fabric index first. */
	for (i = 1; i < k; i++) {
		struct sfi_sel t = ok[i];
		size_t j = i;

		while (j && ok[j - 1].dev_index > t.dev_index) {
			ok[j] = ok[j - 1];
			j--;
		}
		ok[j] = t;
	}
	*out = ok;
	*count = k;
out:
	free(all);
	if (have_view)
		view_free(&v);
	sfi_env_free(&env);
	return ret;
}

/* The selection of one device by name (fi_domain()). */
int sfi_select_dev(const char *dev, int want_tc, struct sfi_sel *sel)
{
	struct sfi_sel *all;
	size_t n, i;
	int ret;

	ret = sfi_select(&all, &n, want_tc);
	if (ret)
		return ret;
	ret = -FI_ENODEV;
	for (i = 0; i < n; i++) {
		if (!strcmp(all[i].dev, dev)) {
			*sel = all[i];
			ret = 0;
			break;
		}
	}
	free(all);
	return ret;
}

/* Look the caller's tenant up again (for messages about a refusal). */
void sfi_caller_tenant(struct sfi_sel *sel)
{
	struct sfi_view v;

	if (sel->tenant_known || view_load(&v))
		return;
	sel->tenant_known = v.mine_known;
	snprintf(sel->tenant, sizeof(sel->tenant), "%s",
		 v.mine ? v.mine->name : "");
	view_free(&v);
}
