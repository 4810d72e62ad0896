// Tests the HTTPS client against a real TLS server on 127.0.0.1: bodies arrive intact, transient failures are
// retried and others are not, untrusted certificates and plain http are refused, errors read as sentences.
#include "support/https_server.hpp"
#include "support/temp_store.hpp"

#include "core/base/error.hpp"
#include "core/net/net.hpp"

#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <random>
#include <string>

using namespace inloop::core;
using namespace inloop::test;

namespace {

// Fast retries, the test CA, and no proxy for 127.0.0.1: the client honours https_proxy from the
// environment, so a proxy set on the build machine must not get in the way.
net::Options testOptions() {
    ::setenv("no_proxy", "127.0.0.1", 1);
    ::setenv("NO_PROXY", "127.0.0.1", 1);
    net::Options o;
    o.caFile = HttpsServer::caFile();
    o.attempts = 3;
    o.backoffMs = 10;
    o.connectTimeoutMs = 2'000;
    o.timeoutMs = 5'000;
    return o;
}

Reply reply(int status, std::string body = {}, std::vector<std::pair<std::string, std::string>> headers = {},
            int delayMs = 0) {
    Reply r;
    r.status = status;
    r.body = std::move(body);
    r.headers = std::move(headers);
    r.delayMs = delayMs;
    return r;
}

net::Request request(std::string method, std::string url, std::string body = {}) {
    net::Request r;
    r.method = std::move(method);
    r.url = std::move(url);
    r.body = std::move(body);
    return r;
}

std::string randomBytes(size_t n) {
    std::mt19937 rng(46);
    std::string out(n, '\0');
    for (char& c : out) c = static_cast<char>(rng() & 0xff);
    return out;
}

std::string stored(HttpsServer::DavFolder& folder, const std::string& path) {
    std::lock_guard lock(folder.mutex);
    const auto it = folder.files.find(path);
    return it == folder.files.end() ? std::string("<missing>") : it->second;
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

} // namespace

TEST_SUITE("net") {

TEST_CASE("net: GET returns the body and the headers with lower-case names") {
    HttpsServer server([](const Received&) {
        return reply(200, "hello kiosk\n", {{"ETag", "\"v1\""}, {"X-Feed-Name", "Spot 46"}});
    });
    const net::Response r = net::Client(testOptions()).send(request("GET", server.url("/feed.ics")));
    CHECK(r.ok());
    CHECK(r.status == 200);
    CHECK(r.body == "hello kiosk\n");
    CHECK(r.headers.at("etag") == "\"v1\"");
    CHECK(r.headers.at("x-feed-name") == "Spot 46");
    CHECK(r.attempts == 1);
    CHECK(r.describe() == "HTTP 200 OK");
    REQUIRE(server.requests().size() == 1);
    CHECK(server.requests()[0].method == "GET");
    CHECK(server.requests()[0].path == "/feed.ics");
}

TEST_CASE("net: PUT from memory and PUT from a file arrive byte for byte") {
    HttpsServer::DavFolder folder;
    HttpsServer server(std::ref(folder));
    TempDir dir;
    const std::string content = randomBytes(3u << 20);
    const auto file = dir.path() / "backup.bin";
    std::ofstream(file, std::ios::binary) << content;

    net::Options options = testOptions();
    uint64_t lastDone = 0, lastTotal = 0;
    options.progress = [&](uint64_t done, uint64_t total) {
        lastDone = std::max(lastDone, done);
        lastTotal = std::max(lastTotal, total);
        return true;
    };
    const net::Client client(options);
    const net::Response fromMemory = client.send(request("PUT", server.url("/up/memory.bin"), content));
    CHECK(fromMemory.status == 201);
    net::Request put = request("PUT", server.url("/up/file.bin"));
    put.uploadFile = file;
    const net::Response fromFile = client.send(put);
    CHECK(fromFile.status == 201);
    CHECK(lastTotal == content.size());
    CHECK(lastDone == content.size());

    CHECK(stored(folder, "/up/memory.bin") == content);
    CHECK(stored(folder, "/up/file.bin") == content);
    // A body from memory is not a web form: no form content type is made up for it.
    REQUIRE(server.requests().size() == 2);
    CHECK(server.requests()[0].headers.count("content-type") == 0);
    CHECK(server.requests()[1].headers.at("content-length") == std::to_string(content.size()));
}

TEST_CASE("net: a 500 is retried and the second attempt succeeds") {
    std::atomic<int> calls{0};
    HttpsServer server([&](const Received&) { return ++calls == 1 ? reply(500, "busy") : reply(200, "second"); });
    const net::Response r = net::Client(testOptions()).send(request("GET", server.url("/x")));
    CHECK(r.status == 200);
    CHECK(r.body == "second");
    CHECK(r.attempts == 2);
    CHECK(server.requests().size() == 2);
}

TEST_CASE("net: a retried file upload sends the whole file again") {
    std::atomic<int> calls{0};
    HttpsServer server([&](const Received&) { return ++calls == 1 ? reply(503) : reply(201); });
    TempDir dir;
    const std::string content = randomBytes(300'000);
    net::Request put = request("PUT", server.url("/up/again.bin"));
    put.uploadFile = dir.path() / "again.bin";
    std::ofstream(put.uploadFile, std::ios::binary) << content;
    const net::Response r = net::Client(testOptions()).send(put);
    CHECK(r.status == 201);
    CHECK(r.attempts == 2);
    const std::vector<Received> seen = server.requests();
    REQUIRE(seen.size() == 2);
    CHECK(seen[0].body == content);
    CHECK(seen[1].body == content);
}

TEST_CASE("net: a server that stays unavailable gives its last answer after every attempt") {
    HttpsServer server([](const Received&) { return reply(503, "maintenance"); });
    const net::Response r = net::Client(testOptions()).send(request("GET", server.url("/x")));
    CHECK(r.status == 503);
    CHECK(r.attempts == 3);
    CHECK(server.requests().size() == 3);
    CHECK(r.describe() == "HTTP 503 Service Unavailable");
}

TEST_CASE("net: a 404 is not retried") {
    HttpsServer server([](const Received&) { return reply(404, "no such feed"); });
    const net::Response r = net::Client(testOptions()).send(request("GET", server.url("/missing.ics")));
    CHECK(r.status == 404);
    CHECK_FALSE(r.ok());
    CHECK_FALSE(r.transportError());
    CHECK(r.attempts == 1);
    CHECK(r.body == "no such feed");
    CHECK(r.describe() == "HTTP 404 Not Found");
    CHECK(server.requests().size() == 1);
}

TEST_CASE("net: a reply slower than the timeout fails after every attempt and says so") {
    HttpsServer server([](const Received&) { return reply(200, "late", {}, 1'500); });
    net::Options options = testOptions();
    options.attempts = 2;
    options.backoffMs = 50;
    options.timeoutMs = 300;
    const auto start = std::chrono::steady_clock::now();
    const net::Response r = net::Client(options).send(request("GET", server.url("/slow")));
    const auto elapsed = std::chrono::steady_clock::now() - start;
    CHECK(r.transportError());
    CHECK(r.attempts == 2);
    CHECK(server.requests().size() == 2);
    CHECK_MESSAGE(contains(r.error, "No answer within 0.3 s"), r.error);
    CHECK(contains(r.describe(), "127.0.0.1:" + std::to_string(server.port())));
    CHECK(elapsed < std::chrono::milliseconds(1'400)); // gave up, did not wait for the reply
}

TEST_CASE("net: an untrusted certificate is refused at once and nothing is sent") {
    HttpsServer::DavFolder folder;
    SUBCASE("a self-signed certificate") {
        HttpsServer server(std::ref(folder), HttpsServer::Cert::SelfSigned);
        const net::Response r = net::Client(testOptions()).send(request("PUT", server.url("/up/secret.bin"), "data"));
        CHECK(r.transportError());
        CHECK(r.tlsRefused);
        CHECK(r.attempts == 1);
        CHECK_MESSAGE(contains(r.error, "The server's certificate is not trusted"), r.error);
        CHECK(server.requests().empty());
    }
    SUBCASE("the test CA's certificate when the client was not given that CA") {
        HttpsServer server(std::ref(folder));
        net::Options options = testOptions();
        options.caFile.clear();
        const net::Response r = net::Client(options).send(request("PUT", server.url("/up/secret.bin"), "data"));
        CHECK(r.tlsRefused);
        CHECK(r.attempts == 1);
        CHECK(server.requests().empty());
    }
    std::lock_guard lock(folder.mutex);
    CHECK(folder.files.empty());
}

TEST_CASE("net: a closed port is a transport error, retried, without the password in the text") {
    uint16_t port = 0;
    {
        HttpsServer gone([](const Received&) { return reply(200); });
        port = gone.port();
    }
    net::Options options = testOptions();
    options.attempts = 2;
    options.user = "desk";
    options.password = "s3cret pass";
    const std::string url = "https://127.0.0.1:" + std::to_string(port) + "/";
    const net::Response r = net::Client(options).send(request("GET", url));
    CHECK(r.transportError());
    CHECK_FALSE(r.tlsRefused);
    CHECK(r.attempts == 2);
    CHECK_MESSAGE(r.error == "Cannot connect to 127.0.0.1:" + std::to_string(port), r.error);
    CHECK(r.describe() == r.error);
    CHECK_FALSE(contains(r.describe(), "s3cret"));
}

TEST_CASE("net: the proxy comes from the environment") {
    uint16_t closed = 0;
    {
        HttpsServer gone([](const Received&) { return reply(200); });
        closed = gone.port();
    }
    HttpsServer server([](const Received&) { return reply(200); });
    net::Options options = testOptions();
    options.attempts = 1;
    const std::string proxy = "http://127.0.0.1:" + std::to_string(closed);
    ::unsetenv("no_proxy");
    ::unsetenv("NO_PROXY");
    ::setenv("https_proxy", proxy.c_str(), 1);
    const net::Response r = net::Client(options).send(request("GET", server.url("/")));
    ::unsetenv("https_proxy");
    CHECK(r.transportError());
    CHECK_MESSAGE(contains(r.error, "Cannot connect to the proxy set in https_proxy"), r.error);
    CHECK(server.requests().empty());
}

TEST_CASE("net: an http:// URL is refused before anything is sent") {
    HttpsServer server([](const Received&) { return reply(200); });
    const net::Client client(testOptions());
    for (const std::string& url : {"http://127.0.0.1:" + std::to_string(server.port()) + "/feed.ics",
                                  std::string("ftp://127.0.0.1/x"), std::string("127.0.0.1/feed.ics")}) {
        CAPTURE(url);
        try {
            client.send(request("GET", url));
            FAIL("no exception");
        } catch (const Error& e) {
            CHECK(e.kind() == ErrorKind::InvalidInput);
            CHECK(e.key() == "net.url");
        }
    }
    CHECK(server.requests().empty());
    // The scheme is case-insensitive, as in any browser.
    CHECK(client.send(request("GET", "HTTPS://127.0.0.1:" + std::to_string(server.port()) + "/")).ok());
}

TEST_CASE("net: downloadFile receives the body and leaves no file on a 404") {
    HttpsServer::DavFolder folder;
    {
        std::lock_guard lock(folder.mutex);
        folder.files["/backups/day.bin"] = randomBytes(200'000);
    }
    HttpsServer server(std::ref(folder));
    TempDir dir;
    const net::Client client(testOptions());

    net::Request get = request("GET", server.url("/backups/day.bin"));
    get.downloadFile = dir.path() / "day.bin";
    const net::Response ok = client.send(get);
    CHECK(ok.status == 200);
    CHECK(ok.body.empty());
    CHECK(readBytes(get.downloadFile) == stored(folder, "/backups/day.bin"));
    CHECK_FALSE(std::filesystem::exists(dir.path() / "day.bin.part"));

    get.url = server.url("/backups/missing.bin");
    get.downloadFile = dir.path() / "missing.bin";
    const net::Response missing = client.send(get);
    CHECK(missing.status == 404);
    CHECK(missing.body == "Not found\n"); // kept for the error message instead
    CHECK_FALSE(std::filesystem::exists(dir.path() / "missing.bin"));
    CHECK_FALSE(std::filesystem::exists(dir.path() / "missing.bin.part"));
}

TEST_CASE("net: a progress callback returning false cancels without a retry") {
    HttpsServer server([](const Received&) { return reply(200, randomBytes(1u << 20)); });
    net::Options options = testOptions();
    int calls = 0;
    options.progress = [&](uint64_t, uint64_t) {
        ++calls;
        return false;
    };
    TempDir dir;
    net::Request get = request("GET", server.url("/big"));
    get.downloadFile = dir.path() / "big.bin";
    const net::Response r = net::Client(options).send(get);
    CHECK(r.transportError());
    CHECK(r.error == "cancelled");
    CHECK(r.attempts == 1);
    CHECK(calls == 1);
    CHECK_FALSE(std::filesystem::exists(get.downloadFile));
    CHECK_FALSE(std::filesystem::exists(dir.path() / "big.bin.part"));
}

TEST_CASE("net: basic auth arrives as an Authorization header") {
    HttpsServer server([](const Received&) { return reply(200); });
    net::Options options = testOptions();
    options.user = "desk";
    options.password = "s3cret pass";
    CHECK(net::Client(options).send(request("GET", server.url("/private"))).ok());
    REQUIRE(server.requests().size() == 1);
    CHECK(server.requests()[0].headers.at("authorization") == "Basic ZGVzazpzM2NyZXQgcGFzcw==");
}

TEST_CASE("net: a body larger than maxBodyBytes fails and is not retried") {
    HttpsServer server([](const Received&) { return reply(200, std::string(5'000, 'x')); });
    net::Options options = testOptions();
    options.maxBodyBytes = 1'000;
    const net::Response r = net::Client(options).send(request("GET", server.url("/huge")));
    CHECK(r.transportError());
    CHECK(r.body.empty());
    CHECK(r.attempts == 1);
    CHECK_MESSAGE(contains(r.error, "too large"), r.error);
}

TEST_CASE("net: GET follows a redirect, PUT does not") {
    HttpsServer server([](const Received& req) {
        if (req.path == "/old") return reply(302, "", {{"Location", "/new"}});
        return reply(200, req.method + " arrived");
    });
    const net::Client client(testOptions());
    const net::Response get = client.send(request("GET", server.url("/old")));
    CHECK(get.status == 200);
    CHECK(get.body == "GET arrived");
    const net::Response put = client.send(request("PUT", server.url("/old"), "data"));
    CHECK(put.status == 302);
    CHECK(put.headers.at("location") == "/new");
    CHECK(server.requests().size() == 3);
}

TEST_CASE("net: a WebDAV PROPFIND lists what PUT stored") {
    HttpsServer::DavFolder folder;
    HttpsServer server(std::ref(folder));
    const net::Client client(testOptions());
    const std::string base = server.url("/backups/");
    CHECK(client.send(request("MKCOL", base)).status == 201);
    CHECK(client.send(request("PUT", net::joinUrl(base, "2024-05-01.sealed"), "one")).status == 201);
    CHECK(client.send(request("PUT", net::joinUrl(base, "week 18.sealed"), "two")).status == 201);
    CHECK(client.send(request("PUT", net::joinUrl(base, "old.sealed"), "three")).status == 201);
    CHECK(client.send(request("DELETE", net::joinUrl(base, "old.sealed"))).status == 204);

    const net::Response head = client.send(request("HEAD", net::joinUrl(base, "week 18.sealed")));
    CHECK(head.status == 200);
    CHECK(head.body.empty());
    CHECK(head.headers.count("etag") == 1);

    net::Request propfind = request("PROPFIND", base,
                                    "<?xml version=\"1.0\"?><d:propfind xmlns:d=\"DAV:\"><d:prop><d:getetag/>"
                                    "</d:prop></d:propfind>");
    propfind.headers = {{"Depth", "1"}, {"Content-Type", "application/xml"}};
    const net::Response list = client.send(propfind);
    CHECK(list.status == 207);
    CHECK(list.describe() == "HTTP 207 Multi-Status");
    const size_t self = list.body.find("<d:href>/backups/</d:href>");
    const size_t first = list.body.find("<d:href>/backups/2024-05-01.sealed</d:href>");
    const size_t second = list.body.find("<d:href>/backups/week%2018.sealed</d:href>");
    CHECK(self != std::string::npos);
    CHECK(first != std::string::npos);
    CHECK(second != std::string::npos);
    CHECK(self < first);
    CHECK_FALSE(contains(list.body, "old.sealed"));
    CHECK(server.requests().back().body == propfind.body);
    CHECK(server.requests().back().headers.at("content-type") == "application/xml");
}

TEST_CASE("net: joinUrl puts exactly one slash between folder and name and encodes the name") {
    CHECK(net::joinUrl("https://dav.example.org/a/b/", "name.ics") == "https://dav.example.org/a/b/name.ics");
    CHECK(net::joinUrl("https://dav.example.org/a/b", "name.ics") == "https://dav.example.org/a/b/name.ics");
    CHECK(net::joinUrl("https://dav.example.org/a//", "/week 18#2.sealed") ==
          "https://dav.example.org/a/week%2018%232.sealed");
    CHECK(net::joinUrl("https://dav.example.org/", "caf\xC3\xA9") == "https://dav.example.org/caf%C3%A9");
}

} // TEST_SUITE
