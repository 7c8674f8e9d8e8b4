/*
 * The capability derivation tree: what Revoke reaches, and what deleting the last cap to
 * an object in use does to it (queued threads, running threads, mappings, nested CNodes,
 * CNodes that hold their own cap).
 */
#include "cnode_util.h"

#define VA 0x52000000u

/* A thread spinning at the root's priority; returns once it has run. */
static void start_spinner(ktest_thread_t *t, int idx)
{
    progress[idx] = 0;
    start_thread(t, body_spin, THREAD_ARG(0, idx), seL4_MaxPrio, 0);
    for (int i = 0; i < 50 && progress[idx] == 0; i++)
        seL4_Yield();
}

/* Gives a spinner several chances to run; true if it made no progress. */
static bool spinner_stopped(int idx)
{
    seL4_Word before = progress[idx];
    for (int i = 0; i < 3; i++)
        seL4_Yield();
    for (volatile int i = 0; i < 100000; i++)
        ;
    return progress[idx] == before;
}

/* Starts a thread reading `vaddr`; the fault label it took (0 if it read fine). */
static seL4_Word read_fault(seL4_Word vaddr, seL4_Word *addr)
{
    seL4_CPtr fep = new_endpoint();
    ktest_thread_t t;
    touched = 0;
    start_thread(&t, body_read, vaddr, 100, fep);
    fault_msg_t f = recv_fault(fep);
    *addr = f.mr[seL4_VMFault_Addr];
    return f.label;
}

KTEST(cdt_revoke_copies_of_copies, "CDT0001",
      "revoking an original deletes copies of copies and caps minted from them")
{
    seL4_CPtr ep = new_endpoint();
    seL4_CPtr c[10];
    c[0] = copy_new(ep);
    for (int i = 1; i < 10; i++)
        c[i] = copy_new(c[i - 1]);
    seL4_CPtr m = mint_new(c[4], seL4_AllRights, 5);
    seL4_CPtr mc = copy_new(m);
    /* A copy is no parent of the copies made from it. */
    CHECK_OK(seL4_CNode_Revoke(ROOT, c[3], DEPTH));
    KCHECK_EQ(seL4_DebugCapIdentify(c[9]), CT_ENDPOINT);
    CHECK_INVARIANTS();
    CHECK_OK(seL4_CNode_Revoke(ROOT, ep, DEPTH));
    for (int i = 0; i < 10; i++)
        KCHECK_EQ(seL4_DebugCapIdentify(c[i]), CT_NULL);
    KCHECK_EQ(seL4_DebugCapIdentify(m), CT_NULL);
    KCHECK_EQ(seL4_DebugCapIdentify(mc), CT_NULL);
    KCHECK_EQ(seL4_DebugCapIdentify(ep), CT_ENDPOINT);
}

KTEST(cdt_badged_subtrees, "CDT0002",
      "revoking a badged cap deletes its copies only, not other mints of the same badge")
{
    seL4_CPtr nt = new_notification();
    seL4_CPtr b1 = mint_new(nt, seL4_AllRights, 5);
    seL4_CPtr b1c = copy_new(b1);
    seL4_CPtr b1cc = copy_new(b1c);
    seL4_CPtr b2 = mint_new(nt, seL4_AllRights, 5);
    seL4_CPtr b2c = copy_new(b2);
    seL4_CPtr b3 = mint_new(nt, seL4_AllRights, 6);
    CHECK_OK(seL4_CNode_Revoke(ROOT, b1, DEPTH));
    KCHECK_EQ(seL4_DebugCapIdentify(b1c), CT_NULL);
    KCHECK_EQ(seL4_DebugCapIdentify(b1cc), CT_NULL);
    KCHECK_EQ(signal_badge(b1, nt), 5);
    KCHECK_EQ(signal_badge(b2c, nt), 5);
    KCHECK_EQ(signal_badge(b3, nt), 6);
    CHECK_OK(seL4_CNode_Revoke(ROOT, b2, DEPTH));
    KCHECK_EQ(seL4_DebugCapIdentify(b2c), CT_NULL);
    KCHECK_EQ(seL4_DebugCapIdentify(b1), CT_NOTIFICATION);
    CHECK_INVARIANTS();
    CHECK_OK(seL4_CNode_Revoke(ROOT, nt, DEPTH));
    KCHECK_EQ(seL4_DebugCapIdentify(b1), CT_NULL);
    KCHECK_EQ(seL4_DebugCapIdentify(b2), CT_NULL);
    KCHECK_EQ(seL4_DebugCapIdentify(b3), CT_NULL);
}

