/* Many mappings: 10,000 Map/Unmap pairs with the contents checked at every new address. */
#include "vs.h"

#define RW      seL4_AllRights
#define DEFAULT seL4_ARM_Default_VMAttributes
#define ROOT    seL4_CapInitThreadVSpace

enum { FRAMES = 100, ROUNDS = 100, SLOTS = 128 /* addresses are reused from round to round */ };

/* Where frame i goes in round r: distinct for distinct i in one round (101 is odd), and
 * mostly an address another frame had in the round before. */
static seL4_Word stress_vaddr(int i, int round)
{
    return VS_AREA + (seL4_Word)((i * 101 + round * 37) % SLOTS) * 4096;
}

KTEST(stress_map_unmap, "VSPACE0090",
      "100 frames mapped and unmapped 100 times at moving addresses: each address shows "
      "the frame just mapped there, and every address faults at the end")
{
    static seL4_CPtr frames[FRAMES];
    vs_map_pt(ROOT, VS_AREA);
    seL4_CPtr first = ktest_slot();
    for (int i = 1; i < FRAMES; i++)
        ktest_slot();
    KREQUIRE_EQ(seL4_Untyped_Retype(ktest_untyped(19), seL4_ARM_SmallPageObject, 0,
                                    seL4_CapInitThreadCNode, 0, 0, first, FRAMES),
                seL4_NoError);
    for (int i = 0; i < FRAMES; i++)
        frames[i] = first + i;
    int errors = 0, wrong = 0;
    for (int round = 0; round < ROUNDS; round++) {
        for (int i = 0; i < FRAMES; i++)
            errors += seL4_ARM_Page_Map(frames[i], ROOT, stress_vaddr(i, round), RW, DEFAULT) !=
                      seL4_NoError;
        for (int i = 0; i < FRAMES; i++) {
            volatile seL4_Word *w = (volatile seL4_Word *)stress_vaddr(i, round);
            /* Word 0 names the frame; word 1 counts the rounds it was seen in. */
            if (round == 0) {
                w[0] = 0xf0000000u | (seL4_Word)i;
                w[1] = 0;
            }
            wrong += w[0] != (0xf0000000u | (seL4_Word)i) || w[1] != (seL4_Word)round;
            w[1] = (seL4_Word)round + 1;
        }
        for (int i = 0; i < FRAMES; i++)
            errors += seL4_ARM_Page_Unmap(frames[i]) != seL4_NoError;
    }
    KCHECK_EQ(errors, 0);
    KCHECK_EQ(wrong, 0);
    /* Nothing is left mapped: sample addresses used in the first and the last rounds. */
    prober_t p;
    prober_init(&p, 0);
    int mapped = 0;
    for (int i = 0; i < FRAMES; i += 9) {
        seL4_Word v[2] = {stress_vaddr(i, 0), stress_vaddr(i, ROUNDS - 1)};
        for (int k = 0; k < 2; k++) {
            probe_t r = probe(&p, PROBE_READ, v[k], 0);
            mapped += !r.faulted || r.addr != v[k] || r.fsr != FSR_PAGE_TRANSLATION;
        }
    }
    KCHECK_EQ(mapped, 0);
    /* The frames kept their contents: map them once more and count. */
    int bad = 0;
    for (int i = 0; i < FRAMES; i++) {
        KREQUIRE_EQ(seL4_ARM_Page_Map(frames[i], ROOT, VS_AREA + i * 4096, RW, DEFAULT),
                    seL4_NoError);
        volatile seL4_Word *w = (volatile seL4_Word *)(VS_AREA + i * 4096);
        bad += w[0] != (0xf0000000u | (seL4_Word)i) || w[1] != ROUNDS;
    }
    KCHECK_EQ(bad, 0);
}
