/*
 * The sysfuzz engine (see sysfuzz.h): the fuzz threads, their call generator, their
 * environment and the test task's supervision loop.
 *
 * Threads. The main fuzz thread makes the counted steps; a helper fuzz thread runs the same
 * generator from another seed in the same CSpace, so that one thread's calls land while the
 * other is blocked in IPC, and each can destroy the other. Two victims run code in a toy
 * VSpace: an echo server on FS_EP, and a waiter that calls FS_EP_BADGED each time FS_NTFN is
 * signalled. The bystander (priority 254) answers the test task's pings; no fuzz thread has
 * a cap to it.
 *
 * Priorities. The test task, the fuzz threads and the victims share priority 200, which is
 * also the fuzz threads' maximum controlled priority: nothing they create or change can
 * outrank the test task, so it always gets its turn. It yields to let them run and takes
 * over when the main fuzz thread made no step during a round: it has stopped (blocked,
 * faulted, suspended or deleted), lowered itself, or spins (a thread can make itself repeat
 * one system call forever, e.g. CopyRegisters onto itself with the frame registers: its
 * restart pc is its own svc, in seL4 too).
 *
 * CSpace. Each fuzz thread's CSpace is one CNode of 256 slots (guard 0 of 24 bits, so CPtr
 * n names slot n at depth 32). The first slots start out as fs_slot_t says; the fuzz threads
 * move, copy and delete them at will. The test task keeps caps only to that CNode, the
 * fault endpoint, and each fuzz thread's TCB while the thread is parked: every other object
 * has its caps in the fuzz CNode (and in the TCBs that use it), the running fuzz threads'
 * own TCBs included, so the fuzz threads can destroy any of it while others use it. They
 * have no cap to anything of the test task (its CNode, TCB, VSpace, ASID pool or the test
 * pool). Every environment comes from one Untyped, the arena, revoked to start afresh.
 *
 * VSpace. The fuzz threads run in the test task's VSpace, but only this file's code, writing
 * only their fuzzer_t, stacks and IPC buffers. The addresses the generator makes (random
 * words aside) avoid everything the test task maps, so a register write that redirects a
 * thread sends it to unmapped memory, where it faults.
 */
#include "sysfuzz.h"
#include <fmt/fmt.h>

#define PRIO_BYSTANDER 254
#define PRIO_FUZZ      200
#define MCP_FUZZ       200
#define PRIO_VICTIM    200
#define PRIO_TEST      200

#define CHECK_PERIOD   200 /* steps between invariant checks and bystander pings */
#define REBUILD_PERIOD 250 /* steps between fresh environments */

#define ARENA_BITS     23
#define FZ_RADIX       8
#define FZ_SLOTS       (1u << FZ_RADIX)
#define FZ_GUARD_BITS  (seL4_WordBits - FZ_RADIX)
#define FZ_FAULT_BADGE 0xfa17u
#define IRQ_FOR_FUZZ   100 /* GPIO lines nothing drives: 100 and 101 */

/* The victims' code and IPC buffers in the toy VSpace (unmapped in ours). */
#define VICTIM_CODE_VADDR 0x90000000u
#define VICTIM_IPC_VADDR  0x90100000u

/* The fuzz CNode as each environment starts. */
typedef enum {
    FS_SELF = 1,          /* the main fuzz thread's TCB (its only cap) */
    FS_CNODE_G = 2,       /* this CNode, guard 24: CPtrs at depth 32 */
    FS_CNODE = 3,         /* this CNode without guard: indexes at depth 8 */
    FS_VICTIM = 4,        /* the echo server */
    FS_EP = 5,            /* the endpoint it serves (and the victims' fault endpoint) */
    FS_NTFN = 6,          /* the notification the waiter waits on */
    FS_FAULT = 7,         /* the fuzz threads' fault endpoint (badged), read by the test task */
    FS_UNTYPED = 8,       /* 1 MiB of Untyped */
    FS_FRAME = 9,         /* a 4 KiB frame: the victims' IPC buffers */
    FS_PT = 10,           /* a page table */
    FS_PD = 11,           /* the toy VSpace (a page directory with an ASID) */
    FS_ASID_CONTROL = 12, /* a copy of ASIDControl */
    FS_IRQ_CONTROL = 13,  /* IRQControl, in runs that give it (taken back after) */
    FS_CNODE2 = 14,       /* a 16-slot CNode (reachable at depth 12 through FS_CNODE) */
    FS_EP_BADGED = 15,
    FS_NTFN_BADGED = 16,
    FS_EP_RO = 17, /* FS_EP with the read right only */
    FS_LARGE = 18, /* a 64 KiB frame */
    FS_IRQ_HANDLER = 19,
    FS_FREE = 20,          /* 20..23 empty, e.g. for SaveCaller */
    FS_TCB2 = 24,          /* an unconfigured thread */
    FS_FRAME2 = 25,        /* a 4 KiB frame mapped in the toy VSpace */
    FS_PD2 = 26,           /* a page directory without an ASID */
    FS_UNTYPED_SMALL = 27, /* 4 KiB of Untyped: an ASID pool's size */
    FS_SECTION = 28,       /* a 1 MiB frame mapped in the toy VSpace */
    FS_WAITER = 29,        /* the waiter */
    FS_IRQ_HANDLER2 = 30,
    FS_CODE_PT = 31,  /* the page table of the victims' code */
    FS_SELF2 = 32,    /* the helper fuzz thread's TCB (its only cap) */
    FS_POPULATED = 33 /* slots below this are the interesting ones */
} fs_slot_t;

/* ------------------------------------------------------------- shared state --------- */

/* One fuzz thread's state, written by the test task before a run and by the thread. */
typedef struct {
    volatile seL4_Word step; /* index of the next call; incremented before the call */
    volatile seL4_Word target;
    seL4_Word seed;
    seL4_Word focus; /* sysfuzz_focus_t */
    seL4_IPCBuffer *ipc;
    volatile seL4_Word last_label; /* label of the current structured invocation, or ~0 */
    volatile seL4_Word call_label[12];
    volatile seL4_Word by_syscall[4];
    volatile seL4_Word label_ok[nInvocationLabels]; /* structured Calls answered NoError */
} fuzzer_t;

static fuzzer_t fz[2]; /* the main fuzz thread's, the helper's */

/* ------------------------------------------------------------- the generator --------- */

typedef struct {
    seL4_Word s;
} rng_t;

static seL4_Word mix(seL4_Word x)
{
    x ^= x >> 16;
    x *= 0x7feb352du;
    x ^= x >> 15;
    x *= 0x846ca68bu;
    x ^= x >> 16;
    return x;
}

/* xorshift32 */
static seL4_Word rnd(rng_t *g)
{
    seL4_Word x = g->s;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    g->s = x;
    return x;
}

static seL4_Word below(rng_t *g, seL4_Word n)
{
    return rnd(g) % n;
}

static bool chance(rng_t *g, seL4_Word percent)
{
    return below(g, 100) < percent;
}

/* A slot index of the fuzz CNode, mostly one that starts out populated. */
static seL4_Word any_slot(rng_t *g)
{
    seL4_Word p = below(g, 100);
    if (p < 70)
        return below(g, FS_POPULATED);
    if (p < 95)
        return below(g, FZ_SLOTS);
    return rnd(g);
}

