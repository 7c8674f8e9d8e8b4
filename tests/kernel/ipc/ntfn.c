/*
 * Notifications: Signal, Wait, Poll; badge words; waiter queues; bound notifications that
 * wake a thread out of seL4_Recv on an endpoint.
 */
#include "ipc.h"

static volatile seL4_CPtr n_cap, n_ep;
static volatile seL4_Word n_done, n_badge, n_info;

static void reset(seL4_CPtr ntfn, seL4_CPtr ep)
{
    n_cap = ntfn;
    n_ep = ep;
    n_done = n_badge = n_info = 0;
    log_reset();
}

/* Waits once on n_cap and logs (arg << 28 | word). */
static void waiter(seL4_Word arg)
{
    seL4_Word w = 0;
    seL4_Wait(n_cap, &w);
    n_badge = w;
    log_event((arg << 28) | w);
    n_done++;
}

KTEST(ntfn_signal_or, "NTFN0001",
      "signals OR their badges into the word (1 | 4 = 5); Wait returns it and clears it")
{
    seL4_CPtr n = ktest_object(seL4_NotificationObject, 0);
    seL4_CPtr b1 = mint(n, seL4_AllRights, 1), b4 = mint(n, seL4_AllRights, 4);
    seL4_Signal(b1);
    seL4_Signal(b4);
    seL4_Signal(b1);
    seL4_Word w = 0;
    seL4_Wait(n, &w);
    KCHECK_EQ(w, 5);
    w = 9;
    seL4_Poll(n, &w);
    KCHECK_EQ(w, 0);
    /* All 28 badge bits. */
    seL4_Signal(mint(n, seL4_AllRights, 0x0ff00000));
    seL4_Signal(mint(n, seL4_AllRights, 0x000000ff));
    seL4_Wait(n, &w);
    KCHECK_EQ(w, 0x0ff000ff);
}

KTEST(ntfn_wait_blocks, "NTFN0002", "Wait blocks until a signal, and the waiter gets its badge")
{
    seL4_CPtr n = ktest_object(seL4_NotificationObject, 0);
    reset(n, 0);
    ktest_thread_t t;
    spawn(&t, waiter, 0, 100, 0);
    settle();
    KCHECK_EQ(n_done, 0);
    seL4_Signal(mint(n, seL4_AllRights, 0x80));
    settle();
    KCHECK_EQ(n_done, 1);
    KCHECK_EQ(n_badge, 0x80);
    /* The signal went to the waiter; the word stays clear. */
    seL4_Word w = 1;
    seL4_Poll(n, &w);
    KCHECK_EQ(w, 0);
}

KTEST(ntfn_poll, "NTFN0003",
      "Poll never blocks: 0 when idle, else the word, which it clears; the label marks a signal")
{
    seL4_CPtr n = ktest_object(seL4_NotificationObject, 0);
    seL4_Word w = 7;
    seL4_MessageInfo_t info = seL4_Poll(n, &w);
    KCHECK_EQ(w, 0);
    KCHECK_EQ(seL4_MessageInfo_get_label(info), 0);
    seL4_Signal(mint(n, seL4_AllRights, 0x6));
    info = seL4_Poll(n, &w);
    KCHECK_EQ(w, 6);
    KCHECK_EQ(seL4_MessageInfo_get_label(info), seL4_NotificationSignalLabel);
    KCHECK_EQ(seL4_MessageInfo_get_length(info), 0);
    seL4_Poll(n, &w);
    KCHECK_EQ(w, 0);
}

