/*
 * VFP/NEON state, switched lazily: the unit stays enabled only for the thread whose
 * registers it holds. Another thread's first VFP instruction traps as undefined, the
 * kernel swaps the register file and restarts the instruction.
 */
#pragma once

#include <object/tcb.h>
#include <arch/arm/machine.h>

void vfp_init(void);
/* The thread whose registers the VFP unit holds (NULL: none). */
extern tcb_t *vfp_owner;

/* Called on every switch to `t` (NULL: the idle thread): the unit is on only for its
 * owner. Inline: it is on the IPC fastpath. */
static inline void vfp_thread_switch(tcb_t *t)
{
    write_fpexc(t != NULL && t == vfp_owner ? FPEXC_EN : 0);
}
/* An undefined instruction in `t`: true when it was a VFP access that now may proceed. */
bool vfp_handle_undefined(tcb_t *t);
/* `t` is being destroyed: forget it as the VFP owner. */
void vfp_forget(tcb_t *t);
