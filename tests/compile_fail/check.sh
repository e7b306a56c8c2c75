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

# s390x has no 1- or 2-byte interlocked-access instruction: restart_sched,
# kseq_sched and fixup have no sequence there, and an explicit call says so. The
# default family (this_cpu_*) takes the documented fallback instead, even
# when one of them is the default.
if command -v s390x-linux-gnu-gcc >/dev/null; then
	s390=s390x-linux-gnu-gcc
	na_fixup="the fixup scheme has no sequence for this size on this arch: s390x does the op with an interlocked-access instruction, which has no 1- or 2-byte form"
	na_sched="the restart_sched scheme has no sequence for this size on this arch: s390x commits with an interlocked-access instruction, which has no 1- or 2-byte form"
	expect_error fixup_1_s390x "$na_fixup" $s390 <<'C'
#include <krseq/percpu.h>
static KRSEQ_DEFINE_PER_CPU(unsigned char, v);
void f(void) { krseq_pcp_add(KRSEQ_PCP_FIXUP, v, 1); }
C
	expect_error restart_sched_1_s390x "$na_sched" $s390 <<'C'
#include <krseq/percpu.h>
static KRSEQ_DEFINE_PER_CPU(unsigned char, v);
void f(void) { krseq_pcp_add(KRSEQ_PCP_RESTART_SCHED, v, 1); }
C
	expect_error restart_sched_2_s390x "$na_sched" $s390 <<'C'
#include <krseq/percpu.h>
static KRSEQ_DEFINE_PER_CPU(short, v);
short f(void) { return krseq_pcp_cmpxchg(KRSEQ_PCP_RESTART_SCHED, v, 0, 1); }
C
	expect_error kseq_sched_1_s390x "the kseq_sched scheme has no sequence for this size on this arch: s390x commits with an interlocked-access instruction, which has no 1- or 2-byte form" $s390 <<'C'
#include <krseq/percpu.h>
static KRSEQ_DEFINE_PER_CPU(unsigned char, v);
void f(void) { krseq_pcp_add(KRSEQ_PCP_KSEQ_SCHED, v, 1); }
C
	expect_ok fixup_4_s390x $s390 <<'C'
#include <krseq/percpu.h>
static KRSEQ_DEFINE_PER_CPU(int, v);
void f(void) { krseq_pcp_add(KRSEQ_PCP_FIXUP, v, 1); }
void g(void) { krseq_pcp_add(KRSEQ_PCP_RESTART_SCHED, v, 1); }
C
	for dflt in KRSEQ_PCP_PREEMPT KRSEQ_PCP_FIXUP KRSEQ_PCP_RESTART_SCHED; do
		expect_ok "this_cpu_1_s390x_$dflt" $s390 -DKRSEQ_PCP_DEFAULT=$dflt <<'C'
#include <krseq/linux.h>
static DEFINE_PER_CPU(unsigned char, v);
void f(void) { this_cpu_add(v, 1); }
unsigned char g(void) { return this_cpu_cmpxchg(v, 0, 1); }
C
	done
else
	echo "FAIL: s390x-linux-gnu-gcc missing: run scripts/setup.sh"
	fails=$((fails + 1))
fi

echo "compile_fail: $fails failed"
[ "$fails" -eq 0 ]
