#include <openssl/crypto.h>

#include "crypto/crypto.h"

void mt_wipe(void *p, size_t n)
{
    /* OPENSSL_cleanse cannot be optimised away like a final memset. */
    if (p != NULL && n > 0)
        OPENSSL_cleanse(p, n);
}

int mt_ct_equal(const void *a, const void *b, size_t n)
{
    /* Time independent of where the first difference is (MACs, Finished). */
    return CRYPTO_memcmp(a, b, n) == 0;
}
