#include "predict/modulestudy.h"

#include "common/error.h"
#include "common/xoshiro.h"
#include "predict/metrics.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <iomanip>
#include <set>
#include <sstream>

namespace sniper::predict::modules {

ModuleSplit splitSamples(const std::vector<ModuleSample> &samples, uint64_t seed, double validationFraction,
                         double testFraction)
{
    if (samples.size() < 10)
        throw Error("only " + std::to_string(samples.size()) + " samples; a 7:1:2 split needs at least 10",
                    samples.empty() ? std::string("module dataset") : std::string("module ") + moduleName(samples[0].kind));
    if (!(validationFraction > 0) || !(testFraction > 0) || validationFraction + testFraction >= 1)
        throw Error("validation and test fractions must be positive and sum to less than 1", "module split");
    std::vector<size_t> order(samples.size());
    for (size_t i = 0; i < order.size(); ++i)
        order[i] = i;
    Xoshiro256 rng(seed);
    for (size_t i = order.size(); i > 1; --i)
        std::swap(order[i - 1], order[rng.below(i)]);
    const size_t nTest = std::max<size_t>(1, size_t(std::lround(testFraction * double(samples.size()))));
    const size_t nValid = std::max<size_t>(1, size_t(std::lround(validationFraction * double(samples.size()))));
    ModuleSplit s;
    for (size_t i = 0; i < order.size(); ++i) {
        auto &target = i < nTest ? s.test : i < nTest + nValid ? s.validation : s.train;
        target.push_back(samples[order[i]]);
    }
    return s;
}

namespace {

double fractionWithin(const std::vector<ModuleSample> &t, const std::vector<double> &p, double tolerance,
                      int onlyBackground)
{
    size_t n = 0, hit = 0;
    for (size_t i = 0; i < t.size(); ++i) {
        if (onlyBackground >= 0 && int(t[i].background) != onlyBackground)
            continue;
        ++n;
        hit += std::abs(p[i] - t[i].latencyMs) <= tolerance * t[i].latencyMs;
    }
    return n ? double(hit) / double(n) : NAN;
}

} // namespace

ModuleEvaluation evaluatePredictions(const std::vector<ModuleSample> &test, const std::vector<double> &predictedMs)
{
    if (test.size() != predictedMs.size() || test.empty())
        throw Error("need one prediction per test sample", "module evaluation");
    std::vector<double> measured;
    for (const auto &s : test)
        measured.push_back(s.latencyMs);
    const Metrics m = computeMetrics(predictedMs, measured);
    ModuleEvaluation e;
    e.module = test[0].kind;
    e.testSamples = test.size();
    e.p10 = m.acc10 / 100.0;
    e.p20 = m.acc20 / 100.0;
    e.r2 = m.r2;
    e.rmseMs = m.rmse;
    e.mape = m.mape;
    e.p10Loaded = fractionWithin(test, predictedMs, 0.10, 1);
    e.p10Idle = fractionWithin(test, predictedMs, 0.10, 0);
    return e;
}

const ModuleRegressor *ModuleStudy::find(ModuleKind m, RegressorKind r) const
{
    for (size_t i = 0; i < rows.size(); ++i)
        if (rows[i].module == m && rows[i].regressor == r)
            return &trained[i];
    return nullptr;
}

ModuleStudy runStudy(const std::string &platform, const std::map<ModuleKind, std::vector<ModuleSample>> &samples,
                     const StudyOptions &options, const std::function<void(const std::string &)> &log,
                     const StudyProgress &progress)
{
    std::vector<ModuleKind> moduleList = options.modules;
    if (moduleList.empty())
        for (ModuleKind k : allModuleKinds())
            if (samples.count(k) && !samples.at(k).empty())
                moduleList.push_back(k);
    if (moduleList.empty())
        throw Error("the module dataset is empty: sample some modules first (sniper modules sample)",
                    "platform " + platform);
    const std::vector<RegressorKind> regressors = options.regressors.empty() ? allRegressorKinds() : options.regressors;
    ModuleStudy study;
    study.platform = platform;
    for (ModuleKind m : moduleList) {
        auto it = samples.find(m);
        if (it == samples.end() || it->second.empty())
            throw Error(std::string("module ") + moduleName(m) + " has no samples in the dataset", "platform " + platform);
        const ModuleSplit split = splitSamples(it->second, options.splitSeed);
        for (RegressorKind r : regressors) {
            bool cancelled = false;
            const auto hook = [&](int epoch, double tl, double vl) {
                if (progress && !progress(m, r, epoch, tl, vl))
                    cancelled = true;
                return !cancelled;
            };
            const auto t0 = std::chrono::steady_clock::now();
            ModuleRegressor reg = ModuleRegressor::train(m, r, split.train, split.validation, options.regressor, hook);
            const double trainSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
            if (cancelled)
                throw Error("cancelled", "module study");
            std::vector<double> predicted;
            double best = INFINITY;
            for (int rep = 0; rep < 3; ++rep) { // batched prediction of the test split; the fastest of 3
                const auto p0 = std::chrono::steady_clock::now();
                predicted = reg.predict(split.test);
                best = std::min(best, std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - p0).count());
            }
            ModuleEvaluation e = evaluatePredictions(split.test, predicted);
            e.regressor = r;
            e.trainSamples = split.train.size();
            e.validationSamples = split.validation.size();
            e.timePerSampleMs = best / double(split.test.size());
            e.sizeKb = double(reg.sizeBytes()) / 1024.0;
            e.trainSeconds = trainSeconds;
            e.epochs = reg.report().epochs;
            if (log) {
                std::ostringstream line;
                line << platform << " " << moduleName(m) << " " << regressorKindName(r) << ": P10 " << std::fixed
                     << std::setprecision(3) << e.p10 << " P20 " << e.p20 << " R2 " << e.r2 << " ("
                     << std::setprecision(1) << trainSeconds << " s, " << e.epochs << " epochs)";
                log(line.str());
            }
            study.rows.push_back(e);
            study.trained.push_back(std::move(reg));
        }
    }
    return study;
}

