/* freshness: what the footer says about the news — "cập nhật HH:MM" from the newest success of a
 * news source, and the offline mark when every news source is failing. Urgent sources are
 * polled far more often and must not hide a news outage, so they are left out. */
#include "bangtin/render.h"

void render_freshness_add(struct render_freshness *f, bool news, bool failing,
                          int64_t failing_since, int64_t last_success)
{
    if (!news)
        return;
    f->news++;
    if (last_success > f->last_update)
        f->last_update = last_success;
    if (failing) {
        f->failing++;
        if (failing_since > 0 && (f->since == 0 || failing_since < f->since))
            f->since = failing_since;
    }
}

void render_freshness_apply(const struct render_freshness *f, struct render_frame_info *fi)
{
    fi->last_update = f->last_update;
    fi->offline = f->news > 0 && f->failing == f->news;
    fi->offline_since = fi->offline ? f->since : 0;
}
