/*
 * Untyped_Retype: every object type, where objects land (watermark and alignment), the
 * argument checks in seL4's order with their exact details, device memory, and zeroing
 * (objects are zeroed when made, so memory dirtied by earlier objects never shows).
 */
#include "cnode_util.h"

#define VA 0x51000000u

static const seL4_Word kB = 1024;

/* Retypes `n` objects into fresh consecutive root slots; returns the first slot. */
static seL4_CPtr retype(seL4_CPtr ut, seL4_Word type, seL4_Word size_bits, seL4_Word n)
{
    seL4_CPtr first = ktest_slot();
    for (seL4_Word i = 1; i < n; i++)
        ktest_slot();
    seL4_Error err = seL4_Untyped_Retype(ut, type, size_bits, ROOT, 0, 0, first, n);
    if (err != seL4_NoError)
        ktest_fail(__FILE__, __LINE__, "retype of %u objects of type %u: error %d", n, type, err);
    return first;
}

/* Retypes one object into a fresh root slot and returns the error. */
static seL4_Error retype_one(seL4_CPtr ut, seL4_Word type, seL4_Word size_bits)
{
    return seL4_Untyped_Retype(ut, type, size_bits, ROOT, 0, 0, ktest_slot(), 1);
}

static seL4_Word page_paddr(seL4_CPtr ut)
{
    return frame_paddr(retype(ut, seL4_ARM_SmallPageObject, 0, 1));
}

KTEST(retype_every_type, "UNTYPED0001",
      "Retype makes each object type: Untyped, TCB, endpoint, notification, CNode, frames, "
      "page table, page directory")
{
    seL4_CPtr ut = ktest_untyped(25);
    static const struct {
        seL4_Word type, size, cap, frame_bits;
    } kinds[] = {
        {seL4_ARM_SuperSectionObject, 0, CT_FRAME, 24},
        {seL4_ARM_SectionObject, 0, CT_FRAME, 20},
        {seL4_ARM_LargePageObject, 0, CT_FRAME, 16},
        {seL4_ARM_SmallPageObject, 0, CT_FRAME, 12},
        {seL4_ARM_PageDirectoryObject, 0, CT_PAGE_DIRECTORY, 0},
        {seL4_ARM_PageTableObject, 0, CT_PAGE_TABLE, 0},
        {seL4_TCBObject, 0, CT_THREAD, 0},
        {seL4_CapTableObject, 1, CT_CNODE, 0},
        {seL4_EndpointObject, 0, CT_ENDPOINT, 0},
        {seL4_NotificationObject, 0, CT_NOTIFICATION, 0},
        {seL4_UntypedObject, 4, CT_UNTYPED, 0},
    };
    seL4_Word base = 0;
    for (unsigned i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
        seL4_CPtr s = retype(ut, kinds[i].type, kinds[i].size, 1);
        KCHECK_EQ(seL4_DebugCapIdentify(s), kinds[i].cap);
        if (kinds[i].frame_bits) {
            seL4_Word pa = frame_paddr(s);
            if (!base)
                base = pa & ~((1u << 25) - 1);
            KCHECK_EQ(pa & ((1u << kinds[i].frame_bits) - 1), 0);
            KCHECK(pa >= base && pa + (1u << kinds[i].frame_bits) <= base + (1u << 25));
        }
    }
    CHECK_INVARIANTS();
}

KTEST(retype_watermark, "UNTYPED0002",
      "objects land at the watermark, aligned up to their own size")
{
    seL4_CPtr ut = ktest_untyped(24);
    seL4_Word b = page_paddr(ut);
    KCHECK_EQ(b & ((1u << 24) - 1), 0);
    KCHECK_EQ(frame_paddr(retype(ut, seL4_ARM_LargePageObject, 0, 1)), b + 64 * kB);
    KCHECK_EQ(page_paddr(ut), b + 128 * kB);
    retype(ut, seL4_EndpointObject, 0, 1); /* 16 bytes at b + 132 KiB */
    KCHECK_EQ(page_paddr(ut), b + 136 * kB);
    KCHECK_EQ(frame_paddr(retype(ut, seL4_ARM_SectionObject, 0, 1)), b + 1024 * kB);
    KCHECK_EQ(page_paddr(ut), b + 2048 * kB);
}

KTEST(retype_many, "UNTYPED0003",
      "num_objects objects go to consecutive slots from node_offset, at consecutive addresses")
{
    seL4_CPtr ut = ktest_untyped(16);
    seL4_CPtr first = retype(ut, seL4_ARM_SmallPageObject, 0, 5);
    seL4_Word b = frame_paddr(first);
    for (seL4_Word i = 0; i < 5; i++)
        KCHECK_EQ(frame_paddr(first + i), b + i * 4 * kB);
    seL4_CPtr cn = new_cnode(3);
    CHECK_OK(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, cn, 0, 0, 2, 5));
    for (seL4_Word i = 0; i < 8; i++)
        KCHECK_EQ(cap_type_at(cn, i, 3), (i >= 2 && i < 7) ? CT_ENDPOINT : CT_NULL);
}

