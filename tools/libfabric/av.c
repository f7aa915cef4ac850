// SPDX-License-Identifier: LGPL-2.1-or-later OR GPL-2.0
/*
 * Address vectors. An address is (device fabric index, endpoint address);
 * fi_addr_t is its index in the table for FI_AV_TABLE and FI_AV_MAP alike.
 * A hash map from address to index gives each received message its source
 * (FI_SOURCE, FI_DIRECTED_RECV).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ssnsfi.h"

static uint64_t av_key(uint32_t dev, uint32_t ep)
{
	return (((uint64_t)dev << 32) | ep) + 1;	/* 0: an empty slot */
}

static size_t av_hash(uint64_t key, size_t cap)
{
	key ^= key >> 33;
	key *= 0xff51afd7ed558ccdULL;
	key ^= key >> 33;
	return key & (cap - 1);
}

static int av_hash_put(struct sfi_av *av, uint64_t key, size_t idx)
{
	size_t i;

	if ((av->hcount + 1) * 2 > av->hcap) {
		size_t ncap = av->hcap ? av->hcap * 2 : 64, j;
		uint64_t *nk = calloc(ncap, sizeof(*nk));
		size_t *nv = calloc(ncap, sizeof(*nv));

		if (!nk || !nv) {
			free(nk);
			free(nv);
			return -FI_ENOMEM;
		}
		for (j = 0; j < av->hcap; j++) {
			if (!av->hkeys[j])
				continue;
			for (i = av_hash(av->hkeys[j], ncap); nk[i];
			     i = (i + 1) & (ncap - 1))
				;
			nk[i] = av->hkeys[j];
			nv[i] = av->hvals[j];
		}
		free(av->hkeys);
		free(av->hvals);
		av->hkeys = nk;
		av->hvals = nv;
		av->hcap = ncap;
	}
	for (i = av_hash(key, av->hcap); av->hkeys[i];
	     i = (i + 1) & (av->hcap - 1)) {
		if (av->hkeys[i] == key) {
			/* The same address twice: the first index answers. */
			return 0;
		}
	}
	av->hkeys[i] = key;
	av->hvals[i] = idx;
	av->hcount++;
	return 0;
}

/* Rebuild the map from the table (after a removal). */
static int av_hash_rebuild(struct sfi_av *av)
{
	size_t i;

	if (!av->hcap)
		return 0;
	memset(av->hkeys, 0, av->hcap * sizeof(*av->hkeys));
	av->hcount = 0;
	for (i = 0; i < av->count; i++) {
		if (av->used[i] &&
		    av_hash_put(av, av_key(av->tab[i].dev, av->tab[i].ep), i))
			return -FI_ENOMEM;
	}
	return 0;
}

fi_addr_t sfi_av_reverse(const struct sfi_av *av, uint32_t dev, uint32_t ep)
{
	uint64_t key = av_key(dev, ep);
	size_t i;

	if (!av || !av->hcap)
		return FI_ADDR_NOTAVAIL;
	for (i = av_hash(key, av->hcap); av->hkeys[i];
	     i = (i + 1) & (av->hcap - 1))
		if (av->hkeys[i] == key)
			return av->hvals[i];
	return FI_ADDR_NOTAVAIL;
}

int sfi_av_get(const struct sfi_av *av, fi_addr_t fa, struct sfi_addr *out)
{
	if (!av)
		return -FI_ENOAV;
	if (fa >= av->count || !av->used[fa])
		return -FI_EINVAL;
	*out = av->tab[fa];
	return 0;
}

static int sfi_av_insert(struct fid_av *fid, const void *addr, size_t count,
			 fi_addr_t *fi_addr, uint64_t flags, void *context)
{
	struct sfi_av *av = sfi_container_of(fid, struct sfi_av, av);
	const struct sfi_addr *in = addr;
	size_t i, done = 0;
	int ret = 0;

	(void)context;
	if (flags & ~(uint64_t)(FI_MORE | FI_SYNC_ERR))
		return -FI_EBADFLAGS;
	if (count && !addr)
		return -FI_EINVAL;
	pthread_mutex_lock(&av->dom->lock);
	if (av->count + count > av->cap) {
		size_t ncap = av->cap ? av->cap : 64;
		struct sfi_addr *nt;
		uint8_t *nu;

		while (ncap < av->count + count)
			ncap *= 2;
		nt = realloc(av->tab, ncap * sizeof(*nt));
		if (nt)
			av->tab = nt;
		nu = realloc(av->used, ncap);
		if (nu)
			av->used = nu;
		if (!nt || !nu) {
			pthread_mutex_unlock(&av->dom->lock);
			return -FI_ENOMEM;
		}
		av->cap = ncap;
	}
	for (i = 0; i < count; i++) {
		size_t idx = av->count;

		av->tab[idx] = in[i];
		av->used[idx] = 1;
		ret = av_hash_put(av, av_key(in[i].dev, in[i].ep), idx);
		if (ret) {
			if (fi_addr)
				fi_addr[i] = FI_ADDR_NOTAVAIL;
			if (flags & FI_SYNC_ERR)
				((int *)context)[i] = ret;
			continue;
		}
		av->count++;
		if (fi_addr)
			fi_addr[i] = idx;
		if (flags & FI_SYNC_ERR)
			((int *)context)[i] = 0;
		done++;
	}
	pthread_mutex_unlock(&av->dom->lock);
	return done;
}

