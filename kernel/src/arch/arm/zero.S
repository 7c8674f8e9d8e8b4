/* zero_memory(void *p, word_t bytes): bytes is a multiple of 16 and p 16-byte aligned
 * (every kernel object is). 32 bytes per store where possible. */
    .text
    .arm
    .global zero_memory
zero_memory:
    push    {r4-r9}
    mov     r2, #0
    mov     r3, #0
    mov     r4, #0
    mov     r5, #0
    mov     r6, #0
    mov     r7, #0
    mov     r8, #0
    mov     r9, #0
1:  cmp     r1, #32
    blo     2f
    stmia   r0!, {r2-r9}
    sub     r1, r1, #32
    b       1b
2:  cmp     r1, #16
    stmhsia r0!, {r2-r5}
    pop     {r4-r9}
    bx      lr