KTEST(retype_num_objects_range, "UNTYPED0004",
      "num_objects of 0 or above 256 is a RangeError 1..256")
{
    seL4_CPtr ut = ktest_untyped(12);
    seL4_CPtr s = ktest_slot();
    CHECK_RANGE(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, ROOT, 0, 0, s, 0), 1, 256);
    CHECK_RANGE(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, ROOT, 0, 0, s, 257), 1, 256);
    KCHECK_EQ(seL4_DebugCapIdentify(s), CT_NULL);
}

KTEST(retype_window_overrun, "UNTYPED0005",
      "a window running past the CNode's end is a RangeError 1..(slots left after node_offset)")
{
    seL4_CPtr ut = ktest_untyped(12);
    seL4_CPtr cn = new_cnode(3);
    CHECK_RANGE(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, cn, 0, 0, 6, 3), 1, 2);
    CHECK_RANGE(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, cn, 0, 0, 0, 9), 1, 8);
    CHECK_RANGE(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, ROOT, 0, 0, 4090, 10), 1, 6);
    for (seL4_Word i = 0; i < 8; i++)
        KCHECK_EQ(cap_type_at(cn, i, 3), CT_NULL);
    CHECK_OK(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, cn, 0, 0, 6, 2));
}

KTEST(retype_offset_range, "UNTYPED0006", "node_offset past the CNode is a RangeError 0..size-1")
{
    seL4_CPtr ut = ktest_untyped(12);
    seL4_CPtr cn = new_cnode(3);
    CHECK_RANGE(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, cn, 0, 0, 8, 1), 0, 7);
    CHECK_RANGE(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, ROOT, 0, 0, 4096, 1), 0, 4095);
    CHECK_RANGE(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, cn, 0, 0, 0xffffffffu, 1), 0, 7);
    CHECK_OK(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, cn, 0, 0, 7, 1));
    KCHECK_EQ(cap_type_at(cn, 7, 3), CT_ENDPOINT);
}

KTEST(retype_dest_occupied, "UNTYPED0007",
      "an occupied slot anywhere in the window is DeleteFirst; nothing is made or consumed")
{
    seL4_CPtr ut = ktest_untyped(16);
    seL4_CPtr first = ktest_slot();
    ktest_slot();
    seL4_CPtr third = ktest_slot();
    ktest_slot();
    seL4_CPtr nt = new_notification();
    CHECK_OK(seL4_CNode_Move(ROOT, third, DEPTH, ROOT, nt, DEPTH));
    CHECK_ERROR(seL4_Untyped_Retype(ut, seL4_ARM_SmallPageObject, 0, ROOT, 0, 0, first, 4),
                seL4_DeleteFirst);
    KCHECK_EQ(seL4_DebugCapIdentify(first), CT_NULL);
    KCHECK_EQ(seL4_DebugCapIdentify(first + 1), CT_NULL);
    KCHECK_EQ(seL4_DebugCapIdentify(first + 3), CT_NULL);
    KCHECK_EQ(seL4_DebugCapIdentify(third), CT_NOTIFICATION);
    /* The watermark did not move: the next frame is at the Untyped's (64 KiB aligned) base. */
    seL4_Word pa = page_paddr(ut);
    KCHECK_EQ(pa & (64 * kB - 1), 0);
    KCHECK_EQ(page_paddr(ut), pa + 4 * kB);
}

KTEST(retype_bad_type, "UNTYPED0008", "an unknown object type is InvalidArgument 0")
{
    seL4_CPtr ut = ktest_untyped(12);
    CHECK_INVALID_ARG(retype_one(ut, seL4_ObjectTypeCount, 0), 0);
    CHECK_INVALID_ARG(retype_one(ut, 0xffffffffu, 0), 0);
    /* The type is checked first: even with a size out of range. */
    CHECK_INVALID_ARG(retype_one(ut, 99, 40), 0);
}

KTEST(retype_bad_size, "UNTYPED0009",
      "a CNode of size 0 or an Untyped below 2^4 is InvalidArgument 1")
{
    seL4_CPtr ut = ktest_untyped(12);
    CHECK_INVALID_ARG(retype_one(ut, seL4_CapTableObject, 0), 1);
    CHECK_INVALID_ARG(retype_one(ut, seL4_UntypedObject, 3), 1);
    CHECK_INVALID_ARG(retype_one(ut, seL4_UntypedObject, 0), 1);
    seL4_CPtr s = retype(ut, seL4_UntypedObject, 4, 1);
    KCHECK_EQ(seL4_DebugCapIdentify(s), CT_UNTYPED);
    seL4_CPtr c = retype(ut, seL4_CapTableObject, 1, 1);
    KCHECK_EQ(seL4_DebugCapIdentify(c), CT_CNODE);
}

