/*
 * libcspace: CSpace management for the root server.
 *
 * The names and arguments follow the UNSW AOS framework (cspace_t, cspace_create_one_level,
 * cspace_create_two_level, cspace_destroy, cspace_alloc_slot, cspace_free_slot, cspace_copy,
 * cspace_mint, cspace_move, cspace_mutate, cspace_delete, cspace_revoke, cspace_save_reply_cap,
 * cspace_untyped_retype, cspace_alloc_t with alloc_4k_ut/free_4k_ut), so course material maps
 * onto it. Where this design differs, it is on purpose:
 *
 *  - Every operation returns a cspace_ret_t: the seL4_Error, the step that failed (so "the
 *    mint into the new process failed at allocating the slot" is distinguishable from "the
 *    kernel refused the mint") and the slot it produced. AOS returns a bare seL4_Error.
 *  - Destination slots can be allocated by the call: pass CSPACE_NEW_SLOT (seL4_CapNull, never
 *    a valid destination) as the destination and the call takes a slot, returns it in .slot,
 *    and gives it back if anything fails. Nothing is ever left half done.
 *  - Slot allocation is O(1): a 256-bit bitmap per CNode of 256 slots ("leaf"), a hint for the
 *    first word of each leaf that may have a free bit, a 1024-bit summary of the leaves that
 *    have any free slot and a word saying which summary words are non-zero. Freeing is O(1)
 *    too. AOS scans its bitfields.
 *  - No malloc. Bookkeeping (one 44-byte cspace_leaf_t per 256 slots) comes from a
 *    cspace_pool_t the root server fills from static arrays or frames it maps; an empty pool
 *    is an error (seL4_NotEnoughMemory at CSPACE_STEP_ALLOC_META) that changes nothing.
 *    Second-level CNodes come from untyped memory through the alloc_4k_ut callback (libut's
 *    ut_alloc in the root server), on demand: a two-level CSpace starts with one 256-slot
 *    CNode and grows to 65536 slots.
 *  - The kernel calls go through cspace_ops_t, so the host tests can fake the kernel;
 *    cspace_sel4_ops (src/cspace_sel4.c, cross build only) is the libsel4 implementation.
 *  - Empty second-level CNodes are kept until cspace_destroy, so a CSpace that shrinks and
 *    grows again does not churn untyped memory.
 *
 * Layout. All CPtrs are resolved at depth 32 (seL4_WordBits).
 *  - One level: one CNode of 2^radix slots whose cap has guard 0 of size 32 - radix; the CPtr
 *    is the slot number.
 *  - Two levels: a top CNode of 2^8 slots, cap guard 0 of size 16, whose slot i holds the
 *    second-level CNode i of 2^8 slots (cap without guard). CPtr = i << 8 | slot, below 2^16:
 *    the top cap consumes 16 guard bits and 8 radix bits, the second level the last 8. The
 *    top CNode's cap is made by Mutate with seL4_CNode_CapData_new(0, 16), which keeps it
 *    revocable (Mint would make it a non-revocable copy), and second-level CNodes are retyped
 *    straight into the top CNode's slots.
 *  - Slot 0 (seL4_CapNull) is never handed out.
 *
 * The root server's own CSpace is "bootstrapped": it is the root CNode the kernel made
 * (bootinfo->initThreadCNodeSizeBits, cap guard 32 - that, free slots bootinfo->empty), one
 * level, at most 65536 slots of it managed.
 *
 * It can then be "promoted" to two levels (cspace_root_task_promote), because the kernel's
 * root CNode of 2^12 slots cannot name all of memory as 4 KiB untypeds (libut keeps about two
 * caps per 4 KiB block it hands out). A new top CNode of 2^8 slots becomes the root thread's
 * CSpace root, and the CPtr layout, still at depth 32, is (for a root CNode of radix r = 12):
 *
 *     bit 31          20 19           12 11             0
 *        | guard: 0, 12 | top index i, 8 | slot s, r = 12 |
 *
 *  - top slot 0: the kernel's root CNode, through a copy of its cap with guard 0. CPtr = s, so
 *    every CPtr below 2^r names the same slot as before the switch (seL4_CapInitThreadTCB, the
 *    bootinfo's slot regions, every cap already handed out);
 *  - top slot i >= 1: a CNode of 2^r slots (2^(r+4) bytes, 64 KiB, from the promote
 *    argument's alloc_ut) with an unguarded cap, added when the CSpace runs short: CPtr =
 *    i << 12 | s. Bookkeeping limits a CSpace to CSPACE_MAX_LEAVES * 256 slots: top slots
 *    0..63, 262144 slots, enough for about 500 MiB of RAM in 4 KiB blocks;
 *  - root_cnode becomes a slot of the kernel's root CNode holding a cap to the top CNode with
 *    the 12-bit guard, so every CPtr is invocable through it at depth 32. The cap at
 *    seL4_CapInitThreadCNode is left as the kernel made it (guard 32 - r): invocations of the
 *    kernel's root CNode itself at depth 32 with a CPtr below 2^r keep working, as does a
 *    thread given seL4_CapInitThreadCNode as its CSpace root.
 * A promoted CSpace grows before it is full: while no more than CSPACE_ROOT_RESERVE slots are
 * free, it adds a CNode, and the slots the untyped allocator needs for that come from the
 * reserve.
 *
 * Every other CSpace is built by the root server:
 * its CNodes are retyped by the root server and its root_cnode is a slot in the root server's
 * CSpace holding a cap to its top CNode; every operation on it is an invocation by the root
 * server through that cap, and caps reach it by copy or mint from the root server's CSpace.
 *
 * Re-entrancy: alloc_4k_ut may take slots from the CSpace that is growing (the root server's
 * untyped allocator needs slots); growth is guarded so such nested allocations are served from
 * the free slots that remain.
 *
 * Freestanding: only <stddef.h>, <stdint.h>, <stdbool.h> and the seL4 type headers.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <sel4/types.h>
#include <sel4/bootinfo.h>

#define CSPACE_NODE_BITS       8 /* slots in every CNode this library makes: 2^8, 4 KiB */
#define CSPACE_NODE_SLOTS      (1u << CSPACE_NODE_BITS)
#define CSPACE_LEAF_WORDS      (CSPACE_NODE_SLOTS / seL4_WordBits)
#define CSPACE_MAX_LEAVES      1024 /* 1024 * 256 slots at most (a built CSpace: 65536) */
#define CSPACE_TWO_LEVEL_GUARD (seL4_WordBits - 2 * CSPACE_NODE_BITS)
/* A promoted root CSpace adds a CNode while this few slots or fewer are free. */
#define CSPACE_ROOT_RESERVE 64
/* Pass as a destination to have the call allocate the slot. */
#define CSPACE_NEW_SLOT seL4_CapNull

