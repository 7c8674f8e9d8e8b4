/*
 * Capability transfer through IPC: up to three extra caps, only through caps with Grant;
 * unwrapping of caps to the receiving endpoint; the receive slot and what happens when it
 * is missing, occupied or unreachable; caps in replies.
 */
#include "ipc.h"

/* The sending worker's orders, set before it starts. */
static volatile seL4_CPtr s_dest, s_caps[3];
static volatile seL4_Word s_ncaps, s_done;

/* Sends label 0x42, MR0 = 0xcafe and s_ncaps extra caps to s_dest. */
static void cap_sender(seL4_Word arg)
{
    (void)arg;
    for (seL4_Word i = 0; i < s_ncaps; i++)
        seL4_SetCap(i, s_caps[i]);
    seL4_SetMR(0, 0xcafe);
    seL4_Send(s_dest, seL4_MessageInfo_new(0x42, 0, s_ncaps, 1));
    s_done++;
}

static void start_sender(ktest_thread_t *t, seL4_CPtr dest, seL4_Word n, seL4_CPtr c0, seL4_CPtr c1,
                         seL4_CPtr c2)
{
    s_dest = dest;
    s_ncaps = n;
    s_caps[0] = c0;
    s_caps[1] = c1;
    s_caps[2] = c2;
    s_done = 0;
    spawn(t, cap_sender, 0, 100, 0);
}

/* What the test task found in its IPC buffer's caps_or_badges after a receive. */
static seL4_Word got[3];

/* Receives on `ep` with the receive path (root CNode, `index`, `depth`). */
static seL4_MessageInfo_t recv_with_path(seL4_CPtr ep, seL4_CPtr cnode, seL4_Word index,
                                         seL4_Word depth, seL4_Word *badge)
{
    seL4_IPCBuffer *b = seL4_GetIPCBuffer();
    for (int i = 0; i < 3; i++)
        b->caps_or_badges[i] = 0xdead0000u + i;
    seL4_SetMR(0, 0);
    seL4_SetCapReceivePath(cnode, index, depth);
    seL4_MessageInfo_t info = seL4_Recv(ep, badge);
    for (int i = 0; i < 3; i++)
        got[i] = b->caps_or_badges[i];
    seL4_SetCapReceivePath(0, 0, 0);
    return info;
}

static seL4_MessageInfo_t recv_into(seL4_CPtr ep, seL4_CPtr slot)
{
    return recv_with_path(ep, seL4_CapInitThreadCNode, slot, seL4_WordBits, NULL);
}

KTEST(caps_transfer_one, "IPC0101",
      "a Send through a Grant cap puts one cap in the receive slot with its rights and badge")
{
    seL4_CPtr ep = ktest_object(seL4_EndpointObject, 0);
    seL4_CPtr ntfn = ktest_object(seL4_NotificationObject, 0);
    seL4_CPtr wo = mint(ntfn, seL4_CanWrite, 0x33);
    seL4_CPtr slot = ktest_slot();
    ktest_thread_t t;
    start_sender(&t, ep, 1, wo, 0, 0);
    seL4_MessageInfo_t info = recv_into(ep, slot);
    KCHECK_EQ(seL4_MessageInfo_get_label(info), 0x42);
    KCHECK_EQ(seL4_MessageInfo_get_length(info), 1);
    KCHECK_EQ(seL4_MessageInfo_get_extraCaps(info), 1);
    KCHECK_EQ(seL4_MessageInfo_get_capsUnwrapped(info), 0);
    KCHECK_EQ(seL4_GetMR(0), 0xcafe);
    KCHECK_EQ(got[0], 0xdead0000u); /* a transferred cap writes no badge */
    KCHECK_EQ(seL4_DebugCapIdentify(slot), CAP_NOTIFICATION);
    KCHECK_EQ(seL4_DebugCapIdentify(wo), CAP_NOTIFICATION); /* the sender keeps its own */
    /* The copy signals with the sent cap's badge... */
    seL4_Signal(slot);
    seL4_Word word = 0;
    seL4_Poll(ntfn, &word);
    KCHECK_EQ(word, 0x33);
    /* ...and has its rights: no Read, so it cannot be bound (needs Read). */
    ktest_thread_t other;
    ktest_thread_create(&other, cap_sender, 0, 10, 0);
    KCHECK_EQ(seL4_TCB_BindNotification(other.tcb, slot), seL4_IllegalOperation);
    settle();
    KCHECK_EQ(s_done, 1);
}

