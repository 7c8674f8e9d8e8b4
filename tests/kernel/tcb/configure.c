/* TCB_Configure, SetSpace and SetIPCBuffer: what a thread gets, and every refusal. */
#include "tt.h"

#define GUARD_28 (seL4_CNode_CapData_new(0, 28).words[0])

/* The thread's view: a CNode of 16 slots whose slot 3 is the root task's endpoint and
 * slot 5 a badged copy of it (its fault endpoint). */
static seL4_CPtr small_cspace(seL4_CPtr ep, seL4_Word fault_badge)
{
    seL4_CPtr cnode = ktest_object(seL4_CapTableObject, 4);
    seL4_Error err = seL4_CNode_Copy(cnode, 3, 4, ROOT_CNODE, ep, 32, seL4_AllRights);
    if (err == seL4_NoError)
        err = seL4_CNode_Mint(cnode, 5, 4, ROOT_CNODE, ep, 32, seL4_AllRights, fault_badge);
    if (err != seL4_NoError)
        ktest_fail(__FILE__, __LINE__, "filling a CNode: error %d", err);
    return cnode;
}

/* Sends MRs 0-5 = 10..15 (label 0x99) to `dest`, then executes an undefined instruction. */
static void send_six_then_trap(seL4_Word dest)
{
    for (int i = 0; i < 6; i++)
        seL4_SetMR(i, 10 + i);
    seL4_Send(dest, seL4_MessageInfo_new(0x99, 0, 0, 6));
    __builtin_trap();
}

/* Checks one message from send_six_then_trap. */
static void expect_six(seL4_CPtr ep)
{
    seL4_Word badge = 1;
    seL4_MessageInfo_t info = seL4_Recv(ep, &badge);
    KCHECK_EQ(seL4_MessageInfo_get_label(info), 0x99);
    KCHECK_EQ(seL4_MessageInfo_get_length(info), 6);
    KCHECK_EQ(badge, 0);
    for (int i = 0; i < 6; i++)
        KCHECK_EQ(seL4_GetMR(i), 10 + i);
}

KTEST(tcb_configure, "TCB0001",
      "Configure gives a thread its CSpace (with guard data), VSpace, IPC buffer and "
      "fault endpoint")
{
    seL4_CPtr ep = ktest_object(seL4_EndpointObject, 0);
    seL4_CPtr cnode = small_cspace(ep, 0x55);
    tt_thread_t t;
    tt_thread(&t, 100, 0);
    KREQUIRE_EQ(
        seL4_TCB_Configure(t.tcb, 5, cnode, GUARD_28, ROOT_VS, 0, (seL4_Word)t.ipc, t.ipc_frame),
        seL4_NoError);
    tt_start(&t, send_six_then_trap, 3, 0, 0, 0);
    expect_six(ep); /* MRs 4 and 5 went through its IPC buffer */
    seL4_Word badge = 0;
    KCHECK_EQ(tt_recv_label(ep, &badge), seL4_Fault_UserException);
    KCHECK_EQ(badge, 0x55);
    KCHECK_EQ(seL4_GetMR(seL4_UserException_Number), seL4_UserException_UndefinedInstruction);
}

KTEST(tcb_configure_guard, "TCB0002",
      "the CSpace root data sets the guard the thread's lookups go through")
{
    seL4_CPtr ep = ktest_object(seL4_EndpointObject, 0);
    seL4_CPtr cnode = small_cspace(ep, 0x56);
    tt_thread_t t;
    tt_thread(&t, 100, 0);
    /* No guard: a 32-bit CPtr's top 4 bits index the CNode. */
    KREQUIRE_EQ(
        seL4_TCB_Configure(t.tcb, 0x50000000, cnode, 0, ROOT_VS, 0, (seL4_Word)t.ipc, t.ipc_frame),
        seL4_NoError);
    tt_start(&t, send_six_then_trap, 0x30000000, 0, 0, 0);
    expect_six(ep);
    seL4_Word badge = 0;
    KCHECK_EQ(tt_recv_label(ep, &badge), seL4_Fault_UserException);
    KCHECK_EQ(badge, 0x56);
    /* Guard data that does not fit (28 + 4 radix bits > 32) is refused. */
    KCHECK_EQ(seL4_TCB_Configure(t.tcb, 5, cnode, seL4_CNode_CapData_new(0, 29).words[0], ROOT_VS,
                                 0, (seL4_Word)t.ipc, t.ipc_frame),
              seL4_IllegalOperation);
}

KTEST(tcb_configure_errors, "TCB0003",
      "Configure refuses (IllegalOperation) a CSpace that is not a CNode and a VSpace that is "
      "not a page directory with an ASID; the thread keeps its configuration")
{
    seL4_CPtr ep = ktest_object(seL4_EndpointObject, 0);
    seL4_CPtr cnode = small_cspace(ep, 0x57);
    tt_thread_t t;
    tt_thread(&t, 100, 0);
    KREQUIRE_EQ(
        seL4_TCB_Configure(t.tcb, 5, cnode, GUARD_28, ROOT_VS, 0, (seL4_Word)t.ipc, t.ipc_frame),
        seL4_NoError);
    seL4_CPtr frame = ktest_object(seL4_ARM_SmallPageObject, 0);
    seL4_CPtr bad_cspaces[] = {ep, frame, t.tcb};
    for (int i = 0; i < 3; i++)
        KCHECK_EQ(seL4_TCB_Configure(t.tcb, 0, bad_cspaces[i], 0, ROOT_VS, 0, 0, 0),
                  seL4_IllegalOperation);
    seL4_CPtr pt = ktest_object(seL4_ARM_PageTableObject, 0);
    KREQUIRE_EQ(seL4_ARM_PageTable_Map(pt, ROOT_VS, 0x70000000, seL4_ARM_Default_VMAttributes),
                seL4_NoError);
    seL4_CPtr bad_vspaces[] = {ktest_object(seL4_ARM_PageDirectoryObject, 0), frame, pt, ep};
    for (int i = 0; i < 4; i++)
        KCHECK_EQ(seL4_TCB_Configure(t.tcb, 0, ROOT_CNODE, 0, bad_vspaces[i], 0, 0, 0),
                  seL4_IllegalOperation);
    tt_start(&t, send_six_then_trap, 3, 0, 0, 0);
    expect_six(ep);
    seL4_Word badge = 0;
    KCHECK_EQ(tt_recv_label(ep, &badge), seL4_Fault_UserException);
    KCHECK_EQ(badge, 0x57);
}

