// The words the store writes for the plan model's enums: rows and plan documents written since
// schema 1 hold them, so each is fixed here, in order, as a migration would have to change it.
// The same words are the formulary files', the plan JSON export's and its import's.
#include "planner/store/names.hpp"
#include "planner/store/repository.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace titrate;

namespace {
template <typename E> std::vector<std::string> stored_words_of() {
  std::vector<std::string> out;
  for (const auto &w : words_of(E{}).words) {
    out.emplace_back(to_string(w.value));
    CHECK(store::stored_value<E>(w.word) == w.value); // each reads back as its value
  }
  return out;
}
using Words = std::vector<std::string>;
} // namespace

TEST_CASE("store: the stored words of the plan model are fixed") {
  CHECK(stored_words_of<Form>() == Words{"capsule", "tablet"});
  CHECK(stored_words_of<AdminTime>() == Words{"morning", "midday", "evening", "bedtime"});
  CHECK(stored_words_of<StageRole>() == Words{"trial", "taper", "cross-taper"});
  CHECK(stored_words_of<DecisionKind>() ==
        Words{"continue", "escalate", "switch", "extend", "stop", "review", "reduce"});
  CHECK(stored_words_of<PlanStatus>() ==
        Words{"draft", "submitted", "approved", "rejected", "superseded"});
  CHECK(stored_words_of<Severity>() == Words{"ok", "caution", "avoid"});
  CHECK(stored_words_of<AeSeverity>() == Words{"mild", "moderate", "severe", "intolerable"});
  CHECK(stored_words_of<Sex>() == Words{"female", "male"});
  CHECK(stored_words_of<Hepatic>() == Words{"none", "mild", "moderate", "severe"});
  CHECK(stored_words_of<Verdict>() == Words{"approved", "rejected"});
  CHECK(stored_words_of<Weekday>() ==
        Words{"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"});
}

TEST_CASE("store: a stored word that is not known is corrupt data, named") {
  CHECK_THROWS_AS(store::stored_value<DecisionKind>("hold"), StorageError);
  CHECK_THROWS_WITH(store::stored_value<DecisionKind>("hold"),
                    "stored decision \"hold\" is not known");
  CHECK_THROWS_WITH(store::stored_value<StageRole>("cross_taper"),
                    "stored stage role \"cross_taper\" is not known");
}