KTEST(cdt_revoke_untyped_everywhere, "CDT0003",
      "revoking an Untyped deletes its objects' caps wherever they were moved or copied")
{
    seL4_CPtr ut = ktest_untyped(16);
    seL4_CPtr cn = new_cnode(3);
    seL4_CPtr s = ktest_slot();
    CHECK_OK(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, ROOT, 0, 0, s, 1));
    seL4_CPtr c = copy_new(s);
    CHECK_OK(seL4_CNode_Move(cn, 2, 3, ROOT, c, DEPTH));
    CHECK_OK(seL4_Untyped_Retype(ut, seL4_NotificationObject, 0, cn, 0, 0, 5, 1));
    seL4_CPtr m = ktest_slot();
    CHECK_OK(seL4_CNode_Mint(ROOT, m, DEPTH, cn, 5, 3, seL4_AllRights, 9));
    seL4_CPtr f = ktest_slot();
    CHECK_OK(seL4_Untyped_Retype(ut, seL4_ARM_SmallPageObject, 0, ROOT, 0, 0, f, 1));
    map_frame_at(f, VA, seL4_AllRights);
    CHECK_OK(seL4_CNode_Revoke(ROOT, ut, DEPTH));
    KCHECK_EQ(seL4_DebugCapIdentify(s), CT_NULL);
    KCHECK_EQ(seL4_DebugCapIdentify(m), CT_NULL);
    KCHECK_EQ(seL4_DebugCapIdentify(f), CT_NULL);
    KCHECK_EQ(cap_type_at(cn, 2, 3), CT_NULL);
    KCHECK_EQ(cap_type_at(cn, 5, 3), CT_NULL);
    seL4_Word addr = 0;
    KCHECK_EQ(read_fault(VA, &addr), seL4_Fault_VMFault);
    KCHECK_EQ(addr, VA);
}

KTEST(cdt_retype_originals_revocable, "CDT0004",
      "the cap Retype returns is the parent of its copies, for every object type")
{
    static const seL4_Word types[] = {
        seL4_EndpointObject,      seL4_NotificationObject, seL4_TCBObject,
        seL4_CapTableObject,      seL4_UntypedObject,      seL4_ARM_SmallPageObject,
        seL4_ARM_LargePageObject, seL4_ARM_SectionObject,
    };
    for (unsigned i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
        seL4_CPtr o = ktest_object(types[i], types[i] == seL4_UntypedObject ? 12 : 2);
        seL4_CPtr c1 = copy_new(o);
        seL4_CPtr c2 = copy_new(c1);
        CHECK_OK(seL4_CNode_Revoke(ROOT, o, DEPTH));
        KCHECK_EQ(seL4_DebugCapIdentify(c1), CT_NULL);
        KCHECK_EQ(seL4_DebugCapIdentify(c2), CT_NULL);
        KCHECK(seL4_DebugCapIdentify(o) != CT_NULL);
    }
    /* Page tables and directories once they can be copied (mapped, with an ASID). */
    seL4_CPtr pt = ktest_object(seL4_ARM_PageTableObject, 0);
    CHECK_OK(
        seL4_ARM_PageTable_Map(pt, seL4_CapInitThreadVSpace, VA, seL4_ARM_Default_VMAttributes));
    seL4_CPtr ptc = copy_new(pt);
    seL4_CPtr pd = ktest_object(seL4_ARM_PageDirectoryObject, 0);
    CHECK_OK(seL4_ARM_ASIDPool_Assign(seL4_CapInitThreadASIDPool, pd));
    seL4_CPtr pdc = copy_new(pd);
    CHECK_OK(seL4_CNode_Revoke(ROOT, pt, DEPTH));
    CHECK_OK(seL4_CNode_Revoke(ROOT, pd, DEPTH));
    KCHECK_EQ(seL4_DebugCapIdentify(ptc), CT_NULL);
    KCHECK_EQ(seL4_DebugCapIdentify(pdc), CT_NULL);
    CHECK_INVARIANTS();
}

