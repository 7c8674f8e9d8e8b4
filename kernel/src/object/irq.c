/*
 * Interrupts for user-level drivers. IRQControl_Get issues one IRQHandler cap per line;
 * the handler's notification (held in a kernel slot per IRQ, so the CDT sees it) is
 * signalled when the line fires, and the line stays masked until IRQHandler_Ack. The
 * kernel tick (EPIT1) and the SGIs/PPIs are never handed out.
 */
#include <object/irq.h>
#include <object/cnode.h>
#include <object/notification.h>
#include <kernel/cspace.h>
#include <kernel/thread.h>
#include <kernel/printf.h>
#include <api/invocation.h>
#include <drivers/irq.h>
#include <drivers/timer.h>
#include <arch/arm/layout.h>
#include <sel4/invocation.h>

typedef enum { irq_inactive = 0, irq_signal, irq_reserved } irq_state_t;

static uint8_t irq_state[NUM_IRQS];
/* The notification cap each IRQ signals. */
static cte_t irq_node[NUM_IRQS] ALIGN(16);

void irq_state_init(void)
{
    for (word_t i = 0; i < IRQ_FIRST_SPI; i++)
        irq_state[i] = irq_reserved;
    irq_state[IRQ_KERNEL_TIMER] = irq_reserved;
}

void irq_handle(word_t irq)
{
    if (irq == IRQ_KERNEL_TIMER) {
        tick_timer_ack();
        timer_tick();
        irq_end(irq);
        return;
    }
    irq_mask(irq);
    if (irq < NUM_IRQS && irq_state[irq] == irq_signal) {
        cap_t c = irq_node[irq].cap;
        if (cap_get_type(c) == cap_notification_cap && (cap_ep_get_rights(c) & CAP_RIGHT_WRITE))
            notification_signal((notification_t *)cap_get_pptr(c), cap_ep_get_badge(c));
    } else {
        debug_printf("irq: unexpected interrupt %u, masked\n", irq);
    }
    irq_end(irq);
}

void irq_handler_clear(word_t irq)
{
    irq_mask(irq);
    irq_state[irq] = irq_inactive;
    cte_delete(&irq_node[irq]);
}

static exception_t issue_handler(invocation_t *inv, word_t irq, word_t index, word_t depth,
                                 word_t root_cap, int trigger)
{
    /* As seL4: any number past the controller's last line is a range error; the lines
     * that exist but are not free (the SGIs and PPIs, the kernel tick, lines already
     * issued) need a revoke first. */
    if (irq > IRQ_MAX)
        return err_range(0, IRQ_MAX, ERRMSG("no such interrupt line"));
    if (irq_state[irq] != irq_inactive)
        return syscall_error(seL4_RevokeFirst,
                             ERRMSG("the IRQ is taken (issued already, or the kernel's)"));
    lookup_slot_ret_t d =
        lookup_slot_for_cnode_op(false, inv_extra_cap(inv, root_cap), index, depth);
    if (d.status != EXCEPTION_NONE)
        return d.status;
    exception_t st = ensure_empty_slot(d.slot);
    if (st != EXCEPTION_NONE)
        return st;
    if (trigger >= 0)
        irq_set_trigger(irq, trigger != 0);
    cte_insert(cap_irq_handler_cap_new(irq), inv->slot, d.slot);
    irq_state[irq] = irq_signal;
    irq_unmask(irq);
    return EXCEPTION_NONE;
}

exception_t decode_irq_control_invocation(invocation_t *inv)
{
    if (inv->label == IRQIssueIRQHandler) {
        if (inv->length < IRQIssueIRQHandler_Length || inv->n_extra < IRQIssueIRQHandler_ExtraCaps)
            return syscall_error(seL4_TruncatedMessage, ERRMSG("too few arguments or caps"));
        return issue_handler(
            inv, inv_arg(inv, IRQIssueIRQHandler_irq), inv_arg(inv, IRQIssueIRQHandler_index),
            inv_arg(inv, IRQIssueIRQHandler_depth), IRQIssueIRQHandler_rootCap, -1);
    }
    if (inv->label == ARMIRQIssueIRQHandlerTrigger) {
        if (inv->length < ARMIRQIssueIRQHandlerTrigger_Length ||
            inv->n_extra < ARMIRQIssueIRQHandlerTrigger_ExtraCaps)
            return syscall_error(seL4_TruncatedMessage, ERRMSG("too few arguments or caps"));
        return issue_handler(inv, inv_arg(inv, ARMIRQIssueIRQHandlerTrigger_irq),
                             inv_arg(inv, ARMIRQIssueIRQHandlerTrigger_index),
                             inv_arg(inv, ARMIRQIssueIRQHandlerTrigger_depth),
                             ARMIRQIssueIRQHandlerTrigger_rootCap,
                             inv_arg(inv, ARMIRQIssueIRQHandlerTrigger_trigger) != 0);
    }
    return syscall_error(seL4_IllegalOperation, ERRMSG("not an IRQControl operation"));
}

exception_t decode_irq_handler_invocation(invocation_t *inv)
{
    word_t irq = cap_irq_handler_get_irq(inv->cap);
    switch (inv->label) {
    case IRQAckIRQ:
        irq_unmask(irq);
        return EXCEPTION_NONE;
    case IRQSetIRQHandler: {
        if (inv->n_extra < IRQSetIRQHandler_ExtraCaps)
            return syscall_error(seL4_TruncatedMessage, ERRMSG("SetNotification takes a cap"));
        cte_t *src = inv->extra[IRQSetIRQHandler_notificationCap];
        cap_t c = src->cap;
        if (cap_get_type(c) != cap_notification_cap || !(cap_ep_get_rights(c) & CAP_RIGHT_WRITE))
            return err_invalid_capability(0, ERRMSG("needs a notification cap with write right"));
        cte_delete(&irq_node[irq]);
        cte_insert(c, src, &irq_node[irq]);
        return EXCEPTION_NONE;
    }
    case IRQClearIRQHandler:
        cte_delete(&irq_node[irq]);
        return EXCEPTION_NONE;
    default:
        return syscall_error(seL4_IllegalOperation, ERRMSG("not an IRQHandler operation"));
    }
}

cte_t *irq_notification_slots(word_t *count)
{
    *count = NUM_IRQS;
    return irq_node;
}
