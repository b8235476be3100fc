/* Signed notices (DESIGN.md §6, way 2): a small JSON document plus a detached minisign
 * signature. Order of checks, each refusal logged with its reason: signature over the raw
 * bytes (before any parsing) → document → target → expiry (trusted clock only) → per-key
 * sequence number, which the store checks and records in the same transaction as the notice.
 *
 *   {"id":"lu-2026-11","seq":7,"issued":"2026-11-27T08:00:00+07:00",
 *    "expires":"2026-11-28T08:00:00+07:00","title":"…","body":"…","severity":"extreme",
 *    "targets":["all"],"action":"show"}
 *
 * "action":"cancel" removes the notice with that "id" signed by the same key (title, body,
 * severity and expires may then be omitted). */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LOG_MODULE "notify"
#include "bangtin/config.h"
#include "bangtin/feed.h"
#include "bangtin/log.h"
#include "bangtin/notify.h"
#include "bangtin/quote.h"
#include "bangtin/store.h"
#include "bangtin/text.h"
#include "bangtin/util.h"
#include "notify_internal.h"

#define MAX_ID_LEN 64

struct signed_doc {
    const char *id; /* borrowed from the json tree */
    int64_t seq, issued, expires;
    const char *title, *body, *instruction, *area;
    int severity;
    bool cancel;
    json_t *targets;
};

const char *notify_verdict_name(enum notify_verdict v)
{
    switch (v) {
    case NOTIFY_ACCEPTED: return "accepted";
    case NOTIFY_CANCELLED: return "cancelled";
    case NOTIFY_BAD_SIGNATURE: return "bad signature";
    case NOTIFY_UNKNOWN_KEY: return "unknown key";
    case NOTIFY_BAD_DOCUMENT: return "bad document";
    case NOTIFY_REPLAYED: return "replayed";
    case NOTIFY_EXPIRED: return "expired";
    case NOTIFY_NOT_TARGETED: return "not targeted";
    case NOTIFY_STORE_FAILED: return "store failed";
    case NOTIFY_UNCHANGED: return "unchanged";
    }
    return "?";
}

static const char *const severity_names[] = {"unknown", "minor", "moderate", "severe", "extreme"};

int notify_severity_parse(const char *s)
{
    for (size_t i = 1; s && i < ARRAY_LEN(severity_names); i++)
        if (strcmp(s, severity_names[i]) == 0)
            return (int)i;
    return -1;
}

const char *notify_severity_name(int severity)
{
    if (severity < 0 || (size_t)severity >= ARRAY_LEN(severity_names))
        return "unknown";
    return severity_names[severity];
}

