/* notify_sign against the real minisign: keys made by `minisign -G` (encrypted: scrypt + xor,
 * and -W unencrypted), signatures checked by `minisign -V` and by notify_verify; a wrong
 * password, a damaged key file. Exit 77 (SKIP) without the minisign program. */
#include "bangtin/notify.h"
#include "bangtin/util.h"
#include "check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dir[] = "/tmp/bangtin-sign-test-XXXXXX";

/* minisign -G [extra] for DIR/NAME.{pub,key}; input is fed to its stdin (the password). */
static int keygen(const char *name, const char *extra, const char *input)
{
    char *cmd = xasprintf("printf '%s' | minisign -G %s -p %s/%s.pub -s %s/%s.key >/dev/null",
                          input, extra, dir, name, dir, name);
    int rc = system(cmd);
    free(cmd);
    return rc;
}

static void check_key(const char *name, const char *pw)
{
    char *kp = xasprintf("%s/%s.key", dir, name), *pp = xasprintf("%s/%s.pub", dir, name);
    char *key = NULL, *pub = NULL;
    size_t kl = 0, pl = 0;
    CHECK(util_read_file(kp, 65536, &key, &kl) && util_read_file(pp, 4096, &pub, &pl));
    const char *msg = "{\"id\":\"t1\",\"title\":\"Cảnh báo lũ\"}\n";
    char *sig = NULL, err[256] = "", id[17] = "";
    enum notify_sign_result rc = notify_sign(
        key, kl, pw, msg, strlen(msg), "bangtin show id=t1 seq=1", &sig, id, err, sizeof(err));
    CHECK_MSG(rc == NOTIFY_SIGN_OK, "%s: %s", name, err);
    struct notify_key k;
    CHECK(notify_key_parse(pub, "x", &k, err, sizeof(err)));
    char hex[17];
    CHECK_STREQ(id, notify_key_id_hex(&k, hex));
    CHECK(sig && notify_verify(&k, 1, msg, strlen(msg), sig, strlen(sig), NULL, err, sizeof(err)));
    /* minisign itself accepts it */
    char *mp = xasprintf("%s/msg", dir), *sp = xasprintf("%s/msg.minisig", dir);
    CHECK(util_write_file_atomic(mp, msg, strlen(msg)) && sig &&
          util_write_file_atomic(sp, sig, strlen(sig)));
    char *cmd = xasprintf("minisign -V -q -p '%s' -m '%s' -x '%s'", pp, mp, sp);
    CHECK_MSG(system(cmd) == 0, "minisign -V refused the signature of %s", name);
    free(cmd), free(mp), free(sp);
    free(sig);
    if (pw[0]) {
        sig = NULL;
        rc = notify_sign(key, kl, "sai-mat-khau", msg, strlen(msg), "c", &sig, NULL, err,
                         sizeof(err));
        CHECK(rc == NOTIFY_SIGN_BAD_PASSWORD && sig == NULL);
    }
    /* A damaged key file (the unencrypted one: each scrypt of minisign's key costs 1 GiB).
     * The damage must fall in the secret key itself: base64 character 94 of the key line holds
     * bits 564..569 of the decoded file, inside bytes 70..71, which are in the Ed25519 seed
     * (bytes 62..93). An unencrypted key's id (bytes 54..61) is checked by nothing — it is
     * random, and minisign -W leaves the checksum zero — so damage there yields a signature
     * under the wrong key id, which every screen refuses as an untrusted key. The earlier
     * version of this test damaged the middle of the file, which is sometimes the key id:
     * that is why it failed now and then. */
    if (!pw[0]) {
        char *line = memchr(key, '\n', kl);
        CHECK(line && (size_t)(line + 1 + 94 - key) < kl);
        char *c = line + 1 + 94, was = *c;
        *c = was == 'A' ? 'B' : 'A';
        sig = NULL;
        rc = notify_sign(key, kl, pw, msg, strlen(msg), "c", &sig, NULL, err, sizeof(err));
        CHECK_MSG(rc == NOTIFY_SIGN_BAD_PASSWORD && sig == NULL, "damaged key signed (%d)", rc);
        free(sig);
        *c = was; /* whole again for the cases below */
    }
    rc = notify_sign("untrusted comment: x\nnot base64\n", 32, pw, msg, strlen(msg), "c", &sig,
                     NULL, err, sizeof(err));
    CHECK(rc == NOTIFY_SIGN_BAD_KEY_FILE);
    rc = notify_sign(key, kl, pw, msg, strlen(msg), "two\nlines", &sig, NULL, err, sizeof(err));
    CHECK(rc == NOTIFY_SIGN_FAILED);
    notify_key_free(&k);
    free(key), free(pub), free(kp), free(pp);
}

int main(void)
{
    if (system("command -v minisign >/dev/null 2>&1") != 0) {
        puts("SKIP: minisign not installed (scripts/deps --test)");
        return 77;
    }
    if (!mkdtemp(dir))
        return 1;
    CHECK(keygen("enc", "", "khoa-ky-123\\nkhoa-ky-123\\n") == 0);
    CHECK(keygen("plain", "-W", "") == 0);
    check_key("enc", "khoa-ky-123");
    check_key("plain", "");
    char *rm = xasprintf("rm -rf '%s'", dir);
    CHECK(system(rm) == 0);
    free(rm);
    return CHECK_DONE();
}
