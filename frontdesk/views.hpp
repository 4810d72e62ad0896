// Every front-desk view, one instance each, owned by the shell (one file pair per view).
#pragma once

#include "audit_view.hpp"
#include "bed_board_view.hpp"
#include "contact_dialog.hpp"
#include "offsite_view.hpp"
#include "queue_view.hpp"
#include "reports_view.hpp"
#include "schedule_view.hpp"
#include "sign_in_view.hpp"
#include "site_facts_view.hpp"
#include "staff_view.hpp"
#include "supplies_view.hpp"
#include "today_view.hpp"

namespace inloop::desk {

class Views {
public:
    SignInView signIn;
    TodayView today;
    ContactDialog contact;
    SuppliesView supplies;
    QueueView queue;
    BedBoardView beds;
    ScheduleView schedule;
    StaffView staff;
    AuditView audit;
    ReportsView reports;
    OffsiteView offsite;
    SiteFactsView site;
};

} // namespace inloop::desk
