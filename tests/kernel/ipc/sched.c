/*
 * Scheduling: 256 strict priorities, round robin within a priority on the kernel tick,
 * seL4_Yield, preemption when a higher-priority thread becomes runnable (Resume, IPC,
 * signal, SetPriority), and the order of threads woken at the same priority.
 */
#include "ipc.h"

static volatile seL4_CPtr s_tcb[4], s_ntfn, s_ep;
static volatile seL4_Word s_flag, s_count[2], s_seen;

static void reset(void)
{
    log_reset();
    s_flag = s_seen = 0;
    s_count[0] = s_count[1] = 0;
}

/* Logs 0x10, resumes s_tcb[0], logs 0x11. */
static void resume_other(seL4_Word arg)
{
    (void)arg;
    log_event(0x10);
    seL4_TCB_Resume(s_tcb[0]);
    log_event(0x11);
}

static void log_arg(seL4_Word arg)
{
    log_event(arg);
}

/* Runs `runner` (which resumes a thread at `other_prio` logging 0x20) at `runner_prio`. */
static void resume_scenario(seL4_Word runner_prio, seL4_Word other_prio)
{
    reset();
    ktest_thread_t other, runner;
    ktest_thread_create(&other, log_arg, 0x20, other_prio, 0);
    s_tcb[0] = other.tcb;
    spawn(&runner, resume_other, 0, runner_prio, 0);
    settle();
}

KTEST(sched_preempt_on_resume, "SCHED0001",
      "resuming a higher-priority thread switches to it at once")
{
    resume_scenario(50, 100);
    KREQUIRE_EQ(log_count(), 3);
    KCHECK_EQ(log_at(0), 0x10);
    KCHECK_EQ(log_at(1), 0x20);
    KCHECK_EQ(log_at(2), 0x11);
}

KTEST(sched_no_preempt_lower, "SCHED0002",
      "resuming a lower-priority thread does not: it runs when the resumer blocks")
{
    resume_scenario(100, 50);
    KREQUIRE_EQ(log_count(), 3);
    KCHECK_EQ(log_at(0), 0x10);
    KCHECK_EQ(log_at(1), 0x11);
    KCHECK_EQ(log_at(2), 0x20);
}

KTEST(sched_no_preempt_equal, "SCHED0003",
      "resuming a thread of equal priority does not preempt the resumer either")
{
    resume_scenario(100, 100);
    KREQUIRE_EQ(log_count(), 3);
    KCHECK_EQ(log_at(0), 0x10);
    KCHECK_EQ(log_at(1), 0x11);
    KCHECK_EQ(log_at(2), 0x20);
}

/* Logs its priority; the last (priority 0) wakes the test task. */
static void log_prio(seL4_Word prio)
{
    log_event(prio);
    if (prio == 0)
        seL4_Signal(s_ntfn);
}

KTEST(sched_priority_order, "SCHED0004",
      "ready threads run strictly by priority across the whole 0..255 range")
{
    reset();
    s_ntfn = ktest_object(seL4_NotificationObject, 0);
    static const seL4_Word prios[] = {33, 0, 254, 31, 128, 1, 64, 200, 32, 127, 63, 96};
    static const seL4_Word sorted[] = {254, 200, 128, 127, 96, 64, 63, 33, 32, 31, 1, 0};
    ktest_thread_t t[N_ELEMS(prios)];
    for (unsigned i = 0; i < N_ELEMS(prios); i++)
        spawn(&t[i], log_prio, prios[i], prios[i], 0);
    KCHECK_EQ(log_count(), 0); /* none outranks the test task */
    seL4_Wait(s_ntfn, NULL);
    KREQUIRE_EQ(log_count(), (int)N_ELEMS(sorted));
    for (unsigned i = 0; i < N_ELEMS(sorted); i++)
        KCHECK_EQ(log_at(i), sorted[i]);
}

#define SPIN_LIMIT 200000000u

