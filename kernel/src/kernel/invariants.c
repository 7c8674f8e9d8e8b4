/*
 * Invariant checks (debug kernels only; see kernel/invariants.h). Run between system calls
 * (test images call it after every case), so no operation is half done: no Zombie caps,
 * no thread mid-switch.
 *
 * Scheduler: every thread in a ready queue is runnable, at that queue's priority, linked
 * both ways, and the bitmap marks exactly the non-empty queues; the running thread is in
 * no queue, and every other runnable thread is in one.
 *
 * Capabilities: the slots reachable from the root task's CNode (through CNode caps and the
 * slots of TCBs) and the kernel's IRQ notification slots are walked, and with them every
 * slot a walked one is linked to in the CDT: a CNode that holds the only cap to itself is
 * reachable by no thread, yet what its caps name is alive (as in seL4, until the Untyped
 * it came from is revoked). Each CDT link is symmetric and leads to an occupied slot,
 * every list has a head, empty slots carry no links, and the CDT nests: a cap's
 * descendants directly follow it, and the descendants of a descendant are among them.
 *
 * Memory: distinct objects never overlap; each object inside an Untyped is one of its
 * descendants and lies below its watermark; a device Untyped holds only frames and
 * Untypeds.
 *
 * References: every thread, endpoint, notification, page table, frame, page directory and
 * ASID pool the kernel points at (queues, bindings, reply caps, page tables, the ASID
 * table) is a live object, i.e. one some walked cap names.
 *
 * Everything is bounded: fixed tables, capped list walks and a global step budget, so a
 * corrupted link makes a report, never a hang. Exceeding a table or the budget is printed
 * and skips the checks that need it; it is not counted as a violation.
 */
#include <kernel/invariants.h>
#include <kernel/thread.h>
#include <kernel/printf.h>
#include <kernel/cspace.h>
#include <object/cnode.h>
#include <object/objecttype.h>
#include <object/irq.h>
#include <arch/arm/vspace.h>
#include <arch/arm/layout.h>

#ifdef CONFIG_DEBUG

static word_t violations;

/* A broken state can break thousands of rules at once: the first few say enough. */
#define MAX_REPORTS 20

static void violation(const char *what, const void *where)
{
    if (++violations <= MAX_REPORTS)
        kprintf("invariant violated: %s (%p)\n", what, where);
}

static void violation2(const char *what, const void *a, const void *b)
{
    if (++violations <= MAX_REPORTS)
        kprintf("invariant violated: %s (%p, %p)\n", what, a, b);
}

/* ------------------------------------------------------------------------- bounds --- */

#define MAX_CONTAINERS 2048 /* CNodes and TCBs whose slots are walked */
#define CONTAINER_HASH 4096 /* open-addressing set of their slot arrays */
#define MAX_SINGLES    4096 /* slots found only through CDT links */
#define SINGLE_HASH    8192
#define MAX_OBJECTS    8192 /* distinct objects named by reachable caps */
#define MAX_UNTYPEDS   4096
#define MAX_LIST_WALK  65536u    /* CDT list or IPC queue length taken as endless */
#define STEP_BUDGET    40000000u /* pointer-chasing steps per check */

static word_t steps;
static bool budget_reported;

/* Takes `n` steps from the budget; false (once reported) when it is spent. */
static bool spend(word_t n)
{
    steps += n;
    if (steps <= STEP_BUDGET)
        return true;
    if (!budget_reported) {
        kprintf("invariants: step budget spent; the remaining checks are skipped\n");
        budget_reported = true;
    }
    return false;
}

/* The end of the part of the kernel window that is mapped (RAM may be smaller than the
 * window): the first invalid section entry above KERNEL_BASE. Set by invariants_check. */
static word_t window_end;

static word_t mapped_window_end(void)
{
    word_t i = KERNEL_PD_INDEX;
    while (i < PD_INDEX(KERNEL_WINDOW_END) && (kernel_pd[i] & PDE_TYPE_MASK) == PDE_SECTION)
        i++;
    return i << 20;
}

