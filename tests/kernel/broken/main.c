/* A deliberately broken test image: the harness must report BROKEN0002 and fail. */
#include "../lib/ktest.h"

KTEST(broken_pass, "BROKEN0001", "a case that passes")
{
    KCHECK_EQ(1 + 1, 2);
}

KTEST(broken_fail, "BROKEN0002", "a case that fails on purpose")
{
    KCHECK_EQ(1 + 1, 3);
}
