/* Notice lists: one URL carrying several signed notices (include/bangtin/notify.h,
 * the README, "For officials"). The envelope is not signed: each entry is the exact text of a
 * notice and of its .minisig, checked like a notice.json + notice.json.minisig pair. Entries are
 * applied in order of their seq, so that a list holding a notice and, later, its cancel
 * ends with the notice cancelled on a screen that sees both at once. */
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LOG_MODULE "notify"
#include "bangtin/config.h"
#include "bangtin/log.h"
#include "bangtin/notify.h"
#include "bangtin/util.h"
#include "notify_internal.h"

#define LIST_FORMAT    "bangtin-notices/1"
#define MAX_LIST_BYTES (1024 * 1024)
#define MAX_ENTRIES    256

struct entry {
    const char *notice, *sig;
    size_t notice_len, sig_len;
    json_int_t seq; /* read before the signature, for the order only */
    size_t pos;
};

static json_t *load_list(const void *body, size_t len, json_error_t *jerr)
{
    const char *p = body;
    if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
        p += 3, len -= 3;
    json_t *root = json_loadb(p, len, JSON_REJECT_DUPLICATES, jerr);
    if (root && (!json_is_object(root) || !json_is_array(json_object_get(root, "notices")))) {
        json_decref(root);
        return NULL;
    }
    return root;
}

bool notify_is_list(const void *body, size_t len)
{
    if (!body || len > MAX_LIST_BYTES)
        return false;
    json_error_t jerr;
    json_t *root = load_list(body, len, &jerr);
    bool ok = root != NULL;
    json_decref(root);
    return ok;
}

static json_int_t peek_seq(const char *notice, size_t len)
{
    json_error_t jerr;
    if (len >= 3 && memcmp(notice, "\xEF\xBB\xBF", 3) == 0)
        notice += 3, len -= 3;
    json_t *o = json_loadb(notice, len, 0, &jerr);
    json_t *seq = json_object_get(o, "seq");
    json_int_t v = json_is_integer(seq) ? json_integer_value(seq) : 0;
    json_decref(o);
    return v;
}

static int by_seq(const void *a, const void *b)
{
    const struct entry *x = a, *y = b;
    if (x->seq != y->seq)
        return x->seq < y->seq ? -1 : 1;
    return x->pos < y->pos ? -1 : x->pos > y->pos;
}

static void note_refusal(struct notify_list_result *out, char *err, size_t err_len, const char *fmt,
                         ...) __attribute__((format(printf, 4, 5)));
static void note_refusal(struct notify_list_result *out, char *err, size_t err_len, const char *fmt,
                         ...)
{
    out->refused++;
    if (err && err_len && !err[0]) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, err_len, fmt, ap);
        va_end(ap);
    }
}

/* The entries of a list, in order of seq; *root keeps their texts alive (json_decref it).
 * Returns the count; refusals of malformed entries are counted in out. */
static size_t list_entries(const void *body, size_t len, const char *source_id, json_t **root,
                           struct entry **out_entries, struct notify_list_result *out, char *err,
                           size_t err_len)
{
    json_error_t jerr;
    *out_entries = NULL;
    *root = len <= MAX_LIST_BYTES ? load_list(body, len, &jerr) : NULL;
    if (!*root) {
        note_refusal(out, err, err_len, "bad document: not a notice list");
        LOG_WARN("notice list from source %s refused: not a notice list", source_id);
        return 0;
    }
    const char *format = json_string_value(json_object_get(*root, "format"));
    if (format && strcmp(format, LIST_FORMAT) != 0)
        LOG_WARN("notice list from source %s: format \"%s\" (this screen reads %s); reading "
                 "the entries it understands",
                 source_id, format, LIST_FORMAT);
    json_t *arr = json_object_get(*root, "notices");
    size_t n = json_array_size(arr);
    if (n > MAX_ENTRIES) {
        LOG_WARN("notice list from source %s: %zu entries, reading the first %d", source_id, n,
                 MAX_ENTRIES);
        n = MAX_ENTRIES;
    }
    struct entry *e = xcalloc(n ? n : 1, sizeof *e);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        json_t *it = json_array_get(arr, i);
        json_t *notice = json_object_get(it, "notice"), *sig = json_object_get(it, "minisig");
        if (!json_is_string(notice) || !json_is_string(sig)) {
            note_refusal(out, err, err_len,
                         "bad document: entry %zu has no \"notice\" and \"minisig\" texts", i + 1);
            LOG_WARN("notice list from source %s: entry %zu refused: no \"notice\" and "
                     "\"minisig\" texts",
                     source_id, i + 1);
            continue;
        }
        e[k] = (struct entry){.notice = json_string_value(notice),
                              .notice_len = json_string_length(notice),
                              .sig = json_string_value(sig),
                              .sig_len = json_string_length(sig),
                              .pos = i};
        e[k].seq = peek_seq(e[k].notice, e[k].notice_len);
        k++;
    }
    qsort(e, k, sizeof *e, by_seq);
    *out_entries = e;
    return k;
}

