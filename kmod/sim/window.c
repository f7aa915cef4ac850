// SPDX-License-Identifier: GPL-2.0
/*
 * ssns_sim: receive windows, the memory that writes land in.
 *
 * SSNS_SIM_IOC_WINDOW pins the caller's pages for writing (long-term, and
 * charged to its pinned_vm against RLIMIT_MEMLOCK, as RDMA memory
 * registration does) and hangs them on an endpoint. A write then copies
 * from the writer's user memory straight into those pages: one copy, where
 * a send takes two (into a kernel buffer, and out of it on receive). This
 * is the simulated NIC's fast path for large transfers, the counterpart of
 * a NIC placing an RDMA write in registered memory.
 */
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include "sim.h"

static void sim_window_free(struct sim_window *win)
{
	unpin_user_pages_dirty_lock(win->pages, win->npages, true);
	atomic64_sub(win->npages, &win->mm->pinned_vm);
	mmdrop(win->mm);
	kvfree(win->pages);
	kfree(win);
}

void sim_window_put(struct sim_window *win)
{
	if (win && refcount_dec_and_test(&win->ref))
		sim_window_free(win);
}

/* Pin [addr, addr + len) of the caller's memory as a window. */
static struct sim_window *sim_window_pin(u64 addr, u64 len)
{
	unsigned long start = addr & PAGE_MASK, limit, done = 0;
	struct mm_struct *mm = current->mm;
	struct sim_window *win;
	int ret;

	win = kzalloc(sizeof(*win), GFP_KERNEL_ACCOUNT);
	if (!win)
		return ERR_PTR(-ENOMEM);
	refcount_set(&win->ref, 1);
	win->first_off = offset_in_page(addr);
	win->len = len;
	win->npages = DIV_ROUND_UP(win->first_off + len, PAGE_SIZE);
	win->pages = kvmalloc_array(win->npages, sizeof(*win->pages),
				    GFP_KERNEL_ACCOUNT);
	if (!win->pages) {
		ret = -ENOMEM;
		goto err_free;
	}

	limit = rlimit(RLIMIT_MEMLOCK) >> PAGE_SHIFT;
	if (atomic64_add_return(win->npages, &mm->pinned_vm) > limit &&
	    !capable(CAP_IPC_LOCK)) {
		ret = -ENOMEM;
		goto err_unaccount;
	}
	while (done < win->npages) {
		ret = pin_user_pages_fast(start + done * PAGE_SIZE,
					  win->npages - done,
					  FOLL_WRITE | FOLL_LONGTERM,
					  win->pages + done);
		if (ret <= 0) {
			ret = ret ?: -EFAULT;
			goto err_unpin;
		}
		done += ret;
	}
	mmgrab(mm);
	win->mm = mm;
	return win;

err_unpin:
	unpin_user_pages(win->pages, done);
err_unaccount:
	atomic64_sub(win->npages, &mm->pinned_vm);
	kvfree(win->pages);
err_free:
	kfree(win);
	return ERR_PTR(ret);
}

/* SSNS_SIM_IOC_WINDOW: set or remove the receive window of an endpoint. */
long sim_window_set(struct sim_ctx *sctx, void __user *uarg)
{
	struct sim_window *win = NULL, *old;
	struct ssns_sim_window a;
	struct sim_ep *ep;
	u32 usize;
	int err;

	err = sim_args_in(&a, sizeof(a), SSNS_SIM_WINDOW_SIZE_VER0, uarg,
			  &usize);
	if (err)
		return err;
	if (a.flags || a.reserved || !a.addr != !a.len ||
	    a.len > SSNS_SIM_WINDOW_MAX)
		return -EINVAL;
	if (a.len && !access_ok(u64_to_user_ptr(a.addr), a.len))
		return -EFAULT;

	ep = sim_ep_get(sctx, a.handle);
	if (!ep)
		return -EBADF;
	/* Do not pin what would be refused. */
	if (a.len && READ_ONCE(ep->win)) {
		err = -EBUSY;
		goto out;
	}
	if (a.len) {
		win = sim_window_pin(a.addr, a.len);
		if (IS_ERR(win)) {
			err = PTR_ERR(win);
			win = NULL;
			goto out;
		}
	}

	spin_lock(&ep->lock);
	if (ep->dead) {
		err = -EBADF;
	} else if (win && ep->win) {
		err = -EBUSY;
	} else if (!win && !ep->win) {
		err = -ENOENT;
	} else {
		/* Set: the new one in, nothing out. Remove: the old one out. */
		old = ep->win;
		WRITE_ONCE(ep->win, win);
		win = old;
	}
	spin_unlock(&ep->lock);
out:
	/* A window refused, or the endpoint's reference to a removed one. */
	sim_window_put(win);
	sim_ep_put(ep);
	return err;
}

/*
 * Copy @len bytes from @buf to @offset of @win; the caller checked that
 * the window holds them and holds a reference on it, and access_ok() of
 * @buf.
 *
 * The copy bypasses the cache (non-temporal stores where the architecture
 * has them, as for a GPU's pwrite): a NIC places incoming data by DMA, not
 * through the receiving CPU's cache, and the copies are large. It may
 * fault and sleep like any user copy: no lock is held here.
 */
int sim_window_copy_in(struct sim_window *win, u64 offset,
		       const void __user *buf, u32 len)
{
	u64 pos = win->first_off + offset;

	might_fault();
	while (len) {
		struct page *page = win->pages[pos >> PAGE_SHIFT];
		unsigned int off = offset_in_page(pos);
		unsigned int n = min_t(u32, len, PAGE_SIZE - off);
		unsigned long left;
		void *kaddr;

		kaddr = kmap_local_page(page);
		left = __copy_from_user_inatomic_nocache(kaddr + off, buf, n);
		kunmap_local(kaddr);
		flush_dcache_page(page);
		if (left)
			return -EFAULT;
		buf += n;
		pos += n;
		len -= n;
	}
	return 0;
}
