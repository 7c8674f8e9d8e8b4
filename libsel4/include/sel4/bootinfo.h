/*
 * The root task's boot information, with seL4's names. The kernel maps one frame holding a
 * seL4_BootInfo into the root task and passes its address in r0 at the first instruction.
 */
#pragma once

#include <sel4/types.h>

/* Caps with fixed slot positions in the root CNode. */
enum {
    seL4_CapNull = 0,
    seL4_CapInitThreadTCB = 1,
    seL4_CapInitThreadCNode = 2,
    seL4_CapInitThreadVSpace = 3,
    seL4_CapIRQControl = 4,
    seL4_CapASIDControl = 5,
    seL4_CapInitThreadASIDPool = 6,
    seL4_CapIOPortControl = 7, /* null on ARM */
    seL4_CapIOSpace = 8,       /* null: no IOMMU */
    seL4_CapBootInfoFrame = 9,
    seL4_CapInitThreadIPCBuffer = 10,
    seL4_CapDomain = 11,         /* null: one domain */
    seL4_CapSMMUSIDControl = 12, /* null */
    seL4_CapSMMUCBControl = 13,  /* null */
    seL4_NumInitialCaps = 14
};

typedef seL4_Word seL4_SlotPos;

/* A range of slots [start, end) in the root CNode. */
typedef struct {
    seL4_SlotPos start;
    seL4_SlotPos end;
} seL4_SlotRegion;

typedef struct {
    seL4_Word paddr;
    seL4_Uint8 sizeBits;
    seL4_Uint8 isDevice;
    seL4_Uint8 padding[sizeof(seL4_Word) - 2 * sizeof(seL4_Uint8)];
} seL4_UntypedDesc;

typedef struct {
    seL4_Word extraLen; /* bytes of extra boot info after this frame */
    seL4_NodeId nodeID;
    seL4_Word numNodes;
    seL4_Word numIOPTLevels;
    seL4_IPCBuffer *ipcBuffer; /* the root task's IPC buffer */
    seL4_SlotRegion empty;     /* free slots in the root CNode */
    seL4_SlotRegion sharedFrames;
    seL4_SlotRegion userImageFrames; /* frames of the root task's image, in address order */
    seL4_SlotRegion userImagePaging; /* its page tables */
    seL4_SlotRegion ioSpaceCaps;
    seL4_SlotRegion extraBIPages;
    seL4_Word initThreadCNodeSizeBits;
    seL4_Domain initThreadDomain;
    seL4_SlotRegion untyped; /* untyped caps, described by untypedList */
    seL4_UntypedDesc untypedList[CONFIG_MAX_NUM_BOOTINFO_UNTYPED_CAPS];
} seL4_BootInfo;

/* Header of each extra boot info chunk (none are produced yet). */
typedef struct {
    seL4_Word id;
    seL4_Word len;
} seL4_BootInfoHeader;

#define seL4_BootInfoFrameBits seL4_PageBits
