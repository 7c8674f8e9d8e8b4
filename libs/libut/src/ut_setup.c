/* libut: setting an allocator up, feeding it untypeds, and reading its counters. */
#include "ut_internal.h"

void ut_init(ut_allocator_t *ua, ut_t *nodes, size_t n_nodes, ut_kernel_ops_t kernel,
             ut_slot_ops_t slots)
{
    for (size_t i = 0; i <= UT_MAX_SIZE_BITS; i++) {
        ua->free[i] = NULL;
        ua->n_free[i] = 0;
        ua->n_used[i] = 0;
    }
    for (size_t i = 0; i < UT_MAX_ROOTS; i++)
        ua->roots[i] = NULL;
    ua->pool = NULL;
    ua->pool_free = 0;
    ua->n_roots = 0;
    ua->device_used = 0;
    ua->total = 0;
    ua->last_error = seL4_NoError;
    ua->kernel = kernel;
    ua->slots = slots;
    ut_add_nodes(ua, nodes, n_nodes);
}

void ut_add_nodes(ut_allocator_t *ua, ut_t *nodes, size_t n)
{
    for (size_t i = 0; i < n; i++)
        ut_node_put(ua, &nodes[i]);
}

/* Does [paddr, paddr + 2^size_bits) overlap a block already added? */
static bool overlaps_root(const ut_allocator_t *ua, seL4_Word paddr, size_t size_bits)
{
    uint64_t start = paddr, end = start + ((uint64_t)1 << size_bits);
    for (size_t i = 0; i < ua->n_roots; i++) {
        const ut_t *r = ua->roots[i];
        uint64_t r_start = r->paddr, r_end = r_start + ((uint64_t)1 << r->size_bits);
        if (start < r_end && r_start < end)
            return true;
    }
    return false;
}

seL4_Error ut_add_untyped(ut_allocator_t *ua, seL4_Word paddr, seL4_CPtr cap, size_t size_bits,
                          bool device)
{
    if (size_bits < UT_MIN_SIZE_BITS || size_bits > UT_MAX_SIZE_BITS)
        return ut_fail(ua, seL4_RangeError);
    if (paddr & (UT_BIT(size_bits) - 1))
        return ut_fail(ua, seL4_AlignmentError);
    if (cap == seL4_CapNull || overlaps_root(ua, paddr, size_bits))
        return ut_fail(ua, seL4_InvalidArgument);
    if (ua->n_roots == UT_MAX_ROOTS)
        return ut_fail(ua, seL4_RangeError);
    ut_t *n = ut_node_get(ua);
    if (n == NULL)
        return ut_fail(ua, seL4_NotEnoughMemory);

    n->paddr = paddr;
    n->cap = cap;
    n->size_bits = (seL4_Uint8)size_bits;
    n->device = device;
    n->parent = NULL;
    ua->roots[ua->n_roots++] = n;
    if (!device)
        ua->total += (uint64_t)1 << size_bits;
    ut_list_push(ua, n);
    return ut_fail(ua, seL4_NoError);
}

seL4_Error ut_add_untyped_range(ut_allocator_t *ua, seL4_Word paddr, seL4_CPtr cap, size_t n,
                                size_t size_bits, bool device)
{
    if (size_bits < UT_MIN_SIZE_BITS || size_bits > UT_MAX_SIZE_BITS)
        return ut_fail(ua, seL4_RangeError);
    /* The last block must end at or below 2^32. */
    if (n > 0 && (uint64_t)paddr + ((uint64_t)n << size_bits) > ((uint64_t)1 << seL4_WordBits))
        return ut_fail(ua, seL4_RangeError);
    for (size_t i = 0; i < n; i++) {
        seL4_Error err =
            ut_add_untyped(ua, paddr + (seL4_Word)(i << size_bits), cap + i, size_bits, device);
        if (err != seL4_NoError)
            return err;
    }
    return ut_fail(ua, seL4_NoError);
}

/*
 * Every usable untyped is added even when one fails (a bad descriptor should not cost the rest
 * of memory); the first error is returned.
 */
seL4_Error ut_add_bootinfo(ut_allocator_t *ua, const seL4_BootInfo *bi)
{
    if (bi->untyped.end < bi->untyped.start ||
        bi->untyped.end - bi->untyped.start > CONFIG_MAX_NUM_BOOTINFO_UNTYPED_CAPS)
        return ut_fail(ua, seL4_RangeError);
    seL4_Error first = seL4_NoError;
    for (seL4_Word i = 0; i < bi->untyped.end - bi->untyped.start; i++) {
        const seL4_UntypedDesc *d = &bi->untypedList[i];
        seL4_Error err =
            ut_add_untyped(ua, d->paddr, bi->untyped.start + i, d->sizeBits, d->isDevice != 0);
        if (err != seL4_NoError && first == seL4_NoError)
            first = err;
    }
    return ut_fail(ua, first);
}

size_t ut_size(const ut_allocator_t *ua)
{
    return (size_t)ua->total;
}

void ut_stats(const ut_allocator_t *ua, ut_stats_t *out)
{
    out->total_free = 0;
    out->total_used = 0;
    out->largest_free = 0;
    for (size_t bits = 0; bits <= UT_MAX_SIZE_BITS; bits++) {
        out->free_blocks[bits] = ua->n_free[bits];
        out->used_blocks[bits] = ua->n_used[bits];
        out->free_bytes[bits] = (uint64_t)ua->n_free[bits] << bits;
        out->used_bytes[bits] = (uint64_t)ua->n_used[bits] << bits;
        out->total_free += out->free_bytes[bits];
        out->total_used += out->used_bytes[bits];
        if (ua->n_free[bits] != 0)
            out->largest_free = bits;
    }
    out->free_nodes = ua->pool_free;
    out->device_used = ua->device_used;
}

seL4_Error ut_last_error(const ut_allocator_t *ua)
{
    return ua->last_error;
}
