/* Stand-ins for ESP-IDF's allocator layers, so the example ELF has the same call chains as a device. */
#include "alloc.h"

static unsigned char arena[64 * 1024];
static unsigned long used;

__attribute__((noinline)) void *heap_caps_malloc(size_t size, unsigned caps)
{
    (void)caps;
    size = (size + 3) & ~3u;
    if (used + size > sizeof arena) {
        return 0;
    }
    void *p = &arena[used];
    used += size;
    return p;
}

__attribute__((noinline)) void heap_caps_free(void *p)
{
    (void)p;
}

__attribute__((noinline)) void *malloc(size_t size)
{
    return heap_caps_malloc(size, 0);
}

__attribute__((noinline)) void free(void *p)
{
    heap_caps_free(p);
}
