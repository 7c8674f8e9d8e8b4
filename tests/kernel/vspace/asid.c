/*
 * ASID control (MakePool) and ASID pools (Assign): success, every documented failure,
 * and what a pool's lifetime means for the VSpaces in it.
 */
#include "vs.h"

/* A 4 KiB Untyped carved from device memory (the case's slot is reclaimed after it). */
static seL4_CPtr device_untyped_4k(void)
{
    const seL4_BootInfo *bi = ktest_bootinfo;
    for (seL4_Word i = 0; i < bi->untyped.end - bi->untyped.start; i++) {
        const seL4_UntypedDesc *d = &bi->untypedList[i];
        if (d->isDevice && d->sizeBits >= 12) {
            seL4_CPtr s = ktest_slot();
            seL4_Error err = seL4_Untyped_Retype(bi->untyped.start + i, seL4_UntypedObject, 12,
                                                 seL4_CapInitThreadCNode, 0, 0, s, 1);
            if (err != seL4_NoError)
                ktest_fail(__FILE__, __LINE__, "carving a device untyped: error %d", err);
            return s;
        }
    }
    ktest_fail(__FILE__, __LINE__, "no device untyped of 4 KiB or more");
    return 0;
}

static seL4_Error make_pool(seL4_CPtr ut, seL4_CPtr dest)
{
    return seL4_ARM_ASIDControl_MakePool(seL4_CapASIDControl, ut, seL4_CapInitThreadCNode, dest,
                                         seL4_WordBits);
}

/* A new ASID pool made from a fresh 4 KiB Untyped. */
static seL4_CPtr new_pool(void)
{
    seL4_CPtr ut = ktest_untyped(12), pool = ktest_slot();
    seL4_Error err = make_pool(ut, pool);
    if (err != seL4_NoError)
        ktest_fail(__FILE__, __LINE__, "MakePool: error %d", err);
    return pool;
}

KTEST(asid_make_pool, "VSPACE0001",
      "MakePool turns a 4 KiB Untyped into an ASID pool whose VSpaces map frames")
{
    seL4_CPtr ut = ktest_untyped(12), pool = ktest_slot();
    KREQUIRE_EQ(make_pool(ut, pool), seL4_NoError);
    KCHECK_EQ(seL4_DebugCapIdentify(pool), 14);
    KCHECK_EQ(seL4_DebugCapIdentify(ut), 1);
    /* The whole Untyped became the pool: nothing is left to retype. */
    KCHECK_EQ(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, seL4_CapInitThreadCNode, 0, 0,
                                  ktest_slot(), 1),
              seL4_NotEnoughMemory);
    ktest_error_t e;
    ktest_get_error(&e);
    KCHECK_EQ(e.memory_left, 0);
    /* A page directory from the new pool is a working VSpace. */
    seL4_CPtr pd = ktest_object(seL4_ARM_PageDirectoryObject, 0);
    KREQUIRE_EQ(seL4_ARM_ASIDPool_Assign(pool, pd), seL4_NoError);
    seL4_CPtr frame = ktest_object(seL4_ARM_SmallPageObject, 0);
    KCHECK_EQ(vs_map(pd, frame, VS_AREA, seL4_AllRights, seL4_ARM_Default_VMAttributes),
              seL4_NoError);
}

KTEST(asid_make_pool_wrong_size, "VSPACE0002",
      "MakePool needs exactly 4 KiB: 2 KiB and 8 KiB Untypeds are InvalidCapability 1")
{
    static const seL4_Word sizes[] = {11, 13};
    for (int i = 0; i < 2; i++) {
        seL4_CPtr ut = ktest_untyped(sizes[i]), dest = ktest_slot();
        KCHECK_EQ(make_pool(ut, dest), seL4_InvalidCapability);
        ktest_error_t e;
        ktest_get_error(&e);
        KCHECK_EQ(e.argument, 1);
        KCHECK_EQ(seL4_DebugCapIdentify(dest), 0);
        /* The Untyped is untouched. */
        KCHECK_EQ(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, seL4_CapInitThreadCNode, 0, 0,
                                      ktest_slot(), 1),
                  seL4_NoError);
    }
}

