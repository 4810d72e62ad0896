// HTTPS client over libcurl (see net.hpp): one easy handle per attempt, retries with a doubling backoff.
//
// [SECTION] URL checks
// [SECTION] one transfer (callbacks and curl options)
// [SECTION] error texts
// [SECTION] Client
#include "core/net/net.hpp"

#include "core/base/error.hpp"

#include <curl/curl.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdlib>
#include <chrono>
#include <cstdio>
#include <exception>
#include <memory>
#include <mutex>
#include <string_view>
#include <system_error>
#include <thread>

namespace inloop::core::net {

namespace fs = std::filesystem;

namespace {

constexpr long kMaxRedirects = 5;
constexpr long kMaxBackoffMs = 10 * 60 * 1000;

struct CurlDeleter {
    void operator()(CURL* h) const { curl_easy_cleanup(h); }
    void operator()(curl_slist* l) const { curl_slist_free_all(l); }
    void operator()(CURLU* u) const { curl_url_cleanup(u); }
    void operator()(std::FILE* f) const { std::fclose(f); }
};
using EasyHandle = std::unique_ptr<CURL, CurlDeleter>;
using HeaderList = std::unique_ptr<curl_slist, CurlDeleter>;
using UrlHandle = std::unique_ptr<CURLU, CurlDeleter>;
using File = std::unique_ptr<std::FILE, CurlDeleter>;

// curl_global_init is not thread-safe; the first Client::send from any thread does it, exactly once.
void initCurlOnce() {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
        s.remove_suffix(1);
    return s;
}

// "2 s", "0.3 s": timeouts as people read them.
std::string seconds(long ms) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g s", static_cast<double>(ms) / 1000.0);
    return buf;
}

std::string bytes(uint64_t n) {
    if (n >= (1u << 20) && n % (1u << 20) == 0) return std::to_string(n >> 20) + " MB";
    return std::to_string(n) + " bytes";
}

// [SECTION] URL checks

// Where a request goes, for error texts: host and port only, never the user or password a URL may carry.
struct Target {
    std::string host, port;
    std::string hostPort;
};

std::string urlPart(CURLU* url, CURLUPart what, unsigned flags = 0) {
    char* part = nullptr;
    if (curl_url_get(url, what, &part, flags) != CURLUE_OK || !part) return {};
    std::string out(part);
    curl_free(part);
    return out;
}

// Plain http would let anyone on the way read the data and forge the answers, so it is refused outright.
Target checkUrl(const std::string& url) {
    const size_t sep = url.find("://");
    if (sep == std::string::npos || sep > 16)
        throw Error(ErrorKind::InvalidInput, "net.url",
                    "This is not a web address: it must start with https:// followed by the server's name.");
    if (lower(url.substr(0, sep)) != "https")
        throw Error(ErrorKind::InvalidInput, "net.url",
                    "Only https:// addresses can be used, so that nobody on the way can read or change the data; "
                    "this address starts with " + url.substr(0, sep + 3) + ".");
    UrlHandle parsed(curl_url());
    if (!parsed) throw std::bad_alloc();
    if (curl_url_set(parsed.get(), CURLUPART_URL, url.c_str(), 0) != CURLUE_OK)
        throw Error(ErrorKind::InvalidInput, "net.url",
                    "This https:// address cannot be read; check it for typing mistakes and spaces.");
    Target t;
    t.host = urlPart(parsed.get(), CURLUPART_HOST);
    t.port = urlPart(parsed.get(), CURLUPART_PORT, CURLU_DEFAULT_PORT);
    t.hostPort = t.host + ":" + t.port;
    return t;
}

// [SECTION] one transfer (callbacks and curl options)

// The state of one attempt, shared with curl's callbacks.
struct Transfer {
    Transfer(const Request& r, const Options& o) : request(r), options(o) {}
    const Request& request;
    const Options& options;
    fs::path partFile;    // downloadFile + ".part" while a 2xx body streams in
    File out;             // the .part file, opened at the first byte of a 2xx body
    File in;              // the upload file, opened anew for every attempt (a retry starts at byte 0)
    bool uploading = false;
    long status = 0;      // of the response now arriving (parsed from its status line)
    std::string body;
    std::map<std::string, std::string> headers;
    bool tooLarge = false, cancelled = false, readFailed = false, writeFailed = false;
    std::exception_ptr thrown; // from the progress callback: rethrown once curl has returned

