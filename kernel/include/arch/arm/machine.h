/* ARMv7-A coprocessor and barrier accessors. One inline function per register. */
#pragma once

#include <types.h>

#define CPSR_MODE_MASK 0x1fu
#define CPSR_MODE_USR  0x10u
#define CPSR_MODE_FIQ  0x11u
#define CPSR_MODE_IRQ  0x12u
#define CPSR_MODE_SVC  0x13u
#define CPSR_MODE_ABT  0x17u
#define CPSR_MODE_UND  0x1bu
#define CPSR_MODE_SYS  0x1fu
#define CPSR_THUMB     BIT(5)
#define CPSR_FIQ_MASK  BIT(6)
#define CPSR_IRQ_MASK  BIT(7)
#define CPSR_ABT_MASK  BIT(8)
#define CPSR_E         BIT(9)
#define CPSR_IT_LOW    (0x3fu << 10) /* IT[7:2] */
#define CPSR_GE        (0xfu << 16)
#define CPSR_J         BIT(24)
#define CPSR_IT_HIGH   (0x3u << 25) /* IT[1:0] */
#define CPSR_Q         BIT(27)
#define CPSR_FLAGS     (0x1fu << 27) /* N Z C V Q */
/* The CPSR bits user code may set through its saved context. */
#define CPSR_USER_MASK (CPSR_FLAGS | CPSR_GE | CPSR_IT_HIGH | CPSR_IT_LOW | CPSR_THUMB)

#define CP15_READ(name, op1, crn, crm, op2)                                                        \
    static inline word_t read_##name(void)                                                         \
    {                                                                                              \
        word_t v;                                                                                  \
        __asm__ volatile("mrc p15, " #op1 ", %0, " #crn ", " #crm ", " #op2 : "=r"(v));            \
        return v;                                                                                  \
    }
#define CP15_WRITE(name, op1, crn, crm, op2)                                                       \
    static inline void write_##name(word_t v)                                                      \
    {                                                                                              \
        __asm__ volatile("mcr p15, " #op1 ", %0, " #crn ", " #crm ", " #op2 ::"r"(v) : "memory");  \
    }
#define CP15_RW(name, op1, crn, crm, op2)                                                          \
    CP15_READ(name, op1, crn, crm, op2) CP15_WRITE(name, op1, crn, crm, op2)

CP15_RW(sctlr, 0, c1, c0, 0)
CP15_RW(actlr, 0, c1, c0, 1)
CP15_RW(cpacr, 0, c1, c0, 2)
CP15_RW(ttbr0, 0, c2, c0, 0)
CP15_RW(ttbcr, 0, c2, c0, 2)
CP15_RW(dacr, 0, c3, c0, 0)
CP15_READ(dfsr, 0, c5, c0, 0)
CP15_READ(ifsr, 0, c5, c0, 1)
CP15_READ(dfar, 0, c6, c0, 0)
CP15_READ(ifar, 0, c6, c0, 2)
CP15_RW(contextidr, 0, c13, c0, 1)
CP15_RW(tpidrurw, 0, c13, c0, 2)
CP15_RW(tpidruro, 0, c13, c0, 3)
CP15_RW(vbar, 0, c12, c0, 0)
CP15_READ(mpidr, 0, c0, c0, 5)
CP15_WRITE(tlbiall, 0, c8, c7, 0)
CP15_WRITE(tlbimva, 0, c8, c7, 1)
CP15_WRITE(tlbiasid, 0, c8, c7, 2)
CP15_WRITE(tlbimvaa, 0, c8, c7, 3)
CP15_WRITE(iciallu, 0, c7, c5, 0)
CP15_WRITE(bpiall, 0, c7, c5, 6)
CP15_WRITE(dccmvac, 0, c7, c10, 1)  /* clean data line by VA to PoC */
CP15_WRITE(dcimvac, 0, c7, c6, 1)   /* invalidate data line by VA to PoC */
CP15_WRITE(dccimvac, 0, c7, c14, 1) /* clean+invalidate data line by VA to PoC */
CP15_WRITE(dccmvau, 0, c7, c11, 1)  /* clean data line by VA to PoU */
CP15_WRITE(icimvau, 0, c7, c5, 1)   /* invalidate instruction line by VA to PoU */
CP15_WRITE(ats1cpr, 0, c7, c8, 0)
CP15_WRITE(ats1cur, 0, c7, c8, 2)
CP15_READ(par, 0, c7, c4, 0)

#define SCTLR_M BIT(0)
#define SCTLR_A BIT(1)
#define SCTLR_C BIT(2)
#define SCTLR_Z BIT(11)
#define SCTLR_I BIT(12)
#define SCTLR_V BIT(13)

static inline void dsb(void)
{
    __asm__ volatile("dsb" ::: "memory");
}
static inline void dmb(void)
{
    __asm__ volatile("dmb" ::: "memory");
}
static inline void isb(void)
{
    __asm__ volatile("isb" ::: "memory");
}
static inline void wfi(void)
{
    __asm__ volatile("wfi" ::: "memory");
}

static inline word_t read_fpexc(void)
{
    word_t v;
    __asm__ volatile(".fpu vfpv3\n\tvmrs %0, fpexc" : "=r"(v));
    return v;
}
static inline void write_fpexc(word_t v)
{
    __asm__ volatile(".fpu vfpv3\n\tvmsr fpexc, %0" ::"r"(v) : "memory");
}
#define FPEXC_EN BIT(30)

static inline word_t read_cpsr(void)
{
    word_t v;
    __asm__ volatile("mrs %0, cpsr" : "=r"(v));
    return v;
}

/* Data cache line size of the Cortex-A9 (bytes). */
#define L1_CACHE_LINE_BITS 5