KTEST(tcb_configure_buffer_errors, "TCB0004",
      "IPC buffer checks (Configure, SetIPCBuffer): not a frame or a device frame is "
      "IllegalOperation, then a misaligned address AlignmentError; address 0 needs no frame")
{
    tt_thread_t t;
    tt_thread(&t, 100, 0);
    seL4_CPtr ep = ktest_object(seL4_EndpointObject, 0);
    seL4_CPtr frame = ktest_object(seL4_ARM_SmallPageObject, 0);
    seL4_Word buf = (seL4_Word)t.ipc;
    /* A device frame: on-chip RAM. */
    seL4_CPtr device = 0;
    const seL4_BootInfo *bi = ktest_bootinfo;
    for (seL4_Word i = 0; i < bi->untyped.end - bi->untyped.start && !device; i++) {
        if (bi->untypedList[i].isDevice && bi->untypedList[i].paddr == 0x00900000u) {
            device = ktest_slot();
            KREQUIRE_EQ(seL4_Untyped_Retype(bi->untyped.start + i, seL4_ARM_SmallPageObject, 0,
                                            ROOT_CNODE, 0, 0, device, 1),
                        seL4_NoError);
        }
    }
    KREQUIRE_EQ(device != 0, 1);
    for (int with_space = 0; with_space < 2; with_space++) {
#define SET_BUFFER(addr, cap)                                                                      \
    (with_space ? seL4_TCB_Configure(t.tcb, 0, ROOT_CNODE, 0, ROOT_VS, 0, (addr), (cap))           \
                : seL4_TCB_SetIPCBuffer(t.tcb, (addr), (cap)))
        KCHECK_EQ(SET_BUFFER(buf, ep), seL4_IllegalOperation);
        KCHECK_EQ(SET_BUFFER(buf, t.tcb), seL4_IllegalOperation);
        KCHECK_EQ(SET_BUFFER(buf, device), seL4_IllegalOperation);
        KCHECK_EQ(SET_BUFFER(buf + 4, ep), seL4_IllegalOperation); /* the frame is checked first */
        KCHECK_EQ(SET_BUFFER(buf + 4, frame), seL4_AlignmentError);
        KCHECK_EQ(SET_BUFFER(buf + 0x100, frame), seL4_AlignmentError);
        KCHECK_EQ(SET_BUFFER(buf + 0x200, frame), seL4_NoError); /* 512-byte aligned */
        KCHECK_EQ(SET_BUFFER(0, ep), seL4_NoError);
        KCHECK_EQ(SET_BUFFER(0, seL4_CapNull), seL4_NoError);
#undef SET_BUFFER
    }
    /* The IPC buffer is checked before the CSpace (seL4's order). */
    KCHECK_EQ(seL4_TCB_Configure(t.tcb, 0, ep, 0, ROOT_VS, 0, buf + 4, frame), seL4_AlignmentError);
    KCHECK_EQ(seL4_TCB_Configure(t.tcb, 0, ep, 0, ROOT_VS, 0, buf, frame), seL4_IllegalOperation);
    KCHECK_EQ(seL4_CNode_Delete(ROOT_CNODE, device, 32), seL4_NoError);
}

KTEST(tcb_configure_truncated, "TCB0005",
      "Configure, SetSpace and SetIPCBuffer with too few words or caps are TruncatedMessage")
{
    tt_thread_t t;
    tt_thread(&t, 100, 0);
    seL4_SetMR(0, 0);
    seL4_SetMR(1, 0);
    seL4_SetMR(2, 0);
    seL4_SetMR(3, 0);
    seL4_SetCap(0, ROOT_CNODE);
    seL4_SetCap(1, ROOT_VS);
    seL4_SetCap(2, t.ipc_frame);
    KCHECK_EQ(seL4_Invoke(t.tcb, TCBConfigure, 3, 3), seL4_TruncatedMessage);
    KCHECK_EQ(seL4_Invoke(t.tcb, TCBConfigure, 4, 2), seL4_TruncatedMessage);
    KCHECK_EQ(seL4_Invoke(t.tcb, TCBSetSpace, 2, 2), seL4_TruncatedMessage);
    KCHECK_EQ(seL4_Invoke(t.tcb, TCBSetSpace, 3, 1), seL4_TruncatedMessage);
    KCHECK_EQ(seL4_Invoke(t.tcb, TCBSetIPCBuffer, 0, 1), seL4_TruncatedMessage);
    KCHECK_EQ(seL4_Invoke(t.tcb, TCBSetIPCBuffer, 1, 0), seL4_TruncatedMessage);
    KCHECK_EQ(seL4_Invoke(t.tcb, TCBConfigure, 4, 3), seL4_NoError);
    KCHECK_EQ(seL4_Invoke(t.tcb, TCBSetSpace, 3, 2), seL4_NoError);
}

