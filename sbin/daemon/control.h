/* control: the control socket. A unix stream socket (mode 0600) in the
 * event loop; only root and portierd's own user may use it (SO_PEERCRED).
 * Each connection sends one request line (control_proto.h) and reads one
 * JSON document, then portierd closes it. Bounded: the request's length, the
 * number of clients at once, and the time a client may stay idle. */
#ifndef PORTIER_CONTROL_H
#define PORTIER_CONTROL_H

struct control_request;
struct json;

/* Clients served at once; more are told "busy" and closed. */
#define CONTROL_MAX_CLIENTS 8
/* A client must send its line, and read its reply, within this (ms). */
#define CONTROL_IDLE_MS 5000

/* Answers one parsed request: writes one JSON object into reply. */
typedef void (*control_fn)(const struct control_request *rq, struct json *reply);

/* Creates the socket at path (a stale one is replaced; one a live process
 * answers on is left alone) and watches it. -1 (logged) on failure. */
int control_open(const char *path, control_fn fn);
/* Closes every client and the socket, and removes its file. */
void control_close(void);

#endif
