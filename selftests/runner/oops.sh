#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# ssns-vm: nomodules
# Passing test points, but the kernel log gets a WARN: the run must fail.
echo "1..1"
echo "<4>WARNING: CPU: 0 PID: 1 at deliberate/test.c:1 runner_check" > /dev/kmsg
echo "ok 1 - passes, but the kernel log has a WARNING"
