/* The initrd cpio archive, linked into the root server (as in AOS: _cpio_archive). */
    .section .rodata.initrd, "a"
    .balign 16
    .global _cpio_archive
_cpio_archive:
    .incbin INITRD_PATH
    .global _cpio_archive_end
_cpio_archive_end:
