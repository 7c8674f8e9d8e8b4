/*
 * Endpoint IPC: Send, NBSend, Call, Recv, NBRecv, Reply, ReplyRecv; message contents,
 * lengths and badges; queue order; rights.
 */
#include "ipc.h"

/* What a worker thread saw or did; reset by each case. */
static volatile seL4_CPtr w_cap, w_tcb;
static volatile seL4_Word w_badge, w_info, w_mr[8], w_done, w_count;

static void reset_worker_state(seL4_CPtr cap)
{
    w_cap = cap;
    w_badge = w_info = w_done = w_count = 0;
    for (int i = 0; i < 8; i++)
        w_mr[i] = 0;
}

/* Sends label 0x123 with MRs arg*0x100 + i (4 words), then marks done. */
static void sender(seL4_Word arg)
{
    for (int i = 0; i < 4; i++)
        seL4_SetMR(i, arg * 0x100 + i);
    seL4_Send(w_cap, seL4_MessageInfo_new(0x123, 0, 0, 4));
    w_done++;
}

static void nb_sender(seL4_Word arg)
{
    seL4_SetMR(0, arg);
    seL4_NBSend(w_cap, seL4_MessageInfo_new(0x124, 0, 0, 1));
    w_done++;
}

/* Receives once and records what arrived (MR0..MR5). */
static void receiver(seL4_Word arg)
{
    (void)arg;
    for (int i = 0; i < 8; i++)
        seL4_SetMR(i, 0x5a5a0000u + i);
    seL4_Word badge = 0;
    seL4_MessageInfo_t info = seL4_Recv(w_cap, &badge);
    w_badge = badge;
    w_info = info.words[0];
    for (int i = 0; i < 6; i++)
        w_mr[i] = seL4_GetMR(i);
    w_done++;
}

KTEST(ipc_send_to_waiting_receiver, "IPC0001",
      "Send to a waiting receiver delivers label, length, 4 register MRs and the badge")
{
    seL4_CPtr ep = ktest_object(seL4_EndpointObject, 0);
    reset_worker_state(mint(ep, seL4_AllRights, 0x11));
    ktest_thread_t t;
    spawn(&t, sender, 7, 100, 0);
    seL4_Word badge = 0;
    seL4_MessageInfo_t info = seL4_Recv(ep, &badge);
    seL4_Word mr[4];
    for (int i = 0; i < 4; i++)
        mr[i] = seL4_GetMR(i);
    KCHECK_EQ(badge, 0x11);
    KCHECK_EQ(seL4_MessageInfo_get_label(info), 0x123);
    KCHECK_EQ(seL4_MessageInfo_get_length(info), 4);
    KCHECK_EQ(seL4_MessageInfo_get_extraCaps(info), 0);
    KCHECK_EQ(seL4_MessageInfo_get_capsUnwrapped(info), 0);
    for (int i = 0; i < 4; i++)
        KCHECK_EQ(mr[i], 0x700u + i);
    settle();
    KCHECK_EQ(w_done, 1);
}

KTEST(ipc_sender_blocks, "IPC0002", "a Send blocks until a receiver arrives, then completes")
{
    seL4_CPtr ep = ktest_object(seL4_EndpointObject, 0);
    reset_worker_state(ep);
    ktest_thread_t t;
    spawn(&t, sender, 3, 100, 0);
    settle();
    KCHECK_EQ(w_done, 0); /* still blocked in Send */
    seL4_Word badge = 1;
    seL4_MessageInfo_t info = seL4_Recv(ep, &badge);
    KCHECK_EQ(badge, 0);
    KCHECK_EQ(seL4_MessageInfo_get_label(info), 0x123);
    KCHECK_EQ(seL4_GetMR(3), 0x303);
    settle();
    KCHECK_EQ(w_done, 1);
}

KTEST(ipc_nbsend_dropped, "IPC0003",
      "NBSend with no receiver returns at once and the message is dropped")
{
    seL4_CPtr ep = ktest_object(seL4_EndpointObject, 0);
    reset_worker_state(ep);
    ktest_thread_t t;
    spawn(&t, nb_sender, 0x42, 100, 0);
    settle();
    KCHECK_EQ(w_done, 1);
    /* Nothing was queued: a receiver finds the endpoint empty. */
    seL4_SetMR(0, 0x77);
    seL4_Word badge = 9;
    seL4_MessageInfo_t info = seL4_NBRecv(ep, &badge);
    KCHECK_EQ(badge, 0);
    KCHECK_EQ(seL4_MessageInfo_get_label(info), 0);
    KCHECK_EQ(seL4_GetMR(0), 0x77);
    /* ...and so does a blocked receiver that arrives later. */
    reset_worker_state(ep);
    ktest_thread_t r;
    spawn(&r, receiver, 0, 100, 0);
    settle();
    KCHECK_EQ(w_done, 0);
}

KTEST(ipc_nbsend_to_waiting, "IPC0004", "NBSend to a waiting receiver delivers the message")
{
    seL4_CPtr ep = ktest_object(seL4_EndpointObject, 0);
    reset_worker_state(ep);
    ktest_thread_t r;
    spawn(&r, receiver, 0, 100, 0);
    settle();
    seL4_CPtr badged = mint(ep, seL4_AllRights, 0x3c);
    seL4_SetMR(0, 0xabc);
    seL4_SetMR(1, 0xdef);
    seL4_NBSend(badged, seL4_MessageInfo_new(0x55, 0, 0, 2));
    settle();
    KCHECK_EQ(w_done, 1);
    KCHECK_EQ(w_badge, 0x3c);
    seL4_MessageInfo_t info = {{w_info}};
    KCHECK_EQ(seL4_MessageInfo_get_label(info), 0x55);
    KCHECK_EQ(seL4_MessageInfo_get_length(info), 2);
    KCHECK_EQ(w_mr[0], 0xabc);
    KCHECK_EQ(w_mr[1], 0xdef);
    KCHECK_EQ(w_mr[2], 0x5a5a0002u); /* not part of the message: untouched */
}

KTEST(ipc_nbrecv_empty, "IPC0005",
      "NBRecv on an endpoint with no sender returns badge 0 without blocking")
{
    seL4_CPtr ep = ktest_object(seL4_EndpointObject, 0);
    for (int i = 0; i < 4; i++)
        seL4_SetMR(i, 0x1000u + i);
    seL4_Word badge = 0xffff;
    seL4_MessageInfo_t info = seL4_NBRecv(ep, &badge);
    KCHECK_EQ(badge, 0);
    KCHECK_EQ(seL4_MessageInfo_get_length(info), 0);
    for (int i = 0; i < 4; i++)
        KCHECK_EQ(seL4_GetMR(i), 0x1000u + i);
    /* A receiver queued on the endpoint does not make NBRecv block either. */
    reset_worker_state(ep);
    ktest_thread_t r;
    spawn(&r, receiver, 0, 100, 0);
    settle();
    badge = 0xffff;
    seL4_NBRecv(ep, &badge);
    KCHECK_EQ(badge, 0);
}

KTEST(ipc_nbrecv_sender, "IPC0006",
      "NBRecv takes a blocked sender's message and the sender resumes")
{
    seL4_CPtr ep = ktest_object(seL4_EndpointObject, 0);
    reset_worker_state(mint(ep, seL4_AllRights, 0x99));
    ktest_thread_t t;
    spawn(&t, sender, 5, 100, 0);
    settle();
    seL4_Word badge = 0;
    seL4_MessageInfo_t info = seL4_NBRecv(ep, &badge);
    KCHECK_EQ(badge, 0x99);
    KCHECK_EQ(seL4_MessageInfo_get_label(info), 0x123);
    KCHECK_EQ(seL4_MessageInfo_get_length(info), 4);
    KCHECK_EQ(seL4_GetMR(0), 0x500);
    settle();
    KCHECK_EQ(w_done, 1);
}

/* Sends its own badge-carrying cap's message once; records nothing. */
static void badged_sender(seL4_Word cap)
{
    seL4_SetMR(0, cap);
    seL4_Send(cap, seL4_MessageInfo_new(1, 0, 0, 1));
    w_done++;
}

KTEST(ipc_fifo_senders, "IPC0007",
      "senders of equal priority queue on an endpoint and are received in arrival order")
{
    seL4_CPtr ep = ktest_object(seL4_EndpointObject, 0);
    reset_worker_state(ep);
    ktest_thread_t t[4];
    seL4_CPtr caps[4];
    for (int i = 0; i < 4; i++) {
        caps[i] = mint(ep, seL4_AllRights, 10 + i);
        spawn(&t[i], badged_sender, caps[i], 100, 0);
        settle(); /* each blocks before the next arrives */
    }
    for (int i = 0; i < 4; i++) {
        seL4_Word badge = 0;
        seL4_Recv(ep, &badge);
        KCHECK_EQ(badge, 10u + i);
        KCHECK_EQ(seL4_GetMR(0), caps[i]);
    }
    settle();
    KCHECK_EQ(w_done, 4);
}

KTEST(ipc_fifo_not_priority, "IPC0008",
      "an endpoint queue is FIFO, not priority ordered: a later higher-priority sender waits")
{
    seL4_CPtr ep = ktest_object(seL4_EndpointObject, 0);
    reset_worker_state(ep);
    ktest_thread_t lo, hi;
    spawn(&lo, badged_sender, mint(ep, seL4_AllRights, 1), 50, 0);
    settle();
    spawn(&hi, badged_sender, mint(ep, seL4_AllRights, 2), 200, 0);
    settle();
    seL4_Word b1 = 0, b2 = 0;
    seL4_Recv(ep, &b1);
    seL4_Recv(ep, &b2);
    KCHECK_EQ(b1, 1);
    KCHECK_EQ(b2, 2);
}

/* Receives once and logs (its index << 8 | badge). */
static void logging_receiver(seL4_Word idx)
{
    seL4_Word badge = 0;
    seL4_Recv(w_cap, &badge);
    log_event((idx << 8) | badge);
}

KTEST(ipc_fifo_receivers, "IPC0009",
      "receivers queue in arrival order: each message goes to the longest-waiting receiver")
{
    seL4_CPtr ep = ktest_object(seL4_EndpointObject, 0);
    reset_worker_state(ep);
    log_reset();
    ktest_thread_t t[3];
    for (int i = 0; i < 3; i++) {
        spawn(&t[i], logging_receiver, i, 100, 0);
        settle();
    }
    for (int i = 0; i < 3; i++) {
        seL4_Send(mint(ep, seL4_AllRights, 0x20 + i), seL4_MessageInfo_new(0, 0, 0, 0));
        settle();
    }
    KREQUIRE_EQ(log_count(), 3);
    KCHECK_EQ(log_at(0), 0x020);
    KCHECK_EQ(log_at(1), 0x121);
    KCHECK_EQ(log_at(2), 0x222);
}

/* Serves one Call: replies label 0x77 with MR0 + 1 and MR1 = the badge. */
static void one_shot_server(seL4_Word arg)
{
    (void)arg;
    seL4_Word badge = 0;
    seL4_MessageInfo_t info = seL4_Recv(w_cap, &badge);
    w_info = info.words[0];
    seL4_SetMR(0, seL4_GetMR(0) + 1);
    seL4_SetMR(1, badge);
    seL4_Reply(seL4_MessageInfo_new(0x77, 0, 0, 2));
    w_done++;
}

KTEST(ipc_call_reply, "IPC0010",
      "Call blocks for the reply; the reply's label and MRs reach the caller")
{
    seL4_CPtr ep = ktest_object(seL4_EndpointObject, 0);
    reset_worker_state(ep);
    ktest_thread_t s;
    spawn(&s, one_shot_server, 0, 100, 0);
    settle();
    seL4_CPtr badged = mint(ep, seL4_AllRights, 0x66);
    seL4_SetMR(0, 41);
    seL4_SetMR(2, 0xeeee);
    seL4_MessageInfo_t reply = seL4_Call(badged, seL4_MessageInfo_new(0x31, 0, 0, 1));
    KCHECK_EQ(seL4_MessageInfo_get_label(reply), 0x77);
    KCHECK_EQ(seL4_MessageInfo_get_length(reply), 2);
    KCHECK_EQ(seL4_GetMR(0), 42);
    KCHECK_EQ(seL4_GetMR(1), 0x66);
    seL4_MessageInfo_t got = {{w_info}};
    KCHECK_EQ(seL4_MessageInfo_get_label(got), 0x31);
    KCHECK_EQ(seL4_MessageInfo_get_length(got), 1);
    settle();
    KCHECK_EQ(w_done, 1);
}

/* Calls w_cap with MR0 = arg and records the reply's MR0 in w_mr[arg]. */
static void caller(seL4_Word arg)
{
    seL4_SetMR(0, arg);
    seL4_MessageInfo_t r = seL4_Call(w_cap, seL4_MessageInfo_new(0, 0, 0, 1));
    w_mr[arg] = seL4_GetMR(0) | (seL4_MessageInfo_get_label(r) << 16);
    w_done++;
}

KTEST(ipc_reply_recv, "IPC0011",
      "ReplyRecv replies to the current caller and takes the next queued message in one call")
{
    seL4_CPtr ep = ktest_object(seL4_EndpointObject, 0);
    reset_worker_state(ep);
    ktest_thread_t a, b;
    spawn(&a, caller, 1, 100, 0);
    settle();
    spawn(&b, caller, 2, 100, 0);
    settle();
    seL4_Recv(ep, NULL);
    KCHECK_EQ(seL4_GetMR(0), 1);
    seL4_SetMR(0, 0x100);
    seL4_MessageInfo_t info = seL4_ReplyRecv(ep, seL4_MessageInfo_new(3, 0, 0, 1), NULL);
    KCHECK_EQ(seL4_MessageInfo_get_length(info), 1);
    KCHECK_EQ(seL4_GetMR(0), 2);
    seL4_SetMR(0, 0x200);
    seL4_Reply(seL4_MessageInfo_new(4, 0, 0, 1));
    settle();
    KCHECK_EQ(w_done, 2);
    KCHECK_EQ(w_mr[1], 0x30100);
    KCHECK_EQ(w_mr[2], 0x40200);
}

/* Sends seL4_MsgMaxLength distinct words with the largest label. */
static void long_sender(seL4_Word len)
{
    for (seL4_Word i = 0; i < seL4_MsgMaxLength; i++)
        seL4_SetMR(i, 0xc0de0000u + i);
    seL4_SetUserData(0xfeed); /* the word after the last MR: never part of a message */
    seL4_Send(w_cap, seL4_MessageInfo_new(0xfffff, 0, 0, len));
    w_done++;
}

KTEST(ipc_long_message, "IPC0012",
      "a 120-word message arrives whole through the IPC buffers, with a 20-bit label")
{
    seL4_CPtr ep = ktest_object(seL4_EndpointObject, 0);
    reset_worker_state(ep);
    ktest_thread_t t;
    spawn(&t, long_sender, seL4_MsgMaxLength, 100, 0);
    for (seL4_Word i = 0; i < seL4_MsgMaxLength; i++)
        seL4_SetMR(i, 0);
    seL4_MessageInfo_t info = seL4_Recv(ep, NULL);
    KCHECK_EQ(seL4_MessageInfo_get_label(info), 0xfffff);
    KCHECK_EQ(seL4_MessageInfo_get_length(info), seL4_MsgMaxLength);
    seL4_Word bad = 0;
    for (seL4_Word i = 0; i < seL4_MsgMaxLength; i++)
        if (seL4_GetMR(i) != 0xc0de0000u + i)
            bad++;
    KCHECK_EQ(bad, 0);
}

