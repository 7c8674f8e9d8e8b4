/* fake_kernel: see fake_kernel.h. Host-only test code; uses malloc freely. */
#include "fake_kernel.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sel4/bootinfo.h>
#include <sel4/constants.h>
#include <sel4/objecttype.h>

#define FANOUT_LIMIT 256

typedef struct {
    unsigned radix;
    fk_cap_t *slots;
    unsigned refs; /* CNode caps naming this CNode (plus the thread root for CNode 0) */
    bool alive;
} fk_cnode_t;

static struct {
    fk_cnode_t *cnodes;
    size_t n_cnodes, cap_cnodes;
    fk_cap_t **where; /* cap id -> the slot holding it, NULL once deleted */
    size_t cap_where;
    uint32_t next_id;
    uint32_t next_obj;
    fk_cap_t thread_root;
    unsigned calls[FK_OP_COUNT];
    unsigned fail_at[FK_OP_COUNT];
    seL4_Error fail_err[FK_OP_COUNT];
    bool caller;
} fk;

static void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n);
    if (q == NULL) {
        fprintf(stderr, "fake_kernel: out of host memory\n");
        abort();
    }
    return q;
}

static uint64_t mask64(uint64_t n)
{
    return n >= 64 ? ~(uint64_t)0 : ((uint64_t)1 << n) - 1;
}

/* ---- objects and the derivation tree ---- */

static uint32_t new_cnode(unsigned radix)
{
    if (fk.n_cnodes == fk.cap_cnodes) {
        fk.cap_cnodes = fk.cap_cnodes ? 2 * fk.cap_cnodes : 64;
        fk.cnodes = xrealloc(fk.cnodes, fk.cap_cnodes * sizeof(*fk.cnodes));
    }
    fk_cnode_t *cn = &fk.cnodes[fk.n_cnodes];
    cn->radix = radix;
    cn->slots = calloc((size_t)1 << radix, sizeof(fk_cap_t));
    if (cn->slots == NULL)
        abort();
    cn->refs = 0;
    cn->alive = true;
    return (uint32_t)fk.n_cnodes++;
}

static fk_cap_t *cap_of(uint32_t id)
{
    return id != 0 && id < fk.cap_where ? fk.where[id] : NULL;
}

static void link_child(uint32_t parent, fk_cap_t *c)
{
    fk_cap_t *p = cap_of(parent);
    c->parent = parent;
    c->prev_sib = 0;
    c->next_sib = p->first_child;
    if (p->first_child != 0)
        cap_of(p->first_child)->prev_sib = c->id;
    p->first_child = c->id;
}

static void unlink_cap(fk_cap_t *c)
{
    if (c->prev_sib != 0)
        cap_of(c->prev_sib)->next_sib = c->next_sib;
    else if (c->parent != 0)
        cap_of(c->parent)->first_child = c->next_sib;
    if (c->next_sib != 0)
        cap_of(c->next_sib)->prev_sib = c->prev_sib;
    c->parent = c->prev_sib = c->next_sib = 0;
}

/* Store a new cap in an empty slot, as a child of `parent` (0: an original). */
static void place(fk_cap_t *slot, fk_cap_t cap, uint32_t parent)
{
    cap.id = ++fk.next_id;
    if (cap.id >= fk.cap_where) {
        size_t n = fk.cap_where ? 2 * fk.cap_where : 1024;
        fk.where = xrealloc(fk.where, n * sizeof(*fk.where));
        memset(fk.where + fk.cap_where, 0, (n - fk.cap_where) * sizeof(*fk.where));
        fk.cap_where = n;
    }
    cap.parent = cap.first_child = cap.next_sib = cap.prev_sib = 0;
    *slot = cap;
    fk.where[cap.id] = slot;
    if (parent != 0)
        link_child(parent, slot);
    if (cap.type == FK_CNODE)
        fk.cnodes[cap.obj].refs++;
}

static void delete_cap(fk_cap_t *slot);

/* The last cap to a CNode has gone: destroy the CNode and every cap in it. */
static void finalise_cnode(uint32_t obj)
{
    fk.cnodes[obj].alive = false;
    fk_cap_t *slots = fk.cnodes[obj].slots;
    size_t n = (size_t)1 << fk.cnodes[obj].radix;
    for (size_t i = 0; i < n; i++)
        delete_cap(&slots[i]);
    free(slots);
    fk.cnodes[obj].slots = NULL;
}

