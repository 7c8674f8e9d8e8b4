/*
 * libut on the real kernel: all of its memory in 4 KiB blocks and in random sizes until it is
 * exhausted, then everything freed, coalesced back to exactly where it started; error paths,
 * device pages, and what ut_free does to objects made from a block.
 */
#include "env.h"

#define MAX_BLOCKS  32768
#define RAM_BASE    0x10000000u
#define GRAIN_BITS  10 /* the overlap map has a bit per KiB of the first 256 MiB of RAM */
#define GRAIN_COUNT ((256u << 20) >> GRAIN_BITS)
#define GPT_PADDR   0x02098000u
#define TYPE_NTFN   3

static ut_t *blocks[MAX_BLOCKS];
static seL4_Word in_use[GRAIN_COUNT / seL4_WordBits];

/* Marks [paddr, paddr + 2^bits) as handed out; false if any of it already was (or is outside
 * the map). */
static bool mark(seL4_Word paddr, size_t bits, bool set)
{
    if (paddr < RAM_BASE || bits < GRAIN_BITS)
        return false;
    seL4_Word first = (paddr - RAM_BASE) >> GRAIN_BITS, n = (seL4_Word)1 << (bits - GRAIN_BITS);
    if (first + n > GRAIN_COUNT)
        return false;
    for (seL4_Word g = first; g < first + n; g++) {
        seL4_Word bit = (seL4_Word)1 << (g % seL4_WordBits);
        bool was = (in_use[g / seL4_WordBits] & bit) != 0;
        if (was == set)
            return false;
        in_use[g / seL4_WordBits] ^= bit;
    }
    return true;
}

/* Splits needed to cut every free block of 2^min_bits bytes or more into 2^min_bits blocks:
 * each takes two slots. */
static size_t splits_down_to(const ut_stats_t *s, size_t min_bits)
{
    size_t n = 0;
    for (size_t b = min_bits; b <= UT_MAX_SIZE_BITS; b++)
        n += (size_t)s->free_blocks[b] * (((size_t)1 << (b - min_bits)) - 1);
    return n;
}

/* The kernel agrees with libut on where a block is: a frame retyped from it has its paddr. */
static void check_paddr(const ut_t *u, seL4_CPtr probe)
{
    seL4_Error err = seL4_Untyped_Retype(u->cap, seL4_ARM_SmallPageObject, 0,
                                         seL4_CapInitThreadCNode, 0, 0, probe, 1);
    if (err != seL4_NoError) {
        ktest_fail(__FILE__, __LINE__, "retype of a frame from block %p: error %d",
                   (void *)u->paddr, err);
        return;
    }
    seL4_ARM_Page_GetAddress_t a = seL4_ARM_Page_GetAddress(probe);
    if (a.error != seL4_NoError || a.paddr != u->paddr)
        ktest_fail(__FILE__, __LINE__, "block at %p: its frame is at %p (error %d)",
                   (void *)u->paddr, (void *)a.paddr, a.error);
    seL4_CNode_Delete(seL4_CapInitThreadCNode, probe, 32);
}

/* Takes a block of 2^bits; false (with nothing recorded) when libut has none. */
static bool take(size_t *n, size_t bits, seL4_CPtr probe)
{
    ut_t *u = ut_alloc(&env_ut, bits);
    if (u == NULL)
        return false;
    if (*n == MAX_BLOCKS) {
        ktest_fail(__FILE__, __LINE__, "more than %u blocks", MAX_BLOCKS);
        (void)ut_free(&env_ut, u);
        return false;
    }
    blocks[(*n)++] = u;
    if (u->size_bits != bits || u->device || (u->paddr & (((seL4_Word)1 << bits) - 1)) != 0)
        ktest_fail(__FILE__, __LINE__, "block %p of 2^%u for 2^%u (device %u)", (void *)u->paddr,
                   u->size_bits, (unsigned)bits, u->device);
    if (!mark(u->paddr, bits, true))
        ktest_fail(__FILE__, __LINE__, "block %p of 2^%u overlaps another or leaves RAM",
                   (void *)u->paddr, (unsigned)bits);
    if (bits >= seL4_PageBits && probe != seL4_CapNull)
        check_paddr(u, probe);
    return true;
}

