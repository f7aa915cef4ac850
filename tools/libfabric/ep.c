// SPDX-License-Identifier: LGPL-2.1-or-later OR GPL-2.0
/*
 * Endpoints: each one an open /dev/cxiN (a context, so one hca_handle in
 * the rdma cgroup) holding one endpoint of the simulated NIC (one
 * hca_object), allocated in fi_endpoint() on the domain's VNI with the
 * first traffic class the kernel admits. A refusal is the kernel's:
 * EACCES (another tenant's VNI), ENOENT (no profile), EAGAIN (rdma cgroup
 * limit), ENODEV (device not visible)... It fails fi_endpoint() with the
 * matching libfabric error and is explained in the log (and on stderr,
 * FI_SSNS_REPORT_REFUSAL) with the tenant, the VNI and the reason.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/ssns.h>
#include <linux/ssns_sim.h>

#include "ssnsfi.h"

static void report_refusal(const struct sfi_domain *dom, const char *what,
			   int err, int tc)
{
	struct sfi_sel s = dom->sel;
	const char *reason = sfi_refusal_reason(err);
	char tenant[64], msg[512];

	sfi_caller_tenant(&s);
	if (!s.tenant_known)
		snprintf(tenant, sizeof(tenant), "unknown");
	else if (s.tenant[0])
		snprintf(tenant, sizeof(tenant), "%s", s.tenant);
	else
		snprintf(tenant, sizeof(tenant), "none (host)");
	if (err == EACCES && s.tenant_known && !s.tenant[0])
		reason = "a process without a tenant may use only tenant-less profiles, from the host network namespace";
	if (tc >= 0 || tc == -2)
		snprintf(msg, sizeof(msg),
			 "%s: %s on VNI %u, traffic class %s refused: %s (%s); tenant of this process: %s; VNI from %s",
			 s.dev, what, s.vni,
			 tc >= 0 ? sfi_tc_name(tc) : "(every one allowed)",
			 sfi_errno_name(err), reason, tenant, s.why);
	else
		snprintf(msg, sizeof(msg),
			 "%s: %s refused: %s (%s); tenant of this process: %s",
			 s.dev, what, sfi_errno_name(err), reason, tenant);
	SFI_WARN(FI_LOG_EP_CTRL, "%s\n", msg);
	if (sfi_param_report)
		fprintf(stderr, "libfabric:ssns: %s\n", msg);
}

/* Open the device and allocate the endpoint; a negative FI error. */
static int ep_alloc(struct sfi_ep *ep, uint32_t want_addr)
{
	const struct sfi_sel *sel = &ep->dom->sel;
	struct ssns_sim_info info = { .size = sizeof(info) };
	int err = ENOENT, i, tc = -1;

	ep->fd = open(sel->path, O_RDWR | O_CLOEXEC);
	if (ep->fd < 0) {
		err = errno;
		report_refusal(ep->dom, "opening the device", err, -1);
		return -sfi_fi_errno(err);
	}
	if (ioctl(ep->fd, SSNS_SIM_IOC_INFO, &info)) {
		err = errno;
		SFI_WARN(FI_LOG_EP_CTRL, "%s: device info: %s\n", sel->dev,
			 strerror(err));
		goto fail;
	}
	if (info.dev_index != sel->dev_index) {
		SFI_WARN(FI_LOG_EP_CTRL,
			 "%s: fabric index %u, expected %u: device replaced\n",
			 sel->dev, info.dev_index, sel->dev_index);
		err = ENODEV;
		goto fail;
	}
	ep->rxq_depth = info.rxq_depth;
	for (i = 0; i < sel->ntcs; i++) {
		struct ssns_sim_ep_alloc a = {
			.size = sizeof(a), .vni = sel->vni, .tc = sel->tcs[i],
			.addr = want_addr,
		};

		tc = sel->tcs[i];
		if (!ioctl(ep->fd, SSNS_SIM_IOC_EP_ALLOC, &a)) {
			ep->handle = a.handle;
			ep->self.dev = info.dev_index;
			ep->self.ep = a.addr;
			ep->vni = sel->vni;
			ep->tc = sel->tcs[i];
			return 0;
		}
		err = errno;
		/* No profile for this class: try the next one. */
		if (err != ENOENT)
			break;
		if (i + 1 == sel->ntcs && sel->ntcs > 1)
			tc = -2;	/* none of them */
	}
	if (sel->ntcs)
		report_refusal(ep->dom, "endpoint", err, tc);
fail:
	close(ep->fd);
	ep->fd = -1;
	return -sfi_fi_errno(err);
}

/* ------------------------------------------------------------- fid ops */

