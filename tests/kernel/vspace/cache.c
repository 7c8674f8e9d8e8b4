/* Cache maintenance on frames (offsets in the frame) and on page directories (addresses). */
#include "vs.h"

#define RW      seL4_AllRights
#define DEFAULT seL4_ARM_Default_VMAttributes
#define ROOT    seL4_CapInitThreadVSpace

static const seL4_Word page_ops[4] = {ARMPageClean_Data, ARMPageInvalidate_Data,
                                      ARMPageCleanInvalidate_Data, ARMPageUnify_Instruction};
static const seL4_Word pd_ops[4] = {ARMPDClean_Data, ARMPDInvalidate_Data,
                                    ARMPDCleanInvalidate_Data, ARMPDUnify_Instruction};

KTEST(cache_page_ops, "VSPACE0060",
      "the four frame cache operations work on whole frames of every size and on parts")
{
    static const seL4_Word types[4] = {seL4_ARM_SmallPageObject, seL4_ARM_LargePageObject,
                                       seL4_ARM_SectionObject, seL4_ARM_SuperSectionObject};
    static const seL4_Word vaddrs[4] = {VS_AREA, VS_AREA + 0x10000, VS_SECTIONS,
                                        VS_SECTIONS + 0x1000000};
    for (int s = 0; s < 4; s++) {
        seL4_CPtr f = ktest_object(types[s], 0);
        KREQUIRE_EQ(vs_map(ROOT, f, vaddrs[s], RW, DEFAULT), seL4_NoError);
        seL4_Word size = 1u << (s == 0 ? 12 : s == 1 ? 16 : s == 2 ? 20 : 24);
        for (int op = 0; op < 4; op++) {
            KCHECK_EQ(seL4_ARM_CacheOp(f, page_ops[op], 0, size), seL4_NoError);
            KCHECK_EQ(seL4_ARM_CacheOp(f, page_ops[op], size - 1, size), seL4_NoError);
            KCHECK_EQ(seL4_ARM_CacheOp(f, page_ops[op], 3, 5), seL4_NoError);
        }
    }
}

KTEST(cache_page_unmapped, "VSPACE0061",
      "frame cache operations on an unmapped frame are IllegalOperation")
{
    seL4_CPtr f = ktest_object(seL4_ARM_SmallPageObject, 0);
    for (int op = 0; op < 4; op++)
        KCHECK_EQ(seL4_ARM_CacheOp(f, page_ops[op], 0, 4096), seL4_IllegalOperation);
    KREQUIRE_EQ(vs_map(ROOT, f, VS_AREA, RW, DEFAULT), seL4_NoError);
    KCHECK_EQ(seL4_ARM_Page_Clean_Data(f, 0, 4096), seL4_NoError);
    KREQUIRE_EQ(seL4_ARM_Page_Unmap(f), seL4_NoError);
    KCHECK_EQ(seL4_ARM_Page_Clean_Data(f, 0, 4096), seL4_IllegalOperation);
}

KTEST(cache_page_ranges, "VSPACE0062",
      "frame cache ranges: end <= start is InvalidArgument 1, a range leaving the frame "
      "InvalidArgument 0")
{
    seL4_CPtr f = ktest_object(seL4_ARM_LargePageObject, 0);
    KREQUIRE_EQ(vs_map(ROOT, f, VS_AREA, RW, DEFAULT), seL4_NoError);
    struct {
        seL4_Word start, end;
        seL4_Word arg;
    } cases[] = {
        {100, 100, 1},         {100, 99, 1},          {0x20000, 0x1000, 1}, /* both wrong: 1 */
        {0x10000, 0x10004, 0}, {0xfff0, 0x10001, 0},  {0, 0xffffffffu, 0},
        {0xffffffffu, 0, 1},   {0x10000, 0x20000, 0},
    };
    for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        for (int op = 0; op < 4; op++) {
            KCHECK_EQ(seL4_ARM_CacheOp(f, page_ops[op], cases[i].start, cases[i].end),
                      seL4_InvalidArgument);
            ktest_error_t e;
            ktest_get_error(&e);
            KCHECK_EQ(e.argument, cases[i].arg);
        }
    }
    KCHECK_EQ(seL4_ARM_Page_Clean_Data(f, 0xfffc, 0x10000), seL4_NoError);
}

KTEST(cache_page_truncated, "VSPACE0063",
      "a frame cache operation with one word is TruncatedMessage")
{
    seL4_CPtr f = ktest_object(seL4_ARM_SmallPageObject, 0);
    KREQUIRE_EQ(vs_map(ROOT, f, VS_AREA, RW, DEFAULT), seL4_NoError);
    seL4_SetMR(0, 0);
    seL4_SetMR(1, 64);
    for (int op = 0; op < 4; op++) {
        KCHECK_EQ(seL4_Invoke(f, page_ops[op], 1, 0), seL4_TruncatedMessage);
        KCHECK_EQ(seL4_Invoke(f, page_ops[op], 0, 0), seL4_TruncatedMessage);
    }
    /* Unmapped and truncated: the message is checked first. */
    KREQUIRE_EQ(seL4_ARM_Page_Unmap(f), seL4_NoError);
    KCHECK_EQ(seL4_Invoke(f, ARMPageClean_Data, 1, 0), seL4_TruncatedMessage);
}

