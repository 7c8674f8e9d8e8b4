/*
 * CNode_Copy, Mint, Move, Mutate, Rotate, Delete and Revoke: what each does to the caps
 * and the derivation tree, and each documented failure.
 */
#include "cnode_util.h"

#define TEST_VA 0x50000000u

/* Sends `label` with `len` message registers (already set) and `caps` extra caps. */
static seL4_Error raw_invoke(seL4_CPtr service, seL4_Word label, seL4_Word len, seL4_Word caps)
{
    return seL4_Invoke(service, label, len, caps);
}

/* ------------------------------------------------------------------------- Copy --- */

KTEST(copy_same_object, "CNODE0020", "Copy makes a second cap to the same object; both stay")
{
    seL4_CPtr nt = new_notification();
    seL4_CPtr b = mint_new(nt, seL4_AllRights, 0x21);
    seL4_CPtr c = ktest_slot();
    CHECK_OK(seL4_CNode_Copy(ROOT, c, DEPTH, ROOT, b, DEPTH, seL4_AllRights));
    KCHECK_EQ(seL4_DebugCapIdentify(c), CT_NOTIFICATION);
    KCHECK_EQ(seL4_DebugCapIdentify(b), CT_NOTIFICATION);
    KCHECK_EQ(signal_badge(c, nt), 0x21);
    KCHECK_EQ(signal_badge(b, nt), 0x21);
}

/* Runs body_write(vaddr) in a thread with a fault endpoint; returns the fault label. */
static seL4_Word write_fault_label(seL4_Word vaddr, seL4_Word *fault_addr)
{
    seL4_CPtr fep = new_endpoint();
    ktest_thread_t t;
    touched = 0;
    start_thread(&t, body_write, vaddr, 100, fep);
    fault_msg_t f = recv_fault(fep);
    *fault_addr = f.mr[seL4_VMFault_Addr];
    return f.label;
}

KTEST(copy_masks_rights, "CNODE0021",
      "Copy masks rights: a read-only frame copy maps read-only, an endpoint copy loses rights")
{
    seL4_CPtr f;
    volatile seL4_Word *rw = ktest_frame(&f);
    rw[0] = 0x1234;
    seL4_CPtr ro = ktest_slot();
    CHECK_OK(seL4_CNode_Copy(ROOT, ro, DEPTH, ROOT, f, DEPTH, seL4_CanRead));
    map_frame_at(ro, TEST_VA, seL4_AllRights);
    KCHECK_EQ(*(volatile seL4_Word *)TEST_VA, 0x1234);
    seL4_Word addr = 0;
    KCHECK_EQ(write_fault_label(TEST_VA, &addr), seL4_Fault_VMFault);
    KCHECK_EQ(addr, TEST_VA);
    KCHECK_EQ(touched, 0);
    KCHECK_EQ(rw[0], 0x1234);

    /* An endpoint copy without the write right can no longer cancel badged sends (which
     * needs all rights), and copying it again with all rights gives none back. */
    seL4_CPtr ep = new_endpoint();
    seL4_CPtr nowrite = ktest_slot(), again = ktest_slot();
    CHECK_OK(seL4_CNode_Copy(ROOT, nowrite, DEPTH, ROOT, ep, DEPTH, seL4_NoWrite));
    CHECK_OK(seL4_CNode_Copy(ROOT, again, DEPTH, ROOT, nowrite, DEPTH, seL4_AllRights));
    CHECK_OK(seL4_CNode_CancelBadgedSends(ROOT, ep, DEPTH));
    CHECK_ERROR(seL4_CNode_CancelBadgedSends(ROOT, nowrite, DEPTH), seL4_IllegalOperation);
    CHECK_ERROR(seL4_CNode_CancelBadgedSends(ROOT, again, DEPTH), seL4_IllegalOperation);

    /* A notification copy without read cannot be bound (binding needs read). */
    seL4_CPtr nt = new_notification();
    seL4_CPtr tcb = ktest_object(seL4_TCBObject, 0);
    seL4_CPtr wonly = ktest_slot();
    CHECK_OK(seL4_CNode_Copy(ROOT, wonly, DEPTH, ROOT, nt, DEPTH, seL4_CanWrite));
    CHECK_ERROR(seL4_TCB_BindNotification(tcb, wonly), seL4_IllegalOperation);
    CHECK_OK(seL4_TCB_BindNotification(tcb, nt));
}

KTEST(copy_dest_occupied, "CNODE0022", "Copy into an occupied slot is DeleteFirst; nothing changes")
{
    seL4_CPtr nt = new_notification();
    seL4_CPtr a = mint_new(nt, seL4_AllRights, 1);
    seL4_CPtr b = mint_new(nt, seL4_AllRights, 2);
    CHECK_ERROR(seL4_CNode_Copy(ROOT, b, DEPTH, ROOT, a, DEPTH, seL4_AllRights), seL4_DeleteFirst);
    CHECK_ERROR(seL4_CNode_Mint(ROOT, b, DEPTH, ROOT, nt, DEPTH, seL4_AllRights, 3),
                seL4_DeleteFirst);
    KCHECK_EQ(signal_badge(a, nt), 1);
    KCHECK_EQ(signal_badge(b, nt), 2);
}

/* A thread Calls `ep`; this thread receives it and saves the reply cap in a new slot. */
static seL4_CPtr saved_reply_cap(seL4_CPtr ep, ktest_thread_t *t)
{
    progress[0] = 0;
    start_thread(t, body_call, THREAD_ARG(ep, 0), 100, 0);
    seL4_Recv(ep, NULL);
    seL4_CPtr r = ktest_slot();
    CHECK_OK(seL4_CNode_SaveCaller(ROOT, r, DEPTH));
    KCHECK_EQ(seL4_DebugCapIdentify(r), CT_REPLY);
    return r;
}

