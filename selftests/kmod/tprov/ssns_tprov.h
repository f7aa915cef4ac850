/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * ssns_tprov: ioctls of /dev/ssns_tprov, the device node of the test
 * provider (selftests only). One open file is one context on one ssns
 * device, like an LNI of a real driver.
 */
#ifndef _SSNS_TPROV_H
#define _SSNS_TPROV_H

#include <linux/types.h>
#include <linux/ioctl.h>

struct tprov_bind {
	__u32 dev_index;	/* in: the ssns device (its index) */
	__u32 reserved;
};

struct tprov_ep {
	__u32 vni;		/* in */
	__u32 tc;		/* in */
	__u32 addr;		/* in: address or 0xffffffff; out: address */
	__u32 reserved;
};

#define TPROV_MAX_ADDR		7	/* addresses 0..7 on each (dev, VNI) */

#define TPROV_IOC_BIND		_IOW('T', 1, struct tprov_bind)
#define TPROV_IOC_EP_ALLOC	_IOWR('T', 2, struct tprov_ep)
#define TPROV_IOC_EP_FREE	_IOW('T', 3, struct tprov_ep)
/* 1 when the context was revoked, 0 when not; -ENOTCONN before BIND. */
#define TPROV_IOC_REVOKED	_IO('T', 4)

#endif /* _SSNS_TPROV_H */
