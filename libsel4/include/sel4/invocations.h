/*
 * Object invocation wrappers with seL4's names and argument orders. Each one places its
 * arguments where sel4/invocation.h says, calls the object, and returns the seL4_Error the
 * kernel put in the reply's label. After a failure, seL4_KeelGetError() tells why.
 */
#pragma once

#include <sel4/functions.h>
#include <sel4/invocation.h>

/* Calls `service` with `label`, `length` message registers and `caps` extra caps already set. */
static inline seL4_Error seL4_Invoke(seL4_CPtr service, seL4_Word label, seL4_Word length,
                                     seL4_Word caps)
{
    seL4_MessageInfo_t info = seL4_MessageInfo_new(label, 0, caps, length);
    return (seL4_Error)seL4_MessageInfo_get_label(seL4_Call(service, info));
}

/* ---- Untyped ---- */
static inline seL4_Error seL4_Untyped_Retype(seL4_Untyped service, seL4_Word type,
                                             seL4_Word size_bits, seL4_CNode root,
                                             seL4_Word node_index, seL4_Word node_depth,
                                             seL4_Word node_offset, seL4_Word num_objects)
{
    seL4_SetMR(UntypedRetype_type, type);
    seL4_SetMR(UntypedRetype_size_bits, size_bits);
    seL4_SetMR(UntypedRetype_node_index, node_index);
    seL4_SetMR(UntypedRetype_node_depth, node_depth);
    seL4_SetMR(UntypedRetype_node_offset, node_offset);
    seL4_SetMR(UntypedRetype_num_objects, num_objects);
    seL4_SetCap(UntypedRetype_rootCap, root);
    return seL4_Invoke(service, UntypedRetype, UntypedRetype_Length, UntypedRetype_ExtraCaps);
}

