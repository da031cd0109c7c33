#include "nra/edit_distance.hpp"

#include <catch2/catch.hpp>

namespace edit_distance_test {

using nra::edit_distance;

TEST_CASE("edit distance counts insertions, deletions and substitutions") {
    CHECK(edit_distance("", "") == 0);
    CHECK(edit_distance("abc", "") == 3);
    CHECK(edit_distance("", "abc") == 3);
    CHECK(edit_distance("kitten", "sitting") == 3);
    CHECK(edit_distance("web-gateway", "web-gatway") == 1);
    CHECK(edit_distance("thresholds", "threshold") == 1);
    CHECK(edit_distance("abc", "abc") == 0);
    CHECK(edit_distance("ab", "ba") == 2);  // a swap is two edits (no transpositions)
}

TEST_CASE("edit distance is symmetric") {
    for (const auto& [a, b] : {std::pair{"flaw", "lawn"}, std::pair{"gumbo", "gambol"}}) {
        CHECK(edit_distance(a, b) == edit_distance(b, a));
    }
}

}  // namespace edit_distance_test
