/*
 * Keel extensions to the seL4 API.
 *
 * Structured errors: seL4 reports a failed invocation as one seL4_Error (plus a few
 * message registers); Keel also records which argument failed, the allowed range, the
 * lookup-failure details and, in debug kernels, a one-line message naming the check.
 * seL4_KeelGetError() reads them for the caller's last failed invocation.
 */
#pragma once

#include <sel4/functions.h>

typedef struct {
    seL4_Word error;    /* seL4_Error */
    seL4_Word argument; /* InvalidArgument: argument number; InvalidCapability: cap number */
    seL4_Word rangeMin, rangeMax;    /* RangeError */
    seL4_Word failedLookupWasSource; /* FailedLookup */
    seL4_Word memoryLeft;            /* NotEnoughMemory: bytes left in the Untyped */
    seL4_Word lookupFailureType;     /* seL4_LookupFailureType */
    seL4_Word bitsLeft;
    seL4_Word lookupDetail[2]; /* DepthMismatch: bits found; GuardMismatch: guard, size */
    char message[160];         /* debug kernels: the failed check, else "" */
} seL4_KeelError;

static inline void seL4_KeelGetError(seL4_KeelError *e)
{
    seL4_Word r0 = 0, r1 = 0, r2 = 0, r3 = 0, r4 = 0, r5 = 0;
    seL4_Syscall6(seL4_SysKeelGetError, &r0, &r1, &r2, &r3, &r4, &r5);
    seL4_IPCBuffer *b = seL4_GetIPCBuffer();
    seL4_Word v[10] = {r2, r3, r4, r5};
    for (int i = 4; i < 10; i++)
        v[i] = b->msg[i];
    e->error = v[0];
    e->argument = v[1];
    e->rangeMin = v[2];
    e->rangeMax = v[3];
    e->failedLookupWasSource = v[4];
    e->memoryLeft = v[5];
    e->lookupFailureType = v[6];
    e->bitsLeft = v[7];
    e->lookupDetail[0] = v[8];
    e->lookupDetail[1] = v[9];
    const char *m = (const char *)&b->msg[10];
    unsigned i = 0;
    for (; i < sizeof(e->message) - 1 && m[i]; i++)
        e->message[i] = m[i];
    e->message[i] = 0;
}

/*
 * Extra boot information (seL4_BootInfoHeader chunks after the boot info frame).
 * Keel adds one chunk describing memory, so the root task can account for every byte.
 */
#define SEL4_BOOTINFO_HEADER_KEEL_MEMORY 0x4b45
typedef struct {
    seL4_Word ramBase, ramSize;       /* all RAM */
    seL4_Word kernelStart, kernelEnd; /* the kernel image, physical (incl. its .bss) */
    seL4_Word rootObjectsBytes;       /* the root task's initial objects and image */
    seL4_Word bootInstructions;       /* guest instructions from kernel entry to the
                                          * root task's first (QEMU icount runs) */
} seL4_KeelMemoryInfo;
