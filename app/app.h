/* app: glue between the layers, private to the bangtin executable (main, kiosk, ingest,
 * playlist, status). */
#ifndef BANGTIN_APP_H
#define BANGTIN_APP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cli.h"

struct config;
struct config_source;
struct net_result;
struct store;

/* Folder holding fonts/ and assets/ (source tree, or /usr/share/bangtin when installed). */
const char *paths_resource_root(void);
/* Absolute path of a resource ("fonts/NotoSans-Regular.ttf"); caller frees. An absolute
 * input is returned as a copy. */
char *paths_resource(const char *rel);

/* Config from the command line: defaults, the file, overrides, resolved resource paths.
 * strict: --check-config rules. Returns false when the config cannot be used. */
bool app_load_config(const struct cli *cli, struct config *cfg, bool strict);

enum ingest_outcome { INGEST_CHANGED, INGEST_UNCHANGED, INGEST_FAILED };
/* Apply one fetch result to the cache: parse, store in one transaction, or record the error
 * (the cached content is never touched by a failure). err gets a one-line reason. */
enum ingest_outcome ingest_result(struct store *st, const struct config *cfg,
                                  const struct config_source *src, const struct net_result *r,
                                  int64_t now, char *err, size_t err_len);
/* Fetch every source once, synchronously (--fetch-once, and local sources before a
 * screenshot). only_local: skip http(s). Returns the number of sources that failed. */
int ingest_fetch_all(struct store *st, const struct config *cfg, bool only_local);
/* Purge old items and finished notices, only with a trustworthy clock (DESIGN.md §5): a board
 * that booted at 1970 never throws its cache away. Returns the number removed. */
int ingest_purge(struct store *st, const struct config *cfg);
/* How many items a paged listing is followed for: the source's max_items, else the
 * rotation's. */
int ingest_want_items(const struct config *cfg, const struct config_source *src);
const struct config_source *ingest_find_source(const struct config *cfg, const char *id);

struct net_limits;
void app_net_limits(const struct config *cfg, struct net_limits *lim);

/* Commands. Each returns the process exit code. */
int app_dump(const struct config *cfg, const char *source);
int app_fetch_once(const struct config *cfg);
int app_screenshot(const struct config *cfg, const struct cli *cli);
int kiosk_run(const struct cli *cli, struct config *cfg);
/* `bangtin desk`: resource paths resolved, then desk_main. */
int app_desk(const struct config *cfg, const struct cli *cli);

#endif