static bool id_valid(const char *id)
{
    size_t n = strlen(id);
    if (n == 0 || n > MAX_ID_LEN)
        return false;
    return strspn(id, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._:-") == n;
}

/* Optional string member: absent → NULL and true; present but not a string → false. */
static bool get_str(json_t *o, const char *key, const char **out)
{
    json_t *v = json_object_get(o, key);
    *out = NULL;
    if (!v)
        return true;
    if (!json_is_string(v))
        return false;
    *out = json_string_value(v);
    return true;
}

static bool get_date(json_t *o, const char *key, int64_t *out, bool *present)
{
    const char *s;
    *out = 0;
    if (!get_str(o, key, &s))
        return false;
    *present = s != NULL;
    return !s || notify_parse_rfc3339(s, out);
}

/* A title made only of blanks or control characters would be empty on screen. */
static bool title_visible(const char *s)
{
    char *t = text_sanitize_str(s, 0);
    bool ok = t[0] != '\0';
    free(t);
    return ok;
}

/* Type and presence checks; fills d with values borrowed from o. */
static bool doc_parse(json_t *o, struct signed_doc *d, char *why, size_t why_len)
{
    const char *action, *severity;
    bool has_issued, has_expires;
    json_t *seq = json_object_get(o, "seq");
    memset(d, 0, sizeof(*d));
#define FAIL(...) return snprintf(why, why_len, __VA_ARGS__), false
    if (!get_str(o, "id", &d->id) || !d->id || !id_valid(d->id))
        FAIL("\"id\" missing or not 1-%d of [A-Za-z0-9._:-]", MAX_ID_LEN);
    if (!json_is_integer(seq) || json_integer_value(seq) < 1)
        FAIL("\"seq\" missing or not a positive integer");
    d->seq = json_integer_value(seq);
    if (!get_str(o, "action", &action) ||
        (action && strcmp(action, "show") != 0 && strcmp(action, "cancel") != 0))
        FAIL("\"action\" is not \"show\" or \"cancel\"");
    d->cancel = action && strcmp(action, "cancel") == 0;
    if (!get_date(o, "issued", &d->issued, &has_issued) || !has_issued)
        FAIL("\"issued\" missing or not an RFC 3339 date");
    if (!get_date(o, "expires", &d->expires, &has_expires) || (!has_expires && !d->cancel))
        FAIL("\"expires\" missing or not an RFC 3339 date");
    if (has_expires && d->expires <= d->issued)
        FAIL("\"expires\" is not after \"issued\"");
    d->targets = json_object_get(o, "targets");
    if (!json_is_array(d->targets) || json_array_size(d->targets) == 0)
        FAIL("\"targets\" missing or not a non-empty array");
    for (size_t i = 0; i < json_array_size(d->targets); i++)
        if (!json_is_string(json_array_get(d->targets, i)))
            FAIL("\"targets\" holds something that is not a string");
    if (!get_str(o, "title", &d->title) || !get_str(o, "body", &d->body) ||
        !get_str(o, "instruction", &d->instruction) || !get_str(o, "area", &d->area) ||
        !get_str(o, "severity", &severity))
        FAIL("a text member is not a string");
    if (d->cancel)
        return true;
    if (!d->title || !d->body || !title_visible(d->title))
        FAIL("\"title\" (not blank) and \"body\" are required");
    d->severity = notify_severity_parse(severity);
    if (d->severity < 0)
        FAIL("\"severity\" is not minor, moderate, severe or extreme");
#undef FAIL
    return true;
}

static bool doc_targets(const struct signed_doc *d, const struct config *cfg)
{
    for (size_t i = 0; i < json_array_size(d->targets); i++) {
        const char *t = json_string_value(json_array_get(d->targets, i));
        if (strcmp(t, "all") == 0)
            return true;
        /* A 2-digit target is a province (2025 codes: provinces 2 digits, communes 5). */
        if (cfg->province_code && cfg->province_code[0] && strcmp(t, cfg->province_code) == 0)
            return true;
        if (cfg->commune_code && cfg->commune_code[0] && strcmp(t, cfg->commune_code) == 0)
            return true;
    }
    return false;
}

/* One evaluation: the inputs, whether it stores (dry for `bangtin notice check`), and what
 * it learned for the report. */
struct eval {
    struct store *s; /* NULL: seq not checked (dry run without a cache) */
    const struct config *cfg;
    const char *source_id;
    int64_t now;
    bool clock_trusted, dry, in_list;
    bool quiet; /* the refusal is routine: logged at info */
    struct notify_report *rep;
    struct notify_outcome *out; /* MQTT acks: what the document was (may be NULL) */
    char why[512];
};

static bool urgent_held(struct store *s, const char *id)
{
    struct store_urgent *list;
    size_t n = store_urgent_active(s, 0, false, &list);
    bool found = false;
    for (size_t i = 0; i < n && !found; i++)
        found = strcmp(list[i].id, id) == 0;
    store_urgent_free(list, n);
    return found;
}

/* The row a screen stores for an accepted document (the desk's preview stores the same). */
static void doc_to_urgent(const struct signed_doc *d, const char *id, const char *source_id,
                          const char *signer, struct store_urgent *u)
{
    memset(u, 0, sizeof(*u));
    u->id = (char *)id;
    u->origin = STORE_URGENT_SIGNED;
    u->source_id = (char *)source_id;
    u->issuer = text_sanitize_str(signer, 0);
    u->verified = true;
    u->severity = d->severity;
    u->issued = d->issued;
    u->expires = d->expires;
    if (d->cancel)
        return;
    u->title = text_sanitize_str(d->title, 0);
    u->body = text_sanitize_str(d->body, TEXT_KEEP_NEWLINES);
    u->instruction = d->instruction ? text_sanitize_str(d->instruction, TEXT_KEEP_NEWLINES) : NULL;
    u->area = d->area ? text_sanitize_str(d->area, 0) : NULL;
}

static void urgent_fields_free(struct store_urgent *u)
{
    free(u->title), free(u->body), free(u->instruction), free(u->area), free(u->issuer);
}

/* Store the notice (or the cancel) with its seq in one transaction. A seq not above the last
 * is "unchanged" when the state it asks for is already held (the same notice fetched again:
 * a refetch, SIGHUP, --fetch-once) or when it is an older entry of a list; otherwise a
 * replay. */
static enum notify_verdict doc_store(struct eval *e, const struct signed_doc *d,
                                     const struct notify_key *k)
{
    char hex[17];
    notify_key_id_hex(k, hex);
    int64_t last = e->s ? store_key_last_seq(e->s, hex) : 0;
    char *id = xasprintf("signed:%s:%s", hex, d->id);
    if (e->rep)
        e->rep->last_seq = last;
    if (d->seq <= last) {
        bool held = urgent_held(e->s, id);
        bool same = d->seq == last && (d->cancel ? !held : held);
        free(id);
        if (same || e->in_list) {
            e->quiet = true;
            snprintf(e->why, sizeof e->why,
                     "seq %lld already applied (the last from key %s is %lld)", (long long)d->seq,
                     hex, (long long)last);
            return NOTIFY_UNCHANGED;
        }
        snprintf(e->why, sizeof e->why, "seq %lld is not above %lld, the last accepted from key %s",
                 (long long)d->seq, (long long)last, hex);
        return NOTIFY_REPLAYED;
    }
    if (e->dry) {
        free(id);
        return d->cancel ? NOTIFY_CANCELLED : NOTIFY_ACCEPTED;
    }
    struct store_urgent u;
    doc_to_urgent(d, id, e->source_id, k->name, &u);
    char serr[256] = "";
    bool ok = d->cancel ? store_urgent_put_signed(e->s, hex, d->seq, NULL, id, serr, sizeof(serr))
                        : store_urgent_put_signed(e->s, hex, d->seq, &u, NULL, serr, sizeof(serr));
    urgent_fields_free(&u);
    free(id);
    if (ok)
        return d->cancel ? NOTIFY_CANCELLED : NOTIFY_ACCEPTED;
    /* The store re-checks the seq inside its transaction: tell a lost race from a failure. */
    last = store_key_last_seq(e->s, hex);
    snprintf(e->why, sizeof e->why, "%s (key %s, seq %lld, last %lld)",
             serr[0] ? serr : "store error", hex, (long long)d->seq, (long long)last);
    return d->seq <= last ? NOTIFY_REPLAYED : NOTIFY_STORE_FAILED;
}

static void report_doc(struct notify_report *r, const struct signed_doc *d)
{
    snprintf(r->id, sizeof r->id, "%s", d->id);
    r->seq = d->seq;
    r->issued = d->issued;
    r->expires = d->expires;
    r->cancel = d->cancel;
    r->severity = d->severity;
    char *t = d->title ? text_sanitize_str(d->title, 0) : xstrdup("");
    snprintf(r->title, sizeof r->title, "%s", t);
    free(t);
    r->targets[0] = '\0';
    size_t used = 0;
    for (size_t i = 0; i < json_array_size(d->targets) && used < sizeof r->targets; i++) {
        int n = snprintf(r->targets + used, sizeof r->targets - used, "%s%s", i ? ", " : "",
                         json_string_value(json_array_get(d->targets, i)));
        if (n < 0)
            break;
        used += (size_t)n;
    }
}

/* A file saved by Windows Notepad starts with a UTF-8 byte-order mark: the signature covers
 * it (it was checked over the raw bytes), the JSON parser must not see it. */
static size_t bom_len(const void *msg, size_t len)
{
    return len >= 3 && memcmp(msg, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
}

/* After the signature: parse and apply the rules. */
static enum notify_verdict doc_accept(struct eval *e, const struct notify_key *k, const void *msg,
                                      size_t msg_len)
{
    struct signed_doc d;
    json_error_t jerr;
    const struct config *cfg = e->cfg;
    if (msg_len > NOTIFY_MAX_DOC_BYTES) {
        snprintf(e->why, sizeof e->why, "document larger than %d bytes", NOTIFY_MAX_DOC_BYTES);
        return NOTIFY_BAD_DOCUMENT;
    }
    size_t skip = bom_len(msg, msg_len);
    json_t *root =
        json_loadb((const char *)msg + skip, msg_len - skip, JSON_REJECT_DUPLICATES, &jerr);
    if (!root) {
        char *q = quote_visible_str(jerr.text);
        snprintf(e->why, sizeof e->why, "not JSON: %s (line %d)", q, jerr.line);
        free(q);
        return NOTIFY_BAD_DOCUMENT;
    }
    enum notify_verdict v = NOTIFY_BAD_DOCUMENT;
    if (!json_is_object(root)) {
        snprintf(e->why, sizeof e->why, "not a JSON object");
    } else if (!doc_parse(root, &d, e->why, sizeof e->why)) {
        v = NOTIFY_BAD_DOCUMENT;
    } else {
        if (e->rep)
            report_doc(e->rep, &d);
        if (e->out) {
            snprintf(e->out->id, sizeof e->out->id, "%s", d.id);
            notify_key_id_hex(k, e->out->key_hex);
            e->out->seq = d.seq;
            e->out->cancel = d.cancel;
        }
        if (!doc_targets(&d, cfg)) {
            /* Normal on every screen of the other communes: not a failure. */
            snprintf(e->why, sizeof e->why, "notice %s is not for commune \"%s\" (province \"%s\")",
                     d.id, cfg->commune_code ? cfg->commune_code : "",
                     cfg->province_code ? cfg->province_code : "");
            e->quiet = true;
            v = NOTIFY_NOT_TARGETED;
        } else if (e->clock_trusted && d.expires != 0 && d.expires <= e->now) {
            snprintf(e->why, sizeof e->why, "notice %s expired %lld s ago", d.id,
                     (long long)(e->now - d.expires));
            v = NOTIFY_EXPIRED;
        } else {
            v = doc_store(e, &d, k);
            if (!e->dry && (v == NOTIFY_ACCEPTED || v == NOTIFY_CANCELLED))
                LOG_INFO("signed notice %s from source %s %s (seq %lld, signed by %s)", d.id,
                         e->source_id ? e->source_id : "?", notify_verdict_name(v),
                         (long long)d.seq, k->name);
        }
    }
    json_decref(root);
    return v;
}

static enum notify_verdict evaluate(struct eval *e, const void *msg, size_t msg_len,
                                    const char *sig, size_t sig_len)
{
    struct notify_key *keys;
    const struct notify_key *signer = NULL;
    size_t n_keys = notify_keys_from_config(e->cfg, &keys);
    enum notify_verdict v;
    if (n_keys == 0) {
        snprintf(e->why, sizeof e->why, "no trusted_key is pinned in [urgent]");
        v = NOTIFY_UNKNOWN_KEY;
    } else {
        v = notify_check_signature(keys, n_keys, msg, msg_len, sig, sig_len, &signer, e->why,
                                   sizeof e->why);
    }
    if (v == NOTIFY_ACCEPTED) {
        if (e->rep) {
            snprintf(e->rep->signer, sizeof e->rep->signer, "%s", signer->name);
            notify_key_id_hex(signer, e->rep->key_id);
        }
        v = doc_accept(e, signer, msg, msg_len);
    }
    notify_keys_free(keys, n_keys);
    if (e->rep) {
        e->rep->verdict = v;
        snprintf(e->rep->reason, sizeof e->rep->reason, "%s", e->why);
    }
    return v;
}

static enum notify_verdict accept(struct eval *e, const void *msg, size_t msg_len, const char *sig,
                                  size_t sig_len, bool log_refusal, char *err, size_t err_len)
{
    enum notify_verdict v = evaluate(e, msg, msg_len, sig, sig_len);
    if (e->out)
        e->out->unchanged = v == NOTIFY_UNCHANGED;
    if (v == NOTIFY_ACCEPTED || v == NOTIFY_CANCELLED) {
        if (err && err_len)
            err[0] = '\0';
        return v;
    }
    if (err && err_len)
        snprintf(err, err_len, "%s: %s", notify_verdict_name(v), e->why);
    if (!log_refusal)
        return v;
    const char *src = e->source_id ? e->source_id : "?";
    if (v == NOTIFY_UNCHANGED)
        LOG_INFO("signed notice from source %s unchanged: %s", src, e->why);
    else
        log_msg(e->quiet ? LOG_LEVEL_INFO : LOG_LEVEL_WARN, LOG_MODULE,
                "signed notice from source %s refused: %s: %s", src, notify_verdict_name(v),
                e->why);
    return v;
}

enum notify_verdict notify_accept_signed_ex(struct store *s, const struct config *cfg,
                                            const char *source_id, const void *msg, size_t msg_len,
                                            const char *sig, size_t sig_len, int64_t now,
                                            bool clock_trusted, bool in_list, char *err,
                                            size_t err_len)
{
    struct eval e = {.s = s,
                     .cfg = cfg,
                     .source_id = source_id,
                     .now = now,
                     .clock_trusted = clock_trusted,
                     .in_list = in_list};
    return accept(&e, msg, msg_len, sig, sig_len, true, err, err_len);
}

enum notify_verdict notify_accept_signed_info(struct store *s, const struct config *cfg,
                                              const char *source_id, const void *msg,
                                              size_t msg_len, const char *sig, size_t sig_len,
                                              int64_t now, bool clock_trusted,
                                              struct notify_outcome *out, bool log_refusal,
                                              char *err, size_t err_len)
{
    if (out)
        memset(out, 0, sizeof *out);
    struct eval e = {.s = s,
                     .cfg = cfg,
                     .source_id = source_id,
                     .now = now,
                     .clock_trusted = clock_trusted,
                     .out = out};
    return accept(&e, msg, msg_len, sig, sig_len, log_refusal, err, err_len);
}

enum notify_verdict notify_accept_signed(struct store *s, const struct config *cfg,
                                         const char *source_id, const void *msg, size_t msg_len,
                                         const char *sig, size_t sig_len, int64_t now,
                                         bool clock_trusted, char *err, size_t err_len)
{
    return notify_accept_signed_ex(s, cfg, source_id, msg, msg_len, sig, sig_len, now,
                                   clock_trusted, false, err, err_len);
}

enum notify_verdict notify_check_signed(struct store *s, const struct config *cfg, const void *msg,
                                        size_t msg_len, const char *sig, size_t sig_len,
                                        int64_t now, bool clock_trusted, struct notify_report *rep)
{
    memset(rep, 0, sizeof *rep);
    struct eval e = {
        .s = s, .cfg = cfg, .now = now, .clock_trusted = clock_trusted, .dry = true, .rep = rep};
    return evaluate(&e, msg, msg_len, sig, sig_len);
}

bool notify_store_preview(struct store *s, const char *source_id, const void *msg, size_t msg_len,
                          const char *signer, char *err, size_t err_len)
{
    struct signed_doc d;
    json_error_t jerr;
    char why[256] = "";
    size_t skip = bom_len(msg, msg_len);
    json_t *root =
        msg_len <= NOTIFY_MAX_DOC_BYTES
            ? json_loadb((const char *)msg + skip, msg_len - skip, JSON_REJECT_DUPLICATES, &jerr)
            : NULL;
    bool ok = root && json_is_object(root) && doc_parse(root, &d, why, sizeof(why)) && !d.cancel;
    if (ok) {
        struct store_urgent u;
        char *id = xasprintf("signed:preview:%s", d.id);
        doc_to_urgent(&d, id, source_id, signer, &u);
        ok = store_urgent_put(s, &u);
        if (!ok)
            snprintf(why, sizeof(why), "store error");
        urgent_fields_free(&u);
        free(id);
    } else if (!why[0]) {
        snprintf(why, sizeof(why), "not a notice document");
    }
    json_decref(root);
    if (!ok && err && err_len)
        snprintf(err, err_len, "%s", why);
    return ok;
}
