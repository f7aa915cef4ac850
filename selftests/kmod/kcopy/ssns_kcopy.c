// SPDX-License-Identifier: GPL-2.0
/*
 * ssns_kcopy: the kernel's own copy rate, for the benchmarks only (never
 * installed). Two misc devices copy what is written to them into a kernel
 * buffer with the loops the simulated NIC uses, so that the NIC's data
 * paths can be compared with the copies they are made of, in the same VM:
 *
 *   /dev/ssns_kcopy_user     write(): copy_from_user() into one kvmalloc()
 *                            buffer (the copy-in of a send), read():
 *                            copy_to_user() out of it (the copy-out of a
 *                            receive)
 *   /dev/ssns_kcopy_nocache  write(): __copy_from_user_inatomic_nocache()
 *                            page by page into pages mapped with
 *                            kmap_local_page() (a write into a window)
 *
 * The buffers are allocated once, at load; at most KCOPY_MAX bytes per call.
 */
#include <linux/fs.h>
#include <linux/highmem.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#define KCOPY_MAX	BIT(20)
#define KCOPY_PAGES	(KCOPY_MAX >> PAGE_SHIFT)

static void *kcopy_buf;
static struct page *kcopy_pages[KCOPY_PAGES];
static DEFINE_MUTEX(kcopy_lock);

static ssize_t kcopy_user_write(struct file *file, const char __user *buf,
				size_t len, loff_t *ppos)
{
	unsigned long left;

	len = min_t(size_t, len, KCOPY_MAX);
	mutex_lock(&kcopy_lock);
	left = copy_from_user(kcopy_buf, buf, len);
	mutex_unlock(&kcopy_lock);
	return left ? -EFAULT : len;
}

static ssize_t kcopy_user_read(struct file *file, char __user *buf,
			       size_t len, loff_t *ppos)
{
	unsigned long left;

	len = min_t(size_t, len, KCOPY_MAX);
	mutex_lock(&kcopy_lock);
	left = copy_to_user(buf, kcopy_buf, len);
	mutex_unlock(&kcopy_lock);
	return left ? -EFAULT : len;
}

/* The loop of sim_window_copy_in(). */
static ssize_t kcopy_nocache_write(struct file *file, const char __user *buf,
				   size_t len, loff_t *ppos)
{
	size_t done = 0;

	len = min_t(size_t, len, KCOPY_MAX);
	if (!access_ok(buf, len))
		return -EFAULT;
	might_fault();
	mutex_lock(&kcopy_lock);
	while (done < len) {
		struct page *page = kcopy_pages[done >> PAGE_SHIFT];
		unsigned int n = min_t(size_t, len - done, PAGE_SIZE);
		unsigned long left;
		void *kaddr;

		kaddr = kmap_local_page(page);
		left = __copy_from_user_inatomic_nocache(kaddr, buf + done, n);
		kunmap_local(kaddr);
		flush_dcache_page(page);
		if (left)
			break;
		done += n;
	}
	mutex_unlock(&kcopy_lock);
	return done < len ? -EFAULT : len;
}

static const struct file_operations kcopy_user_fops = {
	.owner = THIS_MODULE,
	.read = kcopy_user_read,
	.write = kcopy_user_write,
	.llseek = noop_llseek,
};

static const struct file_operations kcopy_nocache_fops = {
	.owner = THIS_MODULE,
	.write = kcopy_nocache_write,
	.llseek = noop_llseek,
};

static struct miscdevice kcopy_user_dev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "ssns_kcopy_user",
	.fops = &kcopy_user_fops,
	.mode = 0600,
};

static struct miscdevice kcopy_nocache_dev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "ssns_kcopy_nocache",
	.fops = &kcopy_nocache_fops,
	.mode = 0600,
};

static void kcopy_free(void)
{
	unsigned int i;

	for (i = 0; i < KCOPY_PAGES; i++)
		if (kcopy_pages[i])
			__free_page(kcopy_pages[i]);
	kvfree(kcopy_buf);
}

static int __init kcopy_init(void)
{
	unsigned int i;
	int err = -ENOMEM;

	kcopy_buf = kvmalloc(KCOPY_MAX, GFP_KERNEL);
	if (!kcopy_buf)
		return -ENOMEM;
	for (i = 0; i < KCOPY_PAGES; i++) {
		kcopy_pages[i] = alloc_page(GFP_KERNEL);
		if (!kcopy_pages[i])
			goto out_free;
	}
	err = misc_register(&kcopy_user_dev);
	if (err)
		goto out_free;
	err = misc_register(&kcopy_nocache_dev);
	if (err)
		goto out_user;
	return 0;

out_user:
	misc_deregister(&kcopy_user_dev);
out_free:
	kcopy_free();
	return err;
}

static void __exit kcopy_exit(void)
{
	misc_deregister(&kcopy_nocache_dev);
	misc_deregister(&kcopy_user_dev);
	kcopy_free();
}

module_init(kcopy_init);
module_exit(kcopy_exit);
MODULE_DESCRIPTION("ssns benchmarks: the kernel's copy loops (test only)");
MODULE_LICENSE("GPL");