KTEST(asid_make_pool_not_untyped, "VSPACE0003",
      "MakePool from an endpoint or a 4 KiB frame cap is InvalidCapability 1")
{
    seL4_CPtr caps[] = {ktest_object(seL4_EndpointObject, 0),
                        ktest_object(seL4_ARM_SmallPageObject, 0)};
    for (int i = 0; i < 2; i++) {
        seL4_CPtr dest = ktest_slot();
        KCHECK_EQ(make_pool(caps[i], dest), seL4_InvalidCapability);
        ktest_error_t e;
        ktest_get_error(&e);
        KCHECK_EQ(e.argument, 1);
        KCHECK_EQ(seL4_DebugCapIdentify(dest), 0);
    }
}

KTEST(asid_make_pool_device, "VSPACE0004", "MakePool from a device Untyped is InvalidCapability 1")
{
    seL4_CPtr ut = device_untyped_4k(), dest = ktest_slot();
    KCHECK_EQ(make_pool(ut, dest), seL4_InvalidCapability);
    ktest_error_t e;
    ktest_get_error(&e);
    KCHECK_EQ(e.argument, 1);
    KCHECK_EQ(seL4_DebugCapIdentify(dest), 0);
}

KTEST(asid_make_pool_children, "VSPACE0005",
      "MakePool from an Untyped with children is RevokeFirst, also a second pool from one")
{
    seL4_CPtr ut = ktest_untyped(12), dest = ktest_slot();
    KREQUIRE_EQ(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, seL4_CapInitThreadCNode, 0, 0,
                                    ktest_slot(), 1),
                seL4_NoError);
    KCHECK_EQ(make_pool(ut, dest), seL4_RevokeFirst);
    KCHECK_EQ(seL4_DebugCapIdentify(dest), 0);
    /* After Revoke it works; then the pool is the Untyped's child. */
    KREQUIRE_EQ(seL4_CNode_Revoke(seL4_CapInitThreadCNode, ut, seL4_WordBits), seL4_NoError);
    KREQUIRE_EQ(make_pool(ut, dest), seL4_NoError);
    seL4_CPtr dest2 = ktest_slot();
    KCHECK_EQ(make_pool(ut, dest2), seL4_RevokeFirst);
    KCHECK_EQ(seL4_DebugCapIdentify(dest2), 0);
}

KTEST(asid_make_pool_dest_occupied, "VSPACE0006",
      "MakePool into an occupied slot is DeleteFirst and consumes nothing")
{
    seL4_CPtr ut = ktest_untyped(12), busy = ktest_object(seL4_EndpointObject, 0);
    KCHECK_EQ(make_pool(ut, busy), seL4_DeleteFirst);
    KCHECK_EQ(seL4_DebugCapIdentify(busy), 2);
    /* The Untyped has no child: the pool can still be made. */
    KCHECK_EQ(make_pool(ut, ktest_slot()), seL4_NoError);
}

KTEST(asid_make_pool_dest_lookup, "VSPACE0007",
      "MakePool destination: bad depth is RangeError 1..32, a non-CNode root FailedLookup")
{
    seL4_CPtr ut = ktest_untyped(12), dest = ktest_slot();
    ktest_error_t e;
    KCHECK_EQ(
        seL4_ARM_ASIDControl_MakePool(seL4_CapASIDControl, ut, seL4_CapInitThreadCNode, dest, 0),
        seL4_RangeError);
    ktest_get_error(&e);
    KCHECK_EQ(e.range_min, 1);
    KCHECK_EQ(e.range_max, 32);
    KCHECK_EQ(
        seL4_ARM_ASIDControl_MakePool(seL4_CapASIDControl, ut, seL4_CapInitThreadCNode, dest, 33),
        seL4_RangeError);
    seL4_CPtr ep = ktest_object(seL4_EndpointObject, 0);
    KCHECK_EQ(seL4_ARM_ASIDControl_MakePool(seL4_CapASIDControl, ut, ep, dest, 32),
              seL4_FailedLookup);
    ktest_get_error(&e);
    KCHECK_EQ(e.failed_lookup_was_source, 0);
    KCHECK_EQ(e.lookup_type, seL4_InvalidRoot);
    /* Depth 20 stops at the root CNode's guard: the path ends with bits left. */
    KCHECK_EQ(
        seL4_ARM_ASIDControl_MakePool(seL4_CapASIDControl, ut, seL4_CapInitThreadCNode, dest, 20),
        seL4_FailedLookup);
    KCHECK_EQ(seL4_DebugCapIdentify(dest), 0);
    KCHECK_EQ(make_pool(ut, dest), seL4_NoError);
}

