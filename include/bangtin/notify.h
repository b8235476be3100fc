/* notify: urgent notices. minisign signature check (Ed25519 via libsodium, legacy and
 * prehashed forms) over the raw bytes before any parsing, signed-notice acceptance rules
 * (pinned keys, expiry, targets, per-key increasing seq), CAP/urgent-feed → notices, and the
 * `bangtin notify` command. */
#ifndef BANGTIN_NOTIFY_H
#define BANGTIN_NOTIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct config;
struct config_source;
struct feed;
struct store;
struct store_urgent;

struct notify_key {
    uint8_t key_id[8];
    uint8_t pk[32];
    char *name;
};
/* Parse a minisign public key ("RW…" base64, or the two-line .pub file). */
bool notify_key_parse(const char *text, const char *name, struct notify_key *out, char *err,
                      size_t err_len);
void notify_key_free(struct notify_key *k);
/* The key id as minisign prints it ("3253F69021C0708E", as in the .pub comment line);
 * out must hold 17 bytes. Returns out. */
const char *notify_key_id_hex(const struct notify_key *k, char *out);

/* Verify a minisign signature file (text) over msg against the pinned keys. On success
 * *signer points into keys. Checks the global (trusted comment) signature too. */
bool notify_verify(const struct notify_key *keys, size_t n_keys, const void *msg, size_t msg_len,
                   const char *sig, size_t sig_len, const struct notify_key **signer, char *err,
                   size_t err_len);

enum notify_verdict {
    NOTIFY_ACCEPTED,
    NOTIFY_CANCELLED,
    NOTIFY_BAD_SIGNATURE,
    NOTIFY_UNKNOWN_KEY,
    NOTIFY_BAD_DOCUMENT,
    NOTIFY_REPLAYED, /* seq not above the last accepted one */
    NOTIFY_EXPIRED,
    NOTIFY_NOT_TARGETED,
    NOTIFY_STORE_FAILED,
    NOTIFY_UNCHANGED, /* the state it asks for is already held (the same document again) */
};
const char *notify_verdict_name(enum notify_verdict v);

/* notify_verify with the reason kept: NOTIFY_ACCEPTED, NOTIFY_UNKNOWN_KEY (well-formed
 * signature by a key that is not pinned) or NOTIFY_BAD_SIGNATURE (anything else). */
enum notify_verdict notify_check_signature(const struct notify_key *keys, size_t n_keys,
                                           const void *msg, size_t msg_len, const char *sig,
                                           size_t sig_len, const struct notify_key **signer,
                                           char *err, size_t err_len);

/* Largest signature file and signed document accepted (both are a few hundred bytes). */
#define NOTIFY_MAX_SIG_BYTES 4096
#define NOTIFY_MAX_DOC_BYTES (64 * 1024)
/* An item of an urgent RSS/Atom feed stays for this long after its date. */
#define NOTIFY_FEED_TTL_S (24 * 3600)

/* The whole path for a signed notice: verify, parse, check, store (seq in the same
 * transaction). Logs the verdict with its reason (a warning; info for the same document
 * fetched again, seq equal to the last). msg is the body of the source's url, sig the body
 * of url + ".minisig". Stored as "signed:<key id hex>:<id>" with issuer = the key's name.
 * Nothing is stored unless the verdict is NOTIFY_ACCEPTED or NOTIFY_CANCELLED. */
enum notify_verdict notify_accept_signed(struct store *s, const struct config *cfg,
                                         const char *source_id, const void *msg, size_t msg_len,
                                         const char *sig, size_t sig_len, int64_t now,
                                         bool clock_trusted, char *err, size_t err_len);

/* What notify_accept_signed_info learnt about the document (zeroed when the signature or the
 * document did not check out far enough to tell). */
struct notify_outcome {
    char id[65];      /* the document's "id" */
    char key_hex[17]; /* the signing key's id */
    int64_t seq;
    bool cancel;    /* "action": "cancel" */
    bool unchanged; /* NOTIFY_UNCHANGED: the seq equal to the last accepted, the very
                     * document already applied, arriving again (retained and live, or by
                     * MQTT and HTTP): not an error */
};
/* notify_accept_signed, telling the caller the document's id, seq and action too (MQTT acks).
 * log_refusal false: a refusal is only reported in err (the caller logs it, rate-limited: a
 * broker can send thousands a second). */
enum notify_verdict notify_accept_signed_info(struct store *s, const struct config *cfg,
                                              const char *source_id, const void *msg,
                                              size_t msg_len, const char *sig, size_t sig_len,
                                              int64_t now, bool clock_trusted,
                                              struct notify_outcome *out, bool log_refusal,
                                              char *err, size_t err_len);

/* notify_accept_signed for one entry of a notice list (in_list): an entry whose seq is not
 * above the last is an older entry already seen, NOTIFY_UNCHANGED, not a replay. */
