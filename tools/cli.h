/*
 * The mutls command: subcommands and what they share.
 */
#ifndef CLI_H
#define CLI_H

#include <stdio.h>

/* Exit statuses of every subcommand. */
#define CLI_EXIT_OK 0      /* success                                   */
#define CLI_EXIT_FAIL 1    /* connection, handshake, verify or I/O error */
#define CLI_EXIT_USAGE 2   /* bad command line                          */

/* Subcommands: argv[0] is the subcommand's name. Each returns an exit
 * status. */
int cli_client_main(int argc, char **argv);
int cli_server_main(int argc, char **argv);
int cli_demo_main(int argc, char **argv);

void cli_client_usage(FILE *out);
void cli_server_usage(FILE *out);
void cli_demo_usage(FILE *out);

#endif
