/* libFuzzer: the JSON formats (WordPress REST posts, JSON Feed) through feed_parse. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "bangtin/feed.h"
#include "bangtin/log.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    log_init(LOG_LEVEL_ERR);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t i = 0;
    while (i < size && (data[i] == ' ' || data[i] == '\n' || data[i] == '\t' || data[i] == '\r'))
        i++;
    if (i == size || (data[i] != '[' && data[i] != '{'))
        return -1; /* not JSON: leave it out of the corpus */
    struct feed f;
    char err[256];
    if (feed_parse((const char *)data, size, NULL, "https://example.test/wp-json/", &f, err,
                   sizeof(err))) {
        if (f.format != FEED_FORMAT_WPJSON && f.format != FEED_FORMAT_JSONFEED)
            abort();
        feed_free(&f);
    }
    return 0;
}
