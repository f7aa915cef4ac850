// SPDX-License-Identifier: GPL-2.0
/*
 * ssns: the one way the model announces a change. The netlink front end
 * registers the sink at load, which renders each event for the monitors;
 * before that and after unload, events go nowhere.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt
#include <linux/kernel.h>
#include "core.h"

static ssns_event_sink_t ssns_event_sink;

/* Called under ssns_cfg_lock at load and unload. */
void ssns_event_set_sink(ssns_event_sink_t sink)
{
	WRITE_ONCE(ssns_event_sink, sink);
}

void ssns_event(const struct ssns_event *ev)
{
	ssns_event_sink_t sink = READ_ONCE(ssns_event_sink);

	if (sink)
		sink(ev);
}
