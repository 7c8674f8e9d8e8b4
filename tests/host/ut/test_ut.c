/*
 * Host unit tests for libut against the fake kernel. Each case builds a fresh kernel and
 * allocator from the same bootinfo, so cases are independent.
 */
#include "../check.h"
#include "fake_kernel.h"

#include <ut/ut.h>

#define ROOT_BITS  14
#define FIRST_FREE 64 /* like bootinfo->empty.start */
#define N_SLOTS    (1u << ROOT_BITS)
#define N_NODES    2048

#define RAM0      0x10000000u /* 1 MiB */
#define RAM1      0x10100000u /* 64 KiB */
#define RAM2      0x10110000u /* 4 KiB */
#define DEV_BIG   0x02000000u /* 1 MiB of device registers (UART1 at 0x02020000) */
#define DEV_GIC   0x00A00000u /* 8 KiB */
#define DEV_TINY  0x00900000u /* 1 KiB: smaller than a page */
#define TOTAL_RAM ((1u << 20) + (1u << 16) + (1u << 12))
#define UT_SLOT   20 /* bootinfo->untyped.start */

static seL4_BootInfo bi;
static ut_allocator_t ua;
static ut_t nodes[N_NODES];

/* ---- the test's slot allocator: root CNode slots FIRST_FREE..N_SLOTS-1 ---- */

static struct {
    bool used[N_SLOTS];
    unsigned n_used;
    unsigned fail_at; /* the fail_at-th call from setup fails (0: never) */
    unsigned calls;
    unsigned bad_frees; /* frees of a slot not allocated, or still holding a cap */
    bool nested_alloc;  /* on the next call, ut_alloc from inside the callback */
    ut_t *nested;
} sa;

static seL4_CPtr sa_alloc(void *cookie)
{
    (void)cookie;
    sa.calls++;
    if (sa.fail_at != 0 && sa.calls == sa.fail_at)
        return seL4_CapNull;
    if (sa.nested_alloc) {
        sa.nested_alloc = false;
        sa.nested = ut_alloc(&ua, 12);
    }
    for (seL4_CPtr s = FIRST_FREE; s < N_SLOTS; s++) {
        if (!sa.used[s]) {
            sa.used[s] = true;
            sa.n_used++;
            return s;
        }
    }
    return seL4_CapNull;
}

static void sa_free(void *cookie, seL4_CPtr slot)
{
    (void)cookie;
    const fk_cap_t *c = fk_lookup(slot);
    if (slot >= N_SLOTS || !sa.used[slot] || c == NULL || c->type != FK_NULL) {
        sa.bad_frees++;
        return;
    }
    sa.used[slot] = false;
    sa.n_used--;
}

/* ---- kernel ops onto the fake, for a one-level root CNode ---- */

static seL4_Error k_retype(void *cookie, seL4_CPtr untyped, seL4_Word type, seL4_Word size_bits,
                           seL4_CPtr dest)
{
    (void)cookie;
    return fk_untyped_retype(untyped, type, size_bits, seL4_CapInitThreadCNode, 0, 0, dest, 1);
}

static seL4_Error k_revoke(void *cookie, seL4_CPtr cap)
{
    (void)cookie;
    return fk_cnode_revoke(seL4_CapInitThreadCNode, cap, seL4_WordBits);
}

static seL4_Error k_delete(void *cookie, seL4_CPtr cap)
{
    (void)cookie;
    return fk_cnode_delete(seL4_CapInitThreadCNode, cap, seL4_WordBits);
}

static void add_desc(seL4_Word paddr, unsigned bits, bool device)
{
    seL4_Word i = bi.untyped.end - bi.untyped.start;
    bi.untypedList[i].paddr = paddr;
    bi.untypedList[i].sizeBits = (seL4_Uint8)bits;
    bi.untypedList[i].isDevice = device;
    fk_give_untyped(bi.untyped.end, paddr, bits, device);
    bi.untyped.end++;
}

/* A fresh kernel holding the test's untypeds and an empty allocator over n_nodes nodes. */
static void setup_nodes(size_t n_nodes)
{
    fk_init(ROOT_BITS);
    memset(&sa, 0, sizeof(sa));
    memset(&bi, 0, sizeof(bi));
    bi.initThreadCNodeSizeBits = ROOT_BITS;
    bi.empty.start = FIRST_FREE;
    bi.empty.end = N_SLOTS;
    bi.untyped.start = bi.untyped.end = UT_SLOT;
    add_desc(RAM0, 20, false);
    add_desc(RAM1, 16, false);
    add_desc(RAM2, 12, false);
    add_desc(DEV_BIG, 20, true);
    add_desc(DEV_GIC, 13, true);
    add_desc(DEV_TINY, 10, true);
    ut_kernel_ops_t k = {NULL, k_retype, k_revoke, k_delete};
    ut_slot_ops_t s = {NULL, sa_alloc, sa_free};
    ut_init(&ua, nodes, n_nodes, k, s);
}