KTEST(retype_too_big, "UNTYPED0010",
      "objects above 2^29 bytes (or sizes >= 32) are a RangeError 0..29")
{
    seL4_CPtr ut = ktest_untyped(12);
    CHECK_RANGE(retype_one(ut, seL4_UntypedObject, 30), 0, 29);
    CHECK_RANGE(retype_one(ut, seL4_CapTableObject, 26), 0, 29);
    CHECK_RANGE(retype_one(ut, seL4_TCBObject, 32), 0, 29);
    CHECK_RANGE(retype_one(ut, seL4_CapTableObject, 0xffffffffu), 0, 29);
    CHECK_RANGE(retype_one(ut, seL4_UntypedObject, 0xfffffffcu), 0, 29);
    /* The largest sizes pass the range check and run out of memory instead. */
    CHECK_NO_MEMORY(retype_one(ut, seL4_UntypedObject, 29), 4096);
    CHECK_NO_MEMORY(retype_one(ut, seL4_CapTableObject, 25), 4096);
}

KTEST(retype_not_enough_memory, "UNTYPED0011",
      "NotEnoughMemory reports the bytes left above the watermark, alignment not deducted")
{
    seL4_CPtr ut = ktest_untyped(12);
    CHECK_NO_MEMORY(retype_one(ut, seL4_UntypedObject, 13), 4096);
    retype(ut, seL4_ARM_SmallPageObject, 0, 1);
    CHECK_NO_MEMORY(retype_one(ut, seL4_EndpointObject, 0), 0);
    seL4_CPtr ut2 = ktest_untyped(16);
    retype(ut2, seL4_EndpointObject, 0, 1);
    CHECK_NO_MEMORY(retype_one(ut2, seL4_ARM_LargePageObject, 0), 64 * kB - 16);
    retype(ut2, seL4_TCBObject, 0, 1); /* at 1 KiB, watermark 2 KiB */
    CHECK_NO_MEMORY(retype_one(ut2, seL4_UntypedObject, 16), 62 * kB);
}

KTEST(retype_not_enough_for_many, "UNTYPED0012",
      "NotEnoughMemory counts every object asked for; one fewer fits exactly")
{
    seL4_CPtr ut = ktest_untyped(14);
    seL4_CPtr s = ktest_slot();
    for (int i = 0; i < 4; i++)
        ktest_slot();
    CHECK_NO_MEMORY(seL4_Untyped_Retype(ut, seL4_ARM_SmallPageObject, 0, ROOT, 0, 0, s, 5),
                    16 * kB);
    for (int i = 0; i < 5; i++)
        KCHECK_EQ(seL4_DebugCapIdentify(s + i), CT_NULL);
    CHECK_OK(seL4_Untyped_Retype(ut, seL4_ARM_SmallPageObject, 0, ROOT, 0, 0, s, 4));
    CHECK_NO_MEMORY(retype_one(ut, seL4_UntypedObject, 4), 0);
}

/* The first device Untyped of at least 2^12 bytes, or 0. */
static seL4_CPtr device_untyped(seL4_Word *paddr, seL4_Word *bits)
{
    const seL4_BootInfo *bi = ktest_bootinfo;
    for (seL4_Word i = 0; i < bi->untyped.end - bi->untyped.start; i++) {
        const seL4_UntypedDesc *d = &bi->untypedList[i];
        if (d->isDevice && d->sizeBits >= 12) {
            *paddr = d->paddr;
            *bits = d->sizeBits;
            return bi->untyped.start + i;
        }
    }
    return 0;
}

KTEST(retype_device, "UNTYPED0013",
      "a device Untyped makes frames and Untypeds only; other types are InvalidArgument 1")
{
    seL4_Word pa, bits;
    seL4_CPtr dev = device_untyped(&pa, &bits);
    KREQUIRE_EQ(dev != 0, 1);
    seL4_CPtr f = retype(dev, seL4_ARM_SmallPageObject, 0, 1);
    KCHECK_EQ(frame_paddr(f), pa);
    static const seL4_Word kernel_types[] = {
        seL4_TCBObject,      seL4_EndpointObject,      seL4_NotificationObject,
        seL4_CapTableObject, seL4_ARM_PageTableObject, seL4_ARM_PageDirectoryObject};
    for (unsigned i = 0; i < sizeof(kernel_types) / sizeof(kernel_types[0]); i++)
        CHECK_INVALID_ARG(retype_one(dev, kernel_types[i], 1), 1);
    seL4_CPtr child = retype(dev, seL4_UntypedObject, 12, 1);
    CHECK_INVALID_ARG(retype_one(child, seL4_TCBObject, 0), 1);
    seL4_CPtr f2 = retype(child, seL4_ARM_SmallPageObject, 0, 1);
    KCHECK_EQ(frame_paddr(f2), pa + 4 * kB);
    /* Memory is checked before the type: a full device Untyped says NotEnoughMemory. */
    CHECK_NO_MEMORY(retype_one(child, seL4_TCBObject, 0), 0);
    CHECK_INVARIANTS();
    CHECK_OK(seL4_CNode_Revoke(ROOT, dev, DEPTH));
    KCHECK_EQ(seL4_DebugCapIdentify(f), CT_NULL);
    KCHECK_EQ(seL4_DebugCapIdentify(f2), CT_NULL);
}

