// SPDX-License-Identifier: LGPL-2.1-or-later OR GPL-2.0
/* Public operations on system, devices, tenants, profiles, endpoints. */
#include <errno.h>
#include <stddef.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"
#include "quote.h"

/* Generic list collector: parse each reply into a new array element. */
struct collect {
	void *arr;
	size_t count, cap, elsz;
	int (*parse)(struct nlattr **tb, void *el);
	void (*clear)(void *el);
	const char *dev;	/* client-side filter on DEV_NAME */
};

static int collect_one(uint8_t cmd, struct nlattr **tb, void *arg)
{
	struct collect *c = arg;
	void *el;
	int rc;

	(void)cmd;
	if (c->dev && tb[SSNS_ATTR_DEV_NAME] &&
	    strcmp(nla_get_string(tb[SSNS_ATTR_DEV_NAME]), c->dev))
		return 0;
	el = ssns__grow(&c->arr, &c->count, &c->cap, c->elsz);
	if (!el)
		return -ENOMEM;
	rc = c->parse(tb, el);
	if (rc) {
		c->count--;
		return rc;
	}
	return 0;
}

static void collect_free(struct collect *c)
{
	size_t i;

	if (c->clear)
		for (i = 0; i < c->count; i++)
			c->clear((char *)c->arr + i * c->elsz);
	free(c->arr);
	c->arr = NULL;
	c->count = 0;
}

static int run_collect(struct ssns_handle *h, const struct ssns__req *q,
		       struct collect *c)
{
	int rc = ssns__transact(h, q, collect_one, c);

	if (rc)
		collect_free(c);
	return rc;
}

/*
 * Allocate a list structure of lsz bytes and collect the replies of the
 * dump q into c. Returns the zeroed list, whose array and count the caller
 * fills from c, or NULL with *rc set.
 */
static void *list_collect(struct ssns_handle *h, const struct ssns__req *q,
			  struct collect *c, size_t lsz, int *rc)
{
	void *l = calloc(1, lsz);

	if (!l) {
		*rc = ssns__fail(h, -ENOMEM, "out of memory");
		return NULL;
	}
	*rc = run_collect(h, q, c);
	if (*rc) {
		free(l);
		return NULL;
	}
	return l;
}

/* ---------------------------------------------------------------- system */

static int sys_one(uint8_t cmd, struct nlattr **tb, void *arg)
{
	(void)cmd;
	ssns__parse_system(tb, arg);
	return 0;
}

SSNS_EXPORT int ssns_system_get(struct ssns_handle *h,
				struct ssns_system **out)
{
	struct ssns__req q = { .cmd = SSNS_CMD_SYS_GET };
	struct ssns_system *s;
	int rc;

	*out = NULL;
	s = calloc(1, sizeof(*s));
	if (!s)
		return ssns__fail(h, -ENOMEM, "out of memory");
	rc = ssns__transact(h, &q, sys_one, s);
	if (rc) {
		free(s);
		return rc;
	}
	*out = s;
	return 0;
}

SSNS_EXPORT void ssns_system_free(struct ssns_system *sys)
{
	free(sys);
}

SSNS_EXPORT int ssns_system_set_mode(struct ssns_handle *h,
				     enum ssns_netns_mode mode)
{
	struct ssns__req q = { .cmd = SSNS_CMD_SYS_SET, .has_mode = true,
			       .mode = (uint8_t)mode };

	return ssns__transact(h, &q, NULL, NULL);
}

/* --------------------------------------------------------------- devices */

static int dev_parse(struct nlattr **tb, void *el)
{
	return ssns__parse_dev(tb, el);
}

SSNS_EXPORT int ssns_dev_list(struct ssns_handle *h,
			      struct ssns_dev_list **out)
{
	struct ssns__req q = { .cmd = SSNS_CMD_DEV_GET, .dump = true };
	struct collect c = { .elsz = sizeof(struct ssns_dev),
			     .parse = dev_parse };
	struct ssns_dev_list *l;
	int rc;

	*out = NULL;
	l = list_collect(h, &q, &c, sizeof(*l), &rc);
	if (!l)
		return rc;
	l->devs = c.arr;
	l->count = c.count;
	*out = l;
	return 0;
}

SSNS_EXPORT void ssns_dev_list_free(struct ssns_dev_list *list)
{
	if (!list)
		return;
	free(list->devs);
	free(list);
}