/* setup_nodes with plenty of nodes, fed from bootinfo. */
static void setup(void)
{
    setup_nodes(N_NODES);
    CHECK_EQ(ut_add_bootinfo(&ua, &bi), seL4_NoError);
}

/* Stands in for a slot that does not resolve, so that checks fail instead of crashing. */
static const fk_cap_t unresolved = {.type = FK_NO_SLOT};

/* The cap at a depth-32 CPtr of the root server's CSpace. */
static const fk_cap_t *at(seL4_CPtr cptr)
{
    const fk_cap_t *c = fk_lookup(cptr);
    return c != NULL ? c : &unresolved;
}

/* The fake holds an untyped of exactly this block at its cap. */
static bool cap_matches(const ut_t *u)
{
    const fk_cap_t *c = fk_lookup(u->cap);
    return c != NULL && c->type == FK_UNTYPED && c->paddr == u->paddr &&
           c->size_bits == u->size_bits;
}

/*
 * Back to the start: every slot the allocator took is free again and empty in the kernel, each
 * original untyped has no children (it is whole), and the counters are the initial ones.
 */
static void check_pristine(void)
{
    CHECK_EQ(sa.n_used, 0);
    CHECK_EQ(sa.bad_frees, 0);
    unsigned nonempty = 0;
    for (seL4_CPtr s = FIRST_FREE; s < N_SLOTS; s++)
        nonempty += at(s)->type != FK_NULL;
    CHECK_EQ(nonempty, 0);
    for (seL4_CPtr s = bi.untyped.start; s < bi.untyped.end; s++)
        CHECK_EQ(fk_children(s), 0);
    CHECK_EQ(fk_count(FK_UNTYPED), 6);
    ut_stats_t st;
    ut_stats(&ua, &st);
    for (unsigned b = 0; b <= UT_MAX_SIZE_BITS; b++) {
        unsigned expect = b == 20 || b == 16 || b == 12;
        if (st.free_blocks[b] != expect || st.used_blocks[b] != 0)
            CHECK_FAILED("size class %u: %u free, %u used", b, st.free_blocks[b],
                         st.used_blocks[b]);
    }
    CHECK_EQ(st.total_free, TOTAL_RAM);
    CHECK_EQ(st.total_used, 0);
    CHECK_EQ(st.device_used, 0);
    CHECK_EQ(st.free_nodes, N_NODES - 6);
}

/* ---- cases ---- */

TEST(ut_init_bootinfo, "bootinfo untypeds: normal ones free by size, device ones kept apart")
{
    setup();
    ut_stats_t st;
    ut_stats(&ua, &st);
    CHECK_EQ(st.free_blocks[20], 1);
    CHECK_EQ(st.free_blocks[16], 1);
    CHECK_EQ(st.free_blocks[12], 1);
    CHECK_EQ(st.free_blocks[13], 0); /* the device GIC block is not normal memory */
    CHECK_EQ(st.free_bytes[20], 1u << 20);
    CHECK_EQ(st.total_free, TOTAL_RAM);
    CHECK_EQ(st.largest_free, 20);
    CHECK_EQ(st.free_nodes, N_NODES - 6);
    CHECK_EQ(ut_size(&ua), TOTAL_RAM);
    CHECK_EQ(fk_calls(FK_OP_RETYPE), 0);
    check_pristine();
    fk_fini();
}

TEST(ut_add_errors, "ut_add_untyped rejects bad sizes, alignment, null caps and overlaps")
{
    setup_nodes(N_NODES);
    CHECK_EQ(ut_add_untyped(&ua, RAM0, UT_SLOT, 20, false), seL4_NoError);
    CHECK_EQ(ut_add_untyped(&ua, 0x20000000, 40, 3, false), seL4_RangeError);
    CHECK_EQ(ut_add_untyped(&ua, 0x20000000, 40, 30, false), seL4_RangeError);
    CHECK_EQ(ut_add_untyped(&ua, 0x20000800, 40, 12, false), seL4_AlignmentError);
    CHECK_EQ(ut_add_untyped(&ua, 0x20000000, seL4_CapNull, 12, false), seL4_InvalidArgument);
    CHECK_EQ(ut_add_untyped(&ua, RAM0 + 0x1000, 40, 12, false), seL4_InvalidArgument);
    CHECK_EQ(ut_add_untyped(&ua, RAM0 - 0x100000, 40, 21, false), seL4_AlignmentError);
    CHECK_EQ(ut_add_untyped(&ua, 0x0FE00000, 40, 21, false), seL4_NoError); /* just below */
    CHECK_EQ(ut_last_error(&ua), seL4_NoError);
    ut_stats_t st;
    ut_stats(&ua, &st);
    CHECK_EQ(st.total_free, (1u << 20) + (1u << 21));
    CHECK_EQ(st.free_nodes, N_NODES - 2);
    fk_fini();
}