KTEST(retype_bad_destination, "UNTYPED0014",
      "a destination that is no CNode is FailedLookup (MissingCapability, node depth bits)")
{
    seL4_CPtr ut = ktest_untyped(12);
    seL4_CPtr ep = new_endpoint();
    seL4_CPtr empty = ktest_slot();
    CHECK_LOOKUP(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, ROOT, ep, DEPTH, 0, 1), 0,
                 seL4_MissingCapability, 32, 0, 0);
    CHECK_LOOKUP(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, ROOT, empty, DEPTH, 0, 1), 0,
                 seL4_MissingCapability, 32, 0, 0);
    CHECK_LOOKUP(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, ep, 0, 0, 0, 1), 0,
                 seL4_MissingCapability, 0, 0, 0);
    CHECK_RANGE(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, ROOT, empty, 33, 0, 1), 1, 32);
    CHECK_LOOKUP(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, ROOT, 1u << 31, DEPTH, 0, 1), 0,
                 seL4_GuardMismatch, 32, 0, 20);
    KCHECK_EQ(seL4_DebugCapIdentify(empty), CT_NULL);
    /* Nothing was consumed. */
    CHECK_NO_MEMORY(retype_one(ut, seL4_UntypedObject, 13), 4096);
}

KTEST(retype_truncated, "UNTYPED0015",
      "Retype with 5 words or without its CNode cap is TruncatedMessage")
{
    seL4_CPtr ut = ktest_untyped(12);
    seL4_CPtr s = ktest_slot();
    seL4_Word args[6] = {seL4_EndpointObject, 0, 0, 0, s, 1};
    for (int i = 0; i < 6; i++)
        seL4_SetMR(i, args[i]);
    seL4_SetCap(0, ROOT);
    CHECK_ERROR(seL4_Invoke(ut, UntypedRetype, 5, 1), seL4_TruncatedMessage);
    for (int i = 0; i < 6; i++)
        seL4_SetMR(i, args[i]);
    CHECK_ERROR(seL4_Invoke(ut, UntypedRetype, 6, 0), seL4_TruncatedMessage);
    KCHECK_EQ(seL4_DebugCapIdentify(s), CT_NULL);
    for (int i = 0; i < 6; i++)
        seL4_SetMR(i, args[i]);
    seL4_SetCap(0, ROOT);
    CHECK_OK(seL4_Invoke(ut, UntypedRetype, 6, 1));
    KCHECK_EQ(seL4_DebugCapIdentify(s), CT_ENDPOINT);
    /* Any other label on an Untyped is IllegalOperation. */
    CHECK_ERROR(seL4_Invoke(ut, CNodeCopy, 6, 1), seL4_IllegalOperation);
}

KTEST(retype_into_cnode, "UNTYPED0016",
      "the destination CNode can be named by a path (node_index, node_depth) or given directly")
{
    seL4_CPtr ut = ktest_untyped(12);
    seL4_CPtr cn = new_cnode(4);
    CHECK_OK(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, ROOT, cn, DEPTH, 3, 2));
    CHECK_OK(seL4_Untyped_Retype(ut, seL4_NotificationObject, 0, cn, 0, 0, 10, 1));
    KCHECK_EQ(cap_type_at(cn, 3, 4), CT_ENDPOINT);
    KCHECK_EQ(cap_type_at(cn, 4, 4), CT_ENDPOINT);
    KCHECK_EQ(cap_type_at(cn, 10, 4), CT_NOTIFICATION);
    /* Through two levels: A[1] holds `cn`, named by the 2-bit path 1. */
    seL4_CPtr a = new_cnode(2);
    CHECK_OK(seL4_CNode_Copy(a, 1, 2, ROOT, cn, DEPTH, seL4_AllRights));
    CHECK_OK(seL4_Untyped_Retype(ut, seL4_TCBObject, 0, a, 1, 2, 15, 1));
    KCHECK_EQ(cap_type_at(cn, 15, 4), CT_THREAD);
    /* A path that stops short of a CNode is a DepthMismatch. */
    CHECK_LOOKUP(seL4_Untyped_Retype(ut, seL4_TCBObject, 0, a, 1, 1, 0, 1), 0, seL4_DepthMismatch,
                 1, 2, 0);
}

