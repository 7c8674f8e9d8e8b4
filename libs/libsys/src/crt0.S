/*
 * Entry of a native Keel program. A root task starts with r0 = its seL4_BootInfo and
 * nothing else set up: take the program's own stack and call main(bootinfo). A program
 * returning from main ends the test run (test images) or stops its thread.
 */
    .section .text.start, "ax"
    .arm
    .global _start
_start:
    ldr     sp, =__stack_top
    bl      sys_start
1:  b       1b

    .bss
    .align 4
    .space 65536
__stack_top:
