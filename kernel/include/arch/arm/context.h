/*
 * Returning to a thread. restore_user_context() (traps.S) is the one exit of the kernel;
 * the IPC fastpath inlines the same sequence to save the call.
 */
#pragma once

#include <types.h>
#include <object/tcb.h>

NORETURN void restore_user_context(user_context_t *ctx);

/* Loads r0-r14 (user bank) from `ctx`, then pc and cpsr with RFE; leaves SP_svc just past
 * ctx->regs[CPSR] for the next exception entry, as traps.S expects. */
static FORCE_INLINE NORETURN void restore_user_context_inline(user_context_t *ctx)
{
    register user_context_t *c __asm__("r0") = ctx;
    __asm__ volatile("mov sp, r0\n\t"
                     "ldmia sp, {r0-r14}^\n\t"
                     "nop\n\t"
                     "add sp, sp, #(15 * 4)\n\t"
                     "rfeia sp!"
                     :
                     : "r"(c)
                     : "memory");
    __builtin_unreachable();
}
