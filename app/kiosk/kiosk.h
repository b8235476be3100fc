/* kiosk: the screen. Runs until quit or a fatal error; SIGHUP reloads the configuration. */
#ifndef BANGTIN_KIOSK_H
#define BANGTIN_KIOSK_H

struct cli;
struct config;
struct setup_args;

/* Returns the process exit code. args: how to load the config again on SIGHUP. */
int kiosk_run(const struct cli *cli, const struct setup_args *args, struct config *cfg);

#endif
