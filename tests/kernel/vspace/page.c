/*
 * Frames of every size: Map, Unmap, GetAddress, rights and attributes, and each error of
 * Map with its detail and the state afterwards.
 */
#include "vs.h"

#define RW      seL4_AllRights
#define DEFAULT seL4_ARM_Default_VMAttributes
#define ROOT    seL4_CapInitThreadVSpace

static const seL4_Word frame_types[4] = {seL4_ARM_SmallPageObject, seL4_ARM_LargePageObject,
                                         seL4_ARM_SectionObject, seL4_ARM_SuperSectionObject};
static const seL4_Word frame_bits[4] = {12, 16, 20, 24};
/* Where each size is mapped in the root VSpace (aligned to its size). */
static const seL4_Word frame_vaddr[4] = {VS_AREA + 0x1000, VS_AREA + 0x10000, VS_SECTIONS,
                                         VS_SECTIONS + 0x1000000};

static volatile seL4_Word *word_at(seL4_Word vaddr)
{
    return (volatile seL4_Word *)vaddr;
}

/* The RAM Untyped from the boot info with the fewest bytes (not the test pool). */
static seL4_CPtr small_ram_untyped(seL4_Word *paddr)
{
    const seL4_BootInfo *bi = ktest_bootinfo;
    seL4_CPtr best = 0;
    seL4_Word best_bits = 32;
    for (seL4_Word i = 0; i < bi->untyped.end - bi->untyped.start; i++) {
        const seL4_UntypedDesc *d = &bi->untypedList[i];
        if (!d->isDevice && d->sizeBits >= 13 && d->sizeBits < best_bits) {
            best = bi->untyped.start + i;
            best_bits = d->sizeBits;
            *paddr = d->paddr;
        }
    }
    return best;
}

/* The device Untyped covering the on-chip RAM (OCRAM, 0x00900000). */
static seL4_CPtr ocram_untyped(void)
{
    const seL4_BootInfo *bi = ktest_bootinfo;
    for (seL4_Word i = 0; i < bi->untyped.end - bi->untyped.start; i++) {
        const seL4_UntypedDesc *d = &bi->untypedList[i];
        if (d->isDevice && d->paddr == 0x00900000u)
            return bi->untyped.start + i;
    }
    return 0;
}

KTEST(page_map_small, "VSPACE0030",
      "a 4 KiB frame maps read-write; GetAddress gives its exact physical address")
{
    seL4_Word base = 0;
    seL4_CPtr ut = small_ram_untyped(&base);
    KREQUIRE_EQ(ut != 0, 1);
    seL4_CPtr f1 = ktest_slot(), f2 = ktest_slot();
    KREQUIRE_EQ(
        seL4_Untyped_Retype(ut, seL4_ARM_SmallPageObject, 0, seL4_CapInitThreadCNode, 0, 0, f1, 2),
        seL4_NoError);
    KCHECK_EQ(vs_paddr(f1), base);
    KCHECK_EQ(vs_paddr(f2), base + 4096);
    KCHECK_EQ(vs_paddr(vs_copy(f1)), base);
    /* GetAddress replies with one message word. */
    seL4_SetMR(0, 0);
    seL4_MessageInfo_t info = seL4_Call(f1, seL4_MessageInfo_new(ARMPageGetAddress, 0, 0, 0));
    KCHECK_EQ(seL4_MessageInfo_get_label(info), 0);
    KCHECK_EQ(seL4_MessageInfo_get_length(info), 1);
    KCHECK_EQ(seL4_GetMR(0), base);
    /* Mapped, the frame is ordinary memory, zeroed when it was made. */
    KREQUIRE_EQ(vs_map(ROOT, f1, VS_AREA, RW, DEFAULT), seL4_NoError);
    KREQUIRE_EQ(vs_map(ROOT, f2, VS_AREA + 0x1000, RW, DEFAULT), seL4_NoError);
    for (int i = 0; i < 1024; i++)
        KREQUIRE_EQ(word_at(VS_AREA)[i], 0);
    for (int i = 0; i < 2048; i++)
        word_at(VS_AREA)[i] = 0x1000 + i;
    for (int i = 0; i < 2048; i++)
        KREQUIRE_EQ(word_at(VS_AREA)[i], 0x1000 + i);
    KCHECK_EQ(vs_paddr(f1), base); /* mapping does not change it */
}