std::map<ModuleKind, RegressorKind> autoSelect(const std::vector<ModuleEvaluation> &rows, const SelectionOptions &o)
{
    if (!(o.epsAcc >= 0) || !(o.epsR2 >= 0))
        throw Error("the tolerances must not be negative", "auto-selection");
    std::map<ModuleKind, RegressorKind> out;
    std::set<ModuleKind> seen;
    for (const auto &r : rows)
        seen.insert(r.module);
    for (ModuleKind m : seen) {
        std::vector<const ModuleEvaluation *> ym;
        for (const auto &r : rows)
            if (r.module == m)
                ym.push_back(&r);
        const auto acc = [&](const ModuleEvaluation *y) { return o.useP10 ? y->p10 : y->p20; };
        double bestAcc = -INFINITY;
        for (auto *y : ym)
            bestAcc = std::max(bestAcc, acc(y));
        std::vector<const ModuleEvaluation *> y1;
        for (auto *y : ym)
            if (bestAcc - acc(y) <= o.epsAcc + 1e-12)
                y1.push_back(y);
        double bestR2 = -INFINITY;
        for (auto *y : y1)
            bestR2 = std::max(bestR2, y->r2);
        const ModuleEvaluation *chosen = nullptr;
        for (auto *y : y1) {
            if (bestR2 - y->r2 > o.epsR2 + 1e-12)
                continue;
            const double cost = o.objective == SelectionObjective::Time ? y->timePerSampleMs : y->sizeKb;
            const double chosenCost = !chosen ? INFINITY
                                      : o.objective == SelectionObjective::Time ? chosen->timePerSampleMs
                                                                                : chosen->sizeKb;
            if (cost < chosenCost)
                chosen = y;
        }
        out[m] = chosen->regressor;
    }
    return out;
}

