/* libcspace internals shared by its source files. */
#pragma once

#include <cspace/cspace.h>

static inline cspace_ret_t cspace_ret(seL4_Error error, cspace_step_t step, seL4_CPtr slot)
{
    cspace_ret_t r = {error, step, slot};
    return r;
}

/* A pool record with every slot marked in use, or NULL when the pool is empty. */
cspace_leaf_t *cspace_pool_get(cspace_pool_t *pool);
void cspace_pool_put(cspace_pool_t *pool, cspace_leaf_t *leaf);

/* Append leaf as c->leaf[c->n_leaves], covering `slots` slots, all in use. */
void cspace_leaf_push(cspace_t *c, cspace_leaf_t *leaf, size_t slots);
/* Mark a slot known to be valid and in use as free. */
void cspace_mark_free(cspace_t *c, seL4_CPtr slot);

/* Add a second-level CNode to a two-level CSpace (its slots become free). */
cspace_ret_t cspace_add_leaf(cspace_t *c);
