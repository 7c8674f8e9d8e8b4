/* Page tables: Map and Unmap, their errors, and what unmapping does to the pages. */
#include "vs.h"

#define RW      seL4_AllRights
#define DEFAULT seL4_ARM_Default_VMAttributes

KTEST(pt_map, "VSPACE0020",
      "PageTable_Map at any vaddr covers its 1 MiB region; the cap records the mapping")
{
    seL4_CPtr pt = ktest_object(seL4_ARM_PageTableObject, 0);
    seL4_CPtr frame = ktest_object(seL4_ARM_SmallPageObject, 0);
    seL4_Word region = VS_AREA + 0x300000;
    /* No page table yet: FailedLookup, with the lookup detail of a missing page table. */
    KCHECK_EQ(seL4_ARM_Page_Map(frame, seL4_CapInitThreadVSpace, region + 0x5000, RW, DEFAULT),
              seL4_FailedLookup);
    KREQUIRE_EQ(seL4_ARM_PageTable_Map(pt, seL4_CapInitThreadVSpace, region + 0x12345, DEFAULT),
                seL4_NoError);
    KREQUIRE_EQ(seL4_ARM_Page_Map(frame, seL4_CapInitThreadVSpace, region + 0x5000, RW, DEFAULT),
                seL4_NoError);
    volatile seL4_Word *p = (volatile seL4_Word *)(region + 0x5000);
    p[0] = 0x600dcafe;
    KCHECK_EQ(p[0], 0x600dcafe);
    /* Mapped caps refuse a second Map, even into another VSpace. */
    KCHECK_EQ(seL4_ARM_PageTable_Map(pt, seL4_CapInitThreadVSpace, region + 0x100000, DEFAULT),
              seL4_InvalidCapability);
    ktest_error_t e;
    ktest_get_error(&e);
    KCHECK_EQ(e.argument, 0);
    KCHECK_EQ(seL4_ARM_PageTable_Map(pt, vs_new_pd(), region, DEFAULT), seL4_InvalidCapability);
    KCHECK_EQ(p[0], 0x600dcafe);
}

KTEST(pt_map_occupied, "VSPACE0021",
      "PageTable_Map over a region holding a page table or a section is DeleteFirst")
{
    seL4_CPtr pd = vs_new_pd();
    seL4_CPtr pt1 = ktest_object(seL4_ARM_PageTableObject, 0);
    seL4_CPtr pt2 = ktest_object(seL4_ARM_PageTableObject, 0);
    KREQUIRE_EQ(seL4_ARM_PageTable_Map(pt1, pd, VS_AREA, DEFAULT), seL4_NoError);
    KCHECK_EQ(seL4_ARM_PageTable_Map(pt2, pd, VS_AREA + 0xff000, DEFAULT), seL4_DeleteFirst);
    seL4_CPtr section = ktest_object(seL4_ARM_SectionObject, 0);
    KREQUIRE_EQ(seL4_ARM_Page_Map(section, pd, VS_SECTIONS, RW, DEFAULT), seL4_NoError);
    KCHECK_EQ(seL4_ARM_PageTable_Map(pt2, pd, VS_SECTIONS + 0x80000, DEFAULT), seL4_DeleteFirst);
    /* The failed caps stayed unmapped: they map elsewhere. */
    KCHECK_EQ(seL4_ARM_PageTable_Map(pt2, pd, VS_AREA + 0x100000, DEFAULT), seL4_NoError);
}

KTEST(pt_map_kernel_region, "VSPACE0022",
      "PageTable_Map in the kernel region is InvalidArgument 0; just below it works")
{
    seL4_CPtr pd = vs_new_pd();
    seL4_CPtr pt = ktest_object(seL4_ARM_PageTableObject, 0);
    static const seL4_Word bad[] = {KERNEL_BASE_VADDR, KERNEL_BASE_VADDR + 0x1234, 0xfff00000u,
                                    0xffffffffu};
    for (int i = 0; i < 4; i++) {
        KCHECK_EQ(seL4_ARM_PageTable_Map(pt, pd, bad[i], DEFAULT), seL4_InvalidArgument);
        ktest_error_t e;
        ktest_get_error(&e);
        KCHECK_EQ(e.argument, 0);
    }
    KCHECK_EQ(seL4_ARM_PageTable_Map(pt, pd, KERNEL_BASE_VADDR - 1, DEFAULT), seL4_NoError);
    seL4_CPtr frame = ktest_object(seL4_ARM_SmallPageObject, 0);
    KCHECK_EQ(seL4_ARM_Page_Map(frame, pd, KERNEL_BASE_VADDR - 0x1000, RW, DEFAULT), seL4_NoError);
}

