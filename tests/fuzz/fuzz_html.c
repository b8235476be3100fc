/* libFuzzer: HTML fragment → text and first image. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bangtin/feed.h"
#include "bangtin/log.h"
#include "bangtin/text.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    log_init(LOG_LEVEL_ERR);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *t = feed_html_to_text((const char *)data, size);
    /* Whatever comes in, what comes out is valid UTF-8 with no NUL inside. */
    if (!text_is_valid_utf8(t, strlen(t)))
        abort();
    free(t);
    free(feed_html_first_image((const char *)data, size, "http://example.test/a/b.html"));
    return 0;
}
