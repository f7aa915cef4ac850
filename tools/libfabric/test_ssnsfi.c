// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the libfabric provider without a kernel: the SLINGSHOT_*
 * environment, traffic classes, hints, the fi_info it builds (and what
 * fi_info -v prints of it), address vectors, completion queues and the
 * errno vocabulary. The data path needs /dev/cxiN: selftests/libfabric.sh.
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/ssns.h>

#include "ssnsfi.h"

START_TEST(vnis)
{
	uint32_t v = 0;
	const char *bad[] = { "", "0", "65536", "a", "1,", ",1", "1,,2",
			      " 1", "1 ", "-1", "+1", "1;2", "1,x",
			      "99999999999999999999" };

	ck_assert_int_eq(sfi_parse_vnis("100", &v), 0);
	ck_assert_uint_eq(v, 100);
	ck_assert_int_eq(sfi_parse_vnis("200,100,65535", &v), 0);
	ck_assert_uint_eq(v, 200);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(sfi_parse_vnis(bad[i], &v) == -FI_EINVAL,
			      "\"%s\" accepted", bad[i]);
}
END_TEST

START_TEST(tcs)
{
	unsigned int m = 0;
	uint8_t t[4];

	ck_assert_int_eq(sfi_parse_tcs("2", &m), 0);
	ck_assert_uint_eq(m, 2);
	ck_assert_int_eq(sfi_parse_tcs("0xc", &m), 0);
	ck_assert_uint_eq(m, 12);
	ck_assert_int_eq(sfi_parse_tcs("15", &m), 0);
	ck_assert_int_eq(sfi_parse_tcs("0", &m), -FI_EINVAL);
	ck_assert_int_eq(sfi_parse_tcs("16", &m), -FI_EINVAL);
	ck_assert_int_eq(sfi_parse_tcs("ll", &m), -FI_EINVAL);
	ck_assert_int_eq(sfi_parse_tcs("", &m), -FI_EINVAL);

	/* Bits: DA=1 LL=2 BULK=4 BE=8; default order LL, BE, BULK, DA. */
	ck_assert_int_eq(sfi_tc_order(0xf, -1, t), 4);
	ck_assert_uint_eq(t[0], SSNS_TC_LOW_LATENCY);
	ck_assert_uint_eq(t[1], SSNS_TC_BEST_EFFORT);
	ck_assert_uint_eq(t[2], SSNS_TC_BULK_DATA);
	ck_assert_uint_eq(t[3], SSNS_TC_DEDICATED_ACCESS);
	ck_assert_int_eq(sfi_tc_order(0x4, -1, t), 1);
	ck_assert_uint_eq(t[0], SSNS_TC_BULK_DATA);
	ck_assert_int_eq(sfi_tc_order(0x9, -1, t), 2);
	ck_assert_uint_eq(t[0], SSNS_TC_BEST_EFFORT);
	ck_assert_uint_eq(t[1], SSNS_TC_DEDICATED_ACCESS);
	/* The application's class, if allowed. */
	ck_assert_int_eq(sfi_tc_order(0xf, SSNS_TC_BULK_DATA, t), 1);
	ck_assert_uint_eq(t[0], SSNS_TC_BULK_DATA);
	ck_assert_int_eq(sfi_tc_order(0x2, SSNS_TC_BULK_DATA, t), 0);

	for (unsigned int tc = 0; tc <= SSNS_TC_MAX; tc++)
		ck_assert_int_eq(sfi_tc_from_fi(sfi_tc_to_fi(tc)), tc);
	ck_assert_int_eq(sfi_tc_from_fi(FI_TC_UNSPEC), -1);
	ck_assert_int_eq(sfi_tc_from_fi(FI_TC_SCAVENGER), -2);
	ck_assert_int_eq(sfi_tc_from_fi(fi_tc_dscp_set(10)), -2);
	ck_assert_str_eq(sfi_tc_name(SSNS_TC_LOW_LATENCY), "low_latency");
	ck_assert_str_eq(sfi_tc_name(9), "unknown");
}
END_TEST

static void clear_env(void)
{
	unsetenv("SLINGSHOT_VNIS");
	unsetenv("SLINGSHOT_TCS");
	unsetenv("SLINGSHOT_DEVICES");
	unsetenv("SLINGSHOT_SVC_IDS");
}

