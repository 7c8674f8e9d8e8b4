#!/bin/sh
# mkarchive.sh OUTPUT MKINITRD: the archive of the cpio lookup benchmark, 100 files file00 ..
# file99 packed in newc format by tools/mkinitrd.sh (GNU cpio); fileNN holds NN + 1 lines
# "fileNN", so the entries differ in size as real programs do.
set -eu
out=$1
mkinitrd=$2
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
i=0
while [ "$i" -lt 100 ]; do
    name=$(printf 'file%02d' "$i")
    j=0
    while [ "$j" -le "$i" ]; do
        echo "$name" >>"$stage/$name"
        j=$((j + 1))
    done
    i=$((i + 1))
done
sh "$mkinitrd" "$out" "$stage"/*
