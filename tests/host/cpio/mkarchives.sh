#!/bin/sh
# mkarchives.sh OUTDIR: build the GNU cpio test archives for host.cpio.
#
# The tree and its metadata are fixed here and repeated as expectations in test_cpio.c: keep the
# two in step. Entries are listed explicitly so their order is known.
set -eu
out=$1
tree=$out/tree
rm -rf "$tree"
mkdir -p "$tree"
cd "$tree"

long=dir/a_directory_name_long_enough_to_push_the_path_well_past_one_hundred_bytes
mkdir -p "$long/and_one_more_level"
printf 'hello\n' >hello.txt                 # 6 bytes: data needs 2 bytes of padding
: >empty                                    # 0 bytes
printf 'keel' >four.bin                     # 4 bytes: no padding
printf '#!/bin/sh\necho hi\n' >exec.sh      # 18 bytes
printf 'deep file\n' >"$long/and_one_more_level/file_with_a_long_name.txt"
ln -s hello.txt link
chmod 0644 hello.txt empty four.bin "$long/and_one_more_level/file_with_a_long_name.txt"
chmod 0755 exec.sh
chmod 0750 dir "$long" "$long/and_one_more_level"
chmod 0755 .

list="
.
dir
$long
$long/and_one_more_level
$long/and_one_more_level/file_with_a_long_name.txt
empty
exec.sh
four.bin
hello.txt
link
"
# A fixed mtime, set on the symlink itself too, children before parents.
for f in $(printf '%s\n' $list | sort -r); do
    touch -h -d @1500000000 "$f"
done

printf '%s\n' $list | cpio --quiet -o -H newc -R 0:0 --reproducible >"$out/newc.cpio"
printf '%s\n' $list | cpio --quiet -o -H crc -R 0:0 --reproducible >"$out/crc.cpio"
