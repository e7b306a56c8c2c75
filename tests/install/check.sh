#!/usr/bin/env bash
# Usage: check.sh BUILD_DIR WORK_DIR [CC] [CMAKE]
#
# Installs BUILD_DIR into WORK_DIR/prefix, runs the installed krseq
# command from there with no LD_LIBRARY_PATH, then builds tests/install/
# consumer.c against that prefix twice, and runs each program:
#   1. with cc and the flags pkg-config gives for krseq.pc;
#   2. as the CMake project in consumer/, through find_package(krseq).
# Any failed step fails the check.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "$1" && pwd)
# The scheme names, as the build read them from the registry.
# shellcheck source=/dev/null
. "$build/registry.sh"
work=$2
cc=${3:-cc}
cmake=${4:-cmake}
prefix=$work/prefix

step() { printf '\n== %s\n' "$*"; }

# Run a consumer and insist on its success line, not just its status.
run_consumer() {
	local out rc=0

	out=$("$1") || rc=$?
	echo "$out"
	if [ "$rc" -ne 0 ]; then
		echo "FAIL: $1 exited with status $rc"
		return 1
	fi
	if ! grep -qx "consumer ok" <<<"$out"; then
		echo "FAIL: $1 did not print 'consumer ok'"
		return 1
	fi
}

rm -rf "$work"
mkdir -p "$work"

step "install $build into $prefix"
"$cmake" --install "$build" --prefix "$prefix"

# The library directory is lib or lib/<multiarch>, as GNUInstallDirs chose
# when the build tree was configured: find it through krseq.pc.
pcs=("$prefix"/lib/pkgconfig/krseq.pc "$prefix"/lib/*/pkgconfig/krseq.pc)
pc=
for f in "${pcs[@]}"; do
	[ -f "$f" ] && pc=$f && break
done
if [ -z "$pc" ]; then
	echo "FAIL: no krseq.pc under $prefix/lib"
	exit 1
fi
pcdir=$(dirname "$pc")
libdir=$(dirname "$pcdir")

step "installed krseq runs from $prefix/bin"
# The prefix is outside the loader's paths: the command must find its
# library through its own run path, relative to where it was installed.
moved=$work/moved
cp -a "$prefix" "$moved"
if ! out=$(env -u LD_LIBRARY_PATH "$moved/bin/krseq" explore --strategy "$KRSEQ_PCP_RESTART" \
	--adversary irq --quiet 2>&1); then
	echo "$out"
	echo "FAIL: the installed krseq did not run from $moved/bin"
	exit 1
fi
echo "$out" | tail -n 2

step "pkg-config consumer ($pc)"
# krseq.pc finds its prefix from its own place (${pcfiledir}), so the
# install moved here by --prefix needs nothing more.
flags=$(PKG_CONFIG_PATH=$pcdir pkg-config --cflags --libs krseq)
echo "flags: $flags"
# shellcheck disable=SC2086 # the flags are meant to split into words
"$cc" -o "$work/consumer-pc" "$here/consumer.c" $flags -Wl,-rpath,"$libdir"
run_consumer "$work/consumer-pc"

step "find_package consumer"
"$cmake" -S "$here/consumer" -B "$work/consumer-cmake" \
	-DCMAKE_C_COMPILER="$cc" -DCMAKE_PREFIX_PATH="$prefix"
# It must be this install that was found, not one elsewhere on the system.
found=$(sed -n 's/^krseq_DIR:PATH=//p' "$work/consumer-cmake/CMakeCache.txt")
if [[ "$found" != "$prefix"/* ]]; then
	echo "FAIL: find_package found krseq in '$found', not under $prefix"
	exit 1
fi
echo "krseq_DIR: $found"
"$cmake" --build "$work/consumer-cmake"
run_consumer "$work/consumer-cmake/app"

printf '\ninstall check: ok\n'
