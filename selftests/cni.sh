#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ssns-cni driven exactly as a container runtime drives a CNI plugin:
# CNI_* environment variables, the network configuration on stdin, pod
# network namespaces made with `ip netns add` and passed as /run/netns/NAME.
# Standalone and chained after Debian's containernetworking-plugins
# (loopback), shared and exclusive modes, runtime args and capability args,
# CHECK, idempotent DEL, GC, STATUS, spec error documents. Many pods in
# parallel and valgrind: cni_stress.sh.
. "$(dirname "$0")/lib.sh"
need_progs

PLUGIN=$SSNS_TOP/tools/cni/ssns-cni
CNI_BIN=/usr/lib/cni
if [ ! -x "$PLUGIN" ]; then
	echo "1..0 # SKIP $PLUGIN not built"
	exit $KSFT_SKIP
fi
for p in jq; do
	command -v $p > /dev/null || { echo "1..0 # SKIP $p missing"; exit $KSFT_SKIP; }
done

sim_add 1 cxi0
sim_add 2 cxi1
STATE=$TMPD/state
pods="a1 a2 a3 b1 c1 e1 ch1 ch2 x1"
for ns in $pods; do ip netns add $ns; done
cleanup() {
	jobs -p | xargs -r kill 2>/dev/null
	for ns in $pods; do ip netns del $ns 2>/dev/null; done
	ip -all netns del 2>/dev/null
	ip link del ssnsbr0 2>/dev/null
}
trap cleanup EXIT


alloc() { # alloc POD DEV VNI: OK or the errno name
	local out
	if out=$(ip netns exec "$1" "$CXI" "$2" alloc "$3" low_latency any 2>&1); then
		echo OK
	else
		echo "$out" | sed -n 's/^error: \(E[A-Z]*\).*/\1/p'
	fi
}

tenant_names() { "$NLRAW" -D tenant_get | sed -n 's/^  tenant_name=//p' | sort | xargs; }
profiles() { "$NLRAW" -D profile_get | grep -c '^  vni='; }
nmembers() { tenant_members "$1" | wc -l; }

# is_cni_error CODE OUTPUT: a spec error document with that code.
is_cni_error() {
	echo "$2" | jq -e --argjson c "$1" \
		'(.code == $c) and (.msg | type == "string" and length > 0) and (.cniVersion | type == "string")' \
		> /dev/null
}

tap_plan 89

# --- VERSION, STATUS ---------------------------------------------------------
out=$(echo '{"cniVersion":"1.0.0"}' | cni VERSION "")
check "VERSION lists 1.0.0 and 1.1.0" \
	jq -e '(.supportedVersions | index("1.0.0") and index("1.1.0")) and .cniVersion == "1.0.0"' <<< "$out"
out=$(VER=1.1.0 conf "" "" | cni STATUS "")
check_eq "STATUS: available (exit 0, no output)" "0:" "$?:$out"

# --- shared mode, standalone ---------------------------------------------------
out=$(conf alice 100-101 | cni ADD a1)
check_eq "ADD alice pod a1: exit 0" 0 $?
check_eq "standalone result: the minimal valid result, with ssns's key" '{"cniVersion":"1.0.0"}' \
	"$(echo "$out" | jq -c 'del(.ssns)')"
check_eq "the result's ssns key: tenant and the Slingshot environment" \
	'{"tenant":"alice","env":["SLINGSHOT_VNIS=100,101","SLINGSHOT_DEVICES=cxi0","SLINGSHOT_TCS=2"]}' \
	"$(echo "$out" | jq -c '.ssns')"
check_eq "tenant alice created" alice "$(tenant_names)"
check_eq "a1 is alice's only member" 1 "$(nmembers alice)"
check_eq "profiles cxi0/100,101/low_latency made" 2 "$(profiles)"
check_eq "a1 allocates on alice's VNI 100" OK "$(alloc a1 cxi0 100)"
check_eq "x1 (no tenant) cannot use alice's VNI" EACCES "$(alloc x1 cxi0 100)"

out=$(conf alice 100-101 | cni ADD a2)
check_eq "ADD alice pod a2" 0 $?
check_eq "alice has two members" 2 "$(nmembers alice)"
check_eq "profiles are shared, not duplicated" 2 "$(profiles)"

# bob from runtime args, as a cluster VNI allocator would pass them
out=$(conf "" "" | cni ADD b1 "IgnoreUnknown=1;K8S_POD_NAMESPACE=bob;SSNS_TENANT=bob;SSNS_VNIS=200")
check_eq "ADD bob pod b1 from CNI_ARGS" 0 $?
check_eq "tenants alice bob" "alice bob" "$(tenant_names)"
check_eq "b1 allocates on bob's VNI 200" OK "$(alloc b1 cxi0 200)"
check_eq "a1 cannot use bob's VNI 200" EACCES "$(alloc a1 cxi0 200)"
check_eq "b1 cannot use alice's VNI 100" EACCES "$(alloc b1 cxi0 100)"

