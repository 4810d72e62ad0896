// The domain API: the enumerations, stored as these exact words.
// Every write runs in one transaction with its audit row (desk side); bad input throws Error and writes nothing.
#pragma once

#include "core/base/error.hpp"
#include "core/store/store.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace inloop::core {

// [SECTION] enumerations: stored as these exact words (the schema CHECKs the same lists).
enum class Channel { WalkIn, Phone, Email, OutreachStreet, OutreachOnline };
enum class Gender { Unknown, Woman, Man, Trans, NonBinary, NotSaid };
enum class Referral { None, SocialWork, CareCoordinator, Shelter, Partner };
enum class Topic { Health, StiTest, Money, Law, Work, Housing, Exploitation, Shelter, OtherWork, SuppliesOnly, CoffeeChat };
enum class StockKind { Handout, Sale, Delivery, Correction };
enum class Payment { Cash, Card };
enum class RegistrationSource { Kiosk, Desk, Phone };
enum class StayReferral { SocialWork, Partner, Police, Self, Other, Unknown };
enum class ExitProgramme { Yes, No, Unknown };
enum class Destination { OwnHome, SupportedHousing, OtherShelter, HomeCountry, Unknown, LeftWithoutNotice };
enum class Role { Desk, Shelter, Coordinator };

template <typename E> struct EnumWords;
#define INLOOP_ENUM_WORDS(E, ...)                                                                                  \
    template <> struct EnumWords<E> {                                                                              \
        static constexpr std::array words{__VA_ARGS__};                                                            \
    }
INLOOP_ENUM_WORDS(Channel, "walk_in", "phone", "email", "outreach_street", "outreach_online");
INLOOP_ENUM_WORDS(Gender, "unknown", "woman", "man", "trans", "non_binary", "not_said");
INLOOP_ENUM_WORDS(Referral, "none", "social_work", "care_coordinator", "shelter", "partner");
INLOOP_ENUM_WORDS(Topic, "health", "sti_test", "money", "law", "work", "housing", "exploitation", "shelter",
                  "other_work", "supplies_only", "coffee_chat");
INLOOP_ENUM_WORDS(StockKind, "handout", "sale", "delivery", "correction");
INLOOP_ENUM_WORDS(Payment, "cash", "card");
INLOOP_ENUM_WORDS(RegistrationSource, "kiosk", "desk", "phone");
INLOOP_ENUM_WORDS(StayReferral, "social_work", "partner", "police", "self", "other", "unknown");
INLOOP_ENUM_WORDS(ExitProgramme, "yes", "no", "unknown");
INLOOP_ENUM_WORDS(Destination, "own_home", "supported_housing", "other_shelter", "home_country", "unknown",
                  "left_without_notice");
INLOOP_ENUM_WORDS(Role, "desk", "shelter", "coordinator");
#undef INLOOP_ENUM_WORDS
// Languages the desk offers for a contact (ISO 639-1, most heard first; others are stored as typed). The report
// lists each of them, 0 when nobody spoke it.
inline constexpr std::array kContactLanguages{"nl", "en", "es", "ro", "bg", "hu", "pl", "pt", "fr", "de", "it", "ru",
                                              "uk", "zh", "th", "vi", "ar", "tr", "sw", "yo", "tl", "id", "ms", "sk"};

template <typename E> constexpr std::string_view word(E value) {
    return EnumWords<E>::words[static_cast<size_t>(value)];
}
template <typename E> std::optional<E> parseWord(std::string_view text) {
    const auto& words = EnumWords<E>::words;
    for (size_t i = 0; i < words.size(); ++i)
        if (text == words[i]) return static_cast<E>(i);
    return std::nullopt;
}


} // namespace inloop::core
