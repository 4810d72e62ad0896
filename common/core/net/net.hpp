// HTTPS client: one small wrapper around libcurl. TLS verification is always on; only https:// URLs are
// accepted; the proxy comes from the environment (https_proxy / no_proxy, as curl reads them); transient
// failures (no connection, timeout, HTTP 408/429/5xx) are retried with a doubling backoff.
// Blocking: call it from a worker or a background thread, never inside a UI frame.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace inloop::core::net {

struct Options {
    long connectTimeoutMs = 10'000;
    long timeoutMs = 300'000;       // the whole transfer, per attempt; 0: no limit (big uploads: see stallSeconds)
    long stallSeconds = 60;         // a transfer that moves no byte for this long fails (and is retried)
    int attempts = 4;               // first try + retries
    long backoffMs = 1'000;         // wait before the 2nd attempt; doubled each time after
    std::string caFile;             // extra CA certificate (a site's own CA, the tests' CA); empty: the system's
    std::string user, password;     // HTTP basic auth; never written to any log or message
    uint64_t maxBodyBytes = 64ull << 20; // a response body kept in memory larger than this fails the request
    // Called now and then during a transfer with bytes done and expected (0 if unknown) in the current
    // direction; return false to cancel (the result is then a transport error "cancelled", not retried).
    std::function<bool(uint64_t done, uint64_t total)> progress;
};

struct Request {
    std::string method = "GET";                               // GET, PUT, DELETE, PROPFIND, MKCOL, HEAD
    std::string url;                                          // https:// only
    std::vector<std::pair<std::string, std::string>> headers; // e.g. {"If-None-Match", etag}, {"Depth", "1"}
    std::string body;                                         // request body from memory (PUT, PROPFIND)
    std::filesystem::path uploadFile;                         // or: stream the request body from this file
    std::filesystem::path downloadFile;                       // stream a 2xx response body here (not into body)
};

struct Response {
    long status = 0;                           // HTTP status; 0 when no HTTP response came (transport error)
    std::string body;                          // the response body (unless downloadFile was given)
    std::map<std::string, std::string> headers;// lower-case names: "etag", "last-modified", "content-type", …
    std::string error;                         // transport error in plain words (empty when status != 0)
    bool tlsRefused = false;                   // the server's certificate was not trusted (never retried)
    int attempts = 0;                          // how many tries it took
    bool transportError() const { return status == 0; }
    bool ok() const { return status >= 200 && status < 300; }
    // "HTTP 404 Not Found" or the transport error, for messages shown to people.
    std::string describe() const;
};

class Client {
public:
    explicit Client(Options options = {});
    // Throws core::Error(InvalidInput, "net.url") for a URL that is not https://; never throws for network
    // trouble: that is in the Response.
    Response send(const Request& request) const;
    const Options& options() const { return m_options; }

private:
    Options m_options;
};

// "https://host/a/b/" + "name" with exactly one slash between them; name is percent-encoded.
std::string joinUrl(const std::string& folderUrl, const std::string& name);

} // namespace inloop::core::net
