/* The project's initrd (the root server's cpio archive of the user programs), linked in. */
    .section .rodata.initrd, "a"
    .balign 16
    .global _cpio_archive
_cpio_archive:
    .incbin INITRD_PATH
    .global _cpio_archive_end
_cpio_archive_end:
