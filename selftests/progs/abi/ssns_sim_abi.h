/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The char-device ABI of ssns_sim (/dev/cxiN) as a table: each ioctl of
 * uapi/linux/ssns_sim.h with its structure's versions, the rules its
 * fields follow and the errno of each violation, in the order
 * docs/ssns_sim.md gives them ("Order of checks"). The fuzzer (cxifuzz)
 * judges every call by it; see abi.h for how rules are evaluated.
 */
#ifndef SSNS_SIM_ABI_H
#define SSNS_SIM_ABI_H

#include <stdint.h>
#include <linux/ssns_sim.h>

#include "abi.h"

enum sim_ioc {
	SIM_INFO,
	SIM_EP_ALLOC,
	SIM_EP_FREE,
	SIM_SEND,
	SIM_RECV,
	SIM_WINDOW,
	SIM_WRITE,
	SIM_NR_IOC,
};

/*
 * What a table cannot know: the state of the kernel. The caller says
 * what it knows of each (ABI_MAYBE when it does not).
 */
enum sim_fact {
	SF_REVOKED,		/* the file is revoked */
	SF_BAD_HANDLE,		/* `handle` names no endpoint of the file */
	SF_ADMISSION,		/* the core refuses the endpoint */
	SF_NOMEM,		/* the kernel is out of memory */
	SF_MEMLOCK,		/* a window goes over RLIMIT_MEMLOCK */
	SF_PIN_FAULT,		/* the window's memory cannot be pinned */
	SF_HAS_WINDOW,		/* the endpoint has a window */
	SF_SRC_FAULT,		/* the data to send cannot be read */
	SF_NO_TARGET,		/* no endpoint at the target on the VNI */
	SF_NO_REMOTE_RANGE,	/* the target's window does not hold the range */
	SF_QUEUE_FULL,		/* the target's receive queue is full */
	SF_EMPTY,		/* nothing to receive before the timeout */
	SF_SIGNAL,		/* a signal interrupts a wait */
	SF_MSG_LONGER,		/* the message is longer than the buffer */
	SF_DST_FAULT,		/* the buffer cannot take the message */
	SF_COMPLETION,		/* a write's completion may be received */
	SF_SHAPED,		/* the device's shaper holds the message back */
	SF_NR,
};

/* All facts unknown. */
void sim_facts_unknown(enum abi_tri f[SF_NR]);

/* One ioctl: its number, name and the versions of its structure. */
struct sim_ioc_desc {
	const char *name;
	unsigned long cmd;
	uint32_t size;		/* the newest version, as built here */
	uint32_t ver0;		/* the first version */
};

extern const struct sim_ioc_desc sim_iocs[SIM_NR_IOC];

/* The errno of an ioctl number the device does not know. */
#define SIM_ABI_ENOTTY	ENOTTY

/* Is @cmd one of the ABI's ioctl numbers? */
bool sim_abi_known_cmd(unsigned long cmd);

/*
 * An argument as the kernel gets it: @p, of which @readable bytes can be
 * read (0 for NULL, unmapped or kernel memory), written back when
 * @writable. Its bytes are read (up to the size it gives) to evaluate the
 * rules, so they must be in place.
 */
struct sim_arg {
	const void *p;
	size_t readable;
	bool writable;
};

/*
 * The outcomes the ABI allows for ioctl @io with argument @a on a device
 * whose INFO is @dev, given the facts @f.
 */
void sim_abi_expect(enum sim_ioc io, const struct sim_arg *a,
		    const struct ssns_sim_info *dev,
		    const enum abi_tri f[SF_NR], struct abi_outcome *o);

/* The outcomes of an ioctl number that is not the ABI's. */
void sim_abi_expect_unknown(enum abi_tri revoked, struct abi_outcome *o);

/*
 * What the ABI says of the structure a call returned with @err: @in is
 * the argument as passed, @out as the call left it, @size its size field.
 * NULL when it holds, else what is wrong (in @buf).
 */
const char *sim_abi_check_out(enum sim_ioc io, const void *in,
			      const void *out, uint32_t size, int err,
			      const struct ssns_sim_info *dev,
			      const enum abi_tri f[SF_NR], char *buf,
			      size_t len);

/*
 * What poll() may report for a file: NULL when @revents is documented
 * (with @revoked what is known of its revocation), else what is wrong.
 */
const char *sim_abi_check_poll(short revents, enum abi_tri revoked);

#endif /* SSNS_SIM_ABI_H */
