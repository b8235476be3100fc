/* libFuzzer: the minisign signature and public-key parsers and the strict RFC 3339 parser of
 * signed notices. Any input must be refused cleanly; nothing random may verify. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bangtin/log.h"
#include "bangtin/notify.h"
#include "fuzz_util.h"
#include "notify/notify_internal.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct notify_key key;
static const char msg[] = "{\"id\":\"x\"}";

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    log_init(LOG_LEVEL_ERR);
    char err[128];
    /* The test key of tests/data/minisign/test.pub. */
    if (!notify_key_parse("RWRRULiZSFGLWzVsQFf80sfK445qKAinHGsP1C/K6pchYBGy9642DjEE", "fuzz", &key,
                          err, sizeof err))
        abort();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_cstr(data, size);
    char err[256];
    const struct notify_key *signer = NULL;
    enum notify_verdict v =
        notify_check_signature(&key, 1, msg, sizeof msg - 1, text, size, &signer, err, sizeof err);
    if (v == NOTIFY_ACCEPTED)
        abort(); /* a forged signature over a fixed message: must never happen */
    struct notify_key k;
    if (notify_key_parse(text, "fuzz", &k, err, sizeof err))
        notify_key_free(&k);
    int64_t t;
    (void)notify_parse_rfc3339(text, &t);
    free(text);
    return 0;
}