/* Fills the whole 4 KiB Untyped `ut` with `pattern` through a frame, then revokes it. */
static void dirty(seL4_CPtr ut, seL4_Word vaddr, const seL4_Word *pattern, seL4_Word n)
{
    seL4_CPtr f = retype(ut, seL4_ARM_SmallPageObject, 0, 1);
    map_frame_at(f, vaddr, seL4_AllRights);
    volatile seL4_Word *p = (volatile seL4_Word *)vaddr;
    for (seL4_Word i = 0; i < 1024; i++)
        p[i] = pattern[i % n];
    CHECK_OK(seL4_CNode_Revoke(ROOT, ut, DEPTH));
}

static const seL4_Word ones[1] = {0xffffffffu};

KTEST(retype_zeroed_frame, "UNTYPED0017",
      "a frame made from memory an earlier frame dirtied reads as zero")
{
    seL4_CPtr ut = ktest_untyped(12);
    seL4_Word pa = page_paddr(ut);
    CHECK_OK(seL4_CNode_Revoke(ROOT, ut, DEPTH));
    dirty(ut, VA, ones, 1);
    seL4_CPtr f = retype(ut, seL4_ARM_SmallPageObject, 0, 1);
    KCHECK_EQ(frame_paddr(f), pa);
    map_frame_at(f, VA + 4 * kB, seL4_AllRights);
    volatile seL4_Word *p = (volatile seL4_Word *)(VA + 4 * kB);
    seL4_Word nonzero = 0;
    for (int i = 0; i < 1024; i++)
        nonzero += p[i] != 0;
    KCHECK_EQ(nonzero, 0);
}

KTEST(retype_zeroed_cnode, "UNTYPED0018", "a CNode made from dirtied memory has only empty slots")
{
    seL4_CPtr ut = ktest_untyped(12);
    dirty(ut, VA, ones, 1);
    seL4_CPtr cn = retype(ut, seL4_CapTableObject, 8, 1);
    static uint8_t types[256];
    memset(types, 0xff, sizeof(types));
    identify_slots(cn, 8, 0, 256, types);
    seL4_Word occupied = 0;
    for (int i = 0; i < 256; i++)
        occupied += types[i] != CT_NULL;
    KCHECK_EQ(occupied, 0);
    seL4_CPtr ep = new_endpoint();
    CHECK_OK(seL4_CNode_Copy(cn, 200, 8, ROOT, ep, DEPTH, seL4_AllRights));
    CHECK_OK(seL4_CNode_Delete(cn, 200, 8));
    CHECK_INVARIANTS();
}

static seL4_Word tcb_stack[512] __attribute__((aligned(16)));

static void touch_and_stop(seL4_Word tcb)
{
    touched = 1;
    seL4_TCB_Suspend(tcb);
}

KTEST(retype_zeroed_tcb, "UNTYPED0019",
      "a TCB made from dirtied memory starts with zero registers (user mode) and runs")
{
    seL4_CPtr ut = ktest_untyped(12);
    dirty(ut, VA, ones, 1);
    seL4_CPtr tcb = retype(ut, seL4_TCBObject, 0, 1);
    seL4_UserContext regs;
    memset(&regs, 0xaa, sizeof(regs));
    seL4_Word n = sizeof(regs) / sizeof(seL4_Word);
    CHECK_OK(seL4_TCB_ReadRegisters(tcb, 0, 0, n, &regs));
    seL4_Word *w = (seL4_Word *)&regs;
    seL4_Word nonzero = 0;
    for (seL4_Word i = 0; i < n; i++)
        nonzero += w[i] != 0 && &w[i] != &regs.cpsr;
    KCHECK_EQ(nonzero, 0);
    KCHECK_EQ(regs.cpsr & 0x1f, 0x10);
    seL4_CPtr ipc_frame;
    void *ipc = ktest_frame(&ipc_frame);
    CHECK_OK(seL4_TCB_Configure(tcb, 0, ROOT, 0, seL4_CapInitThreadVSpace, 0, (seL4_Word)ipc,
                                ipc_frame));
    CHECK_OK(seL4_TCB_SetPriority(tcb, seL4_CapInitThreadTCB, 100));
    memset(&regs, 0, sizeof(regs));
    regs.pc = (seL4_Word)touch_and_stop;
    regs.sp = (seL4_Word)&tcb_stack[512];
    regs.r0 = tcb;
    regs.cpsr = 0x10;
    regs.tpidrurw = (seL4_Word)ipc;
    touched = 0;
    CHECK_OK(seL4_TCB_WriteRegisters(tcb, 1, 0, n, &regs));
    let_run(100);
    KCHECK_EQ(touched, 1);
}

KTEST(retype_zeroed_via_child, "UNTYPED0020",
      "an Untyped child of dirtied memory is not zeroed itself, but frames made from it are")
{
    seL4_CPtr ut = ktest_untyped(12);
    dirty(ut, VA, ones, 1);
    seL4_CPtr child = retype(ut, seL4_UntypedObject, 12, 1);
    seL4_CPtr f = retype(child, seL4_ARM_SmallPageObject, 0, 1);
    map_frame_at(f, VA + 8 * kB, seL4_AllRights);
    volatile seL4_Word *p = (volatile seL4_Word *)(VA + 8 * kB);
    seL4_Word nonzero = 0;
    for (int i = 0; i < 1024; i++)
        nonzero += p[i] != 0;
    KCHECK_EQ(nonzero, 0);
}

