/* Per-type dispatch: sizes, creation, finalisation and the invocation switch. */
#include <object/objecttype.h>
#include <object/cnode.h>
#include <object/untyped.h>
#include <object/endpoint.h>
#include <object/notification.h>
#include <object/reply.h>
#include <object/irq.h>
#include <object/tcb_ops.h>
#include <object/vspace_objects.h>
#include <kernel/thread.h>
#include <kernel/vfp.h>
#include <kernel/panic.h>
#include <api/invocation.h>
#include <arch/arm/vspace.h>
#include <arch/arm/machine.h>
#include <arch/arm/layout.h>
#include <sel4/constants.h>

word_t frame_size_bits(frame_size_t s)
{
    static const word_t bits[] = {seL4_PageBits, seL4_LargePageBits, seL4_SectionBits,
                                  seL4_SuperSectionBits};
    return bits[s];
}

word_t object_size_bits(seL4_ObjectType type, word_t user_size)
{
    switch (type) {
    case seL4_UntypedObject:
        return user_size;
    case seL4_TCBObject:
        return seL4_TCBBits;
    case seL4_EndpointObject:
        return seL4_EndpointBits;
    case seL4_NotificationObject:
        return seL4_NotificationBits;
    case seL4_CapTableObject:
        return user_size + seL4_SlotBits;
    case seL4_ARM_SmallPageObject:
        return seL4_PageBits;
    case seL4_ARM_LargePageObject:
        return seL4_LargePageBits;
    case seL4_ARM_SectionObject:
        return seL4_SectionBits;
    case seL4_ARM_SuperSectionObject:
        return seL4_SuperSectionBits;
    case seL4_ARM_PageTableObject:
        return seL4_PageTableBits;
    case seL4_ARM_PageDirectoryObject:
        return seL4_PageDirBits;
    default:
        return 0;
    }
}

static void tcb_init(tcb_t *t)
{
    t->ctx.regs[CPSR] = CPSR_MODE_USR;
    t->timeslice = CONFIG_TIMESLICE_TICKS;
    t->state = thread_inactive;
    cte_insert_root(cap_reply_cap_new((pptr_t)t, true, true), &t->slots[tcb_reply_slot], true);
}

cap_t object_create(seL4_ObjectType type, paddr_t paddr, word_t user_size, bool device)
{
    pptr_t p = ptr_from_paddr(paddr);
    switch (type) {
    case seL4_UntypedObject:
        return cap_untyped_cap_new(paddr, user_size, device, 0);
    case seL4_TCBObject:
        tcb_init((tcb_t *)p);
        return cap_thread_cap_new(p);
    case seL4_EndpointObject:
        return cap_endpoint_cap_new(p, 0, CAP_RIGHTS_ALL);
    case seL4_NotificationObject:
        return cap_notification_cap_new(p, 0, CAP_RIGHTS_ALL);
    case seL4_CapTableObject:
        return cap_cnode_cap_new(p, user_size, 0, 0);
    case seL4_ARM_SmallPageObject:
        return cap_frame_cap_new(paddr, frame_small, VM_READ_WRITE, device, 0, 0);
    case seL4_ARM_LargePageObject:
        return cap_frame_cap_new(paddr, frame_large, VM_READ_WRITE, device, 0, 0);
    case seL4_ARM_SectionObject:
        return cap_frame_cap_new(paddr, frame_section, VM_READ_WRITE, device, 0, 0);
    case seL4_ARM_SuperSectionObject:
        return cap_frame_cap_new(paddr, frame_super, VM_READ_WRITE, device, 0, 0);
    case seL4_ARM_PageTableObject:
        clean_to_pou((void *)p, BIT(seL4_PageTableBits));
        return cap_page_table_cap_new(p, 0, 0);
    case seL4_ARM_PageDirectoryObject:
        vspace_init_pd((pde_t *)p);
        return cap_page_directory_cap_new(p, 0);
    default:
        return cap_null_cap_new();
    }
}

void tcb_destroy_prepare(tcb_t *t)
{
    thread_suspend(t);
    notification_unbind(t);
    vfp_forget(t);
    /* Reply caps that name this thread die with it. */
    cte_revoke(&t->slots[tcb_reply_slot]);
}