KTEST(cdt_delete_not_final, "CDT0005",
      "deleting one of two caps leaves the object and its queue alone")
{
    seL4_CPtr ep = new_endpoint();
    seL4_CPtr c = copy_new(ep);
    ktest_thread_t t;
    progress[0] = 0;
    start_thread(&t, body_send, THREAD_ARG(c, 0), 100, 0);
    let_run(100);
    CHECK_OK(seL4_CNode_Delete(ROOT, ep, DEPTH));
    let_run(100);
    KCHECK_EQ(progress[0], 0);
    seL4_Word badge = 1;
    seL4_MessageInfo_t info = seL4_NBRecv(c, &badge);
    KCHECK_EQ(seL4_MessageInfo_get_label(info), 0x55);
    let_run(100);
    KCHECK_EQ(progress[0], 1);
    /* Deleting the original leaves the copy a working cap. */
    seL4_CPtr nt = new_notification();
    seL4_CPtr b = mint_new(nt, seL4_AllRights, 4);
    seL4_CPtr bc = copy_new(b);
    CHECK_OK(seL4_CNode_Delete(ROOT, nt, DEPTH));
    CHECK_OK(seL4_CNode_Delete(ROOT, b, DEPTH));
    seL4_Signal(bc);
    seL4_Poll(bc, &badge);
    KCHECK_EQ(badge, 4);
}

KTEST(cdt_delete_endpoint_senders, "CDT0006",
      "deleting an endpoint's last cap restarts its senders, callers and faulted threads")
{
    seL4_CPtr ep = new_endpoint();
    seL4_CPtr fep = new_endpoint();
    ktest_thread_t t[4];
    for (int i = 0; i < 3; i++)
        progress[i] = 0;
    reply_label = 0;
    start_thread(&t[0], body_send, THREAD_ARG(ep, 0), 100, fep);
    start_thread(&t[1], body_send, THREAD_ARG(ep, 1), 100, fep);
    start_thread(&t[2], body_call, THREAD_ARG(ep, 2), 100, fep);
    touched = 0;
    start_thread(&t[3], body_read, 0x5ff00000u, 100, ep); /* faults, its message queues */
    let_run(100);
    KCHECK_EQ(progress[0] + progress[1] + progress[2], 0);
    CHECK_OK(seL4_CNode_Delete(ROOT, ep, DEPTH));
    CHECK_INVARIANTS();
    /* Restarted, each repeats its Send / Call on what is now an empty slot: an error
     * (InvalidCapability, which a Call gets as its reply) ends it. The faulted thread
     * repeats its access and faults again, with no handler left: it stays stopped. */
    let_run(100);
    KCHECK_EQ(progress[0], 1);
    KCHECK_EQ(progress[1], 1);
    KCHECK_EQ(progress[2], 1);
    KCHECK_EQ(reply_label, seL4_InvalidCapability);
    KCHECK_EQ(touched, 0);
    seL4_Word badge;
    KCHECK_EQ(seL4_MessageInfo_get_label(seL4_NBRecv(fep, &badge)), 0);
    CHECK_INVARIANTS();
}

KTEST(cdt_delete_endpoint_receiver, "CDT0007",
      "deleting an endpoint's last cap restarts its receiver, whose Recv then cap-faults")
{
    seL4_CPtr ep = new_endpoint();
    seL4_CPtr fep = new_endpoint();
    ktest_thread_t t;
    progress[0] = 0;
    start_thread(&t, body_recv, THREAD_ARG(ep, 0), 100, fep);
    let_run(100);
    CHECK_OK(seL4_CNode_Delete(ROOT, ep, DEPTH));
    fault_msg_t f = recv_fault(fep);
    KCHECK_EQ(f.label, seL4_Fault_CapFault);
    KCHECK_EQ(f.mr[seL4_CapFault_Addr], ep);
    KCHECK_EQ(f.mr[seL4_CapFault_InRecvPhase], 1);
    KCHECK_EQ(f.mr[seL4_CapFault_LookupFailureType], seL4_MissingCapability);
    KCHECK_EQ(f.mr[seL4_CapFault_BitsLeft], 0);
    KCHECK_EQ(progress[0], 0);
}

