#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Fuzz the ssns generic netlink family with nlfuzz: as root, as an
# unprivileged user, from another netns and as the root of a user
# namespace. Every reply must be well-formed (nlfuzz checks), the state
# must stay consistent, and valid requests must still work afterwards.
#
#   SSNS_FUZZ_SEED   seed (default: from the clock; printed, to replay)
#   SSNS_FUZZ_COUNT  iterations of the root campaign (the others do 1/4)
#   SSNS_FUZZ_SECS   time cap of the four campaigns together (60): half for
#                    the root one, a sixth for each other
. "$(dirname "$0")/lib.sh"
FUZZ=$SSNS_TOP/selftests/progs/nlfuzz
need_progs "$CTL" "$NLRAW" "$FUZZ"

SEED=${SSNS_FUZZ_SEED:-$(( $(date +%s%N) % 4294967296 ))}
COUNT=${SSNS_FUZZ_COUNT:-25000}
SECS=${SSNS_FUZZ_SECS:-60}
CG=/sys/fs/cgroup/ssns-fz
tap_diag "seed: $SEED (replay: SSNS_FUZZ_SEED=$SEED SSNS_FUZZ_COUNT=$COUNT selftests/vm/run -- selftests/fuzz_netlink.sh)"

cleanup() {
	ip netns del fz 2>/dev/null
	rmdir $CG/a $CG/b $CG 2>/dev/null
	rm -rf "$TMPD"
}
trap cleanup EXIT

# A known state: two devices, a tenant with a pod netns, a cgroup tree,
# profiles with and without a tenant.
sim_add 1 cxi0
sim_add 2 cxi1
mkdir -p $CG/a $CG/b
ip netns add fz
check "known state: tenant fz0 with a pod" sh -c "
	$CTL tenant add fz0 vni 100-101 && $CTL tenant set fz0 netns fz &&
	$CTL tenant add keep vni 5000 && $CTL tenant set keep cgroup ssns-fz/b &&
	$CTL profile add dev cxi0 vni 100 tc low_latency &&
	$CTL profile add dev cxi1 vni 5000 tc bulk_data &&
	$CTL profile add dev cxi1 vni 7000 tc best_effort"

# campaign DESC SEED COUNT SECS OPTS [WRAPPER...]: nlfuzz OPTS under WRAPPER.
campaign() {
	local desc=$1 seed=$2 n=$3 secs=$4 opts=$5 out rc; shift 5
	tap_diag "$desc: ${*:+$* }nlfuzz -s $seed -n $n -t $secs $opts"
	# shellcheck disable=SC2086
	out=$("$@" "$FUZZ" -s "$seed" -n "$n" -t "$secs" $opts 2>&1)
	rc=$?
	echo "$out" > "$TMPD/fuzz.$seed"
	if [ $rc -eq 0 ]; then
		tap_ok "nlfuzz $desc: every reply well-formed"
		echo "$out" | grep -E '^nlfuzz: ([0-9]+ requests|judged|errno|commands|time cap)' |
			sed 's/^/# /'
	else
		tap_notok "nlfuzz $desc: every reply well-formed (exit $rc)"
		echo "$out" | grep -v '^nlfuzz: strategies' | head -n 80 | sed 's/^/# /'
	fi
}

S1=$(( SECS / 2 > 0 ? SECS / 2 : 1 ))
S2=$(( SECS / 6 > 0 ? SECS / 6 : 1 ))
campaign "as root" "$SEED" "$COUNT" $S1 ""
campaign "as uid 65534" $((SEED + 1)) $((COUNT / 4)) $S2 "-u 65534"
campaign "in netns fz" $((SEED + 2)) $((COUNT / 4)) $S2 "" ip netns exec fz
campaign "as a user namespace root" $((SEED + 3)) $((COUNT / 4)) $S2 "" \
	unshare -U -r -n

# Back to a known layout: shared mode, every device in init_net.
check "mode back to shared" $CTL system set netns shared
for d in $(dev_names fz); do
	ip netns exec fz $CTL dev set "$d" netns 1 > /dev/null 2>&1
done
check_eq "init_net lists every device once" "cxi0 cxi1" "$(dev_names | sort | xargs)"
$CTL system set netns exclusive
check_eq "every device is back in init_net" "cxi0 cxi1" "$(dev_names | sort | xargs)"
check_eq "netns fz holds no device" "" "$(dev_names fz | xargs)"
$CTL system set netns shared