KTEST(retype_zeroed_ipc_objects, "UNTYPED0021",
      "notifications and endpoints made from dirtied memory start idle")
{
    seL4_CPtr ut = ktest_untyped(12);
    /* Dirt that looks like an active notification holding the word 0xdead. */
    static const seL4_Word active[4] = {2, 0, 0, 0xdead};
    dirty(ut, VA, active, 4);
    seL4_CPtr nt = retype(ut, seL4_NotificationObject, 0, 1);
    seL4_Word badge = 0x1234;
    seL4_Poll(nt, &badge);
    KCHECK_EQ(badge, 0);
    seL4_CPtr b = mint_new(nt, seL4_AllRights, 0x60);
    KCHECK_EQ(signal_badge(b, nt), 0x60);
    seL4_CPtr ep = retype(ut, seL4_EndpointObject, 0, 1);
    seL4_MessageInfo_t info = seL4_NBRecv(ep, &badge);
    KCHECK_EQ(badge, 0);
    KCHECK_EQ(seL4_MessageInfo_get_label(info), 0);
    KCHECK_EQ(send_badge(mint_new(ep, seL4_AllRights, 0x61), ep), 0x61);
}

KTEST(retype_zeroed_page_table, "UNTYPED0022",
      "a page table made from dirtied memory maps nothing but what is mapped into it")
{
    seL4_CPtr ut = ktest_untyped(12);
    dirty(ut, VA, ones, 1);
    seL4_CPtr pt = retype(ut, seL4_ARM_PageTableObject, 0, 1);
    const seL4_Word va = 0x58000000u;
    CHECK_OK(
        seL4_ARM_PageTable_Map(pt, seL4_CapInitThreadVSpace, va, seL4_ARM_Default_VMAttributes));
    seL4_CPtr f = ktest_object(seL4_ARM_SmallPageObject, 0);
    CHECK_OK(seL4_ARM_Page_Map(f, seL4_CapInitThreadVSpace, va, seL4_AllRights,
                               seL4_ARM_Default_VMAttributes));
    *(volatile seL4_Word *)va = 1;
    seL4_CPtr fep = new_endpoint();
    ktest_thread_t t;
    touched = 0;
    start_thread(&t, body_read, va + 4 * kB, 100, fep);
    fault_msg_t fm = recv_fault(fep);
    KCHECK_EQ(fm.label, seL4_Fault_VMFault);
    KCHECK_EQ(fm.mr[seL4_VMFault_Addr], va + 4 * kB);
    KCHECK_EQ(touched, 0);
}

KTEST(retype_reset_after_revoke, "UNTYPED0023",
      "an Untyped whose children are all gone (revoked or deleted) retypes from its start")
{
    seL4_CPtr ut = ktest_untyped(16);
    seL4_Word b = page_paddr(ut);
    /* With the watermark at 4 KiB a 64 KiB frame would not fit; after revoke it does. */
    CHECK_NO_MEMORY(retype_one(ut, seL4_ARM_LargePageObject, 0), 60 * kB);
    CHECK_OK(seL4_CNode_Revoke(ROOT, ut, DEPTH));
    seL4_CPtr big = retype(ut, seL4_ARM_LargePageObject, 0, 1);
    KCHECK_EQ(frame_paddr(big), b);
    /* Deleting the last child by hand resets it too. */
    CHECK_OK(seL4_CNode_Delete(ROOT, big, DEPTH));
    seL4_CPtr s1 = retype(ut, seL4_ARM_SmallPageObject, 0, 1);
    KCHECK_EQ(frame_paddr(s1), b);
}

KTEST(retype_no_reset_with_children, "UNTYPED0024",
      "while any child lives, Retype continues at the watermark")
{
    seL4_CPtr ut = ktest_untyped(16);
    seL4_CPtr s1 = retype(ut, seL4_ARM_SmallPageObject, 0, 1);
    seL4_CPtr s2 = retype(ut, seL4_ARM_SmallPageObject, 0, 1);
    seL4_Word b = frame_paddr(s1);
    CHECK_OK(seL4_CNode_Delete(ROOT, s1, DEPTH));
    KCHECK_EQ(page_paddr(ut), b + 8 * kB);
    (void)s2;
    /* A copy of a child keeps it alive as well. */
    seL4_CPtr c = copy_new(s2);
    CHECK_OK(seL4_CNode_Delete(ROOT, s2, DEPTH));
    KCHECK_EQ(page_paddr(ut), b + 12 * kB);
    KCHECK_EQ(seL4_DebugCapIdentify(c), CT_FRAME);
    CHECK_INVARIANTS();
}

