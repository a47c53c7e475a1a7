/* Stand-ins for FreeRTOS object creation: a mutex is an 84-byte queue, a task a 340-byte TCB plus its stack. */
#include "../heap/alloc.h"

__attribute__((noinline)) void *pvPortMalloc(size_t size)
{
    return heap_caps_malloc(size, 0x1800);
}

__attribute__((noinline)) void vPortFree(void *p)
{
    heap_caps_free(p);
}

__attribute__((noinline)) void *xQueueGenericCreate(unsigned length, unsigned item_size, unsigned char type)
{
    (void)type;
    return pvPortMalloc(84 + length * item_size);
}

__attribute__((noinline)) void *xQueueCreateMutex(unsigned char type)
{
    return xQueueGenericCreate(1, 0, type);
}

__attribute__((noinline)) int xTaskCreatePinnedToCore(void (*fn)(void *), const char *name, unsigned stack, void *arg,
                                                      unsigned prio, void **handle, int core)
{
    (void)fn, (void)name, (void)arg, (void)prio, (void)core;
    void *tcb = pvPortMalloc(340);
    (void)stack;
    *handle = tcb;
    return tcb != 0;
}