    bool streamsToFile() const { return !request.downloadFile.empty() && status >= 200 && status < 300; }
};

size_t onHeader(char* data, size_t size, size_t count, void* userp) {
    auto& t = *static_cast<Transfer*>(userp);
    const std::string_view line = trim(std::string_view(data, size * count));
    if (line.substr(0, 5) == "HTTP/") {
        // A new response begins (after a redirect or a 100 Continue): only the final one's headers count.
        t.headers.clear();
        const size_t space = line.find(' ');
        t.status = space == std::string_view::npos ? 0 : std::atol(std::string(line.substr(space + 1, 3)).c_str());
        return size * count;
    }
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos) return size * count;
    const std::string name = lower(trim(line.substr(0, colon)));
    const std::string value(trim(line.substr(colon + 1)));
    auto [it, added] = t.headers.emplace(name, value);
    if (!added) it->second += ", " + value; // a repeated header is the same as one comma-separated list
    return size * count;
}

size_t onBody(char* data, size_t size, size_t count, void* userp) {
    auto& t = *static_cast<Transfer*>(userp);
    const size_t len = size * count;
    if (t.streamsToFile()) {
        if (!t.out) t.out.reset(std::fopen(t.partFile.c_str(), "wb"));
        if (!t.out || std::fwrite(data, 1, len, t.out.get()) != len) {
            t.writeFailed = true;
            return 0;
        }
        return len;
    }
    if (t.body.size() + len > t.options.maxBodyBytes) {
        t.tooLarge = true;
        return 0;
    }
    t.body.append(data, len);
    return len;
}

size_t onRead(char* buffer, size_t size, size_t count, void* userp) {
    auto& t = *static_cast<Transfer*>(userp);
    const size_t got = std::fread(buffer, 1, size * count, t.in.get());
    if (got == 0 && std::ferror(t.in.get())) {
        t.readFailed = true;
        return CURL_READFUNC_ABORT;
    }
    return got;
}

int onSeek(void* userp, curl_off_t offset, int origin) {
    auto& t = *static_cast<Transfer*>(userp);
    return fseeko(t.in.get(), static_cast<off_t>(offset), origin) == 0 ? CURL_SEEKFUNC_OK : CURL_SEEKFUNC_FAIL;
}

int onProgress(void* userp, curl_off_t dlTotal, curl_off_t dlNow, curl_off_t ulTotal, curl_off_t ulNow) {
    auto& t = *static_cast<Transfer*>(userp);
    // The request body goes first; once the answer starts arriving, report the download instead.
    const bool up = t.uploading && dlNow == 0;
    const auto done = static_cast<uint64_t>(up ? ulNow : dlNow);
    const auto total = static_cast<uint64_t>(up ? ulTotal : dlTotal);
    try {
        if (t.options.progress(done, total)) return 0;
    } catch (...) {
        t.thrown = std::current_exception(); // exceptions must not cross curl's C frames
    }
    t.cancelled = true;
    return 1;
}

// Method and body. A file streams from disk; a body in memory is sent as is (also for PUT and PROPFIND).
void setMethod(CURL* h, Transfer& t, curl_slist*& headers, curl_off_t uploadSize) {
    const Request& r = t.request;
    if (t.in) {
        t.uploading = true;
        curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
        curl_easy_setopt(h, CURLOPT_READFUNCTION, onRead);
        curl_easy_setopt(h, CURLOPT_READDATA, &t);
        curl_easy_setopt(h, CURLOPT_SEEKFUNCTION, onSeek);
        curl_easy_setopt(h, CURLOPT_SEEKDATA, &t);
        curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, uploadSize);
        if (r.method != "PUT") curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, r.method.c_str());
    } else if (r.method == "GET") {
        curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
        // Only a GET follows redirects: a PUT or DELETE must not land somewhere the caller did not name.
        curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
        curl_easy_setopt(h, CURLOPT_MAXREDIRS, kMaxRedirects);
    } else if (r.method == "HEAD") {
        curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
    } else if (!r.body.empty() || r.method == "PUT" || r.method == "POST" || r.method == "PROPFIND") {
        t.uploading = true;
        curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(r.body.size()));
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, r.body.data());
        if (r.method != "POST") curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, r.method.c_str());
        // POSTFIELDS implies a form; a WebDAV body is not one unless the caller says so.
        const bool typed = std::any_of(r.headers.begin(), r.headers.end(),
                                       [](const auto& kv) { return lower(kv.first) == "content-type"; });
        if (!typed) headers = curl_slist_append(headers, "Content-Type:");
    } else {
        curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, r.method.c_str());
    }
}