/* A pointer a CDT link or a cap may hold: inside the mapped kernel window, aligned. */
static bool kptr_ok(const void *p, word_t align_bits)
{
    word_t a = (word_t)p;
    return a >= KERNEL_BASE && a < window_end && IS_ALIGNED(a, align_bits);
}

/* Is all of [p, p + 2^size_bits) in the mapped kernel window? */
static bool kregion_ok(word_t p, word_t size_bits)
{
    return kptr_ok((const void *)p, MIN(size_bits, 12u)) && window_end - p >= BIT(size_bits);
}

static bool slot_ptr_ok(const cte_t *s)
{
    return kptr_ok(s, seL4_SlotBits);
}

/* ---------------------------------------------------------------------- scheduler --- */

static void check_scheduler(void)
{
    for (word_t p = 0; p < seL4_NumPriorities; p++) {
        sched_queue_t q = sched_queue(p);
        if ((q.head != NULL) != sched_bitmap_has(p))
            violation("ready bitmap disagrees with the queue", (void *)p);
        tcb_t *prev = NULL;
        word_t n = 0;
        for (tcb_t *t = q.head; t; t = t->sched_next) {
            if (!kptr_ok(t, seL4_TCBBits) && t != &idle_thread) {
                violation("ready queue holds a bad pointer", t);
                break;
            }
            if (t->sched_prev != prev)
                violation("ready queue back link", t);
            if (t->priority != p)
                violation("queued at the wrong priority", t);
            if (!thread_is_runnable(t))
                violation("a queued thread is not runnable", t);
            if (t == cur_thread)
                violation("the running thread is queued", t);
            prev = t;
            if (++n > 100000) {
                violation("ready queue does not end", (void *)p);
                break;
            }
        }
        if (q.tail != prev)
            violation("ready queue tail", (void *)p);
    }
}

/* -------------------------------------------------------------- containers of slots --- */

typedef struct {
    cte_t *slots;
    word_t count;
} container_t;

static container_t containers[MAX_CONTAINERS];
static word_t n_containers;
static cte_t *container_set[CONTAINER_HASH];
static word_t container_set_count[CONTAINER_HASH];
static bool containers_overflowed;

static word_t slot_hash(const cte_t *s, word_t bits)
{
    return (((word_t)s >> 4) * 2654435761u) >> (32 - bits);
}

/* Adds a slot array to walk unless it is known already. */
static void container_add(cte_t *slots, word_t count)
{
    word_t h = slot_hash(slots, 12);
    for (word_t i = 0; i < CONTAINER_HASH; i++) {
        word_t k = (h + i) & (CONTAINER_HASH - 1);
        if (container_set[k] == slots)
            return;
        if (container_set[k] == NULL) {
            if (n_containers == MAX_CONTAINERS) {
                containers_overflowed = true;
                return;
            }
            container_set[k] = slots;
            container_set_count[k] = count;
            containers[n_containers].slots = slots;
            containers[n_containers].count = count;
            n_containers++;
            return;
        }
    }
    containers_overflowed = true;
}

/* Is there a container of `count` slots starting at `slots`? */
static bool container_known(const cte_t *slots, word_t count)
{
    word_t h = slot_hash(slots, 12);
    for (word_t i = 0; i < CONTAINER_HASH; i++) {
        word_t k = (h + i) & (CONTAINER_HASH - 1);
        if (container_set[k] == slots)
            return container_set_count[k] == count;
        if (container_set[k] == NULL)
            return false;
    }
    return false;
}

/* Is slot `s` in a container found already: the slots of a TCB (1 KiB aligned), or a CNode
 * of some radix (aligned to its size)? */
static bool in_known_container(const cte_t *s)
{
    tcb_t *t = tcb_from_slot((cte_t *)s);
    if (s >= t->slots && s < &t->slots[tcb_cnode_entries] &&
        container_known(t->slots, tcb_cnode_entries))
        return true;
    for (word_t radix = 1; radix <= 25; radix++) {
        const cte_t *base = (const cte_t *)ROUND_DOWN((word_t)s, radix + seL4_SlotBits);
        if (container_known(base, BIT(radix)))
            return true;
    }
    return false;
}

/* Slots outside every container found: reached through the CDT links of walked slots. */
static cte_t *singles[MAX_SINGLES];
static word_t n_singles;
static cte_t *single_set[SINGLE_HASH];
static bool singles_overflowed;