/* Delete one cap; its children move up to its parent, as they do in seL4's derivation list. */
static void delete_cap(fk_cap_t *slot)
{
    if (slot->type == FK_NULL)
        return;
    fk_cap_t c = *slot;
    unlink_cap(slot);
    uint32_t child = slot->first_child;
    while (child != 0) {
        fk_cap_t *ch = cap_of(child);
        uint32_t next = ch->next_sib;
        ch->parent = ch->prev_sib = ch->next_sib = 0;
        if (c.parent != 0)
            link_child(c.parent, ch);
        child = next;
    }
    fk.where[c.id] = NULL;
    memset(slot, 0, sizeof(*slot));
    if (c.type == FK_CNODE && --fk.cnodes[c.obj].refs == 0)
        finalise_cnode(c.obj);
}

static void revoke_cap(fk_cap_t *slot)
{
    while (slot->first_child != 0) {
        fk_cap_t *ch = cap_of(slot->first_child);
        revoke_cap(ch);
        delete_cap(ch);
    }
}

/* ---- addressing ---- */

typedef struct {
    fk_cap_t *slot;
    uint64_t bits_left;
    bool ok;
} resolve_t;

/* seL4's resolveAddressBits: guard, then radix, level by level, from CNode cap `cap`. */
static resolve_t resolve(const fk_cap_t *cap, uint64_t cptr, uint64_t n_bits)
{
    resolve_t r = {NULL, 0, false};
    for (;;) {
        if (cap->type != FK_CNODE || !fk.cnodes[cap->obj].alive)
            return r;
        const fk_cnode_t *cn = &fk.cnodes[cap->obj];
        uint64_t gs = cap->guard_size, level = cn->radix + gs;
        if (gs > n_bits || ((cptr >> (n_bits - gs)) & mask64(gs)) != cap->guard)
            return r;
        if (level > n_bits)
            return r;
        fk_cap_t *slot = &cn->slots[(cptr >> (n_bits - level)) & mask64(cn->radix)];
        n_bits -= level;
        if (n_bits == 0 || slot->type != FK_CNODE) {
            r.slot = slot;
            r.bits_left = n_bits;
            r.ok = true;
            return r;
        }
        cap = slot;
    }
}

/* The cap a depth-32 CPtr names in the root server's CSpace (NULL: no such slot). */
static fk_cap_t *lookup_cap(seL4_CPtr cptr)
{
    resolve_t r = resolve(&fk.thread_root, cptr, seL4_WordBits);
    return r.ok ? r.slot : NULL;
}

/* seL4's lookupSlotForCNodeOp: the slot must be reached with exactly `depth` bits. */
static fk_cap_t *lookup_slot(const fk_cap_t *root, seL4_Word index, seL4_Word depth,
                             seL4_Error *err)
{
    if (root == NULL || root->type != FK_CNODE) {
        *err = seL4_FailedLookup;
        return NULL;
    }
    if (depth < 1 || depth > seL4_WordBits) {
        *err = seL4_RangeError;
        return NULL;
    }
    resolve_t r = resolve(root, index, depth);
    if (!r.ok || r.bits_left != 0) {
        *err = seL4_FailedLookup;
        return NULL;
    }
    return r.slot;
}

/* The CNode cap an invocation is made on. */
static fk_cap_t *service_cnode(seL4_CPtr service, seL4_Error *err)
{
    fk_cap_t *svc = lookup_cap(service);
    if (svc == NULL || svc->type == FK_NULL) {
        *err = seL4_InvalidCapability;
        return NULL;
    }
    if (svc->type != FK_CNODE) {
        *err = seL4_IllegalOperation;
        return NULL;
    }
    return svc;
}

static bool injected(fk_op_t op, seL4_Error *err)
{
    fk.calls[op]++;
    if (fk.fail_at[op] != 0 && fk.calls[op] == fk.fail_at[op]) {
        fk.fail_at[op] = 0;
        *err = fk.fail_err[op];
        return true;
    }
    return false;
}

/* ---- setup and inspection ---- */

void fk_init(unsigned radix)
{
    fk_fini();
    uint32_t root = new_cnode(radix);
    fk.thread_root.type = FK_CNODE;
    fk.thread_root.obj = root;
    fk.thread_root.guard_size = seL4_WordBits - radix;
    fk.cnodes[root].refs = 1; /* the TCB's CSpace root */
    fk_cap_t copy = fk.thread_root;
    place(&fk.cnodes[root].slots[seL4_CapInitThreadCNode], copy, 0);
}

