#!/usr/bin/env bash
# Usage: count.sh [--disasm] [--abi user|kernel] ARCH STRATEGY [FUNC] [SOURCE]
#
# Compiles SOURCE (default examples/seed.c) for ARCH (x86_64, aarch64,
# aarch64-lse, aarch64-llsc, s390x) with -O2 and
# -DKRSEQ_PCP_DEFAULT=KRSEQ_PCP_<STRATEGY>, disassembles FUNC (default foo)
# and prints one line:
#   insns=N bytes=N calls=name,name|- frame=0|1 preempt_count=N gs_rmw=N mem=N mnemonics=M,M,...
# preempt_count counts instructions that touch the preempt count.
# gs_rmw counts %gs-prefixed instructions that also write memory; mem
# counts instructions with a memory operand (x86_64 only; -1 elsewhere).
# mnemonics are FUNC's instructions' mnemonics in order (a prefix such as
# lock kept with its instruction), last on the line.
# aarch64 has two alternatives for every atomic, LSE and LL/SC: aarch64-lse
# and aarch64-llsc compile one each, as the kernel patches one in place;
# plain aarch64 keeps both inline with the run-time choice, as the library.
# --abi user (the default) is the library's build: the thread area is TLS.
# --abi kernel compiles with the kernel's addressing and flags, through
# kernel/<arch>.h next to this script: compile-only, nothing is linked.
# --disasm prints FUNC's listing instead. The compilers can be overridden
# with KRSEQ_CC_<arch>, the include directories with KRSEQ_INCLUDES.
set -euo pipefail

disasm=0 abi=user
while [ $# -gt 0 ]; do
	case $1 in
	--disasm) disasm=1 ;;
	--abi)
		abi=${2:-}
		shift
		;;
	--abi=*) abi=${1#--abi=} ;;
	*) break ;;
	esac
	shift
done
case $abi in
user | kernel) ;;
*) echo "count.sh: unknown --abi '$abi' (user, kernel)" >&2; exit 2 ;;
esac
if [ $# -lt 2 ]; then
	echo "count.sh: usage: count.sh [--disasm] [--abi user|kernel] ARCH STRATEGY [FUNC] [SOURCE]" >&2
	exit 2
fi
target=$1 strategy=$2 func=${3:-foo}
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
src=${4:-$top/examples/seed.c}

alt=()
case $target in
aarch64-lse) arch=aarch64 alt=(-DKRSEQ_A64_ALT_LSE) ;;
aarch64-llsc) arch=aarch64 alt=(-DKRSEQ_A64_ALT_LLSC) ;;
*) arch=$target ;;
esac
case $arch in
x86_64) cc=gcc objdump=objdump ;;
aarch64) cc=aarch64-linux-gnu-gcc objdump=aarch64-linux-gnu-objdump ;;
s390x) cc=s390x-linux-gnu-gcc objdump=s390x-linux-gnu-objdump ;;
*) echo "count.sh: unknown arch '$target' (x86_64, aarch64, aarch64-lse, aarch64-llsc, s390x)" >&2; exit 2 ;;
esac
if [ "$abi" = kernel ] && [ "$target" = aarch64 ]; then
	echo "count.sh: --abi kernel: the kernel patches one alternative in place: aarch64-lse or aarch64-llsc, not aarch64" >&2
	exit 2
fi
# The kernel's code generation flags that change the instructions of a
# per-CPU op or its function (the ftrace patch site, the frame, the code
# model); mitigations and other config-dependent ones are left out.
flags=()
if [ "$abi" = kernel ]; then
	flags=(-fno-delete-null-pointer-checks -include "$here/kernel/$arch.h")
	case $arch in
	x86_64) flags+=(-mcmodel=kernel -fno-pic -mno-red-zone -mgeneral-regs-only
		-pg -mfentry -mnop-mcount -mrecord-mcount) ;;
	aarch64) flags+=(-mgeneral-regs-only -fpatchable-function-entry=2) ;;
	s390x) flags+=(-march=z196 -msoft-float -mpacked-stack -mbackchain
		-pg -mfentry -mnop-mcount -mrecord-mcount) ;;
	esac
fi
# A variable that is set is used, and must say something: an empty one is
# an error, not a quiet fall-back to the default.
var=KRSEQ_CC_$arch
cc=${!var-$cc}
if [ -z "$cc" ]; then
	echo "count.sh: $var is set but empty" >&2
	exit 2
fi
if ! command -v "$cc" >/dev/null; then
	echo "count.sh: no compiler '$cc' for $arch: run scripts/setup.sh" >&2
	exit 3
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
includes=${KRSEQ_INCLUDES-"$top/include $top/src/arch/$arch/include"}
if [ -z "${includes// /}" ]; then
	echo "count.sh: KRSEQ_INCLUDES is set but empty" >&2
	exit 2
fi
for d in $includes; do
	if [ ! -d "$d" ]; then
		echo "count.sh: KRSEQ_INCLUDES: no directory '$d'" >&2
		exit 2
	fi
