// SPDX-License-Identifier: LGPL-2.1-or-later OR GPL-2.0
/*
 * Bandwidth: rates in iproute2's units, a tenant's policy (the BW nest of
 * TENANT_GET replies) and its changes (TENANT_SET with a BW nest).
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <netlink/genl/genl.h>

#include "internal.h"
#include "quote.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* ----------------------------------------------------------------- rates */

static const struct rate_unit {
	const char *name;
	uint64_t scale;			/* bit/s */
} rate_units[] = {
	{ "", 1 }, { "bit", 1 },
	{ "kbit", 1000ULL }, { "mbit", 1000000ULL },
	{ "gbit", 1000000000ULL }, { "tbit", 1000000000000ULL },
	{ "kibit", 1ULL << 10 }, { "mibit", 1ULL << 20 },
	{ "gibit", 1ULL << 30 }, { "tibit", 1ULL << 40 },
	{ "bps", 8 }, { "kbps", 8000ULL }, { "mbps", 8000000ULL },
	{ "gbps", 8000000000ULL }, { "tbps", 8000000000000ULL },
	{ "kibps", 8ULL << 10 }, { "mibps", 8ULL << 20 },
	{ "gibps", 8ULL << 30 }, { "tibps", 8ULL << 40 },
};

SSNS_EXPORT int ssns_rate_parse(const char *s, uint64_t *bits)
{
	uint64_t whole = 0, frac = 0, div = 1, v, f;
	const char *p = s;
	size_t i;

	if (!s || !isdigit((unsigned char)*p))
		return -EINVAL;
	for (; isdigit((unsigned char)*p); p++) {
		if (whole > (UINT64_MAX - (uint64_t)(*p - '0')) / 10)
			return -ERANGE;
		whole = whole * 10 + (uint64_t)(*p - '0');
	}
	if (*p == '.') {
		p++;
		if (!isdigit((unsigned char)*p))
			return -EINVAL;
		for (; isdigit((unsigned char)*p); p++) {
			/* Nine digits are more than any rate needs. */
			if (div < 1000000000ULL) {
				frac = frac * 10 + (uint64_t)(*p - '0');
				div *= 10;
			}
		}
	}
	for (i = 0; i < ARRAY_SIZE(rate_units); i++) {
		if (strcasecmp(p, rate_units[i].name))
			continue;
		if (whole && rate_units[i].scale > UINT64_MAX / whole)
			return -ERANGE;
		v = whole * rate_units[i].scale;
		/* frac / div of the unit, exactly: frac < div <= 10^9. */
		f = rate_units[i].scale / div * frac +
		    rate_units[i].scale % div * frac / div;
		if (v > UINT64_MAX - f)
			return -ERANGE;
		*bits = v + f;
		return 0;
	}
	return -EINVAL;
}

SSNS_EXPORT const char *ssns_rate_format(uint64_t bits, char *buf,
					 size_t len)
{
	static const struct { const char *name; uint64_t scale; } u[] = {
		{ "Tbit", 1000000000000ULL }, { "Gbit", 1000000000ULL },
		{ "Mbit", 1000000ULL }, { "Kbit", 1000ULL }, { "bit", 1 },
	};
	size_t i;
	int n;

	if (!buf || !len)
		return buf;
	for (i = 0; i < ARRAY_SIZE(u) - 1; i++)
		if (bits && bits % u[i].scale == 0)
			break;
	n = snprintf(buf, len, "%" PRIu64 "%s", bits / u[i].scale, u[i].name);
	if (n < 0 || (size_t)n >= len)
		buf[0] = '\0';
	return buf;
}

/* ---------------------------------------------------------------- policy */

