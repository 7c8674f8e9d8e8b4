/*
 * Kernel object formats: capabilities, CNode slots and their derivation links, and the
 * layouts of endpoints, notifications and ASID pools. Every packed word is defined here
 * once, with <type>_get_<field>/<type>_set_<field> accessors; nothing outside this file
 * shifts or masks a capability word.
 */
#pragma once

#include <types.h>
#include <sel4/constants.h>

/* ---------------------------------------------------------------- capabilities --------- */

/* Cap types: the low 4 bits of word 0. (seL4_DebugCapIdentify returns these numbers.) */
typedef enum {
    cap_null_cap = 0,
    cap_untyped_cap = 1,
    cap_endpoint_cap = 2,
    cap_notification_cap = 3,
    cap_reply_cap = 4,
    cap_cnode_cap = 5,
    cap_thread_cap = 6,
    cap_irq_control_cap = 7,
    cap_irq_handler_cap = 8,
    cap_zombie_cap = 9,
    cap_frame_cap = 10,
    cap_page_table_cap = 11,
    cap_page_directory_cap = 12,
    cap_asid_control_cap = 13,
    cap_asid_pool_cap = 14,
} cap_tag_t;

typedef struct cap {
    word_t w[2];
} cap_t;

#define CAP_TYPE_BITS 4

static inline cap_tag_t cap_get_type(cap_t c)
{
    return (cap_tag_t)(c.w[0] & MASK(CAP_TYPE_BITS));
}
static inline cap_t cap_null_cap_new(void)
{
    cap_t c = {{0, 0}};
    return c;
}
static inline bool cap_is_null(cap_t c)
{
    return cap_get_type(c) == cap_null_cap;
}

/*
 * Untyped: w0 = paddr (16-byte aligned) | type
 *          w1 = freeIndex:26 (in 16-byte units) | isDevice:1 | blockSize:5
 */
static inline cap_t cap_untyped_cap_new(paddr_t paddr, word_t block_size, bool is_device,
                                        word_t free_index)
{
    cap_t c = {{paddr | cap_untyped_cap,
                (free_index << 6) | ((word_t)is_device << 5) | (block_size & 0x1fu)}};
    return c;
}
static inline paddr_t cap_untyped_get_paddr(cap_t c)
{
    return c.w[0] & ~MASK(4);
}
static inline word_t cap_untyped_get_block_size(cap_t c)
{
    return c.w[1] & 0x1fu;
}
static inline bool cap_untyped_get_is_device(cap_t c)
{
    return (c.w[1] >> 5) & 1u;
}
static inline word_t cap_untyped_get_free_index(cap_t c)
{
    return c.w[1] >> 6;
}
static inline cap_t cap_untyped_set_free_index(cap_t c, word_t free_index)
{
    c.w[1] = (c.w[1] & MASK(6)) | (free_index << 6);
    return c;
}
/* Free index is counted in units of 2^seL4_MinUntypedBits bytes. */
#define UNTYPED_INDEX_BITS seL4_MinUntypedBits

/* Endpoint and notification: w0 = pptr | type, w1 = badge:28 | rights:4 */
#define CAP_RIGHT_WRITE       BIT(0)
#define CAP_RIGHT_READ        BIT(1)
#define CAP_RIGHT_GRANT       BIT(2)
#define CAP_RIGHT_GRANT_REPLY BIT(3)
#define CAP_RIGHTS_ALL        0xfu