KTEST(caps_one_slot_three_caps, "IPC0102",
      "of three caps only the first reaches the single receive slot; extraCaps says 1")
{
    seL4_CPtr ep = ktest_object(seL4_EndpointObject, 0);
    seL4_CPtr a = ktest_object(seL4_NotificationObject, 0);
    seL4_CPtr b = ktest_object(seL4_EndpointObject, 0);
    seL4_CPtr c = ktest_object(seL4_NotificationObject, 0);
    seL4_CPtr slot = ktest_slot();
    seL4_CPtr next = ktest_slot();
    ktest_thread_t t;
    start_sender(&t, ep, 3, a, b, c);
    seL4_MessageInfo_t info = recv_into(ep, slot);
    KCHECK_EQ(seL4_MessageInfo_get_extraCaps(info), 1);
    KCHECK_EQ(seL4_MessageInfo_get_capsUnwrapped(info), 0);
    KCHECK_EQ(seL4_DebugCapIdentify(slot), CAP_NOTIFICATION);
    KCHECK_EQ(seL4_DebugCapIdentify(next), CAP_NULL);
    /* The first cap is the one that came: it is a copy of `a`. */
    seL4_Signal(slot);
    seL4_Word w = 1;
    seL4_Poll(a, &w);
    KCHECK_EQ(w, 0);
    seL4_Poll(c, &w);
    KCHECK_EQ(w, 0);
    KCHECK_EQ(seL4_DebugCapIdentify(b), CAP_ENDPOINT);
}

KTEST(caps_need_grant, "IPC0103",
      "without Grant on the sender's cap no cap is transferred (extraCaps 0); the message is")
{
    seL4_CPtr ep = ktest_object(seL4_EndpointObject, 0);
    seL4_CPtr ntfn = ktest_object(seL4_NotificationObject, 0);
    seL4_CPtr no_grant = mint(ep, seL4_CapRights_new(1, 0, 1, 1), 0x7);
    seL4_CPtr slot = ktest_slot();
    ktest_thread_t t;
    start_sender(&t, no_grant, 2, ntfn, ep, 0);
    seL4_Word badge = 0;
    seL4_MessageInfo_t info =
        recv_with_path(ep, seL4_CapInitThreadCNode, slot, seL4_WordBits, &badge);
    KCHECK_EQ(seL4_MessageInfo_get_label(info), 0x42);
    KCHECK_EQ(seL4_MessageInfo_get_length(info), 1);
    KCHECK_EQ(seL4_MessageInfo_get_extraCaps(info), 0);
    KCHECK_EQ(seL4_MessageInfo_get_capsUnwrapped(info), 0);
    KCHECK_EQ(seL4_GetMR(0), 0xcafe);
    KCHECK_EQ(badge, 0x7);
    KCHECK_EQ(got[1], 0xdead0001u); /* not even the endpoint cap is unwrapped */
    KCHECK_EQ(seL4_DebugCapIdentify(slot), CAP_NULL);
}

KTEST(caps_unwrap_own_endpoint, "IPC0104",
      "a badged cap to the receiving endpoint arrives as its badge (capsUnwrapped), not a cap")
{
    seL4_CPtr ep = ktest_object(seL4_EndpointObject, 0);
    seL4_CPtr badged = mint(ep, seL4_AllRights, 0x5eed);
    seL4_CPtr slot = ktest_slot();
    ktest_thread_t t;
    start_sender(&t, ep, 1, badged, 0, 0);
    seL4_MessageInfo_t info = recv_into(ep, slot);
    KCHECK_EQ(seL4_MessageInfo_get_extraCaps(info), 1);
    KCHECK_EQ(seL4_MessageInfo_get_capsUnwrapped(info), 1);
    KCHECK_EQ(got[0], 0x5eed);
    KCHECK_EQ(seL4_DebugCapIdentify(slot), CAP_NULL);
}

