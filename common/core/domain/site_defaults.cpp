// The domain API: the site's defaults (see domain.hpp).

#include "core/domain/domain.hpp"
#include "core/domain/internal.hpp"

#include "core/base/clock.hpp"

namespace inloop::core {

using namespace detail;

// [SECTION] site defaults
void seedSiteDefaults(Store& store) {
    requireDesk(store);
    Transaction tx(store.db());
    const Actor actor = Actor::system();
    if (store.db().queryInt("SELECT count(*) FROM room") == 0) {
        // SHOP's shelter: 2 dormitories, 4 bunk beds each (lower and upper) = 16 places.
        for (int r = 1; r <= 2; ++r) {
            Statement& room = store.db().prepare("INSERT INTO room(name, sort) VALUES (?, ?)");
            room.bindAll("Slaapzaal " + std::to_string(r), r).run();
            const int64_t roomId = store.db().lastInsertRowid();
            for (int b = 1; b <= 4; ++b)
                for (const char* tier : {"lower", "upper"}) {
                    Statement& bed = store.db().prepare("INSERT INTO bed(room_id, label, tier) VALUES (?, ?, ?)");
                    const std::string label = std::to_string(b) + (std::string_view(tier) == "lower" ? "A" : "B");
                    bed.bindAll(roomId, label, tier).run();
                }
        }
        audit(store, actor, "seed", "bed", std::nullopt, "2 rooms, 16 beds");
    }
    if (store.db().queryInt("SELECT count(*) FROM service") == 0) {
        const NewService services[] = {
            {"sti_test", "Soa/hiv-test", "Centrum Seksuele Gezondheid", "spot46", "nl,en,es"},
            {"accountant", "Boekhouder", "", "spot46", "nl,en"},
            {"lawyer", "Advocaat", "", "spot46", "nl,en"},
            {"gp", "Huisarts", "", "shelter", "nl,en"},
            {"youth", "Jongerenspreekuur", "SHOP", "spot46", "nl"},
        };
        for (const auto& s : services) addService(store, actor, s);
    }
    if (store.db().queryInt("SELECT count(*) FROM supply_item") == 0) {
        // Example prices: the site sets its own.
        const NewSupplyItem items[] = {
            {"condom_s", "Condoom S", "piece", 25, 200},     {"condom_m", "Condoom M", "piece", 25, 500},
            {"condom_l", "Condoom L", "piece", 25, 300},     {"condom_xl", "Condoom XL", "piece", 30, 100},
            {"internal_condom", "Vrouwencondoom", "piece", 150, 20}, {"dental_dam", "Beflapje", "piece", 100, 20},
            {"lube", "Glijmiddel", "tube", 350, 40},         {"sponge", "Sponsjes", "pack", 600, 30},
            {"flyer", "Folder", "piece", 0, 50},
        };
        for (const auto& i : items) addSupplyItem(store, actor, i);
    }
    // The store's own record of the visitor-code key (Store::checkCodeKey) is there from the first open on.
    if (store.db().queryInt("SELECT count(*) FROM setting WHERE key <> 'code_key.fingerprint'") == 0) {
        Statement& set = store.db().prepare("INSERT INTO setting(key, value) VALUES (?, ?)");
        set.bindAll("site.name", "Spot 46").run();
        set.bindAll("retention.months", "24").run();
    }
    tx.commit();
}

} // namespace inloop::core