KTEST(cache_pd_ops, "VSPACE0064",
      "page directory cache operations: a range in one mapped frame works, an unmapped "
      "start does nothing, a range leaving the frame is RangeError [start, frame end]")
{
    seL4_CPtr pd = vs_new_pd();
    seL4_CPtr small = ktest_object(seL4_ARM_SmallPageObject, 0);
    seL4_CPtr section = ktest_object(seL4_ARM_SectionObject, 0);
    KREQUIRE_EQ(vs_map(pd, small, VS_AREA + 0x4000, RW, DEFAULT), seL4_NoError);
    KREQUIRE_EQ(vs_map(pd, section, VS_SECTIONS, RW, DEFAULT), seL4_NoError);
    for (int op = 0; op < 4; op++) {
        ktest_error_t e;
        KCHECK_EQ(seL4_ARM_CacheOp(pd, pd_ops[op], VS_AREA + 0x4000, VS_AREA + 0x5000),
                  seL4_NoError);
        KCHECK_EQ(seL4_ARM_CacheOp(pd, pd_ops[op], VS_AREA + 0x4ff0, VS_AREA + 0x5010),
                  seL4_RangeError);
        ktest_get_error(&e);
        KCHECK_EQ(e.range_min, VS_AREA + 0x4ff0);
        KCHECK_EQ(e.range_max, VS_AREA + 0x4fff);
        /* Unmapped start (even if the range reaches a mapped frame): nothing to do. */
        KCHECK_EQ(seL4_ARM_CacheOp(pd, pd_ops[op], VS_AREA + 0x3000, VS_AREA + 0x5000),
                  seL4_NoError);
        KCHECK_EQ(seL4_ARM_CacheOp(pd, pd_ops[op], 0x30000000, 0x30400000), seL4_NoError);
        /* Inside a section, 4 KiB boundaries do not matter. */
        KCHECK_EQ(seL4_ARM_CacheOp(pd, pd_ops[op], VS_SECTIONS + 0x800, VS_SECTIONS + 0xfffff),
                  seL4_NoError);
        KCHECK_EQ(seL4_ARM_CacheOp(pd, pd_ops[op], VS_SECTIONS + 0x800, VS_SECTIONS + 0x100001),
                  seL4_RangeError);
        ktest_get_error(&e);
        KCHECK_EQ(e.range_min, VS_SECTIONS + 0x800);
        KCHECK_EQ(e.range_max, VS_SECTIONS + 0xfffff);
    }
}

KTEST(cache_pd_errors, "VSPACE0065",
      "page directory cache operations: end <= start is InvalidArgument 1, the kernel "
      "region IllegalOperation, no ASID InvalidCapability 0, one word TruncatedMessage")
{
    seL4_CPtr pd = vs_new_pd();
    ktest_error_t e;
    for (int op = 0; op < 4; op++) {
        KCHECK_EQ(seL4_ARM_CacheOp(pd, pd_ops[op], VS_AREA, VS_AREA), seL4_InvalidArgument);
        ktest_get_error(&e);
        KCHECK_EQ(e.argument, 1);
        KCHECK_EQ(seL4_ARM_CacheOp(pd, pd_ops[op], KERNEL_BASE_VADDR, KERNEL_BASE_VADDR + 64),
                  seL4_IllegalOperation);
        KCHECK_EQ(seL4_ARM_CacheOp(pd, pd_ops[op], KERNEL_BASE_VADDR - 64, KERNEL_BASE_VADDR + 1),
                  seL4_IllegalOperation);
        KCHECK_EQ(seL4_ARM_CacheOp(pd, pd_ops[op], KERNEL_BASE_VADDR - 64, KERNEL_BASE_VADDR),
                  seL4_NoError);
    }
    seL4_CPtr unassigned = ktest_object(seL4_ARM_PageDirectoryObject, 0);
    KCHECK_EQ(seL4_ARM_PageDirectory_Clean_Data(unassigned, VS_AREA, VS_AREA + 64),
              seL4_InvalidCapability);
    ktest_get_error(&e);
    KCHECK_EQ(e.argument, 0);
    seL4_SetMR(0, VS_AREA);
    seL4_SetMR(1, VS_AREA + 64);
    KCHECK_EQ(seL4_Invoke(pd, ARMPDClean_Data, 1, 0), seL4_TruncatedMessage);
    KCHECK_EQ(seL4_Invoke(pd, ARMPageMap, 3, 0), seL4_IllegalOperation);
    KCHECK_EQ(seL4_Invoke(pd, ARMPageTableUnmap, 0, 0), seL4_IllegalOperation);
}

KTEST(cache_pd_dead_asid, "VSPACE0066",
      "a page directory whose pool was deleted: its cache operations are FailedLookup")
{
    seL4_CPtr ut = ktest_untyped(12), pool = ktest_slot();
    KREQUIRE_EQ(
        seL4_ARM_ASIDControl_MakePool(seL4_CapASIDControl, ut, seL4_CapInitThreadCNode, pool, 32),
        seL4_NoError);
    seL4_CPtr pd = ktest_object(seL4_ARM_PageDirectoryObject, 0);
    KREQUIRE_EQ(seL4_ARM_ASIDPool_Assign(pool, pd), seL4_NoError);
    KCHECK_EQ(seL4_ARM_PageDirectory_Clean_Data(pd, VS_AREA, VS_AREA + 64), seL4_NoError);
    KREQUIRE_EQ(seL4_CNode_Revoke(seL4_CapInitThreadCNode, ut, 32), seL4_NoError);
    KCHECK_EQ(seL4_DebugCapIdentify(pool), 0);
    KCHECK_EQ(seL4_ARM_PageDirectory_Clean_Data(pd, VS_AREA, VS_AREA + 64), seL4_FailedLookup);
    ktest_error_t e;
    ktest_get_error(&e);
    KCHECK_EQ(e.failed_lookup_was_source, 0);
    KCHECK_EQ(e.lookup_type, seL4_InvalidRoot);
}
