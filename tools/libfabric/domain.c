// SPDX-License-Identifier: LGPL-2.1-or-later OR GPL-2.0
/*
 * The domain (one device, with the VNI and traffic classes chosen for it)
 * and memory registration. The provider needs no registration to move
 * data (mr_mode 0): fi_mr_reg() records the buffer and the access under
 * the key the application asks for, which RMA operations from peers name
 * (addresses 0-based in the buffer); the kernel pins only what a transfer
 * uses, when it uses it (the window).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ssnsfi.h"

/* -------------------------------------------------------------------- MR */

static int sfi_mr_close(struct fid *fid)
{
	struct sfi_mr *mr = sfi_container_of(fid, struct sfi_mr, mr.fid);
	struct sfi_domain *dom = mr->dom;

	pthread_mutex_lock(&dom->lock);
	sfi_list_del(&mr->node);
	dom->refs--;
	pthread_mutex_unlock(&dom->lock);
	free(mr);
	return 0;
}

static struct fi_ops sfi_mr_fi_ops = {
	.size = sizeof(struct fi_ops),
	.close = sfi_mr_close,
	.bind = sfi_no_bind,
	.control = sfi_no_control,
	.ops_open = sfi_no_ops_open,
	.tostr = sfi_no_tostr,
	.ops_set = sfi_no_ops_set,
};

static int sfi_mr_regattr(struct fid *fid, const struct fi_mr_attr *attr,
			  uint64_t flags, struct fid_mr **mrp)
{
	struct sfi_domain *dom = sfi_container_of(fid, struct sfi_domain,
						  domain.fid);
	struct sfi_list *pos, *tmp;
	struct sfi_mr *mr;

	if (fid->fclass != FI_CLASS_DOMAIN || !attr || !mrp)
		return -FI_EINVAL;
	if (flags)
		return -FI_EBADFLAGS;
	if (attr->iov_count > 1)
		return -FI_EINVAL;
	if (attr->iface != FI_HMEM_SYSTEM)
		return -FI_EOPNOTSUPP;
	mr = calloc(1, sizeof(*mr));
	if (!mr)
		return -FI_ENOMEM;
	mr->dom = dom;
	mr->access = attr->access;
	if (attr->iov_count) {
		if (!attr->mr_iov) {
			free(mr);
			return -FI_EINVAL;
		}
		mr->buf = attr->mr_iov[0].iov_base;
		mr->len = attr->mr_iov[0].iov_len;
	}
	mr->mr.fid.fclass = FI_CLASS_MR;
	mr->mr.fid.context = attr->context;
	mr->mr.fid.ops = &sfi_mr_fi_ops;
	mr->mr.mem_desc = mr;
	mr->mr.key = attr->requested_key;

	pthread_mutex_lock(&dom->lock);
	sfi_list_for_each_safe(pos, tmp, &dom->mrs) {
		struct sfi_mr *o = sfi_container_of(pos, struct sfi_mr, node);

		if (o->mr.key == mr->mr.key) {
			pthread_mutex_unlock(&dom->lock);
			free(mr);
			return -FI_ENOKEY;
		}
	}
	sfi_list_add_tail(&dom->mrs, &mr->node);
	dom->refs++;
	pthread_mutex_unlock(&dom->lock);
	*mrp = &mr->mr;
	return 0;
}

static int sfi_mr_regv(struct fid *fid, const struct iovec *iov,
		       size_t count, uint64_t access, uint64_t offset,
		       uint64_t requested_key, uint64_t flags,
		       struct fid_mr **mr, void *context)
{
	struct fi_mr_attr attr = {
		.mr_iov = iov,
		.iov_count = count,
		.access = access,
		.offset = offset,
		.requested_key = requested_key,
		.context = context,
		.iface = FI_HMEM_SYSTEM,
	};

	return sfi_mr_regattr(fid, &attr, flags, mr);
}

static int sfi_mr_reg(struct fid *fid, const void *buf, size_t len,
		      uint64_t access, uint64_t offset,
		      uint64_t requested_key, uint64_t flags,
		      struct fid_mr **mr, void *context)
{
	struct iovec iov = { .iov_base = (void *)buf, .iov_len = len };

	return sfi_mr_regv(fid, &iov, 1, access, offset, requested_key,
			   flags, mr, context);
}

static struct fi_ops_mr sfi_mr_ops = {
	.size = sizeof(struct fi_ops_mr),
	.reg = sfi_mr_reg,
	.regv = sfi_mr_regv,
	.regattr = sfi_mr_regattr,
};

/* ---------------------------------------------------------------- domain */

static int sfi_domain_close(struct fid *fid)
{
	struct sfi_domain *dom = sfi_container_of(fid, struct sfi_domain,
						  domain.fid);

	pthread_mutex_lock(&dom->lock);
	if (dom->refs) {
		pthread_mutex_unlock(&dom->lock);
		return -FI_EBUSY;
	}
	pthread_mutex_unlock(&dom->lock);
	pthread_mutex_lock(&dom->fab->lock);
	dom->fab->refs--;
	pthread_mutex_unlock(&dom->fab->lock);
	pthread_mutex_destroy(&dom->lock);
	free(dom);
	return 0;
}

static int sfi_no_scalable_ep(struct fid_domain *d, struct fi_info *info,
			      struct fid_ep **sep, void *context)
{
	(void)d; (void)info; (void)sep; (void)context;
	return -FI_ENOSYS;
}