KTEST(page_map_all_sizes, "VSPACE0031",
      "64 KiB, 1 MiB and 16 MiB frames map as one block: every 4 KiB of them is distinct "
      "memory at the right offset")
{
    for (int s = 1; s < 4; s++) {
        seL4_CPtr f = ktest_object(frame_types[s], 0);
        seL4_Word size = 1u << frame_bits[s], v = frame_vaddr[s];
        seL4_Word pa = vs_paddr(f);
        KCHECK_EQ(pa & (size - 1), 0);
        KREQUIRE_EQ(vs_map(ROOT, f, v, RW, DEFAULT), seL4_NoError);
        for (seL4_Word off = 0; off < size; off += 4096)
            word_at(v + off)[1] = off ^ 0x5a5a0000u;
        word_at(v + size - 4)[0] = 0xe0d;
        /* Mapped again elsewhere, the same bytes sit at the same offsets. */
        KREQUIRE_EQ(seL4_ARM_Page_Unmap(f), seL4_NoError);
        seL4_Word v2 = s == 3 ? VS_SECTIONS + 0x3000000 : v + (s == 1 ? 0x100000 : 0x200000);
        KREQUIRE_EQ(vs_map(ROOT, f, v2, RW, DEFAULT), seL4_NoError);
        int bad = 0;
        for (seL4_Word off = 0; off < size; off += 4096)
            bad += word_at(v2 + off)[1] != (off ^ 0x5a5a0000u);
        KCHECK_EQ(bad, 0);
        KCHECK_EQ(word_at(v2 + size - 4)[0], 0xe0d);
        KCHECK_EQ(seL4_ARM_Page_Unmap(f), seL4_NoError);
    }
}

KTEST(page_unmap_all_sizes, "VSPACE0032",
      "after Unmap every size faults (page or section translation fault); Unmap twice is fine")
{
    prober_t p;
    prober_init(&p, 0);
    for (int s = 0; s < 4; s++) {
        seL4_CPtr f = ktest_object(frame_types[s], 0);
        seL4_Word size = 1u << frame_bits[s], v = frame_vaddr[s];
        KREQUIRE_EQ(vs_map(ROOT, f, v, RW, DEFAULT), seL4_NoError);
        probe_t r = probe(&p, PROBE_WRITE, v + size - 4, 0x77);
        KCHECK_NOFAULT(r);
        KCHECK_EQ(word_at(v + size - 4)[0], 0x77);
        KREQUIRE_EQ(seL4_ARM_Page_Unmap(f), seL4_NoError);
        seL4_Word fsr = s < 2 ? FSR_PAGE_TRANSLATION : FSR_SECTION_TRANSLATION;
        r = probe(&p, PROBE_READ, v, 0);
        KCHECK_VMFAULT(r, v, fsr);
        r = probe(&p, PROBE_WRITE, v + size - 4, 0);
        KCHECK_VMFAULT(r, v + size - 4, fsr | FSR_WRITE);
        KCHECK_EQ(seL4_ARM_Page_Unmap(f), seL4_NoError);
        /* An unmapped cap maps anywhere again. */
        KCHECK_EQ(vs_map(ROOT, f, v, RW, DEFAULT), seL4_NoError);
        KCHECK_EQ(word_at(v + size - 4)[0], 0x77);
    }
}

KTEST(page_map_misaligned, "VSPACE0033",
      "Map at a vaddr not aligned to the frame size is AlignmentError, for every size")
{
    seL4_CPtr pd = vs_new_pd();
    vs_map_pt(pd, VS_AREA);
    for (int s = 0; s < 4; s++) {
        seL4_CPtr f = ktest_object(frame_types[s], 0);
        seL4_Word v = s < 2 ? VS_AREA : frame_vaddr[s];
        seL4_Word offs[] = {4, 0x800, (1u << frame_bits[s]) >> 1};
        for (int i = 0; i < 3; i++) {
            if (s == 0 && i == 2)
                continue; /* 0x800 already */
            KCHECK_EQ(seL4_ARM_Page_Map(f, pd, v + offs[i], RW, DEFAULT), seL4_AlignmentError);
        }
        /* Nothing was recorded: the cap maps at the aligned address. */
        KCHECK_EQ(seL4_ARM_Page_Map(f, pd, v, RW, DEFAULT), seL4_NoError);
        KCHECK_EQ(seL4_ARM_Page_Unmap(f), seL4_NoError);
    }
}