/* Bookkeeping for 256 slots; only the library touches the fields. */
typedef struct cspace_leaf cspace_leaf_t;
struct cspace_leaf {
    seL4_Word free[CSPACE_LEAF_WORDS]; /* bit set: slot free */
    void *ut;                          /* untyped holding the second-level CNode, or NULL */
    cspace_leaf_t *next;               /* pool link */
    uint16_t n_free;
    uint8_t hint; /* no free bit in words below this one */
};

/* Leaf records not in use; any number of CSpaces share one pool. */
typedef struct {
    cspace_leaf_t *head;
    size_t n_free;
} cspace_pool_t;

void cspace_pool_init(cspace_pool_t *pool, cspace_leaf_t *records, size_t n);
/* More records, e.g. from a frame just mapped. */
void cspace_pool_add(cspace_pool_t *pool, cspace_leaf_t *records, size_t n);

/* Which step of an operation failed. */
typedef enum {
    CSPACE_STEP_NONE = 0,   /* success */
    CSPACE_STEP_ARGS,       /* rejected before any work */
    CSPACE_STEP_ALLOC_SLOT, /* no free slot (full, or could not grow) */
    CSPACE_STEP_ALLOC_META, /* bookkeeping pool empty */
    CSPACE_STEP_ALLOC_UT,   /* alloc_4k_ut returned NULL */
    CSPACE_STEP_RETYPE,
    CSPACE_STEP_COPY,
    CSPACE_STEP_MINT,
    CSPACE_STEP_MOVE,
    CSPACE_STEP_MUTATE,
    CSPACE_STEP_ROTATE,
    CSPACE_STEP_DELETE,
    CSPACE_STEP_REVOKE,
    CSPACE_STEP_SAVE_CALLER,
    CSPACE_STEP_SET_SPACE, /* cspace_root_task_promote: the kernel refused TCB_SetSpace */
} cspace_step_t;

typedef struct {
    seL4_Error error;   /* seL4_NoError on success */
    cspace_step_t step; /* CSPACE_STEP_NONE on success */
    seL4_CPtr slot;     /* on success, the slot used (allocated if CSPACE_NEW_SLOT was given) */
} cspace_ret_t;