# carol from capability args (runtimeConfig), overriding the static config
out=$(conf alice 100 '"capabilities":{"ssns":true},"runtimeConfig":{"ssns":{"tenant":"carol","vnis":[300]}}' | cni ADD c1)
check_eq "ADD carol pod c1 from runtimeConfig" 0 $?
check_eq "c1 allocates on carol's VNI 300" OK "$(alloc c1 cxi0 300)"
check_eq "c1 is not alice's" EACCES "$(alloc c1 cxi0 100)"

# --- CHECK ----------------------------------------------------------------------
conf alice 100-101 | cni CHECK a1 > "$TMPD/out"
check_eq "CHECK a1: exit 0, no output" "0:" "$?:$(cat "$TMPD/out")"
$CTL tenant set alice netns a1 del > /dev/null 2>&1
out=$(conf alice 100-101 | cni CHECK a1)
rc=$?
check "CHECK detects the missing binding (code 101)" is_cni_error 101 "$out"
check "CHECK failed with a non-zero exit" test $rc -ne 0
tap_diag "$out"
conf alice 100-101 | cni ADD a1 > /dev/null
out=$(conf alice 100-101 | cni CHECK a1)
check_eq "re-ADD a1 restores it; CHECK passes" "0:" "$?:$out"
$CTL profile del dev cxi0 vni 101 tc low_latency > /dev/null 2>&1
out=$(conf alice 100-101 | cni CHECK a1)
check "CHECK detects a missing profile" is_cni_error 101 "$out"
conf alice 100-101 | cni ADD a1 > /dev/null

# --- DEL --------------------------------------------------------------------------
out=$(conf alice 100-101 | cni DEL a1)
check_eq "DEL a1: exit 0, no output" "0:" "$?:$out"
check_eq "a1 lost alice's rights" EACCES "$(alloc a1 cxi0 100)"
check_eq "alice keeps a2" 1 "$(nmembers alice)"
check_eq "alice's profiles stay while a2 uses them" OK "$(alloc a2 cxi0 101)"
out=$(conf alice 100-101 | cni DEL a1)
check_eq "DEL a1 again: idempotent" "0:" "$?:$out"
ip netns del a2
out=$(conf alice 100-101 | cni DEL a2)
check_eq "DEL a2 after its netns is gone: exit 0" "0:" "$?:$out"
check_eq "last alice pod gone: tenant alice removed" "bob carol" "$(tenant_names)"
out=$(conf alice 100-101 | NETNS_OVERRIDE= cni DEL a3)
check_eq "DEL of a never-added pod without CNI_NETNS: exit 0" "0:" "$?:$out"
conf "" "" | cni DEL b1 "IgnoreUnknown=1;SSNS_TENANT=bob;SSNS_VNIS=200" > /dev/null
conf alice 100 '"runtimeConfig":{"ssns":{"tenant":"carol","vnis":[300]}}' | cni DEL c1 > /dev/null
check_eq "every tenant gone after every DEL" "" "$(tenant_names)"
check_eq "every profile gone" 0 "$(profiles)"

# A member bound by someone else is a pod of the tenant too.
conf alice 100 | cni ADD a1 > /dev/null
$CTL tenant set alice netns b1 > /dev/null
conf alice 100 | cni DEL a1 > /dev/null
check_eq "a member bound outside the plugin keeps alice and her profiles" OK "$(alloc b1 cxi0 100)"
$CTL tenant set alice netns b1 del > /dev/null
conf alice 100 | cni ADD a1 > /dev/null
conf alice 100 | cni DEL a1 > /dev/null
check_eq "the last DEL after it cleans up" ":0" "$(tenant_names):$(profiles)"

# An administrator's tenant and profile are never deleted by the plugin.
$CTL tenant add admin vni 500 > /dev/null && $CTL profile add dev cxi0 vni 500 tc low_latency > /dev/null
conf admin "" | cni ADD a3 > /dev/null
check_eq "ADD into an existing tenant without vnis" OK "$(alloc a3 cxi0 500)"
conf admin "" | cni DEL a3 > /dev/null
check_eq "the admin's tenant and profile survive DEL" "admin 1" "$(tenant_names) $(profiles)"
$CTL profile del dev cxi0 vni 500 tc low_latency > /dev/null; $CTL tenant del admin > /dev/null

