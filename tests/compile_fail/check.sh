#!/usr/bin/env bash
# Misuse of the per-CPU ops is a compile-time error with a readable
# message: each case must fail to compile, and say why.
# Usage: check.sh REGISTRY_SH (the build tree's registry.sh, whose cells
# and reasons the cases are made from).
set -uo pipefail

# shellcheck source=/dev/null
. "$1"
top=$(cd "$(dirname "$0")/../.." && pwd)
cc=${CC:-gcc}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0

# expect_error NAME MESSAGE CC FLAGS... <<< SOURCE
expect_error() {
	local name=$1 msg=$2 compiler=$3
	shift 3
	cat >"$tmp/$name.c"
	if "$compiler" -O2 -c -o "$tmp/$name.o" "$tmp/$name.c" -I"$top/include" \
		-I"$top/src/arch/x86_64/include" -I"$top/src/arch/aarch64/include" \
		-I"$top/src/arch/s390x/include" "$@" 2>"$tmp/$name.err"; then
		echo "FAIL: $name compiled"
		fails=$((fails + 1))
	elif ! grep -qF -- "$msg" "$tmp/$name.err"; then
		echo "FAIL: $name: no \"$msg\" in:"
		cat "$tmp/$name.err"
		fails=$((fails + 1))
	else
		echo "ok: $name: $msg"
	fi
}

# expect_ok NAME CC FLAGS... <<< SOURCE: the control that must compile,
# so that a failure above is the misuse's and not the setup's.
expect_ok() {
	local name=$1 compiler=$2
	shift 2
	cat >"$tmp/$name.c"
	if "$compiler" -O2 -Wall -Wextra -Werror -c -o "$tmp/$name.o" \
		"$tmp/$name.c" -I"$top/include" \
		-I"$top/src/arch/x86_64/include" -I"$top/src/arch/aarch64/include" \
		-I"$top/src/arch/s390x/include" "$@" 2>"$tmp/$name.err"; then
		echo "ok: $name compiles"
	else
		echo "FAIL: $name did not compile:"
		cat "$tmp/$name.err"
		fails=$((fails + 1))
	fi
}

expect_error odd_size "on a per-CPU variable that is not 1, 2, 4 or 8 bytes" "$cc" <<'C'
#include <krseq/linux.h>
struct three { char c[3]; };
static DEFINE_PER_CPU(struct three, v);
void f(void) { this_cpu_write(v.c[0], 1); (void)this_cpu_read(v); }
C

expect_error not_16 "this_cpu_cmpxchg128() on a variable that is not 16 bytes" "$cc" <<'C'
#include <krseq/linux.h>
static DEFINE_PER_CPU(long, v);
long f(void) { return this_cpu_cmpxchg128(v, 0, 1); }
C

expect_error not_8 "this_cpu_cmpxchg64() on a variable that is not 8 bytes" "$cc" <<'C'
#include <krseq/linux.h>
static DEFINE_PER_CPU(int, v);
int f(void) { return this_cpu_cmpxchg64(v, 0, 1); }
C

expect_error bad_default "KRSEQ_PCP_DEFAULT must be one of the KRSEQ_PCP_* strategies" "$cc" -DKRSEQ_PCP_DEFAULT=42 <<'C'
#include <krseq/linux.h>
C

# Every cell the registry leaves out, on every arch: an explicit call
# there fails to compile with the registry's reason, and a scheme with no
# cell at all cannot be the default. The controls: the same scheme's
# cells that exist compile, and the default family (this_cpu_*) compiles
# at the missing sizes through the documented fallback, even with the
# scheme as the default; every cell the registry says exists compiles.
type_of() {
	case $1 in
	1) echo "unsigned char" ;;
	2) echo short ;;
	4) echo int ;;
	8) echo long ;;
	16) echo "unsigned __int128" ;;
	esac
}
# call_of SCHEME_CONSTANT SIZE: an op on v of that size (16: cmpxchg128).
call_of() {
	if [ "$2" = 16 ]; then
		echo "(void)krseq_pcp_cmpxchg128($1, v16, 0, 1);"
	else
		echo "krseq_pcp_add($1, v$2, 1);"
	fi
}
vars='static KRSEQ_DEFINE_PER_CPU(unsigned char, v1);
static KRSEQ_DEFINE_PER_CPU(short, v2);
static KRSEQ_DEFINE_PER_CPU(int, v4);
static KRSEQ_DEFINE_PER_CPU(long, v8);
static KRSEQ_DEFINE_PER_CPU(unsigned __int128, v16);'
for arch in $KRSEQ_ARCHES; do
	acc=$arch-linux-gnu-gcc
	if ! command -v "$acc" >/dev/null; then
		echo "FAIL: $acc missing: run scripts/setup.sh"
		fails=$((fails + 1))
		continue
	fi
	for s in $KRSEQ_SCHEMES; do
		S=KRSEQ_PCP_${s^^}
		cells=$(krseq_cells "$s" "$arch")
		why_var=KRSEQ_SCHEME_${s}_WHY
		why=${!why_var}
		if [ -z "$cells" ]; then
			expect_error "${s}_default_$arch" "$why" "$acc" -DKRSEQ_PCP_DEFAULT="$S" <<'C'
#include <krseq/linux.h>
C
			expect_error "${s}_explicit_$arch" "$why" "$acc" <<C
#include <krseq/percpu.h>
static KRSEQ_DEFINE_PER_CPU(long, v);
void f(void) { krseq_pcp_add($S, v, 1); }
C
			continue
		fi
		ok=
		for z in 1 2 4 8 16; do
			if krseq_has "$s" "$arch" "$z"; then
				ok="$ok$(call_of "$S" "$z")"
				continue
			fi
			expect_error "${s}_${z}_$arch" "the $s scheme has no sequence for this size on this arch: $why" "$acc" <<C
#include <krseq/percpu.h>
$vars
void f(void) { $(call_of "$S" "$z") }
C
			[ "$z" = 16 ] && continue
			expect_ok "this_cpu_${z}_${arch}_$s" "$acc" -DKRSEQ_PCP_DEFAULT="$S" <<C
#include <krseq/linux.h>
static DEFINE_PER_CPU($(type_of "$z"), v);
void f(void) { this_cpu_add(v, 1); }
$(type_of "$z") g(void) { return this_cpu_cmpxchg(v, 0, 1); }
C
		done
		expect_ok "${s}_cells_$arch" "$acc" <<C
#include <krseq/percpu.h>
$vars
void f(void) { $ok }
C
	done
done

echo "compile_fail: $fails failed"
[ "$fails" -eq 0 ]
