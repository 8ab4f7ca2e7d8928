/*
 * TLS 1.2 known answers for tests/vectors/test_tls12_vectors.c. Hex
 * strings, decoded with hex_decode() from testlib.h.
 *
 * 1. The TLS 1.2 PRF test vectors posted to the IETF TLS list
 *    (https://www.ietf.org/mail-archive/web/tls/current/msg03416.html):
 *    P_SHA256 and P_SHA384, label "test label", 100 and 148 bytes. Each
 *    value was copied from, and compared byte for byte between, independent
 *    implementations' test suites (no differences):
 *      A. BearSSL test/test_crypto.c, test_PRF() (both hashes);
 *      B. Eclipse Californium PRFTest.java, testSHA256PRF (as a Java byte
 *         array) and testSHA384PRF;
 *      C. GnuTLS tests/tls12-prf.c, sha384_test1 (SHA-384).
 *    They were also recomputed from RFC 5246 section 5 with Python's hmac
 *    module, and the test recomputes them with OpenSSL's EVP_KDF
 *    "TLS1-PRF".
 *
 * 2. NIST CAVP SP 800-135 TLS 1.2 KDF vectors, COUNT = 0 of [TLS 1.2,
 *    SHA-256] and [TLS 1.2, SHA-384] (pre-master secret 384 bits, key block
 *    1024 bits): the master secret from the pre-master secret and the hello
 *    randoms, then the key block from the master secret and a second pair
 *    of randoms (CAVP uses different randoms for the two steps). Compared
 *    between:
 *      A. Bouncy Castle org/bouncycastle/tls/test/PRFTest.java
 *         (testTLS12_SHA256PRF, testTLS12_SHA384PRF);
 *      B. the CAVP file text quoted in a SymCrypt Rust binding's
 *         tls_prf tests ([TlsPrf1_2HmacSha256] / [TlsPrf1_2HmacSha384]);
 *      C. (SHA-256) OpenSSL test/recipes/30-test_evp_data/
 *         evpkdf_tls12_prf.txt ("TLS12 PRF tests (from NIST test vectors)").
 *    All agree, and Python's hmac module reproduces both outputs.
 *
 * 3. Record protection (generated block below): produced by
 *    tests/vectors/gen_tls12_records.py with Python "cryptography" (Debian
 *    python3-cryptography 38.0.4) and framing written from RFC 5246,
 *    5288, 7905 and 7366 in that script, independently of src/record/.
 */
#ifndef TLS12_VECTORS_H
#define TLS12_VECTORS_H

#include <stdint.h>

/* ---- 1. PRF (IETF TLS list, msg03416; sources A, B, C above) ---------- */

#define TLS12_PRF_LABEL "test label"

/* P_SHA256: secret (16), seed (16), output (100) */
#define TLS12_PRF_SHA256_SECRET "9bbe436ba940f017b17652849a71db35"
#define TLS12_PRF_SHA256_SEED "a0ba9f936cda311827a6f796ffd5198c"
#define TLS12_PRF_SHA256_OUT                                                     \
    "e3f229ba727be17b8d122620557cd453c2aab21d07c3d495329b52d4e61edb5a"           \
    "6b301791e90d35c9c9a46b4e14baf9af0fa022f7077def17abfd3797c0564bab"           \
    "4fbc91666e9def9b97fce34f796789baa48082d122ee42c5a72e5a5110fff701"           \
    "87347b66"

/* P_SHA384: secret (16), seed (16), output (148) */
#define TLS12_PRF_SHA384_SECRET "b80b733d6ceefcdc71566ea48e5567df"
#define TLS12_PRF_SHA384_SEED "cd665cf6a8447dd6ff8b27555edb7465"
#define TLS12_PRF_SHA384_OUT                                                     \
    "7b0c18e9ced410ed1804f2cfa34a336a1c14dffb4900bb5fd7942107e81c83cd"           \
    "e9ca0faa60be9fe34f82b1233c9146a0e534cb400fed2700884f9dc236f80edd"           \
    "8bfa961144c9e8d792eca722a7b32fc3d416d473ebc2c5fd4abfdad05d918425"           \
    "9b5bf8cd4d90fa0d31e2dec479e4f1a26066f2eea9a69236a3e52655c9e9aee6"           \
    "91c8f3a26854308d5eaa3be85e0990703d73e56f"

/* ---- 2. NIST CAVP SP 800-135 TLS 1.2 KDF, COUNT = 0 (sources A, B, C) --- */

typedef struct {
    const char *name;
    uint16_t suite;        /* a mutls suite with this PRF hash */
    const char *pms;       /* pre_master_secret (48) */
    const char *ch_random; /* clientHello_random: master secret seed */
    const char *sh_random; /* serverHello_random */
    const char *s_random;  /* server_random: key expansion seed */
    const char *c_random;  /* client_random */
    const char *master;    /* master_secret (48) */
    const char *key_block; /* key_block (128) */
} tls12_cavp;

static const tls12_cavp tls12_cavp_vectors[] = {
    /* [TLS 1.2, SHA-256] COUNT = 0 */
    {"CAVP SHA-256", 0xc02f /* TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 */,
     "f8938ecc9edebc5030c0c6a441e213cd24e6f770a50dda07876f8d55da062bcadb386b411fd4fe4313a604fce6c17fbc",
     "36c129d01a3200894b9179faac589d9835d58775f9b5ea3587cb8fd0364cae8c",
     "f6c9575ed7ddd73e1f7d16eca115415812a43c2b747daaaae043abfb50053fce",
     "ae6c806f8ad4d80784549dff28a4b58fd837681a51d928c3e30ee5ff14f39868",
     "62e1fd91f23f558a605f28478c58cf72637b89784d959df7e946d3f07bd1b616",
     "202c88c00f84a17a20027079604787461176455539e705be730890602c289a5001e34eeb3a043e5d52a65e66125188bf",
     "d06139889fffac1e3a71865f504aa5d0d2a2e89506c6f2279b670c3e1b74f531"
     "016a2530c51a3a0f7e1d6590d0f0566b2f387f8d11fd4f731cdd572d2eae927f"
     "6f2f81410b25e6960be68985add6c38445ad9f8c64bf8068bf9a6679485d966f"
     "1ad6f68b43495b10a683755ea2b858d70ccac7ec8b053c6bd41ca299d4e51928"},
    /* [TLS 1.2, SHA-384] COUNT = 0 */
    {"CAVP SHA-384", 0xc030 /* TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384 */,
     "a5e2642633f5b8c81ad3fe0c2fe3a8e5ef806b06121dd10df4bb0fe857bfdcf522558e05d2682c9a80c741a3aab1716f",
     "abe4bf5527429ac8eb13574d2709e8012bd1a113c6d3b1d3aa2c3840518778ac",
     "cb6e0b3eb02976b6466dfa9651c2919414f1648fd3a7838d02153e5bd39535b6",
     "1b1c8568344a65c30828e7483c0e353e2c68641c9551efae6927d9cd627a107c",
     "954b5fe1849c2ede177438261f099a2fcd884d001b9fe1de754364b1f6a6dd8e",
     "b4d49bfa87747fe815457bc3da15073d6ac73389e703079a3503c09e14bd559a5b3c7c601c7365f6ea8c68d3d9596827",
     "10fd89ef689c7ef033387b8a8f3e5e8e7c11f680f6bdd71fbac3246a73e98d45"
     "d03185dde686e6b2369e4503e9dc5a6d2cee3e2bf2fa3f41d3de57dff3e197c8"
     "a9d5f74cc2d277119d894f8584b07a0a5822f0bd68b3433ec6adaf5c9406c5f3"
     "ddbb71bbe17ce98f3d4d5893d3179ef369f57aad908e2bf710639100c3ce7e0c"},
};

/* ---- 3. Record protection (gen_tls12_records.py) ---------------------- */

/* What the test does with a record. */
enum {
    TLS12_KAT_RW,   /* mt_rec_write must produce it exactly; mt_rec_read opens it */
    TLS12_KAT_READ, /* mt_rec_read opens it (mutls never writes this form) */
    TLS12_KAT_BAD,  /* mt_rec_read must fail with bad_record_mac */
};

typedef struct {
    const char *config; /* gcm128, gcm256, chacha, cbc128, cbc256, cbc128_etm, cbc256_etm */
    uint16_t suite;
    int etm;
    const char *key, *fixed_iv, *mac_key;
} tls12_kat_keys;

typedef struct {
    const char *config;
    const char *name;
    int kind;
    uint64_t seq;
    uint8_t type;
    const char *plaintext;
    const char *explicit_iv; /* CBC: the IV the sender drew */
    const char *record;
} tls12_kat_record;

typedef struct {
    const char *config;
    uint16_t suite;
    int etm;
    const char *key_block;
    const char *client_iv, *client_record;
    const char *server_iv, *server_record;
} tls12_kat_keyblock;

/* ---- BEGIN GENERATED by tests/vectors/gen_tls12_records.py ---- */
/* Do not edit by hand: regenerate with the script (see its docstring). */

/* Per configuration: the keys the records below are sealed with. */
static const tls12_kat_keys tls12_kat_keys_table[] = {
    {"gcm128", 0xc02f, 0,
     /* key */ "44388aa21334c9c7da96ef3451ba3b5b",
     /* fixed IV */ "39308dd7",
     /* MAC key */ ""},
    {"gcm256", 0xc030, 0,
     /* key */ "613c69cda14f98d5be526a95ddb543642ac5f11c5754686c4891bfab78e83941",
     /* fixed IV */ "0d61d9dc",
     /* MAC key */ ""},
    {"chacha", 0xcca8, 0,
     /* key */ "827636973603753230bb96aad6a9de5ca11b2335b58da9b8b33991ad1ffb73fa",
     /* fixed IV */ "3946da20c76f8d02cc5fe06c",
     /* MAC key */ ""},
    {"cbc128", 0xc013, 0,
     /* key */ "e507922f52b31fe50179f749ffdee582",
     /* fixed IV */ "",
     /* MAC key */ "14cff40689e2f6175fd1f47816905674b29ca578"},
    {"cbc256", 0xc014, 0,
     /* key */ "ef8bffcb1ffb9ed2b44d09ab1fcf903c0ed66bd515950f6f177bdb350dad5a36",
     /* fixed IV */ "",
     /* MAC key */ "5b4b83c49d3661557391b9762f2d905afe0c75fc"},
    {"cbc128_etm", 0xc013, 1,
     /* key */ "4b58dbe89ebc561d8652239e080b2846",
     /* fixed IV */ "",
     /* MAC key */ "168d0a349782a94faf3210eb9e6f828238916b4b"},
    {"cbc256_etm", 0xc014, 1,
     /* key */ "2f1fc9a32d6f0a97a4eec37638e5d8f8dc823a958c3398f2497081c7a7367847",
     /* fixed IV */ "",
     /* MAC key */ "cb40f0801bc927803e2b77c5511cb3309eaeb649"},
};

/* Records: configuration, name, kind, sequence number, content type,
 * plaintext, the explicit IV the sender drew (CBC; GCM read-only vector:
 * the explicit nonce), the whole record (header included). */
