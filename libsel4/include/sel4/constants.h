/* Sizes and limits of the seL4 user API on ARMv7 (32-bit, non-MCS). */
#pragma once

#define seL4_WordBits           32
#define seL4_WordSizeBits       2
#define seL4_SlotBits           4  /* a CNode slot: 2-word cap + 2-word derivation links */
#define seL4_TCBBits            10 /* 2^9 in seL4; ours holds the full VFP state (d0-d31, FPSCR) */
#define seL4_EndpointBits       4
#define seL4_NotificationBits   4
#define seL4_PageBits           12
#define seL4_LargePageBits      16
#define seL4_SectionBits        20
#define seL4_SuperSectionBits   24
#define seL4_PageTableBits      10
#define seL4_PageTableEntryBits 2
#define seL4_PageTableIndexBits 8
#define seL4_PageDirBits        14
#define seL4_PageDirEntryBits   2
#define seL4_PageDirIndexBits   12
#define seL4_VSpaceBits         seL4_PageDirBits
#define seL4_ASIDPoolBits       12
#define seL4_ASIDPoolIndexBits  10
#define seL4_NumASIDPoolsBits   7
#define seL4_IPCBufferSizeBits  9
#define seL4_MinUntypedBits     4
#define seL4_MaxUntypedBits     29

#define seL4_MsgLengthBits        7
#define seL4_MsgMaxLength         120
#define seL4_MsgExtraCapBits      2
#define seL4_MsgMaxExtraCaps      ((1 << seL4_MsgExtraCapBits) - 1)
#define seL4_FastMessageRegisters 4

#define seL4_MinPrio       0
#define seL4_MaxPrio       255
#define seL4_NumPriorities 256

/* seL4_GuardSizeBits and seL4_GuardBits: layout of CNode cap data (seL4_CNode_CapData). */
#define seL4_GuardSizeBits 5
#define seL4_GuardBits     18
#define seL4_BadgeBits     28

#define seL4_UserTop 0xE0000000u /* first address of the kernel region */

/* The largest untyped list the bootinfo frame holds. */
#define CONFIG_MAX_NUM_BOOTINFO_UNTYPED_CAPS 230

/*
 * Keel: the message-info label a thread finds when a signal on its bound notification,
 * not a message, ended its seL4_Recv (the badge register holds the notification word).
 * seL4 leaves the message info unchanged in that case; Keel makes it unambiguous.
 */
#define seL4_NotificationSignalLabel 0xfffffu
