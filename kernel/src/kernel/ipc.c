#include <kernel/ipc.h>
#include <kernel/cspace.h>
#include <kernel/panic.h>
#include <object/cnode.h>
#include <object/objecttype.h>
#include <api/faults.h>
#include <arch/arm/layout.h>

static const word_t msg_regs[seL4_FastMessageRegisters] = {R2, R3, R4, R5};

word_t *ipc_buffer_of(tcb_t *t, bool is_receiver)
{
    cap_t c = t->slots[tcb_buffer_slot].cap;
    if (cap_get_type(c) != cap_frame_cap || cap_frame_get_is_device(c))
        return NULL;
    word_t rights = cap_frame_get_vm_rights(c);
    if (rights != VM_READ_WRITE && !(rights == VM_READ_ONLY && !is_receiver))
        return NULL;
    word_t offset = t->ipc_buffer & MASK(frame_size_bits(cap_frame_get_size(c)));
    return (word_t *)ptr_from_paddr(cap_frame_get_base(c) + offset);
}

word_t get_mr(tcb_t *t, word_t *buffer, word_t i)
{
    if (i < seL4_FastMessageRegisters)
        return t->ctx.regs[msg_regs[i]];
    return buffer ? buffer[1 + i] : 0;
}

bool set_mr(tcb_t *t, word_t *buffer, word_t i, word_t v)
{
    if (i < seL4_FastMessageRegisters) {
        t->ctx.regs[msg_regs[i]] = v;
        return true;
    }
    if (!buffer || i >= seL4_MsgMaxLength)
        return false;
    buffer[1 + i] = v;
    return true;
}

extra_caps_t lookup_extra_caps(tcb_t *t, word_t *buffer, seL4_MessageInfo_t info)
{
    extra_caps_t r = {EXCEPTION_NONE, 0, 0, {NULL, NULL, NULL}};
    word_t n = seL4_MessageInfo_get_extraCaps(info);
    if (!buffer)
        return r;
    for (word_t i = 0; i < n; i++) {
        cptr_t cptr = buffer[1 + seL4_MsgMaxLength + 1 + i]; /* caps_or_badges[i] */
        lookup_slot_ret_t s = lookup_slot(t, cptr);
        if (s.status != EXCEPTION_NONE) {
            r.status = s.status;
            r.failed_cptr = cptr;
            return r;
        }
        r.slots[i] = s.slot;
        r.count = i + 1;
    }
    return r;
}

/* The empty slot the receiver named for an incoming cap, or NULL. */
static cte_t *receive_slot(tcb_t *receiver, word_t *buffer)
{
    word_t base = 1 + seL4_MsgMaxLength + 1 + seL4_MsgMaxExtraCaps;
    cptr_t cnode = buffer[base], index = buffer[base + 1], depth = buffer[base + 2];
    lookup_cap_ret_t root = lookup_cap(receiver, cnode);
    if (root.status != EXCEPTION_NONE)
        return NULL;
    if (cap_get_type(root.cap) != cap_cnode_cap || depth < 1 || depth > seL4_WordBits)
        return NULL;
    resolve_ret_t r = resolve_address_bits(root.cap, index, depth);
    if (r.status != EXCEPTION_NONE || r.bits_remaining != 0 || !cap_is_null(r.slot->cap))
        return NULL;
    return r.slot;
}

/* Transfers up to three caps; returns the receiver's extraCaps and capsUnwrapped. */
static seL4_MessageInfo_t transfer_caps(seL4_MessageInfo_t info, extra_caps_t *caps, endpoint_t *ep,
                                        tcb_t *receiver, word_t *recv_buf)
{
    info = seL4_MessageInfo_set_extraCaps(info, 0);
    info = seL4_MessageInfo_set_capsUnwrapped(info, 0);
    if (caps->count == 0 || !recv_buf)
        return info;
    cte_t *dest = receive_slot(receiver, recv_buf);
    word_t unwrapped = 0, i;
    for (i = 0; i < caps->count; i++) {
        cte_t *slot = caps->slots[i];
        cap_t c = slot->cap;
        if (cap_get_type(c) == cap_endpoint_cap && ep && (endpoint_t *)cap_get_pptr(c) == ep) {
            /* A cap to the endpoint the message came through arrives as its badge. */
            recv_buf[1 + seL4_MsgMaxLength + 1 + i] = cap_ep_get_badge(c);
            unwrapped |= BIT(i);
            continue;
        }
        if (!dest)
            break;
        derive_ret_t d = derive_cap(slot, c);
        if (d.status != EXCEPTION_NONE || cap_is_null(d.cap))
            break;
        cte_insert(d.cap, slot, dest);
        dest = NULL;
    }
    info = seL4_MessageInfo_set_extraCaps(info, i);
    return seL4_MessageInfo_set_capsUnwrapped(info, unwrapped);
}

void ipc_transfer(tcb_t *sender, endpoint_t *ep, word_t badge, bool can_grant, tcb_t *receiver)
{
    word_t *recv_buf = ipc_buffer_of(receiver, true);
    if (sender->fault.type != seL4_Fault_NullFault) {
        word_t len = fault_message(sender, receiver, recv_buf);
        receiver->ctx.regs[MSG_INFO_REG] =
            seL4_MessageInfo_new(sender->fault.type, 0, 0, len).words[0];
        receiver->ctx.regs[BADGE_REG] = badge;
        return;
    }
    word_t *send_buf = ipc_buffer_of(sender, false);
    seL4_MessageInfo_t info = msg_info_of(sender->ctx.regs[MSG_INFO_REG]);
    word_t len = seL4_MessageInfo_get_length(info);
    word_t i;
    for (i = 0; i < len && i < seL4_FastMessageRegisters; i++)
        receiver->ctx.regs[msg_regs[i]] = sender->ctx.regs[msg_regs[i]];
    if (send_buf && recv_buf) {
        for (; i < len; i++)
            recv_buf[1 + i] = send_buf[1 + i];
    }
    info = seL4_MessageInfo_set_length(info, i);

    extra_caps_t caps = {EXCEPTION_NONE, 0, 0, {NULL, NULL, NULL}};
    if (can_grant) {
        caps = lookup_extra_caps(sender, send_buf, info);
        if (caps.status != EXCEPTION_NONE)
            caps.count = 0;
    }
    info = transfer_caps(info, &caps, ep, receiver, recv_buf);
    receiver->ctx.regs[MSG_INFO_REG] = info.words[0];
    receiver->ctx.regs[BADGE_REG] = badge;
}
