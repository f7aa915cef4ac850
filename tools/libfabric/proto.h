/* SPDX-License-Identifier: LGPL-2.1-or-later OR GPL-2.0 */
/*
 * The provider's wire format: what two ssns endpoints say to each other in
 * the messages of the simulated NIC (SSNS_SIM_IOC_SEND). Both ends run on
 * one kernel's fabric, so fields are in host byte order.
 *
 * Small messages go whole (EAGER: header + payload). A larger one is a
 * rendezvous: the sender announces it (RTS); the receiver, once a receive
 * matches, exposes the destination buffer as its endpoint's window and
 * grants a segment of it (CTS); the sender writes the segment straight into
 * that buffer (SSNS_SIM_IOC_WRITE, one copy) and the receiver counts the
 * write completions. A buffer that cannot be a window (memlock limit, not
 * writable) is granted with SFI_F_NOWIN: the sender then moves the segment
 * in DATA messages.
 *
 * RMA is the target's software: a small write carries its data (WRITE), a
 * large one asks for a grant (WREQ) into the registered memory, which the
 * target exposes as its window like a receive buffer. A read asks (READ);
 * the target answers with the data (RDATA) or, for a large one, offers it
 * (RRTS) and the reader grants its buffer. ACK reports a write's result, or
 * a refusal (bad key, access, range).
 */
#ifndef SSNSFI_PROTO_H
#define SSNSFI_PROTO_H

#include <stdint.h>

#define SFI_PROTO_VERSION	1

enum sfi_op {
	SFI_OP_EAGER = 1,	/* tag, data, len = payload bytes, payload */
	SFI_OP_RTS,		/* tag, data, len = message bytes, id = source */
	SFI_OP_CTS,		/* id = source, id2 = sink, off/len = segment */
	SFI_OP_DATA,		/* id = sink, off = message offset, payload */
	SFI_OP_WRITE,		/* id = op (0: no answer), tag = key, off = address, payload */
	SFI_OP_WREQ,		/* id = source, tag = key, off = address, len */
	SFI_OP_READ,		/* id = sink, tag = key, off = address, len */
	SFI_OP_RDATA,		/* id = sink, payload */
	SFI_OP_RRTS,		/* id = source, id2 = sink, len */
	SFI_OP_ACK,		/* id = op, source or sink; id2 = 0 or an FI errno */
	SFI_OP_MAX = SFI_OP_ACK,
};

#define SFI_F_TAGGED	0x1	/* EAGER, RTS: a tagged message */
#define SFI_F_DATA	0x2	/* EAGER, RTS: remote CQ data present */
#define SFI_F_LAST	0x4	/* CTS: the last segment of the grant */
#define SFI_F_NOWIN	0x8	/* CTS: send the segment, do not write it */
#define SFI_F_READ	0x10	/* ACK: of a read (id names a sink) */

struct sfi_hdr {
	uint8_t op;
	uint8_t version;
	uint16_t flags;
	uint32_t id;
	uint32_t id2;
	uint32_t reserved;
	uint64_t tag;
	uint64_t data;
	uint64_t len;
	uint64_t off;
};

_Static_assert(sizeof(struct sfi_hdr) == 48, "wire header size");

/* The address of an endpoint: fi_getname() and fi_av_insert() format. */
struct sfi_addr {
	uint32_t dev;		/* fabric index of the device */
	uint32_t ep;		/* endpoint address on it */
};

_Static_assert(sizeof(struct sfi_addr) == 8, "address size");

#endif /* SSNSFI_PROTO_H */
