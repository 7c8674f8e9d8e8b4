/*
 * libcspace: slot bookkeeping. Each leaf covers 256 consecutive CPtrs (CPtr >> 8 is the leaf,
 * CPtr & 255 the slot in it) with a bitmap of free slots and a hint below which it has none;
 * c->has_free has a bit per leaf with a free slot, and c->has_free_words a bit per non-zero
 * word of it. Allocation looks at one summary word and no more than 8 leaf words, and returns
 * the lowest free slot of the lowest such leaf.
 */
#include "cspace_internal.h"

#define WORD_BIT(n) ((seL4_Word)1 << ((n) % seL4_WordBits))

static unsigned lowest_set(seL4_Word w)
{
    return (unsigned)__builtin_ctz(w);
}

void cspace_pool_init(cspace_pool_t *pool, cspace_leaf_t *records, size_t n)
{
    pool->head = NULL;
    pool->n_free = 0;
    cspace_pool_add(pool, records, n);
}

void cspace_pool_add(cspace_pool_t *pool, cspace_leaf_t *records, size_t n)
{
    for (size_t i = 0; i < n; i++)
        cspace_pool_put(pool, &records[i]);
}

cspace_leaf_t *cspace_pool_get(cspace_pool_t *pool)
{
    cspace_leaf_t *l = pool->head;
    if (l == NULL)
        return NULL;
    pool->head = l->next;
    pool->n_free--;
    for (size_t w = 0; w < CSPACE_LEAF_WORDS; w++)
        l->free[w] = 0;
    l->ut = NULL;
    l->next = NULL;
    l->n_free = 0;
    l->hint = 0;
    return l;
}

void cspace_pool_put(cspace_pool_t *pool, cspace_leaf_t *leaf)
{
    leaf->next = pool->head;
    pool->head = leaf;
    pool->n_free++;
}

void cspace_leaf_push(cspace_t *c, cspace_leaf_t *leaf, size_t slots)
{
    c->leaf[c->n_leaves++] = leaf;
    c->n_slots += slots;
}

void cspace_mark_free(cspace_t *c, seL4_CPtr slot)
{
    size_t li = slot >> CSPACE_NODE_BITS, bit = slot & (CSPACE_NODE_SLOTS - 1);
    size_t w = bit / seL4_WordBits;
    cspace_leaf_t *l = c->leaf[li];
    l->free[w] |= WORD_BIT(bit);
    if (w < l->hint)
        l->hint = (uint8_t)w;
    if (l->n_free++ == 0) {
        c->has_free[li / seL4_WordBits] |= WORD_BIT(li);
        c->has_free_words |= WORD_BIT(li / seL4_WordBits);
    }
    c->n_free++;
}

static bool is_free(const cspace_t *c, seL4_CPtr slot)
{
    size_t bit = slot & (CSPACE_NODE_SLOTS - 1);
    return (c->leaf[slot >> CSPACE_NODE_BITS]->free[bit / seL4_WordBits] & WORD_BIT(bit)) != 0;
}

/* The lowest free slot, taken. c->n_free must be non-zero. */
static seL4_CPtr take_free(cspace_t *c)
{
    size_t sw = lowest_set(c->has_free_words);
    size_t li = sw * seL4_WordBits + lowest_set(c->has_free[sw]);
    cspace_leaf_t *l = c->leaf[li];
    size_t w = l->hint;
    while (l->free[w] == 0)
        w++;
    size_t bit = w * seL4_WordBits + lowest_set(l->free[w]);
    l->free[w] &= ~WORD_BIT(bit);
    l->hint = (uint8_t)w;
    if (--l->n_free == 0) {
        c->has_free[sw] &= ~WORD_BIT(li);
        if (c->has_free[sw] == 0)
            c->has_free_words &= ~WORD_BIT(sw);
    }
    c->n_free--;
    return (seL4_CPtr)(li << CSPACE_NODE_BITS | bit);
}

_Static_assert(CSPACE_MAX_LEAVES / seL4_WordBits <= seL4_WordBits,
               "has_free_words needs a bit per word of has_free");

seL4_CPtr cspace_alloc_slot(cspace_t *c)
{
    /*
     * Grow when the free slots are down to the reserve (0 unless promoted). Slots asked for while
     * growing (by the untyped allocator) come from what is left; a failed growth matters only
     * once nothing is left.
     */
    if (c->n_free <= c->reserve) {
        cspace_ret_t r = cspace_ret(seL4_NotEnoughMemory, CSPACE_STEP_ALLOC_SLOT, seL4_CapNull);
        if (c->two_level && !c->growing && c->n_leaves < c->max_leaves) {
            c->growing = true;
            r = cspace_add_leaf(c);
            c->growing = false;
        }
        if (c->n_free == 0) {
            c->last = r.error != seL4_NoError
                          ? r
                          : cspace_ret(seL4_NotEnoughMemory, CSPACE_STEP_ALLOC_SLOT, 0);
            return seL4_CapNull;
        }
    }
    seL4_CPtr slot = take_free(c);
    c->last = cspace_ret(seL4_NoError, CSPACE_STEP_NONE, slot);
    return slot;
}

cspace_ret_t cspace_reserve(cspace_t *c, size_t n)
{
    while (c->n_free < n) {
        if (!c->two_level || c->growing || c->n_leaves >= c->max_leaves)
            return cspace_ret(seL4_NotEnoughMemory, CSPACE_STEP_ALLOC_SLOT, seL4_CapNull);
        c->growing = true;
        cspace_ret_t r = cspace_add_leaf(c);
        c->growing = false;
        if (r.error != seL4_NoError)
            return r;
    }
    return cspace_ret(seL4_NoError, CSPACE_STEP_NONE, seL4_CapNull);
}

seL4_Error cspace_free_slot(cspace_t *c, seL4_CPtr slot)
{
    if (slot == seL4_CapNull || slot >= c->n_slots)
        return seL4_RangeError;
    if (is_free(c, slot))
        return seL4_InvalidArgument;
    cspace_mark_free(c, slot);
    return seL4_NoError;
}

seL4_CPtr cspace_alloc_slot_cb(void *cspace)
{
    return cspace_alloc_slot(cspace);
}

void cspace_free_slot_cb(void *cspace, seL4_CPtr slot)
{
    (void)cspace_free_slot(cspace, slot);
}

cspace_stats_t cspace_stats(const cspace_t *c)
{
    cspace_stats_t s;
    s.slots = c->n_slots > 0 ? c->n_slots - 1 : 0;
    s.free = c->n_free;
    s.leaves = c->n_leaves;
    return s;
}
