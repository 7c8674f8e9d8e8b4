/* Invocations on ARM VSpace objects: frames, page tables, page directories, ASIDs. */
#pragma once

#include <types.h>
#include <object/structures.h>
#include <api/errors.h>

struct invocation;
exception_t decode_frame_invocation(struct invocation *inv);
exception_t decode_page_table_invocation(struct invocation *inv);
exception_t decode_page_directory_invocation(struct invocation *inv);
exception_t decode_asid_control_invocation(struct invocation *inv);
exception_t decode_asid_pool_invocation(struct invocation *inv);

/* Finalisation of VSpace objects (called when the last cap goes). */
void frame_unmap_cap(cap_t frame);
void page_table_unmap_cap(cap_t pt);
void page_directory_delete_asid(cap_t pd);
void asid_pool_delete(cap_t pool);
