/* libcspace: adopting the root server's CSpace, and building and destroying others. */
#include "cspace_internal.h"

static const char *const step_names[] = {
    [CSPACE_STEP_NONE] = "none",
    [CSPACE_STEP_ARGS] = "arguments",
    [CSPACE_STEP_ALLOC_SLOT] = "slot allocation",
    [CSPACE_STEP_ALLOC_META] = "bookkeeping allocation",
    [CSPACE_STEP_ALLOC_UT] = "untyped allocation",
    [CSPACE_STEP_RETYPE] = "retype",
    [CSPACE_STEP_COPY] = "copy",
    [CSPACE_STEP_MINT] = "mint",
    [CSPACE_STEP_MOVE] = "move",
    [CSPACE_STEP_MUTATE] = "mutate",
    [CSPACE_STEP_ROTATE] = "rotate",
    [CSPACE_STEP_DELETE] = "delete",
    [CSPACE_STEP_REVOKE] = "revoke",
    [CSPACE_STEP_SAVE_CALLER] = "save caller",
    [CSPACE_STEP_SET_SPACE] = "set space",
};

const char *cspace_step_name(cspace_step_t step)
{
    if ((size_t)step >= sizeof(step_names) / sizeof(step_names[0]))
        return "unknown";
    return step_names[step];
}

/* Field by field, so that no memset is needed in a freestanding build. */
static void reset(cspace_t *c)
{
    c->root_cnode = seL4_CapNull;
    c->two_level = false;
    c->radix = 0;
    c->node_bits = 0;
    c->bootstrap = NULL;
    c->untyped = NULL;
    c->alloc.alloc_4k_ut = NULL;
    c->alloc.free_4k_ut = NULL;
    c->alloc.cookie = NULL;
    c->alloc.pool = NULL;
    c->promote.tcb = seL4_CapNull;
    c->promote.vspace = seL4_CapNull;
    c->promote.alloc_ut = NULL;
    c->promote.free_ut = NULL;
    c->promote.tcb_set_space = NULL;
    c->growing = false;
    c->reserve = 0;
    c->n_leaves = 0;
    c->max_leaves = 0;
    c->n_slots = 0;
    c->n_free = 0;
    for (size_t i = 0; i < CSPACE_MAX_LEAVES / seL4_WordBits; i++)
        c->has_free[i] = 0;
    c->has_free_words = 0;
    for (size_t i = 0; i < CSPACE_MAX_LEAVES; i++)
        c->leaf[i] = NULL;
    c->last = cspace_ret(seL4_NoError, CSPACE_STEP_NONE, seL4_CapNull);
}

/* Give back the untyped of a second-level CNode, which came from the allocator for its size. */
static void free_node_ut(cspace_t *c, void *ut)
{
    if (c->node_bits == CSPACE_NODE_BITS)
        c->alloc.free_4k_ut(c->alloc.cookie, ut);
    else
        c->promote.free_ut(c->alloc.cookie, ut);
}

static void pop_leaves(cspace_t *c)
{
    while (c->n_leaves > 0) {
        cspace_leaf_t *l = c->leaf[--c->n_leaves];
        c->leaf[c->n_leaves] = NULL;
        if (l->ut != NULL)
            free_node_ut(c, l->ut);
        cspace_pool_put(c->alloc.pool, l);
    }
    c->n_slots = 0;
    c->n_free = 0;
    for (size_t i = 0; i < CSPACE_MAX_LEAVES / seL4_WordBits; i++)
        c->has_free[i] = 0;
    c->has_free_words = 0;
}

cspace_ret_t cspace_root_task_bootstrap(cspace_t *c, const seL4_BootInfo *bi, cspace_alloc_t alloc,
                                        const cspace_ops_t *ops)
{
    seL4_Word radix = bi->initThreadCNodeSizeBits;
    if (alloc.pool == NULL || ops == NULL || radix < 1 || radix >= seL4_WordBits ||
        bi->empty.start > bi->empty.end || bi->empty.end > ((seL4_Word)1 << radix))
        return cspace_ret(seL4_InvalidArgument, CSPACE_STEP_ARGS, seL4_CapNull);
    size_t managed_bits = radix < 2 * CSPACE_NODE_BITS ? radix : 2 * CSPACE_NODE_BITS;
    size_t slots = (size_t)1 << managed_bits;
    size_t leaves = (slots + CSPACE_NODE_SLOTS - 1) / CSPACE_NODE_SLOTS;
    if (alloc.pool->n_free < leaves)
        return cspace_ret(seL4_NotEnoughMemory, CSPACE_STEP_ALLOC_META, seL4_CapNull);

    reset(c);
    c->root_cnode = seL4_CapInitThreadCNode;
    c->radix = radix;
    c->alloc = alloc;
    c->ops = *ops;
    c->max_leaves = leaves;
    for (size_t i = 0; i < leaves; i++) {
        size_t left = slots - i * CSPACE_NODE_SLOTS;
        cspace_leaf_push(c, cspace_pool_get(alloc.pool),
                         left < CSPACE_NODE_SLOTS ? left : CSPACE_NODE_SLOTS);
    }
    seL4_Word end = bi->empty.end < slots ? bi->empty.end : (seL4_Word)slots;
    for (seL4_Word s = bi->empty.start > 0 ? bi->empty.start : 1; s < end; s++)
        cspace_mark_free(c, s);
    return cspace_ret(seL4_NoError, CSPACE_STEP_NONE, c->root_cnode);
}

/* Give back a chain of pool records linked through ->next. */
static void put_chain(cspace_pool_t *pool, cspace_leaf_t *chain)
{
    while (chain != NULL) {
        cspace_leaf_t *next = chain->next;
        cspace_pool_put(pool, chain);
        chain = next;
    }
}

/*
 * The next second-level CNode, of 2^node_bits slots (leaves n_leaves.. of it), retyped straight
 * into its slot of the top CNode (node_depth 0 names the top CNode itself). Its cap has no
 * guard: the top cap's guard and radix take the other bits. The records come first and the
 * untyped second, because the untyped allocator may take slots of this very CSpace (a promoted
 * root), and those must not find the new leaves half made.
 */
cspace_ret_t cspace_add_leaf(cspace_t *c)
{
    size_t per_node = (size_t)1 << (c->node_bits - CSPACE_NODE_BITS);
    size_t first = c->n_leaves;
    if (first + per_node > c->max_leaves)
        return cspace_ret(seL4_NotEnoughMemory, CSPACE_STEP_ALLOC_SLOT, seL4_CapNull);
    if (c->alloc.pool->n_free < per_node)
        return cspace_ret(seL4_NotEnoughMemory, CSPACE_STEP_ALLOC_META, seL4_CapNull);
    cspace_leaf_t *chain = NULL;
    for (size_t k = 0; k < per_node; k++) {
        cspace_leaf_t *l = cspace_pool_get(c->alloc.pool);
        l->next = chain;
        chain = l;
    }

    seL4_CPtr ut_cap = seL4_CapNull;
    void *ut = c->node_bits == CSPACE_NODE_BITS
                   ? c->alloc.alloc_4k_ut(c->alloc.cookie, &ut_cap)
                   : c->promote.alloc_ut(c->alloc.cookie, c->node_bits + seL4_SlotBits, &ut_cap);
    if (ut == NULL) {
        put_chain(c->alloc.pool, chain);
        return cspace_ret(seL4_NotEnoughMemory, CSPACE_STEP_ALLOC_UT, seL4_CapNull);
    }
    seL4_Error err = c->ops.untyped_retype(c->ops.cookie, ut_cap, seL4_CapTableObject, c->node_bits,
                                           c->root_cnode, 0, 0, first / per_node, 1);
    if (err != seL4_NoError) {
        free_node_ut(c, ut);
        put_chain(c->alloc.pool, chain);
        return cspace_ret(err, CSPACE_STEP_RETYPE, seL4_CapNull);
    }
    for (size_t k = 0; k < per_node; k++) {
        cspace_leaf_t *l = chain;
        chain = l->next;
        l->next = NULL;
        l->ut = k == 0 ? ut : NULL; /* the whole CNode's untyped goes with its first leaf */
        cspace_leaf_push(c, l, CSPACE_NODE_SLOTS);
    }
    seL4_CPtr base = (seL4_CPtr)(first << CSPACE_NODE_BITS);
    for (seL4_CPtr s = first == 0 ? 1 : 0; s < per_node * CSPACE_NODE_SLOTS; s++)
        cspace_mark_free(c, base + s);
    return cspace_ret(seL4_NoError, CSPACE_STEP_NONE, seL4_CapNull);
}

/* Undo the first steps of a promotion: delete the cap in `slot` (if any), free it, and the untyped. */
static void unpromote(cspace_t *c, seL4_CPtr slot, void *ut)
{
    if (slot != seL4_CapNull && cspace_delete(c, slot).error == seL4_NoError)
        (void)cspace_free_slot(c, slot);
    c->alloc.free_4k_ut(c->alloc.cookie, ut);
}

cspace_ret_t cspace_root_task_promote(cspace_t *c, const cspace_promote_t *p)
{
    if (c == NULL || p == NULL || c->bootstrap != NULL || c->two_level ||
        c->radix < CSPACE_NODE_BITS || c->radix > 2 * CSPACE_NODE_BITS ||
        c->n_slots != ((size_t)1 << c->radix) || c->alloc.alloc_4k_ut == NULL ||
        c->alloc.free_4k_ut == NULL || p->alloc_ut == NULL || p->free_ut == NULL ||
        p->tcb_set_space == NULL)
        return cspace_ret(seL4_InvalidArgument, CSPACE_STEP_ARGS, seL4_CapNull);
    seL4_Word r = c->radix;

    /* The top CNode, for now a one-level slot of the kernel's root CNode. */
    seL4_CPtr ut_cap = seL4_CapNull;
    void *ut = c->alloc.alloc_4k_ut(c->alloc.cookie, &ut_cap);
    if (ut == NULL)
        return cspace_ret(seL4_NotEnoughMemory, CSPACE_STEP_ALLOC_UT, seL4_CapNull);
    cspace_ret_t t =
        cspace_untyped_retype(c, ut_cap, CSPACE_NEW_SLOT, seL4_CapTableObject, CSPACE_NODE_BITS);
    if (t.error != seL4_NoError) {
        unpromote(c, seL4_CapNull, ut);
        return t;
    }

    /* Its slot 0: the root CNode with guard 0. The root CNode's cap lives in the root CNode,
     * so root_cnode is both the CNode to look in and the slot to copy. */
    seL4_Error err =
        c->ops.cnode_mint(c->ops.cookie, t.slot, 0, CSPACE_NODE_BITS, c->root_cnode, c->root_cnode,
                          seL4_WordBits, seL4_AllRights, seL4_CNode_CapData_new(0, 0).words[0]);
    if (err != seL4_NoError) {
        unpromote(c, t.slot, ut);
        return cspace_ret(err, CSPACE_STEP_MINT, seL4_CapNull);
    }

    /* The cap to the top with its guard: 8 radix bits + r below leave 24 - r. */
    seL4_Word guard = seL4_WordBits - CSPACE_NODE_BITS - r;
    cspace_ret_t m =
        cspace_mutate(c, CSPACE_NEW_SLOT, c, t.slot, seL4_CNode_CapData_new(0, guard).words[0]);
    if (m.error != seL4_NoError) {
        unpromote(c, t.slot, ut);
        return m;
    }
    (void)cspace_free_slot(c, t.slot); /* emptied by the mutate */

    err = p->tcb_set_space(c->ops.cookie, p->tcb, seL4_CapNull, m.slot, 0, p->vspace, 0);
    if (err != seL4_NoError) {
        unpromote(c, m.slot, ut);
        return cspace_ret(err, CSPACE_STEP_SET_SPACE, seL4_CapNull);
    }

    c->root_cnode = m.slot;
    c->two_level = true;
    c->node_bits = r;
    c->radix = CSPACE_NODE_BITS;
    c->untyped = ut;
    c->promote = *p;
    c->reserve = CSPACE_ROOT_RESERVE;
    size_t per_node = (size_t)1 << (r - CSPACE_NODE_BITS);
    c->max_leaves = CSPACE_NODE_SLOTS * per_node < CSPACE_MAX_LEAVES ? CSPACE_NODE_SLOTS * per_node
                                                                     : CSPACE_MAX_LEAVES;
    c->max_leaves -= c->max_leaves % per_node;
    return cspace_ret(seL4_NoError, CSPACE_STEP_NONE, m.slot);
}

/*
 * Remove the cap to the top CNode: revoke (copies, e.g. a TCB's), then delete, which destroys
 * the CNode and, through it, every second-level CNode and cap. Then its slot and untyped go.
 */
static cspace_ret_t drop_top(cspace_t *c)
{
    cspace_ret_t r = cspace_revoke(c->bootstrap, c->root_cnode);
    if (r.error != seL4_NoError)
        return r;
    r = cspace_delete(c->bootstrap, c->root_cnode);
    if (r.error != seL4_NoError)
        return r;
    (void)cspace_free_slot(c->bootstrap, c->root_cnode);
    c->alloc.free_4k_ut(c->alloc.cookie, c->untyped);
    return cspace_ret(seL4_NoError, CSPACE_STEP_NONE, seL4_CapNull);
}

