// SPDX-License-Identifier: LGPL-2.1-or-later OR GPL-2.0
/* Parsing of ssns replies and notifications into library objects. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <netlink/genl/genl.h>

#include "internal.h"

struct nla_policy ssns__policy[SSNS_ATTR_MAX + 1] = {
	[SSNS_ATTR_SYS_NETNS_MODE] = { .type = NLA_U8 },
	[SSNS_ATTR_SYS_CGROUP_ACCT] = { .type = NLA_U8 },
	[SSNS_ATTR_SYS_VERSION] = { .type = NLA_STRING },
	[SSNS_ATTR_DEV_INDEX] = { .type = NLA_U32 },
	[SSNS_ATTR_DEV_NAME] = { .type = NLA_STRING },
	[SSNS_ATTR_DEV_PROVIDER] = { .type = NLA_STRING },
	[SSNS_ATTR_DEV_CHARDEV] = { .type = NLA_STRING },
	[SSNS_ATTR_NETNS_FD] = { .type = NLA_U32 },
	[SSNS_ATTR_NETNS_PID] = { .type = NLA_U32 },
	[SSNS_ATTR_NETNS_COOKIE] = { .type = NLA_U64 },
	[SSNS_ATTR_NETNS_ID] = { .type = NLA_U32 },
	[SSNS_ATTR_TENANT_NAME] = { .type = NLA_STRING },
	[SSNS_ATTR_VNI_RANGES] = { .type = NLA_NESTED },
	[SSNS_ATTR_VNI_RANGE] = { .type = NLA_NESTED },
	[SSNS_ATTR_VNI_FIRST] = { .type = NLA_U32 },
	[SSNS_ATTR_VNI_LAST] = { .type = NLA_U32 },
	[SSNS_ATTR_MEMBERS] = { .type = NLA_NESTED },
	[SSNS_ATTR_MEMBER] = { .type = NLA_NESTED },
	[SSNS_ATTR_CGROUP_PATH] = { .type = NLA_STRING },
	[SSNS_ATTR_CGROUP_FD] = { .type = NLA_U32 },
	[SSNS_ATTR_CGROUP_ID] = { .type = NLA_U64 },
	[SSNS_ATTR_OP] = { .type = NLA_U8 },
	[SSNS_ATTR_VNI] = { .type = NLA_U32 },
	[SSNS_ATTR_TC] = { .type = NLA_U8 },
	[SSNS_ATTR_EP_ADDR] = { .type = NLA_U32 },
	[SSNS_ATTR_OWNER_PID] = { .type = NLA_U32 },
	[SSNS_ATTR_OWNER_COMM] = { .type = NLA_STRING },
	[SSNS_ATTR_REASON] = { .type = NLA_U32 },
	[SSNS_ATTR_ERRNO] = { .type = NLA_U32 },
	[SSNS_ATTR_STATS] = { .type = NLA_NESTED },
	[SSNS_ATTR_DEV_PARENT] = { .type = NLA_STRING },
	[SSNS_ATTR_DEV_COUNTERS] = { .type = NLA_NESTED },
	[SSNS_ATTR_COUNTER] = { .type = NLA_NESTED },
	[SSNS_ATTR_COUNTER_NAME] = { .type = NLA_STRING },
	[SSNS_ATTR_COUNTER_VALUE] = { .type = NLA_U64 },
	[SSNS_ATTR_TENANT_PARENT] = { .type = NLA_STRING },
	[SSNS_ATTR_USERNS_INUM] = { .type = NLA_U32 },
	[SSNS_ATTR_DELEGATE] = { .type = NLA_NESTED },
	[SSNS_ATTR_BW] = { .type = NLA_NESTED },
	[SSNS_ATTR_BW_SHARE] = { .type = NLA_U32 },
	[SSNS_ATTR_BW_MAX] = { .type = NLA_U64 },
	[SSNS_ATTR_BW_CLEAR] = { .type = NLA_FLAG },
	[SSNS_ATTR_BW_DEV] = { .type = NLA_NESTED },
	[SSNS_ATTR_BW_MEMBER] = { .type = NLA_NESTED },
	[SSNS_ATTR_BW_THROTTLED] = { .type = NLA_U64 },
	[SSNS_ATTR_BW_WAIT_US] = { .type = NLA_U64 },
	[SSNS_ATTR_MEMBER_SERVICES] = { .type = NLA_NESTED },
	[SSNS_ATTR_DEV_SERVICES] = { .type = NLA_NESTED },
	[SSNS_ATTR_SERVICE_ID] = { .type = NLA_U32 },
};

/* Where a tenant stands: its parent and its delegation. */
int ssns__parse_tenant_ext(struct nlattr **tb, struct ssns_tenant_ext *ext)
{
	struct nlattr *dt[SSNS_ATTR_MAX + 1];
	uint32_t size = ext->size;

	memset(ext, 0, size);
	ext->size = size;
	ssns__strcpy(ext->parent, sizeof(ext->parent),
		     tb[SSNS_ATTR_TENANT_PARENT]);
	if (!tb[SSNS_ATTR_DELEGATE])
		return 0;
	if (nla_parse_nested(dt, SSNS_ATTR_MAX, tb[SSNS_ATTR_DELEGATE],
			     ssns__policy) || !dt[SSNS_ATTR_USERNS_INUM])
		return -EPROTO;
	ext->delegated = true;
	ext->delegate_userns = nla_get_u32(dt[SSNS_ATTR_USERNS_INUM]);
	if (dt[SSNS_ATTR_CGROUP_ID])
		ext->delegate_cgroup_id = nla_get_u64(dt[SSNS_ATTR_CGROUP_ID]);
	ssns__strcpy(ext->delegate_cgroup, sizeof(ext->delegate_cgroup),
		     dt[SSNS_ATTR_CGROUP_PATH]);
	return 0;
}