/* ---- CNode ---- */
static inline seL4_Error seL4_CNode_Revoke(seL4_CNode service, seL4_Word index, seL4_Uint8 depth)
{
    seL4_SetMR(CNodeRevoke_index, index);
    seL4_SetMR(CNodeRevoke_depth, depth);
    return seL4_Invoke(service, CNodeRevoke, CNodeRevoke_Length, 0);
}
static inline seL4_Error seL4_CNode_Delete(seL4_CNode service, seL4_Word index, seL4_Uint8 depth)
{
    seL4_SetMR(CNodeDelete_index, index);
    seL4_SetMR(CNodeDelete_depth, depth);
    return seL4_Invoke(service, CNodeDelete, CNodeDelete_Length, 0);
}
static inline seL4_Error seL4_CNode_CancelBadgedSends(seL4_CNode service, seL4_Word index,
                                                      seL4_Uint8 depth)
{
    seL4_SetMR(CNodeCancelBadgedSends_index, index);
    seL4_SetMR(CNodeCancelBadgedSends_depth, depth);
    return seL4_Invoke(service, CNodeCancelBadgedSends, CNodeCancelBadgedSends_Length, 0);
}
static inline seL4_Error seL4_CNode_SaveCaller(seL4_CNode service, seL4_Word index,
                                               seL4_Uint8 depth)
{
    seL4_SetMR(CNodeSaveCaller_index, index);
    seL4_SetMR(CNodeSaveCaller_depth, depth);
    return seL4_Invoke(service, CNodeSaveCaller, CNodeSaveCaller_Length, 0);
}
static inline seL4_Error seL4_CNode_Copy(seL4_CNode service, seL4_Word dest_index,
                                         seL4_Uint8 dest_depth, seL4_CNode src_root,
                                         seL4_Word src_index, seL4_Uint8 src_depth,
                                         seL4_CapRights_t rights)
{
    seL4_SetMR(CNodeCopy_dest_index, dest_index);
    seL4_SetMR(CNodeCopy_dest_depth, dest_depth);
    seL4_SetMR(CNodeCopy_src_index, src_index);
    seL4_SetMR(CNodeCopy_src_depth, src_depth);
    seL4_SetMR(CNodeCopy_rights, rights.words[0]);
    seL4_SetCap(CNodeCopy_src_rootCap, src_root);
    return seL4_Invoke(service, CNodeCopy, CNodeCopy_Length, CNodeCopy_ExtraCaps);
}
static inline seL4_Error seL4_CNode_Mint(seL4_CNode service, seL4_Word dest_index,
                                         seL4_Uint8 dest_depth, seL4_CNode src_root,
                                         seL4_Word src_index, seL4_Uint8 src_depth,
                                         seL4_CapRights_t rights, seL4_Word badge)
{
    seL4_SetMR(CNodeMint_dest_index, dest_index);
    seL4_SetMR(CNodeMint_dest_depth, dest_depth);
    seL4_SetMR(CNodeMint_src_index, src_index);
    seL4_SetMR(CNodeMint_src_depth, src_depth);
    seL4_SetMR(CNodeMint_rights, rights.words[0]);
    seL4_SetMR(CNodeMint_badge, badge);
    seL4_SetCap(CNodeMint_src_rootCap, src_root);
    return seL4_Invoke(service, CNodeMint, CNodeMint_Length, CNodeMint_ExtraCaps);
}
static inline seL4_Error seL4_CNode_Move(seL4_CNode service, seL4_Word dest_index,
                                         seL4_Uint8 dest_depth, seL4_CNode src_root,
                                         seL4_Word src_index, seL4_Uint8 src_depth)
{
    seL4_SetMR(CNodeMove_dest_index, dest_index);
    seL4_SetMR(CNodeMove_dest_depth, dest_depth);
    seL4_SetMR(CNodeMove_src_index, src_index);
    seL4_SetMR(CNodeMove_src_depth, src_depth);
    seL4_SetCap(CNodeMove_src_rootCap, src_root);
    return seL4_Invoke(service, CNodeMove, CNodeMove_Length, CNodeMove_ExtraCaps);
}
static inline seL4_Error seL4_CNode_Mutate(seL4_CNode service, seL4_Word dest_index,
                                           seL4_Uint8 dest_depth, seL4_CNode src_root,
                                           seL4_Word src_index, seL4_Uint8 src_depth,
                                           seL4_Word badge)
{
    seL4_SetMR(CNodeMutate_dest_index, dest_index);
    seL4_SetMR(CNodeMutate_dest_depth, dest_depth);
    seL4_SetMR(CNodeMutate_src_index, src_index);
    seL4_SetMR(CNodeMutate_src_depth, src_depth);
    seL4_SetMR(CNodeMutate_badge, badge);
    seL4_SetCap(CNodeMutate_src_rootCap, src_root);
    return seL4_Invoke(service, CNodeMutate, CNodeMutate_Length, CNodeMutate_ExtraCaps);
}
static inline seL4_Error seL4_CNode_Rotate(seL4_CNode service, seL4_Word dest_index,
                                           seL4_Uint8 dest_depth, seL4_CNode pivot_root,
                                           seL4_Word pivot_index, seL4_Uint8 pivot_depth,
                                           seL4_Word pivot_badge, seL4_CNode src_root,
                                           seL4_Word src_index, seL4_Uint8 src_depth,
                                           seL4_Word src_badge)
{
    seL4_SetMR(CNodeRotate_dest_index, dest_index);
    seL4_SetMR(CNodeRotate_dest_depth, dest_depth);
    seL4_SetMR(CNodeRotate_pivot_badge, pivot_badge);
    seL4_SetMR(CNodeRotate_pivot_index, pivot_index);
    seL4_SetMR(CNodeRotate_pivot_depth, pivot_depth);
    seL4_SetMR(CNodeRotate_src_badge, src_badge);
    seL4_SetMR(CNodeRotate_src_index, src_index);
    seL4_SetMR(CNodeRotate_src_depth, src_depth);
    seL4_SetCap(CNodeRotate_pivot_rootCap, pivot_root);
    seL4_SetCap(CNodeRotate_src_rootCap, src_root);
    return seL4_Invoke(service, CNodeRotate, CNodeRotate_Length, CNodeRotate_ExtraCaps);
}