KTEST(ipc_overlong_message, "IPC0013",
      "a message info claiming 127 words is cut to 120; words past the length are not copied")
{
    seL4_CPtr ep = ktest_object(seL4_EndpointObject, 0);
    reset_worker_state(ep);
    ktest_thread_t t;
    spawn(&t, long_sender, 127, 100, 0);
    /* (After spawn: its invocations use the message registers.) */
    for (seL4_Word i = 0; i < seL4_MsgMaxLength; i++)
        seL4_SetMR(i, 0);
    seL4_SetUserData(0);
    seL4_MessageInfo_t info = seL4_Recv(ep, NULL);
    KCHECK_EQ(seL4_MessageInfo_get_length(info), seL4_MsgMaxLength);
    KCHECK_EQ(seL4_GetMR(seL4_MsgMaxLength - 1), 0xc0de0000u + seL4_MsgMaxLength - 1);
    /* The word after the message registers (userData) is not a message register. */
    KCHECK_EQ(seL4_GetUserData(), 0);

    /* A shorter message leaves the receiver's later MRs alone. */
    ktest_thread_t t2;
    spawn(&t2, long_sender, 9, 100, 0);
    for (seL4_Word i = 0; i < seL4_MsgMaxLength; i++)
        seL4_SetMR(i, 0x11);
    info = seL4_Recv(ep, NULL);
    KCHECK_EQ(seL4_MessageInfo_get_length(info), 9);
    KCHECK_EQ(seL4_GetMR(8), 0xc0de0008u);
    KCHECK_EQ(seL4_GetMR(9), 0x11);
}

KTEST(ipc_empty_message, "IPC0014",
      "a zero-length message carries label and badge only; the receiver's MRs stay as they were")
{
    seL4_CPtr ep = ktest_object(seL4_EndpointObject, 0);
    reset_worker_state(ep);
    ktest_thread_t r;
    spawn(&r, receiver, 0, 100, 0);
    settle();
    for (int i = 0; i < 4; i++)
        seL4_SetMR(i, 0xbad0u + i);
    seL4_Send(mint(ep, seL4_AllRights, 0x5), seL4_MessageInfo_new(0xabc, 0, 0, 0));
    settle();
    KREQUIRE_EQ(w_done, 1);
    seL4_MessageInfo_t info = {{w_info}};
    KCHECK_EQ(seL4_MessageInfo_get_label(info), 0xabc);
    KCHECK_EQ(seL4_MessageInfo_get_length(info), 0);
    KCHECK_EQ(w_badge, 0x5);
    for (int i = 0; i < 4; i++)
        KCHECK_EQ(w_mr[i], 0x5a5a0000u + i);
}

/* Drops its IPC buffer, then sends a 10-word message (MRs set in the old page anyway). */
static void bufferless_sender(seL4_Word arg)
{
    (void)arg;
    seL4_Error err = seL4_TCB_SetIPCBuffer(w_tcb, 0, seL4_CapNull);
    w_count = err;
    for (int i = 0; i < 10; i++)
        seL4_SetMR(i, 0xb0u + i);
    seL4_Send(w_cap, seL4_MessageInfo_new(0x10, 0, 0, 10));
    w_done++;
}

KTEST(ipc_sender_without_buffer, "IPC0015",
      "a sender without an IPC buffer delivers only the 4 register MRs; the length says 4")
{
    seL4_CPtr ep = ktest_object(seL4_EndpointObject, 0);
    reset_worker_state(ep);
    ktest_thread_t t;
    ktest_thread_create(&t, bufferless_sender, 0, 100, 0);
    w_tcb = t.tcb;
    ktest_thread_start(&t);
    for (int i = 0; i < 10; i++)
        seL4_SetMR(i, 0x77);
    seL4_MessageInfo_t info = seL4_Recv(ep, NULL);
    KCHECK_EQ(w_count, seL4_NoError);
    KCHECK_EQ(seL4_MessageInfo_get_label(info), 0x10);
    KCHECK_EQ(seL4_MessageInfo_get_length(info), 4);
    for (int i = 0; i < 4; i++)
        KCHECK_EQ(seL4_GetMR(i), 0xb0u + i);
    KCHECK_EQ(seL4_GetMR(4), 0x77);
}

