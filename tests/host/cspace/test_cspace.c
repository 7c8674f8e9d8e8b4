/*
 * Host unit tests for libcspace against the fake kernel. The root server is wired as it will be
 * on the target: libut hands out the 4 KiB untypeds for CNodes, and takes the slots for its
 * split halves from the root CSpace through cspace_alloc_slot_cb, with its kernel calls made
 * through cspace_untyped_retype / cspace_revoke / cspace_delete.
 */
#include "../check.h"
#include "../ut/fake_kernel.h"

#include <cspace/cspace.h>
#include <ut/ut.h>

#define ROOT_BITS   12
#define FIRST_FREE  64
#define N_ROOT      (1u << ROOT_BITS)
#define UT_SLOT     20
#define EP_SLOT     60 /* an endpoint the root server holds (outside bootinfo->empty) */
#define FRAME_A     61
#define FRAME_B     62
#define N_RECORDS   512
#define ROOT_LEAVES (N_ROOT / CSPACE_NODE_SLOTS)

static seL4_BootInfo bi;
static ut_allocator_t ua;
static ut_t ut_nodes[4096];
static cspace_pool_t pool;
static cspace_leaf_t records[N_RECORDS];
static cspace_t root;

/* ---- the CNode allocator: libut, with failure injection ---- */

static struct {
    unsigned calls, fail_at;
    unsigned outstanding;
    unsigned bad_frees;
    cspace_t *grab_from; /* take a slot from this CSpace inside alloc_4k (re-entrancy) */
    seL4_CPtr grabbed;
} ut4k;

static void *alloc_4k(void *cookie, seL4_CPtr *cap)
{
    (void)cookie;
    ut4k.calls++;
    if (ut4k.fail_at != 0 && ut4k.calls == ut4k.fail_at)
        return NULL;
    if (ut4k.grab_from != NULL) {
        cspace_t *c = ut4k.grab_from;
        ut4k.grab_from = NULL;
        ut4k.grabbed = cspace_alloc_slot(c);
    }
    ut_t *u = ut_alloc(&ua, seL4_PageBits);
    if (u == NULL)
        return NULL;
    *cap = u->cap;
    ut4k.outstanding++;
    return u;
}

static void free_4k(void *cookie, void *ut)
{
    (void)cookie;
    ut4k.outstanding--;
    if (ut_free(&ua, ut) != seL4_NoError)
        ut4k.bad_frees++;
}

/* ---- kernel ops onto the fake ---- */

static seL4_Error op_retype(void *k, seL4_Untyped service, seL4_Word type, seL4_Word size_bits,
                            seL4_CNode root_cnode, seL4_Word node_index, seL4_Word node_depth,
                            seL4_Word node_offset, seL4_Word num_objects)
{
    (void)k;
    return fk_untyped_retype(service, type, size_bits, root_cnode, node_index, node_depth,
                             node_offset, num_objects);
}

static seL4_Error op_copy(void *k, seL4_CNode service, seL4_Word di, seL4_Uint8 dd, seL4_CNode sr,
                          seL4_Word si, seL4_Uint8 sd, seL4_CapRights_t rights)
{
    (void)k;
    return fk_cnode_copy(service, di, dd, sr, si, sd, rights);
}

static seL4_Error op_mint(void *k, seL4_CNode service, seL4_Word di, seL4_Uint8 dd, seL4_CNode sr,
                          seL4_Word si, seL4_Uint8 sd, seL4_CapRights_t rights, seL4_Word badge)
{
    (void)k;
    return fk_cnode_mint(service, di, dd, sr, si, sd, rights, badge);
}

static seL4_Error op_move(void *k, seL4_CNode service, seL4_Word di, seL4_Uint8 dd, seL4_CNode sr,
                          seL4_Word si, seL4_Uint8 sd)
{
    (void)k;
    return fk_cnode_move(service, di, dd, sr, si, sd);
}

static seL4_Error op_mutate(void *k, seL4_CNode service, seL4_Word di, seL4_Uint8 dd, seL4_CNode sr,
                            seL4_Word si, seL4_Uint8 sd, seL4_Word badge)
{
    (void)k;
    return fk_cnode_mutate(service, di, dd, sr, si, sd, badge);
}

static seL4_Error op_rotate(void *k, seL4_CNode service, seL4_Word di, seL4_Uint8 dd, seL4_CNode pr,
                            seL4_Word pi, seL4_Uint8 pd, seL4_Word pb, seL4_CNode sr, seL4_Word si,
                            seL4_Uint8 sd, seL4_Word sb)
{
    (void)k;
    return fk_cnode_rotate(service, di, dd, pr, pi, pd, pb, sr, si, sd, sb);
}

static seL4_Error op_delete(void *k, seL4_CNode service, seL4_Word index, seL4_Uint8 depth)
{
    (void)k;
    return fk_cnode_delete(service, index, depth);
}

static seL4_Error op_revoke(void *k, seL4_CNode service, seL4_Word index, seL4_Uint8 depth)
{
    (void)k;
    return fk_cnode_revoke(service, index, depth);
}

static seL4_Error op_save_caller(void *k, seL4_CNode service, seL4_Word index, seL4_Uint8 depth)
{
    (void)k;
    return fk_cnode_save_caller(service, index, depth);
}

static const cspace_ops_t fake_ops = {
    NULL,      op_retype, op_copy,   op_mint,   op_move,
    op_mutate, op_rotate, op_delete, op_revoke, op_save_caller,
};

/* libut's kernel calls, made through the root CSpace as the root server will. */
static seL4_Error ut_retype(void *c, seL4_CPtr untyped, seL4_Word type, seL4_Word size_bits,
                            seL4_CPtr dest)
{
    return cspace_untyped_retype(c, untyped, dest, type, size_bits).error;
}

static seL4_Error ut_revoke(void *c, seL4_CPtr cap)
{
    return cspace_revoke(c, cap).error;
}

static seL4_Error ut_delete(void *c, seL4_CPtr cap)
{
    return cspace_delete(c, cap).error;
}

static cspace_alloc_t the_alloc(void)
{
    cspace_alloc_t a = {alloc_4k, free_4k, NULL, &pool};
    return a;
}

