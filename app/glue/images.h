/* images: lead photos. Downloaded with the same limits as feeds (size cap on decoded bytes,
 * http/https only, file:// only for local sources), stored by content hash in
 * <data_dir>/images/, at most [network] image_cache_size in total with the oldest evicted
 * first. Decoding happens at display time; a broken image is skipped there. */
#ifndef BANGTIN_GLUE_IMAGES_H
#define BANGTIN_GLUE_IMAGES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bangtin/net.h"

struct config;
struct store;

/* One download request, self-contained so it can run on another thread. */
struct images_job {
    int64_t item_id;
    char *url;
    bool allow_file;
    char *path; /* result: stored file, or NULL when the download failed */
    char error[256];
};

/* Items still waiting for their photo (at most max). Caller frees with images_jobs_free. */
size_t images_pending(struct store *st, const struct config *cfg, size_t max,
                      struct images_job **out);
/* What a download needs, copied out of the config so that a download thread never reads a
 * config that a reload (SIGHUP) may free. */
struct images_env {
    char *dir;                /* <data_dir>/images */
    char *user_agent;         /* owned copy; limits.user_agent points here */
    struct net_limits limits; /* the feed limits, with max_image_size as the cap */
    struct net_proc *proc;    /* the kiosk's fetch process, or NULL: fetch in this process */
};
void images_env_init(struct images_env *env, const struct config *cfg);
void images_env_free(struct images_env *env);
/* Download one job into env->dir (thread-safe: touches no shared state; env->proc is used by
 * one thread at a time). */
void images_download(const struct images_env *env, struct images_job *job);
/* Record the outcome in the store (main thread) and evict past the cap. */
void images_commit(struct store *st, const struct config *cfg, struct images_job *jobs, size_t n);
void images_jobs_free(struct images_job *jobs, size_t n);
/* Everything at once, synchronously (--fetch-once; screenshots with only_local, which never
 * touch the network). Returns downloads done. */
int images_fetch_all(struct store *st, const struct config *cfg, bool only_local);
/* Delete the oldest files until the folder holds at most max_bytes. */
void images_evict(const char *dir, size_t max_bytes);

#endif
