/* golden: compare a rendered surface with tests/render/golden/<name>.png. On mismatch write
 * <name>_actual.png and <name>_err.png (differing pixels in red over a faded copy) into the
 * build directory and fail. BANGTIN_UPDATE_GOLDEN=1 rewrites the golden (and its copy in
 * docs/screens/ under a readable name) instead. */
#ifndef BANGTIN_TEST_GOLDEN_H
#define BANGTIN_TEST_GOLDEN_H

#include <stdbool.h>

#include <SDL.h>

/* A pixel differs when one channel is off by more than GOLDEN_TOLERANCE; a golden matches
 * while at most GOLDEN_MAX_DIFF_PPM pixels per million differ (FreeType/zlib updates). */
#define GOLDEN_TOLERANCE    24
#define GOLDEN_MAX_DIFF_PPM 300

/* docs_name: file name in docs/screens/ (NULL = none). Returns true on match (or update). */
bool golden_check(SDL_Surface *actual, const char *name, const char *docs_name);
/* Number of pixels that differ by more than tolerance (surfaces of the same size). */
long golden_diff(SDL_Surface *a, SDL_Surface *b, int tolerance, SDL_Surface *err);

#endif