KTEST(tcb_set_space, "TCB0006",
      "SetSpace replaces CSpace, VSpace and fault endpoint and keeps the IPC buffer; "
      "refusals change nothing")
{
    seL4_CPtr ep = ktest_object(seL4_EndpointObject, 0);
    seL4_CPtr cnode = small_cspace(ep, 0x61);
    seL4_CPtr fault1 = tt_badged(ep, 0x60);
    tt_thread_t t;
    tt_thread(&t, 100, fault1);
    KCHECK_EQ(seL4_TCB_SetSpace(t.tcb, 0, ep, 0, ROOT_VS, 0), seL4_IllegalOperation);
    KCHECK_EQ(seL4_TCB_SetSpace(t.tcb, 0, ROOT_CNODE, 0, ep, 0), seL4_IllegalOperation);
    KCHECK_EQ(seL4_TCB_SetSpace(t.tcb, 0, ROOT_CNODE, 0,
                                ktest_object(seL4_ARM_PageDirectoryObject, 0), 0),
              seL4_IllegalOperation);
    /* Still the root CSpace with fault endpoint `fault1`: cptr 3 is the CNode cap there. */
    tt_start(&t, send_six_then_trap, ep, 0, 0, 0);
    expect_six(ep);
    seL4_Word badge = 0;
    KCHECK_EQ(tt_recv_label(ep, &badge), seL4_Fault_UserException);
    KCHECK_EQ(badge, 0x60);
    /* Now the small CSpace: its slot 5 is the fault endpoint. */
    KREQUIRE_EQ(seL4_TCB_SetSpace(t.tcb, 5, cnode, GUARD_28, ROOT_VS, 0), seL4_NoError);
    tt_start(&t, send_six_then_trap, 3, 0, 0, 0);
    expect_six(ep);
    KCHECK_EQ(tt_recv_label(ep, &badge), seL4_Fault_UserException);
    KCHECK_EQ(badge, 0x61);
}

/* Waits on `ep` forever, recording each message's length and first and fifth words. */
static volatile seL4_Word got_length, got_mr0, got_mr4, got_count;
static void receive_loop(seL4_Word ep)
{
    for (;;) {
        seL4_MessageInfo_t info = seL4_Recv(ep, NULL);
        got_length = seL4_MessageInfo_get_length(info);
        got_mr0 = seL4_GetMR(0);
        got_mr4 = seL4_GetIPCBuffer()->msg[4];
        got_count++;
    }
}

static void send_words(seL4_CPtr ep, seL4_Word first)
{
    for (int i = 0; i < 8; i++)
        seL4_SetMR(i, first + i);
    seL4_Send(ep, seL4_MessageInfo_new(0, 0, 0, 8));
    tt_run_others(); /* the receiver records what it got */
}

KTEST(tcb_set_ipc_buffer, "TCB0007",
      "SetIPCBuffer moves where the kernel puts message words; a large frame at an offset "
      "works; address 0 leaves only the four register words")
{
    seL4_CPtr ep = ktest_object(seL4_EndpointObject, 0);
    tt_thread_t t;
    tt_thread(&t, 100, 0);
    got_count = 0;
    tt_start(&t, receive_loop, ep, 0, 0, 0);
    send_words(ep, 100);
    KCHECK_EQ(got_count, 1);
    KCHECK_EQ(got_length, 8);
    KCHECK_EQ(t.ipc->msg[4], 104);
    KCHECK_EQ(got_mr4, 104);
    /* A second buffer: the kernel writes there (the thread still reads its old one). */
    seL4_CPtr f2;
    seL4_IPCBuffer *b2 = ktest_frame(&f2);
    KREQUIRE_EQ(seL4_TCB_SetIPCBuffer(t.tcb, (seL4_Word)b2, f2), seL4_NoError);
    send_words(ep, 200);
    KCHECK_EQ(got_count, 2);
    KCHECK_EQ(got_mr0, 200); /* in a register */
    KCHECK_EQ(b2->msg[4], 204);
    KCHECK_EQ(t.ipc->msg[4], 104);
    /* A 64 KiB frame: the buffer address selects the offset inside it. */
    seL4_CPtr large = ktest_object(seL4_ARM_LargePageObject, 0);
    seL4_Word lv = 0x48000000;
    seL4_CPtr pt = ktest_object(seL4_ARM_PageTableObject, 0);
    KREQUIRE_EQ(seL4_ARM_PageTable_Map(pt, ROOT_VS, lv, seL4_ARM_Default_VMAttributes),
                seL4_NoError);
    KREQUIRE_EQ(
        seL4_ARM_Page_Map(large, ROOT_VS, lv, seL4_AllRights, seL4_ARM_Default_VMAttributes),
        seL4_NoError);
    KREQUIRE_EQ(seL4_TCB_SetIPCBuffer(t.tcb, lv + 0x8200, large), seL4_NoError);
    send_words(ep, 300);
    KCHECK_EQ(((seL4_IPCBuffer *)(lv + 0x8200))->msg[4], 304);
    KCHECK_EQ(b2->msg[4], 204);
    /* No buffer: only the words in registers arrive. */
    KREQUIRE_EQ(seL4_TCB_SetIPCBuffer(t.tcb, 0, seL4_CapNull), seL4_NoError);
    send_words(ep, 400);
    KCHECK_EQ(got_count, 4);
    KCHECK_EQ(got_length, 4);
    KCHECK_EQ(got_mr0, 400);
    KCHECK_EQ(((seL4_IPCBuffer *)(lv + 0x8200))->msg[4], 304);
}