KTEST(page_map_no_pt, "VSPACE0034",
      "small and large pages without a page table: FailedLookup, MissingCapability, 20 bits left")
{
    seL4_CPtr pd = vs_new_pd();
    for (int s = 0; s < 2; s++) {
        seL4_CPtr f = ktest_object(frame_types[s], 0);
        KCHECK_EQ(seL4_ARM_Page_Map(f, pd, VS_AREA, RW, DEFAULT), seL4_FailedLookup);
        ktest_error_t e;
        ktest_get_error(&e);
        KCHECK_EQ(e.failed_lookup_was_source, 0);
        KCHECK_EQ(e.lookup_type, seL4_MissingCapability);
        KCHECK_EQ(e.bits_left, 20);
        /* The error reply carries the same detail (seL4's message layout). */
        seL4_SetMR(0, VS_AREA);
        seL4_SetMR(1, RW.words[0]);
        seL4_SetMR(2, DEFAULT);
        seL4_SetCap(0, pd);
        seL4_MessageInfo_t info = seL4_Call(f, seL4_MessageInfo_new(ARMPageMap, 0, 1, 3));
        KCHECK_EQ(seL4_MessageInfo_get_label(info), seL4_FailedLookup);
        KCHECK_EQ(seL4_MessageInfo_get_length(info), 3);
        KCHECK_EQ(seL4_GetMR(0), 0);
        KCHECK_EQ(seL4_GetMR(1), seL4_MissingCapability);
        KCHECK_EQ(seL4_GetMR(2), 20);
    }
}

KTEST(page_map_occupied, "VSPACE0035",
      "Map over anything already mapped there is DeleteFirst, whatever the sizes, and "
      "leaves the old mapping intact")
{
    seL4_CPtr small = ktest_object(seL4_ARM_SmallPageObject, 0);
    seL4_CPtr small2 = ktest_object(seL4_ARM_SmallPageObject, 0);
    seL4_CPtr large = ktest_object(seL4_ARM_LargePageObject, 0);
    seL4_CPtr large2 = ktest_object(seL4_ARM_LargePageObject, 0);
    seL4_CPtr section = ktest_object(seL4_ARM_SectionObject, 0);
    seL4_CPtr section2 = ktest_object(seL4_ARM_SectionObject, 0);
    seL4_CPtr super = ktest_object(seL4_ARM_SuperSectionObject, 0);

    /* Pages: a small page at the 6th 4 KiB of a 64 KiB block. */
    KREQUIRE_EQ(vs_map(ROOT, small, VS_AREA + 0x5000, RW, DEFAULT), seL4_NoError);
    word_at(VS_AREA + 0x5000)[0] = 0x5;
    KCHECK_EQ(seL4_ARM_Page_Map(small2, ROOT, VS_AREA + 0x5000, RW, DEFAULT), seL4_DeleteFirst);
    KCHECK_EQ(seL4_ARM_Page_Map(large, ROOT, VS_AREA, RW, DEFAULT), seL4_DeleteFirst);
    KCHECK_EQ(word_at(VS_AREA + 0x5000)[0], 0x5);
    KREQUIRE_EQ(seL4_ARM_Page_Map(large, ROOT, VS_AREA + 0x10000, RW, DEFAULT), seL4_NoError);
    word_at(VS_AREA + 0x1f000)[0] = 0x1f;
    KCHECK_EQ(seL4_ARM_Page_Map(small2, ROOT, VS_AREA + 0x1f000, RW, DEFAULT), seL4_DeleteFirst);
    KCHECK_EQ(seL4_ARM_Page_Map(large2, ROOT, VS_AREA + 0x10000, RW, DEFAULT), seL4_DeleteFirst);
    KCHECK_EQ(word_at(VS_AREA + 0x1f000)[0], 0x1f);

    /* Sections: over a page table, over a section, inside and around a supersection. */
    KCHECK_EQ(seL4_ARM_Page_Map(section, ROOT, VS_AREA, RW, DEFAULT), seL4_DeleteFirst);
    KREQUIRE_EQ(seL4_ARM_Page_Map(section, ROOT, VS_SECTIONS + 0xb00000, RW, DEFAULT),
                seL4_NoError);
    word_at(VS_SECTIONS + 0xb00000)[0] = 0xb;
    KCHECK_EQ(seL4_ARM_Page_Map(section2, ROOT, VS_SECTIONS + 0xb00000, RW, DEFAULT),
              seL4_DeleteFirst);
    KCHECK_EQ(seL4_ARM_Page_Map(super, ROOT, VS_SECTIONS, RW, DEFAULT), seL4_DeleteFirst);
    KCHECK_EQ(word_at(VS_SECTIONS + 0xb00000)[0], 0xb);
    KREQUIRE_EQ(seL4_ARM_Page_Map(super, ROOT, VS_SECTIONS + 0x1000000, RW, DEFAULT), seL4_NoError);
    word_at(VS_SECTIONS + 0x1f00000)[0] = 0x1f0;
    KCHECK_EQ(seL4_ARM_Page_Map(section2, ROOT, VS_SECTIONS + 0x1f00000, RW, DEFAULT),
              seL4_DeleteFirst);
    /* No page table can go inside a section, so a small page there has nowhere to go. */
    KCHECK_EQ(seL4_ARM_Page_Map(small2, ROOT, VS_SECTIONS + 0x1f00000, RW, DEFAULT),
              seL4_FailedLookup);
    seL4_CPtr pt = ktest_object(seL4_ARM_PageTableObject, 0);
    KCHECK_EQ(seL4_ARM_PageTable_Map(pt, ROOT, VS_SECTIONS + 0x1f00000, DEFAULT), seL4_DeleteFirst);
    KCHECK_EQ(word_at(VS_SECTIONS + 0x1f00000)[0], 0x1f0);
    /* The refused caps were not marked mapped: they map elsewhere. */
    KCHECK_EQ(vs_map(ROOT, small2, VS_AREA + 0x2000, RW, DEFAULT), seL4_NoError);
    KCHECK_EQ(seL4_ARM_Page_Map(section2, ROOT, VS_SECTIONS + 0xc00000, RW, DEFAULT), seL4_NoError);
}

