#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A deliberately hanging guest: stops the kernel from making progress
# for the runner, which must kill the VM at its bound.
echo "1..1"
echo "# hanging"
# Freeze every task but this one's CPU-spinning loop: the guest never ends.
while :; do :; done
