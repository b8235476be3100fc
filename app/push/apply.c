/* apply: a batch of notice messages → the store, on the main thread. The broker is not
 * trusted, so this is exactly the polled signed-notice path (notify_accept_signed_info:
 * signature over the exact notice bytes before anything is read, pinned keys, target,
 * expiry, per-key seq in the store's transaction) plus an acknowledgement per message. */
#define LOG_MODULE "push"
#include "bangtin/config.h"
#include "bangtin/log.h"
#include "bangtin/notify.h"
#include "bangtin/push.h"
#include "bangtin/util.h"
#include "push_internal.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct entry {
    const struct push_message *msg;
    char *notice, *sig;
    size_t notice_len, sig_len;
    char key_hex[17];
    int64_t seq; /* from a verified document; 0 = unknown (applied first, refused anyway) */
    char err[256];
};

/* Only for ordering a retained burst: the seq of a document whose signature checks out.
 * Nothing unverified is read. */
static void peek_seq(struct entry *e, const struct notify_key *keys, size_t n_keys)
{
    const struct notify_key *signer = NULL;
    char err[64];
    if (n_keys == 0 ||
        notify_check_signature(keys, n_keys, e->notice, e->notice_len, e->sig, e->sig_len, &signer,
                               err, sizeof err) != NOTIFY_ACCEPTED)
        return;
    notify_key_id_hex(signer, e->key_hex);
    json_t *root = json_loadb(e->notice, e->notice_len, 0, NULL);
    json_t *seq = json_object_get(root, "seq");
    if (json_is_integer(seq))
        e->seq = json_integer_value(seq);
    json_decref(root);
}

static int entry_cmp(const void *a, const void *b)
{
    const struct entry *x = a, *y = b;
    int k = strcmp(x->key_hex, y->key_hex);
    if (k)
        return k;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static size_t parse_keys(const struct config *cfg, struct notify_key **out)
{
    *out = xcalloc(cfg->n_keys ? cfg->n_keys : 1, sizeof **out);
    size_t n = 0;
    char err[128];
    for (size_t i = 0; i < cfg->n_keys; i++)
        if (notify_key_parse(cfg->keys[i].pubkey, cfg->keys[i].name, &(*out)[n], err, sizeof err))
            n++;
    return n;
}

/* Refusals are logged at most LOG_BURST a minute (main thread only): a broker, or whoever
 * holds a desk's password, can send thousands a second. */
#define LOG_BURST 20
static struct {
    int64_t window; /* wall-clock minute */
    int logged, skipped;
} refusal_log;

static void log_refusal(bool quiet, const char *topic, const char *err, int64_t now)
{
    if (now / 60 != refusal_log.window) {
        if (refusal_log.skipped)
            LOG_WARN("%d more refused notice messages in the last minute were not logged",
                     refusal_log.skipped);
        refusal_log.window = now / 60;
        refusal_log.logged = refusal_log.skipped = 0;
    }
    if (refusal_log.logged >= LOG_BURST) {
        refusal_log.skipped++;
        return;
    }
    refusal_log.logged++;
    log_msg(quiet ? LOG_LEVEL_INFO : LOG_LEVEL_WARN, LOG_MODULE,
            "signed notice from source mqtt:%s refused: %s", topic, err);
}

static size_t apply_one(struct store *s, const struct config *cfg, struct push_client *c,
                        struct entry *e, int64_t now, bool clock_trusted)
{
    const char *topic_id = push_topic_notice_id(e->msg->topic);
    if (!e->notice) {
        log_refusal(false, e->msg->topic, e->err, now);
        push_client_ack(c, topic_id, "refused", e->err, now);
        return 0;
    }
    struct notify_outcome out;
    char err[512];
    char *source = xasprintf("mqtt:%s", e->msg->topic);
    enum notify_verdict v =
        notify_accept_signed_info(s, cfg, source, e->notice, e->notice_len, e->sig, e->sig_len, now,
                                  clock_trusted, &out, false, err, sizeof err);
    free(source);
    if (out.id[0] && strcmp(out.id, topic_id) != 0)
        LOG_WARN("%s carries notice %s: acknowledged under the topic's id", e->msg->topic, out.id);
    if (v == NOTIFY_ACCEPTED || v == NOTIFY_CANCELLED) {
        push_client_ack(c, topic_id, v == NOTIFY_ACCEPTED ? "shown" : "cancelled", NULL, now);
        return 1;
    }
    if (out.unchanged) {
        LOG_INFO("%s: notice %s unchanged (seq %lld again)", e->msg->topic, out.id,
                 (long long)out.seq);
        push_client_ack(c, topic_id, out.cancel ? "cancelled" : "shown", "unchanged", now);
        return 0;
    }
    log_refusal(false, e->msg->topic, err, now);
    push_client_ack(c, topic_id, "refused", err, now);
    return 0;
}

size_t push_apply_batch(struct store *s, const struct config *cfg, struct push_client *c,
                        const struct push_batch *b, int64_t now, bool clock_trusted)
{
    if (!b || b->n == 0)
        return 0;
    struct entry *es = xcalloc(b->n, sizeof *es);
    size_t n = 0;
    for (size_t i = 0; i < b->n; i++) {
        const struct push_message *m = &b->msgs[i];
        if (m->len == 0 || !push_topic_notice_id(m->topic))
            continue; /* a cleared retained topic */
        struct entry *e = &es[n++];
        e->msg = m;
        push_payload_parse(m->payload, m->len, &e->notice, &e->notice_len, &e->sig, &e->sig_len,
                           e->err, sizeof e->err);
    }
    if (n > 1) {
        struct notify_key *keys;
        size_t n_keys = parse_keys(cfg, &keys);
        for (size_t i = 0; i < n; i++)
            if (es[i].notice)
                peek_seq(&es[i], keys, n_keys);
        for (size_t i = 0; i < n_keys; i++)
            notify_key_free(&keys[i]);
        free(keys);
        qsort(es, n, sizeof *es, entry_cmp);
    }
    size_t changed = 0;
    for (size_t i = 0; i < n; i++) {
        changed += apply_one(s, cfg, c, &es[i], now, clock_trusted);
        free(es[i].notice);
        free(es[i].sig);
    }
    free(es);
    return changed;
}