KTEST(ntfn_waiters_fifo, "NTFN0004",
      "waiters queue in arrival order; each signal wakes exactly the longest waiter")
{
    seL4_CPtr n = ktest_object(seL4_NotificationObject, 0);
    reset(n, 0);
    ktest_thread_t t[3];
    for (int i = 0; i < 3; i++) {
        spawn(&t[i], waiter, i + 1, 100, 0);
        settle();
    }
    static const seL4_Word badges[] = {0x1, 0x2, 0x4};
    for (int i = 0; i < 3; i++) {
        seL4_Signal(mint(n, seL4_AllRights, badges[i]));
        settle();
        KCHECK_EQ(n_done, (seL4_Word)i + 1);
    }
    KREQUIRE_EQ(log_count(), 3);
    KCHECK_EQ(log_at(0), 0x10000001u);
    KCHECK_EQ(log_at(1), 0x20000002u);
    KCHECK_EQ(log_at(2), 0x30000004u);
}

KTEST(ntfn_unbadged_signal, "NTFN0005",
      "a signal through an unbadged cap still makes the notification active: Wait returns 0 at "
      "once")
{
    seL4_CPtr n = ktest_object(seL4_NotificationObject, 0);
    reset(n, 0);
    seL4_Signal(n);
    ktest_thread_t t;
    spawn(&t, waiter, 0, 100, 0);
    settle();
    KCHECK_EQ(n_done, 1);
    KCHECK_EQ(n_badge, 0);
}

KTEST(ntfn_signal_without_write, "NTFN0006",
      "a notification cap without Write cannot signal: Call gets InvalidCapability, Signal is "
      "dropped")
{
    seL4_CPtr n = ktest_object(seL4_NotificationObject, 0);
    seL4_CPtr ro = mint(n, seL4_CanRead, 0x5);
    reset(n, 0);
    ktest_thread_t t;
    spawn(&t, waiter, 0, 100, 0);
    settle();
    seL4_Signal(ro);
    settle();
    KCHECK_EQ(n_done, 0);
    seL4_MessageInfo_t r = seL4_Call(ro, seL4_MessageInfo_new(0, 0, 0, 0));
    KCHECK_EQ(seL4_MessageInfo_get_label(r), seL4_InvalidCapability);
    ktest_error_t e = last_error();
    KCHECK_EQ(e.error, seL4_InvalidCapability);
    KCHECK_EQ(e.argument, 0);
    settle();
    KCHECK_EQ(n_done, 0);
    /* Call with a writable cap signals and replies with success. */
    r = seL4_Call(mint(n, seL4_CanWrite, 0x9), seL4_MessageInfo_new(0, 0, 0, 0));
    KCHECK_EQ(seL4_MessageInfo_get_label(r), 0);
    settle();
    KCHECK_EQ(n_done, 1);
    KCHECK_EQ(n_badge, 0x9);
}

static void recv_probe_thread(seL4_Word cptr)
{
    n_badge = cap_recv_probe(cptr);
    n_done++;
}

KTEST(ntfn_wait_without_read, "NTFN0007",
      "waiting on a notification cap without Read is a receive-phase CapFault (MissingCapability)")
{
    seL4_CPtr n = ktest_object(seL4_NotificationObject, 0);
    seL4_CPtr wo = mint(n, seL4_CanWrite, 0);
    seL4_CPtr fep;
    seL4_CPtr fault_ep = fault_endpoint(&fep);
    reset(n, 0);
    ktest_thread_t t;
    spawn(&t, recv_probe_thread, wo, 100, fault_ep);
    seL4_Word badge = 0;
    seL4_MessageInfo_t info = seL4_Recv(fep, &badge);
    KCHECK_EQ(badge, FAULT_BADGE);
    KCHECK_EQ(seL4_MessageInfo_get_label(info), seL4_Fault_CapFault);
    KCHECK_EQ(seL4_MessageInfo_get_length(info), 5);
    KCHECK_EQ(seL4_GetMR(seL4_CapFault_IP), (seL4_Word)cap_recv_probe_svc);
    KCHECK_EQ(seL4_GetMR(seL4_CapFault_Addr), wo);
    KCHECK_EQ(seL4_GetMR(seL4_CapFault_InRecvPhase), 1);
    KCHECK_EQ(seL4_GetMR(seL4_CapFault_LookupFailureType), seL4_MissingCapability);
    KCHECK_EQ(seL4_GetMR(seL4_CapFault_BitsLeft), 0);
    KCHECK_EQ(n_done, 0);
}