/*
 * A fresh kernel, root CSpace (4096 slots, free from 64) and untyped allocator: 4 MiB, plus
 * eight separate 4 KiB untypeds, which never merge, so that the first few CNodes need no split
 * and the only retypes a case sees are its own.
 */
static void setup(void)
{
    fk_init(ROOT_BITS);
    memset(&ut4k, 0, sizeof(ut4k));
    memset(&bi, 0, sizeof(bi));
    bi.initThreadCNodeSizeBits = ROOT_BITS;
    bi.empty.start = FIRST_FREE;
    bi.empty.end = N_ROOT;
    bi.untyped.start = UT_SLOT;
    bi.untyped.end = UT_SLOT + 9;
    bi.untypedList[0].paddr = 0x10000000;
    bi.untypedList[0].sizeBits = 22;
    fk_give_untyped(UT_SLOT, 0x10000000, 22, false);
    for (unsigned i = 1; i < 9; i++) {
        bi.untypedList[i].paddr = 0x20000000 + i * 0x1000;
        bi.untypedList[i].sizeBits = 12;
        fk_give_untyped(UT_SLOT + i, 0x20000000 + i * 0x1000, 12, false);
    }
    fk_give_object(EP_SLOT, FK_ENDPOINT);
    fk_give_object(FRAME_A, FK_FRAME);
    fk_give_object(FRAME_B, FK_FRAME);

    cspace_pool_init(&pool, records, N_RECORDS);
    cspace_ret_t r = cspace_root_task_bootstrap(&root, &bi, the_alloc(), &fake_ops);
    CHECK_EQ(r.error, seL4_NoError);
    ut_kernel_ops_t k = {&root, ut_retype, ut_revoke, ut_delete};
    ut_slot_ops_t s = {&root, cspace_alloc_slot_cb, cspace_free_slot_cb};
    ut_init(&ua, ut_nodes, 4096, k, s);
    CHECK_EQ(ut_add_bootinfo(&ua, &bi), seL4_NoError);
}

/* Everything outside the CSpaces that an operation could leak. */
typedef struct {
    size_t root_free;
    uint64_t ut_free;
    uint32_t ut_free_blocks[UT_MAX_SIZE_BITS + 1];
    size_t pool_free;
    unsigned cnodes;
    unsigned outstanding;
} snap_t;

static snap_t snap(void)
{
    snap_t s;
    ut_stats_t st;
    ut_stats(&ua, &st);
    s.root_free = cspace_stats(&root).free;
    s.ut_free = st.total_free;
    for (int i = 0; i <= UT_MAX_SIZE_BITS; i++)
        s.ut_free_blocks[i] = st.free_blocks[i];
    s.pool_free = pool.n_free;
    s.cnodes = fk_cnodes_alive();
    s.outstanding = ut4k.outstanding;
    return s;
}

static bool snap_eq(snap_t a, snap_t b)
{
    if (a.root_free != b.root_free || a.ut_free != b.ut_free || a.pool_free != b.pool_free ||
        a.cnodes != b.cnodes || a.outstanding != b.outstanding) {
        printf("  root_free %zu/%zu ut_free %llu/%llu pool %zu/%zu cnodes %u/%u ut4k %u/%u\n",
               a.root_free, b.root_free, (unsigned long long)a.ut_free,
               (unsigned long long)b.ut_free, a.pool_free, b.pool_free, a.cnodes, b.cnodes,
               a.outstanding, b.outstanding);
        return false;
    }
    return memcmp(a.ut_free_blocks, b.ut_free_blocks, sizeof(a.ut_free_blocks)) == 0;
}

#define CHECK_RET(r, err, st)                                                                      \
    do {                                                                                           \
        cspace_ret_t r_ = (r);                                                                     \
        CHECK_EQ(r_.error, err);                                                                   \
        CHECK_EQ(r_.step, st);                                                                     \
    } while (0)

/* Stands in for a slot that does not resolve, so that checks fail instead of crashing. */
static const fk_cap_t unresolved = {.type = FK_NO_SLOT};

static const fk_cap_t *or_unresolved(const fk_cap_t *c)
{
    return c != NULL ? c : &unresolved;
}

/* The cap at a depth-32 CPtr of a CSpace built by the root server. */
static const fk_cap_t *in(const cspace_t *c, seL4_CPtr cptr)
{
    return or_unresolved(fk_lookup_in(c->root_cnode, cptr, seL4_WordBits));
}

/* The cap at a depth-32 CPtr of the root server's CSpace. */
static const fk_cap_t *at(seL4_CPtr cptr)
{
    return or_unresolved(fk_lookup(cptr));
}

static void teardown(void)
{
    CHECK_EQ(ut4k.bad_frees, 0);
    fk_fini();
}

/* ---- the root server's CSpace ---- */

TEST(cs_root_bootstrap, "root CSpace: bootinfo->empty is free, lowest slot first")
{
    setup();
    cspace_stats_t s = cspace_stats(&root);
    CHECK_EQ(s.slots, N_ROOT - 1);
    CHECK_EQ(s.free, N_ROOT - FIRST_FREE);
    CHECK_EQ(s.leaves, ROOT_LEAVES);
    CHECK_EQ(root.root_cnode, seL4_CapInitThreadCNode);
    CHECK(root.bootstrap == NULL && !root.two_level);
    CHECK_EQ(pool.n_free, N_RECORDS - ROOT_LEAVES);
    CHECK_EQ(cspace_alloc_slot(&root), FIRST_FREE);
    CHECK_EQ(cspace_alloc_slot(&root), FIRST_FREE + 1);
    CHECK_EQ(cspace_free_slot(&root, FIRST_FREE), seL4_NoError);
    CHECK_EQ(cspace_alloc_slot(&root), FIRST_FREE);
    teardown();
}

