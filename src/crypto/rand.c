#include <limits.h>

#include <openssl/err.h>
#include <openssl/rand.h>

#include "crypto/crypto.h"

int mt_random(const mt_rng *rng, uint8_t *out, size_t len)
{
    if (len == 0)
        return 0;
    if (rng != NULL && rng->fn != NULL)
        return rng->fn(rng->ctx, out, len) == 0 ? 0 : -1;
    while (len > 0) { /* RAND_bytes takes an int */
        int n = len > (size_t)INT_MAX ? INT_MAX : (int)len;
        if (RAND_bytes(out, n) != 1) {
            ERR_clear_error();
            return -1;
        }
        out += n;
        len -= (size_t)n;
    }
    return 0;
}