KTEST(cdt_delete_tcb, "CDT0008",
      "deleting a thread's last TCB cap stops it, whether running or blocked")
{
    ktest_thread_t spin;
    start_spinner(&spin, 0);
    KREQUIRE_EQ(progress[0] != 0, 1);
    CHECK_OK(seL4_CNode_Delete(ROOT, spin.tcb, DEPTH));
    KCHECK(spinner_stopped(0));
    CHECK_INVARIANTS();
    /* A thread waiting on a notification leaves its queue: a signal finds nobody. */
    seL4_CPtr nt = new_notification();
    seL4_CPtr b = mint_new(nt, seL4_AllRights, 0x18);
    ktest_thread_t w;
    progress[1] = 0;
    start_thread(&w, body_wait, THREAD_ARG(nt, 1), 100, 0);
    let_run(100);
    CHECK_OK(seL4_CNode_Delete(ROOT, w.tcb, DEPTH));
    CHECK_INVARIANTS();
    KCHECK_EQ(signal_badge(b, nt), 0x18);
    let_run(100);
    KCHECK_EQ(progress[1], 0);
    /* A thread blocked sending leaves the endpoint's queue. */
    seL4_CPtr ep = new_endpoint();
    ktest_thread_t s;
    progress[2] = 0;
    start_thread(&s, body_send, THREAD_ARG(ep, 2), 100, 0);
    let_run(100);
    CHECK_OK(seL4_CNode_Delete(ROOT, s.tcb, DEPTH));
    seL4_Word badge;
    KCHECK_EQ(seL4_MessageInfo_get_label(seL4_NBRecv(ep, &badge)), 0);
    CHECK_INVARIANTS();
}

KTEST(cdt_delete_notification, "CDT0009",
      "deleting a notification's last cap restarts its waiters and unbinds its thread")
{
    seL4_CPtr nt = new_notification();
    seL4_CPtr fep = new_endpoint();
    ktest_thread_t w;
    progress[0] = 0;
    start_thread(&w, body_wait, THREAD_ARG(nt, 0), 100, fep);
    let_run(100);
    CHECK_OK(seL4_CNode_Delete(ROOT, nt, DEPTH));
    fault_msg_t f = recv_fault(fep);
    KCHECK_EQ(f.label, seL4_Fault_CapFault);
    KCHECK_EQ(f.mr[seL4_CapFault_Addr], nt);
    KCHECK_EQ(f.mr[seL4_CapFault_InRecvPhase], 1);
    KCHECK_EQ(progress[0], 0);
    /* Bound: the binding goes with the notification, so the thread can bind again. */
    seL4_CPtr tcb = ktest_object(seL4_TCBObject, 0);
    seL4_CPtr n1 = new_notification(), n2 = new_notification();
    CHECK_OK(seL4_TCB_BindNotification(tcb, n1));
    CHECK_ERROR(seL4_TCB_BindNotification(tcb, n2), seL4_IllegalOperation);
    CHECK_OK(seL4_CNode_Delete(ROOT, n1, DEPTH));
    CHECK_OK(seL4_TCB_BindNotification(tcb, n2));
    CHECK_INVARIANTS();
}

KTEST(cdt_delete_mapped_frame, "CDT0010",
      "deleting a mapped frame's last cap unmaps it: a thread touching it then VM-faults")
{
    seL4_CPtr f = ktest_object(seL4_ARM_SmallPageObject, 0);
    map_frame_at(f, VA, seL4_AllRights);
    seL4_Word addr = 0;
    KCHECK_EQ(read_fault(VA, &addr), 0);
    KCHECK_EQ(touched, 1);
    CHECK_OK(seL4_CNode_Delete(ROOT, f, DEPTH));
    KCHECK_EQ(read_fault(VA, &addr), seL4_Fault_VMFault);
    KCHECK_EQ(addr, VA);
    KCHECK_EQ(touched, 0);
    /* A mapped copy goes with its own deletion even while the frame lives on. */
    seL4_CPtr g = ktest_object(seL4_ARM_SmallPageObject, 0);
    seL4_CPtr gc = copy_new(g);
    map_frame_at(gc, VA + 0x1000, seL4_AllRights);
    CHECK_OK(seL4_CNode_Delete(ROOT, gc, DEPTH));
    KCHECK_EQ(read_fault(VA + 0x1000, &addr), seL4_Fault_VMFault);
    CHECK_INVARIANTS();
}

