/* libFuzzer: feed_parse on arbitrary bytes (every format, every charset path). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "bangtin/feed.h"
#include "bangtin/log.h"
#include "bangtin/util.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    log_init(LOG_LEVEL_ERR);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* The low bits of the size pick an HTTP charset hint, so legacy paths get fuzzed too. */
    static const char *hints[] = {NULL,     NULL,    NULL,     "windows-1258",
                                  "VISCII", "TCVN3", "UTF-16", "iso-8859-1"};
    struct feed f;
    char err[256];
    if (feed_parse((const char *)data, size, hints[size % 8], "http://example.test/feed/", &f, err,
                   sizeof(err))) {
        struct buf b;
        buf_init(&b, 0);
        feed_dump_jsonl(&f, &b);
        buf_free(&b);
        for (size_t i = 0; i < f.n_items; i++)
            if (!f.items[i].guid || !f.items[i].title || !f.items[i].text)
                abort(); /* contract: never NULL */
        feed_free(&f);
    }
    return 0;
}
