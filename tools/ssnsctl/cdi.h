/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ssnsctl cdi generate: a Container Device Interface spec, kind
 * ssns.io/tenant, one device per tenant, built from what libssns lists
 * (no kernel contact here, so that it is unit-tested on its own).
 *
 * Each device's containerEdits:
 *  - deviceNodes: the char devices of the NICs on which the tenant's VNIs
 *    have profiles;
 *  - env: the Slingshot contract that HPE's libfabric, Slurm and Flux share
 *    and that ssns's libfabric provider reads:
 *      SLINGSHOT_VNIS     the tenant's VNIs that have profiles, ascending
 *      SLINGSHOT_DEVICES  those NICs, by index
 *      SLINGSHOT_TCS      the profiles' traffic classes, a decimal bit mask
 *                         dedicated_access=1 low_latency=2 bulk_data=4
 *                         best_effort=8
 *      SLINGSHOT_SVC_IDS  HPE service ids, one per device, only when a
 *                         provider knows all of them (svc_id callback)
 *    A tenant without profiles gets no SLINGSHOT_* variable;
 *  - hooks: ssns-oci-hook --tenant NAME at createRuntime and poststop.
 * The output depends on the lists only: the same state gives the same bytes.
 */
#ifndef SSNSCTL_CDI_H
#define SSNSCTL_CDI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "libssns.h"

#define SSNSCTL_CDI_VERSION	"0.5.0"
#define SSNSCTL_CDI_KIND	"ssns.io/tenant"
#define SSNSCTL_CDI_HOOK	"/usr/local/libexec/ssns/ssns-oci-hook"

/*
 * A provider's service id for tenant on dev: 1 and *id when known, 0 when
 * not (the variable is left out), negative errno on failure.
 */
typedef int (*ssnsctl_cdi_svc_fn)(void *arg, const char *tenant,
				  const struct ssns_dev *dev, uint32_t *id);

struct ssnsctl_cdi_in {
	const struct ssns_tenant *tenants;
	size_t ntenants;
	const struct ssns_profile *profiles;
	size_t nprofiles;
	const struct ssns_dev *devs;
	size_t ndevs;
	const char *hook;		/* NULL: SSNSCTL_CDI_HOOK */
	ssnsctl_cdi_svc_fn svc_id;	/* NULL: no service ids */
	void *svc_arg;
	FILE *warn;			/* tenants left out are named here */
};

/* A CDI device name: [A-Za-z0-9] first and last, [A-Za-z0-9_.:-] between. */
bool ssnsctl_cdi_name_valid(const char *name);

/*
 * The spec as JSON text with a final newline (malloc'ed), or NULL with a
 * message in err. Tenants whose name is no CDI device name are left out,
 * with a warning.
 */
char *ssnsctl_cdi_spec(const struct ssnsctl_cdi_in *in, char *err,
		       size_t errlen);

/*
 * Write text to path unless the file holds it already (1: unchanged, 0:
 * written, through a temporary file and rename(), so that a reader never
 * sees half a spec; -errno with err set on failure).
 */
int ssnsctl_cdi_write(const char *path, const char *text, char *err,
		      size_t errlen);

#endif /* SSNSCTL_CDI_H */
