/* Kernel object types accepted by seL4_Untyped_Retype (ARMv7, non-MCS numbering). */
#pragma once

typedef enum {
    seL4_UntypedObject = 0,
    seL4_TCBObject,
    seL4_EndpointObject,
    seL4_NotificationObject,
    seL4_CapTableObject,
    seL4_ARM_SmallPageObject,
    seL4_ARM_LargePageObject,
    seL4_ARM_SectionObject,
    seL4_ARM_SuperSectionObject,
    seL4_ARM_PageTableObject,
    seL4_ARM_PageDirectoryObject,
    seL4_ObjectTypeCount
} seL4_ObjectType;

typedef seL4_ObjectType seL4_ArchObjectType;
#define seL4_NonArchObjectTypeCount seL4_ARM_SmallPageObject
