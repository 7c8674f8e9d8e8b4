/*
 * The userlibs image's environment (env.h): libut and libcspace set up the way a root server
 * would, before the first case. Every step's result is kept in env_setup for USERLIBS0001 to
 * check, since a failure here cannot fail a case by itself.
 */
#include "env.h"

env_setup_t env_setup;
ut_allocator_t env_ut;
cspace_t env_root;
ut_sel4_cspace_t env_ut_cs;
cspace_alloc_t env_alloc;

static ut_t ut_nodes[ENV_UT_NODES];
static cspace_leaf_t leaf_records[ENV_LEAF_RECORDS];
static cspace_pool_t leaf_pool;
static seL4_BootInfo ktest_bi; /* ktest's view: its share of the free slots only */
static seL4_BootInfo cspace_bi;

/* ---- libut behind libcspace's callbacks ---- */

static void *alloc_4k(void *cookie, seL4_CPtr *cap)
{
    ut_t *u = ut_alloc(cookie, seL4_PageBits);
    if (u != NULL)
        *cap = u->cap;
    return u;
}

static void *alloc_any(void *cookie, size_t size_bits, seL4_CPtr *cap)
{
    ut_t *u = ut_alloc(cookie, size_bits);
    if (u != NULL)
        *cap = u->cap;
    return u;
}

static void free_ut(void *cookie, void *u)
{
    (void)ut_free(cookie, u);
}

cspace_promote_t env_promote_args(seL4_CPtr tcb, seL4_CPtr vspace)
{
    cspace_promote_t p = {tcb, vspace, alloc_any, free_ut, cspace_sel4_tcb_set_space};
    return p;
}

/* ktest keeps a small pool for the cases' own objects; libut gets all the rest of RAM. */
seL4_Word ktest_pool_max_bits(void)
{
    return 22;
}

static void add_untypeds(const seL4_BootInfo *bi)
{
    env_setup.ut_add = seL4_NoError;
    for (seL4_Word i = 0; i < bi->untyped.end - bi->untyped.start; i++) {
        const seL4_UntypedDesc *d = &bi->untypedList[i];
        seL4_CPtr cap = bi->untyped.start + i;
        if (cap == env_setup.pool)
            continue;
        seL4_Error err = ut_add_untyped(&env_ut, d->paddr, cap, d->sizeBits, d->isDevice != 0);
        if (err != seL4_NoError && env_setup.ut_add == seL4_NoError)
            env_setup.ut_add = err;
        if (err != seL4_NoError)
            continue;
        env_setup.ut_roots++;
        if (!d->isDevice) {
            env_setup.ram_bytes += (uint64_t)1 << d->sizeBits;
            if (d->sizeBits < seL4_PageBits)
                env_setup.small_bytes += (uint64_t)1 << d->sizeBits;
        }
    }
}

void ktest_image_init(seL4_BootInfo *bi)
{
    env_setup.empty_start = bi->empty.start;
    env_setup.empty_end = bi->empty.end;
    env_setup.pool = ktest_pool();
    env_setup.split = bi->empty.start + ENV_KTEST_SLOTS;
    /* ktest reads its free slots from ktest_bootinfo: hand it its share only. */
    ktest_bi = *bi;
    ktest_bi.empty.end = env_setup.split;
    ktest_bootinfo = &ktest_bi;
    cspace_bi = *bi;
    cspace_bi.empty.start = env_setup.split;

    env_ut_cs.root = seL4_CapInitThreadCNode;
    env_ut_cs.leaf_bits = 0;
    ut_slot_ops_t slots = {&env_root, cspace_alloc_slot_cb, cspace_free_slot_cb};
    ut_init(&env_ut, ut_nodes, ENV_UT_NODES, ut_sel4_kernel_ops(&env_ut_cs), slots);
    cspace_pool_init(&leaf_pool, leaf_records, ENV_LEAF_RECORDS);
    env_alloc.alloc_4k_ut = alloc_4k;
    env_alloc.free_4k_ut = free_ut;
    env_alloc.cookie = &env_ut;
    env_alloc.pool = &leaf_pool;

    env_setup.bootstrap =
        cspace_root_task_bootstrap(&env_root, &cspace_bi, env_alloc, &cspace_sel4_ops);
    add_untypeds(bi);
    if (env_setup.bootstrap.error != seL4_NoError)
        return;
    cspace_promote_t p = env_promote_args(seL4_CapInitThreadTCB, seL4_CapInitThreadVSpace);
    env_setup.promote = cspace_root_task_promote(&env_root, &p);
    if (env_setup.promote.error == seL4_NoError) {
        /* libut's retypes now name slots through the new top CNode. */
        env_ut_cs.root = env_root.root_cnode;
        env_ut_cs.leaf_bits = env_root.node_bits;
    }
}

/* ---- helpers ---- */

static uint32_t rng_state;

void env_seed(uint32_t seed)
{
    rng_state = seed;
}

uint32_t env_random(void)
{
    uint32_t x = rng_state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    rng_state = x;
    return x;
}

size_t env_reserve_slots(size_t n)
{
    cspace_ret_t r = cspace_reserve(&env_root, n + CSPACE_ROOT_RESERVE);
    if (r.error != seL4_NoError)
        ktest_fail(__FILE__, __LINE__, "reserving %u slots: error %d at step %s", (unsigned)n,
                   r.error, cspace_step_name(r.step));
    return cspace_stats(&env_root).free;
}

uint64_t env_free_bytes_from(const ut_stats_t *s, size_t bits)
{
    uint64_t sum = 0;
    for (size_t b = bits; b <= UT_MAX_SIZE_BITS; b++)
        sum += s->free_bytes[b];
    return sum;
}

void env_check_stats(const char *file, int line, const ut_stats_t *got, const ut_stats_t *want)
{
    for (size_t b = 0; b <= UT_MAX_SIZE_BITS; b++) {
        if (got->free_blocks[b] != want->free_blocks[b] ||
            got->used_blocks[b] != want->used_blocks[b])
            ktest_fail(file, line, "2^%u blocks: %u free, %u used; expected %u free, %u used",
                       (unsigned)b, (unsigned)got->free_blocks[b], (unsigned)got->used_blocks[b],
                       (unsigned)want->free_blocks[b], (unsigned)want->used_blocks[b]);
    }
    if (got->total_free != want->total_free || got->total_used != want->total_used)
        ktest_fail(file, line, "bytes: %u free, %u used; expected %u free, %u used",
                   (unsigned)got->total_free, (unsigned)got->total_used, (unsigned)want->total_free,
                   (unsigned)want->total_used);
    if (got->largest_free != want->largest_free)
        ktest_fail(file, line, "largest free block 2^%u, expected 2^%u",
                   (unsigned)got->largest_free, (unsigned)want->largest_free);
    if (got->free_nodes != want->free_nodes)
        ktest_fail(file, line, "%u metadata nodes free, expected %u", (unsigned)got->free_nodes,
                   (unsigned)want->free_nodes);
    if (got->device_used != want->device_used)
        ktest_fail(file, line, "%u device pages used, expected %u", (unsigned)got->device_used,
                   (unsigned)want->device_used);
}