/* Drops its IPC buffer, then receives; records the message info and register MRs. */
static void bufferless_receiver(seL4_Word arg)
{
    (void)arg;
    w_count = seL4_TCB_SetIPCBuffer(w_tcb, 0, seL4_CapNull);
    seL4_SetMR(4, 0x4444);
    seL4_Word badge = 0;
    seL4_MessageInfo_t info = seL4_Recv(w_cap, &badge);
    w_info = info.words[0];
    w_badge = badge;
    for (int i = 0; i < 5; i++)
        w_mr[i] = seL4_GetMR(i);
    w_done++;
}

KTEST(ipc_receiver_without_buffer, "IPC0016",
      "a receiver without an IPC buffer gets the 4 register MRs and a length of 4")
{
    seL4_CPtr ep = ktest_object(seL4_EndpointObject, 0);
    reset_worker_state(ep);
    ktest_thread_t t;
    ktest_thread_create(&t, bufferless_receiver, 0, 100, 0);
    w_tcb = t.tcb;
    ktest_thread_start(&t);
    settle();
    seL4_CPtr badged = mint(ep, seL4_AllRights, 3);
    for (int i = 0; i < 10; i++)
        seL4_SetMR(i, 0xd0u + i);
    seL4_Send(badged, seL4_MessageInfo_new(0x20, 0, 0, 10));
    settle();
    KREQUIRE_EQ(w_done, 1);
    KCHECK_EQ(w_count, seL4_NoError);
    seL4_MessageInfo_t info = {{w_info}};
    KCHECK_EQ(seL4_MessageInfo_get_label(info), 0x20);
    KCHECK_EQ(seL4_MessageInfo_get_length(info), 4);
    KCHECK_EQ(w_badge, 3);
    for (int i = 0; i < 4; i++)
        KCHECK_EQ(w_mr[i], 0xd0u + i);
    KCHECK_EQ(w_mr[4], 0x4444); /* the kernel did not write the old buffer page */
}

KTEST(ipc_send_without_write, "IPC0017",
      "an endpoint cap without Write: Call fails with InvalidCapability, Send is dropped")
{
    seL4_CPtr ep = ktest_object(seL4_EndpointObject, 0);
    seL4_CPtr ro = mint(ep, seL4_CapRights_new(1, 1, 1, 0), 0);
    reset_worker_state(ep);
    ktest_thread_t r;
    spawn(&r, receiver, 0, 100, 0);
    settle();
    seL4_MessageInfo_t reply = seL4_Call(ro, seL4_MessageInfo_new(0x1, 0, 0, 0));
    KCHECK_EQ(seL4_MessageInfo_get_label(reply), seL4_InvalidCapability);
    KCHECK_EQ(seL4_MessageInfo_get_length(reply), 1);
    KCHECK_EQ(seL4_GetMR(0), 0); /* invalid cap number: the invoked cap */
    ktest_error_t e = last_error();
    KCHECK_EQ(e.error, seL4_InvalidCapability);
    KCHECK_EQ(e.argument, 0);
    seL4_Send(ro, seL4_MessageInfo_new(0x2, 0, 0, 0));
    seL4_NBSend(ro, seL4_MessageInfo_new(0x3, 0, 0, 0));
    settle();
    KCHECK_EQ(w_done, 0); /* the receiver got nothing */
    seL4_Send(ep, seL4_MessageInfo_new(0x4, 0, 0, 0));
    settle();
    KCHECK_EQ(w_done, 1);
    seL4_MessageInfo_t got = {{w_info}};
    KCHECK_EQ(seL4_MessageInfo_get_label(got), 0x4);
}

