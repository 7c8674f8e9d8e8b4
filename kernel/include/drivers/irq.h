/* The interrupt controller (ARM GIC, Cortex-A9 MPCore). */
#pragma once

#include <types.h>

#define IRQ_NONE 1023u

void irq_controller_init(void);
/* The pending interrupt's ID, or IRQ_NONE. Acknowledges it at the controller. */
word_t irq_get_active(void);
/* Signals end of interrupt for an ID returned by irq_get_active. */
void irq_end(word_t irq);
void irq_mask(word_t irq);
void irq_unmask(word_t irq);
/* Sets level (0) or edge (1) triggering for an SPI. */
void irq_set_trigger(word_t irq, bool edge);
