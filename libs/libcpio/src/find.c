/* find.c: path normalisation and lookup by path. */
#include "cpio_internal.h"

bool cpio_str_eq(const char *a, const char *b)
{
    while (*a != '\0' && *a == *b) {
        a++;
        b++;
    }
    return *a == *b;
}

const char *cpio_path(const char *name)
{
    for (;;) {
        if (name[0] == '/')
            name++;
        else if (name[0] == '.' && name[1] == '/')
            name += 2;
        else if (name[0] == '.' && name[1] == '\0')
            name++;
        else
            return name;
    }
}

static void entry_clear(cpio_entry_t *e)
{
    e->name = e->path = NULL;
    e->namelen = 0;
    e->ino = e->mode = e->uid = e->gid = e->nlink = e->mtime = e->size = 0;
    e->devmajor = e->devminor = e->rdevmajor = e->rdevminor = e->check = 0;
    e->data = NULL;
}

cpio_err_t cpio_find(const cpio_t *a, const char *path, cpio_entry_t *e)
{
    if (a == NULL || path == NULL || e == NULL)
        return CPIO_ERR_ARG;
    entry_clear(e);
    const char *want = cpio_path(path);
    size_t cursor = 0;
    size_t at = 0;
    size_t found = 0;
    bool any = false;
    cpio_entry_t cur;
    while (cpio_next(a, &cursor, &cur)) {
        if (cpio_str_eq(cur.path, want)) {
            any = true;
            found = at;
        }
        at = cursor;
    }
    if (!any)
        return CPIO_ERR_NOT_FOUND;
    (void)cpio_next(a, &found, e);
    return CPIO_OK;
}