KTEST(ipc_invoke_empty_slot, "IPC0018",
      "Call on an empty slot returns InvalidCapability; Send on it returns without effect")
{
    seL4_CPtr empty = ktest_slot();
    seL4_MessageInfo_t reply = seL4_Call(empty, seL4_MessageInfo_new(0, 0, 0, 0));
    KCHECK_EQ(seL4_MessageInfo_get_label(reply), seL4_InvalidCapability);
    KCHECK_EQ(seL4_GetMR(0), 0);
    KCHECK_EQ(last_error().error, seL4_InvalidCapability);
    seL4_Send(empty, seL4_MessageInfo_new(0, 0, 0, 0));
    seL4_NBSend(empty, seL4_MessageInfo_new(0, 0, 0, 0));
    KCHECK_EQ(seL4_DebugCapIdentify(empty), CAP_NULL);
}

static void badge_receiver(seL4_Word arg)
{
    (void)arg;
    for (;;) {
        seL4_Word badge = 0xdead;
        seL4_Recv(w_cap, &badge);
        w_mr[w_count++ & 7] = badge;
    }
}

KTEST(ipc_badges, "IPC0019",
      "the receiver sees the sender cap's badge: 0 unbadged, all 28 badge bits intact")
{
    seL4_CPtr ep = ktest_object(seL4_EndpointObject, 0);
    reset_worker_state(ep);
    ktest_thread_t r;
    spawn(&r, badge_receiver, 0, 100, 0);
    settle();
    static const seL4_Word badges[] = {0, 1, 0x0fffffff, 0x0a5a5a5a};
    for (unsigned i = 0; i < 4; i++) {
        seL4_CPtr c = badges[i] ? mint(ep, seL4_AllRights, badges[i]) : ep;
        seL4_Send(c, seL4_MessageInfo_new(0, 0, 0, 0));
        settle();
    }
    KREQUIRE_EQ(w_count, 4);
    for (unsigned i = 0; i < 4; i++)
        KCHECK_EQ(w_mr[i], badges[i]);
    /* A badged cap cannot be re-badged: a Mint of it keeps the original badge. */
    seL4_CPtr b = mint(ep, seL4_AllRights, 0x44);
    seL4_CPtr bb = ktest_slot();
    KCHECK_EQ(seL4_CNode_Mint(seL4_CapInitThreadCNode, bb, 32, seL4_CapInitThreadCNode, b, 32,
                              seL4_AllRights, 0x55),
              seL4_IllegalOperation);
}

/* Calls w_cap; marks done only if the Call returns. */
static void marking_caller(seL4_Word arg)
{
    seL4_SetMR(0, arg);
    seL4_Call(w_cap, seL4_MessageInfo_new(0x9, 0, 0, 1));
    w_done++;
}

KTEST(ipc_call_without_grant, "IPC0020",
      "a Call through a cap with neither Grant nor GrantReply leaves no reply cap; the caller "
      "stays blocked")
{
    seL4_CPtr ep = ktest_object(seL4_EndpointObject, 0);
    reset_worker_state(mint(ep, seL4_ReadWrite, 0x8));
    ktest_thread_t t;
    spawn(&t, marking_caller, 0x61, 100, 0);
    seL4_Word badge = 0;
    seL4_MessageInfo_t info = seL4_Recv(ep, &badge);
    KCHECK_EQ(badge, 0x8);
    KCHECK_EQ(seL4_MessageInfo_get_label(info), 0x9);
    KCHECK_EQ(seL4_GetMR(0), 0x61);
    seL4_CPtr saved = ktest_slot();
    KCHECK_EQ(seL4_CNode_SaveCaller(seL4_CapInitThreadCNode, saved, 32), seL4_NoError);
    KCHECK_EQ(seL4_DebugCapIdentify(saved), CAP_NULL);
    seL4_Reply(seL4_MessageInfo_new(0, 0, 0, 0));
    settle();
    KCHECK_EQ(w_done, 0);
    /* The caller is not waiting for a reply: it was left inactive (seL4). */
    seL4_UserContext regs = thread_regs(t.tcb);
    KCHECK_EQ(regs.r0, w_cap); /* still the Call's arguments: it never returned */
}