static void single_add(cte_t *s)
{
    if (s == NULL || !slot_ptr_ok(s) || cap_is_null(s->cap) || in_known_container(s))
        return;
    word_t h = slot_hash(s, 13);
    for (word_t i = 0; i < SINGLE_HASH; i++) {
        word_t k = (h + i) & (SINGLE_HASH - 1);
        if (single_set[k] == s)
            return;
        if (single_set[k] == NULL) {
            if (n_singles == MAX_SINGLES) {
                singles_overflowed = true;
                return;
            }
            single_set[k] = s;
            singles[n_singles++] = s;
            return;
        }
    }
    singles_overflowed = true;
}

/* Visits every walked slot (a container's or a single one) with `fn`. */
static void for_each_walked_slot(void (*fn)(cte_t *))
{
    for (word_t ci = 0; ci < n_containers; ci++)
        for (word_t k = 0; k < containers[ci].count; k++)
            fn(&containers[ci].slots[k]);
    for (word_t si = 0; si < n_singles; si++)
        fn(singles[si]);
}

/* ----------------------------------------------------------------------- objects --- */

/* One distinct object: [base, base + 2^size_bits) of physical memory, and its cap type. */
typedef struct {
    paddr_t base;
    word_t mark;
    uint8_t size_bits;
    uint8_t type;
    uint8_t device; /* frames */
} object_t;

static object_t objects[MAX_OBJECTS];
static word_t n_objects;
static bool objects_overflowed;

static cte_t *untypeds[MAX_UNTYPEDS];
static word_t n_untypeds;
static bool untypeds_overflowed;

static paddr_t obj_end(const object_t *o)
{
    return o->base + BIT(o->size_bits); /* 2^29 at most below 4 GiB: no wrap in RAM */
}

static void object_add(cap_t c)
{
    if (n_objects == MAX_OBJECTS) {
        objects_overflowed = true;
        return;
    }
    cap_region_t r = cap_get_region(c);
    object_t *o = &objects[n_objects++];
    o->base = r.base;
    o->size_bits = (uint8_t)r.size_bits;
    o->type = (uint8_t)cap_get_type(c);
    o->device = cap_get_type(c) == cap_frame_cap && cap_frame_get_is_device(c);
    o->mark = 0;
}

static bool obj_less(const object_t *a, const object_t *b)
{
    if (a->base != b->base)
        return a->base < b->base;
    if (a->size_bits != b->size_bits)
        return a->size_bits > b->size_bits;
    return a->type < b->type;
}

static void sift_down(word_t root, word_t n)
{
    for (;;) {
        word_t child = 2 * root + 1;
        if (child >= n)
            return;
        if (child + 1 < n && obj_less(&objects[child], &objects[child + 1]))
            child++;
        if (!obj_less(&objects[root], &objects[child]))
            return;
        object_t t = objects[root];
        objects[root] = objects[child];
        objects[child] = t;
        root = child;
    }
}

/* Heap sort by base (no recursion, no allocation), then drops duplicates: several caps to
 * one object. */
static void objects_sort_unique(void)
{
    word_t n = n_objects;
    for (word_t i = n / 2; i-- > 0;)
        sift_down(i, n);
    for (word_t end = n; end-- > 1;) {
        object_t t = objects[0];
        objects[0] = objects[end];
        objects[end] = t;
        sift_down(0, end);
    }
    word_t out = 0;
    for (word_t i = 0; i < n; i++) {
        if (out > 0 && objects[out - 1].base == objects[i].base &&
            objects[out - 1].size_bits == objects[i].size_bits &&
            objects[out - 1].type == objects[i].type)
            continue;
        objects[out++] = objects[i];
    }
    n_objects = out;
}

/* Index of the last object whose base is <= pa, or -1. */
static sword_t object_at_or_below(paddr_t pa)
{
    sword_t lo = 0, hi = (sword_t)n_objects - 1, found = -1;
    while (lo <= hi) {
        sword_t mid = (lo + hi) / 2;
        if (objects[mid].base <= pa) {
            found = mid;
            lo = mid + 1;
        } else {
            hi = mid - 1;
        }
    }
    return found;
}