KTEST(copy_not_copyable, "CNODE0023",
      "caps that cannot be copied: reply, IRQControl, unmapped page table, PD without ASID")
{
    seL4_CPtr d = ktest_slot();
    ktest_thread_t t;
    seL4_CPtr r = saved_reply_cap(new_endpoint(), &t);
    CHECK_ERROR(seL4_CNode_Copy(ROOT, d, DEPTH, ROOT, r, DEPTH, seL4_AllRights),
                seL4_IllegalOperation);
    CHECK_ERROR(seL4_CNode_Mint(ROOT, d, DEPTH, ROOT, r, DEPTH, seL4_AllRights, 0),
                seL4_IllegalOperation);
    CHECK_ERROR(seL4_CNode_Copy(ROOT, d, DEPTH, ROOT, seL4_CapIRQControl, DEPTH, seL4_AllRights),
                seL4_IllegalOperation);
    seL4_CPtr pt = ktest_object(seL4_ARM_PageTableObject, 0);
    CHECK_ERROR(seL4_CNode_Copy(ROOT, d, DEPTH, ROOT, pt, DEPTH, seL4_AllRights),
                seL4_IllegalOperation);
    seL4_CPtr pd = ktest_object(seL4_ARM_PageDirectoryObject, 0);
    CHECK_ERROR(seL4_CNode_Mint(ROOT, d, DEPTH, ROOT, pd, DEPTH, seL4_AllRights, 0),
                seL4_IllegalOperation);
    KCHECK_EQ(seL4_DebugCapIdentify(d), CT_NULL);
    /* The reply cap still works. */
    seL4_Send(r, seL4_MessageInfo_new(0, 0, 0, 0));
    let_run(100);
    KCHECK_EQ(progress[0], 1);
}

KTEST(copy_untyped_children, "CNODE0024",
      "an Untyped with children cannot be copied (RevokeFirst); without children it can")
{
    seL4_CPtr ut = ktest_untyped(12);
    seL4_CPtr d = ktest_slot();
    CHECK_OK(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, ROOT, 0, 0, ktest_slot(), 1));
    CHECK_ERROR(seL4_CNode_Copy(ROOT, d, DEPTH, ROOT, ut, DEPTH, seL4_AllRights), seL4_RevokeFirst);
    CHECK_ERROR(seL4_CNode_Mint(ROOT, d, DEPTH, ROOT, ut, DEPTH, seL4_AllRights, 0),
                seL4_RevokeFirst);
    KCHECK_EQ(seL4_DebugCapIdentify(d), CT_NULL);
    CHECK_OK(seL4_CNode_Revoke(ROOT, ut, DEPTH));
    CHECK_OK(seL4_CNode_Copy(ROOT, d, DEPTH, ROOT, ut, DEPTH, seL4_AllRights));
    KCHECK_EQ(seL4_DebugCapIdentify(d), CT_UNTYPED);
}

KTEST(copy_special_caps, "CNODE0025",
      "mapped page tables, PDs with an ASID, ASID control and IRQ handlers can be copied")
{
    seL4_CPtr pt = ktest_object(seL4_ARM_PageTableObject, 0);
    CHECK_OK(seL4_ARM_PageTable_Map(pt, seL4_CapInitThreadVSpace, TEST_VA,
                                    seL4_ARM_Default_VMAttributes));
    seL4_CPtr d1 = ktest_slot(), d2 = ktest_slot(), d3 = ktest_slot();
    CHECK_OK(seL4_CNode_Copy(ROOT, d1, DEPTH, ROOT, pt, DEPTH, seL4_AllRights));
    KCHECK_EQ(seL4_DebugCapIdentify(d1), CT_PAGE_TABLE);
    CHECK_OK(
        seL4_CNode_Copy(ROOT, d2, DEPTH, ROOT, seL4_CapInitThreadVSpace, DEPTH, seL4_AllRights));
    KCHECK_EQ(seL4_DebugCapIdentify(d2), CT_PAGE_DIRECTORY);
    CHECK_OK(seL4_CNode_Copy(ROOT, d3, DEPTH, ROOT, seL4_CapASIDControl, DEPTH, seL4_AllRights));
    KCHECK_EQ(seL4_DebugCapIdentify(d3), CT_ASID_CONTROL);
    seL4_CPtr h = ktest_slot(), h2 = ktest_slot();
    CHECK_OK(seL4_IRQControl_Get(seL4_CapIRQControl, 140, ROOT, h, DEPTH));
    CHECK_OK(seL4_CNode_Copy(ROOT, h2, DEPTH, ROOT, h, DEPTH, seL4_AllRights));
    KCHECK_EQ(seL4_DebugCapIdentify(h2), CT_IRQ_HANDLER);
    /* Revoking IRQControl takes the handler and its copy back. */
    CHECK_OK(seL4_CNode_Revoke(ROOT, seL4_CapIRQControl, DEPTH));
    KCHECK_EQ(seL4_DebugCapIdentify(h), CT_NULL);
    KCHECK_EQ(seL4_DebugCapIdentify(h2), CT_NULL);
    KCHECK_EQ(seL4_DebugCapIdentify(seL4_CapIRQControl), CT_IRQ_CONTROL);
    CHECK_OK(seL4_CNode_Delete(ROOT, d3, DEPTH));
    CHECK_OK(seL4_CNode_Delete(ROOT, d2, DEPTH));
}

KTEST(copy_frame_unmapped, "CNODE0026",
      "a copy of a mapped frame cap starts unmapped and maps the same frame elsewhere")
{
    seL4_CPtr f;
    volatile seL4_Word *p = ktest_frame(&f);
    p[1] = 0xfeed;
    seL4_CPtr c = copy_new(f);
    map_frame_at(c, TEST_VA, seL4_AllRights);
    KCHECK_EQ(((volatile seL4_Word *)TEST_VA)[1], 0xfeed);
    KCHECK_EQ(frame_paddr(c), frame_paddr(f));
    CHECK_OK(seL4_ARM_Page_Unmap(c));
    /* The original mapping is untouched: a thread reads it without faulting. */
    seL4_CPtr fep = new_endpoint();
    ktest_thread_t t;
    touched = 0;
    start_thread(&t, body_read, (seL4_Word)p, 100, fep);
    let_run(100);
    KCHECK_EQ(touched, 1);
}

