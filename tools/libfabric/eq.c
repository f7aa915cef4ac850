// SPDX-License-Identifier: LGPL-2.1-or-later OR GPL-2.0
/*
 * Event queues. An RDM endpoint has no connection events; what this
 * provider reports on an EQ bound to an endpoint is its revocation: the
 * device was moved to another network namespace, or the tenant deleted,
 * and the kernel freed the endpoint (every call on the file fails with
 * ENODEV, poll() says EPOLLERR|EPOLLHUP). The EQ's wait fd watches the
 * bound endpoints' files for exactly that, so a thread asleep on the EQ
 * learns of it without traffic. Applications may also fi_eq_write().
 */
#include <errno.h>
#include <stdio.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include "ssnsfi.h"

struct sfi_eqe {
	struct sfi_list node;
	uint32_t event;
	bool is_err;
	struct fi_eq_err_entry err;
	char msg[SFI_ERRMSG_LEN];
	size_t len;
	unsigned char data[];
};

static void eq_wake(struct sfi_eq *eq)
{
	uint64_t one = 1;

	if (write(eq->evfd, &one, sizeof(one)) < 0 && errno != EAGAIN)
		SFI_WARN_SPARSE(FI_LOG_EQ, "eventfd write: %s\n",
				strerror(errno));
}

int sfi_eq_attach(struct sfi_eq *eq, struct sfi_ep *ep)
{
	struct epoll_event ev = { .events = 0 };	/* ERR and HUP only */
	struct sfi_ep **n;
	int ret = 0;

	pthread_mutex_lock(&eq->lock);
	n = realloc(eq->eps, (eq->neps + 1) * sizeof(*n));
	if (!n) {
		ret = -FI_ENOMEM;
		goto out;
	}
	eq->eps = n;
	ev.data.ptr = ep;
	if (!ep->dead && epoll_ctl(eq->epfd, EPOLL_CTL_ADD, ep->fd, &ev)) {
		ret = -errno;
		goto out;
	}
	eq->eps[eq->neps++] = ep;
	eq->refs++;
out:
	pthread_mutex_unlock(&eq->lock);
	return ret;
}

void sfi_eq_detach(struct sfi_eq *eq, struct sfi_ep *ep)
{
	size_t i;

	pthread_mutex_lock(&eq->lock);
	for (i = 0; i < eq->neps; i++) {
		if (eq->eps[i] != ep)
			continue;
		eq->eps[i] = eq->eps[--eq->neps];
		epoll_ctl(eq->epfd, EPOLL_CTL_DEL, ep->fd, NULL);
		eq->refs--;
		break;
	}
	pthread_mutex_unlock(&eq->lock);
}

/* An asynchronous error of ep (once per endpoint). */
void sfi_eq_report(struct sfi_eq *eq, struct sfi_ep *ep, int err,
		   int prov_errno, const char *msg)
{
	struct sfi_eqe *e;

	if (__atomic_exchange_n(&ep->eq_reported, 1, __ATOMIC_SEQ_CST))
		return;
	e = calloc(1, sizeof(*e));
	if (!e)
		return;
	e->is_err = true;
	e->err.fid = &ep->ep.fid;
	e->err.context = ep->ep.fid.context;
	e->err.err = err;
	e->err.prov_errno = prov_errno;
	snprintf(e->msg, sizeof(e->msg), "%s", msg);
	pthread_mutex_lock(&eq->lock);
	epoll_ctl(eq->epfd, EPOLL_CTL_DEL, ep->fd, NULL);
	sfi_list_add_tail(&eq->q, &e->node);
	eq_wake(eq);
	pthread_mutex_unlock(&eq->lock);
}

/* Endpoints whose file reports an error: let them find out and report. */
static void eq_check_eps(struct sfi_eq *eq)
{
	struct sfi_ep *eps[64];
	struct pollfd pfd;
	size_t n, i;

	pthread_mutex_lock(&eq->lock);
	n = eq->neps < 64 ? eq->neps : 64;
	memcpy(eps, eq->eps, n * sizeof(*eps));
	pthread_mutex_unlock(&eq->lock);
	for (i = 0; i < n; i++) {
		if (__atomic_load_n(&eps[i]->eq_reported, __ATOMIC_SEQ_CST))
			continue;
		pfd.fd = eps[i]->fd;
		pfd.events = 0;
		pfd.revents = 0;
		if (poll(&pfd, 1, 0) <= 0 ||
		    !(pfd.revents & (POLLERR | POLLHUP)))
			continue;
		pthread_mutex_lock(&eps[i]->dom->lock);
		sfi_ep_progress(eps[i]);
		pthread_mutex_unlock(&eps[i]->dom->lock);
	}
}

