/*
 * Kernel entry. The boot loader (QEMU -kernel, or U-Boot bootelf -p) jumps here at the
 * physical address with the MMU and caches off, in Secure SVC mode. This stub, running
 * position-independent at the physical address:
 *   1. zeroes .bss and takes a boot stack,
 *   2. probes the size of RAM,
 *   3. builds the boot page directory: the kernel window, the device sections and an
 *      identity section for the switch-over,
 *   4. turns on the MMU, caches and branch prediction and jumps to the kernel window,
 *   5. calls init_kernel(ram_bytes) in C.
 */
#include <arch/arm/layout.h>
#include <config.h>

#define PHYS(sym) ((sym) - KERNEL_BASE + PHYS_RAM_BASE)

/* Section descriptors. Normal memory: write-back write-allocate, shareable, privileged RW. */
#define SECT_KERNEL_RAM 0x1140E
/* Device memory (shareable device), privileged RW, execute-never. */
#define SECT_KERNEL_DEV 0x00416
#define PROBE_STEP      0x01000000 /* RAM is probed in 16 MiB steps */

    .section .text.boot, "ax"
    .arm
    .global _start
_start:
    cpsid   aif, #0x13              /* SVC mode, interrupts masked */
    /* Start the A9 global timer first, so that boot can be measured from here. */
    ldr     r0, =(PHYS_ARM_PERIPH + 0x208)
    mov     r1, #1
    str     r1, [r0]

    /* Position-independent base: r10 = physical address minus link address. */
    adr     r10, _start
    ldr     r0, =_start
    sub     r10, r10, r0

    /* 1. zero .bss (physical addresses). */
    ldr     r0, =__bss_start
    ldr     r1, =__bss_end
    add     r0, r0, r10
    add     r1, r1, r10
    mov     r2, #0
    mov     r3, #0
    mov     r4, #0
    mov     r5, #0
1:  cmp     r0, r1
    stmlo   r0!, {r2-r5}
    blo     1b
    ldr     sp, =kernel_stack_top
    add     sp, sp, r10

    /*
     * 2. RAM size: write a marker 16 MiB further each step until the write does not stick
     * or shows up at the reference word (address decoding wrapped around). Unbacked
     * addresses read as zero on QEMU; aliasing is what a real board's MMDC does.
     */
    ldr     r0, =probe_ref
    add     r0, r0, r10             /* r0 = physical reference word (zeroed above) */
    ldr     r1, =PROBE_STEP         /* r1 = candidate offset */
    ldr     r6, =(PHYS_RAM_MAX_END - PHYS_RAM_BASE)
2:  cmp     r1, r6
    bhs     3f
    add     r2, r0, r1              /* r2 = probe address */
    ldr     r3, [r2]                /* keep the original contents */
    mvn     r4, r1                  /* a value unique to this step */
    str     r4, [r2]
    dsb
    ldr     r5, [r2]
    ldr     r7, [r0]
    str     r3, [r2]
    cmp     r5, r4
    bne     3f
    cmp     r7, #0                  /* the reference must still read zero */
    bne     3f
    add     r1, r1, #PROBE_STEP
    b       2b
3:  mov     r11, r1                 /* r11 = bytes of RAM from PHYS_RAM_BASE */

    /* 3. boot page directory (kernel_pd) (physical). */
    ldr     r4, =kernel_pd
    add     r4, r4, r10
    /* Kernel window: min(RAM, window) in 1 MiB sections from KERNEL_BASE. */
    ldr     r5, =KERNEL_WINDOW_SIZE
    cmp     r11, r5
    movlo   r5, r11
    ldr     r0, =(PHYS_RAM_BASE | SECT_KERNEL_RAM)
    add     r1, r4, #((KERNEL_BASE >> 20) * 4)
    add     r2, r1, r5, lsr #18     /* end = start + (bytes >> 20) * 4 */
4:  cmp     r1, r2
    strlo   r0, [r1], #4
    addlo   r0, r0, #0x100000
    blo     4b
    /* Identity section for the instructions that turn the MMU on. */
    ldr     r0, =(PHYS_RAM_BASE | SECT_KERNEL_RAM)
    str     r0, [r4, #((PHYS_RAM_BASE >> 20) * 4)]
    /* Devices. */
    ldr     r0, =(PHYS_AIPS2 | SECT_KERNEL_DEV)
    ldr     r1, =((KDEV_AIPS2 >> 20) * 4)
    str     r0, [r4, r1]
    ldr     r0, =(PHYS_AIPS1 | SECT_KERNEL_DEV)
    ldr     r1, =((KDEV_AIPS1 >> 20) * 4)
    str     r0, [r4, r1]
    ldr     r0, =(PHYS_ARM_PERIPH | SECT_KERNEL_DEV)
    ldr     r1, =((KDEV_ARM_PERIPH >> 20) * 4)
    str     r0, [r4, r1]

    /* 4. MMU on. Invalidate TLBs, I-cache and branch predictor first. */
    mov     r0, #0
    mcr     p15, 0, r0, c8, c7, 0   /* TLBIALL */
    mcr     p15, 0, r0, c7, c5, 0   /* ICIALLU */
    mcr     p15, 0, r0, c7, c5, 6   /* BPIALL */
    mcr     p15, 0, r0, c2, c0, 2   /* TTBCR = 0: TTBR0 translates everything */
    orr     r0, r4, #0x4a           /* table walks: inner/outer write-back, shareable */
    mcr     p15, 0, r0, c2, c0, 0   /* TTBR0 */
    ldr     r0, =0x55555555
    mcr     p15, 0, r0, c3, c0, 0   /* DACR: every domain is a client */
    mrc     p15, 0, r0, c1, c0, 1
    orr     r0, r0, #0x41           /* ACTLR.SMP | ACTLR.FW: coherent L1 */
    mcr     p15, 0, r0, c1, c0, 1
    dsb
    isb
    mrc     p15, 0, r0, c1, c0, 0
    ldr     r1, =0x1805             /* M | C | Z | I */
    orr     r0, r0, r1
    bic     r0, r0, #0x2000         /* V off: vectors come from VBAR */
    bic     r0, r0, #0x0002         /* A off: user code may do unaligned accesses */
    mcr     p15, 0, r0, c1, c0, 0
    isb
    ldr     pc, =5f                 /* continue in the kernel window */

5:  /* Small stacks for the abort and undefined modes (kernel-fault reports only). */
    cps     #0x17
    ldr     sp, =exception_stack_top
    cps     #0x1b
    ldr     sp, =exception_stack_top
    cps     #0x13
    ldr     sp, =kernel_stack_top
    mov     r0, r11
    bl      init_kernel
6:  b       6b

    .ltorg

    .bss
    .align 4
probe_ref:
    .word 0
    .align 4
kernel_stack:
    .space (1 << CONFIG_KERNEL_STACK_BITS)
    .global kernel_stack_top
kernel_stack_top:
exception_stack:
    .space 512
    .global exception_stack_top
exception_stack_top:
