#include <kernel/vfp.h>
#include <arch/arm/machine.h>

tcb_t *vfp_owner;

void vfp_save(vfp_state_t *s);
void vfp_load(const vfp_state_t *s);

void vfp_init(void)
{
    /* CP10 and CP11 (VFP/NEON): full access from all modes. */
    write_cpacr(read_cpacr() | (0xfu << 20));
    isb();
    write_fpexc(0);
    vfp_owner = NULL;
}

bool vfp_handle_undefined(tcb_t *t)
{
    if (read_fpexc() & FPEXC_EN)
        return false; /* the unit was on: a genuinely undefined instruction */
    write_fpexc(FPEXC_EN);
    if (vfp_owner)
        vfp_save(&vfp_owner->vfp);
    vfp_load(&t->vfp);
    vfp_owner = t;
    return true;
}

void vfp_forget(tcb_t *t)
{
    if (vfp_owner == t) {
        vfp_owner = NULL;
        write_fpexc(0);
    }
}
