/*
 * Reply capabilities: one-shot, SaveCaller, several saved callers answered out of order,
 * and what becomes of a reply cap when its caller goes away.
 */
#include "ipc.h"

static volatile seL4_CPtr r_ep, r_other;
static volatile seL4_Word r_result[8], r_done;

static void reset(seL4_CPtr ep)
{
    r_ep = ep;
    r_done = 0;
    for (int i = 0; i < 8; i++)
        r_result[i] = 0;
}

/* Calls r_ep with MR0 = arg; records the reply's MR0 in r_result[arg] and the order in
 * the log. */
static void client(seL4_Word arg)
{
    seL4_SetMR(0, arg);
    seL4_Call(r_ep, seL4_MessageInfo_new(0, 0, 0, 1));
    r_result[arg] = seL4_GetMR(0);
    log_event(arg);
    r_done++;
}

/* Calls r_ep once, then waits on r_other (an endpoint) and counts what arrives there. */
static void client_then_wait(seL4_Word arg)
{
    seL4_SetMR(0, arg);
    seL4_Call(r_ep, seL4_MessageInfo_new(0, 0, 0, 1));
    r_result[0] = seL4_GetMR(0);
    r_done++;
    for (;;) {
        seL4_Recv(r_other, NULL);
        r_result[1]++;
    }
}

KTEST(reply_one_shot, "IPC0201",
      "a reply cap is used up by its reply: a second Reply does nothing to the caller")
{
    seL4_CPtr ep = ktest_object(seL4_EndpointObject, 0);
    reset(ep);
    r_other = ktest_object(seL4_EndpointObject, 0);
    ktest_thread_t t;
    spawn(&t, client_then_wait, 1, 100, 0);
    seL4_Recv(ep, NULL);
    seL4_SetMR(0, 0x51);
    seL4_Reply(seL4_MessageInfo_new(0, 0, 0, 1));
    settle();
    KCHECK_EQ(r_done, 1);
    KCHECK_EQ(r_result[0], 0x51);
    /* The caller now waits on another endpoint; a second reply must not wake it. */
    seL4_SetMR(0, 0x52);
    seL4_Reply(seL4_MessageInfo_new(0, 0, 0, 1));
    settle();
    KCHECK_EQ(r_result[1], 0);
    KCHECK_EQ(r_result[0], 0x51);
    seL4_CPtr saved = ktest_slot();
    KCHECK_EQ(seL4_CNode_SaveCaller(seL4_CapInitThreadCNode, saved, 32), seL4_NoError);
    KCHECK_EQ(seL4_DebugCapIdentify(saved), CAP_NULL);
    /* It still works normally. */
    seL4_Send(r_other, seL4_MessageInfo_new(0, 0, 0, 0));
    settle();
    KCHECK_EQ(r_result[1], 1);
}

KTEST(reply_save_caller, "IPC0202",
      "SaveCaller moves the reply cap to a slot; invoking it replies once and empties the slot")
{
    seL4_CPtr ep = ktest_object(seL4_EndpointObject, 0);
    reset(ep);
    log_reset();
    ktest_thread_t t;
    spawn(&t, client, 3, 100, 0);
    seL4_Recv(ep, NULL);
    KCHECK_EQ(seL4_GetMR(0), 3);
    seL4_CPtr saved = ktest_slot();
    KREQUIRE_EQ(seL4_CNode_SaveCaller(seL4_CapInitThreadCNode, saved, 32), seL4_NoError);
    KCHECK_EQ(seL4_DebugCapIdentify(saved), CAP_REPLY);
    /* The caller slot is empty now: seL4_Reply does nothing. */
    seL4_SetMR(0, 0x99);
    seL4_Reply(seL4_MessageInfo_new(0, 0, 0, 1));
    settle();
    KCHECK_EQ(r_done, 0);
    /* Saving again finds nothing; a non-empty destination is refused. */
    seL4_CPtr again = ktest_slot();
    KCHECK_EQ(seL4_CNode_SaveCaller(seL4_CapInitThreadCNode, again, 32), seL4_NoError);
    KCHECK_EQ(seL4_DebugCapIdentify(again), CAP_NULL);
    KCHECK_EQ(seL4_CNode_SaveCaller(seL4_CapInitThreadCNode, saved, 32), seL4_DeleteFirst);
    KCHECK_EQ(seL4_DebugCapIdentify(saved), CAP_REPLY);
    seL4_SetMR(0, 0x33);
    seL4_Send(saved, seL4_MessageInfo_new(0, 0, 0, 1));
    settle();
    KCHECK_EQ(r_done, 1);
    KCHECK_EQ(r_result[3], 0x33);
    KCHECK_EQ(seL4_DebugCapIdentify(saved), CAP_NULL);
}

KTEST(reply_three_out_of_order, "IPC0203",
      "a server holds three saved callers and answers them out of order; each gets its reply")
{
    seL4_CPtr ep = ktest_object(seL4_EndpointObject, 0);
    reset(ep);
    log_reset();
    ktest_thread_t t[3];
    seL4_CPtr saved[4];
    for (int i = 1; i <= 3; i++) {
        spawn(&t[i - 1], client, i, 100, 0);
        settle();
    }
    for (int i = 1; i <= 3; i++) {
        seL4_Recv(ep, NULL);
        KCHECK_EQ(seL4_GetMR(0), (seL4_Word)i);
        saved[i] = ktest_slot();
        KCHECK_EQ(seL4_CNode_SaveCaller(seL4_CapInitThreadCNode, saved[i], 32), seL4_NoError);
        KCHECK_EQ(seL4_DebugCapIdentify(saved[i]), CAP_REPLY);
    }
    static const int order[] = {2, 3, 1};
    for (int k = 0; k < 3; k++) {
        int i = order[k];
        seL4_SetMR(0, 0x100u * i);
        seL4_Send(saved[i], seL4_MessageInfo_new(0, 0, 0, 1));
        settle();
        KCHECK_EQ(seL4_DebugCapIdentify(saved[i]), CAP_NULL);
    }
    KREQUIRE_EQ(log_count(), 3);
    for (int k = 0; k < 3; k++)
        KCHECK_EQ(log_at(k), order[k]);
    for (int i = 1; i <= 3; i++)
        KCHECK_EQ(r_result[i], 0x100u * i);
}

KTEST(reply_caller_deleted, "IPC0204",
      "deleting a caller blocked on its reply deletes the saved reply cap; the slot is empty")
{
    seL4_CPtr ep = ktest_object(seL4_EndpointObject, 0);
    reset(ep);
    ktest_thread_t t;
    spawn(&t, client, 1, 100, 0);
    seL4_Recv(ep, NULL);
    seL4_CPtr saved = ktest_slot();
    KREQUIRE_EQ(seL4_CNode_SaveCaller(seL4_CapInitThreadCNode, saved, 32), seL4_NoError);
    KCHECK_EQ(seL4_DebugCapIdentify(saved), CAP_REPLY);
    KCHECK_EQ(seL4_CNode_Delete(seL4_CapInitThreadCNode, t.tcb, 32), seL4_NoError);
    KCHECK_EQ(seL4_DebugCapIdentify(saved), CAP_NULL);
    /* Invoking the empty slot is an invalid-cap error, not a reply. */
    seL4_MessageInfo_t r = seL4_Call(saved, seL4_MessageInfo_new(0, 0, 0, 0));
    KCHECK_EQ(seL4_MessageInfo_get_label(r), seL4_InvalidCapability);
    KCHECK_EQ(r_done, 0);
}