SelectionObjective parseObjective(const std::string &s)
{
    if (s == "time")
        return SelectionObjective::Time;
    if (s == "space")
        return SelectionObjective::Space;
    throw Error("unknown objective '" + s + "' (time or space)", "auto-selection");
}

std::vector<SelectionSummary> compareSelections(
    const std::vector<ModuleEvaluation> &rows,
    const std::vector<std::pair<std::string, std::map<ModuleKind, RegressorKind>>> &schemes, const std::string &baseline)
{
    const auto rowOf = [&](ModuleKind m, RegressorKind r) -> const ModuleEvaluation & {
        for (const auto &e : rows)
            if (e.module == m && e.regressor == r)
                return e;
        throw Error(std::string("no evaluation of ") + regressorKindName(r) + " on " + moduleName(m), "selection");
    };
    std::vector<SelectionSummary> out;
    for (const auto &[name, sel] : schemes) {
        SelectionSummary s;
        s.scheme = name;
        s.selection = sel;
        for (const auto &[m, r] : sel) {
            const auto &e = rowOf(m, r);
            s.meanP10 += e.p10;
            s.meanP20 += e.p20;
            s.meanR2 += e.r2;
            s.meanTimeMs += e.timePerSampleMs;
            s.meanSizeKb += e.sizeKb;
        }
        const double n = double(std::max<size_t>(1, sel.size()));
        s.meanP10 /= n;
        s.meanP20 /= n;
        s.meanR2 /= n;
        s.meanTimeMs /= n;
        s.meanSizeKb /= n;
        out.push_back(s);
    }
    const SelectionSummary *base = nullptr;
    for (const auto &s : out)
        if (s.scheme == baseline)
            base = &s;
    if (base) {
        const SelectionSummary b = *base;
        for (auto &s : out) {
            s.accDiffPercent = b.meanP20 != 0 ? 100.0 * (s.meanP20 - b.meanP20) / std::abs(b.meanP20) : 0;
            s.r2DiffPercent = b.meanR2 != 0 ? 100.0 * (s.meanR2 - b.meanR2) / std::abs(b.meanR2) : 0;
        }
    }
    return out;
}

namespace {

std::string fmt(double v, int digits)
{
    if (!std::isfinite(v))
        return "-";
    std::ostringstream s;
    s << std::fixed << std::setprecision(digits) << v;
    return s.str();
}

std::vector<RegressorKind> regressorsIn(const std::vector<ModuleEvaluation> &rows)
{
    std::vector<RegressorKind> out;
    for (const auto &r : rows)
        if (std::find(out.begin(), out.end(), r.regressor) == out.end())
            out.push_back(r.regressor);
    return out;
}

std::vector<ModuleKind> modulesIn(const std::vector<ModuleEvaluation> &rows)
{
    std::vector<ModuleKind> out;
    for (ModuleKind k : allModuleKinds())
        for (const auto &r : rows)
            if (r.module == k) {
                out.push_back(k);
                break;
            }
    return out;
}

const ModuleEvaluation *lookup(const std::vector<ModuleEvaluation> &rows, ModuleKind m, RegressorKind r)
{
    for (const auto &e : rows)
        if (e.module == m && e.regressor == r)
            return &e;
    return nullptr;
}

// The paper's "Avg diff% vs. MEDN": mean over modules of (x - MEDN) / |MEDN|, in percent.
double avgDiff(const std::vector<ModuleEvaluation> &rows, RegressorKind r, double ModuleEvaluation::*field)
{
    double sum = 0;
    int n = 0;
    for (ModuleKind m : modulesIn(rows)) {
        const auto *x = lookup(rows, m, r);
        const auto *base = lookup(rows, m, RegressorKind::Medn);
        if (!x || !base || base->*field == 0)
            continue;
        sum += 100.0 * (x->*field - base->*field) / std::abs(base->*field);
        ++n;
    }
    return n ? sum / n : NAN;
}

} // namespace