KTEST(pt_map_bad_pd, "VSPACE0023",
      "PageTable_Map into a page directory without ASID, a frame or a page table is "
      "InvalidCapability 1 (checked before vaddr)")
{
    seL4_CPtr pt = ktest_object(seL4_ARM_PageTableObject, 0);
    seL4_CPtr other_pt = ktest_object(seL4_ARM_PageTableObject, 0);
    seL4_CPtr caps[] = {ktest_object(seL4_ARM_PageDirectoryObject, 0),
                        ktest_object(seL4_ARM_SmallPageObject, 0), other_pt};
    for (int i = 0; i < 3; i++) {
        ktest_error_t e;
        KCHECK_EQ(seL4_ARM_PageTable_Map(pt, caps[i], VS_AREA, DEFAULT), seL4_InvalidCapability);
        ktest_get_error(&e);
        KCHECK_EQ(e.argument, 1);
        KCHECK_EQ(seL4_ARM_PageTable_Map(pt, caps[i], KERNEL_BASE_VADDR, DEFAULT),
                  seL4_InvalidCapability);
        ktest_get_error(&e);
        KCHECK_EQ(e.argument, 1);
    }
    KCHECK_EQ(seL4_ARM_PageTable_Map(pt, vs_new_pd(), VS_AREA, DEFAULT), seL4_NoError);
}

KTEST(pt_map_truncated, "VSPACE0024",
      "PageTable_Map with one message word or no VSpace cap is TruncatedMessage")
{
    seL4_CPtr pd = vs_new_pd();
    seL4_CPtr pt = ktest_object(seL4_ARM_PageTableObject, 0);
    seL4_SetMR(0, VS_AREA);
    seL4_SetMR(1, DEFAULT);
    seL4_SetCap(0, pd);
    KCHECK_EQ(seL4_Invoke(pt, ARMPageTableMap, 1, 1), seL4_TruncatedMessage);
    KCHECK_EQ(seL4_Invoke(pt, ARMPageTableMap, 2, 0), seL4_TruncatedMessage);
    KCHECK_EQ(seL4_Invoke(pt, ARMPageTableMap, 2, 1), seL4_NoError);
}

KTEST(pt_unmap_revoke_first, "VSPACE0025",
      "PageTable_Unmap while copies of the cap exist is RevokeFirst; unmapped caps do not copy")
{
    seL4_CPtr pt = ktest_object(seL4_ARM_PageTableObject, 0);
    seL4_CPtr copy = ktest_slot();
    KCHECK_EQ(
        seL4_CNode_Copy(seL4_CapInitThreadCNode, copy, 32, seL4_CapInitThreadCNode, pt, 32, RW),
        seL4_IllegalOperation);
    KREQUIRE_EQ(seL4_ARM_PageTable_Map(pt, seL4_CapInitThreadVSpace, VS_AREA, DEFAULT),
                seL4_NoError);
    KREQUIRE_EQ(
        seL4_CNode_Copy(seL4_CapInitThreadCNode, copy, 32, seL4_CapInitThreadCNode, pt, 32, RW),
        seL4_NoError);
    seL4_CPtr frame = ktest_object(seL4_ARM_SmallPageObject, 0);
    KREQUIRE_EQ(seL4_ARM_Page_Map(frame, seL4_CapInitThreadVSpace, VS_AREA, RW, DEFAULT),
                seL4_NoError);
    KCHECK_EQ(seL4_ARM_PageTable_Unmap(pt), seL4_RevokeFirst);
    KCHECK_EQ(seL4_ARM_PageTable_Unmap(copy), seL4_RevokeFirst);
    *(volatile seL4_Word *)VS_AREA = 5; /* still mapped */
    KREQUIRE_EQ(seL4_CNode_Delete(seL4_CapInitThreadCNode, copy, 32), seL4_NoError);
    KCHECK_EQ(*(volatile seL4_Word *)VS_AREA, 5); /* deleting a copy unmaps nothing */
    KCHECK_EQ(seL4_ARM_PageTable_Unmap(pt), seL4_NoError);
    probe_t r = probe_root(PROBE_READ, VS_AREA, 0);
    KCHECK_VMFAULT(r, VS_AREA, FSR_SECTION_TRANSLATION);
}