/* Is there a live object of `type` starting exactly at kernel address `p`? */
static bool live(const void *p, cap_tag_t type)
{
    if (!kptr_ok(p, 4))
        return false;
    paddr_t pa = paddr_from_ptr((pptr_t)p);
    for (sword_t i = object_at_or_below(pa); i >= 0 && objects[i].base == pa; i--)
        if (objects[i].type == type)
            return true;
    return false;
}

/* The live frame covering physical `pa`, of exactly `size_bits`, or NULL. */
static const object_t *live_frame_at(paddr_t pa, word_t size_bits)
{
    sword_t i = object_at_or_below(pa);
    if (i < 0)
        return NULL;
    const object_t *o = &objects[i];
    if (o->type != cap_frame_cap || o->size_bits != size_bits || pa >= obj_end(o))
        return NULL;
    return o;
}

/* -------------------------------------------------------------------- slot walk --- */

/* Per-slot checks that need no other slot's state; collects containers and objects. */
static void check_slot(cte_t *s)
{
    cap_t c = s->cap;
    if (cap_is_null(c)) {
        if (s->mdb.w[0] != 0 || s->mdb.w[1] != 0)
            violation("an empty slot keeps CDT links", s);
        return;
    }
    cap_tag_t type = cap_get_type(c);
    if (type > cap_asid_pool_cap) {
        violation("a slot holds a cap of no known type", s);
        return;
    }
    if (type == cap_zombie_cap)
        violation("a Zombie cap outlived its deletion", s);

    cte_t *prev = mdb_get_prev(s->mdb), *next = mdb_get_next(s->mdb);
    if (prev != NULL) {
        if (!slot_ptr_ok(prev))
            violation2("CDT prev link is not a slot", s, prev);
        else if (mdb_get_next(prev->mdb) != s)
            violation2("CDT prev->next is not the slot", s, prev);
        else if (cap_is_null(prev->cap))
            violation2("CDT prev link leads to an empty slot", s, prev);
    }
    if (next != NULL) {
        if (!slot_ptr_ok(next))
            violation2("CDT next link is not a slot", s, next);
        else if (mdb_get_prev(next->mdb) != s)
            violation2("CDT next->prev is not the slot", s, next);
        else if (cap_is_null(next->cap))
            violation2("CDT next link leads to an empty slot", s, next);
    }

    switch (type) {
    case cap_cnode_cap: {
        cte_t *slots = (cte_t *)cap_get_pptr(c);
        word_t radix = cap_cnode_get_radix(c);
        if (radix == 0 || radix > 25 || !kregion_ok((word_t)slots, radix + seL4_SlotBits))
            violation("a CNode cap names no CNode", s);
        else
            container_add(slots, BIT(radix));
        break;
    }
    case cap_thread_cap: {
        tcb_t *t = (tcb_t *)cap_get_pptr(c);
        if (!kptr_ok(t, seL4_TCBBits))
            violation("a thread cap names no TCB", s);
        else
            container_add(t->slots, tcb_cnode_entries);
        break;
    }
    case cap_untyped_cap:
        if (n_untypeds == MAX_UNTYPEDS)
            untypeds_overflowed = true;
        else
            untypeds[n_untypeds++] = s;
        break;
    default:
        break;
    }
    if (type == cap_untyped_cap || type == cap_zombie_cap || !cap_has_region(c))
        return;
    /* The checker reads kernel objects through their caps: they must be in the window
     * (frames may be device memory anywhere). */
    if (type != cap_frame_cap) {
        cap_region_t r = cap_get_region(c);
        if (!kregion_ok(ptr_from_paddr(r.base), r.size_bits)) {
            violation("a cap names a kernel object outside the kernel window", s);
            return;
        }
    }
    object_add(c);
}

/* The CDT list containing `s` reaches a head (prev == NULL) going backwards. */
static void check_list_has_head(cte_t *s)
{
    cte_t *p = s;
    for (word_t n = 0; n < MAX_LIST_WALK; n++) {
        if (!spend(1))
            return;
        cte_t *prev = mdb_get_prev(p->mdb);
        if (prev == NULL)
            return;
        if (!slot_ptr_ok(prev) || mdb_get_next(prev->mdb) != p)
            return; /* reported by check_slot */
        p = prev;
    }
    violation("CDT list has no head (a cycle, or endless)", s);
}