/* Sets MR0..n-1 from `w` and the source root cap. */
static void set_args(const seL4_Word *w, int n)
{
    for (int i = 0; i < n; i++)
        seL4_SetMR(i, w[i]);
    seL4_SetCap(0, ROOT);
}

KTEST(copy_truncated, "CNODE0027",
      "short messages are TruncatedMessage, checked after the destination as in seL4")
{
    seL4_CPtr nt = new_notification();
    seL4_CPtr d = ktest_slot();
    seL4_Word args[6] = {d, DEPTH, nt, DEPTH, seL4_AllRights.words[0], 5};
    seL4_Word occupied[6] = {nt, DEPTH, nt, DEPTH, seL4_AllRights.words[0], 5};
    /* Copy without its rights word; into an occupied slot the destination is checked
     * first; without the source root cap. */
    set_args(args, 6);
    CHECK_ERROR(raw_invoke(ROOT, CNodeCopy, 4, 1), seL4_TruncatedMessage);
    set_args(occupied, 6);
    CHECK_ERROR(raw_invoke(ROOT, CNodeCopy, 4, 1), seL4_DeleteFirst);
    set_args(args, 6);
    CHECK_ERROR(raw_invoke(ROOT, CNodeCopy, 5, 0), seL4_TruncatedMessage);
    /* Mint without its badge, Mutate without its data, Move without the source depth. */
    set_args(args, 6);
    CHECK_ERROR(raw_invoke(ROOT, CNodeMint, 5, 1), seL4_TruncatedMessage);
    set_args(args, 6);
    CHECK_ERROR(raw_invoke(ROOT, CNodeMutate, 4, 1), seL4_TruncatedMessage);
    set_args(args, 6);
    CHECK_ERROR(raw_invoke(ROOT, CNodeMove, 3, 1), seL4_TruncatedMessage);
    set_args(args, 6);
    CHECK_ERROR(raw_invoke(ROOT, CNodeDelete, 1, 0), seL4_TruncatedMessage);
    set_args(args, 6);
    CHECK_ERROR(raw_invoke(ROOT, CNodeRevoke, 0, 0), seL4_TruncatedMessage);
    KCHECK_EQ(seL4_DebugCapIdentify(d), CT_NULL);
    KCHECK_EQ(seL4_DebugCapIdentify(nt), CT_NOTIFICATION);
    /* Move needs just 4 words. */
    set_args(args, 6);
    CHECK_OK(raw_invoke(ROOT, CNodeMove, 4, 1));
    KCHECK_EQ(seL4_DebugCapIdentify(d), CT_NOTIFICATION);
    KCHECK_EQ(seL4_DebugCapIdentify(nt), CT_NULL);
}

KTEST(cnode_bad_label, "CNODE0028", "a label that is no CNode operation is IllegalOperation")
{
    seL4_CPtr d = ktest_slot();
    seL4_SetMR(0, d);
    seL4_SetMR(1, DEPTH);
    CHECK_ERROR(raw_invoke(ROOT, UntypedRetype, 6, 0), seL4_IllegalOperation);
    CHECK_ERROR(raw_invoke(ROOT, IRQIssueIRQHandler, 3, 0), seL4_IllegalOperation);
    CHECK_ERROR(raw_invoke(ROOT, InvalidInvocation, 2, 0), seL4_IllegalOperation);
    CHECK_ERROR(raw_invoke(ROOT, 0xfffff, 2, 0), seL4_IllegalOperation);
    KCHECK_EQ(seL4_DebugCapIdentify(d), CT_NULL);
}

/* ------------------------------------------------------------------------- Mint --- */

KTEST(mint_badges, "CNODE0030",
      "Mint badges endpoint and notification caps; badges keep their low 28 bits")
{
    seL4_CPtr nt = new_notification();
    seL4_CPtr b = mint_new(nt, seL4_AllRights, 0xf1234567);
    KCHECK_EQ(signal_badge(b, nt), 0x1234567);
    seL4_CPtr ep = new_endpoint();
    seL4_CPtr e = mint_new(ep, seL4_AllRights, 0xabcdef);
    KCHECK_EQ(send_badge(e, ep), 0xabcdef);
    KCHECK_EQ(send_badge(ep, ep), 0);
    /* A badged copy is a different cap, the original stays unbadged. */
    seL4_CPtr b2 = mint_new(nt, seL4_AllRights, 0x42);
    KCHECK_EQ(signal_badge(b2, nt), 0x42);
    KCHECK_EQ(signal_badge(b, nt), 0x1234567);
}

KTEST(mint_rebadge, "CNODE0031",
      "re-minting a badged cap is IllegalOperation (any badge, even 0); Copy keeps a badge")
{
    seL4_CPtr nt = new_notification();
    seL4_CPtr b = mint_new(nt, seL4_AllRights, 5);
    seL4_CPtr d = ktest_slot();
    CHECK_ERROR(seL4_CNode_Mint(ROOT, d, DEPTH, ROOT, b, DEPTH, seL4_AllRights, 6),
                seL4_IllegalOperation);
    CHECK_ERROR(seL4_CNode_Mint(ROOT, d, DEPTH, ROOT, b, DEPTH, seL4_AllRights, 0),
                seL4_IllegalOperation);
    seL4_CPtr ep = new_endpoint();
    seL4_CPtr be = mint_new(ep, seL4_AllRights, 9);
    CHECK_ERROR(seL4_CNode_Mint(ROOT, d, DEPTH, ROOT, be, DEPTH, seL4_AllRights, 10),
                seL4_IllegalOperation);
    KCHECK_EQ(seL4_DebugCapIdentify(d), CT_NULL);
    seL4_CPtr c = copy_new(b);
    KCHECK_EQ(signal_badge(c, nt), 5);
    /* Minting with badge 0 leaves a cap unbadged: it can be badged later. */
    seL4_CPtr u = mint_new(nt, seL4_AllRights, 0);
    seL4_CPtr u2 = mint_new(u, seL4_AllRights, 0x33);
    KCHECK_EQ(signal_badge(u2, nt), 0x33);
}