START_TEST(environment)
{
	struct sfi_env env;
	char err[160];

	clear_env();
	ck_assert_int_eq(sfi_env_parse(&env, err, sizeof(err)), 0);
	ck_assert(!env.has_vni);
	ck_assert_uint_eq(env.tc_mask, 0xf);
	ck_assert_ptr_null(env.devices);

	setenv("SLINGSHOT_VNIS", "300,301", 1);
	setenv("SLINGSHOT_TCS", "0x6", 1);
	setenv("SLINGSHOT_DEVICES", "cxi1,cxi0", 1);
	setenv("SLINGSHOT_SVC_IDS", "7,8", 1);
	ck_assert_int_eq(sfi_env_parse(&env, err, sizeof(err)), 0);
	ck_assert(env.has_vni);
	ck_assert_uint_eq(env.vni, 300);
	ck_assert_uint_eq(env.tc_mask, 6);
	ck_assert_str_eq(env.devices[0], "cxi1");
	ck_assert_str_eq(env.devices[1], "cxi0");
	ck_assert_ptr_null(env.devices[2]);
	sfi_env_free(&env);

	/* Each bad variable is named in the error. */
	setenv("SLINGSHOT_VNIS", "bob", 1);
	ck_assert_int_eq(sfi_env_parse(&env, err, sizeof(err)), -FI_EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "SLINGSHOT_VNIS"));
	setenv("SLINGSHOT_VNIS", "300", 1);
	setenv("SLINGSHOT_TCS", "32", 1);
	ck_assert_int_eq(sfi_env_parse(&env, err, sizeof(err)), -FI_EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "SLINGSHOT_TCS"));
	setenv("SLINGSHOT_TCS", "2", 1);
	setenv("SLINGSHOT_DEVICES", "cxi0,../x", 1);
	ck_assert_int_eq(sfi_env_parse(&env, err, sizeof(err)), -FI_EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "SLINGSHOT_DEVICES"));
	setenv("SLINGSHOT_DEVICES", ",", 1);
	ck_assert_int_eq(sfi_env_parse(&env, err, sizeof(err)), -FI_EINVAL);
	clear_env();
}
END_TEST

static struct sfi_sel test_sel(void)
{
	struct sfi_sel s;

	memset(&s, 0, sizeof(s));
	snprintf(s.dev, sizeof(s.dev), "cxi3");
	snprintf(s.path, sizeof(s.path), "/dev/cxi3");
	s.dev_index = 3;
	s.vni = 100;
	s.ntcs = sfi_tc_order(0xf, -1, s.tcs);
	s.tenant_known = true;
	snprintf(s.tenant, sizeof(s.tenant), "alice");
	snprintf(s.why, sizeof(s.why), "tenant alice's first VNI");
	return s;
}

static int check_hints(struct fi_info *h)
{
	struct sfi_sel s = test_sel();
	char why[160];

	return sfi_hints_check(h, FI_VERSION(1, 17), &s, why, sizeof(why));
}

