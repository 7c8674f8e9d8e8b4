/*
 * Panics and assertions. An assertion states a kernel invariant; a user mistake is never
 * an assertion but an error return. A panic prints its reason and halts the machine; in
 * test images it also ends QEMU with a failing status.
 */
#pragma once

#include <types.h>
#include <config.h>

NORETURN void panic(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Ends the emulator (test images) or stops the CPU. */
NORETURN void machine_halt(int status);

#ifdef CONFIG_DEBUG
#define assert(cond)                                                                               \
    do {                                                                                           \
        if (unlikely(!(cond)))                                                                     \
            panic("assertion failed: %s at %s:%d", #cond, __FILE__, __LINE__);                     \
    } while (0)
#else
#define assert(cond) ((void)0)
#endif