KTEST(mint_rights, "CNODE0032", "Mint masks rights, and rights masked away never come back")
{
    seL4_CPtr ep = new_endpoint();
    seL4_CPtr full = mint_new(ep, seL4_AllRights, 3);
    CHECK_OK(seL4_CNode_CancelBadgedSends(ROOT, full, DEPTH));
    seL4_CapRights_t partial[] = {seL4_NoWrite, seL4_NoRead, seL4_CapRights_new(0, 1, 1, 1),
                                  seL4_CapRights_new(1, 0, 1, 1)};
    for (unsigned i = 0; i < sizeof(partial) / sizeof(partial[0]); i++) {
        seL4_CPtr m = mint_new(ep, partial[i], 4 + i);
        CHECK_ERROR(seL4_CNode_CancelBadgedSends(ROOT, m, DEPTH), seL4_IllegalOperation);
    }
    seL4_CPtr reduced = mint_new(ep, seL4_CanRead, 0);
    seL4_CPtr regrown = mint_new(reduced, seL4_AllRights, 7);
    CHECK_ERROR(seL4_CNode_CancelBadgedSends(ROOT, regrown, DEPTH), seL4_IllegalOperation);
    /* A frame minted read-only maps read-only. */
    seL4_CPtr f = ktest_object(seL4_ARM_SmallPageObject, 0);
    seL4_CPtr ro = mint_new(f, seL4_CanRead, 0x99);
    map_frame_at(ro, TEST_VA, seL4_AllRights);
    seL4_Word addr = 0;
    KCHECK_EQ(write_fault_label(TEST_VA + 8, &addr), seL4_Fault_VMFault);
    KCHECK_EQ(addr, TEST_VA + 8);
}

KTEST(mint_cnode_guard, "CNODE0033",
      "Mint of a CNode cap sets its guard; guard bits above the guard size are dropped")
{
    seL4_CPtr cn = new_cnode(4);
    seL4_CPtr nt = new_notification();
    CHECK_OK(seL4_CNode_Copy(cn, 9, 4, ROOT, nt, DEPTH, seL4_AllRights));
    seL4_CPtr g = mint_new(cn, seL4_AllRights, seL4_CNode_CapData_new(0xff, 3).words[0]);
    seL4_CPtr d = ktest_slot();
    CHECK_LOOKUP(seL4_CNode_Copy(ROOT, d, DEPTH, g, (3 << 4) | 9, 7, seL4_AllRights), 1,
                 seL4_GuardMismatch, 7, 7, 3);
    CHECK_OK(seL4_CNode_Copy(ROOT, d, DEPTH, g, (7 << 4) | 9, 7, seL4_AllRights));
    KCHECK_EQ(seL4_DebugCapIdentify(d), CT_NOTIFICATION);
    /* A guarded cap minted again gets the new guard (CNode caps are not "badged"). */
    seL4_CPtr g2 = mint_new(g, seL4_AllRights, seL4_CNode_CapData_new(1, 1).words[0]);
    CHECK_OK(seL4_CNode_Delete(g2, (1 << 4) | 9, 5));
    KCHECK_EQ(cap_type_at(cn, 9, 4), CT_NULL);
}

KTEST(mint_cnode_guard_too_big, "CNODE0034",
      "a guard size that makes guard + radix exceed 32 is IllegalOperation (Mint, Mutate)")
{
    seL4_CPtr cn = new_cnode(4);
    seL4_CPtr d = ktest_slot();
    CHECK_ERROR(seL4_CNode_Mint(ROOT, d, DEPTH, ROOT, cn, DEPTH, seL4_AllRights,
                                seL4_CNode_CapData_new(0, 29).words[0]),
                seL4_IllegalOperation);
    CHECK_ERROR(seL4_CNode_Mint(ROOT, d, DEPTH, ROOT, ROOT, DEPTH, seL4_AllRights,
                                seL4_CNode_CapData_new(0, 21).words[0]),
                seL4_IllegalOperation);
    CHECK_ERROR(
        seL4_CNode_Mutate(ROOT, d, DEPTH, ROOT, cn, DEPTH, seL4_CNode_CapData_new(0, 31).words[0]),
        seL4_IllegalOperation);
    KCHECK_EQ(seL4_DebugCapIdentify(d), CT_NULL);
    KCHECK_EQ(seL4_DebugCapIdentify(cn), CT_CNODE);
    CHECK_OK(seL4_CNode_Mint(ROOT, d, DEPTH, ROOT, cn, DEPTH, seL4_AllRights,
                             seL4_CNode_CapData_new(0, 28).words[0]));
    seL4_CPtr d2 = ktest_slot();
    CHECK_OK(seL4_CNode_Mint(ROOT, d2, DEPTH, ROOT, ROOT, DEPTH, seL4_AllRights,
                             seL4_CNode_CapData_new(0, 20).words[0]));
}