void fk_fini(void)
{
    for (size_t i = 0; i < fk.n_cnodes; i++)
        free(fk.cnodes[i].slots);
    free(fk.cnodes);
    free(fk.where);
    memset(&fk, 0, sizeof(fk));
}

void fk_give_untyped(seL4_CPtr slot, seL4_Word paddr, unsigned size_bits, bool device)
{
    fk_cap_t c = {0};
    c.type = FK_UNTYPED;
    c.obj = ++fk.next_obj;
    c.paddr = paddr;
    c.size_bits = size_bits;
    c.device = device;
    place(&fk.cnodes[0].slots[slot], c, 0);
}

void fk_give_object(seL4_CPtr slot, fk_type_t type)
{
    fk_cap_t c = {0};
    c.type = type;
    c.obj = ++fk.next_obj;
    c.rights = seL4_AllRights.words[0];
    place(&fk.cnodes[0].slots[slot], c, 0);
}

void fk_fail_at(fk_op_t op, unsigned nth, seL4_Error err)
{
    fk.fail_at[op] = fk.calls[op] + nth;
    fk.fail_err[op] = err;
}

unsigned fk_calls(fk_op_t op)
{
    return fk.calls[op];
}

void fk_set_caller(bool pending)
{
    fk.caller = pending;
}

const fk_cap_t *fk_lookup(seL4_CPtr cptr)
{
    return lookup_cap(cptr);
}

const fk_cap_t *fk_lookup_in(seL4_CPtr cnode, seL4_Word index, seL4_Word depth)
{
    seL4_Error err;
    return lookup_slot(lookup_cap(cnode), index, depth, &err);
}

unsigned fk_children(seL4_CPtr cptr)
{
    const fk_cap_t *c = lookup_cap(cptr);
    unsigned n = 0;
    for (uint32_t ch = c != NULL ? c->first_child : 0; ch != 0; ch = cap_of(ch)->next_sib)
        n++;
    return n;
}

unsigned fk_count(fk_type_t type)
{
    unsigned n = 0;
    for (size_t i = 0; i < fk.n_cnodes; i++) {
        if (!fk.cnodes[i].alive)
            continue;
        for (size_t s = 0; s < ((size_t)1 << fk.cnodes[i].radix); s++)
            n += fk.cnodes[i].slots[s].type == type;
    }
    return n;
}

unsigned fk_cnodes_alive(void)
{
    unsigned n = 0;
    for (size_t i = 0; i < fk.n_cnodes; i++)
        n += fk.cnodes[i].alive;
    return n;
}

/* ---- Untyped_Retype ---- */

/* Object size in bits for a retype of `type`, or an error for a bad type or size. */
static seL4_Error object_bits(seL4_Word type, seL4_Word size_bits, uint64_t *bits)
{
    switch (type) {
    case seL4_UntypedObject:
        if (size_bits < seL4_MinUntypedBits || size_bits > seL4_MaxUntypedBits)
            return seL4_RangeError;
        *bits = size_bits;
        return seL4_NoError;
    case seL4_CapTableObject:
        if (size_bits == 0)
            return seL4_InvalidArgument;
        if (size_bits > seL4_WordBits - seL4_SlotBits - 1)
            return seL4_RangeError;
        *bits = size_bits + seL4_SlotBits;
        return seL4_NoError;
    case seL4_TCBObject:
        *bits = seL4_TCBBits;
        return seL4_NoError;
    case seL4_EndpointObject:
        *bits = seL4_EndpointBits;
        return seL4_NoError;
    case seL4_NotificationObject:
        *bits = seL4_NotificationBits;
        return seL4_NoError;
    case seL4_ARM_SmallPageObject:
        *bits = seL4_PageBits;
        return seL4_NoError;
    case seL4_ARM_LargePageObject:
        *bits = seL4_LargePageBits;
        return seL4_NoError;
    case seL4_ARM_SectionObject:
        *bits = seL4_SectionBits;
        return seL4_NoError;
    case seL4_ARM_SuperSectionObject:
        *bits = seL4_SuperSectionBits;
        return seL4_NoError;
    case seL4_ARM_PageTableObject:
        *bits = seL4_PageTableBits;
        return seL4_NoError;
    case seL4_ARM_PageDirectoryObject:
        *bits = seL4_PageDirBits;
        return seL4_NoError;
    default:
        return seL4_InvalidArgument;
    }
}

static fk_type_t cap_type_for(seL4_Word type)
{
    switch (type) {
    case seL4_UntypedObject:
        return FK_UNTYPED;
    case seL4_CapTableObject:
        return FK_CNODE;
    case seL4_TCBObject:
        return FK_TCB;
    case seL4_EndpointObject:
        return FK_ENDPOINT;
    case seL4_NotificationObject:
        return FK_NOTIFICATION;
    case seL4_ARM_PageTableObject:
        return FK_PAGE_TABLE;
    case seL4_ARM_PageDirectoryObject:
        return FK_PAGE_DIRECTORY;
    default:
        return FK_FRAME;
    }
}

static bool is_frame_type(seL4_Word type)
{
    return type >= seL4_ARM_SmallPageObject && type <= seL4_ARM_SuperSectionObject;
}

seL4_Error fk_untyped_retype(seL4_Untyped service, seL4_Word type, seL4_Word size_bits,
                             seL4_CNode root, seL4_Word node_index, seL4_Word node_depth,
                             seL4_Word node_offset, seL4_Word num_objects)
{
    seL4_Error err;
    if (injected(FK_OP_RETYPE, &err))
        return err;
    fk_cap_t *ut = lookup_cap(service);
    if (ut == NULL || ut->type == FK_NULL)
        return seL4_InvalidCapability;
    if (ut->type != FK_UNTYPED)
        return seL4_IllegalOperation;
    uint64_t bits;
    err = object_bits(type, size_bits, &bits);
    if (err != seL4_NoError)
        return err;

    /* Destination: node_depth 0 means the root CNode itself. */
    fk_cap_t *dest = lookup_cap(root);
    if (dest == NULL || dest->type != FK_CNODE)
        return seL4_FailedLookup;
    if (node_depth != 0) {
        dest = lookup_slot(dest, node_index, node_depth, &err);
        if (dest == NULL)
            return err;
        if (dest->type != FK_CNODE)
            return seL4_FailedLookup;
    }
    uint64_t n_slots = (uint64_t)1 << fk.cnodes[dest->obj].radix;
    if (node_offset >= n_slots)
        return seL4_RangeError;
    if (num_objects < 1 || num_objects > FANOUT_LIMIT || node_offset + num_objects > n_slots)
        return seL4_RangeError;
    fk_cap_t *slots = fk.cnodes[dest->obj].slots;
    for (seL4_Word i = 0; i < num_objects; i++) {
        if (slots[node_offset + i].type != FK_NULL)
            return seL4_DeleteFirst;
    }
    if (ut->device && type != seL4_UntypedObject && !is_frame_type(type))
        return seL4_InvalidArgument;

    /* The watermark resets only while the untyped has no children. */
    uint64_t free_index = ut->first_child != 0 ? ut->watermark : 0;
    uint64_t obj_size = (uint64_t)1 << bits;
    uint64_t at = (free_index + obj_size - 1) & ~(obj_size - 1);
    if (bits > ut->size_bits || at + num_objects * obj_size > ((uint64_t)1 << ut->size_bits))
        return seL4_NotEnoughMemory;

    for (seL4_Word i = 0; i < num_objects; i++) {
        fk_cap_t c = {0};
        c.type = cap_type_for(type);
        c.paddr = (seL4_Word)(ut->paddr + at + i * obj_size);
        c.size_bits = (seL4_Word)bits;
        c.rights = seL4_AllRights.words[0];
        if (type == seL4_UntypedObject) {
            c.obj = ++fk.next_obj;
            c.device = ut->device;
        } else if (type == seL4_CapTableObject) {
            c.size_bits = size_bits;
            c.obj = new_cnode((unsigned)size_bits);
        } else {
            c.obj = ++fk.next_obj;
        }
        place(&slots[node_offset + i], c, ut->id);
    }
    ut->watermark = (seL4_Word)(at + num_objects * obj_size);
    return seL4_NoError;
}

/* ---- CNode invocations ---- */

static seL4_Error op_delete_revoke(fk_op_t op, seL4_CNode service, seL4_Word index,
                                   seL4_Uint8 depth)
{
    seL4_Error err;
    if (injected(op, &err))
        return err;
    fk_cap_t *slot = lookup_slot(service_cnode(service, &err), index, depth, &err);
    if (slot == NULL)
        return err;
    if (op == FK_OP_REVOKE)
        revoke_cap(slot);
    else
        delete_cap(slot);
    return seL4_NoError;
}

seL4_Error fk_cnode_revoke(seL4_CNode service, seL4_Word index, seL4_Uint8 depth)
{
    return op_delete_revoke(FK_OP_REVOKE, service, index, depth);
}

seL4_Error fk_cnode_delete(seL4_CNode service, seL4_Word index, seL4_Uint8 depth)
{
    return op_delete_revoke(FK_OP_DELETE, service, index, depth);
}

seL4_Error fk_cnode_save_caller(seL4_CNode service, seL4_Word index, seL4_Uint8 depth)
{
    seL4_Error err;
    if (injected(FK_OP_SAVE_CALLER, &err))
        return err;
    fk_cap_t *slot = lookup_slot(service_cnode(service, &err), index, depth, &err);
    if (slot == NULL)
        return err;
    if (slot->type != FK_NULL)
        return seL4_DeleteFirst;
    if (fk.caller) {
        fk_cap_t c = {0};
        c.type = FK_REPLY;
        c.obj = ++fk.next_obj;
        place(slot, c, 0);
        fk.caller = false;
    }
    return seL4_NoError;
}

/* Destination (must be empty) and source (must hold a cap) of Copy/Mint/Move/Mutate. */
static seL4_Error two_slots(seL4_CNode service, seL4_Word dest_index, seL4_Uint8 dest_depth,
                            seL4_CNode src_root, seL4_Word src_index, seL4_Uint8 src_depth,
                            fk_cap_t **dest, fk_cap_t **src)
{
    seL4_Error err;
    *dest = lookup_slot(service_cnode(service, &err), dest_index, dest_depth, &err);
    if (*dest == NULL)
        return err;
    if ((*dest)->type != FK_NULL)
        return seL4_DeleteFirst;
    *src = lookup_slot(lookup_cap(src_root), src_index, src_depth, &err);
    if (*src == NULL)
        return err;
    if ((*src)->type == FK_NULL)
        return seL4_FailedLookup;
    return seL4_NoError;
}

/* seL4's updateCapData; false when the result would be a null cap. */
static bool update_data(fk_cap_t *c, bool preserve, seL4_Word data)
{
    switch (c->type) {
    case FK_CNODE: {
        seL4_CNode_CapData_t d = {{data}};
        seL4_Word gs = seL4_CNode_CapData_get_guardSize(d);
        if (gs + fk.cnodes[c->obj].radix > seL4_WordBits)
            return false;
        c->guard_size = gs;
        c->guard = seL4_CNode_CapData_get_guard(d) & (seL4_Word)mask64(gs);
        return true;
    }
    case FK_ENDPOINT:
    case FK_NOTIFICATION:
        if (preserve || c->badge != 0)
            return false;
        c->badge = data & (seL4_Word)mask64(seL4_BadgeBits);
        return true;
    default:
        return true;
    }
}

/* seL4's deriveCap, plus rights masking; an error when the cap cannot be copied. */
static seL4_Error derive(const fk_cap_t *src, seL4_CapRights_t rights, fk_cap_t *out)
{
    if (src->type == FK_REPLY)
        return seL4_IllegalOperation;
    if (src->type == FK_UNTYPED && src->first_child != 0)
        return seL4_RevokeFirst;
    *out = *src;
    if (src->type == FK_ENDPOINT || src->type == FK_NOTIFICATION || src->type == FK_FRAME)
        out->rights = src->rights & rights.words[0];
    return seL4_NoError;
}

static seL4_Error copy_or_mint(fk_op_t op, seL4_CNode service, seL4_Word dest_index,
                               seL4_Uint8 dest_depth, seL4_CNode src_root, seL4_Word src_index,
                               seL4_Uint8 src_depth, seL4_CapRights_t rights, seL4_Word badge)
{
    seL4_Error err;
    if (injected(op, &err))
        return err;
    fk_cap_t *dest, *src, c;
    err = two_slots(service, dest_index, dest_depth, src_root, src_index, src_depth, &dest, &src);
    if (err != seL4_NoError)
        return err;
    err = derive(src, rights, &c);
    if (err != seL4_NoError)
        return err;
    if (op == FK_OP_MINT && !update_data(&c, false, badge))
        return seL4_IllegalOperation;
    place(dest, c, src->id);
    return seL4_NoError;
}

