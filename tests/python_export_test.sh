#!/usr/bin/env bash
# python_export_test.sh: `tsr --python FILE.tsr` prints a Python program that
# runs unchanged under PyTorch: for a few golden cases, the exported file
# run by the oracle's Python (/usr/bin/python3 with torch) must print the
# case's .out byte for byte (and fail with its .err class, if any).
#   tests/python_export_test.sh [path/to/tsr]       (default build/tsr)
# Skips (status 0) when that Python has no torch. Closes with `N passed, N failed`.
set -u
TSR=${1:-build/tsr}
PY=${TORCH_ORACLE_PYTHON:-/usr/bin/python3}
cd "$(dirname "$0")/.." || exit 1
if ! "$PY" -c 'import torch' >/dev/null 2>&1; then
    echo "SKIP: $PY has no torch"
    echo "0 passed, 0 failed, 1 skipped"
    exit 0
fi
cases="
tests/golden/creation/arange_forms.tsr
tests/golden/shape/cat_forms.tsr
tests/golden/shape/error_cat_shapes.tsr
tests/golden/autograd/backward_function.tsr
tests/golden/nn/activations.tsr
tests/golden/data/datasets.tsr
tests/golden/lang/closures_nested.tsr
tests/golden/lang/classes_protocols.tsr
tests/golden/tsr/python_export_stub.tsr
"
work=$(mktemp -d "${TMPDIR:-/tmp}/tsr-pyexport.XXXXXX")
trap 'rm -rf "$work"' EXIT
passed=0
failed=0
for c in $cases; do
    if [ ! -f "$c" ]; then
        echo "FAIL $c: no such case"
        failed=$((failed + 1))
        continue
    fi
    stem=${c%.tsr}
    py="$work/$(basename "$stem").py"
    "$TSR" --python "$c" > "$py" 2>"$work/err"
    got=$(cd "$(dirname "$c")" && "$PY" "$py" 2>"$work/pyerr"; echo "status $?")
    want=$(cat "$stem.out"; [ -f "$stem.err" ] && echo "status 1" || echo "status 0")
    if [ "$got" = "$want" ]; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "FAIL $c: the exported program prints otherwise under PyTorch"
        diff <(echo "$want") <(echo "$got") | head -10 | sed 's/^/    | /'
        tail -3 "$work/pyerr" | sed 's/^/    | /'
    fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