/* ---- TCB ---- */
static inline seL4_Error seL4_TCB_Configure(seL4_TCB service, seL4_Word fault_ep,
                                            seL4_CNode cspace_root, seL4_Word cspace_root_data,
                                            seL4_CPtr vspace_root, seL4_Word vspace_root_data,
                                            seL4_Word buffer, seL4_CPtr bufferFrame)
{
    seL4_SetMR(TCBConfigure_fault_ep, fault_ep);
    seL4_SetMR(TCBConfigure_cspace_root_data, cspace_root_data);
    seL4_SetMR(TCBConfigure_vspace_root_data, vspace_root_data);
    seL4_SetMR(TCBConfigure_buffer, buffer);
    seL4_SetCap(TCBConfigure_cspace_rootCap, cspace_root);
    seL4_SetCap(TCBConfigure_vspace_rootCap, vspace_root);
    seL4_SetCap(TCBConfigure_bufferFrameCap, bufferFrame);
    return seL4_Invoke(service, TCBConfigure, TCBConfigure_Length, TCBConfigure_ExtraCaps);
}
static inline seL4_Error seL4_TCB_SetSpace(seL4_TCB service, seL4_Word fault_ep,
                                           seL4_CNode cspace_root, seL4_Word cspace_root_data,
                                           seL4_CPtr vspace_root, seL4_Word vspace_root_data)
{
    seL4_SetMR(TCBSetSpace_fault_ep, fault_ep);
    seL4_SetMR(TCBSetSpace_cspace_root_data, cspace_root_data);
    seL4_SetMR(TCBSetSpace_vspace_root_data, vspace_root_data);
    seL4_SetCap(TCBSetSpace_cspace_rootCap, cspace_root);
    seL4_SetCap(TCBSetSpace_vspace_rootCap, vspace_root);
    return seL4_Invoke(service, TCBSetSpace, TCBSetSpace_Length, TCBSetSpace_ExtraCaps);
}
static inline seL4_Error seL4_TCB_SetIPCBuffer(seL4_TCB service, seL4_Word buffer,
                                               seL4_CPtr bufferFrame)
{
    seL4_SetMR(TCBSetIPCBuffer_buffer, buffer);
    seL4_SetCap(TCBSetIPCBuffer_bufferFrameCap, bufferFrame);
    return seL4_Invoke(service, TCBSetIPCBuffer, TCBSetIPCBuffer_Length, TCBSetIPCBuffer_ExtraCaps);
}
static inline seL4_Error seL4_TCB_SetPriority(seL4_TCB service, seL4_TCB authority,
                                              seL4_Word priority)
{
    seL4_SetMR(TCBSetPriority_priority, priority);
    seL4_SetCap(TCBSetPriority_authorityCap, authority);
    return seL4_Invoke(service, TCBSetPriority, TCBSetPriority_Length, TCBSetPriority_ExtraCaps);
}
static inline seL4_Error seL4_TCB_SetMCPriority(seL4_TCB service, seL4_TCB authority, seL4_Word mcp)
{
    seL4_SetMR(TCBSetMCPriority_mcp, mcp);
    seL4_SetCap(TCBSetMCPriority_authorityCap, authority);
    return seL4_Invoke(service, TCBSetMCPriority, TCBSetMCPriority_Length,
                       TCBSetMCPriority_ExtraCaps);
}
static inline seL4_Error seL4_TCB_SetSchedParams(seL4_TCB service, seL4_TCB authority,
                                                 seL4_Word mcp, seL4_Word priority)
{
    seL4_SetMR(TCBSetSchedParams_mcp, mcp);
    seL4_SetMR(TCBSetSchedParams_priority, priority);
    seL4_SetCap(TCBSetSchedParams_authorityCap, authority);
    return seL4_Invoke(service, TCBSetSchedParams, TCBSetSchedParams_Length,
                       TCBSetSchedParams_ExtraCaps);
}
static inline seL4_Error seL4_TCB_Suspend(seL4_TCB service)
{
    return seL4_Invoke(service, TCBSuspend, 0, 0);
}
static inline seL4_Error seL4_TCB_Resume(seL4_TCB service)
{
    return seL4_Invoke(service, TCBResume, 0, 0);
}
static inline seL4_Error seL4_TCB_BindNotification(seL4_TCB service, seL4_CPtr notification)
{
    seL4_SetCap(TCBBindNotification_notificationCap, notification);
    return seL4_Invoke(service, TCBBindNotification, 0, TCBBindNotification_ExtraCaps);
}
static inline seL4_Error seL4_TCB_UnbindNotification(seL4_TCB service)
{
    return seL4_Invoke(service, TCBUnbindNotification, 0, 0);
}
static inline seL4_Error seL4_TCB_SetTLSBase(seL4_TCB service, seL4_Word tls_base)
{
    seL4_SetMR(TCBSetTLSBase_tls_base, tls_base);
    return seL4_Invoke(service, TCBSetTLSBase, TCBSetTLSBase_Length, 0);
}
static inline seL4_Error seL4_TCB_WriteRegisters(seL4_TCB service, seL4_Bool resume_target,
                                                 seL4_Uint8 arch_flags, seL4_Word count,
                                                 seL4_UserContext *regs)
{
    const seL4_Word *w = (const seL4_Word *)regs;
    seL4_SetMR(TCBWriteRegisters_flags, (resume_target & 1u) | ((seL4_Word)arch_flags << 8));
    seL4_SetMR(TCBWriteRegisters_count, count);
    for (seL4_Word i = 0; i < count && i < sizeof(*regs) / sizeof(seL4_Word); i++)
        seL4_SetMR(TCBWriteRegisters_regs + i, w[i]);
    return seL4_Invoke(service, TCBWriteRegisters, TCBWriteRegisters_regs + count, 0);
}
static inline seL4_Error seL4_TCB_ReadRegisters(seL4_TCB service, seL4_Bool suspend_source,
                                                seL4_Uint8 arch_flags, seL4_Word count,
                                                seL4_UserContext *regs)
{
    seL4_SetMR(TCBReadRegisters_flags, (suspend_source & 1u) | ((seL4_Word)arch_flags << 8));
    seL4_SetMR(TCBReadRegisters_count, count);
    seL4_Error err = seL4_Invoke(service, TCBReadRegisters, TCBReadRegisters_Length, 0);
    if (err == seL4_NoError) {
        seL4_Word *w = (seL4_Word *)regs;
        for (seL4_Word i = 0; i < count && i < sizeof(*regs) / sizeof(seL4_Word); i++)
            w[i] = seL4_GetMR(i);
    }
    return err;
}
static inline seL4_Error seL4_TCB_CopyRegisters(seL4_TCB service, seL4_TCB source,
                                                seL4_Bool suspend_source, seL4_Bool resume_target,
                                                seL4_Bool transfer_frame,
                                                seL4_Bool transfer_integer, seL4_Uint8 arch_flags)
{
    seL4_SetMR(TCBCopyRegisters_flags,
               (suspend_source & 1u) | ((resume_target & 1u) << 1) | ((transfer_frame & 1u) << 2) |
                   ((transfer_integer & 1u) << 3) | ((seL4_Word)arch_flags << 8));
    seL4_SetCap(TCBCopyRegisters_sourceCap, source);
    return seL4_Invoke(service, TCBCopyRegisters, TCBCopyRegisters_Length,
                       TCBCopyRegisters_ExtraCaps);
}