static int sfi_av_insertsvc(struct fid_av *fid, const char *node,
			    const char *service, fi_addr_t *fi_addr,
			    uint64_t flags, void *context)
{
	struct sfi_addr a;
	unsigned long v;
	char *end;

	if (!node || !service)
		return -FI_EINVAL;
	errno = 0;
	v = strtoul(node, &end, 0);
	if (errno || end == node || *end || v > UINT32_MAX)
		return -FI_EINVAL;
	a.dev = v;
	v = strtoul(service, &end, 0);
	if (errno || end == service || *end || v >= UINT32_MAX)
		return -FI_EINVAL;
	a.ep = v;
	return sfi_av_insert(fid, &a, 1, fi_addr, flags, context);
}

static int sfi_av_insertsym(struct fid_av *fid, const char *node,
			    size_t nodecnt, const char *service,
			    size_t svccnt, fi_addr_t *fi_addr,
			    uint64_t flags, void *context)
{
	(void)fid; (void)node; (void)nodecnt; (void)service; (void)svccnt;
	(void)fi_addr; (void)flags; (void)context;
	return -FI_ENOSYS;
}

static int sfi_av_remove(struct fid_av *fid, fi_addr_t *fi_addr,
			 size_t count, uint64_t flags)
{
	struct sfi_av *av = sfi_container_of(fid, struct sfi_av, av);
	size_t i;
	int ret = 0;

	if (flags)
		return -FI_EBADFLAGS;
	if (count && !fi_addr)
		return -FI_EINVAL;
	pthread_mutex_lock(&av->dom->lock);
	for (i = 0; i < count; i++) {
		if (fi_addr[i] >= av->count || !av->used[fi_addr[i]]) {
			ret = -FI_EINVAL;
			continue;
		}
		av->used[fi_addr[i]] = 0;
	}
	if (av_hash_rebuild(av))
		ret = -FI_ENOMEM;
	pthread_mutex_unlock(&av->dom->lock);
	return ret;
}

static int sfi_av_lookup(struct fid_av *fid, fi_addr_t fi_addr, void *addr,
			 size_t *addrlen)
{
	struct sfi_av *av = sfi_container_of(fid, struct sfi_av, av);
	struct sfi_addr a;
	int ret;

	if (!addrlen)
		return -FI_EINVAL;
	pthread_mutex_lock(&av->dom->lock);
	ret = sfi_av_get(av, fi_addr, &a);
	pthread_mutex_unlock(&av->dom->lock);
	if (ret)
		return ret;
	if (addr && *addrlen)
		memcpy(addr, &a, *addrlen < sizeof(a) ? *addrlen : sizeof(a));
	*addrlen = sizeof(a);
	return 0;
}

static const char *sfi_av_straddr(struct fid_av *fid, const void *addr,
				  char *buf, size_t *len)
{
	const struct sfi_addr *a = addr;
	char tmp[48];
	int n;

	(void)fid;
	if (!a || !len)
		return NULL;
	n = snprintf(tmp, sizeof(tmp), "ssns://%" PRIu32 "/%" PRIu32,
		     a->dev, a->ep);
	if (buf && *len)
		snprintf(buf, *len, "%s", tmp);
	*len = n + 1;
	return buf;
}

static int sfi_no_av_set(struct fid_av *av, struct fi_av_set_attr *attr,
			 struct fid_av_set **av_set, void *context)
{
	(void)av; (void)attr; (void)av_set; (void)context;
	return -FI_ENOSYS;
}

static int sfi_av_close(struct fid *fid)
{
	struct sfi_av *av = sfi_container_of(fid, struct sfi_av, av.fid);
	struct sfi_domain *dom = av->dom;

	pthread_mutex_lock(&dom->lock);
	if (av->refs) {
		pthread_mutex_unlock(&dom->lock);
		return -FI_EBUSY;
	}
	dom->refs--;
	pthread_mutex_unlock(&dom->lock);
	free(av->tab);
	free(av->used);
	free(av->hkeys);
	free(av->hvals);
	free(av);
	return 0;
}

static struct fi_ops sfi_av_fi_ops = {
	.size = sizeof(struct fi_ops),
	.close = sfi_av_close,
	.bind = sfi_no_bind,
	.control = sfi_no_control,
	.ops_open = sfi_no_ops_open,
	.tostr = sfi_no_tostr,
	.ops_set = sfi_no_ops_set,
};

static struct fi_ops_av sfi_av_ops = {
	.size = sizeof(struct fi_ops_av),
	.insert = sfi_av_insert,
	.insertsvc = sfi_av_insertsvc,
	.insertsym = sfi_av_insertsym,
	.remove = sfi_av_remove,
	.lookup = sfi_av_lookup,
	.straddr = sfi_av_straddr,
	.av_set = sfi_no_av_set,
};

int sfi_av_open(struct fid_domain *domain, struct fi_av_attr *attr,
		struct fid_av **avp, void *context)
{
	struct sfi_domain *dom = sfi_container_of(domain, struct sfi_domain,
						  domain);
	struct sfi_av *av;

	if (!attr || !avp)
		return -FI_EINVAL;
	if (attr->type != FI_AV_UNSPEC && attr->type != FI_AV_MAP &&
	    attr->type != FI_AV_TABLE)
		return -FI_EINVAL;
	if (attr->flags & (FI_EVENT | FI_READ | FI_SYMMETRIC))
		return -FI_ENOSYS;
	if (attr->name || attr->rx_ctx_bits)
		return -FI_ENOSYS;
	av = calloc(1, sizeof(*av));
	if (!av)
		return -FI_ENOMEM;
	av->dom = dom;
	av->type = attr->type == FI_AV_UNSPEC ? FI_AV_TABLE : attr->type;
	av->av.fid.fclass = FI_CLASS_AV;
	av->av.fid.context = context;
	av->av.fid.ops = &sfi_av_fi_ops;
	av->av.ops = &sfi_av_ops;
	pthread_mutex_lock(&dom->lock);
	dom->refs++;
	pthread_mutex_unlock(&dom->lock);
	*avp = &av->av;
	return 0;
}
