/* sd: the only module that talks to libsystemd. Built without it, every
 * function here is a no-op that reports "not available". */
#ifndef PORTIER_SD_H
#define PORTIER_SD_H

#include <stdbool.h>

struct log_fields;

/* True when portierd was built with libsystemd. */
bool sd_available(void);
/* Sends MESSAGE plus the structured fields to the journal; 0 on success,
 * -1 when the journal cannot be used (then the caller falls back). */
int sd_journal_log(int prio, const struct log_fields *f, const char *msg);

#endif
