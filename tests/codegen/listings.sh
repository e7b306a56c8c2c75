#!/usr/bin/env bash
# Usage: listings.sh KRSEQ [--abi user|kernel]
#
# krseq codegen --abi kernel against the thread's published s390 listings:
# each function under each strategy must give the listing's instruction
# mnemonics, in order, up to one instruction inserted, deleted or changed
# (the compiler version; the seed's kernel also had a base register for a
# relocatable lowcore). The listings are the thread's and the series',
# reduced to their mnemonics; a listing for a scheme the registry does not
# have yet is skipped by name, never passed.
#
# aarch64, which the thread gives no whole listing for, must show one
# alternative per row: aarch64-lse no exclusive pair, aarch64-llsc no LSE
# instruction.
#
# --abi user compares the library's build instead, which reaches the
# lowcore through TLS: it must fail (the negative control).
set -uo pipefail

krseq=$1
abi=${3:-kernel}
[ "${2:-}" = --abi ] || abi=kernel
fails=0 compared=0

fail() {
	echo "FAIL: $*"
	fails=$((fails + 1))
}

# Edit distance of two comma-separated mnemonic lists.
distance() {
	gawk -v a="$1" -v b="$2" 'BEGIN {
		n = split(a, x, ","); m = split(b, y, ",")
		for (j = 0; j <= m; j++) d[0, j] = j
		for (i = 1; i <= n; i++) {
			d[i, 0] = i
			for (j = 1; j <= m; j++) {
				c = d[i - 1, j - 1] + (x[i] != y[j])
				if (d[i - 1, j] + 1 < c) c = d[i - 1, j] + 1
				if (d[i, j - 1] + 1 < c) c = d[i, j - 1] + 1
				d[i, j] = c
			}
		}
		print d[n, m]
	}'
}

# mnemonics ROW STRATEGY FUNCTION: krseq's for that row (an arch, or
# aarch64-lse/-llsc), comma-separated; status 3 when the registry has no
# such strategy.
mnemonics() {
	local out rc
	out=$("$krseq" codegen --abi "$abi" --arch "${1%%-*}" --strategy "$2" \
		--function "$3" --json 2>&1)
	rc=$?
	if [ $rc = 2 ] && [[ $out == *"--strategy: unknown value '$2'"* ]]; then
		return 3
	fi
	if [ $rc != 0 ]; then
		echo "$out"
		return 1
	fi
	jq -r --arg a "$1" '.results[] | select(.arch == $a) | .mnemonics | join(",")' <<<"$out"
}

# check NAME STRATEGY FUNCTION LISTING [noftrace]: LISTING is the thread's;
# noftrace when the thread quoted it without the ftrace site, which krseq's
# build (-mfentry -mnop-mcount) puts first: it is left out of the comparison.
check() {
	local name=$1 strategy=$2 func=$3 want=$4 got rc d
	got=$(mnemonics s390x "$strategy" "$func")
	rc=$?
	[ "${5-}" = noftrace ] && got=${got#jgnop,}
	if [ $rc = 3 ]; then
		echo "SKIP: $name: the registry has no '$strategy' yet"
		return
	fi
	if [ $rc != 0 ] || [ -z "$got" ]; then
		fail "$name: krseq codegen --strategy $strategy --function $func: $got"
		return
	fi
	compared=$((compared + 1))
	d=$(distance "$want" "$got")
	if [ "$d" -le 1 ]; then
		echo "ok: $name: $d apart"
	else
		fail "$name: $d instructions apart"
	fi
	echo "   thread: $want"
	echo "   krseq:  $got"
}

# The seed (24 Feb 2026): foo() under PREEMPT_NONE and PREEMPT_LAZY.
check "seed, PREEMPT_NONE" atomic foo \
	jgnop,larl,lghi,ag,laag,agr,br
check "seed, PREEMPT_LAZY" preempt foo \
	jgnop,stmg,lgr,lgr,lay,stg,asi,larl,lghi,ag,laag,alsi,jnhe,brasl,agrk,lmg,br
# The s390 series, v2 patch 3/9: before and after, quoted without the
# ftrace site.
check "series v2, before" preempt foo \
	stmg,lgr,lgr,lay,stg,asi,larl,ag,laag,alsi,jnhe,brasl,agrk,lmg,br noftrace
check "series v2, after" marker foo \
	larl,lgr,mviy,ag,laag,mviy,agr,br noftrace
# The series, v5 patch 3/7: this_cpu_add on a counter reached through a
# pointer, then a tail call (ops.c's add_tail).
check "series v5, this_cpu_add" marker add_tail \
	jgnop,lgrl,lgr,mviy,ag,laag,mviy,jg

# aarch64: one alternative per row, never both inline.
for s in atomic fixup; do
	lse=$(mnemonics aarch64-lse "$s" foo) || { fail "aarch64-lse $s: $lse"; continue; }
	llsc=$(mnemonics aarch64-llsc "$s" foo) || { fail "aarch64-llsc $s: $llsc"; continue; }
	[[ ,$lse, == *,ldadd,* && ,$lse, != *,ldxr,* ]] ||
		fail "aarch64-lse $s: not the LSE alternative alone: $lse"
	[[ ,$llsc, == *,ldxr,*stxr,* && ,$llsc, != *,ldadd,* ]] ||
		fail "aarch64-llsc $s: not the LL/SC alternative alone: $llsc"
done

echo "listings ($abi ABI): $compared compared, $fails failed"
[ "$compared" -gt 0 ] && [ "$fails" -eq 0 ]
