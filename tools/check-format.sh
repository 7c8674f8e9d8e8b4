#!/bin/sh
# check-format.sh: every C source and header in the tree follows .clang-format.
# Prints the files that do not, and fails if there are any.
set -eu
cd "$(dirname "$0")/.."
files=$(git ls-files '*.c' '*.h' 2>/dev/null || find . -name '*.[ch]' -not -path './build*')
bad=0
for f in $files; do
    if ! clang-format --dry-run -Werror "$f" >/dev/null 2>&1; then
        echo "not formatted: $f"
        bad=$((bad + 1))
    fi
done
echo "check-format: $bad of $(echo "$files" | wc -w) files need clang-format"
[ "$bad" -eq 0 ]
