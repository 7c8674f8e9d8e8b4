/* cpio_internal.h: the newc header layout and helpers shared by libcpio's files (private). */
#pragma once

#include <cpio/cpio.h>

#define NEWC_HEADER_SIZE 110u
#define NEWC_MAGIC_SIZE  6u
#define NEWC_FIELD_SIZE  8u
#define NEWC_FIELDS      13u

/* Field order after the magic. */
enum {
    NEWC_INO,
    NEWC_MODE,
    NEWC_UID,
    NEWC_GID,
    NEWC_NLINK,
    NEWC_MTIME,
    NEWC_FILESIZE,
    NEWC_DEVMAJOR,
    NEWC_DEVMINOR,
    NEWC_RDEVMAJOR,
    NEWC_RDEVMINOR,
    NEWC_NAMESIZE,
    NEWC_CHECK,
};

/* Parses and checks the entry whose header starts at offset off (a multiple of 4) of the len
 * bytes at buf. On success fills *e and *next (the offset of the following header). The
 * checksum of a "070702" entry is verified only if verify is set. */
cpio_err_t cpio_parse(const uint8_t *buf, size_t len, size_t off, bool verify, cpio_entry_t *e,
                      size_t *next);

/* The name with leading "/" and "./" removed; "." becomes "". */
const char *cpio_path(const char *name);

/* NUL-terminated string equality. */
bool cpio_str_eq(const char *a, const char *b);
