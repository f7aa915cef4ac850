#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ssns under real container runtimes: Debian 12's podman (CNI backend,
# libcni) and crun, with Debian's CNI plugins.
#  - podman runs the README's conflist (bridge, then ssns-cni): the pod is
#    alice's, allocates on her VNI and not on another tenant's; removing it
#    removes what the plugin made. The same conflist as cniVersion 1.1.0
#    fails under these versions, as the README says.
#  - podman runs the OCI hook from hooks.d (the "when" filter): a
#    host-network container with the annotation is confined by its cgroup,
#    one without is left alone, and a failing hook's reason reaches the
#    kernel log and the run.oci.hooks.stderr file, while podman itself says
#    only "error executing hook".
#  - crun runs a config.json whose hooks have no "when" filter (what a
#    runtime's base spec gives every container, e.g. containerd's
#    base_runtime_spec): without the annotation the container starts.
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

# --- podman, configured into $TMPD ------------------------------------------------
R=$TMPD/rootfs
mkdir -p "$R"/{bin,proc,sys,dev,etc,tmp} "$TMPD"/{net.d,hooks.d,bundle}
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
# the installed hooks.d files, pointing at this tree's hook
for f in ssns-hook.json ssns-hook-poststop.json; do
	sed "s|/usr/local/libexec/ssns/ssns-oci-hook|$HOOK|" \
		"$SSNS_TOP/tools/oci-hook/$f" > "$TMPD/hooks.d/$f"
