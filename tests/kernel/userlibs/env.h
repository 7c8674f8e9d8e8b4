/*
 * The userlibs image's environment: libut over every boot Untyped except ktest's pool, and the
 * root task's CSpace managed by libcspace and promoted to two levels, both set up by
 * ktest_image_init (env.c) before the cases run and kept for the whole image. The bench-libs
 * image links env.c too, to measure the libraries as they are used here.
 *
 * Slots. The kernel's root CNode has 4096 slots; its free ones (bootinfo->empty) are split:
 * the first ENV_KTEST_SLOTS are ktest's (ktest_slot(), deleted after each case), the rest are
 * libcspace's. Memory. ktest revokes its pool (the largest RAM Untyped) after each case, so
 * libut never sees it; whatever libut hands out stays until it is freed.
 */
#pragma once

#include "../lib/ktest.h"
#include <cspace/cspace.h>
#include <ut/ut.h>

#define ENV_KTEST_SLOTS 256
#define ENV_UT_NODES    80000 /* libut metadata: one per untyped, two per split */
#define ENV_LEAF_RECORDS                                                                           \
    (CSPACE_MAX_LEAVES + 4 * CSPACE_NODE_SLOTS) /* the root CSpace, and four built ones */

/* What ktest_image_init did; USERLIBS0001 checks it. */
typedef struct {
    seL4_CPtr pool;         /* ktest's pool Untyped, kept from libut */
    seL4_Word split;        /* slots [empty.start, split) are ktest's, [split, 4096) libcspace's */
    seL4_Error ut_add;      /* first error adding the untypeds */
    size_t ut_roots;        /* untypeds given to libut */
    uint64_t ram_bytes;     /* bytes of normal memory in them */
    uint64_t small_bytes;   /* ... of which in untypeds below 4 KiB */
    cspace_ret_t bootstrap; /* cspace_root_task_bootstrap */
    cspace_ret_t promote;   /* cspace_root_task_promote */
    seL4_Word empty_start;  /* bootinfo->empty as the kernel gave it */
    seL4_Word empty_end;
} env_setup_t;

extern env_setup_t env_setup;
extern ut_allocator_t env_ut;
extern cspace_t env_root;          /* the root task's CSpace */
extern ut_sel4_cspace_t env_ut_cs; /* where libut's kernel calls resolve slots */
extern cspace_alloc_t env_alloc;   /* libut behind libcspace's callbacks */

/* What promoting a CSpace for `tcb` takes: 64 KiB CNodes from env_ut, libsel4's SetSpace. */
cspace_promote_t env_promote_args(seL4_CPtr tcb, seL4_CPtr vspace);

/* xorshift32 with a fixed seed, so every run makes the same choices. */
void env_seed(uint32_t seed);
uint32_t env_random(void);

/* Grow the root CSpace until at least n slots are free, so that a case that needs n slots
 * takes no CNode from libut in the middle of its accounting. Returns the free count. */
size_t env_reserve_slots(size_t n);

/* Checks two ut_stats snapshots field by field (the case fails on a difference). */
void env_check_stats(const char *file, int line, const ut_stats_t *got, const ut_stats_t *want);
#define ENV_CHECK_STATS(got, want) env_check_stats(__FILE__, __LINE__, (got), (want))

/* Bytes of libut's free blocks of at least 2^bits bytes. */
uint64_t env_free_bytes_from(const ut_stats_t *s, size_t bits);
