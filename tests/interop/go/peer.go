// A small Go crypto/tls peer for tests/interop/go_crypto_tls.sh (standard
// library only; build with GO111MODULE=off go build -o gopeer peer.go).
//
// Client (-mode client): connects to 127.0.0.1:PORT, verifies the server
// against -ca for -servername, optionally presents -cert/-key, sends
// -request (backslash escapes \r \n \\ understood) and reads the answer
// (-read all: until the server closes; -read line: one line). With -resume
// it connects twice with one ClientSessionCache. For each connection it
// prints, on standard output:
//
//	go-conn: N
//	go-version: TLSv1.3
//	go-cipher: TLS_AES_128_GCM_SHA256
//	go-peer-subject: CN=localhost
//	go-peer-issuer: CN=mutls test intermediate CA
//	go-peer-key: ECDSA
//	go-peer-dns: localhost
//	go-peer-uri: ...              (one line per URI SAN)
//	go-peer-chain-verified: true
//	go-resumed: true|false
//	go-response-begin
//	...the server's bytes...
//	go-response-end
//
// and on failure "go-error: conn N: MESSAGE" and exit status 1.
//
// Server (-mode server): listens on 127.0.0.1:0, prints "port N", then
// for each of -conns connections: handshake, read one line, answer
// "got LINE" and the connection's parameters (same go-* lines, the
// client's certificate as go-peer-*), then close (close_notify). It prints
// the same lines on standard output ("go-server-conn: N" first), or
// "go-server-error: conn N: MESSAGE"; exit status 1 if a connection failed.
package main

import (
	"bufio"
	"crypto/tls"
	"crypto/x509"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"time"
)

var (
	mode        = flag.String("mode", "client", "client or server")
	port        = flag.Int("port", 0, "client: server port on 127.0.0.1")
	caFile      = flag.String("ca", "", "client: trust anchors (PEM)")
	certFile    = flag.String("cert", "", "certificate chain (PEM)")
	keyFile     = flag.String("key", "", "private key (PEM)")
	serverName  = flag.String("servername", "localhost", "client: server name to send and verify")
	maxVersion  = flag.String("maxversion", "1.3", "highest version: 1.2 or 1.3")
	minVersion  = flag.String("minversion", "1.2", "lowest version: 1.2 or 1.3")
	requireCert = flag.Bool("require-client-cert", false, "server: RequireAndVerifyClientCert")
	clientCA    = flag.String("client-ca", "", "server: ClientCAs (PEM)")
	resume      = flag.Bool("resume", false, "client: connect twice with a session cache")
	request     = flag.String("request", `GET / HTTP/1.0\r\nHost: localhost\r\n\r\n`, "client: bytes to send")
	readMode    = flag.String("read", "all", "client: all (until close) or line")
	conns       = flag.Int("conns", 1, "server: connections to accept")
	ciphers     = flag.String("ciphers", "", "TLS 1.2 cipher suites, comma-separated IANA names (Go cannot restrict TLS 1.3 suites)")
)

func version(s string) uint16 {
	switch s {
	case "1.2":
		return tls.VersionTLS12
	case "1.3":
		return tls.VersionTLS13
	}
	fmt.Fprintf(os.Stderr, "bad version %q\n", s)
	os.Exit(2)
	return 0
}

func versionName(v uint16) string {
	switch v {
	case tls.VersionTLS10:
		return "TLSv1.0"
	case tls.VersionTLS11:
		return "TLSv1.1"
	case tls.VersionTLS12:
		return "TLSv1.2"
	case tls.VersionTLS13:
		return "TLSv1.3"
	}
	return fmt.Sprintf("0x%04x", v)
}

