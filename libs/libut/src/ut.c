/*
 * libut: the buddy allocator proper. A block is split by retyping its untyped into two
 * untypeds of half the size, and merged by revoking it, so every split block's cap has exactly
 * the two children recorded in u.child and the kernel agrees with the tree at all times.
 */
#include "ut_internal.h"

/* ---- metadata pool and free lists ---- */

ut_t *ut_node_get(ut_allocator_t *ua)
{
    ut_t *n = ua->pool;
    if (n == NULL)
        return NULL;
    ua->pool = n->u.link.next;
    ua->pool_free--;
    n->paddr = 0;
    n->cap = seL4_CapNull;
    n->size_bits = 0;
    n->state = UT_STATE_UNUSED;
    n->device = 0;
    n->parent = NULL;
    n->u.link.next = NULL;
    n->u.link.prev = NULL;
    return n;
}

void ut_node_put(ut_allocator_t *ua, ut_t *n)
{
    n->state = UT_STATE_UNUSED;
    n->u.link.prev = NULL;
    n->u.link.next = ua->pool;
    ua->pool = n;
    ua->pool_free++;
}

void ut_list_push(ut_allocator_t *ua, ut_t *n)
{
    n->state = UT_STATE_FREE;
    n->u.link.prev = NULL;
    n->u.link.next = NULL;
    if (n->device)
        return;
    ut_t **head = &ua->free[n->size_bits];
    n->u.link.next = *head;
    if (*head != NULL)
        (*head)->u.link.prev = n;
    *head = n;
    ua->n_free[n->size_bits]++;
}

/* Take free block n off its list (a no-op list-wise for device blocks). */
static void list_remove(ut_allocator_t *ua, ut_t *n)
{
    if (n->device)
        return;
    if (n->u.link.prev != NULL)
        n->u.link.prev->u.link.next = n->u.link.next;
    else
        ua->free[n->size_bits] = n->u.link.next;
    if (n->u.link.next != NULL)
        n->u.link.next->u.link.prev = n->u.link.prev;
    n->u.link.next = NULL;
    n->u.link.prev = NULL;
    ua->n_free[n->size_bits]--;
}

static void mark_used(ut_allocator_t *ua, ut_t *n)
{
    list_remove(ua, n);
    n->state = UT_STATE_USED;
    if (n->device)
        ua->device_used++;
    else
        ua->n_used[n->size_bits]++;
}

/* ---- split and merge ---- */

static ut_t *buddy_of(const ut_t *n)
{
    const ut_t *p = n->parent;
    return p->u.child[0] == n ? p->u.child[1] : p->u.child[0];
}

/*
 * Split free block b into halves whose caps go into the empty slots s0 and s1, described by the
 * pool nodes c0 and c1. b has no children (free blocks never do), so the first retype starts at
 * a reset watermark and the halves land at b->paddr and b->paddr + half, in that order. Calls
 * only the kernel, never a callback. On failure b is unchanged and the caller still owns the
 * slots and nodes, except that a slot the kernel would not clear is kept out of circulation
 * (*leaked set) rather than handed back holding a cap.
 */
static seL4_Error split(ut_allocator_t *ua, ut_t *b, seL4_CPtr s0, seL4_CPtr s1, ut_t *c0, ut_t *c1,
                        bool *leaked)
{
    seL4_Word half = (seL4_Word)b->size_bits - 1;
    seL4_Error err = ua->kernel.retype(ua->kernel.cookie, b->cap, seL4_UntypedObject, half, s0);
    if (err != seL4_NoError)
        return err;
    err = ua->kernel.retype(ua->kernel.cookie, b->cap, seL4_UntypedObject, half, s1);
    if (err != seL4_NoError) {
        /* Deleting the lone child leaves b childless, so its next retype resets again. */
        if (ua->kernel.delete(ua->kernel.cookie, s0) != seL4_NoError)
            *leaked = true;
        return err;
    }

    list_remove(ua, b);
    b->state = UT_STATE_SPLIT;
    ut_t *half_node[2] = {c0, c1};
    seL4_CPtr slot[2] = {s0, s1};
    for (int i = 0; i < 2; i++) {
        ut_t *c = half_node[i];
        c->paddr = b->paddr + (seL4_Word)i * UT_BIT(half);
        c->cap = slot[i];
        c->size_bits = (seL4_Uint8)half;
        c->device = b->device;
        c->parent = b;
    }
    b->u.child[0] = c0;
    b->u.child[1] = c1;
    /* Pushed upper half first, so the lower half is handed out first. */
    ut_list_push(ua, c1);
    ut_list_push(ua, c0);
    return seL4_NoError;
}

