/* Suspend and Resume, notification binding, and the TLS base. */
#include "tt.h"

static volatile seL4_Word received, received_badge, received_mr0;

static void receive_forever(seL4_Word ep)
{
    for (;;) {
        seL4_Word badge = 0;
        seL4_MessageInfo_t info = seL4_Recv(ep, &badge);
        received_badge = badge;
        received_mr0 = seL4_MessageInfo_get_label(info);
        received++;
    }
}

KTEST(state_suspend_receiver, "TCB0040",
      "Suspend takes a thread off the endpoint it waits on; Resume makes it wait again")
{
    seL4_CPtr ep = ktest_object(seL4_EndpointObject, 0);
    tt_thread_t t;
    tt_thread(&t, 100, 0);
    received = 0;
    tt_start(&t, receive_forever, ep, 0, 0, 0);
    tt_run_others(); /* it now waits on ep */
    seL4_NBSend(ep, seL4_MessageInfo_new(1, 0, 0, 0));
    tt_run_others();
    KCHECK_EQ(received, 1);
    KCHECK_EQ(received_mr0, 1);
    KREQUIRE_EQ(seL4_TCB_Suspend(t.tcb), seL4_NoError);
    seL4_NBSend(ep, seL4_MessageInfo_new(2, 0, 0, 0)); /* nobody waits: dropped */
    tt_run_others();
    KCHECK_EQ(received, 1);
    KREQUIRE_EQ(seL4_TCB_Resume(t.tcb), seL4_NoError);
    seL4_Send(ep, seL4_MessageInfo_new(3, 0, 0, 0)); /* blocks until it waits again */
    tt_run_others();
    KCHECK_EQ(received, 2);
    KCHECK_EQ(received_mr0, 3);
    /* Suspend twice and Resume twice are harmless. */
    KCHECK_EQ(seL4_TCB_Suspend(t.tcb), seL4_NoError);
    KCHECK_EQ(seL4_TCB_Suspend(t.tcb), seL4_NoError);
    KCHECK_EQ(seL4_TCB_Resume(t.tcb), seL4_NoError);
    KCHECK_EQ(seL4_TCB_Resume(t.tcb), seL4_NoError);
    seL4_Send(ep, seL4_MessageInfo_new(4, 0, 0, 0));
    tt_run_others();
    KCHECK_EQ(received, 3);
}

static void send_forever(seL4_Word ep)
{
    for (seL4_Word i = 1;; i++)
        seL4_Send(ep, seL4_MessageInfo_new(i, 0, 0, 0));
}

KTEST(state_suspend_sender, "TCB0041",
      "a suspended sender's message is withdrawn; resumed, it sends again")
{
    seL4_CPtr ep = ktest_object(seL4_EndpointObject, 0);
    tt_thread_t t;
    tt_thread(&t, 100, 0);
    tt_start(&t, send_forever, ep, 0, 0, 0);
    tt_run_others(); /* blocked sending message 1 */
    KREQUIRE_EQ(seL4_TCB_Suspend(t.tcb), seL4_NoError);
    seL4_Word badge;
    KCHECK_EQ(seL4_NBRecv(ep, &badge).words[0], 0);
    KREQUIRE_EQ(seL4_TCB_Resume(t.tcb), seL4_NoError);
    tt_run_others();
    KCHECK_EQ(seL4_MessageInfo_get_label(seL4_NBRecv(ep, &badge)), 1);
    tt_run_others();
    KCHECK_EQ(seL4_MessageInfo_get_label(seL4_NBRecv(ep, &badge)), 2);
}

static volatile seL4_Word progress;
static void count_up(seL4_Word unused)
{
    (void)unused;
    for (;;) {
        progress++;
        seL4_Yield();
    }
}

