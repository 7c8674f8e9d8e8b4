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
    c->bootstrap = NULL;
    c->untyped = NULL;
    c->alloc.alloc_4k_ut = NULL;
    c->alloc.free_4k_ut = NULL;
    c->alloc.cookie = NULL;
    c->alloc.pool = NULL;
    c->growing = false;
    c->n_leaves = 0;
    c->max_leaves = 0;
    c->n_slots = 0;
    c->n_free = 0;
    for (size_t i = 0; i < CSPACE_MAX_LEAVES / seL4_WordBits; i++)
        c->has_free[i] = 0;
    for (size_t i = 0; i < CSPACE_MAX_LEAVES; i++)
        c->leaf[i] = NULL;
    c->last = cspace_ret(seL4_NoError, CSPACE_STEP_NONE, seL4_CapNull);
}

static void pop_leaves(cspace_t *c)
{
    while (c->n_leaves > 0) {
        cspace_leaf_t *l = c->leaf[--c->n_leaves];
        c->leaf[c->n_leaves] = NULL;
        if (l->ut != NULL)
            c->alloc.free_4k_ut(c->alloc.cookie, l->ut);
        cspace_pool_put(c->alloc.pool, l);
    }
    c->n_slots = 0;
    c->n_free = 0;
    for (size_t i = 0; i < CSPACE_MAX_LEAVES / seL4_WordBits; i++)
        c->has_free[i] = 0;
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

/*
 * Second-level CNode number c->n_leaves, retyped straight into that slot of the top CNode
 * (node_depth 0 names the top CNode itself). Its cap has no guard: the top cap's guard and
 * radix take 24 bits, this CNode's radix the last 8.
 */
cspace_ret_t cspace_add_leaf(cspace_t *c)
{
    size_t i = c->n_leaves;
    cspace_leaf_t *l = cspace_pool_get(c->alloc.pool);
    if (l == NULL)
        return cspace_ret(seL4_NotEnoughMemory, CSPACE_STEP_ALLOC_META, seL4_CapNull);
    seL4_CPtr ut_cap = seL4_CapNull;
    void *ut = c->alloc.alloc_4k_ut(c->alloc.cookie, &ut_cap);
    if (ut == NULL) {
        cspace_pool_put(c->alloc.pool, l);
        return cspace_ret(seL4_NotEnoughMemory, CSPACE_STEP_ALLOC_UT, seL4_CapNull);
    }
    seL4_Error err = c->ops.untyped_retype(c->ops.cookie, ut_cap, seL4_CapTableObject,
                                           CSPACE_NODE_BITS, c->root_cnode, 0, 0, i, 1);
    if (err != seL4_NoError) {
        c->alloc.free_4k_ut(c->alloc.cookie, ut);
        cspace_pool_put(c->alloc.pool, l);
        return cspace_ret(err, CSPACE_STEP_RETYPE, seL4_CapNull);
    }
    l->ut = ut;
    cspace_leaf_push(c, l, CSPACE_NODE_SLOTS);
    seL4_CPtr base = (seL4_CPtr)(i << CSPACE_NODE_BITS);
    for (seL4_CPtr s = i == 0 ? 1 : 0; s < CSPACE_NODE_SLOTS; s++)
        cspace_mark_free(c, base + s);
    return cspace_ret(seL4_NoError, CSPACE_STEP_NONE, seL4_CapNull);
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
    t->max_leaves = two_level ? CSPACE_MAX_LEAVES : 1;

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
