/*
 * Invariant checks (debug kernels only; see kernel/invariants.h).
 *
 * Scheduler: every thread in a ready queue is runnable, at that queue's priority, linked
 * both ways, and the bitmap marks exactly the non-empty queues; the running thread is in
 * no queue.
 */
#include <kernel/invariants.h>
#include <kernel/thread.h>
#include <kernel/printf.h>

#ifdef CONFIG_DEBUG

static word_t violations;

static void violation(const char *what, const void *where)
{
    violations++;
    kprintf("invariant violated: %s (%p)\n", what, where);
}

static void check_scheduler(void)
{
    for (word_t p = 0; p < seL4_NumPriorities; p++) {
        sched_queue_t q = sched_queue(p);
        if ((q.head != NULL) != sched_bitmap_has(p))
            violation("ready bitmap disagrees with the queue", (void *)p);
        tcb_t *prev = NULL;
        word_t n = 0;
        for (tcb_t *t = q.head; t; t = t->sched_next) {
            if (t->sched_prev != prev)
                violation("ready queue back link", t);
            if (t->priority != p)
                violation("queued at the wrong priority", t);
            if (!thread_is_runnable(t))
                violation("a queued thread is not runnable", t);
            if (t == cur_thread)
                violation("the running thread is queued", t);
            prev = t;
            if (++n > 100000) {
                violation("ready queue does not end", (void *)p);
                break;
            }
        }
        if (q.tail != prev)
            violation("ready queue tail", (void *)p);
    }
}

word_t invariants_check(void)
{
    violations = 0;
    check_scheduler();
    return violations;
}

#else

word_t invariants_check(void)
{
    return 0;
}

#endif
