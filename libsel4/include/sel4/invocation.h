/*
 * Invocation labels and argument layouts: the one definition that the user-side wrappers
 * (sel4/invocations.h) and the kernel's decoders (kernel/src/object/ *.c) both use.
 *
 * For each invocation, <Name>_<arg> is the message register holding that argument,
 * <Name>_Length the minimum message length, <Name>_<cap>Cap the extra-cap index of each
 * cap argument and <Name>_ExtraCaps the number of extra caps the kernel requires.
 */
#pragma once

/* Labels, in seL4's order (non-MCS, ARMv7). */
#define SEL4_INVOCATION_LABELS(X)                                                                  \
    X(InvalidInvocation)                                                                           \
    X(UntypedRetype)                                                                               \
    X(TCBReadRegisters)                                                                            \
    X(TCBWriteRegisters)                                                                           \
    X(TCBCopyRegisters)                                                                            \
    X(TCBConfigure)                                                                                \
    X(TCBSetPriority)                                                                              \
    X(TCBSetMCPriority)                                                                            \
    X(TCBSetSchedParams)                                                                           \
    X(TCBSetIPCBuffer)                                                                             \
    X(TCBSetSpace)                                                                                 \
    X(TCBSuspend)                                                                                  \
    X(TCBResume)                                                                                   \
    X(TCBBindNotification)                                                                         \
    X(TCBUnbindNotification)                                                                       \
    X(TCBSetTLSBase)                                                                               \
    X(CNodeRevoke)                                                                                 \
    X(CNodeDelete)                                                                                 \
    X(CNodeCancelBadgedSends)                                                                      \
    X(CNodeCopy)                                                                                   \
    X(CNodeMint)                                                                                   \
    X(CNodeMove)                                                                                   \
    X(CNodeMutate)                                                                                 \
    X(CNodeRotate)                                                                                 \
    X(CNodeSaveCaller)                                                                             \
    X(IRQIssueIRQHandler)                                                                          \
    X(IRQAckIRQ)                                                                                   \
    X(IRQSetIRQHandler)                                                                            \
    X(IRQClearIRQHandler)                                                                          \
    X(DomainSetSet)                                                                                \
    X(ARMPDClean_Data)                                                                             \
    X(ARMPDInvalidate_Data)                                                                        \
    X(ARMPDCleanInvalidate_Data)                                                                   \
    X(ARMPDUnify_Instruction)                                                                      \
    X(ARMPageTableMap)                                                                             \
    X(ARMPageTableUnmap)                                                                           \
    X(ARMPageMap)                                                                                  \
    X(ARMPageUnmap)                                                                                \
    X(ARMPageClean_Data)                                                                           \
    X(ARMPageInvalidate_Data)                                                                      \
    X(ARMPageCleanInvalidate_Data)                                                                 \
    X(ARMPageUnify_Instruction)                                                                    \
    X(ARMPageGetAddress)                                                                           \
    X(ARMASIDControlMakePool)                                                                      \
    X(ARMASIDPoolAssign)                                                                           \
    X(ARMIRQIssueIRQHandlerTrigger)

#define SEL4_LABEL_ENUM(name) name,
typedef enum { SEL4_INVOCATION_LABELS(SEL4_LABEL_ENUM) nInvocationLabels } invocation_label;
#undef SEL4_LABEL_ENUM

/* ---- Untyped ---- */
enum {
    UntypedRetype_type,
    UntypedRetype_size_bits,
    UntypedRetype_node_index,
    UntypedRetype_node_depth,
    UntypedRetype_node_offset,
    UntypedRetype_num_objects,
    UntypedRetype_Length,
    UntypedRetype_rootCap = 0,
    UntypedRetype_ExtraCaps = 1
};

/* ---- TCB ---- */
enum {
    TCBReadRegisters_flags, /* bit 0: suspend_source; bits 8+: arch_flags */
    TCBReadRegisters_count,
    TCBReadRegisters_Length
};
enum {
    TCBWriteRegisters_flags, /* bit 0: resume_target; bits 8+: arch_flags */
    TCBWriteRegisters_count,
    TCBWriteRegisters_regs, /* first of `count` registers, seL4_UserContext order */
    TCBWriteRegisters_Length = TCBWriteRegisters_regs
};
enum {
    /* bit 0 suspend_source, 1 resume_target, 2 transfer_frame, 3 transfer_integer, 8+ arch */
    TCBCopyRegisters_flags,
    TCBCopyRegisters_Length,
    TCBCopyRegisters_sourceCap = 0,
    TCBCopyRegisters_ExtraCaps = 1
};
enum {
    TCBConfigure_fault_ep,
    TCBConfigure_cspace_root_data,
    TCBConfigure_vspace_root_data,
    TCBConfigure_buffer,
    TCBConfigure_Length,
    TCBConfigure_cspace_rootCap = 0,
    TCBConfigure_vspace_rootCap = 1,
    TCBConfigure_bufferFrameCap = 2,
    TCBConfigure_ExtraCaps = 3
};
enum {
    TCBSetPriority_priority,
    TCBSetPriority_Length,
    TCBSetPriority_authorityCap = 0,
    TCBSetPriority_ExtraCaps = 1
};
enum {
    TCBSetMCPriority_mcp,
    TCBSetMCPriority_Length,
    TCBSetMCPriority_authorityCap = 0,
    TCBSetMCPriority_ExtraCaps = 1
};
enum {
    TCBSetSchedParams_mcp,
    TCBSetSchedParams_priority,
    TCBSetSchedParams_Length,
    TCBSetSchedParams_authorityCap = 0,
    TCBSetSchedParams_ExtraCaps = 1
};
enum {
    TCBSetIPCBuffer_buffer,
    TCBSetIPCBuffer_Length,
    TCBSetIPCBuffer_bufferFrameCap = 0,
    TCBSetIPCBuffer_ExtraCaps = 1 /* a null cap in slot 0 of the path clears the buffer */
};
enum {
    TCBSetSpace_fault_ep,
    TCBSetSpace_cspace_root_data,
    TCBSetSpace_vspace_root_data,
    TCBSetSpace_Length,
    TCBSetSpace_cspace_rootCap = 0,
    TCBSetSpace_vspace_rootCap = 1,
    TCBSetSpace_ExtraCaps = 2
};
enum { TCBBindNotification_notificationCap = 0, TCBBindNotification_ExtraCaps = 1 };
enum { TCBSetTLSBase_tls_base, TCBSetTLSBase_Length };

