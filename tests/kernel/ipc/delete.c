/*
 * Destroying objects that threads are blocked on. As in seL4, threads blocked on a
 * deleted endpoint or notification restart their system call, which then finds the cap
 * gone; a deleted thread leaves the queue it was in, and its reply cap dies with it.
 */
#include "ipc.h"

static volatile seL4_Word d_done;

/* Each worker logs (tag << 24 | result) when its syscall returns. */
#define TAG_SEND 0x1
#define TAG_CALL 0x2
#define TAG_RECV 0x3
#define TAG_WAIT 0x4

static void send_once(seL4_Word cap)
{
    seL4_Send(cap, seL4_MessageInfo_new(0, 0, 0, 0));
    log_event(TAG_SEND << 24);
    d_done++;
}

static void call_once(seL4_Word cap)
{
    seL4_MessageInfo_t r = seL4_Call(cap, seL4_MessageInfo_new(0, 0, 0, 0));
    log_event((TAG_CALL << 24) | seL4_MessageInfo_get_label(r));
    d_done++;
}

static void recv_once(seL4_Word cap)
{
    seL4_Word badge = 0;
    seL4_Recv(cap, &badge);
    log_event((TAG_RECV << 24) | badge);
    d_done++;
}

static void wait_once(seL4_Word cap)
{
    seL4_Word badge = 0;
    seL4_Wait(cap, &badge);
    log_event((TAG_WAIT << 24) | badge);
    d_done++;
}

static void start(void)
{
    log_reset();
    d_done = 0;
}

KTEST(delete_ep_senders, "IPC0301",
      "deleting an endpoint restarts its blocked senders: Send then returns, Call gets "
      "InvalidCapability")
{
    start();
    seL4_CPtr ep = ktest_object(seL4_EndpointObject, 0);
    ktest_thread_t s, c;
    spawn(&s, send_once, ep, 100, 0);
    settle();
    spawn(&c, call_once, ep, 100, 0);
    settle();
    KCHECK_EQ(d_done, 0);
    KCHECK_EQ(seL4_CNode_Delete(seL4_CapInitThreadCNode, ep, 32), seL4_NoError);
    settle();
    KCHECK_EQ(d_done, 2);
    KREQUIRE_EQ(log_count(), 2);
    /* Both restart. Each goes to the head of the ready queue, so the one queued last
     * runs first (as in seL4). */
    KCHECK_EQ(log_at(0), (TAG_CALL << 24) | seL4_InvalidCapability);
    KCHECK_EQ(log_at(1), TAG_SEND << 24);
}

KTEST(delete_ep_receivers, "IPC0302",
      "deleting an endpoint restarts its blocked receivers: their Recv is then a CapFault")
{
    start();
    seL4_CPtr ep = ktest_object(seL4_EndpointObject, 0);
    seL4_CPtr fep;
    seL4_CPtr fault_ep = fault_endpoint(&fep);
    ktest_thread_t r1, r2;
    spawn(&r1, recv_once, ep, 100, fault_ep);
    settle();
    spawn(&r2, recv_once, ep, 100, fault_ep);
    settle();
    KCHECK_EQ(seL4_CNode_Delete(seL4_CapInitThreadCNode, ep, 32), seL4_NoError);
    for (int i = 0; i < 2; i++) {
        seL4_Word badge = 0;
        seL4_MessageInfo_t info = take_message(fep, &badge);
        KCHECK_EQ(badge, FAULT_BADGE);
        KCHECK_EQ(seL4_MessageInfo_get_label(info), seL4_Fault_CapFault);
        KCHECK_EQ(seL4_GetMR(seL4_CapFault_Addr), ep);
        KCHECK_EQ(seL4_GetMR(seL4_CapFault_InRecvPhase), 1);
        KCHECK_EQ(seL4_GetMR(seL4_CapFault_LookupFailureType), seL4_MissingCapability);
    }
    KCHECK_EQ(d_done, 0);
}