/* Page-aligned (and a few other) addresses nowhere near anything the test task maps. */
static seL4_Word address(rng_t *g)
{
    switch (below(g, 10)) {
    case 0:
        return VICTIM_CODE_VADDR;
    case 1:
    case 2:
        /* Around the victim's code: the first MiB has a page table. */
        return VICTIM_CODE_VADDR + (below(g, 1024) << 12);
    case 3:
        return VICTIM_CODE_VADDR + (below(g, 64) << 16);
    case 4:
        return 0x80000000u + (below(g, 0x60000u) << 12);
    case 5:
        return 0x80000000u + (below(g, 0x600u) << 20);
    case 6:
        return 0x80000000u + (below(g, 0x60u) << 24);
    case 7:
        return seL4_UserTop + (below(g, 0x20000u) << 12);
    case 8:
        return VICTIM_CODE_VADDR + (below(g, 0x800u) << 9);
    default:
        return 0x80000000u + (rnd(g) & 0x5fffffffu);
    }
}

/* One argument word, biased towards values that mean something to some decoder. */
static seL4_Word value(rng_t *g)
{
    static const uint8_t depths[] = {8, 32, 12, 4, 0, 1, 24, 31, 33, 64};
    switch (below(g, 16)) {
    case 0:
    case 1:
        return below(g, 32);
    case 2:
        return below(g, 256);
    case 3:
        return any_slot(g);
    case 4:
        return depths[below(g, sizeof(depths))];
    case 5:
        return below(g, seL4_ObjectTypeCount + 1);
    case 6:
    case 7:
        return address(g);
    case 8:
        return below(g, 16);
    case 9:
        return seL4_CNode_CapData_new(below(g, 4), below(g, 32)).words[0];
    case 10:
        return below(g, 1u << 28);
    case 11:
        return below(g, 256);
    case 12:
    case 13:
        return rnd(g);
    case 14:
        return 0;
    default:
        return (seL4_Word)-1 - below(g, 4);
    }
}

static seL4_Word pick(rng_t *g, const uint8_t *list, seL4_Word n)
{
    if (chance(g, 15))
        return any_slot(g);
    return list[below(g, n)];
}
#define PICK(g, list) pick(g, list, sizeof(list))

static const uint8_t tcbs[] = {FS_SELF, FS_VICTIM, FS_TCB2, FS_VICTIM, FS_WAITER, FS_SELF2};
static const uint8_t cnodes[] = {FS_CNODE, FS_CNODE_G, FS_CNODE2};
static const uint8_t frames[] = {FS_FRAME, FS_LARGE, FS_FRAME2, FS_SECTION, FS_FRAME2};
static const uint8_t pds[] = {FS_PD, FS_PD2, FS_PD};
static const uint8_t ntfns[] = {FS_NTFN, FS_NTFN_BADGED};
static const uint8_t eps[] = {FS_EP, FS_EP_BADGED, FS_EP_RO, FS_FAULT, FS_EP};
static const uint8_t untypeds[] = {FS_UNTYPED, FS_UNTYPED_SMALL};
static const uint8_t ipc_caps[] = {FS_EP,          FS_EP_BADGED, FS_EP_RO,   FS_NTFN,
                                   FS_NTFN_BADGED, FS_FREE,      FS_FREE + 1};

/* A (CNode, index, depth) triple that resolves, most of the time. */
typedef struct {
    seL4_Word root, index, depth;
} path_t;

static path_t path(rng_t *g)
{
    path_t p;
    switch (below(g, 10)) {
    case 0:
    case 1:
    case 2:
    case 3:
    case 4:
        p.root = FS_CNODE;
        p.index = chance(g, 80) ? below(g, FS_POPULATED) : below(g, FZ_SLOTS);
        p.depth = FZ_RADIX;
        break;
    case 5:
    case 6:
        p.root = FS_CNODE_G;
        p.index = below(g, FZ_SLOTS);
        p.depth = seL4_WordBits;
        break;
    case 7:
        p.root = FS_CNODE;
        p.index = (FS_CNODE2 << 4) | below(g, 16);
        p.depth = FZ_RADIX + 4;
        break;
    case 8:
        p.root = FS_CNODE2;
        p.index = below(g, 16);
        p.depth = 4;
        break;
    default:
        p.root = any_slot(g);
        p.index = value(g);
        p.depth = value(g);
        break;
    }
    return p;
}

typedef struct {
    seL4_Word r[8]; /* r0..r7 for the svc */
} fz_regs_t;

/* An invocation built from its argument list (seL4's layouts), then perhaps mutated. */
typedef struct {
    seL4_Word label, cap, n_args, n_caps;
    seL4_Word args[16];
    seL4_Word caps[3];
} invocation_t;

static void arg(invocation_t *v, seL4_Word w)
{
    if (v->n_args < 16)
        v->args[v->n_args++] = w;
}

static void cap_arg(invocation_t *v, seL4_Word c)
{
    if (v->n_caps < 3)
        v->caps[v->n_caps++] = c;
}

static void path_args(invocation_t *v, path_t p)
{
    arg(v, p.index);
    arg(v, p.depth);
}

