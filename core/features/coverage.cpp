#include "features/coverage.h"

#include "common/error.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <sstream>

namespace sniper::features {

const std::vector<std::string> &keyCoverageFeatures()
{
    static const std::vector<std::string> key{
        "total_macs",      "total_params",   "num_layers",        "critical_path_layers", "mean_macs_per_layer",
        "conv_macs",       "fc_macs",        "conv1x1_macs",      "conv3x3_macs",         "conv_depthwise_macs",
        "conv_io_elements", "norm_elements", "eltwise_elements",  "memory_access_cost",   "total_flops",
        "max_branches"};
    return key;
}

double percentile(std::vector<double> values, double pct)
{
    values.erase(std::remove_if(values.begin(), values.end(), [](double v) { return !std::isfinite(v); }), values.end());
    if (values.empty())
        return std::numeric_limits<double>::quiet_NaN();
    std::sort(values.begin(), values.end());
    const double pos = std::clamp(pct, 0.0, 100.0) / 100.0 * double(values.size() - 1);
    const size_t lo = size_t(std::floor(pos));
    const size_t hi = std::min(lo + 1, values.size() - 1);
    return values[lo] + (pos - double(lo)) * (values[hi] - values[lo]);
}

CoverageReport coverage(const std::vector<CoverageColumn> &columns, const std::vector<std::string> &referenceNames)
{
    CoverageReport r;
    r.referenceNames = referenceNames;
    std::vector<char> insideAll(referenceNames.size(), 1);
    for (const CoverageColumn &c : columns) {
        if (c.reference.size() != referenceNames.size())
            throw Error("column '" + c.name + "' has " + std::to_string(c.reference.size()) + " reference values for " +
                            std::to_string(referenceNames.size()) + " reference networks",
                        "coverage");
        CoverageRow row;
        row.name = c.name;
        row.key = c.key;
        for (double v : c.generated)
            row.generatedCount += std::isfinite(v);
        for (double v : c.reference)
            row.referenceCount += std::isfinite(v);
        row.p1 = percentile(c.generated, 1);
        row.p50 = percentile(c.generated, 50);
        row.p99 = percentile(c.generated, 99);
        row.refMin = percentile(c.reference, 0);
        row.refMedian = percentile(c.reference, 50);
        row.refMax = percentile(c.reference, 100);
        for (size_t i = 0; i < referenceNames.size(); ++i) {
            const double v = c.reference[i];
            if (!std::isfinite(v))
                continue;
            // With no generated values nothing is covered.
            const bool in = row.generatedCount > 0 && v >= row.p1 && v <= row.p99;
            if (!in) {
                row.outside.push_back(referenceNames[i]);
                if (c.key)
                    insideAll[i] = 0;
            }
        }
        r.rows.push_back(std::move(row));
    }
    r.referenceInsideAllKey = int(std::count(insideAll.begin(), insideAll.end(), 1));
    return r;
}

namespace {

std::string number(double v)
{
    if (!std::isfinite(v))
        return "–";
    char buf[32];
    const double a = std::fabs(v);
    if (a != 0 && (a >= 1e6 || a < 1e-2))
        std::snprintf(buf, sizeof buf, "%.3g", v);
    else if (a >= 100)
        std::snprintf(buf, sizeof buf, "%.0f", v);
    else
        std::snprintf(buf, sizeof buf, "%.3g", v);
    return buf;
}

void table(std::ostringstream &out, const CoverageReport &r, bool key)
{
    out << "| feature | generated p1 | p50 | p99 | reference min | median | max | inside | outside |\n"
           "|---|---:|---:|---:|---:|---:|---:|---:|---|\n";
    for (const CoverageRow &row : r.rows) {
        if (row.key != key)
            continue;
        std::string outside;
        for (const std::string &n : row.outside)
            outside += (outside.empty() ? "" : ", ") + n;
        out << "| " << row.name << " | " << number(row.p1) << " | " << number(row.p50) << " | " << number(row.p99)
            << " | " << number(row.refMin) << " | " << number(row.refMedian) << " | " << number(row.refMax) << " | "
            << (row.referenceCount - int(row.outside.size())) << "/" << row.referenceCount << " | " << outside << " |\n";
    }
}

} // namespace

std::string coverageMarkdown(const CoverageReport &r, const std::string &generatedName, const std::string &referenceName)
{
    std::ostringstream out;
    int generated = 0;
    for (const CoverageRow &row : r.rows)
        generated = std::max(generated, row.generatedCount);
    out << "Coverage of '" << referenceName << "' (" << r.referenceNames.size() << " networks) by '" << generatedName
        << "' (" << generated << " networks): " << r.referenceInsideAllKey << " of " << r.referenceNames.size()
        << " inside the generated p1-p99 range on every key feature.\n\n";
    out << "Key features:\n\n";
    table(out, r, true);
    out << "\nOther features:\n\n";
    table(out, r, false);
    return out.str();
}

} // namespace sniper::features