done
# shellcheck disable=SC2046 # one -I per directory
# The compiler's own output is passed on, but its failure is said in one
# line of ours: a caller reads "count.sh: ..." as the reason.
if ! "$cc" -O2 -std=gnu11 "${flags[@]}" "${alt[@]}" -c -o "$tmp/o.o" "$src" \
	-DKRSEQ_PCP_DEFAULT="KRSEQ_PCP_${strategy^^}" \
	$(printf -- '-I%s ' $includes) >"$tmp/cc.txt" 2>&1; then
	cat "$tmp/cc.txt" >&2
	first=$(grep -m1 -E 'error|Error|ERROR' "$tmp/cc.txt" || head -n1 "$tmp/cc.txt")
	echo "count.sh: '$cc' failed to compile $(basename "$src") for $arch: ${first:-no message}" >&2
	exit 5
fi
cat "$tmp/cc.txt" >&2
"$objdump" -d --no-show-raw-insn -r "$tmp/o.o" >"$tmp/d.txt"
if [ "$disasm" = 1 ]; then
	sed -n "/^[0-9a-f]* <$func>:\$/,/^\$/p" "$tmp/d.txt"
	exit 0
fi

size=$("${objdump/objdump/nm}" -S --defined-only "$tmp/o.o" |
	awk -v f="$func" '$4 == f { print $2 }')
# Instructions past the symbol's size are alignment padding.
gawk -v fn="$func" -v arch="$arch" -v abi="$abi" -v size=$((16#${size:-0})) '
	$0 ~ "^[0-9a-f]+ <" fn ">:$" { infn = 1; next }
	infn && /^[0-9a-f]+ <.*>:$/ { infn = 0 }
	infn && /^ *[0-9a-f]+:\t/ {
		split($0, f, "\t")
		a = f[1]; gsub(/[ :]/, "", a); addr = strtonum("0x" a)
		if (base == "") base = addr
		if (addr - base >= size) next
		ins = f[2] (f[3] != "" ? " " f[3] : ""); n++
		if (ins ~ /^(call|brasl|bl|b|jmp|jg)[ \t]/ && ins ~ /[<@]/) {
			c = ins; sub(/.*</, "", c); sub(/>.*/, "", c)
			if (c !~ ("^" fn "\\+"))  # not a branch inside fn
				calls = calls (calls ? "," : "") c
		}
		nw = split(ins, w, /[ \t]+/)
		m = w[1]
		if (nw > 1 && m ~ /^(lock|rep|repe|repne|repz|repnz|notrack|bnd)$/)
			m = m " " w[2]
		mn = mn (n > 1 ? "," : "") m
		# accesses to the preempt count: at offset 24 of the thread
		# area (user); kernel: the lowcore at 936 on s390x, [current,
		# #8] on aarch64 (x86_64 by its relocation, below)
		if (abi == "user" && ins ~ /(%fs:0x18\(|, #24\]|[^0-9]24\(%r)/) pcnt++
		if (abi == "kernel" && ins ~ /([ \t,]936[,(]|\[x[0-9]+, #8\])/) pcnt++
		if (arch == "x86_64") {
			if (ins ~ /%gs:/ && ins !~ /^mov/) gsrmw++
			if (ins ~ /\(/ && ins !~ /^(lea|nop)/) mem++
			if (ins ~ /^(push|sub +\$.*,%rsp)/) frame = 1
		} else if (arch == "aarch64") {
			if (ins ~ /^stp[ \t]+x29, x30/ || ins ~ /^sub[ \t]+sp, sp/) frame = 1
		} else {
			if (ins ~ /^stmg.*%r15\)/ || ins ~ /^aghi[ \t]+%r15,-/ || ins ~ /^lay[ \t]+%r15,-/) frame = 1
		}
	}
	infn && abi == "kernel" && /R_X86_64_PC32[ \t]+krseq_kpcpu\+0x4$/ { pcnt++ }
	# Relocations name the PLT target of a call on aarch64 and s390x.
	infn && /R_(AARCH64_CALL26|AARCH64_JUMP26|390_PLT32DBL|X86_64_PLT32)/ {
		c = $NF; sub(/[-+].*/, "", c)
		if (calls !~ c) calls = calls (calls ? "," : "") c
	}
	END {
		if (!n) { print "count.sh: no function " fn > "/dev/stderr"; exit 4 }
		printf "insns=%d calls=%s frame=%d preempt_count=%d gs_rmw=%d mem=%d mnemonics=%s\n", \
			n, (calls ? calls : "-"), frame + 0, pcnt + 0, gsrmw + 0, \
			(arch == "x86_64" ? mem + 0 : 0 - 1), mn
	}' "$tmp/d.txt" >"$tmp/awk.txt"
sed -E "s/^(insns=[0-9]+)/\1 bytes=$((16#${size:-0}))/" "$tmp/awk.txt"