/* The CDT nests: with R(a) the run of slots directly after `a` that it is the parent of
 * (what revoking `a` deletes), nothing in R(a) is the parent of the slot after R(a). */
static void check_nesting(cte_t *a)
{
    if (!mdb_get_revocable(a->mdb))
        return;
    cte_t *end = mdb_get_next(a->mdb);
    word_t n = 0;
    while (end && slot_ptr_ok(end) && cap_is_parent_of(a, end)) {
        if (++n > MAX_LIST_WALK || !spend(1))
            return;
        end = mdb_get_next(end->mdb);
    }
    if (end == NULL || !slot_ptr_ok(end))
        return;
    for (cte_t *x = mdb_get_next(a->mdb); x != end; x = mdb_get_next(x->mdb)) {
        if (!spend(1))
            return;
        if (cap_is_parent_of(x, end)) {
            violation2("a descendant's child is outside its ancestor's descendants", x, end);
            return;
        }
    }
}

/* --------------------------------------------------------------------- untypeds --- */

static void check_untyped(cte_t *u, word_t serial)
{
    cap_t c = u->cap;
    paddr_t base = cap_untyped_get_paddr(c);
    word_t bits = cap_untyped_get_block_size(c);
    word_t free_index = cap_untyped_get_free_index(c);
    if (bits < seL4_MinUntypedBits || bits > seL4_MaxUntypedBits || !IS_ALIGNED(base, bits)) {
        violation("an Untyped cap has a bad size or alignment", u);
        return;
    }
    if (free_index > BIT(bits - UNTYPED_INDEX_BITS)) {
        violation("an Untyped's watermark is past its end", u);
        return;
    }
    paddr_t end = base + BIT(bits);
    paddr_t watermark = base + (free_index << UNTYPED_INDEX_BITS);
    bool device = cap_untyped_get_is_device(c);

    /* Its descendants: inside it, below the watermark; mark the objects among them. */
    word_t n = 0;
    for (cte_t *x = mdb_get_next(u->mdb); x && slot_ptr_ok(x) && cap_is_parent_of(u, x);
         x = mdb_get_next(x->mdb)) {
        if (++n > MAX_LIST_WALK || !spend(1))
            return;
        cap_t xc = x->cap;
        cap_region_t r = cap_get_region(xc);
        if (r.base < base || r.base + BIT(r.size_bits) > watermark) {
            violation2("a descendant of an Untyped lies above its watermark", u, x);
            continue;
        }
        cap_tag_t t = cap_get_type(xc);
        if (device && t != cap_untyped_cap && t != cap_frame_cap)
            violation2("a device Untyped holds a kernel object", u, x);
        if (t == cap_untyped_cap || objects_overflowed)
            continue;
        sword_t i = object_at_or_below(r.base);
        for (; i >= 0 && objects[i].base == r.base; i--)
            if (objects[i].type == t && objects[i].size_bits == r.size_bits)
                objects[i].mark = serial;
    }
    if (objects_overflowed)
        return;

    /* Every object inside it must be one of those: otherwise revoking the Untyped would
     * leave it alive, and the next Retype would hand its memory out again. */
    sword_t i = object_at_or_below(base);
    if (i >= 0 && objects[i].base < base && obj_end(&objects[i]) > base)
        violation2("an object straddles the start of an Untyped", u, (void *)objects[i].base);
    for (i = i < 0 ? 0 : (objects[i].base < base ? i + 1 : i);
         (word_t)i < n_objects && objects[i].base < end; i++) {
        if (!spend(1))
            return;
        if (obj_end(&objects[i]) > end)
            violation2("an object straddles the end of an Untyped", u, (void *)objects[i].base);
        else if (objects[i].mark != serial)
            violation2("an object inside an Untyped is not its descendant", u,
                       (void *)objects[i].base);
    }
}