/*
 * b has just become free. While its buddy is free too, revoke the parent (deleting both halves'
 * caps and resetting its watermark) and free the parent instead. The allocator is made
 * consistent before the slots go back, in case the slot callback calls in again.
 */
static void coalesce(ut_allocator_t *ua, ut_t *b)
{
    while (b->state == UT_STATE_FREE && b->parent != NULL) {
        ut_t *p = b->parent, *other = buddy_of(b);
        if (other->state != UT_STATE_FREE)
            return;
        if (ua->kernel.revoke(ua->kernel.cookie, p->cap) != seL4_NoError)
            return;
        seL4_CPtr cap0 = p->u.child[0]->cap, cap1 = p->u.child[1]->cap;
        list_remove(ua, b);
        list_remove(ua, other);
        ut_node_put(ua, b);
        ut_node_put(ua, other);
        p->u.child[0] = NULL;
        p->u.child[1] = NULL;
        ut_list_push(ua, p);
        ua->slots.free_slot(ua->slots.cookie, cap0);
        ua->slots.free_slot(ua->slots.cookie, cap1);
        b = p;
    }
}

/*
 * Chooses the free block to split next for a request described by arg. NULL with *why unset
 * means no split is needed any more; NULL with *why set means the request cannot be met.
 */
typedef ut_t *(*pick_fn)(ut_allocator_t *ua, const void *arg, seL4_Error *why);

/*
 * Take two slots, then let `pick` choose the block (only now: the slot callback may have called
 * into this allocator and changed the free lists), then split it. Returns the lower half; or
 * NULL with *again set (look again, nothing to split) or with the error recorded. Either way
 * nothing of this split is left behind on failure.
 */
static ut_t *split_picked(ut_allocator_t *ua, pick_fn pick, const void *arg, bool *again)
{
    *again = false;
    if (ua->pool_free < 2) {
        ut_fail(ua, seL4_NotEnoughMemory);
        return NULL;
    }
    seL4_CPtr s0 = ua->slots.alloc_slot(ua->slots.cookie);
    if (s0 == seL4_CapNull) {
        ut_fail(ua, seL4_NotEnoughMemory);
        return NULL;
    }
    seL4_CPtr s1 = ua->slots.alloc_slot(ua->slots.cookie);
    if (s1 == seL4_CapNull) {
        ua->slots.free_slot(ua->slots.cookie, s0);
        ut_fail(ua, seL4_NotEnoughMemory);
        return NULL;
    }

    seL4_Error why = seL4_NoError;
    ut_t *b = pick(ua, arg, &why);
    if (b == NULL || ua->pool_free < 2) {
        /* Nothing to split now (or no nodes left after the callback): slots go back. */
        ua->slots.free_slot(ua->slots.cookie, s0);
        ua->slots.free_slot(ua->slots.cookie, s1);
        if (b == NULL && why == seL4_NoError) {
            *again = true;
            return NULL;
        }
        ut_fail(ua, b == NULL ? why : seL4_NotEnoughMemory);
        return NULL;
    }

    ut_t *c0 = ut_node_get(ua), *c1 = ut_node_get(ua);
    bool leaked = false;
    seL4_Error err = split(ua, b, s0, s1, c0, c1, &leaked);
    if (err != seL4_NoError) {
        ut_node_put(ua, c0);
        ut_node_put(ua, c1);
        if (!leaked)
            ua->slots.free_slot(ua->slots.cookie, s0);
        ua->slots.free_slot(ua->slots.cookie, s1);
        ut_fail(ua, err);
        return NULL;
    }
    return c0;
}

/* ---- normal memory ---- */

static size_t smallest_free(const ut_allocator_t *ua, size_t size_bits)
{
    for (size_t k = size_bits; k <= UT_MAX_SIZE_BITS; k++) {
        if (ua->free[k] != NULL)
            return k;
    }
    return 0;
}

/* pick_fn for ut_alloc: arg is the requested size_bits (a size_t). */
static ut_t *pick_normal(ut_allocator_t *ua, const void *arg, seL4_Error *why)
{
    size_t size_bits = *(const size_t *)arg;
    size_t k = smallest_free(ua, size_bits);
    if (k == 0) {
        *why = seL4_NotEnoughMemory;
        return NULL;
    }
    return k == size_bits ? NULL : ua->free[k];
}