/* ---- IRQ ---- */
static inline seL4_Error seL4_IRQControl_Get(seL4_IRQControl service, seL4_Word irq,
                                             seL4_CNode root, seL4_Word index, seL4_Uint8 depth)
{
    seL4_SetMR(IRQIssueIRQHandler_irq, irq);
    seL4_SetMR(IRQIssueIRQHandler_index, index);
    seL4_SetMR(IRQIssueIRQHandler_depth, depth);
    seL4_SetCap(IRQIssueIRQHandler_rootCap, root);
    return seL4_Invoke(service, IRQIssueIRQHandler, IRQIssueIRQHandler_Length,
                       IRQIssueIRQHandler_ExtraCaps);
}
static inline seL4_Error seL4_IRQControl_GetTrigger(seL4_IRQControl service, seL4_Word irq,
                                                    seL4_Word trigger, seL4_CNode root,
                                                    seL4_Word index, seL4_Uint8 depth)
{
    seL4_SetMR(ARMIRQIssueIRQHandlerTrigger_irq, irq);
    seL4_SetMR(ARMIRQIssueIRQHandlerTrigger_trigger, trigger);
    seL4_SetMR(ARMIRQIssueIRQHandlerTrigger_index, index);
    seL4_SetMR(ARMIRQIssueIRQHandlerTrigger_depth, depth);
    seL4_SetCap(ARMIRQIssueIRQHandlerTrigger_rootCap, root);
    return seL4_Invoke(service, ARMIRQIssueIRQHandlerTrigger, ARMIRQIssueIRQHandlerTrigger_Length,
                       ARMIRQIssueIRQHandlerTrigger_ExtraCaps);
}
static inline seL4_Error seL4_IRQHandler_Ack(seL4_IRQHandler service)
{
    return seL4_Invoke(service, IRQAckIRQ, 0, 0);
}
static inline seL4_Error seL4_IRQHandler_SetNotification(seL4_IRQHandler service,
                                                         seL4_CPtr notification)
{
    seL4_SetCap(IRQSetIRQHandler_notificationCap, notification);
    return seL4_Invoke(service, IRQSetIRQHandler, 0, IRQSetIRQHandler_ExtraCaps);
}
static inline seL4_Error seL4_IRQHandler_Clear(seL4_IRQHandler service)
{
    return seL4_Invoke(service, IRQClearIRQHandler, 0, 0);
}

