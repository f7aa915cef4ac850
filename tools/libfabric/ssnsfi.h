/* SPDX-License-Identifier: LGPL-2.1-or-later OR GPL-2.0 */
/*
 * ssns libfabric provider: internal definitions.
 *
 * One fabric ("ssns"); one domain per visible ssns_sim device (cxi0...);
 * FI_EP_RDM endpoints, each one open file of /dev/cxiN with one endpoint
 * of the simulated NIC on the VNI and traffic class chosen for the domain.
 * Progress is manual: fi_cq_read() (and the other entry points) receive
 * what the kernel queued and move rendezvous data. Every object of a
 * domain is guarded by the domain's mutex (FI_THREAD_SAFE).
 */
#ifndef SSNSFI_H
#define SSNSFI_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include <sys/uio.h>

#include <rdma/fabric.h>
#include <rdma/fi_atomic.h>
#include <rdma/fi_cm.h>
#include <rdma/fi_collective.h>
#include <rdma/fi_domain.h>
#include <rdma/fi_endpoint.h>
#include <rdma/fi_eq.h>
#include <rdma/fi_errno.h>
#include <rdma/fi_rma.h>
#include <rdma/fi_tagged.h>
#include <rdma/providers/fi_log.h>
#include <rdma/providers/fi_prov.h>

#include "proto.h"

#define SFI_NAME		"ssns"
#define SFI_PROV_VERSION	FI_VERSION(1, 0)
#define SFI_IOV_LIMIT		4
#define SFI_MAX_MSG		(1ULL << 40)
#define SFI_TAG_FORMAT		0xAAAAAAAAAAAAAAAAULL	/* all 64 bits */
#define SFI_CQ_DATA_SIZE	8
#define SFI_QUEUE_SIZE		1024
#define SFI_EAGER_DEFAULT	4096
#define SFI_SPIN_US_DEFAULT	50	/* empty CQ reads poll this long, then yield */
#define SFI_EAGER_MAX		65536
#define SFI_RX_BATCH		32
#define SFI_ERRMSG_LEN		160
#define SFI_NAME_LEN		32

#define SFI_MSG_CAPS	(FI_MSG | FI_TAGGED | FI_SEND | FI_RECV | \
			 FI_DIRECTED_RECV | FI_SOURCE)
#define SFI_RMA_CAPS	(FI_RMA | FI_READ | FI_WRITE | FI_REMOTE_READ | \
			 FI_REMOTE_WRITE)
#define SFI_CAPS	(SFI_MSG_CAPS | SFI_RMA_CAPS | FI_LOCAL_COMM | \
			 FI_REMOTE_COMM)
#define SFI_TX_CAPS	(FI_MSG | FI_TAGGED | FI_SEND | FI_RMA | FI_READ | \
			 FI_WRITE)
#define SFI_RX_CAPS	(FI_MSG | FI_TAGGED | FI_RECV | FI_DIRECTED_RECV | \
			 FI_SOURCE | FI_RMA | FI_REMOTE_READ | FI_REMOTE_WRITE)

extern struct fi_provider sfi_prov;

#define SFI_WARN(sub, ...)	FI_WARN(&sfi_prov, sub, __VA_ARGS__)
#define SFI_WARN_SPARSE(sub, ...) FI_WARN_SPARSE(&sfi_prov, sub, __VA_ARGS__)
#define SFI_INFO(sub, ...)	FI_INFO(&sfi_prov, sub, __VA_ARGS__)

#define sfi_container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))

/* ------------------------------------------------------------- lists */

struct sfi_list {
	struct sfi_list *next, *prev;
};

static inline void sfi_list_init(struct sfi_list *h)
{
	h->next = h->prev = h;
}

static inline bool sfi_list_empty(const struct sfi_list *h)
{
	return h->next == h;
}

static inline void sfi_list_add_tail(struct sfi_list *h, struct sfi_list *n)
{
	n->prev = h->prev;
	n->next = h;
	h->prev->next = n;
	h->prev = n;
}

static inline void sfi_list_del(struct sfi_list *n)
{
	n->prev->next = n->next;
	n->next->prev = n->prev;
	n->next = n->prev = n;
}

#define sfi_list_for_each_safe(pos, tmp, head) \
	for ((pos) = (head)->next, (tmp) = (pos)->next; (pos) != (head); \
	     (pos) = (tmp), (tmp) = (pos)->next)

/* --------------------------------------------------------- selection */