KTEST(state_resume_running, "TCB0042",
      "Resume of a thread that is not stopped does nothing; Suspend then Resume continues "
      "it where it was, not from its entry")
{
    tt_thread_t t;
    tt_thread(&t, 50, 0);
    progress = 0;
    tt_start(&t, count_up, 0, 0, 0, 0);
    KREQUIRE_EQ(seL4_TCB_SetPriority(ROOT_TCB, ROOT_TCB, 50), seL4_NoError);
    for (int i = 0; i < 10; i++)
        seL4_Yield();
    seL4_Word before = progress;
    KCHECK(before >= 5);
    KCHECK_EQ(seL4_TCB_Resume(t.tcb), seL4_NoError);
    KCHECK_EQ(seL4_TCB_Suspend(t.tcb), seL4_NoError);
    seL4_Word stopped_at = progress;
    seL4_Yield();
    seL4_Yield();
    KCHECK_EQ(progress, stopped_at);
    seL4_UserContext r = tt_read_regs(t.tcb);
    KCHECK(r.pc != (seL4_Word)count_up);
    KCHECK_EQ(seL4_TCB_Resume(t.tcb), seL4_NoError);
    for (int i = 0; i < 10; i++)
        seL4_Yield();
    KCHECK(progress > stopped_at);
    KREQUIRE_EQ(seL4_TCB_SetPriority(ROOT_TCB, ROOT_TCB, 255), seL4_NoError);
}

KTEST(state_bind, "TCB0043",
      "a thread bound to a notification receives its signals while it waits on an endpoint")
{
    seL4_CPtr ep = ktest_object(seL4_EndpointObject, 0);
    seL4_CPtr ntfn = ktest_object(seL4_NotificationObject, 0);
    seL4_CPtr badged = tt_badged(ntfn, 0x24);
    tt_thread_t t;
    tt_thread(&t, 100, 0);
    KREQUIRE_EQ(seL4_TCB_BindNotification(t.tcb, ntfn), seL4_NoError);
    received = 0;
    tt_start(&t, receive_forever, ep, 0, 0, 0);
    tt_run_others();
    seL4_Signal(badged);
    tt_run_others();
    KCHECK_EQ(received, 1);
    KCHECK_EQ(received_badge, 0x24);
    KCHECK_EQ(received_mr0, seL4_NotificationSignalLabel);
    /* Messages still arrive as messages. */
    seL4_Send(ep, seL4_MessageInfo_new(5, 0, 0, 0));
    tt_run_others();
    KCHECK_EQ(received, 2);
    KCHECK_EQ(received_mr0, 5);
    /* Unbound, the signal waits in the notification. */
    KREQUIRE_EQ(seL4_TCB_UnbindNotification(t.tcb), seL4_NoError);
    seL4_Signal(badged);
    tt_run_others();
    KCHECK_EQ(received, 2);
    seL4_Word badge = 0;
    seL4_Poll(ntfn, &badge);
    KCHECK_EQ(badge, 0x24);
}

static void wait_forever(seL4_Word ntfn)
{
    for (;;)
        seL4_Wait(ntfn, NULL);
}

KTEST(state_bind_refusals, "TCB0044",
      "BindNotification refusals (IllegalOperation): already bound, not a notification, "
      "no receive right, notification bound elsewhere or with waiters; no cap: Truncated")
{
    seL4_CPtr n1 = ktest_object(seL4_NotificationObject, 0);
    seL4_CPtr n2 = ktest_object(seL4_NotificationObject, 0);
    seL4_CPtr n3 = ktest_object(seL4_NotificationObject, 0);
    seL4_CPtr ep = ktest_object(seL4_EndpointObject, 0);
    tt_thread_t t, u, w;
    tt_thread(&t, 100, 0);
    tt_thread(&u, 100, 0);
    tt_thread(&w, 100, 0);
    KCHECK_EQ(seL4_TCB_BindNotification(t.tcb, ep), seL4_IllegalOperation);
    KCHECK_EQ(seL4_TCB_BindNotification(t.tcb, t.tcb), seL4_IllegalOperation);
    seL4_CPtr send_only = ktest_slot();
    KREQUIRE_EQ(seL4_CNode_Mint(ROOT_CNODE, send_only, 32, ROOT_CNODE, n1, 32, seL4_CanWrite, 0),
                seL4_NoError);
    KCHECK_EQ(seL4_TCB_BindNotification(t.tcb, send_only), seL4_IllegalOperation);
    KCHECK_EQ(seL4_Invoke(t.tcb, TCBBindNotification, 0, 0), seL4_TruncatedMessage);
    KREQUIRE_EQ(seL4_TCB_BindNotification(t.tcb, n1), seL4_NoError);
    KCHECK_EQ(seL4_TCB_BindNotification(t.tcb, n2), seL4_IllegalOperation); /* t is bound */
    KCHECK_EQ(seL4_TCB_BindNotification(u.tcb, n1), seL4_IllegalOperation); /* n1 is bound */
    seL4_CPtr read_only = ktest_slot();
    KREQUIRE_EQ(seL4_CNode_Mint(ROOT_CNODE, read_only, 32, ROOT_CNODE, n2, 32, seL4_CanRead, 0),
                seL4_NoError);
    KCHECK_EQ(seL4_TCB_BindNotification(u.tcb, read_only), seL4_NoError);
    /* A notification someone waits on cannot be bound. */
    tt_start(&w, wait_forever, n3, 0, 0, 0);
    tt_run_others();
    KCHECK_EQ(seL4_TCB_BindNotification(t.tcb, n3), seL4_IllegalOperation);
    KCHECK_EQ(seL4_TCB_UnbindNotification(t.tcb), seL4_NoError);
    KCHECK_EQ(seL4_TCB_BindNotification(t.tcb, n3), seL4_IllegalOperation);
    KREQUIRE_EQ(seL4_TCB_Suspend(w.tcb), seL4_NoError);
    KCHECK_EQ(seL4_TCB_BindNotification(t.tcb, n3), seL4_NoError);
}

