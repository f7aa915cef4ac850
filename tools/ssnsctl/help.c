// SPDX-License-Identifier: GPL-2.0
/* ssnsctl usage texts. */
#include "exec.h"

static const char usage_main[] =
"Usage: ssnsctl [OPTIONS] OBJECT { COMMAND | help }\n"
"       ssnsctl [OPTIONS] -batch FILE\n"
"where  OBJECT := { system | dev | tenant | profile | ep | monitor | stats |\n"
"                   cdi }\n"
"       OPTIONS := { -j[son] | -p[retty] | -b[atch] FILE | -f[orce] |\n"
"                    -n[etns] NETNS | -V[ersion] | -h[elp] }\n";

static const char usage_system[] =
"Usage: ssnsctl system show\n"
"       ssnsctl system set netns { shared | exclusive }\n";

static const char usage_dev[] =
"Usage: ssnsctl dev show [ DEV ]\n"
"       ssnsctl dev set DEV netns { NAME | PID | PATH }\n";

static const char usage_tenant[] =
"Usage: ssnsctl tenant show [ NAME ]\n"
"       ssnsctl tenant add NAME [ parent PARENT ] [ vni LIST ]\n"
"       ssnsctl tenant del NAME\n"
"       ssnsctl tenant services NAME\n"
"       ssnsctl tenant set NAME vni LIST [ del ]\n"
"       ssnsctl tenant set NAME netns { NAME | PID | PATH } [ del ]\n"
"       ssnsctl tenant set NAME cgroup PATH [ del ]\n"
"       ssnsctl tenant set NAME netns_cookie COOKIE del\n"
"       ssnsctl tenant set NAME cgroup_id ID del\n"
"       ssnsctl tenant set NAME delegate { PID | PATH } [ cgroup PATH ]\n"
"       ssnsctl tenant set NAME delegate none\n"
"       ssnsctl tenant set NAME bw share SHARE [ dev DEV ]\n"
"       ssnsctl tenant set NAME bw max { RATE | none } [ WHERE ]\n"
"       ssnsctl tenant set NAME bw clear [ WHERE ]\n"
"where  LIST := VNI[-VNI][,LIST]   VNI := 1..65535   SHARE := 1..10000\n"
"       RATE := NUMBER[UNIT], UNIT := bit | kbit | mbit | gbit | tbit | bps...\n"
"       WHERE := { dev DEV | netns { NAME | PID | PATH } | cgroup PATH }\n";

static const char usage_profile[] =
"Usage: ssnsctl profile show [ dev DEV ]\n"
"       ssnsctl profile add dev DEV vni VNI tc TC\n"
"       ssnsctl profile del dev DEV vni VNI tc TC\n"
"where  TC := { dedicated_access | low_latency | bulk_data | best_effort }\n";

static const char usage_ep[] =
"Usage: ssnsctl ep show [ dev DEV ]\n";

static const char usage_monitor[] =
"Usage: ssnsctl monitor\n";

static const char usage_cdi[] =
"Usage: ssnsctl cdi generate [ -o FILE ] [ --hook PATH ] [ --watch ]\n"
"       (a CDI spec, kind ssns.io/tenant, one device per tenant;\n"
"        --watch rewrites FILE on every tenant, profile or device change)\n";

static const char usage_stats[] =
"Usage: ssnsctl stats [ show ] [ dev DEV | tenant NAME ]\n";

void ssnsctl_usage(FILE *f, enum ssnsctl_obj obj)
{
	switch (obj) {
	case SSNSCTL_OBJ_SYSTEM:
		fputs(usage_system, f);
		break;
	case SSNSCTL_OBJ_DEV:
		fputs(usage_dev, f);
		break;
	case SSNSCTL_OBJ_TENANT:
		fputs(usage_tenant, f);
		break;
	case SSNSCTL_OBJ_PROFILE:
		fputs(usage_profile, f);
		break;
	case SSNSCTL_OBJ_EP:
		fputs(usage_ep, f);
		break;
	case SSNSCTL_OBJ_MONITOR:
		fputs(usage_monitor, f);
		break;
	case SSNSCTL_OBJ_STATS:
		fputs(usage_stats, f);
		break;
	case SSNSCTL_OBJ_CDI:
		fputs(usage_cdi, f);
		break;
	default:
		fputs(usage_main, f);
		break;
	}
}
