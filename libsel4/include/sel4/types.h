/*
 * Structured types shared by user code and the kernel: message info, cap rights,
 * CNode cap data, the IPC buffer and the register context. Each packed word has its
 * layout in one place, with seL4's accessor names.
 */
#pragma once

#include <sel4/simple_types.h>
#include <sel4/constants.h>
#include <sel4/errors.h>
#include <sel4/objecttype.h>

/* seL4_MessageInfo: label:20 | capsUnwrapped:3 | extraCaps:2 | length:7 (msb to lsb). */
typedef struct {
    seL4_Word words[1];
} seL4_MessageInfo_t;

static inline seL4_MessageInfo_t seL4_MessageInfo_new(seL4_Word label, seL4_Word capsUnwrapped,
                                                      seL4_Word extraCaps, seL4_Word length)
{
    seL4_MessageInfo_t m;
    m.words[0] = ((label & 0xfffffu) << 12) | ((capsUnwrapped & 0x7u) << 9) |
                 ((extraCaps & 0x3u) << 7) | (length & 0x7fu);
    return m;
}
static inline seL4_Word seL4_MessageInfo_get_label(seL4_MessageInfo_t m)
{
    return m.words[0] >> 12;
}
static inline seL4_Word seL4_MessageInfo_get_capsUnwrapped(seL4_MessageInfo_t m)
{
    return (m.words[0] >> 9) & 0x7u;
}
static inline seL4_Word seL4_MessageInfo_get_extraCaps(seL4_MessageInfo_t m)
{
    return (m.words[0] >> 7) & 0x3u;
}
static inline seL4_Word seL4_MessageInfo_get_length(seL4_MessageInfo_t m)
{
    return m.words[0] & 0x7fu;
}
static inline seL4_MessageInfo_t seL4_MessageInfo_set_label(seL4_MessageInfo_t m, seL4_Word v)
{
    m.words[0] = (m.words[0] & 0xfffu) | ((v & 0xfffffu) << 12);
    return m;
}
static inline seL4_MessageInfo_t seL4_MessageInfo_set_capsUnwrapped(seL4_MessageInfo_t m,
                                                                    seL4_Word v)
{
    m.words[0] = (m.words[0] & ~(0x7u << 9)) | ((v & 0x7u) << 9);
    return m;
}
static inline seL4_MessageInfo_t seL4_MessageInfo_set_extraCaps(seL4_MessageInfo_t m, seL4_Word v)
{
    m.words[0] = (m.words[0] & ~(0x3u << 7)) | ((v & 0x3u) << 7);
    return m;
}
static inline seL4_MessageInfo_t seL4_MessageInfo_set_length(seL4_MessageInfo_t m, seL4_Word v)
{
    m.words[0] = (m.words[0] & ~0x7fu) | (v & 0x7fu);
    return m;
}

/* seL4_CapRights: AllowGrantReply:1 | AllowGrant:1 | AllowRead:1 | AllowWrite:1 (bit 3..0). */
typedef struct {
    seL4_Word words[1];
} seL4_CapRights_t;

static inline seL4_CapRights_t seL4_CapRights_new(seL4_Word grantReply, seL4_Word grant,
                                                  seL4_Word read, seL4_Word write)
{
    seL4_CapRights_t r;
    r.words[0] = ((grantReply & 1u) << 3) | ((grant & 1u) << 2) | ((read & 1u) << 1) | (write & 1u);
    return r;
}
static inline seL4_Word seL4_CapRights_get_capAllowGrantReply(seL4_CapRights_t r)
{
    return (r.words[0] >> 3) & 1u;
}
static inline seL4_Word seL4_CapRights_get_capAllowGrant(seL4_CapRights_t r)
{
    return (r.words[0] >> 2) & 1u;
}
static inline seL4_Word seL4_CapRights_get_capAllowRead(seL4_CapRights_t r)
{
    return (r.words[0] >> 1) & 1u;
}
static inline seL4_Word seL4_CapRights_get_capAllowWrite(seL4_CapRights_t r)
{
    return r.words[0] & 1u;
}

#define seL4_AllRights     seL4_CapRights_new(1, 1, 1, 1)
#define seL4_CanRead       seL4_CapRights_new(0, 0, 1, 0)
#define seL4_CanWrite      seL4_CapRights_new(0, 0, 0, 1)
#define seL4_CanGrant      seL4_CapRights_new(0, 1, 0, 0)
#define seL4_CanGrantReply seL4_CapRights_new(1, 0, 0, 0)
#define seL4_NoWrite       seL4_CapRights_new(1, 1, 1, 0)
#define seL4_NoRead        seL4_CapRights_new(1, 1, 0, 1)
#define seL4_NoRights      seL4_CapRights_new(0, 0, 0, 0)
#define seL4_ReadWrite     seL4_CapRights_new(0, 0, 1, 1)

/* seL4_CNode_CapData: guard:18 | guardSize:5 | 3 bits padding (msb to lsb, bits 25..0). */
typedef struct {
    seL4_Word words[1];
} seL4_CNode_CapData_t;

static inline seL4_CNode_CapData_t seL4_CNode_CapData_new(seL4_Word guard, seL4_Word guardSize)
{
    seL4_CNode_CapData_t d;
    d.words[0] = ((guard & 0x3ffffu) << 8) | ((guardSize & 0x1fu) << 3);
    return d;
}
static inline seL4_Word seL4_CNode_CapData_get_guard(seL4_CNode_CapData_t d)
{
    return (d.words[0] >> 8) & 0x3ffffu;
}
static inline seL4_Word seL4_CNode_CapData_get_guardSize(seL4_CNode_CapData_t d)
{
    return (d.words[0] >> 3) & 0x1fu;
}

/* The per-thread IPC buffer, 512 bytes, mapped in the thread's VSpace. */
typedef struct seL4_IPCBuffer_ {
    seL4_MessageInfo_t tag;
    seL4_Word msg[seL4_MsgMaxLength];
    seL4_Word userData;
    seL4_Word caps_or_badges[seL4_MsgMaxExtraCaps];
    seL4_CPtr receiveCNode;
    seL4_CPtr receiveIndex;
    seL4_Word receiveDepth;
} __attribute__((__aligned__(sizeof(struct seL4_IPCBuffer_ *)))) seL4_IPCBuffer;

/* ARM register context, in seL4's order (ReadRegisters/WriteRegisters/CopyRegisters). */
typedef struct {
    seL4_Word pc, sp, cpsr;
    seL4_Word r0, r1, r8, r9, r10, r11, r12;
    seL4_Word r2, r3, r4, r5, r6, r7, r14;
    seL4_Word tpidrurw, tpidruro;
} seL4_UserContext;

/* Number of frame registers (pc, sp, cpsr, r0, r1, r8-r12) and general ones (r2-r7, r14). */
#define seL4_FrameRegisterCount 10
#define seL4_GPRegisterCount    9

typedef seL4_Word seL4_ARM_VMAttributes;
#define seL4_ARM_PageCacheable        0x01
#define seL4_ARM_ParityEnabled        0x02
#define seL4_ARM_Default_VMAttributes 0x03
#define seL4_ARM_ExecuteNever         0x04
