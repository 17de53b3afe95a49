#pragma once
// Reading stored rows: the plan model's enums are stored as their words (words_of beside each
// enum, planner/core/enum_words.hpp), the same words the formulary files, the plan JSON export
// and its import use, so a word is a file format everywhere and changes only with a migration
// (tests/store/stored_words_test.cpp pins them). An unknown stored word is corrupt data.
#include "planner/assessment/decision.hpp"
#include "planner/core/enum_words.hpp"
#include "planner/core/errors.hpp"
#include "planner/core/observations.hpp"
#include "planner/formulary/monograph.hpp"
#include "planner/scheduling/plan.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>

#include <string_view>

namespace titrate::store {

// The value stored as `word`; StorageError "stored <what> "<word>" is not known" otherwise.
template <WordedEnum E> E stored_value(std::string_view word) {
  if (const auto value = enum_named<E>(word))
    return *value;
  throw StorageError("stored " + std::string(words_of(E{}).syntax.what) + " \"" +
                     std::string(word) + "\" is not known");
}

// Decodes one stored row with `decode`. A value in it that does not parse (a date that cannot be
// true, a malformed JSON document: InputError or a JSON error) is corrupt data, a StorageError
// "stored <name()>: <why>", not bad input of the person at the door. `name` is called only then,
// so a read of many rows builds no names.
template <class Decode, class Name>
auto decode_stored(Decode decode, Name name) -> decltype(decode()) {
  try {
    return decode();
  } catch (const InputError &e) {
    throw StorageError("stored " + std::string(name()) + ": " + e.what());
  } catch (const nlohmann::json::exception &e) {
    throw StorageError("stored " + std::string(name()) + ": " + e.what());
  }
}

// "plan of P1 version 2": how the store names one version of a patient's plan in its messages.
std::string plan_version_name(const std::string &patient, int version);

// adverse_effects.drugs: the attributed drugs as a JSON array text, nullopt (NULL) when the
// effect is not attributed; and back (StorageError for a corrupt value).
std::optional<std::string> effect_drugs_text(const AdverseEffect &ae);
void read_effect_drugs(AdverseEffect &ae, const std::optional<std::string> &text);
// The audit detail of a logged, corrected or retracted adverse effect.
std::string effect_audit_detail(std::int64_t id, const AdverseEffect &ae);
// Checks of a correction or retraction's target, shared by the back ends: `target_patient` is
// the patient of entry #supersedes (nullopt: no such entry), `replaced_by` the id of an entry
// that already corrects or retracts it. NotFoundError / RefusedError / InputError.
void check_effect_correction(const std::string &patient, const AdverseEffect &ae,
                             const std::optional<std::string> &target_patient,
                             const std::optional<std::int64_t> &replaced_by);

} // namespace titrate::store
