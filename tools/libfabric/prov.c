// SPDX-License-Identifier: LGPL-2.1-or-later OR GPL-2.0
/*
 * The provider entry point (fi_prov_ini), its parameters, the fabric
 * object and the error vocabulary shared by the other files.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ssnsfi.h"

size_t sfi_param_eager = SFI_EAGER_DEFAULT;
int sfi_param_window = 1;
int sfi_param_window_keep = 1;
int sfi_param_report = 1;
int sfi_param_yield = 1;
size_t sfi_param_spin_us = SFI_SPIN_US_DEFAULT;

static void sfi_cleanup(void)
{
}

struct fi_provider sfi_prov = {
	.name = SFI_NAME,
	.version = SFI_PROV_VERSION,
	.fi_version = FI_VERSION(FI_MAJOR_VERSION, FI_MINOR_VERSION),
	.getinfo = sfi_getinfo,
	.fabric = sfi_fabric,
	.cleanup = sfi_cleanup,
};

FI_EXT_INI
{
	size_t sz;
	int b;

	fi_param_define(&sfi_prov, "eager_size", FI_PARAM_SIZE_T,
			"Largest message sent in one piece (default %d, at most %d); larger ones go by rendezvous",
			SFI_EAGER_DEFAULT, SFI_EAGER_MAX);
	fi_param_define(&sfi_prov, "window", FI_PARAM_BOOL,
			"Move rendezvous data with one-copy writes into the receiver's window (default yes); no: by sends");
	fi_param_define(&sfi_prov, "window_keep", FI_PARAM_BOOL,
			"Let the kernel keep a receive buffer pinned as a window between messages, watched for changes (default yes); no: pin and unpin it each time");
	fi_param_define(&sfi_prov, "yield", FI_PARAM_BOOL,
			"Yield the CPU when completion queue reads have found nothing for spin_us (default yes): the simulated NIC is the CPU, the peer may wait for it");
	fi_param_define(&sfi_prov, "spin_us", FI_PARAM_SIZE_T,
			"How long empty completion queue reads poll before they yield, in microseconds (default %d; 0: yield at once)",
			SFI_SPIN_US_DEFAULT);
	fi_param_define(&sfi_prov, "report_refusal", FI_PARAM_BOOL,
			"Print a refused endpoint allocation on stderr as well as in the log (default yes)");
	if (!fi_param_get_size_t(&sfi_prov, "eager_size", &sz))
		sfi_param_eager = sz > SFI_EAGER_MAX ? SFI_EAGER_MAX : sz;
	if (!fi_param_get_bool(&sfi_prov, "window", &b))
		sfi_param_window = b;
	if (!fi_param_get_bool(&sfi_prov, "window_keep", &b))
		sfi_param_window_keep = b;
	if (!fi_param_get_bool(&sfi_prov, "yield", &b))
		sfi_param_yield = b;
	if (!fi_param_get_size_t(&sfi_prov, "spin_us", &sz))
		sfi_param_spin_us = sz;
	if (!fi_param_get_bool(&sfi_prov, "report_refusal", &b))
		sfi_param_report = b;
	return &sfi_prov;
}

/* ---------------------------------------------------------------- errors */

/* A kernel errno as a (positive) libfabric error number. */
int sfi_fi_errno(int err)
{
	switch (err) {
	case EPERM: case ENOENT: case EINTR: case EIO: case E2BIG:
	case EBADF: case EAGAIN: case ENOMEM: case EACCES: case EFAULT:
	case EBUSY: case ENODEV: case EINVAL: case EMFILE: case ENOSPC:
	case ENOSYS: case ENOMSG: case ENODATA: case EOVERFLOW:
	case EMSGSIZE: case ENOPROTOOPT: case EOPNOTSUPP: case EADDRINUSE:
	case EADDRNOTAVAIL: case ETIMEDOUT: case ECANCELED:
		return err;
	case ENFILE:
		return FI_EMFILE;
	case ENOTTY:
		return FI_ENOSYS;
	case EREMOTEIO:
		return FI_EIO;
	default:
		return FI_EOTHER;
	}
}

const char *sfi_errno_name(int err)
{
	switch (err) {
	case EPERM: return "EPERM";
	case ENOENT: return "ENOENT";
	case EINTR: return "EINTR";
	case EIO: return "EIO";
	case EBADF: return "EBADF";
	case EAGAIN: return "EAGAIN";
	case ENOMEM: return "ENOMEM";
	case EACCES: return "EACCES";
	case EFAULT: return "EFAULT";
	case EBUSY: return "EBUSY";
	case ENODEV: return "ENODEV";
	case EINVAL: return "EINVAL";
	case ENFILE: return "ENFILE";
	case EMFILE: return "EMFILE";
	case ENOSPC: return "ENOSPC";
	case ENOTTY: return "ENOTTY";
	case EMSGSIZE: return "EMSGSIZE";
	case EADDRINUSE: return "EADDRINUSE";
	case EREMOTEIO: return "EREMOTEIO";
	case ETIMEDOUT: return "ETIMEDOUT";
	default: return "E?";
	}
}