KTEST(asid_make_pool_truncated, "VSPACE0008",
      "MakePool with one message word or one extra cap is TruncatedMessage")
{
    seL4_CPtr ut = ktest_untyped(12), dest = ktest_slot();
    seL4_SetMR(0, dest);
    seL4_SetMR(1, 32);
    seL4_SetCap(0, ut);
    seL4_SetCap(1, seL4_CapInitThreadCNode);
    KCHECK_EQ(seL4_Invoke(seL4_CapASIDControl, ARMASIDControlMakePool, 1, 2),
              seL4_TruncatedMessage);
    KCHECK_EQ(seL4_Invoke(seL4_CapASIDControl, ARMASIDControlMakePool, 2, 1),
              seL4_TruncatedMessage);
    KCHECK_EQ(seL4_DebugCapIdentify(dest), 0);
    KCHECK_EQ(seL4_Invoke(seL4_CapASIDControl, ARMASIDControlMakePool, 2, 2), seL4_NoError);
    KCHECK_EQ(seL4_DebugCapIdentify(dest), 14);
}

KTEST(asid_wrong_labels, "VSPACE0009",
      "ASIDControl only does MakePool and an ASID pool only Assign: else IllegalOperation")
{
    seL4_CPtr pd = ktest_object(seL4_ARM_PageDirectoryObject, 0);
    seL4_SetCap(0, pd);
    KCHECK_EQ(seL4_Invoke(seL4_CapASIDControl, ARMASIDPoolAssign, 0, 1), seL4_IllegalOperation);
    seL4_SetMR(0, 0);
    seL4_SetMR(1, 32);
    KCHECK_EQ(seL4_Invoke(seL4_CapInitThreadASIDPool, ARMASIDControlMakePool, 2, 1),
              seL4_IllegalOperation);
    KCHECK_EQ(seL4_Invoke(seL4_CapInitThreadASIDPool, ARMPageMap, 3, 1), seL4_IllegalOperation);
    /* The page directory did not get an ASID from any of that. */
    KCHECK_EQ(seL4_ARM_ASIDPool_Assign(seL4_CapInitThreadASIDPool, pd), seL4_NoError);
}

KTEST(asid_all_pools, "VSPACE0010",
      "with all 32 ASID pools made MakePool is DeleteFirst; deleting one frees its place")
{
    /* The root task's pool is one of the 32. */
    seL4_CPtr pools[31];
    for (int i = 0; i < 31; i++) {
        seL4_CPtr ut = ktest_untyped(12);
        pools[i] = ktest_slot();
        KREQUIRE_EQ(make_pool(ut, pools[i]), seL4_NoError);
    }
    seL4_CPtr ut = ktest_untyped(12), dest = ktest_slot();
    KCHECK_EQ(make_pool(ut, dest), seL4_DeleteFirst);
    KCHECK_EQ(seL4_DebugCapIdentify(dest), 0);
    /* Every pool works, the last one too. */
    seL4_CPtr pd = ktest_object(seL4_ARM_PageDirectoryObject, 0);
    KCHECK_EQ(seL4_ARM_ASIDPool_Assign(pools[30], pd), seL4_NoError);
    KREQUIRE_EQ(seL4_CNode_Delete(seL4_CapInitThreadCNode, pools[7], seL4_WordBits), seL4_NoError);
    KCHECK_EQ(make_pool(ut, dest), seL4_NoError);
    seL4_CPtr pd2 = ktest_object(seL4_ARM_PageDirectoryObject, 0);
    KCHECK_EQ(seL4_ARM_ASIDPool_Assign(dest, pd2), seL4_NoError);
    seL4_CPtr frame = ktest_object(seL4_ARM_SmallPageObject, 0);
    KCHECK_EQ(vs_map(pd2, frame, VS_AREA, seL4_AllRights, seL4_ARM_Default_VMAttributes),
              seL4_NoError);
}