TEST(ut_add_range, "ut_add_untyped_range adds consecutive caps and addresses")
{
    setup_nodes(N_NODES);
    CHECK_EQ(ut_add_untyped_range(&ua, 0x20000000, 100, 8, 12, false), seL4_NoError);
    ut_stats_t st;
    ut_stats(&ua, &st);
    CHECK_EQ(st.free_blocks[12], 8);
    CHECK_EQ(ut_size(&ua), 8 * 4096);
    ut_t *u = ut_alloc(&ua, 12);
    CHECK(u != NULL && u->paddr >= 0x20000000 && u->paddr < 0x20008000);
    CHECK(u != NULL && u->cap == 100 + ((u->paddr - 0x20000000) >> 12));
    CHECK_EQ(ut_add_untyped_range(&ua, 0xFFFFF000, 200, 2, 12, false), seL4_RangeError);
    CHECK_EQ(ut_add_untyped_range(&ua, 0x30000000, 200, 2, 2, false), seL4_RangeError);
    fk_fini();
}

TEST(ut_bootinfo_too_many, "ut_add_bootinfo rejects an untyped region larger than the list")
{
    setup_nodes(N_NODES);
    bi.untyped.end = bi.untyped.start + CONFIG_MAX_NUM_BOOTINFO_UNTYPED_CAPS + 1;
    CHECK_EQ(ut_add_bootinfo(&ua, &bi), seL4_RangeError);
    CHECK_EQ(ut_size(&ua), 0);
    fk_fini();
}

TEST(ut_exact_fit, "a request matching a free block hands it out without a retype")
{
    setup();
    ut_t *u = ut_alloc(&ua, 16);
    CHECK(u != NULL);
    if (u == NULL)
        return;
    CHECK_EQ(u->paddr, RAM1);
    CHECK_EQ(u->cap, UT_SLOT + 1);
    CHECK_EQ(u->size_bits, 16);
    CHECK_EQ(fk_calls(FK_OP_RETYPE), 0);
    CHECK_EQ(sa.n_used, 0);
    CHECK_EQ(ut_free(&ua, u), seL4_NoError);
    CHECK_EQ(fk_calls(FK_OP_REVOKE), 1); /* the freed block's own cap */
    check_pristine();
    fk_fini();
}

TEST(ut_split, "splitting 1 MiB down to 4 KiB retypes two halves per level, in address order")
{
    setup();
    ut_t *r2 = ut_alloc(&ua, 12); /* takes the lone 4 KiB block */
    ut_t *u = ut_alloc(&ua, 12);  /* smallest larger block: 64 KiB */
    ut_t *v = ut_alloc(&ua, 17);  /* 1 MiB -> 512 KiB -> 256 KiB -> 128 KiB */
    CHECK(r2 != NULL && u != NULL && v != NULL);
    if (r2 == NULL || u == NULL || v == NULL)
        return;
    CHECK_EQ(r2->paddr, RAM2);
    CHECK_EQ(u->paddr, RAM1);
    CHECK_EQ(u->size_bits, 12);
    CHECK_EQ(v->paddr, RAM0);
    CHECK_EQ(v->size_bits, 17);
    CHECK_EQ(fk_calls(FK_OP_RETYPE), 2 * (16 - 12) + 2 * (20 - 17));
    CHECK_EQ(sa.n_used, 2 * (16 - 12) + 2 * (20 - 17));
    CHECK(cap_matches(u));
    CHECK(cap_matches(v));
    /* The kernel's tree is the buddy tree: each split parent has exactly two children. */
    CHECK_EQ(fk_children(UT_SLOT), 2);
    CHECK_EQ(fk_children(UT_SLOT + 1), 2);
    CHECK_EQ(fk_children(UT_SLOT + 2), 0);
    CHECK_EQ(at(u->cap)->device, false);

    ut_stats_t st;
    ut_stats(&ua, &st);
    for (unsigned b = 12; b < 16; b++)
        CHECK_EQ(st.free_blocks[b], 1); /* the upper halves left over */
    CHECK_EQ(st.free_blocks[17], 1);
    CHECK_EQ(st.free_blocks[18], 1);
    CHECK_EQ(st.free_blocks[19], 1);
    CHECK_EQ(st.used_blocks[12], 2);
    CHECK_EQ(st.used_blocks[17], 1);
    CHECK_EQ(st.free_nodes, N_NODES - 6 - 2 * 7);

    CHECK_EQ(ut_free(&ua, v), seL4_NoError);
    CHECK_EQ(ut_free(&ua, u), seL4_NoError);
    CHECK_EQ(ut_free(&ua, r2), seL4_NoError);
    check_pristine();
    fk_fini();
}