static int sfi_ep_close(struct fid *fid)
{
	struct sfi_ep *ep = sfi_container_of(fid, struct sfi_ep, ep.fid);
	struct sfi_domain *dom = ep->dom;
	struct sfi_eq *eq;

	pthread_mutex_lock(&dom->lock);
	if (ep->win_sets)
		SFI_INFO(FI_LOG_EP_CTRL,
			 "%s: endpoint %u:%u closed: %llu receive windows set, %llu of them kept by the kernel\n",
			 dom->sel.dev, ep->self.dev, ep->self.ep,
			 (unsigned long long)ep->win_sets,
			 (unsigned long long)ep->win_reused);
	sfi_ep_free_state(ep);
	if (ep->tx_cq)
		sfi_cq_detach(ep->tx_cq, ep);
	if (ep->rx_cq && ep->rx_cq != ep->tx_cq)
		sfi_cq_detach(ep->rx_cq, ep);
	if (ep->av)
		ep->av->refs--;
	eq = ep->eq;
	dom->refs--;
	pthread_mutex_unlock(&dom->lock);
	if (eq)
		sfi_eq_detach(eq, ep);
	close(ep->fd);
	free(ep->rxbuf);
	free(ep->txbuf);
	free(ep);
	return 0;
}

static int ep_bind_cq(struct sfi_ep *ep, struct sfi_cq *cq, uint64_t flags)
{
	int ret;

	if (flags & ~(uint64_t)(FI_TRANSMIT | FI_RECV |
				FI_SELECTIVE_COMPLETION))
		return -FI_EBADFLAGS;
	if (!(flags & (FI_TRANSMIT | FI_RECV)))
		return -FI_EINVAL;
	if (((flags & FI_TRANSMIT) && ep->tx_cq) ||
	    ((flags & FI_RECV) && ep->rx_cq))
		return -FI_EINVAL;
	ret = sfi_cq_attach(cq, ep);
	if (ret)
		return ret;
	if (flags & FI_TRANSMIT) {
		ep->tx_cq = cq;
		ep->tx_selective = flags & FI_SELECTIVE_COMPLETION;
	}
	if (flags & FI_RECV) {
		ep->rx_cq = cq;
		ep->rx_selective = flags & FI_SELECTIVE_COMPLETION;
	}
	return 0;
}

static int sfi_ep_bind(struct fid *fid, struct fid *bfid, uint64_t flags)
{
	struct sfi_ep *ep = sfi_container_of(fid, struct sfi_ep, ep.fid);
	struct sfi_domain *dom = ep->dom;
	int ret = 0;

	if (!bfid)
		return -FI_EINVAL;
	switch (bfid->fclass) {
	case FI_CLASS_CQ: {
		struct sfi_cq *cq = sfi_container_of(bfid, struct sfi_cq,
						     cq.fid);

		if (cq->dom != dom)
			return -FI_EDOMAIN;
		pthread_mutex_lock(&dom->lock);
		ret = ep_bind_cq(ep, cq, flags);
		pthread_mutex_unlock(&dom->lock);
		return ret;
	}
	case FI_CLASS_AV: {
		struct sfi_av *av = sfi_container_of(bfid, struct sfi_av,
						     av.fid);

		if (av->dom != dom)
			return -FI_EDOMAIN;
		pthread_mutex_lock(&dom->lock);
		if (ep->av) {
			ret = -FI_EINVAL;
		} else {
			ep->av = av;
			av->refs++;
		}
		pthread_mutex_unlock(&dom->lock);
		return ret;
	}
	case FI_CLASS_EQ: {
		struct sfi_eq *eq = sfi_container_of(bfid, struct sfi_eq,
						     eq.fid);

		if (ep->eq)
			return -FI_EINVAL;
		ret = sfi_eq_attach(eq, ep);
		if (!ret)
			ep->eq = eq;
		return ret;
	}
	case FI_CLASS_CNTR:
		return -FI_ENOSYS;
	default:
		return -FI_EINVAL;
	}
}

static int sfi_ep_enable(struct sfi_ep *ep)
{
	int ret = 0;

	pthread_mutex_lock(&ep->dom->lock);
	if (!ep->av)
		ret = -FI_ENOAV;
	else if ((ep->caps & FI_RECV) && !ep->rx_cq)
		ret = -FI_ENOCQ;
	else if ((ep->caps & FI_SEND) && !ep->tx_cq)
		ret = -FI_ENOCQ;
	else if (ep->dead)
		ret = -FI_ENODEV;
	else
		ep->enabled = true;
	pthread_mutex_unlock(&ep->dom->lock);
	return ret;
}