static int sfi_no_cntr_open(struct fid_domain *d, struct fi_cntr_attr *attr,
			    struct fid_cntr **cntr, void *context)
{
	(void)d; (void)attr; (void)cntr; (void)context;
	return -FI_ENOSYS;
}

static int sfi_no_poll_open(struct fid_domain *d, struct fi_poll_attr *attr,
			    struct fid_poll **pollset)
{
	(void)d; (void)attr; (void)pollset;
	return -FI_ENOSYS;
}

static int sfi_no_stx_ctx(struct fid_domain *d, struct fi_tx_attr *attr,
			  struct fid_stx **stx, void *context)
{
	(void)d; (void)attr; (void)stx; (void)context;
	return -FI_ENOSYS;
}

static int sfi_no_srx_ctx(struct fid_domain *d, struct fi_rx_attr *attr,
			  struct fid_ep **rx_ep, void *context)
{
	(void)d; (void)attr; (void)rx_ep; (void)context;
	return -FI_ENOSYS;
}

static int sfi_no_query_atomic(struct fid_domain *d, enum fi_datatype dt,
			       enum fi_op op, struct fi_atomic_attr *attr,
			       uint64_t flags)
{
	(void)d; (void)dt; (void)op; (void)attr; (void)flags;
	return -FI_ENOSYS;
}

static int sfi_no_query_collective(struct fid_domain *d,
				   enum fi_collective_op coll,
				   struct fi_collective_attr *attr,
				   uint64_t flags)
{
	(void)d; (void)coll; (void)attr; (void)flags;
	return -FI_ENOSYS;
}

static int sfi_endpoint2(struct fid_domain *d, struct fi_info *info,
			 struct fid_ep **ep, uint64_t flags, void *context)
{
	if (flags)
		return -FI_EBADFLAGS;
	return sfi_endpoint(d, info, ep, context);
}

static struct fi_ops sfi_domain_fi_ops = {
	.size = sizeof(struct fi_ops),
	.close = sfi_domain_close,
	.bind = sfi_no_bind,
	.control = sfi_no_control,
	.ops_open = sfi_no_ops_open,
	.tostr = sfi_no_tostr,
	.ops_set = sfi_no_ops_set,
};

static struct fi_ops_domain sfi_domain_ops = {
	.size = sizeof(struct fi_ops_domain),
	.av_open = sfi_av_open,
	.cq_open = sfi_cq_open,
	.endpoint = sfi_endpoint,
	.scalable_ep = sfi_no_scalable_ep,
	.cntr_open = sfi_no_cntr_open,
	.poll_open = sfi_no_poll_open,
	.stx_ctx = sfi_no_stx_ctx,
	.srx_ctx = sfi_no_srx_ctx,
	.query_atomic = sfi_no_query_atomic,
	.query_collective = sfi_no_query_collective,
	.endpoint2 = sfi_endpoint2,
};

int sfi_domain_open(struct fid_fabric *fabric, struct fi_info *info,
		    struct fid_domain **domain, void *context)
{
	struct sfi_fabric *fab = sfi_container_of(fabric, struct sfi_fabric,
						  fabric);
	struct sfi_domain *dom;
	int tc = -1, ret;

	if (!info || !info->domain_attr || !info->domain_attr->name)
		return -FI_EINVAL;
	if (info->tx_attr && info->tx_attr->tclass != FI_TC_UNSPEC)
		tc = sfi_tc_from_fi(info->tx_attr->tclass);
	else if (info->domain_attr->tclass != FI_TC_UNSPEC)
		tc = sfi_tc_from_fi(info->domain_attr->tclass);
	if (tc < -1)
		return -FI_EINVAL;
	dom = calloc(1, sizeof(*dom));
	if (!dom)
		return -FI_ENOMEM;
	ret = sfi_select_dev(info->domain_attr->name, tc, &dom->sel);
	if (ret) {
		SFI_WARN(FI_LOG_DOMAIN, "%s: not usable (%s)\n",
			 info->domain_attr->name, fi_strerror(-ret));
		free(dom);
		return ret == -FI_ENODATA ? -FI_ENODEV : ret;
	}
	pthread_mutex_init(&dom->lock, NULL);
	sfi_list_init(&dom->mrs);
	dom->fab = fab;
	dom->caps = info->caps ? info->caps : SFI_CAPS;
	dom->av_type = info->domain_attr->av_type;
	dom->api_version = fabric->api_version;
	dom->eager_max = sfi_param_eager;
	dom->use_window = sfi_param_window;
	dom->win_keep = sfi_param_window_keep;
	dom->domain.fid.fclass = FI_CLASS_DOMAIN;
	dom->domain.fid.context = context;
	dom->domain.fid.ops = &sfi_domain_fi_ops;
	dom->domain.ops = &sfi_domain_ops;
	dom->domain.mr = &sfi_mr_ops;
	pthread_mutex_lock(&fab->lock);
	fab->refs++;
	pthread_mutex_unlock(&fab->lock);
	SFI_INFO(FI_LOG_DOMAIN,
		 "domain %s (fabric index %u): VNI %u (%s), traffic class %s%s\n",
		 dom->sel.dev, dom->sel.dev_index, dom->sel.vni, dom->sel.why,
		 sfi_tc_name(dom->sel.tcs[0]),
		 dom->sel.ntcs > 1 ? " first" : "");
	*domain = &dom->domain;
	return 0;
}