KTEST(mint_other_caps, "CNODE0035", "Mint of caps without a badge or guard ignores the data")
{
    seL4_CPtr f = ktest_object(seL4_ARM_SmallPageObject, 0);
    seL4_CPtr tcb = ktest_object(seL4_TCBObject, 0);
    seL4_CPtr ut = ktest_untyped(12);
    seL4_CPtr m1 = mint_new(f, seL4_AllRights, 0x123);
    seL4_CPtr m2 = mint_new(tcb, seL4_AllRights, 0x456);
    seL4_CPtr m3 = mint_new(ut, seL4_AllRights, 0x789);
    KCHECK_EQ(seL4_DebugCapIdentify(m1), CT_FRAME);
    KCHECK_EQ(seL4_DebugCapIdentify(m2), CT_THREAD);
    KCHECK_EQ(seL4_DebugCapIdentify(m3), CT_UNTYPED);
    KCHECK_EQ(frame_paddr(m1), frame_paddr(f));
    CHECK_OK(seL4_TCB_SetPriority(m2, seL4_CapInitThreadTCB, 10));
}

/* ------------------------------------------------------------------------- Move --- */

KTEST(move_basic, "CNODE0040",
      "Move empties the source and keeps the cap's place in the derivation tree")
{
    seL4_CPtr nt = new_notification();
    seL4_CPtr b = mint_new(nt, seL4_AllRights, 0x10);
    seL4_CPtr d = ktest_slot();
    CHECK_OK(seL4_CNode_Move(ROOT, d, DEPTH, ROOT, b, DEPTH));
    KCHECK_EQ(seL4_DebugCapIdentify(b), CT_NULL);
    KCHECK_EQ(signal_badge(d, nt), 0x10);
    /* Moved into another CNode, it is still a child of the original. */
    seL4_CPtr cn = new_cnode(2);
    CHECK_OK(seL4_CNode_Move(cn, 3, 2, ROOT, d, DEPTH));
    KCHECK_EQ(seL4_DebugCapIdentify(d), CT_NULL);
    KCHECK_EQ(cap_type_at(cn, 3, 2), CT_NOTIFICATION);
    CHECK_OK(seL4_CNode_Revoke(ROOT, nt, DEPTH));
    KCHECK_EQ(cap_type_at(cn, 3, 2), CT_NULL);
    KCHECK_EQ(seL4_DebugCapIdentify(nt), CT_NOTIFICATION);
}

KTEST(move_errors, "CNODE0041",
      "Move to an occupied slot (or onto itself) is DeleteFirst; from an empty one FailedLookup")
{
    seL4_CPtr nt = new_notification();
    seL4_CPtr a = mint_new(nt, seL4_AllRights, 1);
    seL4_CPtr b = mint_new(nt, seL4_AllRights, 2);
    CHECK_ERROR(seL4_CNode_Move(ROOT, b, DEPTH, ROOT, a, DEPTH), seL4_DeleteFirst);
    CHECK_ERROR(seL4_CNode_Move(ROOT, a, DEPTH, ROOT, a, DEPTH), seL4_DeleteFirst);
    seL4_CPtr empty = ktest_slot(), d = ktest_slot();
    CHECK_LOOKUP(seL4_CNode_Move(ROOT, d, DEPTH, ROOT, empty, DEPTH), 1, seL4_MissingCapability, 32,
                 0, 0);
    KCHECK_EQ(signal_badge(a, nt), 1);
    KCHECK_EQ(signal_badge(b, nt), 2);
    KCHECK_EQ(seL4_DebugCapIdentify(d), CT_NULL);
}

KTEST(move_uncopyable, "CNODE0042",
      "caps that cannot be copied can be moved: a reply cap, an unmapped page table")
{
    ktest_thread_t t;
    seL4_CPtr r = saved_reply_cap(new_endpoint(), &t);
    seL4_CPtr r2 = ktest_slot();
    CHECK_OK(seL4_CNode_Move(ROOT, r2, DEPTH, ROOT, r, DEPTH));
    KCHECK_EQ(seL4_DebugCapIdentify(r2), CT_REPLY);
    seL4_SetMR(0, 0x4444);
    seL4_Send(r2, seL4_MessageInfo_new(0x12, 0, 0, 1));
    let_run(100);
    KCHECK_EQ(progress[0], 1);
    KCHECK_EQ(reply_label, 0x12);
    KCHECK_EQ(reply_mr0, 0x4444);
    KCHECK_EQ(seL4_DebugCapIdentify(r2), CT_NULL);
    seL4_CPtr pt = ktest_object(seL4_ARM_PageTableObject, 0);
    seL4_CPtr pt2 = ktest_slot();
    CHECK_OK(seL4_CNode_Move(ROOT, pt2, DEPTH, ROOT, pt, DEPTH));
    KCHECK_EQ(seL4_DebugCapIdentify(pt2), CT_PAGE_TABLE);
}

/* ----------------------------------------------------------------------- Mutate --- */

KTEST(mutate_cnode_guard, "CNODE0043", "Mutate moves a CNode cap and sets its guard")
{
    seL4_CPtr cn = new_cnode(4);
    seL4_CPtr nt = new_notification();
    CHECK_OK(seL4_CNode_Copy(cn, 2, 4, ROOT, nt, DEPTH, seL4_AllRights));
    seL4_CPtr c = copy_new(cn);
    seL4_CPtr m = ktest_slot();
    CHECK_OK(
        seL4_CNode_Mutate(ROOT, m, DEPTH, ROOT, c, DEPTH, seL4_CNode_CapData_new(6, 3).words[0]));
    KCHECK_EQ(seL4_DebugCapIdentify(c), CT_NULL);
    seL4_CPtr d = ktest_slot();
    CHECK_OK(seL4_CNode_Copy(ROOT, d, DEPTH, m, (6 << 4) | 2, 7, seL4_AllRights));
    KCHECK_EQ(seL4_DebugCapIdentify(d), CT_NOTIFICATION);
    CHECK_LOOKUP(seL4_CNode_Delete(m, 2, 4), 0, seL4_GuardMismatch, 4, 6, 3);
}

