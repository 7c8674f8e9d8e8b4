/*
 * Benchmark of the user-level libraries on the release kernel, measured as the IPC benchmark
 * (tests/kernel/bench) is: the GPT at 66 MHz under -icount shift=0 (one tick is 15.15 guest
 * instructions), warm-up iterations, then timed ones. Figures are guest instructions per
 * operation, user and kernel together. The libraries run as a root server would use them
 * (userlibs/env.c): libut over the boot Untypeds, the root CSpace promoted to two levels.
 *
 * CTest checks that every operation succeeded and that the table was printed; the figures are
 * for reading, not thresholds.
 */
#include "../lib/ktimer.h"
#include "../userlibs/env.h"
#include <cpio/cpio.h>

#define WARMUP      100
#define UT_ITERS    1000
#define SLOT_ITERS  10000
#define CPIO_ROUNDS 100 /* lookups of each of the 100 names */
#define N_FILES     100

extern const uint8_t bench_archive[], bench_archive_end[];

typedef struct {
    const char *name;
    const char *kernel; /* the kernel calls each operation makes */
    unsigned x100;
} row_t;

/* ---- libut ---- */

static ut_t private_nodes[64];
static ut_allocator_t private_ut;

/*
 * An allocator of its own holding one free block of 2^root_bits taken from env_ut, so that
 * what a measured ut_alloc splits and ut_free merges is known exactly. Returns that block.
 */
static ut_t *private_allocator(size_t root_bits)
{
    ut_t *big = ut_alloc(&env_ut, root_bits);
    if (big == NULL)
        return NULL;
    ut_slot_ops_t slots = {&env_root, cspace_alloc_slot_cb, cspace_free_slot_cb};
    ut_init(&private_ut, private_nodes, sizeof(private_nodes) / sizeof(private_nodes[0]),
            ut_sel4_kernel_ops(&env_ut_cs), slots);
    if (ut_add_untyped(&private_ut, big->paddr, big->cap, root_bits, false) != seL4_NoError) {
        (void)ut_free(&env_ut, big);
        return NULL;
    }
    return big;
}

/*
 * ut_alloc + ut_free of 2^bits from a free block of 2^root_bits. With `hold`, the first block
 * of 2^bits stays allocated, so that each timed one is its buddy: no split, no merge.
 */
static unsigned time_ut(size_t root_bits, size_t bits, bool hold)
{
    ut_t *big = private_allocator(root_bits);
    if (big == NULL) {
        ktest_fail(__FILE__, __LINE__, "no block of 2^%u for the benchmark", (unsigned)root_bits);
        return 0;
    }
    ut_t *held = hold ? ut_alloc(&private_ut, bits) : NULL;
    KCHECK_EQ(hold && held == NULL, false);
    unsigned bad = 0;
    for (int i = 0; i < WARMUP; i++)
        bad += ut_free(&private_ut, ut_alloc(&private_ut, bits)) != seL4_NoError;
    uint32_t start = ktimer_now();
    for (int i = 0; i < UT_ITERS; i++)
        bad += ut_free(&private_ut, ut_alloc(&private_ut, bits)) != seL4_NoError;
    uint32_t ticks = ktimer_now() - start;
    KCHECK_EQ(bad, 0);
    if (held != NULL)
        KCHECK_EQ(ut_free(&private_ut, held), seL4_NoError);
    ut_stats_t s;
    ut_stats(&private_ut, &s);
    KCHECK_EQ(s.free_blocks[root_bits], 1); /* all merged back */
    KCHECK_EQ(s.total_used, 0);
    KCHECK_EQ(ut_free(&env_ut, big), seL4_NoError);
    return ktimer_instructions_x100(ticks, UT_ITERS);
}

/* ---- libcspace ---- */

static unsigned time_slots(void)
{
    cspace_stats_t c0 = cspace_stats(&env_root);
    unsigned bad = 0;
    for (int i = 0; i < WARMUP; i++)
        bad += cspace_free_slot(&env_root, cspace_alloc_slot(&env_root)) != seL4_NoError;
    uint32_t start = ktimer_now();
    for (int i = 0; i < SLOT_ITERS; i++)
        bad += cspace_free_slot(&env_root, cspace_alloc_slot(&env_root)) != seL4_NoError;
    uint32_t ticks = ktimer_now() - start;
    KCHECK_EQ(bad, 0);
    KCHECK_EQ(cspace_stats(&env_root).free, c0.free);
    return ktimer_instructions_x100(ticks, SLOT_ITERS);
}

/* ---- libcpio ---- */

static char names[N_FILES][8];

/* The archive as mkarchive.sh made it: fileNN holds NN + 1 lines "fileNN". */
static void check_archive(const cpio_t *a)
{
    KCHECK_EQ(a->count, N_FILES);
    for (unsigned i = 0; i < N_FILES; i++) {
        snprintf(names[i], sizeof(names[i]), "file%02u", i);
        cpio_entry_t e;
        KCHECK_EQ(cpio_find(a, names[i], &e), CPIO_OK);
        KCHECK_EQ(e.size, 7 * (i + 1));
        KCHECK(e.data != NULL && memcmp(e.data, names[i], 6) == 0 && e.data[6] == '\n');
    }
}

