/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * ssns_sim: char-device ABI of the simulated cxi-style NIC (/dev/cxiN).
 *
 * Every argument structure starts with its size in bytes, set by the caller
 * to sizeof() of the structure it was built with. The kernel accepts any
 * size from the first published one up; bytes it does not know must be
 * zero (else -E2BIG), so an older binary keeps working with a newer module.
 * Reserved fields must be zero (else -EINVAL).
 *
 * Ioctl numbers carry no size (the size field versions each structure).
 *
 * This header compiles alone in user space.
 */
#ifndef _UAPI_LINUX_SSNS_SIM_H
#define _UAPI_LINUX_SSNS_SIM_H

#include <linux/types.h>
#include <linux/ioctl.h>

#define SSNS_SIM_MSG_MAX	0x100000U	/* largest message: 1 MiB */

/* Flags of ssns_sim_recv.flags */
#define SSNS_SIM_RECV_NONBLOCK	0x1U		/* -EAGAIN when nothing queued */

/* Device information. */
struct ssns_sim_info {
	__u32 size;		/* in: sizeof(struct ssns_sim_info) */
	__u32 dev_index;	/* out: fabric address of this device */
	__u32 max_addr;		/* out: highest endpoint address */
	__u32 rxq_depth;	/* out: messages an endpoint can queue */
	__u64 net_cookie;	/* out: netns the context was opened in */
	__u32 reserved[4];	/* must be zero */
};

/* Allocate an endpoint on (vni, tc, addr); addr may be SSNS_PID_ANY. */
struct ssns_sim_ep_alloc {
	__u32 size;		/* in */
	__u32 vni;		/* in: 1..65535 */
	__u32 tc;		/* in: enum ssns_tc */
	__u32 addr;		/* in: address or 0xffffffff; out: address */
	__u32 handle;		/* out: endpoint handle on this fd */
	__u32 reserved;		/* must be zero */
};

struct ssns_sim_ep_free {
	__u32 size;
	__u32 handle;
};

/* Send one message from endpoint `handle` to (dst_dev, dst_addr). */
struct ssns_sim_send {
	__u32 size;
	__u32 handle;
	__u32 dst_dev;
	__u32 dst_addr;
	__u64 buf;		/* user pointer */
	__u32 len;		/* 0..SSNS_SIM_MSG_MAX */
	__u32 flags;		/* must be zero */
};

/*
 * Receive one message on endpoint `handle`. Blocks up to timeout_ms
 * (0: forever) unless SSNS_SIM_RECV_NONBLOCK. A message longer than `len`
 * is not consumed: the call fails with -EMSGSIZE and sets msg_len.
 */
struct ssns_sim_recv {
	__u32 size;
	__u32 handle;
	__u64 buf;		/* user pointer */
	__u32 len;		/* in: buffer size */
	__u32 flags;		/* SSNS_SIM_RECV_* */
	__u32 timeout_ms;
	__u32 msg_len;		/* out */
	__u32 src_dev;		/* out */
	__u32 src_addr;		/* out */
};

/* Sizes of the first published version of each structure. */
#define SSNS_SIM_INFO_SIZE_VER0		40
#define SSNS_SIM_EP_ALLOC_SIZE_VER0	24
#define SSNS_SIM_EP_FREE_SIZE_VER0	8
#define SSNS_SIM_SEND_SIZE_VER0		32
#define SSNS_SIM_RECV_SIZE_VER0		40

#define SSNS_SIM_IOC_MAGIC	0xC5
#define SSNS_SIM_IOC_INFO	_IO(SSNS_SIM_IOC_MAGIC, 0)
#define SSNS_SIM_IOC_EP_ALLOC	_IO(SSNS_SIM_IOC_MAGIC, 1)
#define SSNS_SIM_IOC_EP_FREE	_IO(SSNS_SIM_IOC_MAGIC, 2)
#define SSNS_SIM_IOC_SEND	_IO(SSNS_SIM_IOC_MAGIC, 3)
#define SSNS_SIM_IOC_RECV	_IO(SSNS_SIM_IOC_MAGIC, 4)

#endif /* _UAPI_LINUX_SSNS_SIM_H */
