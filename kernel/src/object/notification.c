/*
 * Notifications. Signal ORs a badge into the word and wakes one waiter; Wait takes the
 * word (clearing it) or blocks; Poll takes it without blocking. A notification bound to a
 * TCB also wakes that thread out of seL4_Recv on an endpoint.
 */
#include <object/notification.h>
#include <object/endpoint.h>
#include <kernel/thread.h>
#include <kernel/ipc.h>
#include <sel4/constants.h>

static void ntfn_append(notification_t *n, tcb_t *t)
{
    tcb_t *head = ntfn_get_head(n);
    t->ep_next = NULL;
    t->ep_prev = n->tail;
    if (n->tail)
        n->tail->ep_next = t;
    else
        head = t;
    n->tail = t;
    ntfn_set(n, head, ntfn_waiting);
}

static void ntfn_remove(notification_t *n, tcb_t *t)
{
    tcb_t *head = ntfn_get_head(n);
    if (t->ep_prev)
        t->ep_prev->ep_next = t->ep_next;
    else
        head = t->ep_next;
    if (t->ep_next)
        t->ep_next->ep_prev = t->ep_prev;
    else
        n->tail = t->ep_prev;
    t->ep_next = t->ep_prev = NULL;
    ntfn_set(n, head, head ? ntfn_waiting : ntfn_idle);
}

/* Delivers `word` to `t` as the result of its Wait, Poll or Recv. */
static void deliver(tcb_t *t, word_t word)
{
    t->ctx.regs[BADGE_REG] = word;
    t->ctx.regs[MSG_INFO_REG] =
        seL4_MessageInfo_new(seL4_NotificationSignalLabel, 0, 0, 0).words[0];
}

void notification_signal(notification_t *n, word_t badge)
{
    switch (ntfn_get_state(n)) {
    case ntfn_idle: {
        tcb_t *bound = n->bound_tcb;
        if (bound && bound->state == thread_blocked_on_receive) {
            endpoint_cancel_ipc(bound);
            deliver(bound, badge);
            set_thread_state(bound, thread_running);
            possible_switch_to(bound);
        } else {
            n->word = badge;
            ntfn_set(n, NULL, ntfn_active);
        }
        break;
    }
    case ntfn_waiting: {
        tcb_t *dest = ntfn_get_head(n);
        ntfn_remove(n, dest);
        dest->blocking_object = NULL;
        deliver(dest, badge);
        set_thread_state(dest, thread_running);
        possible_switch_to(dest);
        break;
    }
    case ntfn_active:
        n->word |= badge;
        break;
    }
}

void notification_wait(tcb_t *t, notification_t *n, bool is_blocking)
{
    if (ntfn_get_state(n) == ntfn_active) {
        deliver(t, n->word);
        n->word = 0;
        ntfn_set(n, NULL, ntfn_idle);
        return;
    }
    if (!is_blocking) {
        t->ctx.regs[BADGE_REG] = 0;
        return;
    }
    t->blocking_object = n;
    set_thread_state(t, thread_blocked_on_notification);
    ntfn_append(n, t);
}

void notification_cancel_wait(tcb_t *t)
{
    ntfn_remove(t->blocking_object, t);
    t->blocking_object = NULL;
    set_thread_state(t, thread_inactive);
}

void notification_cancel_all(notification_t *n)
{
    if (ntfn_get_state(n) != ntfn_waiting)
        return;
    tcb_t *t = ntfn_get_head(n);
    ntfn_set(n, NULL, ntfn_idle);
    n->tail = NULL;
    while (t) {
        tcb_t *next = t->ep_next;
        t->ep_next = t->ep_prev = NULL;
        t->blocking_object = NULL;
        set_thread_state(t, thread_restart);
        sched_enqueue(t);
        t = next;
    }
    reschedule_required();
}

void notification_bind(notification_t *n, tcb_t *t)
{
    n->bound_tcb = t;
    t->bound_notification = n;
}

void notification_unbind(tcb_t *t)
{
    notification_t *n = t->bound_notification;
    if (n) {
        n->bound_tcb = NULL;
        t->bound_notification = NULL;
    }
}
