// SPDX-License-Identifier: LGPL-2.1-or-later OR GPL-2.0
/*
 * Completion queues.
 *
 * Reading a CQ drives progress on the endpoints bound to it. Its wait
 * object (FI_WAIT_FD) is an epoll file holding the endpoints' /dev/cxiN
 * descriptors, which poll() reports readable when the kernel queued a
 * message (and EPOLLERR|EPOLLHUP on revocation), and an eventfd for what
 * the kernel cannot see: fi_cq_signal() and completions added by another
 * thread after fi_trywait() said the application may sleep. Nothing needs
 * a busy loop: fi_cq_sread() and fi_trywait() + poll() sleep until there
 * is something to do (with a 1 ms tick only while a peer's full receive
 * queue holds back data this side must resend).
 */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include "ssnsfi.h"

static size_t cq_entry_size(enum fi_cq_format format)
{
	switch (format) {
	case FI_CQ_FORMAT_CONTEXT:
		return sizeof(struct fi_cq_entry);
	case FI_CQ_FORMAT_MSG:
		return sizeof(struct fi_cq_msg_entry);
	case FI_CQ_FORMAT_DATA:
		return sizeof(struct fi_cq_data_entry);
	case FI_CQ_FORMAT_TAGGED:
		return sizeof(struct fi_cq_tagged_entry);
	default:
		return 0;
	}
}

static void cq_write_entry(const struct sfi_cq *cq, void *dst,
			   const struct sfi_cqe *e)
{
	switch (cq->format) {
	case FI_CQ_FORMAT_CONTEXT: {
		struct fi_cq_entry *o = dst;

		o->op_context = e->op_context;
		break;
	}
	case FI_CQ_FORMAT_MSG: {
		struct fi_cq_msg_entry *o = dst;

		o->op_context = e->op_context;
		o->flags = e->flags;
		o->len = e->len;
		break;
	}
	case FI_CQ_FORMAT_DATA: {
		struct fi_cq_data_entry *o = dst;

		o->op_context = e->op_context;
		o->flags = e->flags;
		o->len = e->len;
		o->buf = e->buf;
		o->data = e->data;
		break;
	}
	default: {
		struct fi_cq_tagged_entry *o = dst;

		o->op_context = e->op_context;
		o->flags = e->flags;
		o->len = e->len;
		o->buf = e->buf;
		o->data = e->data;
		o->tag = e->tag;
		break;
	}
	}
}

static void cq_wake(struct sfi_cq *cq)
{
	uint64_t one = 1;

	if (!cq->armed)
		return;
	cq->armed = false;
	if (write(cq->evfd, &one, sizeof(one)) < 0 && errno != EAGAIN)
		SFI_WARN_SPARSE(FI_LOG_CQ, "eventfd write: %s\n",
				strerror(errno));
}

/* Caller holds the domain lock (as for everything below). */
void sfi_cq_add(struct sfi_cq *cq, const struct sfi_cqe *e)
{
	if (cq->count == cq->cap) {
		size_t ncap = cq->cap * 2, i;
		struct sfi_cqe *n = malloc(ncap * sizeof(*n));

		if (!n) {
			/* Nowhere to put it: make it an error entry instead. */
			sfi_cq_add_err(cq, e, FI_ENOMEM, ENOMEM, 0,
				       "completion queue could not grow");
			return;
		}
		for (i = 0; i < cq->count; i++)
			n[i] = cq->ring[(cq->head + i) % cq->cap];
		free(cq->ring);
		cq->ring = n;
		cq->head = 0;
		cq->cap = ncap;
	}
	cq->ring[(cq->head + cq->count) % cq->cap] = *e;
	cq->count++;
	cq_wake(cq);
}

void sfi_cq_add_err(struct sfi_cq *cq, const struct sfi_cqe *e, int err,
		    int prov_errno, size_t olen, const char *msg)
{
	struct sfi_cqerr *ce = calloc(1, sizeof(*ce));

	if (!ce) {
		SFI_WARN(FI_LOG_CQ, "lost an error completion (%s): %s\n",
			 fi_strerror(err), msg ? msg : "");
		return;
	}
	ce->e = *e;
	ce->err = err;
	ce->prov_errno = prov_errno;
	ce->olen = olen;
	snprintf(ce->msg, sizeof(ce->msg), "%s", msg ? msg : "");
	sfi_list_add_tail(&cq->errs, &ce->node);
	cq_wake(cq);
}