# Tenant names are the kernel's: a leading '.' or '-' is fine, ".." too.
$CTL tenant add .x-1 vni 510 > /dev/null && $CTL profile add dev cxi0 vni 510 tc low_latency > /dev/null
out=$(conf .x-1 "" | cni ADD a3)
check_eq "ADD into tenant .x-1, made with ssnsctl: exit 0" 0 $?
check_eq "a3 allocates on .x-1's VNI" OK "$(alloc a3 cxi0 510)"
out=$(conf .x-1 "" | cni CHECK a3)
check_eq "CHECK a3 in .x-1" "0:" "$?:$out"
conf .x-1 "" | cni DEL a3 > /dev/null
check_eq "DEL a3: .x-1 and its profile stay (made with ssnsctl)" ".x-1 1" "$(tenant_names) $(profiles)"
$CTL profile del dev cxi0 vni 510 tc low_latency > /dev/null; $CTL tenant del .x-1 > /dev/null
conf .. 520 | cni ADD a3 > /dev/null
check_eq "ADD a3 into tenant .., made by the plugin: it allocates" OK "$(alloc a3 cxi0 520)"
check "the record of tenant .. is a file of the tenant directory" test -f "$STATE/tenant/%2E."
conf .. 520 | cni DEL a3 > /dev/null
check_eq "DEL a3: tenant .., its profile and its record are gone" ":0:0" \
	"$(tenant_names):$(profiles):$(find "$STATE/tenant" -type f | wc -l)"

# --- chained after loopback -------------------------------------------------------
if [ -x $CNI_BIN/loopback ]; then
	lo_conf='{"cniVersion":"1.0.0","name":"hpc","type":"loopback"}'
	prev=$(echo "$lo_conf" | BIN=$CNI_BIN/loopback cni ADD ch1)
	check "loopback ADD (containernetworking-plugins)" jq -e '.interfaces[0].name == "lo"' <<< "$prev"
	tap_diag "loopback result: $(echo "$prev" | jq -c .)"
	out=$(conf alice 100 "\"prevResult\":$prev" | cni ADD ch1)
	check_eq "chained ADD passes prevResult through unchanged (beside its ssns key)" \
		"$(echo "$prev" | jq -S -c .)" "$(echo "$out" | jq -S -c 'del(.ssns)')"
	check_eq "chained pod allocates on alice's VNI" OK "$(alloc ch1 cxi0 100)"
	out=$(conf alice 100 "\"prevResult\":$prev" | cni CHECK ch1)
	check_eq "chained CHECK" "0:" "$?:$out"
	out=$(conf alice 100 "\"prevResult\":$prev" | cni DEL ch1)
	check_eq "chained DEL (reverse order: ssns first)" "0:" "$?:$out"
	echo "$lo_conf" | BIN=$CNI_BIN/loopback cni DEL ch1 > /dev/null
	check_eq "then loopback DEL" 0 $?
	check_eq "nothing left after the chain" ":0" "$(tenant_names):$(profiles)"
else
	for i in 1 2 3 4 5 6 7; do tap_skip "chained after loopback" "$CNI_BIN/loopback missing"; done
fi

# --- chained after bridge + host-local, as a pod network would be ------------------
if [ -x $CNI_BIN/bridge ] && [ -x $CNI_BIN/host-local ]; then
	br_conf="{\"cniVersion\":\"1.0.0\",\"name\":\"hpcbr\",\"type\":\"bridge\",\"bridge\":\"ssnsbr0\",\"ipam\":{\"type\":\"host-local\",\"subnet\":\"10.99.0.0/24\",\"dataDir\":\"$TMPD/ipam\"}}"
	prev=$(echo "$br_conf" | IFNAME=eth0 BIN=$CNI_BIN/bridge cni ADD ch2)
	check "bridge ADD gives the pod an address" jq -e '.ips[0].address | startswith("10.99.0.")' <<< "$prev"
	tap_diag "bridge result: $(echo "$prev" | jq -c .)"
	out=$(conf alice 100 "\"prevResult\":$prev" | sed 's/"name":"hpc"/"name":"hpcbr"/' | IFNAME=eth0 cni ADD ch2)
	check_eq "chained after bridge: prevResult passed through unchanged (beside its ssns key)" \
		"$(echo "$prev" | jq -S -c .)" "$(echo "$out" | jq -S -c 'del(.ssns)')"
	check_eq "the bridged pod allocates on alice's VNI" OK "$(alloc ch2 cxi0 100)"
	conf alice 100 "\"prevResult\":$prev" | sed 's/"name":"hpc"/"name":"hpcbr"/' | IFNAME=eth0 cni DEL ch2 > /dev/null
	r1=$?
	echo "$br_conf" | IFNAME=eth0 BIN=$CNI_BIN/bridge cni DEL ch2 > /dev/null
	check_eq "DEL ssns-cni then bridge" "0 0 :0" "$r1 $? $(tenant_names):$(profiles)"
else
	for i in 1 2 3 4; do tap_skip "chained after bridge" "$CNI_BIN/bridge or host-local missing"; done
fi

