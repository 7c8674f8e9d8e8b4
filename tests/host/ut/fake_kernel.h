/*
 * fake_kernel: a host model of the parts of seL4 that libut and libcspace drive, precise enough
 * for their tests to catch real mistakes.
 *
 * Modelled: CNodes with guards and radices and seL4's address resolution (guard check, radix,
 * depth; depth-mismatch and guard-mismatch failures), a derivation tree (each cap records the
 * cap it was derived from; revoke deletes the whole subtree, delete re-parents a cap's children),
 * untyped retype with seL4's checks (object type and size, destination CNode, offset range,
 * empty destination slots, device untypeds only making untypeds and frames, the watermark that
 * resets only while the untyped has no children, alignment of each object to its size), CNode
 * objects destroyed with all their caps when their last cap goes, and the CNode invocations
 * Copy, Mint, Move, Mutate, Rotate, Delete, Revoke and SaveCaller.
 *
 * Simplified: every Copy/Mint makes a child of its source (seL4 makes some copies siblings), and
 * objects other than CNodes and untypeds have no behaviour beyond being caps.
 *
 * The invoking thread is the root server: its CSpace root is CNode 0, set up by fk_init with
 * the same cap in slot seL4_CapInitThreadCNode, guard size 32 - radix, as seL4 does.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include <sel4/types.h>

typedef enum {
    FK_NULL = 0,
    FK_UNTYPED,
    FK_CNODE,
    FK_TCB,
    FK_ENDPOINT,
    FK_NOTIFICATION,
    FK_FRAME,
    FK_PAGE_TABLE,
    FK_PAGE_DIRECTORY,
    FK_REPLY,
    FK_NO_SLOT, /* never in a slot: tests use it for a CPtr that does not resolve */
} fk_type_t;

/* A capability in a slot. Derivation links are by cap id, which a cap keeps when moved. */
typedef struct {
    fk_type_t type;
    uint32_t id;
    uint32_t parent, first_child, next_sib, prev_sib;
    uint32_t obj;        /* CNode: index in the CNode table; others: unique object number */
    seL4_Word paddr;     /* where the object lives */
    seL4_Word size_bits; /* untyped and frames: size; CNodes: radix (slots) */
    bool device;         /* untyped: device memory */
    seL4_Word watermark; /* untyped: bytes used from paddr */
    seL4_Word guard;     /* CNode caps */
    seL4_Word guard_size;
    seL4_Word badge;  /* endpoints and notifications */
    seL4_Word rights; /* seL4_CapRights_t word */
} fk_cap_t;

/* Operations that can be made to fail on demand. */
typedef enum {
    FK_OP_RETYPE = 0,
    FK_OP_COPY,
    FK_OP_MINT,
    FK_OP_MOVE,
    FK_OP_MUTATE,
    FK_OP_ROTATE,
    FK_OP_DELETE,
    FK_OP_REVOKE,
    FK_OP_SAVE_CALLER,
    FK_OP_COUNT
} fk_op_t;

/* A fresh kernel whose root server CNode has 2^radix slots. fk_fini frees it. */
void fk_init(unsigned radix);
void fk_fini(void);

/* Put an original untyped / object cap in root CNode slot `slot` (which must be empty). */
void fk_give_untyped(seL4_CPtr slot, seL4_Word paddr, unsigned size_bits, bool device);
void fk_give_object(seL4_CPtr slot, fk_type_t type);

/* The `nth` call from now (1 = the next one) of op fails with err and does nothing. */
void fk_fail_at(fk_op_t op, unsigned nth, seL4_Error err);
/* Calls made to op since fk_init (including failed ones). */
unsigned fk_calls(fk_op_t op);
/* Makes a reply cap available to the next SaveCaller. */
void fk_set_caller(bool pending);

/* The cap at depth-32 CPtr `cptr` in the root server's CSpace, or NULL if it does not resolve.
 * A NULL-typed cap (empty slot) is returned as such. */
const fk_cap_t *fk_lookup(seL4_CPtr cptr);
/* The cap at (index, depth) under the CNode cap at depth-32 CPtr `cnode` of the root server. */
const fk_cap_t *fk_lookup_in(seL4_CPtr cnode, seL4_Word index, seL4_Word depth);
/* Number of caps derived directly from the cap at cptr (root server CSpace, depth 32). */
unsigned fk_children(seL4_CPtr cptr);
/* Number of caps of this type anywhere (all live CNodes). */
unsigned fk_count(fk_type_t type);
/* Number of CNode objects alive, including the root server's. */
unsigned fk_cnodes_alive(void);

/* The invocations, with libsel4's signatures. */
seL4_Error fk_untyped_retype(seL4_Untyped service, seL4_Word type, seL4_Word size_bits,
                             seL4_CNode root, seL4_Word node_index, seL4_Word node_depth,
                             seL4_Word node_offset, seL4_Word num_objects);
seL4_Error fk_cnode_revoke(seL4_CNode service, seL4_Word index, seL4_Uint8 depth);
seL4_Error fk_cnode_delete(seL4_CNode service, seL4_Word index, seL4_Uint8 depth);
seL4_Error fk_cnode_save_caller(seL4_CNode service, seL4_Word index, seL4_Uint8 depth);
seL4_Error fk_cnode_copy(seL4_CNode service, seL4_Word dest_index, seL4_Uint8 dest_depth,
                         seL4_CNode src_root, seL4_Word src_index, seL4_Uint8 src_depth,
                         seL4_CapRights_t rights);
seL4_Error fk_cnode_mint(seL4_CNode service, seL4_Word dest_index, seL4_Uint8 dest_depth,
                         seL4_CNode src_root, seL4_Word src_index, seL4_Uint8 src_depth,
                         seL4_CapRights_t rights, seL4_Word badge);
seL4_Error fk_cnode_move(seL4_CNode service, seL4_Word dest_index, seL4_Uint8 dest_depth,
                         seL4_CNode src_root, seL4_Word src_index, seL4_Uint8 src_depth);
seL4_Error fk_cnode_mutate(seL4_CNode service, seL4_Word dest_index, seL4_Uint8 dest_depth,
                           seL4_CNode src_root, seL4_Word src_index, seL4_Uint8 src_depth,
                           seL4_Word badge);
seL4_Error fk_cnode_rotate(seL4_CNode service, seL4_Word dest_index, seL4_Uint8 dest_depth,
                           seL4_CNode pivot_root, seL4_Word pivot_index, seL4_Uint8 pivot_depth,
                           seL4_Word pivot_badge, seL4_CNode src_root, seL4_Word src_index,
                           seL4_Uint8 src_depth, seL4_Word src_badge);