KTEST(retype_untyped_copy, "UNTYPED0025",
      "a copied Untyped is full while its copy lives: no two caps carve the same memory")
{
    seL4_CPtr ut = ktest_untyped(16);
    seL4_CPtr c = copy_new(ut);
    CHECK_NO_MEMORY(retype_one(ut, seL4_EndpointObject, 0), 0);
    seL4_CPtr f = retype(c, seL4_ARM_SmallPageObject, 0, 1);
    seL4_Word b = frame_paddr(f);
    KCHECK_EQ(b & (64 * kB - 1), 0);
    CHECK_NO_MEMORY(retype_one(ut, seL4_EndpointObject, 0), 0);
    CHECK_INVARIANTS();
    /* The copy goes, its child stays: the original is still full. */
    CHECK_OK(seL4_CNode_Delete(ROOT, c, DEPTH));
    CHECK_NO_MEMORY(retype_one(ut, seL4_EndpointObject, 0), 0);
    /* Revoking the original takes the child: it starts afresh. */
    CHECK_OK(seL4_CNode_Revoke(ROOT, ut, DEPTH));
    KCHECK_EQ(seL4_DebugCapIdentify(f), CT_NULL);
    KCHECK_EQ(page_paddr(ut), b);
    /* Revoking an original takes its copies. */
    CHECK_OK(seL4_CNode_Revoke(ROOT, ut, DEPTH));
    seL4_CPtr c2 = copy_new(ut);
    CHECK_OK(seL4_CNode_Revoke(ROOT, ut, DEPTH));
    KCHECK_EQ(seL4_DebugCapIdentify(c2), CT_NULL);
    KCHECK_EQ(page_paddr(ut), b);
}

KTEST(retype_untyped_child, "UNTYPED0026",
      "a child Untyped takes its memory from the parent; objects inside it are the parent's too")
{
    seL4_CPtr ut = ktest_untyped(16);
    seL4_CPtr child = retype(ut, seL4_UntypedObject, 15, 1);
    seL4_Word b = page_paddr(child);
    KCHECK_EQ(page_paddr(ut), b + 32 * kB);
    CHECK_NO_MEMORY(retype_one(ut, seL4_ARM_LargePageObject, 0), 28 * kB);
    seL4_CPtr ep = retype(child, seL4_EndpointObject, 0, 1);
    CHECK_OK(seL4_CNode_Revoke(ROOT, ut, DEPTH));
    KCHECK_EQ(seL4_DebugCapIdentify(child), CT_NULL);
    KCHECK_EQ(seL4_DebugCapIdentify(ep), CT_NULL);
    KCHECK_EQ(frame_paddr(retype(ut, seL4_ARM_LargePageObject, 0, 1)), b);
}

KTEST(retype_fan_out, "UNTYPED0027", "256 objects in one call fill a 256-slot CNode")
{
    seL4_CPtr ut = ktest_untyped(16);
    seL4_CPtr cn = new_cnode(8);
    CHECK_OK(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, cn, 0, 0, 0, 256));
    static uint8_t types[256];
    identify_slots(cn, 8, 0, 256, types);
    seL4_Word eps = 0;
    for (int i = 0; i < 256; i++)
        eps += types[i] == CT_ENDPOINT;
    KCHECK_EQ(eps, 256);
    CHECK_NO_MEMORY(retype_one(ut, seL4_ARM_LargePageObject, 0), 60 * kB);
    CHECK_INVARIANTS();
}

KTEST(retype_size_ignored, "UNTYPED0028",
      "size_bits (below 32) is ignored for objects of fixed size")
{
    seL4_CPtr ut = ktest_untyped(16);
    seL4_CPtr a = retype(ut, seL4_ARM_SmallPageObject, 20, 1);
    seL4_CPtr b = retype(ut, seL4_ARM_SmallPageObject, 31, 1);
    KCHECK_EQ(frame_paddr(b), frame_paddr(a) + 4 * kB);
    KCHECK_EQ(seL4_DebugCapIdentify(retype(ut, seL4_TCBObject, 7, 1)), CT_THREAD);
    KCHECK_EQ(seL4_DebugCapIdentify(retype(ut, seL4_EndpointObject, 12, 1)), CT_ENDPOINT);
}

KTEST(retype_device_not_zeroed, "UNTYPED0029",
      "device memory is never zeroed: a device frame keeps what an earlier one wrote")
{
    seL4_Word pa, bits;
    seL4_CPtr dev = device_untyped(&pa, &bits);
    KREQUIRE_EQ(dev != 0, 1);
    KREQUIRE_EQ(pa, 0x00900000u); /* the on-chip RAM: device memory that holds data */
    seL4_CPtr f = retype(dev, seL4_ARM_SmallPageObject, 0, 1);
    map_frame_at(f, VA, seL4_AllRights);
    ((volatile seL4_Word *)VA)[3] = 0xc0ffee;
    CHECK_OK(seL4_CNode_Revoke(ROOT, dev, DEPTH));
    seL4_CPtr f2 = retype(dev, seL4_ARM_SmallPageObject, 0, 1);
    KCHECK_EQ(frame_paddr(f2), pa);
    map_frame_at(f2, VA + 4 * kB, seL4_AllRights);
    KCHECK_EQ(((volatile seL4_Word *)(VA + 4 * kB))[3], 0xc0ffee);
    ((volatile seL4_Word *)(VA + 4 * kB))[3] = 0;
    CHECK_OK(seL4_CNode_Revoke(ROOT, dev, DEPTH));
}

