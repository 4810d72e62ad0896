// What the kiosk does when a visitor registers, as a small program the isolation test runs under the kiosk account:
// opens public.db as the kiosk does (Access::Kiosk) and takes a ticket for the first session with room.
#include "core/base/clock.hpp"
#include "core/domain/domain.hpp"
#include "core/views/kiosk_view.hpp"
#include "core/store/store.hpp"

#include <iostream>

int main(int argc, char** argv) {
    using namespace inloop::core;
    if (argc != 2) {
        std::cerr << "usage: inloop-test-kiosk-register DATA_DIR\n";
        return 2;
    }
    try {
        Store store = Store::open(argv[1], Store::Access::Kiosk);
        const int64_t now = nowUnix();
        const KioskView view = loadKioskView(store, localDay(now), localMinuteOfDay(now));
        for (const SessionView& s : view.sessions) {
            if (s.status != "planned" || s.freePlaces <= 0) continue;
            const Ticket t = registerForSession(store, Actor::kiosk(), s.id, RegistrationSource::Kiosk, "en");
            std::cout << t.code << " " << s.service << " " << s.day << "\n";
            return 0;
        }
        std::cerr << "no session with a free place in the coming week\n";
        return 3;
    } catch (const std::exception& e) {
        std::cerr << "inloop-test-kiosk-register: " << e.what() << "\n";
        return 1;
    }
}