void *ssns__grow(void **arr, size_t *count, size_t *cap, size_t elsz)
{
	char *p;

	if (*count == *cap) {
		size_t ncap = *cap ? *cap * 2 : 8;

		p = realloc(*arr, ncap * elsz);
		if (!p)
			return NULL;
		*arr = p;
		*cap = ncap;
	}
	p = (char *)*arr + *count * elsz;
	memset(p, 0, elsz);
	(*count)++;
	return p;
}

void ssns__strcpy(char *dst, size_t len, const struct nlattr *a)
{
	size_t n;

	if (!len)
		return;
	dst[0] = '\0';
	if (!a)
		return;
	n = strnlen(nla_data(a), nla_len(a));
	if (n >= len)
		n = len - 1;
	memcpy(dst, nla_data(a), n);
	dst[n] = '\0';
}

int ssns__parse_attrs(struct nlmsghdr *nlh, struct nlattr **tb)
{
	int rc = genlmsg_parse(nlh, 0, tb, SSNS_ATTR_MAX, ssns__policy);

	return rc < 0 ? -EPROTO : 0;
}

void ssns__parse_system(struct nlattr **tb, struct ssns_system *sys)
{
	memset(sys, 0, sizeof(*sys));
	if (tb[SSNS_ATTR_SYS_NETNS_MODE])
		sys->netns_mode = nla_get_u8(tb[SSNS_ATTR_SYS_NETNS_MODE]);
	if (tb[SSNS_ATTR_SYS_CGROUP_ACCT])
		sys->cgroup_acct = nla_get_u8(tb[SSNS_ATTR_SYS_CGROUP_ACCT]);
	ssns__strcpy(sys->version, sizeof(sys->version),
		     tb[SSNS_ATTR_SYS_VERSION]);
}

int ssns__parse_stats(struct nlattr *nest, struct ssns_stats *st)
{
	struct nlattr *a;
	int rem;

	memset(st, 0, sizeof(*st));
	if (!nest)
		return 0;
	st->present = true;
	nla_for_each_nested(a, nest, rem) {
		int t = nla_type(a);

		if (t <= SSNS_STAT_PAD || t > SSNS_STAT_MAX)
			continue;	/* newer kernel: unknown counter */
		if (nla_len(a) != sizeof(uint64_t))
			return -EPROTO;
		st->v[t] = nla_get_u64(a);
	}
	return 0;
}

static void parse_netns(struct nlattr **tb, bool *has_cookie,
			uint64_t *cookie, bool *has_id, int32_t *id)
{
	if (tb[SSNS_ATTR_NETNS_COOKIE]) {
		*has_cookie = true;
		*cookie = nla_get_u64(tb[SSNS_ATTR_NETNS_COOKIE]);
	}
	if (tb[SSNS_ATTR_NETNS_ID]) {
		*has_id = true;
		*id = (int32_t)nla_get_u32(tb[SSNS_ATTR_NETNS_ID]);
	}
}

