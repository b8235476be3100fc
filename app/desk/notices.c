/* desk notices: the webroot is the desk's record. Every notice it signed lives there as the
 * exact signed bytes (notices/<id>.json + .minisig, replaced by the signed cancel when
 * cancelled), so a restart loses nothing and screens that poll over HTTP read the same files.
 *   notice.json(.minisig)  the newest signed document: the URL a screen's urgent source with
 *                          require_signature polls today (notify/ reads one document a URL)
 *   index.json             every notice file with its id, action and expiry, for readers that
 *                          follow several notices */
#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LOG_MODULE "desk"
#include "bangtin/config.h"
#include "bangtin/log.h"
#include "bangtin/util.h"
#include "desk_priv.h"

bool desk_id_ok(const char *id)
{
    size_t n = id ? strlen(id) : 0;
    return n >= 1 && n <= 64 &&
           strspn(id, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-") == n &&
           id[0] != '.';
}

void desk_notice_free(struct desk_notice *n)
{
    if (!n)
        return;
    free(n->id), free(n->title), free(n->body), free(n->severity), free(n->action);
    free(n->signer), free(n->doc);
    for (size_t i = 0; i < n->n_targets; i++)
        free(n->targets[i]);
    free(n->targets);
    memset(n, 0, sizeof(*n));
}

void desk_notices_free(struct desk_notice *n, size_t count)
{
    for (size_t i = 0; n && i < count; i++)
        desk_notice_free(&n[i]);
    free(n);
}

static char *jstr(json_t *o, const char *k)
{
    json_t *v = json_object_get(o, k);
    return json_is_string(v) ? xstrdup(json_string_value(v)) : NULL;
}

static int64_t jtime(json_t *o, const char *k)
{
    json_t *v = json_object_get(o, k);
    int64_t t = 0;
    if (json_is_string(v) && !desk_parse_expires(json_string_value(v), 0, &t))
        t = 0;
    return t;
}

static bool load_notice(const char *path, struct desk_notice *n)
{
    memset(n, 0, sizeof(*n));
    if (!util_read_file(path, 256 * 1024, &n->doc, &n->doc_len))
        return false;
    json_t *o = json_loadb(n->doc, n->doc_len, 0, NULL);
    json_t *id = json_object_get(o, "id");
    if (!json_is_object(o) || !json_is_string(id)) {
        json_decref(o);
        free(n->doc);
        n->doc = NULL;
        return false;
    }
    n->id = xstrdup(json_string_value(id));
    n->title = jstr(o, "title");
    n->body = jstr(o, "body");
    n->severity = jstr(o, "severity");
    n->action = jstr(o, "action");
    n->seq = json_integer_value(json_object_get(o, "seq"));
    n->issued = jtime(o, "issued");
    n->expires = jtime(o, "expires");
    json_t *t = json_object_get(o, "targets");
    for (size_t i = 0; json_is_array(t) && i < json_array_size(t); i++) {
        json_t *v = json_array_get(t, i);
        if (!json_is_string(v))
            continue;
        n->targets = xrealloc(n->targets, (n->n_targets + 1) * sizeof(char *));
        n->targets[n->n_targets++] = xstrdup(json_string_value(v));
    }
    json_decref(o);
    return true;
}

static int by_issued_desc(const void *a, const void *b)
{
    const struct desk_notice *x = a, *y = b;
    return x->issued < y->issued ? 1 : x->issued > y->issued ? -1 : strcmp(x->id, y->id);
}

size_t desk_notices_list(struct desk *d, struct desk_notice **out)
{
    *out = NULL;
    char *dir = xasprintf("%s/notices", d->cfg->desk_webroot);
    DIR *dh = opendir(dir);
    size_t n = 0;
    struct dirent *e;
    while (dh && (e = readdir(dh)) != NULL) {
        size_t l = strlen(e->d_name);
        if (l < 6 || strcmp(e->d_name + l - 5, ".json") != 0 || e->d_name[0] == '.')
            continue;
        char *p = xasprintf("%s/%s", dir, e->d_name);
        struct desk_notice tmp;
        if (load_notice(p, &tmp)) {
            *out = xrealloc(*out, (n + 1) * sizeof(**out));
            (*out)[n++] = tmp;
        }
        free(p);
    }
    if (dh)
        closedir(dh);
    free(dir);
    if (n > 1)
        qsort(*out, n, sizeof(**out), by_issued_desc);
    return n;
}

bool desk_notice_get(struct desk *d, const char *id, struct desk_notice *out)
{
    if (!desk_id_ok(id))
        return false;
    char *p = xasprintf("%s/notices/%s.json", d->cfg->desk_webroot, id);
    bool ok = load_notice(p, out);
    free(p);
    return ok;
}

static char *seq_path(const struct desk *d)
{
    return xasprintf("%s.bangtin-seq", d->cfg->desk_secret_key);
}

int64_t desk_next_seq(struct desk *d, int64_t now)
{
    char *p = seq_path(d), *text = NULL;
    size_t len;
    int64_t last = 0;
    if (util_read_file(p, 64, &text, &len))
        last = strtoll(text, NULL, 10);
    free(text), free(p);
    return now > last ? now : last + 1;
}

void desk_seq_used(struct desk *d, int64_t seq)
{
    char *p = seq_path(d);
    char line[32];
    int n = snprintf(line, sizeof(line), "%lld\n", (long long)seq);
    if (!util_write_file_atomic(p, line, (size_t)n))
        LOG_WARN("cannot write %s: %s (the next notice still gets a larger seq from the clock)", p,
                 strerror(errno));
    free(p);
}

static bool write_pair(const char *base, const char *doc, const char *sig)
{
    char *sp = xasprintf("%s.minisig", base);
    /* The document first: a poller never sees a new signature next to an old document for
     * longer than the two renames. */
    bool ok = util_write_file_atomic(base, doc, strlen(doc)) &&
              util_write_file_atomic(sp, sig, strlen(sig));
    free(sp);
    return ok;
}

static void write_index(struct desk *d)
{
    struct desk_notice *list;
    size_t n = desk_notices_list(d, &list);
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *o = json_object();
        char *url = xasprintf("notices/%s.json", list[i].id);
        json_object_set_new(o, "id", json_string(list[i].id));
        json_object_set_new(o, "url", json_string(url));
        json_object_set_new(o, "action", json_string(list[i].action ? list[i].action : "show"));
        json_object_set_new(o, "seq", json_integer(list[i].seq));
        json_object_set_new(o, "expires", json_integer(list[i].expires));
        json_array_append_new(arr, o);
        free(url);
    }
    desk_notices_free(list, n);
    json_t *root = json_pack("{s:o}", "notices", arr);
    char *text = json_dumps(root, JSON_INDENT(1));
    json_decref(root);
    char *p = xasprintf("%s/index.json", d->cfg->desk_webroot);
    if (!util_write_file_atomic(p, text, strlen(text)))
        LOG_WARN("cannot write %s: %s", p, strerror(errno));
    free(p), free(text);
}

bool desk_webroot_write(struct desk *d, const char *id, const char *doc, const char *sig, char *err,
                        size_t err_len)
{
    char *dir = xasprintf("%s/notices", d->cfg->desk_webroot);
    char *one = xasprintf("%s/%s.json", dir, id);
    char *latest = xasprintf("%s/notice.json", d->cfg->desk_webroot);
    bool ok = util_mkdir_p(dir, 0755) && write_pair(one, doc, sig) && write_pair(latest, doc, sig);
    if (!ok)
        snprintf(err, err_len, "cannot write into %s: %s", d->cfg->desk_webroot, strerror(errno));
    else
        write_index(d);
    free(dir), free(one), free(latest);
    return ok;
}
