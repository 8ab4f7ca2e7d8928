// A small JSSE (Java's own TLS stack) peer for tests/interop/java_jsse.sh.
// JDK only: certificates and PKCS#8 keys are read from PEM files and put
// into in-memory KeyStores, so neither keytool nor openssl is needed.
//
//   java JssePeer client OUTDIR JOBFILE
//       One JVM runs every job of JOBFILE (JVM start-up is slow), one job
//       a line, whitespace-separated:
//         NAME PORT SERVERNAME PROTOCOL CAFILE CERT|- KEY|- CIPHERS|- ACTION CONNS
//       PROTOCOL: TLSv1.3 or TLSv1.2 (the only one enabled); CIPHERS: a
//       comma-separated list of IANA suite names; ACTION: www (send an
//       HTTP GET, read until the server closes) or echo:N (send N bytes,
//       read them back); CONNS: connections made with the same SSLContext
//       (the second one may resume the first's session). Each job writes
//       OUTDIR/NAME.out, "conn K <what> <value>" lines. SERVERNAME is sent
//       as SNI and checked against the certificate (HTTPS endpoint
//       identification).
//
//   java JssePeer server CERT KEY CLIENTCA
//       Two listeners on 127.0.0.1, port 0: "plain" (no client
//       certificate) and "mtls" (setNeedClientAuth(true), trusting
//       CLIENTCA); prints "port plain N" and "port mtls N", then for each
//       connection reads one line, answers "got LINE" and "protocol P
//       cipher C peer SUBJECT", closes, and prints one "conn=..." line.
//       Runs until killed.
import java.io.*;
import java.net.*;
import java.nio.charset.StandardCharsets;
import java.nio.file.*;
import java.security.*;
import java.security.cert.*;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.*;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.*;
import javax.security.auth.x500.X500Principal;

public class JssePeer {
    static final char[] PW = "changeit".toCharArray();

    static List<X509Certificate> readCerts(String path) throws Exception {
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        List<X509Certificate> out = new ArrayList<>();
        try (InputStream in = new FileInputStream(path)) {
            for (java.security.cert.Certificate c : cf.generateCertificates(in))
                out.add((X509Certificate) c);
        }
        if (out.isEmpty()) throw new IOException("no certificate in " + path);
        return out;
    }

    static PrivateKey readKey(String path, String alg) throws Exception {
        String pem = new String(Files.readAllBytes(Paths.get(path)), StandardCharsets.US_ASCII);
        if (!pem.contains("-----BEGIN PRIVATE KEY-----"))
            throw new IOException(path + ": not a PKCS#8 PEM key");
        String b64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance(alg).generatePrivate(
            new PKCS8EncodedKeySpec(Base64.getDecoder().decode(b64)));
    }