void configure(CURL* h, Transfer& t, curl_slist*& headers, curl_off_t uploadSize, char* errorBuffer) {
    const Options& o = t.options;
    curl_easy_setopt(h, CURLOPT_URL, t.request.url.c_str());
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "https");
    curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "https");
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L); // worker threads: no SIGALRM for DNS timeouts
    // Never turned off, not even for a site's own CA: that goes in caFile instead.
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
    if (!o.caFile.empty()) curl_easy_setopt(h, CURLOPT_CAINFO, o.caFile.c_str());
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, o.connectTimeoutMs);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, o.timeoutMs);
    // A stalled line fails after stallSeconds without a byte, however long a healthy transfer may take.
    if (o.stallSeconds > 0) {
        curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, 1L);
        curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, o.stallSeconds);
    }
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errorBuffer);
    curl_easy_setopt(h, CURLOPT_USERAGENT, "Inloop");
    curl_easy_setopt(h, CURLOPT_SUPPRESS_CONNECT_HEADERS, 1L);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, onHeader);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, &t);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, onBody);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &t);
    if (o.progress) {
        curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
        curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, onProgress);
        curl_easy_setopt(h, CURLOPT_XFERINFODATA, &t);
    }
    if (!o.user.empty()) {
        curl_easy_setopt(h, CURLOPT_HTTPAUTH, static_cast<long>(CURLAUTH_BASIC));
        curl_easy_setopt(h, CURLOPT_USERNAME, o.user.c_str());
        curl_easy_setopt(h, CURLOPT_PASSWORD, o.password.c_str());
    }
    setMethod(h, t, headers, uploadSize);
    for (const auto& [name, value] : t.request.headers) headers = curl_slist_append(headers, (name + ": " + value).c_str());
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
}

// [SECTION] error texts

bool isTlsRefusal(CURLcode rc) {
    return rc == CURLE_PEER_FAILED_VERIFICATION || rc == CURLE_SSL_INVALIDCERTSTATUS ||
           rc == CURLE_SSL_PINNEDPUBKEYNOTMATCH;
}

// Failures that another try a little later may not hit: the network, the server being busy or restarting.
bool isTransient(CURLcode rc) {
    switch (rc) {
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
    case CURLE_HTTP2:
    case CURLE_PARTIAL_FILE:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_HTTP2_STREAM:
    case CURLE_PROXY:
        return true;
    default:
        return false;
    }
}

bool isTransientStatus(long status) {
    return status == 408 || status == 429 || status == 500 || status == 502 || status == 503 || status == 504;
}

std::string withDetail(std::string text, const char* detail) {
    if (detail && *detail) text += std::string(" (") + detail + ")";
    return text;
}

// curl names the address it could not reach; when that is not the server, it was the proxy from the environment.
std::string connectText(const Target& target, const char* detail) {
    std::string host = target.host;
    if (host.size() > 2 && host.front() == '[') host = host.substr(1, host.size() - 2); // IPv6, as curl writes it
    const std::string server = " " + host + " port " + target.port + " ";
    if (detail && *detail && std::string_view(detail).find(server) == std::string_view::npos)
        return withDetail("Cannot connect to the proxy set in https_proxy", detail);
    return "Cannot connect to " + target.hostPort;
}

