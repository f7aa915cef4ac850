// SPDX-License-Identifier: GPL-2.0
/*
 * fi_check: the corners of the libfabric provider "ssns" that fi_pingpong
 * and MPI do not reach on purpose, through the libfabric API, in one
 * process with two endpoints A and B on device DEV:
 *
 *   fi_check [-d DEV]
 *
 * A rendezvous whose RTS arrives before its receive; truncation (eager and
 * rendezvous: FI_ETRUNC and olen); iovecs on both sides; two large
 * receives granted one after the other; FI_PEEK, FI_CLAIM, FI_ENOMSG;
 * fi_cancel; a large send to oneself; FI_DIRECTED_RECV; more injects than
 * the kernel's receive queue holds (EAGAIN, retried, none lost, in order);
 * fi_cq_sread's timeout; an address not in the AV; RMA writes and reads,
 * small and large, remote CQ data, refusals (key, access, range). Prints
 * "ok N - what" or
 * "not ok N - what" per check and exits 1 when one failed. FI_SSNS_* (the
 * provider's parameters) change the paths taken: FI_SSNS_WINDOW=0,
 * FI_SSNS_EAGER_SIZE.
 */
#include <rdma/fabric.h>
#include <rdma/fi_cm.h>
#include <rdma/fi_domain.h>
#include <rdma/fi_endpoint.h>
#include <rdma/fi_errno.h>
#include <rdma/fi_rma.h>
#include <rdma/fi_tagged.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define BIG	(3U << 20)
#define WAIT_S	20

struct side {
	struct fid_domain *dom;
	struct fid_ep *ep;
	struct fid_cq *cq;
	struct fid_av *av;
	fi_addr_t peer, self;
	char name[16];
};

/* A completion read while waiting for another one. */
struct seen {
	struct side *s;
	void *ctx;
	int err;
	size_t len, olen;
	uint64_t tag, data, flags;
};

static struct fid_fabric *fab;
static struct fi_info *info;
static struct side A, B;
static struct seen seen[512];
static int nseen, nchecks, nfailed;

static void die(int line, const char *what, long ret)
{
	fprintf(stderr, "fi_check: line %d: %s: %s\n", line, what,
		fi_strerror((int)-ret));
	exit(2);
}

#define CK(x) do { long _r = (x); if (_r < 0) die(__LINE__, #x, _r); } while (0)

static void check(int ok, const char *what)
{
	nchecks++;
	if (!ok)
		nfailed++;
	printf("%sok %d - %s\n", ok ? "" : "not ", nchecks, what);
	fflush(stdout);
}

static void open_side(struct side *s)
{
	struct fi_cq_attr ca = { .format = FI_CQ_FORMAT_TAGGED,
				 .wait_obj = FI_WAIT_FD };
	struct fi_av_attr aa = { .type = FI_AV_TABLE };
	size_t len = sizeof(s->name);

	CK(fi_domain(fab, info, &s->dom, NULL));
	CK(fi_cq_open(s->dom, &ca, &s->cq, NULL));
	CK(fi_av_open(s->dom, &aa, &s->av, NULL));
	CK(fi_endpoint(s->dom, info, &s->ep, NULL));
	CK(fi_ep_bind(s->ep, &s->cq->fid, FI_TRANSMIT | FI_RECV));
	CK(fi_ep_bind(s->ep, &s->av->fid, 0));
	CK(fi_enable(s->ep));
	CK(fi_getname(&s->ep->fid, s->name, &len));
}

