/* A test image that hangs: the harness must fail it at its timeout, showing the tail. */
#include <sys/sys.h>

int main(seL4_BootInfo *bi)
{
    (void)bi;
    printf("hang: about to spin forever\n");
    for (;;)
        ;
}