KTEST(tcb_own_copies, "TCB0008",
      "the TCB holds copies of its CSpace and VSpace caps: deleting the originals does not "
      "affect it, revoking them does")
{
    seL4_CPtr ep = ktest_object(seL4_EndpointObject, 0);
    seL4_CPtr cnode = small_cspace(ep, 0x62);
    tt_thread_t t;
    tt_thread(&t, 100, 0);
    seL4_CPtr mine = ktest_slot();
    KREQUIRE_EQ(seL4_CNode_Copy(ROOT_CNODE, mine, 32, ROOT_CNODE, cnode, 32, seL4_AllRights),
                seL4_NoError);
    KREQUIRE_EQ(
        seL4_TCB_Configure(t.tcb, 5, mine, GUARD_28, ROOT_VS, 0, (seL4_Word)t.ipc, t.ipc_frame),
        seL4_NoError);
    KREQUIRE_EQ(seL4_CNode_Delete(ROOT_CNODE, mine, 32), seL4_NoError);
    tt_start(&t, send_six_then_trap, 3, 0, 0, 0);
    expect_six(ep);
    seL4_Word badge = 0;
    KCHECK_EQ(tt_recv_label(ep, &badge), seL4_Fault_UserException);
    KCHECK_EQ(badge, 0x62);
    /* Revoking the CNode's original cap removes the thread's copy: it has no CSpace, its
     * send and its fault go nowhere, and it stops. */
    KREQUIRE_EQ(seL4_CNode_Revoke(ROOT_CNODE, cnode, 32), seL4_NoError);
    tt_start(&t, send_six_then_trap, 3, 0, 0, 0);
    tt_run_others();
    KCHECK_EQ(seL4_NBRecv(ep, &badge).words[0], 0);
    seL4_UserContext regs = tt_read_regs(t.tcb);
    KCHECK(regs.pc != (seL4_Word)send_six_then_trap);
}

/* Run by a thread whose CSpace holds the only cap to itself: it replaces its own CSpace,
 * destroying the old one and with it the thread. */
static void replace_own_cspace(seL4_Word unused)
{
    (void)unused;
    seL4_TCB_SetSpace(0x10000000, 0x50000000, 0x20000003, 0, 0x40000000, 0);
    for (;;)
        ; /* never reached: the thread is gone */
}

/* Counts its wake-ups on a notification. */
static volatile seL4_Word wakeups;
static void count_wakeups(seL4_Word ntfn)
{
    for (;;) {
        seL4_Wait(ntfn, NULL);
        wakeups++;
    }
}

