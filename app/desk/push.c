/* desk push glue: publishing to MQTT and reading the fleet go through push.h (issue 13's
 * client). Built without app/push/, the desk still signs and writes the webroot and says on
 * every page that MQTT is not available. */
#include <stdio.h>
#include <string.h>

#include "bangtin/push.h"
#include "desk_priv.h"

bool desk_push_available(struct desk *d)
{
    return d->fleet != NULL;
}

bool desk_push_publish(struct desk *d, const char *const *targets, size_t n, const char *id,
                       const char *doc, const char *sig, char *err, size_t err_len)
{
#ifdef BANGTIN_HAVE_PUSH
    if (d->fleet)
        return push_fleet_publish_notice(d->fleet, targets, n, id, doc, strlen(doc), sig,
                                         strlen(sig), 5000, err, err_len);
#else
    (void)targets, (void)n, (void)id, (void)doc, (void)sig;
#endif
    snprintf(err, err_len, "%s",
             d->fleet ? "this build has no MQTT client" : "no [push] broker configured");
    return false;
}