/* Read what both CQs have (count 0: progress only), keeping it. */
static void poll_both(void)
{
	struct side *sides[2] = { &A, &B };
	struct fi_cq_tagged_entry e;
	struct fi_cq_err_entry ee;
	int k;

	for (k = 0; k < 2; k++) {
		ssize_t r = fi_cq_read(sides[k]->cq, &e, 1);
		struct seen *n = &seen[nseen];

		if (r == -FI_EAVAIL) {
			memset(&ee, 0, sizeof(ee));
			if (fi_cq_readerr(sides[k]->cq, &ee, 0) != 1)
				continue;
			n->ctx = ee.op_context;
			n->err = ee.err;
			n->len = ee.len;
			n->olen = ee.olen;
			n->tag = ee.tag;
			n->data = ee.data;
			n->flags = ee.flags;
		} else if (r == 1) {
			n->ctx = e.op_context;
			n->err = 0;
			n->len = e.len;
			n->olen = 0;
			n->tag = e.tag;
			n->data = e.data;
			n->flags = e.flags;
		} else {
			continue;
		}
		n->s = sides[k];
		if (nseen + 1 < (int)(sizeof(seen) / sizeof(seen[0])))
			nseen++;
	}
}

/* The completion of ctx on s (both sides progress meanwhile), or NULL. */
static struct seen *wait_for(struct side *s, void *ctx, int secs)
{
	static struct seen found;
	time_t t0 = time(NULL);
	int i;

	for (;;) {
		for (i = 0; i < nseen; i++) {
			if (seen[i].s != s || seen[i].ctx != ctx)
				continue;
			found = seen[i];
			seen[i] = seen[--nseen];
			return &found;
		}
		if (time(NULL) - t0 >= secs)
			return NULL;
		poll_both();
	}
}

static int ok_done(struct side *s, void *ctx)
{
	struct seen *c = wait_for(s, ctx, WAIT_S);

	return c && !c->err;
}

