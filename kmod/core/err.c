// SPDX-License-Identifier: GPL-2.0
/*
 * ssns: error messages for the caller (extack), naming the offending value.
 *
 * Linux 6.2 and later keep a formatted message in the extack itself
 * (NETLINK_MAX_FMTMSG_LEN, 80 bytes: longer messages are cut there). Linux
 * 6.1 has no room for one, and reads the text after the handler returned
 * (outside genl_mutex), so there each message lives in a slot of a ring
 * that is reused only after SSNS_ERR_SLOTS later messages (160 bytes each;
 * the last byte of a slot is never written, so a slot stays terminated).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt
#include <linux/kernel.h>
#include <linux/atomic.h>
#include <linux/netlink.h>
#include "core.h"

#ifdef NETLINK_MAX_FMTMSG_LEN

void ssns_err(struct netlink_ext_ack *extack, const struct nlattr *attr,
	      const char *fmt, ...)
{
	va_list args;
	int n;

	if (!extack)
		return;
	n = scnprintf(extack->_msg_buf, NETLINK_MAX_FMTMSG_LEN, "ssns: ");
	va_start(args, fmt);
	vscnprintf(extack->_msg_buf + n, NETLINK_MAX_FMTMSG_LEN - n, fmt,
		   args);
	va_end(args);
	extack->_msg = extack->_msg_buf;
	extack->bad_attr = attr;
}

#else

#define SSNS_ERR_SLOTS	64
#define SSNS_ERR_LEN	160
static char ssns_err_ring[SSNS_ERR_SLOTS][SSNS_ERR_LEN + 1];
static atomic_t ssns_err_next = ATOMIC_INIT(0);

void ssns_err(struct netlink_ext_ack *extack, const struct nlattr *attr,
	      const char *fmt, ...)
{
	unsigned int slot;
	va_list args;
	char *buf;
	int n;

	if (!extack)
		return;
	slot = (unsigned int)atomic_inc_return(&ssns_err_next) % SSNS_ERR_SLOTS;
	buf = ssns_err_ring[slot];
	n = scnprintf(buf, SSNS_ERR_LEN, "ssns: ");
	va_start(args, fmt);
	vscnprintf(buf + n, SSNS_ERR_LEN - n, fmt, args);
	va_end(args);
	extack->_msg = buf;
	extack->bad_attr = attr;
}

#endif
