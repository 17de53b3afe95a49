#pragma once
// The codes an EHR sends, mapped to titrate's words (formulary/ehr/codes.toml): LOINC
// codes of the Observations read, RxNorm ingredient codes of the vocabulary's medications (the
// formulary drugs' codes come from their monographs), SNOMED CT codes of conditions and
// indications, and the project rule on how old a laboratory value may be before it is flagged.
// Pure: parses text.
#include "planner/formulary/monograph.hpp"

#include <map>
#include <optional>
#include <set>
#include <string>

namespace titrate::ehr {

inline constexpr const char *loinc_system = "http://loinc.org";
inline constexpr const char *rxnorm_system = "http://www.nlm.nih.gov/research/umls/rxnorm";
inline constexpr const char *snomed_system = "http://snomed.info/sct";
inline constexpr const char *ucum_system = "http://unitsofmeasure.org";

// 1 mg/dL of creatinine = 88.4 umol/L (molar mass 113.12 g/mol; formulary/ehr/codes.toml).
inline constexpr double creatinine_umol_l_per_mg_dl = 88.4;
// 1 international avoirdupois pound = 0.45359237 kg exactly (UCUM [lb_av]).
inline constexpr double kg_per_lb = 0.45359237;

struct EhrCodes {
  int lab_max_age_days = 0;
  std::string lab_max_age_reason;
  Citation lab_max_age_cite;

  std::set<std::string> creatinine_mass, creatinine_substance, egfr, body_weight; // LOINC
  std::string loinc_source;

  std::map<std::string, std::string> rxnorm; // RxCUI -> medication or formulary drug name
  std::string rxnorm_source;
  std::map<std::string, std::string> snomed; // SNOMED CT code -> condition term
  std::string snomed_source;
  std::map<std::string, std::string> snomed_indications; // SNOMED CT code -> indication term
  std::string snomed_indications_source;

  // The medication (vocabulary or formulary name) of an RxCUI; nullopt when unknown.
  std::optional<std::string> medication_of(const std::string &rxcui) const;
};

// Parses codes.toml and joins the formulary's own codes (each drug's ingredient RxCUI and its
// strengths' SCD RxCUIs) to the RxNorm map. DataError naming FILE:LINE: KEY when a medication or
// condition is not in the vocabulary, a code is listed twice, or a key is unknown.
EhrCodes parse_ehr_codes(const std::string &text, const std::string &file, const Formulary &f);

} // namespace titrate::ehr