/* The invoked cap and argument list of one invocation of `label`. */
static void build_invocation(rng_t *g, invocation_t *v)
{
    v->n_args = v->n_caps = 0;
    v->cap = any_slot(g);
    switch (v->label) {
    case UntypedRetype: {
        v->cap = PICK(g, untypeds);
        seL4_Word type = below(g, seL4_ObjectTypeCount + 1);
        seL4_Word size = 0;
        if (type == seL4_UntypedObject)
            size = 4 + below(g, 17);
        else if (type == seL4_CapTableObject)
            size = below(g, 9);
        else if (chance(g, 20))
            size = below(g, 32);
        arg(v, type);
        arg(v, size);
        path_t p = path(g);
        if (chance(g, 70)) {
            arg(v, 0);
            arg(v, 0);
            cap_arg(v, p.root);
        } else {
            path_args(v, p);
            cap_arg(v, p.root);
        }
        arg(v, p.root == FS_CNODE2 ? below(g, 16) : below(g, FZ_SLOTS));
        arg(v, chance(g, 85) ? 1 + below(g, 3) : value(g));
        break;
    }
    case TCBReadRegisters:
        v->cap = PICK(g, tcbs);
        arg(v, below(g, 2));
        arg(v, below(g, 21));
        break;
    case TCBWriteRegisters: {
        v->cap = PICK(g, tcbs);
        seL4_Word count = chance(g, 80) ? below(g, 20) : value(g);
        arg(v, below(g, 2) | (chance(g, 10) ? value(g) << 8 : 0));
        arg(v, count);
        /* pc (the victim's loop, or anywhere), sp, cpsr, then the rest. */
        arg(v, chance(g, 50) ? VICTIM_CODE_VADDR + 4 * below(g, 5) : address(g) | below(g, 2));
        arg(v, address(g));
        arg(v, chance(g, 50) ? 0x10 : rnd(g));
        for (seL4_Word i = 3; i < 13; i++)
            arg(v, value(g));
        break;
    }
    case TCBCopyRegisters:
        v->cap = PICK(g, tcbs);
        arg(v, below(g, 16));
        cap_arg(v, PICK(g, tcbs));
        break;
    case TCBConfigure:
    case TCBSetSpace:
        v->cap = PICK(g, tcbs);
        arg(v, any_slot(g));
        arg(v, chance(g, 60) ? 0 : value(g));
        arg(v, chance(g, 80) ? 0 : value(g));
        if (v->label == TCBConfigure)
            arg(v, chance(g, 70) ? VICTIM_IPC_VADDR + (below(g, 8) << 9) : value(g));
        cap_arg(v, PICK(g, cnodes));
        cap_arg(v, PICK(g, pds));
        if (v->label == TCBConfigure)
            cap_arg(v, PICK(g, frames));
        break;
    case TCBSetPriority:
    case TCBSetMCPriority:
        v->cap = PICK(g, tcbs);
        arg(v, chance(g, 70) ? below(g, MCP_FUZZ + 10) : value(g));
        cap_arg(v, PICK(g, tcbs));
        break;
    case TCBSetSchedParams:
        v->cap = PICK(g, tcbs);
        arg(v, below(g, MCP_FUZZ + 10));
        arg(v, below(g, MCP_FUZZ + 10));
        cap_arg(v, PICK(g, tcbs));
        break;
    case TCBSetIPCBuffer:
        v->cap = PICK(g, tcbs);
        arg(v, chance(g, 70) ? VICTIM_IPC_VADDR + (below(g, 8) << 9) : value(g));
        cap_arg(v, PICK(g, frames));
        break;
    case TCBSuspend:
    case TCBResume:
    case TCBUnbindNotification:
        v->cap = PICK(g, tcbs);
        break;
    case TCBBindNotification:
        v->cap = PICK(g, tcbs);
        cap_arg(v, PICK(g, ntfns));
        break;
    case TCBSetTLSBase:
        v->cap = PICK(g, tcbs);
        arg(v, value(g));
        break;
    case CNodeRevoke:
    case CNodeDelete:
    case CNodeCancelBadgedSends:
    case CNodeSaveCaller: {
        path_t p = path(g);
        v->cap = p.root;
        path_args(v, p);
        break;
    }
    case CNodeCopy:
    case CNodeMint:
    case CNodeMove:
    case CNodeMutate: {
        path_t d = path(g), s = path(g);
        v->cap = d.root;
        path_args(v, d);
        path_args(v, s);
        cap_arg(v, s.root);
        if (v->label == CNodeCopy || v->label == CNodeMint)
            arg(v, below(g, 16));
        if (v->label == CNodeMint || v->label == CNodeMutate)
            arg(v, chance(g, 50) ? below(g, 1u << 28) : value(g));
        break;
    }
    case CNodeRotate: {
        path_t d = path(g), p = path(g), s = path(g);
        v->cap = d.root;
        path_args(v, d);
        arg(v, value(g));
        path_args(v, p);
        arg(v, value(g));
        path_args(v, s);
        cap_arg(v, p.root);
        cap_arg(v, s.root);
        break;
    }
    case IRQIssueIRQHandler:
    case ARMIRQIssueIRQHandlerTrigger: {
        v->cap = chance(g, 85) ? FS_IRQ_CONTROL : any_slot(g);
        path_t p = path(g);
        arg(v, chance(g, 80) ? below(g, 170) : value(g));
        if (v->label == ARMIRQIssueIRQHandlerTrigger)
            arg(v, below(g, 3));
        path_args(v, p);
        cap_arg(v, p.root);
        break;
    }
    case IRQAckIRQ:
    case IRQClearIRQHandler:
        v->cap = chance(g, 80) ? FS_IRQ_HANDLER : any_slot(g);
        break;
    case IRQSetIRQHandler:
        v->cap = chance(g, 80) ? FS_IRQ_HANDLER : any_slot(g);
        cap_arg(v, PICK(g, ntfns));
        break;
    case ARMPDClean_Data:
    case ARMPDInvalidate_Data:
    case ARMPDCleanInvalidate_Data:
    case ARMPDUnify_Instruction: {
        v->cap = PICK(g, pds);
        seL4_Word start = address(g) + (chance(g, 50) ? below(g, 4096) : 0);
        arg(v, start);
        arg(v, chance(g, 80) ? start + 1 + below(g, 8192) : value(g));
        break;
    }
    case ARMPageTableMap:
        v->cap = chance(g, 80) ? FS_PT : any_slot(g);
        arg(v, address(g));
        arg(v, below(g, 8));
        cap_arg(v, PICK(g, pds));
        break;
    case ARMPageTableUnmap:
        v->cap = chance(g, 80) ? FS_PT : any_slot(g);
        break;
    case ARMPageMap:
        v->cap = PICK(g, frames);
        arg(v, address(g));
        arg(v, below(g, 16));
        arg(v, below(g, 8));
        cap_arg(v, PICK(g, pds));
        break;
    case ARMPageUnmap:
    case ARMPageGetAddress:
        v->cap = PICK(g, frames);
        break;
    case ARMPageClean_Data:
    case ARMPageInvalidate_Data:
    case ARMPageCleanInvalidate_Data:
    case ARMPageUnify_Instruction: {
        v->cap = PICK(g, frames);
        seL4_Word start = chance(g, 70) ? below(g, 0x10000) : value(g);
        arg(v, start);
        arg(v, chance(g, 70) ? start + 1 + below(g, 0x10000) : value(g));
        break;
    }
    case ARMASIDControlMakePool: {
        v->cap = chance(g, 85) ? FS_ASID_CONTROL : any_slot(g);
        path_t p = path(g);
        path_args(v, p);
        cap_arg(v, PICK(g, untypeds));
        cap_arg(v, p.root);
        break;
    }
    case ARMASIDPoolAssign:
        /* The fuzz thread only has a pool if it made one: anywhere. */
        cap_arg(v, PICK(g, pds));
        break;
    default: { /* InvalidInvocation, DomainSetSet */
        seL4_Word n = below(g, 6);
        for (seL4_Word i = 0; i < n; i++)
            arg(v, value(g));
        break;
    }
    }
}

static seL4_Word random_label(rng_t *g)
{
    seL4_Word p = below(g, 100);
    if (p < 90)
        return below(g, nInvocationLabels);
    if (p < 97)
        return below(g, 64);
    return rnd(g) & 0xfffffu;
}

/* Syscall numbers that are no system call (never DebugHalt or KeelTestExit). */
static seL4_Word unknown_syscall(rng_t *g)
{
    static const int32_t numbers[] = {-10, -13, -15, -16, -20, -29, -33, -34,     -100,
                                      0,   1,   2,   5,   7,   64,  255, 0x123456};
    seL4_Word n = chance(g, 70) ? (seL4_Word)numbers[below(g, sizeof(numbers) / 4)] : rnd(g);
    if (n == (seL4_Word)seL4_SysDebugHalt || n == (seL4_Word)seL4_SysKeelTestExit ||
        ((seL4_Int32)n >= seL4_SysKeelFirst && (seL4_Int32)n < 0))
        n = 0x7fff0000u | (n & 0xffffu); /* not any kind of system call */
    return n;
}

/* Fills the message words msg[from..to) with argument-like values. */
static void fill_msg(rng_t *g, seL4_IPCBuffer *b, seL4_Word from, seL4_Word to)
{
    for (seL4_Word i = from; i < to && i < seL4_MsgMaxLength; i++)
        b->msg[i] = value(g);
}