TEST(ut_coalesce_buddies, "a block merges only once its buddy is free, recursively")
{
    setup();
    ut_t *a = ut_alloc(&ua, 18); /* RAM0 + 0 */
    ut_t *b = ut_alloc(&ua, 18); /* RAM0 + 256 KiB: a's buddy */
    ut_t *c = ut_alloc(&ua, 19); /* RAM0 + 512 KiB */
    CHECK(a != NULL && b != NULL && c != NULL);
    if (a == NULL || b == NULL || c == NULL)
        return;
    CHECK_EQ(a->paddr, RAM0);
    CHECK_EQ(b->paddr, RAM0 + (1u << 18));
    CHECK_EQ(c->paddr, RAM0 + (1u << 19));
    ut_stats_t st;

    CHECK_EQ(ut_free(&ua, a), seL4_NoError);
    ut_stats(&ua, &st);
    CHECK_EQ(st.free_blocks[18], 1); /* a stays on its own: b is in use */
    CHECK_EQ(fk_children(UT_SLOT), 2);

    CHECK_EQ(ut_free(&ua, c), seL4_NoError);
    ut_stats(&ua, &st);
    CHECK_EQ(st.free_blocks[19], 1);
    CHECK_EQ(st.free_blocks[20], 0);

    unsigned revokes = fk_calls(FK_OP_REVOKE);
    CHECK_EQ(ut_free(&ua, b), seL4_NoError);       /* b + a -> 512 KiB, + c -> 1 MiB */
    CHECK_EQ(fk_calls(FK_OP_REVOKE) - revokes, 3); /* b itself, then two parents */
    ut_stats(&ua, &st);
    CHECK_EQ(st.free_blocks[18], 0);
    CHECK_EQ(st.free_blocks[19], 0);
    CHECK_EQ(st.free_blocks[20], 1);
    CHECK_EQ(st.largest_free, 20);
    check_pristine();
    fk_fini();
}

TEST(ut_exhaust_4k, "4 KiB blocks until exhaustion, free all, then the 1 MiB block again")
{
    setup();
    static ut_t *got[512];
    static bool seen[512];
    memset(seen, 0, sizeof(seen));
    size_t n = 0;
    for (;;) {
        ut_t *u = ut_alloc(&ua, 12);
        if (u == NULL)
            break;
        CHECK(n < 512);
        if (n >= 512)
            return;
        got[n++] = u;
    }
    CHECK_EQ(ut_last_error(&ua), seL4_NotEnoughMemory);
    CHECK_EQ(n, TOTAL_RAM / 4096);
    bool all_match = true;
    for (size_t i = 0; i < n; i++) {
        size_t idx;
        if (got[i]->paddr >= RAM0 && got[i]->paddr < RAM2 + 4096)
            idx = (got[i]->paddr - RAM0) >> 12;
        else
            idx = 511;
        CHECK(idx < 273 && !seen[idx]);
        seen[idx] = true;
        all_match = all_match && cap_matches(got[i]) && got[i]->size_bits == 12;
    }
    CHECK(all_match);
    ut_stats_t st;
    ut_stats(&ua, &st);
    CHECK_EQ(st.total_free, 0);
    CHECK_EQ(st.total_used, TOTAL_RAM);
    CHECK_EQ(st.largest_free, 0);
    CHECK(ut_alloc(&ua, 4) == NULL);
    CHECK_EQ(ut_last_error(&ua), seL4_NotEnoughMemory);

    for (size_t i = 0; i < n; i++)
        CHECK_EQ(ut_free(&ua, got[(i * 5) % n]), seL4_NoError); /* 5 is coprime to 273 */
    check_pristine();
    ut_t *big = ut_alloc(&ua, 20);
    CHECK(big != NULL && big->paddr == RAM0 && big->cap == UT_SLOT);
    CHECK_EQ(ut_free(&ua, big), seL4_NoError);
    fk_fini();
}

static uint32_t rng_state;

static uint32_t xorshift32(void)
{
    uint32_t x = rng_state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return rng_state = x;
}

