/* The whole seL4 user API. */
#pragma once

#include <sel4/simple_types.h>
#include <sel4/constants.h>
#include <sel4/errors.h>
#include <sel4/objecttype.h>
#include <sel4/types.h>
#include <sel4/syscall.h>
#include <sel4/bootinfo.h>
#include <sel4/faults.h>
#include <sel4/invocation.h>
#include <sel4/functions.h>
#include <sel4/invocations.h>
#include <sel4/keel.h>