static ssize_t sfi_eq_read(struct fid_eq *fid, uint32_t *event, void *buf,
			   size_t len, uint64_t flags)
{
	struct sfi_eq *eq = sfi_container_of(fid, struct sfi_eq, eq);
	struct sfi_eqe *e;
	ssize_t ret;

	if (flags & ~(uint64_t)FI_PEEK)
		return -FI_EBADFLAGS;
	eq_check_eps(eq);
	pthread_mutex_lock(&eq->lock);
	if (sfi_list_empty(&eq->q)) {
		ret = -FI_EAGAIN;
		goto out;
	}
	e = sfi_container_of(eq->q.next, struct sfi_eqe, node);
	if (e->is_err) {
		ret = -FI_EAVAIL;
		goto out;
	}
	if (len < e->len || (e->len && !buf)) {
		ret = -FI_ETOOSMALL;
		goto out;
	}
	if (event)
		*event = e->event;
	memcpy(buf, e->data, e->len);
	ret = e->len;
	if (!(flags & FI_PEEK)) {
		sfi_list_del(&e->node);
		free(e);
	}
out:
	pthread_mutex_unlock(&eq->lock);
	return ret;
}

static ssize_t sfi_eq_readerr(struct fid_eq *fid, struct fi_eq_err_entry *buf,
			      uint64_t flags)
{
	struct sfi_eq *eq = sfi_container_of(fid, struct sfi_eq, eq);
	struct sfi_eqe *e;
	bool v15 = FI_VERSION_GE(eq->fab->fabric.api_version,
				 FI_VERSION(1, 5));
	size_t len;

	if (!buf || (flags & ~(uint64_t)FI_PEEK))
		return -FI_EINVAL;
	pthread_mutex_lock(&eq->lock);
	if (sfi_list_empty(&eq->q)) {
		pthread_mutex_unlock(&eq->lock);
		return -FI_EAGAIN;
	}
	e = sfi_container_of(eq->q.next, struct sfi_eqe, node);
	if (!e->is_err) {
		pthread_mutex_unlock(&eq->lock);
		return -FI_EAGAIN;
	}
	buf->fid = e->err.fid;
	buf->context = e->err.context;
	buf->data = e->err.data;
	buf->err = e->err.err;
	buf->prov_errno = e->err.prov_errno;
	len = strlen(e->msg) + 1;
	if (v15 && buf->err_data && buf->err_data_size) {
		/* The application's buffer (since API 1.5). */
		if (len > buf->err_data_size)
			len = buf->err_data_size;
		memcpy(buf->err_data, e->msg, len);
		((char *)buf->err_data)[len - 1] = '\0';
		buf->err_data_size = len;
	} else {
		memcpy(eq->errbuf, e->msg, len);
		buf->err_data = eq->errbuf;
		if (v15)
			buf->err_data_size = len;
	}
	if (!(flags & FI_PEEK)) {
		sfi_list_del(&e->node);
		free(e);
	}
	pthread_mutex_unlock(&eq->lock);
	return sizeof(*buf);
}

static ssize_t sfi_eq_write(struct fid_eq *fid, uint32_t event,
			    const void *buf, size_t len, uint64_t flags)
{
	struct sfi_eq *eq = sfi_container_of(fid, struct sfi_eq, eq);
	struct sfi_eqe *e;

	if (flags & ~(uint64_t)FI_PEEK)
		return -FI_EBADFLAGS;
	if (len && !buf)
		return -FI_EINVAL;
	e = calloc(1, sizeof(*e) + len);
	if (!e)
		return -FI_ENOMEM;
	e->event = event;
	e->len = len;
	memcpy(e->data, buf, len);
	pthread_mutex_lock(&eq->lock);
	sfi_list_add_tail(&eq->q, &e->node);
	eq_wake(eq);
	pthread_mutex_unlock(&eq->lock);
	return len;
}

static void eq_drain(struct sfi_eq *eq)
{
	uint64_t v;

	while (read(eq->evfd, &v, sizeof(v)) > 0)
		;
}

static ssize_t sfi_eq_sread(struct fid_eq *fid, uint32_t *event, void *buf,
			    size_t len, int timeout, uint64_t flags)
{
	struct sfi_eq *eq = sfi_container_of(fid, struct sfi_eq, eq);
	double deadline = timeout >= 0 ? sfi_now_ms() + timeout : 0;
	struct epoll_event ev[8];
	ssize_t ret;
	int wait;

	for (;;) {
		eq_drain(eq);
		ret = sfi_eq_read(fid, event, buf, len, flags);
		if (ret != -FI_EAGAIN)
			return ret;
		if (timeout >= 0) {
			double left = deadline - sfi_now_ms();

			if (left <= 0)
				return -FI_EAGAIN;
			wait = left < 1 ? 1 : (int)left;
		} else {
			wait = -1;
		}
		if (epoll_wait(eq->epfd, ev, 8, wait) < 0 && errno != EINTR)
			return -errno;
	}
}

static const char *sfi_eq_strerror(struct fid_eq *fid, int prov_errno,
				   const void *err_data, char *buf,
				   size_t len)
{
	const char *s = err_data && *(const char *)err_data ?
			(const char *)err_data : strerror(prov_errno);

	(void)fid;
	if (buf && len) {
		snprintf(buf, len, "%s", s);
		return buf;
	}
	return s;
}

