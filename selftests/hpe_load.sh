#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# HPE's real cxi stack, as scripts/hpe-build builds it, loads without
# Cassini hardware in HPE's documented order (configfs, cxi-sbl, cxi-sl,
# cxi-ss1, cxi-user, cxi-eth), registers its classes with no device, and
# unloads in reverse with a clean kernel log; the same for the stack with
# patches/hpe-cxi applied, whose cxi-ss1 also exports the admission hook.
#
# The builds are found through the env files scripts/hpe-build writes:
# $SSNS_HPE_ENV and $SSNS_HPE_PATCHED_ENV (scripts/check and check-debug
# set them), else the newest builds for this kernel release in the cache,
# ${SSNS_HPE_CACHE:-/var/cache/ssns/hpe}/$(uname -r).{stock,patched}/env.
# A stack that was not built is skipped.
#
# With each stack, cxi_testclient (selftests/hpe-standin, built against its
# cxi.h by scripts/hpe-prepare: $SSNS_HPE_STANDIN_STOCK_DIR and
# $SSNS_HPE_STANDIN_DIR, else build/hpe-standin/KVER-{stock,patched})
# registers as a cxi client and sees no device; on the patched one it
# registers an admission hook, and a second registration is refused.
#
# Then ssns's adapter, ssns_cxi (built against each stack by
# scripts/hpe-prepare: $SSNS_HPE_CXI_STOCK_DIR and $SSNS_HPE_CXI_DIR, else
# build/hpe-cxi/KVER-{stock,patched}), loads on top of ssns and cxi-ss1,
# registers as a cxi client, reports that there is no cxi device, says
# that the stock driver has no admission hook or registers on the patched
# one's (the test client's registration is then refused), and unloads
# before the stack.
. "$(dirname "$0")/lib.sh"

kver=$(uname -r)
cache=${SSNS_HPE_CACHE:-/var/cache/ssns/hpe}
stock_env=${SSNS_HPE_ENV:-$cache/$kver.stock/env}
patched_env=${SSNS_HPE_PATCHED_ENV:-$cache/$kver.patched/env}
stock_client=${SSNS_HPE_STANDIN_STOCK_DIR:-$SSNS_TOP/build/hpe-standin/$kver-stock}/cxi_testclient.ko
patched_client=${SSNS_HPE_STANDIN_DIR:-$SSNS_TOP/build/hpe-standin/$kver-patched}/cxi_testclient.ko
stock_cxi=${SSNS_HPE_CXI_STOCK_DIR:-$SSNS_TOP/build/hpe-cxi/$kver-stock}/ssns_cxi.ko
patched_cxi=${SSNS_HPE_CXI_DIR:-$SSNS_TOP/build/hpe-cxi/$kver-patched}/ssns_cxi.ko
TC=/sys/kernel/debug/cxi_testclient
if [ ! -r "$stock_env" ] && [ ! -r "$patched_env" ]; then
	echo "1..0 # SKIP HPE stack not built for $kver (scripts/hpe-build)"
	exit $KSFT_SKIP
fi

# /proc/modules names of the stack, in load order.
names="cxi_sbl cxi_sl cxi_ss1 cxi_user cxi_eth"
loaded_configfs=0

unload_all() {
	local m
	for m in cxi_testclient ssns_cxi $(echo $names | tr ' ' '\n' | tac); do
		grep -q "^$m " /proc/modules && rmmod "$m"
	done
	[ $loaded_configfs = 0 ] || rmmod configfs
	loaded_configfs=0
}
trap 'unload_all 2> /dev/null' EXIT

# test_client KIND CLIENT_KO: a client on the live stack.
test_client() {
	local kind=$1 ko=$2

	if [ ! -r "$ko" ]; then
		tap_skip "$kind: a cxi client" "no $ko (scripts/hpe-prepare)"
		return
	fi
	check "$kind: insmod cxi_testclient (a cxi client)" insmod "$ko"
	check_eq "$kind: the client registered and saw no device" "" \
		"$(cat $TC/events 2>&1)"
	if [ "$kind" = patched ]; then
		check "$kind: the client registers an admission hook" \
			sh -c "echo register > $TC/hook"
		check_errno "$kind: a second hook is refused" EBUSY \
			bash -c "echo register > $TC/hook"
		check_eq "$kind: nothing was asked without a device" \
			"registered=1 admits=0 refusals=0 releases=0" \
			"$(head -n 1 $TC/hook)"
		check "$kind: the hook unregisters" sh -c "echo unregister > $TC/hook"
	fi
	check "$kind: rmmod cxi_testclient" rmmod cxi_testclient
}