KTEST(asid_assign, "VSPACE0011",
      "Assign gives a page directory an ASID: only then can it be copied and mapped into")
{
    seL4_CPtr pd = ktest_object(seL4_ARM_PageDirectoryObject, 0);
    seL4_CPtr frame = ktest_object(seL4_ARM_SmallPageObject, 0);
    ktest_error_t e;
    KCHECK_EQ(seL4_ARM_Page_Map(frame, pd, VS_AREA, seL4_AllRights, seL4_ARM_Default_VMAttributes),
              seL4_InvalidCapability);
    ktest_get_error(&e);
    KCHECK_EQ(e.argument, 1);
    seL4_CPtr copy = ktest_slot();
    KCHECK_EQ(seL4_CNode_Copy(seL4_CapInitThreadCNode, copy, 32, seL4_CapInitThreadCNode, pd, 32,
                              seL4_AllRights),
              seL4_IllegalOperation);
    KREQUIRE_EQ(seL4_ARM_ASIDPool_Assign(seL4_CapInitThreadASIDPool, pd), seL4_NoError);
    KCHECK_EQ(seL4_DebugCapIdentify(pd), 12);
    KCHECK_EQ(seL4_CNode_Copy(seL4_CapInitThreadCNode, copy, 32, seL4_CapInitThreadCNode, pd, 32,
                              seL4_AllRights),
              seL4_NoError);
    /* The copy names the same VSpace. */
    KCHECK_EQ(vs_map(copy, frame, VS_AREA, seL4_AllRights, seL4_ARM_Default_VMAttributes),
              seL4_NoError);
    seL4_CPtr frame2 = ktest_object(seL4_ARM_SmallPageObject, 0);
    KCHECK_EQ(seL4_ARM_Page_Map(frame2, pd, VS_AREA, seL4_AllRights, seL4_ARM_Default_VMAttributes),
              seL4_DeleteFirst);
}

KTEST(asid_assign_twice, "VSPACE0012",
      "Assign of a page directory that has an ASID is InvalidCapability 1")
{
    seL4_CPtr pd = vs_new_pd();
    KCHECK_EQ(seL4_ARM_ASIDPool_Assign(seL4_CapInitThreadASIDPool, pd), seL4_InvalidCapability);
    ktest_error_t e;
    ktest_get_error(&e);
    KCHECK_EQ(e.argument, 1);
    seL4_CPtr pool = new_pool();
    KCHECK_EQ(seL4_ARM_ASIDPool_Assign(pool, pd), seL4_InvalidCapability);
    KCHECK_EQ(seL4_ARM_ASIDPool_Assign(pool, seL4_CapInitThreadVSpace), seL4_InvalidCapability);
}

KTEST(asid_assign_not_pd, "VSPACE0013",
      "Assign of a page table, a frame or an endpoint is InvalidCapability 1")
{
    seL4_CPtr caps[] = {ktest_object(seL4_ARM_PageTableObject, 0),
                        ktest_object(seL4_ARM_SmallPageObject, 0),
                        ktest_object(seL4_EndpointObject, 0)};
    for (int i = 0; i < 3; i++) {
        KCHECK_EQ(seL4_ARM_ASIDPool_Assign(seL4_CapInitThreadASIDPool, caps[i]),
                  seL4_InvalidCapability);
        ktest_error_t e;
        ktest_get_error(&e);
        KCHECK_EQ(e.argument, 1);
    }
    KCHECK_EQ(seL4_DebugCapIdentify(caps[0]), 11);
}

KTEST(asid_assign_truncated, "VSPACE0014", "Assign without an extra cap is TruncatedMessage")
{
    KCHECK_EQ(seL4_Invoke(seL4_CapInitThreadASIDPool, ARMASIDPoolAssign, 0, 0),
              seL4_TruncatedMessage);
}

