#!/usr/bin/env bash
# krseq codegen's figures for this machine's arch match a recount made
# here with objdump alone: the instructions inside foo's symbol, for every
# strategy.
set -uo pipefail

krseq=$1
top=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0

for s in segment atomic preempt irq restart restart_sched fixup unsafe marker; do
	json=$("$krseq" codegen --arch x86_64 --strategy "$s" --json) || {
		echo "FAIL: krseq codegen --strategy $s failed: $json"
		fails=$((fails + 1))
		continue
	}
	said=$(jq -r '.results[0].insns' <<<"$json")
	gcc -O2 -std=gnu11 -c -o "$tmp/o.o" "$top/tools/codegen/ops.c" \
		-DKRSEQ_PCP_DEFAULT="KRSEQ_PCP_${s^^}" -I"$top/include" \
		-I"$top/src/arch/x86_64/include"
	read -r start size < <(nm -S "$tmp/o.o" | awk '$4 == "foo" { print $1, $2 }')
	end=$(printf '%x' $((16#$start + 16#$size)))
	counted=$(objdump -d -j .text --no-show-raw-insn --start-address=0x"$start" \
		--stop-address=0x"$end" "$tmp/o.o" | grep -cE '^ +[0-9a-f]+:')
	if [ "$said" != "$counted" ]; then
		echo "FAIL: $s: krseq codegen says $said instructions, objdump $counted"
		fails=$((fails + 1))
	else
		echo "ok: $s: $said instructions"
	fi
done
echo "recount: $fails failed"
[ "$fails" -eq 0 ]