SSNS_EXPORT int ssns_dev_get(struct ssns_handle *h, const char *name,
			     struct ssns_dev **out)
{
	struct ssns__req q = { .cmd = SSNS_CMD_DEV_GET, .dev = name };
	struct collect c = { .elsz = sizeof(struct ssns_dev),
			     .parse = dev_parse };
	int rc;

	*out = NULL;
	rc = run_collect(h, &q, &c);
	if (rc)
		return rc;
	if (!c.count) {
		collect_free(&c);
		return ssns__fail(h, -ENODEV, "device %s not found",
				  SSNS_QUOTE(name));
	}
	*out = c.arr;	/* first element; the array is one allocation */
	return 0;
}

SSNS_EXPORT void ssns_dev_free(struct ssns_dev *dev)
{
	free(dev);
}

static int counters_one(uint8_t cmd, struct nlattr **tb, void *arg)
{
	struct ssns_counter_list *l = arg;

	(void)cmd;
	if (l->c)
		return -EPROTO;		/* one reply only */
	return ssns__parse_counters(tb[SSNS_ATTR_DEV_COUNTERS], l);
}

SSNS_EXPORT int ssns_dev_counters(struct ssns_handle *h, const char *dev,
				  struct ssns_counter_list **out)
{
	struct ssns__req q = { .cmd = SSNS_CMD_DEV_GET, .dev = dev };
	struct ssns_counter_list *l;
	int rc;

	*out = NULL;
	l = calloc(1, sizeof(*l));
	if (!l)
		return ssns__fail(h, -ENOMEM, "out of memory");
	rc = ssns__transact(h, &q, counters_one, l);
	if (rc) {
		ssns_counter_list_free(l);
		return rc;
	}
	*out = l;
	return 0;
}

SSNS_EXPORT void ssns_counter_list_free(struct ssns_counter_list *l)
{
	if (!l)
		return;
	free(l->c);
	free(l);
}

SSNS_EXPORT int ssns_dev_move_fd(struct ssns_handle *h, const char *dev,
				 int netns_fd)
{
	struct ssns__req q = { .cmd = SSNS_CMD_DEV_SET, .dev = dev,
			       .has_netns_fd = true,
			       .netns_fd = (uint32_t)netns_fd };

	if (!dev)
		return ssns__fail(h, -EINVAL, "no device");
	if (netns_fd < 0)
		return ssns__fail(h, -EBADF, "bad netns fd %d", netns_fd);
	return ssns__transact(h, &q, NULL, NULL);
}

SSNS_EXPORT int ssns_dev_move_pid(struct ssns_handle *h, const char *dev,
				  pid_t pid)
{
	struct ssns__req q = { .cmd = SSNS_CMD_DEV_SET, .dev = dev,
			       .has_netns_pid = true,
			       .netns_pid = (uint32_t)pid };

	if (!dev)
		return ssns__fail(h, -EINVAL, "no device");
	if (pid <= 0)
		return ssns__fail(h, -ESRCH, "bad pid %d", (int)pid);
	return ssns__transact(h, &q, NULL, NULL);
}

static int open_path(struct ssns_handle *h, const char *what,
		     const char *path, int flags)
{
	int fd;

	if (!path || !*path)
		return ssns__fail(h, -EINVAL, "empty %s path", what);
	fd = open(path, flags | O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		int e = errno;

		return ssns__fail(h, -e, "cannot open %s %s", what,
				  SSNS_QUOTE(path));
	}
	return fd;
}

SSNS_EXPORT int ssns_dev_move_path(struct ssns_handle *h, const char *dev,
				   const char *netns_path)
{
	int fd, rc;

	fd = open_path(h, "netns", netns_path, 0);
	if (fd < 0)
		return fd;
	rc = ssns_dev_move_fd(h, dev, fd);
	close(fd);
	return rc;
}

/* --------------------------------------------------------------- tenants */

static int tenant_parse(struct nlattr **tb, void *el)
{
	return ssns__parse_tenant(tb, el);
}

static void tenant_clear(void *el)
{
	ssns__tenant_clear(el);
}

SSNS_EXPORT int ssns_tenant_list(struct ssns_handle *h,
				 struct ssns_tenant_list **out)
{
	struct ssns__req q = { .cmd = SSNS_CMD_TENANT_GET, .dump = true };
	struct collect c = { .elsz = sizeof(struct ssns_tenant),
			     .parse = tenant_parse, .clear = tenant_clear };
	struct ssns_tenant_list *l;
	int rc;

