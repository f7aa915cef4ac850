#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make demo: runs inside the VM with ssns.ko and ssns_sim.ko loaded and
# shows what a site admin would look at.
set -u
top=${SSNS_TOP:-$(cd "$(dirname "$0")/.." && pwd)}
ctl=$top/tools/ssnsctl/ssnsctl

step() { printf '\n\033[1m$ %s\033[0m\n' "$*"; "$@"; }
title() { printf '\n==== %s ====\n' "$*"; }

title "modules"
step sh -c "grep -E '^ssns(_sim)? ' /proc/modules"

title "simulated NICs"
step sh -c 'echo "1 2" > /sys/bus/ssns_sim/new_device'
step sh -c 'ls -l /dev/cxi*'
[ -x "$ctl" ] || { echo "ssnsctl not built"; exit 1; }
step "$ctl" dev show
step "$ctl" system show