TEST(ut_random_mixed, "mixed sizes in random order (fixed seed): no overlap, exact counters")
{
    setup();
    enum { MAX_LIVE = 300, STEPS = 3000 };
    static ut_t *live[MAX_LIVE];
    size_t n_live = 0;
    uint64_t used = 0;
    unsigned fails = 0, bad = 0;
    rng_state = 0x9E3779B9u;
    for (int step = 0; step < STEPS; step++) {
        uint32_t r = xorshift32();
        if (n_live > 0 && (r % 3 == 0 || n_live == MAX_LIVE)) {
            size_t i = (r >> 8) % n_live;
            used -= (uint64_t)1 << live[i]->size_bits;
            if (ut_free(&ua, live[i]) != seL4_NoError)
                bad++;
            live[i] = live[--n_live];
            continue;
        }
        size_t bits = 4 + (r >> 4) % 13; /* 16 B .. 64 KiB */
        ut_t *u = ut_alloc(&ua, bits);
        if (u == NULL) {
            fails++;
            if (ut_last_error(&ua) != seL4_NotEnoughMemory)
                bad++;
            continue;
        }
        uint64_t lo = u->paddr, hi = lo + ((uint64_t)1 << bits);
        if (u->size_bits != bits || (lo & (((uint64_t)1 << bits) - 1)) || !cap_matches(u))
            bad++;
        if (lo < RAM0 || hi > RAM2 + 4096)
            bad++; /* never device memory */
        for (size_t j = 0; j < n_live; j++) {
            uint64_t jl = live[j]->paddr, jh = jl + ((uint64_t)1 << live[j]->size_bits);
            if (lo < jh && jl < hi)
                bad++;
        }
        live[n_live++] = u;
        used += (uint64_t)1 << bits;
        ut_stats_t st;
        ut_stats(&ua, &st);
        if (st.total_used != used || st.total_free + st.total_used != TOTAL_RAM)
            bad++;
    }
    CHECK_EQ(bad, 0);
    CHECK(fails > 0); /* the run did reach exhaustion */
    while (n_live > 0)
        CHECK_EQ(ut_free(&ua, live[--n_live]), seL4_NoError);
    check_pristine();
    fk_fini();
}

TEST(ut_stats_exact, "statistics: per-class free/used bytes and the largest free block")
{
    setup();
    ut_t *a = ut_alloc(&ua, 4);  /* from the 4 KiB block: 4 KiB -> 16 B */
    ut_t *b = ut_alloc(&ua, 14); /* from the 64 KiB block */
    ut_t *c = ut_alloc(&ua, 20); /* the whole 1 MiB */
    CHECK(a != NULL && b != NULL && c != NULL);
    if (a == NULL || b == NULL || c == NULL)
        return;
    ut_stats_t st;
    ut_stats(&ua, &st);
    for (unsigned k = 4; k < 12; k++) {
        CHECK_EQ(st.free_blocks[k], 1);
        CHECK_EQ(st.free_bytes[k], 1u << k);
    }
    CHECK_EQ(st.free_blocks[14], 1);
    CHECK_EQ(st.free_blocks[15], 1);
    CHECK_EQ(st.free_bytes[15], 1u << 15);
    CHECK_EQ(st.used_blocks[4], 1);
    CHECK_EQ(st.used_bytes[4], 16);
    CHECK_EQ(st.used_bytes[14], 1u << 14);
    CHECK_EQ(st.used_bytes[20], 1u << 20);
    CHECK_EQ(st.total_used, 16 + (1u << 14) + (1u << 20));
    CHECK_EQ(st.total_free, TOTAL_RAM - st.total_used);
    CHECK_EQ(st.largest_free, 15);
    CHECK_EQ(st.free_nodes, N_NODES - 6 - 2 * 8 - 2 * 2);
    CHECK_EQ(ut_free(&ua, c), seL4_NoError);
    ut_stats(&ua, &st);
    CHECK_EQ(st.largest_free, 20);
    CHECK_EQ(ut_free(&ua, a), seL4_NoError);
    CHECK_EQ(ut_free(&ua, b), seL4_NoError);
    check_pristine();
    fk_fini();
}

TEST(ut_size_errors, "sizes outside 2^4..2^29 are RangeError; too large for memory is NotEnough")
{
    setup();
    CHECK(ut_alloc(&ua, 3) == NULL);
    CHECK_EQ(ut_last_error(&ua), seL4_RangeError);
    CHECK(ut_alloc(&ua, 30) == NULL);
    CHECK_EQ(ut_last_error(&ua), seL4_RangeError);
    CHECK(ut_alloc(&ua, 21) == NULL);
    CHECK_EQ(ut_last_error(&ua), seL4_NotEnoughMemory);
    seL4_Word pa = 0;
    ut_t *u = ut_alloc_4k_untyped(&ua, &pa);
    CHECK(u != NULL && pa == u->paddr && pa == RAM2);
    CHECK_EQ(ut_last_error(&ua), seL4_NoError);
    CHECK_EQ(ut_free(&ua, u), seL4_NoError);
    check_pristine();
    fk_fini();
}

