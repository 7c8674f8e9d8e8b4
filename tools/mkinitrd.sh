#!/bin/sh
# mkinitrd.sh OUTPUT FILE...: packs FILEs (by their base names, sorted) into a newc cpio
# archive with GNU cpio, owned by root, so the archive is the same on every machine.
set -eu
out=$1
shift
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
for f in "$@"; do
    cp "$f" "$stage/"
done
(cd "$stage" && ls | LC_ALL=C sort | cpio --quiet -o -H newc -R 0:0) > "$out.tmp"
mv "$out.tmp" "$out"