void notify_accept_list(struct store *s, const struct config *cfg, const char *source_id,
                        const void *body, size_t len, int64_t now, bool clock_trusted,
                        struct notify_list_result *out, char *err, size_t err_len)
{
    memset(out, 0, sizeof *out);
    if (err && err_len)
        err[0] = '\0';
    json_t *root;
    struct entry *e;
    size_t k = list_entries(body, len, source_id, &root, &e, out, err, err_len);
    for (size_t i = 0; i < k; i++) {
        char why[512];
        enum notify_verdict v =
            notify_accept_signed_ex(s, cfg, source_id, e[i].notice, e[i].notice_len, e[i].sig,
                                    e[i].sig_len, now, clock_trusted, true, why, sizeof why);
        if (v == NOTIFY_ACCEPTED || v == NOTIFY_CANCELLED)
            out->applied++;
        else if (v == NOTIFY_UNCHANGED || v == NOTIFY_NOT_TARGETED)
            out->unchanged++;
        else
            note_refusal(out, err, err_len, "entry %zu: %s", e[i].pos + 1, why);
    }
    free(e);
    json_decref(root);
}

int notify_check_list_entries(struct store *st, struct config *cfg, const char *file,
                              const void *body, size_t len, int64_t now, bool clock_trusted,
                              bool any_commune, notify_print_fn print)
{
    struct notify_list_result res = {0};
    char err[512] = "";
    json_t *root;
    struct entry *e;
    size_t k = list_entries(body, len, file, &root, &e, &res, err, sizeof err);
    int rc = res.refused ? 1 : 0;
    if (err[0])
        printf("%s: REFUSED: %s\n", file, err);
    for (size_t i = 0; i < k; i++) {
        struct notify_report r;
        char *label = xasprintf("%s entry %zu", file, e[i].pos + 1);
        if (any_commune)
            cfg->commune_code = (char *)"all";
        notify_check_signed(st, cfg, e[i].notice, e[i].notice_len, e[i].sig, e[i].sig_len, now,
                            clock_trusted, &r);
        if (any_commune && r.verdict == NOTIFY_NOT_TARGETED) {
            char first[64];
            snprintf(first, sizeof first, "%.*s", (int)strcspn(r.targets, ", "), r.targets);
            cfg->commune_code = first;
            notify_check_signed(st, cfg, e[i].notice, e[i].notice_len, e[i].sig, e[i].sig_len, now,
                                clock_trusted, &r);
            cfg->commune_code = (char *)"all";
        }
        print(label, &r, cfg, any_commune);
        if (r.verdict != NOTIFY_ACCEPTED && r.verdict != NOTIFY_CANCELLED &&
            r.verdict != NOTIFY_UNCHANGED)
            rc = 1;
        free(label);
    }
    if (k == 0 && !err[0])
        printf("%s: the list is empty\n", file);
    free(e);
    json_decref(root);
    return rc;
}
