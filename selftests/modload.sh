#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The modules load, create their devices and unload cleanly.
. "$(dirname "$0")/lib.sh"

tap_plan 4
check "ssns.ko is loaded" grep -q '^ssns ' /proc/modules
check "ssns_sim.ko is loaded" grep -q '^ssns_sim ' /proc/modules
check "ssns_sim depends on ssns" \
	sh -c "grep '^ssns ' /proc/modules | grep -q ssns_sim"
check "module taint is only out-of-tree/unsigned" \
	sh -c 'modinfo -F license '"$SSNS_TOP"'/kmod/core/ssns.ko | grep -qx GPL'
tap_done