static unsigned time_lookups(const cpio_t *a)
{
    cpio_entry_t e;
    unsigned bad = 0;
    for (int r = 0; r < WARMUP / 10; r++)
        for (int i = 0; i < N_FILES; i++)
            bad += cpio_find(a, names[i], &e) != CPIO_OK;
    uint32_t start = ktimer_now();
    for (int r = 0; r < CPIO_ROUNDS; r++)
        for (int i = 0; i < N_FILES; i++)
            bad += cpio_find(a, names[i], &e) != CPIO_OK;
    uint32_t ticks = ktimer_now() - start;
    KCHECK_EQ(bad, 0);
    return ktimer_instructions_x100(ticks, CPIO_ROUNDS * N_FILES);
}

static unsigned time_missing(const cpio_t *a)
{
    cpio_entry_t e;
    unsigned bad = 0;
    uint32_t start = ktimer_now();
    for (int r = 0; r < CPIO_ROUNDS; r++)
        bad += cpio_find(a, "file100", &e) != CPIO_ERR_NOT_FOUND;
    uint32_t ticks = ktimer_now() - start;
    KCHECK_EQ(bad, 0);
    return ktimer_instructions_x100(ticks, CPIO_ROUNDS);
}

static unsigned time_open(void)
{
    cpio_t a;
    unsigned bad = 0;
    size_t len = (size_t)(bench_archive_end - bench_archive);
    uint32_t start = ktimer_now();
    for (int r = 0; r < CPIO_ROUNDS; r++)
        bad += cpio_open(&a, bench_archive, len) != CPIO_OK;
    uint32_t ticks = ktimer_now() - start;
    KCHECK_EQ(bad, 0);
    return ktimer_instructions_x100(ticks, CPIO_ROUNDS);
}

static unsigned time_empty_loop(void)
{
    uint32_t start = ktimer_now();
    for (int i = 0; i < SLOT_ITERS; i++)
        __asm__ volatile("" ::: "memory");
    return ktimer_instructions_x100(ktimer_now() - start, SLOT_ITERS);
}

/* The GPT's page through libut's device memory, which the environment manages. */
static ut_t *start_timer(void)
{
    ut_t *u = ut_alloc_4k_device(&env_ut, KTIMER_GPT_PADDR);
    if (u == NULL)
        return NULL;
    seL4_CPtr frame = ktest_slot();
    if (seL4_Untyped_Retype(u->cap, seL4_ARM_SmallPageObject, 0, seL4_CapInitThreadCNode, 0, 0,
                            frame, 1) != seL4_NoError ||
        ktimer_start_frame(frame) != 0) {
        (void)ut_free(&env_ut, u);
        return NULL;
    }
    return u;
}

KTEST(bench_libs, "BENCHLIBS0001",
      "user-level libraries: instructions per libut, libcspace and libcpio operation (table)")
{
    KREQUIRE_EQ(env_setup.promote.error, seL4_NoError);
    ut_t *timer = start_timer();
    KREQUIRE_EQ(timer != NULL, true);
    env_reserve_slots(256); /* no CNode is added in the middle of a measurement */
    cpio_t a;
    KREQUIRE_EQ(cpio_open(&a, bench_archive, (size_t)(bench_archive_end - bench_archive)), CPIO_OK);
    check_archive(&a);

    row_t rows[] = {
        {"ut_alloc + ut_free, 4 KiB, buddy in use", "1 revoke", 0},
        {"ut_alloc + ut_free, 4 KiB, from a free 1 MiB block", "16 retypes, 9 revokes", 0},
        {"ut_alloc + ut_free, 1 MiB, buddy in use", "1 revoke", 0},
        {"ut_alloc + ut_free, 1 MiB, from a free 16 MiB block", "8 retypes, 5 revokes", 0},
        {"cspace_alloc_slot + cspace_free_slot", "none", 0},
        {"cpio_find, 100-file archive (each name in turn)", "none", 0},
        {"cpio_find, 100-file archive, missing name", "none", 0},
        {"cpio_open, 100-file archive (validates all)", "none", 0},
    };
    rows[0].x100 = time_ut(13, 12, true);
    rows[1].x100 = time_ut(20, 12, false);
    rows[2].x100 = time_ut(21, 20, true);
    rows[3].x100 = time_ut(24, 20, false);
    rows[4].x100 = time_slots();
    rows[5].x100 = time_lookups(&a);
    rows[6].x100 = time_missing(&a);
    rows[7].x100 = time_open();
    unsigned loop = time_empty_loop();

    printf("\nKeel user-level libraries: guest instructions per operation (QEMU icount, GPT at\n"
           "66 MHz; %d warm-up, then %d timed for libut, %d for slots, %d for cpio; user and\n"
           "kernel instructions included; release kernel)\n\n",
           WARMUP, UT_ITERS, SLOT_ITERS, CPIO_ROUNDS * N_FILES);
    printf("| %-52s | %10s | %-22s |\n", "operation", "Keel", "kernel calls");
    printf("|------------------------------------------------------|------------|"
           "------------------------|\n");
    for (unsigned i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        unsigned m = rows[i].x100;
        printf("| %-52s | %7u.%02u | %-22s |\n", rows[i].name, m / 100, m % 100, rows[i].kernel);
        KCHECK(m > 0);
    }
    printf("\n(an empty timing loop costs %u.%02u per iteration)\n\n", loop / 100, loop % 100);
    KCHECK_EQ(ut_free(&env_ut, timer), seL4_NoError);
}