int sfi_cq_attach(struct sfi_cq *cq, struct sfi_ep *ep)
{
	struct epoll_event ev = { .events = EPOLLIN };
	struct sfi_ep **n;
	size_t i;

	for (i = 0; i < cq->neps; i++)
		if (cq->eps[i] == ep)
			return 0;
	n = realloc(cq->eps, (cq->neps + 1) * sizeof(*n));
	if (!n)
		return -FI_ENOMEM;
	cq->eps = n;
	ev.data.ptr = ep;
	if (!ep->dead && epoll_ctl(cq->epfd, EPOLL_CTL_ADD, ep->fd, &ev))
		return -errno;
	cq->eps[cq->neps++] = ep;
	cq->refs++;
	return 0;
}

void sfi_cq_detach(struct sfi_cq *cq, struct sfi_ep *ep)
{
	size_t i;

	for (i = 0; i < cq->neps; i++) {
		if (cq->eps[i] != ep)
			continue;
		cq->eps[i] = cq->eps[--cq->neps];
		epoll_ctl(cq->epfd, EPOLL_CTL_DEL, ep->fd, NULL);
		cq->refs--;
		/* A sleeper re-checks what is left. */
		cq->armed = true;
		cq_wake(cq);
		return;
	}
}

static void cq_progress(struct sfi_cq *cq)
{
	size_t i;

	for (i = 0; i < cq->neps; i++)
		sfi_ep_progress(cq->eps[i]);
}

static bool cq_busy(const struct sfi_cq *cq)
{
	size_t i;

	for (i = 0; i < cq->neps; i++)
		if (sfi_ep_busy(cq->eps[i]))
			return true;
	return false;
}

static ssize_t cq_readfrom_locked(struct sfi_cq *cq, void *buf, size_t count,
				  fi_addr_t *src)
{
	size_t i, n;
	char *p = buf;

	cq_progress(cq);
	if (!sfi_list_empty(&cq->errs))
		return -FI_EAVAIL;
	if (!cq->count)
		return -FI_EAGAIN;
	n = count < cq->count ? count : cq->count;
	for (i = 0; i < n; i++) {
		const struct sfi_cqe *e = &cq->ring[cq->head];

		cq_write_entry(cq, p, e);
		if (src)
			src[i] = e->src;
		p += cq->esize;
		cq->head = (cq->head + 1) % cq->cap;
		cq->count--;
	}
	return n;
}

static ssize_t sfi_cq_readfrom(struct fid_cq *fid, void *buf, size_t count,
			       fi_addr_t *src)
{
	struct sfi_cq *cq = sfi_container_of(fid, struct sfi_cq, cq);
	uint64_t now;
	ssize_t ret;
	bool yield;

	if (count && !buf)
		return -FI_EINVAL;
	pthread_mutex_lock(&cq->dom->lock);
	ret = cq_readfrom_locked(cq, buf, count, src);
	if (ret != -FI_EAGAIN || !sfi_param_yield) {
		cq->empty_since = 0;
		pthread_mutex_unlock(&cq->dom->lock);
		return ret;
	}
	/*
	 * Nothing yet: the simulated NIC is the CPU, and so may be the peer
	 * process on this very CPU. Poll a little (a peer that runs answers
	 * within microseconds), then let it run: a poller that never yields
	 * holds a shared CPU for a whole time slice.
	 */
	now = sfi_now_ns();
	if (!cq->empty_since)
		cq->empty_since = now;
	yield = now - cq->empty_since >= sfi_param_spin_us * 1000;
	pthread_mutex_unlock(&cq->dom->lock);
	if (yield)
		sched_yield();
	return ret;
}

static ssize_t sfi_cq_read(struct fid_cq *fid, void *buf, size_t count)
{
	return sfi_cq_readfrom(fid, buf, count, NULL);
}