KTEST(ipc_call_grant_reply_only, "IPC0021",
      "a Call through a cap with only GrantReply (and Write) still gets a reply")
{
    seL4_CPtr ep = ktest_object(seL4_EndpointObject, 0);
    reset_worker_state(mint(ep, seL4_CapRights_new(1, 0, 0, 1), 0));
    ktest_thread_t t;
    spawn(&t, marking_caller, 0x62, 100, 0);
    seL4_Recv(ep, NULL);
    seL4_CPtr saved = ktest_slot();
    KCHECK_EQ(seL4_CNode_SaveCaller(seL4_CapInitThreadCNode, saved, 32), seL4_NoError);
    KCHECK_EQ(seL4_DebugCapIdentify(saved), CAP_REPLY);
    seL4_Send(saved, seL4_MessageInfo_new(0, 0, 0, 0));
    settle();
    KCHECK_EQ(w_done, 1);
}

KTEST(ipc_send_no_reply_cap, "IPC0022",
      "a Send (not a Call) gives the receiver no reply cap; seL4_Reply then does nothing")
{
    seL4_CPtr ep = ktest_object(seL4_EndpointObject, 0);
    reset_worker_state(ep);
    ktest_thread_t t;
    spawn(&t, sender, 1, 100, 0);
    seL4_Recv(ep, NULL);
    seL4_CPtr saved = ktest_slot();
    KCHECK_EQ(seL4_CNode_SaveCaller(seL4_CapInitThreadCNode, saved, 32), seL4_NoError);
    KCHECK_EQ(seL4_DebugCapIdentify(saved), CAP_NULL);
    seL4_Reply(seL4_MessageInfo_new(0, 0, 0, 0));
    settle();
    KCHECK_EQ(w_done, 1);
}

static void probe_call(seL4_Word cptr)
{
    w_info = cap_call_probe(cptr); /* the reply's message info */
    w_done++;
}

KTEST(ipc_empty_slot_no_fault, "IPC0023",
      "a Call on an empty slot is an error reply even for a thread with a fault handler: no "
      "fault is sent (only CPtrs that do not resolve fault)")
{
    seL4_CPtr fep;
    seL4_CPtr fault_ep = fault_endpoint(&fep);
    reset_worker_state(0);
    ktest_thread_t t;
    spawn(&t, probe_call, ktest_slot(), 100, fault_ep);
    settle();
    KCHECK_EQ(w_done, 1);
    seL4_MessageInfo_t info = {{w_info}};
    KCHECK_EQ(seL4_MessageInfo_get_label(info), seL4_InvalidCapability);
    seL4_Word badge = 0x1;
    seL4_NBRecv(fep, &badge);
    KCHECK_EQ(badge, 0);
}

static void probe_recv(seL4_Word cptr)
{
    w_badge = cap_recv_probe(cptr);
    w_done++;
}

KTEST(ipc_recv_without_read, "IPC0024",
      "Recv on an endpoint cap without Read is a receive-phase CapFault (MissingCapability, 0 "
      "bits left)")
{
    seL4_CPtr ep = ktest_object(seL4_EndpointObject, 0);
    seL4_CPtr wo = mint(ep, seL4_CapRights_new(1, 1, 0, 1), 0);
    seL4_CPtr fep;
    seL4_CPtr fault_ep = fault_endpoint(&fep);
    reset_worker_state(0);
    ktest_thread_t t;
    spawn(&t, probe_recv, wo, 100, fault_ep);
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
    /* Nothing was queued on the endpoint by the failed receive. */
    seL4_NBSend(ep, seL4_MessageInfo_new(0, 0, 0, 0));
    KCHECK_EQ(w_done, 0);
}
