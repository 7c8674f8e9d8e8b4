/* The Cortex-A9 global timer: a free-running 64-bit counter at 100 MHz, used for
 * measurements (the PMU cycle counter does not count under QEMU). */
#include <drivers/timer.h>
#include <arch/arm/layout.h>

#define GT_COUNT_LO 0x00
#define GT_COUNT_HI 0x04
#define GT_CONTROL  0x08

static inline volatile uint32_t *gt(word_t off)
{
    return (volatile uint32_t *)(KDEV_ARM_PERIPH + ARM_PERIPH_GTIMER + off);
}

void global_timer_init(void)
{
    *gt(GT_CONTROL) |= 1u; /* enable; prescaler 0 */
}

uint64_t global_timer_read(void)
{
    uint32_t hi, lo;
    do {
        hi = *gt(GT_COUNT_HI);
        lo = *gt(GT_COUNT_LO);
    } while (hi != *gt(GT_COUNT_HI));
    return ((uint64_t)hi << 32) | lo;
}
