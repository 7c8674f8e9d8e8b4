/* Recording user-visible errors (see api/errors.h). */
#include <api/errors.h>
#include <kernel/thread.h>
#include <kernel/printf.h>

lookup_fault_t current_lookup_fault;

static const char *const error_names[seL4_NumErrors] = {
    "NoError",     "InvalidArgument", "InvalidCapability", "IllegalOperation",
    "RangeError",  "AlignmentError",  "FailedLookup",      "TruncatedMessage",
    "DeleteFirst", "RevokeFirst",     "NotEnoughMemory",
};

static exception_t record(syscall_error_detail_t d, const char *msg)
{
    d.message = msg;
    cur_thread->error = d;
#ifdef CONFIG_DEBUG
    kprintf("<<%s: %s: %s>>\n", cur_thread->name[0] ? cur_thread->name : "?", error_names[d.error],
            msg ? msg : "");
#else
    (void)error_names;
#endif
    return EXCEPTION_SYSCALL_ERROR;
}

exception_t syscall_error(seL4_Error err, const char *msg)
{
    syscall_error_detail_t d = {0};
    d.error = err;
    return record(d, msg);
}

exception_t err_invalid_argument(word_t argno, const char *msg)
{
    syscall_error_detail_t d = {0};
    d.error = seL4_InvalidArgument;
    d.argument = argno;
    return record(d, msg);
}

exception_t err_invalid_capability(word_t capno, const char *msg)
{
    syscall_error_detail_t d = {0};
    d.error = seL4_InvalidCapability;
    d.argument = capno;
    return record(d, msg);
}

exception_t err_range(word_t min, word_t max, const char *msg)
{
    syscall_error_detail_t d = {0};
    d.error = seL4_RangeError;
    d.range_min = min;
    d.range_max = max;
    return record(d, msg);
}

exception_t err_failed_lookup(bool was_source, const char *msg)
{
    syscall_error_detail_t d = {0};
    d.error = seL4_FailedLookup;
    d.failed_lookup_was_source = was_source;
    d.lookup = current_lookup_fault;
    return record(d, msg);
}

exception_t err_not_enough_memory(word_t left, const char *msg)
{
    syscall_error_detail_t d = {0};
    d.error = seL4_NotEnoughMemory;
    d.memory_left = left;
    return record(d, msg);
}

lookup_fault_t lookup_fault_invalid_root(void)
{
    lookup_fault_t f = {seL4_InvalidRoot, 0, {0, 0}};
    return f;
}

lookup_fault_t lookup_fault_missing_capability(word_t bits_left)
{
    lookup_fault_t f = {seL4_MissingCapability, bits_left, {0, 0}};
    return f;
}

lookup_fault_t lookup_fault_depth_mismatch(word_t bits_left, word_t bits_found)
{
    lookup_fault_t f = {seL4_DepthMismatch, bits_left, {bits_found, 0}};
    return f;
}

lookup_fault_t lookup_fault_guard_mismatch(word_t bits_left, word_t guard, word_t guard_size)
{
    lookup_fault_t f = {seL4_GuardMismatch, bits_left, {guard, guard_size}};
    return f;
}
