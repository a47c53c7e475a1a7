/* The example application: one-time initialisation, then connections that each leak (see the webrtc component). */
#include "../components/heap/alloc.h"
#include "../components/webrtc/peer_connection.h"

static struct peer peers[2];
static void *config;
static void *cert_cache;

__attribute__((noinline)) int esp_log_write(const char *text)
{
    return text[0];
}

__attribute__((noinline)) static void app_init(void)
{
    config = malloc(4096);
    cert_cache = malloc(512);
}

__attribute__((noinline)) static void handle_request(int n)
{
    void *buffer = malloc(16 + (unsigned)n % 2000);
    free(buffer);
}

__attribute__((noinline)) void on_new_connection(int n)
{
    struct peer *p = &peers[n & 1];
    esp_log_write("New connection");
    peer_connection_open(p);
    for (int i = 0; i < 3; i++) {
        handle_request(n + i);
    }
    peer_connection_close(p);
}

void app_main(void)
{
    app_init();
    for (int n = 1;; n++) {
        on_new_connection(n);
    }
}

void _start(void)
{
    app_main();
}