/* A short name for a step, for messages. */
const char *cspace_step_name(cspace_step_t step);

/* The kernel calls, with libsel4's arguments after the cookie. */
typedef struct {
    void *cookie;
    seL4_Error (*untyped_retype)(void *cookie, seL4_Untyped service, seL4_Word type,
                                 seL4_Word size_bits, seL4_CNode root, seL4_Word node_index,
                                 seL4_Word node_depth, seL4_Word node_offset,
                                 seL4_Word num_objects);
    seL4_Error (*cnode_copy)(void *cookie, seL4_CNode service, seL4_Word dest_index,
                             seL4_Uint8 dest_depth, seL4_CNode src_root, seL4_Word src_index,
                             seL4_Uint8 src_depth, seL4_CapRights_t rights);
    seL4_Error (*cnode_mint)(void *cookie, seL4_CNode service, seL4_Word dest_index,
                             seL4_Uint8 dest_depth, seL4_CNode src_root, seL4_Word src_index,
                             seL4_Uint8 src_depth, seL4_CapRights_t rights, seL4_Word badge);
    seL4_Error (*cnode_move)(void *cookie, seL4_CNode service, seL4_Word dest_index,
                             seL4_Uint8 dest_depth, seL4_CNode src_root, seL4_Word src_index,
                             seL4_Uint8 src_depth);
    seL4_Error (*cnode_mutate)(void *cookie, seL4_CNode service, seL4_Word dest_index,
                               seL4_Uint8 dest_depth, seL4_CNode src_root, seL4_Word src_index,
                               seL4_Uint8 src_depth, seL4_Word badge);
    seL4_Error (*cnode_rotate)(void *cookie, seL4_CNode service, seL4_Word dest_index,
                               seL4_Uint8 dest_depth, seL4_CNode pivot_root, seL4_Word pivot_index,
                               seL4_Uint8 pivot_depth, seL4_Word pivot_badge, seL4_CNode src_root,
                               seL4_Word src_index, seL4_Uint8 src_depth, seL4_Word src_badge);
    seL4_Error (*cnode_delete)(void *cookie, seL4_CNode service, seL4_Word index, seL4_Uint8 depth);
    seL4_Error (*cnode_revoke)(void *cookie, seL4_CNode service, seL4_Word index, seL4_Uint8 depth);
    seL4_Error (*cnode_save_caller)(void *cookie, seL4_CNode service, seL4_Word index,
                                    seL4_Uint8 depth);
} cspace_ops_t;

/* The libsel4 implementation (src/cspace_sel4.c, cross build only); its cookie is unused. */
extern const cspace_ops_t cspace_sel4_ops;

/*
 * Where CNodes and bookkeeping come from. alloc_4k_ut returns a handle for a 4 KiB untyped and
 * its cap (in the root server's CSpace) in *cap, or NULL; free_4k_ut takes the handle back.
 */
typedef struct {
    void *(*alloc_4k_ut)(void *cookie, seL4_CPtr *cap);
    void (*free_4k_ut)(void *cookie, void *ut);
    void *cookie;
    cspace_pool_t *pool;
} cspace_alloc_t;

/*
 * What cspace_root_task_promote needs beyond the CSpace's cspace_alloc_t (a separate struct, so
 * that cspace_alloc_t keeps AOS's shape). alloc_ut and free_ut get that alloc's cookie,
 * tcb_set_space the ops' cookie.
 */
typedef struct {
    seL4_CPtr tcb;    /* the root server's TCB: seL4_CapInitThreadTCB */
    seL4_CPtr vspace; /* its VSpace root, kept: seL4_CapInitThreadVSpace */
    /* An untyped of 2^size_bits bytes and its cap in *cap, or NULL; free_ut takes it back. */
    void *(*alloc_ut)(void *cookie, size_t size_bits, seL4_CPtr *cap);
    void (*free_ut)(void *cookie, void *ut);
    /* seL4_TCB_SetSpace, with libsel4's arguments after the cookie. */
    seL4_Error (*tcb_set_space)(void *cookie, seL4_CPtr tcb, seL4_Word fault_ep,
                                seL4_CPtr cspace_root, seL4_Word cspace_root_data,
                                seL4_CPtr vspace_root, seL4_Word vspace_root_data);
} cspace_promote_t;