KTEST(mutate_keeps_badge, "CNODE0044",
      "Mutate never badges: endpoint and notification caps move with their badge unchanged")
{
    seL4_CPtr nt = new_notification();
    seL4_CPtr b = mint_new(nt, seL4_AllRights, 3);
    seL4_CPtr m = ktest_slot();
    CHECK_OK(seL4_CNode_Mutate(ROOT, m, DEPTH, ROOT, b, DEPTH, 5));
    KCHECK_EQ(signal_badge(m, nt), 3);
    /* An unbadged cap stays unbadged (so a later Mint can still badge it). */
    seL4_CPtr u = copy_new(nt);
    seL4_CPtr m2 = ktest_slot();
    CHECK_OK(seL4_CNode_Mutate(ROOT, m2, DEPTH, ROOT, u, DEPTH, 5));
    seL4_CPtr b2 = mint_new(m2, seL4_AllRights, 8);
    KCHECK_EQ(signal_badge(b2, nt), 8);
    seL4_CPtr ep = new_endpoint();
    seL4_CPtr e = copy_new(ep);
    seL4_CPtr m3 = ktest_slot();
    CHECK_OK(seL4_CNode_Mutate(ROOT, m3, DEPTH, ROOT, e, DEPTH, 0x77));
    KCHECK_EQ(send_badge(m3, ep), 0);
}

KTEST(mutate_errors, "CNODE0045",
      "Mutate to an occupied slot is DeleteFirst, from an empty one FailedLookup; nothing moves")
{
    seL4_CPtr cn = new_cnode(4);
    seL4_CPtr nt = new_notification();
    CHECK_ERROR(seL4_CNode_Mutate(ROOT, nt, DEPTH, ROOT, cn, DEPTH, 0), seL4_DeleteFirst);
    seL4_CPtr empty = ktest_slot(), d = ktest_slot();
    CHECK_LOOKUP(seL4_CNode_Mutate(ROOT, d, DEPTH, ROOT, empty, DEPTH, 0), 1,
                 seL4_MissingCapability, 32, 0, 0);
    KCHECK_EQ(seL4_DebugCapIdentify(cn), CT_CNODE);
    KCHECK_EQ(seL4_DebugCapIdentify(nt), CT_NOTIFICATION);
    KCHECK_EQ(seL4_DebugCapIdentify(d), CT_NULL);
}

/* ----------------------------------------------------------------------- Rotate --- */

/* Badged notification caps a (badge 1) and b (badge 2) and an empty slot. */
typedef struct {
    seL4_CPtr nt, a, b, empty;
} rot_t;

static rot_t rot_setup(void)
{
    rot_t r;
    r.nt = new_notification();
    r.a = mint_new(r.nt, seL4_AllRights, 1);
    r.b = mint_new(r.nt, seL4_AllRights, 2);
    r.empty = ktest_slot();
    return r;
}

KTEST(rotate_basic, "CNODE0050",
      "Rotate moves pivot to destination and source to pivot; the source ends empty")
{
    rot_t r = rot_setup();
    CHECK_OK(seL4_CNode_Rotate(ROOT, r.empty, DEPTH, ROOT, r.b, DEPTH, 0, ROOT, r.a, DEPTH, 0));
    KCHECK_EQ(signal_badge(r.empty, r.nt), 2);
    KCHECK_EQ(signal_badge(r.b, r.nt), 1);
    KCHECK_EQ(seL4_DebugCapIdentify(r.a), CT_NULL);
    CHECK_INVARIANTS();
}

KTEST(rotate_swap, "CNODE0051", "Rotate with destination = source swaps source and pivot")
{
    rot_t r = rot_setup();
    CHECK_OK(seL4_CNode_Rotate(ROOT, r.a, DEPTH, ROOT, r.b, DEPTH, 0, ROOT, r.a, DEPTH, 0));
    KCHECK_EQ(signal_badge(r.a, r.nt), 2);
    KCHECK_EQ(signal_badge(r.b, r.nt), 1);
    CHECK_INVARIANTS();
    /* Revoking the original still finds both, wherever they sit now. */
    CHECK_OK(seL4_CNode_Revoke(ROOT, r.nt, DEPTH));
    KCHECK_EQ(seL4_DebugCapIdentify(r.a), CT_NULL);
    KCHECK_EQ(seL4_DebugCapIdentify(r.b), CT_NULL);
}

KTEST(rotate_swap_adjacent, "CNODE0052",
      "swapping a cap with its own child (adjacent in the CDT) keeps the tree consistent")
{
    seL4_CPtr nt = new_notification();
    seL4_CPtr parent = mint_new(nt, seL4_AllRights, 7);
    seL4_CPtr child = copy_new(parent);
    CHECK_OK(seL4_CNode_Rotate(ROOT, parent, DEPTH, ROOT, child, DEPTH, 0, ROOT, parent, DEPTH, 0));
    CHECK_INVARIANTS();
    /* The parent now sits in `child`'s slot: revoking it deletes the child in `parent`. */
    CHECK_OK(seL4_CNode_Revoke(ROOT, child, DEPTH));
    KCHECK_EQ(seL4_DebugCapIdentify(parent), CT_NULL);
    KCHECK_EQ(signal_badge(child, nt), 7);
    /* And the other way round, swapping back and forth twice. */
    seL4_CPtr c2 = copy_new(child);
    CHECK_OK(seL4_CNode_Rotate(ROOT, c2, DEPTH, ROOT, child, DEPTH, 0, ROOT, c2, DEPTH, 0));
    CHECK_OK(seL4_CNode_Rotate(ROOT, c2, DEPTH, ROOT, child, DEPTH, 0, ROOT, c2, DEPTH, 0));
    CHECK_INVARIANTS();
    CHECK_OK(seL4_CNode_Revoke(ROOT, child, DEPTH));
    KCHECK_EQ(seL4_DebugCapIdentify(c2), CT_NULL);
    KCHECK_EQ(seL4_DebugCapIdentify(child), CT_NOTIFICATION);
}

