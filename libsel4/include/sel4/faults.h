/*
 * Fault messages (ARMv7). A fault arrives at the handler's endpoint as a Call whose label
 * is the fault type and whose message registers follow these layouts, exactly seL4's.
 * Replying to an UnknownSyscall or UserException fault writes the reply's words back
 * into the registers of the layout; label 0 then restarts the thread, any other label
 * leaves it suspended. A reply to a CapFault or VMFault always restarts the thread (its
 * content is ignored), as in seL4.
 */
#pragma once

typedef enum {
    seL4_Fault_NullFault = 0,
    seL4_Fault_CapFault = 1,
    seL4_Fault_UnknownSyscall = 2,
    seL4_Fault_UserException = 3,
    seL4_Fault_VMFault = 5,
} seL4_FaultType;

enum {
    seL4_VMFault_IP,
    seL4_VMFault_Addr,
    seL4_VMFault_PrefetchFault,
    seL4_VMFault_FSR,
    seL4_VMFault_Length,
};

enum {
    seL4_UnknownSyscall_R0,
    seL4_UnknownSyscall_R1,
    seL4_UnknownSyscall_R2,
    seL4_UnknownSyscall_R3,
    seL4_UnknownSyscall_R4,
    seL4_UnknownSyscall_R5,
    seL4_UnknownSyscall_R6,
    seL4_UnknownSyscall_R7,
    seL4_UnknownSyscall_FaultIP,
    seL4_UnknownSyscall_SP,
    seL4_UnknownSyscall_LR,
    seL4_UnknownSyscall_CPSR,
    seL4_UnknownSyscall_Syscall,
    seL4_UnknownSyscall_Length,
};

enum {
    seL4_UserException_FaultIP,
    seL4_UserException_SP,
    seL4_UserException_CPSR,
    seL4_UserException_Number,
    seL4_UserException_Code,
    seL4_UserException_Length,
};

/* A CapFault message ends with the last word its lookup failure defines: 4 words for
 * InvalidRoot, 5 for MissingCapability, 6 for DepthMismatch, 7 for GuardMismatch. */
enum {
    seL4_CapFault_IP,
    seL4_CapFault_Addr,
    seL4_CapFault_InRecvPhase,
    seL4_CapFault_LookupFailureType,
    seL4_CapFault_BitsLeft,
    seL4_CapFault_DepthMismatch_BitsFound,
    seL4_CapFault_GuardMismatch_GuardFound = seL4_CapFault_DepthMismatch_BitsFound,
    seL4_CapFault_GuardMismatch_BitsFound,
    seL4_CapFault_Length,
};

/* UserException numbers (Keel): what the kernel saw. Code carries the detail. */
enum {
    seL4_UserException_UndefinedInstruction = 0, /* Code: the instruction word (or halfword) */
    seL4_UserException_AlignmentFault = 1,       /* Code: the fault status (DFSR) */
};