KTEST(state_unbind, "TCB0045",
      "UnbindNotification of an unbound TCB is IllegalOperation; deleting the notification "
      "unbinds; a freed notification binds to another thread")
{
    seL4_CPtr n = ktest_object(seL4_NotificationObject, 0);
    tt_thread_t t, u;
    tt_thread(&t, 100, 0);
    tt_thread(&u, 100, 0);
    KCHECK_EQ(seL4_TCB_UnbindNotification(t.tcb), seL4_IllegalOperation);
    KREQUIRE_EQ(seL4_TCB_BindNotification(t.tcb, n), seL4_NoError);
    KCHECK_EQ(seL4_TCB_UnbindNotification(t.tcb), seL4_NoError);
    KCHECK_EQ(seL4_TCB_UnbindNotification(t.tcb), seL4_IllegalOperation);
    KCHECK_EQ(seL4_TCB_BindNotification(u.tcb, n), seL4_NoError);
    KREQUIRE_EQ(seL4_CNode_Delete(ROOT_CNODE, n, 32), seL4_NoError);
    KCHECK_EQ(seL4_TCB_UnbindNotification(u.tcb), seL4_IllegalOperation);
    seL4_CPtr n2 = ktest_object(seL4_NotificationObject, 0);
    KCHECK_EQ(seL4_TCB_BindNotification(u.tcb, n2), seL4_NoError);
    /* Deleting the thread frees the notification for another. */
    KREQUIRE_EQ(seL4_CNode_Delete(ROOT_CNODE, u.tcb, 32), seL4_NoError);
    KCHECK_EQ(seL4_TCB_BindNotification(t.tcb, n2), seL4_NoError);
}

static volatile seL4_Word tls_seen[2];
static void read_tls(seL4_Word index)
{
    seL4_Word v;
    __asm__ volatile("mrc p15, 0, %0, c13, c0, 3" : "=r"(v));
    tls_seen[index] = v;
}

KTEST(state_tls_base, "TCB0046",
      "SetTLSBase sets the TPIDRURO a thread reads, for another thread and for the caller; "
      "ReadRegisters reports it; no word: TruncatedMessage")
{
    tt_thread_t a, b;
    tt_thread(&a, 100, 0);
    tt_thread(&b, 100, 0);
    tt_start(&a, read_tls, 0, 0, 0, 0);
    tt_start(&b, read_tls, 1, 0, 0, 0);
    KREQUIRE_EQ(seL4_TCB_SetTLSBase(a.tcb, 0xa1a1a1a0), seL4_NoError);
    KREQUIRE_EQ(seL4_TCB_SetTLSBase(b.tcb, 0xb2b2b2b0), seL4_NoError);
    tls_seen[0] = tls_seen[1] = 0;
    tt_run_others();
    KCHECK_EQ(tls_seen[0], 0xa1a1a1a0);
    KCHECK_EQ(tls_seen[1], 0xb2b2b2b0);
    KCHECK_EQ(tt_read_regs(a.tcb).tpidruro, 0xa1a1a1a0);
    KREQUIRE_EQ(seL4_TCB_SetTLSBase(ROOT_TCB, 0x12345678), seL4_NoError);
    seL4_Word mine;
    __asm__ volatile("mrc p15, 0, %0, c13, c0, 3" : "=r"(mine));
    KCHECK_EQ(mine, 0x12345678);
    tt_run_others(); /* switching away and back keeps it */
    __asm__ volatile("mrc p15, 0, %0, c13, c0, 3" : "=r"(mine));
    KCHECK_EQ(mine, 0x12345678);
    KCHECK_EQ(seL4_Invoke(a.tcb, TCBSetTLSBase, 0, 0), seL4_TruncatedMessage);
    KCHECK_EQ(tt_read_regs(a.tcb).tpidruro, 0xa1a1a1a0);
    KREQUIRE_EQ(seL4_TCB_SetTLSBase(ROOT_TCB, 0), seL4_NoError);
}

