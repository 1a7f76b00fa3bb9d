#!/bin/sh
# setup.sh - first command of the README: install, build, and audit the
# bundled example snapshot (the Exchange 2007 Unified Messaging field case).
set -eu
cd "$(dirname "$0")/.."
sh scripts/deps.sh
[ -d build ] || meson setup build
meson compile -C build
echo
echo "\$ build/spnctl audit -f examples/exchange-um.ldif"
# audit exits 1 when it finds problems - this example is full of them.
build/spnctl audit -f examples/exchange-um.ldif || [ $? -eq 1 ]
