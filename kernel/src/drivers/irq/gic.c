/*
 * ARM GIC (PL390-style, as in the Cortex-A9 MPCore). The kernel runs in the Secure world
 * with every interrupt in Group 0, so all arrive as IRQs. Only CPU 0 is used.
 */
#include <drivers/irq.h>
#include <arch/arm/layout.h>

#define GICD_CTLR       0x000
#define GICD_ISENABLER  0x100
#define GICD_ICENABLER  0x180
#define GICD_ICPENDR    0x280
#define GICD_IPRIORITYR 0x400
#define GICD_ITARGETSR  0x800
#define GICD_ICFGR      0xC00
#define GICC_CTLR       0x00
#define GICC_PMR        0x04
#define GICC_IAR        0x0C
#define GICC_EOIR       0x10

static inline volatile uint32_t *gicd(word_t off)
{
    return (volatile uint32_t *)(KDEV_ARM_PERIPH + ARM_PERIPH_GICD + off);
}
static inline volatile uint32_t *gicc(word_t off)
{
    return (volatile uint32_t *)(KDEV_ARM_PERIPH + ARM_PERIPH_GICC + off);
}

void irq_controller_init(void)
{
    *gicd(GICD_CTLR) = 0;
    for (word_t i = 0; i < NUM_IRQS / 32; i++) {
        *gicd(GICD_ICENABLER + 4 * i) = 0xffffffffu;
        *gicd(GICD_ICPENDR + 4 * i) = 0xffffffffu;
    }
    for (word_t i = 0; i < NUM_IRQS / 4; i++)
        *gicd(GICD_IPRIORITYR + 4 * i) = 0xa0a0a0a0u;
    for (word_t i = IRQ_FIRST_SPI / 4; i < NUM_IRQS / 4; i++)
        *gicd(GICD_ITARGETSR + 4 * i) = 0x01010101u;
    *gicd(GICD_CTLR) = 1;
    *gicc(GICC_PMR) = 0xff;
    *gicc(GICC_CTLR) = 1;
}

word_t irq_get_active(void)
{
    return *gicc(GICC_IAR) & 0x3ffu;
}

void irq_end(word_t irq)
{
    *gicc(GICC_EOIR) = irq;
}

void irq_mask(word_t irq)
{
    *gicd(GICD_ICENABLER + 4 * (irq / 32)) = 1u << (irq % 32);
}

void irq_unmask(word_t irq)
{
    *gicd(GICD_ISENABLER + 4 * (irq / 32)) = 1u << (irq % 32);
}

void irq_set_trigger(word_t irq, bool edge)
{
    volatile uint32_t *cfg = gicd(GICD_ICFGR + 4 * (irq / 16));
    word_t shift = 2 * (irq % 16) + 1;
    *cfg = (*cfg & ~(1u << shift)) | ((word_t)edge << shift);
}