int main(int argc, char **argv)
{
	const char *dev = "cxi0";
	struct fi_info *hints;
	struct seen *c;
	char *src, *r1, *r2;
	int c1, c2, c3, c4, opt, i, got;
	size_t k;

	while ((opt = getopt(argc, argv, "d:")) != -1) {
		if (opt != 'd') {
			fprintf(stderr, "usage: fi_check [-d DEV]\n");
			return 2;
		}
		dev = optarg;
	}
	hints = fi_allocinfo();
	if (!hints)
		return 2;
	hints->ep_attr->type = FI_EP_RDM;
	hints->caps = FI_TAGGED | FI_DIRECTED_RECV | FI_RMA | FI_READ |
		      FI_WRITE | FI_REMOTE_READ | FI_REMOTE_WRITE;
	hints->fabric_attr->prov_name = strdup("ssns");
	hints->domain_attr->name = strdup(dev);
	CK(fi_getinfo(FI_VERSION(1, 17), NULL, NULL, 0, hints, &info));
	CK(fi_fabric(info->fabric_attr, &fab, NULL));
	open_side(&A);
	open_side(&B);
	CK(fi_av_insert(A.av, B.name, 1, &A.peer, 0, NULL));
	CK(fi_av_insert(B.av, A.name, 1, &B.peer, 0, NULL));
	CK(fi_av_insert(A.av, A.name, 1, &A.self, 0, NULL));
	src = malloc(BIG);
	r1 = malloc(BIG);
	r2 = malloc(BIG);
	if (!src || !r1 || !r2)
		return 2;
	for (k = 0; k < BIG; k++)
		src[k] = (char)(k * 7 + 3);

	/* The RTS before the receive: kept as unexpected, then matched. */
	CK(fi_tsend(A.ep, src, BIG, NULL, A.peer, 5, &c1));
	for (i = 0; i < 50; i++)
		poll_both();
	memset(r1, 0, BIG);
	CK(fi_trecv(B.ep, r1, BIG, NULL, B.peer, 5, 0, &c2));
	c = wait_for(&B, &c2, WAIT_S);
	check(c && !c->err && c->len == BIG && c->tag == 5 &&
	      !memcmp(r1, src, BIG), "3 MiB, the receive posted after the RTS came");
	check(ok_done(&A, &c1), "... its send completes");

	/* Truncation. */
	CK(fi_trecv(B.ep, r1, 1000000, NULL, B.peer, 6, 0, &c2));
	CK(fi_tsend(A.ep, src, BIG, NULL, A.peer, 6, &c1));
	c = wait_for(&B, &c2, WAIT_S);
	check(c && c->err == FI_ETRUNC && c->olen == BIG - 1000000 &&
	      !memcmp(r1, src, 1000000), "rendezvous into a smaller buffer: FI_ETRUNC, olen, what fits");
	check(ok_done(&A, &c1), "... the send completes");
	CK(fi_trecv(B.ep, r1, 10, NULL, B.peer, 7, 0, &c2));
	CK(fi_tsend(A.ep, src, 100, NULL, A.peer, 7, &c1));
	c = wait_for(&B, &c2, WAIT_S);
	check(c && c->err == FI_ETRUNC && c->olen == 90,
	      "eager into a smaller buffer: FI_ETRUNC, olen");
	check(ok_done(&A, &c1), "... the send completes");

	/* iovecs on both sides, split differently. */
	{
		struct iovec si[3] = { { src, 100000 },
				       { src + 100000, 900000 },
				       { src + 1000000, 2000000 } };
		struct iovec ri[2] = { { r1, 1500000 }, { r2, 1500000 } };

		memset(r1, 0, BIG);
		memset(r2, 0, BIG);
		CK(fi_trecvv(B.ep, ri, NULL, 2, B.peer, 8, 0, &c2));
		CK(fi_tsendv(A.ep, si, NULL, 3, A.peer, 8, &c1));
		c = wait_for(&B, &c2, WAIT_S);
		check(c && !c->err && c->len == 3000000 &&
		      !memcmp(r1, src, 1500000) &&
		      !memcmp(r2, src + 1500000, 1500000),
		      "3 iovecs into 2: every byte in place");
		check(ok_done(&A, &c1), "... the send completes");
	}

	/* Two large receives: one window, granted in turn. */
	memset(r1, 0, BIG);
	memset(r2, 0, BIG);
	CK(fi_trecv(B.ep, r1, BIG, NULL, B.peer, 9, 0, &c2));
	CK(fi_trecv(B.ep, r2, BIG, NULL, B.peer, 10, 0, &c3));
	CK(fi_tsend(A.ep, src + 1, BIG - 1, NULL, A.peer, 10, &c1));
	CK(fi_tsend(A.ep, src, BIG, NULL, A.peer, 9, &c4));
	c = wait_for(&B, &c3, WAIT_S);
	check(c && !c->err && c->len == BIG - 1 && !memcmp(r2, src + 1, BIG - 1),
	      "two large receives at once: the second one's data");
	c = wait_for(&B, &c2, WAIT_S);
	check(c && !c->err && !memcmp(r1, src, BIG), "... and the first one's");
	check(ok_done(&A, &c1) && ok_done(&A, &c4), "... both sends complete");

	/* FI_PEEK, FI_CLAIM, FI_ENOMSG. */
	CK(fi_tsend(A.ep, src, 2000000, NULL, A.peer, 11, &c1));
	for (i = 0; i < 50; i++)
		poll_both();
	{
		struct iovec iv = { r1, BIG };
		struct fi_msg_tagged m = {
			.msg_iov = &iv, .iov_count = 1, .addr = FI_ADDR_UNSPEC,
			.tag = 11, .context = &c2,
		};

		CK(fi_trecvmsg(B.ep, &m, FI_PEEK | FI_CLAIM | FI_COMPLETION));
		c = wait_for(&B, &c2, WAIT_S);
		check(c && !c->err && c->len == 2000000 && c->tag == 11,
		      "FI_PEEK|FI_CLAIM sees the message's length and tag");
		memset(r1, 0, BIG);
		CK(fi_trecvmsg(B.ep, &m, FI_CLAIM | FI_COMPLETION));
		c = wait_for(&B, &c2, WAIT_S);
		check(c && !c->err && c->len == 2000000 &&
		      !memcmp(r1, src, 2000000), "FI_CLAIM receives it");
		check(ok_done(&A, &c1), "... the send completes");
		m.tag = 12;
		CK(fi_trecvmsg(B.ep, &m, FI_PEEK | FI_COMPLETION));
		c = wait_for(&B, &c2, WAIT_S);
		check(c && c->err == FI_ENOMSG, "FI_PEEK of nothing: FI_ENOMSG");
	}

	/* fi_cancel. */
	CK(fi_trecv(B.ep, r1, 10, NULL, B.peer, 13, 0, &c3));
	check(fi_cancel(&B.ep->fid, &c3) == 0, "fi_cancel of a posted receive");
	c = wait_for(&B, &c3, WAIT_S);
	check(c && c->err == FI_ECANCELED, "... completes with FI_ECANCELED");
	check(fi_cancel(&B.ep->fid, &c3) == -FI_ENOENT, "... once");

	/* To oneself (FI_LOCAL_COMM), large. */
	memset(r1, 0, BIG);
	CK(fi_trecv(A.ep, r1, BIG, NULL, A.self, 14, 0, &c2));
	CK(fi_tsend(A.ep, src, BIG, NULL, A.self, 14, &c1));
	c = wait_for(&A, &c2, WAIT_S);
	check(c && !c->err && !memcmp(r1, src, BIG), "3 MiB to oneself");
	check(ok_done(&A, &c1), "... the send completes");

	/* FI_DIRECTED_RECV: a receive from A itself ignores B. */
	CK(fi_trecv(A.ep, r1, 100, NULL, A.self, 15, 0, &c2));
	CK(fi_tsend(B.ep, src, 50, NULL, B.peer, 15, &c1));
	check(ok_done(&B, &c1), "B's message sent");
	check(!wait_for(&A, &c2, 3), "a receive from oneself does not take it");
	CK(fi_tsend(A.ep, src + 1, 50, NULL, A.self, 15, &c4));
	c = wait_for(&A, &c2, WAIT_S);
	check(c && !c->err && !memcmp(r1, src + 1, 50), "... but its own message");
	check(ok_done(&A, &c4), "... whose send completes");
	CK(fi_trecv(A.ep, r1, 100, NULL, FI_ADDR_UNSPEC, 15, 0, &c2));
	c = wait_for(&A, &c2, WAIT_S);
	check(c && !c->err && !memcmp(r1, src, 50),
	      "a receive from anyone takes B's, still unexpected");

	/* More injects than the kernel's receive queue holds. */
	for (i = 0; i < 500; i++) {
		ssize_t r;

		while ((r = fi_tinject(A.ep, &i, sizeof(i), A.peer, 16)) ==
		       -FI_EAGAIN)
			poll_both();
		CK(r);
	}
	for (i = got = 0; i < 500; i++) {
		int v = -1;

		CK(fi_trecv(B.ep, &v, sizeof(v), NULL, B.peer, 16, 0, &c2));
		if (ok_done(&B, &c2) && v == i)
			got++;
	}
	check(got == 500, "500 injects through a full queue: none lost, in order");

	/* RMA into B's registered memory (0-based addresses). */
	{
		struct fid_mr *mr, *wo;
		char *mem = calloc(1, BIG), *wonly = calloc(1, 4096);

		if (!mem || !wonly)
			return 2;
		CK(fi_mr_reg(B.dom, mem, BIG, FI_REMOTE_READ | FI_REMOTE_WRITE,
			     0, 0x1234, 0, &mr, NULL));
		CK(fi_mr_reg(B.dom, wonly, 4096, FI_REMOTE_WRITE, 0, 0x99, 0,
			     &wo, NULL));
		check(fi_mr_reg(B.dom, mem, 10, FI_REMOTE_READ, 0, 0x1234, 0,
				&mr, NULL) == -FI_ENOKEY, "a key twice: -FI_ENOKEY");
		CK(fi_write(A.ep, src, 100, NULL, A.peer, 10, 0x1234, &c1));
		check(ok_done(&A, &c1) && !memcmp(mem + 10, src, 100),
		      "fi_write, 100 bytes at 10");
		CK(fi_write(A.ep, src + 5, BIG - 64, NULL, A.peer, 64, 0x1234,
			    &c1));
		check(ok_done(&A, &c1) && !memcmp(mem + 64, src + 5, BIG - 64),
		      "fi_write, 3 MiB - 64 at 64 (a grant into registered memory)");
		CK(fi_writedata(A.ep, src, 8, NULL, 0xabcdef, A.peer, 0, 0x1234,
				&c1));
		check(ok_done(&A, &c1), "fi_writedata");
		c = wait_for(&B, NULL, WAIT_S);
		check(c && !c->err && c->data == 0xabcdef && c->len == 8 &&
		      (c->flags & FI_REMOTE_CQ_DATA) && (c->flags & FI_REMOTE_WRITE),
		      "... the target's completion carries the data");
		memset(r1, 0, BIG);
		CK(fi_read(A.ep, r1, 200, NULL, A.peer, 1000, 0x1234, &c1));
		check(ok_done(&A, &c1) && !memcmp(r1, mem + 1000, 200),
		      "fi_read, 200 bytes at 1000");
		CK(fi_read(A.ep, r1, 2000000, NULL, A.peer, 0, 0x1234, &c1));
		check(ok_done(&A, &c1) && !memcmp(r1, mem, 2000000),
		      "fi_read, 2 MB (offered, granted, written)");
		CK(fi_write(A.ep, src, 100, NULL, A.peer, 0, 0x4321, &c1));
		c = wait_for(&A, &c1, WAIT_S);
		check(c && c->err == FI_ENOKEY, "fi_write with a wrong key: FI_ENOKEY");
		CK(fi_read(A.ep, r1, 100, NULL, A.peer, 0, 0x4321, &c1));
		c = wait_for(&A, &c1, WAIT_S);
		check(c && c->err == FI_ENOKEY, "fi_read with a wrong key: FI_ENOKEY");
		CK(fi_write(A.ep, src, 100000, NULL, A.peer, BIG - 10, 0x1234,
			    &c1));
		c = wait_for(&A, &c1, WAIT_S);
		check(c && c->err == FI_EINVAL, "a large write past the region: FI_EINVAL");
		CK(fi_read(A.ep, r1, 100, NULL, A.peer, 0, 0x99, &c1));
		c = wait_for(&A, &c1, WAIT_S);
		check(c && c->err == FI_EACCES,
		      "a read of write-only memory: FI_EACCES");
		fi_close(&wo->fid);
		fi_close(&mr->fid);
		free(mem);
		free(wonly);
	}

	{
		struct fi_cq_tagged_entry e;

		check(fi_cq_sread(A.cq, &e, 1, NULL, 50) == -FI_EAGAIN,
		      "fi_cq_sread of nothing times out");
	}
	check(fi_tsend(A.ep, src, 10, NULL, 99, 1, &c1) == -FI_EINVAL,
	      "a send to an address not in the AV: -FI_EINVAL");

	fi_close(&A.ep->fid);
	fi_close(&B.ep->fid);
	fi_close(&A.av->fid);
	fi_close(&B.av->fid);
	fi_close(&A.cq->fid);
	fi_close(&B.cq->fid);
	fi_close(&A.dom->fid);
	fi_close(&B.dom->fid);
	fi_close(&fab->fid);
	fi_freeinfo(info);
	fi_freeinfo(hints);
	free(src);
	free(r1);
	free(r2);
	printf("fi_check: %d of %d checks failed\n", nfailed, nchecks);
	return nfailed ? 1 : 0;
}