/* ---- ARM VSpace ---- */
static inline seL4_Error seL4_ARM_PageTable_Map(seL4_ARM_PageTable service, seL4_CPtr pd,
                                                seL4_Word vaddr, seL4_ARM_VMAttributes attr)
{
    seL4_SetMR(ARMPageTableMap_vaddr, vaddr);
    seL4_SetMR(ARMPageTableMap_attr, attr);
    seL4_SetCap(ARMPageTableMap_pdCap, pd);
    return seL4_Invoke(service, ARMPageTableMap, ARMPageTableMap_Length, ARMPageTableMap_ExtraCaps);
}
static inline seL4_Error seL4_ARM_PageTable_Unmap(seL4_ARM_PageTable service)
{
    return seL4_Invoke(service, ARMPageTableUnmap, 0, 0);
}
static inline seL4_Error seL4_ARM_Page_Map(seL4_ARM_Page service, seL4_CPtr pd, seL4_Word vaddr,
                                           seL4_CapRights_t rights, seL4_ARM_VMAttributes attr)
{
    seL4_SetMR(ARMPageMap_vaddr, vaddr);
    seL4_SetMR(ARMPageMap_rights, rights.words[0]);
    seL4_SetMR(ARMPageMap_attr, attr);
    seL4_SetCap(ARMPageMap_pdCap, pd);
    return seL4_Invoke(service, ARMPageMap, ARMPageMap_Length, ARMPageMap_ExtraCaps);
}
static inline seL4_Error seL4_ARM_Page_Unmap(seL4_ARM_Page service)
{
    return seL4_Invoke(service, ARMPageUnmap, 0, 0);
}

typedef struct {
    int error;
    seL4_Word paddr;
} seL4_ARM_Page_GetAddress_t;