/* ---- CNode ---- */
enum { CNodeRevoke_index, CNodeRevoke_depth, CNodeRevoke_Length };
enum { CNodeDelete_index, CNodeDelete_depth, CNodeDelete_Length };
enum { CNodeCancelBadgedSends_index, CNodeCancelBadgedSends_depth, CNodeCancelBadgedSends_Length };
enum { CNodeSaveCaller_index, CNodeSaveCaller_depth, CNodeSaveCaller_Length };
enum {
    CNodeCopy_dest_index,
    CNodeCopy_dest_depth,
    CNodeCopy_src_index,
    CNodeCopy_src_depth,
    CNodeCopy_rights,
    CNodeCopy_Length,
    CNodeCopy_src_rootCap = 0,
    CNodeCopy_ExtraCaps = 1
};
enum {
    CNodeMint_dest_index,
    CNodeMint_dest_depth,
    CNodeMint_src_index,
    CNodeMint_src_depth,
    CNodeMint_rights,
    CNodeMint_badge,
    CNodeMint_Length,
    CNodeMint_src_rootCap = 0,
    CNodeMint_ExtraCaps = 1
};
enum {
    CNodeMove_dest_index,
    CNodeMove_dest_depth,
    CNodeMove_src_index,
    CNodeMove_src_depth,
    CNodeMove_Length,
    CNodeMove_src_rootCap = 0,
    CNodeMove_ExtraCaps = 1
};
enum {
    CNodeMutate_dest_index,
    CNodeMutate_dest_depth,
    CNodeMutate_src_index,
    CNodeMutate_src_depth,
    CNodeMutate_badge,
    CNodeMutate_Length,
    CNodeMutate_src_rootCap = 0,
    CNodeMutate_ExtraCaps = 1
};
enum {
    CNodeRotate_dest_index,
    CNodeRotate_dest_depth,
    CNodeRotate_pivot_badge,
    CNodeRotate_pivot_index,
    CNodeRotate_pivot_depth,
    CNodeRotate_src_badge,
    CNodeRotate_src_index,
    CNodeRotate_src_depth,
    CNodeRotate_Length,
    CNodeRotate_pivot_rootCap = 0,
    CNodeRotate_src_rootCap = 1,
    CNodeRotate_ExtraCaps = 2
};

/* ---- IRQ ---- */
enum {
    IRQIssueIRQHandler_irq,
    IRQIssueIRQHandler_index,
    IRQIssueIRQHandler_depth,
    IRQIssueIRQHandler_Length,
    IRQIssueIRQHandler_rootCap = 0,
    IRQIssueIRQHandler_ExtraCaps = 1
};
enum {
    ARMIRQIssueIRQHandlerTrigger_irq,
    ARMIRQIssueIRQHandlerTrigger_trigger,
    ARMIRQIssueIRQHandlerTrigger_index,
    ARMIRQIssueIRQHandlerTrigger_depth,
    ARMIRQIssueIRQHandlerTrigger_Length,
    ARMIRQIssueIRQHandlerTrigger_rootCap = 0,
    ARMIRQIssueIRQHandlerTrigger_ExtraCaps = 1
};
enum { IRQSetIRQHandler_notificationCap = 0, IRQSetIRQHandler_ExtraCaps = 1 };

/* ---- ARM VSpace ---- */
enum {
    ARMPageTableMap_vaddr,
    ARMPageTableMap_attr,
    ARMPageTableMap_Length,
    ARMPageTableMap_pdCap = 0,
    ARMPageTableMap_ExtraCaps = 1
};
enum {
    ARMPageMap_vaddr,
    ARMPageMap_rights,
    ARMPageMap_attr,
    ARMPageMap_Length,
    ARMPageMap_pdCap = 0,
    ARMPageMap_ExtraCaps = 1
};
/* Page and PageDirectory cache operations: [start, end) offsets or addresses. */
enum { ARMCacheOp_start, ARMCacheOp_end, ARMCacheOp_Length };
enum {
    ARMASIDControlMakePool_index,
    ARMASIDControlMakePool_depth,
    ARMASIDControlMakePool_Length,
    ARMASIDControlMakePool_untypedCap = 0,
    ARMASIDControlMakePool_rootCap = 1,
    ARMASIDControlMakePool_ExtraCaps = 2
};
enum { ARMASIDPoolAssign_pdCap = 0, ARMASIDPoolAssign_ExtraCaps = 1 };