static seL4_Word invocation_sysno(rng_t *g)
{
    seL4_Word p = below(g, 100);
    return p < 75   ? (seL4_Word)seL4_SysCall
           : p < 90 ? (seL4_Word)seL4_SysSend
                    : (seL4_Word)seL4_SysNBSend;
}

/* The mix of call kinds of each focus (cumulative percentages, see generate) and the
 * invocation labels it favours. */
static const uint8_t focus_kinds[SYSFUZZ_FOCI][5] = {
    [SYSFUZZ_MIXED] = {55, 70, 84, 87, 95},
    [SYSFUZZ_CSPACE] = {80, 86, 92, 93, 97},
    [SYSFUZZ_IPC] = {35, 62, 90, 93, 97},
    [SYSFUZZ_VSPACE] = {80, 86, 92, 93, 97},
};

static seL4_Word focus_label(rng_t *g, seL4_Word focus)
{
    static const uint8_t cspace[] = {UntypedRetype,   CNodeRevoke,  CNodeDelete,    CNodeCopy,
                                     CNodeMint,       CNodeMove,    CNodeMutate,    CNodeRotate,
                                     CNodeSaveCaller, TCBConfigure, TCBSetSpace,    UntypedRetype,
                                     CNodeDelete,     CNodeRevoke,  TCBSetIPCBuffer};
    static const uint8_t ipc[] = {
        TCBSuspend,        TCBResume,           TCBWriteRegisters,      TCBCopyRegisters,
        TCBReadRegisters,  TCBBindNotification, TCBUnbindNotification,  TCBSetPriority,
        TCBSetSchedParams, CNodeSaveCaller,     CNodeCancelBadgedSends, CNodeDelete,
        CNodeRevoke,       TCBConfigure,        IRQSetIRQHandler};
    static const uint8_t vspace[] = {UntypedRetype,
                                     ARMPageTableMap,
                                     ARMPageTableUnmap,
                                     ARMPageMap,
                                     ARMPageUnmap,
                                     ARMPageMap,
                                     ARMPageClean_Data,
                                     ARMPageGetAddress,
                                     ARMPDClean_Data,
                                     ARMPDUnify_Instruction,
                                     ARMASIDControlMakePool,
                                     ARMASIDPoolAssign,
                                     IRQIssueIRQHandler,
                                     IRQAckIRQ,
                                     IRQSetIRQHandler,
                                     IRQClearIRQHandler,
                                     ARMIRQIssueIRQHandlerTrigger,
                                     CNodeDelete,
                                     CNodeRevoke,
                                     CNodeCopy,
                                     TCBSetSpace,
                                     TCBConfigure};
    if (focus == SYSFUZZ_MIXED || chance(g, 25))
        return below(g, nInvocationLabels);
    if (focus == SYSFUZZ_CSPACE)
        return cspace[below(g, sizeof(cspace))];
    if (focus == SYSFUZZ_IPC)
        return ipc[below(g, sizeof(ipc))];
    return vspace[below(g, sizeof(vspace))];
}

/* Step `step` of a run from `seed`: registers in *r, the rest in the IPC buffer. */
static void generate(fuzzer_t *f, seL4_Word step, fz_regs_t *r)
{
    seL4_IPCBuffer *b = f->ipc;
    rng_t g = {mix(f->seed ^ mix(step + 0x9e3779b9u))};
    f->last_label = ~0u;
    if (g.s == 0)
        g.s = 1;
    for (int i = 0; i < 8; i++)
        r->r[i] = value(&g);

    /* Where received caps go, and the caps an invocation names. */
    path_t rp = path(&g);
    b->receiveCNode = rp.root;
    b->receiveIndex = rp.index;
    b->receiveDepth = rp.depth;
    for (int i = 0; i < seL4_MsgMaxExtraCaps; i++)
        b->caps_or_badges[i] = any_slot(&g);
    b->userData = rnd(&g);

    /* What kind of call: [0, k[0]) a structured invocation, then a message, the receive
     * side, a yield, a debug call, anything else. */
    const uint8_t *k = focus_kinds[f->focus];
    seL4_Word kind = below(&g, 100);
    if (kind < k[0]) {
        /* A structured invocation, perhaps mutated. */
        invocation_t v;
        v.label = chance(&g, 97) ? focus_label(&g, f->focus) : random_label(&g);
        build_invocation(&g, &v);
        if (v.n_args > 0 && chance(&g, 20))
            v.args[below(&g, v.n_args)] = value(&g);
        if (chance(&g, 10))
            v.caps[below(&g, 3)] = any_slot(&g);
        seL4_Word len = v.n_args, ncaps = v.n_caps;
        if (chance(&g, 10))
            len = len > 0 ? len - 1 - below(&g, len) : 0;
        else if (chance(&g, 5))
            len = below(&g, 128);
        if (chance(&g, 10))
            ncaps = below(&g, 4);
        if (chance(&g, 5))
            v.cap = any_slot(&g);
        for (seL4_Word i = 0; i < 16; i++) {
            seL4_Word w = i < v.n_args ? v.args[i] : value(&g);
            if (i < 4)
                r->r[2 + i] = w;
            else
                b->msg[i] = w;
        }
        if (len > 16)
            fill_msg(&g, b, 16, len);
        for (seL4_Word i = 0; i < v.n_caps; i++)
            b->caps_or_badges[i] = v.caps[i];
        r->r[0] = v.cap;
        r->r[1] = seL4_MessageInfo_new(v.label, below(&g, 8), ncaps, len).words[0];
        r->r[7] = invocation_sysno(&g);
        f->last_label = v.label;
        f->by_syscall[0]++;
    } else if (kind < k[1]) {
        /* A message: to endpoints, notifications, reply caps, or anything. */
        seL4_Word len = chance(&g, 60) ? below(&g, 6) : below(&g, 128);
        r->r[0] = chance(&g, 75) ? PICK(&g, ipc_caps) : any_slot(&g);
        r->r[1] = seL4_MessageInfo_new(random_label(&g), below(&g, 8), below(&g, 4), len).words[0];
        fill_msg(&g, b, 4, len);
        r->r[7] = invocation_sysno(&g);
        f->by_syscall[0]++;
    } else if (kind < k[2]) {
        /* The receive side. */
        static const int32_t recv_sys[] = {seL4_SysRecv, seL4_SysNBRecv, seL4_SysNBRecv,
                                           seL4_SysReplyRecv, seL4_SysReply};
        r->r[7] = (seL4_Word)recv_sys[below(&g, 5)];
        r->r[0] = chance(&g, 40)   ? PICK(&g, eps)
                  : chance(&g, 60) ? PICK(&g, ipc_caps)
                                   : any_slot(&g);
        seL4_Word len = chance(&g, 60) ? below(&g, 6) : below(&g, 128);
        r->r[1] = seL4_MessageInfo_new(random_label(&g), below(&g, 8), below(&g, 4), len).words[0];
        fill_msg(&g, b, 4, len);
        f->by_syscall[1]++;
    } else if (kind < k[3]) {
        r->r[7] = (seL4_Word)seL4_SysYield;
        f->by_syscall[2]++;
    } else if (kind < k[4]) {
        /* Debug and Keel calls. */
        seL4_Word p = below(&g, 100);
        if (p < 30) {
            r->r[7] = (seL4_Word)seL4_SysKeelGetError;
        } else if (p < 60) {
            r->r[7] = (seL4_Word)seL4_SysDebugCapIdentify;
            r->r[0] = chance(&g, 80) ? below(&g, FZ_SLOTS) : rnd(&g);
        } else if (p < 85) {
            /* A name of printable characters, shorter or longer than the kernel keeps. */
            r->r[7] = (seL4_Word)seL4_SysDebugNameThread;
            r->r[0] = PICK(&g, tcbs);
            char *name = (char *)&b->msg[0];
            seL4_Word n = below(&g, 40);
            for (seL4_Word i = 0; i < n; i++)
                name[i] = (char)('a' + below(&g, 26));
            name[n] = 0;
        } else if (p < 97) {
            r->r[7] = (seL4_Word)seL4_SysDebugPutChar;
            r->r[0] = '.';
        } else {
            r->r[7] = (seL4_Word)seL4_SysKeelCheckInvariants;
        }
        f->by_syscall[2]++;
    } else {
        /* No system call at all, or a plain random one. */
        if (chance(&g, 60)) {
            r->r[7] = unknown_syscall(&g);
            f->by_syscall[3]++;
        } else {
            r->r[0] = any_slot(&g);
            r->r[1] = rnd(&g);
            fill_msg(&g, b, 4, seL4_MsgMaxLength);
            r->r[7] = invocation_sysno(&g);
            f->by_syscall[0]++;
        }
    }
}

