// SPDX-License-Identifier: GPL-2.0
/*
 * ssns-oci-hook: where its messages go. A runtime shows the user of a
 * failed hook little more than "error executing hook ... (exit code: 1)"
 * and drops the hook's stderr (crun keeps it only with the annotation
 * run.oci.hooks.stderr=FILE), so each message also goes to the system
 * log, where the admin finds it: the syslog socket /dev/log (journald,
 * rsyslog) when something listens there, else the kernel log (/dev/kmsg),
 * which every node has. Both lines are tagged "ssns-oci-hook[PID]" and
 * name the container and stage; facility daemon.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "hook.h"

#define TAG "ssns-oci-hook"

static struct {
	enum hook_log_to to;
	char ctx[320];		/* "container ID (STAGE): " */
} lg = { .to = HOOK_LOG_AUTO };

void hook_log_setup(enum hook_log_to to)
{
	lg.to = to;
}

void hook_log_context(const char *id, const char *stage)
{
	if (id && stage)
		snprintf(lg.ctx, sizeof(lg.ctx), "container %s (%s): ", id,
			 stage);
	else if (stage)
		snprintf(lg.ctx, sizeof(lg.ctx), "%s: ", stage);
	else
		lg.ctx[0] = '\0';
}

int hook_log_parse(const char *s, enum hook_log_to *to)
{
	static const char *const names[] = {
		[HOOK_LOG_AUTO] = "auto", [HOOK_LOG_SYSLOG] = "syslog",
		[HOOK_LOG_KMSG] = "kmsg", [HOOK_LOG_STDERR] = "stderr",
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(s, names[i])) {
			*to = (enum hook_log_to)i;
			return 0;
		}
	return -1;
}

/* RFC 3164, as syslog(3) sends it; 0 when a listener took it. */
static int to_syslog(int prio, const char *msg)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	char line[1024], stamp[32];
	time_t now = time(NULL);
	struct tm tm;
	int fd, n, rc = -1;

	strcpy(sun.sun_path, HOOK_SYSLOG_PATH);
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)))
		goto out;
	if (!localtime_r(&now, &tm) ||
	    !strftime(stamp, sizeof(stamp), "%b %e %H:%M:%S", &tm))
		stamp[0] = '\0';
	n = snprintf(line, sizeof(line), "<%d>%s %s[%d]: %s%s",
		     HOOK_LOG_FACILITY | prio, stamp, TAG, (int)getpid(),
		     lg.ctx, msg);
	if (n < 0)
		goto out;
	if (n >= (int)sizeof(line))
		n = sizeof(line) - 1;
	if (send(fd, line, (size_t)n, MSG_NOSIGNAL) == n)
		rc = 0;
out:
	close(fd);
	return rc;
}

/* The kernel log; the facility keeps it apart from the kernel's own. */
static int to_kmsg(int prio, const char *msg)
{
	char line[1024];
	int fd, n, rc = -1;

	fd = open(HOOK_KMSG_PATH, O_WRONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -1;
	n = snprintf(line, sizeof(line), "<%d>%s[%d]: %s%s\n",
		     HOOK_LOG_FACILITY | prio, TAG, (int)getpid(), lg.ctx,
		     msg);
	if (n >= (int)sizeof(line)) {
		n = sizeof(line) - 1;
		line[n - 1] = '\n';
	}
	if (n > 0 && write(fd, line, (size_t)n) == n)
		rc = 0;
	close(fd);
	return rc;
}

void hook_log(int prio, const char *fmt, ...)
{
	char msg[768];
	va_list ap;
	int saved = errno;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fprintf(stderr, TAG ": %s%s\n", lg.ctx, msg);
	switch (lg.to) {
	case HOOK_LOG_AUTO:
		if (to_syslog(prio, msg))
			to_kmsg(prio, msg);
		break;
	case HOOK_LOG_SYSLOG:
		to_syslog(prio, msg);
		break;
	case HOOK_LOG_KMSG:
		to_kmsg(prio, msg);
		break;
	case HOOK_LOG_STDERR:
		break;
	}
	errno = saved;
}

void hook_log_rt(const struct rt_err *e)
{
	hook_log(LOG_ERR, "%s%s%s", e->msg, e->details[0] ? ": " : "",
		 e->details);
}
