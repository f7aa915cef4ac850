// SPDX-License-Identifier: LGPL-2.1-or-later OR GPL-2.0
/*
 * fi_getinfo(): one fi_info per usable device, checked against the
 * application's hints, with a NIC object whose fi_tostr() output (fi_info
 * -v) says which device, VNI and traffic class the endpoints will use.
 *
 * An external provider filters the hints itself: libfabric's core passes
 * them through and only names the provider in the result.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ssnsfi.h"

#define TAB "    "

/* ----------------------------------------------------------------- NIC */

struct sfi_nic {
	struct fid_nic nic;
	struct fi_device_attr dev;
	struct fi_bus_attr bus;
	struct fi_link_attr link;
	struct sfi_sel sel;
	char devname[SFI_NAME_LEN];
	char devid[32];
	char address[48];
};

static int nic_close(struct fid *fid)
{
	free(sfi_container_of(fid, struct sfi_nic, nic.fid));
	return 0;
}

static int nic_control(struct fid *fid, int command, void *arg)
{
	struct sfi_nic *nic = sfi_container_of(fid, struct sfi_nic, nic.fid);
	struct fid_nic *dup;

	if (command != FI_DUP)
		return -FI_ENOSYS;
	dup = sfi_nic_new(&nic->sel);
	if (!dup)
		return -FI_ENOMEM;
	*(struct fid_nic **)arg = dup;
	return 0;
}

static void catf(char *buf, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void catf(char *buf, size_t len, const char *fmt, ...)
{
	size_t used = strnlen(buf, len);
	va_list ap;

	if (used + 1 >= len)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + used, len - used, fmt, ap);
	va_end(ap);
}

/*
 * libfabric's fi_tostr() hands over the whole buffer and the room left in
 * it: append there, in its YAML style.
 */
static int nic_tostr(const struct fid *fid, char *buf, size_t len)
{
	const struct sfi_nic *nic = sfi_container_of(fid, struct sfi_nic,
						     nic.fid);
	const struct sfi_sel *s = &nic->sel;
	size_t total = strlen(buf) + len;
	int i;

	catf(buf, total, "%snic:\n", TAB);
	catf(buf, total, "%s%sfi_device_attr:\n", TAB, TAB);
	catf(buf, total, "%s%s%sname: %s\n", TAB, TAB, TAB, nic->dev.name);
	catf(buf, total, "%s%s%sdevice_id: %s\n", TAB, TAB, TAB,
	     nic->dev.device_id);
	catf(buf, total, "%s%s%sdriver: %s\n", TAB, TAB, TAB,
	     nic->dev.driver);
	catf(buf, total, "%s%sfi_link_attr:\n", TAB, TAB);
	catf(buf, total, "%s%s%saddress: %s\n", TAB, TAB, TAB,
	     nic->link.address);
	catf(buf, total, "%s%s%smtu: %zu\n", TAB, TAB, TAB, nic->link.mtu);
	catf(buf, total, "%s%s%snetwork_type: %s\n", TAB, TAB, TAB,
	     nic->link.network_type);
	catf(buf, total, "%s%sssns:\n", TAB, TAB);
	catf(buf, total, "%s%s%sdevice: %s (%s, fabric index %" PRIu32 ")\n",
	     TAB, TAB, TAB, s->dev, s->path, s->dev_index);
	catf(buf, total, "%s%s%svni: %" PRIu32 " (%s)\n", TAB, TAB, TAB,
	     s->vni, s->why);
	catf(buf, total, "%s%s%straffic_class: %s", TAB, TAB, TAB,
	     s->ntcs ? sfi_tc_name(s->tcs[0]) : "none");
	for (i = 1; i < s->ntcs; i++)
		catf(buf, total, "%s%s", i == 1 ? " (then " : ", ",
		     sfi_tc_name(s->tcs[i]));
	catf(buf, total, "%s\n", s->ntcs > 1 ? ")" : "");
	catf(buf, total, "%s%s%stenant: %s\n", TAB, TAB, TAB,
	     !s->tenant_known ? "(unknown)" :
	     s->tenant[0] ? s->tenant : "(none: host)");
	return 0;
}

