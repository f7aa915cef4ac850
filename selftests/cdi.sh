#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# CDI: `ssnsctl cdi generate` under Debian 12's podman 4.3.1 (CNI backend,
# crun), the spec in /etc/cdi (podman 4.3 reads /etc/cdi and /var/run/cdi
# only).
#  - the spec: kind ssns.io/tenant, a device per tenant; regenerating an
#    unchanged state leaves the file alone; --watch follows changes;
#  - podman run --device ssns.io/tenant=alice: /dev/cxi0, the Slingshot
#    environment, bound to alice (allocates on her VNI, not on bob's), and
#    nothing bound after it stops;
#  - bob's container with alice's VNI put into its environment is refused;
#  - a host-network container is confined through its cgroup;
#  - not bound twice: CNI (ssns-cni binds the pod netns) with the CDI
#    device, and the hooks.d hook (annotation) with the CDI device;
#  - failures: unknown device name, a tenant deleted or the NIC gone after
#    the spec was written: the container does not start, nothing is left
#    bound;
#  - crun run with the hooks the spec gives, as a second runtime.
# Images are not needed: the containers run busybox from a rootfs.
. "$(dirname "$0")/lib.sh"
need_progs

for p in podman crun jq nsenter; do
	command -v $p > /dev/null || { echo "1..0 # SKIP $p missing"; exit $KSFT_SKIP; }
done
PLUGIN_DIR=$SSNS_TOP/tools/cni
HOOK=$SSNS_TOP/tools/oci-hook/ssns-oci-hook
for p in "$PLUGIN_DIR/ssns-cni" "$HOOK" /bin/busybox /usr/lib/cni/bridge; do
	[ -x "$p" ] || { echo "1..0 # SKIP $p missing"; exit $KSFT_SKIP; }
done
if [ -e /dev/log ]; then
	echo "1..0 # SKIP /dev/log exists: the hook would log to syslog"
	exit $KSFT_SKIP
fi