KTEST(caps_unwrap_mixed, "IPC0105",
      "caps 0 and 2 to the receiving endpoint unwrap (0b101) around a cap 1 that is transferred")
{
    seL4_CPtr ep = ktest_object(seL4_EndpointObject, 0);
    seL4_CPtr ntfn = ktest_object(seL4_NotificationObject, 0);
    seL4_CPtr e7 = mint(ep, seL4_AllRights, 7), e9 = mint(ep, seL4_CanWrite, 9);
    seL4_CPtr slot = ktest_slot();
    ktest_thread_t t;
    start_sender(&t, ep, 3, e7, ntfn, e9);
    seL4_MessageInfo_t info = recv_into(ep, slot);
    KCHECK_EQ(seL4_MessageInfo_get_extraCaps(info), 3);
    KCHECK_EQ(seL4_MessageInfo_get_capsUnwrapped(info), 5);
    KCHECK_EQ(got[0], 7);
    KCHECK_EQ(got[1], 0xdead0001u);
    KCHECK_EQ(got[2], 9);
    KCHECK_EQ(seL4_DebugCapIdentify(slot), CAP_NOTIFICATION);
}

KTEST(caps_other_endpoint_not_unwrapped, "IPC0106",
      "a cap to another endpoint is transferred as a cap, with its badge")
{
    seL4_CPtr ep = ktest_object(seL4_EndpointObject, 0);
    seL4_CPtr ep2 = ktest_object(seL4_EndpointObject, 0);
    seL4_CPtr b2 = mint(ep2, seL4_AllRights, 0x2222);
    seL4_CPtr slot = ktest_slot();
    ktest_thread_t t;
    start_sender(&t, ep, 1, b2, 0, 0);
    seL4_MessageInfo_t info = recv_into(ep, slot);
    KCHECK_EQ(seL4_MessageInfo_get_extraCaps(info), 1);
    KCHECK_EQ(seL4_MessageInfo_get_capsUnwrapped(info), 0);
    KREQUIRE_EQ(seL4_DebugCapIdentify(slot), CAP_ENDPOINT);
    /* A message sent through the received cap carries badge 0x2222. */
    start_sender(&t, slot, 0, 0, 0, 0);
    seL4_Word badge = 0;
    seL4_Recv(ep2, &badge);
    KCHECK_EQ(badge, 0x2222);
}

KTEST(caps_no_receive_slot, "IPC0107",
      "with no receive path the caps are dropped; unwrapped badges before them still arrive")
{
    seL4_CPtr ep = ktest_object(seL4_EndpointObject, 0);
    seL4_CPtr ntfn = ktest_object(seL4_NotificationObject, 0);
    seL4_CPtr badged = mint(ep, seL4_AllRights, 0x31);
    ktest_thread_t t;
    start_sender(&t, ep, 3, badged, ntfn, badged);
    /* Receive CNode = CPtr 0, the empty slot seL4_CapNull. */
    seL4_MessageInfo_t info = recv_with_path(ep, seL4_CapNull, 0, 0, NULL);
    KCHECK_EQ(seL4_MessageInfo_get_extraCaps(info), 1);
    KCHECK_EQ(seL4_MessageInfo_get_capsUnwrapped(info), 1);
    KCHECK_EQ(got[0], 0x31);
    KCHECK_EQ(got[2], 0xdead0002u); /* the transfer stopped at the notification */
    KCHECK_EQ(seL4_GetMR(0), 0xcafe);
}

