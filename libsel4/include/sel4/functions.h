/*
 * User-side system call stubs (ARM, svc #0). Message registers 0-3 travel in r2-r5;
 * the stubs move them between the registers and the IPC buffer, so callers always use
 * seL4_SetMR/seL4_GetMR.
 *
 * Each thread's IPC buffer address lives in its TPIDRURW register, which the kernel saves
 * and restores per thread (it is part of seL4_UserContext); TPIDRURO stays free for the
 * C library's thread pointer.
 */
#pragma once

#include <sel4/types.h>
#include <sel4/syscall.h>

static inline seL4_IPCBuffer *seL4_GetIPCBuffer(void)
{
    seL4_Word v;
    __asm__ volatile("mrc p15, 0, %0, c13, c0, 2" : "=r"(v));
    return (seL4_IPCBuffer *)v;
}

static inline void seL4_SetIPCBuffer(seL4_IPCBuffer *buf)
{
    __asm__ volatile("mcr p15, 0, %0, c13, c0, 2" ::"r"(buf));
}

static inline seL4_Word seL4_GetMR(int i)
{
    return seL4_GetIPCBuffer()->msg[i];
}
static inline void seL4_SetMR(int i, seL4_Word v)
{
    seL4_GetIPCBuffer()->msg[i] = v;
}
static inline seL4_Word seL4_GetUserData(void)
{
    return seL4_GetIPCBuffer()->userData;
}
static inline void seL4_SetUserData(seL4_Word v)
{
    seL4_GetIPCBuffer()->userData = v;
}
static inline seL4_Word seL4_GetBadge(int i)
{
    return seL4_GetIPCBuffer()->caps_or_badges[i];
}
static inline seL4_CPtr seL4_GetCap(int i)
{
    return seL4_GetIPCBuffer()->caps_or_badges[i];
}
static inline void seL4_SetCap(int i, seL4_CPtr cptr)
{
    seL4_GetIPCBuffer()->caps_or_badges[i] = cptr;
}
static inline void seL4_GetCapReceivePath(seL4_CPtr *cnode, seL4_CPtr *index, seL4_Word *depth)
{
    seL4_IPCBuffer *b = seL4_GetIPCBuffer();
    if (cnode)
        *cnode = b->receiveCNode;
    if (index)
        *index = b->receiveIndex;
    if (depth)
        *depth = b->receiveDepth;
}
static inline void seL4_SetCapReceivePath(seL4_CPtr cnode, seL4_CPtr index, seL4_Word depth)
{
    seL4_IPCBuffer *b = seL4_GetIPCBuffer();
    b->receiveCNode = cnode;
    b->receiveIndex = index;
    b->receiveDepth = depth;
}

/*
 * The one raw system call: every register the kernel may read or write is bound, so each
 * stub below is a thin wrapper. `in` words 0..5 go to r0..r5 and come back from them.
 */
static inline void seL4_Syscall6(seL4_Word sys, seL4_Word *r0, seL4_Word *r1, seL4_Word *r2,
                                 seL4_Word *r3, seL4_Word *r4, seL4_Word *r5)
{
    register seL4_Word a0 __asm__("r0") = *r0;
    register seL4_Word a1 __asm__("r1") = *r1;
    register seL4_Word a2 __asm__("r2") = *r2;
    register seL4_Word a3 __asm__("r3") = *r3;
    register seL4_Word a4 __asm__("r4") = *r4;
    register seL4_Word a5 __asm__("r5") = *r5;
    register seL4_Word num __asm__("r7") = sys;
    __asm__ volatile("svc #0"
                     : "+r"(a0), "+r"(a1), "+r"(a2), "+r"(a3), "+r"(a4), "+r"(a5)
                     : "r"(num)
                     : "memory", "cc");
    *r0 = a0;
    *r1 = a1;
    *r2 = a2;
    *r3 = a3;
    *r4 = a4;
    *r5 = a5;
}

/* A send-phase + receive-phase syscall with the first four MRs through registers. */
static inline seL4_MessageInfo_t seL4_IPCSyscall(seL4_Word sys, seL4_CPtr dest,
                                                 seL4_MessageInfo_t info, seL4_Word *badge)
{
    seL4_IPCBuffer *b = seL4_GetIPCBuffer();
    seL4_Word r0 = dest, r1 = info.words[0];
    seL4_Word r2 = b->msg[0], r3 = b->msg[1], r4 = b->msg[2], r5 = b->msg[3];
    seL4_Syscall6(sys, &r0, &r1, &r2, &r3, &r4, &r5);
    b->msg[0] = r2;
    b->msg[1] = r3;
    b->msg[2] = r4;
    b->msg[3] = r5;
    if (badge)
        *badge = r0;
    seL4_MessageInfo_t out = {{r1}};
    return out;
}