# --- podman, configured into $TMPD (as runtime.sh) ----------------------------------
R=$TMPD/rootfs
mkdir -p "$R"/{bin,proc,sys,dev,etc,tmp} "$TMPD"/{net.d,hooks.d,bundle} /etc/cdi
cp /bin/busybox "$R/bin/"
ln -s busybox "$R/bin/sh"
cat > "$TMPD/containers.conf" <<EOF
[network]
network_backend = "cni"
cni_plugin_dirs = ["/usr/lib/cni", "$PLUGIN_DIR"]
network_config_dir = "$TMPD/net.d"
[containers]
# No pids limit: the debug kernel has no pids controller, and crun refuses
# a limit it cannot apply; ssns has nothing to do with it.
pids_limit = 0
[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
runtime = "crun"
hooks_dir = ["$TMPD/hooks.d"]
EOF
cat > "$TMPD/storage.conf" <<EOF
[storage]
driver = "vfs"
graphroot = "$TMPD/graph"
runroot = "$TMPD/runroot"
EOF
export CONTAINERS_CONF=$TMPD/containers.conf CONTAINERS_STORAGE_CONF=$TMPD/storage.conf
for f in ssns-hook.json ssns-hook-poststop.json; do
	sed "s|/usr/local/libexec/ssns/ssns-oci-hook|$HOOK|" \
		"$SSNS_TOP/tools/oci-hook/$f" > "$TMPD/hooks.d/$f"
done
awk '/10-hpc.conflist/ { f = 1 } f && /^```json/ { j = 1; next }
     j && /^```/ { exit } j { print }' "$SSNS_TOP/README.md" > "$TMPD/net.d/10-hpc.conflist"

SPEC=/etc/cdi/ssns.json
WATCH_PID=
cleanup() {
	podman rm -f -t 0 -a > /dev/null 2>&1
	crun delete -f cdi1 > /dev/null 2>&1
	[ -z "$WATCH_PID" ] || kill "$WATCH_PID" 2>/dev/null
	rm -f "$SPEC"
	ip link del hpc0 2>/dev/null
}
trap cleanup EXIT

sim_add 1 cxi0
$CTL tenant add alice vni 100 > /dev/null &&
	$CTL profile add dev cxi0 vni 100 tc low_latency > /dev/null &&
	$CTL profile add dev cxi0 vni 100 tc bulk_data > /dev/null &&
	$CTL tenant add bob vni 200 > /dev/null &&
	$CTL profile add dev cxi0 vni 200 tc low_latency > /dev/null &&
	$CTL tenant add dave vni 400 > /dev/null || { echo "1..0 # SKIP cannot set up tenants"; exit 1; }

alloc_in() { # alloc_in PID VNI: OK or the errno name, from PID's netns and cgroup
	local out cg
	cg=$(sed -n 's/^0:://p' /proc/"$1"/cgroup)
	if out=$(sh -c "echo \$\$ > /sys/fs/cgroup$cg/cgroup.procs; exec nsenter -t $1 -n $CXI cxi0 alloc $2 low_latency any" 2>&1); then
		echo OK
	else
		echo "$out" | sed -n 's/^error: \(E[A-Z]*\).*/\1/p'
	fi
}
tenant_names() { "$NLRAW" -D tenant_get | sed -n 's/^  tenant_name=//p' | sort | xargs; }
members() { # members TENANT: "N netns, M cgroup"
	local out
	out=$("$NLRAW" tenant_get str:tenant_name="$1")
	echo "$(echo "$out" | grep -c 'netns_cookie=') netns, $(echo "$out" | grep -c 'cgroup_id=') cgroup"
}
run_dev() { # run_dev NAME TENANT [podman options]
	local n=$1 t=$2; shift 2
	podman run -d --name "$n" --device "ssns.io/tenant=$t" "$@" --rootfs "$R" /bin/busybox sleep 300
}
pid_of() { podman inspect -f '{{.State.Pid}}' "$1"; }
id_of() { podman inspect -f '{{.Id}}' "$1"; }
records() { ls /run/ssns/oci-hook 2>/dev/null | grep -c '\.json$'; }


# Can the engine run a bare container on this kernel at all? crun needs
# kernel features (cgroup BPF, the pids controller, POSIX mqueue...) that
# a minimal kernel may lack; then nothing here can run: SKIP, naming why.
if ! out=$(podman run --rm --network none --rootfs "$R" /bin/busybox true 2>&1) &&
   echo "$out" | grep -q 'OCI runtime error'; then
	echo "1..0 # SKIP this kernel cannot run a bare podman/crun container: $(echo "$out" | tail -1)"
	exit $KSFT_SKIP
fi
tap_plan 37

# --- the spec -------------------------------------------------------------------------------
out=$($CTL cdi generate -o "$SPEC" --hook "$HOOK" 2>&1)
check_eq "ssnsctl cdi generate -o $SPEC: exit 0, silent" "0:" "$?:$out"
check "cdiVersion 0.5.0, kind ssns.io/tenant, devices alice bob dave" \
	jq -e '.cdiVersion == "0.5.0" and .kind == "ssns.io/tenant" and
	       ([.devices[].name] == ["alice", "bob", "dave"])' "$SPEC"
check_eq "alice's env: her VNI with profiles, the device, LL|BULK" \
	"SLINGSHOT_VNIS=100 SLINGSHOT_DEVICES=cxi0 SLINGSHOT_TCS=6" \
	"$(jq -r '.devices[] | select(.name == "alice") | .containerEdits.env | join(" ")' "$SPEC")"
check_eq "dave has no profile: no device node, no SLINGSHOT_*, the hooks only" "0 0 2" \
	"$(jq -r '.devices[] | select(.name == "dave") | .containerEdits |
		"\(.deviceNodes | length) \(.env | length) \(.hooks | length)"' "$SPEC")"
ino=$(stat -c %i "$SPEC")
$CTL cdi generate -o "$SPEC" --hook "$HOOK"
check_eq "regenerating an unchanged state leaves the file alone (same inode)" "$ino" "$(stat -c %i "$SPEC")"
check "stdout gives the same bytes" sh -c "$CTL cdi generate --hook $HOOK | cmp - $SPEC"
check_err "cdi generate --hook with a relative path: the value is named" '"rel/hook"' \
	$CTL cdi generate --hook rel/hook

# --- podman run --device ssns.io/tenant=alice -----------------------------------------------
out=$(run_dev a1 alice --network none 2>&1)
rc=$?
check_eq "podman run --device ssns.io/tenant=alice: exit 0" 0 $rc
[ $rc -eq 0 ] || tap_diag "$out"
a1=$(pid_of a1)
# the container's process (podman exec builds its env from the stored
# config, before CDI's edits)
envof() { tr '\0' '\n' < /proc/"$1"/environ; }
check_eq "the environment of the container's process" \
	"SLINGSHOT_DEVICES=cxi0 SLINGSHOT_TCS=6 SLINGSHOT_VNIS=100" \
	"$(envof "$a1" | grep '^SLINGSHOT_' | sort | xargs)"
check "the device node inside" podman exec a1 /bin/busybox test -c /dev/cxi0
check_eq "the hook bound the container's netns and cgroup to alice" "1 netns, 1 cgroup" "$(members alice)"
check_eq "it allocates on alice's VNI 100" OK "$(alloc_in "$a1" 100)"
check_eq "it cannot use bob's VNI 200" EACCES "$(alloc_in "$a1" 200)"
podman rm -f -t 0 a1 > /dev/null 2>&1
check_eq "podman rm: poststop unbound it, no record left" "0 netns, 0 cgroup, 0" "$(members alice), $(records)"

out=$(run_dev b1 bob --network none -e SLINGSHOT_VNIS=100 2>&1)
check_eq "bob's container with alice's VNI in its environment starts" 0 $?
b1=$(pid_of b1)
tap_diag "inside: $(envof "$b1" | grep '^SLINGSHOT_VNIS=') (whichever of CDI and -e wins, the kernel decides)"
check_eq "and is refused alice's VNI 100" EACCES "$(alloc_in "$b1" 100)"
podman rm -f -t 0 b1 > /dev/null 2>&1

# --- host network: the cgroup confines ---------------------------------------------------------
out=$(run_dev h1 bob --network host 2>&1)
check_eq "a host-network container with bob's device: exit 0" 0 $?
h1=$(pid_of h1)
check_eq "bound by its cgroup (host network: no netns)" "0 netns, 1 cgroup" "$(members bob)"
check_eq "it allocates on bob's VNI 200" OK "$(alloc_in "$h1" 200)"
podman rm -f -t 0 h1 > /dev/null 2>&1
check_eq "podman rm: unbound" "0 netns, 0 cgroup" "$(members bob)"

# --- CNI and CDI together: the pod is bound once -------------------------------------------------
out=$(run_dev c1 alice --network hpc 2>&1)
rc=$?
check_eq "podman run --network hpc (ssns-cni, alice) --device ssns.io/tenant=alice: exit 0" 0 $rc
[ $rc -eq 0 ] || tap_diag "$out"
c1=$(id_of c1)
check_eq "netns bound by ssns-cni, cgroup by the hook" "1 netns, 1 cgroup" "$(members alice)"
check_eq "the hook recorded the cgroup only: the pod netns stays ssns-cni's" "0 true" \
	"$(jq -r '"\(.netnsCookie) \(.cgroupId > 0)"' "/run/ssns/oci-hook/$c1.json")"
podman rm -f -t 0 c1 > /dev/null 2>&1
check_eq "podman rm: poststop and CNI DEL each undid their own; alice stays" \
	"0 netns, 0 cgroup, alice bob dave" "$(members alice), $(tenant_names)"

out=$(run_dev d1 alice --network none --annotation ssns.tenant=alice 2>&1)
check_eq "hooks.d (annotation) and CDI both name alice: exit 0" 0 $?
check_eq "bound once, one record" "1 netns, 1 cgroup, 1" "$(members alice), $(records)"
podman rm -f -t 0 d1 > /dev/null 2>&1
check_eq "podman rm: unbound, no record" "0 netns, 0 cgroup, 0" "$(members alice), $(records)"

# --- failures ---------------------------------------------------------------------------------
out=$(podman run --rm --network none --device ssns.io/tenant=carol --rootfs "$R" /bin/busybox true 2>&1)
rc=$?
check "an unknown device name: the container does not start, podman names it" \
	sh -c "[ $rc -ne 0 ] && echo '$out' | grep -q 'ssns.io/tenant=carol'"
tap_diag "podman: $(echo "$out" | tail -n 1)"
$CTL tenant del dave
out=$(podman run --rm --network none --device ssns.io/tenant=dave \
	--annotation run.oci.hooks.stderr="$TMPD/hook.err" --rootfs "$R" /bin/busybox true 2>&1)
rc=$?
check "a tenant deleted after the spec was written: the container does not start" \
	sh -c "[ $rc -ne 0 ] && grep -q -- '--tenant: tenant dave does not exist' $TMPD/hook.err"
check_eq "and nothing is left bound" "0 netns, 0 cgroup, 0 netns, 0 cgroup, 0" \
	"$(members alice), $(members bob), $(records)"

# --- --watch ------------------------------------------------------------------------------------
W=$TMPD/watch.json
$CTL cdi generate --watch -o "$W" --hook "$HOOK" > "$TMPD/watch.log" 2>&1 &
WATCH_PID=$!
wait_for test -s "$W"
check "--watch wrote the spec without dave" jq -e '[.devices[].name] == ["alice", "bob"]' "$W"
$CTL tenant add erin vni 500 > /dev/null && $CTL profile add dev cxi0 vni 500 tc low_latency > /dev/null
check "--watch: a new tenant and its profile appear" wait_for jq -e \
	'.devices[] | select(.name == "erin") | .containerEdits.env | index("SLINGSHOT_VNIS=500")' "$W"
$CTL tenant del erin > /dev/null
check "--watch: a deleted tenant goes" wait_for jq -e '[.devices[].name] == ["alice", "bob"]' "$W"
kill "$WATCH_PID" 2>/dev/null
WATCH_PID=

# --- crun with the spec's hooks --------------------------------------------------------------------
B=$TMPD/bundle
(cd "$B" && crun spec)
jq --arg r "$R" --slurpfile s "$SPEC" '
	.root.path = $r | .process.terminal = false |
	.process.args = ["/bin/busybox", "sleep", "300"] |
	($s[0].devices[] | select(.name == "alice") | .containerEdits) as $e |
	.process.env += $e.env |
	.hooks = { createRuntime: [$e.hooks[] | select(.hookName == "createRuntime") | del(.hookName)],
		   poststop: [$e.hooks[] | select(.hookName == "poststop") | del(.hookName)] }' \
	"$B/config.json" > "$B/c" && mv "$B/c" "$B/config.json"
crun run --detach --bundle "$B" cdi1 > /dev/null 2>&1
check_eq "crun with the spec's hooks: alice has the container's netns and cgroup" \
	"1 netns, 1 cgroup" "$(members alice)"
crun kill cdi1 KILL 2>/dev/null
wait_for sh -c "crun state cdi1 | jq -e '.status == \"stopped\"' > /dev/null"
crun delete cdi1 > /dev/null 2>&1
check_eq "crun delete: poststop unbound them" "0 netns, 0 cgroup" "$(members alice)"

# --- the NIC gone after the spec was written ---------------------------------------------------
sim_del 1
wait_for sh -c '! test -e /dev/cxi0'
out=$(podman run --rm --network none --device ssns.io/tenant=alice --rootfs "$R" /bin/busybox true 2>&1)
rc=$?
check "the device node gone: the container does not start, podman names it" \
	sh -c "[ $rc -ne 0 ] && echo '$out' | grep -q '/dev/cxi0'"
tap_diag "podman: $(echo "$out" | tail -n 1)"
check_eq "and nothing is left bound" "0 netns, 0 cgroup, 0" "$(members alice), $(records)"
tap_done