/*
 * What the endpoints of a domain use: the device, the VNI and the traffic
 * classes to try, in order, and why (shown by fi_info -v and the log).
 */
struct sfi_sel {
	char dev[SFI_NAME_LEN];		/* cxi0 */
	char path[64];			/* /dev/cxi0 */
	uint32_t dev_index;		/* fabric address of the device */
	uint32_t vni;
	uint8_t tcs[4];			/* enum ssns_tc, in order of preference */
	int ntcs;
	bool tenant_known;		/* the caller's tenant was looked up */
	char tenant[SFI_NAME_LEN];	/* "" for none */
	char why[128];			/* how the VNI was chosen */
};

/* Environment and parameters, parsed (env.c). */
struct sfi_env {
	bool has_vni;
	uint32_t vni;			/* SLINGSHOT_VNIS, first entry */
	char **devices;			/* SLINGSHOT_DEVICES, NULL: all */
	unsigned int tc_mask;		/* SLINGSHOT_TCS: DA=1 LL=2 BULK=4 BE=8 */
};

int sfi_env_parse(struct sfi_env *env, char *err, size_t errlen);
void sfi_env_free(struct sfi_env *env);
int sfi_parse_vnis(const char *s, uint32_t *first);
int sfi_parse_tcs(const char *s, unsigned int *mask);
int sfi_tc_order(unsigned int mask, int want, uint8_t *tcs);
int sfi_select(struct sfi_sel **out, size_t *count, int want_tc);
int sfi_select_dev(const char *dev, int want_tc, struct sfi_sel *sel);
void sfi_caller_tenant(struct sfi_sel *sel);
const char *sfi_tc_name(unsigned int tc);
int sfi_tc_from_fi(uint32_t tclass);
uint32_t sfi_tc_to_fi(unsigned int tc);

/* ------------------------------------------------------------ objects */

struct sfi_fabric {
	struct fid_fabric fabric;
	pthread_mutex_t lock;
	int refs;			/* domains and EQs open on it */
};

struct sfi_domain {
	struct fid_domain domain;
	struct sfi_fabric *fab;
	pthread_mutex_t lock;
	struct sfi_sel sel;
	uint64_t caps;
	enum fi_av_type av_type;
	uint32_t api_version;
	size_t eager_max;
	bool use_window;
	bool win_keep;			/* SSNS_SIM_WINDOW_KEEP */
	int refs;			/* AVs, CQs, endpoints, MRs */
	struct sfi_list mrs;
};

struct sfi_mr {
	struct fid_mr mr;
	struct sfi_domain *dom;
	struct sfi_list node;
	uint64_t access;
	char *buf;			/* remote addresses are 0-based in it */
	size_t len;
};

struct sfi_av {
	struct fid_av av;
	struct sfi_domain *dom;
	enum fi_av_type type;
	struct sfi_addr *tab;
	uint8_t *used;
	size_t count, cap;
	/* reverse map: (dev << 32 | ep) + 1 -> index, open addressing */
	uint64_t *hkeys;
	size_t *hvals;
	size_t hcap, hcount;
	int refs;			/* endpoints bound */
};

fi_addr_t sfi_av_reverse(const struct sfi_av *av, uint32_t dev, uint32_t ep);
int sfi_av_get(const struct sfi_av *av, fi_addr_t fa, struct sfi_addr *out);
int sfi_av_open(struct fid_domain *domain, struct fi_av_attr *attr,
		struct fid_av **av, void *context);

/* A completion as the provider keeps it, whatever the CQ's format. */
struct sfi_cqe {
	void *op_context;
	uint64_t flags;
	size_t len;
	void *buf;
	uint64_t data;
	uint64_t tag;
	fi_addr_t src;
};

struct sfi_cqerr {
	struct sfi_list node;
	struct sfi_cqe e;
	size_t olen;
	int err;
	int prov_errno;
	char msg[SFI_ERRMSG_LEN];
};

struct sfi_ep;

struct sfi_cq {
	struct fid_cq cq;
	struct sfi_domain *dom;
	enum fi_cq_format format;
	enum fi_wait_obj wait_obj;
	size_t esize;
	struct sfi_cqe *ring;
	size_t head, count, cap;
	struct sfi_list errs;
	struct sfi_ep **eps;		/* endpoints bound */
	size_t neps;
	int epfd;			/* epoll: the endpoints' fds + evfd */
	int evfd;			/* eventfd: signal and completions */
	bool armed;			/* fi_trywait() said 0: signal evfd */
	bool signaled;
	uint64_t empty_since;		/* ns: first of a run of empty reads */
	char errbuf[SFI_ERRMSG_LEN];
	int refs;
};

