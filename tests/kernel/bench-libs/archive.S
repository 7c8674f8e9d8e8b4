/* The 100-file newc archive of the cpio lookup benchmark (mkarchive.sh), linked in. */
    .section .rodata.archive, "a"
    .balign 16
    .global bench_archive
bench_archive:
    .incbin ARCHIVE_PATH
    .global bench_archive_end
bench_archive_end:
