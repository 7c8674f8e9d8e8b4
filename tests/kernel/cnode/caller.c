/*
 * CNode_SaveCaller with real callers, and CNode_CancelBadgedSends with queued senders.
 */
#include "cnode_util.h"

/* Clears this thread's caller slot (a receive does, whatever it receives). */
static void forget_caller(void)
{
    seL4_CPtr ep = new_endpoint();
    seL4_NBRecv(ep, NULL);
}

/* Starts a thread that Calls `ep` (progress[0] counts its returns) and receives it. */
static seL4_MessageInfo_t take_call(seL4_CPtr ep, ktest_thread_t *t)
{
    progress[0] = 0;
    reply_label = reply_mr0 = 0;
    start_thread(t, body_call, THREAD_ARG(ep, 0), 100, 0);
    seL4_Word badge = 0;
    return seL4_Recv(ep, &badge);
}

KTEST(save_caller_reply, "CNODE0070",
      "SaveCaller moves a real caller's reply cap into a slot; a Send on it resumes the caller")
{
    seL4_CPtr ep = new_endpoint();
    ktest_thread_t t;
    seL4_MessageInfo_t info = take_call(ep, &t);
    KCHECK_EQ(seL4_MessageInfo_get_label(info), 0x66);
    KCHECK_EQ(seL4_GetMR(0), 0);
    seL4_CPtr r = ktest_slot();
    CHECK_OK(seL4_CNode_SaveCaller(ROOT, r, DEPTH));
    KCHECK_EQ(seL4_DebugCapIdentify(r), CT_REPLY);
    let_run(100);
    KCHECK_EQ(progress[0], 0); /* still waiting for its reply */
    seL4_SetMR(0, 0xbeef);
    seL4_Send(r, seL4_MessageInfo_new(0x77, 0, 0, 1));
    KCHECK_EQ(seL4_DebugCapIdentify(r), CT_NULL);
    let_run(100);
    KCHECK_EQ(progress[0], 1);
    KCHECK_EQ(reply_label, 0x77);
    KCHECK_EQ(reply_mr0, 0xbeef);
    /* The caller slot was emptied by the save: a second save finds nothing. */
    seL4_CPtr r2 = ktest_slot();
    CHECK_OK(seL4_CNode_SaveCaller(ROOT, r2, DEPTH));
    KCHECK_EQ(seL4_DebugCapIdentify(r2), CT_NULL);
}

KTEST(save_caller_none, "CNODE0071",
      "SaveCaller without a caller succeeds and leaves the slot empty")
{
    forget_caller();
    seL4_CPtr r = ktest_slot();
    CHECK_OK(seL4_CNode_SaveCaller(ROOT, r, DEPTH));
    KCHECK_EQ(seL4_DebugCapIdentify(r), CT_NULL);
    seL4_CPtr cn = new_cnode(2);
    CHECK_OK(seL4_CNode_SaveCaller(cn, 1, 2));
    KCHECK_EQ(cap_type_at(cn, 1, 2), CT_NULL);
}

KTEST(save_caller_occupied, "CNODE0072",
      "SaveCaller into an occupied slot is DeleteFirst; the reply cap stays with the receiver")
{
    seL4_CPtr ep = new_endpoint();
    ktest_thread_t t;
    take_call(ep, &t);
    seL4_CPtr nt = new_notification();
    CHECK_ERROR(seL4_CNode_SaveCaller(ROOT, nt, DEPTH), seL4_DeleteFirst);
    KCHECK_EQ(seL4_DebugCapIdentify(nt), CT_NOTIFICATION);
    seL4_SetMR(0, 0x1111);
    seL4_Reply(seL4_MessageInfo_new(0x21, 0, 0, 1));
    let_run(100);
    KCHECK_EQ(progress[0], 1);
    KCHECK_EQ(reply_label, 0x21);
    KCHECK_EQ(reply_mr0, 0x1111);
}

KTEST(save_caller_into_cnode, "CNODE0073",
      "a saved reply cap can be moved but not copied; deleting it leaves the caller waiting")
{
    seL4_CPtr ep = new_endpoint();
    ktest_thread_t t;
    take_call(ep, &t);
    seL4_CPtr cn = new_cnode(3);
    CHECK_OK(seL4_CNode_SaveCaller(cn, 5, 3));
    KCHECK_EQ(cap_type_at(cn, 5, 3), CT_REPLY);
    seL4_CPtr d = ktest_slot();
    CHECK_ERROR(seL4_CNode_Copy(ROOT, d, DEPTH, cn, 5, 3, seL4_AllRights), seL4_IllegalOperation);
    CHECK_OK(seL4_CNode_Move(ROOT, d, DEPTH, cn, 5, 3));
    KCHECK_EQ(seL4_DebugCapIdentify(d), CT_REPLY);
    CHECK_OK(seL4_CNode_Delete(ROOT, d, DEPTH));
    KCHECK_EQ(seL4_DebugCapIdentify(d), CT_NULL);
    let_run(100);
    KCHECK_EQ(progress[0], 0);
    CHECK_INVARIANTS();
    /* Nothing else can answer it: a Reply now has no caller to go to. */
    seL4_Reply(seL4_MessageInfo_new(0, 0, 0, 0));
    let_run(100);
    KCHECK_EQ(progress[0], 0);
}

KTEST(save_caller_caller_stops, "CNODE0074",
      "a saved reply cap vanishes when its caller is suspended or destroyed")
{
    seL4_CPtr ep = new_endpoint();
    ktest_thread_t t;
    take_call(ep, &t);
    seL4_CPtr r = ktest_slot();
    CHECK_OK(seL4_CNode_SaveCaller(ROOT, r, DEPTH));
    CHECK_OK(seL4_TCB_Suspend(t.tcb));
    KCHECK_EQ(seL4_DebugCapIdentify(r), CT_NULL);
    CHECK_INVARIANTS();

    ktest_thread_t t2;
    take_call(ep, &t2);
    seL4_CPtr r2 = ktest_slot();
    CHECK_OK(seL4_CNode_SaveCaller(ROOT, r2, DEPTH));
    CHECK_OK(seL4_CNode_Delete(ROOT, t2.tcb, DEPTH));
    KCHECK_EQ(seL4_DebugCapIdentify(r2), CT_NULL);
    CHECK_INVARIANTS();
}

KTEST(save_caller_lookup, "CNODE0075",
      "a SaveCaller whose slot does not resolve fails and keeps the reply cap where it was")
{
    seL4_CPtr ep = new_endpoint();
    ktest_thread_t t;
    take_call(ep, &t);
    CHECK_RANGE(seL4_CNode_SaveCaller(ROOT, ktest_slot(), 33), 1, 32);
    seL4_CPtr cn = new_cnode(2);
    CHECK_LOOKUP(seL4_CNode_SaveCaller(cn, 1, 1), 0, seL4_DepthMismatch, 1, 2, 0);
    CHECK_LOOKUP(seL4_CNode_SaveCaller(ROOT, 1u << 31, DEPTH), 0, seL4_GuardMismatch, 32, 0, 20);
    seL4_Reply(seL4_MessageInfo_new(0x31, 0, 0, 0));
    let_run(100);
    KCHECK_EQ(progress[0], 1);
    KCHECK_EQ(reply_label, 0x31);
}

/* ------------------------------------------------------------ CancelBadgedSends --- */

/* Three senders queue on `ep` in order: thread 0 with badge 1, 1 with badge 2, 2 with 1. */
typedef struct {
    seL4_CPtr ep, b1, b2;
    ktest_thread_t t[3];
} senders_t;

static void queue_senders(senders_t *s)
{
    s->ep = new_endpoint();
    s->b1 = mint_new(s->ep, seL4_AllRights, 1);
    s->b2 = mint_new(s->ep, seL4_AllRights, 2);
    seL4_CPtr caps[3] = {s->b1, s->b2, s->b1};
    for (int i = 0; i < 3; i++) {
        progress[i] = 0;
        start_thread(&s->t[i], body_send, THREAD_ARG(caps[i], i), 100, 0);
        let_run(100); /* it blocks sending: the queue keeps this order */
    }
}

/* Receives without blocking: returns the sender's index, or -1 if none was queued. */
static int nb_receive(seL4_CPtr ep, seL4_Word *badge)
{
    *badge = 0;
    seL4_MessageInfo_t info = seL4_NBRecv(ep, badge);
    if (seL4_MessageInfo_get_label(info) != 0x55)
        return -1;
    return (int)seL4_GetMR(0);
}

KTEST(cancel_badged_sends, "CNODE0080",
      "CancelBadgedSends restarts the senders with that badge; other senders stay queued")
{
    senders_t s;
    queue_senders(&s);
    CHECK_OK(seL4_CNode_CancelBadgedSends(ROOT, s.b1, DEPTH));
    seL4_Word badge;
    KCHECK_EQ(nb_receive(s.ep, &badge), 1);
    KCHECK_EQ(badge, 2);
    KCHECK_EQ(nb_receive(s.ep, &badge), -1);
    KCHECK_EQ(badge, 0);
    /* Restarted, they send again (their cap still works) and queue up anew. */
    let_run(100);
    int got[2];
    got[0] = nb_receive(s.ep, &badge);
    KCHECK_EQ(badge, 1);
    got[1] = nb_receive(s.ep, &badge);
    KCHECK_EQ(badge, 1);
    KCHECK((got[0] == 0 && got[1] == 2) || (got[0] == 2 && got[1] == 0));
    KCHECK_EQ(nb_receive(s.ep, &badge), -1);
    let_run(100);
    KCHECK_EQ(progress[0] + progress[1] + progress[2], 3);
    CHECK_INVARIANTS();
}

KTEST(cancel_badged_sends_unbadged, "CNODE0081",
      "CancelBadgedSends on an unbadged endpoint cap succeeds and cancels nothing")
{
    senders_t s;
    queue_senders(&s);
    CHECK_OK(seL4_CNode_CancelBadgedSends(ROOT, s.ep, DEPTH));
    seL4_Word badge;
    KCHECK_EQ(nb_receive(s.ep, &badge), 0);
    KCHECK_EQ(badge, 1);
    KCHECK_EQ(nb_receive(s.ep, &badge), 1);
    KCHECK_EQ(badge, 2);
    KCHECK_EQ(nb_receive(s.ep, &badge), 2);
    KCHECK_EQ(badge, 1);
    /* Cancelling a badge nobody sends with changes nothing either. */
    seL4_CPtr b9 = mint_new(s.ep, seL4_AllRights, 9);
    CHECK_OK(seL4_CNode_CancelBadgedSends(ROOT, b9, DEPTH));
}

KTEST(cancel_badged_sends_rights, "CNODE0082",
      "CancelBadgedSends needs an endpoint cap with all four rights, else IllegalOperation")
{
    senders_t s;
    queue_senders(&s);
    seL4_CPtr partial[4] = {
        mint_new(s.ep, seL4_CapRights_new(0, 1, 1, 1), 1),
        mint_new(s.ep, seL4_CapRights_new(1, 0, 1, 1), 1),
        mint_new(s.ep, seL4_CapRights_new(1, 1, 0, 1), 1),
        mint_new(s.ep, seL4_CapRights_new(1, 1, 1, 0), 1),
    };
    for (int i = 0; i < 4; i++)
        CHECK_ERROR(seL4_CNode_CancelBadgedSends(ROOT, partial[i], DEPTH), seL4_IllegalOperation);
    seL4_CPtr nt = new_notification();
    seL4_CPtr nb = mint_new(nt, seL4_AllRights, 1);
    CHECK_ERROR(seL4_CNode_CancelBadgedSends(ROOT, nb, DEPTH), seL4_IllegalOperation);
    CHECK_ERROR(seL4_CNode_CancelBadgedSends(ROOT, ktest_slot(), DEPTH), seL4_IllegalOperation);
    CHECK_ERROR(seL4_CNode_CancelBadgedSends(ROOT, ROOT, DEPTH), seL4_IllegalOperation);
    /* Nobody was cancelled. */
    seL4_Word badge;
    KCHECK_EQ(nb_receive(s.ep, &badge), 0);
    KCHECK_EQ(nb_receive(s.ep, &badge), 1);
    KCHECK_EQ(nb_receive(s.ep, &badge), 2);
}

KTEST(cancel_badged_sends_receivers, "CNODE0083",
      "CancelBadgedSends leaves threads waiting to receive alone")
{
    seL4_CPtr ep = new_endpoint();
    seL4_CPtr b1 = mint_new(ep, seL4_AllRights, 1);
    ktest_thread_t t;
    progress[3] = 0;
    start_thread(&t, body_recv, THREAD_ARG(ep, 3), 100, 0);
    let_run(100);
    CHECK_OK(seL4_CNode_CancelBadgedSends(ROOT, b1, DEPTH));
    let_run(100);
    KCHECK_EQ(progress[3], 0);
    seL4_Send(b1, seL4_MessageInfo_new(0, 0, 0, 0));
    let_run(100);
    KCHECK_EQ(progress[3], 1);
}