KTEST(page_map_kernel_region, "VSPACE0036",
      "a mapping that would reach the kernel region is InvalidArgument 0, checked before "
      "alignment; the last page below it maps")
{
    seL4_CPtr pd = vs_new_pd();
    vs_map_pt(pd, 0xdff00000u);
    struct {
        int size;
        seL4_Word vaddr;
        seL4_Error err;
    } cases[] = {
        {0, KERNEL_BASE_VADDR, seL4_InvalidArgument},
        {0, 0xfffff000u, seL4_InvalidArgument},
        {0, KERNEL_BASE_VADDR + 4, seL4_InvalidArgument}, /* misaligned too */
        {1, 0xdfff8000u, seL4_InvalidArgument},           /* would end at 0xe0007fff */
        {2, 0xdff80000u, seL4_InvalidArgument},
        {3, KERNEL_BASE_VADDR, seL4_InvalidArgument},
        {3, 0xdf800000u, seL4_InvalidArgument},
        {0, 0xdffff000u, seL4_NoError},
        {1, 0xdffe0000u, seL4_NoError},
        {3, 0xde000000u, seL4_NoError},
    };
    seL4_CPtr frames[4];
    for (int s = 0; s < 4; s++)
        frames[s] = ktest_object(frame_types[s], 0);
    for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        seL4_CPtr f = frames[cases[i].size];
        KCHECK_EQ(seL4_ARM_Page_Map(f, pd, cases[i].vaddr, RW, DEFAULT), cases[i].err);
        if (cases[i].err == seL4_InvalidArgument) {
            ktest_error_t e;
            ktest_get_error(&e);
            KCHECK_EQ(e.argument, 0);
        }
        KCHECK_EQ(seL4_ARM_Page_Unmap(f), seL4_NoError);
    }
}

KTEST(page_map_bad_vspace, "VSPACE0037",
      "Map into a page directory without ASID, a page table or an endpoint is "
      "InvalidCapability 1")
{
    seL4_CPtr f = ktest_object(seL4_ARM_SmallPageObject, 0);
    seL4_CPtr pt = vs_map_pt(ROOT, VS_AREA);
    seL4_CPtr caps[] = {ktest_object(seL4_ARM_PageDirectoryObject, 0), pt,
                        ktest_object(seL4_EndpointObject, 0)};
    for (int i = 0; i < 3; i++) {
        KCHECK_EQ(seL4_ARM_Page_Map(f, caps[i], VS_AREA, RW, DEFAULT), seL4_InvalidCapability);
        ktest_error_t e;
        ktest_get_error(&e);
        KCHECK_EQ(e.argument, 1);
    }
    KCHECK_EQ(seL4_ARM_Page_Map(f, ROOT, VS_AREA, RW, DEFAULT), seL4_NoError);
}

