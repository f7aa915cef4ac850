#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ssns-vm: nomodules
# The DKMS-installed modules load with modprobe from updates/dkms and
# unload again.
. "$(dirname "$0")/../lib.sh"

kver=$(uname -r)
tap_plan 6
check "modules.dep lists ssns in updates/dkms" \
	grep -q "^updates/dkms/ssns.ko" "/lib/modules/$kver/modules.dep"
path=$(modinfo -n ssns 2>&1)
check_eq "modinfo resolves ssns to the DKMS copy" \
	"/lib/modules/$kver/updates/dkms/ssns.ko" "${path%.xz}"
check "modprobe ssns" modprobe ssns
check "modprobe ssns_sim" modprobe ssns_sim
check "both modules live" sh -c 'grep -q "^ssns " /proc/modules && grep -q "^ssns_sim " /proc/modules'
check "modprobe -r ssns_sim ssns" modprobe -r ssns_sim ssns
tap_done
