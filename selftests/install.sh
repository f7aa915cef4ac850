#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make install` gives programs that run at once, with the empty
# environment a runtime gives its hooks:
#  - a staged install (DESTDIR) run in a fresh root (chroot) whose loader
#    cache knows only the system's libraries, as on a node where ldconfig
#    has not run since: ssnsctl finds libssns through its RUNPATH, the
#    runtime hooks have it built in;
#  - the real `make install` on this guest's overlay (/usr/local,
#    /opt/cni/bin, hooks.d; the host is not touched), which also updates
#    the loader's cache: a program built against it with pkg-config runs
#    without LD_LIBRARY_PATH. What it installed is removed again.
. "$(dirname "$0")/lib.sh"
need_progs

for p in chroot ldconfig pkg-config gcc make; do
	command -v $p > /dev/null || { echo "1..0 # SKIP $p missing"; exit $KSFT_SKIP; }
done
for p in tools/cni/ssns-cni tools/oci-hook/ssns-oci-hook tools/perf/ssns-perf \
	 tools/examples/ssns-pingpong tools/lib/libssns.so.0; do
	[ -e "$SSNS_TOP/$p" ] || { echo "1..0 # SKIP $p not built"; exit $KSFT_SKIP; }
done

ROOT=$TMPD/root
STAGE=$TMPD/stage
mounted=()
cleanup() {
	local i
	for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do
		umount "${mounted[$i]}" 2>/dev/null
	done
	# what the real install put on this guest (listed by the staged one)
	if [ -s "$TMPD/installed" ]; then
		xargs -r rm -f < "$TMPD/installed"
		ldconfig
	fi
}
trap cleanup EXIT

CNI_VERSION_IN='{"cniVersion":"1.0.0"}'
BAD_STATE='{"ociVersion":'

# loads DESC CMD...: CMD ran (its own exit status, not the loader's 127),
# and the loader did not complain.
loads() {
	local desc=$1 out rc; shift
	out=$("$@" 2>&1)
	rc=$?
	if [ $rc -ne 127 ] && ! echo "$out" | grep -q 'error while loading shared libraries'; then
		tap_ok "$desc"
	else
		tap_notok "$desc"
		tap_diag "exit $rc: $(echo "$out" | head -n 3)"
	fi
	LAST_OUT=$out LAST_RC=$rc
}

tap_plan 24

# --- a staged install, run in a fresh root ---------------------------------------
check "make install DESTDIR=... (staged)" \
	make -s -C "$SSNS_TOP" install DESTDIR="$STAGE"
P=/usr/local
for f in $P/sbin/ssnsctl $P/lib/libssns.so.0 /opt/cni/bin/ssns-cni \
	 $P/libexec/ssns/ssns-oci-hook; do
	[ -e "$STAGE$f" ] || tap_diag "missing in the staged install: $f"
done
(cd "$STAGE" && find . ! -type d | sed 's|^\.||') > "$TMPD/installed"
check "the staged install has the four programs and the library" sh -c "
	for f in $P/sbin/ssnsctl $P/lib/libssns.so.0 /opt/cni/bin/ssns-cni $P/libexec/ssns/ssns-oci-hook; do
		grep -qx \$f $TMPD/installed || exit 1
	done"
check "the runtime hooks do not load libssns.so (built in)" sh -c "
	! readelf -d $STAGE/opt/cni/bin/ssns-cni | grep -q libssns &&
	! readelf -d $STAGE$P/libexec/ssns/ssns-oci-hook | grep -q libssns"

# The fresh root: the staged files, the system's libraries (read-only), and
# a loader cache made from the system's library directories only.
mkdir -p "$ROOT"/{usr/lib,usr/lib64,etc,proc,dev,tmp}
cp -a "$STAGE"/. "$ROOT"/
for d in usr/lib usr/lib64; do
	mount --bind -o ro "/$d" "$ROOT/$d" && mounted+=("$ROOT/$d")