enum notify_verdict notify_accept_signed_ex(struct store *s, const struct config *cfg,
                                            const char *source_id, const void *msg, size_t msg_len,
                                            const char *sig, size_t sig_len, int64_t now,
                                            bool clock_trusted, bool in_list, char *err,
                                            size_t err_len);

/* What a screen would do with a signed notice, for `bangtin notice check`. */
struct notify_report {
    enum notify_verdict verdict;
    char reason[512]; /* why it is refused (empty when shown or cancelling) */
    char signer[128], key_id[17];
    char id[65];
    int64_t seq, last_seq, issued, expires; /* last_seq: the cache's, 0 without one */
    bool cancel;
    int severity;
    char title[256];
    char targets[256]; /* "all" or "26734, 26737" */
};
/* The checks of notify_accept_signed, storing nothing. s may be NULL (the seq is then not
 * compared) or a cache opened read-only. */
enum notify_verdict notify_check_signed(struct store *s, const struct config *cfg, const void *msg,
                                        size_t msg_len, const char *sig, size_t sig_len,
                                        int64_t now, bool clock_trusted, struct notify_report *rep);

/* Notice lists (the README, "For officials"): one URL carrying several signed notices,
 *   {"format": "bangtin-notices/1",
 *    "notices": [{"notice": "<the text of notice.json>", "minisig": "<its .minisig>"}, …]}
 * Each entry is verified on its own, exactly like a notice.json + .minisig pair; the list
 * itself is not signed (a server can withhold entries, never forge one). */
bool notify_is_list(const void *body, size_t len);
struct notify_list_result {
    int applied;   /* accepted or cancelled now */
    int unchanged; /* already applied, not for this commune */
    int refused;   /* bad signature, unknown key, bad document, expired, replay, store */
};
/* Apply every entry, in order of seq. err gets the first refusal (empty when none). */
void notify_accept_list(struct store *s, const struct config *cfg, const char *source_id,
                        const void *body, size_t len, int64_t now, bool clock_trusted,
                        struct notify_list_result *out, char *err, size_t err_len);

/* An urgent source's parsed feed (RSS/Atom category feed or CAP) → its set of notices,
 * applying CAP msgType/references/status rules. The result is the source's complete set:
 * hand it to store_urgent_replace_source (only after a successful parse). Ids are
 * "cap:<source>:<identifier>" and "feed:<source>:<guid>". Items without a date are skipped
 * (an urgent category feed lists old posts too: an undated one could be years old). A source
 * with require_signature yields nothing from this path: its content goes to
 * notify_accept_signed, and store_urgent_replace_source must not be called for it (an empty
 * set would remove its signed notices). Returns the count (*out NULL when 0); caller frees
 * with store_urgent_free. */
size_t notify_from_feed(const struct config *cfg, const struct config_source *src,
                        const struct feed *f, int64_t now, struct store_urgent **out);

/* `bangtin notice check FILE [--key RW…]`: argv[0] is "notice". Exit code 0 when a screen
 * would show (or apply) it, 1 when refused, 2 usage. */
int notify_notice_main(int argc, char **argv, const struct config *cfg);

/* "low" | "minor" … → enum feed_severity; -1 when unknown. */
int notify_severity_parse(const char *s);
/* enum feed_severity → "extreme" | "severe" | "moderate" | "minor" | "unknown". */
const char *notify_severity_name(int severity);

/* ---- signing (the desk, DESIGN.md §11) ---- */
enum notify_sign_result {
    NOTIFY_SIGN_OK,
    NOTIFY_SIGN_BAD_PASSWORD, /* the checksum does not match after decryption */
    NOTIFY_SIGN_BAD_KEY_FILE,
    NOTIFY_SIGN_FAILED,
};
/* Sign msg with a minisign secret key file (key_text, its bytes; encrypted with scrypt as
 * minisign -G makes it, or unencrypted). The key is decrypted into locked memory for this one
 * signature and wiped. *sig_out gets the .minisig text (caller frees); key_id_hex (17 bytes,
 * may be NULL) the key id as minisign prints it. The trusted comment is one line. */
enum notify_sign_result notify_sign(const char *key_text, size_t key_len, const char *password,
                                    const void *msg, size_t msg_len, const char *trusted_comment,
                                    char **sig_out, char *key_id_hex, char *err, size_t err_len);

/* Store a notice document exactly as a screen stores it once accepted (same fields, same
 * sanitising, issuer = signer), without signature or seq: the desk's preview renders it
 * through the --screenshot path. Id "signed:preview:<id>". */
bool notify_store_preview(struct store *s, const char *source_id, const void *msg, size_t msg_len,
                          const char *signer, char *err, size_t err_len);

#endif