seL4_Error fk_cnode_copy(seL4_CNode service, seL4_Word dest_index, seL4_Uint8 dest_depth,
                         seL4_CNode src_root, seL4_Word src_index, seL4_Uint8 src_depth,
                         seL4_CapRights_t rights)
{
    return copy_or_mint(FK_OP_COPY, service, dest_index, dest_depth, src_root, src_index, src_depth,
                        rights, 0);
}

seL4_Error fk_cnode_mint(seL4_CNode service, seL4_Word dest_index, seL4_Uint8 dest_depth,
                         seL4_CNode src_root, seL4_Word src_index, seL4_Uint8 src_depth,
                         seL4_CapRights_t rights, seL4_Word badge)
{
    return copy_or_mint(FK_OP_MINT, service, dest_index, dest_depth, src_root, src_index, src_depth,
                        rights, badge);
}

/* Move the cap in src to the empty slot dest, keeping its id and derivation links. */
static void move_cap(fk_cap_t *dest, fk_cap_t *src, const fk_cap_t *value)
{
    *dest = *value;
    fk.where[dest->id] = dest;
    if (src != dest)
        memset(src, 0, sizeof(*src));
}

static seL4_Error move_or_mutate(fk_op_t op, seL4_CNode service, seL4_Word dest_index,
                                 seL4_Uint8 dest_depth, seL4_CNode src_root, seL4_Word src_index,
                                 seL4_Uint8 src_depth, seL4_Word badge)
{
    seL4_Error err;
    if (injected(op, &err))
        return err;
    fk_cap_t *dest, *src;
    err = two_slots(service, dest_index, dest_depth, src_root, src_index, src_depth, &dest, &src);
    if (err != seL4_NoError)
        return err;
    fk_cap_t c = *src;
    if (op == FK_OP_MUTATE && !update_data(&c, true, badge))
        return seL4_IllegalOperation;
    move_cap(dest, src, &c);
    return seL4_NoError;
}

seL4_Error fk_cnode_move(seL4_CNode service, seL4_Word dest_index, seL4_Uint8 dest_depth,
                         seL4_CNode src_root, seL4_Word src_index, seL4_Uint8 src_depth)
{
    return move_or_mutate(FK_OP_MOVE, service, dest_index, dest_depth, src_root, src_index,
                          src_depth, 0);
}

seL4_Error fk_cnode_mutate(seL4_CNode service, seL4_Word dest_index, seL4_Uint8 dest_depth,
                           seL4_CNode src_root, seL4_Word src_index, seL4_Uint8 src_depth,
                           seL4_Word badge)
{
    return move_or_mutate(FK_OP_MUTATE, service, dest_index, dest_depth, src_root, src_index,
                          src_depth, badge);
}

seL4_Error fk_cnode_rotate(seL4_CNode service, seL4_Word dest_index, seL4_Uint8 dest_depth,
                           seL4_CNode pivot_root, seL4_Word pivot_index, seL4_Uint8 pivot_depth,
                           seL4_Word pivot_badge, seL4_CNode src_root, seL4_Word src_index,
                           seL4_Uint8 src_depth, seL4_Word src_badge)
{
    seL4_Error err;
    if (injected(FK_OP_ROTATE, &err))
        return err;
    fk_cap_t *dest = lookup_slot(service_cnode(service, &err), dest_index, dest_depth, &err);
    if (dest == NULL)
        return err;
    fk_cap_t *pivot = lookup_slot(lookup_cap(pivot_root), pivot_index, pivot_depth, &err);
    if (pivot == NULL)
        return err;
    fk_cap_t *src = lookup_slot(lookup_cap(src_root), src_index, src_depth, &err);
    if (src == NULL)
        return err;
    if (pivot == src || pivot == dest)
        return seL4_IllegalOperation;
    if (src != dest && dest->type != FK_NULL)
        return seL4_DeleteFirst;
    if (src->type == FK_NULL || pivot->type == FK_NULL)
        return seL4_FailedLookup;
    fk_cap_t new_src = *src, new_pivot = *pivot;
    if (!update_data(&new_src, true, src_badge) || !update_data(&new_pivot, true, pivot_badge))
        return seL4_IllegalOperation;
    if (src == dest) {
        move_cap(pivot, pivot, &new_src);
        move_cap(src, src, &new_pivot);
    } else {
        move_cap(dest, pivot, &new_pivot);
        move_cap(pivot, src, &new_src);
    }
    return seL4_NoError;
}
