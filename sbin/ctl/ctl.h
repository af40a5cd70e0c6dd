/* ctl: portierctl's subcommands, one file each (ctl_*.c). Each takes the
 * arguments after the subcommand name (argv[0] is the subcommand) and
 * returns the process exit code: 0 success, 1 a negative answer or invalid
 * input (nothing matched, configuration invalid), 2 usage error. */
#ifndef PORTIER_CTL_H
#define PORTIER_CTL_H

/* Exit codes of the control commands (status, reload, enable, disable,
 * open, close); 0, 1 and 2 as above, 3: portierd could not be asked. */
enum { CTL_EXIT_OK = 0, CTL_EXIT_NO = 1, CTL_EXIT_USAGE = 2, CTL_EXIT_DAEMON = 3 };

int ctl_check(int argc, char *argv[]);
int ctl_convert(int argc, char *argv[]);
int ctl_lookup(int argc, char *argv[]);
/* ctl_control.c: the control socket's client. */
void ctl_set_socket(const char *path);
int ctl_status(int argc, char *argv[]);
int ctl_reload(int argc, char *argv[]);
int ctl_enable(int argc, char *argv[]);
int ctl_disable(int argc, char *argv[]);
int ctl_open(int argc, char *argv[]);
int ctl_close(int argc, char *argv[]);

#endif