std::string timeoutText(CURL* h, const Transfer& t, const Target& target) {
    curl_off_t secured = 0;
    curl_easy_getinfo(h, CURLINFO_APPCONNECT_TIME_T, &secured);
    if (secured == 0)
        return "Cannot connect to " + target.hostPort + " within " +
               seconds(t.options.timeoutMs > 0 ? std::min(t.options.connectTimeoutMs, t.options.timeoutMs)
                                                : t.options.connectTimeoutMs);
    if (t.options.timeoutMs <= 0) // only the stall limit applies
        return "Nothing moved for " + seconds(t.options.stallSeconds * 1000) + " on the line to " + target.hostPort;
    if (t.status == 0) return "No answer within " + seconds(t.options.timeoutMs) + " from " + target.hostPort;
    return "The transfer from " + target.hostPort + " did not finish within " + seconds(t.options.timeoutMs);
}

// A sentence a coordinator can act on; no trailing full stop, so callers can embed it.
std::string errorText(CURLcode rc, CURL* h, const Transfer& t, const Target& target, const char* detail) {
    const std::string& host = target.hostPort;
    if (t.cancelled) return "cancelled";
    if (t.tooLarge) return "The response is too large (more than " + bytes(t.options.maxBodyBytes) + ")";
    if (t.writeFailed) return "Cannot write " + t.partFile.string() + " (is the disk full?)";
    if (t.readFailed) return "Cannot read " + t.request.uploadFile.string() + " while sending it";
    switch (rc) {
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
        return withDetail("The server's certificate is not trusted", detail);
    case CURLE_SSL_CACERT_BADFILE:
        return "Cannot read the CA certificate " + t.options.caFile;
    case CURLE_COULDNT_RESOLVE_PROXY:
        return "Cannot find the proxy server named in https_proxy";
    case CURLE_COULDNT_RESOLVE_HOST:
        return "Cannot find the server " + target.host +
               " (check the address and the internet connection)";
    case CURLE_COULDNT_CONNECT:
        return connectText(target, detail);
    case CURLE_OPERATION_TIMEDOUT:
        return timeoutText(h, t, target);
    case CURLE_SSL_CONNECT_ERROR:
        return withDetail("The secure connection to " + host + " failed", detail);
    case CURLE_GOT_NOTHING:
        return "The server at " + host + " closed the connection without answering";
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
        return withDetail("The connection to " + host + " broke off", detail);
    case CURLE_PARTIAL_FILE:
        return "The answer from " + host + " was cut off";
    case CURLE_TOO_MANY_REDIRECTS:
        return "The server at " + host + " redirected too many times";
    case CURLE_UNSUPPORTED_PROTOCOL:
        return "The server at " + host + " redirected to an address that is not https://";
    case CURLE_PROXY:
        return withDetail("The proxy refused the connection to " + host, detail);
    default:
        return withDetail("The request to " + host + " failed: " + curl_easy_strerror(rc), detail);
    }
}

// [SECTION] Client

struct Attempt {
    Response response;
    bool retry = false;
    std::exception_ptr thrown;
};

Attempt localFailure(std::string text) {
    Attempt a;
    a.response.error = std::move(text);
    return a;
}

// A 2xx body that streamed into the .part file becomes the download, flushed to disk first.
bool finishDownload(Transfer& t) {
    if (!t.out) t.out.reset(std::fopen(t.partFile.c_str(), "wb")); // an empty body is an empty file
    bool ok = t.out && std::fflush(t.out.get()) == 0 && ::fsync(fileno(t.out.get())) == 0;
    t.out.reset();
    std::error_code ec;
    if (ok) fs::rename(t.partFile, t.request.downloadFile, ec);
    return ok && !ec;
}

