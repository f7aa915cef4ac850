// SPDX-License-Identifier: GPL-2.0
/*
 * libssns against the real module, through the shared library exactly as
 * a runtime links it: the fd, pid, path, cookie variants of every call,
 * errors with the kernel's text, and events read by poll() on the event fd
 * while requests go on on the same handle. Prints TAP.
 *
 *   libssns-test NETNS_PATH PID_IN_THAT_NETNS
 *
 * Expects devices cxi0 and cxi1 in init_net, shared mode, no tenant
 * "libt" and VNIs 500-509 and 600 free (tools/tests/vm/libssns.sh sets
 * this up).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libssns.h>

static int n, failed;

static void ok(bool cond, const char *fmt, ...)
{
	va_list ap;

	printf("%s %d - ", cond ? "ok" : "not ok", ++n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	if (!cond)
		failed++;
}

static void diag(struct ssns_handle *h, int rc)
{
	if (rc)
		printf("# rc %d (%s): %s\n", rc, strerror(-rc), ssns_errmsg(h));
}

/* Events seen, by kind. */
struct seen {
	int tenant_new, profile_new, dev_set, tenant_set;
	uint64_t dev_set_cookie;
};

static int on_event(const struct ssns_event *ev, void *arg)
{
	struct seen *s = arg;

	switch (ev->cmd) {
	case SSNS_CMD_TENANT_NEW:
		s->tenant_new += !strcmp(ev->tenant, "libt");
		break;
	case SSNS_CMD_TENANT_SET:
		s->tenant_set += !strcmp(ev->tenant, "libt");
		break;
	case SSNS_CMD_PROFILE_NEW:
		s->profile_new += ev->vni == 500 &&
				  ssns_event_has(ev, SSNS_ATTR_TENANT_NAME) &&
				  !strcmp(ev->tenant, "libt");
		break;
	case SSNS_CMD_DEV_SET:
		if (!strcmp(ev->dev_name, "cxi1")) {
			s->dev_set++;
			s->dev_set_cookie = ev->netns_cookie;
		}
		break;
	default:
		break;
	}
	return 0;
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Read events for up to ms milliseconds, through poll() on the fd. */
static void pump(struct ssns_handle *h, struct seen *s, long ms)
{
	struct pollfd p = { .fd = ssns_event_fd(h), .events = POLLIN };
	long end = now_ms() + ms;

	while (now_ms() < end) {
		if (poll(&p, 1, 100) > 0 && (p.revents & POLLIN))
			ssns_event_dispatch(h, on_event, s);
	}
}

int main(int argc, char **argv)
{
	struct ssns_vni_range r500 = { 500, 509 }, r600 = { 600, 600 };
	struct ssns_profile_list *pl;
	struct ssns_tenant *t = NULL;
	struct ssns_dev_list *dl;
	struct ssns_ep_list *el;
	struct ssns_system *sys;
	struct ssns_handle *h;
	struct ssns_dev *d;
	struct seen seen = { 0 };
	uint64_t cookie = 0;
	const char *nspath;
	size_t i;
	pid_t pid;
	int rc, fd, found;

	if (argc != 3) {
		fprintf(stderr, "usage: %s NETNS_PATH PID\n", argv[0]);
		return 2;
	}
	nspath = argv[1];
	pid = (pid_t)atoi(argv[2]);

	h = ssns_new();
	ok(h != NULL, "ssns_new");
	rc = ssns_connect(h);
	diag(h, rc);
	ok(rc == 0, "ssns_connect");
	if (rc) {
		printf("1..%d\n", n);
		return 1;
	}
	rc = ssns_event_subscribe(h);
	ok(rc == 0 && ssns_event_fd(h) >= 0, "ssns_event_subscribe");
	fcntl(ssns_event_fd(h), F_SETFL, O_NONBLOCK);

	/* system and devices */
	rc = ssns_system_get(h, &sys);
	ok(rc == 0 && sys->netns_mode == SSNS_NETNS_SHARED && sys->version[0],
	   "ssns_system_get: shared, version %s", rc ? "?" : sys->version);
	if (!rc)
		ssns_system_free(sys);
	rc = ssns_dev_list(h, &dl);
	ok(rc == 0 && dl->count >= 2, "ssns_dev_list: %zu devices",
	   rc ? 0 : dl->count);
	if (!rc)
		ssns_dev_list_free(dl);
	rc = ssns_dev_get(h, "cxi0", &d);
	ok(rc == 0 && !strcmp(d->name, "cxi0") &&
	   !strcmp(d->chardev, "/dev/cxi0") && d->stats.present,
	   "ssns_dev_get cxi0 with counters");
	if (!rc)
		ssns_dev_free(d);
	rc = ssns_dev_get(h, "nope0", &d);
	ok(rc == -ENODEV && strstr(ssns_errmsg(h), "nope0") && d == NULL,
	   "ssns_dev_get of an unknown device: -ENODEV, text names it");
	diag(h, rc);

	/* tenants */
	rc = ssns_tenant_add(h, "libt", &r500, 1);
	diag(h, rc);
	ok(rc == 0, "ssns_tenant_add libt 500-509");
	rc = ssns_tenant_add(h, "libt", NULL, 0);
	ok(rc == -EEXIST && strstr(ssns_errmsg(h), "libt"),
	   "ssns_tenant_add again: -EEXIST, text names it");
	fd = open(nspath, O_RDONLY | O_CLOEXEC);
	rc = ssns_tenant_netns_fd(h, "libt", fd, SSNS_OP_ADD);
	diag(h, rc);
	ok(rc == 0, "ssns_tenant_netns_fd add");
	rc = ssns_tenant_netns_fd(h, "libt", fd, SSNS_OP_ADD);
	ok(rc == 0, "binding the same netns again is a no-op");
	close(fd);
	rc = ssns_tenant_get(h, "libt", &t);
	ok(rc == 0 && t->nranges == 1 && t->ranges[0].first == 500 &&
	   t->ranges[0].last == 509 && t->nmembers == 1 &&
	   t->members[0].type == SSNS_MEMBER_NETNS,
	   "ssns_tenant_get: one range, one netns member");
	if (!rc) {
		cookie = t->members[0].netns_cookie;
		ssns_tenant_free(t);
	}
	rc = ssns_tenant_netns_pid(h, "libt", pid, SSNS_OP_DEL);
	diag(h, rc);
	ok(rc == 0, "ssns_tenant_netns_pid del");
	rc = ssns_tenant_netns_pid(h, "libt", pid, SSNS_OP_DEL);
	ok(rc == -ENOENT, "ssns_tenant_netns_pid del again: -ENOENT");
	rc = ssns_tenant_netns_path(h, "libt", nspath, SSNS_OP_ADD);
	ok(rc == 0, "ssns_tenant_netns_path add");
	rc = ssns_tenant_netns_cookie(h, "libt", cookie, SSNS_OP_DEL);
	diag(h, rc);
	ok(rc == 0, "ssns_tenant_netns_cookie del");
	rc = ssns_tenant_netns_cookie(h, "libt", cookie, SSNS_OP_ADD);
	ok(rc == -EINVAL, "a cookie cannot add a member: -EINVAL");
	rc = ssns_tenant_netns_path(h, "libt", "/proc/1/ns/net", SSNS_OP_ADD);
	ok(rc == -EINVAL && strstr(ssns_errmsg(h), "init_net"),
	   "init_net cannot be a member: %s", ssns_errmsg(h));
	rc = ssns_tenant_vni(h, "libt", &r600, 1, SSNS_OP_ADD);
	ok(rc == 0, "ssns_tenant_vni add 600");
	rc = ssns_tenant_vni(h, "libt", &r600, 1, SSNS_OP_DEL);
	ok(rc == 0, "ssns_tenant_vni del 600");
	rc = ssns_tenant_vni(h, "libt", &r600, 1, SSNS_OP_DEL);
	ok(rc == -ENOENT, "ssns_tenant_vni del 600 again: -ENOENT");

	/* profiles and endpoints */
	rc = ssns_profile_add(h, "cxi0", 500, SSNS_TC_LOW_LATENCY);
	diag(h, rc);
	ok(rc == 0, "ssns_profile_add cxi0 500 low_latency");
	rc = ssns_profile_list(h, "cxi0", &pl);
	found = 0;
	for (i = 0; !rc && i < pl->count; i++) {
		found += pl->profiles[i].vni == 500 &&
			 !strcmp(pl->profiles[i].tenant, "libt");
		ok(!strcmp(pl->profiles[i].dev_name, "cxi0"),
		   "profile list of cxi0 has only cxi0 (vni %u)",
		   pl->profiles[i].vni);
	}
	ok(rc == 0 && found == 1, "ssns_profile_list finds the profile");
	if (!rc)
		ssns_profile_list_free(pl);
	rc = ssns_ep_list(h, NULL, &el);
	ok(rc == 0, "ssns_ep_list");
	if (!rc)
		ssns_ep_list_free(el);

	/* moves */
	rc = ssns_dev_move_pid(h, "cxi1", pid);
	diag(h, rc);
	ok(rc == 0, "ssns_dev_move_pid cxi1");
	rc = ssns_dev_get(h, "cxi1", &d);
	ok(rc == -ENODEV, "cxi1 is gone from init_net");
	rc = ssns_dev_move_path(h, "cxi1", "/proc/1/ns/net");
	ok(rc == -ENODEV, "init_net cannot move what it does not see");
	rc = ssns_dev_move_fd(h, "cxi1", 9999);
	ok(rc == -ENODEV || rc == -EBADF, "a bad fd fails (%d)", rc);

	/* events, read while requests went on on the same handle */
	pump(h, &seen, 1500);
	ok(seen.tenant_new == 1, "event: tenant_new libt");
	ok(seen.tenant_set >= 4, "events: tenant_set libt (%d)",
	   seen.tenant_set);
	ok(seen.profile_new == 1, "event: profile_new 500 of libt");
	ok(seen.dev_set == 1 && seen.dev_set_cookie != 1,
	   "event: dev_set cxi1 into the netns");

	/* clean up */
	rc = ssns_profile_del(h, "cxi0", 500, SSNS_TC_LOW_LATENCY);
	ok(rc == 0, "ssns_profile_del");
	rc = ssns_tenant_del(h, "libt");
	ok(rc == 0, "ssns_tenant_del");
	rc = ssns_tenant_get(h, "libt", &t);
	ok(rc == -ENOENT && t == NULL, "ssns_tenant_get after del: -ENOENT");
	rc = ssns_system_set_mode(h, SSNS_NETNS_EXCLUSIVE);
	ok(rc == 0, "ssns_system_set_mode exclusive");
	rc = ssns_system_set_mode(h, SSNS_NETNS_SHARED);
	ok(rc == 0, "ssns_system_set_mode shared");
	ssns_free(h);
	printf("1..%d\n", n);
	return failed ? 1 : 0;
}