KTEST(cdt_delete_page_table, "CDT0011",
      "deleting a page table with mappings removes them; its frames can map elsewhere")
{
    seL4_CPtr pt = ktest_object(seL4_ARM_PageTableObject, 0);
    CHECK_OK(
        seL4_ARM_PageTable_Map(pt, seL4_CapInitThreadVSpace, VA, seL4_ARM_Default_VMAttributes));
    seL4_CPtr f = ktest_object(seL4_ARM_SmallPageObject, 0);
    seL4_CPtr g = ktest_object(seL4_ARM_LargePageObject, 0);
    CHECK_OK(seL4_ARM_Page_Map(f, seL4_CapInitThreadVSpace, VA, seL4_AllRights,
                               seL4_ARM_Default_VMAttributes));
    CHECK_OK(seL4_ARM_Page_Map(g, seL4_CapInitThreadVSpace, VA + 0x10000, seL4_AllRights,
                               seL4_ARM_Default_VMAttributes));
    *(volatile seL4_Word *)VA = 7;
    CHECK_OK(seL4_CNode_Delete(ROOT, pt, DEPTH));
    CHECK_INVARIANTS();
    seL4_Word addr = 0;
    KCHECK_EQ(read_fault(VA, &addr), seL4_Fault_VMFault);
    KCHECK_EQ(read_fault(VA + 0x10000, &addr), seL4_Fault_VMFault);
    seL4_CPtr h = ktest_object(seL4_ARM_SmallPageObject, 0);
    CHECK_LOOKUP(seL4_ARM_Page_Map(h, seL4_CapInitThreadVSpace, VA + 0x2000, seL4_AllRights,
                                   seL4_ARM_Default_VMAttributes),
                 0, seL4_MissingCapability, 20, 0, 0);
    CHECK_OK(seL4_ARM_Page_Unmap(f));
    map_frame_at(f, VA + 0x100000, seL4_AllRights);
    KCHECK_EQ(*(volatile seL4_Word *)(VA + 0x100000), 7);
}

KTEST(cdt_delete_cnode_contents, "CDT0012",
      "deleting a CNode's last cap deletes the caps in it: a waiting thread, a mapped frame")
{
    seL4_CPtr cn = new_cnode(3);
    seL4_CPtr nt = new_notification();
    seL4_CPtr b = mint_new(nt, seL4_AllRights, 0x2a);
    ktest_thread_t w;
    progress[0] = 0;
    start_thread(&w, body_wait, THREAD_ARG(nt, 0), 100, 0);
    let_run(100);
    CHECK_OK(seL4_CNode_Move(cn, 0, 3, ROOT, w.tcb, DEPTH));
    seL4_CPtr f = ktest_object(seL4_ARM_SmallPageObject, 0);
    map_frame_at(f, VA, seL4_AllRights);
    CHECK_OK(seL4_CNode_Move(cn, 1, 3, ROOT, f, DEPTH));
    seL4_CPtr ep = new_endpoint();
    CHECK_OK(seL4_CNode_Copy(cn, 7, 3, ROOT, ep, DEPTH, seL4_AllRights));
    CHECK_OK(seL4_CNode_Delete(ROOT, cn, DEPTH));
    CHECK_INVARIANTS();
    KCHECK_EQ(signal_badge(b, nt), 0x2a);
    let_run(100);
    KCHECK_EQ(progress[0], 0);
    seL4_Word addr = 0;
    KCHECK_EQ(read_fault(VA, &addr), seL4_Fault_VMFault);
    KCHECK_EQ(seL4_DebugCapIdentify(ep), CT_ENDPOINT);
}

KTEST(cdt_delete_nested_cnodes, "CDT0013",
      "a CNode holding the only cap to a CNode holding the only cap to a running thread")
{
    ktest_thread_t spin;
    start_spinner(&spin, 0);
    KREQUIRE_EQ(progress[0] != 0, 1);
    seL4_CPtr c3 = new_cnode(2), c2 = new_cnode(2), c1 = new_cnode(2);
    CHECK_OK(seL4_CNode_Move(c3, 3, 2, ROOT, spin.tcb, DEPTH));
    CHECK_OK(seL4_CNode_Move(c2, 0, 2, ROOT, c3, DEPTH));
    CHECK_OK(seL4_CNode_Move(c1, 2, 2, ROOT, c2, DEPTH));
    KCHECK(!spinner_stopped(0));
    CHECK_INVARIANTS();
    CHECK_OK(seL4_CNode_Delete(ROOT, c1, DEPTH));
    KCHECK(spinner_stopped(0));
    CHECK_INVARIANTS();
}

