/* vfp_save(vfp_state_t *) / vfp_load(const vfp_state_t *): d0-d31 then FPSCR. The unit
 * must be enabled (FPEXC.EN) by the caller. */
    .text
    .arm
    .fpu neon
    .global vfp_save
vfp_save:
    vstmia  r0!, {d0-d15}
    vstmia  r0!, {d16-d31}
    vmrs    r1, fpscr
    str     r1, [r0]
    bx      lr

    .global vfp_load
vfp_load:
    vldmia  r0!, {d0-d15}
    vldmia  r0!, {d16-d31}
    ldr     r1, [r0]
    vmsr    fpscr, r1
    bx      lr
