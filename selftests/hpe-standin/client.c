// SPDX-License-Identifier: GPL-2.0
/*
 * cxi_testclient: a test-only cxi client, to drive the client API from the
 * shell. It loads on top of HPE's cxi-ss1 or of cxi_standin alike (same
 * symbols and CRCs). In /sys/kernel/debug/cxi_testclient/:
 *
 *   events  read: "add NAME" / "remove NAME", one a callback, oldest first
 *   svc     write a command, read its result; a failed call fails the
 *           write with its errno:
 *             DEV alloc [vnis=V,..] [tcs=NAME,..] [member=uid:U|gid:G|netns|ignore]..
 *                       [name=NAME]                   result: the service id
 *             DEV destroy ID | DEV enable ID 0|1
 *             DEV update ID [vnis=V,..] [enable=0|1]  (the rest from get)
 *             DEV set_netns ID INUM|self              (self: the writer's)
 *             DEV get_netns ID                        result: INUM
 *             DEV get ID       result: id=ID enable=E vnis=V,.. members=N
 *             DEV list         result: the ids, space separated
 *           vnis= sets restricted_vnis (more than CXI_SVC_MAX_VNIS are
 *           counted in num_vld_vnis, the first ones kept), tcs= sets
 *           restricted_tcs, member= restricted_members.
 *   hook    (built against a cxi.h with the admission hook)
 *           write "register [ERRNO]": register an admission hook that
 *           refuses everything with -ERRNO, or admits everything;
 *           "unregister". Read: registered=0|1 admits=N refusals=N
 *           releases=N, and the last request seen.
 */
#include <linux/debugfs.h>
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/nsproxy.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <net/net_namespace.h>
#include <linux/hpe/cxi/cxi.h>

#define TC_EVENTS_MAX	64

struct tc_dev {
	struct list_head node;
	struct cxi_dev *cdev;
};

static DEFINE_MUTEX(tc_lock);		/* all below */
static LIST_HEAD(tc_devs);
static char tc_events[TC_EVENTS_MAX][40];
static unsigned int tc_nevents;
static char tc_result[256];

static void tc_event(const char *what, struct cxi_dev *cdev)
{
	if (tc_nevents < TC_EVENTS_MAX)
		snprintf(tc_events[tc_nevents++], sizeof(tc_events[0]), "%s %s",
			 what, cdev->name);
}

static int tc_add(struct cxi_dev *cdev)
{
	struct tc_dev *td = kzalloc(sizeof(*td), GFP_KERNEL);

	mutex_lock(&tc_lock);
	tc_event("add", cdev);
	if (td) {
		td->cdev = cdev;
		list_add_tail(&td->node, &tc_devs);
	}
	mutex_unlock(&tc_lock);
	return td ? 0 : -ENOMEM;
}

static void tc_remove(struct cxi_dev *cdev)
{
	struct tc_dev *td, *tmp;

	mutex_lock(&tc_lock);
	tc_event("remove", cdev);
	list_for_each_entry_safe(td, tmp, &tc_devs, node) {
		if (td->cdev == cdev) {
			list_del(&td->node);
			kfree(td);
		}
	}
	mutex_unlock(&tc_lock);
}

static struct cxi_client tc_client = {
	.add = tc_add,
	.remove = tc_remove,
};

/* Caller holds tc_lock. */
static struct cxi_dev *tc_find(const char *name)
{
	struct tc_dev *td;

	list_for_each_entry(td, &tc_devs, node)
		if (!strcmp(td->cdev->name, name))
			return td->cdev;
	return NULL;
}

static const char * const tc_tc_names[CXI_TC_MAX] = {
	[CXI_TC_DEDICATED_ACCESS] = "dedicated_access",
	[CXI_TC_LOW_LATENCY] = "low_latency",
	[CXI_TC_BULK_DATA] = "bulk_data",
	[CXI_TC_BEST_EFFORT] = "best_effort",
	[CXI_TC_ETH] = "eth",
};