/* ------------------------------------------------------------- the fuzz thread --------- */

/* The raw svc: loads r0-r7 from *regs, stores r0-r5 back. Everything the C code needs
 * afterwards is reloaded from the stack, so a call that rewrote the thread's integer
 * registers (CopyRegisters onto itself) cannot derail it. */
void sysfuzz_svc(fz_regs_t *regs);
__asm__(".text\n.arm\n"
        ".global sysfuzz_svc\n"
        "sysfuzz_svc:\n"
        "    push {r4-r11, lr}\n"
        "    push {r0}\n"
        "    ldm r0, {r0-r7}\n"
        "    svc #0\n"
        "    pop {r12}\n"
        "    stm r12, {r0-r5}\n"
        "    pop {r4-r11, pc}\n");

static void count_return(fuzzer_t *f, seL4_Word sysno, seL4_Word info)
{
    if (sysno != (seL4_Word)seL4_SysCall)
        return;
    seL4_Word label = info >> 12;
    f->call_label[label < 11 ? label : 11]++;
    seL4_Word l = f->last_label;
    if (label == 0 && l < nInvocationLabels)
        f->label_ok[l]++;
}

/* A fuzz thread (`which` indexes fz): one call per step until its target, then an
 * undefined instruction (its fault, or its stopping, tells the test task it is done). */
static void fuzz_entry(seL4_Word which)
{
    fuzzer_t *f = &fz[which & 1];
    for (;;) {
        seL4_Word i = f->step;
        if (i >= f->target) {
            __asm__ volatile("udf #0x5f");
            continue;
        }
        f->step = i + 1;
        fz_regs_t r;
        generate(f, i, &r);
        seL4_Word sysno = r.r[7];
        sysfuzz_svc(&r);
        count_return(f, sysno, r.r[1]);
    }
}

/* ------------------------------------------------------------- the environment --------- */

/*
 * The victims' code. At 0, the echo server: ReplyRecv on CPtr 5 (FS_EP) forever, echoing
 * each message to its caller. At WAITER_PC, the waiter: Recv on CPtr 6 (FS_NTFN), then a
 * Call of 3 words on CPtr 15 (FS_EP_BADGED), over and over.
 */
#define WAITER_PC (VICTIM_CODE_VADDR + 0x20)
static const seL4_Word victim_code[] = {
    0xe3a01000u, /* mov r1, #0 */
    0xe3a00005u, /* 1: mov r0, #5 */
    0xe3e07001u, /* mvn r7, #1 (seL4_SysReplyRecv) */
    0xef000000u, /* svc #0 */
    0xeafffffbu, /* b 1b */
    0xe320f000u, /* nop */
    0xe320f000u, /* nop */
    0xe320f000u, /* nop */
    0xe3a00006u, /* WAITER_PC: mov r0, #6 */
    0xe3e07004u, /* mvn r7, #4 (seL4_SysRecv) */
    0xef000000u, /* svc #0 */
    0xe3a0000fu, /* mov r0, #15 */
    0xe3a01003u, /* mov r1, #3 */
    0xe3e07000u, /* mvn r7, #0 (seL4_SysCall) */
    0xef000000u, /* svc #0 */
    0xeafffff7u, /* b WAITER_PC */
};

/* Our slots for objects on their way into the fuzz CNode. */
enum { T_VICTIM, T_WAITER, T_EP, T_NTFN, T_FRAME, T_FRAME2, T_SECTION, T_CODE_PT, T_PD, T_COUNT };

#define STACK_SIZE 16384
static uint8_t fuzz_stacks[2][STACK_SIZE] __attribute__((aligned(16)));
/* Each fuzz thread's TPIDRURO: how we recognise its TCB cap when we take it back. */
static const seL4_Word fuzz_magic[2] = {0xf0220f22u, 0xf0220f23u};
static const seL4_Word self_slot[2] = {FS_SELF, FS_SELF2};

/* The test task's view of the environment. */
static struct {
    seL4_CPtr arena;        /* every object of an environment comes from here */
    seL4_CPtr cnode, fault; /* the fuzz CNode and fault endpoint (kept) */
    seL4_CPtr tcb[2];       /* the fuzz threads' TCBs while they are parked */
    bool parked[2];
    seL4_CPtr tmp[T_COUNT];
    seL4_CPtr code_map; /* our copy of the victims' code frame, mapped in the toy VSpace */
    seL4_CPtr scratch;
    seL4_IPCBuffer *ipc[2]; /* the fuzz threads' IPC buffers, and their frames */
    seL4_CPtr ipc_frame[2];
    ktest_thread_t bystander;
    seL4_CPtr bys_ep;
    bool give_irq_control, irq_control_given, irq_control_lost;
    seL4_Word pings;
} env;

static bool ok(seL4_Error err, const char *what)
{
    if (err != seL4_NoError) {
        ktest_fail(__FILE__, __LINE__, "sysfuzz setup: %s: error %d", what, err);
        return false;
    }
    return true;
}

static seL4_Error retype_to(seL4_CPtr cnode, seL4_Word type, seL4_Word bits, seL4_Word slot)
{
    return seL4_Untyped_Retype(env.arena, type, bits, cnode, 0, 0, slot, 1);
}

static bool retype_root(seL4_Word type, seL4_Word bits, seL4_CPtr slot)
{
    return ok(retype_to(seL4_CapInitThreadCNode, type, bits, slot), "retype");
}

static bool make_in_fuzz(seL4_Word fslot, seL4_Word type, seL4_Word bits)
{
    return ok(retype_to(env.cnode, type, bits, fslot), "retype into the fuzz CNode");
}

static bool give(seL4_Word fslot, seL4_CPtr src, seL4_CapRights_t rights)
{
    return ok(seL4_CNode_Copy(env.cnode, fslot, FZ_RADIX, seL4_CapInitThreadCNode, src,
                              seL4_WordBits, rights),
              "copy into the fuzz CNode");
}

