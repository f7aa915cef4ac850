// SPDX-License-Identifier: LGPL-2.1-or-later OR GPL-2.0
/*
 * Parsing of netlink acknowledgements and their extended ack TLVs.
 *
 * An NLMSG_ERROR carries struct nlmsgerr, followed by the rest of the
 * request unless the ack was capped, then (with NLM_F_ACK_TLVS) the
 * NLMSGERR_ATTR_* attributes. The final NLMSG_DONE of a dump carries an
 * int error and, likewise, TLVs.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

static void parse_tlvs(const unsigned char *p, size_t len,
		       struct ssns__ack *ack)
{
	while (len >= sizeof(struct nlattr)) {
		const struct nlattr *a = (const void *)p;
		size_t alen = a->nla_len;
		size_t plen;
		const unsigned char *data = p + NLA_HDRLEN;

		if (alen < NLA_HDRLEN || alen > len)
			return;
		plen = alen - NLA_HDRLEN;

		switch (a->nla_type & NLA_TYPE_MASK) {
		case NLMSGERR_ATTR_MSG:
			if (plen) {
				size_t n = strnlen((const char *)data, plen);

				if (n >= sizeof(ack->msg))
					n = sizeof(ack->msg) - 1;
				memcpy(ack->msg, data, n);
				ack->msg[n] = '\0';
				/* drop a trailing newline some senders add */
				while (n && (ack->msg[n - 1] == '\n'))
					ack->msg[--n] = '\0';
				ack->has_msg = n > 0;
			}
			break;
		case NLMSGERR_ATTR_OFFS:
			if (plen >= sizeof(uint32_t)) {
				memcpy(&ack->offs, data, sizeof(uint32_t));
				ack->has_offs = true;
			}
			break;
		case NLMSGERR_ATTR_MISS_TYPE:
			if (plen >= sizeof(uint32_t)) {
				memcpy(&ack->miss_type, data, sizeof(uint32_t));
				ack->has_miss_type = true;
			}
			break;
		default:
			break;
		}
		alen = NLA_ALIGN(alen);
		if (alen >= len)
			return;
		p += alen;
		len -= alen;
	}
}

int ssns__parse_ack(const struct nlmsghdr *nlh, size_t len,
		    struct ssns__ack *ack)
{
	const unsigned char *base = (const void *)nlh;
	size_t mlen, off;
	int error;

	memset(ack, 0, sizeof(*ack));
	if (len < NLMSG_HDRLEN || nlh->nlmsg_len < NLMSG_HDRLEN ||
	    nlh->nlmsg_len > len)
		return -EPROTO;
	mlen = nlh->nlmsg_len;

	if (nlh->nlmsg_type == NLMSG_ERROR) {
		const struct nlmsgerr *e = (const void *)(base + NLMSG_HDRLEN);

		if (mlen < NLMSG_HDRLEN + sizeof(int))
			return -EPROTO;
		memcpy(&error, &e->error, sizeof(int));
		if (nlh->nlmsg_flags & NLM_F_CAPPED) {
			off = NLMSG_HDRLEN + sizeof(*e);
		} else {
			uint32_t olen;

			if (mlen < NLMSG_HDRLEN + sizeof(*e))
				return -EPROTO;
			memcpy(&olen, &e->msg.nlmsg_len, sizeof(olen));
			if (olen < NLMSG_HDRLEN)
				return -EPROTO;
			off = NLMSG_HDRLEN + offsetof(struct nlmsgerr, msg) +
			      NLMSG_ALIGN(olen);
		}
	} else if (nlh->nlmsg_type == NLMSG_DONE) {
		if (mlen < NLMSG_HDRLEN + sizeof(int)) {
			/* an empty DONE means success */
			ack->error = 0;
			return 0;
		}
		memcpy(&error, base + NLMSG_HDRLEN, sizeof(int));
		off = NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(int));
	} else {
		return -EPROTO;
	}

	if (error > 0)
		error = -error;	/* be liberal: some senders use positive */
	ack->error = error;

	if ((nlh->nlmsg_flags & NLM_F_ACK_TLVS) && off < mlen)
		parse_tlvs(base + off, mlen - off, ack);
	return 0;
}

/* Name of the attribute at offset off inside the request, if any. */
static const char *attr_at(const struct nlmsghdr *req, uint32_t off)
{
	const unsigned char *base = (const void *)req;
	const struct nlattr *a;
	uint16_t type;

	if (!req || off < NLMSG_HDRLEN ||
	    (size_t)off + sizeof(*a) > req->nlmsg_len)
		return NULL;
	a = (const void *)(base + off);
	memcpy(&type, &a->nla_type, sizeof(type));
	return ssns_attr_name(type & NLA_TYPE_MASK);
}

void ssns__ack_text(const struct ssns__ack *ack, const struct nlmsghdr *req,
		    char *buf, size_t len)
{
	const char *name;

	if (!len)
		return;
	buf[0] = '\0';
	if (ack->has_msg) {
		/* the kernel's text as is: it names the offending value */
		snprintf(buf, len, "%s", ack->msg);
	} else if (ack->has_miss_type) {
		name = ssns_attr_name(ack->miss_type);
		if (name)
			snprintf(buf, len, "missing attribute %s", name);
		else
			snprintf(buf, len, "missing attribute %u",
				 ack->miss_type);
	} else if (ack->has_offs) {
		name = attr_at(req, ack->offs);
		if (name)
			snprintf(buf, len, "invalid attribute %s", name);
	}
}
