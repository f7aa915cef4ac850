#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ssns-vm: nomodules
# The modules scripts/dkms-test installed with DKMS (in its private install
# tree, $SSNS_DKMS_MODULES) go into this guest's /lib/modules (the overlay:
# the host is not touched), then load with modprobe from updates/dkms and
# unload again.
. "$(dirname "$0")/../lib.sh"

kver=$(uname -r)
dir=${SSNS_DKMS_MODULES:-}
if [ -z "$dir" ] || [ ! -d "$dir" ]; then
	echo "1..0 # SKIP no DKMS install tree (run scripts/dkms-test)"
	exit $KSFT_SKIP
fi
dest=/lib/modules/$kver/updates/dkms

tap_plan 8
check "copy the DKMS-installed modules into the guest's updates/dkms" \
	sh -c "mkdir -p $dest && cp $dir/ssns*.ko* $dest/"
check "depmod" depmod -a "$kver"
check "modules.dep lists ssns in updates/dkms" \
	grep -q "^updates/dkms/ssns.ko" "/lib/modules/$kver/modules.dep"
path=$(modinfo -n ssns 2>&1)
check_eq "modinfo resolves ssns to the DKMS copy" "$dest/ssns.ko" "${path%.xz}"
check "modprobe ssns" modprobe ssns
check "modprobe ssns_sim" modprobe ssns_sim
check "both modules live" sh -c 'grep -q "^ssns " /proc/modules && grep -q "^ssns_sim " /proc/modules'
check "modprobe -r ssns_sim ssns" modprobe -r ssns_sim ssns
tap_done
