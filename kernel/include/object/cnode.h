/*
 * CNodes and the capability derivation tree (CDT).
 *
 * All occupied slots form one list in depth-first order of derivation: a cap's
 * descendants follow it. Whether slot b is a child of slot a is decided by comparing them
 * (cap_is_parent_of), so revoke deletes from a's successor onwards while that holds.
 */
#pragma once

#include <types.h>
#include <object/structures.h>
#include <api/errors.h>

typedef struct {
    exception_t status;
    cap_t cap;
} derive_ret_t;

/* Region of memory a cap covers, for Untyped containment and object identity. */
typedef struct {
    paddr_t base;
    word_t size_bits;
} cap_region_t;

bool cap_has_region(cap_t c);
cap_region_t cap_get_region(cap_t c);
bool cap_same_region_as(cap_t a, cap_t b);
bool cap_same_object_as(cap_t a, cap_t b);
bool cap_is_parent_of(const cte_t *a, const cte_t *b);
/* No other slot holds a cap to the same object. */
bool cap_is_final(const cte_t *slot);

/* Inserts `cap` into empty `dest` as a child of `src` in the CDT. */
void cte_insert(cap_t cap, cte_t *src, cte_t *dest);
/* Inserts the first cap to a new object, made by Retype from `untyped`, into empty `dest`:
 * a child of the Untyped and itself revocable, so revoking it deletes every copy. */
void cte_insert_new(cap_t cap, cte_t *untyped, cte_t *dest);
/* Inserts `cap` into empty `dest` as a CDT root (boot, and objects made by Retype go under
 * their untyped with cte_insert). */
void cte_insert_root(cap_t cap, cte_t *dest, bool revocable);
/* Moves the cap in `src` (replaced by `cap`) into empty `dest`, keeping its CDT place. */
void cte_move(cap_t cap, cte_t *src, cte_t *dest);
void cte_swap(cap_t cap1, cte_t *slot1, cap_t cap2, cte_t *slot2);

/* Deletes the cap in `slot`, destroying the object if it was the last cap to it. */
exception_t cte_delete(cte_t *slot);
/* Deletes every CDT descendant of `slot`. */
exception_t cte_revoke(cte_t *slot);
/* Removes a cap with no side effects beyond the CDT (used for caps that hold nothing). */
void cte_clear(cte_t *slot);

exception_t ensure_empty_slot(cte_t *slot);
exception_t ensure_no_children(cte_t *slot);
bool slot_has_children(const cte_t *slot);

derive_ret_t derive_cap(cte_t *slot, cap_t cap);
cap_t update_cap_data(bool preserve, word_t data, cap_t cap);
cap_t mask_cap_rights(word_t rights, cap_t cap);

struct invocation;
exception_t decode_cnode_invocation(struct invocation *inv);