int sfi_eq_trywait(struct sfi_eq *eq)
{
	int ret = 0;

	if (eq->wait_obj == FI_WAIT_NONE)
		return -FI_EINVAL;
	eq_check_eps(eq);
	pthread_mutex_lock(&eq->lock);
	if (!sfi_list_empty(&eq->q))
		ret = -FI_EAGAIN;
	else
		eq_drain(eq);
	pthread_mutex_unlock(&eq->lock);
	return ret;
}

static int sfi_eq_control(struct fid *fid, int command, void *arg)
{
	struct sfi_eq *eq = sfi_container_of(fid, struct sfi_eq, eq.fid);

	switch (command) {
	case FI_GETWAIT:
		if (eq->wait_obj != FI_WAIT_FD)
			return -FI_ENODATA;
		if (!arg)
			return -FI_EINVAL;
		*(int *)arg = eq->epfd;
		return 0;
	case FI_GETWAITOBJ:
		if (!arg)
			return -FI_EINVAL;
		*(enum fi_wait_obj *)arg = eq->wait_obj;
		return 0;
	default:
		return -FI_ENOSYS;
	}
}

static int sfi_eq_close(struct fid *fid)
{
	struct sfi_eq *eq = sfi_container_of(fid, struct sfi_eq, eq.fid);
	struct sfi_list *pos, *tmp;

	pthread_mutex_lock(&eq->lock);
	if (eq->refs) {
		pthread_mutex_unlock(&eq->lock);
		return -FI_EBUSY;
	}
	pthread_mutex_unlock(&eq->lock);
	pthread_mutex_lock(&eq->fab->lock);
	eq->fab->refs--;
	pthread_mutex_unlock(&eq->fab->lock);
	sfi_list_for_each_safe(pos, tmp, &eq->q)
		free(sfi_container_of(pos, struct sfi_eqe, node));
	close(eq->epfd);
	close(eq->evfd);
	free(eq->eps);
	pthread_mutex_destroy(&eq->lock);
	free(eq);
	return 0;
}

static struct fi_ops sfi_eq_fi_ops = {
	.size = sizeof(struct fi_ops),
	.close = sfi_eq_close,
	.bind = sfi_no_bind,
	.control = sfi_eq_control,
	.ops_open = sfi_no_ops_open,
	.tostr = sfi_no_tostr,
	.ops_set = sfi_no_ops_set,
};

static struct fi_ops_eq sfi_eq_ops = {
	.size = sizeof(struct fi_ops_eq),
	.read = sfi_eq_read,
	.readerr = sfi_eq_readerr,
	.write = sfi_eq_write,
	.sread = sfi_eq_sread,
	.strerror = sfi_eq_strerror,
};

int sfi_eq_open(struct fid_fabric *fabric, struct fi_eq_attr *attr,
		struct fid_eq **eqp, void *context)
{
	struct sfi_fabric *fab = sfi_container_of(fabric, struct sfi_fabric,
						  fabric);
	struct epoll_event ev = { .events = EPOLLIN };
	enum fi_wait_obj wait = FI_WAIT_NONE;
	struct sfi_eq *eq;

	if (!eqp)
		return -FI_EINVAL;
	if (attr) {
		if (attr->flags & ~(uint64_t)FI_WRITE)
			return -FI_EBADFLAGS;
		switch (attr->wait_obj) {
		case FI_WAIT_NONE:
			break;
		case FI_WAIT_UNSPEC:
		case FI_WAIT_FD:
			wait = FI_WAIT_FD;
			break;
		default:
			return -FI_ENOSYS;
		}
	}
	eq = calloc(1, sizeof(*eq));
	if (!eq)
		return -FI_ENOMEM;
	eq->fab = fab;
	eq->wait_obj = wait;
	sfi_list_init(&eq->q);
	pthread_mutex_init(&eq->lock, NULL);
	eq->epfd = epoll_create1(EPOLL_CLOEXEC);
	eq->evfd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (eq->epfd < 0 || eq->evfd < 0 ||
	    epoll_ctl(eq->epfd, EPOLL_CTL_ADD, eq->evfd, &ev)) {
		int err = errno;

		if (eq->epfd >= 0)
			close(eq->epfd);
		if (eq->evfd >= 0)
			close(eq->evfd);
		pthread_mutex_destroy(&eq->lock);
		free(eq);
		return -sfi_fi_errno(err ? err : ENOMEM);
	}
	eq->eq.fid.fclass = FI_CLASS_EQ;
	eq->eq.fid.context = context;
	eq->eq.fid.ops = &sfi_eq_fi_ops;
	eq->eq.ops = &sfi_eq_ops;
	pthread_mutex_lock(&fab->lock);
	fab->refs++;
	pthread_mutex_unlock(&fab->lock);
	*eqp = &eq->eq;
	return 0;
}