int sfi_cq_open(struct fid_domain *domain, struct fi_cq_attr *attr,
		struct fid_cq **cq, void *context);
void sfi_cq_add(struct sfi_cq *cq, const struct sfi_cqe *e);
void sfi_cq_add_err(struct sfi_cq *cq, const struct sfi_cqe *e, int err,
		    int prov_errno, size_t olen, const char *msg);
int sfi_cq_attach(struct sfi_cq *cq, struct sfi_ep *ep);
void sfi_cq_detach(struct sfi_cq *cq, struct sfi_ep *ep);
int sfi_cq_trywait(struct sfi_cq *cq);

struct sfi_eq {
	struct fid_eq eq;
	struct sfi_fabric *fab;
	pthread_mutex_t lock;
	enum fi_wait_obj wait_obj;
	struct sfi_list q;
	struct sfi_ep **eps;
	size_t neps;
	int epfd, evfd;
	char errbuf[SFI_ERRMSG_LEN];
	int refs;
};

int sfi_eq_open(struct fid_fabric *fabric, struct fi_eq_attr *attr,
		struct fid_eq **eq, void *context);
int sfi_eq_attach(struct sfi_eq *eq, struct sfi_ep *ep);
void sfi_eq_detach(struct sfi_eq *eq, struct sfi_ep *ep);
void sfi_eq_report(struct sfi_eq *eq, struct sfi_ep *ep, int err,
		   int prov_errno, const char *msg);
int sfi_eq_trywait(struct sfi_eq *eq);

/* A posted receive. */
struct sfi_rx {
	struct sfi_list node;
	void *context;
	uint64_t flags;			/* operation flags */
	uint64_t tag, ignore;
	fi_addr_t src;
	bool tagged;
	bool completion;		/* a successful completion is wanted */
	bool prewin;			/* the window was set for it ahead */
	size_t iov_count;
	struct iovec iov[SFI_IOV_LIMIT];
	size_t total;
};

/* A message that arrived before its receive: eager data or an RTS. */
struct sfi_unexp {
	struct sfi_list node;
	struct sfi_hdr hdr;
	struct sfi_addr from;
	void *claim_ctx;		/* FI_CLAIM: the context holding it */
	size_t paylen;
	unsigned char payload[];
};

enum sfi_src_state {
	SFI_SRC_WAIT,			/* for a grant (CTS) */
	SFI_SRC_MOVE,			/* writing (or sending) a segment */
};

/* The sending side of a rendezvous. */
struct sfi_source {
	struct sfi_list node;
	uint32_t id;
	void *context;
	uint64_t cq_flags;
	bool completion;
	struct sfi_addr dst;
	size_t iov_count;
	struct iovec iov[SFI_IOV_LIMIT];
	uint64_t total;
	enum sfi_src_state state;
	uint32_t sink_id;
	uint64_t seg_off, seg_len, done;
	bool last, nowin;
	bool target;			/* a read's data at its target: no CQ */
};

enum sfi_sink_kind {
	SFI_SINK_RECV,			/* a receive */
	SFI_SINK_READ,			/* an RMA read's buffer */
	SFI_SINK_RMA,			/* registered memory a large write fills */
};

/* The receiving side of a rendezvous. */
struct sfi_sink {
	struct sfi_list node;		/* ep->sinks */
	struct sfi_list wnode;		/* ep->win_wait while waiting */
	uint32_t id, source_id;
	struct sfi_addr peer;
	fi_addr_t src;
	struct sfi_rx rx;
	uint64_t msg_len, granted;
	uint64_t seg_off, seg_len, seg_got;
	uint64_t tag, data;
	uint16_t hflags;
	bool nowin, waiting, prewin;
	enum sfi_sink_kind kind;
	bool await;			/* a read waiting for the target's answer */
};

/* A small RMA write waiting for the target's answer. */
struct sfi_rmaop {
	struct sfi_list node;
	uint32_t id;
	void *context;
	bool completion;
};

/* A control message the peer's queue refused; sent again by progress. */
struct sfi_ctrl {
	struct sfi_list node;
	struct sfi_addr dst;
	size_t len;
	unsigned char msg[];		/* header (and payload: RDATA) */
};

