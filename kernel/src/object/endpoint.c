/*
 * Endpoints. A queue of threads that all wait to send or all wait to receive; the first
 * thread of the other kind to arrive takes the head of the queue (FIFO).
 */
#include <object/endpoint.h>
#include <object/notification.h>
#include <object/reply.h>
#include <kernel/thread.h>
#include <kernel/ipc.h>
#include <kernel/panic.h>
#include <sel4/faults.h>

static void ep_append(endpoint_t *ep, tcb_t *t)
{
    t->ep_next = NULL;
    t->ep_prev = ep->tail;
    if (ep->tail)
        ep->tail->ep_next = t;
    else
        ep->head = t;
    ep->tail = t;
}

static void ep_remove(endpoint_t *ep, tcb_t *t)
{
    if (t->ep_prev)
        t->ep_prev->ep_next = t->ep_next;
    else
        ep->head = t->ep_next;
    if (t->ep_next)
        t->ep_next->ep_prev = t->ep_prev;
    else
        ep->tail = t->ep_prev;
    t->ep_next = t->ep_prev = NULL;
    if (!ep->head)
        ep->state = ep_idle;
}

void endpoint_send(tcb_t *t, endpoint_t *ep, word_t badge, bool can_grant, bool can_grant_reply,
                   bool blocking, bool is_call)
{
    if (ep->state != ep_recv) {
        if (blocking) {
            t->blocking_object = ep;
            t->blocking_badge = badge;
            t->blocking_flags = (is_call ? BLOCK_IS_CALL : 0) | (can_grant ? BLOCK_CAN_GRANT : 0) |
                                (can_grant_reply ? BLOCK_CAN_GRANT_REPLY : 0);
            set_thread_state(t, thread_blocked_on_send);
            ep_append(ep, t);
            ep->state = ep_send;
        }
        return;
    }
    tcb_t *dest = ep->head;
    ep_remove(ep, dest);
    ipc_transfer(t, ep, badge, can_grant, dest);
    bool reply_can_grant = dest->blocking_flags & BLOCK_CAN_GRANT;
    set_thread_state(dest, thread_running);
    possible_switch_to(dest);
    if (is_call) {
        if (can_grant || can_grant_reply)
            reply_setup(t, dest, reply_can_grant);
        else
            set_thread_state(t, thread_inactive);
    }
}

void endpoint_receive(tcb_t *t, endpoint_t *ep, bool is_blocking, bool can_grant)
{
    notification_t *bound = t->bound_notification;
    if (bound && ntfn_get_state(bound) == ntfn_active) {
        notification_wait(t, bound, false);
        return;
    }
    if (ep->state != ep_send) {
        if (is_blocking) {
            t->blocking_object = ep;
            t->blocking_flags = can_grant ? BLOCK_CAN_GRANT : 0;
            set_thread_state(t, thread_blocked_on_receive);
            ep_append(ep, t);
            ep->state = ep_recv;
        } else {
            t->ctx.regs[BADGE_REG] = 0;
        }
        return;
    }
    tcb_t *sender = ep->head;
    ep_remove(ep, sender);
    word_t flags = sender->blocking_flags;
    ipc_transfer(sender, ep, sender->blocking_badge, flags & BLOCK_CAN_GRANT, t);
    if (flags & BLOCK_IS_CALL) {
        if (flags & (BLOCK_CAN_GRANT | BLOCK_CAN_GRANT_REPLY))
            reply_setup(sender, t, can_grant);
        else
            set_thread_state(sender, thread_inactive);
    } else {
        set_thread_state(sender, thread_running);
        possible_switch_to(sender);
    }
}

/*
 * A thread blocked sending a fault message that never arrives forgets the fault: when it
 * runs again it re-executes the instruction that faulted, which faults afresh if the
 * cause remains. (Left recorded, the stale fault would turn its next message into a
 * fault message.)
 */
static void forget_fault(tcb_t *t)
{
    t->fault.type = seL4_Fault_NullFault;
}

void endpoint_cancel_ipc(tcb_t *t)
{
    endpoint_t *ep = t->blocking_object;
    ep_remove(ep, t);
    t->blocking_object = NULL;
    forget_fault(t);
    set_thread_state(t, thread_inactive);
}

/* A waiter taken off a dying or cancelled queue (already unlinked) runs its system call,
 * or faulting instruction, again; a fault message it was sending is forgotten. */
static void restart_cancelled(tcb_t *t)
{
    t->blocking_object = NULL;
    forget_fault(t);
    set_thread_state(t, thread_restart);
    sched_enqueue(t);
}

void endpoint_cancel_all(endpoint_t *ep)
{
    tcb_t *t = ep->head;
    ep->head = ep->tail = NULL;
    ep->state = ep_idle;
    /* As seL4: every waiter restarts its system call (or faulting instruction), which now
     * finds the endpoint gone. */
    while (t) {
        tcb_t *next = t->ep_next;
        t->ep_next = t->ep_prev = NULL;
        restart_cancelled(t);
        t = next;
    }
    reschedule_required();
}

void endpoint_cancel_badged_sends(endpoint_t *ep, word_t badge)
{
    if (ep->state != ep_send)
        return;
    tcb_t *t = ep->head;
    while (t) {
        tcb_t *next = t->ep_next;
        if (t->blocking_badge == badge) {
            ep_remove(ep, t);
            restart_cancelled(t);
        }
        t = next;
    }
    reschedule_required();
}
