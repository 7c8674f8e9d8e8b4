/* Untyped memory: Retype, the only way kernel objects come into being. */
#pragma once

#include <types.h>
#include <api/errors.h>

struct invocation;
exception_t decode_untyped_invocation(struct invocation *inv);
