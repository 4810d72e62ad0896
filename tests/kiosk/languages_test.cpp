// Every kiosk screen in every language: complete messages, names for every service and place, each screen usable.
#include "kiosk_fixture.hpp"

#include <fstream>
#include <regex>
#include <set>
#include <sstream>

using namespace inloop;
using test::KioskFixture;
using kiosk::Screen;

namespace {

// Every message key the kiosk's sources pass as a literal to tr(…) (including both sides of a ?:), plus the
// notices it sets.
std::set<std::string> keysUsedByKiosk() {
    const auto dir = std::filesystem::path(__FILE__).parent_path().parent_path().parent_path() / "kiosk";
    REQUIRE(std::filesystem::is_directory(dir));
    const std::regex literal("\"([a-z_]+\\.[a-z_]+)\"");
    std::set<std::string> keys = {"register.full_now", "register.failed"};
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
        if (entry.path().extension() != ".cpp") continue;
        std::ifstream in(entry.path());
        std::stringstream ss;
        ss << in.rdbuf();
        const std::string src = ss.str();
        for (size_t at = src.find("tr("); at != std::string::npos; at = src.find("tr(", at + 3)) {
            // The argument list up to the matching parenthesis (string literals skipped).
            size_t end = at + 3;
            int depth = 1;
            bool inString = false;
            for (; end < src.size() && depth > 0; ++end) {
                const char c = src[end];
                if (inString) {
                    if (c == '\\') ++end;
                    else if (c == '"') inString = false;
                } else if (c == '"') inString = true;
                else if (c == '(') ++depth;
                else if (c == ')') --depth;
            }
            const std::string args = src.substr(at + 3, end - at - 3);
            for (std::sregex_iterator it(args.begin(), args.end(), literal), stop; it != stop; ++it)
                keys.insert((*it)[1].str());
        }
    }
    return keys;
}

} // namespace

TEST_SUITE("kiosk") {

TEST_CASE("every message the kiosk shows exists in every language - nothing falls back") {
    const core::Messages messages(core::resourceRoot() / "locales");
    CHECK(messages.problems().empty());
    const auto* nl = messages.catalog("nl");
    REQUIRE(nl);
    REQUIRE(nl->size() > 50);
    const auto used = keysUsedByKiosk();
    REQUIRE(used.size() > 40);
    for (const std::string& key : used) {
        CAPTURE(key);
        CHECK(messages.has("nl", key));
    }
    // Names of every service and place a session can have.
    std::vector<std::string> names = {"place.spot46", "place.shelter"};
    {
        test::TempStore store;
        core::Store s = store.open(core::Store::Access::Kiosk);
        auto& st = s.db().prepare("SELECT code FROM service ORDER BY code");
        while (st.step()) names.push_back("service." + st.getText(0));
        st.reset();
    }
    REQUIRE(names.size() >= 7);
    for (std::string_view lang : core::kLanguages) {
        CAPTURE(lang);
        int missing = 0;
        for (const auto& [key, entry] : *nl)
            if (!messages.has(lang, key)) {
                ++missing;
                CHECK_MESSAGE(false, "missing in " << lang << ": " << key);
            }
        CHECK(missing == 0);
        for (const std::string& key : names) {
            CAPTURE(key);
            CHECK(messages.has(lang, key));
        }
    }
}

TEST_CASE("every screen renders in every language with its controls on screen") {
    KioskFixture f;
    REQUIRE_FALSE(f.k->view().sessions.empty());
    const core::SessionView session = f.k->view().sessions.front();
    struct Shot {
        Screen screen;
        const char* control; // a widget the visitor needs on this screen
    };
    const std::string signUp = f.signUpId();
    const Shot shots[] = {
        {Screen::Home, "home.register"},       {Screen::Topics, "topic.money"},
        {Screen::Topic, "bar.back"},           {Screen::Hours, signUp.c_str()},
        {Screen::RegisterName, "key.space"},   {Screen::RegisterConfirm, "register.confirm"},
        {Screen::Ticket, "ticket.done"},       {Screen::Privacy, "bar.back"},
        {Screen::Today, "today.all_hours"},    {Screen::Help, "help.shelter"},
    };
    for (std::string_view lang : core::kLanguages) {
        CAPTURE(lang);
        f.k->leave();
        f.ui->frames(1);
        CHECK(f.insideWindow("lang." + std::string(lang)));
        for (const Shot& shot : shots) {
            CAPTURE(static_cast<int>(shot.screen));
            kiosk::Visit& v = f.visit();
            v = kiosk::Visit{};
            v.lang = std::string(lang);
            v.screen = shot.screen;
            v.topic = "contact";
            v.session = session;
            v.typedName = lang == "bg" ? "Мира" : "Mira";
            v.ticket = core::Ticket{0, "S27"};
            f.ui->frames(1);
            CHECK(f.screen() == shot.screen);
            CHECK(f.insideWindow(shot.control));
            CHECK(f.insideWindow("bar.leave"));
            CHECK(f.insideWindow("bar.text_size"));
        }
    }
    f.k->leave();
}

} // TEST_SUITE