	*out = NULL;
	l = list_collect(h, &q, &c, sizeof(*l), &rc);
	if (!l)
		return rc;
	l->tenants = c.arr;
	l->count = c.count;
	*out = l;
	return 0;
}

SSNS_EXPORT void ssns_tenant_list_free(struct ssns_tenant_list *list)
{
	size_t i;

	if (!list)
		return;
	for (i = 0; i < list->count; i++)
		ssns__tenant_clear(&list->tenants[i]);
	free(list->tenants);
	free(list);
}

SSNS_EXPORT int ssns_tenant_get(struct ssns_handle *h, const char *name,
				struct ssns_tenant **out)
{
	struct ssns__req q = { .cmd = SSNS_CMD_TENANT_GET, .tenant = name };
	struct collect c = { .elsz = sizeof(struct ssns_tenant),
			     .parse = tenant_parse, .clear = tenant_clear };
	int rc;

	*out = NULL;
	if (!name)
		return ssns__fail(h, -EINVAL, "no tenant name");
	rc = run_collect(h, &q, &c);
	if (rc)
		return rc;
	if (!c.count) {
		collect_free(&c);
		return ssns__fail(h, -ENOENT, "tenant %s not found",
				  SSNS_QUOTE(name));
	}
	/* keep only the first element */
	while (c.count > 1)
		ssns__tenant_clear((struct ssns_tenant *)c.arr + --c.count);
	*out = c.arr;
	return 0;
}

SSNS_EXPORT void ssns_tenant_free(struct ssns_tenant *t)
{
	ssns__tenant_clear(t);
	free(t);
}

SSNS_EXPORT int ssns_tenant_add(struct ssns_handle *h, const char *name,
				const struct ssns_vni_range *ranges,
				size_t nranges)
{
	struct ssns__req q = { .cmd = SSNS_CMD_TENANT_NEW, .tenant = name,
			       .ranges = ranges, .nranges = nranges };

	if (!name)
		return ssns__fail(h, -EINVAL, "no tenant name");
	return ssns__transact(h, &q, NULL, NULL);
}

SSNS_EXPORT int ssns_tenant_del(struct ssns_handle *h, const char *name)
{
	struct ssns__req q = { .cmd = SSNS_CMD_TENANT_DEL, .tenant = name };

	if (!name)
		return ssns__fail(h, -EINVAL, "no tenant name");
	return ssns__transact(h, &q, NULL, NULL);
}

SSNS_EXPORT int ssns_tenant_add_child(struct ssns_handle *h,
				      const char *name, const char *parent,
				      const struct ssns_vni_range *ranges,
				      size_t nranges)
{
	struct ssns__req q = { .cmd = SSNS_CMD_TENANT_NEW, .tenant = name,
			       .parent = parent, .ranges = ranges,
			       .nranges = nranges };

	if (!name || !parent)
		return ssns__fail(h, -EINVAL, "no tenant or parent name");
	return ssns__transact(h, &q, NULL, NULL);
}

SSNS_EXPORT int ssns_tenant_delegate_pid(struct ssns_handle *h,
					 const char *name, pid_t pid,
					 const char *cgroup_path)
{
	struct ssns__req q = { .cmd = SSNS_CMD_TENANT_SET, .tenant = name,
			       .has_userns_pid = true,
			       .userns_pid = (uint32_t)pid,
			       .delegate_cgroup = cgroup_path };

	if (!name || pid <= 0)
		return ssns__fail(h, -EINVAL, "no tenant name, or bad pid %d",
				  (int)pid);
	return ssns__transact(h, &q, NULL, NULL);
}