KTEST(caps_receive_slot_occupied, "IPC0108",
      "an occupied receive slot takes no cap and keeps its occupant")
{
    seL4_CPtr ep = ktest_object(seL4_EndpointObject, 0);
    seL4_CPtr ntfn = ktest_object(seL4_NotificationObject, 0);
    seL4_CPtr slot = mint(ep, seL4_AllRights, 0x1);
    ktest_thread_t t;
    start_sender(&t, ep, 1, ntfn, 0, 0);
    seL4_MessageInfo_t info = recv_into(ep, slot);
    KCHECK_EQ(seL4_MessageInfo_get_extraCaps(info), 0);
    KCHECK_EQ(seL4_DebugCapIdentify(slot), CAP_ENDPOINT);
    settle();
    KCHECK_EQ(s_done, 1);
}

KTEST(caps_receive_path_invalid, "IPC0109",
      "a receive path that does not resolve to a slot (depth 0 or 33, a non-CNode root, a "
      "guard mismatch) drops the cap")
{
    seL4_CPtr ep = ktest_object(seL4_EndpointObject, 0);
    seL4_CPtr ntfn = ktest_object(seL4_NotificationObject, 0);
    seL4_CPtr slot = ktest_slot();
    struct {
        seL4_CPtr cnode;
        seL4_Word index, depth;
    } paths[] = {
        {seL4_CapInitThreadCNode, slot, 0},
        {seL4_CapInitThreadCNode, slot, 33},
        {ep, slot, 32},
        {seL4_CapInitThreadCNode, slot | 0x80000000u, 32},
        {seL4_CapInitThreadCNode, slot, 31},
    };
    for (unsigned i = 0; i < N_ELEMS(paths); i++) {
        ktest_thread_t t;
        start_sender(&t, ep, 1, ntfn, 0, 0);
        seL4_MessageInfo_t info =
            recv_with_path(ep, paths[i].cnode, paths[i].index, paths[i].depth, NULL);
        KCHECK_EQ(seL4_MessageInfo_get_extraCaps(info), 0);
        KCHECK_EQ(seL4_GetMR(0), 0xcafe);
        KCHECK_EQ(seL4_DebugCapIdentify(slot), CAP_NULL);
    }
    /* The same path at depth 32 works. */
    ktest_thread_t t;
    start_sender(&t, ep, 1, ntfn, 0, 0);
    seL4_MessageInfo_t info = recv_into(ep, slot);
    KCHECK_EQ(seL4_MessageInfo_get_extraCaps(info), 1);
    KCHECK_EQ(seL4_DebugCapIdentify(slot), CAP_NOTIFICATION);
}

KTEST(caps_empty_source, "IPC0110",
      "an extra cap naming an empty slot ends the transfer: nothing after it is sent")
{
    seL4_CPtr ep = ktest_object(seL4_EndpointObject, 0);
    seL4_CPtr ntfn = ktest_object(seL4_NotificationObject, 0);
    seL4_CPtr empty = ktest_slot(), slot = ktest_slot();
    ktest_thread_t t;
    start_sender(&t, ep, 2, empty, ntfn, 0);
    seL4_MessageInfo_t info = recv_into(ep, slot);
    KCHECK_EQ(seL4_MessageInfo_get_extraCaps(info), 0);
    KCHECK_EQ(seL4_DebugCapIdentify(slot), CAP_NULL);
    KCHECK_EQ(seL4_GetMR(0), 0xcafe);
}

KTEST(caps_not_derivable, "IPC0111",
      "caps that cannot be copied (IRQControl, an Untyped with children) are not transferred")
{
    seL4_CPtr ep = ktest_object(seL4_EndpointObject, 0);
    seL4_CPtr slot = ktest_slot();
    ktest_thread_t t;
    start_sender(&t, ep, 1, seL4_CapIRQControl, 0, 0);
    seL4_MessageInfo_t info = recv_into(ep, slot);
    KCHECK_EQ(seL4_MessageInfo_get_extraCaps(info), 0);
    KCHECK_EQ(seL4_DebugCapIdentify(slot), CAP_NULL);

    seL4_CPtr ut = ktest_untyped(12);
    seL4_CPtr child = ktest_slot();
    KREQUIRE_EQ(
        seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, seL4_CapInitThreadCNode, 0, 0, child, 1),
        seL4_NoError);
    start_sender(&t, ep, 1, ut, 0, 0);
    info = recv_into(ep, slot);
    KCHECK_EQ(seL4_MessageInfo_get_extraCaps(info), 0);
    KCHECK_EQ(seL4_DebugCapIdentify(slot), CAP_NULL);

    /* Without children the Untyped can be sent. */
    KREQUIRE_EQ(seL4_CNode_Delete(seL4_CapInitThreadCNode, child, 32), seL4_NoError);
    start_sender(&t, ep, 1, ut, 0, 0);
    info = recv_into(ep, slot);
    KCHECK_EQ(seL4_MessageInfo_get_extraCaps(info), 1);
    KCHECK_EQ(seL4_DebugCapIdentify(slot), 1);
}

