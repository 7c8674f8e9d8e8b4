/*
 * bare.c: a freestanding ARM program, built by arm-none-eabi-gcc with bare.ld as a test input for
 * libelf. It is never run; it just has to contain ARM and Thumb functions, a local function,
 * initialised data, read-only data and bss.
 */
int counter = 5;
int zeroed[64];
const char greeting[] = "keel";

__attribute__((noinline, target("arm"))) int arm_func(int x)
{
    return x * 3 + counter;
}

__attribute__((noinline, target("thumb"))) int thumb_func(int x)
{
    return x + greeting[x & 3];
}

static __attribute__((noinline)) int local_func(int x)
{
    zeroed[x & 63] = x;
    return x - 1;
}

void _start(void)
{
    counter = arm_func(thumb_func(local_func(counter)));
    for (;;)
        ;
}
