// The tests' HTTPS server (see https_server.hpp): libmicrohttpd with GnuTLS, one thread per connection so a
// delayed reply never holds up another request.
//
// [SECTION] MHD callbacks
// [SECTION] HttpsServer
// [SECTION] DavFolder
#include "https_server.hpp"

#include "temp_store.hpp"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <functional>
#include <memory>
#include <set>
#include <stdexcept>

namespace inloop::test {

// The MHD callbacks are plain functions; this is their way into the server's private handle().
struct HttpsServerAccess {
    static Reply handle(HttpsServer& server, const Received& request) { return server.handle(request); }
};

namespace {

// Servers being destroyed: a delayed reply wakes up at once, so the destructor never waits out a delay.
struct Stopping {
    std::mutex mutex;
    std::condition_variable wake;
    std::set<const HttpsServer*> servers;
};
Stopping g_stopping;

// Waits delayMs unless the server stops first; true when it is stopping.
bool waitOrStop(const HttpsServer* server, int delayMs) {
    std::unique_lock lock(g_stopping.mutex);
    return g_stopping.wake.wait_for(lock, std::chrono::milliseconds(delayMs),
                                    [&] { return g_stopping.servers.count(server) > 0; });
}

std::string lower(std::string s) {
    for (char& c : s)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return s;
}

Reply reply(int status, std::string body = {}, std::vector<std::pair<std::string, std::string>> headers = {}) {
    Reply r;
    r.status = status;
    r.body = std::move(body);
    r.headers = std::move(headers);
    return r;
}

// [SECTION] MHD callbacks

MHD_Result collectHeader(void* cls, MHD_ValueKind, const char* key, const char* value) {
    auto& headers = *static_cast<std::map<std::string, std::string>*>(cls);
    headers[lower(key)] = value ? value : "";
    return MHD_YES;
}

MHD_Result respond(MHD_Connection* connection, const Reply& r) {
    MHD_Response* response =
        MHD_create_response_from_buffer(r.body.size(), const_cast<char*>(r.body.data()), MHD_RESPMEM_MUST_COPY);
    if (!response) return MHD_NO;
    for (const auto& [name, value] : r.headers) MHD_add_response_header(response, name.c_str(), value.c_str());
    const MHD_Result queued = MHD_queue_response(connection, static_cast<unsigned>(r.status), response);
    MHD_destroy_response(response);
    return queued;
}

// Called once with the headers, then once per chunk of the body, then once more with nothing left: answer then.
MHD_Result onRequest(void* cls, MHD_Connection* connection, const char* url, const char* method, const char*,
                     const char* uploadData, size_t* uploadSize, void** state) {
    auto* server = static_cast<HttpsServer*>(cls);
    if (!*state) {
        auto received = std::make_unique<Received>();
        received->method = method;
        received->path = url;
        MHD_get_connection_values(connection, MHD_HEADER_KIND, &collectHeader, &received->headers);
        *state = received.release();
        return MHD_YES;
    }
    auto& received = *static_cast<Received*>(*state);
    if (*uploadSize > 0) {
        received.body.append(uploadData, *uploadSize);
        *uploadSize = 0;
        return MHD_YES;
    }
    const Reply r = HttpsServerAccess::handle(*server, received);
    if (r.delayMs > 0 && waitOrStop(server, r.delayMs)) return MHD_NO; // shutting down: drop the connection
    return respond(connection, r);
}

void onCompleted(void*, MHD_Connection*, void** state, MHD_RequestTerminationCode) {
    delete static_cast<Received*>(*state);
    *state = nullptr;
}

// [SECTION] DavFolder helpers

std::string etagOf(const std::string& content) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "\"%zx\"", std::hash<std::string>{}(content));
    return buf;
}

// Hrefs are percent-encoded paths, as real WebDAV servers send them.
std::string encodePath(const std::string& path) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (const char ch : path) {
        const auto c = static_cast<unsigned char>(ch);
        const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                           c == '-' || c == '.' || c == '_' || c == '~' || c == '/';
        if (plain) {
            out += ch;
        } else {
            out += '%';
            out += kHex[c >> 4];
            out += kHex[c & 15];
        }
    }
    return out;
}

std::string davEntry(const std::string& path, const std::string* content) {
    std::string props = content ? "<d:resourcetype/><d:getcontentlength>" + std::to_string(content->size()) +
                                      "</d:getcontentlength><d:getetag>" + etagOf(*content) + "</d:getetag>"
                                : "<d:resourcetype><d:collection/></d:resourcetype>";
    return "<d:response><d:href>" + encodePath(path) + "</d:href><d:propstat><d:prop>" + props +
           "</d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>\n";
}

