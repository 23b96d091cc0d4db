#include "predict/experiment.h"

#include "common/error.h"
#include "common/xoshiro.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unordered_map>

namespace sniper::predict {

std::vector<PredictorConfig> paperPredictors(const PredictorConfig &base)
{
    std::vector<PredictorConfig> out;
    for (PlatformInput p : {PlatformInput::Help, PlatformInput::Hrm})
        for (NetworkInput n : {NetworkInput::Flops, NetworkInput::FlopsAmc, NetworkInput::Nns}) {
            PredictorConfig c = base;
            c.network = n;
            c.platform = p;
            c.regressor = Regressor::Pcn;
            out.push_back(c);
        }
    PredictorConfig gbt = base;
    gbt.network = NetworkInput::Nns;
    gbt.platform = PlatformInput::Hrm;
    gbt.regressor = Regressor::Gbt;
    out.push_back(gbt);
    return out;
}

ComparisonResult comparePredictors(const LatencyData &random, const LatencyData *real, const ComparisonOptions &o,
                                   const std::function<void(const std::string &)> &log)
{
    random.validate();
    if (real)
        real->validate();
    ComparisonResult r;
    r.platforms = random.platforms;
    r.networks = random.networkCount();
    r.split = splitNetworks(random.networkCount(), o.splitSeed, o.validationFraction, o.testFraction);
    const auto configs = o.configs.empty() ? paperPredictors(o.base) : o.configs;
    std::vector<int> allReal;
    if (real)
        for (size_t i = 0; i < real->networkCount(); ++i)
            allReal.push_back(int(i));
    for (const auto &c : configs) {
        if (log)
            log("training " + c.name());
        auto p = NetworkPredictor::train(random, r.split, c);
        auto rows = predictRows(p, random, r.split.test, c.name());
        r.test.insert(r.test.end(), rows.begin(), rows.end());
        if (real) {
            auto realRows = predictRows(p, *real, allReal, c.name());
            r.real.insert(r.real.end(), realRows.begin(), realRows.end());
        }
        if (log) {
            const Metrics m = summarize(rows).front().metrics;
            char buf[160];
            std::snprintf(buf, sizeof buf, "  %s: MAPE %.2f%%, ±15%% %.1f%% (%d epochs, %.1f s)", c.name().c_str(),
                          m.mape, m.acc15, p.report().epochs, p.report().seconds);
            log(buf);
        }
        r.predictors.push_back(std::move(p));
    }
    r.metrics = summarize(r.test);
    if (!r.real.empty())
        r.realMetrics = summarize(r.real, true);
    return r;
}

namespace {

std::string slug(const std::string &name)
{
    std::string s;
    for (char c : name) {
        if (std::isalnum(static_cast<unsigned char>(c)))
            s += char(std::tolower(static_cast<unsigned char>(c)));
        else if (!s.empty() && s.back() != '-')
            s += '-';
    }
    while (!s.empty() && s.back() == '-')
        s.pop_back();
    return s;
}

void writeFile(const std::filesystem::path &path, const std::string &text, std::vector<std::string> &files)
{
    std::ofstream out(path);
    out << text;
    if (!out)
        throw Error("cannot write the file", path.string());
    files.push_back(path.string());
}

} // namespace

std::vector<std::string> writeComparisonReport(const std::string &folder, const ComparisonResult &r,
                                               const std::vector<std::string> &datasets)
{
    namespace fs = std::filesystem;
    const fs::path dir(folder);
    std::error_code ec;
    fs::create_directories(dir / "figures", ec);
    if (ec)
        throw Error("cannot create the report folder: " + ec.message(), folder);
    std::vector<std::string> files;
    auto csv = [&](const char *name, auto write) {
        std::ostringstream s;
        write(s);
        writeFile(dir / name, s.str(), files);
    };
    csv("metrics.csv", [&](std::ostream &s) { writeMetricsCsv(s, r.metrics); });
    csv("predictions.csv", [&](std::ostream &s) { writePredictionsCsv(s, r.test); });
    if (!r.real.empty()) {
        csv("real-metrics.csv", [&](std::ostream &s) { writeMetricsCsv(s, r.realMetrics); });
        csv("real-predictions.csv", [&](std::ostream &s) { writePredictionsCsv(s, r.real); });
    }
    writeFile(dir / "figures" / "fig9-accuracy.svg",
              accuracyBarsSvg(r.metrics, "Prediction accuracy on held-out random networks"), files);
    for (const auto &p : r.predictors) {
        const std::string name = p.config().name();
        writeFile(dir / "figures" / ("fig10-" + slug(name) + ".svg"),
                  predictedVsMeasuredSvg(r.test, name, name + ", held-out random networks"), files);
    }
    if (!r.real.empty()) {
        const std::string ace = r.predictors.size() > 5 ? r.predictors[5].config().name() : r.predictors[0].config().name();
        writeFile(dir / "figures" / "fig10-real.svg", predictedVsMeasuredSvg(r.real, ace, ace + ", real networks"),
                  files);
    }

    std::ostringstream md;
    md << "# Latency predictor evaluation\n\n"
       << "Training data: datasets";
    for (const auto &d : datasets)
        md << " `" << d << "`";
    md << ", " << r.networks << " networks on " << r.platforms.size() << " platforms (";
    for (size_t i = 0; i < r.platforms.size(); ++i)
        md << (i ? ", " : "") << r.platforms[i];
    md << "). Seeded split: " << r.split.train.size() << " training, " << r.split.validation.size()
       << " validation, " << r.split.test.size() << " held-out networks.";
    if (!r.latencyNote.empty())
        md << " Latency of a measurement: " << r.latencyNote << ".";
    md << "\n\n"
       << "## Held-out random networks, all platforms (Fig. 9)\n\n"
       << metricsMarkdown(r.metrics, "all") << "\n![Fig. 9](figures/fig9-accuracy.svg)\n\n"
       << "## Per platform (Table VI style)\n\n" << metricsMarkdown(r.metrics, "platform") << "\n"
       << "## Per platform and latency quartile\n\n" << metricsMarkdown(r.metrics, "quartile") << "\n";
    if (!r.real.empty())
        md << "## Real networks, trained on random networks only (Table V style)\n\n"
           << metricsMarkdown(r.realMetrics, "all") << "\n" << metricsMarkdown(r.realMetrics, "platform") << "\n"
           << metricsMarkdown(r.realMetrics, "network") << "\n![Fig. 10, real networks](figures/fig10-real.svg)\n\n";
    md << "## Predicted vs measured (Fig. 10)\n\n";
    for (const auto &p : r.predictors)
        md << "![" << p.config().name() << "](figures/fig10-" << slug(p.config().name()) << ".svg)\n";
    md << "\n## Training\n\n| Predictor | samples | epochs | best epoch | seconds |\n|---|---:|---:|---:|---:|\n";
    for (const auto &p : r.predictors)
        md << "| " << p.config().name() << " | " << p.report().trainSamples << " | " << p.report().epochs << " | "
           << p.report().bestEpoch << " | " << p.report().seconds << " |\n";
    writeFile(dir / "report.md", md.str(), files);
    return files;
}

std::vector<FewShotRow> fewShotLeaveOneOut(const LatencyData &data, const std::vector<std::string> &targets,
                                           const FewShotOptions &o,
                                           const std::function<void(const std::string &)> &log)
{
    data.validate();
    const size_t networks = data.networkCount();
    for (const auto *pool : {&o.trainPool, &o.queryPool})
        for (int n : *pool)
            if (n < 0 || size_t(n) >= networks)
                throw Error("network row " + std::to_string(n) + " is outside the data (" + std::to_string(networks) +
                                " networks)",
                            "few-shot");
    if (o.queryTrim < 0 || o.queryTrim >= 0.5)
        throw Error("query trim must be in [0, 0.5), got " + std::to_string(o.queryTrim), "few-shot");
    std::vector<char> inQuery(networks, 0);
    for (int n : o.queryPool)
        inQuery[size_t(n)] = 1;
    // The training pool, shuffled by the seed, capped, 10% of it for validation.
    std::vector<int> pool = o.trainPool;
    if (pool.empty())
        for (size_t n = 0; n < networks; ++n)
            if (!inQuery[n])
                pool.push_back(int(n));
    {
        Xoshiro256 rng(o.splitSeed ^ 0xfe57);
        for (size_t i = pool.size(); i > 1; --i)
            std::swap(pool[i - 1], pool[rng.below(i)]);
    }
    if (o.trainNetworks > 0 && pool.size() > o.trainNetworks)
        pool.resize(o.trainNetworks);
    Split split;
    const size_t nValid = std::max<size_t>(1, pool.size() / 10);
    split.validation.assign(pool.begin(), pool.begin() + long(std::min(nValid, pool.size())));
    split.train.assign(pool.begin() + long(split.validation.size()), pool.end());
    std::sort(split.validation.begin(), split.validation.end());
    std::sort(split.train.begin(), split.train.end());

    std::vector<FewShotRow> out;
    for (const auto &target : targets) {
        const int t = data.platformIndex(target);
        if (t < 0)
            throw Error("no platform '" + target + "' in the data", "few-shot");
        // The training view: every platform but the target.
        LatencyData train;
        train.networks = data.networks;
        train.modelIds = data.modelIds;
        train.features = data.features;
        for (size_t p = 0; p < data.platformCount(); ++p)
            if (int(p) != t)
                train.platforms.push_back(data.platforms[p]);
        if (train.platforms.empty())
            throw Error("needs at least one other platform to train on", "few-shot");
        for (size_t n = 0; n < networks; ++n)
            for (size_t p = 0; p < data.platformCount(); ++p)
                if (int(p) != t)
                    train.latencyMs.push_back(data.latency(n, p));
        // The query networks: measured on the target, trimmed at both ends of its latency.
        std::vector<int> query;
        if (o.queryPool.empty()) {
            for (size_t n = 0; n < networks; ++n)
                query.push_back(int(n));
        } else {
            query = o.queryPool;
        }
        query.erase(std::remove_if(query.begin(), query.end(), [&](int n) { return !data.measured(size_t(n), size_t(t)); }),
                    query.end());
        if (o.queryTrim > 0) {
            std::stable_sort(query.begin(), query.end(), [&](int a, int b) {
                return data.latency(size_t(a), size_t(t)) < data.latency(size_t(b), size_t(t));
            });
            const auto cut = long(double(query.size()) * o.queryTrim);
            query = std::vector<int>(query.begin() + cut, query.end() - cut);
        }
        for (int k : o.ks) {
            PredictorConfig c = o.base;
            c.referenceCount = k;
            c.singularCount = std::min(c.singularCount, k);
            c.helpCount = std::min(c.helpCount, k);
            // Reference networks must be measured on the target too: drop the rest from training.
            Split s = split;
            s.train.erase(std::remove_if(s.train.begin(), s.train.end(),
                                         [&](int n) { return !data.measured(size_t(n), size_t(t)); }),
                          s.train.end());
            auto p = NetworkPredictor::train(train, s, c);
            std::vector<double> refs;
            std::vector<std::vector<double>> refFeatures;
            for (const auto &name : p.referenceNetworks()) {
                const auto n = size_t(std::find(data.networks.begin(), data.networks.end(), name) - data.networks.begin());
                refs.push_back(data.latency(n, size_t(t)));
                refFeatures.push_back(data.features[n]);
            }
            p.addPlatform(target, refs, refFeatures);
            std::vector<double> measured;
            std::vector<std::vector<double>> feats;
            for (int n : query) {
                if (std::find(p.referenceNetworks().begin(), p.referenceNetworks().end(), data.networks[size_t(n)]) !=
                    p.referenceNetworks().end())
                    continue;
                feats.push_back(data.features[size_t(n)]);
                measured.push_back(data.latency(size_t(n), size_t(t)));
            }
            if (feats.empty())
                throw Error("no query network is measured on '" + target + "'", "few-shot");
            const std::vector<double> predicted = p.predict(feats, target);
            FewShotRow row{target, k, computeMetrics(predicted, measured), {}};
            if (c.platform == PlatformInput::Hrm)
                row.prior = computeMetrics(p.predictPrior(feats, target), measured);
            if (log) {
                char buf[240];
                std::snprintf(buf, sizeof buf,
                              "few-shot %s k=%d: Spearman %.4f, ±10%% %.1f%%, MAPE %.2f%% (%zu networks); "
                              "HRM prior alone: Spearman %.4f; correction weight %.2f",
                              target.c_str(), k, row.metrics.spearman, row.metrics.acc10, row.metrics.mape,
                              row.metrics.n, row.prior.spearman, p.embedding(target).correctionWeight);
                log(buf);
            }
            out.push_back(row);
        }
    }
    return out;
}

void useHelpProtocol(const LatencyData &data, FewShotOptions &options)
{
    std::unordered_map<std::string, int> row;
    for (size_t n = 0; n < data.networkCount(); ++n)
        row.emplace(data.networks[n], int(n));
    auto rows = [&](int first, int last) {
        std::vector<int> out;
        for (int i = first; i < last; ++i) {
            const auto it = row.find("nb201-" + std::to_string(i));
            if (it == row.end())
                throw Error("HELP's protocol needs NAS-Bench-201 cell " + std::to_string(i) +
                                " (network 'nb201-" + std::to_string(i) + "'), which is not in the data",
                            "few-shot");
            out.push_back(it->second);
        }
        return out;
    };
    options.trainPool = rows(0, 900);
    options.queryPool = rows(900, 1900);
    options.queryTrim = 0.1;
}

void writeFewShotCsv(std::ostream &out, const std::vector<FewShotRow> &rows)
{
    out << "platform,k";
    for (const auto &n : metricNames())
        out << ',' << n;
    out << ",prior_spearman\n";
    for (const auto &r : rows) {
        out << r.platform << ',' << r.k;
        for (double v : metricValues(r.metrics))
            out << ',' << v;
        out << ',' << (r.prior.n ? r.prior.spearman : NAN) << '\n';
    }
}

std::string fewShotMarkdown(const std::vector<FewShotRow> &rows)
{
    std::ostringstream o;
    o << "| Unseen platform | k | n | Spearman ρ | ±10% | ±15% | MAPE % | HRM prior alone: ρ |\n"
         "|---|---:|---:|---:|---:|---:|---:|---:|\n";
    char buf[240], prior[16];
    for (const auto &r : rows) {
        std::snprintf(prior, sizeof prior, "%.4f", r.prior.spearman);
        std::snprintf(buf, sizeof buf, "| %s | %d | %zu | %.4f | %.1f | %.1f | %.2f | %s |\n", r.platform.c_str(), r.k,
                      r.metrics.n, r.metrics.spearman, r.metrics.acc10, r.metrics.acc15, r.metrics.mape,
                      r.prior.n ? prior : "—");
        o << buf;
    }
    return o.str();
}

} // namespace sniper::predict