KTEST(cdt_cnode_holds_itself, "CDT0014",
      "a CNode holding a cap to itself: not final while others exist, destroyed by revoke")
{
    seL4_CPtr ut = ktest_untyped(12);
    seL4_CPtr cn = ktest_slot();
    CHECK_OK(seL4_Untyped_Retype(ut, seL4_CapTableObject, 2, ROOT, 0, 0, cn, 1));
    seL4_CPtr cn2 = copy_new(cn);
    CHECK_OK(seL4_CNode_Copy(cn, 0, 2, ROOT, cn, DEPTH, seL4_AllRights));
    seL4_CPtr nt = ktest_slot();
    CHECK_OK(seL4_Untyped_Retype(ut, seL4_NotificationObject, 0, cn, 0, 0, 3, 1));
    CHECK_OK(seL4_CNode_Delete(ROOT, cn, DEPTH));
    KCHECK_EQ(cap_type_at(cn2, 0, 2), CT_CNODE);
    KCHECK_EQ(cap_type_at(cn2, 3, 2), CT_NOTIFICATION);
    /* Its last cap moved into itself: unreachable, it still goes with its Untyped. */
    CHECK_OK(seL4_CNode_Delete(cn2, 0, 2));
    CHECK_OK(seL4_CNode_Move(cn2, 1, 2, ROOT, cn2, DEPTH));
    KCHECK_EQ(seL4_DebugCapIdentify(cn2), CT_NULL);
    CHECK_INVARIANTS();
    CHECK_OK(seL4_CNode_Revoke(ROOT, ut, DEPTH));
    CHECK_INVARIANTS();
    /* All 4 KiB are free again. */
    CHECK_OK(seL4_Untyped_Retype(ut, seL4_ARM_SmallPageObject, 0, ROOT, 0, 0, nt, 1));
    /* A CNode whose other cap sits in itself is not final: deleting the outside cap leaves
     * it (unreachable) until its Untyped is revoked, as the case's pool revoke does. */
    seL4_CPtr c = new_cnode(1);
    seL4_CPtr cc = copy_new(c);
    CHECK_OK(seL4_CNode_Move(c, 1, 1, ROOT, cc, DEPTH));
    CHECK_OK(seL4_CNode_Delete(ROOT, c, DEPTH));
    CHECK_INVARIANTS();
}

KTEST(cdt_deep_cnode_chain, "CDT0015",
      "deleting the top of 200 nested CNodes (each the only holder of the next) ends them all")
{
    ktest_thread_t spin;
    start_spinner(&spin, 0);
    seL4_CPtr top = new_cnode(1);
    CHECK_OK(seL4_CNode_Move(top, 1, 1, ROOT, spin.tcb, DEPTH));
    for (int i = 0; i < 200; i++) {
        seL4_CPtr next = new_cnode(1);
        CHECK_OK(seL4_CNode_Move(next, 0, 1, ROOT, top, DEPTH));
        top = next;
    }
    KCHECK(!spinner_stopped(0));
    CHECK_INVARIANTS();
    CHECK_OK(seL4_CNode_Delete(ROOT, top, DEPTH));
    KCHECK(spinner_stopped(0));
    CHECK_INVARIANTS();
}

KTEST(cdt_tcb_holds_cspace, "CDT0016",
      "a TCB holding the last cap to its CSpace CNode destroys the CNode with itself")
{
    ktest_thread_t spin;
    start_spinner(&spin, 0);
    seL4_CPtr cn = new_cnode(4);
    CHECK_OK(seL4_CNode_Move(cn, 5, 4, ROOT, spin.tcb, DEPTH));
    seL4_CPtr tcb = ktest_object(seL4_TCBObject, 0);
    CHECK_OK(seL4_TCB_SetSpace(tcb, 0, cn, 0, seL4_CapInitThreadVSpace, 0));
    CHECK_OK(seL4_CNode_Delete(ROOT, cn, DEPTH));
    KCHECK(!spinner_stopped(0));
    CHECK_INVARIANTS();
    CHECK_OK(seL4_CNode_Delete(ROOT, tcb, DEPTH));
    KCHECK(spinner_stopped(0));
    CHECK_INVARIANTS();
}

KTEST(cdt_delete_server, "CDT0017",
      "deleting a server holding a caller's reply cap leaves the caller waiting, cleanly")
{
    seL4_CPtr ep = new_endpoint();
    ktest_thread_t server, client;
    progress[0] = progress[1] = 0;
    start_thread(&server, body_recv, THREAD_ARG(ep, 0), 100, 0);
    let_run(100);
    start_thread(&client, body_call, THREAD_ARG(ep, 1), 100, 0);
    let_run(100);
    KCHECK_EQ(progress[0], 1); /* the server got the call (its reply cap is held) */
    CHECK_OK(seL4_CNode_Delete(ROOT, server.tcb, DEPTH));
    CHECK_INVARIANTS();
    let_run(100);
    KCHECK_EQ(progress[1], 0);
    CHECK_OK(seL4_TCB_Suspend(client.tcb));
    CHECK_INVARIANTS();
}