static int sfi_ep_control(struct fid *fid, int command, void *arg)
{
	struct sfi_ep *ep = sfi_container_of(fid, struct sfi_ep, ep.fid);
	uint64_t *flags = arg;

	switch (command) {
	case FI_ENABLE:
		return sfi_ep_enable(ep);
	case FI_GETOPSFLAG:
		if (!flags)
			return -FI_EINVAL;
		if ((*flags & FI_TRANSMIT) && (*flags & FI_RECV))
			return -FI_EINVAL;
		if (*flags & FI_TRANSMIT)
			*flags = ep->tx_op_flags;
		else if (*flags & FI_RECV)
			*flags = ep->rx_op_flags;
		else
			return -FI_EINVAL;
		return 0;
	case FI_SETOPSFLAG:
		if (!flags)
			return -FI_EINVAL;
		if (*flags & FI_TRANSMIT)
			ep->tx_op_flags = *flags & ~(uint64_t)FI_TRANSMIT;
		else if (*flags & FI_RECV)
			ep->rx_op_flags = *flags & ~(uint64_t)FI_RECV;
		else
			return -FI_EINVAL;
		return 0;
	default:
		return -FI_ENOSYS;
	}
}

static struct fi_ops sfi_ep_fi_ops = {
	.size = sizeof(struct fi_ops),
	.close = sfi_ep_close,
	.bind = sfi_ep_bind,
	.control = sfi_ep_control,
	.ops_open = sfi_no_ops_open,
	.tostr = sfi_no_tostr,
	.ops_set = sfi_no_ops_set,
};

/* ---------------------------------------------------------- endpoint ops */

static int sfi_ep_getopt(fid_t fid, int level, int optname, void *optval,
			 size_t *optlen)
{
	(void)fid; (void)level; (void)optname; (void)optval; (void)optlen;
	return -FI_ENOPROTOOPT;
}

static int sfi_ep_setopt(fid_t fid, int level, int optname,
			 const void *optval, size_t optlen)
{
	(void)fid; (void)level; (void)optname; (void)optval; (void)optlen;
	return -FI_ENOPROTOOPT;
}

static int sfi_no_ctx(struct fid_ep *sep, int index, void *attr,
		      struct fid_ep **ep, void *context)
{
	(void)sep; (void)index; (void)attr; (void)ep; (void)context;
	return -FI_ENOSYS;
}

static int sfi_no_tx_ctx(struct fid_ep *sep, int index,
			 struct fi_tx_attr *attr, struct fid_ep **ep,
			 void *context)
{
	return sfi_no_ctx(sep, index, attr, ep, context);
}

static int sfi_no_rx_ctx(struct fid_ep *sep, int index,
			 struct fi_rx_attr *attr, struct fid_ep **ep,
			 void *context)
{
	return sfi_no_ctx(sep, index, attr, ep, context);
}

static ssize_t sfi_no_size_left(struct fid_ep *ep)
{
	(void)ep;
	return -FI_ENOSYS;
}

static struct fi_ops_ep sfi_ep_ops = {
	.size = sizeof(struct fi_ops_ep),
	.cancel = sfi_ep_cancel,
	.getopt = sfi_ep_getopt,
	.setopt = sfi_ep_setopt,
	.tx_ctx = sfi_no_tx_ctx,
	.rx_ctx = sfi_no_rx_ctx,
	.rx_size_left = sfi_no_size_left,
	.tx_size_left = sfi_no_size_left,
};

/* ---------------------------------------------------------------- CM ops */

static int sfi_getname(fid_t fid, void *addr, size_t *addrlen)
{
	struct sfi_ep *ep = sfi_container_of(fid, struct sfi_ep, ep.fid);
	size_t have;

	if (!addrlen)
		return -FI_EINVAL;
	have = *addrlen;
	*addrlen = sizeof(ep->self);
	if (!addr || have < sizeof(ep->self))
		return -FI_ETOOSMALL;
	memcpy(addr, &ep->self, sizeof(ep->self));
	return 0;
}

static int sfi_no_setname(fid_t fid, void *addr, size_t addrlen)
{
	(void)fid; (void)addr; (void)addrlen;
	return -FI_ENOSYS;
}

static int sfi_no_getpeer(struct fid_ep *ep, void *addr, size_t *addrlen)
{
	(void)ep; (void)addr; (void)addrlen;
	return -FI_ENOSYS;
}

static int sfi_no_connect(struct fid_ep *ep, const void *addr,
			  const void *param, size_t paramlen)
{
	(void)ep; (void)addr; (void)param; (void)paramlen;
	return -FI_ENOSYS;
}

static int sfi_no_listen(struct fid_pep *pep)
{
	(void)pep;
	return -FI_ENOSYS;
}

static int sfi_no_accept(struct fid_ep *ep, const void *param,
			 size_t paramlen)
{
	(void)ep; (void)param; (void)paramlen;
	return -FI_ENOSYS;
}