static struct fi_ops sfi_nic_ops = {
	.size = sizeof(struct fi_ops),
	.close = nic_close,
	.bind = sfi_no_bind,
	.control = nic_control,
	.ops_open = sfi_no_ops_open,
	.tostr = nic_tostr,
	.ops_set = sfi_no_ops_set,
};

struct fid_nic *sfi_nic_new(const struct sfi_sel *sel)
{
	struct sfi_nic *nic = calloc(1, sizeof(*nic));

	if (!nic)
		return NULL;
	nic->sel = *sel;
	nic->nic.fid.fclass = FI_CLASS_NIC;
	nic->nic.fid.ops = &sfi_nic_ops;
	snprintf(nic->devname, sizeof(nic->devname), "%s", sel->dev);
	snprintf(nic->devid, sizeof(nic->devid), "%" PRIu32, sel->dev_index);
	snprintf(nic->address, sizeof(nic->address), "ssns device %" PRIu32,
		 sel->dev_index);
	nic->dev.name = nic->devname;
	nic->dev.device_id = nic->devid;
	nic->dev.driver = (char *)"ssns_sim";
	nic->bus.bus_type = FI_BUS_UNKNOWN;
	nic->link.address = nic->address;
	nic->link.mtu = 1U << 20;
	nic->link.state = FI_LINK_UP;
	nic->link.network_type = (char *)"Slingshot (simulated by ssns)";
	nic->nic.device_attr = &nic->dev;
	nic->nic.bus_attr = &nic->bus;
	nic->nic.link_attr = &nic->link;
	return &nic->nic;
}

/* ---------------------------------------------------------------- hints */

#define NOPE(...) do { snprintf(why, whylen, __VA_ARGS__); return -FI_ENODATA; } while (0)

/*
 * 0 when the provider can give what hints ask for on sel's device (NULL:
 * on some device, checked before looking the devices up).
 */