KTEST(pt_unmap_pages_gone, "VSPACE0026",
      "after PageTable_Unmap its pages fault; mapped again elsewhere the table is empty")
{
    seL4_CPtr pt = ktest_object(seL4_ARM_PageTableObject, 0);
    KREQUIRE_EQ(seL4_ARM_PageTable_Map(pt, seL4_CapInitThreadVSpace, VS_AREA, DEFAULT),
                seL4_NoError);
    seL4_CPtr frames[4];
    for (int i = 0; i < 4; i++) {
        frames[i] = ktest_object(seL4_ARM_SmallPageObject, 0);
        KREQUIRE_EQ(seL4_ARM_Page_Map(frames[i], seL4_CapInitThreadVSpace, VS_AREA + i * 0x40000,
                                      RW, DEFAULT),
                    seL4_NoError);
        *(volatile seL4_Word *)(VS_AREA + i * 0x40000) = 100 + i;
    }
    KREQUIRE_EQ(seL4_ARM_PageTable_Unmap(pt), seL4_NoError);
    prober_t p;
    prober_init(&p, 0);
    for (int i = 0; i < 4; i++) {
        probe_t r = probe(&p, PROBE_READ, VS_AREA + i * 0x40000, 0);
        KCHECK_VMFAULT(r, VS_AREA + i * 0x40000, FSR_SECTION_TRANSLATION);
        KCHECK_EQ(r.ip, (seL4_Word)probe_ldr);
        KCHECK_EQ(r.prefetch, 0);
    }
    /* Mapped again at another region: its entries were cleared. */
    KREQUIRE_EQ(seL4_ARM_PageTable_Map(pt, seL4_CapInitThreadVSpace, VS_AREA + 0x100000, DEFAULT),
                seL4_NoError);
    probe_t r = probe(&p, PROBE_WRITE, VS_AREA + 0x100000, 1);
    KCHECK_VMFAULT(r, VS_AREA + 0x100000, FSR_PAGE_TRANSLATION | FSR_WRITE);
    /* The frames kept their contents and map again through the new table. */
    KCHECK_EQ(seL4_ARM_Page_Unmap(frames[2]), seL4_NoError);
    KREQUIRE_EQ(
        seL4_ARM_Page_Map(frames[2], seL4_CapInitThreadVSpace, VS_AREA + 0x100000, RW, DEFAULT),
        seL4_NoError);
    KCHECK_EQ(*(volatile seL4_Word *)(VS_AREA + 0x100000), 102);
}

KTEST(pt_delete_unmaps, "VSPACE0027",
      "deleting the last cap to a mapped page table unmaps it and its pages")
{
    seL4_CPtr pt = ktest_object(seL4_ARM_PageTableObject, 0);
    KREQUIRE_EQ(seL4_ARM_PageTable_Map(pt, seL4_CapInitThreadVSpace, VS_AREA, DEFAULT),
                seL4_NoError);
    seL4_CPtr frame = ktest_object(seL4_ARM_SmallPageObject, 0);
    KREQUIRE_EQ(seL4_ARM_Page_Map(frame, seL4_CapInitThreadVSpace, VS_AREA + 0x7000, RW, DEFAULT),
                seL4_NoError);
    *(volatile seL4_Word *)(VS_AREA + 0x7000) = 7;
    KREQUIRE_EQ(seL4_CNode_Delete(seL4_CapInitThreadCNode, pt, 32), seL4_NoError);
    probe_t r = probe_root(PROBE_READ, VS_AREA + 0x7000, 0);
    KCHECK_VMFAULT(r, VS_AREA + 0x7000, FSR_SECTION_TRANSLATION);
    /* The region takes a new page table. */
    seL4_CPtr pt2 = ktest_object(seL4_ARM_PageTableObject, 0);
    KCHECK_EQ(seL4_ARM_PageTable_Map(pt2, seL4_CapInitThreadVSpace, VS_AREA, DEFAULT),
              seL4_NoError);
}

