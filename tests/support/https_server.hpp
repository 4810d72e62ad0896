// An HTTPS server for tests, started by the test itself on 127.0.0.1 (never another address) on a free port,
// with libmicrohttpd + GnuTLS and the test certificates in tests/net/certs. Every request is recorded;
// replies come from a handler the test sets (and may change while the server runs).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

struct MHD_Daemon;

namespace inloop::test {

struct Received {
    std::string method, path, body;       // path without the query string
    std::map<std::string, std::string> headers; // lower-case names
};

struct Reply {
    int status = 200;
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;
    int delayMs = 0; // wait this long before answering (timeouts); the server stays responsive to others
};

class HttpsServer {
public:
    enum class Cert {
        Trusted,    // signed by the test CA (caFile()), for 127.0.0.1
        SelfSigned, // a self-signed certificate that no CA vouches for: clients must refuse it
    };
    using Handler = std::function<Reply(const Received&)>;

    explicit HttpsServer(Handler handler, Cert cert = Cert::Trusted);
    ~HttpsServer();
    HttpsServer(const HttpsServer&) = delete;
    HttpsServer& operator=(const HttpsServer&) = delete;

    uint16_t port() const { return m_port; }
    std::string url(std::string_view path = "/") const; // "https://127.0.0.1:<port>/path"
    void setHandler(Handler handler);
    std::vector<Received> requests() const; // a copy, in arrival order

    static std::string caFile(); // the test CA certificate (PEM) to pass as net::Options::caFile

    // A WebDAV folder in memory: PUT stores, GET returns (404 if missing), DELETE removes, HEAD, MKCOL 201,
    // PROPFIND Depth 1 lists the folder as a 207 multistatus with one <d:href> per file. Use as the handler.
    struct DavFolder {
        std::mutex mutex;
        std::map<std::string, std::string> files; // path → content
        Reply operator()(const Received& request);
    };

private:
    Reply handle(Received request);
    friend struct HttpsServerAccess;
    MHD_Daemon* m_daemon = nullptr;
    uint16_t m_port = 0;
    mutable std::mutex m_mutex;
    Handler m_handler;
    std::vector<Received> m_requests;
    std::string m_cert, m_key; // PEM text, kept alive for the daemon
};

} // namespace inloop::test