/* What the kernel's admission errno means for an endpoint allocation. */
const char *sfi_refusal_reason(int err)
{
	switch (err) {
	case ENODEV:
		return "the device is not visible in this network namespace, or was revoked";
	case ENOENT:
		return "no communication profile for this device, VNI and traffic class";
	case EACCES:
		return "the VNI's profile belongs to another tenant than this process's";
	case EAGAIN:
		return "the rdma cgroup limit of this pod is reached";
	case EADDRINUSE:
		return "the endpoint address is in use on this VNI";
	case ENOSPC:
		return "no endpoint address is left on this VNI";
	case ENOMEM:
		return "out of memory";
	default:
		return strerror(err);
	}
}

/* ---------------------------------------------------------------- fabric */

static int sfi_fabric_close(struct fid *fid)
{
	struct sfi_fabric *fab = sfi_container_of(fid, struct sfi_fabric,
						  fabric.fid);

	pthread_mutex_lock(&fab->lock);
	if (fab->refs) {
		pthread_mutex_unlock(&fab->lock);
		return -FI_EBUSY;
	}
	pthread_mutex_unlock(&fab->lock);
	pthread_mutex_destroy(&fab->lock);
	free(fab);
	return 0;
}

static int sfi_trywait(struct fid_fabric *fabric, struct fid **fids,
		       int count)
{
	int i, ret;

	(void)fabric;
	if (count < 0 || (count && !fids))
		return -FI_EINVAL;
	for (i = 0; i < count; i++) {
		if (!fids[i])
			return -FI_EINVAL;
		switch (fids[i]->fclass) {
		case FI_CLASS_CQ:
			ret = sfi_cq_trywait(sfi_container_of(fids[i],
							      struct sfi_cq,
							      cq.fid));
			break;
		case FI_CLASS_EQ:
			ret = sfi_eq_trywait(sfi_container_of(fids[i],
							      struct sfi_eq,
							      eq.fid));
			break;
		default:
			return -FI_EINVAL;
		}
		if (ret)
			return ret;
	}
	return 0;
}

static int sfi_no_passive_ep(struct fid_fabric *fabric, struct fi_info *info,
			     struct fid_pep **pep, void *context)
{
	(void)fabric; (void)info; (void)pep; (void)context;
	return -FI_ENOSYS;
}

static int sfi_no_wait_open(struct fid_fabric *fabric,
			    struct fi_wait_attr *attr, struct fid_wait **w)
{
	(void)fabric; (void)attr; (void)w;
	return -FI_ENOSYS;
}

static int sfi_domain2(struct fid_fabric *fabric, struct fi_info *info,
		       struct fid_domain **dom, uint64_t flags, void *context)
{
	if (flags)
		return -FI_EBADFLAGS;
	return sfi_domain_open(fabric, info, dom, context);
}

static struct fi_ops sfi_fabric_fi_ops = {
	.size = sizeof(struct fi_ops),
	.close = sfi_fabric_close,
	.bind = sfi_no_bind,
	.control = sfi_no_control,
	.ops_open = sfi_no_ops_open,
	.tostr = sfi_no_tostr,
	.ops_set = sfi_no_ops_set,
};

static struct fi_ops_fabric sfi_fabric_ops = {
	.size = sizeof(struct fi_ops_fabric),
	.domain = sfi_domain_open,
	.passive_ep = sfi_no_passive_ep,
	.eq_open = sfi_eq_open,
	.wait_open = sfi_no_wait_open,
	.trywait = sfi_trywait,
	.domain2 = sfi_domain2,
};

int sfi_fabric(struct fi_fabric_attr *attr, struct fid_fabric **fabric,
	       void *context)
{
	struct sfi_fabric *fab;

	if (!attr || !attr->name || strcmp(attr->name, SFI_NAME))
		return -FI_EINVAL;
	fab = calloc(1, sizeof(*fab));
	if (!fab)
		return -FI_ENOMEM;
	pthread_mutex_init(&fab->lock, NULL);
	fab->fabric.fid.fclass = FI_CLASS_FABRIC;
	fab->fabric.fid.context = context;
	fab->fabric.fid.ops = &sfi_fabric_fi_ops;
	fab->fabric.ops = &sfi_fabric_ops;
	*fabric = &fab->fabric;
	return 0;
}