KTEST(page_map_truncated, "VSPACE0038",
      "Map with two message words or without a VSpace cap is TruncatedMessage")
{
    seL4_CPtr f = ktest_object(seL4_ARM_SmallPageObject, 0);
    vs_map_pt(ROOT, VS_AREA);
    seL4_SetMR(0, VS_AREA);
    seL4_SetMR(1, RW.words[0]);
    seL4_SetMR(2, DEFAULT);
    seL4_SetCap(0, ROOT);
    KCHECK_EQ(seL4_Invoke(f, ARMPageMap, 2, 1), seL4_TruncatedMessage);
    KCHECK_EQ(seL4_Invoke(f, ARMPageMap, 3, 0), seL4_TruncatedMessage);
    KCHECK_EQ(seL4_Invoke(f, ARMPageMap, 3, 1), seL4_NoError);
    word_at(VS_AREA)[0] = 1;
}

KTEST(page_remap, "VSPACE0039",
      "a mapped cap maps again only at its address in its VSpace (to change rights): "
      "elsewhere InvalidArgument 0, another VSpace InvalidCapability 1")
{
    prober_t p;
    prober_init(&p, 0);
    for (int s = 0; s < 4; s += 2) { /* a small page and a section */
        seL4_CPtr f = ktest_object(frame_types[s], 0);
        seL4_Word v = frame_vaddr[s];
        seL4_Word perm = s == 0 ? FSR_PAGE_PERMISSION : FSR_SECTION_PERMISSION;
        KREQUIRE_EQ(vs_map(ROOT, f, v, RW, DEFAULT), seL4_NoError);
        word_at(v)[0] = 11;
        ktest_error_t e;
        seL4_Word other = s == 0 ? v + 0x1000 : v + 0x100000;
        KCHECK_EQ(seL4_ARM_Page_Map(f, ROOT, other, RW, DEFAULT), seL4_InvalidArgument);
        ktest_get_error(&e);
        KCHECK_EQ(e.argument, 0);
        KCHECK_EQ(seL4_ARM_Page_Map(f, vs_new_pd(), v, RW, DEFAULT), seL4_InvalidCapability);
        ktest_get_error(&e);
        KCHECK_EQ(e.argument, 1);
        /* Read-only now: the write that worked faults (the TLB forgot the old rights). */
        probe_t r = probe(&p, PROBE_WRITE, v, 12);
        KCHECK_NOFAULT(r);
        KREQUIRE_EQ(seL4_ARM_Page_Map(f, ROOT, v, seL4_CanRead, DEFAULT), seL4_NoError);
        r = probe(&p, PROBE_WRITE, v, 13);
        KCHECK_VMFAULT(r, v, perm | FSR_WRITE);
        r = probe(&p, PROBE_READ, v, 0);
        KCHECK_NOFAULT(r);
        KCHECK_EQ(r.value, 12);
        /* And writable again. */
        KREQUIRE_EQ(seL4_ARM_Page_Map(f, ROOT, v, RW, DEFAULT), seL4_NoError);
        r = probe(&p, PROBE_WRITE, v, 14);
        KCHECK_NOFAULT(r);
        KCHECK_EQ(word_at(v)[0], 14);
    }
}

KTEST(page_copies_share, "VSPACE0040",
      "each frame cap maps once; a copy maps the same frame elsewhere (shared memory)")
{
    seL4_CPtr f = ktest_object(seL4_ARM_SmallPageObject, 0);
    seL4_CPtr c1 = vs_copy(f), c2 = vs_copy(c1);
    KREQUIRE_EQ(vs_map(ROOT, f, VS_AREA, RW, DEFAULT), seL4_NoError);
    KREQUIRE_EQ(vs_map(ROOT, c1, VS_AREA + 0x5000, RW, DEFAULT), seL4_NoError);
    KREQUIRE_EQ(vs_map(ROOT, c2, VS_AREA + 0x300000, RW, DEFAULT), seL4_NoError);
    word_at(VS_AREA)[10] = 0xabc;
    KCHECK_EQ(word_at(VS_AREA + 0x5000)[10], 0xabc);
    word_at(VS_AREA + 0x300000)[11] = 0xdef;
    KCHECK_EQ(word_at(VS_AREA)[11], 0xdef);
    KCHECK_EQ(vs_paddr(c2), vs_paddr(f));
    /* Unmapping one copy leaves the others. */
    KREQUIRE_EQ(seL4_ARM_Page_Unmap(c1), seL4_NoError);
    KCHECK_EQ(word_at(VS_AREA)[10], 0xabc);
    KCHECK_EQ(word_at(VS_AREA + 0x300000)[10], 0xabc);
    probe_t r = probe_root(PROBE_READ, VS_AREA + 0x5000, 0);
    KCHECK_VMFAULT(r, VS_AREA + 0x5000, FSR_PAGE_TRANSLATION);
}

