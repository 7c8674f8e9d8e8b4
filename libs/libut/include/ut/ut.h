/*
 * libut: a buddy allocator over seL4 untyped memory, for the root server.
 *
 * The names follow the UNSW AOS framework (ut_t, ut_alloc, ut_free, ut_alloc_4k_untyped,
 * ut_alloc_4k_device, ut_add_untyped_range, ut_size), so course material maps onto it. Where
 * this design differs, it is on purpose:
 *
 *  - Any power-of-two size from 2^4 bytes to the largest untyped, not only <= 4 KiB. A block
 *    is split by really retyping the parent untyped into two halves (one retype per half, in
 *    address order), so the kernel's derivation tree and the allocator's buddy tree are the same
 *    tree and can never diverge.
 *  - Coalescing. AOS never merges; here, freeing a block whose buddy is free revokes the parent
 *    untyped (the kernel deletes both child caps and resets the parent's watermark), returns the
 *    child slots, and frees the parent one size up, recursively. Freeing everything restores the
 *    original blocks, so a long-running system does not fragment into 4 KiB pieces.
 *  - ut_free revokes the freed block's own cap first, so every object made from it is gone and
 *    the next owner's retype starts from a reset watermark. A stale object can therefore never
 *    make a later retype fail.
 *  - State is an explicit ut_allocator_t, not a global table: tests build as many as they like
 *    and nothing is hidden.
 *  - No malloc. Metadata nodes come from arrays the caller hands over (ut_init, ut_add_nodes);
 *    running out is an error (seL4_NotEnoughMemory) that changes nothing. Slots for the caps of
 *    split halves come from a slot-allocator callback, and the three kernel calls (Retype,
 *    Revoke, Delete) go through ut_kernel_ops_t, so the host tests can fake the kernel.
 *  - Errors are return values, never asserts: functions returning ut_t * return NULL and record
 *    why in ut_last_error(); the others return the seL4_Error.
 *
 * Re-entrancy: the slot callback may itself call back into this allocator (a CSpace growing to
 * find a slot may ut_alloc a CNode); every operation takes its slots before it looks at or
 * changes the free lists, so such nested calls see a consistent allocator.
 *
 * Freestanding: only <stddef.h>, <stdint.h>, <stdbool.h> and the seL4 type headers.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <sel4/types.h>
#include <sel4/bootinfo.h>

/* Size classes: 2^UT_MIN_SIZE_BITS .. 2^UT_MAX_SIZE_BITS bytes. */
#define UT_MIN_SIZE_BITS seL4_MinUntypedBits
#define UT_MAX_SIZE_BITS seL4_MaxUntypedBits
/* Untyped caps added with ut_add_untyped and friends (the bootinfo holds at most 230). */
#define UT_MAX_ROOTS 256

/*
 * One untyped block. paddr, cap and size_bits are the public part: the cap names an untyped of
 * 2^size_bits bytes at paddr, in the root server's CSpace. Everything after them is the
 * allocator's and must not be touched.
 */
typedef struct ut ut_t;
struct ut {
    seL4_Word paddr;
    seL4_CPtr cap;
    seL4_Uint8 size_bits;

    /* private */
    seL4_Uint8 state;  /* UT_STATE_* in ut.c */
    seL4_Uint8 device; /* device memory: handed out only by ut_alloc_4k_device */
    ut_t *parent;      /* NULL for a block added by the caller (a root) */
    union {
        struct {
            ut_t *next, *prev;
        } link;         /* free: free-list links; unused: pool link (next) */
        ut_t *child[2]; /* split: the two halves, lower address first */
    } u;
};

/*
 * The kernel calls, at depth seL4_WordBits in the root server's CSpace. Each returns what the
 * kernel returned. retype creates ONE object of `type` and `size_bits` (seL4 meaning) from
 * `untyped` into the empty slot `dest`.
 */
typedef struct {
    void *cookie;
    seL4_Error (*retype)(void *cookie, seL4_CPtr untyped, seL4_Word type, seL4_Word size_bits,
                         seL4_CPtr dest);
    seL4_Error (*revoke)(void *cookie, seL4_CPtr cap);
    seL4_Error (*delete)(void *cookie, seL4_CPtr cap);
} ut_kernel_ops_t;

/* Where new caps go: alloc_slot returns an empty slot or seL4_CapNull; free_slot takes it back. */
typedef struct {
    void *cookie;
    seL4_CPtr (*alloc_slot)(void *cookie);
    void (*free_slot)(void *cookie, seL4_CPtr slot);
} ut_slot_ops_t;

typedef struct {
    ut_t *free[UT_MAX_SIZE_BITS + 1]; /* free lists of normal memory, by size_bits */
    ut_t *pool;                       /* unused metadata nodes */
    size_t pool_free;
    ut_t *roots[UT_MAX_ROOTS]; /* every block added by the caller */
    size_t n_roots;
    uint32_t n_free[UT_MAX_SIZE_BITS + 1];
    uint32_t n_used[UT_MAX_SIZE_BITS + 1];
    uint32_t device_used; /* 4 KiB device blocks handed out */
    uint64_t total;       /* bytes of normal memory added */
    seL4_Error last_error;
    ut_kernel_ops_t kernel;
    ut_slot_ops_t slots;
} ut_allocator_t;