KTEST(rotate_pivot_same, "CNODE0053",
      "a pivot equal to the source or the destination is IllegalOperation")
{
    rot_t r = rot_setup();
    CHECK_ERROR(seL4_CNode_Rotate(ROOT, r.empty, DEPTH, ROOT, r.a, DEPTH, 0, ROOT, r.a, DEPTH, 0),
                seL4_IllegalOperation);
    CHECK_ERROR(seL4_CNode_Rotate(ROOT, r.b, DEPTH, ROOT, r.b, DEPTH, 0, ROOT, r.a, DEPTH, 0),
                seL4_IllegalOperation);
    KCHECK_EQ(signal_badge(r.a, r.nt), 1);
    KCHECK_EQ(signal_badge(r.b, r.nt), 2);
    KCHECK_EQ(seL4_DebugCapIdentify(r.empty), CT_NULL);
}

KTEST(rotate_dest_occupied, "CNODE0054",
      "Rotate into an occupied destination (not the source) is DeleteFirst; nothing moves")
{
    rot_t r = rot_setup();
    seL4_CPtr c = mint_new(r.nt, seL4_AllRights, 3);
    CHECK_ERROR(seL4_CNode_Rotate(ROOT, c, DEPTH, ROOT, r.b, DEPTH, 0, ROOT, r.a, DEPTH, 0),
                seL4_DeleteFirst);
    KCHECK_EQ(signal_badge(r.a, r.nt), 1);
    KCHECK_EQ(signal_badge(r.b, r.nt), 2);
    KCHECK_EQ(signal_badge(c, r.nt), 3);
}

KTEST(rotate_empty, "CNODE0055",
      "an empty source is FailedLookup (source), an empty pivot FailedLookup (not source)")
{
    rot_t r = rot_setup();
    seL4_CPtr e2 = ktest_slot();
    CHECK_LOOKUP(seL4_CNode_Rotate(ROOT, r.empty, DEPTH, ROOT, r.b, DEPTH, 0, ROOT, e2, DEPTH, 0),
                 1, seL4_MissingCapability, 32, 0, 0);
    seL4_CPtr cn = new_cnode(3);
    CHECK_LOOKUP(seL4_CNode_Rotate(ROOT, r.empty, DEPTH, cn, 5, 3, 0, ROOT, r.a, DEPTH, 0), 0,
                 seL4_MissingCapability, 3, 0, 0);
    KCHECK_EQ(signal_badge(r.a, r.nt), 1);
    KCHECK_EQ(seL4_DebugCapIdentify(r.empty), CT_NULL);
}

KTEST(rotate_cap_data, "CNODE0056",
      "Rotate's data sets CNode guards (0 clears one), keeps badges, rejects oversized guards")
{
    seL4_CPtr cn = new_cnode(4);
    seL4_CPtr nt = new_notification();
    CHECK_OK(seL4_CNode_Copy(cn, 9, 4, ROOT, nt, DEPTH, seL4_AllRights));
    seL4_CPtr src = copy_new(cn);
    seL4_CPtr pivot = mint_new(nt, seL4_AllRights, 4);
    seL4_CPtr dest = ktest_slot();
    CHECK_OK(seL4_CNode_Rotate(ROOT, dest, DEPTH, ROOT, pivot, DEPTH, 0x999, ROOT, src, DEPTH,
                               seL4_CNode_CapData_new(2, 2).words[0]));
    KCHECK_EQ(signal_badge(dest, nt), 4);
    /* The CNode cap, now in `pivot`, has guard 2/2. */
    seL4_CPtr d = ktest_slot();
    CHECK_OK(seL4_CNode_Copy(ROOT, d, DEPTH, pivot, (2 << 4) | 9, 6, seL4_AllRights));
    KCHECK_EQ(seL4_DebugCapIdentify(d), CT_NOTIFICATION);
    /* Rotated on with data 0 (the notification to `src`, the CNode cap to `dest`), the
     * CNode cap loses its guard. */
    CHECK_OK(seL4_CNode_Rotate(ROOT, src, DEPTH, ROOT, dest, DEPTH, 0, ROOT, pivot, DEPTH, 0));
    KCHECK_EQ(signal_badge(src, nt), 4);
    CHECK_OK(seL4_CNode_Delete(dest, 9, 4));
    KCHECK_EQ(cap_type_at(cn, 9, 4), CT_NULL);
    /* Oversized guards for the source, then for the pivot. */
    seL4_CPtr e = ktest_slot();
    CHECK_ERROR(seL4_CNode_Rotate(ROOT, e, DEPTH, ROOT, src, DEPTH, 0, ROOT, dest, DEPTH,
                                  seL4_CNode_CapData_new(0, 29).words[0]),
                seL4_IllegalOperation);
    CHECK_ERROR(seL4_CNode_Rotate(ROOT, e, DEPTH, ROOT, dest, DEPTH,
                                  seL4_CNode_CapData_new(0, 29).words[0], ROOT, src, DEPTH, 0),
                seL4_IllegalOperation);
    KCHECK_EQ(seL4_DebugCapIdentify(e), CT_NULL);
    KCHECK_EQ(seL4_DebugCapIdentify(dest), CT_CNODE);
    KCHECK_EQ(seL4_DebugCapIdentify(src), CT_NOTIFICATION);
}

