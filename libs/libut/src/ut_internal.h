/* libut internals shared by ut.c and ut_setup.c. */
#pragma once

#include <ut/ut.h>

/*
 * A node's state. UNUSED nodes sit in the pool. FREE blocks of normal memory are on
 * ua->free[size_bits]; free device blocks are on no list (they are found by address). USED
 * blocks belong to a caller. A SPLIT block's cap has exactly two children, u.child[0..1].
 */
enum {
    UT_STATE_UNUSED = 0,
    UT_STATE_FREE,
    UT_STATE_USED,
    UT_STATE_SPLIT,
};

#define UT_BIT(n) ((seL4_Word)1 << (n))

/* Records err as the last error and returns it. */
static inline seL4_Error ut_fail(ut_allocator_t *ua, seL4_Error err)
{
    ua->last_error = err;
    return err;
}

/* A zeroed node from the pool, or NULL when the pool is empty. */
ut_t *ut_node_get(ut_allocator_t *ua);
void ut_node_put(ut_allocator_t *ua, ut_t *n);

/* Mark n free and, for normal memory, put it on its free list. */
void ut_list_push(ut_allocator_t *ua, ut_t *n);