int ssns__parse_dev(struct nlattr **tb, struct ssns_dev *dev)
{
	memset(dev, 0, sizeof(*dev));
	if (!tb[SSNS_ATTR_DEV_NAME])
		return -EPROTO;
	if (tb[SSNS_ATTR_DEV_INDEX])
		dev->index = nla_get_u32(tb[SSNS_ATTR_DEV_INDEX]);
	ssns__strcpy(dev->name, sizeof(dev->name), tb[SSNS_ATTR_DEV_NAME]);
	ssns__strcpy(dev->provider, sizeof(dev->provider),
		     tb[SSNS_ATTR_DEV_PROVIDER]);
	ssns__strcpy(dev->chardev, sizeof(dev->chardev),
		     tb[SSNS_ATTR_DEV_CHARDEV]);
	parse_netns(tb, &dev->has_netns_cookie, &dev->netns_cookie,
		    &dev->has_netns_id, &dev->netns_id);
	if (tb[SSNS_ATTR_SYS_CGROUP_ACCT])
		dev->cgroup_acct = nla_get_u8(tb[SSNS_ATTR_SYS_CGROUP_ACCT]);
	return ssns__parse_stats(tb[SSNS_ATTR_STATS], &dev->stats);
}

/* The provider's counters of a device (DEV_COUNTERS), by name. */
int ssns__parse_counters(struct nlattr *nest, struct ssns_counter_list *l)
{
	struct nlattr *a, *ct[SSNS_ATTR_MAX + 1];
	size_t cap = 0;
	int rem;

	l->count = 0;
	l->c = NULL;
	if (!nest)
		return 0;
	nla_for_each_nested(a, nest, rem) {
		struct ssns_counter *c;

		if (nla_type(a) != SSNS_ATTR_COUNTER)
			continue;
		if (nla_parse_nested(ct, SSNS_ATTR_MAX, a, ssns__policy) ||
		    !ct[SSNS_ATTR_COUNTER_NAME] || !ct[SSNS_ATTR_COUNTER_VALUE])
			return -EPROTO;
		c = ssns__grow((void **)&l->c, &l->count, &cap, sizeof(*c));
		if (!c)
			return -ENOMEM;
		ssns__strcpy(c->name, sizeof(c->name),
			     ct[SSNS_ATTR_COUNTER_NAME]);
		c->value = nla_get_u64(ct[SSNS_ATTR_COUNTER_VALUE]);
	}
	return 0;
}

int ssns__parse_ranges(struct nlattr *nest, struct ssns_vni_range **ranges,
		       size_t *n)
{
	struct nlattr *a, *rt[SSNS_ATTR_MAX + 1];
	size_t cap = 0;
	int rem;

	*ranges = NULL;
	*n = 0;
	if (!nest)
		return 0;
	nla_for_each_nested(a, nest, rem) {
		struct ssns_vni_range *r;

		if (nla_type(a) != SSNS_ATTR_VNI_RANGE)
			continue;
		if (nla_parse_nested(rt, SSNS_ATTR_MAX, a, ssns__policy) ||
		    !rt[SSNS_ATTR_VNI_FIRST])
			goto proto;
		r = ssns__grow((void **)ranges, n, &cap, sizeof(*r));
		if (!r)
			goto nomem;
		r->first = nla_get_u32(rt[SSNS_ATTR_VNI_FIRST]);
		r->last = rt[SSNS_ATTR_VNI_LAST] ?
			  nla_get_u32(rt[SSNS_ATTR_VNI_LAST]) : r->first;
	}
	return 0;
proto:
	free(*ranges);
	*ranges = NULL;
	*n = 0;
	return -EPROTO;
nomem:
	free(*ranges);
	*ranges = NULL;
	*n = 0;
	return -ENOMEM;
}

static int parse_member(struct nlattr **mt, struct ssns_member *m)
{
	if (mt[SSNS_ATTR_NETNS_COOKIE]) {
		m->type = SSNS_MEMBER_NETNS;
		m->netns_cookie = nla_get_u64(mt[SSNS_ATTR_NETNS_COOKIE]);
		if (mt[SSNS_ATTR_NETNS_ID]) {
			m->has_netns_id = true;
			m->netns_id =
				(int32_t)nla_get_u32(mt[SSNS_ATTR_NETNS_ID]);
		}
		return 0;
	}
	if (mt[SSNS_ATTR_CGROUP_ID] || mt[SSNS_ATTR_CGROUP_PATH]) {
		m->type = SSNS_MEMBER_CGROUP;
		if (mt[SSNS_ATTR_CGROUP_ID])
			m->cgroup_id = nla_get_u64(mt[SSNS_ATTR_CGROUP_ID]);
		if (mt[SSNS_ATTR_CGROUP_PATH]) {
			m->cgroup_path =
				strdup(nla_get_string(mt[SSNS_ATTR_CGROUP_PATH]));
			if (!m->cgroup_path)
				return -ENOMEM;
		}
		return 0;
	}
	return 1;	/* unknown kind of member: skip it */
}