static int parse_bw_dev(struct nlattr *nest, struct ssns_bw_dev *d)
{
	struct nlattr *tb[SSNS_ATTR_MAX + 1];

	memset(d, 0, sizeof(*d));
	if (nla_parse_nested(tb, SSNS_ATTR_MAX, nest, ssns__policy) ||
	    !tb[SSNS_ATTR_DEV_INDEX])
		return -EPROTO;
	d->dev_index = nla_get_u32(tb[SSNS_ATTR_DEV_INDEX]);
	ssns__strcpy(d->dev_name, sizeof(d->dev_name), tb[SSNS_ATTR_DEV_NAME]);
	if (tb[SSNS_ATTR_BW_SHARE])
		d->share = nla_get_u32(tb[SSNS_ATTR_BW_SHARE]);
	if (tb[SSNS_ATTR_BW_MAX]) {
		d->has_max = true;
		d->max = nla_get_u64(tb[SSNS_ATTR_BW_MAX]);
	}
	return 0;
}

static int parse_bw_member(struct nlattr *nest, struct ssns_bw_member *m)
{
	struct nlattr *tb[SSNS_ATTR_MAX + 1];

	memset(m, 0, sizeof(*m));
	if (nla_parse_nested(tb, SSNS_ATTR_MAX, nest, ssns__policy) ||
	    !tb[SSNS_ATTR_BW_MAX])
		return -EPROTO;
	if (tb[SSNS_ATTR_NETNS_COOKIE]) {
		m->type = SSNS_MEMBER_NETNS;
		m->id = nla_get_u64(tb[SSNS_ATTR_NETNS_COOKIE]);
	} else if (tb[SSNS_ATTR_CGROUP_ID]) {
		m->type = SSNS_MEMBER_CGROUP;
		m->id = nla_get_u64(tb[SSNS_ATTR_CGROUP_ID]);
	} else {
		return -EPROTO;
	}
	m->max = nla_get_u64(tb[SSNS_ATTR_BW_MAX]);
	return 0;
}

void ssns__tenant_bw_clear(struct ssns_tenant_bw *bw)
{
	free(bw->devs);
	free(bw->members);
	bw->devs = NULL;
	bw->members = NULL;
	bw->ndevs = bw->nmembers = 0;
}

/* A tenant's reply: its name and BW nest (absent from older modules). */
int ssns__parse_tenant_bw(struct nlattr **tb, struct ssns_tenant_bw *bw)
{
	size_t dcap = 0, mcap = 0;
	struct nlattr *a;
	int rem, rc = 0;

	memset(bw, 0, sizeof(*bw));
	if (!tb[SSNS_ATTR_TENANT_NAME])
		return -EPROTO;
	ssns__strcpy(bw->tenant, sizeof(bw->tenant), tb[SSNS_ATTR_TENANT_NAME]);
	bw->share = SSNS_BW_SHARE_DEFAULT;
	if (!tb[SSNS_ATTR_BW])
		return 0;
	nla_for_each_nested(a, tb[SSNS_ATTR_BW], rem) {
		void *el;

		switch (nla_type(a)) {
		case SSNS_ATTR_BW_SHARE:
			bw->share = nla_get_u32(a);
			break;
		case SSNS_ATTR_BW_MAX:
			bw->max = nla_get_u64(a);
			break;
		case SSNS_ATTR_BW_THROTTLED:
			bw->throttled = nla_get_u64(a);
			break;
		case SSNS_ATTR_BW_WAIT_US:
			bw->wait_us = nla_get_u64(a);
			break;
		case SSNS_ATTR_BW_DEV:
			el = ssns__grow((void **)&bw->devs, &bw->ndevs, &dcap,
					sizeof(*bw->devs));
			rc = el ? parse_bw_dev(a, el) : -ENOMEM;
			break;
		case SSNS_ATTR_BW_MEMBER:
			el = ssns__grow((void **)&bw->members, &bw->nmembers,
					&mcap, sizeof(*bw->members));
			rc = el ? parse_bw_member(a, el) : -ENOMEM;
			break;
		default:
			break;		/* newer kernel */
		}
		if (rc) {
			ssns__tenant_bw_clear(bw);
			return rc;
		}
	}
	return 0;
}

struct bw_collect {
	struct ssns_tenant_bw *arr;
	size_t count, cap;
};

