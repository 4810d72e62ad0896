// Material Icons code points (Debian: fonts-material-design-icons-iconfont) as UTF-8 for ImGui text.
// Generated once from /usr/share/fonts-material-design-icons-iconfont/css/material-design-icons.css;
// tests/i18n checks that the font has every one of them.
#pragma once

#include <array>

namespace inloop::ui::icon {

inline constexpr const char* Language = "\xee\xa2\x94"; // U+E894 language — a globe: languages are not flags
inline constexpr const char* Home = "\xee\xa2\x8a"; // U+E88A home
inline constexpr const char* Info = "\xee\xa2\x8e"; // U+E88E info
inline constexpr const char* Event = "\xee\xa1\xb8"; // U+E878 event
inline constexpr const char* Today = "\xee\xa3\x9f"; // U+E8DF today
inline constexpr const char* Hotel = "\xee\x94\xba"; // U+E53A hotel
inline constexpr const char* Bed = "\xee\xa9\x88"; // U+EA48 single_bed
inline constexpr const char* BunkBed = "\xee\xa9\x85"; // U+EA45 king_bed
inline constexpr const char* NightShelter = "\xef\x87\xb1"; // U+F1F1 night_shelter
inline constexpr const char* Night = "\xee\xa9\x86"; // U+EA46 nights_stay
inline constexpr const char* Day = "\xee\x94\x98"; // U+E518 light_mode
inline constexpr const char* Warning = "\xee\x80\x82"; // U+E002 warning
inline constexpr const char* Emergency = "\xee\x87\xab"; // U+E1EB emergency
inline constexpr const char* Lock = "\xee\xa2\x97"; // U+E897 lock
inline constexpr const char* LockOpen = "\xee\xa2\x98"; // U+E898 lock_open
inline constexpr const char* Logout = "\xee\xa6\xba"; // U+E9BA logout
inline constexpr const char* ArrowBack = "\xee\x97\x84"; // U+E5C4 arrow_back
inline constexpr const char* ArrowForward = "\xee\x97\x88"; // U+E5C8 arrow_forward
inline constexpr const char* ChevronRight = "\xee\x97\x8c"; // U+E5CC chevron_right
inline constexpr const char* Phone = "\xee\x83\x8d"; // U+E0CD phone
inline constexpr const char* Call = "\xee\x82\xb0"; // U+E0B0 call
inline constexpr const char* Email = "\xee\x82\xbe"; // U+E0BE email
inline constexpr const char* Close = "\xee\x97\x8d"; // U+E5CD close
inline constexpr const char* Check = "\xee\x97\x8a"; // U+E5CA check
inline constexpr const char* Cancel = "\xee\x97\x89"; // U+E5C9 cancel
inline constexpr const char* TextSize = "\xee\x89\x85"; // U+E245 format_size
inline constexpr const char* Schedule = "\xee\xa2\xb5"; // U+E8B5 schedule
inline constexpr const char* Ticket = "\xee\x94\xbf"; // U+E53F local_activity
inline constexpr const char* Privacy = "\xef\x83\x9c"; // U+F0DC privacy_tip
inline constexpr const char* Health = "\xee\x87\x95"; // U+E1D5 health_and_safety
inline constexpr const char* Medical = "\xef\x84\x89"; // U+F109 medical_services
inline constexpr const char* Hospital = "\xee\x95\x88"; // U+E548 local_hospital
inline constexpr const char* Science = "\xee\xa9\x8b"; // U+EA4B science
inline constexpr const char* Money = "\xee\xa8\x95"; // U+EA15 euro
inline constexpr const char* Law = "\xee\xa4\x8e"; // U+E90E gavel
inline constexpr const char* Work = "\xee\xa3\xb9"; // U+E8F9 work
inline constexpr const char* House = "\xee\xa9\x84"; // U+EA44 house
inline constexpr const char* Care = "\xee\xa9\xb0"; // U+EA70 volunteer_activism
inline constexpr const char* Youth = "\xee\xad\x81"; // U+EB41 child_care
inline constexpr const char* Explore = "\xee\xa1\xba"; // U+E87A explore
inline constexpr const char* Support = "\xee\xbd\xb3"; // U+EF73 support
inline constexpr const char* Shield = "\xee\xa7\xa0"; // U+E9E0 shield
inline constexpr const char* Backspace = "\xee\x85\x8a"; // U+E14A backspace
inline constexpr const char* Enter = "\xee\x8c\x9b"; // U+E31B keyboard_return
inline constexpr const char* Space = "\xee\x89\x96"; // U+E256 space_bar
inline constexpr const char* Person = "\xee\x9f\xbd"; // U+E7FD person
inline constexpr const char* Groups = "\xef\x88\xb3"; // U+F233 groups
inline constexpr const char* People = "\xee\x9f\xbb"; // U+E7FB people
inline constexpr const char* Undo = "\xee\x85\xa6"; // U+E166 undo
inline constexpr const char* Inventory = "\xee\x86\xa1"; // U+E1A1 inventory_2
inline constexpr const char* Chart = "\xee\x89\xab"; // U+E26B bar_chart
inline constexpr const char* Chat = "\xee\x82\xb7"; // U+E0B7 chat
inline constexpr const char* Coffee = "\xee\xbf\xaf"; // U+EFEF coffee
inline constexpr const char* Account = "\xee\xa1\x93"; // U+E853 account_circle
inline constexpr const char* Time = "\xee\x86\x92"; // U+E192 access_time
inline constexpr const char* Hourglass = "\xee\xa2\x8b"; // U+E88B hourglass_empty
inline constexpr const char* TouchApp = "\xee\xa4\x93"; // U+E913 touch_app
inline constexpr const char* Place = "\xee\x95\x9f"; // U+E55F place
inline constexpr const char* Translate = "\xee\xa3\xa2"; // U+E8E2 translate
inline constexpr const char* Add = "\xee\x85\x85"; // U+E145 add
inline constexpr const char* Remove = "\xee\x85\x9b"; // U+E15B remove
inline constexpr const char* Search = "\xee\xa2\xb6"; // U+E8B6 search
inline constexpr const char* Settings = "\xee\xa2\xb8"; // U+E8B8 settings
inline constexpr const char* Help = "\xee\xa2\x87"; // U+E887 help
inline constexpr const char* Book = "\xee\xa8\x99"; // U+EA19 menu_book
inline constexpr const char* Hand = "\xee\x9d\xa9"; // U+E769 front_hand
inline constexpr const char* Handshake = "\xee\xaf\x8b"; // U+EBCB handshake
inline constexpr const char* EventBusy = "\xee\x98\x95"; // U+E615 event_busy
inline constexpr const char* EventAvailable = "\xee\x98\x94"; // U+E614 event_available
inline constexpr const char* PersonAdd = "\xee\x9f\xbe"; // U+E7FE person_add
inline constexpr const char* Sync = "\xee\x98\xa7"; // U+E627 sync
inline constexpr const char* ShoppingBag = "\xef\x87\x8c"; // U+F1CC shopping_bag
inline constexpr const char* Payments = "\xee\xbd\xa3"; // U+EF63 payments
inline constexpr const char* Card = "\xee\xa1\xb0"; // U+E870 credit_card
inline constexpr const char* Delivery = "\xee\x95\x98"; // U+E558 local_shipping
inline constexpr const char* Edit = "\xee\x8f\x89"; // U+E3C9 edit
inline constexpr const char* Delete = "\xee\xa1\xb2"; // U+E872 delete
inline constexpr const char* Block = "\xee\x85\x8b"; // U+E14B block
inline constexpr const char* DoneAll = "\xee\xa1\xb7"; // U+E877 done_all
inline constexpr const char* Key = "\xee\x83\x9a"; // U+E0DA vpn_key

inline constexpr const char* Backup = "\xee\xa1\xa4"; // U+E864 backup — a cloud with an arrow up
inline constexpr const char* CloudDone = "\xee\x8a\xbf"; // U+E2BF cloud_done
inline constexpr const char* CloudOff = "\xee\x8b\x81"; // U+E2C1 cloud_off

inline constexpr const char* VolumeUp = "\xee\x81\x90"; // U+E050 volume_up — read aloud
inline constexpr const char* Stop = "\xee\x81\x87"; // U+E047 stop

inline constexpr std::array kAll = {Language, Home, Info, Event, Today, Hotel, Bed, BunkBed, NightShelter, Night, Day, Warning, Emergency, Lock, LockOpen, Logout, ArrowBack, ArrowForward, ChevronRight, Phone, Call, Email, Close, Check, Cancel, TextSize, Schedule, Ticket, Privacy, Health, Medical, Hospital, Science, Money, Law, Work, House, Care, Youth, Explore, Support, Shield, Backspace, Enter, Space, Person, Groups, People, Undo, Inventory, Chart, Chat, Coffee, Account, Time, Hourglass, TouchApp, Place, Translate, Add, Remove, Search, Settings, Help, Book, Hand, Handshake, EventBusy, EventAvailable, PersonAdd, Sync, ShoppingBag, Payments, Card, Delivery, Edit, Delete, Block, DoneAll, Key, Backup, CloudDone, CloudOff, VolumeUp, Stop};
} // namespace inloop::ui::icon