KTEST(delete_ntfn_waiters, "IPC0303",
      "deleting a notification restarts its waiters: their Wait is then a CapFault")
{
    start();
    seL4_CPtr n = ktest_object(seL4_NotificationObject, 0);
    seL4_CPtr fep;
    seL4_CPtr fault_ep = fault_endpoint(&fep);
    ktest_thread_t w;
    spawn(&w, wait_once, n, 100, fault_ep);
    settle();
    KCHECK_EQ(seL4_CNode_Delete(seL4_CapInitThreadCNode, n, 32), seL4_NoError);
    seL4_MessageInfo_t info = take_message(fep, NULL);
    KCHECK_EQ(seL4_MessageInfo_get_label(info), seL4_Fault_CapFault);
    KCHECK_EQ(seL4_GetMR(seL4_CapFault_Addr), n);
    KCHECK_EQ(seL4_GetMR(seL4_CapFault_InRecvPhase), 1);
    KCHECK_EQ(d_done, 0);
}

KTEST(delete_ep_not_final, "IPC0304",
      "deleting one of several caps to an endpoint leaves its blocked threads alone")
{
    start();
    seL4_CPtr ep = ktest_object(seL4_EndpointObject, 0);
    seL4_CPtr copy = mint(ep, seL4_AllRights, 0x6);
    ktest_thread_t r;
    spawn(&r, recv_once, copy, 100, 0);
    settle();
    KCHECK_EQ(seL4_CNode_Delete(seL4_CapInitThreadCNode, ep, 32), seL4_NoError);
    settle();
    KCHECK_EQ(d_done, 0);
    seL4_Send(copy, seL4_MessageInfo_new(0, 0, 0, 0));
    settle();
    KCHECK_EQ(d_done, 1);
    KCHECK_EQ(log_at(0), (TAG_RECV << 24) | 0x6);
}

KTEST(delete_tcb_in_send_queue, "IPC0305",
      "deleting a sender in the middle of an endpoint queue removes only it; the others are "
      "received in order")
{
    start();
    seL4_CPtr ep = ktest_object(seL4_EndpointObject, 0);
    ktest_thread_t t[3];
    for (int i = 0; i < 3; i++) {
        spawn(&t[i], send_once, mint(ep, seL4_AllRights, i + 1), 100, 0);
        settle();
    }
    KCHECK_EQ(seL4_CNode_Delete(seL4_CapInitThreadCNode, t[1].tcb, 32), seL4_NoError);
    seL4_Word b = 0;
    seL4_Recv(ep, &b);
    KCHECK_EQ(b, 1);
    seL4_Recv(ep, &b);
    KCHECK_EQ(b, 3);
    b = 0x55;
    seL4_NBRecv(ep, &b);
    KCHECK_EQ(b, 0);
    settle();
    KCHECK_EQ(d_done, 2);
}

KTEST(delete_tcb_in_ntfn_queue, "IPC0306",
      "deleting a waiter in the middle of a notification queue removes only it")
{
    start();
    seL4_CPtr n = ktest_object(seL4_NotificationObject, 0);
    ktest_thread_t t[3];
    for (int i = 0; i < 3; i++) {
        spawn(&t[i], wait_once, n, 100, 0);
        settle();
    }
    KCHECK_EQ(seL4_CNode_Delete(seL4_CapInitThreadCNode, t[1].tcb, 32), seL4_NoError);
    seL4_Signal(mint(n, seL4_AllRights, 0x1));
    settle();
    seL4_Signal(mint(n, seL4_AllRights, 0x2));
    settle();
    KCHECK_EQ(d_done, 2);
    KREQUIRE_EQ(log_count(), 2);
    KCHECK_EQ(log_at(0), (TAG_WAIT << 24) | 0x1);
    KCHECK_EQ(log_at(1), (TAG_WAIT << 24) | 0x2);
    /* No waiter is left: the next signal makes the notification active. */
    seL4_Signal(mint(n, seL4_AllRights, 0x4));
    seL4_Word w = 0;
    seL4_Poll(n, &w);
    KCHECK_EQ(w, 0x4);
}

static volatile seL4_CPtr d_ep;

/* Receives once on d_ep; logs (idx << 8 | badge). */
static void recv_indexed(seL4_Word idx)
{
    seL4_Word badge = 0;
    seL4_Recv(d_ep, &badge);
    log_event((idx << 8) | badge);
    d_done++;
}