std::string table5Markdown(const std::vector<ModuleEvaluation> &rows)
{
    const auto regs = regressorsIn(rows);
    std::ostringstream out;
    out << "| Module |";
    for (RegressorKind r : regs)
        out << " " << regressorKindName(r) << " Acc | R² | Tps (ms) | Size (KB) |";
    out << "\n|---|";
    for (size_t i = 0; i < regs.size(); ++i)
        out << "---:|---:|---:|---:|";
    out << "\n";
    for (ModuleKind m : modulesIn(rows)) {
        out << "| " << moduleName(m) << " |";
        for (RegressorKind r : regs) {
            const auto *e = lookup(rows, m, r);
            if (!e) {
                out << " - | - | - | - |";
                continue;
            }
            out << " " << fmt(e->p20, 4) << " | " << fmt(e->r2, 4) << " | " << fmt(e->timePerSampleMs, 5) << " | "
                << fmt(e->sizeKb, 1) << " |";
        }
        out << "\n";
    }
    if (std::find(regs.begin(), regs.end(), RegressorKind::Medn) != regs.end()) {
        out << "| Avg diff% vs. MEDN |";
        for (RegressorKind r : regs) {
            if (r == RegressorKind::Medn) {
                out << " - | - | - | - |";
                continue;
            }
            out << " " << fmt(avgDiff(rows, r, &ModuleEvaluation::p20), 1) << "% | "
                << fmt(avgDiff(rows, r, &ModuleEvaluation::r2), 1) << "% | "
                << fmt(avgDiff(rows, r, &ModuleEvaluation::timePerSampleMs), 0) << "% | "
                << fmt(avgDiff(rows, r, &ModuleEvaluation::sizeKb), 0) << "% |";
        }
        out << "\n";
    }
    return out.str();
}

std::string ablationMarkdown(const std::vector<ModuleEvaluation> &rows)
{
    std::ostringstream out;
    out << "| Regressor | mean P10 | mean P20 | mean R² | mean RMSE (ms) | modules |\n|---|---:|---:|---:|---:|---:|\n";
    for (RegressorKind r : regressorsIn(rows)) {
        double p10 = 0, p20 = 0, r2 = 0, rmse = 0;
        int n = 0;
        for (const auto &e : rows)
            if (e.regressor == r) {
                p10 += e.p10;
                p20 += e.p20;
                r2 += e.r2;
                rmse += e.rmseMs;
                ++n;
            }
        out << "| " << regressorKindName(r) << " | " << fmt(p10 / n, 4) << " | " << fmt(p20 / n, 4) << " | "
            << fmt(r2 / n, 4) << " | " << fmt(rmse / n, 4) << " | " << n << " |\n";
    }
    return out.str();
}

std::string table6Markdown(const std::vector<SelectionSummary> &summaries)
{
    std::ostringstream out;
    out << "| Module |";
    for (const auto &s : summaries)
        out << " " << s.scheme << " |";
    out << "\n|---|";
    for (size_t i = 0; i < summaries.size(); ++i)
        out << "---|";
    out << "\n";
    std::set<ModuleKind> mods;
    for (const auto &s : summaries)
        for (const auto &kv : s.selection)
            mods.insert(kv.first);
    for (ModuleKind m : allModuleKinds()) {
        if (!mods.count(m))
            continue;
        out << "| " << moduleName(m) << " |";
        for (const auto &s : summaries) {
            auto it = s.selection.find(m);
            out << " " << (it == s.selection.end() ? "-" : regressorKindName(it->second)) << " |";
        }
        out << "\n";
    }
    const auto row = [&](const char *label, const std::function<std::string(const SelectionSummary &)> &f) {
        out << "| " << label << " |";
        for (const auto &s : summaries)
            out << " " << f(s) << " |";
        out << "\n";
    };
    row("mean P20", [](const SelectionSummary &s) { return fmt(s.meanP20, 4); });
    row("mean P10", [](const SelectionSummary &s) { return fmt(s.meanP10, 4); });
    row("mean R²", [](const SelectionSummary &s) { return fmt(s.meanR2, 4); });
    row("mean Tps (ms)", [](const SelectionSummary &s) { return fmt(s.meanTimeMs, 5); });
    row("mean Size (KB)", [](const SelectionSummary &s) { return fmt(s.meanSizeKb, 1); });
    row("Acc diff% vs. baseline", [](const SelectionSummary &s) { return fmt(s.accDiffPercent, 2) + "%"; });
    row("R² diff% vs. baseline", [](const SelectionSummary &s) { return fmt(s.r2DiffPercent, 2) + "%"; });
    return out.str();
}