KTEST(reply_caller_deleted_unsaved, "IPC0205",
      "deleting a caller blocked on its reply empties the server's caller slot: Reply does nothing")
{
    seL4_CPtr ep = ktest_object(seL4_EndpointObject, 0);
    reset(ep);
    ktest_thread_t t;
    spawn(&t, client, 1, 100, 0);
    seL4_Recv(ep, NULL);
    KCHECK_EQ(seL4_CNode_Delete(seL4_CapInitThreadCNode, t.tcb, 32), seL4_NoError);
    seL4_Reply(seL4_MessageInfo_new(0, 0, 0, 0));
    seL4_CPtr saved = ktest_slot();
    KCHECK_EQ(seL4_CNode_SaveCaller(seL4_CapInitThreadCNode, saved, 32), seL4_NoError);
    KCHECK_EQ(seL4_DebugCapIdentify(saved), CAP_NULL);
    KCHECK_EQ(r_done, 0);
}

KTEST(reply_caller_suspended, "IPC0206",
      "suspending a caller waiting for its reply revokes the reply cap; Resume re-runs its Call")
{
    seL4_CPtr ep = ktest_object(seL4_EndpointObject, 0);
    reset(ep);
    ktest_thread_t t;
    spawn(&t, client, 2, 100, 0);
    seL4_Recv(ep, NULL);
    KCHECK_EQ(seL4_GetMR(0), 2);
    seL4_CPtr saved = ktest_slot();
    KREQUIRE_EQ(seL4_CNode_SaveCaller(seL4_CapInitThreadCNode, saved, 32), seL4_NoError);
    KCHECK_EQ(seL4_TCB_Suspend(t.tcb), seL4_NoError);
    KCHECK_EQ(seL4_DebugCapIdentify(saved), CAP_NULL);
    KCHECK_EQ(seL4_TCB_Resume(t.tcb), seL4_NoError);
    /* The thread restarts its seL4_Call: the same message arrives again. */
    seL4_Word badge = 1;
    seL4_MessageInfo_t info = seL4_Recv(ep, &badge);
    KCHECK_EQ(seL4_MessageInfo_get_length(info), 1);
    KCHECK_EQ(seL4_GetMR(0), 2);
    seL4_SetMR(0, 0x2222);
    seL4_Reply(seL4_MessageInfo_new(0, 0, 0, 1));
    settle();
    KCHECK_EQ(r_done, 1);
    KCHECK_EQ(r_result[2], 0x2222);
}

KTEST(reply_recv_drops_unused, "IPC0207",
      "a new Recv deletes an unused reply cap: its caller stays blocked, the next reply goes "
      "to the new caller")
{
    seL4_CPtr ep = ktest_object(seL4_EndpointObject, 0);
    reset(ep);
    log_reset();
    ktest_thread_t a, b;
    spawn(&a, client, 1, 100, 0);
    settle();
    spawn(&b, client, 2, 100, 0);
    settle();
    seL4_Recv(ep, NULL);
    KCHECK_EQ(seL4_GetMR(0), 1);
    seL4_Recv(ep, NULL);
    KCHECK_EQ(seL4_GetMR(0), 2);
    seL4_SetMR(0, 0x77);
    seL4_Reply(seL4_MessageInfo_new(0, 0, 0, 1));
    settle();
    KCHECK_EQ(r_done, 1);
    KCHECK_EQ(r_result[2], 0x77);
    KCHECK_EQ(r_result[1], 0);
    KREQUIRE_EQ(log_count(), 1);
    KCHECK_EQ(log_at(0), 2);
}

