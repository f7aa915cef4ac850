// SPDX-License-Identifier: GPL-2.0
/*
 * ssns: which network namespaces see a device.
 *
 *   visible(dev, net) = dev.net == net ||
 *                       (mode == shared && dev.net == init_net)
 *
 * The mode is changed by ssns_set_mode() (system.c).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt
#include <linux/module.h>
#include "core.h"

int ssns_netns_mode = SSNS_NETNS_SHARED;

bool ssns_visible(const struct ssns_dev *dev, const struct net *net)
{
	const struct net *owner = READ_ONCE(dev->net);

	if (net_eq(owner, net))
		return true;
	return READ_ONCE(ssns_netns_mode) == SSNS_NETNS_SHARED &&
	       net_eq(owner, &init_net);
}

bool ssns_dev_visible_from(const struct ssns_dev *dev, const struct net *net)
{
	return ssns_visible(dev, net);
}
EXPORT_SYMBOL_GPL(ssns_dev_visible_from);
