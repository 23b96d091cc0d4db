#pragma once

// Coverage of a reference set (the torchvision zoo) by a generated training set: for each
// feature, the generated set's p1-p99 range and which reference networks fall outside it
// (issue "Predictions that hold on real networks", item 2; docs/generator.md).

#include <string>
#include <vector>

namespace sniper::features {

// The NNS features the report leads with: size, depth, the MACs of each operator family and the
// memory traffic, the quantities a latency predictor leans on (docs/generator.md).
const std::vector<std::string> &keyCoverageFeatures();

// One quantity over both sets; NaN marks a network without a value (e.g. not measured).
struct CoverageColumn {
    std::string name;
    bool key = false;
    std::vector<double> generated, reference;
};

struct CoverageRow {
    std::string name;
    bool key = false;
    int generatedCount = 0, referenceCount = 0; // networks with a value
    double p1 = 0, p50 = 0, p99 = 0;           // generated set
    double refMin = 0, refMedian = 0, refMax = 0;
    std::vector<std::string> outside;           // reference networks outside [p1, p99]
};

struct CoverageReport {
    std::vector<CoverageRow> rows;
    std::vector<std::string> referenceNames;
    int referenceInsideAllKey = 0; // reference networks inside p1-p99 on every key row
};

// Throws sniper::Error when a column's lengths disagree with the name lists.
CoverageReport coverage(const std::vector<CoverageColumn> &columns, const std::vector<std::string> &referenceNames);

// Markdown: a summary line, the key rows, then every other row.
std::string coverageMarkdown(const CoverageReport &r, const std::string &generatedName, const std::string &referenceName);

// Percentile (0..100) of the finite values, linear between order statistics; NaN if none.
double percentile(std::vector<double> values, double pct);

} // namespace sniper::features