/* Per size class, what is free and what is handed out (normal memory only). */
typedef struct {
    uint32_t free_blocks[UT_MAX_SIZE_BITS + 1];
    uint32_t used_blocks[UT_MAX_SIZE_BITS + 1];
    uint64_t free_bytes[UT_MAX_SIZE_BITS + 1];
    uint64_t used_bytes[UT_MAX_SIZE_BITS + 1];
    uint64_t total_free;  /* sum of free_bytes */
    uint64_t total_used;  /* sum of used_bytes */
    size_t largest_free;  /* size_bits of the largest free block; 0 if nothing is free */
    size_t free_nodes;    /* metadata nodes left in the pool */
    uint32_t device_used; /* 4 KiB device blocks handed out */
} ut_stats_t;

/*
 * Start an empty allocator. `nodes` (n_nodes of them, any contents) become its metadata pool:
 * one node per untyped added, plus two per split. kernel and slots are copied.
 */
void ut_init(ut_allocator_t *ua, ut_t *nodes, size_t n_nodes, ut_kernel_ops_t kernel,
             ut_slot_ops_t slots);

/* Give the allocator n more metadata nodes (e.g. from a frame the root server just mapped). */
void ut_add_nodes(ut_allocator_t *ua, ut_t *nodes, size_t n);

/*
 * Hand over one untyped cap: 2^size_bits bytes at paddr, aligned to its size. Device memory is
 * only given out by ut_alloc_4k_device. Errors: seL4_RangeError (size outside
 * UT_MIN..UT_MAX_SIZE_BITS, or UT_MAX_ROOTS reached), seL4_AlignmentError (paddr not aligned),
 * seL4_InvalidArgument (null cap, or overlapping a block already added), seL4_NotEnoughMemory
 * (no metadata node).
 */
seL4_Error ut_add_untyped(ut_allocator_t *ua, seL4_Word paddr, seL4_CPtr cap, size_t size_bits,
                          bool device);

/*
 * Hand over n untypeds of 2^size_bits bytes with consecutive caps starting at `cap` and
 * consecutive addresses starting at paddr (AOS adds 4 KiB ones this way). Stops at the first
 * error, keeping the ones already added.
 */
seL4_Error ut_add_untyped_range(ut_allocator_t *ua, seL4_Word paddr, seL4_CPtr cap, size_t n,
                                size_t size_bits, bool device);

/* Hand over every untyped the kernel gave the root task (slots bi->untyped.start..end). */
seL4_Error ut_add_bootinfo(ut_allocator_t *ua, const seL4_BootInfo *bi);

/*
 * Allocate an untyped of exactly 2^size_bits bytes, aligned to its size, splitting larger free
 * blocks as needed. NULL on failure, with nothing changed and ut_last_error() set to
 * seL4_RangeError (size out of range), seL4_NotEnoughMemory (no block large enough, no metadata
 * node or no slot) or the kernel's error.
 */
ut_t *ut_alloc(ut_allocator_t *ua, size_t size_bits);

/* ut_alloc(ua, seL4_PageBits), also storing the block's paddr in *paddr when paddr != NULL. */
ut_t *ut_alloc_4k_untyped(ut_allocator_t *ua, seL4_Word *paddr);

/*
 * Allocate the 4 KiB of device memory at paddr, retyping the device untyped that contains it
 * down to exactly that page. NULL on failure with ut_last_error() set to seL4_AlignmentError
 * (paddr not 4 KiB aligned), seL4_RangeError (no device untyped holds a 4 KiB page there),
 * seL4_DeleteFirst (that page is already handed out), seL4_NotEnoughMemory (no metadata node
 * or slot) or the kernel's error.
 */
ut_t *ut_alloc_4k_device(ut_allocator_t *ua, seL4_Word paddr);

/*
 * Give a block back. Its cap is revoked first (destroying every object made from it), then it
 * coalesces with its buddy for as long as the buddy is free. Errors: seL4_InvalidArgument (NULL
 * or not an allocated block; nothing changes), or the revoke's error (the block stays
 * allocated). A failure while coalescing leaves the block free but unmerged.
 */
seL4_Error ut_free(ut_allocator_t *ua, ut_t *ut);

/* Bytes of normal (non-device) memory under management; fixed once the untypeds are added. */
size_t ut_size(const ut_allocator_t *ua);

/* Snapshot of the counters. */
void ut_stats(const ut_allocator_t *ua, ut_stats_t *out);

/* Why the last call that failed did so (seL4_NoError after a success). */
seL4_Error ut_last_error(const ut_allocator_t *ua);

/*
 * The libsel4 implementation of ut_kernel_ops_t (src/ut_sel4.c, cross build only). Its cookie
 * is a ut_sel4_cspace_t describing the root server's CSpace: `root` is the CPtr of its top
 * CNode (invocable at depth 32), leaf_bits the radix of the CNodes holding the slots in a
 * two-level CSpace, or 0 for a one-level CSpace. The cookie is read at every call, so a root
 * server whose CSpace libcspace promotes to two levels sets root to the cspace_t's new
 * root_cnode and leaf_bits to its node_bits (12) right after the switch.
 */
typedef struct {
    seL4_CNode root;
    seL4_Word leaf_bits;
} ut_sel4_cspace_t;

ut_kernel_ops_t ut_sel4_kernel_ops(ut_sel4_cspace_t *cspace);