# The state as ssnsctl shows it is consistent.
consistent() {
	$CTL -j dev show > "$TMPD/d.json" && $CTL -j tenant show > "$TMPD/t.json" &&
	$CTL -j profile show > "$TMPD/p.json" && $CTL -j ep show > "$TMPD/e.json" &&
	$CTL -j stats > "$TMPD/s.json" || return 1
	python3 - "$TMPD" <<'EOF'
import json, os, re, sys
d = sys.argv[1]
def load(n):
    with open(os.path.join(d, n)) as f:
        return json.load(f)
devs, tenants, profiles, eps, stats = (load(n) for n in
    ('d.json', 't.json', 'p.json', 'e.json', 's.json'))
bad = []
names = sorted(x['name'] for x in devs)
if names != ['cxi0', 'cxi1']:
    bad.append('devices: %s' % names)
if sorted(x['name'] for x in stats['devs']) != ['cxi0', 'cxi1']:
    bad.append('stats devices: %s' % stats['devs'])
tn = [t['name'] for t in tenants]
for n in tn:
    if not re.fullmatch(r'[A-Za-z0-9._-]{1,31}', n):
        bad.append('tenant name %r breaks [A-Za-z0-9._-]' % n)
if len(tn) != len(set(tn)):
    bad.append('a tenant is listed twice: %s' % tn)
if sorted(tn) != sorted(x['name'] for x in stats['tenants']):
    bad.append('stats tenants differ: %s' % stats['tenants'])
owner = {}
for t in tenants:
    for r in t['vni']:
        if not 1 <= r['first'] <= r['last'] <= 65535:
            bad.append('tenant %s: range %s' % (t['name'], r))
            continue
        for v in range(r['first'], r['last'] + 1):
            if v in owner:
                bad.append('VNI %d in tenants %s and %s' % (v, owner[v], t['name']))
                break
            owner[v] = t['name']
    ms = [(m['type'], m.get('netns_cookie', m.get('cgroup_id'))) for m in t['members']]
    if len(ms) != len(set(ms)):
        bad.append('tenant %s: members not unique: %s' % (t['name'], ms))
pk = [(p['dev'], p['vni'], p['tc']) for p in profiles]
if len(pk) != len(set(pk)):
    bad.append('a profile is listed twice: %s' % pk)
for p in profiles:
    if p.get('tenant') != owner.get(p['vni']):
        bad.append('profile %s/%d/%s of tenant %s, its VNI of tenant %s' %
                   (p['dev'], p['vni'], p['tc'], p.get('tenant'), owner.get(p['vni'])))
if eps:
    bad.append('endpoints left: %s' % eps)
print('%d tenants, %d profiles, %d VNIs owned' % (len(tenants), len(profiles), len(owner)))
for b in bad[:20]:
    print(b)
sys.exit(1 if bad else 0)
EOF
}
desc="state consistent after fuzzing (devices, tenants, profiles, endpoints)"
if consistent > "$TMPD/consistent" 2>&1; then
	tap_ok "$desc"
else
	tap_notok "$desc"
	tail -n +2 "$TMPD/consistent" | sed 's/^/# /'
fi
tap_diag "$(head -n 1 "$TMPD/consistent")"

# Delete what the fuzzer left, then the state is empty.
for t in $($CTL -j tenant show | python3 -c 'import json, sys
for t in json.load(sys.stdin): print(t["name"])'); do
	$CTL tenant del "$t" > /dev/null
done
$CTL -j profile show | python3 -c 'import json, sys
for p in json.load(sys.stdin): print(p["dev"], p["vni"], p["tc"])' |
while read -r d v tc; do
	$CTL profile del dev "$d" vni "$v" tc "$tc" > /dev/null
done
empty() { $CTL -j "$1" show | tr -d ' \n'; }
check_eq "no tenant left" "[]" "$(empty tenant)"
check_eq "no profile left" "[]" "$(empty profile)"
check_eq "no endpoint left" "[]" "$(empty ep)"

# Valid requests still work.
check "a valid tenant and profile can be added" sh -c "
	$CTL tenant add after vni 4000-4001 && $CTL tenant set after netns fz &&
	$CTL profile add dev cxi0 vni 4000 tc low_latency &&
	$CTL tenant show after | grep -q 4000 &&
	$CTL profile show | grep -q 4000"
check "and deleted" sh -c "
	$CTL profile del dev cxi0 vni 4000 tc low_latency && $CTL tenant del after"
check_eq "the state is empty again" "[][]" "$(empty tenant)$(empty profile)"
check_eq "the mode is shared" "0" "$(sys_mode)"

check_eq "no ssns warning in the kernel log" "" \
	"$(dmesg | grep -i ssns | grep -iE 'warn|bug|leak|refcount|fail|error|corrupt' | head -n 5)"

tap_plan "$_tap_n"
tap_done
