/* Per-type dispatch: object sizes, creation, finalisation and invocation decoding. */
#pragma once

#include <types.h>
#include <object/structures.h>
#include <object/tcb.h>
#include <sel4/objecttype.h>

word_t frame_size_bits(frame_size_t s);

/* Size in bits of an object of `type` (user_size: CNode radix or Untyped size). */
word_t object_size_bits(seL4_ObjectType type, word_t user_size);

/* Creates one object in memory `paddr` (already zeroed where needed) and returns its cap. */
cap_t object_create(seL4_ObjectType type, paddr_t paddr, word_t user_size, bool device);

/* A cap is being deleted; `final` when it is the last cap to its object. Releases what
 * the object holds (mappings, queued threads, ASIDs...) but never its memory. */
void cap_finalise(cap_t cap, bool final);

/* A TCB's last cap is going: stop the thread and detach it before its slots are emptied. */
void tcb_destroy_prepare(tcb_t *t);

/* Object kinds the invariant checker and kernel reports use. */
const char *cap_type_name(cap_tag_t t);
