/*
 * The kernel tick: EPIT1 in set-and-forget mode at 66 MHz. EPIT (not the A9 private
 * timer) because under QEMU icount the private timer runs at half speed while the CPU
 * sleeps in WFI, and the tick must be exact.
 */
#include <drivers/timer.h>
#include <arch/arm/layout.h>

#define EPIT_CR       0x00
#define EPIT_SR       0x04
#define EPIT_LR       0x08
#define EPIT_CMPR     0x0C
#define CR_EN         (1u << 0)
#define CR_ENMOD      (1u << 1)
#define CR_OCIEN      (1u << 2)
#define CR_RLD        (1u << 3)
#define CR_IOVW       (1u << 17)
#define CR_CLKSRC_IPG (1u << 24)

static inline volatile uint32_t *epit(word_t off)
{
    return (volatile uint32_t *)(KDEV(PHYS_EPIT1) + off);
}

void tick_timer_init(word_t period_us)
{
    *epit(EPIT_CR) = 0;
    *epit(EPIT_CR) = CR_CLKSRC_IPG | CR_IOVW | CR_RLD | CR_OCIEN | CR_ENMOD;
    *epit(EPIT_LR) = (EPIT_CLOCK_HZ / 1000000u) * period_us - 1u;
    *epit(EPIT_CMPR) = 0;
    *epit(EPIT_SR) = 1;
    *epit(EPIT_CR) |= CR_EN;
}

void tick_timer_ack(void)
{
    *epit(EPIT_SR) = 1;
}
