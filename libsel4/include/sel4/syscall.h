/*
 * System call numbers, shared by libsel4 and the kernel. As in seL4 they are negative;
 * any other `svc` number (and any number not listed here) reaches the thread's fault
 * handler as an UnknownSyscall fault, which is how Linux system calls from musl are served.
 *
 * ARM calling convention (svc #0):
 *   r7      syscall number
 *   r0      destination/source cap in; badge out
 *   r1      message info in and out
 *   r2-r5   message registers 0-3; the rest travel in the IPC buffer
 */
#pragma once

typedef enum {
    seL4_SysCall = -1,
    seL4_SysReplyRecv = -2,
    seL4_SysSend = -3,
    seL4_SysNBSend = -4,
    seL4_SysRecv = -5,
    seL4_SysReply = -6,
    seL4_SysYield = -7,
    seL4_SysNBRecv = -8,
    /* Debug builds only. */
    seL4_SysDebugPutChar = -9,
    seL4_SysDebugDumpScheduler = -10,
    seL4_SysDebugHalt = -11,
    seL4_SysDebugCapIdentify = -12,
    seL4_SysDebugSnapshot = -13,
    seL4_SysDebugNameThread = -14,
    /* Keel: read the structured detail of the caller's last failed invocation. */
    seL4_SysKeelGetError = -30,
    /* Keel test images only: end the emulator with an exit status (see kernel/src/api). */
    seL4_SysKeelTestExit = -31,
    /* Keel debug kernels: check the kernel's invariants; returns the violations found. */
    seL4_SysKeelCheckInvariants = -32,
    seL4_SysKeelFirst = -32
} seL4_Syscall_ID;