struct sfi_ep {
	struct fid_ep ep;
	struct sfi_domain *dom;
	uint64_t caps;
	int fd;
	uint32_t handle;
	struct sfi_addr self;
	uint32_t vni;
	uint8_t tc;
	uint32_t rxq_depth;
	struct sfi_cq *tx_cq, *rx_cq;
	bool tx_selective, rx_selective;
	uint64_t tx_op_flags, rx_op_flags;
	struct sfi_av *av;
	struct sfi_eq *eq;
	bool enabled, dead;
	int eq_reported;		/* atomic: revocation put on the EQ */
	struct sfi_list posted[2];	/* [0] untagged, [1] tagged */
	struct sfi_list unexp[2];
	struct sfi_list claimed;
	struct sfi_list sources;
	struct sfi_list sinks;
	/*
	 * The window (one per endpoint in the ABI): set in the kernel on
	 * [win_addr, +win_len); used by win_owner's granted segment, or set
	 * ahead for win_rx, a posted receive; with neither it is stale and
	 * goes at the next progress call (off the completion's path).
	 */
	struct sfi_list win_wait;
	struct sfi_sink *win_owner;
	struct sfi_rx *win_rx;
	bool win_set;
	void *win_addr;
	size_t win_len;
	uint64_t win_stale_at;		/* progress count when it went stale */
	uint64_t win_sets;		/* windows set */
	uint64_t win_reused;		/* of them, kept by the kernel */
	uint64_t nprogress;
	bool win_failed;		/* refused once: no windows set ahead */
	uint64_t last_rx_len;		/* message length of the last receive */
	struct sfi_list ctrlq;
	struct sfi_list rma_wait;
	uint32_t next_id;
	unsigned char *rxbuf;
	size_t rxbuf_len;
	unsigned char *txbuf;
	size_t txbuf_len;
	bool warned_window;
};

int sfi_endpoint(struct fid_domain *domain, struct fi_info *info,
		 struct fid_ep **ep, void *context);
void sfi_ep_progress(struct sfi_ep *ep);
bool sfi_ep_busy(const struct sfi_ep *ep);
void sfi_ep_revoke(struct sfi_ep *ep, int err);
void sfi_ep_free_state(struct sfi_ep *ep);

/* Data transfer operations (xfer.c). */
extern struct fi_ops_msg sfi_msg_ops;
extern struct fi_ops_tagged sfi_tagged_ops;
extern struct fi_ops_rma sfi_rma_ops;
ssize_t sfi_ep_cancel(fid_t fid, void *context);

/* ----------------------------------------------------- helpers (prov.c) */

extern size_t sfi_param_eager;
extern int sfi_param_window;
extern int sfi_param_report;
extern int sfi_param_yield;
extern int sfi_param_window_keep;
extern size_t sfi_param_spin_us;

static inline uint64_t sfi_now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

static inline double sfi_now_ms(void)
{
	return sfi_now_ns() / 1e6;
}

int sfi_fi_errno(int err);
const char *sfi_errno_name(int err);
const char *sfi_refusal_reason(int err);
int sfi_fabric(struct fi_fabric_attr *attr, struct fid_fabric **fabric,
	       void *context);
int sfi_domain_open(struct fid_fabric *fabric, struct fi_info *info,
		    struct fid_domain **domain, void *context);
int sfi_getinfo(uint32_t version, const char *node, const char *service,
		uint64_t flags, const struct fi_info *hints,
		struct fi_info **info);
int sfi_hints_check(const struct fi_info *hints, uint32_t version,
		    const struct sfi_sel *sel, char *why, size_t whylen);
struct fi_info *sfi_info_new(uint32_t version, const struct sfi_sel *sel,
			     const struct fi_info *hints);
struct fid_nic *sfi_nic_new(const struct sfi_sel *sel);

/* Operations a provider fills in for what it does not do (stubs.c). */
extern struct fi_ops_atomic sfi_no_atomic_ops;
extern struct fi_ops_collective sfi_no_collective_ops;
int sfi_no_bind(struct fid *fid, struct fid *bfid, uint64_t flags);
int sfi_no_control(struct fid *fid, int command, void *arg);
int sfi_no_ops_open(struct fid *fid, const char *name, uint64_t flags,
		    void **ops, void *context);
int sfi_no_tostr(const struct fid *fid, char *buf, size_t len);
int sfi_no_ops_set(struct fid *fid, const char *name, uint64_t flags,
		   void *ops, void *context);

#endif /* SSNSFI_H */