KTEST(page_rights, "VSPACE0041",
      "Map rights: read-only faults on write (FSR permission + WnR); kernel-only and "
      "write-only give no user access")
{
    prober_t p;
    prober_init(&p, 0);
    seL4_CPtr ro = ktest_object(seL4_ARM_SmallPageObject, 0);
    KREQUIRE_EQ(vs_map(ROOT, ro, VS_AREA, seL4_CanRead, DEFAULT), seL4_NoError);
    probe_t r = probe(&p, PROBE_READ, VS_AREA + 8, 0);
    KCHECK_NOFAULT(r);
    KCHECK_EQ(r.value, 0);
    r = probe(&p, PROBE_WRITE, VS_AREA + 8, 1);
    KCHECK_VMFAULT(r, VS_AREA + 8, FSR_PAGE_PERMISSION | FSR_WRITE);
    KCHECK_EQ(r.ip, (seL4_Word)probe_str);
    KCHECK_EQ(r.prefetch, 0);

    seL4_CapRights_t none[] = {seL4_NoRights, seL4_CanWrite, seL4_CanGrant};
    for (int i = 0; i < 3; i++) {
        seL4_CPtr f = ktest_object(seL4_ARM_SmallPageObject, 0);
        seL4_Word v = VS_AREA + 0x1000 * (i + 1);
        KREQUIRE_EQ(vs_map(ROOT, f, v, none[i], DEFAULT), seL4_NoError);
        r = probe(&p, PROBE_READ, v, 0);
        KCHECK_VMFAULT(r, v, FSR_PAGE_PERMISSION);
        r = probe(&p, PROBE_WRITE, v + 0xffc, 0);
        KCHECK_VMFAULT(r, v + 0xffc, FSR_PAGE_PERMISSION | FSR_WRITE);
    }
    seL4_CPtr sec = ktest_object(seL4_ARM_SectionObject, 0);
    KREQUIRE_EQ(vs_map(ROOT, sec, VS_SECTIONS, seL4_CanRead, DEFAULT), seL4_NoError);
    r = probe(&p, PROBE_WRITE, VS_SECTIONS + 0x80000, 1);
    KCHECK_VMFAULT(r, VS_SECTIONS + 0x80000, FSR_SECTION_PERMISSION | FSR_WRITE);
}

KTEST(page_cap_rights, "VSPACE0042",
      "a frame cap's own rights bound the mapping: a read-only copy maps read-only, a "
      "copy without read maps kernel-only")
{
    prober_t p;
    prober_init(&p, 0);
    seL4_CPtr f = ktest_object(seL4_ARM_SmallPageObject, 0);
    seL4_CPtr ro = vs_mint(f, seL4_CanRead), none = vs_mint(f, seL4_CanWrite);
    KREQUIRE_EQ(vs_map(ROOT, f, VS_AREA, RW, DEFAULT), seL4_NoError);
    KREQUIRE_EQ(vs_map(ROOT, ro, VS_AREA + 0x1000, RW, DEFAULT), seL4_NoError);
    KREQUIRE_EQ(vs_map(ROOT, none, VS_AREA + 0x2000, RW, DEFAULT), seL4_NoError);
    word_at(VS_AREA)[0] = 0x42;
    probe_t r = probe(&p, PROBE_READ, VS_AREA + 0x1000, 0);
    KCHECK_NOFAULT(r);
    KCHECK_EQ(r.value, 0x42);
    r = probe(&p, PROBE_WRITE, VS_AREA + 0x1000, 0);
    KCHECK_VMFAULT(r, VS_AREA + 0x1000, FSR_PAGE_PERMISSION | FSR_WRITE);
    r = probe(&p, PROBE_READ, VS_AREA + 0x2000, 0);
    KCHECK_VMFAULT(r, VS_AREA + 0x2000, FSR_PAGE_PERMISSION);
    /* Rights only shrink: a read-write copy of the read-only cap is still read-only. */
    seL4_CPtr again = vs_mint(ro, RW);
    KREQUIRE_EQ(vs_map(ROOT, again, VS_AREA + 0x3000, RW, DEFAULT), seL4_NoError);
    r = probe(&p, PROBE_WRITE, VS_AREA + 0x3000, 0);
    KCHECK_VMFAULT(r, VS_AREA + 0x3000, FSR_PAGE_PERMISSION | FSR_WRITE);
}