static cspace_ret_t create(cspace_t *bs, cspace_t *t, cspace_alloc_t alloc, bool two_level)
{
    if (bs == NULL || t == NULL || bs->bootstrap != NULL || alloc.alloc_4k_ut == NULL ||
        alloc.free_4k_ut == NULL || alloc.pool == NULL)
        return cspace_ret(seL4_InvalidArgument, CSPACE_STEP_ARGS, seL4_CapNull);
    reset(t);
    t->two_level = two_level;
    t->radix = CSPACE_NODE_BITS;
    t->bootstrap = bs;
    t->alloc = alloc;
    t->ops = bs->ops;
    t->node_bits = CSPACE_NODE_BITS;
    t->max_leaves = two_level ? CSPACE_NODE_SLOTS : 1;

    cspace_leaf_t *l = NULL;
    if (!two_level && (l = cspace_pool_get(alloc.pool)) == NULL)
        return cspace_ret(seL4_NotEnoughMemory, CSPACE_STEP_ALLOC_META, seL4_CapNull);
    seL4_CPtr ut_cap = seL4_CapNull;
    void *ut = alloc.alloc_4k_ut(alloc.cookie, &ut_cap);
    cspace_ret_t r = cspace_ret(seL4_NotEnoughMemory, CSPACE_STEP_ALLOC_UT, seL4_CapNull);
    if (ut != NULL)
        r = cspace_untyped_retype(bs, ut_cap, CSPACE_NEW_SLOT, seL4_CapTableObject,
                                  CSPACE_NODE_BITS);
    cspace_ret_t m = r;
    if (r.error == seL4_NoError) {
        seL4_Word guard = seL4_WordBits - (two_level ? 2 : 1) * CSPACE_NODE_BITS;
        m = cspace_mutate(bs, CSPACE_NEW_SLOT, bs, r.slot,
                          seL4_CNode_CapData_new(0, guard).words[0]);
        if (m.error != seL4_NoError) {
            if (cspace_delete(bs, r.slot).error == seL4_NoError)
                (void)cspace_free_slot(bs, r.slot);
        } else {
            (void)cspace_free_slot(bs, r.slot); /* emptied by the mutate */
        }
    }
    if (m.error != seL4_NoError) {
        if (ut != NULL)
            alloc.free_4k_ut(alloc.cookie, ut);
        if (l != NULL)
            cspace_pool_put(alloc.pool, l);
        reset(t);
        return m;
    }
    t->root_cnode = m.slot;
    t->untyped = ut;

    if (!two_level) {
        cspace_leaf_push(t, l, CSPACE_NODE_SLOTS);
        for (seL4_CPtr s = 1; s < CSPACE_NODE_SLOTS; s++)
            cspace_mark_free(t, s);
        return cspace_ret(seL4_NoError, CSPACE_STEP_NONE, t->root_cnode);
    }
    r = cspace_add_leaf(t);
    if (r.error != seL4_NoError) {
        /* If even that fails, t stays a valid CSpace without slots, for cspace_destroy. */
        cspace_ret_t d = drop_top(t);
        if (d.error != seL4_NoError)
            return d;
        reset(t);
        return r;
    }
    return cspace_ret(seL4_NoError, CSPACE_STEP_NONE, t->root_cnode);
}

cspace_ret_t cspace_create_two_level(cspace_t *bootstrap, cspace_t *target, cspace_alloc_t alloc)
{
    return create(bootstrap, target, alloc, true);
}

cspace_ret_t cspace_create_one_level(cspace_t *bootstrap, cspace_t *target)
{
    if (bootstrap == NULL)
        return cspace_ret(seL4_InvalidArgument, CSPACE_STEP_ARGS, seL4_CapNull);
    return create(bootstrap, target, bootstrap->alloc, false);
}

cspace_ret_t cspace_destroy(cspace_t *c)
{
    if (c == NULL || c->bootstrap == NULL)
        return cspace_ret(seL4_InvalidArgument, CSPACE_STEP_ARGS, seL4_CapNull);
    cspace_ret_t r = drop_top(c);
    if (r.error != seL4_NoError)
        return r;
    pop_leaves(c);
    reset(c);
    return r;
}