static void give_back(ut_t *u)
{
    size_t bits = u->size_bits;
    seL4_Word paddr = u->paddr;
    seL4_Error err = ut_free(&env_ut, u);
    if (err != seL4_NoError)
        ktest_fail(__FILE__, __LINE__, "ut_free of %p: error %d", (void *)paddr, err);
    if (!mark(paddr, bits, false))
        ktest_fail(__FILE__, __LINE__, "freed block %p was not marked", (void *)paddr);
}

/* The largest block there was at the start can be had again, and the kernel can retype all of
 * it at once (its watermark is back at the start). */
static void check_largest(const ut_stats_t *s0, seL4_CPtr probe)
{
    ut_t *big = ut_alloc(&env_ut, s0->largest_free);
    if (big == NULL) {
        ktest_fail(__FILE__, __LINE__, "no block of 2^%u: error %d", (unsigned)s0->largest_free,
                   ut_last_error(&env_ut));
        return;
    }
    KCHECK_EQ(big->size_bits, s0->largest_free);
    KCHECK_EQ(seL4_Untyped_Retype(big->cap, seL4_UntypedObject, big->size_bits,
                                  seL4_CapInitThreadCNode, 0, 0, probe, 1),
              seL4_NoError);
    KCHECK_EQ(ut_free(&env_ut, big), seL4_NoError);
    KCHECK_EQ(seL4_DebugCapIdentify(probe), 0); /* revoked with the block */
    ut_stats_t s;
    ut_stats(&env_ut, &s);
    ENV_CHECK_STATS(&s, s0);
}

/* Enough slots for every split down to 4 KiB, taken now, so no CNode comes from libut later. */
static void reserve_for_4k(void)
{
    ut_stats_t s;
    ut_stats(&env_ut, &s);
    env_reserve_slots(2 * splits_down_to(&s, seL4_PageBits));
}

KTEST(all_4k, "USERLIBS0010",
      "libut: all memory in 4 KiB blocks to exhaustion; all freed, back to the start exactly")
{
    reserve_for_4k();
    ut_stats_t s0, s1, s2;
    ut_stats(&env_ut, &s0);
    cspace_stats_t c0 = cspace_stats(&env_root);
    size_t expect = (size_t)(env_free_bytes_from(&s0, seL4_PageBits) >> seL4_PageBits);
    KREQUIRE_EQ(expect <= MAX_BLOCKS, true);
    KREQUIRE_EQ(s0.free_nodes >= 2 * splits_down_to(&s0, seL4_PageBits), true);
    seL4_CPtr probe = ktest_slot();

    size_t n = 0;
    while (take(&n, seL4_PageBits, probe))
        ;
    KCHECK_EQ(ut_last_error(&env_ut), seL4_NotEnoughMemory);
    KCHECK_EQ(n, expect);
    ut_stats(&env_ut, &s1);
    KCHECK_EQ(s1.total_free, s0.total_free - env_free_bytes_from(&s0, seL4_PageBits));
    KCHECK_EQ(env_free_bytes_from(&s1, seL4_PageBits), 0);
    KCHECK_EQ(s1.used_blocks[seL4_PageBits], s0.used_blocks[seL4_PageBits] + n);
    KCHECK_EQ(s1.free_nodes, s0.free_nodes - 2 * splits_down_to(&s0, seL4_PageBits));
    KCHECK_EQ(ut_alloc(&env_ut, seL4_PageBits) == NULL, true);
    KCHECK_EQ(ut_last_error(&env_ut), seL4_NotEnoughMemory);
    cspace_stats_t c1 = cspace_stats(&env_root);
    KCHECK_EQ(c1.leaves, c0.leaves);
    KCHECK_EQ(c1.free, c0.free - 2 * splits_down_to(&s0, seL4_PageBits));
    printf("  %u blocks of 4 KiB (%u KiB), %u slots in use for them\n", (unsigned)n,
           (unsigned)(n * 4), (unsigned)(c0.free - c1.free));

    for (size_t i = 0; i < n; i++)
        give_back(blocks[i]);
    ut_stats(&env_ut, &s2);
    ENV_CHECK_STATS(&s2, &s0);
    KCHECK_EQ(cspace_stats(&env_root).free, c0.free);
    check_largest(&s0, probe);
}

