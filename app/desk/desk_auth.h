/* desk_auth: accounts (users file of argon2id hashes), sessions with their CSRF token, and the
 * login rate limit. Thread-safe (one mutex); private to app/desk/. */
#ifndef BANGTIN_DESK_AUTH_H
#define BANGTIN_DESK_AUTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define AUTH_TOKEN_LEN 43 /* base64url of 32 random bytes, no padding */
#define AUTH_USER_MAX  64

/* Login limit: after AUTH_MAX_FAILS failures in a row (per user, and per client address), every
 * attempt — the right password too — is refused until the lock ends. The first lock lasts
 * AUTH_LOCK_FIRST_S; each failure after a lock ends locks again for twice as long, up to
 * AUTH_LOCK_MAX_S. A success (when not locked) clears the count. */
#define AUTH_MAX_FAILS    10
#define AUTH_LOCK_FIRST_S 60
#define AUTH_LOCK_MAX_S   (24 * 3600)

#define AUTH_SESSION_IDLE_S 3600        /* a session unused this long ends */
#define AUTH_SESSION_MAX_S  (12 * 3600) /* and every session ends after this */
#define AUTH_MAX_SESSIONS   4096

struct auth;

struct auth_session {
    char id[AUTH_TOKEN_LEN + 1];
    char csrf[AUTH_TOKEN_LEN + 1];
    char user[AUTH_USER_MAX + 1]; /* "" = not logged in (the login form's session) */
    int64_t created, last_seen;
};

/* Users file: one "user:$argon2id$…" line each. Returns NULL and err when unreadable. */
struct auth *auth_create(const char *users_file, char *err, size_t err_len);
void auth_destroy(struct auth *a);
size_t auth_user_count(struct auth *a);

/* Session by cookie value: copies it to out (last_seen refreshed). false when none/expired. */
bool auth_session_get(struct auth *a, const char *id, int64_t now, struct auth_session *out);
/* A new session (user may be ""), replacing old_id when given (rotation at login). */
void auth_session_new(struct auth *a, const char *user, const char *old_id, int64_t now,
                      struct auth_session *out);
void auth_session_end(struct auth *a, const char *id);
/* Constant-time comparison of a submitted CSRF token with the session's. */
bool auth_csrf_ok(const struct auth_session *s, const char *token);

enum auth_login { AUTH_LOGIN_OK, AUTH_LOGIN_WRONG, AUTH_LOGIN_LOCKED };
/* Checks the limit for user and addr first, then the password. *retry_at: when locked. */
enum auth_login auth_login(struct auth *a, const char *user, const char *password, const char *addr,
                           int64_t now, int64_t *retry_at);

/* Read-only API token: the file's first line, compared in constant time. */
bool auth_token_ok(const char *expected, const char *given);

/* `bangtin passwd`: add or replace user in the file (0600, written atomically). */
bool auth_passwd_set(const char *users_file, const char *user, const char *password, char *err,
                     size_t err_len);
bool auth_user_name_ok(const char *user);

#endif