// The folder first, then each file directly in it, then each subfolder (once), like Depth: 1 asks.
std::string multistatus(const std::map<std::string, std::string>& files, const std::string& path, bool depth0) {
    std::string xml = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<d:multistatus xmlns:d=\"DAV:\">\n";
    if (const auto file = files.find(path); file != files.end()) return xml + davEntry(path, &file->second) + "</d:multistatus>\n";
    const std::string folder = path.empty() || path.back() != '/' ? path + "/" : path;
    xml += davEntry(folder, nullptr);
    std::set<std::string> subfolders;
    for (const auto& [name, content] : files) {
        if (depth0 || name.compare(0, folder.size(), folder) != 0) continue;
        const size_t slash = name.find('/', folder.size());
        if (slash == std::string::npos)
            xml += davEntry(name, &content);
        else if (subfolders.insert(name.substr(0, slash + 1)).second)
            xml += davEntry(name.substr(0, slash + 1), nullptr);
    }
    return xml + "</d:multistatus>\n";
}

} // namespace

// [SECTION] HttpsServer

HttpsServer::HttpsServer(Handler handler, Cert cert) : m_handler(std::move(handler)) {
    const std::string certs = INLOOP_TEST_CERTS;
    const std::string name = cert == Cert::Trusted ? "server" : "selfsigned";
    m_cert = readBytes(certs + "/" + name + ".pem");
    m_key = readBytes(certs + "/" + name + ".key");

    // Loopback only: the tests never listen where another machine could reach them.
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = 0;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    m_daemon = MHD_start_daemon(MHD_USE_TLS | MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION, 0,
                                nullptr, nullptr, &onRequest, this,                               //
                                MHD_OPTION_HTTPS_MEM_KEY, m_key.c_str(),                          //
                                MHD_OPTION_HTTPS_MEM_CERT, m_cert.c_str(),                        //
                                MHD_OPTION_SOCK_ADDR, reinterpret_cast<sockaddr*>(&address),      //
                                MHD_OPTION_NOTIFY_COMPLETED, &onCompleted, nullptr,               //
                                MHD_OPTION_END);
    if (!m_daemon) throw std::runtime_error("The test HTTPS server could not start on 127.0.0.1.");
    const MHD_DaemonInfo* info = MHD_get_daemon_info(m_daemon, MHD_DAEMON_INFO_BIND_PORT);
    m_port = info ? info->port : 0;
}

HttpsServer::~HttpsServer() {
    {
        std::lock_guard lock(g_stopping.mutex);
        g_stopping.servers.insert(this);
    }
    g_stopping.wake.notify_all();
    if (m_daemon) MHD_stop_daemon(m_daemon); // joins the connection threads
    std::lock_guard lock(g_stopping.mutex);
    g_stopping.servers.erase(this);
}

std::string HttpsServer::url(std::string_view path) const {
    std::string out = "https://127.0.0.1:" + std::to_string(m_port);
    if (path.empty() || path.front() != '/') out += '/';
    return out.append(path);
}

void HttpsServer::setHandler(Handler handler) {
    std::lock_guard lock(m_mutex);
    m_handler = std::move(handler);
}

std::vector<Received> HttpsServer::requests() const {
    std::lock_guard lock(m_mutex);
    return m_requests;
}

std::string HttpsServer::caFile() { return std::string(INLOOP_TEST_CERTS) + "/ca.pem"; }

Reply HttpsServer::handle(Received request) {
    Handler handler;
    {
        std::lock_guard lock(m_mutex);
        m_requests.push_back(request);
        handler = m_handler;
    }
    // Outside the lock: a handler may take its time or look at requests() itself.
    return handler ? handler(request) : reply(404);
}

// [SECTION] DavFolder

Reply HttpsServer::DavFolder::operator()(const Received& request) {
    std::lock_guard lock(mutex);
    const std::string& m = request.method;
    if (m == "PUT") {
        const bool existed = files.count(request.path) > 0;
        files[request.path] = request.body;
        return reply(existed ? 204 : 201, {}, {{"ETag", etagOf(request.body)}});
    }
    if (m == "GET" || m == "HEAD") {
        const auto it = files.find(request.path);
        if (it == files.end()) return reply(404, "Not found\n");
        return reply(200, it->second, {{"ETag", etagOf(it->second)}, {"Content-Type", "application/octet-stream"}});
    }
    if (m == "DELETE") return reply(files.erase(request.path) > 0 ? 204 : 404);
    if (m == "MKCOL") return reply(201);
    if (m == "PROPFIND") {
        const auto depth = request.headers.find("depth");
        const bool depth0 = depth != request.headers.end() && depth->second == "0";
        return reply(207, multistatus(files, request.path, depth0), {{"Content-Type", "application/xml; charset=utf-8"}});
    }
    return reply(405, {}, {{"Allow", "GET, HEAD, PUT, DELETE, MKCOL, PROPFIND"}});
}

} // namespace inloop::test