/* The libsel4 seL4_TCB_SetSpace for cspace_promote_t (src/cspace_sel4.c, cross build only). */
seL4_Error cspace_sel4_tcb_set_space(void *cookie, seL4_CPtr tcb, seL4_Word fault_ep,
                                     seL4_CPtr cspace_root, seL4_Word cspace_root_data,
                                     seL4_CPtr vspace_root, seL4_Word vspace_root_data);

typedef struct cspace cspace_t;
struct cspace {
    seL4_CPtr root_cnode; /* in the root server's CSpace: cap to the top CNode, depth 32 */
    bool two_level;
    seL4_Word radix;     /* slots of the top CNode: 2^radix */
    seL4_Word node_bits; /* two levels: slots of each second-level CNode, 2^node_bits */
    cspace_t *bootstrap; /* NULL for the root server's own CSpace */
    void *untyped;       /* the top CNode's untyped (alloc handle); NULL if one-level root */
    cspace_alloc_t alloc;
    cspace_ops_t ops;
    cspace_promote_t promote; /* a promoted root: how its CNodes of 2^node_bits slots come */
    bool growing;             /* adding a second-level CNode (guards re-entry) */
    size_t reserve;           /* two levels: grow once no more than this many slots are free */
    size_t n_leaves;          /* leaf[0..n_leaves) are in use */
    size_t max_leaves;
    size_t n_slots; /* slots in those leaves that can ever be handed out or freed */
    size_t n_free;
    seL4_Word has_free[CSPACE_MAX_LEAVES / seL4_WordBits]; /* leaves with a free slot */
    seL4_Word has_free_words;                              /* bit w: has_free[w] != 0 */
    cspace_leaf_t *leaf[CSPACE_MAX_LEAVES];
    cspace_ret_t last; /* why the last failed cspace_alloc_slot failed */
};

/*
 * Adopt the root server's own CSpace: the kernel's root CNode at seL4_CapInitThreadCNode,
 * 2^bi->initThreadCNodeSizeBits slots (the first 65536 managed), free slots bi->empty. alloc
 * serves the CSpaces built from this one (cspace_create_one_level uses it) and may have NULL
 * callbacks if none will be; its pool must have a record per 256 slots managed. ops are copied.
 * Errors: CSPACE_STEP_ARGS (seL4_InvalidArgument: no pool, or an empty region outside the
 * CNode), CSPACE_STEP_ALLOC_META.
 */
cspace_ret_t cspace_root_task_bootstrap(cspace_t *c, const seL4_BootInfo *bi, cspace_alloc_t alloc,
                                        const cspace_ops_t *ops);

/*
 * Promote the root server's own CSpace, bootstrapped and still one level, to two levels (the
 * layout at the top of this file): retype a top CNode of 2^8 slots from a 4 KiB untyped
 * (c->alloc.alloc_4k_ut), mint the kernel's root CNode cap into its slot 0 with guard 0,
 * Mutate the top's cap to the guard 32 - 8 - r into a new slot (the new root_cnode), and
 * TCB_SetSpace p->tcb to it, with no fault endpoint and its VSpace p->vspace. From then on the
 * CSpace grows by CNodes of 2^r slots from p->alloc_ut. The root CNode's radix r must be 8..16
 * and entirely managed. Callers that resolve slots on their own (libut's ut_sel4_cspace_t) must
 * switch to root_cnode and node_bits afterwards. Errors: CSPACE_STEP_ARGS (seL4_InvalidArgument:
 * not a one-level root server CSpace, r out of range or a callback missing), _ALLOC_UT,
 * _RETYPE, _MINT, _MUTATE, _SET_SPACE; on failure the CSpace is unchanged and nothing is left
 * allocated.
 */
cspace_ret_t cspace_root_task_promote(cspace_t *c, const cspace_promote_t *p);

/*
 * Build a two-level CSpace for a new process (2^16 slots; starts with one second-level CNode),
 * using the root server's CSpace `bootstrap` for the cap to its top CNode, and `alloc` for its
 * CNodes and bookkeeping. Costs 2 untypeds of 4 KiB, 1 slot in bootstrap (2 for a moment) and
 * one pool record. On failure nothing is left allocated.
 */
cspace_ret_t cspace_create_two_level(cspace_t *bootstrap, cspace_t *target, cspace_alloc_t alloc);

/* The same for a one-level CSpace of 2^8 slots, with bootstrap->alloc. */
cspace_ret_t cspace_create_one_level(cspace_t *bootstrap, cspace_t *target);

