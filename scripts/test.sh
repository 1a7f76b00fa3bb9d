#!/bin/sh
# test.sh - second command of the README: install, then run every test suite:
#   build/       unit, cases, docs, gen, live (real Samba AD DC and slapd),
#                html (-o html in a real headless Chromium), install
#                (completion, meson install), package (debian/: build, run, lintian)
#   build-asan/  unit and cases again under AddressSanitizer + UBSan
#   build-portable/ unit, cases and gen on the plain twins of the hand-tuned
#                code (-Dfast_paths=false), and with __SSE2__ undefined
#                (the tuned code's own plain C, which other CPUs run, checked
#                against the twins by the unit tests)
#   build-fuzz/  each libFuzzer target for a short smoke run
# Ends with one line "N passed, N failed".
set -u
cd "$(dirname "$0")/.."
ROOT=$(pwd)
SKIP_DEPS=${SPNCTL_SKIP_DEPS:-0}
[ "$SKIP_DEPS" = 1 ] || sh scripts/deps.sh || { echo "dependency install failed"; echo "0 passed, 1 failed"; exit 1; }
export SPNCTL_NO_SKIP=${SPNCTL_NO_SKIP:-1}
FUZZ_SECONDS=${SPNCTL_FUZZ_SECONDS:-20}

status=0
setup() {  # setup DIR [meson options...]
	dir=$1; shift
	if [ ! -f "$dir/build.ninja" ]; then
		meson setup "$dir" "$@" >/dev/null || { echo "meson setup $dir failed"; return 1; }
	elif [ $# -gt 0 ]; then  # a directory from an earlier run: today's options
		# (--reconfigure: an option added since that run is unknown to a
		# plain 'meson configure' of the old directory)
		meson setup --reconfigure "$dir" "$@" >/dev/null ||
			{ echo "meson setup --reconfigure $dir failed"; return 1; }
	fi
	meson compile -C "$dir" >/dev/null || { meson compile -C "$dir"; echo "build $dir failed"; return 1; }
}

run_meson_tests() {  # DIR [meson test args...]
	dir=$1; shift
	meson test -C "$dir" --print-errorlogs "$@" || status=1
}

if setup build; then
	run_meson_tests build
else
	status=1
fi
# -fno-sanitize-recover: any UBSan report fails the test (gcc's UBSan only
# prints and goes on otherwise).
if setup build-asan -Db_sanitize=address,undefined -Db_lundef=false -Darena_debug=true -Dbuildtype=debug \
	-Dc_args=-fno-sanitize-recover=undefined; then
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
		run_meson_tests build-asan --suite unit --suite cases --suite gen
else
	status=1
fi
# The hand-tuned code (lib/base/tuned.h) has plain twins in the library:
# -Dfast_paths=false runs them, and the suites must not see a difference.
# __SSE2__ is undefined too: the *_fast.c files hold SSE2 and plain-C SWAR
# versions, and the SWAR ones (what other CPUs run) are compiled nowhere
# else; the unit tests compare them with the twins here.
if setup build-portable -Dbuildtype=debugoptimized -Dfast_paths=false -Dc_args=-U__SSE2__; then
	run_meson_tests build-portable --suite unit --suite cases --suite gen
else
	status=1
fi
if CC=clang setup build-fuzz -Dfuzz=true -Dtests=true -Dbuildtype=debugoptimized; then
	run_meson_tests build-fuzz --suite fuzz --test-args="-max_total_time=$FUZZ_SECONDS"
else
	status=1
fi

# The count decides too: a test that exits 77 (skip) passes meson, but CI
# forbids skips (SPNCTL_NO_SKIP=1), and count_results then fails the run.
python3 "$ROOT/scripts/count_results.py" build build-asan build-portable build-fuzz || status=1
exit $status
