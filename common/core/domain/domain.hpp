// The domain API shared by the kiosk, the front desk, the CLI and the bench, one header per area:
// words (enumerations), audit (Actor, When), contacts, supplies, sessions (services, schedule, registrations),
// shelter, staff. Every write runs in one transaction with its audit row (desk side); bad input throws Error
// and writes nothing.
#pragma once

#include "core/domain/words.hpp"
#include "core/domain/audit.hpp"
#include "core/domain/contacts.hpp"
#include "core/domain/supplies.hpp"
#include "core/domain/sessions.hpp"
#include "core/domain/shelter.hpp"
#include "core/domain/staff.hpp"

namespace inloop::core {

// The site's defaults, written by `init` once: the shelter's rooms and beds, the documented services,
// the supply catalogue. Does nothing to a store that has them.
void seedSiteDefaults(Store& store);

} // namespace inloop::core
