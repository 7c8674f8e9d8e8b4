/*
 * i.MX6 Quad (Sabre Lite) memory map and the devices the kernel drives, as the kernel
 * sees them. Physical addresses come from the i.MX6 reference manual and were checked on
 * QEMU 7.2 -M sabrelite (shared/docs/PLATFORM.md).
 */
#pragma once

#define PHYS_RAM_BASE    0x10000000u
#define PHYS_RAM_MAX_END 0xF0000000u /* QEMU accepts up to 3840 MiB */

/* Private peripheral region (SCU, GIC, A9 timers), one 1 MiB section. */
#define PHYS_ARM_PERIPH   0x00A00000u
#define ARM_PERIPH_SCU    0x0000u
#define ARM_PERIPH_GICC   0x0100u
#define ARM_PERIPH_GTIMER 0x0200u
#define ARM_PERIPH_GICD   0x1000u

/* AIPS-1 (0x02000000-0x020FFFFF) and AIPS-2 (0x02100000-0x021FFFFF) peripheral buses. */
#define PHYS_AIPS1 0x02000000u
#define PHYS_AIPS2 0x02100000u
#define PHYS_UART1 0x02020000u
#define PHYS_UART2 0x021E8000u
#define PHYS_EPIT1 0x020D0000u
#define PHYS_EPIT2 0x020D4000u
#define PHYS_GPT   0x02098000u

/* The console is UART2, as on the real board (QEMU: -serial null -serial mon:stdio). */
#define PHYS_CONSOLE_UART PHYS_UART2

/* GIC interrupt IDs (SPI = 32 + i.MX IRQ number). */
#define IRQ_GLOBAL_TIMER 27
#define IRQ_UART1        58
#define IRQ_UART2        59
#define IRQ_GPT          87
#define IRQ_EPIT1        88
#define IRQ_EPIT2        89
#define IRQ_KERNEL_TIMER IRQ_EPIT1
#define NUM_IRQS         160
#define IRQ_MAX          (NUM_IRQS - 1)
#define IRQ_FIRST_SPI    32

/* EPIT and GPT clock (ipg_clk) as modelled: 66 MHz. */
#define EPIT_CLOCK_HZ   66000000u
#define GLOBAL_TIMER_HZ 100000000u