static void free_members(struct ssns_member *m, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(m[i].cgroup_path);
	free(m);
}

/* SSNS_ATTR_MEMBERS: a nest of SSNS_ATTR_MEMBER nests. */
static int parse_members(struct nlattr *nest, struct ssns_member **out,
			 size_t *n)
{
	struct nlattr *a, *mt[SSNS_ATTR_MAX + 1];
	struct ssns_member *arr = NULL, *m;
	size_t cnt = 0, cap = 0;
	int rem, rc = 0;

	*out = NULL;
	*n = 0;
	if (!nest)
		return 0;
	nla_for_each_nested(a, nest, rem) {
		if (nla_type(a) != SSNS_ATTR_MEMBER)
			continue;
		if (nla_parse_nested(mt, SSNS_ATTR_MAX, a, ssns__policy)) {
			rc = -EPROTO;
			break;
		}
		m = ssns__grow((void **)&arr, &cnt, &cap, sizeof(*m));
		if (!m) {
			rc = -ENOMEM;
			break;
		}
		rc = parse_member(mt, m);
		if (rc < 0)
			break;
		if (rc > 0)
			cnt--;	/* unknown kind of member: skip it */
		rc = 0;
	}
	if (rc) {
		free_members(arr, cnt);
		return rc;
	}
	*out = arr;
	*n = cnt;
	return 0;
}

void ssns__tenant_clear(struct ssns_tenant *t)
{
	if (!t)
		return;
	free_members(t->members, t->nmembers);
	free(t->ranges);
	memset(t, 0, sizeof(*t));
}

int ssns__parse_tenant(struct nlattr **tb, struct ssns_tenant *t)
{
	int rc;

	memset(t, 0, sizeof(*t));
	if (!tb[SSNS_ATTR_TENANT_NAME])
		return -EPROTO;
	ssns__strcpy(t->name, sizeof(t->name), tb[SSNS_ATTR_TENANT_NAME]);
	rc = ssns__parse_ranges(tb[SSNS_ATTR_VNI_RANGES], &t->ranges,
				&t->nranges);
	if (rc)
		goto err;
	rc = parse_members(tb[SSNS_ATTR_MEMBERS], &t->members, &t->nmembers);
	if (rc)
		goto err;
	rc = ssns__parse_stats(tb[SSNS_ATTR_STATS], &t->stats);
	if (rc)
		goto err;
	return 0;
err:
	ssns__tenant_clear(t);
	return rc;
}

int ssns__parse_profile(struct nlattr **tb, struct ssns_profile *p)
{
	memset(p, 0, sizeof(*p));
	if (!tb[SSNS_ATTR_VNI] || !tb[SSNS_ATTR_TC])
		return -EPROTO;
	if (tb[SSNS_ATTR_DEV_INDEX])
		p->dev_index = nla_get_u32(tb[SSNS_ATTR_DEV_INDEX]);
	ssns__strcpy(p->dev_name, sizeof(p->dev_name), tb[SSNS_ATTR_DEV_NAME]);
	p->vni = nla_get_u32(tb[SSNS_ATTR_VNI]);
	p->tc = nla_get_u8(tb[SSNS_ATTR_TC]);
	ssns__strcpy(p->tenant, sizeof(p->tenant), tb[SSNS_ATTR_TENANT_NAME]);
	return 0;
}

int ssns__parse_ep(struct nlattr **tb, struct ssns_ep *ep)
{
	memset(ep, 0, sizeof(*ep));
	if (!tb[SSNS_ATTR_VNI])
		return -EPROTO;
	if (tb[SSNS_ATTR_DEV_INDEX])
		ep->dev_index = nla_get_u32(tb[SSNS_ATTR_DEV_INDEX]);
	ssns__strcpy(ep->dev_name, sizeof(ep->dev_name),
		     tb[SSNS_ATTR_DEV_NAME]);
	ep->vni = nla_get_u32(tb[SSNS_ATTR_VNI]);
	if (tb[SSNS_ATTR_TC])
		ep->tc = nla_get_u8(tb[SSNS_ATTR_TC]);
	if (tb[SSNS_ATTR_EP_ADDR])
		ep->addr = nla_get_u32(tb[SSNS_ATTR_EP_ADDR]);
	if (tb[SSNS_ATTR_OWNER_PID])
		ep->owner_pid = nla_get_u32(tb[SSNS_ATTR_OWNER_PID]);
	ssns__strcpy(ep->owner_comm, sizeof(ep->owner_comm),
		     tb[SSNS_ATTR_OWNER_COMM]);
	if (tb[SSNS_ATTR_NETNS_COOKIE]) {
		ep->has_netns_cookie = true;
		ep->netns_cookie = nla_get_u64(tb[SSNS_ATTR_NETNS_COOKIE]);
	}
	ssns__strcpy(ep->tenant, sizeof(ep->tenant), tb[SSNS_ATTR_TENANT_NAME]);
	return 0;
}