/* ARM code: r0 = r0 + imm (imm in the low byte of the first instruction); return. */
static void write_add_function(seL4_Word vaddr, seL4_Word imm)
{
    word_at(vaddr)[0] = 0xe2800000u | (imm & 0xffu); /* add r0, r0, #imm */
    word_at(vaddr)[1] = 0xe12fff1eu;                 /* bx lr */
}

KTEST(page_execute_never, "VSPACE0043",
      "code runs from a page mapped without ExecuteNever; with it, the call is a prefetch "
      "VMFault (permission), for pages and sections")
{
    prober_t p;
    prober_init(&p, 0);
    for (int s = 0; s < 4; s += 2) {
        seL4_CPtr f = ktest_object(frame_types[s], 0);
        seL4_Word v = frame_vaddr[s], code = v + 0x40;
        KREQUIRE_EQ(vs_map(ROOT, f, v, RW, DEFAULT), seL4_NoError);
        write_add_function(code, 42);
        KREQUIRE_EQ(seL4_ARM_Page_Unify_Instruction(f, 0, 0x1000), seL4_NoError);
        probe_t r = probe(&p, PROBE_CALL, code, 100);
        KCHECK_NOFAULT(r);
        KCHECK_EQ(r.value, 142);
        /* New code needs Unify_Instruction, then runs. */
        write_add_function(code, 7);
        KREQUIRE_EQ(seL4_ARM_Page_Unify_Instruction(f, 0x40, 0x48), seL4_NoError);
        r = probe(&p, PROBE_CALL, code, 100);
        KCHECK_EQ(r.value, 107);
        /* Remapped execute-never. */
        KREQUIRE_EQ(seL4_ARM_Page_Map(f, ROOT, v, RW, DEFAULT | seL4_ARM_ExecuteNever),
                    seL4_NoError);
        r = probe(&p, PROBE_CALL, code, 100);
        KCHECK(r.faulted);
        KCHECK_EQ(r.label, seL4_Fault_VMFault);
        KCHECK_EQ(r.prefetch, 1);
        KCHECK_EQ(r.ip, code);
        KCHECK_EQ(r.addr, code);
        KCHECK_EQ(r.fsr, s == 0 ? FSR_PAGE_PERMISSION : FSR_SECTION_PERMISSION);
        /* Data access is unaffected. */
        KCHECK_EQ(word_at(code)[1], 0xe12fff1eu);
    }
}

KTEST(page_uncached, "VSPACE0044",
      "a frame maps uncacheable too; cached and uncached aliases agree after cache "
      "maintenance")
{
    seL4_CPtr f = ktest_object(seL4_ARM_SmallPageObject, 0);
    seL4_CPtr alias = vs_copy(f);
    KREQUIRE_EQ(vs_map(ROOT, f, VS_AREA, RW, DEFAULT), seL4_NoError);
    KREQUIRE_EQ(vs_map(ROOT, alias, VS_AREA + 0x1000, RW, 0), seL4_NoError);
    volatile seL4_Word *cached = word_at(VS_AREA), *uncached = word_at(VS_AREA + 0x1000);
    for (int i = 0; i < 64; i++)
        cached[i] = 0xc000 + i;
    KREQUIRE_EQ(seL4_ARM_Page_Clean_Data(f, 0, 256), seL4_NoError);
    int bad = 0;
    for (int i = 0; i < 64; i++)
        bad += uncached[i] != 0xc000u + i;
    KCHECK_EQ(bad, 0);
    for (int i = 0; i < 64; i++)
        uncached[i] = 0xd000 + i;
    KREQUIRE_EQ(seL4_ARM_Page_Invalidate_Data(f, 0, 256), seL4_NoError);
    bad = 0;
    for (int i = 0; i < 64; i++)
        bad += cached[i] != 0xd000u + i;
    KCHECK_EQ(bad, 0);
}