    static KeyManager[] keyManagers(String cert, String key) throws Exception {
        if (cert == null || cert.equals("-")) return null;
        List<X509Certificate> chain = readCerts(cert);
        PrivateKey pk = readKey(key, chain.get(0).getPublicKey().getAlgorithm());
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("key", pk, PW, chain.toArray(new X509Certificate[0]));
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, PW);
        return kmf.getKeyManagers();
    }

    static TrustManager[] trustManagers(String ca) throws Exception {
        KeyStore ts = KeyStore.getInstance("PKCS12");
        ts.load(null, null);
        int i = 0;
        for (X509Certificate c : readCerts(ca)) ts.setCertificateEntry("ca" + i++, c);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(ts);
        return tmf.getTrustManagers();
    }

    static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) sb.append(String.format("%02x", x));
        return sb.length() == 0 ? "-" : sb.toString();
    }

    static String subject(java.security.cert.Certificate[] chain) {
        if (chain == null || chain.length == 0) return "-";
        return ((X509Certificate) chain[0]).getSubjectX500Principal().getName(X500Principal.RFC2253);
    }

    static String describe(Throwable e) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (sb.length() > 0) sb.append(" <- ");
            sb.append(t.getClass().getName()).append(": ").append(t.getMessage());
        }
        return sb.toString().replace('\n', ' ');
    }

    // ---- client ---------------------------------------------------------

    public static void main(String[] a) throws Exception {
        if (a.length == 3 && a[0].equals("client")) client(a[1], a[2]);
        else if (a.length == 4 && a[0].equals("server")) server(a[1], a[2], a[3]);
        else {
            System.err.println("usage: JssePeer client OUTDIR JOBFILE | server CERT KEY CLIENTCA");
            System.exit(2);
        }
    }

    static void client(String outDir, String jobFile) throws Exception {
        for (String line : Files.readAllLines(Paths.get(jobFile))) {
            line = line.trim();
            if (line.isEmpty() || line.startsWith("#")) continue;
            String[] f = line.split("\\s+");
            if (f.length != 10) throw new IllegalArgumentException("bad job line: " + line);
            try (PrintWriter out = new PrintWriter(new FileWriter(new File(outDir, f[0] + ".out")), true)) {
                try {
                    job(f, out);
                } catch (Exception e) {
                    out.println("job error " + describe(e));
                }
            }
        }
    }

    static void job(String[] f, PrintWriter out) throws Exception {
        int port = Integer.parseInt(f[1]);
        String name = f[2], proto = f[3], ca = f[4], cert = f[5], key = f[6], ciphers = f[7], action = f[8];
        int conns = Integer.parseInt(f[9]);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(keyManagers(cert, key), trustManagers(ca), null);
        SSLSession first = null;
        for (int k = 1; k <= conns; k++) {
            String p = "conn " + k + " ";
            try (Socket raw = new Socket()) {
                raw.connect(new InetSocketAddress("127.0.0.1", port), 5000);
                raw.setSoTimeout(10000);
                out.println(p + "local-port " + raw.getLocalPort());
                // Layered over a connected socket: NAME is the peer host
                // JSSE uses for endpoint identification and as the
                // session-cache key (with the port).
                SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(raw, name, port, true);
                SSLParameters sp = s.getSSLParameters();
                sp.setProtocols(new String[] {proto});
                if (!ciphers.equals("-")) sp.setCipherSuites(ciphers.split(","));
                sp.setEndpointIdentificationAlgorithm("HTTPS");
                // JSSE sends no SNI for a dotless name such as "localhost"
                // unless it is set explicitly.
                sp.setServerNames(List.of(new SNIHostName(name)));
                s.setSSLParameters(sp);
                s.startHandshake();
                SSLSession ss = s.getSession();
                out.println(p + "handshake ok");
                out.println(p + "protocol " + ss.getProtocol());
                out.println(p + "cipher " + ss.getCipherSuite());
                out.println(p + "peer " + subject(ss.getPeerCertificates()));
                java.security.cert.Certificate[] mine = ss.getLocalCertificates();
                out.println(p + "local-cert " + subject(mine));
                out.println(p + "session-id " + hex(ss.getId()));
                out.println(p + "creation-time " + ss.getCreationTime());
                if (first != null) {
                    out.println(p + "same-id " + (Arrays.equals(first.getId(), ss.getId()) ? "yes" : "no"));
                    out.println(p + "same-creation-time " + (first.getCreationTime() == ss.getCreationTime()
                        ? "yes" : "no"));
                }
                OutputStream os = s.getOutputStream();
                InputStream is = s.getInputStream();
                if (action.equals("www")) {
                    os.write("GET / HTTP/1.0\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    os.flush();
                    ByteArrayOutputStream resp = new ByteArrayOutputStream();
                    byte[] buf = new byte[4096];
                    int n;
                    while ((n = is.read(buf)) > 0) resp.write(buf, 0, n);
                    for (String l : resp.toString(StandardCharsets.UTF_8).split("\r?\n"))
                        out.println(p + "| " + l);
                } else if (action.startsWith("echo:")) {
                    int len = Integer.parseInt(action.substring(5));
                    byte[] data = new byte[len];
                    Random r = new Random(len);
                    for (int i = 0; i < len; i++) data[i] = (byte) (i % 77 == 76 ? '\n' : 'a' + r.nextInt(26));
                    // Write from another thread: an echo server may send
                    // back before it has read everything.
                    Thread w = new Thread(() -> {
                        try { os.write(data); os.flush(); } catch (IOException e) { /* seen by the reader */ }
                    });
                    w.start();
                    byte[] got = new byte[len];
                    int off = 0, n;
                    while (off < len && (n = is.read(got, off, len - off)) > 0) off += n;
                    w.join(10000);
                    out.println(p + "echo " + (off == len && Arrays.equals(data, got)
                        ? "ok " + len + " bytes" : "mismatch: " + off + " of " + len + " bytes"));
                }
                // The session after the exchange: TLS 1.3 tickets arrive
                // after the handshake, with the first application data.
                if (first == null) first = ss;
                out.println(p + "result ok");
            } catch (Exception e) {
                out.println(p + "result error " + describe(e));
            }
        }
    }

    // ---- server ---------------------------------------------------------

    static final AtomicInteger CONNS = new AtomicInteger();

    static void server(String cert, String key, String clientCa) throws Exception {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(keyManagers(cert, key), trustManagers(clientCa), null);
        for (String kind : new String[] {"plain", "mtls"}) {
            SSLServerSocket ls = (SSLServerSocket) ctx.getServerSocketFactory()
                .createServerSocket(0, 16, InetAddress.getByName("127.0.0.1"));
            ls.setEnabledProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
            if (kind.equals("mtls")) ls.setNeedClientAuth(true);
            synchronized (System.out) {
                System.out.println("port " + kind + " " + ls.getLocalPort());
                System.out.flush();
            }
            Thread t = new Thread(() -> {
                while (true) {
                    try {
                        SSLSocket s = (SSLSocket) ls.accept();
                        new Thread(() -> serve(kind, s)).start();
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            t.start();
        }
    }

    static void serve(String kind, SSLSocket s) {
        int n = CONNS.incrementAndGet();
        String head = "conn=" + n + " listener=" + kind + " remote-port=" + s.getPort();
        String res;
        try (s) {
            s.setSoTimeout(10000);
            s.startHandshake();
            SSLSession ss = s.getSession();
            String peer;
            try {
                peer = subject(ss.getPeerCertificates());
            } catch (SSLPeerUnverifiedException e) {
                peer = "-";
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            String line = r.readLine();
            String info = "protocol " + ss.getProtocol() + " cipher " + ss.getCipherSuite() + " peer " + peer;
            OutputStream os = s.getOutputStream();
            os.write(("got " + line + "\n" + info + "\n").getBytes(StandardCharsets.UTF_8));
            os.flush();
            res = head + " result=ok protocol=" + ss.getProtocol() + " cipher=" + ss.getCipherSuite()
                + " got=\"" + line + "\" peer=\"" + peer + "\"";
        } catch (Exception e) {
            res = head + " result=error error=\"" + describe(e) + "\"";
        }
        synchronized (System.out) {
            System.out.println(res);
            System.out.flush();
        }
    }
}