static inline cap_t cap_endpoint_cap_new(pptr_t ep, word_t badge, word_t rights)
{
    cap_t c = {{ep | cap_endpoint_cap, (badge << 4) | (rights & 0xfu)}};
    return c;
}
static inline cap_t cap_notification_cap_new(pptr_t ntfn, word_t badge, word_t rights)
{
    cap_t c = {{ntfn | cap_notification_cap, (badge << 4) | (rights & 0xfu)}};
    return c;
}
/* Object pointer of endpoint, notification, thread, reply, cnode, asid pool and zombie caps. */
static inline pptr_t cap_get_pptr(cap_t c)
{
    return c.w[0] & ~MASK(CAP_TYPE_BITS);
}
static inline word_t cap_ep_get_badge(cap_t c)
{
    return c.w[1] >> 4;
}
static inline word_t cap_ep_get_rights(cap_t c)
{
    return c.w[1] & 0xfu;
}
static inline cap_t cap_ep_set_rights(cap_t c, word_t rights)
{
    c.w[1] = (c.w[1] & ~0xfu) | (rights & 0xfu);
    return c;
}
static inline cap_t cap_ep_set_badge(cap_t c, word_t badge)
{
    c.w[1] = (c.w[1] & 0xfu) | (badge << 4);
    return c;
}

/* Reply: w0 = tcb pptr | canGrant:1 (bit 5) | master:1 (bit 4) | type */
static inline cap_t cap_reply_cap_new(pptr_t tcb, bool master, bool can_grant)
{
    cap_t c = {{tcb | ((word_t)can_grant << 5) | ((word_t)master << 4) | cap_reply_cap, 0}};
    return c;
}
static inline bool cap_reply_get_master(cap_t c)
{
    return (c.w[0] >> 4) & 1u;
}
static inline bool cap_reply_get_can_grant(cap_t c)
{
    return (c.w[0] >> 5) & 1u;
}
static inline pptr_t cap_reply_get_tcb(cap_t c)
{
    return c.w[0] & ~MASK(10);
}

/* CNode: w0 = pptr | type, w1 = guard:18 | guardSize:5 | radix:5 (bits 27..0) */
static inline cap_t cap_cnode_cap_new(pptr_t cnode, word_t radix, word_t guard_size, word_t guard)
{
    cap_t c = {{cnode | cap_cnode_cap,
                ((guard & 0x3ffffu) << 10) | ((guard_size & 0x1fu) << 5) | (radix & 0x1fu)}};
    return c;
}
static inline word_t cap_cnode_get_radix(cap_t c)
{
    return c.w[1] & 0x1fu;
}
static inline word_t cap_cnode_get_guard_size(cap_t c)
{
    return (c.w[1] >> 5) & 0x1fu;
}
static inline word_t cap_cnode_get_guard(cap_t c)
{
    return (c.w[1] >> 10) & 0x3ffffu;
}

/* Thread: w0 = tcb pptr | type */
static inline cap_t cap_thread_cap_new(pptr_t tcb)
{
    cap_t c = {{tcb | cap_thread_cap, 0}};
    return c;
}

static inline cap_t cap_irq_control_cap_new(void)
{
    cap_t c = {{cap_irq_control_cap, 0}};
    return c;
}
/* IRQ handler: w1 = irq */
static inline cap_t cap_irq_handler_cap_new(word_t irq)
{
    cap_t c = {{cap_irq_handler_cap, irq}};
    return c;
}
static inline word_t cap_irq_handler_get_irq(cap_t c)
{
    return c.w[1];
}

/*
 * Zombie: a CNode or TCB part-way through destruction. w0 = pptr | type,
 * w1 = slots still to clear:27 | is_tcb:1 | radix:5 (bits 0-4, CNode only)... see cnode.c.
 */
static inline cap_t cap_zombie_cap_new(pptr_t obj, word_t remaining, bool is_tcb, word_t radix)
{
    cap_t c = {{obj | cap_zombie_cap, (remaining << 6) | ((word_t)is_tcb << 5) | (radix & 0x1fu)}};
    return c;
}
static inline word_t cap_zombie_get_remaining(cap_t c)
{
    return c.w[1] >> 6;
}
static inline bool cap_zombie_get_is_tcb(cap_t c)
{
    return (c.w[1] >> 5) & 1u;
}
static inline word_t cap_zombie_get_radix(cap_t c)
{
    return c.w[1] & 0x1fu;
}

/*
 * Frame: w0 = frame paddr:20 | asidHigh:3 | isDevice:1 | size:2 | vmRights:2 | type:4
 *        w1 = mapped vaddr:20 | asidLow:12
 * The frame is mapped iff its ASID is non-zero.
 */
