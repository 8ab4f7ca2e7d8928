/*
 * Session files for `mutls client --sess-in / --sess-out`: a session as
 * mutls_session_export() writes it (docs/resumption.md, "Session files"),
 * read back with mutls_session_import() and checked before it is offered.
 */
#ifndef CLI_SESSION_FILE_H
#define CLI_SESSION_FILE_H

#include <stddef.h>
#include <stdint.h>

#include "mutls.h"

/* What the tool reads from an exported session beyond what the library's
 * API offers (the export format is versioned: version 1 here). */
struct cli_session_info {
    uint16_t version;        /* MUTLS_TLS1_3 or MUTLS_TLS1_2 */
    uint16_t suite;
    int64_t issued;          /* Unix time */
    uint32_t lifetime;       /* seconds */
    uint32_t max_early_data; /* TLS 1.3 */
    char server_name[256];   /* the name the session was made for ("" none) */
    char alpn[256];
};

/* Load and check FILE: readable, a mutls session export of a version
 * this build reads, intact (import verifies the SHA-256), not expired by
 * `now`, and made for `server_name`. Returns the session, or NULL after
 * writing why into err ("cannot read ...: No such file or directory",
 * "corrupt or tampered with ...", "expired ..."). info may be NULL. */
mutls_session *cli_session_load(const char *path, const char *server_name, int64_t now,
                                struct cli_session_info *info, char *err, size_t err_cap);

/* Export the session into FILE, mode 0600 (written to a temporary file
 * in the same directory, then renamed over FILE). 0, or -1 with the
 * reason in err. */
int cli_session_save(const char *path, const mutls_session *session, char *err,
                     size_t err_cap);

#endif