/* Round-robin partners: 0 spins until 1 has run, 1 spins until 0 has seen it run. */
static void rr_spinner(seL4_Word idx)
{
    if (idx == 0) {
        while (!(s_seen & 2) && s_count[0] < SPIN_LIMIT)
            s_count[0]++;
        s_seen |= 4; /* 0 saw 1 run */
    } else {
        s_seen |= 2;
        while (!(s_seen & 4) && s_count[1] < SPIN_LIMIT)
            s_count[1]++;
    }
    seL4_Signal(s_ntfn);
}

KTEST(sched_round_robin, "SCHED0005",
      "two spinning threads of equal priority take turns on the timeslice")
{
    reset();
    seL4_CPtr n = ktest_object(seL4_NotificationObject, 0);
    s_ntfn = n;
    ktest_thread_t a, b;
    spawn(&b, rr_spinner, 1, 100, 0);
    spawn(&a, rr_spinner, 0, 100, 0); /* resumed last: at the head, runs first */
    seL4_Wait(n, NULL);
    settle();
    KCHECK_EQ(s_seen, 6);
    KCHECK(s_count[0] > 0 && s_count[0] < SPIN_LIMIT);
    KCHECK(s_count[1] > 0 && s_count[1] < SPIN_LIMIT);
    printf("  spins before each preemption: %u, %u\n", s_count[0], s_count[1]);
}

/* Logs 0x30, resumes s_tcb[0] (equal priority), logs 0x31, yields, logs 0x32. */
static void yielder(seL4_Word arg)
{
    (void)arg;
    log_event(0x30);
    seL4_TCB_Resume(s_tcb[0]);
    log_event(0x31);
    seL4_Yield();
    log_event(0x32);
}

KTEST(sched_yield_equal, "SCHED0006", "Yield lets a ready thread of the same priority run first")
{
    reset();
    ktest_thread_t other, y;
    ktest_thread_create(&other, log_arg, 0x40, 100, 0);
    s_tcb[0] = other.tcb;
    spawn(&y, yielder, 0, 100, 0);
    settle();
    KREQUIRE_EQ(log_count(), 4);
    KCHECK_EQ(log_at(0), 0x30);
    KCHECK_EQ(log_at(1), 0x31);
    KCHECK_EQ(log_at(2), 0x40);
    KCHECK_EQ(log_at(3), 0x32);
}

KTEST(sched_yield_alone, "SCHED0007",
      "Yield with no other thread at its priority returns at once; lower ones still wait")
{
    reset();
    ktest_thread_t low;
    spawn(&low, log_arg, 0x50, 200, 0);
    seL4_Yield();
    seL4_Yield();
    KCHECK_EQ(log_count(), 0);
    /* A thread of the test task's own priority does get the CPU on Yield. */
    ktest_thread_t peer;
    spawn(&peer, log_arg, 0x51, PRIO_MAIN, 0);
    KCHECK_EQ(log_count(), 0);
    seL4_Yield();
    KREQUIRE_EQ(log_count(), 1);
    KCHECK_EQ(log_at(0), 0x51);
    settle();
    KCHECK_EQ(log_count(), 2);
}

/* The starvation scenario: a spinner and a signaller share priority 10; a waiter at
 * priority 100 must run as soon as it is signalled. */
static void starving_spinner(seL4_Word arg)
{
    (void)arg;
    s_seen |= 1;
    while (!s_flag && s_count[0] < SPIN_LIMIT)
        s_count[0]++;
}

static void late_signaller(seL4_Word arg)
{
    (void)arg;
    while (!(s_seen & 1) && s_count[1] < SPIN_LIMIT)
        s_count[1]++;
    log_event(0x60);
    seL4_Signal(s_ntfn);
    log_event(0x61);
}

static void high_waiter(seL4_Word done_ntfn)
{
    seL4_Wait(s_ntfn, NULL);
    log_event(0x70);
    s_flag = 1;
    seL4_Signal(done_ntfn);
}

