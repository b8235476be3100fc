/* ingest: fetch results → the cache. Parsing happens on the main thread (or in the one-shot
 * commands), one transaction per result; a failure never touches cached content. */
#ifndef BANGTIN_GLUE_INGEST_H
#define BANGTIN_GLUE_INGEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct config;
struct config_source;
struct feed;
struct net_response;
struct net_result;
struct store;

enum ingest_outcome { INGEST_CHANGED, INGEST_UNCHANGED, INGEST_FAILED };

/* Apply one fetch result to the cache: parse, store in one transaction, or record the error
 * (the cached content is never touched by a failure). err gets a one-line reason. */
enum ingest_outcome ingest_result(struct store *st, const struct config *cfg,
                                  const struct config_source *src, const struct net_result *r,
                                  int64_t now, char *err, size_t err_len);
/* Page 1 and any further pages of a paged listing → one feed. *complete is false when a
 * further page was not fetched (net) or does not parse: such a listing proves no removal. */
bool ingest_parse_listing(const struct net_response *resp, const char *url, struct feed *f,
                          bool *complete, char *err, size_t err_len);
/* Fetch every source once, synchronously (--fetch-once, and local sources before a
 * screenshot). only_local: skip http(s). Returns the number of sources that failed. */
int ingest_fetch_all(struct store *st, const struct config *cfg, bool only_local);
/* Purge old items and finished notices, only with a trustworthy clock (DESIGN.md §5): a board
 * that booted at 1970 never throws its cache away. Returns the number removed. */
int ingest_purge(struct store *st, const struct config *cfg);
/* How many items a paged listing is followed for: the source's max_items, else the
 * rotation's. */
int ingest_want_items(const struct config *cfg, const struct config_source *src);
/* The last successful fetch of each configured source, in config order (0: never). */
void ingest_last_success(struct store *st, const struct config *cfg, int64_t *per_source);

#endif