KTEST(reply_call_on_reply_cap, "IPC0208",
      "seL4_Call on a saved reply cap replies, and the invoker gets an empty successful reply")
{
    seL4_CPtr ep = ktest_object(seL4_EndpointObject, 0);
    reset(ep);
    ktest_thread_t t;
    spawn(&t, client, 4, 100, 0);
    seL4_Recv(ep, NULL);
    seL4_CPtr saved = ktest_slot();
    KREQUIRE_EQ(seL4_CNode_SaveCaller(seL4_CapInitThreadCNode, saved, 32), seL4_NoError);
    seL4_SetMR(0, 0x4444);
    seL4_MessageInfo_t r = seL4_Call(saved, seL4_MessageInfo_new(0x12, 0, 0, 1));
    KCHECK_EQ(seL4_MessageInfo_get_label(r), 0);
    KCHECK_EQ(seL4_MessageInfo_get_length(r), 0);
    settle();
    KCHECK_EQ(r_done, 1);
    KCHECK_EQ(r_result[4], 0x4444);
    KCHECK_EQ(seL4_DebugCapIdentify(saved), CAP_NULL);
}

KTEST(reply_cap_not_copyable, "IPC0209",
      "a reply cap cannot be copied or minted (IllegalOperation) but can be moved")
{
    seL4_CPtr ep = ktest_object(seL4_EndpointObject, 0);
    reset(ep);
    ktest_thread_t t;
    spawn(&t, client, 5, 100, 0);
    seL4_Recv(ep, NULL);
    seL4_CPtr saved = ktest_slot(), copy = ktest_slot(), moved = ktest_slot();
    KREQUIRE_EQ(seL4_CNode_SaveCaller(seL4_CapInitThreadCNode, saved, 32), seL4_NoError);
    KCHECK_EQ(seL4_CNode_Copy(seL4_CapInitThreadCNode, copy, 32, seL4_CapInitThreadCNode, saved, 32,
                              seL4_AllRights),
              seL4_IllegalOperation);
    KCHECK_EQ(seL4_CNode_Mint(seL4_CapInitThreadCNode, copy, 32, seL4_CapInitThreadCNode, saved, 32,
                              seL4_AllRights, 0),
              seL4_IllegalOperation);
    KCHECK_EQ(seL4_DebugCapIdentify(copy), CAP_NULL);
    KCHECK_EQ(
        seL4_CNode_Move(seL4_CapInitThreadCNode, moved, 32, seL4_CapInitThreadCNode, saved, 32),
        seL4_NoError);
    KCHECK_EQ(seL4_DebugCapIdentify(moved), CAP_REPLY);
    seL4_SetMR(0, 0x55);
    seL4_Send(moved, seL4_MessageInfo_new(0, 0, 0, 1));
    settle();
    KCHECK_EQ(r_result[5], 0x55);
}

/* A server that takes two calls, saving the first, then replies to the second from its
 * caller slot and the first through the saved cap; the reply labels tell them apart. */
static volatile seL4_CPtr srv_saved;
static void saving_server(seL4_Word arg)
{
    (void)arg;
    seL4_Recv(r_ep, NULL);
    seL4_Word first = seL4_GetMR(0);
    seL4_CNode_SaveCaller(seL4_CapInitThreadCNode, srv_saved, 32);
    seL4_Recv(r_ep, NULL);
    seL4_SetMR(0, seL4_GetMR(0) + 0x1000);
    seL4_Reply(seL4_MessageInfo_new(0, 0, 0, 1));
    seL4_SetMR(0, first + 0x2000);
    seL4_Send(srv_saved, seL4_MessageInfo_new(0, 0, 0, 1));
    r_done += 100;
}

KTEST(reply_server_thread, "IPC0210",
      "a server thread keeps one caller (SaveCaller) while it serves another")
{
    seL4_CPtr ep = ktest_object(seL4_EndpointObject, 0);
    reset(ep);
    log_reset();
    srv_saved = ktest_slot();
    ktest_thread_t s, a, b;
    spawn(&s, saving_server, 0, 150, 0);
    settle();
    spawn(&a, client, 1, 100, 0);
    settle();
    spawn(&b, client, 2, 100, 0);
    settle();
    KCHECK_EQ(r_done, 102);
    KCHECK_EQ(r_result[1], 0x2001);
    KCHECK_EQ(r_result[2], 0x1002);
    KCHECK_EQ(seL4_DebugCapIdentify(srv_saved), CAP_NULL);
}