/* Random sizes from 2^10 up to 2^max_bits; a size that fails lowers the ceiling below it, so
 * the loop ends when no block of 2^10 bytes or more is left. Returns the blocks taken. */
static size_t fill_random(size_t *n, seL4_CPtr probe)
{
    size_t before = *n, max_bits = 20;
    while (max_bits >= GRAIN_BITS) {
        size_t bits = GRAIN_BITS + env_random() % (max_bits - GRAIN_BITS + 1);
        if (!take(n, bits, probe)) {
            if (ut_last_error(&env_ut) != seL4_NotEnoughMemory) {
                ktest_fail(__FILE__, __LINE__, "ut_alloc(2^%u): error %d", (unsigned)bits,
                           ut_last_error(&env_ut));
                break;
            }
            max_bits = bits - 1;
        }
    }
    return *n - before;
}

static void shuffle(size_t n)
{
    for (size_t i = n; i > 1; i--) {
        size_t j = env_random() % i;
        ut_t *t = blocks[i - 1];
        blocks[i - 1] = blocks[j];
        blocks[j] = t;
    }
}

KTEST(mixed, "USERLIBS0011",
      "libut: random sizes 2^10..2^20 (xorshift) to exhaustion twice, freed in random order")
{
    reserve_for_4k(); /* more than random sizes of 1 KiB and up can need, see the check below */
    ut_stats_t s0, s1;
    ut_stats(&env_ut, &s0);
    cspace_stats_t c0 = cspace_stats(&env_root);
    seL4_CPtr probe = ktest_slot();
    env_seed(0x5eed1234);

    size_t n = 0;
    size_t first = fill_random(&n, probe);
    ut_stats(&env_ut, &s1);
    KCHECK_EQ(env_free_bytes_from(&s1, GRAIN_BITS), 0);
    KCHECK_EQ(s1.total_free, s0.total_free - env_free_bytes_from(&s0, GRAIN_BITS));

    /* A random half back, then to exhaustion again. */
    shuffle(n);
    size_t half = n / 2;
    for (size_t i = 0; i < half; i++)
        give_back(blocks[i]);
    for (size_t i = half; i < n; i++)
        blocks[i - half] = blocks[i];
    n -= half;
    size_t second = fill_random(&n, probe);
    ut_stats(&env_ut, &s1);
    KCHECK_EQ(env_free_bytes_from(&s1, GRAIN_BITS), 0);
    KCHECK_EQ(s1.total_free, s0.total_free - env_free_bytes_from(&s0, GRAIN_BITS));
    KCHECK_EQ(cspace_stats(&env_root).leaves, c0.leaves);
    printf("  %u blocks, %u freed, %u more; %u slots in use at the end\n", (unsigned)first,
           (unsigned)half, (unsigned)second, (unsigned)(c0.free - cspace_stats(&env_root).free));

    shuffle(n);
    for (size_t i = 0; i < n; i++)
        give_back(blocks[i]);
    ut_stats(&env_ut, &s1);
    ENV_CHECK_STATS(&s1, &s0);
    KCHECK_EQ(cspace_stats(&env_root).free, c0.free);
    KCHECK_EQ(cspace_stats(&env_root).leaves, c0.leaves);
    check_largest(&s0, probe);
}