void ssns__event_clear(struct ssns_event *ev)
{
	free(ev->ranges);
	free_members(ev->members, ev->nmembers);
	memset(ev, 0, sizeof(*ev));
}

int ssns__parse_event(uint8_t cmd, struct nlattr **tb, struct ssns_event *ev)
{
	struct nlattr *mt[SSNS_ATTR_MAX + 1];
	unsigned int i;
	int rc;

	memset(ev, 0, sizeof(*ev));
	ev->cmd = cmd;

	/* a member change may carry its member in a nest: lift it up */
	if (tb[SSNS_ATTR_MEMBER] &&
	    !nla_parse_nested(mt, SSNS_ATTR_MAX, tb[SSNS_ATTR_MEMBER],
			      ssns__policy)) {
		for (i = 0; i <= SSNS_ATTR_MAX; i++)
			if (mt[i] && !tb[i])
				tb[i] = mt[i];
	}

	for (i = 0; i <= SSNS_ATTR_MAX && i < 64; i++)
		if (tb[i])
			ev->attrs |= UINT64_C(1) << i;

	if (tb[SSNS_ATTR_SYS_NETNS_MODE])
		ev->netns_mode = nla_get_u8(tb[SSNS_ATTR_SYS_NETNS_MODE]);
	if (tb[SSNS_ATTR_DEV_INDEX])
		ev->dev_index = nla_get_u32(tb[SSNS_ATTR_DEV_INDEX]);
	ssns__strcpy(ev->dev_name, sizeof(ev->dev_name),
		     tb[SSNS_ATTR_DEV_NAME]);
	if (tb[SSNS_ATTR_NETNS_COOKIE])
		ev->netns_cookie = nla_get_u64(tb[SSNS_ATTR_NETNS_COOKIE]);
	if (tb[SSNS_ATTR_NETNS_ID])
		ev->netns_id = (int32_t)nla_get_u32(tb[SSNS_ATTR_NETNS_ID]);
	ssns__strcpy(ev->tenant, sizeof(ev->tenant),
		     tb[SSNS_ATTR_TENANT_NAME]);
	if (tb[SSNS_ATTR_VNI])
		ev->vni = nla_get_u32(tb[SSNS_ATTR_VNI]);
	if (tb[SSNS_ATTR_TC])
		ev->tc = nla_get_u8(tb[SSNS_ATTR_TC]);
	if (tb[SSNS_ATTR_OP])
		ev->op = nla_get_u8(tb[SSNS_ATTR_OP]);
	if (tb[SSNS_ATTR_EP_ADDR])
		ev->addr = nla_get_u32(tb[SSNS_ATTR_EP_ADDR]);
	if (tb[SSNS_ATTR_OWNER_PID])
		ev->owner_pid = nla_get_u32(tb[SSNS_ATTR_OWNER_PID]);
	ssns__strcpy(ev->owner_comm, sizeof(ev->owner_comm),
		     tb[SSNS_ATTR_OWNER_COMM]);
	if (tb[SSNS_ATTR_REASON])
		ev->reason = nla_get_u32(tb[SSNS_ATTR_REASON]);
	if (tb[SSNS_ATTR_ERRNO])
		ev->err = nla_get_u32(tb[SSNS_ATTR_ERRNO]);
	if (tb[SSNS_ATTR_CGROUP_ID])
		ev->cgroup_id = nla_get_u64(tb[SSNS_ATTR_CGROUP_ID]);
	rc = ssns__parse_ranges(tb[SSNS_ATTR_VNI_RANGES], &ev->ranges,
				&ev->nranges);
	if (!rc)
		rc = parse_members(tb[SSNS_ATTR_MEMBERS], &ev->members,
				   &ev->nmembers);
	if (rc)
		ssns__event_clear(ev);
	return rc;
}