typedef enum { frame_small = 0, frame_large = 1, frame_section = 2, frame_super = 3 } frame_size_t;
/* VM rights, as seL4: kernel-only, read-only, read-write. */
#define VM_KERNEL_ONLY 1u
#define VM_READ_ONLY   2u
#define VM_READ_WRITE  3u

#define ASID_BITS      15
#define ASID_LOW_BITS  10 /* index within a pool: 1024 VSpaces per pool */
#define ASID_HIGH_BITS (ASID_BITS - ASID_LOW_BITS)
#define ASID_POOLS     BIT(ASID_HIGH_BITS)

static inline cap_t cap_frame_cap_new(paddr_t base, frame_size_t size, word_t vm_rights,
                                      bool is_device, word_t asid, vptr_t mapped_vaddr)
{
    cap_t c;
    c.w[0] = (base & ~MASK(12)) | (((asid >> 12) & 7u) << 9) | ((word_t)is_device << 8) |
             ((word_t)size << 6) | ((vm_rights & 3u) << 4) | cap_frame_cap;
    c.w[1] = (mapped_vaddr & ~MASK(12)) | (asid & MASK(12));
    return c;
}
static inline paddr_t cap_frame_get_base(cap_t c)
{
    return c.w[0] & ~MASK(12);
}
static inline frame_size_t cap_frame_get_size(cap_t c)
{
    return (frame_size_t)((c.w[0] >> 6) & 3u);
}
static inline word_t cap_frame_get_vm_rights(cap_t c)
{
    return (c.w[0] >> 4) & 3u;
}
static inline bool cap_frame_get_is_device(cap_t c)
{
    return (c.w[0] >> 8) & 1u;
}
static inline word_t cap_frame_get_asid(cap_t c)
{
    return (((c.w[0] >> 9) & 7u) << 12) | (c.w[1] & MASK(12));
}
static inline vptr_t cap_frame_get_mapped_vaddr(cap_t c)
{
    return c.w[1] & ~MASK(12);
}
static inline cap_t cap_frame_set_mapping(cap_t c, word_t asid, vptr_t vaddr)
{
    c.w[0] = (c.w[0] & ~(7u << 9)) | (((asid >> 12) & 7u) << 9);
    c.w[1] = (vaddr & ~MASK(12)) | (asid & MASK(12));
    return c;
}
static inline cap_t cap_frame_set_vm_rights(cap_t c, word_t vm_rights)
{
    c.w[0] = (c.w[0] & ~(3u << 4)) | ((vm_rights & 3u) << 4);
    return c;
}

/* Page table: w0 = pptr (1 KiB aligned) | type, w1 = mapped vaddr:12 (1 MiB) | asid:15 */
static inline cap_t cap_page_table_cap_new(pptr_t pt, word_t asid, vptr_t mapped_vaddr)
{
    cap_t c = {{pt | cap_page_table_cap, (mapped_vaddr & ~MASK(20)) | (asid & MASK(ASID_BITS))}};
    return c;
}
static inline word_t cap_page_table_get_asid(cap_t c)
{
    return c.w[1] & MASK(ASID_BITS);
}
static inline vptr_t cap_page_table_get_mapped_vaddr(cap_t c)
{
    return c.w[1] & ~MASK(20);
}

/* Page directory: w0 = pptr (16 KiB aligned) | type, w1 = asid:15 (0: no ASID assigned) */
static inline cap_t cap_page_directory_cap_new(pptr_t pd, word_t asid)
{
    cap_t c = {{pd | cap_page_directory_cap, asid & MASK(ASID_BITS)}};
    return c;
}
static inline word_t cap_page_directory_get_asid(cap_t c)
{
    return c.w[1] & MASK(ASID_BITS);
}

static inline cap_t cap_asid_control_cap_new(void)
{
    cap_t c = {{cap_asid_control_cap, 0}};
    return c;
}
/* ASID pool: w0 = pptr (4 KiB aligned) | type, w1 = first ASID of the pool */
static inline cap_t cap_asid_pool_cap_new(pptr_t pool, word_t asid_base)
{
    cap_t c = {{pool | cap_asid_pool_cap, asid_base}};
    return c;
}
static inline word_t cap_asid_pool_get_base(cap_t c)
{
    return c.w[1];
}