START_TEST(hints)
{
	struct fi_info *h = fi_allocinfo();

	ck_assert_ptr_nonnull(h);
	ck_assert_int_eq(check_hints(h), 0);

	/* What Open MPI's ofi MTL asks for. */
	h->mode = FI_CONTEXT | FI_CONTEXT2;
	h->ep_attr->type = FI_EP_RDM;
	h->caps = FI_TAGGED | FI_LOCAL_COMM | FI_REMOTE_COMM |
		  FI_DIRECTED_RECV;
	h->tx_attr->msg_order = FI_ORDER_SAS;
	h->rx_attr->msg_order = FI_ORDER_SAS;
	h->tx_attr->op_flags = FI_COMPLETION;
	h->rx_attr->op_flags = FI_COMPLETION;
	h->domain_attr->threading = FI_THREAD_DOMAIN;
	h->domain_attr->cq_data_size = 4;
	h->domain_attr->av_type = FI_AV_MAP;
	h->domain_attr->resource_mgmt = FI_RM_ENABLED;
	ck_assert_int_eq(check_hints(h), 0);

	/* What fi_pingpong asks for. */
	h->domain_attr->mr_mode = FI_MR_LOCAL | FI_MR_ALLOCATED |
				  FI_MR_PROV_KEY | FI_MR_VIRT_ADDR;
	ck_assert_int_eq(check_hints(h), 0);

	h->ep_attr->type = FI_EP_DGRAM;
	ck_assert_int_eq(check_hints(h), -FI_ENODATA);
	h->ep_attr->type = FI_EP_RDM;
	h->caps |= FI_RMA | FI_READ | FI_WRITE | FI_REMOTE_WRITE;
	ck_assert_int_eq(check_hints(h), 0);
	h->caps |= FI_ATOMIC;
	ck_assert_int_eq(check_hints(h), -FI_ENODATA);
	h->caps &= ~(FI_ATOMIC | FI_RMA | FI_READ | FI_WRITE | FI_REMOTE_WRITE);
	h->tx_attr->rma_iov_limit = 2;
	ck_assert_int_eq(check_hints(h), -FI_ENODATA);
	h->tx_attr->rma_iov_limit = 1;
	h->domain_attr->data_progress = FI_PROGRESS_AUTO;
	ck_assert_int_eq(check_hints(h), -FI_ENODATA);
	h->domain_attr->data_progress = FI_PROGRESS_MANUAL;
	h->domain_attr->name = strdup("cxi0");
	ck_assert_int_eq(check_hints(h), -FI_ENODATA);
	free(h->domain_attr->name);
	h->domain_attr->name = strdup("cxi3");
	ck_assert_int_eq(check_hints(h), 0);
	h->tx_attr->msg_order |= FI_ORDER_RAW;
	ck_assert_int_eq(check_hints(h), -FI_ENODATA);
	h->tx_attr->msg_order = FI_ORDER_SAS;
	h->domain_attr->cq_data_size = 16;
	ck_assert_int_eq(check_hints(h), -FI_ENODATA);
	h->domain_attr->cq_data_size = 8;
	h->tx_attr->inject_size = 1 << 20;
	ck_assert_int_eq(check_hints(h), -FI_ENODATA);
	h->tx_attr->inject_size = 64;
	h->addr_format = FI_SOCKADDR_IN;
	ck_assert_int_eq(check_hints(h), -FI_ENODATA);
	h->addr_format = FI_FORMAT_UNSPEC;
	h->tx_attr->tclass = FI_TC_BULK_DATA;
	ck_assert_int_eq(check_hints(h), 0);
	h->tx_attr->tclass = FI_TC_SCAVENGER;
	ck_assert_int_eq(check_hints(h), -FI_ENODATA);
	fi_freeinfo(h);
}
END_TEST

START_TEST(info_and_nic)
{
	struct sfi_sel s = test_sel();
	struct fi_info *h = fi_allocinfo(), *fi, *dup;
	char buf[8192];

	h->caps = FI_MSG;
	h->tx_attr->op_flags = FI_COMPLETION;
	h->domain_attr->av_type = FI_AV_TABLE;
	fi = sfi_info_new(FI_VERSION(1, 17), &s, h);
	ck_assert_ptr_nonnull(fi);
	ck_assert(fi->caps & FI_MSG);
	ck_assert(!(fi->caps & FI_TAGGED));
	ck_assert(fi->caps & FI_LOCAL_COMM);
	ck_assert(fi->caps & FI_REMOTE_COMM);
	ck_assert_uint_eq(fi->tx_attr->op_flags, FI_COMPLETION);
	ck_assert_int_eq(fi->domain_attr->av_type, FI_AV_TABLE);
	ck_assert_int_eq(fi->ep_attr->type, FI_EP_RDM);
	ck_assert_str_eq(fi->domain_attr->name, "cxi3");
	ck_assert_str_eq(fi->fabric_attr->name, "ssns");
	ck_assert_uint_eq(fi->domain_attr->mr_mode, 0);
	ck_assert_uint_eq(fi->domain_attr->cq_data_size, 8);
	ck_assert_uint_eq(fi->tx_attr->inject_size, sfi_param_eager);
	ck_assert_uint_eq(fi->ep_attr->mem_tag_format, SFI_TAG_FORMAT);
	ck_assert_int_eq(fi->tx_attr->tclass, FI_TC_UNSPEC);

	/* fi_info -v: the NIC section names device, VNI, class, tenant. */
	fi_tostr_r(buf, sizeof(buf), fi, FI_TYPE_INFO);
	ck_assert_ptr_nonnull(strstr(buf, "device: cxi3 (/dev/cxi3, fabric index 3)"));
	ck_assert_ptr_nonnull(strstr(buf, "vni: 100 (tenant alice's first VNI)"));
	ck_assert_ptr_nonnull(strstr(buf, "traffic_class: low_latency (then best_effort, bulk_data, dedicated_access)"));
	ck_assert_ptr_nonnull(strstr(buf, "tenant: alice"));

	/* fi_dupinfo() copies the NIC through its FI_DUP control. */
	dup = fi_dupinfo(fi);
	ck_assert_ptr_nonnull(dup);
	ck_assert_ptr_nonnull(dup->nic);
	ck_assert_ptr_ne(dup->nic, fi->nic);
	fi_tostr_r(buf, sizeof(buf), dup, FI_TYPE_INFO);
	ck_assert_ptr_nonnull(strstr(buf, "vni: 100"));
	fi_freeinfo(dup);
	fi_freeinfo(fi);

	/* A traffic class asked for is the one the info carries. */
	h->tx_attr->tclass = FI_TC_BULK_DATA;
	fi = sfi_info_new(FI_VERSION(1, 17), &s, h);
	ck_assert_int_eq(fi->tx_attr->tclass, FI_TC_BULK_DATA);
	fi_freeinfo(fi);
	fi_freeinfo(h);

	/* No hints: everything. */
	fi = sfi_info_new(FI_VERSION(1, 4), &s, NULL);
	ck_assert_uint_eq(fi->caps, SFI_CAPS);
	ck_assert_uint_eq(fi->domain_attr->mr_mode, FI_MR_SCALABLE);
	fi_freeinfo(fi);
}
END_TEST