TEST(cs_root_bootstrap_errors, "root bootstrap: bad arguments and a short pool change nothing")
{
    setup();
    cspace_t c;
    cspace_alloc_t a = the_alloc();
    a.pool = NULL;
    CHECK_RET(cspace_root_task_bootstrap(&c, &bi, a, &fake_ops), seL4_InvalidArgument,
              CSPACE_STEP_ARGS);
    CHECK_RET(cspace_root_task_bootstrap(&c, &bi, the_alloc(), NULL), seL4_InvalidArgument,
              CSPACE_STEP_ARGS);
    seL4_BootInfo b = bi;
    b.empty.end = N_ROOT + 1;
    CHECK_RET(cspace_root_task_bootstrap(&c, &b, the_alloc(), &fake_ops), seL4_InvalidArgument,
              CSPACE_STEP_ARGS);
    cspace_pool_t small;
    static cspace_leaf_t few[3];
    cspace_pool_init(&small, few, 3);
    a = the_alloc();
    a.pool = &small;
    CHECK_RET(cspace_root_task_bootstrap(&c, &bi, a, &fake_ops), seL4_NotEnoughMemory,
              CSPACE_STEP_ALLOC_META);
    CHECK_EQ(small.n_free, 3);
    teardown();
}

TEST(cs_root_sizes, "root CNodes smaller than a leaf and larger than 2^16 slots")
{
    static cspace_leaf_t recs[300];
    cspace_pool_t p;
    cspace_pool_init(&p, recs, 300);
    cspace_alloc_t a = {NULL, NULL, NULL, &p};
    static seL4_BootInfo b;
    static cspace_t c;

    b.initThreadCNodeSizeBits = 4; /* 16 slots */
    b.empty.start = 5;
    b.empty.end = 16;
    CHECK_RET(cspace_root_task_bootstrap(&c, &b, a, &fake_ops), seL4_NoError, CSPACE_STEP_NONE);
    CHECK_EQ(cspace_stats(&c).slots, 15);
    CHECK_EQ(cspace_stats(&c).free, 11);
    for (seL4_CPtr s = 5; s < 16; s++)
        CHECK_EQ(cspace_alloc_slot(&c), s);
    CHECK_EQ(cspace_alloc_slot(&c), seL4_CapNull);
    CHECK_RET(c.last, seL4_NotEnoughMemory, CSPACE_STEP_ALLOC_SLOT);
    CHECK_EQ(cspace_free_slot(&c, 16), seL4_RangeError);
    CHECK_EQ(cspace_free_slot(&c, 3), seL4_NoError); /* an initial cap's slot, once emptied */
    CHECK_EQ(cspace_alloc_slot(&c), 3);
    CHECK_EQ(p.n_free, 299);

    cspace_pool_init(&p, recs, 300);
    b.initThreadCNodeSizeBits = 18; /* only the first 2^16 are managed */
    b.empty.start = 100;
    b.empty.end = 200000;
    CHECK_RET(cspace_root_task_bootstrap(&c, &b, a, &fake_ops), seL4_NoError, CSPACE_STEP_NONE);
    CHECK_EQ(cspace_stats(&c).slots, 65535);
    CHECK_EQ(cspace_stats(&c).free, 65536 - 100);
    CHECK_EQ(cspace_stats(&c).leaves, 256);
    CHECK_EQ(p.n_free, 300 - 256);
}

