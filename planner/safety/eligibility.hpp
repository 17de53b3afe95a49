#pragma once
// Eligibility: for each formulary drug and a patient, a verdict ok / caution / avoid with every
// reason (clinical.md A1-A5). Pure: `today` is passed in.
#include "planner/formulary/monograph.hpp"

#include <optional>
#include <string>
#include <vector>

namespace titrate {

// Cockcroft-Gault (clinical.md A2): (140 - age) * weight / (72 * SCr), x 0.85 female; a CrCl
// given directly wins. Age in whole years on `today`. InputError naming the field when neither
// CrCl nor a positive creatinine is given, or the weight is not positive.
double creatinine_clearance(const Patient &p, Date today);

struct DrugVerdict {
  std::string drug;
  Severity verdict = Severity::ok;
  std::optional<Date> available_from; // a time-bound avoid lifts on this day
  std::optional<Dose> max_daily;      // the effective cap (label, renal band, age)
  const RenalBand *renal_band = nullptr;
  std::vector<Finding> reasons;
};

struct EligibilityReport {
  std::string patient;
  double crcl_ml_min = 0;
  bool crcl_given = false;                         // true: entered directly, not Cockcroft-Gault
  std::vector<DrugVerdict> drugs;                  // formulary order
  std::vector<std::string> unchecked_medications;  // "not checked: unknown medication NAME"
  std::vector<std::string> serotonergic_medicines; // current medications of class serotonergic
                                                   // (the serotonergic load)
  bool pregnancy = false;                          // plan must refuse (exit 4)

  const DrugVerdict *find(std::string_view drug) const;
};

// Data-driven: every rule, figure, text and source comes from the Monographs and Vocabulary.
// A medication known to neither the vocabulary nor the formulary is listed as unchecked. A patient
// condition the vocabulary does not know is InputError. Throws InputError when CrCl cannot be
// computed (no creatinine, creatinine <= 0) and DataError when a renal table leaves the CrCl out.
EligibilityReport check_eligibility(const Patient &p, const Formulary &f, Date today);

} // namespace titrate