/* Receives on n_ep forever, logging (label == signal ? 0x1000 : 0) | badge, MR0 in n_info. */
static void bound_server(seL4_Word arg)
{
    (void)arg;
    for (;;) {
        seL4_Word badge = 0;
        seL4_MessageInfo_t info = seL4_Recv(n_ep, &badge);
        bool sig = seL4_MessageInfo_get_label(info) == seL4_NotificationSignalLabel;
        n_info = info.words[0];
        log_event((sig ? 0x1000u : 0) | badge);
        n_done++;
    }
}

static void start_bound_server(ktest_thread_t *t, seL4_CPtr ntfn, seL4_Word prio)
{
    ktest_thread_create(t, bound_server, 0, prio, 0);
    seL4_Error err = seL4_TCB_BindNotification(t->tcb, ntfn);
    KCHECK_EQ(err, seL4_NoError);
    ktest_thread_start(t);
}

KTEST(ntfn_bound_wakes_recv, "NTFN0008",
      "a signal on a bound notification wakes its thread out of Recv on an endpoint, with the "
      "badge and seL4_NotificationSignalLabel")
{
    seL4_CPtr n = ktest_object(seL4_NotificationObject, 0);
    seL4_CPtr ep = ktest_object(seL4_EndpointObject, 0);
    reset(n, ep);
    ktest_thread_t t;
    start_bound_server(&t, n, 100);
    settle();
    KCHECK_EQ(n_done, 0);
    seL4_Signal(mint(n, seL4_AllRights, 0x40));
    settle();
    KREQUIRE_EQ(n_done, 1);
    KCHECK_EQ(log_at(0), 0x1040);
    seL4_MessageInfo_t info = {{n_info}};
    KCHECK_EQ(seL4_MessageInfo_get_length(info), 0);
    KCHECK_EQ(seL4_MessageInfo_get_extraCaps(info), 0);
    /* The thread went back to the endpoint: a message still reaches it. */
    seL4_Send(mint(ep, seL4_AllRights, 0x3), seL4_MessageInfo_new(0x5, 0, 0, 0));
    settle();
    KREQUIRE_EQ(n_done, 2);
    KCHECK_EQ(log_at(1), 0x3);
    /* The word was consumed by the wake-up (only the bound thread may poll a bound
     * notification: unbind it first). */
    KCHECK_EQ(seL4_TCB_UnbindNotification(t.tcb), seL4_NoError);
    seL4_Word w = 1;
    seL4_Poll(n, &w);
    KCHECK_EQ(w, 0);
}

/* Sends an empty message through the endpoint cap `cap`. */
static void ep_sender(seL4_Word cap)
{
    seL4_Send(cap, seL4_MessageInfo_new(0, 0, 0, 0));
}

KTEST(ntfn_bound_pending_first, "NTFN0009",
      "a pending signal is delivered by the next Recv, before a sender already queued")
{
    seL4_CPtr n = ktest_object(seL4_NotificationObject, 0);
    seL4_CPtr ep = ktest_object(seL4_EndpointObject, 0);
    reset(n, ep);
    ktest_thread_t s, t;
    spawn(&s, ep_sender, mint(ep, seL4_AllRights, 0x7), 50, 0);
    settle(); /* queued on the endpoint */
    seL4_Signal(mint(n, seL4_AllRights, 0x21));
    seL4_Signal(mint(n, seL4_AllRights, 0x02));
    start_bound_server(&t, n, 100);
    settle();
    KREQUIRE_EQ(n_done, 2);
    KCHECK_EQ(log_at(0), 0x1023);
    KCHECK_EQ(log_at(1), 0x7);
}

