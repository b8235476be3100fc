/* paths: where fonts/ and assets/ are, whether running from the build tree or installed. */
#include "setup.h"

#include "bangtin/util.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char root[PATH_MAX];

static bool has_resources(const char *dir)
{
    char probe[PATH_MAX + 64];
    struct stat st;
    snprintf(probe, sizeof probe, "%s/fonts/NotoSans-Regular.ttf", dir);
    return stat(probe, &st) == 0;
}

const char *paths_resource_root(void)
{
    if (root[0])
        return root;
    const char *env = getenv("BANGTIN_RESOURCE_DIR");
    if (env && has_resources(env)) {
        snprintf(root, sizeof root, "%s", env);
        return root;
    }
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash)
            *slash = '\0';
        /* build/bangtin → the source tree; /usr/bin/bangtin → /usr/share/bangtin */
        static const char *const rel[] = {"/..", "/../..", "/../share/bangtin"};
        for (size_t i = 0; i < ARRAY_LEN(rel); i++) {
            char cand[PATH_MAX + 32];
            snprintf(cand, sizeof cand, "%s%s", exe, rel[i]);
            char *real = realpath(cand, NULL);
            if (real && has_resources(real)) {
                snprintf(root, sizeof root, "%s", real);
                free(real);
                return root;
            }
            free(real);
        }
    }
    snprintf(root, sizeof root, "%s", BANGTIN_DATADIR);
#ifdef BANGTIN_SOURCE_DIR
    /* Run from a build folder outside the source tree (cmake -B /tmp/b): the installed
     * resources first, then the source tree this binary was built from. */
    if (!has_resources(root) && has_resources(BANGTIN_SOURCE_DIR))
        snprintf(root, sizeof root, "%s", BANGTIN_SOURCE_DIR);
#endif
    return root;
}

char *paths_resource(const char *rel)
{
    if (!rel || !*rel)
        return NULL;
    if (rel[0] == '/')
        return xstrdup(rel);
    return xasprintf("%s/%s", paths_resource_root(), rel);
}