static bool give_minted(seL4_Word fslot, seL4_CPtr src, seL4_CapRights_t rights, seL4_Word data)
{
    return ok(seL4_CNode_Mint(env.cnode, fslot, FZ_RADIX, seL4_CapInitThreadCNode, src,
                              seL4_WordBits, rights, data),
              "mint into the fuzz CNode");
}

/* Moves the cap in our slot `src` to fuzz slot `fslot`, where it is then the only one. */
static bool hand_over(seL4_Word fslot, seL4_CPtr src)
{
    return ok(
        seL4_CNode_Move(env.cnode, fslot, FZ_RADIX, seL4_CapInitThreadCNode, src, seL4_WordBits),
        "move into the fuzz CNode");
}

static seL4_Word guard_data(void)
{
    return seL4_CNode_CapData_new(0, FZ_GUARD_BITS).words[0];
}

/* Starts a victim at `pc` in the toy VSpace, with the fuzz CNode as its CSpace and FS_EP as
 * its fault endpoint. */
static bool start_victim(seL4_CPtr tcb, seL4_Word pc, seL4_Word ipc_buffer)
{
    seL4_UserContext regs = {0};
    regs.pc = pc;
    regs.cpsr = 0x10;
    return ok(seL4_TCB_Configure(tcb, FS_EP, env.cnode, guard_data(), env.tmp[T_PD], 0, ipc_buffer,
                                 env.tmp[T_FRAME]),
              "victim configure") &&
           ok(seL4_TCB_SetSchedParams(tcb, seL4_CapInitThreadTCB, 0, PRIO_VICTIM),
              "victim priority") &&
           ok(seL4_TCB_WriteRegisters(tcb, 1, 0, 3, &regs), "victim start");
}

/* A fresh environment from the (empty) arena: the fuzz threads' TCBs and CNode, the objects
 * in the CNode, the toy VSpace with the victims' code, and the victims running. */
static bool build_env(void)
{
    static const struct {
        uint8_t slot, type;
    } made[] = {
        {T_VICTIM, seL4_TCBObject},           {T_WAITER, seL4_TCBObject},
        {T_EP, seL4_EndpointObject},          {T_NTFN, seL4_NotificationObject},
        {T_FRAME, seL4_ARM_SmallPageObject},  {T_FRAME2, seL4_ARM_SmallPageObject},
        {T_SECTION, seL4_ARM_SectionObject},  {T_CODE_PT, seL4_ARM_PageTableObject},
        {T_PD, seL4_ARM_PageDirectoryObject},
    };
    bool good = retype_root(seL4_CapTableObject, FZ_RADIX, env.cnode) &&
                retype_root(seL4_EndpointObject, 0, env.fault) &&
                retype_root(seL4_TCBObject, 0, env.tcb[0]) &&
                retype_root(seL4_TCBObject, 0, env.tcb[1]);
    for (seL4_Word i = 0; good && i < sizeof(made) / sizeof(made[0]); i++)
        good = retype_root(made[i].type, 0, env.tmp[made[i].slot]);
    if (!good)
        return false;
    env.parked[0] = env.parked[1] = true;
    seL4_DebugNameThread(env.tcb[0], "fz");
    seL4_DebugNameThread(env.tcb[1], "fz2");

    /* The toy VSpace: the victims' code, a page and a section. */
    seL4_CPtr pd = env.tmp[T_PD];
    seL4_ARM_Page_Unmap(env.code_map); /* its old VSpace is gone */
    good = ok(seL4_ARM_ASIDPool_Assign(seL4_CapInitThreadASIDPool, pd), "ASID assign") &&
           ok(seL4_ARM_PageTable_Map(env.tmp[T_CODE_PT], pd, VICTIM_CODE_VADDR,
                                     seL4_ARM_Default_VMAttributes),
              "victim page table") &&
           ok(seL4_ARM_Page_Map(env.code_map, pd, VICTIM_CODE_VADDR, seL4_CanRead,
                                seL4_ARM_Default_VMAttributes),
              "victim code") &&
           ok(seL4_ARM_Page_Map(env.tmp[T_FRAME2], pd, VICTIM_CODE_VADDR + 0x10000, seL4_AllRights,
                                seL4_ARM_Default_VMAttributes),
              "second frame") &&
           ok(seL4_ARM_Page_Map(env.tmp[T_SECTION], pd, VICTIM_CODE_VADDR + 0x200000,
                                seL4_AllRights, seL4_ARM_Default_VMAttributes),
              "section");

    /* Copies, badged copies and objects made straight into the fuzz CNode. */
    good = good && give_minted(FS_CNODE_G, env.cnode, seL4_AllRights, guard_data()) &&
           give(FS_CNODE, env.cnode, seL4_AllRights) &&
           give_minted(FS_FAULT, env.fault, seL4_AllRights, FZ_FAULT_BADGE) &&
           give_minted(FS_EP_BADGED, env.tmp[T_EP], seL4_AllRights, 0x55) &&
           give(FS_EP_RO, env.tmp[T_EP], seL4_CanRead) &&
           give_minted(FS_NTFN_BADGED, env.tmp[T_NTFN], seL4_AllRights, 0x66) &&
           give(FS_ASID_CONTROL, seL4_CapASIDControl, seL4_AllRights) &&
           make_in_fuzz(FS_UNTYPED, seL4_UntypedObject, 20) &&
           make_in_fuzz(FS_PT, seL4_ARM_PageTableObject, 0) &&
           make_in_fuzz(FS_CNODE2, seL4_CapTableObject, 4) &&
           make_in_fuzz(FS_LARGE, seL4_ARM_LargePageObject, 0) &&
           make_in_fuzz(FS_TCB2, seL4_TCBObject, 0) &&
           make_in_fuzz(FS_PD2, seL4_ARM_PageDirectoryObject, 0) &&
           make_in_fuzz(FS_UNTYPED_SMALL, seL4_UntypedObject, 12);
    if (good && !env.irq_control_lost) {
        good = ok(seL4_IRQControl_Get(seL4_CapIRQControl, IRQ_FOR_FUZZ, env.cnode, FS_IRQ_HANDLER,
                                      FZ_RADIX),
                  "IRQ handler") &&
               ok(seL4_IRQControl_Get(seL4_CapIRQControl, IRQ_FOR_FUZZ + 1, env.cnode,
                                      FS_IRQ_HANDLER2, FZ_RADIX),
                  "IRQ handler");
        if (good && env.give_irq_control)
            env.irq_control_given = good = hand_over(FS_IRQ_CONTROL, seL4_CapIRQControl);
    }

    /* The victims run; then the last caps go into the fuzz CNode. */
    good = good && start_victim(env.tmp[T_VICTIM], VICTIM_CODE_VADDR, VICTIM_IPC_VADDR) &&
           start_victim(env.tmp[T_WAITER], WAITER_PC, VICTIM_IPC_VADDR + 0x200);
    static const struct {
        uint8_t fslot, tslot;
    } moved[] = {
        {FS_VICTIM, T_VICTIM},   {FS_WAITER, T_WAITER},   {FS_EP, T_EP},
        {FS_NTFN, T_NTFN},       {FS_FRAME, T_FRAME},     {FS_FRAME2, T_FRAME2},
        {FS_SECTION, T_SECTION}, {FS_CODE_PT, T_CODE_PT}, {FS_PD, T_PD},
    };
    for (seL4_Word i = 0; good && i < sizeof(moved) / sizeof(moved[0]); i++)
        good = hand_over(moved[i].fslot, env.tmp[moved[i].tslot]);
    return good;
}