int sfi_hints_check(const struct fi_info *hints, uint32_t version,
		    const struct sfi_sel *sel, char *why, size_t whylen)
{
	const struct fi_ep_attr *ep = hints->ep_attr;
	const struct fi_domain_attr *dom = hints->domain_attr;
	const struct fi_fabric_attr *fab = hints->fabric_attr;
	const struct fi_tx_attr *tx = hints->tx_attr;
	const struct fi_rx_attr *rx = hints->rx_attr;

	if (hints->caps & ~SFI_CAPS)
		NOPE("capabilities 0x%" PRIx64 " are not offered",
		     (uint64_t)(hints->caps & ~SFI_CAPS));
	if (hints->addr_format != FI_FORMAT_UNSPEC)
		NOPE("address format %u is not this provider's",
		     hints->addr_format);
	if (hints->src_addr && hints->src_addrlen != sizeof(struct sfi_addr))
		NOPE("source address of %zu bytes", hints->src_addrlen);
	if (hints->src_addr && sel &&
	    ((const struct sfi_addr *)hints->src_addr)->dev != sel->dev_index)
		NOPE("source address on another device");
	if (hints->dest_addr && hints->dest_addrlen != sizeof(struct sfi_addr))
		NOPE("destination address of %zu bytes", hints->dest_addrlen);
	if (ep) {
		if (ep->type != FI_EP_UNSPEC && ep->type != FI_EP_RDM)
			NOPE("only FI_EP_RDM endpoints");
		if (ep->protocol != FI_PROTO_UNSPEC)
			NOPE("protocol %u", ep->protocol);
		if (ep->max_msg_size > SFI_MAX_MSG)
			NOPE("max_msg_size %zu", ep->max_msg_size);
		if (ep->tx_ctx_cnt > 1 || ep->rx_ctx_cnt > 1)
			NOPE("one context per endpoint");
		if (ep->auth_key_size || ep->auth_key)
			NOPE("authorization keys: the VNI comes from SLINGSHOT_VNIS or the tenant");
	}
	if (dom) {
		if (dom->name && sel && strcmp(dom->name, sel->dev))
			NOPE("domain %s", dom->name);
		if (dom->control_progress == FI_PROGRESS_AUTO ||
		    dom->data_progress == FI_PROGRESS_AUTO)
			NOPE("progress is manual");
		if (dom->cq_data_size > SFI_CQ_DATA_SIZE)
			NOPE("cq_data_size %zu", dom->cq_data_size);
		if (dom->mr_key_size > 8)
			NOPE("mr_key_size %zu", dom->mr_key_size);
		if (dom->caps & ~(SFI_CAPS))
			NOPE("domain capabilities");
		if (dom->max_ep_tx_ctx > 1 || dom->max_ep_rx_ctx > 1 ||
		    dom->max_ep_stx_ctx || dom->max_ep_srx_ctx)
			NOPE("shared or scalable contexts");
		if (dom->auth_key_size || dom->auth_key)
			NOPE("authorization keys: the VNI comes from SLINGSHOT_VNIS or the tenant");
		if (FI_VERSION_LT(version, FI_VERSION(1, 5)) &&
		    dom->mr_mode == FI_MR_BASIC)
			NOPE("FI_MR_BASIC");
		if (dom->tclass != FI_TC_UNSPEC &&
		    sfi_tc_from_fi(dom->tclass) < 0)
			NOPE("traffic class 0x%x", dom->tclass);
	}
	if (fab && fab->name && strcmp(fab->name, SFI_NAME))
		NOPE("fabric %s", fab->name);
	if (tx) {
		if (tx->caps & ~SFI_TX_CAPS)
			NOPE("transmit capabilities");
		if (tx->msg_order & ~(uint64_t)FI_ORDER_SAS)
			NOPE("transmit ordering 0x%" PRIx64,
			     (uint64_t)tx->msg_order);
		if (tx->comp_order & ~(uint64_t)FI_ORDER_NONE)
			NOPE("completion ordering");
		if (tx->inject_size > sfi_param_eager)
			NOPE("inject_size %zu", tx->inject_size);
		if (tx->iov_limit > SFI_IOV_LIMIT)
			NOPE("iov_limit %zu", tx->iov_limit);
		if (tx->rma_iov_limit > 1)
			NOPE("rma_iov_limit %zu", tx->rma_iov_limit);
		if (tx->tclass != FI_TC_UNSPEC && sfi_tc_from_fi(tx->tclass) < 0)
			NOPE("traffic class 0x%x", tx->tclass);
	}
	if (rx) {
		if (rx->caps & ~SFI_RX_CAPS)
			NOPE("receive capabilities");
		if (rx->msg_order & ~(uint64_t)FI_ORDER_SAS)
			NOPE("receive ordering 0x%" PRIx64,
			     (uint64_t)rx->msg_order);
		if (rx->comp_order & ~(uint64_t)FI_ORDER_NONE)
			NOPE("completion ordering");
		if (rx->iov_limit > SFI_IOV_LIMIT)
			NOPE("iov_limit %zu", rx->iov_limit);
	}
	return 0;
}

/* The traffic class a hint asks for, -1 for none. */
static int hints_tc(const struct fi_info *hints)
{
	int tc = -1;

	if (!hints)
		return -1;
	if (hints->tx_attr && hints->tx_attr->tclass != FI_TC_UNSPEC)
		tc = sfi_tc_from_fi(hints->tx_attr->tclass);
	else if (hints->domain_attr &&
		 hints->domain_attr->tclass != FI_TC_UNSPEC)
		tc = sfi_tc_from_fi(hints->domain_attr->tclass);
	return tc < 0 ? -1 : tc;
}

static void *memdup(const void *p, size_t len)
{
	void *q = malloc(len);

	if (q)
		memcpy(q, p, len);
	return q;
}