static struct sfi_domain *fake_domain(void)
{
	struct sfi_domain *d = calloc(1, sizeof(*d));

	pthread_mutex_init(&d->lock, NULL);
	sfi_list_init(&d->mrs);
	d->sel = test_sel();
	d->api_version = FI_VERSION(1, 17);
	return d;
}

START_TEST(address_vector)
{
	struct sfi_domain *d = fake_domain();
	struct fi_av_attr attr = { .type = FI_AV_MAP };
	struct sfi_addr in[300], out;
	fi_addr_t fa[300];
	struct fid_av *av;
	size_t len = sizeof(out);
	char s[64];

	ck_assert_int_eq(sfi_av_open(&d->domain, &attr, &av, NULL), 0);
	for (int i = 0; i < 300; i++) {
		in[i].dev = i % 3;
		in[i].ep = 1000 + i;
	}
	ck_assert_int_eq(fi_av_insert(av, in, 300, fa, 0, NULL), 300);
	struct sfi_av *a = sfi_container_of(av, struct sfi_av, av);
	for (int i = 0; i < 300; i++) {
		ck_assert_uint_eq(fa[i], i);
		ck_assert_uint_eq(sfi_av_reverse(a, i % 3, 1000 + i), i);
	}
	ck_assert_uint_eq(sfi_av_reverse(a, 7, 7), FI_ADDR_NOTAVAIL);
	ck_assert_int_eq(fi_av_lookup(av, 42, &out, &len), 0);
	ck_assert_uint_eq(len, sizeof(out));
	ck_assert_uint_eq(out.dev, 0);
	ck_assert_uint_eq(out.ep, 1042);
	ck_assert_int_eq(fi_av_remove(av, &fa[42], 1, 0), 0);
	ck_assert_uint_eq(sfi_av_reverse(a, 0, 1042), FI_ADDR_NOTAVAIL);
	ck_assert_uint_eq(sfi_av_reverse(a, 1, 1043), 43);
	ck_assert_int_eq(fi_av_lookup(av, 42, &out, &len), -FI_EINVAL);
	ck_assert_int_eq(fi_av_remove(av, &fa[42], 1, 0), -FI_EINVAL);
	ck_assert_int_eq(sfi_av_get(a, 1000, &out), -FI_EINVAL);
	len = sizeof(s);
	fi_av_straddr(av, &in[1], s, &len);
	ck_assert_str_eq(s, "ssns://1/1001");
	ck_assert_int_eq(fi_av_insert(av, in, 1, fa, FI_RECV, NULL),
			 -FI_EBADFLAGS);
	ck_assert_int_eq(fi_close(&av->fid), 0);
	pthread_mutex_destroy(&d->lock);
	free(d);
}
END_TEST