KTEST(errors, "USERLIBS0012",
      "libut: size and free errors change nothing; ut_free destroys objects made from a block")
{
    ut_stats_t s0, s;
    ut_stats(&env_ut, &s0);
    KCHECK_EQ(ut_alloc(&env_ut, seL4_MinUntypedBits - 1) == NULL, true);
    KCHECK_EQ(ut_last_error(&env_ut), seL4_RangeError);
    KCHECK_EQ(ut_alloc(&env_ut, seL4_MaxUntypedBits + 1) == NULL, true);
    KCHECK_EQ(ut_last_error(&env_ut), seL4_RangeError);
    KCHECK_EQ(ut_free(&env_ut, NULL), seL4_InvalidArgument);

    ut_t *u = ut_alloc(&env_ut, seL4_PageBits);
    KREQUIRE_EQ(u != NULL, true);
    seL4_CPtr a = ktest_slot(), b = ktest_slot();
    KCHECK_EQ(seL4_Untyped_Retype(u->cap, seL4_NotificationObject, 0, seL4_CapInitThreadCNode, 0, 0,
                                  a, 1),
              seL4_NoError);
    KCHECK_EQ(seL4_CNode_Copy(seL4_CapInitThreadCNode, b, 32, seL4_CapInitThreadCNode, a, 32,
                              seL4_AllRights),
              seL4_NoError);
    KCHECK_EQ(seL4_DebugCapIdentify(b), TYPE_NTFN);
    KCHECK_EQ(ut_free(&env_ut, u), seL4_NoError);
    KCHECK_EQ(seL4_DebugCapIdentify(a), 0);
    KCHECK_EQ(seL4_DebugCapIdentify(b), 0);
    KCHECK_EQ(ut_free(&env_ut, u), seL4_InvalidArgument); /* twice */
    ut_stats(&env_ut, &s);
    ENV_CHECK_STATS(&s, &s0);
}

KTEST(device, "USERLIBS0013",
      "libut: a device page (the GPT) cut out of its device Untyped; taken twice, errors")
{
    ut_stats_t s0, s;
    ut_stats(&env_ut, &s0);
    KCHECK_EQ(s0.device_used, 0);
    seL4_CPtr frame = ktest_slot();
    for (int round = 0; round < 2; round++) {
        ut_t *u = ut_alloc_4k_device(&env_ut, GPT_PADDR);
        KREQUIRE_EQ(u != NULL, true);
        KCHECK_EQ(u->paddr, GPT_PADDR);
        KCHECK_EQ(u->size_bits, seL4_PageBits);
        KCHECK_EQ(u->device, 1);
        ut_stats(&env_ut, &s);
        KCHECK_EQ(s.device_used, 1);
        KCHECK_EQ(seL4_Untyped_Retype(u->cap, seL4_ARM_SmallPageObject, 0, seL4_CapInitThreadCNode,
                                      0, 0, frame, 1),
                  seL4_NoError);
        seL4_ARM_Page_GetAddress_t a = seL4_ARM_Page_GetAddress(frame);
        KCHECK_EQ(a.error, seL4_NoError);
        KCHECK_EQ(a.paddr, GPT_PADDR);

        KCHECK_EQ(ut_alloc_4k_device(&env_ut, GPT_PADDR) == NULL, true);
        KCHECK_EQ(ut_last_error(&env_ut), seL4_DeleteFirst);
        KCHECK_EQ(ut_alloc_4k_device(&env_ut, GPT_PADDR + 4) == NULL, true);
        KCHECK_EQ(ut_last_error(&env_ut), seL4_AlignmentError);
        KCHECK_EQ(ut_alloc_4k_device(&env_ut, 0x00A00000u) == NULL, true); /* the GIC: kernel's */
        KCHECK_EQ(ut_last_error(&env_ut), seL4_RangeError);
        KCHECK_EQ(ut_alloc_4k_device(&env_ut, RAM_BASE) == NULL, true); /* RAM is not device */
        KCHECK_EQ(ut_last_error(&env_ut), seL4_RangeError);

        KCHECK_EQ(ut_free(&env_ut, u), seL4_NoError);
        KCHECK_EQ(seL4_DebugCapIdentify(frame), 0);
        ut_stats(&env_ut, &s);
        KCHECK_EQ(s.device_used, 0);
    }
    ut_stats(&env_ut, &s);
    ENV_CHECK_STATS(&s, &s0);
}