TEST(ut_device, "device pages by paddr: exact 4 KiB retype, errors for bad paddrs, whole again")
{
    setup();
    ut_t *uart = ut_alloc_4k_device(&ua, 0x02020000);
    CHECK(uart != NULL);
    if (uart == NULL)
        return;
    CHECK_EQ(uart->paddr, 0x02020000);
    CHECK_EQ(uart->size_bits, 12);
    CHECK(cap_matches(uart));
    CHECK_EQ(at(uart->cap)->device, true);
    CHECK_EQ(fk_calls(FK_OP_RETYPE), 2 * (20 - 12));

    CHECK(ut_alloc_4k_device(&ua, 0x02020000) == NULL);
    CHECK_EQ(ut_last_error(&ua), seL4_DeleteFirst);
    CHECK(ut_alloc_4k_device(&ua, 0x02020004) == NULL);
    CHECK_EQ(ut_last_error(&ua), seL4_AlignmentError);
    CHECK(ut_alloc_4k_device(&ua, 0x30000000) == NULL);
    CHECK_EQ(ut_last_error(&ua), seL4_RangeError);
    CHECK(ut_alloc_4k_device(&ua, RAM0) == NULL); /* normal memory is not device memory */
    CHECK_EQ(ut_last_error(&ua), seL4_RangeError);
    CHECK(ut_alloc_4k_device(&ua, DEV_TINY) == NULL); /* smaller than a page */
    CHECK_EQ(ut_last_error(&ua), seL4_RangeError);

    unsigned retypes = fk_calls(FK_OP_RETYPE);
    ut_t *epit = ut_alloc_4k_device(&ua, 0x020D0000);
    ut_t *next = ut_alloc_4k_device(&ua, 0x02021000); /* uart's buddy: no retype needed */
    ut_t *gic = ut_alloc_4k_device(&ua, DEV_GIC + 0x1000);
    CHECK(epit != NULL && next != NULL && gic != NULL);
    if (epit == NULL || next == NULL || gic == NULL)
        return;
    CHECK_EQ(next->paddr, 0x02021000);
    CHECK_EQ(gic->paddr, DEV_GIC + 0x1000);
    CHECK(cap_matches(epit) && cap_matches(next) && cap_matches(gic));
    /* EPIT1 is in the upper 512 KiB, already split off: 7 splits; uart's buddy needs none;
     * the 8 KiB GIC block one. */
    CHECK_EQ(fk_calls(FK_OP_RETYPE) - retypes, 2 * 7 + 0 + 2 * 1);

    ut_stats_t st;
    ut_stats(&ua, &st);
    CHECK_EQ(st.device_used, 4);
    CHECK_EQ(st.total_used, 0); /* device memory is not in the normal counters */
    CHECK_EQ(st.total_free, TOTAL_RAM);

    CHECK_EQ(ut_free(&ua, uart), seL4_NoError);
    CHECK_EQ(ut_free(&ua, gic), seL4_NoError);
    CHECK_EQ(ut_free(&ua, next), seL4_NoError);
    CHECK_EQ(ut_free(&ua, epit), seL4_NoError);
    check_pristine();
    /* And the page can be had again. */
    uart = ut_alloc_4k_device(&ua, 0x02020000);
    CHECK(uart != NULL && cap_matches(uart));
    fk_fini();
}

TEST(ut_device_not_normal, "ut_alloc never hands out device memory, even when RAM runs out")
{
    setup();
    ut_t *a = ut_alloc(&ua, 20), *b = ut_alloc(&ua, 16), *c = ut_alloc(&ua, 12);
    CHECK(a != NULL && b != NULL && c != NULL);
    CHECK(ut_alloc(&ua, 12) == NULL);
    CHECK_EQ(ut_last_error(&ua), seL4_NotEnoughMemory);
    CHECK_EQ(fk_calls(FK_OP_RETYPE), 0);
    CHECK_EQ(ut_free(&ua, a), seL4_NoError);
    CHECK_EQ(ut_free(&ua, b), seL4_NoError);
    CHECK_EQ(ut_free(&ua, c), seL4_NoError);
    check_pristine();
    fk_fini();
}

