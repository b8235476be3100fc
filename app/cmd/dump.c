/* dump: what bangtin reads from a feed, as JSON lines (--dump URL|FILE), without touching the
 * cache. Paged WordPress listings are followed as the kiosk follows them. */
#include "cmd.h"

#include "bangtin/config.h"
#include "bangtin/feed.h"
#include "bangtin/net.h"
#include "bangtin/util.h"
#include "glue/ingest.h"
#include "glue/setup.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cmd_dump(const struct config *cfg, const char *source)
{
    struct net_limits lim;
    setup_net_limits(cfg, &lim);
    char *url = strstr(source, "://") ? xstrdup(source) : NULL;
    struct net_response resp;
    memset(&resp, 0, sizeof resp);
    if (url) {
        struct net_request req = {.url = url, .allow_file = str_starts_with(url, "file://")};
        net_fetch_listing(&lim, &req, cfg->max_items, &resp);
    } else if (util_read_file(source, lim.max_bytes, &resp.body, &resp.len)) {
        resp.status = NET_OK;
    } else {
        resp.status = NET_BAD_DATA;
        snprintf(resp.error, sizeof resp.error,
                 "cannot read %s (missing, unreadable or over %zu"
                 " bytes)",
                 source, lim.max_bytes);
    }
    int rc = 1;
    if (resp.status != NET_OK) {
        fprintf(stderr, "bangtin: %s: %s\n", source,
                resp.error[0] ? resp.error : net_status_name(resp.status));
    } else {
        struct feed f;
        char err[256];
        bool complete;
        if (!ingest_parse_listing(&resp, url, &f, &complete, err, sizeof err)) {
            fprintf(stderr, "bangtin: %s: %s\n", source, err);
        } else {
            struct buf out;
            buf_init(&out, 0);
            feed_dump_jsonl(&f, &out);
            fwrite(out.data ? out.data : "", 1, out.len, stdout);
            buf_free(&out);
            fprintf(stderr, "bangtin: %s: %s, %zu items", source, feed_format_name(f.format),
                    f.n_items);
            if (resp.n_more)
                fprintf(stderr, " from %zu of %d pages%s", resp.n_more + 1, resp.wp_total_pages,
                        complete ? "" : " (some pages missing)");
            fputc('\n', stderr);
            rc = f.n_items ? 0 : 1;
            if (!f.n_items)
                fprintf(stderr, "bangtin: %s: the feed has no items\n", source);
            feed_free(&f);
        }
    }
    net_response_free(&resp);
    free(url);
    return rc;
}