# --- exclusive mode ---------------------------------------------------------------------
ex='"mode":"exclusive","devices":["cxi1"]'
out=$(conf dave 400 "$ex" | sed 's/"devices":\["cxi0"\],//' | cni ADD e1)
check_eq "exclusive ADD e1 with cxi1" 0 $?
check "cxi1 is in e1" dev_listed cxi1 e1
check "cxi1 left the host" sh -c "! $NLRAW -D dev_get | grep -qx '  dev_name=cxi1'"
check "cxi1 is not visible in another pod" sh -c "! ip netns exec x1 $NLRAW -D dev_get | grep -qx '  dev_name=cxi1'"
check_eq "e1 allocates on cxi1 with dave's VNI" OK "$(alloc e1 cxi1 400)"
out=$(conf dave 400 "$ex" | sed 's/"devices":\["cxi0"\],//' | cni CHECK e1)
check_eq "exclusive CHECK" "0:" "$?:$out"
out=$(conf dave 400 "$ex" | sed 's/"devices":\["cxi0"\],//' | cni DEL e1)
check_eq "exclusive DEL" "0:" "$?:$out"
check "cxi1 is back on the host" dev_listed cxi1
check_eq "dave removed" "" "$(tenant_names)"

# --- malformed input: spec error documents, nothing changed -------------------------------
bad() { # bad CODE DESC CONFIG [ENV...]
	local code=$1 desc=$2 cfg=$3 out rc; shift 3
	out=$(echo "$cfg" | env "$@" "$PLUGIN")
	rc=$?
	if [ $rc -ne 0 ] && is_cni_error "$code" "$out"; then
		tap_ok "$desc: error $code"
	else
		tap_notok "$desc: error $code"
		tap_diag "exit $rc: $out"
	fi
}
E="CNI_COMMAND=ADD CNI_CONTAINERID=ctr-x1 CNI_NETNS=/run/netns/x1 CNI_IFNAME=ssns0 CNI_PATH=$CNI_BIN"
bad 6 "not JSON" '{"cniVersion":' $E
bad 6 "not an object" '[1,2]' $E
bad 7 "no cniVersion" '{"name":"hpc","tenant":"t"}' $E
bad 1 "unsupported cniVersion" '{"cniVersion":"0.1.0","name":"hpc","tenant":"t"}' $E
bad 7 "no name" '{"cniVersion":"1.0.0","tenant":"t"}' $E
bad 7 "shared mode without tenant" "$(conf "" 100)" $E
bad 7 "exclusive mode without tenant" "$(conf "" 100 '"mode":"exclusive"')" $E
bad 7 "bad VNI range" "$(conf t 0-70000)" $E
bad 2 "unsupported mode" "$(conf t 100 '"mode":"turbo"')" $E
bad 2 "unknown traffic class" "$(conf t 100 | jq -c '.trafficClasses=["fast"]')" $E
bad 7 "bad tenant name" "$(conf ../x 100)" $E
bad 4 "unknown CNI_ARGS key" "$(conf t 100)" $E CNI_ARGS=FOO=1
bad 4 "no CNI_CONTAINERID" "$(conf t 100)" CNI_COMMAND=ADD CNI_NETNS=/run/netns/x1 CNI_IFNAME=ssns0 CNI_PATH=$CNI_BIN
bad 4 "unknown CNI_COMMAND" "$(conf t 100)" CNI_COMMAND=FROB
bad 3 "CNI_NETNS does not exist" "$(conf t 100)" CNI_COMMAND=ADD CNI_CONTAINERID=c CNI_NETNS=/run/netns/nope CNI_IFNAME=ssns0 CNI_PATH=$CNI_BIN
$CTL tenant add other vni 600 > /dev/null
bad 100 "VNI of another tenant (extack in details)" "$(conf t 600)" $E
$CTL tenant del other > /dev/null
check_eq "failed ADDs changed nothing" ":0" "$(tenant_names):$(profiles)"
check_eq "failed ADDs left no attachment record" 0 "$(find $STATE/att -type f | wc -l)"

# --- GC (CNI 1.1) -------------------------------------------------------------------------
VER=1.1.0 conf alice 100 | cni ADD a3 > /dev/null
VER=1.1.0 conf alice 100 | cni ADD x1 > /dev/null
out=$(VER=1.1.0 conf alice 100 '"cni.dev/valid-attachments":[{"containerID":"ctr-x1","ifname":"ssns0"}]' | cni GC "")
check_eq "GC: exit 0" "0:" "$?:$out"
check_eq "GC released the stale attachment, kept the valid one" 1 "$(nmembers alice)"
check_eq "the valid pod keeps its rights" OK "$(alloc x1 cxi0 100)"
VER=1.1.0 conf alice 100 '"cni.dev/valid-attachments":[]' | cni GC "" > /dev/null
check_eq "GC with no valid attachment leaves nothing" ":0" "$(tenant_names):$(profiles)"

tap_done
