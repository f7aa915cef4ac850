// SPDX-License-Identifier: LGPL-2.1-or-later OR GPL-2.0
/* Building of ssns generic netlink requests. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <netlink/genl/genl.h>

#include "internal.h"
#include "quote.h"

int ssns__check_name(const char *what, const char *name, char *err,
		     size_t errlen)
{
	size_t n;

	if (!name || !*name) {
		snprintf(err, errlen, "empty %s name", what);
		return -EINVAL;
	}
	n = strlen(name);
	if (n >= SSNS_NAME_MAX) {
		snprintf(err, errlen, "%s name %s too long (max %d)",
			 what, SSNS_QUOTE(name), SSNS_NAME_MAX - 1);
		return -EINVAL;
	}
	return 0;
}

static int check_ranges(const struct ssns_vni_range *r, size_t n, char *err,
			size_t errlen)
{
	size_t i;

	if (n && !r) {
		snprintf(err, errlen, "no VNI ranges");
		return -EINVAL;
	}
	for (i = 0; i < n; i++) {
		if (r[i].first < SSNS_VNI_MIN || r[i].first > SSNS_VNI_MAX ||
		    r[i].last < SSNS_VNI_MIN || r[i].last > SSNS_VNI_MAX) {
			snprintf(err, errlen,
				 "VNI range %u-%u out of range %d-%d",
				 r[i].first, r[i].last, SSNS_VNI_MIN,
				 SSNS_VNI_MAX);
			return -EINVAL;
		}
		if (r[i].first > r[i].last) {
			snprintf(err, errlen, "VNI range %u-%u is reversed",
				 r[i].first, r[i].last);
			return -EINVAL;
		}
	}
	return 0;
}

static int put_ranges(struct nl_msg *m, const struct ssns_vni_range *r,
		      size_t n)
{
	struct nlattr *outer, *inner;
	size_t i;

	outer = nla_nest_start(m, SSNS_ATTR_VNI_RANGES);
	if (!outer)
		return -EMSGSIZE;
	for (i = 0; i < n; i++) {
		inner = nla_nest_start(m, SSNS_ATTR_VNI_RANGE);
		if (!inner ||
		    nla_put_u32(m, SSNS_ATTR_VNI_FIRST, r[i].first) ||
		    nla_put_u32(m, SSNS_ATTR_VNI_LAST, r[i].last))
			return -EMSGSIZE;
		nla_nest_end(m, inner);
	}
	nla_nest_end(m, outer);
	return 0;
}

static int put_attrs(struct nl_msg *m, const struct ssns__req *q)
{
	if (q->bw)
		return ssns__put_bw(m, q);
	if (q->has_mode && nla_put_u8(m, SSNS_ATTR_SYS_NETNS_MODE, q->mode))
		return -EMSGSIZE;
	if (q->dev && nla_put_string(m, SSNS_ATTR_DEV_NAME, q->dev))
		return -EMSGSIZE;
	if (q->tenant && nla_put_string(m, SSNS_ATTR_TENANT_NAME, q->tenant))
		return -EMSGSIZE;
	if (q->has_netns_fd &&
	    nla_put_u32(m, SSNS_ATTR_NETNS_FD, q->netns_fd))
		return -EMSGSIZE;
	if (q->has_netns_pid &&
	    nla_put_u32(m, SSNS_ATTR_NETNS_PID, q->netns_pid))
		return -EMSGSIZE;
	if (q->has_netns_cookie &&
	    nla_put_u64(m, SSNS_ATTR_NETNS_COOKIE, q->netns_cookie))
		return -EMSGSIZE;
	if (q->has_cgroup_id &&
	    nla_put_u64(m, SSNS_ATTR_CGROUP_ID, q->cgroup_id))
		return -EMSGSIZE;
	if (q->has_cgroup_fd &&
	    nla_put_u32(m, SSNS_ATTR_CGROUP_FD, q->cgroup_fd))
		return -EMSGSIZE;
	if (q->cgroup_path &&
	    nla_put_string(m, SSNS_ATTR_CGROUP_PATH, q->cgroup_path))
		return -EMSGSIZE;
	if ((q->nranges || q->ranges_attr) &&
	    put_ranges(m, q->ranges, q->nranges))
		return -EMSGSIZE;
	if (q->has_op && nla_put_u8(m, SSNS_ATTR_OP, q->op))
		return -EMSGSIZE;
	if (q->has_vni && nla_put_u32(m, SSNS_ATTR_VNI, q->vni))
		return -EMSGSIZE;
	if (q->has_tc && nla_put_u8(m, SSNS_ATTR_TC, q->tc))
		return -EMSGSIZE;
	if (q->parent && nla_put_string(m, SSNS_ATTR_TENANT_PARENT, q->parent))
		return -EMSGSIZE;
	if (q->has_userns_fd &&
	    nla_put_u32(m, SSNS_ATTR_USERNS_FD, q->userns_fd))
		return -EMSGSIZE;
	if (q->has_userns_pid &&
	    nla_put_u32(m, SSNS_ATTR_USERNS_PID, q->userns_pid))
		return -EMSGSIZE;
	if (q->delegate_none && nla_put_flag(m, SSNS_ATTR_DELEGATE_NONE))
		return -EMSGSIZE;
	if (q->delegate_cgroup &&
	    nla_put_string(m, SSNS_ATTR_DELEGATE_CGROUP, q->delegate_cgroup))
		return -EMSGSIZE;
	return 0;
}

int ssns__build(int family, const struct ssns__req *q, struct nl_msg **out,
		char *err, size_t errlen)
{
	struct nl_msg *m;
	int rc;

	*out = NULL;
	if (q->cmd == SSNS_CMD_UNSPEC || q->cmd > SSNS_CMD_MAX) {
		snprintf(err, errlen, "bad command %u", q->cmd);
		return -EINVAL;
	}
	if (q->dev && (rc = ssns__check_name("device", q->dev, err, errlen)))
		return rc;
	if (q->tenant &&
	    (rc = ssns__check_name("tenant", q->tenant, err, errlen)))
		return rc;
	if (q->parent &&
	    (rc = ssns__check_name("tenant", q->parent, err, errlen)))
		return rc;
	if (q->delegate_cgroup &&
	    strlen(q->delegate_cgroup) >= SSNS_CGROUP_PATH_MAX) {
		snprintf(err, errlen, "cgroup path too long");
		return -EINVAL;
	}
	if ((rc = check_ranges(q->ranges, q->nranges, err, errlen)))
		return rc;
	if (q->has_vni && (q->vni < SSNS_VNI_MIN || q->vni > SSNS_VNI_MAX)) {
		snprintf(err, errlen, "VNI %u out of range %d-%d", q->vni,
			 SSNS_VNI_MIN, SSNS_VNI_MAX);
		return -EINVAL;
	}
	if (q->has_tc && q->tc > SSNS_TC_MAX) {
		snprintf(err, errlen, "bad traffic class %u", q->tc);
		return -EINVAL;
	}
	if (q->cgroup_path && strlen(q->cgroup_path) >= SSNS_CGROUP_PATH_MAX) {
		snprintf(err, errlen, "cgroup path too long");
		return -EINVAL;
	}

	m = nlmsg_alloc();
	if (!m) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	if (!genlmsg_put(m, NL_AUTO_PORT, NL_AUTO_SEQ, family, 0,
			 q->dump ? NLM_F_DUMP : NLM_F_ACK, q->cmd,
			 SSNS_GENL_VERSION)) {
		nlmsg_free(m);
		snprintf(err, errlen, "message too large");
		return -EMSGSIZE;
	}
	rc = put_attrs(m, q);
	if (rc) {
		nlmsg_free(m);
		snprintf(err, errlen, "message too large");
		return rc;
	}
	*out = m;
	return 0;
}