static int bw_one(uint8_t cmd, struct nlattr **tb, void *arg)
{
	struct bw_collect *c = arg;
	struct ssns_tenant_bw *bw;

	(void)cmd;
	bw = ssns__grow((void **)&c->arr, &c->count, &c->cap, sizeof(*bw));
	if (!bw)
		return -ENOMEM;
	if (ssns__parse_tenant_bw(tb, bw)) {
		c->count--;
		return -EPROTO;
	}
	return 0;
}

static void bw_collect_free(struct bw_collect *c)
{
	size_t i;

	for (i = 0; i < c->count; i++)
		ssns__tenant_bw_clear(&c->arr[i]);
	free(c->arr);
}

SSNS_EXPORT int ssns_tenant_bw_get(struct ssns_handle *h, const char *tenant,
				   struct ssns_tenant_bw **out)
{
	struct ssns__req q = { .cmd = SSNS_CMD_TENANT_GET, .tenant = tenant };
	struct bw_collect c = { 0 };
	int rc;

	*out = NULL;
	if (!tenant)
		return ssns__fail(h, -EINVAL, "no tenant name");
	rc = ssns__transact(h, &q, bw_one, &c);
	if (!rc && !c.count)
		rc = ssns__fail(h, -ENOENT, "tenant %s not found",
				SSNS_QUOTE(tenant));
	if (rc) {
		bw_collect_free(&c);
		return rc;
	}
	while (c.count > 1)
		ssns__tenant_bw_clear(&c.arr[--c.count]);
	*out = c.arr;
	return 0;
}

SSNS_EXPORT void ssns_tenant_bw_free(struct ssns_tenant_bw *bw)
{
	if (!bw)
		return;
	ssns__tenant_bw_clear(bw);
	free(bw);
}

SSNS_EXPORT int ssns_tenant_bw_list(struct ssns_handle *h,
				    struct ssns_tenant_bw_list **out)
{
	struct ssns__req q = { .cmd = SSNS_CMD_TENANT_GET, .dump = true };
	struct bw_collect c = { 0 };
	struct ssns_tenant_bw_list *l;
	int rc;

	*out = NULL;
	l = calloc(1, sizeof(*l));
	if (!l)
		return ssns__fail(h, -ENOMEM, "out of memory");
	rc = ssns__transact(h, &q, bw_one, &c);
	if (rc) {
		bw_collect_free(&c);
		free(l);
		return rc;
	}
	l->bws = c.arr;
	l->count = c.count;
	*out = l;
	return 0;
}

SSNS_EXPORT void ssns_tenant_bw_list_free(struct ssns_tenant_bw_list *list)
{
	size_t i;

	if (!list)
		return;
	for (i = 0; i < list->count; i++)
		ssns__tenant_bw_clear(&list->bws[i]);
	free(list->bws);
	free(list);
}

/* --------------------------------------------------------------- changes */

int ssns__put_bw(struct nl_msg *m, const struct ssns__req *q)
{
	struct nlattr *nest;

	if (q->tenant && nla_put_string(m, SSNS_ATTR_TENANT_NAME, q->tenant))
		return -EMSGSIZE;
	nest = nla_nest_start(m, SSNS_ATTR_BW);
	if (!nest)
		return -EMSGSIZE;
	if ((q->dev && nla_put_string(m, SSNS_ATTR_DEV_NAME, q->dev)) ||
	    (q->has_netns_fd &&
	     nla_put_u32(m, SSNS_ATTR_NETNS_FD, q->netns_fd)) ||
	    (q->has_cgroup_fd &&
	     nla_put_u32(m, SSNS_ATTR_CGROUP_FD, q->cgroup_fd)) ||
	    (q->has_bw_share &&
	     nla_put_u32(m, SSNS_ATTR_BW_SHARE, q->bw_share)) ||
	    (q->has_bw_max && nla_put_u64(m, SSNS_ATTR_BW_MAX, q->bw_max)) ||
	    (q->bw_clear && nla_put_flag(m, SSNS_ATTR_BW_CLEAR)))
		return -EMSGSIZE;
	nla_nest_end(m, nest);
	return 0;
}

