// SPDX-License-Identifier: LGPL-2.1-or-later OR GPL-2.0
/*
 * The operations this provider does not offer. libfabric's inline calls
 * (fi_atomic(), fi_barrier()...) jump through the endpoint's
 * tables without checking them, so every slot gets a function that says
 * -FI_ENOSYS rather than a NULL that would crash the application.
 */
#include "ssnsfi.h"

#define UNUSED(x) (void)(x)

int sfi_no_bind(struct fid *fid, struct fid *bfid, uint64_t flags)
{
	UNUSED(fid); UNUSED(bfid); UNUSED(flags);
	return -FI_ENOSYS;
}

int sfi_no_control(struct fid *fid, int command, void *arg)
{
	UNUSED(fid); UNUSED(command); UNUSED(arg);
	return -FI_ENOSYS;
}

int sfi_no_ops_open(struct fid *fid, const char *name, uint64_t flags,
		    void **ops, void *context)
{
	UNUSED(fid); UNUSED(name); UNUSED(flags); UNUSED(ops); UNUSED(context);
	return -FI_ENOSYS;
}

int sfi_no_tostr(const struct fid *fid, char *buf, size_t len)
{
	UNUSED(fid); UNUSED(buf); UNUSED(len);
	return -FI_ENOSYS;
}

int sfi_no_ops_set(struct fid *fid, const char *name, uint64_t flags,
		   void *ops, void *context)
{
	UNUSED(fid); UNUSED(name); UNUSED(flags); UNUSED(ops); UNUSED(context);
	return -FI_ENOSYS;
}

/* --------------------------------------------------------------- atomics */

static ssize_t no_atomic(struct fid_ep *ep, const void *buf, size_t count,
			 void *desc, fi_addr_t dst, uint64_t addr,
			 uint64_t key, enum fi_datatype dt, enum fi_op op,
			 void *ctx)
{
	UNUSED(ep); UNUSED(buf); UNUSED(count); UNUSED(desc); UNUSED(dst);
	UNUSED(addr); UNUSED(key); UNUSED(dt); UNUSED(op); UNUSED(ctx);
	return -FI_ENOSYS;
}

static ssize_t no_atomicv(struct fid_ep *ep, const struct fi_ioc *iov,
			  void **desc, size_t count, fi_addr_t dst,
			  uint64_t addr, uint64_t key, enum fi_datatype dt,
			  enum fi_op op, void *ctx)
{
	UNUSED(ep); UNUSED(iov); UNUSED(desc); UNUSED(count); UNUSED(dst);
	UNUSED(addr); UNUSED(key); UNUSED(dt); UNUSED(op); UNUSED(ctx);
	return -FI_ENOSYS;
}

static ssize_t no_atomicmsg(struct fid_ep *ep, const struct fi_msg_atomic *msg,
			    uint64_t flags)
{
	UNUSED(ep); UNUSED(msg); UNUSED(flags);
	return -FI_ENOSYS;
}

static ssize_t no_atomic_inject(struct fid_ep *ep, const void *buf,
				size_t count, fi_addr_t dst, uint64_t addr,
				uint64_t key, enum fi_datatype dt,
				enum fi_op op)
{
	UNUSED(ep); UNUSED(buf); UNUSED(count); UNUSED(dst); UNUSED(addr);
	UNUSED(key); UNUSED(dt); UNUSED(op);
	return -FI_ENOSYS;
}

static ssize_t no_readwrite(struct fid_ep *ep, const void *buf, size_t count,
			    void *desc, void *result, void *result_desc,
			    fi_addr_t dst, uint64_t addr, uint64_t key,
			    enum fi_datatype dt, enum fi_op op, void *ctx)
{
	UNUSED(ep); UNUSED(buf); UNUSED(count); UNUSED(desc); UNUSED(result);
	UNUSED(result_desc); UNUSED(dst); UNUSED(addr); UNUSED(key);
	UNUSED(dt); UNUSED(op); UNUSED(ctx);
	return -FI_ENOSYS;
}

