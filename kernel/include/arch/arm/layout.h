/*
 * Virtual memory layout (ARMv7 short descriptors, TTBCR.N = 0, one page directory per
 * address space). Everything below KERNEL_BASE belongs to user space; the top 512 MiB is
 * the kernel's, present in every page directory as global section mappings:
 *
 *   0xE0000000 .. 0xFEFFFFFF  kernel window: RAM from PHYS_RAM_BASE, up to 496 MiB, and
 *                              the kernel image at its start
 *   0xFFD00000                 AIPS-2 peripherals (UART2...), device memory
 *   0xFFE00000                 AIPS-1 peripherals (EPIT, GPT, UART1...), device memory
 *   0xFFF00000                 Cortex-A9 private region (GIC, global timer), device memory
 */
#pragma once

#include <plat/imx6/platform.h>

#define KERNEL_BASE        0xE0000000u
#define KERNEL_WINDOW_END  0xFF000000u
#define KERNEL_WINDOW_SIZE (KERNEL_WINDOW_END - KERNEL_BASE)
#define PPTR_OFFSET        (KERNEL_BASE - PHYS_RAM_BASE)

#define KDEV_AIPS2      0xFFD00000u
#define KDEV_AIPS1      0xFFE00000u
#define KDEV_ARM_PERIPH 0xFFF00000u

/* Kernel virtual address of a device register block, by its physical address. */
#define KDEV(paddr)                                                                                \
    ((paddr) >= PHYS_AIPS2   ? KDEV_AIPS2 + ((paddr)-PHYS_AIPS2)                                   \
     : (paddr) >= PHYS_AIPS1 ? KDEV_AIPS1 + ((paddr)-PHYS_AIPS1)                                   \
                             : KDEV_ARM_PERIPH + ((paddr)-PHYS_ARM_PERIPH))

#ifndef __ASSEMBLER__
#include <types.h>

static inline pptr_t ptr_from_paddr(paddr_t p)
{
    return p + PPTR_OFFSET;
}
static inline paddr_t paddr_from_ptr(pptr_t v)
{
    return v - PPTR_OFFSET;
}
/* Is [p, p + size) physical RAM that the kernel window covers? */
static inline bool paddr_in_window(paddr_t p, word_t size)
{
    return p >= PHYS_RAM_BASE && p - PHYS_RAM_BASE <= KERNEL_WINDOW_SIZE &&
           size <= KERNEL_WINDOW_SIZE - (p - PHYS_RAM_BASE);
}
#endif
