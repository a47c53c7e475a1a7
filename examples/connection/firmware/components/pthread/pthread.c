/* Stand-ins for ESP-IDF's pthread layer on FreeRTOS. */
#include "../heap/alloc.h"

__attribute__((noinline)) int pthread_mutex_init(pthread_mutex_t *mutex, const void *attr)
{
    (void)attr;
    *mutex = xQueueCreateMutex(4);
    return *mutex ? 0 : 12;
}

static void task_entry(void *arg)
{
    (void)arg;
}

__attribute__((noinline)) int pthread_create(pthread_t *thread, const void *attr, void *(*start)(void *), void *arg)
{
    (void)attr, (void)start;
    void *handle = 0;
    int ok = xTaskCreatePinnedToCore(task_entry, "pthread", 3072, arg, 5, &handle, -1);
    *thread = handle;
    return ok ? 0 : 11;
}
