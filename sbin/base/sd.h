/* sd: the only module that talks to libsystemd. Built without it, every
 * function here is a no-op that reports "not available". */
#ifndef PORTIER_SD_H
#define PORTIER_SD_H

#include <stdbool.h>
#include <stdint.h>

struct log_fields;

/* True when portierd was built with libsystemd. */
bool sd_available(void);
/* "+systemd +journal" or "-systemd -journal": what this build can do. */
const char *sd_features(void);
/* Sends MESSAGE plus the structured fields to the journal; 0 on success,
 * -1 when the journal cannot be used (then the caller falls back). */
int sd_journal_log(int prio, const struct log_fields *f, const char *msg);

/* The sockets passed by the service manager (sd_listen_fds_with_names with
 * the LISTEN_* variables unset): their number, descriptors from 3 on, and
 * *names gets a NULL-terminated array of their names that the caller frees
 * with sd_names_free(). 0 when none were passed or in a build without
 * libsystemd; -1 with errno set when LISTEN_* is malformed. */
int sd_listen(char ***names);
void sd_names_free(char **names);
/* sd_is_socket_inet(fd, AF_UNSPEC, type, listening, port): true when fd is
 * an IPv4 or IPv6 socket of that type on that port (listening, for streams). */
bool sd_socket_inet(int fd, int type, uint16_t port);

/* sd_notify(0, state); nothing happens when NOTIFY_SOCKET is unset.
 * Returns > 0 when sent, 0 when there is nowhere to send, < 0 on error. */
int sd_notify_state(const char *state);
/* The watchdog interval the service manager asks for, in microseconds; 0
 * when there is none (or it is meant for another process). */
uint64_t sd_watchdog_usec(void);

#endif