/* Finds IRQControl wherever the fuzz threads put it in the fuzz CNodes and moves it home
 * (our only one: seL4 cannot make another). */
static void recover_irq_control(void)
{
    if (!env.irq_control_given)
        return;
    env.irq_control_given = false;
    for (seL4_Word i = 0; i < FZ_SLOTS + 16; i++) {
        seL4_Word index =
            i < FZ_SLOTS ? (FS_IRQ_CONTROL + i) % FZ_SLOTS : (FS_CNODE2 << 4) | (i - FZ_SLOTS);
        seL4_Word depth = i < FZ_SLOTS ? FZ_RADIX : FZ_RADIX + 4;
        if (seL4_CNode_Move(seL4_CapInitThreadCNode, env.scratch, seL4_WordBits, env.cnode, index,
                            depth) != seL4_NoError)
            continue;
        if (seL4_DebugCapIdentify(env.scratch) == SF_CAP_IRQ_CONTROL) {
            seL4_CNode_Move(seL4_CapInitThreadCNode, seL4_CapIRQControl, seL4_WordBits,
                            seL4_CapInitThreadCNode, env.scratch, seL4_WordBits);
            return;
        }
        seL4_CNode_Move(env.cnode, index, depth, seL4_CapInitThreadCNode, env.scratch,
                        seL4_WordBits);
    }
    env.irq_control_lost = seL4_DebugCapIdentify(seL4_CapIRQControl) != SF_CAP_IRQ_CONTROL;
}

/* Empties one of our slots; IRQControl, should it have landed there, goes home. */
static void clear_slot(seL4_CPtr slot)
{
    if (seL4_DebugCapIdentify(slot) == SF_CAP_IRQ_CONTROL &&
        seL4_CNode_Move(seL4_CapInitThreadCNode, seL4_CapIRQControl, seL4_WordBits,
                        seL4_CapInitThreadCNode, slot, seL4_WordBits) == seL4_NoError)
        return;
    seL4_CNode_Delete(seL4_CapInitThreadCNode, slot, seL4_WordBits);
}

/* Every object of the environment goes (the running fuzz threads with it), and so does
 * anything a put-back that raced with a fuzz thread left in our slots. */
static void destroy_env(void)
{
    ok(seL4_CNode_Revoke(seL4_CapInitThreadCNode, env.arena, seL4_WordBits), "arena revoke");
    clear_slot(env.tcb[0]);
    clear_slot(env.tcb[1]);
    clear_slot(env.scratch);
    env.parked[0] = env.parked[1] = false;
}

/* Restarts parked fuzz thread `w` at fuzz_entry with its CSpace, VSpace, IPC buffer, fault
 * endpoint and priorities as they should be, and hands it its only TCB cap. It runs when we
 * yield (it has our priority). */
static bool start_fuzz(int w)
{
    if (!env.parked[w])
        return true;
    seL4_UserContext regs = {0};
    regs.pc = (seL4_Word)fuzz_entry;
    regs.sp = (seL4_Word)&fuzz_stacks[w][STACK_SIZE];
    regs.cpsr = 0x10;
    regs.r0 = (seL4_Word)w;
    regs.tpidrurw = (seL4_Word)env.ipc[w];
    regs.tpidruro = fuzz_magic[w];
    seL4_CPtr tcb = env.tcb[w];
    bool good =
        ok(seL4_TCB_Suspend(tcb), "fuzz suspend") &&
        ok(seL4_TCB_Configure(tcb, FS_FAULT, env.cnode, guard_data(), seL4_CapInitThreadVSpace, 0,
                              (seL4_Word)env.ipc[w], env.ipc_frame[w]),
           "fuzz configure") &&
        ok(seL4_TCB_SetSchedParams(tcb, seL4_CapInitThreadTCB, MCP_FUZZ, PRIO_FUZZ),
           "fuzz priority") &&
        ok(seL4_TCB_WriteRegisters(tcb, 1, 0, sizeof(regs) / sizeof(seL4_Word), &regs),
           "fuzz start");
    seL4_CNode_Delete(env.cnode, self_slot[w], FZ_RADIX);
    good = good && hand_over(self_slot[w], tcb);
    env.parked[w] = false;
    return good;
}

/* Takes fuzz thread `w`'s TCB cap back and stops the thread. False if the cap is not where
 * we put it (the thread deleted or moved it). */
static bool park_fuzz(int w)
{
    if (env.parked[w])
        return true;
    if (seL4_CNode_Move(seL4_CapInitThreadCNode, env.tcb[w], seL4_WordBits, env.cnode, self_slot[w],
                        FZ_RADIX) != seL4_NoError)
        return false;
    seL4_UserContext regs;
    if (seL4_DebugCapIdentify(env.tcb[w]) == SF_CAP_THREAD &&
        seL4_TCB_ReadRegisters(env.tcb[w], 1, 0, sizeof(regs) / sizeof(seL4_Word), &regs) ==
            seL4_NoError &&
        regs.tpidruro == fuzz_magic[w]) {
        env.parked[w] = true;
        return true;
    }
    /* Some other cap took its place: put it back. */
    seL4_CNode_Move(env.cnode, self_slot[w], FZ_RADIX, seL4_CapInitThreadCNode, env.tcb[w],
                    seL4_WordBits);
    return false;
}

/* Takes every message waiting on the fault endpoint. */
static void drain_faults(sysfuzz_stats_t *st)
{
    for (int k = 0; k < 64; k++) {
        seL4_Word badge = 0;
        seL4_MessageInfo_t info = seL4_NBRecv(env.fault, &badge);
        if (badge == 0)
            return;
        seL4_Word label = seL4_MessageInfo_get_label(info);
        if (badge == FZ_FAULT_BADGE && label < 7 && label != 0 && label != 4)
            st->faults[label]++;
        else
            st->fake_messages++;
    }
}

/* The bystander: answers each ping v with 3v + 1, forever. */
static void bystander(seL4_Word ep)
{
    seL4_Word badge;
    seL4_Recv(ep, &badge);
    for (;;) {
        seL4_Word v = seL4_GetMR(0);
        seL4_SetMR(0, v * 3 + 1);
        seL4_ReplyRecv(ep, seL4_MessageInfo_new(0, 0, 0, 1), &badge);
    }
}

/* The kernel's invariants hold, and the bystander answers. */
static void check_kernel(sysfuzz_stats_t *st)
{
    seL4_Word broken = seL4_KeelCheckInvariants();
    st->invariant_checks++;
    if (broken != 0 && st->invariant_failures++ == 0)
        ktest_fail(__FILE__, __LINE__, "%u kernel invariants violated after step %u", broken,
                   fz[0].step);
    seL4_Word v = 0x1000 + env.pings++;
    seL4_SetMR(0, v);
    seL4_MessageInfo_t info = seL4_Call(env.bys_ep, seL4_MessageInfo_new(0, 0, 0, 1));
    if (seL4_MessageInfo_get_label(info) == 0 && seL4_MessageInfo_get_length(info) == 1 &&
        seL4_GetMR(0) == v * 3 + 1)
        st->pings++;
    else if (st->ping_failures++ == 0)
        ktest_fail(__FILE__, __LINE__, "the bystander answered ping %u wrongly after step %u", v,
                   fz[0].step);
}