START_TEST(completion_queue)
{
	struct sfi_domain *d = fake_domain();
	struct fi_cq_attr attr = { .format = FI_CQ_FORMAT_TAGGED, .size = 4,
				   .wait_obj = FI_WAIT_FD };
	struct fi_cq_tagged_entry e[16];
	struct fi_cq_err_entry err = { 0 };
	struct fid_cq *fcq;
	struct sfi_cq *cq;
	char mine[8];
	int fd = -1, ctx[10];

	ck_assert_int_eq(sfi_cq_open(&d->domain, &attr, &fcq, NULL), 0);
	cq = sfi_container_of(fcq, struct sfi_cq, cq);
	ck_assert_int_eq(fi_cq_read(fcq, e, 16), -FI_EAGAIN);
	ck_assert_int_eq(fi_control(&fcq->fid, FI_GETWAIT, &fd), 0);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(sfi_cq_trywait(cq), 0);

	/* More than its size: it grows, in order. */
	pthread_mutex_lock(&d->lock);
	for (int i = 0; i < 10; i++) {
		struct sfi_cqe c = { .op_context = &ctx[i], .flags = FI_RECV,
				     .len = i, .tag = 100 + i };

		sfi_cq_add(cq, &c);
	}
	pthread_mutex_unlock(&d->lock);
	ck_assert_int_eq(fi_cq_read(fcq, e, 3), 3);
	ck_assert_ptr_eq(e[0].op_context, &ctx[0]);
	ck_assert_int_eq(fi_cq_read(fcq, e, 16), 7);
	ck_assert_ptr_eq(e[6].op_context, &ctx[9]);
	ck_assert_uint_eq(e[6].tag, 109);
	ck_assert_uint_eq(e[6].len, 9);

	/* An error: -FI_EAVAIL, then the entry and its message. */
	pthread_mutex_lock(&d->lock);
	struct sfi_cqe c = { .op_context = &ctx[0], .flags = FI_RECV };
	sfi_cq_add_err(cq, &c, FI_ETRUNC, 0, 5, "message longer");
	pthread_mutex_unlock(&d->lock);
	ck_assert_int_eq(fi_cq_read(fcq, e, 1), -FI_EAVAIL);
	ck_assert_int_eq(fi_cq_readerr(fcq, &err, 0), 1);
	ck_assert_int_eq(err.err, FI_ETRUNC);
	ck_assert_uint_eq(err.olen, 5);
	ck_assert_str_eq(err.err_data, "message longer");
	ck_assert_int_eq(fi_cq_readerr(fcq, &err, 0), -FI_EAGAIN);
	/* The application's own err_data buffer is filled (API >= 1.5). */
	pthread_mutex_lock(&d->lock);
	sfi_cq_add_err(cq, &c, FI_ECANCELED, 0, 0, "canceled");
	pthread_mutex_unlock(&d->lock);
	err.err_data = mine;
	err.err_data_size = sizeof(mine);
	ck_assert_int_eq(fi_cq_readerr(fcq, &err, 0), 1);
	ck_assert_ptr_eq(err.err_data, mine);
	ck_assert_str_eq(mine, "cancele");
	ck_assert_uint_eq(err.err_data_size, sizeof(mine));

	/* A signal ends a blocking read. */
	ck_assert_int_eq(fi_cq_signal(fcq), 0);
	ck_assert_int_eq(fi_cq_sread(fcq, e, 1, NULL, 1000), -FI_ECANCELED);
	ck_assert_int_eq(fi_cq_sread(fcq, e, 1, NULL, 10), -FI_EAGAIN);
	ck_assert_int_eq(fi_close(&fcq->fid), 0);
	pthread_mutex_destroy(&d->lock);
	free(d);
}
END_TEST

