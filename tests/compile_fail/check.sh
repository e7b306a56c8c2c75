#!/usr/bin/env bash
# Misuse of the per-CPU ops is a compile-time error with a readable
# message: each case must fail to compile, and say why.
set -uo pipefail

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

if command -v aarch64-linux-gnu-gcc >/dev/null; then
	expect_error segment_default "only x86_64 reaches per-CPU data through a segment register" \
		aarch64-linux-gnu-gcc -DKRSEQ_PCP_DEFAULT=KRSEQ_PCP_SEGMENT <<'C'
#include <krseq/linux.h>
C
	expect_error segment_explicit "only x86_64 reaches per-CPU data through a segment register" \
		aarch64-linux-gnu-gcc <<'C'
#include <krseq/percpu.h>
static KRSEQ_DEFINE_PER_CPU(long, v);
void f(void) { krseq_pcp_add(KRSEQ_PCP_SEGMENT, v, 1); }
C
else
	echo "FAIL: aarch64-linux-gnu-gcc missing: run scripts/setup.sh"
	fails=$((fails + 1))
fi

echo "compile_fail: $fails failed"
[ "$fails" -eq 0 ]