KTEST(tcb_destroys_itself, "TCB0009",
      "a thread replacing the CSpace that holds the last cap to it is destroyed mid-call; "
      "the new CSpace cap is not installed in the dead TCB (its CNode dies with its last cap)")
{
    seL4_CPtr c = ktest_object(seL4_CapTableObject, 4);
    seL4_CPtr e = ktest_object(seL4_CapTableObject, 4);
    seL4_CPtr d = ktest_object(seL4_CapTableObject, 2);
    seL4_CPtr ep = ktest_object(seL4_EndpointObject, 0);
    seL4_CPtr ntfn = ktest_object(seL4_NotificationObject, 0);
    tt_thread_t t, x;
    tt_thread(&t, 100, 0);
    tt_thread(&x, 50, 0);
    /* C: [1] the thread, [2] E (guard 24, so CPtr 0x2000000x reaches E's slot x),
     *    [4] the root VSpace, [5] a fault endpoint. E: [3] D. D: [0] the only cap to X. */
    KREQUIRE_EQ(seL4_CNode_Copy(c, 1, 4, ROOT_CNODE, t.tcb, 32, seL4_AllRights), seL4_NoError);
    KREQUIRE_EQ(seL4_CNode_Mint(c, 2, 4, ROOT_CNODE, e, 32, seL4_AllRights,
                                seL4_CNode_CapData_new(0, 24).words[0]),
                seL4_NoError);
    KREQUIRE_EQ(seL4_CNode_Copy(c, 4, 4, ROOT_CNODE, ROOT_VS, 32, seL4_AllRights), seL4_NoError);
    KREQUIRE_EQ(seL4_CNode_Copy(c, 5, 4, ROOT_CNODE, ep, 32, seL4_AllRights), seL4_NoError);
    KREQUIRE_EQ(seL4_CNode_Copy(e, 3, 4, ROOT_CNODE, d, 32, seL4_AllRights), seL4_NoError);
    KREQUIRE_EQ(
        seL4_TCB_Configure(t.tcb, 0x50000000, c, 0, ROOT_VS, 0, (seL4_Word)t.ipc, t.ipc_frame),
        seL4_NoError);
    wakeups = 0;
    tt_start(&x, count_wakeups, ntfn, 0, 0, 0);
    tt_run_others();
    seL4_Signal(ntfn);
    tt_run_others();
    KREQUIRE_EQ(wakeups, 1);
    KREQUIRE_EQ(seL4_CNode_Move(d, 0, 2, ROOT_CNODE, x.tcb, 32), seL4_NoError);

    tt_start(&t, replace_own_cspace, 0, 0, 0, 0);
    /* The thread's copies are the only caps left to C and to the thread. */
    KREQUIRE_EQ(seL4_CNode_Delete(ROOT_CNODE, c, 32), seL4_NoError);
    KREQUIRE_EQ(seL4_CNode_Delete(ROOT_CNODE, t.tcb, 32), seL4_NoError);
    tt_run_others();
    /* E and D survive, D still in E. */
    KCHECK_EQ(seL4_DebugCapIdentify(e), 5);
    seL4_CPtr dcopy = ktest_slot();
    KCHECK_EQ(seL4_CNode_Move(ROOT_CNODE, dcopy, 32, e, 3, 4), seL4_NoError);
    KCHECK_EQ(seL4_DebugCapIdentify(dcopy), 5);
    /* Deleting these two caps deletes D, and with it X: no third cap to D exists. */
    KCHECK_EQ(seL4_CNode_Delete(ROOT_CNODE, d, 32), seL4_NoError);
    seL4_Signal(ntfn);
    tt_run_others();
    KCHECK_EQ(wakeups, 2);
    KCHECK_EQ(seL4_CNode_Delete(ROOT_CNODE, dcopy, 32), seL4_NoError);
    seL4_Signal(ntfn);
    tt_run_others();
    KCHECK_EQ(wakeups, 2);
    KCHECK_EQ(seL4_KeelCheckInvariants(), 0);
}