static inline void seL4_Send(seL4_CPtr dest, seL4_MessageInfo_t info)
{
    seL4_IPCSyscall(seL4_SysSend, dest, info, 0);
}
static inline void seL4_NBSend(seL4_CPtr dest, seL4_MessageInfo_t info)
{
    seL4_IPCSyscall(seL4_SysNBSend, dest, info, 0);
}
static inline seL4_MessageInfo_t seL4_Call(seL4_CPtr dest, seL4_MessageInfo_t info)
{
    return seL4_IPCSyscall(seL4_SysCall, dest, info, 0);
}
static inline seL4_MessageInfo_t seL4_Recv(seL4_CPtr src, seL4_Word *sender)
{
    seL4_MessageInfo_t none = {{0}};
    return seL4_IPCSyscall(seL4_SysRecv, src, none, sender);
}
static inline seL4_MessageInfo_t seL4_NBRecv(seL4_CPtr src, seL4_Word *sender)
{
    seL4_MessageInfo_t none = {{0}};
    return seL4_IPCSyscall(seL4_SysNBRecv, src, none, sender);
}
static inline void seL4_Reply(seL4_MessageInfo_t info)
{
    seL4_IPCSyscall(seL4_SysReply, 0, info, 0);
}
static inline seL4_MessageInfo_t seL4_ReplyRecv(seL4_CPtr src, seL4_MessageInfo_t info,
                                                seL4_Word *sender)
{
    return seL4_IPCSyscall(seL4_SysReplyRecv, src, info, sender);
}
static inline void seL4_Yield(void)
{
    seL4_Word r0 = 0, r1 = 0, r2 = 0, r3 = 0, r4 = 0, r5 = 0;
    seL4_Syscall6(seL4_SysYield, &r0, &r1, &r2, &r3, &r4, &r5);
}

/*
 * The *WithMRs variants pass message registers 0-3 straight in r2-r5, without touching the
 * IPC buffer (seL4's API; what fast IPC servers and benchmarks use). A NULL pointer sends
 * zero and discards what comes back; a register is sent only if the length covers it.
 */
static inline seL4_MessageInfo_t seL4_MRSyscall(seL4_Word sys, seL4_CPtr dest,
                                                seL4_MessageInfo_t info, seL4_Word *badge,
                                                seL4_Word *mr0, seL4_Word *mr1, seL4_Word *mr2,
                                                seL4_Word *mr3)
{
    seL4_Word len = seL4_MessageInfo_get_length(info);
    seL4_Word r0 = dest, r1 = info.words[0];
    seL4_Word r2 = (mr0 && len > 0) ? *mr0 : 0, r3 = (mr1 && len > 1) ? *mr1 : 0;
    seL4_Word r4 = (mr2 && len > 2) ? *mr2 : 0, r5 = (mr3 && len > 3) ? *mr3 : 0;
    seL4_Syscall6(sys, &r0, &r1, &r2, &r3, &r4, &r5);
    if (mr0)
        *mr0 = r2;
    if (mr1)
        *mr1 = r3;
    if (mr2)
        *mr2 = r4;
    if (mr3)
        *mr3 = r5;
    if (badge)
        *badge = r0;
    seL4_MessageInfo_t out = {{r1}};
    return out;
}
static inline seL4_MessageInfo_t seL4_CallWithMRs(seL4_CPtr dest, seL4_MessageInfo_t info,
                                                  seL4_Word *mr0, seL4_Word *mr1, seL4_Word *mr2,
                                                  seL4_Word *mr3)
{
    return seL4_MRSyscall(seL4_SysCall, dest, info, 0, mr0, mr1, mr2, mr3);
}
static inline seL4_MessageInfo_t seL4_ReplyRecvWithMRs(seL4_CPtr src, seL4_MessageInfo_t info,
                                                       seL4_Word *sender, seL4_Word *mr0,
                                                       seL4_Word *mr1, seL4_Word *mr2,
                                                       seL4_Word *mr3)
{
    return seL4_MRSyscall(seL4_SysReplyRecv, src, info, sender, mr0, mr1, mr2, mr3);
}
static inline seL4_MessageInfo_t seL4_RecvWithMRs(seL4_CPtr src, seL4_Word *sender, seL4_Word *mr0,
                                                  seL4_Word *mr1, seL4_Word *mr2, seL4_Word *mr3)
{
    seL4_MessageInfo_t none = {{0}};
    return seL4_MRSyscall(seL4_SysRecv, src, none, sender, mr0, mr1, mr2, mr3);
}
static inline void seL4_SendWithMRs(seL4_CPtr dest, seL4_MessageInfo_t info, seL4_Word *mr0,
                                    seL4_Word *mr1, seL4_Word *mr2, seL4_Word *mr3)
{
    seL4_MRSyscall(seL4_SysSend, dest, info, 0, mr0, mr1, mr2, mr3);
}
static inline void seL4_NBSendWithMRs(seL4_CPtr dest, seL4_MessageInfo_t info, seL4_Word *mr0,
                                      seL4_Word *mr1, seL4_Word *mr2, seL4_Word *mr3)
{
    seL4_MRSyscall(seL4_SysNBSend, dest, info, 0, mr0, mr1, mr2, mr3);
}
static inline void seL4_ReplyWithMRs(seL4_MessageInfo_t info, seL4_Word *mr0, seL4_Word *mr1,
                                     seL4_Word *mr2, seL4_Word *mr3)
{
    seL4_MRSyscall(seL4_SysReply, 0, info, 0, mr0, mr1, mr2, mr3);
}

