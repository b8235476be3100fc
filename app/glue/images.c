/* images: lead-photo downloads into a content-addressed folder with a size cap. */
#define LOG_MODULE "images"
#include "images.h"
#include "setup.h"

#include "bangtin/config.h"
#include "bangtin/log.h"
#include "bangtin/net.h"
#include "bangtin/store.h"
#include "bangtin/util.h"

#include <dirent.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

size_t images_pending(struct store *st, const struct config *cfg, size_t max,
                      struct images_job **out)
{
    struct store_item *items = NULL;
    size_t n = store_images_missing(st, max, &items);
    struct images_job *jobs = xcalloc(n ? n : 1, sizeof *jobs);
    for (size_t i = 0; i < n; i++) {
        const struct config_source *src = config_find_source(cfg, items[i].source_id);
        jobs[i].item_id = items[i].id;
        jobs[i].url = xstrdup(items[i].image_url);
        /* A local source may point at photos beside it; nothing else may read files. */
        jobs[i].allow_file = src && src->local;
    }
    store_items_free(items, n);
    *out = jobs;
    return n;
}

/* The file type from the first bytes: only what SDL2_image is built for here. */
static const char *sniff_ext(const unsigned char *b, size_t len)
{
    if (len > 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF)
        return "jpg";
    if (len > 8 && memcmp(b, "\x89PNG\r\n\x1a\n", 8) == 0)
        return "png";
    if (len > 12 && memcmp(b, "RIFF", 4) == 0 && memcmp(b + 8, "WEBP", 4) == 0)
        return "webp";
    if (len > 6 && (memcmp(b, "GIF87a", 6) == 0 || memcmp(b, "GIF89a", 6) == 0))
        return "gif";
    return NULL;
}

void images_env_init(struct images_env *env, const struct config *cfg)
{
    env->dir = xasprintf("%s/images", cfg->data_dir);
    env->user_agent = xstrdup(cfg->user_agent);
    setup_net_limits(cfg, &env->limits);
    env->limits.max_bytes = cfg->max_image_bytes;
    env->limits.user_agent = env->user_agent;
    env->proc = NULL; /* in this process unless the caller hands a fetch process */
}

void images_env_free(struct images_env *env)
{
    free(env->dir);
    free(env->user_agent);
}

void images_download(const struct images_env *env, struct images_job *job)
{
    struct net_request req = {.url = job->url, .allow_file = job->allow_file};
    struct net_response resp;
    enum net_status got = env->proc ? net_proc_fetch(env->proc, &env->limits, &req, &resp)
                                    : net_fetch(&env->limits, &req, &resp);
    if (got != NET_OK) {
        snprintf(job->error, sizeof job->error, "%s", resp.error[0] ? resp.error : "failed");
        net_response_free(&resp);
        return;
    }
    const char *ext = sniff_ext((const unsigned char *)resp.body, resp.len);
    if (!ext) {
        snprintf(job->error, sizeof job->error, "not a JPEG, PNG, WebP or GIF image");
        net_response_free(&resp);
        return;
    }
    unsigned char hash[16];
    crypto_generichash(hash, sizeof hash, (const unsigned char *)resp.body, resp.len, NULL, 0);
    char hex[sizeof hash * 2 + 1];
    sodium_bin2hex(hex, sizeof hex, hash, sizeof hash);
    util_mkdir_p(env->dir, 0755);
    char *path = xasprintf("%s/%s.%s", env->dir, hex, ext);
    struct stat sb;
    if (stat(path, &sb) == 0 || util_write_file_atomic(path, resp.body, resp.len)) {
        job->path = path;
        path = NULL;
    } else {
        snprintf(job->error, sizeof job->error, "cannot write the image (disk full?)");
    }
    free(path);
    net_response_free(&resp);
}

struct img_file {
    char *path;
    time_t mtime;
    off_t size;
};

static int by_mtime(const void *a, const void *b)
{
    const struct img_file *x = a, *y = b;
    return x->mtime < y->mtime ? -1 : x->mtime > y->mtime;
}

void images_evict(const char *dir, size_t max_bytes)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct img_file *files = NULL;
    size_t n = 0, total = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char *p = xasprintf("%s/%s", dir, e->d_name);
        struct stat sb;
        if (stat(p, &sb) != 0 || !S_ISREG(sb.st_mode)) {
            free(p);
            continue;
        }
        files = xrealloc(files, (n + 1) * sizeof *files);
        files[n++] = (struct img_file){p, sb.st_mtime, sb.st_size};
        total += (size_t)sb.st_size;
    }
    closedir(d);
    qsort(files, n, sizeof *files, by_mtime);
    for (size_t i = 0; i < n; i++) {
        if (total > max_bytes && unlink(files[i].path) == 0) {
            LOG_INFO("evicted %s (image cache over %zu bytes)", files[i].path, max_bytes);
            total -= (size_t)files[i].size;
        }
        free(files[i].path);
    }
    free(files);
}

void images_commit(struct store *st, const struct config *cfg, struct images_job *jobs, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (jobs[i].path) {
            store_set_image(st, jobs[i].item_id, jobs[i].path);
        } else {
            LOG_WARN("photo %s: %s (shown without it)", jobs[i].url, jobs[i].error);
            store_set_image(st, jobs[i].item_id, ""); /* do not retry a broken photo forever */
        }
    }
    char *dir = xasprintf("%s/images", cfg->data_dir);
    images_evict(dir, cfg->image_cache_bytes);
    free(dir);
}

void images_jobs_free(struct images_job *jobs, size_t n)
{
    for (size_t i = 0; jobs && i < n; i++) {
        free(jobs[i].url);
        free(jobs[i].path);
    }
    free(jobs);
}

int images_fetch_all(struct store *st, const struct config *cfg, bool only_local)
{
    struct images_job *jobs;
    size_t n = images_pending(st, cfg, 64, &jobs);
    struct images_env env;
    images_env_init(&env, cfg);
    size_t kept = 0;
    int done = 0;
    for (size_t i = 0; i < n; i++) {
        if (only_local && !str_starts_with(jobs[i].url, "file://")) {
            free(jobs[i].url);
            continue;
        }
        jobs[kept] = jobs[i];
        images_download(&env, &jobs[kept]);
        done += jobs[kept].path != NULL;
        kept++;
    }
    images_commit(st, cfg, jobs, kept);
    images_jobs_free(jobs, kept);
    images_env_free(&env);
    return done;
}