static int sfi_no_reject(struct fid_pep *pep, fid_t handle,
			 const void *param, size_t paramlen)
{
	(void)pep; (void)handle; (void)param; (void)paramlen;
	return -FI_ENOSYS;
}

static int sfi_no_shutdown(struct fid_ep *ep, uint64_t flags)
{
	(void)ep; (void)flags;
	return -FI_ENOSYS;
}

static int sfi_no_join(struct fid_ep *ep, const void *addr, uint64_t flags,
		       struct fid_mc **mc, void *context)
{
	(void)ep; (void)addr; (void)flags; (void)mc; (void)context;
	return -FI_ENOSYS;
}

static struct fi_ops_cm sfi_cm_ops = {
	.size = sizeof(struct fi_ops_cm),
	.setname = sfi_no_setname,
	.getname = sfi_getname,
	.getpeer = sfi_no_getpeer,
	.connect = sfi_no_connect,
	.listen = sfi_no_listen,
	.accept = sfi_no_accept,
	.reject = sfi_no_reject,
	.shutdown = sfi_no_shutdown,
	.join = sfi_no_join,
};

/* ---------------------------------------------------------------- create */

int sfi_endpoint(struct fid_domain *domain, struct fi_info *info,
		 struct fid_ep **epp, void *context)
{
	struct sfi_domain *dom = sfi_container_of(domain, struct sfi_domain,
						  domain);
	uint32_t want = SSNS_PID_ANY;
	struct sfi_ep *ep;
	int ret, l;

	if (!info || !epp)
		return -FI_EINVAL;
	if (info->ep_attr && info->ep_attr->type != FI_EP_UNSPEC &&
	    info->ep_attr->type != FI_EP_RDM)
		return -FI_EINVAL;
	if (info->caps & ~SFI_CAPS)
		return -FI_EOPNOTSUPP;
	if (info->src_addr) {
		const struct sfi_addr *a = info->src_addr;

		if (info->src_addrlen != sizeof(*a) ||
		    a->dev != dom->sel.dev_index)
			return -FI_EINVAL;
		want = a->ep;
	}
	ep = calloc(1, sizeof(*ep));
	if (!ep)
		return -FI_ENOMEM;
	ep->dom = dom;
	ep->caps = info->caps ? info->caps : SFI_CAPS;
	if (!(ep->caps & (FI_SEND | FI_RECV)))
		ep->caps |= FI_SEND | FI_RECV;
	ep->tx_op_flags = info->tx_attr ? info->tx_attr->op_flags : 0;
	ep->rx_op_flags = info->rx_attr ? info->rx_attr->op_flags : 0;
	for (l = 0; l < 2; l++) {
		sfi_list_init(&ep->posted[l]);
		sfi_list_init(&ep->unexp[l]);
	}
	sfi_list_init(&ep->claimed);
	sfi_list_init(&ep->sources);
	sfi_list_init(&ep->sinks);
	sfi_list_init(&ep->win_wait);
	sfi_list_init(&ep->ctrlq);
	sfi_list_init(&ep->rma_wait);
	ep->win_stale_at = UINT64_MAX;
	ep->rxbuf_len = sizeof(struct sfi_hdr) + dom->eager_max;
	ep->txbuf_len = ep->rxbuf_len;
	ep->rxbuf = malloc(ep->rxbuf_len);
	ep->txbuf = malloc(ep->txbuf_len);
	if (!ep->rxbuf || !ep->txbuf) {
		ret = -FI_ENOMEM;
		goto err;
	}
	ret = ep_alloc(ep, want);
	if (ret)
		goto err;
	ep->ep.fid.fclass = FI_CLASS_EP;
	ep->ep.fid.context = context;
	ep->ep.fid.ops = &sfi_ep_fi_ops;
	ep->ep.ops = &sfi_ep_ops;
	ep->ep.cm = &sfi_cm_ops;
	ep->ep.msg = &sfi_msg_ops;
	ep->ep.tagged = &sfi_tagged_ops;
	ep->ep.rma = &sfi_rma_ops;
	ep->ep.atomic = &sfi_no_atomic_ops;
	ep->ep.collective = &sfi_no_collective_ops;
	pthread_mutex_lock(&dom->lock);
	dom->refs++;
	pthread_mutex_unlock(&dom->lock);
	SFI_INFO(FI_LOG_EP_CTRL,
		 "%s: endpoint %u:%u on VNI %u, traffic class %s (%s)\n",
		 dom->sel.dev, ep->self.dev, ep->self.ep, ep->vni,
		 sfi_tc_name(ep->tc), dom->sel.why);
	*epp = &ep->ep;
	return 0;
err:
	free(ep->rxbuf);
	free(ep->txbuf);
	free(ep);
	return ret;
}