KTEST(rotate_truncated, "CNODE0057", "Rotate with 7 words or one extra cap is TruncatedMessage")
{
    rot_t r = rot_setup();
    seL4_Word args[8] = {r.empty, DEPTH, 0, r.b, DEPTH, 0, r.a, DEPTH};
    for (int i = 0; i < 8; i++)
        seL4_SetMR(i, args[i]);
    seL4_SetCap(0, ROOT);
    seL4_SetCap(1, ROOT);
    CHECK_ERROR(raw_invoke(ROOT, CNodeRotate, 7, 2), seL4_TruncatedMessage);
    for (int i = 0; i < 8; i++)
        seL4_SetMR(i, args[i]);
    CHECK_ERROR(raw_invoke(ROOT, CNodeRotate, 8, 1), seL4_TruncatedMessage);
    KCHECK_EQ(seL4_DebugCapIdentify(r.empty), CT_NULL);
    for (int i = 0; i < 8; i++)
        seL4_SetMR(i, args[i]);
    CHECK_OK(raw_invoke(ROOT, CNodeRotate, 8, 2));
    KCHECK_EQ(signal_badge(r.empty, r.nt), 2);
}

KTEST(rotate_lookup_order, "CNODE0058",
      "Rotate looks up the source before the pivot; a bad pivot root counts as a source")
{
    rot_t r = rot_setup();
    seL4_CPtr ep = new_endpoint();
    /* Both bad: the source's RangeError wins. */
    CHECK_RANGE(seL4_CNode_Rotate(ROOT, r.empty, DEPTH, ep, r.b, DEPTH, 0, ROOT, r.a, 0, 0), 1, 32);
    CHECK_LOOKUP(seL4_CNode_Rotate(ROOT, r.empty, DEPTH, ep, r.b, DEPTH, 0, ROOT, r.a, DEPTH, 0), 1,
                 seL4_InvalidRoot, 0, 0, 0);
    /* The destination is looked up before both. */
    CHECK_RANGE(seL4_CNode_Rotate(ROOT, r.empty, 0, ep, r.b, DEPTH, 0, ROOT, r.a, DEPTH, 0), 1, 32);
    KCHECK_EQ(signal_badge(r.a, r.nt), 1);
    KCHECK_EQ(signal_badge(r.b, r.nt), 2);
}

/* ---------------------------------------------------------------- Delete, Revoke --- */

KTEST(delete_basic, "CNODE0060",
      "Delete empties a slot; the object lives on through other caps; empty slots are fine")
{
    seL4_CPtr nt = new_notification();
    seL4_CPtr a = mint_new(nt, seL4_AllRights, 0x51);
    seL4_CPtr b = copy_new(a);
    CHECK_OK(seL4_CNode_Delete(ROOT, a, DEPTH));
    KCHECK_EQ(seL4_DebugCapIdentify(a), CT_NULL);
    KCHECK_EQ(signal_badge(b, nt), 0x51);
    CHECK_OK(seL4_CNode_Delete(ROOT, a, DEPTH));
    seL4_CPtr cn = new_cnode(3);
    CHECK_OK(seL4_CNode_Delete(cn, 7, 3));
    CHECK_OK(seL4_CNode_Copy(cn, 7, 3, ROOT, b, DEPTH, seL4_AllRights));
    CHECK_OK(seL4_CNode_Delete(cn, 7, 3));
    KCHECK_EQ(cap_type_at(cn, 7, 3), CT_NULL);
}

KTEST(revoke_basic, "CNODE0061",
      "Revoke deletes every child and keeps the cap; with no children it does nothing")
{
    seL4_CPtr nt = new_notification();
    seL4_CPtr m1 = mint_new(nt, seL4_AllRights, 1);
    seL4_CPtr m2 = mint_new(nt, seL4_AllRights, 2);
    seL4_CPtr c = copy_new(nt);
    CHECK_OK(seL4_CNode_Revoke(ROOT, m1, DEPTH));
    KCHECK_EQ(signal_badge(m1, nt), 1);
    CHECK_OK(seL4_CNode_Revoke(ROOT, nt, DEPTH));
    KCHECK_EQ(seL4_DebugCapIdentify(m1), CT_NULL);
    KCHECK_EQ(seL4_DebugCapIdentify(m2), CT_NULL);
    KCHECK_EQ(seL4_DebugCapIdentify(c), CT_NULL);
    KCHECK_EQ(seL4_DebugCapIdentify(nt), CT_NOTIFICATION);
    CHECK_OK(seL4_CNode_Revoke(ROOT, ktest_slot(), DEPTH));
}

KTEST(revoke_copy_of_original, "CNODE0062",
      "an unbadged copy is no parent: revoking it leaves copies made from it")
{
    seL4_CPtr ep = new_endpoint();
    seL4_CPtr c1 = copy_new(ep);
    seL4_CPtr c2 = copy_new(c1);
    CHECK_OK(seL4_CNode_Revoke(ROOT, c1, DEPTH));
    KCHECK_EQ(seL4_DebugCapIdentify(c2), CT_ENDPOINT);
    CHECK_OK(seL4_CNode_Revoke(ROOT, ep, DEPTH));
    KCHECK_EQ(seL4_DebugCapIdentify(c1), CT_NULL);
    KCHECK_EQ(seL4_DebugCapIdentify(c2), CT_NULL);
}

KTEST(delete_revoke_lookup, "CNODE0063",
      "Delete and Revoke report their target's lookup failure exactly (not as source)")
{
    seL4_CPtr cn = new_cnode(4);
    seL4_CPtr g = mint_new(cn, seL4_AllRights, seL4_CNode_CapData_new(3, 2).words[0]);
    CHECK_LOOKUP(seL4_CNode_Delete(g, (1 << 4) | 2, 6), 0, seL4_GuardMismatch, 6, 3, 2);
    CHECK_LOOKUP(seL4_CNode_Revoke(g, 3, 2), 0, seL4_DepthMismatch, 2, 6, 0);
    CHECK_LOOKUP(seL4_CNode_Revoke(cn, 2 << 1, 5), 0, seL4_DepthMismatch, 1, 0, 0);
    CHECK_RANGE(seL4_CNode_SaveCaller(cn, 2, 0), 1, 32);
    CHECK_ERROR(seL4_CNode_CancelBadgedSends(cn, 2, 4), seL4_IllegalOperation);
}