KTEST(sched_no_starvation, "SCHED0008",
      "a low-priority spinning thread cannot starve a high-priority one: a signal runs it at "
      "once")
{
    reset();
    s_ntfn = ktest_object(seL4_NotificationObject, 0);
    seL4_CPtr done = ktest_object(seL4_NotificationObject, 0);
    ktest_thread_t h, l, s;
    spawn(&h, high_waiter, done, 100, 0);
    settle();
    spawn(&s, late_signaller, 0, 10, 0);
    spawn(&l, starving_spinner, 0, 10, 0);
    seL4_Wait(done, NULL);
    settle();
    KREQUIRE_EQ(log_count(), 3);
    KCHECK_EQ(log_at(0), 0x60);
    KCHECK_EQ(log_at(1), 0x70); /* before the signaller's next instruction */
    KCHECK_EQ(log_at(2), 0x61);
    KCHECK(s_count[0] > 0 && s_count[0] < SPIN_LIMIT);
}

/* Logs 0x80, raises s_tcb[0] to 60, logs 0x81. */
static void raiser(seL4_Word arg)
{
    (void)arg;
    log_event(0x80);
    seL4_TCB_SetPriority(s_tcb[0], seL4_CapInitThreadTCB, 60);
    log_event(0x81);
}

KTEST(sched_set_priority_preempts, "SCHED0009",
      "raising a ready thread above the running one switches to it at once")
{
    reset();
    ktest_thread_t r, l;
    ktest_thread_create(&r, log_arg, 0x90, 40, 0);
    s_tcb[0] = r.tcb;
    ktest_thread_start(&r);
    spawn(&l, raiser, 0, 50, 0);
    settle();
    KREQUIRE_EQ(log_count(), 3);
    KCHECK_EQ(log_at(0), 0x80);
    KCHECK_EQ(log_at(1), 0x90);
    KCHECK_EQ(log_at(2), 0x81);
}

/* Logs 0xa0, drops its own priority to 30, logs 0xa1. */
static void lowerer(seL4_Word arg)
{
    (void)arg;
    log_event(0xa0);
    seL4_TCB_SetPriority(s_tcb[1], seL4_CapInitThreadTCB, 30);
    log_event(0xa1);
}

KTEST(sched_lower_self, "SCHED0010",
      "a thread lowering its own priority below a ready thread gives it the CPU at once")
{
    reset();
    ktest_thread_t r, l;
    spawn(&r, log_arg, 0xb0, 40, 0);
    ktest_thread_create(&l, lowerer, 0, 60, 0);
    s_tcb[1] = l.tcb;
    ktest_thread_start(&l);
    settle();
    KREQUIRE_EQ(log_count(), 3);
    KCHECK_EQ(log_at(0), 0xa0);
    KCHECK_EQ(log_at(1), 0xb0);
    KCHECK_EQ(log_at(2), 0xa1);
}

KTEST(sched_mcp, "SCHED0011",
      "priorities are bounded by the authority's MCP: above it is a RangeError (0..MCP)")
{
    ktest_thread_t auth, target;
    ktest_thread_create(&auth, log_arg, 0, 10, 0);
    ktest_thread_create(&target, log_arg, 0, 10, 0);
    KREQUIRE_EQ(seL4_TCB_SetMCPriority(auth.tcb, seL4_CapInitThreadTCB, 100), seL4_NoError);
    KCHECK_EQ(seL4_TCB_SetPriority(target.tcb, auth.tcb, 101), seL4_RangeError);
    ktest_error_t e = last_error();
    KCHECK_EQ(e.range_min, 0);
    KCHECK_EQ(e.range_max, 100);
    KCHECK_EQ(seL4_TCB_SetPriority(target.tcb, auth.tcb, 100), seL4_NoError);
    KCHECK_EQ(seL4_TCB_SetMCPriority(target.tcb, auth.tcb, 101), seL4_RangeError);
    KCHECK_EQ(seL4_TCB_SetMCPriority(target.tcb, auth.tcb, 100), seL4_NoError);
    KCHECK_EQ(seL4_TCB_SetPriority(target.tcb, seL4_CapInitThreadTCB, 256), seL4_RangeError);
    e = last_error();
    KCHECK_EQ(e.range_max, 255);
    KCHECK_EQ(seL4_TCB_SetPriority(target.tcb, seL4_CapInitThreadTCB, 255), seL4_NoError);
    KCHECK_EQ(seL4_TCB_SetPriority(target.tcb, seL4_CapInitThreadTCB, 0), seL4_NoError);
}