/* The fi_info for sel's device, shaped by hints (NULL: everything). */
struct fi_info *sfi_info_new(uint32_t version, const struct sfi_sel *sel,
			     const struct fi_info *hints)
{
	struct fi_info *fi = fi_allocinfo();
	uint64_t caps = SFI_CAPS;
	int tc = hints_tc(hints);
	/*
	 * A traffic class only when the application asked for one: the
	 * domain then tries that one alone. Otherwise it tries every class
	 * the selection lists (fi_info -v shows them in the NIC section).
	 */
	uint32_t tclass = tc >= 0 ? sfi_tc_to_fi(tc) : FI_TC_UNSPEC;

	if (!fi)
		return NULL;
	if (hints && hints->caps) {
		caps = hints->caps;
		if (!(caps & (FI_LOCAL_COMM | FI_REMOTE_COMM)))
			caps |= FI_LOCAL_COMM | FI_REMOTE_COMM;
		if (!(caps & (FI_MSG | FI_TAGGED)))
			caps |= FI_MSG | FI_TAGGED;
	}
	fi->caps = caps;
	fi->mode = 0;
	fi->addr_format = FI_FORMAT_UNSPEC;

	fi->tx_attr->caps = caps & SFI_TX_CAPS;
	fi->tx_attr->op_flags = hints && hints->tx_attr ?
				hints->tx_attr->op_flags : 0;
	fi->tx_attr->msg_order = FI_ORDER_SAS;
	fi->tx_attr->comp_order = FI_ORDER_NONE;
	fi->tx_attr->inject_size = sfi_param_eager;
	fi->tx_attr->size = SFI_QUEUE_SIZE;
	fi->tx_attr->iov_limit = SFI_IOV_LIMIT;
	fi->tx_attr->rma_iov_limit = 1;
	fi->tx_attr->tclass = tclass;

	fi->rx_attr->caps = caps & SFI_RX_CAPS;
	fi->rx_attr->op_flags = hints && hints->rx_attr ?
				hints->rx_attr->op_flags : 0;
	fi->rx_attr->msg_order = FI_ORDER_SAS;
	fi->rx_attr->comp_order = FI_ORDER_NONE;
	fi->rx_attr->size = SFI_QUEUE_SIZE;
	fi->rx_attr->iov_limit = SFI_IOV_LIMIT;

	fi->ep_attr->type = FI_EP_RDM;
	fi->ep_attr->protocol = FI_PROTO_UNSPEC;
	fi->ep_attr->protocol_version = SFI_PROTO_VERSION;
	fi->ep_attr->max_msg_size = SFI_MAX_MSG;
	fi->ep_attr->mem_tag_format = hints && hints->ep_attr &&
				      hints->ep_attr->mem_tag_format ?
				      hints->ep_attr->mem_tag_format :
				      SFI_TAG_FORMAT;
	fi->ep_attr->tx_ctx_cnt = 1;
	fi->ep_attr->rx_ctx_cnt = 1;

	fi->domain_attr->name = strdup(sel->dev);
	fi->domain_attr->threading = hints && hints->domain_attr &&
		hints->domain_attr->threading != FI_THREAD_UNSPEC ?
		hints->domain_attr->threading : FI_THREAD_SAFE;
	fi->domain_attr->control_progress = FI_PROGRESS_MANUAL;
	fi->domain_attr->data_progress = FI_PROGRESS_MANUAL;
	fi->domain_attr->resource_mgmt = FI_RM_ENABLED;
	fi->domain_attr->av_type = hints && hints->domain_attr ?
				   hints->domain_attr->av_type : FI_AV_UNSPEC;
	fi->domain_attr->mr_mode = FI_VERSION_LT(version, FI_VERSION(1, 5)) ?
				   FI_MR_SCALABLE : 0;
	fi->domain_attr->mr_key_size = 8;
	fi->domain_attr->cq_data_size = SFI_CQ_DATA_SIZE;
	fi->domain_attr->cq_cnt = 1024;
	fi->domain_attr->ep_cnt = 256;
	fi->domain_attr->tx_ctx_cnt = 256;
	fi->domain_attr->rx_ctx_cnt = 256;
	fi->domain_attr->max_ep_tx_ctx = 1;
	fi->domain_attr->max_ep_rx_ctx = 1;
	fi->domain_attr->cntr_cnt = 0;
	fi->domain_attr->mr_iov_limit = 1;
	fi->domain_attr->caps = FI_LOCAL_COMM | FI_REMOTE_COMM;
	fi->domain_attr->max_err_data = SFI_ERRMSG_LEN;
	fi->domain_attr->mr_cnt = 65536;
	fi->domain_attr->tclass = tclass;

	fi->fabric_attr->name = strdup(SFI_NAME);
	fi->fabric_attr->prov_version = SFI_PROV_VERSION;

	if (hints && hints->src_addr) {
		fi->src_addr = memdup(hints->src_addr, hints->src_addrlen);
		fi->src_addrlen = hints->src_addrlen;
	}
	if (hints && hints->dest_addr) {
		fi->dest_addr = memdup(hints->dest_addr, hints->dest_addrlen);
		fi->dest_addrlen = hints->dest_addrlen;
	}
	fi->nic = sfi_nic_new(sel);
	if (!fi->domain_attr->name || !fi->fabric_attr->name || !fi->nic ||
	    (hints && hints->src_addr && !fi->src_addr) ||
	    (hints && hints->dest_addr && !fi->dest_addr)) {
		fi_freeinfo(fi);
		return NULL;
	}
	return fi;
}

