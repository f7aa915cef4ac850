/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel headers that HPE's cass_svc.c sees (through its cass_core.h,
 * cxi_core.h and others). With modversions, the CRC of an exported call
 * covers every type its prototype reaches that the file defines, down to
 * struct pci_dev and what that points to: included here, the service calls
 * of the stand-in get the CRCs of cxi-ss1's, so that a module built against
 * either's Module.symvers loads on both.
 */
#ifndef _CXI_STANDIN_HPE_TYPES_H
#define _CXI_STANDIN_HPE_TYPES_H

#include <linux/completion.h>
#include <linux/configfs.h>
#include <linux/cred.h>
#include <linux/ctype.h>
#include <linux/dcache.h>
#include <linux/debugfs.h>
#include <linux/device.h>
#include <linux/etherdevice.h>
#include <linux/hmm.h>
#include <linux/hrtimer.h>
#include <linux/hwmon.h>
#include <linux/i2c.h>
#include <linux/iova.h>
#include <linux/mmu_notifier.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/netdevice.h>
#include <linux/pci.h>
#include <linux/ptp_clock_kernel.h>
#include <linux/rbtree.h>
#include <linux/refcount.h>
#include <linux/slab.h>
#include <linux/socket.h>
#include <linux/version.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>
#include <net/genetlink.h>
#include <net/netlink.h>

#endif /* _CXI_STANDIN_HPE_TYPES_H */