START_TEST(event_queue)
{
	struct fi_fabric_attr fattr = { .name = (char *)"ssns",
					.api_version = FI_VERSION(1, 17) };
	struct fi_eq_attr attr = { .wait_obj = FI_WAIT_FD };
	struct fi_eq_err_entry err = { 0 };
	struct fid_fabric *fab;
	struct fid_eq *eq;
	struct sfi_ep ep;
	char data[16] = "hello", got[16];
	uint32_t event = 0;
	int fd = -1;

	ck_assert_int_eq(sfi_fabric(&fattr, &fab, NULL), 0);
	fab->api_version = FI_VERSION(1, 17);
	ck_assert_int_eq(fi_eq_open(fab, &attr, &eq, NULL), 0);
	ck_assert_int_eq(fi_control(&eq->fid, FI_GETWAIT, &fd), 0);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(fi_eq_read(eq, &event, got, sizeof(got), 0),
			 -FI_EAGAIN);
	ck_assert_int_eq(fi_eq_write(eq, FI_NOTIFY, data, 6, 0), 6);
	ck_assert_int_eq(fi_eq_read(eq, &event, got, 2, 0), -FI_ETOOSMALL);
	ck_assert_int_eq(fi_eq_read(eq, &event, got, sizeof(got), FI_PEEK), 6);
	ck_assert_int_eq(fi_eq_read(eq, &event, got, sizeof(got), 0), 6);
	ck_assert_uint_eq(event, FI_NOTIFY);
	ck_assert_str_eq(got, "hello");

	/* A revoked endpoint: one error event, whoever reports it twice. */
	memset(&ep, 0, sizeof(ep));
	ep.fd = -1;
	ep.ep.fid.fclass = FI_CLASS_EP;
	ep.ep.fid.context = &event;
	sfi_eq_report(sfi_container_of(eq, struct sfi_eq, eq), &ep, FI_ENODEV,
		      ENODEV, "cxi3: endpoint 0 on VNI 100 revoked");
	sfi_eq_report(sfi_container_of(eq, struct sfi_eq, eq), &ep, FI_ENODEV,
		      ENODEV, "again");
	ck_assert_int_eq(fi_eq_sread(eq, &event, got, sizeof(got), 1000, 0),
			 -FI_EAVAIL);
	ck_assert_int_eq(fi_eq_readerr(eq, &err, 0), sizeof(err));
	ck_assert_ptr_eq(err.fid, &ep.ep.fid);
	ck_assert_ptr_eq(err.context, &event);
	ck_assert_int_eq(err.err, FI_ENODEV);
	ck_assert_str_eq(err.err_data, "cxi3: endpoint 0 on VNI 100 revoked");
	ck_assert_int_eq(fi_eq_readerr(eq, &err, 0), -FI_EAGAIN);
	ck_assert_int_eq(fi_eq_sread(eq, &event, got, sizeof(got), 10, 0),
			 -FI_EAGAIN);
	ck_assert_int_eq(fi_close(&fab->fid), -FI_EBUSY);
	ck_assert_int_eq(fi_close(&eq->fid), 0);
	ck_assert_int_eq(fi_close(&fab->fid), 0);
}
END_TEST

START_TEST(errnos)
{
	ck_assert_int_eq(sfi_fi_errno(EACCES), FI_EACCES);
	ck_assert_int_eq(sfi_fi_errno(ENOENT), FI_ENOENT);
	ck_assert_int_eq(sfi_fi_errno(EAGAIN), FI_EAGAIN);
	ck_assert_int_eq(sfi_fi_errno(ENODEV), FI_ENODEV);
	ck_assert_int_eq(sfi_fi_errno(EADDRINUSE), FI_EADDRINUSE);
	ck_assert_int_eq(sfi_fi_errno(ENOSPC), FI_ENOSPC);
	ck_assert_int_eq(sfi_fi_errno(EREMOTEIO), FI_EIO);
	ck_assert_int_eq(sfi_fi_errno(ENOTTY), FI_ENOSYS);
	ck_assert_int_eq(sfi_fi_errno(EXDEV), FI_EOTHER);
	ck_assert_str_eq(sfi_errno_name(EACCES), "EACCES");
	ck_assert_ptr_nonnull(strstr(sfi_refusal_reason(EACCES),
				     "another tenant"));
	ck_assert_ptr_nonnull(strstr(sfi_refusal_reason(EAGAIN),
				     "rdma cgroup"));
	ck_assert_ptr_nonnull(strstr(sfi_refusal_reason(ENOENT), "profile"));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("libfabric provider");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, vnis);
	tcase_add_test(tc, tcs);
	tcase_add_test(tc, environment);
	tcase_add_test(tc, hints);
	tcase_add_test(tc, info_and_nic);
	tcase_add_test(tc, address_vector);
	tcase_add_test(tc, completion_queue);
	tcase_add_test(tc, event_queue);
	tcase_add_test(tc, errnos);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