static ssize_t no_readwritev(struct fid_ep *ep, const struct fi_ioc *iov,
			     void **desc, size_t count,
			     struct fi_ioc *resultv, void **result_desc,
			     size_t result_count, fi_addr_t dst,
			     uint64_t addr, uint64_t key,
			     enum fi_datatype dt, enum fi_op op, void *ctx)
{
	UNUSED(ep); UNUSED(iov); UNUSED(desc); UNUSED(count); UNUSED(resultv);
	UNUSED(result_desc); UNUSED(result_count); UNUSED(dst); UNUSED(addr);
	UNUSED(key); UNUSED(dt); UNUSED(op); UNUSED(ctx);
	return -FI_ENOSYS;
}

static ssize_t no_readwritemsg(struct fid_ep *ep,
			       const struct fi_msg_atomic *msg,
			       struct fi_ioc *resultv, void **result_desc,
			       size_t result_count, uint64_t flags)
{
	UNUSED(ep); UNUSED(msg); UNUSED(resultv); UNUSED(result_desc);
	UNUSED(result_count); UNUSED(flags);
	return -FI_ENOSYS;
}

static ssize_t no_compwrite(struct fid_ep *ep, const void *buf, size_t count,
			    void *desc, const void *compare,
			    void *compare_desc, void *result,
			    void *result_desc, fi_addr_t dst, uint64_t addr,
			    uint64_t key, enum fi_datatype dt, enum fi_op op,
			    void *ctx)
{
	UNUSED(ep); UNUSED(buf); UNUSED(count); UNUSED(desc); UNUSED(compare);
	UNUSED(compare_desc); UNUSED(result); UNUSED(result_desc); UNUSED(dst);
	UNUSED(addr); UNUSED(key); UNUSED(dt); UNUSED(op); UNUSED(ctx);
	return -FI_ENOSYS;
}

static ssize_t no_compwritev(struct fid_ep *ep, const struct fi_ioc *iov,
			     void **desc, size_t count,
			     const struct fi_ioc *comparev,
			     void **compare_desc, size_t compare_count,
			     struct fi_ioc *resultv, void **result_desc,
			     size_t result_count, fi_addr_t dst,
			     uint64_t addr, uint64_t key,
			     enum fi_datatype dt, enum fi_op op, void *ctx)
{
	UNUSED(ep); UNUSED(iov); UNUSED(desc); UNUSED(count); UNUSED(comparev);
	UNUSED(compare_desc); UNUSED(compare_count); UNUSED(resultv);
	UNUSED(result_desc); UNUSED(result_count); UNUSED(dst); UNUSED(addr);
	UNUSED(key); UNUSED(dt); UNUSED(op); UNUSED(ctx);
	return -FI_ENOSYS;
}

static ssize_t no_compwritemsg(struct fid_ep *ep,
			       const struct fi_msg_atomic *msg,
			       const struct fi_ioc *comparev,
			       void **compare_desc, size_t compare_count,
			       struct fi_ioc *resultv, void **result_desc,
			       size_t result_count, uint64_t flags)
{
	UNUSED(ep); UNUSED(msg); UNUSED(comparev); UNUSED(compare_desc);
	UNUSED(compare_count); UNUSED(resultv); UNUSED(result_desc);
	UNUSED(result_count); UNUSED(flags);
	return -FI_ENOSYS;
}

static int no_atomicvalid(struct fid_ep *ep, enum fi_datatype dt,
			  enum fi_op op, size_t *count)
{
	UNUSED(ep); UNUSED(dt); UNUSED(op); UNUSED(count);
	return -FI_ENOSYS;
}

struct fi_ops_atomic sfi_no_atomic_ops = {
	.size = sizeof(struct fi_ops_atomic),
	.write = no_atomic,
	.writev = no_atomicv,
	.writemsg = no_atomicmsg,
	.inject = no_atomic_inject,
	.readwrite = no_readwrite,
	.readwritev = no_readwritev,
	.readwritemsg = no_readwritemsg,
	.compwrite = no_compwrite,
	.compwritev = no_compwritev,
	.compwritemsg = no_compwritemsg,
	.writevalid = no_atomicvalid,
	.readwritevalid = no_atomicvalid,
	.compwritevalid = no_atomicvalid,
};

/* ------------------------------------------------------------ collectives */