# test_adapter KIND SSNS_CXI_KO CLIENT_KO: ssns_cxi on the live stack.
test_adapter() {
	local kind=$1 ko=$2 client=$3

	if [ ! -r "$ko" ]; then
		tap_skip "$kind: ssns_cxi" "no $ko (scripts/hpe-prepare)"
		return
	fi
	if ! grep -q '^ssns ' /proc/modules; then
		tap_skip "$kind: ssns_cxi" "ssns.ko is not loaded"
		return
	fi
	check "$kind: insmod ssns_cxi" insmod "$ko"
	check "$kind: ssns_cxi depends on cxi-ss1 and ssns" \
		sh -c 'grep "^cxi_ss1 " /proc/modules | grep -qw ssns_cxi &&
		       grep "^ssns " /proc/modules | grep -qw ssns_cxi'
	check "$kind: ssns_cxi registered as a cxi client, no cxi device" \
		sh -c "dmesg | grep -q 'ssns_cxi: registered as a cxi client: no cxi device yet'"
	check_eq "$kind: no ssns device of ssns_cxi" "" \
		"$($CTL -j dev show | python3 -c 'import json,sys
[print(d["name"]) for d in json.load(sys.stdin) if d.get("provider") == "ssns_cxi"]')"
	if [ "$kind" = patched ]; then
		check "$kind: ssns_cxi registered on the admission hook" \
			sh -c "dmesg | grep -q 'ssns_cxi: registered on the cxi admission hook'"
		if [ -r "$client" ] && insmod "$client"; then
			check_errno "$kind: so another hook is refused" EBUSY \
				bash -c "echo register > $TC/hook"
			check "$kind: rmmod cxi_testclient" rmmod cxi_testclient
		else
			tap_skip "$kind: another hook is refused" "no $client"
		fi
	else
		check "$kind: ssns_cxi says the hook is absent" \
			sh -c "dmesg | grep -q 'ssns_cxi: the cxi driver has no admission hook'"
	fi
	check "$kind: rmmod ssns_cxi" rmmod ssns_cxi
}

# test_stack KIND ENVFILE HOW-TO-BUILD CLIENT_KO SSNS_CXI_KO
test_stack() {
	local kind=$1 env=$2 m ko HPE_MODULES HPE_KVER HPE_CXI_SYMVERS HPE_PATCHED
	local -a kos

	if [ ! -r "$env" ]; then
		tap_skip "$kind stack" "not built for $kver ($3)"
		return
	fi
	# shellcheck source=/dev/null
	. "$env"
	read -r -a kos <<< "$HPE_MODULES"
	tap_diag "$kind stack: $(dirname "$env")"
	check_eq "$kind: built for the running kernel" "$kver" "$HPE_KVER"
	for ko in "${kos[@]}"; do
		check_eq "$kind: $(basename "$ko") has this kernel's vermagic" "$kver" \
			"$(modinfo -F vermagic "$ko" | awk '{ print $1 }')"
	done

	dmesg -C
	# /sys/kernel/config is configfs's, built in or loaded.
	if [ -d /sys/kernel/config ]; then
		tap_ok "$kind: configfs is there (built in or loaded)"
	elif modprobe configfs; then
		loaded_configfs=1
		tap_ok "$kind: modprobe configfs"
	else
		tap_notok "$kind: modprobe configfs"
	fi
	for ko in "${kos[@]}"; do
		check "$kind: insmod $(basename "$ko")" insmod "$ko"
	done
	check "$kind: all five modules are live" sh -c "
		for m in $names; do grep -q \"^\$m .* Live \" /proc/modules || exit 1; done"
	check "$kind: cxi-ss1 depends on cxi-sbl and cxi-sl" \
		sh -c 'grep "^cxi_sbl " /proc/modules | grep -qw cxi_ss1 &&
		       grep "^cxi_sl " /proc/modules | grep -qw cxi_ss1'
	check "$kind: /sys/class/cxi is there" test -d /sys/class/cxi
	check_eq "$kind: no cxi device without hardware" "" "$(ls /sys/class/cxi)"
	check_eq "$kind: no cxi_user device either" "" "$(ls /sys/class/cxi_user 2>&1)"

	if [ "$HPE_PATCHED" = yes ]; then
		for m in cxi_admission_register cxi_admission_unregister; do
			check "$kind: Module.symvers exports $m (GPL)" \
				grep -qP "^0x[0-9a-f]+\t$m\t.*\tEXPORT_SYMBOL_GPL\t" "$HPE_CXI_SYMVERS"
			check "$kind: the live cxi-ss1 exports $m" \
				grep -qE "^[0-9a-f]+ r __ksymtab_$m\s+\[cxi_ss1\]" /proc/kallsyms
		done
	else
		check "$kind: stock cxi-ss1 has no admission hook" \
			sh -c "! grep -qw cxi_admission_register '$HPE_CXI_SYMVERS'"
	fi

	test_client "$kind" "$4"
	test_adapter "$kind" "$5" "$4"

	for m in $(echo $names | tr ' ' '\n' | tac); do
		check "$kind: rmmod $m" rmmod "$m"
	done
	if [ $loaded_configfs = 1 ]; then
		check "$kind: rmmod configfs" rmmod configfs
		loaded_configfs=0
	fi
	check_eq "$kind: nothing of the stack is left" "" \
		"$(grep -E "^(${names// /|}) " /proc/modules)"
	check_eq "$kind: kernel log clean (warnings and worse)" "" "$(log_problems)"
}

test_stack stock "$stock_env" "scripts/hpe-build" "$stock_client" "$stock_cxi"
test_stack patched "$patched_env" "scripts/hpe-build --patched" \
	"$patched_client" "$patched_cxi"
tap_plan "$_tap_n"
tap_done