KTEST(cdt_delete_page_directory, "CDT0018",
      "deleting a page directory with an ASID and mappings frees the ASID; frames survive")
{
    seL4_CPtr pd = ktest_object(seL4_ARM_PageDirectoryObject, 0);
    CHECK_OK(seL4_ARM_ASIDPool_Assign(seL4_CapInitThreadASIDPool, pd));
    seL4_CPtr pt = ktest_object(seL4_ARM_PageTableObject, 0);
    CHECK_OK(seL4_ARM_PageTable_Map(pt, pd, 0x10000000u, seL4_ARM_Default_VMAttributes));
    seL4_CPtr f = ktest_object(seL4_ARM_SmallPageObject, 0);
    CHECK_OK(seL4_ARM_Page_Map(f, pd, 0x10000000u, seL4_AllRights, seL4_ARM_Default_VMAttributes));
    seL4_CPtr s = ktest_object(seL4_ARM_SectionObject, 0);
    CHECK_OK(seL4_ARM_Page_Map(s, pd, 0x20000000u, seL4_AllRights, seL4_ARM_Default_VMAttributes));
    seL4_CPtr pdc = copy_new(pd);
    CHECK_OK(seL4_CNode_Delete(ROOT, pd, DEPTH));
    CHECK_INVARIANTS();
    CHECK_OK(seL4_CNode_Delete(ROOT, pdc, DEPTH));
    CHECK_INVARIANTS();
    /* The page directory is gone: mapping into it fails, the frames map elsewhere. */
    CHECK_OK(seL4_ARM_Page_Unmap(f));
    map_frame_at(f, VA, seL4_AllRights);
    *(volatile seL4_Word *)VA = 3;
    CHECK_OK(seL4_CNode_Delete(ROOT, s, DEPTH));
    CHECK_OK(seL4_CNode_Delete(ROOT, pt, DEPTH));
    CHECK_INVARIANTS();
}

KTEST(cdt_irq_notification_slot, "CDT0019",
      "the kernel's IRQ slot holds a child of the notification cap it was given")
{
    seL4_CPtr h = ktest_slot();
    CHECK_OK(seL4_IRQControl_Get(seL4_CapIRQControl, 141, ROOT, h, DEPTH));
    seL4_CPtr nt = new_notification();
    seL4_CPtr b = mint_new(nt, seL4_AllRights, 3);
    CHECK_OK(seL4_IRQHandler_SetNotification(h, b));
    CHECK_INVARIANTS();
    /* Revoking the badged cap reaches into the kernel's slot. */
    CHECK_OK(seL4_CNode_Revoke(ROOT, b, DEPTH));
    CHECK_INVARIANTS();
    CHECK_OK(seL4_IRQHandler_SetNotification(h, nt));
    CHECK_OK(seL4_IRQHandler_SetNotification(h, b));
    CHECK_OK(seL4_CNode_Delete(ROOT, h, DEPTH));
    CHECK_INVARIANTS();
    CHECK_OK(seL4_IRQControl_Get(seL4_CapIRQControl, 141, ROOT, h, DEPTH));
    CHECK_OK(seL4_IRQHandler_SetNotification(h, b));
    /* The notification's last caps go; the kernel's copy goes with them. */
    CHECK_OK(seL4_CNode_Revoke(ROOT, nt, DEPTH));
    CHECK_OK(seL4_CNode_Delete(ROOT, nt, DEPTH));
    CHECK_INVARIANTS();
    CHECK_OK(seL4_CNode_Delete(ROOT, h, DEPTH));
}

static seL4_CPtr xfer_ep, xfer_cap;

static void send_with_cap(seL4_Word unused)
{
    (void)unused;
    seL4_SetCap(0, xfer_cap);
    seL4_Send(xfer_ep, seL4_MessageInfo_new(0x70, 0, 1, 0));
}

KTEST(cdt_transferred_cap, "CDT0020",
      "a cap sent in a message is a child of the sender's cap: revoking that deletes it")
{
    xfer_ep = new_endpoint();
    seL4_CPtr nt = new_notification();
    xfer_cap = mint_new(nt, seL4_AllRights, 0x19);
    seL4_CPtr r = ktest_slot();
    seL4_SetCapReceivePath(ROOT, r, DEPTH);
    ktest_thread_t t;
    start_thread(&t, send_with_cap, 0, 100, 0);
    seL4_MessageInfo_t info = seL4_Recv(xfer_ep, NULL);
    seL4_SetCapReceivePath(0, 0, 0);
    KCHECK_EQ(seL4_MessageInfo_get_extraCaps(info), 1);
    KCHECK_EQ(signal_badge(r, nt), 0x19);
    CHECK_OK(seL4_CNode_Revoke(ROOT, xfer_cap, DEPTH));
    KCHECK_EQ(seL4_DebugCapIdentify(r), CT_NULL);
}

