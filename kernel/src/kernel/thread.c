#include <kernel/thread.h>
#include <kernel/panic.h>
#include <kernel/vfp.h>
#include <arch/arm/vspace.h>
#include <arch/arm/machine.h>
#include <object/endpoint.h>
#include <object/notification.h>
#include <object/reply.h>
#include <config.h>

tcb_t *cur_thread;
tcb_t *sched_action;
tcb_t idle_thread ALIGN(1024);

/* Ready queues with a two-level bitmap of non-empty priorities. */
static sched_queue_t ready[seL4_NumPriorities];
word_t sched_ready_l1;                          /* bit i: some priority in 32i..32i+31 */
word_t sched_ready_l2[seL4_NumPriorities / 32]; /* bit j of word i: priority 32i+j */

static bool queued(const tcb_t *t)
{
    return t->sched_queued;
}

static void bitmap_set(word_t prio)
{
    sched_ready_l2[prio / 32] |= BIT(prio % 32);
    sched_ready_l1 |= BIT(prio / 32);
}

static void bitmap_clear(word_t prio)
{
    sched_ready_l2[prio / 32] &= ~BIT(prio % 32);
    if (!sched_ready_l2[prio / 32])
        sched_ready_l1 &= ~BIT(prio / 32);
}

static word_t highest_ready_prio(void)
{
    word_t l1 = 31 - __builtin_clz(sched_ready_l1);
    return l1 * 32 + (31 - __builtin_clz(sched_ready_l2[l1]));
}

void sched_enqueue(tcb_t *t)
{
    if (queued(t))
        return;
    t->sched_queued = 1;
    word_t p = t->priority;
    t->sched_prev = NULL;
    t->sched_next = ready[p].head;
    if (ready[p].head)
        ready[p].head->sched_prev = t;
    else
        ready[p].tail = t;
    ready[p].head = t;
    bitmap_set(p);
}

void sched_append(tcb_t *t)
{
    if (queued(t))
        return;
    t->sched_queued = 1;
    word_t p = t->priority;
    t->sched_next = NULL;
    t->sched_prev = ready[p].tail;
    if (ready[p].tail)
        ready[p].tail->sched_next = t;
    else
        ready[p].head = t;
    ready[p].tail = t;
    bitmap_set(p);
}

void sched_dequeue(tcb_t *t)
{
    if (!queued(t))
        return;
    t->sched_queued = 0;
    word_t p = t->priority;
    if (t->sched_prev)
        t->sched_prev->sched_next = t->sched_next;
    else
        ready[p].head = t->sched_next;
    if (t->sched_next)
        t->sched_next->sched_prev = t->sched_prev;
    else
        ready[p].tail = t->sched_prev;
    t->sched_next = t->sched_prev = NULL;
    if (!ready[p].head)
        bitmap_clear(p);
}

void reschedule_required(void)
{
    if (sched_action != SCHED_RESUME_CURRENT && sched_action != SCHED_CHOOSE_NEW)
        sched_enqueue(sched_action);
    sched_action = SCHED_CHOOSE_NEW;
}

void possible_switch_to(tcb_t *t)
{
    if (sched_action != SCHED_RESUME_CURRENT) {
        reschedule_required();
        sched_enqueue(t);
    } else {
        sched_action = t;
    }
}

void set_thread_state(tcb_t *t, thread_state_t s)
{
    t->state = s;
    if (!thread_state_is_runnable(s)) {
        if (t->sched_queued)
            sched_dequeue(t);
        if (t == cur_thread && sched_action == SCHED_RESUME_CURRENT)
            sched_action = SCHED_CHOOSE_NEW;
    }
}

void set_priority(tcb_t *t, word_t prio)
{
    bool was_queued = queued(t);
    sched_dequeue(t);
    t->priority = prio;
    if (thread_is_runnable(t)) {
        if (was_queued)
            sched_enqueue(t);
        if (t == cur_thread || was_queued)
            reschedule_required();
        else
            possible_switch_to(t);
    }
}

