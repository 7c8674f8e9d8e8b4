/*
 * hello_musl.c: a static musl program (arm-linux-gnueabihf-gcc, Thumb by default), built as a test
 * input for libelf. It is never run; the thread-local variable gives it a PT_TLS segment.
 */
#include <stdio.h>

static __thread int calls = 7;

int main(void)
{
    printf("hello %d\n", ++calls);
    return 0;
}
