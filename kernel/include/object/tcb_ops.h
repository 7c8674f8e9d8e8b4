/* TCB invocations. */
#pragma once

#include <types.h>
#include <api/errors.h>

struct invocation;
exception_t decode_tcb_invocation(struct invocation *inv);
