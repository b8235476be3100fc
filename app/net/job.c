/* job: one poll of one source as the worker runs it (the fetch, then its signature), shared by
 * the worker's own thread and the fetch process (child.c). */
#define LOG_MODULE "net"
#include "bangtin/log.h"

#include <stdio.h>
#include <stdlib.h>

#include "bangtin/util.h"
#include "net_internal.h"

enum net_status net_job_run(CURL *curl, const struct net_wire_job *j, const struct net_hooks *hooks,
                            struct net_response *out, char **sig, size_t *sig_len)
{
    *sig = NULL;
    *sig_len = 0;
    if (j->listing)
        net_fetch_listing_on(curl, &j->lim, &j->req, hooks, j->want_items, out);
    else
        net_fetch_on(curl, &j->lim, &j->req, hooks, out);
    if (out->status != NET_OK || !j->fetch_signature)
        return out->status;
    struct net_limits lim = j->lim;
    lim.max_bytes = NET_SIG_MAX;
    char *url = xasprintf("%s.minisig", j->req.url);
    struct net_request req = {.url = url, .allow_file = j->req.allow_file};
    struct net_response s;
    if (net_fetch_on(curl, &lim, &req, hooks, &s) == NET_OK) {
        *sig = s.body;
        *sig_len = s.len;
        s.body = NULL;
    } else {
        snprintf(out->error, sizeof(out->error), "signature not fetched: %.200s", s.error);
        LOG_WARN("%s: %s", url, out->error);
    }
    net_response_free(&s);
    free(url);
    return out->status;
}
