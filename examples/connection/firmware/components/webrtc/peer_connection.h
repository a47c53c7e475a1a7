#pragma once
#define CALLBACKS 64

struct callback {
    pthread_mutex_t lock;
};

struct peer {
    struct callback callbacks[CALLBACKS];
    pthread_t workers[2];
    void *sdp;
    void *ice;
    char *session_id;
};

void transport_start(struct peer *p);
void peer_connection_open(struct peer *p);
void peer_connection_close(struct peer *p);