KTEST(asid_pool_full, "VSPACE0015",
      "a pool holds 1024 VSpaces: the 1025th Assign is DeleteFirst until one is deleted")
{
    seL4_CPtr pool = new_pool();
    seL4_CPtr first = ktest_slot();
    for (int i = 1; i < 1024; i++)
        ktest_slot();
    /* 1024 page directories (16 MiB) in four retypes. */
    for (int i = 0; i < 4; i++) {
        seL4_CPtr ut = ktest_untyped(22);
        KREQUIRE_EQ(seL4_Untyped_Retype(ut, seL4_ARM_PageDirectoryObject, 0,
                                        seL4_CapInitThreadCNode, 0, 0, first + i * 256, 256),
                    seL4_NoError);
    }
    for (int i = 0; i < 1024; i++)
        KREQUIRE_EQ(seL4_ARM_ASIDPool_Assign(pool, first + i), seL4_NoError);
    seL4_CPtr extra = ktest_object(seL4_ARM_PageDirectoryObject, 0);
    KCHECK_EQ(seL4_ARM_ASIDPool_Assign(pool, extra), seL4_DeleteFirst);
    /* The root task's pool still has room: it is another pool. */
    seL4_CPtr other = ktest_object(seL4_ARM_PageDirectoryObject, 0);
    KCHECK_EQ(seL4_ARM_ASIDPool_Assign(seL4_CapInitThreadASIDPool, other), seL4_NoError);
    /* Deleting one VSpace frees its ASID. */
    KREQUIRE_EQ(seL4_CNode_Delete(seL4_CapInitThreadCNode, first + 500, seL4_WordBits),
                seL4_NoError);
    KCHECK_EQ(seL4_ARM_ASIDPool_Assign(pool, extra), seL4_NoError);
    seL4_CPtr frame = ktest_object(seL4_ARM_SmallPageObject, 0);
    KCHECK_EQ(vs_map(extra, frame, VS_AREA, seL4_AllRights, seL4_ARM_Default_VMAttributes),
              seL4_NoError);
}

KTEST(asid_pool_deleted, "VSPACE0016",
      "deleting a pool takes the ASIDs of its VSpaces: mapping into them is FailedLookup")
{
    seL4_CPtr pool = new_pool();
    seL4_CPtr pd = ktest_object(seL4_ARM_PageDirectoryObject, 0);
    KREQUIRE_EQ(seL4_ARM_ASIDPool_Assign(pool, pd), seL4_NoError);
    seL4_CPtr frame = ktest_object(seL4_ARM_SmallPageObject, 0);
    KREQUIRE_EQ(vs_map(pd, frame, VS_AREA, seL4_AllRights, seL4_ARM_Default_VMAttributes),
                seL4_NoError);
    KREQUIRE_EQ(seL4_CNode_Delete(seL4_CapInitThreadCNode, pool, seL4_WordBits), seL4_NoError);
    seL4_CPtr frame2 = ktest_object(seL4_ARM_SmallPageObject, 0);
    KCHECK_EQ(seL4_ARM_Page_Map(frame2, pd, VS_AREA + 0x1000, seL4_AllRights,
                                seL4_ARM_Default_VMAttributes),
              seL4_FailedLookup);
    ktest_error_t e;
    ktest_get_error(&e);
    KCHECK_EQ(e.failed_lookup_was_source, 0);
    KCHECK_EQ(e.lookup_type, seL4_InvalidRoot);
    seL4_CPtr pt = ktest_object(seL4_ARM_PageTableObject, 0);
    KCHECK_EQ(seL4_ARM_PageTable_Map(pt, pd, VS_AREA + 0x100000, seL4_ARM_Default_VMAttributes),
              seL4_FailedLookup);
    /* The frame mapped there unmaps cleanly, and its cache operations see no VSpace. */
    KCHECK_EQ(seL4_ARM_Page_Clean_Data(frame, 0, 4096), seL4_FailedLookup);
    KCHECK_EQ(seL4_ARM_Page_Unmap(frame), seL4_NoError);
    KCHECK_EQ(seL4_ARM_Page_Clean_Data(frame, 0, 4096), seL4_IllegalOperation);
    /* A page directory cap whose ASID is gone is still not assignable again. */
    KCHECK_EQ(seL4_ARM_ASIDPool_Assign(seL4_CapInitThreadASIDPool, pd), seL4_InvalidCapability);
}
