/*
 * Threads and the scheduler: 256 priorities, strict priority, round robin within a
 * priority on the kernel tick. As in seL4, the running thread is not in a ready queue,
 * and each kernel entry ends in schedule() followed by a return to cur_thread.
 */
#pragma once

#include <types.h>
#include <object/tcb.h>

extern tcb_t *cur_thread;
extern tcb_t idle_thread;

/* What schedule() must do: keep running cur_thread, pick the best ready thread, or switch
 * to a particular thread that was just woken. */
#define SCHED_RESUME_CURRENT ((tcb_t *)0)
#define SCHED_CHOOSE_NEW     ((tcb_t *)1)
extern tcb_t *sched_action;

static inline bool thread_state_is_runnable(word_t s)
{
    return s == thread_running || s == thread_restart;
}
static inline bool thread_is_runnable(const tcb_t *t)
{
    return thread_state_is_runnable(t->state);
}

void sched_enqueue(tcb_t *t); /* at the head of its priority's queue */
void sched_append(tcb_t *t);  /* at the tail */
void sched_dequeue(tcb_t *t);
void reschedule_required(void);
/* A thread became runnable: run it now if it should preempt, else queue it. */
void possible_switch_to(tcb_t *t);
void set_thread_state(tcb_t *t, thread_state_t s);
void set_priority(tcb_t *t, word_t prio);
void schedule(void);
/* Makes `t` the current thread: its VSpace, thread registers and VFP access. The caller
 * has made sure this is what schedule() would choose (the IPC fastpath). */
void switch_to_thread(tcb_t *t);
/* The ready bitmap: bit i of the first level says some priority in 32i..32i+31 is ready;
 * bit j of second-level word i says priority 32i+j is. */
extern word_t sched_ready_l1;
extern word_t sched_ready_l2[seL4_NumPriorities / 32];

/* Is some ready thread of a priority above `prio`? Inline: it is on the IPC fastpath. */
static FORCE_INLINE bool sched_ready_above(word_t prio)
{
    if (!sched_ready_l1)
        return false;
    word_t l1 = 31 - __builtin_clz(sched_ready_l1);
    return l1 * 32 + (31 - __builtin_clz(sched_ready_l2[l1])) > prio;
}
/* Returns to the current thread in user mode (or to the idle loop). */
NORETURN void activate_and_return(void);

void timer_tick(void);
void thread_yield(void);

/* Stops a thread: cancels any IPC it is blocked in and takes it off the ready queues. */
void thread_suspend(tcb_t *t);
/* Restarts a stopped thread (TCB_Resume): inactive or blocked in IPC, as seL4. */
void thread_resume(tcb_t *t);

void idle_thread_init(void);

/* For the invariant checker: one ready queue, and whether the bitmap marks it. */
typedef struct {
    tcb_t *head, *tail;
} sched_queue_t;
sched_queue_t sched_queue(word_t prio);
bool sched_bitmap_has(word_t prio);