void switch_to_thread(tcb_t *t)
{
    if (t == cur_thread) {
        if (t != &idle_thread)
            sched_dequeue(t);
        return;
    }
    if (cur_thread != &idle_thread)
        cur_thread->ctx.regs[TPIDRURW] = read_tpidrurw(); /* user-writable: keep it */
    if (t != &idle_thread) {
        if (cap_get_pptr(t->slots[tcb_vspace_slot].cap) != vspace_active_pd)
            vspace_activate(t);
        write_tpidrurw(t->ctx.regs[TPIDRURW]);
        write_tpidruro(t->ctx.regs[TPIDRURO]);
        vfp_thread_switch(t);
        sched_dequeue(t);
    } else {
        vspace_activate_kernel();
        vfp_thread_switch(NULL);
    }
    cur_thread = t;
}

/* Runs the best ready thread (taken off the head of its queue), or the idle thread. */
static void choose_thread(void)
{
    if (!sched_ready_l1) {
        switch_to_thread(&idle_thread);
        return;
    }
    word_t p = highest_ready_prio();
    tcb_t *t = ready[p].head;
    ready[p].head = t->sched_next;
    if (t->sched_next)
        t->sched_next->sched_prev = NULL;
    else {
        ready[p].tail = NULL;
        bitmap_clear(p);
    }
    t->sched_next = NULL;
    t->sched_queued = 0;
    switch_to_thread(t);
}

/*
 * After a woken thread or a reschedule request: does the running thread simply go on?
 * It does when it is runnable, not already queued (a yield or an expired timeslice
 * queues it at the tail) and nothing ready outranks it. That is exactly when seL4's
 * "enqueue at the head, choose the best" would pick it again, minus the queue traffic.
 */
static bool current_goes_on(bool was_runnable)
{
    return was_runnable && !queued(cur_thread) && !sched_ready_above(cur_thread->priority);
}

static void keep_or_choose(bool was_runnable)
{
    if (current_goes_on(was_runnable))
        return;
    if (was_runnable)
        sched_enqueue(cur_thread);
    choose_thread();
}

void schedule(void)
{
    if (sched_action == SCHED_RESUME_CURRENT)
        return;
    bool was_runnable = cur_thread != &idle_thread && thread_is_runnable(cur_thread);
    if (sched_action == SCHED_CHOOSE_NEW) {
        keep_or_choose(was_runnable);
    } else {
        tcb_t *cand = sched_action;
        /* A woken thread runs at once only if nothing ready outranks it. As in seL4, an
         * outranked one goes to the head of its queue; at equal priority to the thread it
         * interrupts, it waits its turn at the tail. */
        bool outranked = sched_ready_above(cand->priority) ||
                         (was_runnable && cur_thread->priority > cand->priority);
        if (outranked) {
            sched_enqueue(cand);
            keep_or_choose(was_runnable);
        } else if (was_runnable && cur_thread->priority == cand->priority) {
            sched_append(cand);
            keep_or_choose(was_runnable);
        } else {
            if (was_runnable)
                sched_enqueue(cur_thread);
            switch_to_thread(cand);
        }
    }
    sched_action = SCHED_RESUME_CURRENT;
}

/* Does condition `cond` (ARM encoding) hold for the flags in `cpsr`? */
static bool condition_passed(word_t cond, word_t cpsr)
{
    bool n = cpsr & BIT(31), z = cpsr & BIT(30), c = cpsr & BIT(29), v = cpsr & BIT(28);
    bool r;
    switch (cond >> 1) {
    case 0:
        r = z;
        break;
    case 1:
        r = c;
        break;
    case 2:
        r = n;
        break;
    case 3:
        r = v;
        break;
    case 4:
        r = c && !z;
        break;
    case 5:
        r = n == v;
        break;
    case 6:
        r = !z && n == v;
        break;
    default:
        return true; /* AL */
    }
    return (cond & 1) ? !r : r;
}

/*
 * A Thumb svc restarted from inside an IT block. The saved CPSR holds the IT state of the
 * instruction after the svc (the state advanced when the svc completed), but the svc is
 * to run again: step the state back one instruction. Advancing shifted IT[4:0] left and
 * dropped IT[4], the low bit of the svc's own condition; that condition held when the svc
 * ran and the flags are unchanged, so the bit is the one that makes it hold again. When
 * the svc ended its block the state is zero, and running it unconditionally is the same.
 */