KTEST(delete_tcb_in_recv_queue, "IPC0307",
      "a receiver that is deleted or suspended leaves the queue; Resume puts it back at the end")
{
    start();
    seL4_CPtr ep = ktest_object(seL4_EndpointObject, 0);
    d_ep = ep;
    ktest_thread_t t[3];
    for (int i = 0; i < 3; i++) {
        spawn(&t[i], recv_indexed, i, 100, 0);
        settle();
    }
    KCHECK_EQ(seL4_CNode_Delete(seL4_CapInitThreadCNode, t[0].tcb, 32), seL4_NoError);
    KCHECK_EQ(seL4_TCB_Suspend(t[1].tcb), seL4_NoError);
    KCHECK_EQ(seL4_TCB_Resume(t[1].tcb), seL4_NoError);
    settle(); /* t[1] re-runs its Recv and queues behind t[2] */
    seL4_Send(mint(ep, seL4_AllRights, 0x7), seL4_MessageInfo_new(0, 0, 0, 0));
    settle();
    KREQUIRE_EQ(d_done, 1);
    KCHECK_EQ(log_at(0), 0x207); /* t[2] was first in the queue now */
    seL4_Send(mint(ep, seL4_AllRights, 0x8), seL4_MessageInfo_new(0, 0, 0, 0));
    settle();
    KCHECK_EQ(d_done, 2);
    KCHECK_EQ(log_at(1), 0x108);
}

/* Receives on the endpoint `cap` forever, logging each badge. */
static void recv_loop(seL4_Word cap)
{
    for (;;) {
        seL4_Word badge = 0;
        seL4_MessageInfo_t info = seL4_Recv(cap, &badge);
        bool sig = seL4_MessageInfo_get_label(info) == seL4_NotificationSignalLabel;
        log_event((sig ? 0x1000u : 0) | badge);
        d_done++;
    }
}

KTEST(delete_bound_ntfn, "IPC0308",
      "deleting a thread's bound notification unbinds it; the thread stays in its Recv")
{
    start();
    seL4_CPtr ep = ktest_object(seL4_EndpointObject, 0);
    seL4_CPtr n = ktest_object(seL4_NotificationObject, 0);
    ktest_thread_t t;
    ktest_thread_create(&t, recv_loop, ep, 100, 0);
    KREQUIRE_EQ(seL4_TCB_BindNotification(t.tcb, n), seL4_NoError);
    ktest_thread_start(&t);
    settle();
    KCHECK_EQ(seL4_CNode_Delete(seL4_CapInitThreadCNode, n, 32), seL4_NoError);
    settle();
    KCHECK_EQ(d_done, 0);
    seL4_Send(mint(ep, seL4_AllRights, 0x21), seL4_MessageInfo_new(0, 0, 0, 0));
    settle();
    KCHECK_EQ(d_done, 1);
    KCHECK_EQ(log_at(0), 0x21);
    /* Unbound: it takes a new notification. */
    seL4_CPtr n2 = ktest_object(seL4_NotificationObject, 0);
    KCHECK_EQ(seL4_TCB_BindNotification(t.tcb, n2), seL4_NoError);
    seL4_Signal(mint(n2, seL4_AllRights, 0x2));
    settle();
    KCHECK_EQ(d_done, 2);
    KCHECK_EQ(log_at(1), 0x1002);
}

KTEST(delete_bound_tcb, "IPC0309",
      "deleting a thread bound to a notification frees the notification for another binding")
{
    start();
    seL4_CPtr ep = ktest_object(seL4_EndpointObject, 0);
    seL4_CPtr n = ktest_object(seL4_NotificationObject, 0);
    ktest_thread_t a, b;
    ktest_thread_create(&a, recv_loop, ep, 100, 0);
    KREQUIRE_EQ(seL4_TCB_BindNotification(a.tcb, n), seL4_NoError);
    ktest_thread_start(&a);
    settle();
    ktest_thread_create(&b, recv_loop, ep, 100, 0);
    KCHECK_EQ(seL4_TCB_BindNotification(b.tcb, n), seL4_IllegalOperation);
    KCHECK_EQ(seL4_CNode_Delete(seL4_CapInitThreadCNode, a.tcb, 32), seL4_NoError);
    KCHECK_EQ(seL4_TCB_BindNotification(b.tcb, n), seL4_NoError);
    ktest_thread_start(&b);
    settle();
    seL4_Signal(mint(n, seL4_AllRights, 0x3));
    settle();
    KCHECK_EQ(d_done, 1);
    KCHECK_EQ(log_at(0), 0x1003);
}