done
ln -s usr/lib "$ROOT/lib"
ln -s usr/lib64 "$ROOT/lib64"
mount -t proc proc "$ROOT/proc" && mounted+=("$ROOT/proc")
mount --bind /dev "$ROOT/dev" && mounted+=("$ROOT/dev")
printf '%s\n' /lib/x86_64-linux-gnu /usr/lib/x86_64-linux-gnu > "$ROOT/etc/ld.so.conf"
ldconfig -r "$ROOT" 2>/dev/null
check_eq "the fresh root's loader cache does not know libssns" 0 \
	"$(ldconfig -r "$ROOT" -p 2>/dev/null | grep -c libssns)"

CHROOT=$(command -v chroot)
inroot() { env -i "$CHROOT" "$ROOT" "$@"; }
loads "fresh root: ssnsctl -V" inroot $P/sbin/ssnsctl -V
check_eq "fresh root: ssnsctl -V prints its version" 0 "$LAST_RC"
loads "fresh root: ssnsctl dev show (talks to the module)" inroot $P/sbin/ssnsctl dev show
check_eq "fresh root: ssnsctl dev show exits 0" 0 "$LAST_RC"
loads "fresh root: ssns-cni VERSION" sh -c "echo '$CNI_VERSION_IN' |
	env -i CNI_COMMAND=VERSION $CHROOT $ROOT /opt/cni/bin/ssns-cni"
check "fresh root: ssns-cni VERSION prints supportedVersions" \
	jq -e '.supportedVersions | index("1.0.0")' <<< "$LAST_OUT"
loads "fresh root: ssns-oci-hook with bad input" sh -c "echo '$BAD_STATE' |
	env -i $CHROOT $ROOT $P/libexec/ssns/ssns-oci-hook --log stderr createRuntime"
check_eq "fresh root: ssns-oci-hook rejects it with its own error" "1:yes" \
	"$LAST_RC:$(echo "$LAST_OUT" | grep -q 'not a JSON object' && echo yes)"
loads "fresh root: ssns-perf (usage)" inroot $P/bin/ssns-perf
loads "fresh root: ssns-pingpong (usage)" inroot $P/bin/ssns-pingpong
for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do umount "${mounted[$i]}"; done
mounted=()

# --- the real install, on this guest -----------------------------------------------
# A host that has ssns installed shows it here too: the guest forgets it.
xargs -r rm -f < "$TMPD/installed"
ldconfig
check "make install" make -s -C "$SSNS_TOP" install
check "ldconfig ran: the loader's cache knows libssns.so.0" \
	sh -c "ldconfig -p | grep -q 'libssns.so.0 .*=> $P/lib/libssns.so.0'"
cd /
loads "installed: ssnsctl dev show" env -i $P/sbin/ssnsctl dev show
check_eq "installed: ssnsctl dev show exits 0" 0 "$LAST_RC"
loads "installed: ssns-cni VERSION" sh -c "echo '$CNI_VERSION_IN' |
	env -i CNI_COMMAND=VERSION /opt/cni/bin/ssns-cni"
loads "installed: ssns-oci-hook with bad input" sh -c "echo '$BAD_STATE' |
	env -i $P/libexec/ssns/ssns-oci-hook --log stderr createRuntime"
check "the hooks.d files name the installed hook" sh -c "
	jq -e '.hook.path == \"$P/libexec/ssns/ssns-oci-hook\"' /usr/share/containers/oci/hooks.d/ssns-hook.json &&
	jq -e '.hook.path == \"$P/libexec/ssns/ssns-oci-hook\"' /usr/share/containers/oci/hooks.d/ssns-hook-poststop.json"

cat > "$TMPD/prog.c" <<'EOF'
#include <stdio.h>
#include <libssns.h>
int main(void)
{
	struct ssns_handle *h = ssns_new();
	struct ssns_system *s;
	int rc = h ? ssns_connect(h) : -1;

	if (!rc)
		rc = ssns_system_get(h, &s);
	if (!rc) {
		printf("mode %s\n", ssns_netns_mode_name(s->netns_mode));
		ssns_system_free(s);
	}
	ssns_free(h);
	return rc ? 1 : 0;
}
EOF
check "a program builds against the installed libssns (pkg-config)" sh -c "
	gcc -o $TMPD/prog $TMPD/prog.c \$(pkg-config --cflags --libs libssns)"
loads "and runs at once, without LD_LIBRARY_PATH" env -i "$TMPD/prog"
check_eq "it talks to the module through the installed library" "0:mode shared" \
	"$LAST_RC:$LAST_OUT"
tap_done
