/*
 * ktimer: the i.MX6 GPT as a free-running counter for benchmark images. Under QEMU's
 * -icount shift=0 a guest instruction takes 1 ns, and the GPT counts at 66 MHz, so a tick is
 * 15.15 instructions (the clock seL4's figures on this emulated board were taken with).
 */
#pragma once

#include "ktest.h"

#define KTIMER_HZ 66000000u

/*
 * Maps the GPT and starts it counting from 0. The frame is cut out of the boot device Untyped
 * that holds it, into test slots, and the page table comes from the test pool, so the mapping
 * lasts until the end of the case. Returns 0, or -1 if any step failed.
 */
int ktimer_start(void);

/* The same with a frame cap to the GPT's page (at GPT_PADDR) that the caller made, e.g. from a
 * device Untyped it manages itself. */
#define KTIMER_GPT_PADDR 0x02098000u
int ktimer_start_frame(seL4_CPtr frame);

/* The counter now. */
uint32_t ktimer_now(void);

/* Guest instructions per iteration, times 100, for `ticks` over `iterations`. */
unsigned ktimer_instructions_x100(uint32_t ticks, unsigned iterations);