/* ------------------------------------------------------------ slots and the CDT --------- */

/*
 * Capability derivation tree: all slots holding caps form one doubly linked list in
 * depth-first order; a slot's children follow it, and "parent of" is decided by comparing
 * caps (see cap_is_parent_of in cnode.c). w0 = prev slot, w1 = next slot | firstBadged:1 |
 * revocable:1.
 */
typedef struct mdb_node {
    word_t w[2];
} mdb_node_t;

typedef struct cte {
    cap_t cap;
    mdb_node_t mdb;
} cte_t;

STATIC_ASSERT(slot_size, sizeof(cte_t) == BIT(seL4_SlotBits));

static inline cte_t *mdb_get_prev(mdb_node_t m)
{
    return (cte_t *)m.w[0];
}
static inline cte_t *mdb_get_next(mdb_node_t m)
{
    return (cte_t *)(m.w[1] & ~MASK(2));
}
static inline bool mdb_get_revocable(mdb_node_t m)
{
    return m.w[1] & 1u;
}
static inline bool mdb_get_first_badged(mdb_node_t m)
{
    return (m.w[1] >> 1) & 1u;
}
static inline void mdb_set_prev(cte_t *s, cte_t *prev)
{
    s->mdb.w[0] = (word_t)prev;
}
static inline void mdb_set_next(cte_t *s, cte_t *next)
{
    s->mdb.w[1] = (word_t)next | (s->mdb.w[1] & MASK(2));
}
static inline void mdb_set_revocable(cte_t *s, bool v)
{
    s->mdb.w[1] = (s->mdb.w[1] & ~1u) | (word_t)v;
}
static inline void mdb_set_first_badged(cte_t *s, bool v)
{
    s->mdb.w[1] = (s->mdb.w[1] & ~2u) | ((word_t)v << 1);
}

/* ------------------------------------------------------------------ IPC objects --------- */

struct tcb;

/* Endpoint: 16 bytes. Queue of TCBs, all sending or all receiving. */
typedef enum { ep_idle = 0, ep_send = 1, ep_recv = 2 } ep_state_t;
typedef struct endpoint {
    struct tcb *head;
    struct tcb *tail;
    word_t state;
    word_t pad;
} endpoint_t;
STATIC_ASSERT(endpoint_size, sizeof(endpoint_t) == BIT(seL4_EndpointBits));

/* Notification: 16 bytes. Waiting queue, or an active word of OR-ed badges. */
typedef enum { ntfn_idle = 0, ntfn_waiting = 1, ntfn_active = 2 } ntfn_state_t;
typedef struct notification {
    struct tcb *head; /* waiting threads; the low 2 bits hold the state */
    struct tcb *tail;
    struct tcb *bound_tcb; /* the thread bound with TCB_BindNotification, if any */
    word_t word;           /* OR of signalled badges while active */
} notification_t;
STATIC_ASSERT(notification_size, sizeof(notification_t) == BIT(seL4_NotificationBits));

static inline ntfn_state_t ntfn_get_state(notification_t *n)
{
    return (ntfn_state_t)((word_t)n->head & 3u);
}
static inline struct tcb *ntfn_get_head(notification_t *n)
{
    return (struct tcb *)((word_t)n->head & ~3u);
}
static inline void ntfn_set(notification_t *n, struct tcb *head, ntfn_state_t state)
{
    n->head = (struct tcb *)((word_t)head | state);
}

/* ASID pool: 1024 entries, each a page directory pointer with its hardware ASID. */
typedef struct asid_pool {
    word_t entry[BIT(ASID_LOW_BITS)]; /* pd pptr (16 KiB aligned) | hw_asid:8 | valid hw:1 */
} asid_pool_t;
STATIC_ASSERT(asid_pool_size, sizeof(asid_pool_t) == BIT(seL4_ASIDPoolBits));