KTEST(caps_transferred_is_child, "IPC0112",
      "a transferred cap is derived from the sender's: revoking the sender's cap deletes it")
{
    seL4_CPtr ep = ktest_object(seL4_EndpointObject, 0);
    seL4_CPtr ntfn = ktest_object(seL4_NotificationObject, 0);
    seL4_CPtr badged = mint(ntfn, seL4_AllRights, 0x10);
    seL4_CPtr slot = ktest_slot();
    ktest_thread_t t;
    start_sender(&t, ep, 1, badged, 0, 0);
    seL4_MessageInfo_t info = recv_into(ep, slot);
    KREQUIRE_EQ(seL4_MessageInfo_get_extraCaps(info), 1);
    KCHECK_EQ(seL4_DebugCapIdentify(slot), CAP_NOTIFICATION);
    KCHECK_EQ(seL4_CNode_Revoke(seL4_CapInitThreadCNode, badged, 32), seL4_NoError);
    KCHECK_EQ(seL4_DebugCapIdentify(slot), CAP_NULL);
    KCHECK_EQ(seL4_DebugCapIdentify(badged), CAP_NOTIFICATION);
}

/* Serves one Call on s_dest and replies with s_ncaps caps (label 0x99). */
static void cap_replier(seL4_Word arg)
{
    (void)arg;
    seL4_Recv(s_dest, NULL);
    for (seL4_Word i = 0; i < s_ncaps; i++)
        seL4_SetCap(i, s_caps[i]);
    seL4_Reply(seL4_MessageInfo_new(0x99, 0, s_ncaps, 0));
    s_done++;
}

KTEST(caps_in_reply, "IPC0113",
      "a reply carries caps only if the server received the Call through a cap with Grant")
{
    seL4_CPtr ep = ktest_object(seL4_EndpointObject, 0);
    seL4_CPtr ntfn = ktest_object(seL4_NotificationObject, 0);
    seL4_CPtr no_grant = mint(ep, seL4_CapRights_new(1, 0, 1, 1), 0);
    for (int grant = 1; grant >= 0; grant--) {
        seL4_CPtr slot = ktest_slot();
        s_dest = grant ? ep : no_grant;
        s_ncaps = 1;
        s_caps[0] = ntfn;
        s_done = 0;
        ktest_thread_t t;
        spawn(&t, cap_replier, 0, 100, 0);
        settle();
        seL4_SetCapReceivePath(seL4_CapInitThreadCNode, slot, 32);
        seL4_MessageInfo_t info = seL4_Call(ep, seL4_MessageInfo_new(0, 0, 0, 0));
        seL4_SetCapReceivePath(0, 0, 0);
        KCHECK_EQ(seL4_MessageInfo_get_label(info), 0x99);
        KCHECK_EQ(seL4_MessageInfo_get_extraCaps(info), (seL4_Word)grant);
        KCHECK_EQ(seL4_MessageInfo_get_capsUnwrapped(info), 0);
        KCHECK_EQ(seL4_DebugCapIdentify(slot), grant ? CAP_NOTIFICATION : CAP_NULL);
        settle();
        KCHECK_EQ(s_done, 1);
    }
}

