/* ktimer: the GPT as a benchmark clock (see ktimer.h). */
#include "ktimer.h"

#define GPT_CR    0x00
#define GPT_PR    0x04
#define GPT_CNT   0x24
#define GPT_VADDR 0x50000000u /* above ktest's frames, in a page table of its own */

static volatile uint32_t *gpt;

/*
 * A 4 KiB device frame at `paddr`, cut from the device Untyped holding it. A retype places each
 * object at the watermark rounded up to its size, so Untypeds of the sizes of the offset's set
 * bits, largest first, fill the gap exactly and the frame lands at paddr: a few slots, not one
 * per page before it.
 */
static seL4_CPtr device_frame(seL4_Word paddr)
{
    const seL4_BootInfo *bi = ktest_bootinfo;
    for (seL4_Word i = 0; i < bi->untyped.end - bi->untyped.start; i++) {
        const seL4_UntypedDesc *d = &bi->untypedList[i];
        if (!d->isDevice || paddr < d->paddr || paddr - d->paddr >= (1u << d->sizeBits))
            continue;
        seL4_CPtr ut = bi->untyped.start + i;
        seL4_Word gap = paddr - d->paddr;
        for (int bit = 31; bit >= 12; bit--) {
            if (!(gap & (1u << bit)))
                continue;
            if (seL4_Untyped_Retype(ut, seL4_UntypedObject, (seL4_Word)bit, seL4_CapInitThreadCNode,
                                    0, 0, ktest_slot(), 1) != seL4_NoError)
                return 0;
        }
        seL4_CPtr frame = ktest_slot();
        if (seL4_Untyped_Retype(ut, seL4_ARM_SmallPageObject, 0, seL4_CapInitThreadCNode, 0, 0,
                                frame, 1) != seL4_NoError)
            return 0;
        return frame;
    }
    return 0;
}

int ktimer_start(void)
{
    seL4_CPtr f = device_frame(KTIMER_GPT_PADDR);
    return f ? ktimer_start_frame(f) : -1;
}

int ktimer_start_frame(seL4_CPtr f)
{
    seL4_ARM_Page_GetAddress_t a = seL4_ARM_Page_GetAddress(f);
    if (a.error || a.paddr != KTIMER_GPT_PADDR)
        return -1;
    seL4_CPtr pt = ktest_object(seL4_ARM_PageTableObject, 0);
    if (seL4_ARM_PageTable_Map(pt, seL4_CapInitThreadVSpace, GPT_VADDR, 0) ||
        seL4_ARM_Page_Map(f, seL4_CapInitThreadVSpace, GPT_VADDR, seL4_ReadWrite, 0))
        return -1;
    gpt = (volatile uint32_t *)GPT_VADDR;
    gpt[GPT_CR / 4] = 0;
    gpt[GPT_PR / 4] = 0;
    gpt[GPT_CR / 4] = (1u << 6) | (1u << 9) | (1u << 1); /* ipg clock, free-run, reset */
    gpt[GPT_CR / 4] |= 1u;                               /* enable */
    return 0;
}

uint32_t ktimer_now(void)
{
    return gpt[GPT_CNT / 4];
}

unsigned ktimer_instructions_x100(uint32_t ticks, unsigned iterations)
{
    uint64_t ns100 = (uint64_t)ticks * 100000000000ull / KTIMER_HZ;
    return (unsigned)(ns100 / iterations);
}