static inline seL4_ARM_Page_GetAddress_t seL4_ARM_Page_GetAddress(seL4_ARM_Page service)
{
    seL4_ARM_Page_GetAddress_t r;
    r.error = seL4_Invoke(service, ARMPageGetAddress, 0, 0);
    r.paddr = seL4_GetMR(0);
    return r;
}

static inline seL4_Error seL4_ARM_CacheOp(seL4_CPtr service, seL4_Word label, seL4_Word start,
                                          seL4_Word end)
{
    seL4_SetMR(ARMCacheOp_start, start);
    seL4_SetMR(ARMCacheOp_end, end);
    return seL4_Invoke(service, label, ARMCacheOp_Length, 0);
}
static inline seL4_Error seL4_ARM_Page_Clean_Data(seL4_ARM_Page s, seL4_Word a, seL4_Word b)
{
    return seL4_ARM_CacheOp(s, ARMPageClean_Data, a, b);
}
static inline seL4_Error seL4_ARM_Page_Invalidate_Data(seL4_ARM_Page s, seL4_Word a, seL4_Word b)
{
    return seL4_ARM_CacheOp(s, ARMPageInvalidate_Data, a, b);
}
static inline seL4_Error seL4_ARM_Page_CleanInvalidate_Data(seL4_ARM_Page s, seL4_Word a,
                                                            seL4_Word b)
{
    return seL4_ARM_CacheOp(s, ARMPageCleanInvalidate_Data, a, b);
}
static inline seL4_Error seL4_ARM_Page_Unify_Instruction(seL4_ARM_Page s, seL4_Word a, seL4_Word b)
{
    return seL4_ARM_CacheOp(s, ARMPageUnify_Instruction, a, b);
}
static inline seL4_Error seL4_ARM_PageDirectory_Clean_Data(seL4_ARM_PageDirectory s, seL4_Word a,
                                                           seL4_Word b)
{
    return seL4_ARM_CacheOp(s, ARMPDClean_Data, a, b);
}
static inline seL4_Error seL4_ARM_PageDirectory_Invalidate_Data(seL4_ARM_PageDirectory s,
                                                                seL4_Word a, seL4_Word b)
{
    return seL4_ARM_CacheOp(s, ARMPDInvalidate_Data, a, b);
}
static inline seL4_Error seL4_ARM_PageDirectory_CleanInvalidate_Data(seL4_ARM_PageDirectory s,
                                                                     seL4_Word a, seL4_Word b)
{
    return seL4_ARM_CacheOp(s, ARMPDCleanInvalidate_Data, a, b);
}
static inline seL4_Error seL4_ARM_PageDirectory_Unify_Instruction(seL4_ARM_PageDirectory s,
                                                                  seL4_Word a, seL4_Word b)
{
    return seL4_ARM_CacheOp(s, ARMPDUnify_Instruction, a, b);
}
static inline seL4_Error seL4_ARM_ASIDControl_MakePool(seL4_ARM_ASIDControl service,
                                                       seL4_Untyped untyped, seL4_CNode root,
                                                       seL4_Word index, seL4_Uint8 depth)
{
    seL4_SetMR(ARMASIDControlMakePool_index, index);
    seL4_SetMR(ARMASIDControlMakePool_depth, depth);
    seL4_SetCap(ARMASIDControlMakePool_untypedCap, untyped);
    seL4_SetCap(ARMASIDControlMakePool_rootCap, root);
    return seL4_Invoke(service, ARMASIDControlMakePool, ARMASIDControlMakePool_Length,
                       ARMASIDControlMakePool_ExtraCaps);
}
static inline seL4_Error seL4_ARM_ASIDPool_Assign(seL4_ARM_ASIDPool service, seL4_CPtr pd)
{
    seL4_SetCap(ARMASIDPoolAssign_pdCap, pd);
    return seL4_Invoke(service, ARMASIDPoolAssign, 0, ARMASIDPoolAssign_ExtraCaps);
}