static ssize_t sfi_cq_readerr(struct fid_cq *fid, struct fi_cq_err_entry *buf,
			      uint64_t flags)
{
	struct sfi_cq *cq = sfi_container_of(fid, struct sfi_cq, cq);
	struct sfi_cqerr *ce;
	size_t len;

	if (!buf || flags)
		return -FI_EINVAL;
	pthread_mutex_lock(&cq->dom->lock);
	if (sfi_list_empty(&cq->errs)) {
		pthread_mutex_unlock(&cq->dom->lock);
		return -FI_EAGAIN;
	}
	ce = sfi_container_of(cq->errs.next, struct sfi_cqerr, node);
	sfi_list_del(&ce->node);
	buf->op_context = ce->e.op_context;
	buf->flags = ce->e.flags;
	buf->len = ce->e.len;
	buf->buf = ce->e.buf;
	buf->data = ce->e.data;
	buf->tag = ce->e.tag;
	buf->olen = ce->olen;
	buf->err = ce->err;
	buf->prov_errno = ce->prov_errno;
	len = strlen(ce->msg) + 1;
	if (FI_VERSION_GE(cq->dom->api_version, FI_VERSION(1, 5)) &&
	    buf->err_data && buf->err_data_size) {
		/* The application's buffer (since API 1.5). */
		if (len > buf->err_data_size)
			len = buf->err_data_size;
		memcpy(buf->err_data, ce->msg, len);
		((char *)buf->err_data)[len - 1] = '\0';
		buf->err_data_size = len;
	} else {
		memcpy(cq->errbuf, ce->msg, len);
		buf->err_data = cq->errbuf;
		if (FI_VERSION_GE(cq->dom->api_version, FI_VERSION(1, 5)))
			buf->err_data_size = len;
	}
	pthread_mutex_unlock(&cq->dom->lock);
	free(ce);
	return 1;
}

static void cq_drain_evfd(struct sfi_cq *cq)
{
	uint64_t v;

	while (read(cq->evfd, &v, sizeof(v)) > 0)
		;
}

static ssize_t sfi_cq_sreadfrom(struct fid_cq *fid, void *buf, size_t count,
				fi_addr_t *src, const void *cond, int timeout)
{
	struct sfi_cq *cq = sfi_container_of(fid, struct sfi_cq, cq);
	double deadline = timeout >= 0 ? sfi_now_ms() + timeout : 0;
	struct epoll_event ev[8];
	ssize_t ret;
	int wait;
	bool busy;

	(void)cond;
	if (count && !buf)
		return -FI_EINVAL;
	for (;;) {
		pthread_mutex_lock(&cq->dom->lock);
		ret = cq_readfrom_locked(cq, buf, count, src);
		if (ret == -FI_EAGAIN && cq->signaled) {
			cq->signaled = false;
			ret = -FI_ECANCELED;
		}
		busy = cq_busy(cq);
		/* Wake up for what arrives from now on. */
		cq->armed = true;
		pthread_mutex_unlock(&cq->dom->lock);
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
		if (busy && (wait < 0 || wait > 1))
			wait = 1;
		if (epoll_wait(cq->epfd, ev, 8, wait) < 0 && errno != EINTR)
			return -errno;
		cq_drain_evfd(cq);
	}
}

static ssize_t sfi_cq_sread(struct fid_cq *fid, void *buf, size_t count,
			    const void *cond, int timeout)
{
	return sfi_cq_sreadfrom(fid, buf, count, NULL, cond, timeout);
}

static int sfi_cq_signal(struct fid_cq *fid)
{
	struct sfi_cq *cq = sfi_container_of(fid, struct sfi_cq, cq);

	pthread_mutex_lock(&cq->dom->lock);
	cq->signaled = true;
	cq->armed = true;
	cq_wake(cq);
	pthread_mutex_unlock(&cq->dom->lock);
	return 0;
}

