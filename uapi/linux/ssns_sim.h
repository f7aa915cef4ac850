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

#define SSNS_SIM_WINDOW_MAX	0x4000000U	/* largest receive window: 64 MiB */

/* Flags of ssns_sim_recv.flags */
#define SSNS_SIM_RECV_NONBLOCK	0x1U		/* -EAGAIN when nothing queued */

/*
 * Flags of ssns_sim_send.flags and ssns_sim_write.flags: when the
 * device's shaper holds the message back (its link is busy, or a
 * ceiling of the sender's tenant or pod is reached), sleep until it may
 * go rather than fail with -EAGAIN (interrupted by signals: -EINTR).
 * Without it, the message waits in the endpoint's one request slot; the
 * file reports EPOLLOUT once it may go, and the next send or write of the
 * endpoint goes at once.
 */
#define SSNS_SIM_SEND_WAIT	0x1U

/* Flags of ssns_sim_recv.msg_flags */
#define SSNS_SIM_MSG_WRITE	0x1U		/* a write into the window */
#define SSNS_SIM_MSG_MORE	0x2U		/* others were queued behind it */

/* Flags of ssns_sim_window.flags */
#define SSNS_SIM_WINDOW_KEEP	0x1U		/* park on removal, reuse on set */

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
	__u32 flags;		/* SSNS_SIM_SEND_WAIT */
};

/*
 * Receive one message on endpoint `handle`. Blocks up to timeout_ms
 * (0: forever) unless SSNS_SIM_RECV_NONBLOCK. A message longer than `len`
 * is not consumed: the call fails with -EMSGSIZE and sets msg_len.
 *
 * The completion of a write into the endpoint's window (see
 * ssns_sim_write) is received like a message with SSNS_SIM_MSG_WRITE in
 * msg_flags: msg_len bytes were written at `offset` of the window, the
 * buffer is not touched (and `len` may be 0). A caller of the first
 * version of this structure cannot tell: register no window with it.
 *
 * SSNS_SIM_MSG_MORE in msg_flags says that more messages were queued
 * behind this one when it was taken: a poller can stop at a message
 * without it instead of calling again to learn that the queue is empty
 * (a message may still arrive in between).
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
	__u32 msg_flags;	/* out: SSNS_SIM_MSG_* */
	__u32 reserved;		/* must be zero */
	__u64 offset;		/* out: of a write, in the window */
};

/*
 * Expose `len` bytes at user address `addr` as the receive window of
 * endpoint `handle`: endpoints of the same VNI can then write into it
 * directly (SSNS_SIM_IOC_WRITE), with one copy, as a NIC places RDMA
 * writes in registered memory. The pages are pinned while the window
 * exists and count against RLIMIT_MEMLOCK (unless CAP_IPC_LOCK). One
 * window per endpoint (-EBUSY); addr 0 and len 0 remove it (-ENOENT when
 * there is none). Freeing the endpoint removes its window.
 *
 * With SSNS_SIM_WINDOW_KEEP, a removed window takes no more writes but
 * its pages stay pinned (and charged), parked on the endpoint; setting a
 * window with the flag on exactly the parked range takes it back without
 * pinning again, and the ioctl returns 1, as long as nothing has changed
 * the range's mapping since it was pinned (munmap, mremap, madvise, a
 * fork's copy-on-write, ...: the kernel watches it, as for on-demand
 * paging); otherwise the parked pages are unpinned, the range is pinned
 * anew and the ioctl returns 0. A set or removal without the flag, or
 * freeing the endpoint, unpins the parked pages. This is a registration
 * cache that cannot go stale: a receiver reusing one buffer pins it once.
 */
struct ssns_sim_window {
	__u32 size;
	__u32 handle;
	__u64 addr;		/* user pointer; 0 with len 0: remove */
	__u64 len;		/* 1..SSNS_SIM_WINDOW_MAX */
	__u32 flags;		/* SSNS_SIM_WINDOW_KEEP */
	__u32 reserved;		/* must be zero */
};

/*
 * Write `len` bytes from `buf` at `offset` of the window of the endpoint
 * at (dst_dev, dst_addr), then queue a completion there (msg_flags
 * SSNS_SIM_MSG_WRITE). As for a send, a target that does not exist on
 * the sender's VNI drops the write silently (counted) and a full receive
 * queue refuses it with -EAGAIN, before anything is written. A target
 * without a window, or whose window does not hold [offset, offset + len),
 * fails it with -EREMOTEIO (a remote access error), nothing written.
 */
struct ssns_sim_write {
	__u32 size;
	__u32 handle;
	__u32 dst_dev;
	__u32 dst_addr;
	__u64 buf;		/* user pointer */
	__u64 offset;		/* in the target's window */
	__u32 len;		/* 0..SSNS_SIM_MSG_MAX */
	__u32 flags;		/* SSNS_SIM_SEND_WAIT */
};

/* Sizes of the first published version of each structure. */
#define SSNS_SIM_INFO_SIZE_VER0		40
#define SSNS_SIM_EP_ALLOC_SIZE_VER0	24
#define SSNS_SIM_EP_FREE_SIZE_VER0	8
#define SSNS_SIM_SEND_SIZE_VER0		32
#define SSNS_SIM_RECV_SIZE_VER0		40
#define SSNS_SIM_RECV_SIZE_VER1		56	/* msg_flags, offset */
#define SSNS_SIM_WINDOW_SIZE_VER0	32
#define SSNS_SIM_WRITE_SIZE_VER0	40

#define SSNS_SIM_IOC_MAGIC	0xC5
#define SSNS_SIM_IOC_INFO	_IO(SSNS_SIM_IOC_MAGIC, 0)
#define SSNS_SIM_IOC_EP_ALLOC	_IO(SSNS_SIM_IOC_MAGIC, 1)
#define SSNS_SIM_IOC_EP_FREE	_IO(SSNS_SIM_IOC_MAGIC, 2)
#define SSNS_SIM_IOC_SEND	_IO(SSNS_SIM_IOC_MAGIC, 3)
#define SSNS_SIM_IOC_RECV	_IO(SSNS_SIM_IOC_MAGIC, 4)
#define SSNS_SIM_IOC_WINDOW	_IO(SSNS_SIM_IOC_MAGIC, 5)
#define SSNS_SIM_IOC_WRITE	_IO(SSNS_SIM_IOC_MAGIC, 6)

#endif /* _UAPI_LINUX_SSNS_SIM_H */