/* node "DEV_INDEX" and service "EP": an endpoint address. */
static int parse_node(const char *node, const char *service,
		      struct sfi_addr *a)
{
	unsigned long v;
	char *end;

	memset(a, 0, sizeof(*a));
	if (node) {
		errno = 0;
		v = strtoul(node, &end, 0);
		if (errno || end == node || *end || v > UINT32_MAX)
			return -FI_ENODATA;
		a->dev = v;
	}
	a->ep = UINT32_MAX;
	if (service) {
		errno = 0;
		v = strtoul(service, &end, 0);
		if (errno || end == service || *end || v >= UINT32_MAX)
			return -FI_ENODATA;
		a->ep = v;
	}
	return 0;
}

int sfi_getinfo(uint32_t version, const char *node, const char *service,
		uint64_t flags, const struct fi_info *hints,
		struct fi_info **info)
{
	struct fi_info *head = NULL, *tail = NULL, *fi, h;
	struct sfi_addr na;
	struct sfi_sel *sels;
	size_t n, i;
	char why[160];
	int ret, tc = hints_tc(hints);

	*info = NULL;
	if (hints && ((hints->tx_attr && hints->tx_attr->tclass &&
		       sfi_tc_from_fi(hints->tx_attr->tclass) < -1) ||
		      (hints->domain_attr && hints->domain_attr->tclass &&
		       sfi_tc_from_fi(hints->domain_attr->tclass) < -1)))
		return -FI_ENODATA;
	if (node || service) {
		ret = parse_node(node, service, &na);
		if (ret)
			return ret;
	}
	/* Hints no device can meet (another endpoint type...): say so early. */
	if (hints && sfi_hints_check(hints, version, NULL, why, sizeof(why))) {
		SFI_INFO(FI_LOG_CORE, "hints not met: %s\n", why);
		return -FI_ENODATA;
	}
	ret = sfi_select(&sels, &n, tc);
	if (ret)
		return ret;
	for (i = 0; i < n; i++) {
		if (hints) {
			ret = sfi_hints_check(hints, version, &sels[i], why,
					      sizeof(why));
			if (ret) {
				SFI_INFO(FI_LOG_CORE, "%s: hints not met: %s\n",
					 sels[i].dev, why);
				continue;
			}
		}
		if (node && na.dev != sels[i].dev_index)
			continue;
		if (node || service) {
			/* Resolve into the address the flags name. */
			memset(&h, 0, sizeof(h));
			if (hints)
				h = *hints;
			if (flags & FI_SOURCE) {
				na.dev = sels[i].dev_index;
				h.src_addr = &na;
				h.src_addrlen = sizeof(na);
			} else {
				h.dest_addr = &na;
				h.dest_addrlen = sizeof(na);
			}
			fi = sfi_info_new(version, &sels[i], &h);
		} else {
			fi = sfi_info_new(version, &sels[i], hints);
		}
		if (!fi) {
			ret = -FI_ENOMEM;
			break;
		}
		SFI_INFO(FI_LOG_CORE,
			 "%s (fabric index %u): VNI %u (%s), traffic class %s\n",
			 sels[i].dev, sels[i].dev_index, sels[i].vni,
			 sels[i].why, sfi_tc_name(sels[i].tcs[0]));
		if (tail)
			tail->next = fi;
		else
			head = fi;
		tail = fi;
		ret = 0;
	}
	free(sels);
	if (ret == -FI_ENOMEM) {
		fi_freeinfo(head);
		return ret;
	}
	if (!head)
		return -FI_ENODATA;
	*info = head;
	return 0;
}