KTEST(caps_reply_not_unwrapped, "IPC0114",
      "a cap to the endpoint of the Call, sent back in the reply, is transferred, not unwrapped")
{
    seL4_CPtr ep = ktest_object(seL4_EndpointObject, 0);
    seL4_CPtr slot = ktest_slot();
    s_dest = ep;
    s_ncaps = 1;
    s_caps[0] = mint(ep, seL4_AllRights, 0x77);
    s_done = 0;
    ktest_thread_t t;
    spawn(&t, cap_replier, 0, 100, 0);
    settle();
    seL4_SetCapReceivePath(seL4_CapInitThreadCNode, slot, 32);
    seL4_MessageInfo_t info = seL4_Call(ep, seL4_MessageInfo_new(0, 0, 0, 0));
    seL4_SetCapReceivePath(0, 0, 0);
    KCHECK_EQ(seL4_MessageInfo_get_extraCaps(info), 1);
    KCHECK_EQ(seL4_MessageInfo_get_capsUnwrapped(info), 0);
    KCHECK_EQ(seL4_DebugCapIdentify(slot), CAP_ENDPOINT);
}

KTEST(caps_looked_up_at_transfer, "IPC0115",
      "a queued sender's caps are looked up when the message is taken: a cap deleted in "
      "between is not sent")
{
    seL4_CPtr ep = ktest_object(seL4_EndpointObject, 0);
    seL4_CPtr ntfn = ktest_object(seL4_NotificationObject, 0);
    seL4_CPtr copy = mint(ntfn, seL4_AllRights, 0x3);
    seL4_CPtr slot = ktest_slot();
    ktest_thread_t t;
    start_sender(&t, ep, 1, copy, 0, 0);
    settle(); /* the sender is queued on the endpoint */
    KREQUIRE_EQ(seL4_CNode_Delete(seL4_CapInitThreadCNode, copy, 32), seL4_NoError);
    seL4_MessageInfo_t info = recv_into(ep, slot);
    KCHECK_EQ(seL4_MessageInfo_get_label(info), 0x42);
    KCHECK_EQ(seL4_MessageInfo_get_extraCaps(info), 0);
    KCHECK_EQ(seL4_DebugCapIdentify(slot), CAP_NULL);
}

KTEST(caps_bad_extra_cptr_faults, "IPC0116",
      "a Send whose extra cap CPtr does not resolve is a CapFault naming that CPtr")
{
    seL4_CPtr ep = ktest_object(seL4_EndpointObject, 0);
    seL4_CPtr fep;
    seL4_CPtr fault_ep = fault_endpoint(&fep);
    s_dest = ep;
    s_ncaps = 1;
    s_caps[0] = 0x80000005u; /* guard mismatch in the root CNode */
    s_done = 0;
    ktest_thread_t t;
    spawn(&t, cap_sender, 0, 100, fault_ep);
    seL4_Word badge = 0;
    seL4_MessageInfo_t info = seL4_Recv(fep, &badge);
    KCHECK_EQ(badge, FAULT_BADGE);
    KCHECK_EQ(seL4_MessageInfo_get_label(info), seL4_Fault_CapFault);
    KCHECK_EQ(seL4_MessageInfo_get_length(info), 7);
    KCHECK_EQ(seL4_GetMR(seL4_CapFault_Addr), 0x80000005u);
    KCHECK_EQ(seL4_GetMR(seL4_CapFault_InRecvPhase), 0);
    KCHECK_EQ(seL4_GetMR(seL4_CapFault_LookupFailureType), seL4_GuardMismatch);
    KCHECK_EQ(seL4_GetMR(seL4_CapFault_BitsLeft), 32);
    KCHECK_EQ(seL4_GetMR(seL4_CapFault_GuardMismatch_GuardFound), 0);
    KCHECK_EQ(seL4_GetMR(seL4_CapFault_GuardMismatch_BitsFound), 20);
    /* Nothing was sent. */
    seL4_Word b = 1;
    seL4_NBRecv(ep, &b);
    KCHECK_EQ(b, 0);
    KCHECK_EQ(s_done, 0);
}