Attempt attemptOnce(const Request& request, const Options& options, const Target& target) {
    Transfer t(request, options);
    curl_off_t uploadSize = 0;
    if (!request.uploadFile.empty()) {
        std::error_code ec;
        uploadSize = static_cast<curl_off_t>(fs::file_size(request.uploadFile, ec));
        t.in.reset(ec ? nullptr : std::fopen(request.uploadFile.c_str(), "rb"));
        if (!t.in) return localFailure("Cannot read " + request.uploadFile.string());
    }
    if (!request.downloadFile.empty()) {
        t.partFile = request.downloadFile;
        t.partFile += ".part";
    }
    EasyHandle handle(curl_easy_init());
    if (!handle) return localFailure("The HTTPS client could not start (out of memory?)");
    curl_slist* rawHeaders = nullptr;
    std::array<char, CURL_ERROR_SIZE> errorBuffer{};
    configure(handle.get(), t, rawHeaders, uploadSize, errorBuffer.data());
    const HeaderList headers(rawHeaders);
    const CURLcode rc = curl_easy_perform(handle.get());

    Attempt a;
    a.thrown = t.thrown;
    Response& r = a.response;
    if (rc == CURLE_OK) {
        curl_easy_getinfo(handle.get(), CURLINFO_RESPONSE_CODE, &r.status);
        r.headers = std::move(t.headers);
        r.body = std::move(t.body);
        if (t.streamsToFile() && request.method != "HEAD" && !finishDownload(t)) {
            r = Response{};
            r.error = "Cannot write " + request.downloadFile.string() + " (is the disk full?)";
        }
        a.retry = isTransientStatus(r.status);
    } else {
        r.tlsRefused = isTlsRefusal(rc);
        r.error = errorText(rc, handle.get(), t, target, errorBuffer.data());
        a.retry = isTransient(rc) && !t.cancelled && !t.tooLarge && !t.writeFailed && !t.readFailed;
    }
    if (!t.partFile.empty() && !(r.ok() && t.streamsToFile())) {
        t.out.reset();
        std::error_code ec;
        fs::remove(t.partFile, ec);
    }
    return a;
}

const char* reasonPhrase(long status) {
    switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 204: return "No Content";
    case 206: return "Partial Content";
    case 207: return "Multi-Status";
    case 301: return "Moved Permanently";
    case 302: return "Found";
    case 303: return "See Other";
    case 304: return "Not Modified";
    case 307: return "Temporary Redirect";
    case 308: return "Permanent Redirect";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 409: return "Conflict";
    case 410: return "Gone";
    case 412: return "Precondition Failed";
    case 413: return "Content Too Large";
    case 415: return "Unsupported Media Type";
    case 423: return "Locked";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    case 507: return "Insufficient Storage";
    default: return nullptr;
    }
}

} // namespace

std::string Response::describe() const {
    if (status == 0) return error.empty() ? "No answer" : error;
    std::string text = "HTTP " + std::to_string(status);
    if (const char* reason = reasonPhrase(status)) text += std::string(" ") + reason;
    return text;
}

Client::Client(Options options) : m_options(std::move(options)) {}

Response Client::send(const Request& request) const {
    const Target target = checkUrl(request.url);
    initCurlOnce();
    const int attempts = std::max(1, m_options.attempts);
    long backoffMs = std::max(0L, m_options.backoffMs);
    for (int attempt = 1;; ++attempt) {
        Attempt a = attemptOnce(request, m_options, target);
        if (a.thrown) std::rethrow_exception(a.thrown);
        a.response.attempts = attempt;
        if (!a.retry || attempt >= attempts) return std::move(a.response);
        std::this_thread::sleep_for(std::chrono::milliseconds(backoffMs));
        backoffMs = std::min(backoffMs * 2, kMaxBackoffMs);
    }
}

std::string joinUrl(const std::string& folderUrl, const std::string& name) {
    std::string url = folderUrl;
    while (!url.empty() && url.back() == '/') url.pop_back();
    url += '/';
    static constexpr char kHex[] = "0123456789ABCDEF";
    const size_t start = std::min(name.find_first_not_of('/'), name.size());
    for (const char ch : std::string_view(name).substr(start)) {
        const auto c = static_cast<unsigned char>(ch);
        // Unreserved characters stay; '/' too, so "sub/file" names a file in a subfolder.
        const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        if (alnum || c == '-' || c == '.' || c == '_' || c == '~' || c == '/') {
            url += ch;
        } else {
            url += '%';
            url += kHex[c >> 4];
            url += kHex[c & 15];
        }
    }
    return url;
}

} // namespace inloop::core::net
