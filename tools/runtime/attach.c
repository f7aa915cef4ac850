// SPDX-License-Identifier: GPL-2.0
/*
 * libssnsrt: attach a pod to its tenant and detach it. A pod is bound by
 * its network namespace (unless it is the host's: init_net is never a
 * member) and its cgroup v2 directory (unless it is the root), and
 * unbound by the cookie and the id, which keep working after the
 * namespace and the directory are gone.
 */
#include <errno.h>
#include <string.h>

#include "runtime.h"

int rt_attach(struct ssns_handle *h, const char *tenant, struct rt_pod *p,
	      const char *noun, struct rt_err *e)
{
	struct ssns_tenant *t;
	size_t i;
	int rc;

	p->netns_new = false;
	p->cgroup_new = false;
	rc = ssns_tenant_get(h, tenant, &t);
	if (rc == -ENOENT)
		return rt_fail(e, RT_ENOTENANT, rc, "no such tenant",
			       "tenant %s does not exist", tenant);
	if (rc)
		return rt_kernel_fail(e, h, rc, "cannot read tenant %s",
				      tenant);
	/* members already (a repeated ADD or hook) stay members on failure */
	p->netns_new = p->netns_fd >= 0;
	p->cgroup_new = p->cgroup_path != NULL;
	for (i = 0; i < t->nmembers; i++) {
		if (t->members[i].type == SSNS_MEMBER_NETNS &&
		    t->members[i].netns_cookie == p->netns_cookie)
			p->netns_new = false;
		if (t->members[i].type == SSNS_MEMBER_CGROUP &&
		    t->members[i].cgroup_id == p->cgroup_id)
			p->cgroup_new = false;
	}
	ssns_tenant_free(t);

	if (p->netns_fd >= 0) {
		rc = ssns_tenant_netns_fd(h, tenant, p->netns_fd, SSNS_OP_ADD);
		if (rc) {
			rt_kernel_fail(e, h, rc,
				       "cannot bind the %s's netns (tenant %s)",
				       noun, tenant);
			p->netns_new = false;
			p->cgroup_new = false;
			return -1;
		}
	}
	if (p->cgroup_path) {
		rc = ssns_tenant_cgroup_path(h, tenant, p->cgroup_path,
					     SSNS_OP_ADD);
		if (rc) {
			rt_kernel_fail(e, h, rc,
				       "cannot bind the %s's cgroup (tenant %s)",
				       noun, tenant);
			p->cgroup_new = false;
			rt_attach_undo(h, tenant, p);
			p->netns_new = false;
			return -1;
		}
	}
	return 0;
}

void rt_attach_undo(struct ssns_handle *h, const char *tenant,
		    const struct rt_pod *p)
{
	if (p->cgroup_new)
		ssns_tenant_cgroup_id(h, tenant, p->cgroup_id, SSNS_OP_DEL);
	if (p->netns_new)
		ssns_tenant_netns_cookie(h, tenant, p->netns_cookie,
					 SSNS_OP_DEL);
}

bool rt_unbind_done(int rc)
{
	return !rc || rc == -ENOENT;
}

int rt_detach(struct ssns_handle *h, const char *tenant, uint64_t netns_cookie,
	      uint64_t cgroup_id, const char *noun, struct rt_err *e)
{
	int rc, ret = 0;

	if (!h)
		return 0;	/* no module: nothing is bound any more */
	if (netns_cookie) {
		rc = ssns_tenant_netns_cookie(h, tenant, netns_cookie,
					      SSNS_OP_DEL);
		if (!rt_unbind_done(rc))
			ret = rt_kernel_fail(e, h, rc,
					     "cannot unbind the %s's netns (tenant %s)",
					     noun, tenant);
	}
	if (cgroup_id) {
		rc = ssns_tenant_cgroup_id(h, tenant, cgroup_id, SSNS_OP_DEL);
		if (!rt_unbind_done(rc) && !ret)
			ret = rt_kernel_fail(e, h, rc,
					     "cannot unbind the %s's cgroup (tenant %s)",
					     noun, tenant);
	}
	return ret;
}
