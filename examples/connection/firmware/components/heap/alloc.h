#pragma once
typedef unsigned int size_t;

void *heap_caps_malloc(size_t size, unsigned caps);
void heap_caps_free(void *p);
void *malloc(size_t size);
void free(void *p);
void *pvPortMalloc(size_t size);
void vPortFree(void *p);
void *xQueueGenericCreate(unsigned length, unsigned item_size, unsigned char type);
void *xQueueCreateMutex(unsigned char type);
int xTaskCreatePinnedToCore(void (*fn)(void *), const char *name, unsigned stack, void *arg, unsigned prio, void **handle, int core);
typedef void *pthread_mutex_t;
typedef void *pthread_t;
int pthread_mutex_init(pthread_mutex_t *mutex, const void *attr);
int pthread_create(pthread_t *thread, const void *attr, void *(*start)(void *), void *arg);
int esp_log_write(const char *text);