static word_t it_state_before(word_t cpsr)
{
    word_t it = ((cpsr >> 25) & 3u) | (((cpsr >> 10) & 0x3fu) << 2);
    if (it == 0)
        return cpsr;
    word_t base = it >> 5; /* firstcond[3:1] */
    word_t low = condition_passed(base << 1, cpsr) ? 0 : 1;
    if (base == 7)
        low = 0; /* AL */
    word_t prev = (it & 0xe0u) | (low << 4) | ((it & 0x1fu) >> 1);
    cpsr &= ~(CPSR_IT_LOW | CPSR_IT_HIGH);
    return cpsr | ((prev & 3u) << 25) | ((prev >> 2) << 10);
}

NORETURN void activate_and_return(void)
{
    tcb_t *t = cur_thread;
    if (t->state == thread_restart) {
        word_t *r = t->ctx.regs;
        /* A 16-bit Thumb svc to run again (syscall restart, or a fault handler that left
         * FaultIP on it): its IT state is one instruction back. */
        if ((r[CPSR] & CPSR_THUMB) && r[NEXT_PC] - r[FAULT_PC] == 2)
            r[CPSR] = it_state_before(r[CPSR]);
        r[NEXT_PC] = r[FAULT_PC];
        t->state = thread_running;
    }
    extern NORETURN void restore_user_context(user_context_t * ctx);
    restore_user_context(&t->ctx);
}

void timer_tick(void)
{
    if (cur_thread == &idle_thread || !thread_is_runnable(cur_thread))
        return;
    if (cur_thread->timeslice > 1) {
        cur_thread->timeslice--;
        return;
    }
    cur_thread->timeslice = CONFIG_TIMESLICE_TICKS;
    sched_append(cur_thread);
    reschedule_required();
}

void thread_yield(void)
{
    /* Alone at its priority with nothing above: the yield changes nothing. */
    if (sched_queue(cur_thread->priority).head == NULL && !queued(cur_thread) &&
        !sched_ready_above(cur_thread->priority))
        return;
    sched_dequeue(cur_thread);
    sched_append(cur_thread);
    reschedule_required();
}

void thread_suspend(tcb_t *t)
{
    switch (t->state) {
    case thread_blocked_on_send:
    case thread_blocked_on_receive:
        endpoint_cancel_ipc(t);
        break;
    case thread_blocked_on_notification:
        notification_cancel_wait(t);
        break;
    case thread_blocked_on_reply:
        reply_cancel_wait(t);
        break;
    default:
        break;
    }
    if (t->state == thread_running || (t == cur_thread && t->state == thread_restart)) {
        /* A running thread (or one suspending itself in an invocation) resumes after the
         * instruction it stopped at, not at the syscall again. */
        t->ctx.regs[FAULT_PC] = t->ctx.regs[NEXT_PC];
    }
    set_thread_state(t, thread_inactive);
}

/* Stopped, in seL4's sense: inactive or blocked in any IPC; Resume restarts such a thread
 * (cancelling its IPC: it runs its syscall again). */
static bool thread_is_stopped(const tcb_t *t)
{
    switch (t->state) {
    case thread_inactive:
    case thread_blocked_on_receive:
    case thread_blocked_on_send:
    case thread_blocked_on_notification:
    case thread_blocked_on_reply:
        return true;
    default:
        return false;
    }
}

void thread_resume(tcb_t *t)
{
    if (thread_is_stopped(t)) {
        thread_suspend(t);
        set_thread_state(t, thread_restart);
        sched_enqueue(t);
        possible_switch_to(t);
    }
}

void idle_thread_init(void)
{
    extern char idle_thread_loop[];
    idle_thread.ctx.regs[NEXT_PC] = (word_t)idle_thread_loop;
    /* SVC mode, IRQs on, asynchronous aborts and FIQs off. */
    idle_thread.ctx.regs[CPSR] = CPSR_MODE_SVC | CPSR_FIQ_MASK | CPSR_ABT_MASK;
    idle_thread.state = thread_idle;
    idle_thread.priority = 0;
    cur_thread = &idle_thread;
}

sched_queue_t sched_queue(word_t prio)
{
    return ready[prio];
}

bool sched_bitmap_has(word_t prio)
{
    return (sched_ready_l2[prio / 32] & BIT(prio % 32)) && (sched_ready_l1 & BIT(prio / 32));
}
