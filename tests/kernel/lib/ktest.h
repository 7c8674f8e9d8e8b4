/*
 * ktest: the test framework of QEMU test images. A test image is a root task that runs
 * every KTEST case in link order, prints one line per case and a summary, and ends QEMU
 * with status 0 only if every case passed:
 *
 *   KTEST <id> PASS <description>
 *   KTEST <id> FAIL <description>
 *     <file>:<line>: <what failed>          (one line per failed check)
 *   ktest: <N> passed, <M> failed
 *
 * Each case runs with a fresh environment: after it, everything it retyped from the test
 * pool is revoked, so objects, threads and caps do not leak into the next case.
 */
#pragma once

#include <sys/sys.h>

typedef struct ktest {
    const char *id;
    const char *desc;
    void (*fn)(void);
} ktest_t;

#define KTEST(fn, id_str, desc_str)                                                                \
    static void fn(void);                                                                          \
    static const ktest_t fn##_case                                                                 \
        __attribute__((section("ktests"), used)) = {id_str, desc_str, fn};                         \
    static void fn(void)

void ktest_fail(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#define KCHECK(cond)                                                                               \
    do {                                                                                           \
        if (!(cond))                                                                               \
            ktest_fail(__FILE__, __LINE__, "check failed: %s", #cond);                             \
    } while (0)

#define KCHECK_EQ(actual, expected)                                                                \
    do {                                                                                           \
        seL4_Word a_ = (seL4_Word)(actual), e_ = (seL4_Word)(expected);                            \
        if (a_ != e_)                                                                              \
            ktest_fail(__FILE__, __LINE__, "%s == %u (0x%x), expected %s == %u (0x%x)", #actual,   \
                       a_, a_, #expected, e_, e_);                                                 \
    } while (0)

/* Like KCHECK_EQ, and stops the case when it fails (later steps would be meaningless). */
#define KREQUIRE_EQ(actual, expected)                                                              \
    do {                                                                                           \
        seL4_Word a_ = (seL4_Word)(actual), e_ = (seL4_Word)(expected);                            \
        if (a_ != e_) {                                                                            \
            ktest_fail(__FILE__, __LINE__, "%s == %u (0x%x), expected %s == %u (0x%x)", #actual,   \
                       a_, a_, #expected, e_, e_);                                                 \
            return;                                                                                \
        }                                                                                          \
    } while (0)

/* ---- the environment of a test case ---- */

extern seL4_BootInfo *ktest_bootinfo;

/* The pool Untyped every case allocates from (revoked after each case): the largest RAM
 * Untyped of at most 2^ktest_pool_max_bits() bytes. An image that wants the rest of
 * memory for itself defines ktest_pool_max_bits() (ktest.c's default is weak). */
seL4_Word ktest_pool_max_bits(void);
seL4_CPtr ktest_pool(void);

/* A free slot of the root CNode (reclaimed after the case). */
seL4_CPtr ktest_slot(void);
/* Retypes one object from the test pool into a fresh slot; the case fails on error. */
seL4_CPtr ktest_object(seL4_Word type, seL4_Word size_bits);
/* The pool Untyped itself (2^20 bytes carved for the case), for tests of Retype. */
seL4_CPtr ktest_untyped(seL4_Word size_bits);
/* Maps a fresh frame at the next free test address; returns the address. */
void *ktest_frame(seL4_CPtr *frame_cap);

/* A thread in the root task's CSpace and VSpace, with its own stack and IPC buffer.
 * It runs fn(arg) once resumed and suspends itself when fn returns. */
typedef struct {
    seL4_CPtr tcb;
    seL4_IPCBuffer *ipc;
    seL4_CPtr ipc_frame;
    void *stack_top;
} ktest_thread_t;

void ktest_thread_create(ktest_thread_t *t, void (*fn)(seL4_Word), seL4_Word arg, seL4_Word prio,
                         seL4_CPtr fault_ep);
void ktest_thread_start(ktest_thread_t *t);

/* The detail of the last failed invocation (seL4_KeelGetError). */
typedef struct {
    seL4_Word error, argument, range_min, range_max, failed_lookup_was_source, memory_left;
    seL4_Word lookup_type, bits_left, detail0, detail1;
    char message[200];
} ktest_error_t;
void ktest_get_error(ktest_error_t *e);
