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
# The modules the runner loaded (SSNS_MODULES: this tree's, or those built
# for the debug kernel elsewhere).
core=$(for m in $SSNS_MODULES; do echo "$m"; done | grep '/ssns\.ko$')
check "the core's license is GPL (no proprietary taint)" \
	sh -c "modinfo -F license '$core' | grep -qx GPL"
tap_done