KTEST(cdt_revoke_mid_tree, "CDT0021",
      "revoking an Untyped inside another deletes only what was made from it")
{
    seL4_CPtr ut = ktest_untyped(16);
    seL4_CPtr a = ktest_slot(), child = ktest_slot(), b = ktest_slot();
    CHECK_OK(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, ROOT, 0, 0, a, 1));
    CHECK_OK(seL4_Untyped_Retype(ut, seL4_UntypedObject, 12, ROOT, 0, 0, child, 1));
    CHECK_OK(seL4_Untyped_Retype(child, seL4_NotificationObject, 0, ROOT, 0, 0, b, 1));
    seL4_CPtr bc = copy_new(b);
    CHECK_OK(seL4_CNode_Revoke(ROOT, child, DEPTH));
    KCHECK_EQ(seL4_DebugCapIdentify(b), CT_NULL);
    KCHECK_EQ(seL4_DebugCapIdentify(bc), CT_NULL);
    KCHECK_EQ(seL4_DebugCapIdentify(child), CT_UNTYPED);
    KCHECK_EQ(seL4_DebugCapIdentify(a), CT_ENDPOINT);
    CHECK_INVARIANTS();
    /* The parent cannot be copied while it has children, the child can. */
    seL4_CPtr d = ktest_slot();
    CHECK_ERROR(seL4_CNode_Copy(ROOT, d, DEPTH, ROOT, ut, DEPTH, seL4_AllRights), seL4_RevokeFirst);
    CHECK_OK(seL4_CNode_Copy(ROOT, d, DEPTH, ROOT, child, DEPTH, seL4_AllRights));
    CHECK_OK(seL4_CNode_Revoke(ROOT, ut, DEPTH));
    KCHECK_EQ(seL4_DebugCapIdentify(d), CT_NULL);
    KCHECK_EQ(seL4_DebugCapIdentify(a), CT_NULL);
}

static seL4_CPtr self_tcb;

static void delete_self(seL4_Word unused)
{
    (void)unused;
    seL4_CNode_Delete(ROOT, self_tcb, DEPTH);
    touched = 1;
}

static void revoke_own_untyped(seL4_Word ut)
{
    seL4_CNode_Revoke(ROOT, ut, DEPTH);
    touched = 1;
}

KTEST(cdt_delete_self, "CDT0022",
      "a thread deleting its own last TCB cap stops there; its memory is reused cleanly")
{
    seL4_CPtr ut = ktest_untyped(16);
    touched = 0;
    seL4_CPtr tcb = thread_from_untyped(ut, delete_self, 0, 100, 0, VA);
    self_tcb = tcb; /* before it runs: it runs at a lower priority */
    let_run(100);
    KCHECK_EQ(touched, 0);
    KCHECK_EQ(seL4_DebugCapIdentify(tcb), CT_NULL);
    CHECK_INVARIANTS();
    CHECK_OK(seL4_CNode_Revoke(ROOT, ut, DEPTH));
    CHECK_OK(seL4_Untyped_Retype(ut, seL4_ARM_LargePageObject, 0, ROOT, 0, 0, tcb, 1));
    CHECK_INVARIANTS();
}

KTEST(cdt_revoke_own_untyped, "CDT0023",
      "a thread revoking the Untyped its own TCB and IPC buffer came from ends itself cleanly")
{
    seL4_CPtr ut = ktest_untyped(16);
    seL4_CPtr ep = ktest_slot();
    CHECK_OK(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, ROOT, 0, 0, ep, 1));
    touched = 0;
    seL4_CPtr tcb = thread_from_untyped(ut, revoke_own_untyped, ut, 100, 0, VA);
    let_run(100);
    KCHECK_EQ(touched, 0);
    KCHECK_EQ(seL4_DebugCapIdentify(tcb), CT_NULL);
    KCHECK_EQ(seL4_DebugCapIdentify(ep), CT_NULL);
    CHECK_INVARIANTS();
    CHECK_OK(seL4_Untyped_Retype(ut, seL4_UntypedObject, 16, ROOT, 0, 0, ep, 1));
    CHECK_INVARIANTS();
}