KTEST(pt_unmap_unmapped_and_labels, "VSPACE0028",
      "PageTable_Unmap of an unmapped table succeeds; other labels are IllegalOperation")
{
    seL4_CPtr pt = ktest_object(seL4_ARM_PageTableObject, 0);
    KCHECK_EQ(seL4_ARM_PageTable_Unmap(pt), seL4_NoError);
    KCHECK_EQ(seL4_ARM_PageTable_Unmap(pt), seL4_NoError);
    seL4_SetMR(0, VS_AREA);
    seL4_SetMR(1, seL4_AllRights.words[0]);
    seL4_SetMR(2, DEFAULT);
    seL4_SetCap(0, seL4_CapInitThreadVSpace);
    KCHECK_EQ(seL4_Invoke(pt, ARMPageMap, 3, 1), seL4_IllegalOperation);
    KCHECK_EQ(seL4_Invoke(pt, ARMPageGetAddress, 0, 0), seL4_IllegalOperation);
    KCHECK_EQ(seL4_Invoke(pt, ARMPDClean_Data, 2, 0), seL4_IllegalOperation);
    KCHECK_EQ(seL4_ARM_PageTable_Map(pt, seL4_CapInitThreadVSpace, VS_AREA, DEFAULT), seL4_NoError);
}

KTEST(pt_stale_frame_cap, "VSPACE0029",
      "a frame cap whose page table went cannot unmap or overwrite a newer mapping there")
{
    seL4_CPtr pt1 = ktest_object(seL4_ARM_PageTableObject, 0);
    seL4_CPtr pt2 = ktest_object(seL4_ARM_PageTableObject, 0);
    seL4_CPtr a = ktest_object(seL4_ARM_SmallPageObject, 0);
    seL4_CPtr b = ktest_object(seL4_ARM_SmallPageObject, 0);
    seL4_Word v = VS_AREA + 0x3000;
    KREQUIRE_EQ(seL4_ARM_PageTable_Map(pt1, seL4_CapInitThreadVSpace, VS_AREA, DEFAULT),
                seL4_NoError);
    KREQUIRE_EQ(seL4_ARM_Page_Map(a, seL4_CapInitThreadVSpace, v, RW, DEFAULT), seL4_NoError);
    *(volatile seL4_Word *)v = 0xaaaa;
    KREQUIRE_EQ(seL4_ARM_PageTable_Unmap(pt1), seL4_NoError);
    KREQUIRE_EQ(seL4_ARM_PageTable_Map(pt2, seL4_CapInitThreadVSpace, VS_AREA, DEFAULT),
                seL4_NoError);
    KREQUIRE_EQ(seL4_ARM_Page_Map(b, seL4_CapInitThreadVSpace, v, RW, DEFAULT), seL4_NoError);
    *(volatile seL4_Word *)v = 0xbbbb;
    /* `a` still believes it is mapped at v: its remap there would replace b. */
    KCHECK_EQ(seL4_ARM_Page_Map(a, seL4_CapInitThreadVSpace, v, RW, DEFAULT), seL4_DeleteFirst);
    KCHECK_EQ(seL4_ARM_Page_Unmap(a), seL4_NoError);
    KCHECK_EQ(*(volatile seL4_Word *)v, 0xbbbb);
    KCHECK_EQ(seL4_CNode_Delete(seL4_CapInitThreadCNode, a, 32), seL4_NoError);
    KCHECK_EQ(*(volatile seL4_Word *)v, 0xbbbb);
}