std::string dynamicMarkdown(const std::vector<ModuleEvaluation> &rows)
{
    std::ostringstream out;
    out << "| Module | MEDN P10 (loaded) | MEDN-XM P10 (loaded) | MEDN P10 (idle) | MEDN-XM P10 (idle) | MEDN P10 | MEDN-XM P10 |\n"
           "|---|---:|---:|---:|---:|---:|---:|\n";
    for (ModuleKind m : modulesIn(rows)) {
        const auto *a = lookup(rows, m, RegressorKind::Medn);
        const auto *b = lookup(rows, m, RegressorKind::MednXM);
        if (!a || !b)
            continue;
        out << "| " << moduleName(m) << " | " << fmt(a->p10Loaded, 4) << " | " << fmt(b->p10Loaded, 4) << " | "
            << fmt(a->p10Idle, 4) << " | " << fmt(b->p10Idle, 4) << " | " << fmt(a->p10, 4) << " | " << fmt(b->p10, 4)
            << " |\n";
    }
    return out.str();
}

nlohmann::json evaluationToJson(const ModuleEvaluation &e)
{
    const auto num = [](double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr); };
    return {{"module", moduleName(e.module)},   {"regressor", regressorKindName(e.regressor)},
            {"train", e.trainSamples},          {"validation", e.validationSamples},
            {"test", e.testSamples},            {"p10", e.p10},
            {"p20", e.p20},                     {"r2", e.r2},
            {"rmse_ms", e.rmseMs},              {"mape", e.mape},
            {"p10_loaded", num(e.p10Loaded)},   {"p10_idle", num(e.p10Idle)},
            {"time_per_sample_ms", e.timePerSampleMs}, {"size_kb", e.sizeKb},
            {"train_seconds", e.trainSeconds},  {"epochs", e.epochs}};
}

std::string evaluationsCsv(const std::vector<ModuleEvaluation> &rows, const std::string &platform)
{
    std::ostringstream out;
    out << "platform,module,regressor,train,validation,test,p10,p20,r2,rmse_ms,mape,p10_loaded,p10_idle,"
           "time_per_sample_ms,size_kb,train_seconds,epochs\n";
    out << std::setprecision(8);
    for (const auto &e : rows)
        out << platform << "," << moduleName(e.module) << "," << regressorKindName(e.regressor) << "," << e.trainSamples
            << "," << e.validationSamples << "," << e.testSamples << "," << e.p10 << "," << e.p20 << "," << e.r2 << ","
            << e.rmseMs << "," << e.mape << "," << (std::isfinite(e.p10Loaded) ? fmt(e.p10Loaded, 6) : "") << ","
            << (std::isfinite(e.p10Idle) ? fmt(e.p10Idle, 6) : "") << "," << e.timePerSampleMs << "," << e.sizeKb << ","
            << e.trainSeconds << "," << e.epochs << "\n";
    return out.str();
}

} // namespace sniper::predict::modules