/* Notifications use the endpoint syscalls, as in seL4. */
static inline void seL4_Signal(seL4_CPtr dest)
{
    seL4_Word r0 = dest, r1 = 0, r2 = 0, r3 = 0, r4 = 0, r5 = 0;
    seL4_Syscall6(seL4_SysSend, &r0, &r1, &r2, &r3, &r4, &r5);
}
static inline void seL4_Wait(seL4_CPtr src, seL4_Word *sender)
{
    seL4_Word r0 = src, r1 = 0, r2 = 0, r3 = 0, r4 = 0, r5 = 0;
    seL4_Syscall6(seL4_SysRecv, &r0, &r1, &r2, &r3, &r4, &r5);
    if (sender)
        *sender = r0;
}
static inline seL4_MessageInfo_t seL4_Poll(seL4_CPtr src, seL4_Word *sender)
{
    seL4_Word r0 = src, r1 = 0, r2 = 0, r3 = 0, r4 = 0, r5 = 0;
    seL4_Syscall6(seL4_SysNBRecv, &r0, &r1, &r2, &r3, &r4, &r5);
    if (sender)
        *sender = r0;
    seL4_MessageInfo_t out = {{r1}};
    return out;
}

/* Debug syscalls (debug builds; release kernels answer them as UnknownSyscall faults). */
static inline void seL4_DebugPutChar(char c)
{
    seL4_Word r0 = (seL4_Word)(unsigned char)c, r1 = 0, r2 = 0, r3 = 0, r4 = 0, r5 = 0;
    seL4_Syscall6(seL4_SysDebugPutChar, &r0, &r1, &r2, &r3, &r4, &r5);
}
static inline void seL4_DebugHalt(void)
{
    seL4_Word r0 = 0, r1 = 0, r2 = 0, r3 = 0, r4 = 0, r5 = 0;
    seL4_Syscall6(seL4_SysDebugHalt, &r0, &r1, &r2, &r3, &r4, &r5);
}
/* Returns the cap type of the slot (0 = null), as seL4_DebugCapIdentify. */
static inline seL4_Uint32 seL4_DebugCapIdentify(seL4_CPtr cap)
{
    seL4_Word r0 = cap, r1 = 0, r2 = 0, r3 = 0, r4 = 0, r5 = 0;
    seL4_Syscall6(seL4_SysDebugCapIdentify, &r0, &r1, &r2, &r3, &r4, &r5);
    return r0;
}
/* Names the thread in kernel reports; the name is read from the caller's IPC buffer. */
static inline void seL4_DebugNameThread(seL4_CPtr tcb, const char *name)
{
    char *dst = (char *)&seL4_GetIPCBuffer()->msg[0];
    unsigned i = 0;
    for (; name[i] && i < seL4_MsgMaxLength * sizeof(seL4_Word) - 1; i++)
        dst[i] = name[i];
    dst[i] = 0;
    seL4_Word r0 = tcb, r1 = 0, r2 = 0, r3 = 0, r4 = 0, r5 = 0;
    seL4_Syscall6(seL4_SysDebugNameThread, &r0, &r1, &r2, &r3, &r4, &r5);
}
/* Keel debug kernels: checks the kernel's invariants (CDT, objects, untyped accounting,
 * scheduler queues), prints each violation on the console, and returns how many there
 * were. Release kernels have no checker and return seL4_KeelInvariantsNotChecked. */
#define seL4_KeelInvariantsNotChecked 0xffffffffu
static inline seL4_Word seL4_KeelCheckInvariants(void)
{
    seL4_Word r0 = 0, r1 = 0, r2 = 0, r3 = 0, r4 = 0, r5 = 0;
    seL4_Syscall6(seL4_SysKeelCheckInvariants, &r0, &r1, &r2, &r3, &r4, &r5);
    return r0;
}
/* Keel test images: ends QEMU with `status` (0 = success). Absent from normal kernels. */
static inline void seL4_KeelTestExit(int status)
{
    seL4_Word r0 = (seL4_Word)status, r1 = 0, r2 = 0, r3 = 0, r4 = 0, r5 = 0;
    seL4_Syscall6(seL4_SysKeelTestExit, &r0, &r1, &r2, &r3, &r4, &r5);
}
