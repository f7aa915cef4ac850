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
 *
 * Pinning costs about as much as the copy it saves (page walks, and the
 * unpin's dirtying), and a receiver tends to use one buffer over and
 * over. With SSNS_SIM_WINDOW_KEEP a removed window is parked instead of
 * unpinned, and a set of the same range takes it back. That is only
 * right while the range still maps the pinned pages: an MMU interval
 * notifier on the range bumps its sequence on any change (unmap, remap,
 * protection, copy-on-write after fork), and a parked window whose
 * sequence moved is unpinned and the range pinned again. Spurious changes
 * cost a pin, never a wrong page.
 */
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include "sim.h"

#if IS_ENABLED(CONFIG_MMU_NOTIFIER)
static bool sim_window_invalidate(struct mmu_interval_notifier *mni,
				  const struct mmu_notifier_range *range,
				  unsigned long cur_seq)
{
	struct sim_window *win = container_of(mni, struct sim_window, mni);

	spin_lock(&win->seq_lock);
	mmu_interval_set_seq(mni, cur_seq);
	spin_unlock(&win->seq_lock);
	return true;
}

static const struct mmu_interval_notifier_ops sim_window_mn_ops = {
	.invalidate = sim_window_invalidate,
};

/* Watch the range of @win; called before its pages are pinned. */
static int sim_window_watch(struct sim_window *win, struct mm_struct *mm)
{
	int err;

	spin_lock_init(&win->seq_lock);
	err = mmu_interval_notifier_insert(&win->mni, mm, win->addr, win->len,
					   &sim_window_mn_ops);
	if (err)
		return err;
	win->seq = mmu_interval_read_begin(&win->mni);
	win->watched = true;
	return 0;
}

static void sim_window_unwatch(struct sim_window *win)
{
	if (win->watched)
		mmu_interval_notifier_remove(&win->mni);
}

/* Does the range of @win still map the pages it pinned? */
static bool sim_window_unchanged(struct sim_window *win)
{
	bool ret;

	if (!win->watched)
		return false;
	spin_lock(&win->seq_lock);
	ret = !mmu_interval_read_retry(&win->mni, win->seq);
	spin_unlock(&win->seq_lock);
	return ret;
}
#else
/* Without MMU notifiers nothing is parked: every set pins anew. */
static int sim_window_watch(struct sim_window *win, struct mm_struct *mm)
{
	return 0;
}

static void sim_window_unwatch(struct sim_window *win)
{
}

static bool sim_window_unchanged(struct sim_window *win)
{
	return false;
}
#endif

/* May sleep (the notifier's removal waits for invalidations in progress). */
static void sim_window_free(struct sim_window *win)
{
	sim_window_unwatch(win);
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

/*
 * Pin [addr, addr + len) of the caller's memory as a window; @watch: with
 * a notifier on the range, so that it can be parked.
 */
static struct sim_window *sim_window_pin(u64 addr, u64 len, bool watch)
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
	win->addr = addr;
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
	if (watch) {
		ret = sim_window_watch(win, mm);
		if (ret)
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
	sim_window_unwatch(win);
err_unaccount:
	atomic64_sub(win->npages, &mm->pinned_vm);
	kvfree(win->pages);
err_free:
	kfree(win);
	return ERR_PTR(ret);
}

/*
 * The parked window of @ep if @keep and it is [addr, addr + len) of the
 * caller's memory, unchanged since it was pinned; NULL otherwise. The
 * endpoint's parked window is taken out either way, into *@stale when
 * not reused.
 */
static struct sim_window *sim_window_unpark(struct sim_ep *ep, u64 addr,
					    u64 len, bool keep,
					    struct sim_window **stale)
{
	struct sim_window *win;

	spin_lock(&ep->lock);
	win = ep->parked;
	ep->parked = NULL;
	spin_unlock(&ep->lock);
	if (win && keep && win->mm == current->mm && win->addr == addr &&
	    win->len == len && sim_window_unchanged(win))
		return win;
	*stale = win;
	return NULL;
}

/*
 * SSNS_SIM_IOC_WINDOW: set or remove the receive window of an endpoint.
 * Returns 1 when a set took the parked window back, 0 otherwise.
 */
long sim_window_set(struct sim_ctx *sctx, void __user *uarg)
{
	struct sim_window *win = NULL, *old, *stale = NULL;
	struct ssns_sim_window a;
	struct sim_ep *ep;
	bool keep, reused = false;
	u32 usize;
	int err;

	err = sim_args_in(&a, sizeof(a), SSNS_SIM_WINDOW_SIZE_VER0, uarg,
			  &usize);
	if (err)
		return err;
	if ((a.flags & ~SSNS_SIM_WINDOW_KEEP) || a.reserved ||
	    !a.addr != !a.len || a.len > SSNS_SIM_WINDOW_MAX)
		return -EINVAL;
	if (a.len && !access_ok(u64_to_user_ptr(a.addr), a.len))
		return -EFAULT;
	keep = a.flags & SSNS_SIM_WINDOW_KEEP;

	ep = sim_ep_get(sctx, a.handle);
	if (!ep)
		return -EBADF;
	/* Do not pin what would be refused. */
	if (a.len && READ_ONCE(ep->win)) {
		err = -EBUSY;
		goto out;
	}
	if (a.len) {
		win = sim_window_unpark(ep, a.addr, a.len, keep, &stale);
		reused = win;
		/* Unpinned before pinning anew: both count on the limit. */
		sim_window_put(stale);
		stale = NULL;
		if (!win)
			win = sim_window_pin(a.addr, a.len, keep);
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
		if (!keep) {
			stale = ep->parked;
			ep->parked = NULL;
		}
	} else {
		/* Set: the new one in, nothing out. Remove: the old one out. */
		old = ep->win;
		WRITE_ONCE(ep->win, win);
		win = old;
		if (old && (keep || ep->parked)) {
			/* A removal: park the old one, or drop the parked. */
			stale = ep->parked;
			ep->parked = keep && old->watched ? old : NULL;
			if (ep->parked)
				win = NULL;
		}
	}
	spin_unlock(&ep->lock);
out:
	/* A window refused, or the endpoint's reference to a removed one. */
	sim_window_put(win);
	sim_window_put(stale);
	sim_ep_put(ep);
	return err ?: reused;
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