void cap_finalise(cap_t cap, bool final)
{
    switch (cap_get_type(cap)) {
    case cap_endpoint_cap:
        if (final)
            endpoint_cancel_all((endpoint_t *)cap_get_pptr(cap));
        break;
    case cap_notification_cap:
        if (final) {
            notification_t *n = (notification_t *)cap_get_pptr(cap);
            if (n->bound_tcb)
                notification_unbind(n->bound_tcb);
            notification_cancel_all(n);
        }
        break;
    case cap_irq_handler_cap:
        if (final)
            irq_handler_clear(cap_irq_handler_get_irq(cap));
        break;
    case cap_frame_cap:
        if (cap_frame_get_asid(cap) != 0)
            frame_unmap_cap(cap);
        break;
    case cap_page_table_cap:
        if (final && cap_page_table_get_asid(cap) != 0)
            page_table_unmap_cap(cap);
        break;
    case cap_page_directory_cap:
        if (final && cap_page_directory_get_asid(cap) != 0)
            page_directory_delete_asid(cap);
        break;
    case cap_asid_pool_cap:
        if (final)
            asid_pool_delete(cap);
        break;
    default:
        break;
    }
}

static exception_t invoke_endpoint(invocation_t *inv, bool is_blocking)
{
    word_t rights = cap_ep_get_rights(inv->cap);
    if (!(rights & CAP_RIGHT_WRITE))
        return err_invalid_capability(0, ERRMSG("the endpoint cap has no write (send) right"));
    endpoint_send(inv->thread, (endpoint_t *)cap_get_pptr(inv->cap), cap_ep_get_badge(inv->cap),
                  rights & CAP_RIGHT_GRANT, rights & CAP_RIGHT_GRANT_REPLY, is_blocking,
                  inv->is_call);
    return EXCEPTION_NONE;
}

exception_t decode_invocation(invocation_t *inv)
{
    switch (cap_get_type(inv->cap)) {
    case cap_endpoint_cap:
        return invoke_endpoint(inv, inv->is_blocking);
    case cap_notification_cap:
        if (!(cap_ep_get_rights(inv->cap) & CAP_RIGHT_WRITE))
            return err_invalid_capability(0, ERRMSG("the notification cap has no write right"));
        notification_signal((notification_t *)cap_get_pptr(inv->cap), cap_ep_get_badge(inv->cap));
        return EXCEPTION_NONE;
    case cap_reply_cap:
        if (cap_reply_get_master(inv->cap))
            return err_invalid_capability(0, ERRMSG("a master reply cap cannot be invoked"));
        reply_do(inv->thread, inv->slot);
        return EXCEPTION_NONE;
    case cap_thread_cap:
        return decode_tcb_invocation(inv);
    case cap_cnode_cap:
        return decode_cnode_invocation(inv);
    case cap_untyped_cap:
        return decode_untyped_invocation(inv);
    case cap_irq_control_cap:
        return decode_irq_control_invocation(inv);
    case cap_irq_handler_cap:
        return decode_irq_handler_invocation(inv);
    case cap_frame_cap:
        return decode_frame_invocation(inv);
    case cap_page_table_cap:
        return decode_page_table_invocation(inv);
    case cap_page_directory_cap:
        return decode_page_directory_invocation(inv);
    case cap_asid_control_cap:
        return decode_asid_control_invocation(inv);
    case cap_asid_pool_cap:
        return decode_asid_pool_invocation(inv);
    default:
        return err_invalid_capability(0, ERRMSG("the cap cannot be invoked (null or zombie)"));
    }
}

const char *cap_type_name(cap_tag_t t)
{
    static const char *const names[] = {
        "null",  "untyped",    "endpoint",       "notification", "reply",
        "cnode", "thread",     "irq_control",    "irq_handler",  "zombie",
        "frame", "page_table", "page_directory", "asid_control", "asid_pool",
    };
    return (word_t)t < ARRAY_SIZE(names) ? names[t] : "?";
}