func loadPool(file string) *x509.CertPool {
	pem, err := os.ReadFile(file)
	if err != nil {
		fatal("%v", err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		fatal("%s: no certificate", file)
	}
	return pool
}

func fatal(f string, a ...interface{}) {
	fmt.Printf("go-error: "+f+"\n", a...)
	os.Exit(1)
}

func describe(w io.Writer, cs tls.ConnectionState) {
	fmt.Fprintf(w, "go-version: %s\n", versionName(cs.Version))
	fmt.Fprintf(w, "go-cipher: %s\n", tls.CipherSuiteName(cs.CipherSuite))
	if len(cs.PeerCertificates) > 0 {
		c := cs.PeerCertificates[0]
		fmt.Fprintf(w, "go-peer-subject: %s\n", c.Subject.String())
		fmt.Fprintf(w, "go-peer-issuer: %s\n", c.Issuer.String())
		fmt.Fprintf(w, "go-peer-key: %s\n", c.PublicKeyAlgorithm.String())
		for _, d := range c.DNSNames {
			fmt.Fprintf(w, "go-peer-dns: %s\n", d)
		}
		for _, u := range c.URIs {
			fmt.Fprintf(w, "go-peer-uri: %s\n", u.String())
		}
		fmt.Fprintf(w, "go-peer-chain-verified: %v\n", len(cs.VerifiedChains) > 0)
	} else {
		fmt.Fprintf(w, "go-peer-subject: -\n")
	}
	fmt.Fprintf(w, "go-resumed: %v\n", cs.DidResume)
}

func unescape(s string) string {
	return strings.NewReplacer(`\r`, "\r", `\n`, "\n", `\\`, `\`).Replace(s)
}

func baseConfig() *tls.Config {
	cfg := &tls.Config{
		MinVersion: version(*minVersion),
		MaxVersion: version(*maxVersion),
	}
	if *ciphers != "" {
		byName := map[string]uint16{}
		for _, cs := range append(tls.CipherSuites(), tls.InsecureCipherSuites()...) {
			byName[cs.Name] = cs.ID
		}
		for _, n := range strings.Split(*ciphers, ",") {
			id, ok := byName[n]
			if !ok {
				fatal("unknown cipher suite %q", n)
			}
			cfg.CipherSuites = append(cfg.CipherSuites, id)
		}
	}
	if *certFile != "" {
		cert, err := tls.LoadX509KeyPair(*certFile, *keyFile)
		if err != nil {
			fatal("loading %s: %v", *certFile, err)
		}
		cfg.Certificates = []tls.Certificate{cert}
	}
	return cfg
}

func client() {
	cfg := baseConfig()
	cfg.ServerName = *serverName
	if *caFile != "" {
		cfg.RootCAs = loadPool(*caFile)
	}
	if *resume {
		cfg.ClientSessionCache = tls.NewLRUClientSessionCache(8)
	}
	n := 1
	if *resume {
		n = 2
	}
	addr := fmt.Sprintf("127.0.0.1:%d", *port)
	for i := 1; i <= n; i++ {
		fmt.Printf("go-conn: %d\n", i)
		d := &net.Dialer{Timeout: 10 * time.Second}
		conn, err := tls.DialWithDialer(d, "tcp", addr, cfg)
		if err != nil {
			fatal("conn %d: %v", i, err)
		}
		conn.SetDeadline(time.Now().Add(10 * time.Second))
		describe(os.Stdout, conn.ConnectionState())
		if _, err := io.WriteString(conn, unescape(*request)); err != nil {
			fatal("conn %d: write: %v", i, err)
		}
		fmt.Println("go-response-begin")
		var rerr error
		if *readMode == "line" {
			var line string
			line, rerr = bufio.NewReader(conn).ReadString('\n')
			os.Stdout.WriteString(line)
			if rerr == nil {
				// Our close_notify; the server's answer to it is not awaited.
				rerr = conn.CloseWrite()
			}
		} else {
			_, rerr = io.Copy(os.Stdout, conn)
		}
		fmt.Println("\ngo-response-end")
		if rerr != nil {
			fatal("conn %d: read: %v", i, rerr)
		}
		// In TLS 1.3 the tickets arrive after the handshake; they have been
		// read by now (the server answered after sending them).
		conn.Close()
	}
}

func server() {
	cfg := baseConfig()
	if *clientCA != "" {
		cfg.ClientCAs = loadPool(*clientCA)
	}
	if *requireCert {
		cfg.ClientAuth = tls.RequireAndVerifyClientCert
	} else if *clientCA != "" {
		cfg.ClientAuth = tls.VerifyClientCertIfGiven
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fatal("listen: %v", err)
	}
	fmt.Printf("port %d\n", ln.Addr().(*net.TCPAddr).Port)
	failed := false
	for i := 1; i <= *conns; i++ {
		raw, err := ln.Accept()
		if err != nil {
			fatal("accept: %v", err)
		}
		raw.SetDeadline(time.Now().Add(10 * time.Second))
		conn := tls.Server(raw, cfg)
		fmt.Printf("go-server-conn: %d\n", i)
		if err := conn.Handshake(); err != nil {
			fmt.Printf("go-server-error: conn %d: handshake: %v\n", i, err)
			conn.Close()
			failed = true
			continue
		}
		cs := conn.ConnectionState()
		describe(os.Stdout, cs)
		line, err := bufio.NewReader(conn).ReadString('\n')
		if err != nil {
			// In TLS 1.3 a client's certificate is checked after the
			// server's Finished: a refusal shows up here.
			fmt.Printf("go-server-error: conn %d: read: %v\n", i, err)
			conn.Close()
			failed = true
			continue
		}
		var b strings.Builder
		fmt.Fprintf(&b, "got %s", line)
		describe(&b, cs)
		if _, err := io.WriteString(conn, b.String()); err != nil {
			fmt.Printf("go-server-error: conn %d: write: %v\n", i, err)
			failed = true
		}
		conn.Close()
		fmt.Printf("go-server-done: %d\n", i)
	}
	if failed {
		os.Exit(1)
	}
}

func main() {
	flag.Parse()
	switch *mode {
	case "client":
		client()
	case "server":
		server()
	default:
		fmt.Fprintf(os.Stderr, "bad -mode %q\n", *mode)
		os.Exit(2)
	}
}
