#!/usr/bin/env bash
# Install everything krseq needs on a fresh Debian 12 machine and unpack the
# foreign-arch cmocka/libunwind into sysroots under the build tree.
# Multiarch "apt-get install" of those fails on version skew here, hence
# apt-get download + dpkg -x (DESIGN.md section 6).
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
build=$top/build # cmake/cross.cmake looks for the sysroots here

SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo

pkgs=(build-essential cmake pkg-config libcmocka-dev libunwind-dev
      gcc-s390x-linux-gnu gcc-aarch64-linux-gnu libc6-dev-s390x-cross
      libc6-dev-arm64-cross qemu-user gnuplot-nox gawk jq)

# apt takes its locks without waiting: two set-ups at once (two clones), or
# an unattended upgrade, would fail one of them. Set-ups take turns, and apt
# waits for a dpkg lock held by anything else.
exec 9>"${TMPDIR:-/tmp}/krseq-setup.lock"
flock 9
apt_wait=(-o DPkg::Lock::Timeout=600)

need_install=0
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || need_install=1
done
for a in s390x arm64; do
	dpkg --print-foreign-architectures | grep -qx "$a" || need_install=1
done

if [ "$need_install" = 1 ]; then
	$SUDO dpkg --add-architecture s390x
	$SUDO dpkg --add-architecture arm64
	$SUDO apt-get "${apt_wait[@]}" update -q
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get "${apt_wait[@]}" install -y -q --no-install-recommends "${pkgs[@]}"
fi

foreign=(libcmocka-dev libcmocka0 libunwind-dev libunwind8 liblzma5 liblzma-dev)
for arch in s390x arm64; do
	sysroot=$build/sysroot-$arch
	[ -f "$sysroot/.done" ] && continue
	dl=$build/deb-$arch
	mkdir -p "$dl" "$sysroot"
	(cd "$dl" && apt-get "${apt_wait[@]}" download -q "${foreign[@]/%/:$arch}")
	for deb in "$dl"/*.deb; do
		dpkg -x "$deb" "$sysroot"
	done
	touch "$sysroot/.done"
done
echo "setup: done (sysroots in $build)"