static void check_overlaps(void)
{
    for (word_t i = 1; i < n_objects; i++) {
        if (obj_end(&objects[i - 1]) > objects[i].base)
            violation2("two objects overlap", (void *)objects[i - 1].base, (void *)objects[i].base);
    }
}

/* ----------------------------------------------------------- kernel references --- */

static void check_ep_queue(endpoint_t *ep)
{
    if (ep->state > ep_recv) {
        violation("an endpoint is in no known state", ep);
        return;
    }
    if ((ep->head == NULL) != (ep->state == ep_idle))
        violation("an endpoint's state disagrees with its queue", ep);
    word_t want = ep->state == ep_send ? thread_blocked_on_send : thread_blocked_on_receive;
    tcb_t *prev = NULL;
    word_t n = 0;
    for (tcb_t *t = ep->head; t; t = t->ep_next) {
        if (!live(t, cap_thread_cap)) {
            violation2("an endpoint queue holds a dead thread", ep, t);
            return;
        }
        if (t->ep_prev != prev)
            violation2("endpoint queue back link", ep, t);
        if (t->state != want || t->blocking_object != ep)
            violation2("a thread in an endpoint queue is not blocked on it", ep, t);
        prev = t;
        if (++n > MAX_LIST_WALK || !spend(1)) {
            violation("an endpoint queue does not end", ep);
            return;
        }
    }
    if (ep->tail != prev)
        violation("endpoint queue tail", ep);
}

static void check_ntfn(notification_t *nt)
{
    ntfn_state_t st = ntfn_get_state(nt);
    tcb_t *head = ntfn_get_head(nt);
    if (st > ntfn_active) {
        violation("a notification is in no known state", nt);
        return;
    }
    if ((head != NULL) != (st == ntfn_waiting))
        violation("a notification's state disagrees with its queue", nt);
    if (nt->bound_tcb != NULL &&
        (!live(nt->bound_tcb, cap_thread_cap) || nt->bound_tcb->bound_notification != nt))
        violation2("a notification is bound to a thread not bound to it", nt, nt->bound_tcb);
    tcb_t *prev = NULL;
    word_t n = 0;
    for (tcb_t *t = head; t; t = t->ep_next) {
        if (!live(t, cap_thread_cap)) {
            violation2("a notification queue holds a dead thread", nt, t);
            return;
        }
        if (t->ep_prev != prev)
            violation2("notification queue back link", nt, t);
        if (t->state != thread_blocked_on_notification || t->blocking_object != nt)
            violation2("a thread in a notification queue is not waiting on it", nt, t);
        prev = t;
        if (++n > MAX_LIST_WALK || !spend(1)) {
            violation("a notification queue does not end", nt);
            return;
        }
    }
    if (head != NULL && nt->tail != prev)
        violation("notification queue tail", nt);
}

static bool in_queue(tcb_t *head, tcb_t *t)
{
    word_t n = 0;
    for (tcb_t *x = head; x && kptr_ok(x, seL4_TCBBits); x = x->ep_next) {
        if (x == t)
            return true;
        if (++n > MAX_LIST_WALK || !spend(1))
            return false;
    }
    return false;
}

static void check_tcb(tcb_t *t)
{
    if (t->state > thread_blocked_on_notification) {
        violation("a thread is in no known state", t);
        return;
    }
    if (t->priority >= seL4_NumPriorities || t->mcp >= seL4_NumPriorities)
        violation("a thread's priority is out of range", t);
    bool queued = t->sched_prev != NULL || sched_queue(t->priority).head == t;
    if (queued != (t->sched_queued != 0))
        violation("a thread's queued flag disagrees with the ready queues", t);
    if (thread_is_runnable(t) && t != cur_thread && !queued)
        violation("a runnable thread is in no ready queue", t);
    if (!thread_is_runnable(t) && queued)
        violation("a blocked thread is in a ready queue", t);
    switch (t->state) {
    case thread_blocked_on_send:
    case thread_blocked_on_receive: {
        endpoint_t *ep = t->blocking_object;
        if (!live(ep, cap_endpoint_cap))
            violation2("a thread is blocked on a dead endpoint", t, ep);
        else if (!in_queue(ep->head, t))
            violation2("a thread blocked on an endpoint is not in its queue", t, ep);
        break;
    }
    case thread_blocked_on_notification: {
        notification_t *nt = t->blocking_object;
        if (!live(nt, cap_notification_cap))
            violation2("a thread waits on a dead notification", t, nt);
        else if (!in_queue(ntfn_get_head(nt), t))
            violation2("a thread waiting on a notification is not in its queue", t, nt);
        break;
    }
    default:
        if (t->ep_next != NULL || t->ep_prev != NULL)
            violation("a thread not blocked on IPC keeps queue links", t);
        break;
    }
    notification_t *b = t->bound_notification;
    if (b != NULL && (!live(b, cap_notification_cap) || b->bound_tcb != t))
        violation2("a thread is bound to a notification not bound to it", t, b);
}

