/* The smallest POSIX program: prints a line and exits. */
#include <stdio.h>

int main(void)
{
    printf("hello from a musl program on Keel\n");
    return 0;
}