TEST(cs_free_errors, "cspace_free_slot: slot 0 and out of range are RangeError, double free")
{
    setup();
    seL4_CPtr s = cspace_alloc_slot(&root);
    CHECK_EQ(cspace_free_slot(&root, seL4_CapNull), seL4_RangeError);
    CHECK_EQ(cspace_free_slot(&root, N_ROOT), seL4_RangeError);
    CHECK_EQ(cspace_free_slot(&root, s), seL4_NoError);
    CHECK_EQ(cspace_free_slot(&root, s), seL4_InvalidArgument);
    CHECK_EQ(cspace_stats(&root).free, N_ROOT - FIRST_FREE);
    teardown();
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

TEST(cs_slot_patterns, "alloc/free patterns: always the lowest free slot, counts exact")
{
    setup();
    for (seL4_CPtr s = FIRST_FREE; s < FIRST_FREE + 1000; s++)
        CHECK_EQ(cspace_alloc_slot(&root), s);
    for (seL4_CPtr s = FIRST_FREE; s < FIRST_FREE + 1000; s += 2)
        CHECK_EQ(cspace_free_slot(&root, s), seL4_NoError);
    CHECK_EQ(cspace_stats(&root).free, N_ROOT - FIRST_FREE - 500);
    for (seL4_CPtr s = FIRST_FREE; s < FIRST_FREE + 1000; s += 2)
        CHECK_EQ(cspace_alloc_slot(&root), s);
    for (seL4_CPtr s = FIRST_FREE + 999;; s--) { /* free from the top down */
        CHECK_EQ(cspace_free_slot(&root, s), seL4_NoError);
        if (s == FIRST_FREE)
            break;
    }

    /* Random pattern against a shadow bitmap. */
    static bool used[N_ROOT];
    memset(used, 0, sizeof(used));
    for (seL4_CPtr s = 0; s < FIRST_FREE; s++)
        used[s] = true;
    unsigned bad = 0, n_used = 0;
    rng_state = 12345;
    for (int step = 0; step < 20000; step++) {
        uint32_t r = xorshift32();
        if (r % 5 < 3 || n_used == 0) {
            seL4_CPtr lowest = 0;
            for (seL4_CPtr s = 0; s < N_ROOT && lowest == 0; s++)
                lowest = used[s] ? 0 : s;
            seL4_CPtr got = cspace_alloc_slot(&root);
            if (got != lowest)
                bad++;
            if (got != seL4_CapNull) {
                used[got] = true;
                n_used++;
            }
        } else {
            seL4_CPtr s = FIRST_FREE + (r >> 8) % (N_ROOT - FIRST_FREE);
            seL4_Error want = used[s] ? seL4_NoError : seL4_InvalidArgument;
            if (cspace_free_slot(&root, s) != want)
                bad++;
            if (used[s]) {
                used[s] = false;
                n_used--;
            }
        }
        if (cspace_stats(&root).free != N_ROOT - FIRST_FREE - n_used)
            bad++;
    }
    CHECK_EQ(bad, 0);
    CHECK(n_used > 1000);
    teardown();
}

TEST(cs_root_exhaust, "a full one-level CSpace: NotEnoughMemory at slot allocation, then refill")
{
    setup();
    unsigned n = 0;
    while (cspace_alloc_slot(&root) != seL4_CapNull)
        n++;
    CHECK_EQ(n, N_ROOT - FIRST_FREE);
    CHECK_RET(root.last, seL4_NotEnoughMemory, CSPACE_STEP_ALLOC_SLOT);
    CHECK_RET(cspace_copy(&root, CSPACE_NEW_SLOT, &root, EP_SLOT, seL4_AllRights),
              seL4_NotEnoughMemory, CSPACE_STEP_ALLOC_SLOT);
    for (seL4_CPtr s = FIRST_FREE; s < N_ROOT; s++)
        CHECK_EQ(cspace_free_slot(&root, s), seL4_NoError);
    CHECK_EQ(cspace_stats(&root).free, N_ROOT - FIRST_FREE);
    teardown();
}

/* ---- building CSpaces ---- */

TEST(cs_one_level, "one-level CSpace: 256 slots, guard 24, caps copied in, destroyed clean")
{
    setup();
    snap_t before = snap();
    cspace_t t;
    cspace_ret_t r = cspace_create_one_level(&root, &t);
    CHECK_RET(r, seL4_NoError, CSPACE_STEP_NONE);
    CHECK_EQ(r.slot, t.root_cnode);
    const fk_cap_t *top = at(t.root_cnode);
    CHECK_EQ(top->type, FK_CNODE);
    CHECK_EQ(top->size_bits, 8);
    CHECK_EQ(top->guard_size, 24);
    CHECK_EQ(top->guard, 0);
    CHECK_EQ(cspace_stats(&root).free, before.root_free - 1);
    CHECK_EQ(ut4k.outstanding, 1);
    CHECK_EQ(pool.n_free, before.pool_free - 1);
    CHECK_EQ(cspace_stats(&t).slots, 255);
    CHECK_EQ(cspace_stats(&t).free, 255);

    CHECK_EQ(cspace_alloc_slot(&t), 1);
    cspace_ret_t c = cspace_copy(&t, CSPACE_NEW_SLOT, &root, EP_SLOT, seL4_AllRights);
    CHECK_RET(c, seL4_NoError, CSPACE_STEP_NONE);
    CHECK_EQ(c.slot, 2);
    CHECK_EQ(in(&t, 2)->type, FK_ENDPOINT);
    unsigned n = 0;
    while (cspace_alloc_slot(&t) != seL4_CapNull)
        n++;
    CHECK_EQ(n, 253);
    CHECK_RET(t.last, seL4_NotEnoughMemory, CSPACE_STEP_ALLOC_SLOT);

    CHECK_RET(cspace_destroy(&t), seL4_NoError, CSPACE_STEP_NONE);
    CHECK(snap_eq(snap(), before));
    CHECK_EQ(fk_count(FK_ENDPOINT), 1); /* the copy went with the CNode */
    CHECK_EQ(fk_count(FK_CNODE), 1);    /* only the root server's */
    teardown();
}

TEST(cs_two_level, "two-level CSpace: top guard 16, second-level CNode 0 in top slot 0")
{
    setup();
    snap_t before = snap();
    cspace_t t;
    CHECK_RET(cspace_create_two_level(&root, &t, the_alloc()), seL4_NoError, CSPACE_STEP_NONE);
    const fk_cap_t *top = at(t.root_cnode);
    CHECK_EQ(top->type, FK_CNODE);
    CHECK_EQ(top->size_bits, 8);
    CHECK_EQ(top->guard_size, 16);
    const fk_cap_t *leaf0 = or_unresolved(fk_lookup_in(t.root_cnode, 0, 24));
    CHECK_EQ(leaf0->type, FK_CNODE);
    CHECK_EQ(leaf0->guard_size, 0);
    CHECK_EQ(fk_cnodes_alive(), before.cnodes + 2);
    CHECK_EQ(ut4k.outstanding, 2);
    CHECK_EQ(cspace_stats(&t).slots, 255);
    CHECK_EQ(cspace_stats(&t).free, 255);
    CHECK_EQ(cspace_stats(&t).leaves, 1);
    CHECK_RET(cspace_destroy(&t), seL4_NoError, CSPACE_STEP_NONE);
    CHECK(snap_eq(snap(), before));
    teardown();
}

TEST(cs_two_level_20000, "20,000 slots in a two-level CSpace: CNodes on demand, all freed")
{
    setup();
    snap_t before = snap();
    static cspace_t t;
    CHECK_RET(cspace_create_two_level(&root, &t, the_alloc()), seL4_NoError, CSPACE_STEP_NONE);
    size_t start_free = cspace_stats(&t).free;
    unsigned bad = 0;
    for (seL4_CPtr s = 1; s <= 20000; s++)
        bad += cspace_alloc_slot(&t) != s;
    CHECK_EQ(bad, 0);
    CHECK_EQ(cspace_stats(&t).leaves, 79); /* ceil(20001 / 256) */
    CHECK_EQ(fk_cnodes_alive(), before.cnodes + 1 + 79);
    CHECK_EQ(ut4k.outstanding, 1 + 79);
    CHECK_EQ(pool.n_free, before.pool_free - 79);

    /* The last slot resolves at depth 32 through top slot 78. */
    CHECK_RET(cspace_copy(&t, 20000, &root, EP_SLOT, seL4_AllRights), seL4_NoError,
              CSPACE_STEP_NONE);
    CHECK_EQ(in(&t, 20000)->type, FK_ENDPOINT);
    CHECK_EQ(or_unresolved(fk_lookup_in(t.root_cnode, 20000 >> 8, 24))->type, FK_CNODE);
    CHECK_RET(cspace_delete(&t, 20000), seL4_NoError, CSPACE_STEP_NONE);
    /* A retype into the last slot of CNode 77: node index 77 at depth 24, offset 255. */
    ut_t *small = ut_alloc(&ua, seL4_EndpointBits);
    CHECK(small != NULL);
    if (small == NULL)
        return;
    CHECK_RET(cspace_untyped_retype(&t, small->cap, 0x4DFF, seL4_EndpointObject, 0), seL4_NoError,
              CSPACE_STEP_NONE);
    CHECK_EQ(in(&t, 0x4DFF)->type, FK_ENDPOINT);
    CHECK_EQ(in(&t, 0x4D7F)->type, FK_NULL);
    CHECK_EQ(in(&t, 0x4CFF)->type, FK_NULL);
    CHECK_EQ(ut_free(&ua, small), seL4_NoError); /* revoking it deletes the endpoint */
    CHECK_EQ(in(&t, 0x4DFF)->type, FK_NULL);

    for (seL4_CPtr s = 1; s <= 20000; s++)
        bad += cspace_free_slot(&t, s) != seL4_NoError;
    CHECK_EQ(bad, 0);
    cspace_stats_t st = cspace_stats(&t);
    CHECK_EQ(st.slots - st.free, 0); /* nothing in use, as at the start */
    CHECK_EQ(st.free, start_free + 78 * 256);

    /* Again: the CNodes are still there, so nothing grows. */
    for (seL4_CPtr s = 1; s <= 20000; s++)
        bad += cspace_alloc_slot(&t) != s;
    CHECK_EQ(bad, 0);
    CHECK_EQ(ut4k.outstanding, 1 + 79);
    CHECK_RET(cspace_destroy(&t), seL4_NoError, CSPACE_STEP_NONE);
    CHECK(snap_eq(snap(), before));
    CHECK_EQ(fk_count(FK_ENDPOINT), 1);
    teardown();
}

TEST(cs_two_level_full, "a two-level CSpace fills at 65535 slots and 256 CNodes")
{
    setup();
    static cspace_t t;
    CHECK_RET(cspace_create_two_level(&root, &t, the_alloc()), seL4_NoError, CSPACE_STEP_NONE);
    unsigned n = 0;
    while (cspace_alloc_slot(&t) != seL4_CapNull)
        n++;
    CHECK_EQ(n, 65535);
    CHECK_RET(t.last, seL4_NotEnoughMemory, CSPACE_STEP_ALLOC_SLOT);
    CHECK_EQ(cspace_stats(&t).leaves, 256);
    CHECK_EQ(in(&t, 0xFFFF)->type, FK_NULL); /* resolves: top slot 255, slot 255 */
    CHECK(in(&t, 0x10000) == &unresolved);   /* guard mismatch */
    CHECK_EQ(cspace_free_slot(&t, 0x10000), seL4_RangeError);
    CHECK_RET(cspace_destroy(&t), seL4_NoError, CSPACE_STEP_NONE);
    CHECK_EQ(ut4k.outstanding, 0);
    teardown();
}

static cspace_ret_t create_kind(int two_level, cspace_t *t)
{
    return two_level ? cspace_create_two_level(&root, t, the_alloc())
                     : cspace_create_one_level(&root, t);
}

TEST(cs_create_errors, "create: every failing step is reported and leaves nothing behind")
{
    setup();
    snap_t before = snap();
    cspace_t t, other;
    cspace_alloc_t a = the_alloc();

    CHECK_RET(cspace_create_two_level(NULL, &t, a), seL4_InvalidArgument, CSPACE_STEP_ARGS);
    CHECK_RET(cspace_create_one_level(NULL, &t), seL4_InvalidArgument, CSPACE_STEP_ARGS);
    a.alloc_4k_ut = NULL;
    CHECK_RET(cspace_create_two_level(&root, &t, a), seL4_InvalidArgument, CSPACE_STEP_ARGS);
    CHECK_RET(cspace_create_two_level(&root, &other, the_alloc()), seL4_NoError, CSPACE_STEP_NONE);
    CHECK_RET(cspace_create_one_level(&other, &t), seL4_InvalidArgument, CSPACE_STEP_ARGS);
    CHECK_RET(cspace_destroy(&other), seL4_NoError, CSPACE_STEP_NONE);
    CHECK(snap_eq(snap(), before));

    for (int two = 0; two < 2; two++) {
        ut4k.fail_at = ut4k.calls + 1;
        CHECK_RET(create_kind(two, &t), seL4_NotEnoughMemory, CSPACE_STEP_ALLOC_UT);
        CHECK(snap_eq(snap(), before));
        fk_fail_at(FK_OP_RETYPE, 1, seL4_NotEnoughMemory);
        CHECK_RET(create_kind(two, &t), seL4_NotEnoughMemory, CSPACE_STEP_RETYPE);
        CHECK(snap_eq(snap(), before));
        fk_fail_at(FK_OP_MUTATE, 1, seL4_IllegalOperation);
        CHECK_RET(create_kind(two, &t), seL4_IllegalOperation, CSPACE_STEP_MUTATE);
        CHECK(snap_eq(snap(), before));
        CHECK_EQ(fk_count(FK_CNODE), 1);

        /* The pool: one-level needs its record first; two-level for its first leaf. */
        cspace_leaf_t *head = pool.head;
        size_t n = pool.n_free;
        pool.head = NULL;
        pool.n_free = 0;
        CHECK_RET(create_kind(two, &t), seL4_NotEnoughMemory, CSPACE_STEP_ALLOC_META);
        pool.head = head;
        pool.n_free = n;
        CHECK(snap_eq(snap(), before));
        CHECK_EQ(fk_count(FK_CNODE), 1);

        /* The root CSpace full: no slot for the top CNode's cap. */
        static seL4_CPtr held[N_ROOT];
        size_t n_held = 0;
        seL4_CPtr s;
        while ((s = cspace_alloc_slot(&root)) != seL4_CapNull)
            held[n_held++] = s;
        CHECK_RET(create_kind(two, &t), seL4_NotEnoughMemory, CSPACE_STEP_ALLOC_SLOT);
        while (n_held > 0)
            cspace_free_slot(&root, held[--n_held]);
        CHECK(snap_eq(snap(), before));
    }

    /* Two-level only: the first second-level CNode fails after the top one exists. */
    ut4k.fail_at = ut4k.calls + 2;
    CHECK_RET(cspace_create_two_level(&root, &t, the_alloc()), seL4_NotEnoughMemory,
              CSPACE_STEP_ALLOC_UT);
    CHECK(snap_eq(snap(), before));
    fk_fail_at(FK_OP_RETYPE, 2, seL4_RangeError);
    CHECK_RET(cspace_create_two_level(&root, &t, the_alloc()), seL4_RangeError, CSPACE_STEP_RETYPE);
    CHECK(snap_eq(snap(), before));
    CHECK_EQ(fk_count(FK_CNODE), 1);
    teardown();
}

TEST(cs_growth_errors, "growing a two-level CSpace: each failure reported, nothing changes")
{
    setup();
    static cspace_t t;
    CHECK_RET(cspace_create_two_level(&root, &t, the_alloc()), seL4_NoError, CSPACE_STEP_NONE);
    for (int i = 0; i < 255; i++)
        cspace_alloc_slot(&t);
    snap_t before = snap();

    ut4k.fail_at = ut4k.calls + 1;
    CHECK_EQ(cspace_alloc_slot(&t), seL4_CapNull);
    CHECK_RET(t.last, seL4_NotEnoughMemory, CSPACE_STEP_ALLOC_UT);
    CHECK(snap_eq(snap(), before));

    cspace_leaf_t *head = pool.head;
    size_t n = pool.n_free;
    pool.head = NULL;
    pool.n_free = 0;
    CHECK_EQ(cspace_alloc_slot(&t), seL4_CapNull);
    CHECK_RET(t.last, seL4_NotEnoughMemory, CSPACE_STEP_ALLOC_META);
    pool.head = head;
    pool.n_free = n;
    CHECK(snap_eq(snap(), before));

    fk_fail_at(FK_OP_RETYPE, 1, seL4_DeleteFirst);
    CHECK_RET(cspace_copy(&t, CSPACE_NEW_SLOT, &root, EP_SLOT, seL4_AllRights), seL4_DeleteFirst,
              CSPACE_STEP_ALLOC_SLOT);
    CHECK_RET(t.last, seL4_DeleteFirst, CSPACE_STEP_RETYPE); /* the detail */
    CHECK(snap_eq(snap(), before));
    CHECK_EQ(cspace_stats(&t).leaves, 1);
    CHECK_EQ(cspace_stats(&t).free, 0);

    CHECK_EQ(cspace_alloc_slot(&t), 256);
    CHECK_EQ(cspace_stats(&t).leaves, 2);
    CHECK_RET(cspace_destroy(&t), seL4_NoError, CSPACE_STEP_NONE);
    teardown();
}

TEST(cs_growth_reentry, "a slot asked for while growing comes from what is left, no recursion")
{
    setup();
    static cspace_t t;
    CHECK_RET(cspace_create_two_level(&root, &t, the_alloc()), seL4_NoError, CSPACE_STEP_NONE);
    for (int i = 0; i < 255; i++)
        cspace_alloc_slot(&t);
    ut4k.grab_from = &t; /* alloc_4k asks t for a slot while t grows */
    CHECK_EQ(cspace_alloc_slot(&t), 256);
    CHECK_EQ(ut4k.grabbed, seL4_CapNull); /* t was full and already growing */
    CHECK_EQ(cspace_stats(&t).leaves, 2);
    CHECK_EQ(cspace_free_slot(&t, 256), seL4_NoError);
    CHECK_RET(cspace_destroy(&t), seL4_NoError, CSPACE_STEP_NONE);
    teardown();
}

/* ---- the wrappers ---- */

TEST(cs_wrappers, "copy, mint, move, mutate, rotate, delete, revoke, save_reply_cap, retype")
{
    setup();
    static cspace_t t;
    CHECK_RET(cspace_create_two_level(&root, &t, the_alloc()), seL4_NoError, CSPACE_STEP_NONE);
    for (int i = 0; i < 300; i++) /* so new slots land in the second CNode */
        cspace_alloc_slot(&t);

    cspace_ret_t m = cspace_mint(&t, CSPACE_NEW_SLOT, &root, EP_SLOT, seL4_CanRead, 0x42);
    CHECK_RET(m, seL4_NoError, CSPACE_STEP_NONE);
    CHECK_EQ(m.slot, 301);
    CHECK_EQ(in(&t, m.slot)->badge, 0x42);
    CHECK_EQ(in(&t, m.slot)->rights, seL4_CanRead.words[0]);

    cspace_ret_t mv = cspace_move(&t, CSPACE_NEW_SLOT, &t, m.slot);
    CHECK_RET(mv, seL4_NoError, CSPACE_STEP_NONE);
    CHECK_EQ(in(&t, m.slot)->type, FK_NULL);
    CHECK_EQ(in(&t, mv.slot)->badge, 0x42);

    cspace_ret_t c = cspace_copy(&root, CSPACE_NEW_SLOT, &t, mv.slot, seL4_AllRights);
    CHECK_RET(c, seL4_NoError, CSPACE_STEP_NONE);
    CHECK_EQ(at(c.slot)->badge, 0x42);
    cspace_ret_t c2 = cspace_copy(&root, CSPACE_NEW_SLOT, &root, c.slot, seL4_AllRights);
    CHECK_RET(cspace_revoke(&root, c.slot), seL4_NoError, CSPACE_STEP_NONE);
    CHECK_EQ(at(c2.slot)->type, FK_NULL); /* derived from c: revoked */
    CHECK_EQ(at(c.slot)->type, FK_ENDPOINT);
    CHECK_RET(cspace_delete(&root, c.slot), seL4_NoError, CSPACE_STEP_NONE);
    CHECK_EQ(at(c.slot)->type, FK_NULL);

    /* Mutate sets a CNode cap's guard: a 16-slot CNode retyped into t, then guarded. */
    ut_t *u = ut_alloc(&ua, 8);
    CHECK(u != NULL);
    if (u == NULL)
        return;
    cspace_ret_t cn = cspace_untyped_retype(&t, u->cap, CSPACE_NEW_SLOT, seL4_CapTableObject, 4);
    CHECK_RET(cn, seL4_NoError, CSPACE_STEP_NONE);
    CHECK_EQ(in(&t, cn.slot)->type, FK_CNODE);
    cspace_ret_t mu =
        cspace_mutate(&t, CSPACE_NEW_SLOT, &t, cn.slot, seL4_CNode_CapData_new(5, 28).words[0]);
    CHECK_RET(mu, seL4_NoError, CSPACE_STEP_NONE);
    CHECK_EQ(in(&t, mu.slot)->guard_size, 28);
    CHECK_EQ(in(&t, mu.slot)->guard, 5);
    CHECK_EQ(in(&t, cn.slot)->type, FK_NULL);

    /* Rotate: src -> pivot -> dest. */
    uint32_t a_obj = at(FRAME_A)->obj, b_obj = at(FRAME_B)->obj;
    cspace_ret_t ro = cspace_rotate(&t, CSPACE_NEW_SLOT, &root, FRAME_B, 0, &root, FRAME_A, 0);
    CHECK_RET(ro, seL4_NoError, CSPACE_STEP_NONE);
    CHECK_EQ(in(&t, ro.slot)->obj, b_obj);
    CHECK_EQ(at(FRAME_B)->obj, a_obj);
    CHECK_EQ(at(FRAME_A)->type, FK_NULL);
    /* ... and with dest == src, a swap. */
    CHECK_RET(cspace_rotate(&t, ro.slot, &root, FRAME_B, 0, &t, ro.slot, 0), seL4_NoError,
              CSPACE_STEP_NONE);
    CHECK_EQ(in(&t, ro.slot)->obj, a_obj);
    CHECK_EQ(at(FRAME_B)->obj, b_obj);

    fk_set_caller(true);
    cspace_ret_t rep = cspace_save_reply_cap(&t, CSPACE_NEW_SLOT);
    CHECK_RET(rep, seL4_NoError, CSPACE_STEP_NONE);
    CHECK_EQ(in(&t, rep.slot)->type, FK_REPLY);

    CHECK_RET(cspace_destroy(&t), seL4_NoError, CSPACE_STEP_NONE);
    CHECK_EQ(fk_count(FK_REPLY), 0);
    CHECK_EQ(fk_count(FK_ENDPOINT), 1);
    CHECK_EQ(ut_free(&ua, u), seL4_NoError);
    teardown();
}

/* Each wrapper into a new slot, with the kernel made to fail: error and step, slot released. */
TEST(cs_wrapper_injected, "every wrapper: a kernel failure is reported with its step, slot freed")
{
    setup();
    static cspace_t t;
    CHECK_RET(cspace_create_two_level(&root, &t, the_alloc()), seL4_NoError, CSPACE_STEP_NONE);
    cspace_ret_t ep = cspace_copy(&t, CSPACE_NEW_SLOT, &root, EP_SLOT, seL4_AllRights);
    ut_t *u = ut_alloc(&ua, 12);
    CHECK(u != NULL);
    if (u == NULL)
        return;
    size_t free0 = cspace_stats(&t).free, root0 = cspace_stats(&root).free;
    const seL4_Error e = seL4_TruncatedMessage; /* something no real path returns here */

    fk_fail_at(FK_OP_COPY, 1, e);
    CHECK_RET(cspace_copy(&t, CSPACE_NEW_SLOT, &root, EP_SLOT, seL4_AllRights), e,
              CSPACE_STEP_COPY);
    fk_fail_at(FK_OP_MINT, 1, e);
    CHECK_RET(cspace_mint(&t, CSPACE_NEW_SLOT, &root, EP_SLOT, seL4_AllRights, 7), e,
              CSPACE_STEP_MINT);
    fk_fail_at(FK_OP_MOVE, 1, e);
    CHECK_RET(cspace_move(&t, CSPACE_NEW_SLOT, &t, ep.slot), e, CSPACE_STEP_MOVE);
    fk_fail_at(FK_OP_MUTATE, 1, e);
    CHECK_RET(cspace_mutate(&t, CSPACE_NEW_SLOT, &t, ep.slot, 0), e, CSPACE_STEP_MUTATE);
    fk_fail_at(FK_OP_ROTATE, 1, e);
    CHECK_RET(cspace_rotate(&t, CSPACE_NEW_SLOT, &root, FRAME_B, 0, &root, FRAME_A, 0), e,
              CSPACE_STEP_ROTATE);
    fk_fail_at(FK_OP_SAVE_CALLER, 1, e);
    CHECK_RET(cspace_save_reply_cap(&t, CSPACE_NEW_SLOT), e, CSPACE_STEP_SAVE_CALLER);
    fk_fail_at(FK_OP_RETYPE, 1, e);
    CHECK_RET(cspace_untyped_retype(&t, u->cap, CSPACE_NEW_SLOT, seL4_EndpointObject, 0), e,
              CSPACE_STEP_RETYPE);
    fk_fail_at(FK_OP_DELETE, 1, e);
    CHECK_RET(cspace_delete(&t, ep.slot), e, CSPACE_STEP_DELETE);
    fk_fail_at(FK_OP_REVOKE, 1, e);
    CHECK_RET(cspace_revoke(&t, ep.slot), e, CSPACE_STEP_REVOKE);
    CHECK_EQ(cspace_stats(&t).free, free0);
    CHECK_EQ(cspace_stats(&root).free, root0);
    CHECK_EQ(in(&t, ep.slot)->type, FK_ENDPOINT);
    CHECK_EQ(at(FRAME_A)->type, FK_FRAME);

    /* The same calls into the root CSpace, whose retype needs node depth 0. */
    fk_fail_at(FK_OP_RETYPE, 1, e);
    CHECK_RET(cspace_untyped_retype(&root, u->cap, CSPACE_NEW_SLOT, seL4_EndpointObject, 0), e,
              CSPACE_STEP_RETYPE);
    CHECK_EQ(cspace_stats(&root).free, root0);
    cspace_ret_t ok = cspace_untyped_retype(&root, u->cap, CSPACE_NEW_SLOT, seL4_EndpointObject, 0);
    CHECK_RET(ok, seL4_NoError, CSPACE_STEP_NONE);
    CHECK_EQ(at(ok.slot)->type, FK_ENDPOINT);
    CHECK_RET(cspace_delete(&root, ok.slot), seL4_NoError, CSPACE_STEP_NONE);
    CHECK_EQ(cspace_free_slot(&root, ok.slot), seL4_NoError);

    CHECK_RET(cspace_destroy(&t), seL4_NoError, CSPACE_STEP_NONE);
    CHECK_EQ(ut_free(&ua, u), seL4_NoError);
    teardown();
}

/* The kernel's own refusals come back unchanged, with the step; explicit slots stay allocated. */
TEST(cs_wrapper_kernel_errors, "kernel refusals: exact seL4 errors and steps, no slot lost")
{
    setup();
    static cspace_t t;
    CHECK_RET(cspace_create_two_level(&root, &t, the_alloc()), seL4_NoError, CSPACE_STEP_NONE);
    seL4_CPtr empty = cspace_alloc_slot(&t);
    cspace_ret_t ep = cspace_mint(&t, CSPACE_NEW_SLOT, &root, EP_SLOT, seL4_AllRights, 9);
    size_t free0 = cspace_stats(&t).free;

    CHECK_RET(cspace_copy(&t, CSPACE_NEW_SLOT, &t, empty, seL4_AllRights), seL4_FailedLookup,
              CSPACE_STEP_COPY);
    CHECK_RET(cspace_copy(&t, ep.slot, &root, EP_SLOT, seL4_AllRights), seL4_DeleteFirst,
              CSPACE_STEP_COPY);
    CHECK_RET(cspace_mint(&t, CSPACE_NEW_SLOT, &t, ep.slot, seL4_AllRights, 3),
              seL4_IllegalOperation, CSPACE_STEP_MINT); /* already badged */
    CHECK_RET(cspace_move(&t, CSPACE_NEW_SLOT, &t, empty), seL4_FailedLookup, CSPACE_STEP_MOVE);
    CHECK_RET(cspace_mutate(&t, CSPACE_NEW_SLOT, &t, ep.slot, 1), seL4_IllegalOperation,
              CSPACE_STEP_MUTATE); /* seL4: Mutate cannot badge */
    CHECK_RET(cspace_rotate(&t, CSPACE_NEW_SLOT, &t, ep.slot, 0, &t, ep.slot, 0),
              seL4_IllegalOperation, CSPACE_STEP_ROTATE);
    CHECK_RET(cspace_save_reply_cap(&t, ep.slot), seL4_DeleteFirst, CSPACE_STEP_SAVE_CALLER);
    CHECK_RET(cspace_untyped_retype(&t, EP_SLOT, CSPACE_NEW_SLOT, seL4_EndpointObject, 0),
              seL4_IllegalOperation, CSPACE_STEP_RETYPE); /* not an untyped */
    CHECK_RET(cspace_delete(&t, 0x10000), seL4_FailedLookup, CSPACE_STEP_DELETE); /* guard */
    CHECK_RET(cspace_revoke(&t, 0x10000), seL4_FailedLookup, CSPACE_STEP_REVOKE);
    CHECK_EQ(cspace_stats(&t).free, free0);
    CHECK_EQ(cspace_free_slot(&t, empty), seL4_NoError); /* still allocated until now */

    CHECK_RET(cspace_copy(NULL, CSPACE_NEW_SLOT, &root, EP_SLOT, seL4_AllRights),
              seL4_InvalidArgument, CSPACE_STEP_ARGS);
    CHECK_RET(cspace_delete(NULL, 1), seL4_InvalidArgument, CSPACE_STEP_ARGS);
    CHECK_RET(cspace_destroy(&t), seL4_NoError, CSPACE_STEP_NONE);
    teardown();
}

/* ---- destroy ---- */

TEST(cs_destroy, "destroy: caps inside and copies of the top cap go; failures can be retried")
{
    setup();
    snap_t before = snap();
    static cspace_t t;
    CHECK_RET(cspace_destroy(&root), seL4_InvalidArgument, CSPACE_STEP_ARGS);
    CHECK_RET(cspace_create_two_level(&root, &t, the_alloc()), seL4_NoError, CSPACE_STEP_NONE);
    for (int i = 0; i < 600; i++) {
        cspace_ret_t r = cspace_copy(&t, CSPACE_NEW_SLOT, &root, EP_SLOT, seL4_AllRights);
        if (r.error != seL4_NoError)
            CHECK_RET(r, seL4_NoError, CSPACE_STEP_NONE);
    }
    CHECK_EQ(fk_count(FK_ENDPOINT), 601);
    /* A copy of the top cap, as a TCB's CSpace root would hold. */
    cspace_ret_t tcb_copy =
        cspace_copy(&root, CSPACE_NEW_SLOT, &root, t.root_cnode, seL4_AllRights);
    CHECK_RET(tcb_copy, seL4_NoError, CSPACE_STEP_NONE);

    fk_fail_at(FK_OP_REVOKE, 1, seL4_RevokeFirst);
    CHECK_RET(cspace_destroy(&t), seL4_RevokeFirst, CSPACE_STEP_REVOKE);
    fk_fail_at(FK_OP_DELETE, 1, seL4_DeleteFirst);
    CHECK_RET(cspace_destroy(&t), seL4_DeleteFirst, CSPACE_STEP_DELETE);
    CHECK_EQ(cspace_stats(&t).leaves, 3);
    cspace_ret_t still = cspace_copy(&t, CSPACE_NEW_SLOT, &root, EP_SLOT, seL4_AllRights);
    CHECK_RET(still, seL4_NoError, CSPACE_STEP_NONE);

    CHECK_RET(cspace_destroy(&t), seL4_NoError, CSPACE_STEP_NONE);
    CHECK_EQ(fk_count(FK_ENDPOINT), 1);
    CHECK_EQ(at(tcb_copy.slot)->type, FK_NULL);
    CHECK_EQ(cspace_free_slot(&root, tcb_copy.slot), seL4_NoError);
    CHECK(snap_eq(snap(), before));
    CHECK_RET(cspace_destroy(&t), seL4_InvalidArgument, CSPACE_STEP_ARGS); /* already gone */
    teardown();
}

TEST(cs_step_names, "cspace_step_name names every step")
{
    CHECK_STR(cspace_step_name(CSPACE_STEP_NONE), "none");
    CHECK_STR(cspace_step_name(CSPACE_STEP_ALLOC_SLOT), "slot allocation");
    CHECK_STR(cspace_step_name(CSPACE_STEP_MINT), "mint");
    CHECK_STR(cspace_step_name(CSPACE_STEP_SAVE_CALLER), "save caller");
    CHECK_STR(cspace_step_name((cspace_step_t)99), "unknown");
}

int main(void)
{
    RUN(cs_root_bootstrap);
    RUN(cs_root_bootstrap_errors);
    RUN(cs_root_sizes);
    RUN(cs_free_errors);
    RUN(cs_slot_patterns);
    RUN(cs_root_exhaust);
    RUN(cs_one_level);
    RUN(cs_two_level);
    RUN(cs_two_level_20000);
    RUN(cs_two_level_full);
    RUN(cs_create_errors);
    RUN(cs_growth_errors);
    RUN(cs_growth_reentry);
    RUN(cs_wrappers);
    RUN(cs_wrapper_injected);
    RUN(cs_wrapper_kernel_errors);
    RUN(cs_destroy);
    RUN(cs_step_names);
    return check_summary();
}