done
# the README's conflist, as it is written there
awk '/10-hpc.conflist/ { f = 1 } f && /^```json/ { j = 1; next }
     j && /^```/ { exit } j { print }' "$SSNS_TOP/README.md" > "$TMPD/net.d/10-hpc.conflist"

cleanup() {
	podman rm -f -a > /dev/null 2>&1
	crun delete -f plain > /dev/null 2>&1
	crun delete -f tagged > /dev/null 2>&1
	ip link del hpc0 2>/dev/null
}
trap cleanup EXIT

sim_add 1 cxi0
$CTL tenant add bob vni 200 > /dev/null && $CTL profile add dev cxi0 vni 200 tc low_latency > /dev/null

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
# a pod is given the NIC's device node, as a device plugin or CDI would
run_pod() { podman run -d --device /dev/cxi0 "$@" --rootfs "$R" /bin/busybox sleep 300; }
pid_of() { podman inspect -f '{{.State.Pid}}' "$1"; }


# Can the engine run a bare container on this kernel at all? crun needs
# kernel features (cgroup BPF, the pids controller, POSIX mqueue...) that
# a minimal kernel may lack; then nothing here can run: SKIP, naming why.
if ! out=$(podman run --rm --network none --rootfs "$R" /bin/busybox true 2>&1) &&
   echo "$out" | grep -q 'OCI runtime error'; then
	echo "1..0 # SKIP this kernel cannot run a bare podman/crun container: $(echo "$out" | tail -1)"
	exit $KSFT_SKIP
fi
tap_plan 20

check "the README's conflist is there, cniVersion 1.0.0, bridge then ssns-cni" \
	jq -e '.cniVersion == "1.0.0" and .plugins[0].type == "bridge" and .plugins[1].type == "ssns-cni"' \
	"$TMPD/net.d/10-hpc.conflist"

# --- CNI: the README's conflist ------------------------------------------------------
out=$(run_pod --name p1 --network hpc 2>&1)
rc=$?
check_eq "podman run --network hpc (README conflist): exit 0" 0 $rc
[ $rc -eq 0 ] || tap_diag "$out"
p1=$(pid_of p1)
check "the pod has an address from bridge" sh -c "nsenter -t $p1 -n ip -4 addr show eth0 | grep -q 'inet 10.90.'"
check_eq "ssns-cni made tenant alice (and bob is there)" "alice bob" "$(tenant_names)"
check_eq "the pod's netns is alice's member" "1 netns, 0 cgroup" "$(members alice)"
check_eq "the pod allocates on alice's VNI 100" OK "$(alloc_in "$p1" 100)"
check_eq "the pod cannot use bob's VNI 200" EACCES "$(alloc_in "$p1" 200)"
podman rm -f p1 > /dev/null 2>&1
check_eq "podman rm: DEL removed the tenant the plugin made" "bob" "$(tenant_names)"

sed 's/"cniVersion": "1.0.0"/"cniVersion": "1.1.0"/' "$TMPD/net.d/10-hpc.conflist" > "$TMPD/net.d/20-hpc11.conflist"
sed -i 's/"name": "hpc"/"name": "hpc11"/' "$TMPD/net.d/20-hpc11.conflist"
out=$(run_pod --name p11 --network hpc11 2>&1)
rc=$?
if [ $rc -ne 0 ] && echo "$out" | grep -qi 'version'; then
	tap_ok "the same conflist as cniVersion 1.1.0 fails with these libcni/plugins (README)"
else
	tap_notok "the same conflist as cniVersion 1.1.0 fails with these libcni/plugins (README)"
fi
tap_diag "$(echo "$out" | tail -n 2)"
podman rm -f p11 > /dev/null 2>&1
rm "$TMPD/net.d/20-hpc11.conflist"

# --- OCI hook from hooks.d ----------------------------------------------------------------
out=$(run_pod --name h1 --network host --annotation ssns.tenant=bob 2>&1)
rc=$?
check_eq "podman run --network host --annotation ssns.tenant=bob: exit 0" 0 $rc
[ $rc -eq 0 ] || tap_diag "$out"
h1=$(pid_of h1)
check_eq "the hook bound the container's cgroup to bob (host network: no netns)" \
	"0 netns, 1 cgroup" "$(members bob)"
check_eq "the host-network container allocates on bob's VNI" OK "$(alloc_in "$h1" 200)"
podman rm -f h1 > /dev/null 2>&1
check_eq "podman rm: poststop unbound it" "0 netns, 0 cgroup" "$(members bob)"

out=$(podman run --rm --network none --rootfs "$R" /bin/busybox true 2>&1)
check_eq "a container without the annotation: the hook does not run, exit 0" "0:" "$?:$out"

dmesg -C
out=$(podman run --rm --network none --annotation ssns.tenant=carol \
	--annotation run.oci.hooks.stderr="$TMPD/hook.err" --rootfs "$R" /bin/busybox true 2>&1)
rc=$?
check "a failing hook fails the container; podman says only \"error executing hook\"" \
	sh -c "[ $rc -ne 0 ] && echo '$out' | grep -q 'error executing hook' && ! echo '$out' | grep -q 'carol does not exist'"
tap_diag "podman: $(echo "$out" | tail -n 1)"
check "the reason is in the kernel log, tagged ssns-oci-hook" \
	sh -c "dmesg | grep -q 'ssns-oci-hook\[[0-9]*\]: container [0-9a-f]* (createRuntime): annotation ssns.tenant: tenant carol does not exist'"
check "and in the file of crun's run.oci.hooks.stderr annotation" \
	grep -q 'tenant carol does not exist' "$TMPD/hook.err"

# --- crun, hooks without a "when" filter (a base spec) ----------------------------------------
B=$TMPD/bundle
(cd "$B" && crun spec)
jq --arg r "$R" --arg h "$HOOK" --arg s "$TMPD/hookstate" '
	.root.path = $r | .process.terminal = false |
	.process.args = ["/bin/busybox", "true"] |
	.hooks = { createRuntime: [{ path: $h, args: ["ssns-oci-hook", "--state-dir", $s, "createRuntime"] }],
		   poststop: [{ path: $h, args: ["ssns-oci-hook", "--state-dir", $s, "poststop"] }] }' \
	"$B/config.json" > "$B/c" && mv "$B/c" "$B/config.json"
out=$(crun run --bundle "$B" plain 2>&1)
check_eq "crun, hook for every container, no annotation: the container runs" "0:" "$?:$out"
jq '.annotations = { "ssns.tenant": "bob" } | .process.args = ["/bin/busybox", "sleep", "300"]' \
	"$B/config.json" > "$B/c" && mv "$B/c" "$B/config.json"
crun run --detach --bundle "$B" tagged > /dev/null 2>&1
check_eq "crun, same hook, annotation bob: bob has the container's netns and cgroup" \
	"1 netns, 1 cgroup" "$(members bob)"
crun kill tagged KILL 2>/dev/null
wait_for sh -c "crun state tagged | jq -e '.status == \"stopped\"' > /dev/null"
crun delete tagged > /dev/null 2>&1
check_eq "crun delete: poststop unbound them" "0 netns, 0 cgroup" "$(members bob)"
tap_done
