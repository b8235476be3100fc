/* Urgent feeds → notices (DESIGN.md §6, way 1). Pure: the result is the source's complete
 * set of notices for this snapshot of the feed, which the caller hands to
 * store_urgent_replace_source in one transaction.
 *
 * CAP 1.2: Alert and Update messages become notices; Update and Cancel remove the messages
 * they reference (wherever they sit in the feed); Ack/Error show nothing. Only status Actual
 * is shown, Test/Exercise too when show_test_alerts; System/Draft never. expires is kept for
 * the store's active query (which applies it only with a trusted clock).
 *
 * Plain RSS/Atom items of an urgent category feed: one notice per item, expiring
 * NOTIFY_FEED_TTL_S after the item's date. An item without a date is skipped: a category
 * feed keeps listing old posts, and an undated one could be years old — taking the screen
 * over with it (and re-arming it forever at every poll, since "now" moves) is worse than
 * leaving it in the ordinary rotation. */
#include <stdlib.h>
#include <string.h>

#define LOG_MODULE "notify"
#include "bangtin/clock.h"
#include "bangtin/config.h"
#include "bangtin/feed.h"
#include "bangtin/log.h"
#include "bangtin/notify.h"
#include "bangtin/store.h"
#include "bangtin/util.h"
#include "notify_internal.h"

static bool cap_status_shown(const struct config *cfg, enum feed_cap_status st)
{
    if (st == FEED_CAP_ACTUAL)
        return true;
    return cfg->show_test_alerts && (st == FEED_CAP_TEST || st == FEED_CAP_EXERCISE);
}

/* Is identifier referenced by an Update or Cancel among the shown messages of the feed? */
static bool cap_superseded(const struct config *cfg, const struct feed *f, const char *ident)
{
    for (size_t i = 0; i < f->n_items; i++) {
        const struct feed_cap *c = f->items[i].cap;
        if (!c || !cap_status_shown(cfg, c->status) ||
            (c->msg_type != FEED_CAP_UPDATE && c->msg_type != FEED_CAP_CANCEL))
            continue;
        for (size_t r = 0; r < c->n_references; r++)
            if (c->references[r] && strcmp(c->references[r], ident) == 0)
                return true;
    }
    return false;
}

static char *first_nonempty(const char *a, const char *b, const char *c)
{
    if (!str_empty(a))
        return xstrdup(a);
    if (!str_empty(b))
        return xstrdup(b);
    return xstrdup(c ? c : "");
}

static bool cap_to_notice(const struct config *cfg, const struct config_source *src,
                          const struct feed *f, const struct feed_cap *c, struct store_urgent *u)
{
    if (!cap_status_shown(cfg, c->status) ||
        (c->msg_type != FEED_CAP_ALERT && c->msg_type != FEED_CAP_UPDATE))
        return false;
    if (str_empty(c->identifier)) {
        LOG_WARN("source %s: CAP alert without identifier skipped", src->id);
        return false;
    }
    if (cap_superseded(cfg, f, c->identifier))
        return false;
    u->id = xasprintf("cap:%s:%s", src->id, c->identifier);
    u->origin = STORE_URGENT_CAP;
    u->source_id = xstrdup(src->id);
    u->title = first_nonempty(c->headline, c->event, src->name);
    u->body = xstrdup(c->description ? c->description : "");
    u->instruction = xstrdup(c->instruction);
    u->area = xstrdup(c->area_desc);
    u->issuer = first_nonempty(c->sender_name, c->sender, src->name);
    u->verified = false;
    u->severity = (int)c->severity;
    u->issued = c->sent ? c->sent : c->effective;
    u->expires = c->expires;
    return true;
}

/* A plain item of an urgent category feed. *undated counts the skipped undated ones. */
static bool item_to_notice(const struct config_source *src, const struct feed_item *it, int64_t now,
                           struct store_urgent *u, size_t *undated)
{
    if (it->date == 0) {
        (*undated)++;
        return false;
    }
    /* A date far in the future would hold the screen until then. */
    if (clock_year_plausible(now) && it->date > now + NOTIFY_FEED_TTL_S) {
        LOG_WARN("source %s: item %s dated in the future, not shown as urgent", src->id, it->guid);
        return false;
    }
    u->id = xasprintf("feed:%s:%s", src->id, it->guid);
    u->origin = STORE_URGENT_FEED;
    u->source_id = xstrdup(src->id);
    u->title = xstrdup(it->title ? it->title : "");
    u->body = xstrdup(it->text ? it->text : "");
    u->issuer = xstrdup(str_empty(src->name) ? src->id : src->name);
    u->severity = FEED_SEVERITY_UNKNOWN;
    u->issued = it->date;
    u->expires = it->date + NOTIFY_FEED_TTL_S;
    return true;
}

static bool has_id(const struct store_urgent *list, size_t n, const char *id)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(list[i].id, id) == 0)
            return true;
    return false;
}

static void notice_clear(struct store_urgent *u)
{
    free(u->id), free(u->source_id), free(u->title), free(u->body), free(u->instruction);
    free(u->area), free(u->issuer);
    memset(u, 0, sizeof(*u));
}

size_t notify_from_feed(const struct config *cfg, const struct config_source *src,
                        const struct feed *f, int64_t now, struct store_urgent **out)
{
    *out = NULL;
    if (!f || f->n_items == 0)
        return 0;
    if (src->kind != CONFIG_SOURCE_URGENT) {
        LOG_DBG("source %s is not urgent: no notices from it", src->id);
        return 0;
    }
    if (src->require_signature) {
        LOG_WARN("source %s requires signed notices: its %zu unsigned feed item(s) are not "
                 "shown as urgent notices",
                 src->id, f->n_items);
        return 0;
    }
    struct store_urgent *list = xcalloc(f->n_items, sizeof(*list));
    size_t n = 0, undated = 0;
    for (size_t i = 0; i < f->n_items; i++) {
        const struct feed_item *it = &f->items[i];
        bool ok = it->cap ? cap_to_notice(cfg, src, f, it->cap, &list[n])
                          : item_to_notice(src, it, now, &list[n], &undated);
        if (ok && has_id(list, n, list[n].id)) /* an item listed twice */
            notice_clear(&list[n]);
        else if (ok)
            n++;
    }
    if (undated)
        LOG_WARN("source %s: %zu item(s) without a date not shown as urgent (cannot tell "
                 "when they expire)",
                 src->id, undated);
    if (n == 0) {
        free(list);
        return 0;
    }
    *out = list;
    return n;
}