static int bw_set(struct ssns_handle *h, struct ssns__req *q,
		  const char *tenant)
{
	if (!tenant)
		return ssns__fail(h, -EINVAL, "no tenant name");
	q->cmd = SSNS_CMD_TENANT_SET;
	q->tenant = tenant;
	q->bw = true;
	return ssns__transact(h, q, NULL, NULL);
}

static int check_max(struct ssns_handle *h, uint64_t max)
{
	char buf[32];

	if (!max || (max >= SSNS_BW_RATE_MIN && max <= SSNS_BW_RATE_MAX))
		return 0;
	return ssns__fail(h, -EINVAL,
			  "rate %s (%" PRIu64 " bit/s) is out of range 1Kbit..1000Tbit",
			  ssns_rate_format(max, buf, sizeof(buf)), max);
}

SSNS_EXPORT int ssns_tenant_bw_share(struct ssns_handle *h,
				     const char *tenant, const char *dev,
				     uint32_t share)
{
	struct ssns__req q = { .dev = dev, .has_bw_share = true,
			       .bw_share = share };

	if (share < 1 || share > SSNS_BW_SHARE_MAX)
		return ssns__fail(h, -EINVAL,
				  "share %" PRIu32 " is out of range 1..%d",
				  share, SSNS_BW_SHARE_MAX);
	return bw_set(h, &q, tenant);
}

SSNS_EXPORT int ssns_tenant_bw_max(struct ssns_handle *h, const char *tenant,
				   const char *dev, uint64_t max)
{
	struct ssns__req q = { .dev = dev, .has_bw_max = true, .bw_max = max };
	int rc = check_max(h, max);

	return rc ? rc : bw_set(h, &q, tenant);
}

SSNS_EXPORT int ssns_tenant_bw_clear(struct ssns_handle *h,
				     const char *tenant, const char *dev)
{
	struct ssns__req q = { .dev = dev, .bw_clear = true };

	return bw_set(h, &q, tenant);
}

SSNS_EXPORT int ssns_tenant_bw_netns_fd(struct ssns_handle *h,
					const char *tenant, int netns_fd,
					uint64_t max)
{
	struct ssns__req q = { .has_netns_fd = true,
			       .netns_fd = (uint32_t)netns_fd,
			       .has_bw_max = true, .bw_max = max };
	int rc = check_max(h, max);

	if (rc)
		return rc;
	if (netns_fd < 0)
		return ssns__fail(h, -EBADF, "bad netns fd %d", netns_fd);
	return bw_set(h, &q, tenant);
}

SSNS_EXPORT int ssns_tenant_bw_cgroup_fd(struct ssns_handle *h,
					 const char *tenant, int cgroup_fd,
					 uint64_t max)
{
	struct ssns__req q = { .has_cgroup_fd = true,
			       .cgroup_fd = (uint32_t)cgroup_fd,
			       .has_bw_max = true, .bw_max = max };
	int rc = check_max(h, max);

	if (rc)
		return rc;
	if (cgroup_fd < 0)
		return ssns__fail(h, -EBADF, "bad cgroup fd %d", cgroup_fd);
	return bw_set(h, &q, tenant);
}

static int open_member(struct ssns_handle *h, const char *what,
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

SSNS_EXPORT int ssns_tenant_bw_netns_path(struct ssns_handle *h,
					  const char *tenant,
					  const char *netns_path,
					  uint64_t max)
{
	int fd = open_member(h, "netns", netns_path, 0), rc;

	if (fd < 0)
		return fd;
	rc = ssns_tenant_bw_netns_fd(h, tenant, fd, max);
	close(fd);
	return rc;
}

SSNS_EXPORT int ssns_tenant_bw_cgroup_path(struct ssns_handle *h,
					   const char *tenant,
					   const char *cgroup_path,
					   uint64_t max)
{
	int fd = open_member(h, "cgroup", cgroup_path, O_DIRECTORY), rc;

	if (fd < 0)
		return fd;
	rc = ssns_tenant_bw_cgroup_fd(h, tenant, fd, max);
	close(fd);
	return rc;
}
