/* ctl: portierctl's subcommands, one file each (ctl_*.c). Each takes the
 * arguments after the subcommand name (argv[0] is the subcommand) and
 * returns the process exit code: 0 success, 1 a negative answer or invalid
 * input (nothing matched, configuration invalid), 2 usage error. */
#ifndef PORTIER_CTL_H
#define PORTIER_CTL_H

int ctl_check(int argc, char *argv[]);
int ctl_convert(int argc, char *argv[]);
int ctl_lookup(int argc, char *argv[]);

#endif