static int parse_vnis(char *list, struct cxi_svc_desc *d)
{
	unsigned int n = 0, vni;
	char *v;
	int rc;

	while ((v = strsep(&list, ","))) {
		rc = kstrtouint(v, 0, &vni);
		if (rc)
			return rc;
		if (n < CXI_SVC_MAX_VNIS)
			d->vnis[n] = vni;
		n++;
	}
	if (n > U8_MAX)
		return -EINVAL;
	d->restricted_vnis = 1;
	d->num_vld_vnis = n;
	return 0;
}

static int parse_tcs(char *list, struct cxi_svc_desc *d)
{
	char *t;
	int i;

	while ((t = strsep(&list, ","))) {
		i = match_string(tc_tc_names, CXI_TC_MAX, t);
		if (i < 0)
			return -EINVAL;
		d->tcs[i] = true;
	}
	d->restricted_tcs = 1;
	return 0;
}

static int parse_member(char *m, struct cxi_svc_desc *d, unsigned int *n)
{
	unsigned int id = 0;
	int type;

	if (*n >= CXI_SVC_MAX_MEMBERS)
		return -E2BIG;
	if (str_has_prefix(m, "uid:"))
		type = CXI_SVC_MEMBER_UID;
	else if (str_has_prefix(m, "gid:"))
		type = CXI_SVC_MEMBER_GID;
	else if (!strcmp(m, "netns"))
		type = CXI_SVC_MEMBER_NET_NS;
	else if (!strcmp(m, "ignore"))
		type = CXI_SVC_MEMBER_IGNORE;
	else
		return -EINVAL;
	if ((type == CXI_SVC_MEMBER_UID || type == CXI_SVC_MEMBER_GID) &&
	    kstrtouint(m + 4, 0, &id))
		return -EINVAL;
	d->restricted_members = 1;
	d->members[*n].type = type;
	d->members[*n].svc_member.uid = id;
	(*n)++;
	return 0;
}

/* Parse "key=value" options of alloc and update into @d. */
static int parse_opts(char *args, struct cxi_svc_desc *d, char *name,
		      size_t name_size)
{
	unsigned int nmembers = 0, v;
	char *opt;
	int rc = 0;

	while (!rc && (opt = strsep(&args, " "))) {
		if (!*opt)
			continue;
		if (str_has_prefix(opt, "vnis="))
			rc = parse_vnis(opt + 5, d);
		else if (str_has_prefix(opt, "tcs="))
			rc = parse_tcs(opt + 4, d);
		else if (str_has_prefix(opt, "member="))
			rc = parse_member(opt + 7, d, &nmembers);
		else if (str_has_prefix(opt, "name=") && name)
			strscpy(name, opt + 5, name_size);
		else if (str_has_prefix(opt, "enable=") &&
			 !kstrtouint(opt + 7, 0, &v))
			d->enable = !!v;
		else
			rc = -EINVAL;
	}
	return rc;
}

static void show_desc(const struct cxi_svc_desc *d)
{
	size_t len;
	int i;

	len = scnprintf(tc_result, sizeof(tc_result), "id=%u enable=%u vnis=",
			d->svc_id, d->enable);
	for (i = 0; i < min_t(int, d->num_vld_vnis, CXI_SVC_MAX_VNIS); i++)
		len += scnprintf(tc_result + len, sizeof(tc_result) - len,
				 "%s%u", i ? "," : "", d->vnis[i]);
	scnprintf(tc_result + len, sizeof(tc_result) - len,
		  " restricted_members=%u restricted_vnis=%u\n",
		  d->restricted_members, d->restricted_vnis);
}