KTEST(delete_cancel_badged_sends, "IPC0310",
      "CancelBadgedSends restarts the senders with that badge only; the rest stay queued in "
      "order")
{
    start();
    seL4_CPtr ep = ktest_object(seL4_EndpointObject, 0);
    seL4_CPtr b5 = mint(ep, seL4_AllRights, 5), b6 = mint(ep, seL4_AllRights, 6);
    seL4_CPtr b5_sender = mint(ep, seL4_AllRights, 5);
    /* b5_sender is a copy made from ep, not from b5: give the senders a cap derived from
     * b5 so that deleting it is possible without touching b5. */
    KREQUIRE_EQ(seL4_CNode_Delete(seL4_CapInitThreadCNode, b5_sender, 32), seL4_NoError);
    KREQUIRE_EQ(seL4_CNode_Copy(seL4_CapInitThreadCNode, b5_sender, 32, seL4_CapInitThreadCNode, b5,
                                32, seL4_AllRights),
                seL4_NoError);
    ktest_thread_t t[3];
    seL4_CPtr caps[3] = {b5_sender, b6, b5_sender};
    for (int i = 0; i < 3; i++) {
        spawn(&t[i], call_once, caps[i], 100, 0);
        settle();
    }
    /* Revoke the badge: delete the senders' cap, then cancel the sends with badge 5. */
    KCHECK_EQ(seL4_CNode_Delete(seL4_CapInitThreadCNode, b5_sender, 32), seL4_NoError);
    KCHECK_EQ(seL4_CNode_CancelBadgedSends(seL4_CapInitThreadCNode, b5, 32), seL4_NoError);
    settle();
    /* Both badge-5 callers re-ran their Call on the now empty slot. */
    KCHECK_EQ(d_done, 2);
    KREQUIRE_EQ(log_count(), 2);
    KCHECK_EQ(log_at(0), (TAG_CALL << 24) | seL4_InvalidCapability);
    KCHECK_EQ(log_at(1), (TAG_CALL << 24) | seL4_InvalidCapability);
    seL4_Word b = 0;
    seL4_NBRecv(ep, &b);
    KCHECK_EQ(b, 6);
    b = 0x99;
    seL4_NBRecv(ep, &b);
    KCHECK_EQ(b, 0);
}

KTEST(delete_ep_caller_waits_reply, "IPC0311",
      "deleting the endpoint of a Call already received leaves the caller waiting for its "
      "reply, which still arrives")
{
    start();
    seL4_CPtr ep = ktest_object(seL4_EndpointObject, 0);
    seL4_CPtr copy = mint(ep, seL4_AllRights, 0);
    ktest_thread_t c;
    spawn(&c, call_once, copy, 100, 0);
    seL4_Recv(ep, NULL);
    KCHECK_EQ(seL4_CNode_Delete(seL4_CapInitThreadCNode, copy, 32), seL4_NoError);
    KCHECK_EQ(seL4_CNode_Delete(seL4_CapInitThreadCNode, ep, 32), seL4_NoError);
    settle();
    KCHECK_EQ(d_done, 0);
    seL4_Reply(seL4_MessageInfo_new(0x33, 0, 0, 0));
    settle();
    KCHECK_EQ(d_done, 1);
    KCHECK_EQ(log_at(0), (TAG_CALL << 24) | 0x33);
}

KTEST(delete_caller_in_call_queue, "IPC0312",
      "deleting a thread blocked in Call before it is received removes it from the queue")
{
    start();
    seL4_CPtr ep = ktest_object(seL4_EndpointObject, 0);
    ktest_thread_t c1, c2;
    spawn(&c1, call_once, mint(ep, seL4_AllRights, 1), 100, 0);
    settle();
    spawn(&c2, call_once, mint(ep, seL4_AllRights, 2), 100, 0);
    settle();
    KCHECK_EQ(seL4_CNode_Delete(seL4_CapInitThreadCNode, c1.tcb, 32), seL4_NoError);
    seL4_Word b = 0;
    seL4_Recv(ep, &b);
    KCHECK_EQ(b, 2);
    seL4_Reply(seL4_MessageInfo_new(0x1, 0, 0, 0));
    settle();
    KCHECK_EQ(d_done, 1);
    KCHECK_EQ(log_at(0), (TAG_CALL << 24) | 0x1);
}