/* Logs 0xc0, sends to s_ep, logs 0xc1. */
static void ipc_sender(seL4_Word arg)
{
    (void)arg;
    log_event(0xc0);
    seL4_Send(s_ep, seL4_MessageInfo_new(0, 0, 0, 0));
    log_event(0xc1);
}

static void ipc_receiver(seL4_Word arg)
{
    seL4_Recv(s_ep, NULL);
    log_event(arg);
}

KTEST(sched_ipc_switch, "SCHED0012",
      "a message to a waiting higher-priority thread switches to it; to an equal-priority one "
      "it does not")
{
    s_ep = ktest_object(seL4_EndpointObject, 0);
    static const seL4_Word recv_prio[] = {100, 50};
    for (unsigned k = 0; k < N_ELEMS(recv_prio); k++) {
        reset();
        ktest_thread_t r, s;
        spawn(&r, ipc_receiver, 0xd0, recv_prio[k], 0);
        settle();
        spawn(&s, ipc_sender, 0, 50, 0);
        settle();
        KREQUIRE_EQ(log_count(), 3);
        KCHECK_EQ(log_at(0), 0xc0);
        KCHECK_EQ(log_at(1), k == 0 ? 0xd0 : 0xc1);
        KCHECK_EQ(log_at(2), k == 0 ? 0xc1 : 0xd0);
    }
}

/* Waits on notification `n`, then logs its index. */
static volatile seL4_CPtr s_waitn[3];
static void indexed_waiter(seL4_Word idx)
{
    seL4_Wait(s_waitn[idx], NULL);
    log_event(idx);
}

KTEST(sched_woken_order, "SCHED0013",
      "threads woken by a higher-priority thread go to the head of their ready queue (seL4): "
      "the last woken runs first")
{
    reset();
    ktest_thread_t w[3];
    for (int i = 0; i < 3; i++) {
        s_waitn[i] = ktest_object(seL4_NotificationObject, 0);
        spawn(&w[i], indexed_waiter, i, 100, 0);
    }
    settle();
    KCHECK_EQ(log_count(), 0);
    for (int i = 0; i < 3; i++)
        seL4_Signal(s_waitn[i]);
    settle();
    KREQUIRE_EQ(log_count(), 3);
    KCHECK_EQ(log_at(0), 2);
    KCHECK_EQ(log_at(1), 1);
    KCHECK_EQ(log_at(2), 0);
}

KTEST(sched_blocked_priority_change, "SCHED0014",
      "a blocked thread given a new priority runs at it when woken")
{
    reset();
    s_ep = ktest_object(seL4_EndpointObject, 0);
    ktest_thread_t r, s;
    spawn(&r, ipc_receiver, 0xe0, 40, 0);
    settle();
    KCHECK_EQ(seL4_TCB_SetPriority(r.tcb, seL4_CapInitThreadTCB, 100), seL4_NoError);
    settle();
    KCHECK_EQ(log_count(), 0); /* still blocked */
    spawn(&s, ipc_sender, 0, 50, 0);
    settle();
    KREQUIRE_EQ(log_count(), 3);
    KCHECK_EQ(log_at(1), 0xe0); /* it now outranks the sender */
}