KTEST(page_device_frame, "VSPACE0045",
      "a device frame (on-chip RAM) has its device address and maps uncached")
{
    seL4_CPtr ut = ocram_untyped();
    KREQUIRE_EQ(ut != 0, 1);
    seL4_CPtr f = ktest_slot();
    KREQUIRE_EQ(
        seL4_Untyped_Retype(ut, seL4_ARM_SmallPageObject, 0, seL4_CapInitThreadCNode, 0, 0, f, 1),
        seL4_NoError);
    KCHECK_EQ(vs_paddr(f), 0x00900000u);
    KREQUIRE_EQ(vs_map(ROOT, f, VS_AREA, RW, 0), seL4_NoError);
    word_at(VS_AREA)[3] = 0x0c0ffee;
    KCHECK_EQ(word_at(VS_AREA)[3], 0x0c0ffee);
    KCHECK_EQ(seL4_ARM_Page_Unmap(f), seL4_NoError);
    KCHECK_EQ(seL4_CNode_Delete(seL4_CapInitThreadCNode, f, 32), seL4_NoError);
}

KTEST(page_delete_unmaps, "VSPACE0046",
      "deleting a mapped frame cap unmaps that mapping only; revoking the Untyped unmaps all")
{
    seL4_CPtr ut = ktest_untyped(16);
    seL4_CPtr f = ktest_slot();
    KREQUIRE_EQ(
        seL4_Untyped_Retype(ut, seL4_ARM_SmallPageObject, 0, seL4_CapInitThreadCNode, 0, 0, f, 1),
        seL4_NoError);
    seL4_CPtr c = vs_copy(f);
    KREQUIRE_EQ(vs_map(ROOT, f, VS_AREA, RW, DEFAULT), seL4_NoError);
    KREQUIRE_EQ(vs_map(ROOT, c, VS_AREA + 0x1000, RW, DEFAULT), seL4_NoError);
    word_at(VS_AREA)[0] = 99;
    KREQUIRE_EQ(seL4_CNode_Delete(seL4_CapInitThreadCNode, f, 32), seL4_NoError);
    prober_t p;
    prober_init(&p, 0);
    probe_t r = probe(&p, PROBE_READ, VS_AREA, 0);
    KCHECK_VMFAULT(r, VS_AREA, FSR_PAGE_TRANSLATION);
    KCHECK_EQ(word_at(VS_AREA + 0x1000)[0], 99);
    KREQUIRE_EQ(seL4_CNode_Revoke(seL4_CapInitThreadCNode, ut, 32), seL4_NoError);
    KCHECK_EQ(seL4_DebugCapIdentify(c), 0);
    r = probe(&p, PROBE_READ, VS_AREA + 0x1000, 0);
    KCHECK_VMFAULT(r, VS_AREA + 0x1000, FSR_PAGE_TRANSLATION);
}

KTEST(page_wrong_labels, "VSPACE0047",
      "a frame cap rejects page table and page directory labels with IllegalOperation")
{
    seL4_CPtr f = ktest_object(seL4_ARM_SmallPageObject, 0);
    seL4_SetMR(0, VS_AREA);
    seL4_SetMR(1, DEFAULT);
    seL4_SetCap(0, ROOT);
    KCHECK_EQ(seL4_Invoke(f, ARMPageTableMap, 2, 1), seL4_IllegalOperation);
    KCHECK_EQ(seL4_Invoke(f, ARMPageTableUnmap, 0, 0), seL4_IllegalOperation);
    KCHECK_EQ(seL4_Invoke(f, ARMPDClean_Data, 2, 0), seL4_IllegalOperation);
    KCHECK_EQ(seL4_Invoke(f, ARMASIDPoolAssign, 0, 1), seL4_IllegalOperation);
    KCHECK_EQ(seL4_Invoke(f, TCBSuspend, 0, 0), seL4_IllegalOperation);
    /* GetAddress and Unmap need no mapping. */
    KCHECK_EQ(seL4_ARM_Page_Unmap(f), seL4_NoError);
    KCHECK_EQ(seL4_ARM_Page_GetAddress(f).error, seL4_NoError);
}
