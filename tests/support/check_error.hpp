// CHECK_ERROR: a test's way to say "this throws core::Error of this kind and key", shared by every suite.
#pragma once

#include "core/base/error.hpp"

#include <doctest/doctest.h>

#include <string>

namespace inloop::test {

// How a test names an error in failure output: "Conflict bed.taken".
inline std::string describe(const core::Error& e) {
    static const char* const kinds[] = {"InvalidInput", "NotFound", "Full", "Conflict", "NeedsConfirmation", "Storage"};
    return std::string(kinds[static_cast<int>(e.kind())]) + " " + e.key();
}

// Checks that `expr` throws core::Error of this kind and key.
#define CHECK_ERROR(expr, kindValue, keyValue)                                                                     \
    do {                                                                                                           \
        bool thrown_ = false;                                                                                      \
        try {                                                                                                      \
            expr;                                                                                                  \
        } catch (const ::inloop::core::Error& e_) {                                                                \
            thrown_ = true;                                                                                        \
            INFO("threw: " << ::inloop::test::describe(e_) << " (" << e_.what() << ")");                           \
            CHECK(e_.kind() == (kindValue));                                                                       \
            CHECK(e_.key() == std::string(keyValue));                                                              \
        }                                                                                                          \
        CHECK_MESSAGE(thrown_, "expected an Error " #kindValue " " << (keyValue) << " from: " #expr);              \
    } while (0)

} // namespace inloop::test