static const tls12_kat_record tls12_kat_records[] = {
    {"gcm128", "seq0_handshake", TLS12_KAT_RW, UINT64_C(0x0000000000000000), 22 /* handshake */,
     /* plaintext (16) */ "1400000c385fa2016d41faabe081293e",
     /* explicit IV */ "",
     /* record (45) */ "1603030028000000000000000027cb282bba0fe80047f51c407423f1b38a0d6b1a8518eee487d5321145572059"},
    {"gcm128", "seq1_app", TLS12_KAT_RW, UINT64_C(0x0000000000000001), 23 /* application_data */,
     /* plaintext (39) */ "474554202f6b617420485454502f312e310d0a486f73743a206d75746c732e746573740d0a0d0a",
     /* explicit IV */ "",
     /* record (68) */ "170303003f000000000000000182f45b34b646560055e52720bb5513d194ad45be68f6bf8c2574b01dafbe52fd866d35"
     "60ef9216ca1c73e3082057f4332460660b485fbc"},
    {"gcm128", "seq2_empty", TLS12_KAT_RW, UINT64_C(0x0000000000000002), 23 /* application_data */,
     /* plaintext (0) */ "",
     /* explicit IV */ "",
     /* record (29) */ "17030300180000000000000002ed7809fadd84c23b119eca39415c2485"},
    {"gcm128", "big_seq_long", TLS12_KAT_RW, UINT64_C(0x0000010000000005), 23 /* application_data */,
     /* plaintext (1024) */ "030a11181f262d343b424950575e656c737a81888f969da4abb2b9c0c7ced5dce3eaf1f8ff060d141b222930373e454c"
     "535a61686f767d848b9299a0a7aeb5bcc3cad1d8dfe6edf4fb020910171e252c333a41484f565d646b727980878e959c"
     "a3aab1b8bfc6cdd4dbe2e9f0f7fe050c131a21282f363d444b525960676e757c838a91989fa6adb4bbc2c9d0d7dee5ec"
     "f3fa01080f161d242b323940474e555c636a71787f868d949ba2a9b0b7bec5ccd3dae1e8eff6fd040b121920272e353c"
     "434a51585f666d747b828990979ea5acb3bac1c8cfd6dde4ebf2f900070e151c232a31383f464d545b626970777e858c"
     "939aa1a8afb6bdc4cbd2d9e0e7eef5fc030a11181f262d343b424950575e656c737a81888f969da4abb2b9c0c7ced5dc"
     "e3eaf1f8ff060d141b222930373e454c535a61686f767d848b9299a0a7aeb5bcc3cad1d8dfe6edf4fb020910171e252c"
     "333a41484f565d646b727980878e959ca3aab1b8bfc6cdd4dbe2e9f0f7fe050c131a21282f363d444b525960676e757c"
     "838a91989fa6adb4bbc2c9d0d7dee5ecf3fa01080f161d242b323940474e555c636a71787f868d949ba2a9b0b7bec5cc"
     "d3dae1e8eff6fd040b121920272e353c434a51585f666d747b828990979ea5acb3bac1c8cfd6dde4ebf2f900070e151c"
     "232a31383f464d545b626970777e858c939aa1a8afb6bdc4cbd2d9e0e7eef5fc030a11181f262d343b424950575e656c"
     "737a81888f969da4abb2b9c0c7ced5dce3eaf1f8ff060d141b222930373e454c535a61686f767d848b9299a0a7aeb5bc"
     "c3cad1d8dfe6edf4fb020910171e252c333a41484f565d646b727980878e959ca3aab1b8bfc6cdd4dbe2e9f0f7fe050c"
     "131a21282f363d444b525960676e757c838a91989fa6adb4bbc2c9d0d7dee5ecf3fa01080f161d242b323940474e555c"
     "636a71787f868d949ba2a9b0b7bec5ccd3dae1e8eff6fd040b121920272e353c434a51585f666d747b828990979ea5ac"
     "b3bac1c8cfd6dde4ebf2f900070e151c232a31383f464d545b626970777e858c939aa1a8afb6bdc4cbd2d9e0e7eef5fc"
     "030a11181f262d343b424950575e656c737a81888f969da4abb2b9c0c7ced5dce3eaf1f8ff060d141b222930373e454c"
     "535a61686f767d848b9299a0a7aeb5bcc3cad1d8dfe6edf4fb020910171e252c333a41484f565d646b727980878e959c"
     "a3aab1b8bfc6cdd4dbe2e9f0f7fe050c131a21282f363d444b525960676e757c838a91989fa6adb4bbc2c9d0d7dee5ec"
     "f3fa01080f161d242b323940474e555c636a71787f868d949ba2a9b0b7bec5ccd3dae1e8eff6fd040b121920272e353c"
     "434a51585f666d747b828990979ea5acb3bac1c8cfd6dde4ebf2f900070e151c232a31383f464d545b626970777e858c"
     "939aa1a8afb6bdc4cbd2d9e0e7eef5fc",
     /* explicit IV */ "",
     /* record (1053) */ "170303041800000100000000052e681d604cbe7e52197b88ed717eb40abd6f12022cb84e0e0e476deb79a56664dc3752"
     "9382e94eebe8c31926a27cc5386737a3af344d80e1ba5a32450b623ee2d1dc54869ae24ea4120cbfb1ecf5c6f4189fed"
     "549de2561c8d91ce42242440da8aed8f109d9bb232af688973f50e45aa6c5a1fc21ba07713e2fe790e46a13d277cc328"
     "093728db87ef4a7198ef315e5d49351ce32e4fcf0482799814959dc6fcc0e623ff822b68c8ac2e17b3f11f829364c023"
     "e773a622884eef173a3f4d8543b86dd61c809274046bc0d23d5ffc9e5e5aa93f2b2c738abf16fa02619e04cab94e675d"
     "f4786d647a5c0ed87e0b2fda147d70e7676156831ce627e3e320fff5b21fd0f0504c0c81182a4ddd07537df016f4ed49"
     "49825e247401db3f3153fa003984cbc99da8e99fd93abb3c8d6767702c048196b4b9ec23ce2648d12df40a53f2f29ec3"
     "908aaf386714bff70aee80d9f36276da03454d85a2c35ee9928bed61254bfef792045dcb1e948ffd54b69659080caf52"
     "a910fac511ed2284d13b61927efa87acae149168013300e24ec55409b3b1355ba82fbb3dc776b9f4748b98059e22c09c"
     "486182d0032ceee8efd19853496c4f866bfdc33d4280af0e165d5152b00223cc7e468406082ec51ebdd02e2564bccc4e"
     "a102cfc6e430890df9f554e44ec3183b1da13beaed6c301031892383297550ab64a71e9281367abffef17b0f3e8984a6"
     "c43bc49586eafe01074d5d7116e802bee83ff1168f83a7c73415adc0cb8af5092c66c29a0e94327cb3fc1b2ff94d7c90"
     "dc8afe5868084cedf4c49216b90d71dedd91750d6debfa42fc0868db1a5d279e3888f7162a7f182d850ec61319bacfc9"
     "fc7aadde1669cad9a6b1f66c586d8bde231ef03dbf67d5822f5145d62ed8150ddd42912d9b44993c82eb00e0d0fbbfd9"
     "4ab182fa28ecae59c2f9eb69819caaf554485e030e76155185b055d777492e464d85b2e0b28649c20be5f7c3d83487d8"
     "453c3e68e9fa9f47f58a40e9d4c5aef17ab2fea21addf15bd7ab55f17ba75326ed0e39d9fa03898c8a4f8a55c119cefe"
     "02eee933939f67ad959c2597a3a49b260ef9c22d30dbd4287573ffeec1a20eb0319e20d03ab50948d5f9288ef9d3b24b"
     "dc7b513c9590338ab24ecb758a8794ca0ac68ee2ad01438793b2ba5c2be4b157eff4d668be8b91a60da4ece35651bd73"
     "f83c8b70bcfdeac57f4ae73d3c4a653e9a91aed5e9436c6de55d55fb016671597e4123d2a3970cef8c4b1c2ffb8a4212"
     "88c2933b95f3bd50b48fc1752bba2a8d7963ed225d3a051c44b5eaca3880a860e726a2861a1f7b6d8ed801219fa6c92c"
     "050252e1043860bcd2593de4d1764143eea286b6d3681a182a7207b776355aab7ac13745318b3eb6504dafed41586614"
     "82419fb54a30c231a416bc57a0c8898990dda37b1c35c1b6fbb44176930d2c3707179eb34dbad81817b7065826"},
    {"gcm128", "max_seq_alert", TLS12_KAT_RW, UINT64_C(0xfffffffffffffffe), 21 /* alert */,
     /* plaintext (2) */ "0100",
     /* explicit IV */ "",
     /* record (31) */ "150303001afffffffffffffffef63130c18dcc49c3513dcaa95e091d6c56e3"},
    /* gcm128/explicit_nonce_not_seq: explicit nonce is not the sequence number */
    {"gcm128", "explicit_nonce_not_seq", TLS12_KAT_READ, UINT64_C(0x0000000000000007), 23 /* application_data */,
     /* plaintext (39) */ "474554202f6b617420485454502f312e310d0a486f73743a206d75746c732e746573740d0a0d0a",
     /* explicit IV */ "a521ecba3f968471",
     /* record (68) */ "170303003fa521ecba3f96847171f5318c6a8c251158d6f1858d5454797288aa54bcaa7c081d92009b63424f3f8fa71c"
     "2d0b616fd76e501d1b3e9505947d3c7057521968"},
    {"gcm256", "seq0_handshake", TLS12_KAT_RW, UINT64_C(0x0000000000000000), 22 /* handshake */,
     /* plaintext (16) */ "1400000c385fa2016d41faabe081293e",
     /* explicit IV */ "",
     /* record (45) */ "1603030028000000000000000074805451a929607e2487698bd3dc60cf6155ed74eb3a9df2b722769c6e25fd86"},
    {"gcm256", "seq1_app", TLS12_KAT_RW, UINT64_C(0x0000000000000001), 23 /* application_data */,
     /* plaintext (39) */ "474554202f6b617420485454502f312e310d0a486f73743a206d75746c732e746573740d0a0d0a",
     /* explicit IV */ "",
     /* record (68) */ "170303003f00000000000000016545719b6a8c913378e350f87bfbc6e1d646872fa8ebbd370fe4e7b9eb1869b352f81a"
     "5f5c9433db901c3af2e629b8393c64a1b5526c5b"},
    {"gcm256", "seq2_empty", TLS12_KAT_RW, UINT64_C(0x0000000000000002), 23 /* application_data */,
     /* plaintext (0) */ "",
     /* explicit IV */ "",
     /* record (29) */ "17030300180000000000000002284afb3a69b6ad32e9bde4ad869b1eb2"},
    {"gcm256", "big_seq_long", TLS12_KAT_RW, UINT64_C(0x0000010000000005), 23 /* application_data */,
     /* plaintext (1024) */ "030a11181f262d343b424950575e656c737a81888f969da4abb2b9c0c7ced5dce3eaf1f8ff060d141b222930373e454c"
     "535a61686f767d848b9299a0a7aeb5bcc3cad1d8dfe6edf4fb020910171e252c333a41484f565d646b727980878e959c"
     "a3aab1b8bfc6cdd4dbe2e9f0f7fe050c131a21282f363d444b525960676e757c838a91989fa6adb4bbc2c9d0d7dee5ec"
     "f3fa01080f161d242b323940474e555c636a71787f868d949ba2a9b0b7bec5ccd3dae1e8eff6fd040b121920272e353c"
     "434a51585f666d747b828990979ea5acb3bac1c8cfd6dde4ebf2f900070e151c232a31383f464d545b626970777e858c"
     "939aa1a8afb6bdc4cbd2d9e0e7eef5fc030a11181f262d343b424950575e656c737a81888f969da4abb2b9c0c7ced5dc"
     "e3eaf1f8ff060d141b222930373e454c535a61686f767d848b9299a0a7aeb5bcc3cad1d8dfe6edf4fb020910171e252c"
     "333a41484f565d646b727980878e959ca3aab1b8bfc6cdd4dbe2e9f0f7fe050c131a21282f363d444b525960676e757c"
     "838a91989fa6adb4bbc2c9d0d7dee5ecf3fa01080f161d242b323940474e555c636a71787f868d949ba2a9b0b7bec5cc"
     "d3dae1e8eff6fd040b121920272e353c434a51585f666d747b828990979ea5acb3bac1c8cfd6dde4ebf2f900070e151c"
     "232a31383f464d545b626970777e858c939aa1a8afb6bdc4cbd2d9e0e7eef5fc030a11181f262d343b424950575e656c"
     "737a81888f969da4abb2b9c0c7ced5dce3eaf1f8ff060d141b222930373e454c535a61686f767d848b9299a0a7aeb5bc"
     "c3cad1d8dfe6edf4fb020910171e252c333a41484f565d646b727980878e959ca3aab1b8bfc6cdd4dbe2e9f0f7fe050c"
     "131a21282f363d444b525960676e757c838a91989fa6adb4bbc2c9d0d7dee5ecf3fa01080f161d242b323940474e555c"
     "636a71787f868d949ba2a9b0b7bec5ccd3dae1e8eff6fd040b121920272e353c434a51585f666d747b828990979ea5ac"
     "b3bac1c8cfd6dde4ebf2f900070e151c232a31383f464d545b626970777e858c939aa1a8afb6bdc4cbd2d9e0e7eef5fc"
     "030a11181f262d343b424950575e656c737a81888f969da4abb2b9c0c7ced5dce3eaf1f8ff060d141b222930373e454c"
     "535a61686f767d848b9299a0a7aeb5bcc3cad1d8dfe6edf4fb020910171e252c333a41484f565d646b727980878e959c"
     "a3aab1b8bfc6cdd4dbe2e9f0f7fe050c131a21282f363d444b525960676e757c838a91989fa6adb4bbc2c9d0d7dee5ec"
     "f3fa01080f161d242b323940474e555c636a71787f868d949ba2a9b0b7bec5ccd3dae1e8eff6fd040b121920272e353c"
     "434a51585f666d747b828990979ea5acb3bac1c8cfd6dde4ebf2f900070e151c232a31383f464d545b626970777e858c"
     "939aa1a8afb6bdc4cbd2d9e0e7eef5fc",
     /* explicit IV */ "",
     /* record (1053) */ "1703030418000001000000000510acb21d58d6268db04bc00ef81b2566aff11ce5cab5c47c46e22a0518e4cd5b68e90a"
     "55f6348f6eb74d3929f1b3c7d2b2f45fd6694f8c13f98ba69540aa35d6d99a9ffcfca6093248c5ffe166aea307068de3"
     "f7743a39701e9a0a2f2b551d138bcbe9d8e87e34f88eac538278a66af85bb3909c72930e57fd0036ae4841c62004d65c"
     "5a6467144ac6eda01afbd8ef7ce5b0954fbb1dc096610aa699548897ebe62cd2f7eaaddf6f1388a3f5e96481062ffb7c"
     "27384f97f152720fb57c2a168a55b0b3b263e977ffe396504499e1a2bb8d932399ef9fc610e3afb85f108a42ae7d6d52"
     "df479a7a67203d9ad4a95bccb679d5c65756dfc491c225f5e3e7478c03a8cbeb0e3f35c1abbeae501c2a5122940a0683"
     "73a2c6c9185eb55647877363f1c3df1fe974bc91f13cf85ae669290caefaec29a7d5d7869f14d07a074d2d0bbde7d807"
     "b7e4c8b56ac2c5837ce8c67123eca86077356ea374e53bc9254a2127094ec7383885bdce8050fce4f6204d700310a51d"
     "4178bf8f5f9b0289ae35ab76d67b936e033f2a2ca5b9f3150c872202ebd3e6f53e153ae06aaa33e23801ef329aed2acf"
     "10955d45653c783ae831cf655c4839ecdc0fc270b5d4d6341ac6168e77f5e278450e330081cb306db1dcddc0f39c4f82"
     "097a27bd0f3f4c45c8322fbb32d4ff55b4cf751981061e5156b5014a79bc5a9c9a9b0e3f6691924e0c1cfa4a1d740270"
     "d300bfcd9a9f363b8f140cf801486eda7aeae1628b89a9d220d741e6bd1aad4c6772eb8a7cbe227ecc4561365a2b2275"
     "97d7e3b7e08ee6e227b55f0680f273465e3a0c79a066b2d93564954497f83419b9d0f794adc616e55dc6920c5ad877af"
     "f0a77a7e34afb4626b4024e25de612c58bf60d5c2f5b4decdef6351add186a00421c4c3fba576812818155803f777f68"
     "f147366f620ad8f7f6e92f6f45bf5ba0cfaa53bfa6d146414281ff393d7a9079d59e320301e9ca3e938843accbeb4498"
     "e0e91bbf1dba607fc1b01e7f26dc69a01e9e44a6eb2672e3fc6b9ff19657449e37d5e9f9461c1c09f4f469452b6f6b02"
     "82acc4e674656d1818683d2035de024990a5c3b13ed8819dd427b0c90c5e853fcda3c386940182cd519a4303228468d2"
     "d4653090db9e805493f1ef6b7fe8aa9212f21bc5c751350c8e42cf47c48cb684cc707ea17d71c77025ce7574376f148a"
     "78c43c98d49bbd06626943990d87b145ded300d90c0d955c48619ec29f86ba861a8f7ee8f9d0551e2190637d5b002355"
     "ce4b30938347cd996bf1c79d3a8275fd0d6374f4c8f5c9fa1ee096bc3f34744a5d1c0457bd7e45412d2d53ee69bd97e8"
     "c634791345822c092900205e7507ec23739a4b6880002399e11ec516cac331c745e463891969e7dc5692889967bfc9e8"
     "560b6a8dcead17332946b62b90d9675988ecbd368ff923c0fd33a650504d2c973befabf2d9cacb77266733b5ef"},
    {"gcm256", "max_seq_alert", TLS12_KAT_RW, UINT64_C(0xfffffffffffffffe), 21 /* alert */,
     /* plaintext (2) */ "0100",
     /* explicit IV */ "",
     /* record (31) */ "150303001afffffffffffffffe641a58f5563a83a21339bf37e081411929ca"},
    /* gcm256/explicit_nonce_not_seq: explicit nonce is not the sequence number */
    {"gcm256", "explicit_nonce_not_seq", TLS12_KAT_READ, UINT64_C(0x0000000000000007), 23 /* application_data */,
     /* plaintext (39) */ "474554202f6b617420485454502f312e310d0a486f73743a206d75746c732e746573740d0a0d0a",
     /* explicit IV */ "aeb95a9a9ee7ea21",
     /* record (68) */ "170303003faeb95a9a9ee7ea21d22c70b4ec8279f42ae3496909f85cf4d1eff9ef4fa46c178350c1235aff2ed1727980"
     "568497d1d901fed3957fac015fe0c83f89e11ed3"},
    {"chacha", "seq0_handshake", TLS12_KAT_RW, UINT64_C(0x0000000000000000), 22 /* handshake */,
     /* plaintext (16) */ "1400000c385fa2016d41faabe081293e",
     /* explicit IV */ "",
     /* record (37) */ "1603030020994a6f8beadc3ce5c626bbac802008d101abb1f78117529c81bd3f7037161ab5"},
    {"chacha", "seq1_app", TLS12_KAT_RW, UINT64_C(0x0000000000000001), 23 /* application_data */,
     /* plaintext (39) */ "474554202f6b617420485454502f312e310d0a486f73743a206d75746c732e746573740d0a0d0a",
     /* explicit IV */ "",
     /* record (60) */ "1703030037bd8bcf3b3cc8a0c70299facddd872cb818ea9b7c66e59a91e256720e2aa3275c1c6300709414bb21b16a46"
     "4d32c82f9eae57f02dffcf94"},
    {"chacha", "seq2_empty", TLS12_KAT_RW, UINT64_C(0x0000000000000002), 23 /* application_data */,
     /* plaintext (0) */ "",
     /* explicit IV */ "",
     /* record (21) */ "17030300105388bda7c8dddc19a60841d7c089d540"},
    {"chacha", "big_seq_long", TLS12_KAT_RW, UINT64_C(0x0000010000000005), 23 /* application_data */,
     /* plaintext (1024) */ "030a11181f262d343b424950575e656c737a81888f969da4abb2b9c0c7ced5dce3eaf1f8ff060d141b222930373e454c"
     "535a61686f767d848b9299a0a7aeb5bcc3cad1d8dfe6edf4fb020910171e252c333a41484f565d646b727980878e959c"
     "a3aab1b8bfc6cdd4dbe2e9f0f7fe050c131a21282f363d444b525960676e757c838a91989fa6adb4bbc2c9d0d7dee5ec"
     "f3fa01080f161d242b323940474e555c636a71787f868d949ba2a9b0b7bec5ccd3dae1e8eff6fd040b121920272e353c"
     "434a51585f666d747b828990979ea5acb3bac1c8cfd6dde4ebf2f900070e151c232a31383f464d545b626970777e858c"
     "939aa1a8afb6bdc4cbd2d9e0e7eef5fc030a11181f262d343b424950575e656c737a81888f969da4abb2b9c0c7ced5dc"
     "e3eaf1f8ff060d141b222930373e454c535a61686f767d848b9299a0a7aeb5bcc3cad1d8dfe6edf4fb020910171e252c"
     "333a41484f565d646b727980878e959ca3aab1b8bfc6cdd4dbe2e9f0f7fe050c131a21282f363d444b525960676e757c"
     "838a91989fa6adb4bbc2c9d0d7dee5ecf3fa01080f161d242b323940474e555c636a71787f868d949ba2a9b0b7bec5cc"
     "d3dae1e8eff6fd040b121920272e353c434a51585f666d747b828990979ea5acb3bac1c8cfd6dde4ebf2f900070e151c"
     "232a31383f464d545b626970777e858c939aa1a8afb6bdc4cbd2d9e0e7eef5fc030a11181f262d343b424950575e656c"
     "737a81888f969da4abb2b9c0c7ced5dce3eaf1f8ff060d141b222930373e454c535a61686f767d848b9299a0a7aeb5bc"
     "c3cad1d8dfe6edf4fb020910171e252c333a41484f565d646b727980878e959ca3aab1b8bfc6cdd4dbe2e9f0f7fe050c"
     "131a21282f363d444b525960676e757c838a91989fa6adb4bbc2c9d0d7dee5ecf3fa01080f161d242b323940474e555c"
     "636a71787f868d949ba2a9b0b7bec5ccd3dae1e8eff6fd040b121920272e353c434a51585f666d747b828990979ea5ac"
     "b3bac1c8cfd6dde4ebf2f900070e151c232a31383f464d545b626970777e858c939aa1a8afb6bdc4cbd2d9e0e7eef5fc"
     "030a11181f262d343b424950575e656c737a81888f969da4abb2b9c0c7ced5dce3eaf1f8ff060d141b222930373e454c"
     "535a61686f767d848b9299a0a7aeb5bcc3cad1d8dfe6edf4fb020910171e252c333a41484f565d646b727980878e959c"
     "a3aab1b8bfc6cdd4dbe2e9f0f7fe050c131a21282f363d444b525960676e757c838a91989fa6adb4bbc2c9d0d7dee5ec"
     "f3fa01080f161d242b323940474e555c636a71787f868d949ba2a9b0b7bec5ccd3dae1e8eff6fd040b121920272e353c"
     "434a51585f666d747b828990979ea5acb3bac1c8cfd6dde4ebf2f900070e151c232a31383f464d545b626970777e858c"
     "939aa1a8afb6bdc4cbd2d9e0e7eef5fc",
     /* explicit IV */ "",
     /* record (1045) */ "170303041090a55042cebb26aafb29eb6c7a04bccc5e011e6abfeeabcf4f98eed9cd2c47dddb05094e3881dac3203890"
     "b29b7bd9002df58d2065c651b9e35b67d2c2b4ef97cce5533eb6f1a8d6994cb5447a6f76ae6b4daeebc6243fa17c4ab5"
     "fdc18ec5aa38d0b7ac8ade5210f6645e9f0fc55c0ce06261702773c495d582c9622c4f737482a781be2740a059e2838e"
     "80dee28b4f9a3a5f312dcc2eb20f26c904968fe47ebdb07c3b83d0412892b39b4429f5d2e058691ad80535db537083ea"
     "fd00ca736150127e4fec45bb494d7923ebd9375406d8206f3bce1df0a07f46a9be48b5c471a93cc750292f34ea201e16"
     "25bb1a573fa9572660becac533bd6731e3dda421ce569437ce0947003577e3a2ccc7ead5d886f22cd39bcc995a3cc8f1"
     "a2994eec59a8902f9f18e23731e70dbd8032db1b793d8ad38965b53188d4720f7d32615d1ae7b9c5f95f7c326744d585"
     "8ec6efa1ff36792e52ad8a6a92545cdc50c00698bff60537fcaeb38ebb188127d019f066f96204b7a5b8a44b32433813"
     "94c66a8bb22894ff564fa7e458fda6c91f37e74e33a54c6e7e0f3484af05dc2c98f7574be65089581e1c66d0a1526949"
     "e69b20355968259fc47ba2ba75dae3f7ba5183ee293bf2425094bd109bbfd054e6658a20d520df13de029cdf9e90ef83"
     "8e6893150ffa430429f29469d32e1f851847cf84bc184de83fd2beffcad205f958e00b22e3aee240bcc3553c6965b179"
     "cea691a5d530c128a774e4ee6e9dbb4fee9865bc8576486244b0101becdf57a40091a64945dc2cf2ed563fc366a30e0a"
     "3ea055066873909ef990003bb38a3b2baa747fd1e4e38912c4bfad440f84b6d9895309439c26a96a0849fce74536b981"
     "d0b3e8dd8b938cd42ab6ea5e743a969804ad18888329a09d3abe56849274501b802cb921eb5c92b0ac310f503027d679"
     "36bec45151fd5eccc8701062ea126b52241f8e4b60c34807b7ecc48415d4671ee9f96073e5ddc3aeb5e52bda06d7c331"
     "027679113231da82d3647eeaa29873a3d3e7efeecd23e211fb1c69f69026be720c98b5a31bc22cf2856aa4e2066b3352"
     "2e38bcef36b0a1d7ec0aaaeb028a21c0b301384766515406ff0371ee9377209bf0ffb955a6310ab020b7c98c77f4c846"
     "c7134ce6572a920ee582863e8371fe581f9503545cd07da644ca75928838e7e0ad6260d60c3344ab3ff6f0214728c009"
     "8149b633348fe39134d5a74e059b0300eae682497da91db0cf4bc968f4ff9f209efdc28b72c8d7140870e907f2d0b55e"
     "8738fe5ceb1f86330c9d76b075a8611437c81cca74e09a2f76cfd34994e43b07b610379f732939b5b4ed4263820d7944"
     "0f4fdbfb1af1e4e0a84a67c5cf2f703c8d57a16c466c28e70fa2a09f13a1a6bc6feb86d38bd3ee6157a3a8bc3ce3ddac"
     "43b2a1c531d0e7d05a247933b4b23f35febb87b47773e74d32847ec7b767bb08335a42e93a"},
    {"chacha", "max_seq_alert", TLS12_KAT_RW, UINT64_C(0xfffffffffffffffe), 21 /* alert */,
     /* plaintext (2) */ "0100",
     /* explicit IV */ "",
     /* record (23) */ "150303001237f35d9b9ad2e3519a4884d1261c105c0928"},
    {"cbc128", "seq0_handshake", TLS12_KAT_RW, UINT64_C(0x0000000000000000), 22 /* handshake */,
     /* plaintext (16) */ "1400000c385fa2016d41faabe081293e",
     /* explicit IV */ "ff1f365eda1db3b7baea66d71c1cc1ea",
     /* record (69) */ "1603030040ff1f365eda1db3b7baea66d71c1cc1eab586b80eca37022f104a886d1c05ad79ed55558382c5b0a302c512"
     "800afd02e033dd7626cd40b188b8f188935f5b32c8"},
    {"cbc128", "seq1_app", TLS12_KAT_RW, UINT64_C(0x0000000000000001), 23 /* application_data */,
     /* plaintext (39) */ "474554202f6b617420485454502f312e310d0a486f73743a206d75746c732e746573740d0a0d0a",
     /* explicit IV */ "1c7fb3c807666a9f6bf176a03dd4f690",
     /* record (85) */ "17030300501c7fb3c807666a9f6bf176a03dd4f690e4719917282bf76b031743ca13e9a6957423bb3c8003da7611574b"
     "27e8fe4e339cc03cb3eefc0fe7e6fdd8174fed813715e2374a42c74c3aea970e11312164bc"},
    {"cbc128", "seq2_empty", TLS12_KAT_RW, UINT64_C(0x0000000000000002), 23 /* application_data */,
     /* plaintext (0) */ "",
     /* explicit IV */ "ffb29ff0947fe2cd56facca8aabb1775",
     /* record (53) */ "1703030030ffb29ff0947fe2cd56facca8aabb1775f86504cf0f785c61f305b47237693decb1026de05a2e00cc387f35"
     "ec2643e122"},
    {"cbc128", "big_seq_long", TLS12_KAT_RW, UINT64_C(0x0000010000000005), 23 /* application_data */,
     /* plaintext (1024) */ "030a11181f262d343b424950575e656c737a81888f969da4abb2b9c0c7ced5dce3eaf1f8ff060d141b222930373e454c"
     "535a61686f767d848b9299a0a7aeb5bcc3cad1d8dfe6edf4fb020910171e252c333a41484f565d646b727980878e959c"
     "a3aab1b8bfc6cdd4dbe2e9f0f7fe050c131a21282f363d444b525960676e757c838a91989fa6adb4bbc2c9d0d7dee5ec"
     "f3fa01080f161d242b323940474e555c636a71787f868d949ba2a9b0b7bec5ccd3dae1e8eff6fd040b121920272e353c"
     "434a51585f666d747b828990979ea5acb3bac1c8cfd6dde4ebf2f900070e151c232a31383f464d545b626970777e858c"
     "939aa1a8afb6bdc4cbd2d9e0e7eef5fc030a11181f262d343b424950575e656c737a81888f969da4abb2b9c0c7ced5dc"
     "e3eaf1f8ff060d141b222930373e454c535a61686f767d848b9299a0a7aeb5bcc3cad1d8dfe6edf4fb020910171e252c"
     "333a41484f565d646b727980878e959ca3aab1b8bfc6cdd4dbe2e9f0f7fe050c131a21282f363d444b525960676e757c"
     "838a91989fa6adb4bbc2c9d0d7dee5ecf3fa01080f161d242b323940474e555c636a71787f868d949ba2a9b0b7bec5cc"
     "d3dae1e8eff6fd040b121920272e353c434a51585f666d747b828990979ea5acb3bac1c8cfd6dde4ebf2f900070e151c"
     "232a31383f464d545b626970777e858c939aa1a8afb6bdc4cbd2d9e0e7eef5fc030a11181f262d343b424950575e656c"
     "737a81888f969da4abb2b9c0c7ced5dce3eaf1f8ff060d141b222930373e454c535a61686f767d848b9299a0a7aeb5bc"
     "c3cad1d8dfe6edf4fb020910171e252c333a41484f565d646b727980878e959ca3aab1b8bfc6cdd4dbe2e9f0f7fe050c"
     "131a21282f363d444b525960676e757c838a91989fa6adb4bbc2c9d0d7dee5ecf3fa01080f161d242b323940474e555c"
     "636a71787f868d949ba2a9b0b7bec5ccd3dae1e8eff6fd040b121920272e353c434a51585f666d747b828990979ea5ac"
     "b3bac1c8cfd6dde4ebf2f900070e151c232a31383f464d545b626970777e858c939aa1a8afb6bdc4cbd2d9e0e7eef5fc"
     "030a11181f262d343b424950575e656c737a81888f969da4abb2b9c0c7ced5dce3eaf1f8ff060d141b222930373e454c"
     "535a61686f767d848b9299a0a7aeb5bcc3cad1d8dfe6edf4fb020910171e252c333a41484f565d646b727980878e959c"
     "a3aab1b8bfc6cdd4dbe2e9f0f7fe050c131a21282f363d444b525960676e757c838a91989fa6adb4bbc2c9d0d7dee5ec"
     "f3fa01080f161d242b323940474e555c636a71787f868d949ba2a9b0b7bec5ccd3dae1e8eff6fd040b121920272e353c"
     "434a51585f666d747b828990979ea5acb3bac1c8cfd6dde4ebf2f900070e151c232a31383f464d545b626970777e858c"
     "939aa1a8afb6bdc4cbd2d9e0e7eef5fc",
     /* explicit IV */ "40343994eb091ad2495f4877d4b7a67e",
     /* record (1077) */ "170303043040343994eb091ad2495f4877d4b7a67e2cf2801b53788376dee581aee4e3fb31fd62ac88d02803ef761e63"
     "ffc5762b98377ea181220ac6d3b0b6f99c753d6cf239878405e8ffb3afa3a147a24d1868be4bcca42fa930729c033de2"
     "ab3c2a9806197e68eee837f77cd857a9045b3ab062a6d816aee192ae0b3e394d39702e0569fc9431d281be2447d53b17"
     "a43238df349a33705aafcdaa370a9c76a97e72b393e177f65682c563a60796822231efc794e8697e557147a018a15429"
     "91e980ae7468cceb9255982a460362b9874f710ee6ebba3c4d8fbce768ab711470a6ff3fce18f89cc878a7ff93662906"
     "c09b393c20b353e41c082528f2ca2b25970da70714a3bba9220804d95d34110705983ca3fda99bc5a7639aef3c867ffc"
     "122966b715e8b8126e6a40b6a88bc3f357f82b6f4b542d89d86c07ba6ef163cd970250edb8a933dc30fd82ce179fddbe"
     "5150b595463a784a90114e9e19946332df25ee7676a1110b5b8e6930de73fbce9989ca98419bb8ff7077ab0ed2ae7f8b"
     "0c8c27325c2c81e510ac66cce739af401adbf007d815ea287528f38fee7d23f1fc08dcc9e0af0af734e3fd82377662bc"
     "2667d8366b0153b2fe35d808ca70ddeeedac7b0540e0df9fe3683c42bb08add406aca7f02e81427054a6729ead42ac9a"
     "a78d5d094126e101a6d325f87969254d51771cf264aa45dc8a2ceb6b6b020b6e0d45e4a9c3b5ccf01268430ab15f27de"
     "5eb0b4df3622718ed6674adad73066f9ed5ae3299aed2d78986a3a05baeac5da6822d7233f76d270a0839e3d047d173c"
     "aec1662c05c26956aedcea4d40f46f404622b11255ad500c8235c45771c7568963e5898e49f57a39d3b1eee6012e978c"
     "83d8d1ef66f616fe4bc5293400c40da45cf044c5db3bcd4944f29efd7c2052725f91ff7ee4e717e6a9ff2c333ee4b7f5"
     "339ad5eb5e470924e9e2494761aa94c6da9b8e620930197ba5c9d6197825a7ea290f0a385f773786b0ac221aa53845b5"
     "fc73e183d4e3d23f0947372e8974c944ab550c6a7e8ba61b383c377308214aee71b1a94c59056c2b013f09d5200fa91b"
     "760d6e9e4b244473ad34d342f35d768e217e98cfe81d3045f94e415e74b72b60cc1310add5d38d55ff4e57a8845e7935"
     "8ba3f3c90504afa2f4e8fa023738676d6c3d59b1012ecf544202991d8df0b3555526033e36b1ff7d403768f9c09eb600"
     "6362c84fce9f0a127872c9578842bbdbe516f346ae809ab4f2ec24b56dc81e4717df512d3cd1cc22423a97556dc10a9d"
     "e2e80cd6190283d2855f960f37d20b188d39a43f641b93c2db051fc04c328d3be0c30ccbd2aeff7c5be80985f46ff7fc"
     "1bd4aa18651eacb8c6385f87074be7ebe7c05aa511780dcdc834fed5b3f1833e1c126e815915f6e6f4ee8ca9d8d242f4"
     "ea3451d42d6fc897ac8ebdfb55f1cc31d6a21f263525db626095064434f22f43ed78a72ea526fd0e5cf1c55d80119a3e"
     "26d9799172eb4e3e7e2f2349e905bbea71ea355875"},
    {"cbc128", "max_seq_alert", TLS12_KAT_RW, UINT64_C(0xfffffffffffffffe), 21 /* alert */,
     /* plaintext (2) */ "0100",
     /* explicit IV */ "d50be7eb2e397285e404ed267e01331d",
     /* record (53) */ "1503030030d50be7eb2e397285e404ed267e01331de330399e0cb3ae55edd7c7227b07e35aa70ee2dece879d69b3731b"
     "d3eaa5c502"},
    {"cbc128", "full_block_pad", TLS12_KAT_RW, UINT64_C(0x0000000000000003), 23 /* application_data */,
     /* plaintext (12) */ "cbaeab5b408a80c8de640882",
     /* explicit IV */ "8612a9f81943b146e4ffb7678ce801de",
     /* record (69) */ "17030300408612a9f81943b146e4ffb7678ce801de5edb2e352d443879734dd97b2455495502f2f4e7f7c90234fcfc71"
     "fad37a5483b10a79798ece63fab895ad501a0759bf"},
    /* cbc128/max_padding_255: 256 bytes of padding */
    {"cbc128", "max_padding_255", TLS12_KAT_READ, UINT64_C(0x0000000000000004), 23 /* application_data */,
     /* plaintext (12) */ "7d02924d1558b26b0b5de660",
     /* explicit IV */ "62a13955a202ac1673c29ea7656f4050",
     /* record (309) */ "170303013062a13955a202ac1673c29ea7656f40500df6c68a0d005ac14da2c1afb6d7cd9e679fc71815b46e112b73c4"
     "31a33933f6a57d622d5778163ce768a6771b4164b866e5de95365c33a414fc65438390ad3222e1418c3987973c85c17b"
     "ea168e9d01371848782064d81c48879ea6459793f766cfe7f1f3ea313ab3d129a2cff95f114e74750c92058139ea5573"
     "0e7d8874e09ad80fdf0572b6421b7e38a58b9bd83e8c52f57302e17fca0f7874fadafe2a7e77c71de067fa014eaa72a7"
     "1beb8923f4b4351315f5aa02bbd1b72edd44e6dc31cc82e7aebff030f383293a1ba16aba6d66fe93b0f47016482d274f"
     "7e0ff73cb7c0fe1888d4cf43ff0fcee602012f1504587e92d2777550be04956406c43ca9faf7c2f73868783255a8b154"
     "f05a29b04c91ca77a52aad659ae04e0d4c238d0a9c"},
    /* cbc128/empty_long_padding: empty content, 28 bytes of padding */
    {"cbc128", "empty_long_padding", TLS12_KAT_READ, UINT64_C(0x0000000000000005), 23 /* application_data */,
     /* plaintext (0) */ "",
     /* explicit IV */ "04df8da004e9f5571c516197c03fd681",
     /* record (69) */ "170303004004df8da004e9f5571c516197c03fd6816e781c3ba0be90835194311ca2222e63c1122249a9f8485f18091f"
     "5d70f6f5be2ff4aaef0d9c4ec8aa1b22dcaa207d20"},
    /* cbc128/pad_inconsistent_first: the first padding byte differs from padding_length */
    {"cbc128", "pad_inconsistent_first", TLS12_KAT_BAD, UINT64_C(0x0000000000000006), 23 /* application_data */,
     /* plaintext (21) */ "68656c6c6f2c2070616464696e67206f7261636c65",
     /* explicit IV */ "a4a1bc8230565a5fc387a6de79250a32",
     /* record (69) */ "1703030040a4a1bc8230565a5fc387a6de79250a32cd2d76f9a88b38e583d351d89f423b4c1345e932c1f757c81bc586"
     "037faca426794d53d530c7a47d9005e46d8a4d38b5"},
    /* cbc128/pad_inconsistent_middle: one middle padding byte differs */
    {"cbc128", "pad_inconsistent_middle", TLS12_KAT_BAD, UINT64_C(0x0000000000000006), 23 /* application_data */,
     /* plaintext (21) */ "68656c6c6f2c2070616464696e67206f7261636c65",
     /* explicit IV */ "b2e89af7cea67120fcf8b9339f9661d4",
     /* record (69) */ "1703030040b2e89af7cea67120fcf8b9339f9661d4ee4871e8cb5e9a715951880ca3d3b89abfc6f96d830b9e15f87762"
     "f5115a0a4c3cc4510af37f3f3dc2c678958bae8011"},
    /* cbc128/pad_inconsistent_far: 255 bytes of padding, the farthest one wrong */
    {"cbc128", "pad_inconsistent_far", TLS12_KAT_BAD, UINT64_C(0x0000000000000006), 23 /* application_data */,
     /* plaintext (12) */ "c6f466f3734e3d37b6b1fd40",
     /* explicit IV */ "b35197f2e282fd71cefd0a0ed0030d2f",
     /* record (309) */ "1703030130b35197f2e282fd71cefd0a0ed0030d2f6fc7b93682d529e6b29394e3e1f76290908acc0856d78a6a7167ae"
     "fab53bf9c614f6a2b5fd3e9af61d39fb28a5ddc23cb3ac7c17fc34face068c6713be88d7cdfbc2774694f524957b08dc"
     "b4989edfe8a25e111e28d761e65199b905ad746349ddc79a6c331c0a30b5d4df0f6ee7d1904f6ada189d040de15d82f8"
     "226a607734f161cd05639ff8c02adc85d46cce007ea757c796c146e48ae88b50ff4ebf84d89d7709bb56ab237488e9f9"
     "46d3bf14959f2c8fa3b7f317acd84602141377931bcd0b69771d8c37af0c93141119bbe985bf8c176c5810a4c1a4dce5"
     "316ccb7274932a30f6711caeb6fddde237ee1759e73956b8bb8c10b87b501b97d2cb3f14bfe71ee434ba3ce82bf9ce0d"
     "a1d15311d14b4e18ec405a8e26d308fd33e18c45b2"},
    /* cbc128/pad_len_exceeds_record: padding_length 255 in a 48-byte plaintext */
    {"cbc128", "pad_len_exceeds_record", TLS12_KAT_BAD, UINT64_C(0x0000000000000006), 23 /* application_data */,
     /* plaintext (21) */ "68656c6c6f2c2070616464696e67206f7261636c65",
     /* explicit IV */ "1c99b736534d40b3f411ad471573753e",
     /* record (69) */ "17030300401c99b736534d40b3f411ad471573753ee0b791a0dface7a093ded86f55f4027bde8e67567cbc34f18839f1"
     "dc98b5b8db5ac840b281e4ba6bdc3e1f4d80cbca7a"},
    /* cbc128/pad_len_exceeds_by_one: padding_length 28: padding + MAC one byte longer than the 48-byte plaintext */
    {"cbc128", "pad_len_exceeds_by_one", TLS12_KAT_BAD, UINT64_C(0x0000000000000006), 23 /* application_data */,
     /* plaintext (21) */ "68656c6c6f2c2070616464696e67206f7261636c65",
     /* explicit IV */ "a2ad84fe6e00261e69803a713ff5af11",
     /* record (69) */ "1703030040a2ad84fe6e00261e69803a713ff5af115e315c690ccdca4c32ab95744539fb577b81875a476a78c32db0a0"
     "e9d168a25246195fef93aaa071e3f6f8e034f65b1b"},
    /* cbc128/mac_wrong_pad_ok: valid padding, MAC with one bit flipped */
    {"cbc128", "mac_wrong_pad_ok", TLS12_KAT_BAD, UINT64_C(0x0000000000000006), 23 /* application_data */,
     /* plaintext (21) */ "68656c6c6f2c2070616464696e67206f7261636c65",
     /* explicit IV */ "b1154971e4851a35ce8a1a1ba69c0838",
     /* record (69) */ "1703030040b1154971e4851a35ce8a1a1ba69c0838e592b3cc5e850ceb83349a9fc5a769e69462e929fa644caa1663f2"
     "0efdbd8ab048fea25fa5ff231188ad6e1342e02167"},
    /* cbc128/mac_other_seq: sealed for sequence number 7, read at 6 */
    {"cbc128", "mac_other_seq", TLS12_KAT_BAD, UINT64_C(0x0000000000000006), 23 /* application_data */,
     /* plaintext (21) */ "68656c6c6f2c2070616464696e67206f7261636c65",
     /* explicit IV */ "24b7b181e32df267e91af278681324a3",
     /* record (69) */ "170303004024b7b181e32df267e91af278681324a3dc2fe132d1b480097a12ba48e0769fcd6b5bcbb397cb55bcb3d2fb"
     "44e463144b2a2f0a01bf58d6cc0e105c90bf6a138c"},
    {"cbc256", "seq0_handshake", TLS12_KAT_RW, UINT64_C(0x0000000000000000), 22 /* handshake */,
     /* plaintext (16) */ "1400000c385fa2016d41faabe081293e",
     /* explicit IV */ "7d4b6d6676f0c19b89ab0d7f8ab1575b",
     /* record (69) */ "16030300407d4b6d6676f0c19b89ab0d7f8ab1575b8239c6e43384f707ac6a64a5a5067505aa27313967cbb9cfae5b9a"
     "d63e606669f5f5c0d1a447ef2ea3199ace6a4f5b65"},
    {"cbc256", "seq1_app", TLS12_KAT_RW, UINT64_C(0x0000000000000001), 23 /* application_data */,
     /* plaintext (39) */ "474554202f6b617420485454502f312e310d0a486f73743a206d75746c732e746573740d0a0d0a",
     /* explicit IV */ "bf85b7b4d129701647a4c8a7c6466603",
     /* record (85) */ "1703030050bf85b7b4d129701647a4c8a7c6466603b29f35b38fa30cef940ba7b8336b8b39c115c48d5a159315a3ce3e"
     "edfb1cbc0eddaa70fabd8c6614b5b5a73542e2ff50eb4176d97d608ead4ff2076a45431f8d"},
    {"cbc256", "seq2_empty", TLS12_KAT_RW, UINT64_C(0x0000000000000002), 23 /* application_data */,
     /* plaintext (0) */ "",
     /* explicit IV */ "2e3a89d961167a9452ecdfabd2972cba",
     /* record (53) */ "17030300302e3a89d961167a9452ecdfabd2972cbaeec264f90f30efa087a03e0d9eeba0fc271ed3eb36052047ca6653"
     "4eb7fdac14"},
    {"cbc256", "big_seq_long", TLS12_KAT_RW, UINT64_C(0x0000010000000005), 23 /* application_data */,
     /* plaintext (1024) */ "030a11181f262d343b424950575e656c737a81888f969da4abb2b9c0c7ced5dce3eaf1f8ff060d141b222930373e454c"
     "535a61686f767d848b9299a0a7aeb5bcc3cad1d8dfe6edf4fb020910171e252c333a41484f565d646b727980878e959c"
     "a3aab1b8bfc6cdd4dbe2e9f0f7fe050c131a21282f363d444b525960676e757c838a91989fa6adb4bbc2c9d0d7dee5ec"
     "f3fa01080f161d242b323940474e555c636a71787f868d949ba2a9b0b7bec5ccd3dae1e8eff6fd040b121920272e353c"
     "434a51585f666d747b828990979ea5acb3bac1c8cfd6dde4ebf2f900070e151c232a31383f464d545b626970777e858c"
     "939aa1a8afb6bdc4cbd2d9e0e7eef5fc030a11181f262d343b424950575e656c737a81888f969da4abb2b9c0c7ced5dc"
     "e3eaf1f8ff060d141b222930373e454c535a61686f767d848b9299a0a7aeb5bcc3cad1d8dfe6edf4fb020910171e252c"
     "333a41484f565d646b727980878e959ca3aab1b8bfc6cdd4dbe2e9f0f7fe050c131a21282f363d444b525960676e757c"
     "838a91989fa6adb4bbc2c9d0d7dee5ecf3fa01080f161d242b323940474e555c636a71787f868d949ba2a9b0b7bec5cc"
     "d3dae1e8eff6fd040b121920272e353c434a51585f666d747b828990979ea5acb3bac1c8cfd6dde4ebf2f900070e151c"
     "232a31383f464d545b626970777e858c939aa1a8afb6bdc4cbd2d9e0e7eef5fc030a11181f262d343b424950575e656c"
     "737a81888f969da4abb2b9c0c7ced5dce3eaf1f8ff060d141b222930373e454c535a61686f767d848b9299a0a7aeb5bc"
     "c3cad1d8dfe6edf4fb020910171e252c333a41484f565d646b727980878e959ca3aab1b8bfc6cdd4dbe2e9f0f7fe050c"
     "131a21282f363d444b525960676e757c838a91989fa6adb4bbc2c9d0d7dee5ecf3fa01080f161d242b323940474e555c"
     "636a71787f868d949ba2a9b0b7bec5ccd3dae1e8eff6fd040b121920272e353c434a51585f666d747b828990979ea5ac"
     "b3bac1c8cfd6dde4ebf2f900070e151c232a31383f464d545b626970777e858c939aa1a8afb6bdc4cbd2d9e0e7eef5fc"
     "030a11181f262d343b424950575e656c737a81888f969da4abb2b9c0c7ced5dce3eaf1f8ff060d141b222930373e454c"
     "535a61686f767d848b9299a0a7aeb5bcc3cad1d8dfe6edf4fb020910171e252c333a41484f565d646b727980878e959c"
     "a3aab1b8bfc6cdd4dbe2e9f0f7fe050c131a21282f363d444b525960676e757c838a91989fa6adb4bbc2c9d0d7dee5ec"
     "f3fa01080f161d242b323940474e555c636a71787f868d949ba2a9b0b7bec5ccd3dae1e8eff6fd040b121920272e353c"
     "434a51585f666d747b828990979ea5acb3bac1c8cfd6dde4ebf2f900070e151c232a31383f464d545b626970777e858c"
     "939aa1a8afb6bdc4cbd2d9e0e7eef5fc",
     /* explicit IV */ "26592c53302f3dd87789eb99e6d377fa",
     /* record (1077) */ "170303043026592c53302f3dd87789eb99e6d377fa7bfd5ff0c1efd39edaf11f5f8b6fc6d6947022488e3db4811dfb60"
     "5bd9197663b1dcaff6a4f42ae866db007061deabeee0b88aa142c8b8dbc757d06774999c6226ae22ad9dfd5db8462c2b"
     "1efa368417ada4ed3e37a0e16424c53b4cc287aa93a9f6daa32d497cd8a2849de84187ccabeb322f0caec541a99d3957"
     "5800a65a04f72629dfca8bed0539c7ce3afdaa04ad5f3588a8dd929b45016e55bc1f550ae132765efa139ea77d1bbe54"
     "bbf0428aa3568e10e516c1b12e0f6c8cc848c2d6ec1c65a9009b9c7844c83f7a999778627fe999d06dd0baee27d21b5a"
     "87d2e9e84460610112fd39a9f1d84d5ff331fe7d0e4d8ab062e42c8a2e7405ef34c792f7ff6c8743dca8dab42ae852c7"
     "260da1a359df6bb3f51f104c34350a5849a0dde7e0abe51ef80fcdf726ca70a05e7e1ba3c291899a1dd6238227e21587"
     "4188a8eb4673d5046b1f18dfa6edaacaf2720debf7ecb97a2205503927c8c54c0d278fdb96aeb416b3180ea5fd92c212"
     "8d766709fca5fe6f80847ec643332d9599cdcf420dc31e8474bdfa5222a36bdb443076c9805a0a2ff9ace4ee510817ff"
     "b8c6d06bcb462674c47e94818ae87acf9698af2cdb527de8b2556fde8b569ae6aa842f0b9a0d05790927eabeaa9004d1"
     "f497581041d6a3263bed0c50f520dd250400fb5b7aff10d7f5a8efc481afb655526d2194f35164cf481bee4976f62b85"
     "9cedc6bda6acd90d8b4552e069cb48fac3fdf4c0050a0f53d5c1904052b931608b28505d5e94c7faf7ded21bc767eb59"
     "3b7e1f4efc55e0f6188b7b6928a3095b81ec5c93e2bb062c2d686d08cc5bc05e80f16d25ecab5d81842e539a57bc4fcc"
     "12401dce79e07332be2bb7b2fbb7d1b3347e5c1a0b559a9956e5c0e6e5aac5eec0ea740415e7bf690874674c06133122"
     "367c494230d12519621a0d7b537561c596ce23c703a14ecca19f274f39a8b51d3c2ab67e80419a7bfd651e9efbf5019e"
     "86175c632659f7842c156bc89a78b07c1d5349351fc4629407cd6d98f1ca926d79ea155b962d1b97465fa5b9a8e36922"
     "b478210715e56dfb41c77eac0b680c99b775b3d1f2b8d1a0a59f33e10cb0f49f3b35f195ee5bf9de813fc4bf8b1b5500"
     "c6da96cce9efbd387a5f6869edd487bdb14087d59bc60eb5d247ff87fe893c9274010acc81d35022066b7c56342c52dc"
     "207043d46f761081f40091aacdabb9d224effb32efc34e1365be2fdb9631e6a34d1b969f0181f373541ff23c6663c4f8"
     "d56f5fc94f54a369dca2ff0baef1f17f5ef524c42a73626804d799cd882a1483a815892556922a985218a7cc52de1c82"
     "2b197bdd754e0cc9d58e30671194d9e1536a851a03cb3997df36c64b64a1747a4d85d88aa311aa1a3c4f3949708f8631"
     "9e88cbeb5e87fa880911c5b5457c2c53490cf27999d68a5249505ac5e51356a35c92bb7f8c5711fe182d70df5bf938ef"
     "c85e2d5bf47775d004aceda650e0b13060fd7e123c"},
    {"cbc256", "max_seq_alert", TLS12_KAT_RW, UINT64_C(0xfffffffffffffffe), 21 /* alert */,
     /* plaintext (2) */ "0100",
     /* explicit IV */ "7c9f1a3c401c3585a680c465a983ee4f",
     /* record (53) */ "15030300307c9f1a3c401c3585a680c465a983ee4f219f50d32d08d09b4ef308984212614eb58b32774280be91247c28"
     "feaca89562"},
    {"cbc256", "full_block_pad", TLS12_KAT_RW, UINT64_C(0x0000000000000003), 23 /* application_data */,
     /* plaintext (12) */ "cbaeab5b408a80c8de640882",
     /* explicit IV */ "7c1c2c6cd2a070ce688ab2a67dd0d5c2",
     /* record (69) */ "17030300407c1c2c6cd2a070ce688ab2a67dd0d5c22392491b7f401b3bc3a87c9f054a3451c37fd122a07f2015a81157"
     "498c943cd9490c40b721912d83d598f0a93fbda1da"},
    /* cbc256/max_padding_255: 256 bytes of padding */
    {"cbc256", "max_padding_255", TLS12_KAT_READ, UINT64_C(0x0000000000000004), 23 /* application_data */,
     /* plaintext (12) */ "7d02924d1558b26b0b5de660",
     /* explicit IV */ "45b1da5a976d4b0d122bf4e6a5a49f1c",
     /* record (309) */ "170303013045b1da5a976d4b0d122bf4e6a5a49f1c7aac2f472468780d408fc86e7236b197114fb663b59f9468be25b2"
     "5c02a9c2571c00434a229fb655366f7485e516e185265c905bcca918035e0fc0d7a4b53fa9fcc68e65cc3676e001d2f4"
     "6932a98c11204d38a1e51bce0ea740d469d4ccf2f3bf4f399473846df95a343ef07f7beb12181c73671cbeefe1fcc4dc"
     "0543374cbc8ed815750b4d39ffc5feadd895f2a45eb7663eb63b3586a7d2ff6179728ab8f038dd66ce5e7eaff5adf862"
     "09da32bd156c01e35ffa969924b458a84e0074575ebc6251a4cf34faf5c19f8dd45343c6fa0a404e2b4ffb2f61188ded"
     "e967249831c23f7989abe32998e70eb62215c55fead43a213b5cecb0c367a371f7e2b4b1441a105dc65ac377051af278"
     "856fc7d876875c76a054f7a692e7988b6af5ef8a52"},
    /* cbc256/empty_long_padding: empty content, 28 bytes of padding */
    {"cbc256", "empty_long_padding", TLS12_KAT_READ, UINT64_C(0x0000000000000005), 23 /* application_data */,
     /* plaintext (0) */ "",
     /* explicit IV */ "277b67f2a30688e57515f000d1b5b55d",
     /* record (69) */ "1703030040277b67f2a30688e57515f000d1b5b55d81e2a9e0c85f4fcab609bef15b7e2366ea2953a111f890355a57af"
     "d15e9c55ca1980f59f3d5e8ddddfea73ed0f147b76"},
    /* cbc256/pad_inconsistent_first: the first padding byte differs from padding_length */
    {"cbc256", "pad_inconsistent_first", TLS12_KAT_BAD, UINT64_C(0x0000000000000006), 23 /* application_data */,
     /* plaintext (21) */ "68656c6c6f2c2070616464696e67206f7261636c65",
     /* explicit IV */ "50348f7eb8433ab55a62f857adb76753",
     /* record (69) */ "170303004050348f7eb8433ab55a62f857adb76753285b1068f99780fecaf0b025eb0b06fff18e71cfc5fbc75f57f4d6"
     "5a62706540b445cf85de464ce8adb4758fb25b13aa"},
    /* cbc256/pad_inconsistent_middle: one middle padding byte differs */
    {"cbc256", "pad_inconsistent_middle", TLS12_KAT_BAD, UINT64_C(0x0000000000000006), 23 /* application_data */,
     /* plaintext (21) */ "68656c6c6f2c2070616464696e67206f7261636c65",
     /* explicit IV */ "ce682e87ab64e03551fc4602986cdcfa",
     /* record (69) */ "1703030040ce682e87ab64e03551fc4602986cdcfaac188548614fcc5f294ed9e036a1e56d57287f83ed5c27e7cf135f"
     "2d56e4c872897b22aedc28d7e9c0fcfa29b69d0d8c"},
    /* cbc256/pad_inconsistent_far: 255 bytes of padding, the farthest one wrong */
    {"cbc256", "pad_inconsistent_far", TLS12_KAT_BAD, UINT64_C(0x0000000000000006), 23 /* application_data */,
     /* plaintext (12) */ "c6f466f3734e3d37b6b1fd40",
     /* explicit IV */ "2fa9545d8182acd8c983f4e3842eac15",
     /* record (309) */ "17030301302fa9545d8182acd8c983f4e3842eac1545e62f310a0bb3ce966819f2f2dbdf99a6e431225c315d254a22ef"
     "4c8544431d20428b2ea1165f208d4ec4dfc3b1939a7b53cb4fc7b6950dadd5960f98e01719cded414591834d46671eb7"
     "77b217ff179059c58d63861a34738e60e916434dc48aa796044fd9cdaa4c6d6b1af2eb84cff8a886ef0e0181a61b9b48"
     "02bf6157f37303d4fab52585e850624d75ed8d33bb292798ada10f84c9fcf052bbb18bde4afb434e34ab06042ff9ab8f"
     "81e5f85a428d06feaf10098688179062e7424a16b9201f78ac0b84ea8fd1b3c6a6b8a97f2970c9593e0ad7b9c4d729fa"
     "758fc45f4a7236601facc6f1163a15f200c3a84916e332d61acd6895f5dd95c95a32dfa8c440d712615ca3e9c62afffe"
     "c56eadccc67c45c5b2c44bfb75fed633eb278de41b"},
    /* cbc256/pad_len_exceeds_record: padding_length 255 in a 48-byte plaintext */
    {"cbc256", "pad_len_exceeds_record", TLS12_KAT_BAD, UINT64_C(0x0000000000000006), 23 /* application_data */,
     /* plaintext (21) */ "68656c6c6f2c2070616464696e67206f7261636c65",
     /* explicit IV */ "9ff9bffbb6e8e34210573694ada6645e",
     /* record (69) */ "17030300409ff9bffbb6e8e34210573694ada6645e30f82289f63cbbe09f2400f2c0cf074009190e04460d542fa73042"
     "dc0c513b5b44ab3c47aa559ca29dcb4e24efb4226e"},
    /* cbc256/pad_len_exceeds_by_one: padding_length 28: padding + MAC one byte longer than the 48-byte plaintext */
    {"cbc256", "pad_len_exceeds_by_one", TLS12_KAT_BAD, UINT64_C(0x0000000000000006), 23 /* application_data */,
     /* plaintext (21) */ "68656c6c6f2c2070616464696e67206f7261636c65",
     /* explicit IV */ "44029d9dbaab728f3754ef12f9ee6627",
     /* record (69) */ "170303004044029d9dbaab728f3754ef12f9ee6627f9d020adda87f5c65869e65df0d6f105eeec87f701258e077377a1"
     "e97604dcd64a01c25ff00f2f569d6f0f2689c4c8d1"},
    /* cbc256/mac_wrong_pad_ok: valid padding, MAC with one bit flipped */
    {"cbc256", "mac_wrong_pad_ok", TLS12_KAT_BAD, UINT64_C(0x0000000000000006), 23 /* application_data */,
     /* plaintext (21) */ "68656c6c6f2c2070616464696e67206f7261636c65",
     /* explicit IV */ "6ad41ac16235650f14f574704a2df975",
     /* record (69) */ "17030300406ad41ac16235650f14f574704a2df97592485fa6079b54b5c838981f57ddf1aff595c261eb746435c50ce1"
     "72d639a2a55875831ec5caa219ff057e2444632c1c"},
    /* cbc256/mac_other_seq: sealed for sequence number 7, read at 6 */
    {"cbc256", "mac_other_seq", TLS12_KAT_BAD, UINT64_C(0x0000000000000006), 23 /* application_data */,
     /* plaintext (21) */ "68656c6c6f2c2070616464696e67206f7261636c65",
     /* explicit IV */ "3b4a117a0045a8204d2d53e0ee43268e",
     /* record (69) */ "17030300403b4a117a0045a8204d2d53e0ee43268ed9c5b14b3d58b888a52534a032a975c34093e13746df54d2ef9fbf"
     "bcde178abf55b8e5062fd72fa868040f9f49c529d4"},
    {"cbc128_etm", "seq0_handshake", TLS12_KAT_RW, UINT64_C(0x0000000000000000), 22 /* handshake */,
     /* plaintext (16) */ "1400000c385fa2016d41faabe081293e",
     /* explicit IV */ "d08319328b8c5c7f364220a1c7ffae4c",
     /* record (73) */ "1603030044d08319328b8c5c7f364220a1c7ffae4c824528b978aa50a8b88ef63d791e665fe6ad33e0c44af4d3015aed"
     "4c0ebbaa4e7d34bd895f862f988756e650f5e388762edce3e3"},
    {"cbc128_etm", "seq1_app", TLS12_KAT_RW, UINT64_C(0x0000000000000001), 23 /* application_data */,
     /* plaintext (39) */ "474554202f6b617420485454502f312e310d0a486f73743a206d75746c732e746573740d0a0d0a",
     /* explicit IV */ "32282e2939a5e3bebc57fb089e47bd89",
     /* record (89) */ "170303005432282e2939a5e3bebc57fb089e47bd890bfc5a8b53052f6d6f0ea9dd9b964523f3aa4ca46d5cf4bfd423ec"
     "417f41958ec4873c56d8d28a440c94e4a1b7ceb084ed96cb934b0908ec986260abd074437cc171369d"},
    {"cbc128_etm", "seq2_empty", TLS12_KAT_RW, UINT64_C(0x0000000000000002), 23 /* application_data */,
     /* plaintext (0) */ "",
     /* explicit IV */ "b31ce336037730fabd81ae66a940daca",
     /* record (57) */ "1703030034b31ce336037730fabd81ae66a940dacafc95f467563e2567998d6151aa69c545ba3e4f6d3a4fe6ea8db1d8"
     "4ac755fdea42171ae1"},
    {"cbc128_etm", "big_seq_long", TLS12_KAT_RW, UINT64_C(0x0000010000000005), 23 /* application_data */,
     /* plaintext (1024) */ "030a11181f262d343b424950575e656c737a81888f969da4abb2b9c0c7ced5dce3eaf1f8ff060d141b222930373e454c"
     "535a61686f767d848b9299a0a7aeb5bcc3cad1d8dfe6edf4fb020910171e252c333a41484f565d646b727980878e959c"
     "a3aab1b8bfc6cdd4dbe2e9f0f7fe050c131a21282f363d444b525960676e757c838a91989fa6adb4bbc2c9d0d7dee5ec"
     "f3fa01080f161d242b323940474e555c636a71787f868d949ba2a9b0b7bec5ccd3dae1e8eff6fd040b121920272e353c"
     "434a51585f666d747b828990979ea5acb3bac1c8cfd6dde4ebf2f900070e151c232a31383f464d545b626970777e858c"
     "939aa1a8afb6bdc4cbd2d9e0e7eef5fc030a11181f262d343b424950575e656c737a81888f969da4abb2b9c0c7ced5dc"
     "e3eaf1f8ff060d141b222930373e454c535a61686f767d848b9299a0a7aeb5bcc3cad1d8dfe6edf4fb020910171e252c"
     "333a41484f565d646b727980878e959ca3aab1b8bfc6cdd4dbe2e9f0f7fe050c131a21282f363d444b525960676e757c"
     "838a91989fa6adb4bbc2c9d0d7dee5ecf3fa01080f161d242b323940474e555c636a71787f868d949ba2a9b0b7bec5cc"
     "d3dae1e8eff6fd040b121920272e353c434a51585f666d747b828990979ea5acb3bac1c8cfd6dde4ebf2f900070e151c"
     "232a31383f464d545b626970777e858c939aa1a8afb6bdc4cbd2d9e0e7eef5fc030a11181f262d343b424950575e656c"
     "737a81888f969da4abb2b9c0c7ced5dce3eaf1f8ff060d141b222930373e454c535a61686f767d848b9299a0a7aeb5bc"
     "c3cad1d8dfe6edf4fb020910171e252c333a41484f565d646b727980878e959ca3aab1b8bfc6cdd4dbe2e9f0f7fe050c"
     "131a21282f363d444b525960676e757c838a91989fa6adb4bbc2c9d0d7dee5ecf3fa01080f161d242b323940474e555c"
     "636a71787f868d949ba2a9b0b7bec5ccd3dae1e8eff6fd040b121920272e353c434a51585f666d747b828990979ea5ac"
     "b3bac1c8cfd6dde4ebf2f900070e151c232a31383f464d545b626970777e858c939aa1a8afb6bdc4cbd2d9e0e7eef5fc"
     "030a11181f262d343b424950575e656c737a81888f969da4abb2b9c0c7ced5dce3eaf1f8ff060d141b222930373e454c"
     "535a61686f767d848b9299a0a7aeb5bcc3cad1d8dfe6edf4fb020910171e252c333a41484f565d646b727980878e959c"
     "a3aab1b8bfc6cdd4dbe2e9f0f7fe050c131a21282f363d444b525960676e757c838a91989fa6adb4bbc2c9d0d7dee5ec"
     "f3fa01080f161d242b323940474e555c636a71787f868d949ba2a9b0b7bec5ccd3dae1e8eff6fd040b121920272e353c"
     "434a51585f666d747b828990979ea5acb3bac1c8cfd6dde4ebf2f900070e151c232a31383f464d545b626970777e858c"
     "939aa1a8afb6bdc4cbd2d9e0e7eef5fc",
     /* explicit IV */ "a7784cf930811ae0ebaac4beed351a6d",
     /* record (1081) */ "1703030434a7784cf930811ae0ebaac4beed351a6d4757cbfbd31bff140c1bbb906bc8d518f7bcaebbf70047b704332a"
     "414f29d0dba465baeec4857e768717fbbcc62c143d14c5963b9ba0c0600404ec733a6fc3ba8ddc14bbef295f591b2ea3"
     "58ad532b370dc00212f0e451a165b3ed8e78f8ef2771a2d02f3e6546de18eb3658843f5cf64d74fcbdf11eca06df5741"
     "44ee9d9702d4f3ae5599a093b41d88b41717867935b1bbbf9d58fcabbd8b5387bca9f544d95aa58f1aaf26ba3cfe9b33"
     "f7213a4518830879fbea76f69404e1fbfc25c4de39b277d8882653557d504b3d26ac05d27c79b6a41c8600bed1c31a64"
     "6497c3f2bb5e7f887f8ab2790f20ada132d42f1af53ad5685b5c47c69f2973705385536e0234ecf855df192ef22d9c31"
     "bbd4d82a9e73e36e8c2cfcb426d5eca423715f109d4132dca96336d34027c3eeb92bef914bc69479f03b97e9f7d716de"
     "5c77e6eac9d655686c663311c2a4f748c6e33f726ea82eb122e69b01e92e58bc20983c6f508aea4ecd4096e230674c43"
     "72665fe409f2477aeee1eff828dce7e8d753a2a9c2cf64e32e7ed46ebcfdaa46f66ac90f5d39797b0bc3d18ce7b50d59"
     "7c4bc9ec5c5882aac195f072602ea9cfdefc1537a024a72d8d8e0c4e65f6d16dde03cf28650bc8fc7d55268b785dc1f8"
     "81243c2d2a9b1972ea2efcccfa818c0cfffa156f181d68825c9505a519d952917d89efe30cf76babd18e737e860906f7"
     "15d06ffef13b9b37e33b5d8d607471957a19401b8c902474aa5ccd3aa68109490fbebe25d9fec5d7c00d856e44275e9d"
     "a2c8397cae972df1ee3343787084c84c793e3f816652fe3f8215ab77315a1b5b2ad4ec3ea36646cc504193c9f1d0bfa5"
     "1d26b16b746f1a4639dd274a6b789c584a694e5b9ef31699fae71c7b9d8c91356b28707cb074ca616bac92bea53f16b6"
     "51f4d0c1904352bb68a3d620b47f66fd3a45f963bcaa0054951f8b2bd8df17e503522b8dffbdf2a2d65eaabb03e91e4c"
     "c650f368bd1c165ec6ffd72326b58350ed2e1689869872294eba93a4bad4c672a1bd8f73d09dcda2fa647a89986389b0"
     "ddcd9e611fa3ff2877c7ff33121c430a878f761172a800d0a4bde5a540449726f3d89467515117d9c5464c4d3cf747ab"
     "27abfc1c0662e76096996f04b888d978ba8fa1ca98b227aeab9a238c8fde1c71b36d4c548e91c14b2a170ea90c729f3a"
     "edb168f2d77da16e743c91b4f9a859702b7214fe2263ed4e4c0e5a9d2b83aff30d5523ec642d1063abb75149d8e5485d"
     "9635247983b916390b0fc4e96c7daf4141659622d275f5125212070c1df6760b536e355dd479edd2292aa76e77a2eca7"
     "05eae250c4e3d1d520e6ef2cef8a0953b6b5739cf2740945d19a95ac5c22ac6c974602d4e38774ac7881058a65c54efe"
     "8228ff26eea56af2436e88692ae2ec3e683dfd939f2053e474ff6be8f13e1a9fd0bf4b8997122422960e80dc006a80ce"
     "53e05ef7f2f6507b93257e648472a740611f9d3a9344416ceb"},
    {"cbc128_etm", "max_seq_alert", TLS12_KAT_RW, UINT64_C(0xfffffffffffffffe), 21 /* alert */,
     /* plaintext (2) */ "0100",
     /* explicit IV */ "3a01b9a912e26a4a26e9622f6d334ad0",
     /* record (57) */ "15030300343a01b9a912e26a4a26e9622f6d334ad016dc78faab4677a26b9dc39e9f00c4bcbe0a52cc85f6d6380c73e1"
     "3595070f6cba573fbd"},
    {"cbc128_etm", "full_block_pad", TLS12_KAT_RW, UINT64_C(0x0000000000000003), 23 /* application_data */,
     /* plaintext (16) */ "cbaeab5b408a80c8de64088210140f4e",
     /* explicit IV */ "8055ba7aedb88fe2d981173e0f442b30",
     /* record (73) */ "17030300448055ba7aedb88fe2d981173e0f442b30cd13381a673cb37d63bafd308e334974e5ed37abfce3562819c882"
     "96e4b5af5644067732d406aa7485fee4159e0c4552b1b549df"},
    /* cbc128_etm/max_padding_255: 256 bytes of padding */
    {"cbc128_etm", "max_padding_255", TLS12_KAT_READ, UINT64_C(0x0000000000000004), 23 /* application_data */,
     /* plaintext (16) */ "7d02924d1558b26b0b5de6605b5379fe",
     /* explicit IV */ "edf394a61bc91a7e372bb610299edd6b",
     /* record (313) */ "1703030134edf394a61bc91a7e372bb610299edd6b13f19489244913b0dd2e0eeb89f68a2efebb74759f4cd02189225e"
     "6fc4a1347a2e6227c9c02efdde6ceac7f9a50ea1ffef897f52367e6986d764ecfb66e3f00c2d26968229cd4bbabfb986"
     "c7d7e3ad3a56e14ecc19cc2f8637b99070070482847290abfa9f9a9010748e48ebbd0fc3e3af52692d3f5256f2a46fd9"
     "5cdc5d1fee7a17dea10cbfcd3a7081751cc67dc2214253654ff168ff48bd62a784a8abf0bc452f412f7455bcc09e46a7"
     "d1ad00720204dd6c708f568be113d4b3fe0d5ffaf60b83b70fb8a99c9f74accf9bbb93fc129e146bc0a2f0d9ee938c5a"
     "4cbc139fbd99ff2215776ecc583ce8acb1430621a16cc525a6b2b72dd00274d242cca0c8c1bd06da7e10e67117dfff31"
     "9752882acc4fdf4a1f5c716c14c122b10692122310f259ddb1"},
    /* cbc128_etm/empty_long_padding: empty content, 32 bytes of padding */
    {"cbc128_etm", "empty_long_padding", TLS12_KAT_READ, UINT64_C(0x0000000000000005), 23 /* application_data */,
     /* plaintext (0) */ "",
     /* explicit IV */ "80df5ddc5cd4876ba4b1217dd750d106",
     /* record (73) */ "170303004480df5ddc5cd4876ba4b1217dd750d10638734e7a26e75adf23f16e0b0106e4b26da26054834381fea30915"
     "b02bc9ea9d8d3c06d65644cff7bda45473b6233d0dd1f767e6"},
    /* cbc128_etm/pad_inconsistent_first: the first padding byte differs from padding_length */
    {"cbc128_etm", "pad_inconsistent_first", TLS12_KAT_BAD, UINT64_C(0x0000000000000006), 23 /* application_data */,
     /* plaintext (21) */ "68656c6c6f2c2070616464696e67206f7261636c65",
     /* explicit IV */ "d1db0bc5b22848b1f610b80ee3b8f124",
     /* record (73) */ "1703030044d1db0bc5b22848b1f610b80ee3b8f12428375dc2e1640bab0c46aaf413d214dae5f3b02e316f3f0d4d1517"
     "e15a8123b283167260b3110eb1f8a1d52f1b05fc03116cf748"},
    /* cbc128_etm/pad_inconsistent_middle: one middle padding byte differs */
    {"cbc128_etm", "pad_inconsistent_middle", TLS12_KAT_BAD, UINT64_C(0x0000000000000006), 23 /* application_data */,
     /* plaintext (21) */ "68656c6c6f2c2070616464696e67206f7261636c65",
     /* explicit IV */ "5420ea023a11a13270056b272c3aacc8",
     /* record (73) */ "17030300445420ea023a11a13270056b272c3aacc8fdc271cd618a2f62d3cd830af6747059ed396600c7cc481ec3a311"
     "263cde201322f3c805cae787ea8adc44c3905beee148d8f7fc"},
    /* cbc128_etm/pad_inconsistent_far: 255 bytes of padding, the farthest one wrong */
    {"cbc128_etm", "pad_inconsistent_far", TLS12_KAT_BAD, UINT64_C(0x0000000000000006), 23 /* application_data */,
     /* plaintext (16) */ "c6f466f3734e3d37b6b1fd40ff7a5195",
     /* explicit IV */ "b3e5b66838f6b7da0a384797a49a05b6",
     /* record (313) */ "1703030134b3e5b66838f6b7da0a384797a49a05b6e1dd83ebaf8975dec5e96d3f62c60f6acd6ec8c1d0f5e6c4c31d33"
     "2148607f4e085b8b503e62cb2fe1a3b661b80467efa053cbe0058c0baabc3fe32853ade5347a590e66acccd078b434fb"
     "25b2daf414c658e10de1df80cdf0755e04cc1e58e057fcb1dd622e488f03e6f6c5bf5ca3dc27ba71517f0faa7df70fa5"
     "4c0a89ae093257549e313741979122f2ca36803fcd1b4de674a0dd48d114d7e20932527b0017d86ab06473a6f0611173"
     "c9bd7bf7ec79c5e629f03d86b867dacc3fab87bbf894266f225f2f3748f6b5363837173ae46b48bdd517454d6a21daf4"
     "5dc1cc6e89cf25f6c1b82ebb170dac41d3b8ba31da4158b8cd1846d1f4894ceb3c42282b30292bc9d5114642df3cec19"
     "252e4c897976bd4c074aa7088cf220bce60ede10751be06203"},
    /* cbc128_etm/pad_len_exceeds_record: padding_length 255 in a 32-byte plaintext */
    {"cbc128_etm", "pad_len_exceeds_record", TLS12_KAT_BAD, UINT64_C(0x0000000000000006), 23 /* application_data */,
     /* plaintext (21) */ "68656c6c6f2c2070616464696e67206f7261636c65",
     /* explicit IV */ "91b5f102b50aad51828afbfa0a6c4807",
     /* record (73) */ "170303004491b5f102b50aad51828afbfa0a6c4807774f931fcacaa0754818c144801baef7a5fd8cd9adae7bab7c4cd0"
     "0628927e45a5349ef7d0d4454b568f065b045cf8d8dc8fad0c"},
    /* cbc128_etm/pad_len_exceeds_by_one: padding_length 32: padding + MAC one byte longer than the 32-byte plaintext */
    {"cbc128_etm", "pad_len_exceeds_by_one", TLS12_KAT_BAD, UINT64_C(0x0000000000000006), 23 /* application_data */,
     /* plaintext (21) */ "68656c6c6f2c2070616464696e67206f7261636c65",
     /* explicit IV */ "3d40895397bf7a4a346781d24f750f1b",
     /* record (73) */ "17030300443d40895397bf7a4a346781d24f750f1bd936019ab5c9de950f4ee1672b95c1751ec9be10b9d2910b5ad5a7"
     "98e763dffb6cf3b7c9b690f47964b3d5ae1d61381f7e2487d1"},
    /* cbc128_etm/mac_wrong_pad_ok: valid padding, MAC with one bit flipped */
    {"cbc128_etm", "mac_wrong_pad_ok", TLS12_KAT_BAD, UINT64_C(0x0000000000000006), 23 /* application_data */,
     /* plaintext (21) */ "68656c6c6f2c2070616464696e67206f7261636c65",
     /* explicit IV */ "923f3863a6ffb7533b40d81b860bc6b8",
     /* record (73) */ "1703030044923f3863a6ffb7533b40d81b860bc6b8e4b8ae2f52c5cd914c355e4ec2e75906e9a5cac0a9b0d8ef327571"
     "bcb04271b3a28dc20926fa4abda652ea4ded9dd9ba7f796edb"},
    {"cbc256_etm", "seq0_handshake", TLS12_KAT_RW, UINT64_C(0x0000000000000000), 22 /* handshake */,
     /* plaintext (16) */ "1400000c385fa2016d41faabe081293e",
     /* explicit IV */ "a05dcff8e864b8f7c475068f3b2181e5",
     /* record (73) */ "1603030044a05dcff8e864b8f7c475068f3b2181e57e2aed534e81e122a7a33e502c06ee7a70e499e4f8a8d7e3aad5c8"
     "eb3bf482c91e1784a1b649e324c50dbd3fc16ce72e07273ed3"},
    {"cbc256_etm", "seq1_app", TLS12_KAT_RW, UINT64_C(0x0000000000000001), 23 /* application_data */,
     /* plaintext (39) */ "474554202f6b617420485454502f312e310d0a486f73743a206d75746c732e746573740d0a0d0a",
     /* explicit IV */ "253a6e4227c991777877e05fd0268d54",
     /* record (89) */ "1703030054253a6e4227c991777877e05fd0268d54d0f6ab4b90a695d7152958613d6eacfb2e7cdd9b1502c0ad8a9cc7"
     "5b238516e37c33e2dd8716723ed9006dc97ed444edd2ec54e21c049fd69147595202bf656a6bd55857"},
    {"cbc256_etm", "seq2_empty", TLS12_KAT_RW, UINT64_C(0x0000000000000002), 23 /* application_data */,
     /* plaintext (0) */ "",
     /* explicit IV */ "9ca1aa8b3dc5df38d524affeb5cf8c55",
     /* record (57) */ "17030300349ca1aa8b3dc5df38d524affeb5cf8c555cbb5e2dbdcc2f34a235138e1e00f262fd3fc7d88b5e5c6b282420"
     "cba073c587eb8f3fd6"},
    {"cbc256_etm", "big_seq_long", TLS12_KAT_RW, UINT64_C(0x0000010000000005), 23 /* application_data */,
     /* plaintext (1024) */ "030a11181f262d343b424950575e656c737a81888f969da4abb2b9c0c7ced5dce3eaf1f8ff060d141b222930373e454c"
     "535a61686f767d848b9299a0a7aeb5bcc3cad1d8dfe6edf4fb020910171e252c333a41484f565d646b727980878e959c"
     "a3aab1b8bfc6cdd4dbe2e9f0f7fe050c131a21282f363d444b525960676e757c838a91989fa6adb4bbc2c9d0d7dee5ec"
     "f3fa01080f161d242b323940474e555c636a71787f868d949ba2a9b0b7bec5ccd3dae1e8eff6fd040b121920272e353c"
     "434a51585f666d747b828990979ea5acb3bac1c8cfd6dde4ebf2f900070e151c232a31383f464d545b626970777e858c"
     "939aa1a8afb6bdc4cbd2d9e0e7eef5fc030a11181f262d343b424950575e656c737a81888f969da4abb2b9c0c7ced5dc"
     "e3eaf1f8ff060d141b222930373e454c535a61686f767d848b9299a0a7aeb5bcc3cad1d8dfe6edf4fb020910171e252c"
     "333a41484f565d646b727980878e959ca3aab1b8bfc6cdd4dbe2e9f0f7fe050c131a21282f363d444b525960676e757c"
     "838a91989fa6adb4bbc2c9d0d7dee5ecf3fa01080f161d242b323940474e555c636a71787f868d949ba2a9b0b7bec5cc"
     "d3dae1e8eff6fd040b121920272e353c434a51585f666d747b828990979ea5acb3bac1c8cfd6dde4ebf2f900070e151c"
     "232a31383f464d545b626970777e858c939aa1a8afb6bdc4cbd2d9e0e7eef5fc030a11181f262d343b424950575e656c"
     "737a81888f969da4abb2b9c0c7ced5dce3eaf1f8ff060d141b222930373e454c535a61686f767d848b9299a0a7aeb5bc"
     "c3cad1d8dfe6edf4fb020910171e252c333a41484f565d646b727980878e959ca3aab1b8bfc6cdd4dbe2e9f0f7fe050c"
     "131a21282f363d444b525960676e757c838a91989fa6adb4bbc2c9d0d7dee5ecf3fa01080f161d242b323940474e555c"
     "636a71787f868d949ba2a9b0b7bec5ccd3dae1e8eff6fd040b121920272e353c434a51585f666d747b828990979ea5ac"
     "b3bac1c8cfd6dde4ebf2f900070e151c232a31383f464d545b626970777e858c939aa1a8afb6bdc4cbd2d9e0e7eef5fc"
     "030a11181f262d343b424950575e656c737a81888f969da4abb2b9c0c7ced5dce3eaf1f8ff060d141b222930373e454c"
     "535a61686f767d848b9299a0a7aeb5bcc3cad1d8dfe6edf4fb020910171e252c333a41484f565d646b727980878e959c"
     "a3aab1b8bfc6cdd4dbe2e9f0f7fe050c131a21282f363d444b525960676e757c838a91989fa6adb4bbc2c9d0d7dee5ec"
     "f3fa01080f161d242b323940474e555c636a71787f868d949ba2a9b0b7bec5ccd3dae1e8eff6fd040b121920272e353c"
     "434a51585f666d747b828990979ea5acb3bac1c8cfd6dde4ebf2f900070e151c232a31383f464d545b626970777e858c"
     "939aa1a8afb6bdc4cbd2d9e0e7eef5fc",
     /* explicit IV */ "6fcdd0ee998921cd9c45307c5fac2f3b",
     /* record (1081) */ "17030304346fcdd0ee998921cd9c45307c5fac2f3b68de91de3399ffcde8b0c9b33897235304c79fb726c768b065d327"
     "b2ba2efb697048fc227ff9c983cdb36a5f2b5445d76000a072af4c673b9494e6d82014cea3fe3e4b20d9ba56c9fc2537"
     "d16f781560754c119190b59316154e56d8ff224c9ee73dbc9118729eaf8223e437f88bba5119378eaf3842cca7874d24"
     "7caa91d96972a3cfa22120972d0664d413d01146206863b946f73dfc72774ff8762bca66d38623298a4fb738e975fc2d"
     "a3bacfc1a8180b9a7fdb326bb87c8d7573bc3f6c663253d61903733c4ffbf44e38eda1cfb0d8a643b2833c43b583ec55"
     "cddf9357869ba58e9cc1d3e023e5b23afcc2cb920988c8d133acab98b43d3bca30b07ac05570a6aebfab0fd685cbc403"
     "1264c6b19f8cd2bed34d4dd55b66285e36e1de52f6930e3540bbe3d4837e3f3fe83f604cf22b371b4b3d3ad0e4a580ca"
     "4cbc1d71be09b6da4c5789a4f7834cb6022c77e5ccd9c72c5ec42fb9a3fc33d6f7b7fc05a492bb14298fd696dfff6ba0"
     "e178144f3884d8cd39727a8e725d6c7387544f03f340b7b2e89c89e19ac3b9cf150ef7ae1ca0b96da7620b3ea406fe8a"
     "aa14ef8c397efaa4ef0c67bc61460abe5fb656e8ad5f59d5eaab1492b0c35344692c5c8fff3c581376ef1810fb6eced2"
     "d7f9d8442db6604ff90cf1b187ea05add44aa3278f176f672099f6fe6728d68e0390be3400e3b0b53546401f1599a024"
     "d94396c0e4f7daeda09c21d9b3c081972fefa20f74f497fa29903327d1bb1bf1456bf338f30c903df65a991d8e0d41c1"
     "582ae121ebc3f15d422e319c98ccd010b19ab391a60c79fe99aeb062bc8c534064a7414bb8f073b2cca2959fda3f0ee0"
     "d98c6b5698567e37a21cf28443ed8b31e88acfd0b047a1837f531e9c6f213f7460e23952b783ac15fd535286810c5b7e"
     "c103769c868df00e37bfa5accef1a62cfe9266952cf36de2fcebdef30a70fe927469f3e0c0a46633d6a7477cb30f637b"
     "523120a2dd4b426f8d65c600e3a6b299fc82c92ebee3fb9bdf31da4609dc08323cae8470db882be93e9ced1cd6359258"
     "3004b68e4de9e5673da3d8300a54f8e50aa6f977d0d4770439f90b52b4282e7c1c3c1eb61708fbe60983f59202e6a2de"
     "c3237ba65b9c0901c679b0032a60b4efeed713b5e1277f160042fcc9874b2f6d5c5550e35e0771c8bd0298667cb10a97"
     "9a3ccf1ec8353967047111cb4e376bc3f4dfad0229899be3b4538274d865262624fc19466ce71e750357a8a4798ae74a"
     "1cab906b7fcb1efd316502c256b2930902d00fa4067277421a6362a91b98f53fa55a7e972f6604f0654aa87fc5fe4728"
     "fca3832d9c969694a72d6cce2d9804dd25977e69f69a1269c29e0bc635a5b99468ddbd4e600232158fb866ee8ab7a7f8"
     "ee9b2d5888d830000e0b522a72629b8f574c175342d384b76a57a5978b17071e2a0b5d44648f358ee80f0e40faf17bcf"
     "85e0ca15fe6ac79a4951c1d6e1a5cecff3743a1882bda6833f"},
    {"cbc256_etm", "max_seq_alert", TLS12_KAT_RW, UINT64_C(0xfffffffffffffffe), 21 /* alert */,
     /* plaintext (2) */ "0100",
     /* explicit IV */ "6ceffd344df931eb11fd49ccb94c3521",
     /* record (57) */ "15030300346ceffd344df931eb11fd49ccb94c3521a91fee972d52605ac87db75bdd18544a4d2b9bbdd6b14e66bffbad"
     "f17c2d98d4382e6bc1"},
    {"cbc256_etm", "full_block_pad", TLS12_KAT_RW, UINT64_C(0x0000000000000003), 23 /* application_data */,
     /* plaintext (16) */ "cbaeab5b408a80c8de64088210140f4e",
     /* explicit IV */ "34ffe66ae9243e8cd42ae9155423e965",
     /* record (73) */ "170303004434ffe66ae9243e8cd42ae9155423e965f44a1cf107a11ab3fa2a888f720f8e7741fa0c6f6d2e95953c99b7"
     "7e509bcc076eb8ed27804e330453bb16a72899390bbeeeb56c"},
    /* cbc256_etm/max_padding_255: 256 bytes of padding */
    {"cbc256_etm", "max_padding_255", TLS12_KAT_READ, UINT64_C(0x0000000000000004), 23 /* application_data */,
     /* plaintext (16) */ "7d02924d1558b26b0b5de6605b5379fe",
     /* explicit IV */ "5aa4d3baf32fe07dee2895b4669b414e",
     /* record (313) */ "17030301345aa4d3baf32fe07dee2895b4669b414e877e87cfb3ee931ea692884b80efa4cf8807d966ea8cf2c766ee56"
     "1f85ce608d16888b9234a61f03af4bd97c801cb294e943696fa27eb55a95390cfd8cb1cac924b92dbeb5a15efb96b691"
     "f50f42a609a8b113278201cd2f86379e633cbc02e1dd9930f697a4b44f1739a5f776d4edc8375404406079397caaebc8"
     "d208b5613e98a4e15eb2709699740eb21e8d237ec543eba6024d23173f94f065eb27a355e6df1ff2738dc192a2f465f7"
     "1efb11d7b8245ba8c5b4f21657b44d26ba7de210023d690efb5f5647ffcfac2d70748c7faa1c77a9cc59caec165b0df8"
     "08e567bda11bfaee143e5a75c2241d10cc1134eca2fcb8d627e9adeb19b8f39e9019f8612b50bab6f7ec04d9bb055254"
     "d72dcf725cf607e8a4379ce0396d9a40368a2995c7bbb2d9ce"},
    /* cbc256_etm/empty_long_padding: empty content, 32 bytes of padding */
    {"cbc256_etm", "empty_long_padding", TLS12_KAT_READ, UINT64_C(0x0000000000000005), 23 /* application_data */,
     /* plaintext (0) */ "",
     /* explicit IV */ "33046af4a363f4448a2cce15cc2dee5b",
     /* record (73) */ "170303004433046af4a363f4448a2cce15cc2dee5b1f19b199aa1c8c0b8b8821f55485bf011ff6ca617982bbcac41040"
     "2e4004ff4bce1cf24f12113cede1bd6a14c8c41da10b26f895"},
    /* cbc256_etm/pad_inconsistent_first: the first padding byte differs from padding_length */
    {"cbc256_etm", "pad_inconsistent_first", TLS12_KAT_BAD, UINT64_C(0x0000000000000006), 23 /* application_data */,
     /* plaintext (21) */ "68656c6c6f2c2070616464696e67206f7261636c65",
     /* explicit IV */ "7e5239e938e68b03f573e23a2ad963c0",
     /* record (73) */ "17030300447e5239e938e68b03f573e23a2ad963c0e41f39f73ad6a7eb4bd552f0a2c8bb84ed21f5873e04509ca75c49"
     "82e3b5d52d4274bce107bda88cf4372e9097844fd84478cdcc"},
    /* cbc256_etm/pad_inconsistent_middle: one middle padding byte differs */
    {"cbc256_etm", "pad_inconsistent_middle", TLS12_KAT_BAD, UINT64_C(0x0000000000000006), 23 /* application_data */,
     /* plaintext (21) */ "68656c6c6f2c2070616464696e67206f7261636c65",
     /* explicit IV */ "63640a6aca8afd8f87da07826c6678f1",
     /* record (73) */ "170303004463640a6aca8afd8f87da07826c6678f170c661912f280ba428cbc853bb9bb92b6027453db9779134f903f0"
     "2c81017add09fa77682bdbd1510930069fb45f30ac23c48829"},
    /* cbc256_etm/pad_inconsistent_far: 255 bytes of padding, the farthest one wrong */
    {"cbc256_etm", "pad_inconsistent_far", TLS12_KAT_BAD, UINT64_C(0x0000000000000006), 23 /* application_data */,
     /* plaintext (16) */ "c6f466f3734e3d37b6b1fd40ff7a5195",
     /* explicit IV */ "8ead5a37b91748e081b64fceccc917a9",
     /* record (313) */ "17030301348ead5a37b91748e081b64fceccc917a93653ccab71ef32c75666b0c883d4aead6b79a07ee62afa7dd5f22f"
     "7cdf780771177df507b55f0fa76dd38ff250cd4d4e5f0bbe974cb51861a33e920b28faddd50402090bb37f0b040868e2"
     "27ceb411c712a94fa45fccf76b04f49d9c9424a3285bda88c0b0c4008ec2d313f9c70299885490e9ddcb41078b0a951a"
     "e1b710e2681ae544573d03d6ffca4644465235a669e7dea18b5278526d884e8d3d1b409b4c9ac11b90c50c5268fc79f3"
     "84d173cba7baa1d69c8499ae25df531b56dd50baae2177d9d41f6e05b5ab11e694fe2feecdca5ea85f52a5f6c048f8c6"
     "4940b58d71481a59e32a2cee5d44797ec2b0ec95430736bb92257cc4b49c8e787600684e11f9d85eb898a300f8a9400a"
     "0f5d0f4f99dc553e565e3b80796c48c11f517093583e62e080"},
    /* cbc256_etm/pad_len_exceeds_record: padding_length 255 in a 32-byte plaintext */
    {"cbc256_etm", "pad_len_exceeds_record", TLS12_KAT_BAD, UINT64_C(0x0000000000000006), 23 /* application_data */,
     /* plaintext (21) */ "68656c6c6f2c2070616464696e67206f7261636c65",
     /* explicit IV */ "a2d4a5667cad76bd8dc1e083439ad15f",
     /* record (73) */ "1703030044a2d4a5667cad76bd8dc1e083439ad15f0c802ace7ebf6fb4746601a256ff965cc2872ebdaaeff45d75de40"
     "6b785d5666358d9891d35759e21e6c58ecee6fb83a64a5eb69"},
    /* cbc256_etm/pad_len_exceeds_by_one: padding_length 32: padding + MAC one byte longer than the 32-byte plaintext */
    {"cbc256_etm", "pad_len_exceeds_by_one", TLS12_KAT_BAD, UINT64_C(0x0000000000000006), 23 /* application_data */,
     /* plaintext (21) */ "68656c6c6f2c2070616464696e67206f7261636c65",
     /* explicit IV */ "b4f3b6e376c98818a5ba27c1ffc20ad2",
     /* record (73) */ "1703030044b4f3b6e376c98818a5ba27c1ffc20ad29216b96509b022e8b7c957eaeb30f55ac8c3868ddd35835cfd5711"
     "c86c945de2089f62f95c91be0c7214066849ec19ea3cf36c99"},
    /* cbc256_etm/mac_wrong_pad_ok: valid padding, MAC with one bit flipped */
    {"cbc256_etm", "mac_wrong_pad_ok", TLS12_KAT_BAD, UINT64_C(0x0000000000000006), 23 /* application_data */,
     /* plaintext (21) */ "68656c6c6f2c2070616464696e67206f7261636c65",
     /* explicit IV */ "3cfbcfc9698ae69e42f007d59d00407f",
     /* record (73) */ "17030300443cfbcfc9698ae69e42f007d59d00407f321f1b00da91f3f614dd84bdb14ee78396dea3eb18f6c3c61f4238"
     "e3be606c1ac2e8b192728a79dc114011e8fca12d5cc3aacc51"},
};

