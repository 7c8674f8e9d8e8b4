/* IRQ control and IRQ handler caps: interrupts delivered as notification signals. */
#pragma once

#include <types.h>
#include <object/structures.h>
#include <api/errors.h>

struct invocation;
void irq_state_init(void);
/* A device interrupt arrived: signal its notification and leave it masked until Ack. */
void irq_handle(word_t irq);
void irq_handler_clear(word_t irq);
exception_t decode_irq_control_invocation(struct invocation *inv);
exception_t decode_irq_handler_invocation(struct invocation *inv);
/* The kernel's slots holding each line's notification cap (for the invariant checker). */
cte_t *irq_notification_slots(word_t *count);