/* Run one command; caller holds tc_lock. */
static int svc_cmd(char *buf)
{
	struct cxi_svc_desc d = {};
	char *devname, *op, *arg;
	struct cxi_svc_desc *list;
	struct cxi_dev *cdev;
	unsigned int id = 0, v;
	char name[32] = "";
	int rc, n, i;
	size_t len;

	devname = strsep(&buf, " ");
	op = strsep(&buf, " ");
	if (!devname || !op)
		return -EINVAL;
	cdev = tc_find(devname);
	if (!cdev)
		return -ENODEV;
	if (strcmp(op, "alloc") && strcmp(op, "list")) {
		arg = strsep(&buf, " ");
		if (!arg || kstrtouint(arg, 0, &id))
			return -EINVAL;
	}

	if (!strcmp(op, "alloc")) {
		rc = parse_opts(buf, &d, name, sizeof(name));
		if (!rc)
			rc = cxi_svc_alloc(cdev, &d, NULL, name);
		if (rc > 0)
			scnprintf(tc_result, sizeof(tc_result), "%d\n", rc);
		return rc < 0 ? rc : 0;
	}
	if (!strcmp(op, "destroy"))
		return cxi_svc_destroy(cdev, id);
	if (!strcmp(op, "enable")) {
		if (!buf || kstrtouint(buf, 0, &v))
			return -EINVAL;
		return cxi_svc_enable(cdev, id, v);
	}
	if (!strcmp(op, "update")) {
		rc = cxi_svc_get(cdev, id, &d);
		if (!rc)
			rc = parse_opts(buf, &d, NULL, 0);
		return rc ?: cxi_svc_update(cdev, &d);
	}
	if (!strcmp(op, "set_netns")) {
		if (buf && !strcmp(buf, "self"))
			v = current->nsproxy->net_ns->ns.inum;
		else if (!buf || kstrtouint(buf, 0, &v))
			return -EINVAL;
		return cxi_svc_set_netns(cdev, id, v);
	}
	if (!strcmp(op, "get_netns")) {
		rc = cxi_svc_get_netns(cdev, id, &v);
		if (!rc)
			scnprintf(tc_result, sizeof(tc_result), "%u\n", v);
		return rc;
	}
	if (!strcmp(op, "get")) {
		rc = cxi_svc_get(cdev, id, &d);
		if (!rc)
			show_desc(&d);
		return rc;
	}
	if (!strcmp(op, "list")) {
		n = cxi_svc_list_get(cdev, 0, NULL);
		if (n <= 0)
			return n;
		list = kcalloc(n, sizeof(*list), GFP_KERNEL);
		if (!list)
			return -ENOMEM;
		rc = cxi_svc_list_get(cdev, n, list);
		len = 0;
		tc_result[0] = '\0';
		for (i = 0; i < rc && i < n; i++)
			len += scnprintf(tc_result + len, sizeof(tc_result) - len,
					 "%s%u", i ? " " : "", list[i].svc_id);
		scnprintf(tc_result + len, sizeof(tc_result) - len, "\n");
		kfree(list);
		return rc < 0 ? rc : 0;
	}
	return -EINVAL;
}

static ssize_t svc_write(struct file *file, const char __user *ubuf,
			 size_t len, loff_t *ppos)
{
	char buf[160];
	int rc;

	if (!len || len >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = '\0';
	mutex_lock(&tc_lock);
	tc_result[0] = '\0';
	rc = svc_cmd(strim(buf));
	mutex_unlock(&tc_lock);
	return rc < 0 ? rc : len;
}

static ssize_t svc_read(struct file *file, char __user *ubuf, size_t len,
			loff_t *ppos)
{
	char buf[sizeof(tc_result)];

	mutex_lock(&tc_lock);
	strscpy(buf, tc_result, sizeof(buf));
	mutex_unlock(&tc_lock);
	return simple_read_from_buffer(ubuf, len, ppos, buf, strlen(buf));
}

static const struct file_operations svc_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.read = svc_read,
	.write = svc_write,
	.llseek = default_llseek,
};