static const char *sfi_cq_strerror(struct fid_cq *fid, int prov_errno,
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

/* fi_trywait(): 0 when nothing is pending and the fd will wake a sleeper. */
int sfi_cq_trywait(struct sfi_cq *cq)
{
	int ret = 0;

	pthread_mutex_lock(&cq->dom->lock);
	if (cq->wait_obj == FI_WAIT_NONE) {
		ret = -FI_EINVAL;
		goto out;
	}
	cq_progress(cq);
	if (cq->count || !sfi_list_empty(&cq->errs) || cq_busy(cq)) {
		ret = -FI_EAGAIN;
		goto out;
	}
	cq_drain_evfd(cq);
	cq->armed = true;
out:
	pthread_mutex_unlock(&cq->dom->lock);
	return ret;
}

static int sfi_cq_control(struct fid *fid, int command, void *arg)
{
	struct sfi_cq *cq = sfi_container_of(fid, struct sfi_cq, cq.fid);

	switch (command) {
	case FI_GETWAIT:
		if (cq->wait_obj != FI_WAIT_FD)
			return -FI_ENODATA;
		if (!arg)
			return -FI_EINVAL;
		*(int *)arg = cq->epfd;
		return 0;
	case FI_GETWAITOBJ:
		if (!arg)
			return -FI_EINVAL;
		*(enum fi_wait_obj *)arg = cq->wait_obj;
		return 0;
	default:
		return -FI_ENOSYS;
	}
}

static int sfi_cq_close(struct fid *fid)
{
	struct sfi_cq *cq = sfi_container_of(fid, struct sfi_cq, cq.fid);
	struct sfi_domain *dom = cq->dom;
	struct sfi_list *pos, *tmp;

	pthread_mutex_lock(&dom->lock);
	if (cq->refs) {
		pthread_mutex_unlock(&dom->lock);
		return -FI_EBUSY;
	}
	dom->refs--;
	pthread_mutex_unlock(&dom->lock);
	sfi_list_for_each_safe(pos, tmp, &cq->errs)
		free(sfi_container_of(pos, struct sfi_cqerr, node));
	close(cq->epfd);
	close(cq->evfd);
	free(cq->eps);
	free(cq->ring);
	free(cq);
	return 0;
}

static struct fi_ops sfi_cq_fi_ops = {
	.size = sizeof(struct fi_ops),
	.close = sfi_cq_close,
	.bind = sfi_no_bind,
	.control = sfi_cq_control,
	.ops_open = sfi_no_ops_open,
	.tostr = sfi_no_tostr,
	.ops_set = sfi_no_ops_set,
};

static struct fi_ops_cq sfi_cq_ops = {
	.size = sizeof(struct fi_ops_cq),
	.read = sfi_cq_read,
	.readfrom = sfi_cq_readfrom,
	.readerr = sfi_cq_readerr,
	.sread = sfi_cq_sread,
	.sreadfrom = sfi_cq_sreadfrom,
	.signal = sfi_cq_signal,
	.strerror = sfi_cq_strerror,
};

int sfi_cq_open(struct fid_domain *domain, struct fi_cq_attr *attr,
		struct fid_cq **cqp, void *context)
{
	struct sfi_domain *dom = sfi_container_of(domain, struct sfi_domain,
						  domain);
	struct epoll_event ev = { .events = EPOLLIN };
	enum fi_cq_format format = FI_CQ_FORMAT_CONTEXT;
	enum fi_wait_obj wait = FI_WAIT_NONE;
	struct sfi_cq *cq;

	if (!cqp)
		return -FI_EINVAL;
	if (attr) {
		if (attr->flags & ~(uint64_t)FI_AFFINITY)
			return -FI_EBADFLAGS;
		if (attr->format != FI_CQ_FORMAT_UNSPEC)
			format = attr->format;
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
		if (attr->wait_cond != FI_CQ_COND_NONE &&
		    attr->wait_cond != FI_CQ_COND_THRESHOLD)
			return -FI_EINVAL;
	}
	if (!cq_entry_size(format))
		return -FI_EINVAL;
	cq = calloc(1, sizeof(*cq));
	if (!cq)
		return -FI_ENOMEM;
	cq->dom = dom;
	cq->format = format;
	cq->wait_obj = wait;
	cq->esize = cq_entry_size(format);
	cq->cap = attr && attr->size ? attr->size : SFI_QUEUE_SIZE;
	cq->ring = calloc(cq->cap, sizeof(*cq->ring));
	sfi_list_init(&cq->errs);
	cq->epfd = epoll_create1(EPOLL_CLOEXEC);
	cq->evfd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (!cq->ring || cq->epfd < 0 || cq->evfd < 0 ||
	    epoll_ctl(cq->epfd, EPOLL_CTL_ADD, cq->evfd, &ev)) {
		int err = errno;

		if (cq->epfd >= 0)
			close(cq->epfd);
		if (cq->evfd >= 0)
			close(cq->evfd);
		free(cq->ring);
		free(cq);
		return -sfi_fi_errno(err ? err : ENOMEM);
	}
	cq->cq.fid.fclass = FI_CLASS_CQ;
	cq->cq.fid.context = context;
	cq->cq.fid.ops = &sfi_cq_fi_ops;
	cq->cq.ops = &sfi_cq_ops;
	pthread_mutex_lock(&dom->lock);
	dom->refs++;
	pthread_mutex_unlock(&dom->lock);
	*cqp = &cq->cq;
	return 0;
}
