/* The leaking library of the example, modelled on the seed analysis "8,628 bytes per WebRTC connection". */
#include "../heap/alloc.h"
#include "peer_connection.h"

/* Every state callback holds its own mutex, which is never destroyed with the connection. */
__attribute__((noinline)) static void callback_init(struct callback *cb)
{
    pthread_mutex_init(&cb->lock, 0);
}

__attribute__((noinline)) static void *worker(void *arg)
{
    return arg;
}

/* Two worker threads per connection that are never joined. */
__attribute__((noinline)) void transport_start(struct peer *p)
{
    pthread_create(&p->workers[0], 0, worker, p);
    pthread_create(&p->workers[1], 0, worker, p);
}

__attribute__((noinline)) void peer_connection_open(struct peer *p)
{
    for (int i = 0; i < CALLBACKS; i++) {
        callback_init(&p->callbacks[i]);
    }
    transport_start(p);
    p->sdp = malloc(1536);
    p->ice = malloc(1024);
    p->session_id = malloc(12);
}

__attribute__((noinline)) void peer_connection_close(struct peer *p)
{
    (void)p; /* the mutexes, threads and buffers above are not released: the leak */
}
