/*
 * Assembly probes for the fault tests: each one executes one known instruction (an svc,
 * an undefined instruction, a load...) at a global label, so a test can check the exact
 * FaultIP, and returns a value that shows whether and where the thread resumed.
 */
#include "ipc.h"

__asm__(".syntax unified\n"
        ".text\n"
        ".arm\n"

        /* usys_probe(number): r0-r6 hold known values, r7 the syscall number. */
        ".global usys_probe\n"
        ".type usys_probe, %function\n"
        "usys_probe:\n"
        "    push {r4-r7, lr}\n"
        "    mov r7, r0\n"
        "    ldr r0, =0xA0A0A000\n"
        "    ldr r1, =0xA1A1A101\n"
        "    ldr r2, =0xA2A2A202\n"
        "    ldr r3, =0xA3A3A303\n"
        "    ldr r4, =0xA4A4A404\n"
        "    ldr r5, =0xA5A5A505\n"
        "    ldr r6, =0xA6A6A606\n"
        ".global usys_probe_svc\n"
        "usys_probe_svc:\n"
        "    svc #0\n"
        "    pop {r4-r7, pc}\n"
        ".ltorg\n"

        /* undef_probe(): an undefined instruction, then r0 = 5. */
        ".global undef_probe\n"
        ".type undef_probe, %function\n"
        "undef_probe:\n"
        "    mov r0, #1\n"
        ".global undef_probe_insn\n"
        "undef_probe_insn:\n"
        "    .word 0xe7f001f2\n" /* udf #0x12 */
        "    mov r0, #5\n"
        "    bx lr\n"

        ".global load_probe\n"
        ".type load_probe, %function\n"
        "load_probe:\n"
        ".global load_probe_insn\n"
        "load_probe_insn:\n"
        "    ldr r0, [r0]\n"
        "    bx lr\n"

        ".global store_probe\n"
        ".type store_probe, %function\n"
        "store_probe:\n"
        ".global store_probe_insn\n"
        "store_probe_insn:\n"
        "    str r1, [r0]\n"
        "    bx lr\n"

        ".global ldm_probe\n"
        ".type ldm_probe, %function\n"
        "ldm_probe:\n"
        ".global ldm_probe_insn\n"
        "ldm_probe_insn:\n"
        "    ldm r0, {r1, r2}\n"
        "    bx lr\n"

        /* cap_call_probe(cptr): seL4_Call with message info 0. */
        ".global cap_call_probe\n"
        ".type cap_call_probe, %function\n"
        "cap_call_probe:\n"
        "    push {r4-r7, lr}\n"
        "    mvn r7, #0\n" /* seL4_SysCall = -1 */
        "    mov r1, #0\n"
        ".global cap_call_probe_svc\n"
        "cap_call_probe_svc:\n"
        "    svc #0\n"
        "    mov r0, r1\n"
        "    pop {r4-r7, pc}\n"

        /* cap_recv_probe(cptr): seL4_Recv; returns the badge. */
        ".global cap_recv_probe\n"
        ".type cap_recv_probe, %function\n"
        "cap_recv_probe:\n"
        "    push {r4-r7, lr}\n"
        "    mvn r7, #4\n" /* seL4_SysRecv = -5 */
        "    mov r1, #0\n"
        ".global cap_recv_probe_svc\n"
        "cap_recv_probe_svc:\n"
        "    svc #0\n"
        "    pop {r4-r7, pc}\n"

        ".thumb\n"

        /* thumb_usys(number): a Thumb svc; returns r0 as the fault handler left it. */
        ".global thumb_usys\n"
        ".type thumb_usys, %function\n"
        ".thumb_func\n"
        "thumb_usys:\n"
        "    push {r7, lr}\n"
        "    mov r7, r0\n"
        "    movs r0, #0\n"
        ".global thumb_usys_svc\n"
        "thumb_usys_svc:\n"
        "    svc #0\n"
        "    pop {r7, pc}\n"

        /* thumb_it_probe(number): the svc runs in the first slot of an ITE block; the
         * second slot (NE, false) must stay skipped when the thread resumes after it. */
        ".global thumb_it_probe\n"
        ".type thumb_it_probe, %function\n"
        ".thumb_func\n"
        "thumb_it_probe:\n"
        "    push {r7, lr}\n"
        "    mov r7, r0\n"
        "    movs r1, #1\n"
        "    cmp r1, #1\n"
        "    ite eq\n"
        ".global thumb_it_svc\n"
        "thumb_it_svc:\n"
        "    svceq #0\n"
        "    movne r1, #7\n"
        "    mov r0, r1\n"
        "    pop {r7, pc}\n"

        /* thumb_undef_probe(): a 16-bit undefined instruction, then r0 = 7. */
        ".global thumb_undef_probe\n"
        ".type thumb_undef_probe, %function\n"
        ".thumb_func\n"
        "thumb_undef_probe:\n"
        "    movs r0, #3\n"
        ".global thumb_undef_insn\n"
        "thumb_undef_insn:\n"
        "    udf #1\n"
        "    adds r0, #4\n"
        "    bx lr\n"
        ".arm\n");