/*
 * Tear down a CSpace built by cspace_create_*: delete its second-level CNodes (the kernel
 * deletes every cap in them), revoke and delete the cap to its top CNode (removing any copy
 * of it, such as the one a TCB holds), and give back the untypeds, the slot and the records.
 * The root server's own CSpace is refused (CSPACE_STEP_ARGS). If a kernel call fails the
 * CSpace stays valid, smaller, and destroy can be called again.
 */
cspace_ret_t cspace_destroy(cspace_t *c);

/*
 * A free slot, as a depth-32 CPtr, or seL4_CapNull with c->last saying why (growth may fail
 * at CSPACE_STEP_ALLOC_META, _ALLOC_UT or _RETYPE; full is seL4_NotEnoughMemory at
 * CSPACE_STEP_ALLOC_SLOT). Does not look at the slot's contents.
 */
seL4_CPtr cspace_alloc_slot(cspace_t *c);

/*
 * Grow a two-level CSpace, CNode by CNode, until at least n slots are free, so that a burst
 * of allocations that follows takes no untyped memory in its midst. Errors as for the growth
 * in cspace_alloc_slot; seL4_NotEnoughMemory at CSPACE_STEP_ALLOC_SLOT when the CSpace cannot
 * grow (one level, or at its largest). What was added before a failure stays.
 */
cspace_ret_t cspace_reserve(cspace_t *c, size_t n);

/*
 * Mark an empty slot free; it does not delete anything. Errors: seL4_RangeError (slot 0 or
 * outside the CSpace), seL4_InvalidArgument (already free).
 */
seL4_Error cspace_free_slot(cspace_t *c, seL4_CPtr slot);

/* libut's slot-callback shapes, with the cookie a cspace_t *. */
seL4_CPtr cspace_alloc_slot_cb(void *cspace);
void cspace_free_slot_cb(void *cspace, seL4_CPtr slot);

typedef struct {
    size_t slots; /* slots that can be handed out or freed (slot 0 excluded) */
    size_t free;
    size_t leaves; /* CNodes of 256 slots (or parts of the root CNode) in use */
} cspace_stats_t;

cspace_stats_t cspace_stats(const cspace_t *c);

/*
 * The CNode invocations. Every CPtr is depth 32 in the CSpace named beside it; dest_cptr may be
 * CSPACE_NEW_SLOT. On failure .error is the kernel's (or the slot allocator's) error, .step
 * says which, and a slot the call allocated is free again. Move and mutate leave the source
 * slot empty but allocated; delete and revoke do not free the slot (as in AOS).
 */
cspace_ret_t cspace_copy(cspace_t *dest, seL4_CPtr dest_cptr, cspace_t *src, seL4_CPtr src_cptr,
                         seL4_CapRights_t rights);
/* badge: an endpoint/notification badge, or seL4_CNode_CapData_new(guard, size).words[0]. */
cspace_ret_t cspace_mint(cspace_t *dest, seL4_CPtr dest_cptr, cspace_t *src, seL4_CPtr src_cptr,
                         seL4_CapRights_t rights, seL4_Word badge);
cspace_ret_t cspace_move(cspace_t *dest, seL4_CPtr dest_cptr, cspace_t *src, seL4_CPtr src_cptr);
/* As in seL4, only a CNode cap's guard can be changed this way. */
cspace_ret_t cspace_mutate(cspace_t *dest, seL4_CPtr dest_cptr, cspace_t *src, seL4_CPtr src_cptr,
                           seL4_Word badge);
/* src -> pivot -> dest; dest may equal src_cptr (a swap) or be CSPACE_NEW_SLOT. */
cspace_ret_t cspace_rotate(cspace_t *dest, seL4_CPtr dest_cptr, cspace_t *pivot,
                           seL4_CPtr pivot_cptr, seL4_Word pivot_badge, cspace_t *src,
                           seL4_CPtr src_cptr, seL4_Word src_badge);
cspace_ret_t cspace_delete(cspace_t *cspace, seL4_CPtr cptr);
cspace_ret_t cspace_revoke(cspace_t *cspace, seL4_CPtr cptr);
/* Move the current caller's reply cap (seL4_CNode_SaveCaller) into cptr. */
cspace_ret_t cspace_save_reply_cap(cspace_t *cspace, seL4_CPtr cptr);

/*
 * Retype the untyped `ut` (a CPtr in the root server's CSpace) into one object of `type` and
 * `size_bits` (seL4 meaning) at `target` in cspace, usually CSPACE_NEW_SLOT.
 */
cspace_ret_t cspace_untyped_retype(cspace_t *cspace, seL4_CPtr ut, seL4_CPtr target, seL4_Word type,
                                   size_t size_bits);
