/* strerror.c: one line of text per cpio_err_t. */
#include <cpio/cpio.h>

static const char *const messages[CPIO_ERR_COUNT] = {
    [CPIO_OK] = "success",
    [CPIO_ERR_ARG] = "NULL argument",
    [CPIO_ERR_TRUNCATED_HEADER] = "entry header past end of archive",
    [CPIO_ERR_MAGIC] = "not a newc cpio entry (bad magic)",
    [CPIO_ERR_HEX] = "header field not 8 hex digits",
    [CPIO_ERR_NAMESIZE] = "zero name size",
    [CPIO_ERR_TRUNCATED_NAME] = "entry name past end of archive",
    [CPIO_ERR_NAME_UNTERMINATED] = "entry name not NUL-terminated",
    [CPIO_ERR_NAME_NUL] = "NUL inside entry name",
    [CPIO_ERR_TRUNCATED_DATA] = "entry data past end of archive",
    [CPIO_ERR_CHECKSUM] = "entry data checksum mismatch",
    [CPIO_ERR_NO_TRAILER] = "archive ends without TRAILER!!!",
    [CPIO_ERR_NOT_FOUND] = "not found",
};

const char *cpio_strerror(cpio_err_t err)
{
    if ((unsigned)err >= CPIO_ERR_COUNT || messages[err] == NULL)
        return "unknown cpio error";
    return messages[err];
}