/* The largest RAM Untyped from boot other than the test pool (which is the largest). */
static seL4_CPtr big_boot_untyped(seL4_Word *bits)
{
    const seL4_BootInfo *bi = ktest_bootinfo;
    seL4_Word pool_bits = 0, best = 0;
    seL4_CPtr pool = 0, found = 0;
    for (seL4_Word i = 0; i < bi->untyped.end - bi->untyped.start; i++) {
        const seL4_UntypedDesc *d = &bi->untypedList[i];
        if (!d->isDevice && d->sizeBits > pool_bits) {
            pool_bits = d->sizeBits;
            pool = bi->untyped.start + i;
        }
    }
    for (seL4_Word i = 0; i < bi->untyped.end - bi->untyped.start; i++) {
        const seL4_UntypedDesc *d = &bi->untypedList[i];
        if (!d->isDevice && d->sizeBits > best && bi->untyped.start + i != pool) {
            best = d->sizeBits;
            found = bi->untyped.start + i;
        }
    }
    *bits = best;
    return found;
}

KTEST(retype_lazy_zero_boot_untyped, "UNTYPED0030",
      "in a large boot Untyped, objects made over memory a revoked section dirtied are zero")
{
    seL4_Word bits;
    seL4_CPtr big = big_boot_untyped(&bits);
    KREQUIRE_EQ(bits >= 21, 1);
    const seL4_Word sva = 0x54000000u;
    seL4_CPtr sec = retype(big, seL4_ARM_SectionObject, 0, 1);
    seL4_Word base = frame_paddr(sec);
    KCHECK_EQ(base & ((1u << bits) - 1), 0);
    CHECK_OK(seL4_ARM_Page_Map(sec, seL4_CapInitThreadVSpace, sva, seL4_AllRights,
                               seL4_ARM_Default_VMAttributes));
    volatile seL4_Word *p = (volatile seL4_Word *)sva;
    for (seL4_Word i = 0; i < (1u << 20) / sizeof(seL4_Word); i++)
        p[i] = 0xa5a5a5a5u ^ i;
    CHECK_OK(seL4_CNode_Revoke(ROOT, big, DEPTH));

    /* Frames, a CNode and a TCB over the dirty megabyte. */
    seL4_CPtr f = retype(big, seL4_ARM_SmallPageObject, 0, 3);
    KCHECK_EQ(frame_paddr(f), base);
    seL4_CPtr cn = retype(big, seL4_CapTableObject, 10, 1);
    seL4_CPtr tcb = retype(big, seL4_TCBObject, 0, 1);
    seL4_CPtr lp = retype(big, seL4_ARM_LargePageObject, 0, 1);
    KCHECK_EQ(frame_paddr(lp), base + 64 * kB);
    seL4_Word nonzero = 0;
    for (int k = 0; k < 3; k++) {
        map_frame_at(f + k, VA + k * 4 * kB, seL4_AllRights);
        volatile seL4_Word *q = (volatile seL4_Word *)(VA + k * 4 * kB);
        for (int i = 0; i < 1024; i++)
            nonzero += q[i] != 0;
    }
    map_frame_at(lp, VA + 64 * kB, seL4_AllRights);
    volatile seL4_Word *q = (volatile seL4_Word *)(VA + 64 * kB);
    for (int i = 0; i < 16384; i++)
        nonzero += q[i] != 0;
    KCHECK_EQ(nonzero, 0);
    static uint8_t types[1024];
    identify_slots(cn, 10, 0, 1024, types);
    seL4_Word occupied = 0;
    for (int i = 0; i < 1024; i++)
        occupied += types[i] != CT_NULL;
    KCHECK_EQ(occupied, 0);
    seL4_UserContext regs;
    seL4_Word n = sizeof(regs) / sizeof(seL4_Word);
    CHECK_OK(seL4_TCB_ReadRegisters(tcb, 0, 0, n, &regs));
    seL4_Word *w = (seL4_Word *)&regs;
    seL4_Word dirty_regs = 0;
    for (seL4_Word i = 0; i < n; i++)
        dirty_regs += w[i] != 0 && &w[i] != &regs.cpsr;
    KCHECK_EQ(dirty_regs, 0);
    CHECK_INVARIANTS();
    CHECK_OK(seL4_CNode_Revoke(ROOT, big, DEPTH));
}