KTEST(ntfn_bound_server_loop, "NTFN0010",
      "a server bound to a notification takes messages and signals in the order they come")
{
    seL4_CPtr n = ktest_object(seL4_NotificationObject, 0);
    seL4_CPtr ep = ktest_object(seL4_EndpointObject, 0);
    reset(n, ep);
    ktest_thread_t t;
    start_bound_server(&t, n, 100);
    settle();
    seL4_CPtr e1 = mint(ep, seL4_AllRights, 0x1), s2 = mint(n, seL4_AllRights, 0x2);
    seL4_CPtr e3 = mint(ep, seL4_AllRights, 0x3), s4 = mint(n, seL4_AllRights, 0x4);
    seL4_Send(e1, seL4_MessageInfo_new(0, 0, 0, 0));
    seL4_Signal(s2);
    seL4_Send(e3, seL4_MessageInfo_new(0, 0, 0, 0));
    seL4_Signal(s4);
    seL4_Signal(s2);
    settle();
    KREQUIRE_EQ(n_done, 4);
    KCHECK_EQ(log_at(0), 0x1);
    KCHECK_EQ(log_at(1), 0x1002);
    KCHECK_EQ(log_at(2), 0x3);
    KCHECK_EQ(log_at(3), 0x1006); /* two signals while it was busy: one wake-up, 4 | 2 */
}

KTEST(ntfn_bound_exclusive, "NTFN0011",
      "only the bound thread may wait on a bound notification: another waiter is a CapFault")
{
    seL4_CPtr n = ktest_object(seL4_NotificationObject, 0);
    seL4_CPtr ep = ktest_object(seL4_EndpointObject, 0);
    seL4_CPtr fep;
    seL4_CPtr fault_ep = fault_endpoint(&fep);
    reset(n, ep);
    ktest_thread_t bound;
    ktest_thread_create(&bound, waiter, 7, 100, 0);
    KREQUIRE_EQ(seL4_TCB_BindNotification(bound.tcb, n), seL4_NoError);
    ktest_thread_t other;
    spawn(&other, recv_probe_thread, n, 100, fault_ep);
    seL4_MessageInfo_t info = seL4_Recv(fep, NULL);
    KCHECK_EQ(seL4_MessageInfo_get_label(info), seL4_Fault_CapFault);
    KCHECK_EQ(seL4_GetMR(seL4_CapFault_Addr), n);
    KCHECK_EQ(seL4_GetMR(seL4_CapFault_InRecvPhase), 1);
    KCHECK_EQ(seL4_GetMR(seL4_CapFault_LookupFailureType), seL4_MissingCapability);
    /* The bound thread itself waits on it normally. */
    ktest_thread_start(&bound);
    settle();
    seL4_Signal(mint(n, seL4_AllRights, 0x11));
    settle();
    KCHECK_EQ(n_done, 1);
    KREQUIRE_EQ(log_count(), 1);
    KCHECK_EQ(log_at(0), 0x70000011u);
}

/* Calls n_ep (a server that does not answer at once), then Polls n_cap, then Recvs on
 * the endpoint cap `arg`; logs what each step returned. */
static void calling_bound(seL4_Word recv_ep)
{
    seL4_Call(n_ep, seL4_MessageInfo_new(0, 0, 0, 0));
    log_event(0xca11);
    seL4_Word badge = 0;
    seL4_MessageInfo_t info = seL4_Recv(recv_ep, &badge);
    log_event((seL4_MessageInfo_get_label(info) == seL4_NotificationSignalLabel ? 0x1000u : 0) |
              badge);
    n_done++;
}

KTEST(ntfn_bound_not_during_call, "NTFN0012",
      "a bound thread waiting for a reply is not woken by a signal; its next Recv gets it")
{
    seL4_CPtr n = ktest_object(seL4_NotificationObject, 0);
    seL4_CPtr ep = ktest_object(seL4_EndpointObject, 0);
    seL4_CPtr ep2 = ktest_object(seL4_EndpointObject, 0);
    reset(n, ep);
    ktest_thread_t t;
    ktest_thread_create(&t, calling_bound, ep2, 100, 0);
    KREQUIRE_EQ(seL4_TCB_BindNotification(t.tcb, n), seL4_NoError);
    ktest_thread_start(&t);
    seL4_Recv(ep, NULL); /* the thread's Call */
    seL4_Signal(mint(n, seL4_AllRights, 0x5));
    settle();
    KCHECK_EQ(log_count(), 0);
    seL4_Reply(seL4_MessageInfo_new(0, 0, 0, 0));
    settle();
    KCHECK_EQ(n_done, 1);
    KREQUIRE_EQ(log_count(), 2);
    KCHECK_EQ(log_at(0), 0xca11);
    KCHECK_EQ(log_at(1), 0x1005);
}