/* Reply caps, thread caps' own slots: what only the finished object table can tell. */
static void check_slot_references(cte_t *s)
{
    cap_t c = s->cap;
    if (cap_get_type(c) != cap_reply_cap)
        return;
    tcb_t *t = (tcb_t *)cap_reply_get_tcb(c);
    if (!live(t, cap_thread_cap)) {
        violation2("a reply cap names a dead thread", s, t);
        return;
    }
    if (cap_reply_get_master(c)) {
        if (s != &t->slots[tcb_reply_slot])
            violation2("a master reply cap is outside its thread", s, t);
    } else if (t->state != thread_blocked_on_reply) {
        violation2("a reply cap names a thread that waits for no reply", s, t);
    }
}

/* Every user mapping of an address space in use (a page directory registered under an
 * ASID) leads to live page tables and frames. (A page directory whose ASID is gone can
 * never be loaded again, so what it still holds does not matter.) */
static void check_vspace(pde_t *pd)
{
    for (word_t i = 0; i < KERNEL_PD_INDEX; i++) {
        if (!spend(1))
            return;
        pde_t e = pd[i];
        switch (e & PDE_TYPE_MASK) {
        case PDE_INVALID:
            break;
        case PDE_COARSE: {
            paddr_t pt_pa = e & ~MASK(10);
            if (!live((void *)ptr_from_paddr(pt_pa), cap_page_table_cap)) {
                violation2("a page directory maps a dead page table", pd, (void *)pt_pa);
                break;
            }
            pte_t *pt = (pte_t *)ptr_from_paddr(pt_pa);
            for (word_t j = 0; j < PT_ENTRIES; j++) {
                pte_t p = pt[j];
                if ((p & 3u) == PTE_INVALID)
                    continue;
                bool small = (p & PTE_SMALL) != 0;
                paddr_t pa = small ? p & ~MASK(seL4_PageBits) : p & ~MASK(seL4_LargePageBits);
                if (!live_frame_at(pa, small ? seL4_PageBits : seL4_LargePageBits))
                    violation2("a page table maps a dead frame", pt, (void *)pa);
            }
            if (!spend(PT_ENTRIES))
                return;
            break;
        }
        default: {
            bool super = (e & PDE_SUPERSECTION) != 0;
            paddr_t pa = super ? e & ~MASK(seL4_SuperSectionBits) : e & ~MASK(seL4_SectionBits);
            if (!live_frame_at(pa, super ? seL4_SuperSectionBits : seL4_SectionBits))
                violation2("a page directory maps a dead frame", pd, (void *)pa);
            break;
        }
        }
    }
}

static void check_asid_table(void)
{
    for (word_t i = 0; i < ASID_POOLS; i++) {
        asid_pool_t *pool = asid_table[i];
        if (pool == NULL)
            continue;
        if (!live(pool, cap_asid_pool_cap)) {
            violation("the ASID table holds a dead ASID pool", pool);
            continue;
        }
        for (word_t j = 0; j < BIT(ASID_LOW_BITS); j++) {
            word_t e = pool->entry[j];
            if (e == 0)
                continue;
            pde_t *pd = (pde_t *)(e & ~MASK(14));
            if (!live(pd, cap_page_directory_cap))
                violation2("an ASID names a dead page directory", pool, pd);
            else
                check_vspace(pd);
        }
    }
}