static ssize_t no_barrier(struct fid_ep *ep, fi_addr_t coll, void *ctx)
{
	UNUSED(ep); UNUSED(coll); UNUSED(ctx);
	return -FI_ENOSYS;
}

static ssize_t no_broadcast(struct fid_ep *ep, void *buf, size_t count,
			    void *desc, fi_addr_t coll, fi_addr_t root,
			    enum fi_datatype dt, uint64_t flags, void *ctx)
{
	UNUSED(ep); UNUSED(buf); UNUSED(count); UNUSED(desc); UNUSED(coll);
	UNUSED(root); UNUSED(dt); UNUSED(flags); UNUSED(ctx);
	return -FI_ENOSYS;
}

static ssize_t no_coll(struct fid_ep *ep, const void *buf, size_t count,
		       void *desc, void *result, void *result_desc,
		       fi_addr_t coll, enum fi_datatype dt, uint64_t flags,
		       void *ctx)
{
	UNUSED(ep); UNUSED(buf); UNUSED(count); UNUSED(desc); UNUSED(result);
	UNUSED(result_desc); UNUSED(coll); UNUSED(dt); UNUSED(flags);
	UNUSED(ctx);
	return -FI_ENOSYS;
}

static ssize_t no_coll_op(struct fid_ep *ep, const void *buf, size_t count,
			  void *desc, void *result, void *result_desc,
			  fi_addr_t coll, enum fi_datatype dt, enum fi_op op,
			  uint64_t flags, void *ctx)
{
	UNUSED(ep); UNUSED(buf); UNUSED(count); UNUSED(desc); UNUSED(result);
	UNUSED(result_desc); UNUSED(coll); UNUSED(dt); UNUSED(op);
	UNUSED(flags); UNUSED(ctx);
	return -FI_ENOSYS;
}

static ssize_t no_coll_root_op(struct fid_ep *ep, const void *buf,
			       size_t count, void *desc, void *result,
			       void *result_desc, fi_addr_t coll,
			       fi_addr_t root, enum fi_datatype dt,
			       enum fi_op op, uint64_t flags, void *ctx)
{
	UNUSED(ep); UNUSED(buf); UNUSED(count); UNUSED(desc); UNUSED(result);
	UNUSED(result_desc); UNUSED(coll); UNUSED(root); UNUSED(dt);
	UNUSED(op); UNUSED(flags); UNUSED(ctx);
	return -FI_ENOSYS;
}

static ssize_t no_coll_root(struct fid_ep *ep, const void *buf, size_t count,
			    void *desc, void *result, void *result_desc,
			    fi_addr_t coll, fi_addr_t root,
			    enum fi_datatype dt, uint64_t flags, void *ctx)
{
	UNUSED(ep); UNUSED(buf); UNUSED(count); UNUSED(desc); UNUSED(result);
	UNUSED(result_desc); UNUSED(coll); UNUSED(root); UNUSED(dt);
	UNUSED(flags); UNUSED(ctx);
	return -FI_ENOSYS;
}

static ssize_t no_coll_msg(struct fid_ep *ep,
			   const struct fi_msg_collective *msg,
			   struct fi_ioc *resultv, void **result_desc,
			   size_t result_count, uint64_t flags)
{
	UNUSED(ep); UNUSED(msg); UNUSED(resultv); UNUSED(result_desc);
	UNUSED(result_count); UNUSED(flags);
	return -FI_ENOSYS;
}

static ssize_t no_barrier2(struct fid_ep *ep, fi_addr_t coll, uint64_t flags,
			   void *ctx)
{
	UNUSED(ep); UNUSED(coll); UNUSED(flags); UNUSED(ctx);
	return -FI_ENOSYS;
}

struct fi_ops_collective sfi_no_collective_ops = {
	.size = sizeof(struct fi_ops_collective),
	.barrier = no_barrier,
	.broadcast = no_broadcast,
	.alltoall = no_coll,
	.allreduce = no_coll_op,
	.allgather = no_coll,
	.reduce_scatter = no_coll_op,
	.reduce = no_coll_root_op,
	.scatter = no_coll_root,
	.gather = no_coll_root,
	.msg = no_coll_msg,
	.barrier2 = no_barrier2,
};