static int events_show(struct seq_file *m, void *v)
{
	unsigned int i;

	mutex_lock(&tc_lock);
	for (i = 0; i < tc_nevents; i++)
		seq_printf(m, "%s\n", tc_events[i]);
	mutex_unlock(&tc_lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(events);

#ifdef CXI_ADMISSION_HOOK
static DEFINE_MUTEX(hook_lock);		/* hook_registered, registration */
static bool hook_registered;
static int hook_errno;			/* refuse with it, 0: admit */
static atomic_t hook_admits, hook_refusals, hook_releases;
static char hook_last[96];

static int hook_admit(const struct cxi_admit_req *req, void **cookie)
{
	int rc = READ_ONCE(hook_errno);

	might_sleep();
	mutex_lock(&tc_lock);
	snprintf(hook_last, sizeof(hook_last),
		 "type=%d dev=%s svc=%u lni=%u vni=%u tc=%u pid=%d vf=%d",
		 req->type, req->dev->name, req->svc_id, req->lni, req->vni,
		 req->tc, req->task ? task_tgid_vnr(req->task) : -1,
		 req->vf_num);
	mutex_unlock(&tc_lock);
	if (rc) {
		atomic_inc(&hook_refusals);
		return rc;
	}
	atomic_inc(&hook_admits);
	*cookie = &hook_admits;
	return 0;
}

static void hook_release(struct cxi_dev *dev, enum cxi_admit_type type,
			 void *cookie)
{
	WARN_ON_ONCE(cookie != &hook_admits);
	atomic_inc(&hook_releases);
}

static const struct cxi_admission_ops hook_ops = {
	.owner = THIS_MODULE,
	.admit = hook_admit,
	.release = hook_release,
};

static ssize_t hook_write(struct file *file, const char __user *ubuf,
			  size_t len, loff_t *ppos)
{
	char buf[32], *arg;
	int rc = 0, err = 0;

	if (!len || len >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = '\0';
	arg = strim(buf);
	mutex_lock(&hook_lock);
	if (str_has_prefix(arg, "register")) {
		arg += strlen("register");
		if (*arg && (kstrtoint(skip_spaces(arg), 0, &err) ||
			     err < 0 || err > MAX_ERRNO)) {
			rc = -EINVAL;
			goto unlock;
		}
		/* A second registration goes to the driver, unchanged. */
		if (!hook_registered)
			WRITE_ONCE(hook_errno, -err);
		rc = cxi_admission_register(&hook_ops);
		if (!rc)
			hook_registered = true;
	} else if (!strcmp(arg, "unregister")) {
		cxi_admission_unregister(&hook_ops);
		hook_registered = false;
	} else {
		rc = -EINVAL;
	}
unlock:
	mutex_unlock(&hook_lock);
	return rc ?: len;
}

static ssize_t hook_read(struct file *file, char __user *ubuf, size_t len,
			 loff_t *ppos)
{
	char buf[192];
	int n;

	mutex_lock(&tc_lock);
	n = scnprintf(buf, sizeof(buf),
		      "registered=%d admits=%d refusals=%d releases=%d\nlast %s\n",
		      READ_ONCE(hook_registered), atomic_read(&hook_admits),
		      atomic_read(&hook_refusals), atomic_read(&hook_releases),
		      hook_last[0] ? hook_last : "-");
	mutex_unlock(&tc_lock);
	return simple_read_from_buffer(ubuf, len, ppos, buf, n);
}

static const struct file_operations hook_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.read = hook_read,
	.write = hook_write,
	.llseek = default_llseek,
};
#endif

static struct dentry *tc_dir;

static int __init tc_init(void)
{
	tc_dir = debugfs_create_dir("cxi_testclient", NULL);
	debugfs_create_file("events", 0444, tc_dir, NULL, &events_fops);
	debugfs_create_file("svc", 0600, tc_dir, NULL, &svc_fops);
#ifdef CXI_ADMISSION_HOOK
	debugfs_create_file("hook", 0600, tc_dir, NULL, &hook_fops);
#endif
	if (cxi_register_client(&tc_client)) {
		debugfs_remove_recursive(tc_dir);
		return -EIO;
	}
	return 0;
}

static void __exit tc_exit(void)
{
	debugfs_remove_recursive(tc_dir);
#ifdef CXI_ADMISSION_HOOK
	if (hook_registered)
		cxi_admission_unregister(&hook_ops);
#endif
	cxi_unregister_client(&tc_client);
}

module_init(tc_init);
module_exit(tc_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Test-only cxi client driving the client API from the shell");
