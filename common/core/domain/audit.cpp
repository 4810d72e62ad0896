// The domain API: the actor and the audit row (see audit.hpp).

#include "core/domain/audit.hpp"
#include "core/domain/internal.hpp"

#include "core/store/audit_chain.hpp"
#include "core/base/clock.hpp"

namespace inloop::core {

using namespace detail;

int64_t When::resolve() const { return at ? *at : nowUnix(); }

// [SECTION] audit
void audit(Store& store, const Actor& actor, std::string_view action, std::string_view entity,
           std::optional<int64_t> recordId, std::string_view detail) {
    if (!store.isDesk()) return; // the kiosk's registrations are anonymous by design
    // Chained to the row before (audit_chain.cpp): reading the head and inserting must be one write transaction.
    Transaction tx(store.db(), Transaction::Writes::Main);
    insertAuditRow(store.db(), AuditFields{0, nowUnix(), std::string(actorWord(actor.kind)), actor.staffId,
                                           std::string(action), std::string(entity), recordId, std::string(detail)});
    tx.commit();
}

} // namespace inloop::core
