#!/usr/bin/env bash
# The test command of the project: set up the machine, build four trees
# with -Werror (native, native with ASan+UBSan, s390x, aarch64), run ctest
# in each (aarch64 twice: LSE and LL/SC), and print one summary line per
# run, then the total. Every run happens even if an earlier one failed; the
# exit status is non-zero if anything failed.
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
build=$top/build
jobs=$(nproc)

# One entry per run, in the order they ran.
labels=()
passed=()
failed=()
setup_failed=0

banner() { printf '\n==== %s\n' "$*"; }

record() { # label passed failed
	labels+=("$1")
	passed+=("$2")
	failed+=("$3")
}

# configure_and_build DIR [CMAKE ARGS...]
configure_and_build() {
	local dir=$1
	shift
	cmake -S "$top" -B "$dir" -DKRSEQ_WERROR=ON "$@" &&
		cmake --build "$dir" -j "$jobs"
}

# run_ctest LABEL DIR [VAR=VALUE...]: runs the tree's tests with those
# variables set and records the counts from ctest's summary line,
#   "95% tests passed, 1 tests failed out of 20".
# QEMU_CPU is cleared first so only the run that asks for a CPU model gets
# one. A run that prints no summary (no tests, ctest itself failed) counts
# as one failure, as does a non-zero ctest status with no failed test.
run_ctest() {
	local label=$1 dir=$2
	shift 2
	local log=$dir/ctest-$label.log rc summary npass nfail

	banner "$label: ctest"
	env -u QEMU_CPU "$@" ctest --test-dir "$dir" --output-on-failure \
		-j2 --timeout 600 --no-tests=error 2>&1 | tee "$log"
	rc=${PIPESTATUS[0]}

	summary=$(grep -E '^[0-9]+% tests passed, [0-9]+ tests? failed out of [0-9]+' \
		"$log" | tail -n 1)
	if [ -z "$summary" ]; then
		echo "$label: ctest printed no summary (status $rc)"
		record "$label" 0 1
		return
	fi
	nfail=$(sed -E 's/.* ([0-9]+) tests? failed.*/\1/' <<<"$summary")
	npass=$(($(sed -E 's/.* out of ([0-9]+).*/\1/' <<<"$summary") - nfail))
	if [ "$rc" -ne 0 ] && [ "$nfail" -eq 0 ]; then
		echo "$label: ctest exited with status $rc"
		nfail=1
	fi
	record "$label" "$npass" "$nfail"
}

# test_tree DIR [CMAKE ARGS...] -- RUN...: builds DIR, then runs ctest once
# per RUN, each one argument "LABEL[ VAR=VALUE...]". A tree that does not
# build counts one failure for each of its runs.
test_tree() {
	local dir=$1 run
	local -a args=() words
	shift
	while [ "$1" != -- ]; do
		args+=("$1")
		shift
	done
	shift

	banner "$(basename "$dir"): configure and build"
	if ! configure_and_build "$dir" "${args[@]}"; then
		for run in "$@"; do
			read -r -a words <<<"$run"
			echo "${words[0]}: configure or build failed"
			record "${words[0]}" 0 1
		done
		return
	fi
	for run in "$@"; do
		read -r -a words <<<"$run"
		run_ctest "${words[0]}" "$dir" "${words[@]:1}"
	done
}

print_summary() {
	local i tp=0 tf=0

	for i in "${!labels[@]}"; do
		echo "${labels[$i]}: ${passed[$i]} passed, ${failed[$i]} failed"
		tp=$((tp + passed[i]))
		tf=$((tf + failed[i]))
	done
	echo "total: $tp passed, $tf failed"
	[ "$tf" -eq 0 ]
}

main() {
	local ok=1

	cd "$top" || exit 1
	banner "setup"
	if ! bash "$top/scripts/setup.sh"; then
		echo "setup: scripts/setup.sh failed; building anyway"
		setup_failed=1
	fi

	# KRSEQ_SANITIZE is passed empty to the other trees so that a value
	# left in an old cache cannot carry over.
	test_tree "$build/native" -DKRSEQ_SANITIZE= -- native
	# No ASAN_OPTIONS: natively krseq takes SIGALRM, SIGUSR1, SIGUSR2 and
	# SIGTRAP, none of which ASan handles by default, and not SIGSEGV, so
	# the default handle_segv=1 is kept; LeakSanitizer works on these
	# machines (checked) and a leak is worth failing on.
	# UBSan aborts on the first error (-fno-sanitize-recover=all); a stack
	# trace says where.
	test_tree "$build/asan" -DKRSEQ_SANITIZE=address,undefined -- \
		"asan UBSAN_OPTIONS=print_stacktrace=1"
	test_tree "$build/s390x" -DKRSEQ_SANITIZE= \
		-DCMAKE_TOOLCHAIN_FILE="$top/cmake/toolchain-s390x.cmake" -- s390x
	# qemu's default aarch64 CPU has LSE atomics; the Cortex-A57 has not,
	# so the same binaries take the LL/SC paths.
	test_tree "$build/aarch64" -DKRSEQ_SANITIZE= \
		-DCMAKE_TOOLCHAIN_FILE="$top/cmake/toolchain-aarch64.cmake" -- \
		aarch64-lse "aarch64-llsc QEMU_CPU=cortex-a57"

	banner "summary"
	[ "$setup_failed" -eq 0 ] || {
		echo "setup: scripts/setup.sh failed (see above)"
		ok=0
	}
	echo "wall time: $((SECONDS / 60))m $((SECONDS % 60))s"
	print_summary || ok=0
	[ "$ok" -eq 1 ]
}

main "$@"