TEST(ut_nodes_exhausted, "out of metadata nodes: clean NotEnoughMemory, more nodes fix it")
{
    setup_nodes(3);
    CHECK_EQ(ut_add_untyped(&ua, RAM1, UT_SLOT + 1, 16, false), seL4_NoError);
    static ut_t extra[64];
    /* 64 KiB -> 4 KiB needs 8 nodes; there are 2. */
    CHECK(ut_alloc(&ua, 12) == NULL);
    CHECK_EQ(ut_last_error(&ua), seL4_NotEnoughMemory);
    ut_stats_t st;
    ut_stats(&ua, &st);
    CHECK_EQ(st.free_blocks[16], 1);
    CHECK_EQ(st.free_blocks[15], 0);
    CHECK_EQ(st.free_nodes, 2);
    CHECK_EQ(sa.n_used, 0);
    CHECK_EQ(fk_children(UT_SLOT + 1), 0);
    /* One split is possible, and is all a 32 KiB request needs. */
    ut_t *u = ut_alloc(&ua, 15);
    CHECK(u != NULL && u->paddr == RAM1);
    CHECK_EQ(ut_add_untyped(&ua, RAM2, UT_SLOT + 2, 12, false), seL4_NotEnoughMemory);
    ut_add_nodes(&ua, extra, 64);
    CHECK_EQ(ut_add_untyped(&ua, RAM2, UT_SLOT + 2, 12, false), seL4_NoError);
    ut_t *v = ut_alloc(&ua, 4); /* the smallest block that fits is the new 4 KiB one */
    CHECK(v != NULL && v->paddr == RAM2);
    CHECK_EQ(ut_free(&ua, u), seL4_NoError);
    CHECK_EQ(ut_free(&ua, v), seL4_NoError);
    ut_stats(&ua, &st);
    CHECK_EQ(st.free_blocks[16], 1);
    CHECK_EQ(st.free_blocks[12], 1);
    CHECK_EQ(st.free_nodes, 2 + 64 - 1);
    CHECK_EQ(sa.n_used, 0);
    fk_fini();
}

TEST(ut_slots_exhausted, "no slot for a split: the earlier splits are undone, nothing changes")
{
    setup();
    sa.fail_at = 5; /* third split's first slot */
    CHECK(ut_alloc(&ua, 17) == NULL);
    CHECK_EQ(ut_last_error(&ua), seL4_NotEnoughMemory);
    check_pristine();
    CHECK_EQ(fk_calls(FK_OP_RETYPE), 4);
    sa.fail_at = sa.calls + 2; /* second slot of the next split */
    CHECK(ut_alloc(&ua, 19) == NULL);
    CHECK_EQ(ut_last_error(&ua), seL4_NotEnoughMemory);
    check_pristine();
    fk_fini();
}

TEST(ut_retype_fails, "a failed retype (either half) is undone and reported, nothing changes")
{
    setup();
    fk_fail_at(FK_OP_RETYPE, 3, seL4_NotEnoughMemory); /* second split, lower half */
    CHECK(ut_alloc(&ua, 18) == NULL);
    CHECK_EQ(ut_last_error(&ua), seL4_NotEnoughMemory);
    check_pristine();
    fk_fail_at(FK_OP_RETYPE, 4, seL4_AlignmentError); /* second split, upper half */
    unsigned deletes = fk_calls(FK_OP_DELETE);
    CHECK(ut_alloc(&ua, 18) == NULL);
    CHECK_EQ(ut_last_error(&ua), seL4_AlignmentError);
    CHECK_EQ(fk_calls(FK_OP_DELETE) - deletes, 1); /* the lone lower half */
    check_pristine();
    ut_t *u = ut_alloc(&ua, 18); /* and the kernel lets it all happen again */
    CHECK(u != NULL && cap_matches(u) && u->paddr == RAM0);
    CHECK_EQ(ut_free(&ua, u), seL4_NoError);
    check_pristine();
    fk_fini();
}

TEST(ut_free_errors, "ut_free: NULL and double free are InvalidArgument; a failed revoke keeps it")
{
    setup();
    CHECK_EQ(ut_free(&ua, NULL), seL4_InvalidArgument);
    ut_t *u = ut_alloc(&ua, 12);
    ut_t *w = ut_alloc(&ua, 12);
    CHECK(u != NULL && w != NULL);
    if (u == NULL || w == NULL)
        return;
    fk_fail_at(FK_OP_REVOKE, 1, seL4_FailedLookup);
    CHECK_EQ(ut_free(&ua, u), seL4_FailedLookup);
    CHECK_EQ(ut_last_error(&ua), seL4_FailedLookup);
    ut_stats_t st;
    ut_stats(&ua, &st);
    CHECK_EQ(st.used_blocks[12], 2);
    CHECK_EQ(ut_free(&ua, u), seL4_NoError);
    CHECK_EQ(ut_free(&ua, u), seL4_InvalidArgument); /* u was the 4 KiB root: still a node */
    CHECK_EQ(ut_free(&ua, w), seL4_NoError);
    CHECK_EQ(ut_free(&ua, w), seL4_InvalidArgument); /* merged away: back in the pool */
    check_pristine();
    fk_fini();
}

