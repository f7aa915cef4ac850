/* SPDX-License-Identifier: GPL-2.0 */
/* Network namespace helpers shared by ssns-cni and ssns-oci-hook. */
#ifndef SSNS_NSUTIL_H
#define SSNS_NSUTIL_H

#include <stdint.h>

struct ssns_handle;

/* The net_cookie of the network namespace open as nsfd. */
int ns_cookie(int nsfd, uint64_t *cookie);
/* A connected libssns handle whose socket lives in the netns nsfd. */
int ns_handle(int nsfd, struct ssns_handle **out);

#endif /* SSNS_NSUTIL_H */