ut_t *ut_alloc(ut_allocator_t *ua, size_t size_bits)
{
    if (size_bits < UT_MIN_SIZE_BITS || size_bits > UT_MAX_SIZE_BITS) {
        ut_fail(ua, seL4_RangeError);
        return NULL;
    }
    ut_t *undo = NULL; /* lower half of our latest split, to merge back on failure */
    for (;;) {
        size_t k = smallest_free(ua, size_bits);
        if (k == size_bits) {
            ut_t *n = ua->free[k];
            mark_used(ua, n);
            ut_fail(ua, seL4_NoError);
            return n;
        }
        seL4_Error err = seL4_NotEnoughMemory;
        if (k != 0) {
            bool again;
            ut_t *half = split_picked(ua, pick_normal, &size_bits, &again);
            if (half != NULL || again) {
                undo = half != NULL ? half : undo;
                continue;
            }
            err = ua->last_error;
        }
        if (undo != NULL)
            coalesce(ua, undo);
        ut_fail(ua, err);
        return NULL;
    }
}

ut_t *ut_alloc_4k_untyped(ut_allocator_t *ua, seL4_Word *paddr)
{
    ut_t *n = ut_alloc(ua, seL4_PageBits);
    if (n != NULL && paddr != NULL)
        *paddr = n->paddr;
    return n;
}

/* ---- device memory ---- */

/*
 * The smallest block of a device untyped that holds the page at paddr, or NULL with *why set:
 * seL4_RangeError when no device untyped of at least a page holds it.
 */
static ut_t *find_device(ut_allocator_t *ua, seL4_Word paddr, seL4_Error *why)
{
    for (size_t i = 0; i < ua->n_roots; i++) {
        ut_t *n = ua->roots[i];
        if (!n->device || n->size_bits < seL4_PageBits)
            continue;
        if (paddr < n->paddr || (uint64_t)paddr - n->paddr >= ((uint64_t)1 << n->size_bits))
            continue;
        while (n->state == UT_STATE_SPLIT) {
            ut_t *upper = n->u.child[1];
            n = paddr >= upper->paddr ? upper : n->u.child[0];
        }
        return n;
    }
    *why = seL4_RangeError;
    return NULL;
}

/* pick_fn for ut_alloc_4k_device: arg is the page's paddr (a seL4_Word). */
static ut_t *pick_device(ut_allocator_t *ua, const void *arg, seL4_Error *why)
{
    ut_t *n = find_device(ua, *(const seL4_Word *)arg, why);
    if (n == NULL)
        return NULL;
    if (n->state != UT_STATE_FREE) {
        *why = seL4_DeleteFirst;
        return NULL;
    }
    return n->size_bits == seL4_PageBits ? NULL : n;
}

ut_t *ut_alloc_4k_device(ut_allocator_t *ua, seL4_Word paddr)
{
    if (paddr & (UT_BIT(seL4_PageBits) - 1)) {
        ut_fail(ua, seL4_AlignmentError);
        return NULL;
    }
    ut_t *undo = NULL;
    for (;;) {
        seL4_Error err = seL4_NoError;
        ut_t *n = find_device(ua, paddr, &err);
        if (n != NULL && n->state != UT_STATE_FREE)
            err = seL4_DeleteFirst;
        if (err == seL4_NoError && n->size_bits == seL4_PageBits) {
            mark_used(ua, n);
            ut_fail(ua, seL4_NoError);
            return n;
        }
        if (err == seL4_NoError) {
            bool again;
            ut_t *half = split_picked(ua, pick_device, &paddr, &again);
            if (half != NULL || again) {
                undo = half != NULL ? half : undo;
                continue;
            }
            err = ua->last_error;
        }
        if (undo != NULL)
            coalesce(ua, undo);
        ut_fail(ua, err);
        return NULL;
    }
}

/* ---- freeing ---- */

seL4_Error ut_free(ut_allocator_t *ua, ut_t *ut)
{
    if (ut == NULL || ut->state != UT_STATE_USED)
        return ut_fail(ua, seL4_InvalidArgument);
    seL4_Error err = ua->kernel.revoke(ua->kernel.cookie, ut->cap);
    if (err != seL4_NoError)
        return ut_fail(ua, err);
    if (ut->device)
        ua->device_used--;
    else
        ua->n_used[ut->size_bits]--;
    ut_list_push(ua, ut);
    coalesce(ua, ut);
    return ut_fail(ua, seL4_NoError);
}