TEST(ut_coalesce_revoke_fails, "a failed merge leaves both halves free and usable")
{
    setup();
    ut_t *a = ut_alloc(&ua, 15); /* 64 KiB -> 32 + 32 */
    CHECK(a != NULL && a->paddr == RAM1);
    if (a == NULL)
        return;
    fk_fail_at(FK_OP_REVOKE, 2, seL4_IllegalOperation); /* the merge, after a's own revoke */
    CHECK_EQ(ut_free(&ua, a), seL4_NoError);
    ut_stats_t st;
    ut_stats(&ua, &st);
    CHECK_EQ(st.free_blocks[15], 2);
    CHECK_EQ(st.free_blocks[16], 0);
    ut_t *b = ut_alloc(&ua, 15);
    CHECK(b != NULL && cap_matches(b));
    CHECK_EQ(ut_free(&ua, b), seL4_NoError); /* merges this time */
    check_pristine();
    fk_fini();
}

TEST(ut_free_kills_objects, "ut_free revokes objects made from the block, so it is reusable")
{
    setup();
    seL4_CPtr frame = sa_alloc(NULL);
    ut_t *u = ut_alloc(&ua, 12);
    CHECK(u != NULL);
    if (u == NULL)
        return;
    CHECK_EQ(k_retype(NULL, u->cap, seL4_ARM_SmallPageObject, 0, frame), seL4_NoError);
    CHECK_EQ(at(frame)->type, FK_FRAME);
    CHECK_EQ(ut_free(&ua, u), seL4_NoError);
    CHECK_EQ(at(frame)->type, FK_NULL);
    ut_t *v = ut_alloc(&ua, 12); /* the same block, with its watermark reset */
    CHECK(v == u);
    CHECK_EQ(k_retype(NULL, u->cap, seL4_ARM_SmallPageObject, 0, frame), seL4_NoError);
    CHECK_EQ(ut_free(&ua, v), seL4_NoError);
    CHECK_EQ(at(frame)->type, FK_NULL);
    sa_free(NULL, frame);
    check_pristine();
    fk_fini();
}

TEST(ut_reentrant_slot_callback, "the slot callback may call ut_alloc itself (a CSpace growing)")
{
    setup();
    ut_t *x = ut_alloc(&ua, 12); /* the lone 4 KiB block, so the nested call must split too */
    CHECK(x != NULL && x->paddr == RAM2);
    sa.nested_alloc = true;
    /* The outer call wants to split 64 KiB; while it takes its first slot, the nested call
     * splits that same block down to 4 KiB, after which the outer call finds a free 8 KiB
     * block, gives its slots back and splits nothing. */
    ut_t *u = ut_alloc(&ua, 13);
    CHECK(u != NULL && sa.nested != NULL);
    if (x == NULL || u == NULL || sa.nested == NULL)
        return;
    CHECK(cap_matches(u) && cap_matches(sa.nested));
    CHECK_EQ(sa.nested->paddr, RAM1);
    CHECK_EQ(u->paddr, RAM1 + 0x2000);
    CHECK_EQ(fk_calls(FK_OP_RETYPE), 2 * 4);
    CHECK_EQ(sa.n_used, 2 * 4);
    CHECK_EQ(ut_free(&ua, u), seL4_NoError);
    CHECK_EQ(ut_free(&ua, sa.nested), seL4_NoError);
    CHECK_EQ(ut_free(&ua, x), seL4_NoError);
    check_pristine();
    fk_fini();
}

int main(void)
{
    RUN(ut_init_bootinfo);
    RUN(ut_add_errors);
    RUN(ut_add_range);
    RUN(ut_bootinfo_too_many);
    RUN(ut_exact_fit);
    RUN(ut_split);
    RUN(ut_coalesce_buddies);
    RUN(ut_exhaust_4k);
    RUN(ut_random_mixed);
    RUN(ut_stats_exact);
    RUN(ut_size_errors);
    RUN(ut_device);
    RUN(ut_device_not_normal);
    RUN(ut_nodes_exhausted);
    RUN(ut_slots_exhausted);
    RUN(ut_retype_fails);
    RUN(ut_free_errors);
    RUN(ut_coalesce_revoke_fails);
    RUN(ut_free_kills_objects);
    RUN(ut_reentrant_slot_callback);
    return check_summary();
}