KTEST(ntfn_unbind, "NTFN0013",
      "after UnbindNotification a signal no longer wakes the thread's Recv; the word stays")
{
    seL4_CPtr n = ktest_object(seL4_NotificationObject, 0);
    seL4_CPtr ep = ktest_object(seL4_EndpointObject, 0);
    reset(n, ep);
    ktest_thread_t t;
    start_bound_server(&t, n, 100);
    settle();
    KCHECK_EQ(seL4_TCB_UnbindNotification(t.tcb), seL4_NoError);
    seL4_Signal(mint(n, seL4_AllRights, 0x9));
    settle();
    KCHECK_EQ(n_done, 0);
    seL4_Word w = 0;
    seL4_Poll(n, &w);
    KCHECK_EQ(w, 0x9);
    /* The notification can be bound again, to another thread. */
    ktest_thread_t t2;
    start_bound_server(&t2, n, 100);
    settle();
    seL4_Signal(mint(n, seL4_AllRights, 0xa));
    settle();
    KCHECK_EQ(n_done, 1);
    KCHECK_EQ(log_at(0), 0x100a);
}

/* NBRecv on n_ep once; logs as bound_server does. */
static void nb_bound(seL4_Word arg)
{
    (void)arg;
    seL4_Word badge = 0x77;
    seL4_MessageInfo_t info = seL4_NBRecv(n_ep, &badge);
    log_event((seL4_MessageInfo_get_label(info) == seL4_NotificationSignalLabel ? 0x1000u : 0) |
              badge);
    n_done++;
}

KTEST(ntfn_bound_nbrecv, "NTFN0014",
      "NBRecv on the endpoint returns a pending bound signal; with none, badge 0")
{
    seL4_CPtr n = ktest_object(seL4_NotificationObject, 0);
    seL4_CPtr ep = ktest_object(seL4_EndpointObject, 0);
    reset(n, ep);
    for (int pending = 1; pending >= 0; pending--) {
        if (pending)
            seL4_Signal(mint(n, seL4_AllRights, 0xc));
        ktest_thread_t t;
        ktest_thread_create(&t, nb_bound, 0, 100, 0);
        KREQUIRE_EQ(seL4_TCB_BindNotification(t.tcb, n), seL4_NoError);
        ktest_thread_start(&t);
        settle();
        KCHECK_EQ(seL4_TCB_UnbindNotification(t.tcb), seL4_NoError);
    }
    KREQUIRE_EQ(n_done, 2);
    KCHECK_EQ(log_at(0), 0x100c);
    KCHECK_EQ(log_at(1), 0);
}

KTEST(ntfn_signal_preempts, "NTFN0015",
      "a signal that wakes a higher-priority waiter switches to it before the signaller "
      "continues")
{
    seL4_CPtr n = ktest_object(seL4_NotificationObject, 0);
    reset(n, 0);
    ktest_thread_t hi;
    spawn(&hi, waiter, 2, 200, 0);
    settle();
    log_event(0x51);
    seL4_Signal(mint(n, seL4_AllRights, 0x3));
    log_event(0x52);
    /* The test task (255) outranks the waiter (200): no switch yet. */
    KREQUIRE_EQ(log_count(), 2);
    KCHECK_EQ(log_at(1), 0x52);
    settle();
    KREQUIRE_EQ(log_count(), 3);
    KCHECK_EQ(log_at(2), 0x20000003u);
}