/* Key block partition (RFC 5246 6.3): the key block, then a client-written
 * record (sequence number 0, application_data, plaintext TLS12_KAT_HTTP)
 * and a server-written one (plaintext TLS12_KAT_FINISHED), each with the
 * explicit IV its sender drew (CBC). */
#define TLS12_KAT_HTTP "474554202f6b617420485454502f312e310d0a486f73743a206d75746c732e746573740d0a0d0a"
#define TLS12_KAT_FINISHED "1400000c385fa2016d41faabe081293e"
static const tls12_kat_keyblock tls12_kat_keyblocks[] = {
    {"gcm128", 0xc02f, 0,
     /* key block (40) */ "05ab880f97d30b772e449f7e96f9c2cabebab72bdeb3818dc2475516b7f9150d88a2fbfe9af307dc",
     /* client explicit IV */ "",
     /* client record (68) */ "170303003f00000000000000005a94e9f25dc9cff366fb0807acf0999277fa8ed92c59c2f0c09e4b761320d1a4aa11ba"
     "04235f6274c4cee8eb5dacf1b408689ca7e2afb2",
     /* server explicit IV */ "",
     /* server record (45) */ "17030300280000000000000000b6585dca91a23f91260079b2f1cc6685416aa202498f5e93356cf2743f1defb8"},
    {"gcm256", 0xc030, 0,
     /* key block (72) */ "ffc73e7a62cdc3ab49c831d6c00a1f291f86bbffdbabafba12920ca7742d7075d3a12525e2e1aaf09d898b669fe36e1e"
     "6c2f675d727cbc4ed00796edd9132057584677d7bcc02983",
     /* client explicit IV */ "",
     /* client record (68) */ "170303003f0000000000000000c5966be5bd205ec02b51d9f40e627c48e55acfca804ae6b233295596f0b914139ffa4f"
     "b576eeb3bb8f627de42b14abc5b8a52dea898a18",
     /* server explicit IV */ "",
     /* server record (45) */ "1703030028000000000000000038133f15cc8329991bbffda76c44d2b45e81bffae61c934683b9c33673f09af7"},
    {"chacha", 0xcca8, 0,
     /* key block (88) */ "152bd189176d55b65990848ec3355f2869e4eb8b55ba13492a381e8ff9d4c5375ef25728814c6d1d12b05dc54551b213"
     "f5c33696f56f2b46997d107c0e482da59f7f00c70fe090311385d8f142301d9f623ec46131ddaad9",
     /* client explicit IV */ "",
     /* client record (60) */ "170303003706b23636971292d13df30c617d5ef4d9b602ec0de07490ecdf0e8b765d4180bd2caf2eb29d4f462e54cd70"
     "321c6a10bec58fc0ecaafea6",
     /* server explicit IV */ "",
     /* server record (37) */ "1703030020cd2cd57ddec3f4b283c7594a747c1058e4bdf526d84033130304a2b08fa4cbc3"},
    {"cbc128", 0xc013, 0,
     /* key block (72) */ "008b8878a3fc640478a138574f25a32c86c0efef2534ad2397af7abd9a39190cfa8f3e1396a22f651b353f96a97c4665"
     "a3535bac133dfff0f3f5912620882f4862b6cb6714a35982",
     /* client explicit IV */ "39b61a25833c3ce5ca2481d401b0f18b",
     /* client record (85) */ "170303005039b61a25833c3ce5ca2481d401b0f18ba1dfb9f9d81f9080a1d349e13eddfb7b04dd417b50102a795464e1"
     "c646d0c04d30df7cf407b26ad3ad33856cec5f2488920e4f5312295c37cfb1532938f05e7d",
     /* server explicit IV */ "fd7af52dd7b07059ba0201a8444a7058",
     /* server record (69) */ "1703030040fd7af52dd7b07059ba0201a8444a705828281d83532cfaada95da083e79378a13f39c65450d9ac26d13dc6"
     "61d5e73672630726692a50126cb726fd028194aae0"},
    {"cbc256", 0xc014, 0,
     /* key block (104) */ "eac9a914b4434b253abbee2f7065bd65ad23881eaf081ccffa3a001ead2845f8ed760f064054ae9524fb6ac406e37da5"
     "ed5de737e6be6fd4e3cadaf4d68e68c0e451484bd84d764a5d34aefccf1d25deb1346ff758c213d81a70fee90ae753f3"
     "c4a95077f3016694",
     /* client explicit IV */ "651b6321397387f3561155a31277fb03",
     /* client record (85) */ "1703030050651b6321397387f3561155a31277fb0369647c44cade77b456e90bc19958f86469713447de2041a6d6cb7b"
     "41db3d36bc6e2a0f2335b5def295ab3bc874aa268906e87715b7cc47b87a253df78ddd0b06",
     /* server explicit IV */ "77d283154355ab45ef3ed36ae5629f53",
     /* server record (69) */ "170303004077d283154355ab45ef3ed36ae5629f53bbb507e373e593dee314e69866aac1b1e82efd120eb47cb5cac716"
     "819db6ce4ba020a477111abec09d34fa03300da9c1"},
    {"cbc128_etm", 0xc013, 1,
     /* key block (72) */ "95f110815579bee496cc1ca06294a005d766c572ab87cee236ebc56476eec9d3855db216a69869c47bca17835f50788e"
     "51cc29da6054736a225f965a371705b33ffa47cdb1381f2c",
     /* client explicit IV */ "f5c403d05acf5a69263c54678ca9f6d7",
     /* client record (89) */ "1703030054f5c403d05acf5a69263c54678ca9f6d7026012753cd48864b22707e121c316d0bd8e13591b1bb75ab64bde"
     "3311bc732da001a3af8490838f2c828101e4d41a5b060e465b4eeca5683ccac00d74a486795be61974",
     /* server explicit IV */ "eae1415ffd81013ff85fb8635468852e",
     /* server record (73) */ "1703030044eae1415ffd81013ff85fb8635468852ede340cc24f4a34a4b0d190d57b56f6a349f38a06ac0fb494f8aa81"
     "d4a0cb3c5635a5fe2cc3b5d8e5e963713eeb767629f6acaa0c"},
    {"cbc256_etm", 0xc014, 1,
     /* key block (104) */ "42464b01ca16749584562f925a46417fd42bd7e3f9cced6e08365bd4dccb529650d688d20d8999aafedb8db1ee0a6561"
     "74fe6714f5b420c4c674e57ecde45a296a76e27d5e8fc7f6ea33165e528f9917a66b7c3d20e8168c07cbeb9d1bda7626"
     "93f3bd2e8a96498c",
     /* client explicit IV */ "c3a830b1aeb6716c5935a68e1e86e7af",
     /* client record (89) */ "1703030054c3a830b1aeb6716c5935a68e1e86e7af20361ed048f1b8d473c2b79642411f80b30a8ae4ce33cd568c266e"
     "b36c648727b4f7328aa4a1a97690e7e6b55bf27b0fd8cc9780eba228566a1abdd2ecb6bf4ddb441f2c",
     /* server explicit IV */ "35ae7eb5318f583d8f4bff69744a4e65",
     /* server record (73) */ "170303004435ae7eb5318f583d8f4bff69744a4e6585b71e07900392d9e29bf940bf89fe343914a7ade61616c6833fbc"
     "ab5a64456f609fd84748d0c2bb8fa4dd23d99f369773482910"},
};
/* ---- END GENERATED ---- */

#endif
