/*
 * sysfuzz: random system calls from user threads must never panic or hang the kernel,
 * break its invariants, or harm threads they have no caps to.
 *
 * A fuzz thread runs in the test task's VSpace with a CSpace of its own: one 256-slot
 * CNode holding the only caps to objects carved from a private Untyped, the arena. Each
 * step it makes one system call whose number, cap, message and IPC buffer come from a
 * fixed-seed generator indexed by the step number, so every run makes the same calls. A
 * helper fuzz thread does the same from another seed in the same CSpace, and two victim
 * threads serve and call IPC in a toy VSpace. The test task restarts the fuzz thread
 * whenever it stops, rebuilds the environment every few hundred steps (or when the fuzz
 * thread lost its own TCB cap), checks the kernel invariants every 200 steps and pings a
 * bystander thread no fuzz thread has a cap to. engine.c tells the details.
 */
#pragma once

#include "../lib/ktest.h"

/* What one fuzzing run did. */
typedef struct {
    seL4_Word steps;              /* system calls made by the main fuzz thread */
    seL4_Word helper_steps;       /* ... and by the helper */
    seL4_Word call_label[12];     /* seL4_Call returns by label: 0..10 the seL4_Error, 11 other */
    seL4_Word by_syscall[4];      /* invocations and messages, receives, debug/yield, unknown */
    seL4_Word faults[7];          /* fault messages by label (1 cap, 2 syscall, 3 user, 5 VM) */
    seL4_Word fake_messages;      /* other messages on the fault endpoint */
    seL4_Word restarts;           /* times the fuzz thread was (re)started */
    seL4_Word rebuilds;           /* fresh environments */
    seL4_Word invariant_checks;   /* seL4_KeelCheckInvariants calls by the test task */
    seL4_Word invariant_failures; /* ... that found violations */
    seL4_Word pings;              /* bystander round trips that came back right */
    seL4_Word ping_failures;
    seL4_Word labels_succeeded; /* invocation labels some structured Call got NoError for */
    seL4_Word lost_self;        /* times the fuzz thread deleted or moved its own TCB cap */
    seL4_Word irq_control_lost; /* the fuzz threads lost the IRQControl cap for good */
} sysfuzz_stats_t;

/* The mix of calls a run makes. */
typedef enum {
    SYSFUZZ_MIXED,  /* every kind of call and every invocation alike */
    SYSFUZZ_CSPACE, /* mostly Retype, CNode operations and CSpace changes */
    SYSFUZZ_IPC,    /* mostly messages, receives, replies and thread control */
    SYSFUZZ_VSPACE, /* mostly VSpace objects, ASIDs and IRQs */
    SYSFUZZ_FOCI
} sysfuzz_focus_t;

/*
 * Runs `steps` steps of the main fuzz thread from `seed` with `focus` and fills `st`; setup
 * errors fail the case. With `give_irq_control` the fuzz threads also get our IRQControl
 * cap, which they may lose for good (seL4 cannot make another): give it only in the last
 * case of an image.
 */
void sysfuzz_run(seL4_Word seed, seL4_Word steps, sysfuzz_focus_t focus, bool give_irq_control,
                 sysfuzz_stats_t *st);
void sysfuzz_print(const char *what, const sysfuzz_stats_t *st);

/* Cap type numbers (seL4_DebugCapIdentify). */
enum {
    SF_CAP_NULL = 0,
    SF_CAP_CNODE = 5,
    SF_CAP_THREAD = 6,
    SF_CAP_IRQ_CONTROL = 7,
};
