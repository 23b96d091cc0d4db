#pragma once

// Import and export of measurements and features as CSV (RFC 4180) and JSON; formats are in
// docs/database.md. Imports keep good rows and report bad ones with line numbers.

#include "database.h"
#include "measurements.h"

#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace sniper::db {

struct ImportIssue {
    int line = 0;        // 1-based line in the file; 0 for JSON entries and whole-file problems
    std::string message; // what is wrong, with the column or JSON path
    std::string text() const; // "line 12: ..." or the message alone
};

struct ImportReport {
    std::string source;             // the file (or label) imported
    int64_t imported = 0;           // rows written (cells, for a wide latency table)
    int64_t skipped = 0;            // rows not written: malformed, unresolvable, or already present
    int64_t alreadyPresent = 0;     // of `skipped`: keys kept under OnConflict::Skip
    int64_t modelsCreated = 0;
    int64_t platformsCreated = 0;
    std::vector<ImportIssue> errors;   // one per skipped malformed row, in file order (first 1000)
    int64_t errorsNotListed = 0;       // errors beyond the cap, counted only
    std::vector<ImportIssue> warnings; // e.g. ignored columns; nothing was skipped for them
    std::string summary() const;       // one line for a status bar or the CLI

    void addError(int line, std::string message); // also counts the row as skipped
};

struct ImportOptions {
    OnConflict onConflict = OnConflict::Skip; // Skip makes re-importing the same file a no-op
};

// Measurements joined with model names, in (model id, platform, batch) order.
void exportMeasurementsCsv(Database &db, std::ostream &out, const MeasurementFilter &filter = {});
void exportMeasurementsJson(Database &db, std::ostream &out, const MeasurementFilter &filter = {});
// Models are matched by model_hash when given, else by unique name; unknown models are row errors
// (a JSON export also carries its models, which are created without ONNX when missing). Unknown
// platforms are created. All rows go in one transaction, recorded as a run of kind "import"
// (the rows' provenance); an "origin" column in the file is ignored.
ImportReport importMeasurementsCsv(Database &db, const std::string &path, const ImportOptions &options = {});
ImportReport importMeasurementsCsvText(Database &db, std::string_view text, const std::string &label,
                                       const ImportOptions &options = {});
ImportReport importMeasurementsJson(Database &db, const std::string &path, const ImportOptions &options = {});
ImportReport importMeasurementsJsonText(Database &db, std::string_view text, const std::string &label,
                                        const ImportOptions &options = {});

// Feature vectors of one extractor version ("" = every version), columns in featureTable() order.
void exportFeaturesCsv(Database &db, std::ostream &out, std::string_view extractorVersion = {});
void exportFeaturesJson(Database &db, std::ostream &out, std::string_view extractorVersion = {});
// Existing (model, extractor version) vectors are replaced only under OnConflict::Replace.
ImportReport importFeaturesCsv(Database &db, const std::string &path, const ImportOptions &options = {});
ImportReport importFeaturesCsvText(Database &db, std::string_view text, const std::string &label,
                                   const ImportOptions &options = {});
ImportReport importFeaturesJson(Database &db, const std::string &path, const ImportOptions &options = {});
ImportReport importFeaturesJsonText(Database &db, std::string_view text, const std::string &label,
                                    const ImportOptions &options = {});

} // namespace sniper::db