KTEST(state_wrong_labels, "TCB0047", "a TCB cap refuses labels of other objects: IllegalOperation")
{
    tt_thread_t t;
    tt_thread(&t, 100, 0);
    seL4_Word labels[] = {CNodeCopy, UntypedRetype,     ARMPageMap, ARMASIDPoolAssign,
                          0,         nInvocationLabels, 0x7777};
    for (unsigned i = 0; i < sizeof(labels) / sizeof(labels[0]); i++)
        KCHECK_EQ(seL4_Invoke(t.tcb, labels[i], 0, 0), seL4_IllegalOperation);
}

KTEST(state_unconfigured, "TCB0048",
      "resuming a TCB that was never configured (no CSpace, no VSpace): it faults without "
      "a handler and stops; nothing else is disturbed")
{
    seL4_CPtr tcb = ktest_object(seL4_TCBObject, 0);
    KREQUIRE_EQ(seL4_TCB_SetPriority(tcb, ROOT_TCB, 100), seL4_NoError);
    for (int i = 0; i < 3; i++) {
        KCHECK_EQ(seL4_TCB_Resume(tcb), seL4_NoError);
        tt_run_others();
        seL4_UserContext r = tt_read_regs(tcb);
        KCHECK_EQ(r.pc, 0);
        KCHECK_EQ(r.cpsr, 0x10);
    }
    /* The same with a VSpace but an entry point that is not mapped. */
    seL4_CPtr ep = ktest_object(seL4_EndpointObject, 0);
    KREQUIRE_EQ(seL4_TCB_SetSpace(tcb, ep, ROOT_CNODE, 0, ROOT_VS, 0), seL4_NoError);
    seL4_UserContext w = {0};
    w.pc = 0x00f00000;
    w.cpsr = 0x10;
    KREQUIRE_EQ(seL4_TCB_WriteRegisters(tcb, 1, 0, 3, &w), seL4_NoError);
    KCHECK_EQ(tt_recv_label(ep, NULL), seL4_Fault_VMFault);
    KCHECK_EQ(seL4_GetMR(seL4_VMFault_IP), 0x00f00000);
    KCHECK_EQ(seL4_GetMR(seL4_VMFault_Addr), 0x00f00000);
    KCHECK_EQ(seL4_GetMR(seL4_VMFault_PrefetchFault), 1);
    KCHECK_EQ(seL4_GetMR(seL4_VMFault_FSR), 0x005); /* no page table for that MiB */
}

static void send_once(seL4_Word ep, seL4_Word label)
{
    seL4_Send(ep, seL4_MessageInfo_new(label, 0, 0, 0));
    for (;;)
        seL4_Yield();
}

KTEST(state_resume_blocked, "TCB0049",
      "Resume of a thread blocked sending restarts it, as seL4: it leaves the endpoint queue "
      "and sends again, now behind the others")
{
    seL4_CPtr ep = ktest_object(seL4_EndpointObject, 0);
    tt_thread_t a, b;
    tt_thread(&a, 100, 0);
    tt_thread(&b, 100, 0);
    tt_start(&a, send_once, ep, 0xa, 0, 0);
    tt_run_others(); /* a waits on ep first */
    tt_start(&b, send_once, ep, 0xb, 0, 0);
    tt_run_others(); /* then b */
    KREQUIRE_EQ(seL4_TCB_Resume(a.tcb), seL4_NoError);
    tt_run_others(); /* a runs its Send again, at the tail of the queue */
    seL4_Word badge = 0;
    KCHECK_EQ(seL4_MessageInfo_get_label(seL4_Recv(ep, &badge)), 0xb);
    KCHECK_EQ(seL4_MessageInfo_get_label(seL4_Recv(ep, &badge)), 0xa);
    KCHECK_EQ(seL4_TCB_Suspend(a.tcb), seL4_NoError);
    KCHECK_EQ(seL4_TCB_Suspend(b.tcb), seL4_NoError);
}
