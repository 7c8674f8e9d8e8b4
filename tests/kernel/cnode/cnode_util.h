/*
 * Helpers shared by the cnode suite: exact error checks (the reply message registers of
 * seL4's error protocol and the structured detail of seL4_KeelGetError, both), cap
 * identification in CNodes other than the root, badge probes and small thread helpers.
 */
#pragma once

#include "../lib/ktest.h"

#define ROOT  seL4_CapInitThreadCNode
#define DEPTH seL4_WordBits

/* seL4_DebugCapIdentify's numbers (Keel's cap types). */
enum {
    CT_NULL = 0,
    CT_UNTYPED = 1,
    CT_ENDPOINT = 2,
    CT_NOTIFICATION = 3,
    CT_REPLY = 4,
    CT_CNODE = 5,
    CT_THREAD = 6,
    CT_IRQ_CONTROL = 7,
    CT_IRQ_HANDLER = 8,
    CT_ZOMBIE = 9,
    CT_FRAME = 10,
    CT_PAGE_TABLE = 11,
    CT_PAGE_DIRECTORY = 12,
    CT_ASID_CONTROL = 13,
    CT_ASID_POOL = 14,
};

/*
 * Error checks. `call` is the invocation under test: it runs first, then the reply's
 * message registers (seL4's error layout) and seL4_KeelGetError's detail are compared.
 */
void check_error_plain(const char *file, int line, seL4_Error got, seL4_Error want);
void check_error_range(const char *file, int line, seL4_Error got, seL4_Word min, seL4_Word max);
void check_error_argument(const char *file, int line, seL4_Error got, seL4_Word argno);
void check_error_memory(const char *file, int line, seL4_Error got, seL4_Word left);
void check_error_lookup(const char *file, int line, seL4_Error got, seL4_Word was_source,
                        seL4_Word type, seL4_Word bits_left, seL4_Word detail0, seL4_Word detail1);

#define CHECK_OK(call)                 KCHECK_EQ((call), seL4_NoError)
#define CHECK_ERROR(call, err)         check_error_plain(__FILE__, __LINE__, (call), (err))
#define CHECK_RANGE(call, min, max)    check_error_range(__FILE__, __LINE__, (call), (min), (max))
#define CHECK_INVALID_ARG(call, argno) check_error_argument(__FILE__, __LINE__, (call), (argno))
#define CHECK_NO_MEMORY(call, left)    check_error_memory(__FILE__, __LINE__, (call), (left))
#define CHECK_LOOKUP(call, src, type, left, d0, d1)                                                \
    check_error_lookup(__FILE__, __LINE__, (call), (src), (type), (left), (d0), (d1))

/* The kernel's invariant checker finds nothing wrong right now. */
#define CHECK_INVARIANTS() check_invariants(__FILE__, __LINE__)
void check_invariants(const char *file, int line);

/* ---- objects and slots ---- */

seL4_CPtr new_endpoint(void);
seL4_CPtr new_notification(void);
seL4_CPtr new_cnode(seL4_Word radix);
/* Mint / copy `src` (a root slot) into a fresh root slot; the case fails on error. */
seL4_CPtr mint_new(seL4_CPtr src, seL4_CapRights_t rights, seL4_Word badge);
seL4_CPtr copy_new(seL4_CPtr src);

/* The type of the cap in a slot named by (cnode, index, depth): moved out to a scratch
 * slot, identified and moved back (CDT position unchanged). An empty slot reads CT_NULL
 * (and costs one rejected Move). */
seL4_Word cap_type_at(seL4_CPtr cnode, seL4_Word index, seL4_Word depth);

/* The type of every cap in slots [first, first + count) of `cnode` (radix <= 12), read by
 * a helper thread whose CSpace is two levels deep: root CPtrs x < 4096 name the root
 * CNode as usual, and 4096 + i names slot i of `cnode`. */
void identify_slots(seL4_CPtr cnode, seL4_Word radix, seL4_Word first, seL4_Word count,
                    uint8_t *types);

/* The badge a signal through `cap` delivers, polled on `poll` (the same notification). */
seL4_Word signal_badge(seL4_CPtr cap, seL4_CPtr poll);
/* The badge a message sent by a helper thread through endpoint cap `cap` arrives with,
 * received by this thread on `recv` (the same endpoint). */
seL4_Word send_badge(seL4_CPtr cap, seL4_CPtr recv);

/* Maps `frame` at `vaddr` in the root VSpace (a page table from the pool if needed). */
void map_frame_at(seL4_CPtr frame, seL4_Word vaddr, seL4_CapRights_t rights);
seL4_Word frame_paddr(seL4_CPtr frame);

/* ---- threads ---- */

/* Starts fn(arg) in a new thread at `prio` whose faults go to `fault_ep` (0: none). */
void start_thread(ktest_thread_t *t, void (*fn)(seL4_Word), seL4_Word arg, seL4_Word prio,
                  seL4_CPtr fault_ep);
/* A thread running fn(arg) whose TCB and IPC buffer are retyped from `ut` (the buffer
 * mapped at `ipc_va`), on stack number `stack` (0..5); returns its TCB cap's slot. */
seL4_CPtr thread_from_untyped(seL4_CPtr ut, void (*fn)(seL4_Word), seL4_Word arg, seL4_Word prio,
                              int stack, seL4_Word ipc_va);
/* Lets every thread of priority >= `prio` that can run do so (this thread waits at a
 * lower priority until they block), then restores this thread's priority. */
void let_run(seL4_Word prio);

/* Thread bodies. Their argument is THREAD_ARG(cap, i): a root CPtr and the index of the
 * thread's entry in `progress`, which counts what the thread got done. */
#define THREAD_ARG(cap, i) ((seL4_Word)(cap) | ((seL4_Word)(i) << 16))
void body_send(seL4_Word arg); /* seL4_Send on cap (MR0 = i), then progress[i]++ */
void body_call(seL4_Word arg); /* seL4_Call on cap (MR0 = i), stores the reply, progress[i]++ */
void body_recv(seL4_Word arg); /* seL4_Recv on cap, then progress[i]++ */
void body_wait(seL4_Word arg); /* seL4_Wait on cap, then progress[i]++ */
void body_spin(seL4_Word arg); /* progress[i]++ forever */
/* Their argument is an address: reads / writes it, then sets `touched`. */
void body_read(seL4_Word vaddr);
void body_write(seL4_Word vaddr);

extern volatile seL4_Word progress[16];
extern volatile seL4_Word touched;
extern volatile seL4_Word reply_label, reply_mr0;

/* Lets threads of priority 100 run until they block, then takes a fault message from
 * `ep` if one waits there (label 0 if none). */
typedef struct {
    seL4_Word label, badge, mr[8];
} fault_msg_t;
fault_msg_t recv_fault(seL4_CPtr ep);