static void check_references(void)
{
    for (word_t i = 0; i < n_objects; i++) {
        if (!spend(1))
            return;
        void *p = (void *)ptr_from_paddr(objects[i].base);
        switch (objects[i].type) {
        case cap_thread_cap:
            check_tcb(p);
            break;
        case cap_endpoint_cap:
            check_ep_queue(p);
            break;
        case cap_notification_cap:
            check_ntfn(p);
            break;
        default:
            break;
        }
    }
    for (word_t p = 0; p < seL4_NumPriorities; p++) {
        word_t n = 0;
        for (tcb_t *t = sched_queue(p).head; t && n < 100000; t = t->sched_next, n++) {
            if (!live(t, cap_thread_cap)) {
                violation("a ready queue holds a dead thread", t);
                break;
            }
        }
    }
    if (cur_thread != &idle_thread && !live(cur_thread, cap_thread_cap))
        violation("the running thread is dead", cur_thread);
    check_asid_table();
}

/* ------------------------------------------------------------------------ driver --- */

/* Checks one slot and queues the slots its CDT links lead to. */
static void walk_slot(cte_t *s)
{
    check_slot(s);
    if (cap_is_null(s->cap))
        return;
    single_add(mdb_get_prev(s->mdb));
    single_add(mdb_get_next(s->mdb));
}

static void check_cdt_shape(cte_t *s)
{
    if (cap_is_null(s->cap))
        return;
    check_list_has_head(s);
    check_nesting(s);
}

static void check_capabilities(void)
{
    n_containers = n_objects = n_untypeds = n_singles = 0;
    containers_overflowed = objects_overflowed = untypeds_overflowed = singles_overflowed = false;
    for (word_t i = 0; i < CONTAINER_HASH; i++)
        container_set[i] = NULL;
    for (word_t i = 0; i < SINGLE_HASH; i++)
        single_set[i] = NULL;

    if (root_cnode_slots != NULL)
        container_add(root_cnode_slots, BIT(root_cnode_radix));
    word_t n_irq;
    cte_t *irq_slots = irq_notification_slots(&n_irq);
    container_add(irq_slots, n_irq);

    /* The walk: containers found on the way are appended and walked in turn, and so are the
     * slots their CDT links lead to. (A single slot may turn out to lie in a container
     * found later and be checked twice; every check tolerates that.) */
    for (word_t ci = 0, si = 0; ci < n_containers || si < n_singles;) {
        if (ci < n_containers) {
            if (!spend(containers[ci].count))
                return;
            for (word_t k = 0; k < containers[ci].count; k++)
                walk_slot(&containers[ci].slots[k]);
            ci++;
        } else {
            if (!spend(1))
                return;
            walk_slot(singles[si++]);
        }
    }
    if (singles_overflowed)
        kprintf("invariants: more than %u slots outside CNodes reachable by threads; some not "
                "walked\n",
                MAX_SINGLES);
    if (containers_overflowed)
        kprintf("invariants: more than %u CNodes and TCBs; some slots not walked\n",
                MAX_CONTAINERS);
    if (objects_overflowed)
        kprintf("invariants: more than %u objects; memory checks skipped\n", MAX_OBJECTS);
    if (untypeds_overflowed)
        kprintf("invariants: more than %u Untyped caps; some not checked\n", MAX_UNTYPEDS);

    /* CDT shape: heads and nesting, slot by slot. */
    for_each_walked_slot(check_cdt_shape);

    if (objects_overflowed)
        return;
    objects_sort_unique();
    check_overlaps();
    for (word_t i = 0; i < n_untypeds; i++)
        check_untyped(untypeds[i], i + 1);
    for_each_walked_slot(check_slot_references);
    check_references();
}

word_t invariants_check(void)
{
    violations = 0;
    steps = 0;
    window_end = mapped_window_end();
    budget_reported = false;
    check_scheduler();
    check_capabilities();
    if (violations > MAX_REPORTS)
        kprintf("invariants: %u more violations not shown\n", violations - MAX_REPORTS);
    return violations;
}

#else

/* Release kernels carry no checker: say so, rather than claim success. */
word_t invariants_check(void)
{
    return INVARIANTS_NOT_CHECKED;
}

#endif