SSNS_EXPORT int ssns_tenant_delegate_path(struct ssns_handle *h,
					  const char *name,
					  const char *userns_path,
					  const char *cgroup_path)
{
	struct ssns__req q = { .cmd = SSNS_CMD_TENANT_SET, .tenant = name,
			       .has_userns_fd = true,
			       .delegate_cgroup = cgroup_path };
	int fd, rc;

	if (!name || !userns_path)
		return ssns__fail(h, -EINVAL, "no tenant name or path");
	fd = open(userns_path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return ssns__fail(h, -errno, "cannot open %s", userns_path);
	q.userns_fd = (uint32_t)fd;
	rc = ssns__transact(h, &q, NULL, NULL);
	close(fd);
	return rc;
}

SSNS_EXPORT int ssns_tenant_undelegate(struct ssns_handle *h,
				       const char *name)
{
	struct ssns__req q = { .cmd = SSNS_CMD_TENANT_SET, .tenant = name,
			       .delegate_none = true };

	if (!name)
		return ssns__fail(h, -EINVAL, "no tenant name");
	return ssns__transact(h, &q, NULL, NULL);
}

static int tenant_ext_one(uint8_t cmd, struct nlattr **tb, void *arg)
{
	(void)cmd;
	return ssns__parse_tenant_ext(tb, arg);
}

SSNS_EXPORT int ssns_tenant_ext_get(struct ssns_handle *h, const char *name,
				    struct ssns_tenant_ext *ext)
{
	struct ssns__req q = { .cmd = SSNS_CMD_TENANT_GET, .tenant = name };
	struct ssns_tenant_ext all = { .size = sizeof(all) };
	int rc;

	if (!name || !ext || ext->size < offsetof(struct ssns_tenant_ext,
						   parent))
		return ssns__fail(h, -EINVAL, "no tenant name or ext");
	rc = ssns__transact(h, &q, tenant_ext_one, &all);
	if (rc)
		return rc;
	/* What the caller's version of the structure holds. */
	memcpy((char *)ext + sizeof(ext->size), (char *)&all + sizeof(all.size),
	       (ext->size < sizeof(all) ? ext->size : sizeof(all)) -
	       sizeof(ext->size));
	return 0;
}

struct ext_each {
	ssns_tenant_ext_fn fn;
	void *arg;
	int stop;	/* what fn returned to stop the walk */
};

static int tenant_ext_each_one(uint8_t cmd, struct nlattr **tb, void *arg)
{
	struct ssns_tenant_ext ext = { .size = sizeof(ext) };
	struct ext_each *e = arg;
	char name[SSNS_NAME_MAX];
	int rc;

	(void)cmd;
	if (e->stop)
		return 0;	/* the rest of the dump is read, unseen */
	if (!tb[SSNS_ATTR_TENANT_NAME])
		return -EPROTO;
	ssns__strcpy(name, sizeof(name), tb[SSNS_ATTR_TENANT_NAME]);
	rc = ssns__parse_tenant_ext(tb, &ext);
	if (rc)
		return rc;
	e->stop = e->fn(name, &ext, e->arg);
	return 0;
}

SSNS_EXPORT int ssns_tenant_ext_each(struct ssns_handle *h,
				     ssns_tenant_ext_fn fn, void *arg)
{
	struct ssns__req q = { .cmd = SSNS_CMD_TENANT_GET, .dump = true };
	struct ext_each e = { .fn = fn, .arg = arg };
	int rc;

	if (!fn)
		return ssns__fail(h, -EINVAL, "no function");
	rc = ssns__transact(h, &q, tenant_ext_each_one, &e);
	return rc ? rc : e.stop;
}

/* One DEV_SERVICES nest of a netns member: an entry of the list. */
static int services_dev(struct ssns_service_list *l, struct nlattr **mt,
			struct nlattr *dev_nest)
{
	struct nlattr *dt[SSNS_ATTR_MAX + 1], *a;
	struct ssns_service *s;
	uint32_t *ids;
	int rem;

	if (nla_parse_nested(dt, SSNS_ATTR_MAX, dev_nest, ssns__policy) ||
	    !dt[SSNS_ATTR_DEV_NAME])
		return -EPROTO;
	s = ssns__grow((void **)&l->s, &l->count, &l->cap_, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->netns_cookie = nla_get_u64(mt[SSNS_ATTR_NETNS_COOKIE]);
	if (mt[SSNS_ATTR_NETNS_ID]) {
		s->has_netns_id = true;
		s->netns_id = (int32_t)nla_get_u32(mt[SSNS_ATTR_NETNS_ID]);
	}
	ssns__strcpy(s->dev, sizeof(s->dev), dt[SSNS_ATTR_DEV_NAME]);
	nla_for_each_nested(a, dev_nest, rem) {
		if (nla_type(a) != SSNS_ATTR_SERVICE_ID ||
		    nla_len(a) < (int)sizeof(uint32_t))
			continue;
		ids = realloc(s->ids, (s->count + 1) * sizeof(*ids));
		if (!ids)
			return -ENOMEM;
		s->ids = ids;
		s->ids[s->count++] = nla_get_u32(a);
	}
	return 0;
}

static int services_one(uint8_t cmd, struct nlattr **tb, void *arg)
{
	struct nlattr *mt[SSNS_ATTR_MAX + 1], *m, *d;
	struct ssns_service_list *l = arg;
	int rem, rem2, rc;

	(void)cmd;
	if (!tb[SSNS_ATTR_MEMBERS])
		return 0;
	nla_for_each_nested(m, tb[SSNS_ATTR_MEMBERS], rem) {
		if (nla_type(m) != SSNS_ATTR_MEMBER)
			continue;
		if (nla_parse_nested(mt, SSNS_ATTR_MAX, m, ssns__policy))
			return -EPROTO;
		if (!mt[SSNS_ATTR_NETNS_COOKIE] ||
		    !mt[SSNS_ATTR_MEMBER_SERVICES])
			continue;
		nla_for_each_nested(d, mt[SSNS_ATTR_MEMBER_SERVICES], rem2) {
			if (nla_type(d) != SSNS_ATTR_DEV_SERVICES)
				continue;
			rc = services_dev(l, mt, d);
			if (rc)
				return rc;
		}
	}
	return 0;
}

SSNS_EXPORT int ssns_tenant_services(struct ssns_handle *h, const char *name,
				     struct ssns_service_list **out)
{
	struct ssns__req q = { .cmd = SSNS_CMD_TENANT_GET, .tenant = name };
	struct ssns_service_list *l;
	int rc;

	if (!out)
		return ssns__fail(h, -EINVAL, "no result pointer");
	*out = NULL;
	if (!name)
		return ssns__fail(h, -EINVAL, "no tenant name");
	l = calloc(1, sizeof(*l));
	if (!l)
		return ssns__fail(h, -ENOMEM, "out of memory");
	rc = ssns__transact(h, &q, services_one, l);
	if (rc) {
		ssns_service_list_free(l);
		return rc;
	}
	*out = l;
	return 0;
}

SSNS_EXPORT void ssns_service_list_free(struct ssns_service_list *l)
{
	size_t i;

	if (!l)
		return;
	for (i = 0; i < l->count; i++)
		free(l->s[i].ids);
	free(l->s);
	free(l);
}

static int tenant_set(struct ssns_handle *h, struct ssns__req *q,
		      const char *name, enum ssns_op op)
{
	if (!name)
		return ssns__fail(h, -EINVAL, "no tenant name");
	if (op != SSNS_OP_ADD && op != SSNS_OP_DEL)
		return ssns__fail(h, -EINVAL, "bad operation %d", (int)op);
	q->cmd = SSNS_CMD_TENANT_SET;
	q->tenant = name;
	q->has_op = true;
	q->op = (uint8_t)op;
	return ssns__transact(h, q, NULL, NULL);
}

SSNS_EXPORT int ssns_tenant_vni(struct ssns_handle *h, const char *name,
				const struct ssns_vni_range *ranges,
				size_t nranges, enum ssns_op op)
{
	struct ssns__req q = { .ranges = ranges, .nranges = nranges,
			       .ranges_attr = true };

	if (!nranges)
		return ssns__fail(h, -EINVAL, "no VNI given");
	return tenant_set(h, &q, name, op);
}

SSNS_EXPORT int ssns_tenant_netns_fd(struct ssns_handle *h, const char *name,
				     int netns_fd, enum ssns_op op)
{
	struct ssns__req q = { .has_netns_fd = true,
			       .netns_fd = (uint32_t)netns_fd };

	if (netns_fd < 0)
		return ssns__fail(h, -EBADF, "bad netns fd %d", netns_fd);
	return tenant_set(h, &q, name, op);
}

SSNS_EXPORT int ssns_tenant_netns_pid(struct ssns_handle *h,
				      const char *name, pid_t pid,
				      enum ssns_op op)
{
	struct ssns__req q = { .has_netns_pid = true,
			       .netns_pid = (uint32_t)pid };

	if (pid <= 0)
		return ssns__fail(h, -ESRCH, "bad pid %d", (int)pid);
	return tenant_set(h, &q, name, op);
}

SSNS_EXPORT int ssns_tenant_netns_path(struct ssns_handle *h,
				       const char *name,
				       const char *netns_path,
				       enum ssns_op op)
{
	int fd, rc;

	fd = open_path(h, "netns", netns_path, 0);
	if (fd < 0)
		return fd;
	rc = ssns_tenant_netns_fd(h, name, fd, op);
	close(fd);
	return rc;
}

SSNS_EXPORT int ssns_tenant_netns_cookie(struct ssns_handle *h,
					 const char *name, uint64_t cookie,
					 enum ssns_op op)
{
	struct ssns__req q = { .has_netns_cookie = true,
			       .netns_cookie = cookie };

	return tenant_set(h, &q, name, op);
}

SSNS_EXPORT int ssns_tenant_cgroup_fd(struct ssns_handle *h,
				      const char *name, int cgroup_fd,
				      enum ssns_op op)
{
	struct ssns__req q = { .has_cgroup_fd = true,
			       .cgroup_fd = (uint32_t)cgroup_fd };

	if (cgroup_fd < 0)
		return ssns__fail(h, -EBADF, "bad cgroup fd %d", cgroup_fd);
	return tenant_set(h, &q, name, op);
}

SSNS_EXPORT int ssns_tenant_cgroup_path(struct ssns_handle *h,
					const char *name,
					const char *cgroup_path,
					enum ssns_op op)
{
	int fd, rc;

	/* an fd names the directory unambiguously, whatever our mounts */
	fd = open_path(h, "cgroup", cgroup_path, O_DIRECTORY);
	if (fd < 0)
		return fd;
	rc = ssns_tenant_cgroup_fd(h, name, fd, op);
	close(fd);
	return rc;
}

SSNS_EXPORT int ssns_tenant_cgroup_id(struct ssns_handle *h,
				      const char *name, uint64_t cgroup_id,
				      enum ssns_op op)
{
	struct ssns__req q = { .has_cgroup_id = true,
			       .cgroup_id = cgroup_id };

	return tenant_set(h, &q, name, op);
}

/* -------------------------------------------------------------- profiles */

static int profile_parse(struct nlattr **tb, void *el)
{
	return ssns__parse_profile(tb, el);
}

SSNS_EXPORT int ssns_profile_list(struct ssns_handle *h, const char *dev,
				  struct ssns_profile_list **out)
{
	struct ssns__req q = { .cmd = SSNS_CMD_PROFILE_GET, .dump = true,
			       .dev = dev };
	struct collect c = { .elsz = sizeof(struct ssns_profile),
			     .parse = profile_parse, .dev = dev };
	struct ssns_profile_list *l;
	int rc;

	*out = NULL;
	l = list_collect(h, &q, &c, sizeof(*l), &rc);
	if (!l)
		return rc;
	l->profiles = c.arr;
	l->count = c.count;
	*out = l;
	return 0;
}

SSNS_EXPORT void ssns_profile_list_free(struct ssns_profile_list *list)
{
	if (!list)
		return;
	free(list->profiles);
	free(list);
}

static int profile_do(struct ssns_handle *h, uint8_t cmd, const char *dev,
		      uint32_t vni, enum ssns_tc tc)
{
	struct ssns__req q = { .cmd = cmd, .dev = dev, .has_vni = true,
			       .vni = vni, .has_tc = true,
			       .tc = (uint8_t)tc };

	if (!dev)
		return ssns__fail(h, -EINVAL, "no device");
	return ssns__transact(h, &q, NULL, NULL);
}

SSNS_EXPORT int ssns_profile_add(struct ssns_handle *h, const char *dev,
				 uint32_t vni, enum ssns_tc tc)
{
	return profile_do(h, SSNS_CMD_PROFILE_NEW, dev, vni, tc);
}

SSNS_EXPORT int ssns_profile_del(struct ssns_handle *h, const char *dev,
				 uint32_t vni, enum ssns_tc tc)
{
	return profile_do(h, SSNS_CMD_PROFILE_DEL, dev, vni, tc);
}

/* ------------------------------------------------------------- endpoints */

static int ep_parse(struct nlattr **tb, void *el)
{
	return ssns__parse_ep(tb, el);
}

SSNS_EXPORT int ssns_ep_list(struct ssns_handle *h, const char *dev,
			     struct ssns_ep_list **out)
{
	struct ssns__req q = { .cmd = SSNS_CMD_EP_GET, .dump = true,
			       .dev = dev };
	struct collect c = { .elsz = sizeof(struct ssns_ep),
			     .parse = ep_parse, .dev = dev };
	struct ssns_ep_list *l;
	int rc;

	*out = NULL;
	l = list_collect(h, &q, &c, sizeof(*l), &rc);
	if (!l)
		return rc;
	l->eps = c.arr;
	l->count = c.count;
	*out = l;
	return 0;
}

SSNS_EXPORT void ssns_ep_list_free(struct ssns_ep_list *list)
{
	if (!list)
		return;
	free(list->eps);
	free(list);
}