/* What lasts the whole run: the bystander, our slots, the arena, the victims' code. */
static bool setup_run(bool give_irq_control)
{
    memset(&env, 0, sizeof(env));
    env.give_irq_control = give_irq_control;
    env.irq_control_lost = seL4_DebugCapIdentify(seL4_CapIRQControl) != SF_CAP_IRQ_CONTROL;
    if (!ok(seL4_TCB_SetPriority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, PRIO_TEST),
            "setting our priority"))
        return false;
    env.bys_ep = ktest_object(seL4_EndpointObject, 0);
    ktest_thread_create(&env.bystander, bystander, env.bys_ep, PRIO_BYSTANDER, 0);
    ktest_thread_start(&env.bystander);
    seL4_DebugNameThread(env.bystander.tcb, "bystander");
    for (int w = 0; w < 2; w++) {
        env.ipc[w] = ktest_frame(&env.ipc_frame[w]);
        env.tcb[w] = ktest_slot();
    }
    env.arena = ktest_untyped(ARENA_BITS);
    env.cnode = ktest_slot();
    env.fault = ktest_slot();
    for (int i = 0; i < T_COUNT; i++)
        env.tmp[i] = ktest_slot();
    env.scratch = ktest_slot();
    seL4_CPtr code_frame;
    seL4_Word *code = ktest_frame(&code_frame);
    memcpy(code, victim_code, sizeof(victim_code));
    env.code_map = ktest_slot();
    return ok(seL4_ARM_Page_Unify_Instruction(code_frame, 0, 4096), "victim code unify") &&
           ok(seL4_CNode_Copy(seL4_CapInitThreadCNode, env.code_map, seL4_WordBits,
                              seL4_CapInitThreadCNode, code_frame, seL4_WordBits, seL4_CanRead),
              "victim code copy");
}

/* Lets the fuzz threads run until the main one makes no step in a round (or reaches a
 * check, a rebuild or the end), checking the kernel on the way. */
static void run_round(sysfuzz_stats_t *st, seL4_Word *next_check, seL4_Word next_rebuild)
{
    for (;;) {
        seL4_Word before = fz[0].step;
        seL4_Yield();
        seL4_Word now = fz[0].step;
        if (now == before || now >= fz[0].target || now >= next_rebuild)
            return;
        if (now >= *next_check) {
            check_kernel(st);
            *next_check = (now / CHECK_PERIOD + 1) * CHECK_PERIOD;
        }
    }
}

void sysfuzz_run(seL4_Word seed, seL4_Word steps, sysfuzz_focus_t focus, bool give_irq_control,
                 sysfuzz_stats_t *st)
{
    memset(st, 0, sizeof(*st));
    memset((void *)fz, 0, sizeof(fz));
    if (setup_run(give_irq_control)) {
        for (int w = 0; w < 2; w++) {
            fz[w].seed = w == 0 ? seed : mix(seed ^ 0x4e1f2u);
            fz[w].target = w == 0 ? steps : ~0u;
            fz[w].ipc = env.ipc[w];
            fz[w].focus = focus;
        }
        bool good = build_env();
        seL4_Word next_check = CHECK_PERIOD, next_rebuild = REBUILD_PERIOD;
        seL4_Word idle_rounds = 0;
        while (good && fz[0].step < steps) {
            good = start_fuzz(0) && start_fuzz(1);
            st->restarts++;
            seL4_Word at_start = fz[0].step;
            run_round(st, &next_check, next_rebuild);
            drain_faults(st);
            bool main_parked = park_fuzz(0);
            park_fuzz(1); /* a helper that lost its cap waits for the next environment */
            if (!main_parked)
                st->lost_self++;
            /* Every restart makes at least one step. */
            if (fz[0].step == at_start && ++idle_rounds > 3) {
                ktest_fail(__FILE__, __LINE__, "the fuzz thread makes no progress at step %u",
                           fz[0].step);
                break;
            }
            if (fz[0].step != at_start)
                idle_rounds = 0;
            if (fz[0].step >= next_check) {
                check_kernel(st);
                next_check = (fz[0].step / CHECK_PERIOD + 1) * CHECK_PERIOD;
            }
            if (good && (!main_parked || fz[0].step >= next_rebuild) && fz[0].step < steps) {
                recover_irq_control();
                destroy_env();
                good = build_env();
                st->rebuilds++;
                next_rebuild = (fz[0].step / REBUILD_PERIOD + 1) * REBUILD_PERIOD;
            }
        }
        drain_faults(st);
        recover_irq_control();
        destroy_env();
        check_kernel(st);
    }
    seL4_DebugPutChar('\n'); /* after the fuzz threads' DebugPutChar dots */
    st->steps = fz[0].step;
    st->helper_steps = fz[1].step;
    for (int i = 0; i < 12; i++)
        st->call_label[i] = fz[0].call_label[i] + fz[1].call_label[i];
    for (int i = 0; i < 4; i++)
        st->by_syscall[i] = fz[0].by_syscall[i] + fz[1].by_syscall[i];
    for (int i = 0; i < nInvocationLabels; i++)
        st->labels_succeeded += (fz[0].label_ok[i] + fz[1].label_ok[i]) != 0;
    st->irq_control_lost = env.irq_control_lost;
    seL4_TCB_SetPriority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, seL4_MaxPrio);
}

void sysfuzz_print(const char *what, const sysfuzz_stats_t *st)
{
    static const char *const names[12] = {
        "NoError",     "InvalidArgument", "InvalidCapability", "IllegalOperation",
        "RangeError",  "AlignmentError",  "FailedLookup",      "TruncatedMessage",
        "DeleteFirst", "RevokeFirst",     "NotEnoughMemory",   "other label"};
    printf("  %s: %u steps (helper %u): %u invocations and messages, %u receives and replies, "
           "%u debug calls and yields, %u unknown\n",
           what, st->steps, st->helper_steps, st->by_syscall[0], st->by_syscall[1],
           st->by_syscall[2], st->by_syscall[3]);
    printf("  seL4_Call returns:");
    for (int i = 0; i < 12; i++)
        printf(" %s %u%s", names[i], st->call_label[i], i < 11 ? "," : "\n");
    printf("  invocation labels answered NoError at least once: %u of %u\n", st->labels_succeeded,
           (seL4_Word)nInvocationLabels);
    printf("  fault endpoint: CapFault %u, UnknownSyscall %u, UserException %u, VMFault %u, "
           "other messages %u\n",
           st->faults[1], st->faults[2], st->faults[3], st->faults[5], st->fake_messages);
    printf("  restarts %u, rebuilds %u (%u after the fuzz thread lost its own TCB cap), "
           "invariant checks %u (failed %u), bystander pings %u (wrong %u)%s\n",
           st->restarts, st->rebuilds, st->lost_self, st->invariant_checks, st->invariant_failures,
           st->pings, st->ping_failures, st->irq_control_lost ? ", IRQControl lost" : "");
}
