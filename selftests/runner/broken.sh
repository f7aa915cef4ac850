#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A deliberately broken test: the runner must report it as failed.
echo "1..2"
echo "ok 1 - fine"
echo "not ok 2 - deliberately broken"
exit 1
