#include "predict/export.h"

#include "common/error.h"
#include "onnx/onnxexport.h"
#include "onnx/shapeinference.h"
#include "predict/predictor.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <map>

namespace sniper::predict {

namespace {

class Builder {
public:
    int input(const std::string &name, graph::Shape shape)
    {
        graph::Value v;
        v.name = name;
        v.shape = std::move(shape);
        const int id = g.addValue(std::move(v));
        g.inputs.push_back(id);
        return id;
    }

    int constant(const std::string &name, graph::Shape shape, const std::vector<float> &values)
    {
        graph::Value v;
        v.name = name;
        v.shape = std::move(shape);
        v.isConstant = true;
        v.isParameter = values.size() > 1;
        auto bytes = std::make_shared<graph::Bytes>(values.size() * sizeof(float));
        std::memcpy(bytes->data(), values.data(), bytes->size());
        v.data = bytes;
        return g.addValue(std::move(v));
    }

    int ints(const std::string &name, const std::vector<int64_t> &values)
    {
        graph::Value v;
        v.name = name;
        v.dtype = graph::DType::Int64;
        v.shape = {int64_t(values.size())};
        v.isConstant = true;
        auto bytes = std::make_shared<graph::Bytes>(values.size() * 8);
        std::memcpy(bytes->data(), values.data(), bytes->size());
        v.data = bytes;
        return g.addValue(std::move(v));
    }

    int node(const std::string &op, std::vector<int> inputs, std::vector<graph::Attribute> attrs = {},
             const std::string &name = {})
    {
        graph::Node n;
        n.opType = op;
        n.kind = graph::opKindFromName(op);
        n.name = name.empty() ? op + "_" + std::to_string(g.nodes.size()) : name;
        n.inputs = std::move(inputs);
        n.attributes = std::move(attrs);
        graph::Value out;
        out.name = n.name + "_out";
        n.outputs.push_back(g.addValue(std::move(out)));
        g.nodes.push_back(n);
        onnx::inferNodeShapes(g, g.nodes.back(), g.opset);
        return g.nodes.back().outputs[0];
    }

    // Gemm(x, W) + bias with W given row-major as [in, out]; stored as [out, in] with transB = 1,
    // the layout OpenCV dnn's fully connected layer expects.
    int gemm(int x, const std::string &name, int64_t in, int64_t out, const std::vector<float> &w,
             const std::vector<float> &bias)
    {
        std::vector<float> t(w.size());
        for (int64_t i = 0; i < in; ++i)
            for (int64_t o = 0; o < out; ++o)
                t[size_t(o * in + i)] = w[size_t(i * out + o)];
        const int wi = constant(name + ".weight", {out, in}, t);
        const int bi = constant(name + ".bias", {out}, bias);
        return node("Gemm", {x, wi, bi}, {attr("transB", 1)}, name);
    }

    static graph::Attribute attr(const std::string &name, int64_t i)
    {
        graph::Attribute a;
        a.name = name;
        a.kind = graph::Attribute::Kind::Int;
        a.i = i;
        return a;
    }

    graph::Graph g;
};

struct Params {
    std::map<std::string, PcnParameter> byName;
    const PcnParameter &at(const std::string &name) const
    {
        const auto it = byName.find(name);
        if (it == byName.end())
            throw Error("the PCN has no parameter '" + name + "'", "predictor export");
        return it->second;
    }
    float v(const std::string &name, size_t i) const { return at(name).values.at(i); }
};

// torch Linear weight [out, in] -> Gemm weight [in, out].
std::vector<float> transposed(const PcnParameter &p)
{
    const int64_t out = p.shape.at(0), in = p.shape.at(1);
    std::vector<float> w(size_t(in * out));
    for (int64_t o = 0; o < out; ++o)
        for (int64_t i = 0; i < in; ++i)
            w[size_t(i * out + o)] = p.values[size_t(o * in + i)];
    return w;
}

// The token attention of pcn.cpp for tokens t_i = x_i * a_i + c_i, expanded so that every
// product with a variable is elementwise (Mul) and everything else is a Gemm with constants.
int tokenAttention(Builder &b, const Params &P, const std::string &prefix, int x, int64_t batch, int64_t F, int64_t E)
{
    const auto &a = P.at(prefix + ".scale").values, &c = P.at(prefix + ".shift").values;
    auto affine = [&](const std::string &lin, std::vector<float> &slope, std::vector<float> &offset) {
        // (x_i a_i + c_i) W^T + b = x_i (a_i W^T) + (c_i W^T + b)
        const auto &W = P.at(prefix + "." + lin + ".weight").values, &bias = P.at(prefix + "." + lin + ".bias").values;
        slope.assign(size_t(F * E), 0.f);
        offset.assign(size_t(F * E), 0.f);
        for (int64_t i = 0; i < F; ++i)
            for (int64_t o = 0; o < E; ++o) {
                double s = 0, t = bias[size_t(o)];
                for (int64_t e = 0; e < E; ++e) {
                    s += double(a[size_t(i * E + e)]) * W[size_t(o * E + e)];
                    t += double(c[size_t(i * E + e)]) * W[size_t(o * E + e)];
                }
                slope[size_t(i * E + o)] = float(s);
                offset[size_t(i * E + o)] = float(t);
            }
    };
    std::vector<float> qa, qc, ka, kc, va, vc;
    affine("q", qa, qc);
    affine("k", ka, kc);
    affine("v", va, vc);
    const double scale = 1.0 / std::sqrt(double(E));
    auto dot = [&](const std::vector<float> &u, int64_t i, const std::vector<float> &w, int64_t j) {
        double s = 0;
        for (int64_t e = 0; e < E; ++e)
            s += double(u[size_t(i * E + e)]) * w[size_t(j * E + e)];
        return s * scale;
    };
    const int64_t FF = F * F;
    std::vector<float> r1a(size_t(F * FF), 0.f), r2(size_t(F * FF), 0.f), lin(size_t(F * FF), 0.f), d(static_cast<size_t>(FF), 0.f);
    for (int64_t i = 0; i < F; ++i)
        for (int64_t j = 0; j < F; ++j) {
            const int64_t col = i * F + j;
            r1a[size_t(i * FF + col)] = float(dot(qa, i, ka, j)); // x_i A_ij
            r2[size_t(j * FF + col)] = 1.f;                        // x_j
            lin[size_t(i * FF + col)] += float(dot(qa, i, kc, j)); // x_i B_ij
            lin[size_t(j * FF + col)] += float(dot(qc, i, ka, j)); // x_j C_ij
            d[size_t(col)] = float(dot(qc, i, kc, j));             // D_ij
        }
    const std::vector<float> zeroFF(size_t(FF), 0.f);
    const int u = b.gemm(x, prefix + ".xA", F, FF, r1a, zeroFF);
    const int xj = b.gemm(x, prefix + ".xj", F, FF, r2, zeroFF);
    const int l = b.gemm(x, prefix + ".lin", F, FF, lin, d);
    const int scores = b.node("Add", {b.node("Mul", {u, xj}), l});
    const int s3 = b.node("Reshape", {scores, b.ints(prefix + ".shape3", {batch, F, F})});
    const int probs3 = b.node("Softmax", {s3}, {Builder::attr("axis", 2)});
    const int probs = b.node("Reshape", {probs3, b.ints(prefix + ".shape2", {batch, FF})});
    const int weighted = b.node("Mul", {probs, xj}); // P_ij x_j
    std::vector<float> mv(size_t(FF * F * E), 0.f), mc(size_t(FF * F * E), 0.f), ra(size_t(F * F * E), 0.f);
    for (int64_t i = 0; i < F; ++i)
        for (int64_t j = 0; j < F; ++j)
            for (int64_t e = 0; e < E; ++e) {
                mv[size_t((i * F + j) * F * E + i * E + e)] = va[size_t(j * E + e)];
                mc[size_t((i * F + j) * F * E + i * E + e)] = vc[size_t(j * E + e)];
            }
    for (int64_t i = 0; i < F; ++i)
        for (int64_t e = 0; e < E; ++e)
            ra[size_t(i * F * E + i * E + e)] = a[size_t(i * E + e)];
    const std::vector<float> zeroFE(size_t(F * E), 0.f);
    const int attV = b.gemm(weighted, prefix + ".pv", FF, F * E, mv, zeroFE);
    const int attC = b.gemm(probs, prefix + ".pc", FF, F * E, mc, zeroFE);
    const int residual = b.gemm(x, prefix + ".tokens", F, F * E, ra, c); // t_i, flattened
    return b.node("Add", {b.node("Add", {attV, attC}), residual});
}

} // namespace

graph::Graph predictorGraph(const NetworkPredictor &p, int64_t batch)
{
    const PcnModel *pcn = p.pcn();
    if (!pcn)
        throw Error("only PCN predictors export to ONNX (gradient-boosted trees need ONNX-ML, which neither "
                    "our executor nor OpenCV dnn runs)",
                    "predictor export");
    if (batch < 1)
        throw Error("batch must be at least 1", "predictor export");
    const nlohmann::json card = p.card();
    const int64_t F = pcn->networkInputs(), E = pcn->options().embed, D = pcn->options().gate;
    const auto platforms = p.platforms();
    const int64_t K = int64_t(platforms.size());
    Params P;
    for (auto &q : pcn->parameters())
        P.byName[q.name] = q;

    // The ONNX input: the regressor's features, then HRM's general-fit features not among them.
    const bool hrm = p.config().platform == PlatformInput::Hrm;
    std::vector<std::string> inputs = p.featureNames();
    std::vector<int64_t> generalColumn;
    if (hrm)
        for (const auto &name : p.generalFeatureNames()) {
            auto it = std::find(inputs.begin(), inputs.end(), name);
            if (it == inputs.end())
                it = inputs.insert(inputs.end(), name);
            generalColumn.push_back(int64_t(it - inputs.begin()));
        }
    const int64_t FA = int64_t(inputs.size());

    Builder b;
    b.g.name = "sniper-latency-predictor";
    b.g.opset = 13;
    const int raw = b.input("features", {batch, FA});
    // x = (log(1 + v) - min) / (max - min) for the first F columns: Log, then one Gemm.
    std::vector<float> select(size_t(FA * F), 0.f), shift(static_cast<size_t>(F), 0.f);
    for (int64_t i = 0; i < F; ++i) {
        const auto &s = card.at("scaling").at(size_t(i));
        const double lo = s.at("min").get<double>(), hi = s.at("max").get<double>();
        if (lo < 0)
            throw Error(std::string("feature ") + s.at("feature").get<std::string>() +
                            " has negative training values; the exported log1p transform needs v >= 0",
                        "predictor export");
        const double span = hi - lo;
        select[size_t(i * F + i)] = float(span > 0 ? 1.0 / span : 0.0);
        shift[size_t(i)] = float(span > 0 ? -lo / span : 0.0);
    }
    const int one = b.constant("one", {1}, {1.f});
    const int logged = b.node("Log", {b.node("Add", {raw, one})});
    const int x = b.gemm(logged, "scale", FA, F, select, shift);

    // Network branch: attention, heads, gate.
    const int att = tokenAttention(b, P, "net_attention", x, batch, F, E);
    std::vector<int> heads;
    for (int h = 0; h < pcn->options().heads; ++h) {
        const std::string n = "heads." + std::to_string(h);
        const auto &w0 = P.at(n + ".0.weight"), &w2 = P.at(n + ".2.weight");
        int y = b.gemm(att, n + ".0", w0.shape[1], w0.shape[0], transposed(w0), P.at(n + ".0.bias").values);
        y = b.node("Relu", {y});
        y = b.gemm(y, n + ".2", w2.shape[1], w2.shape[0], transposed(w2), P.at(n + ".2.bias").values);
        heads.push_back(b.node("Relu", {y}));
    }
    const int cat = heads.size() == 1 ? heads[0] : b.node("Concat", heads, {Builder::attr("axis", 1)});
    const auto &gw = P.at("gate.weight");
    const int sig = b.node("Sigmoid", {b.gemm(cat, "gate", gw.shape[1], gw.shape[0], transposed(gw), P.at("gate.bias").values)});

    // Output per platform k (Eq. 14 with g = 2 sigmoid - 1, Eq. 11 undone):
    //   HELP: log ms = lo_k + span_k * (sum_j (2 s_j - 1) z_kj + b)
    //   HRM:  log ms = log(max(general fit_k, floor_k)) + span_k * w_k * (sum_j (2 s_j - 1) z_kj + b),
    //         w_k the platform's correction weight
    std::vector<float> zw(size_t(D * K)), bias(static_cast<size_t>(K), 0.f);
    std::vector<float> gwK(size_t(FA * K), 0.f), gb(static_cast<size_t>(K), 0.f), floors(static_cast<size_t>(K), 0.f);
    const double b0 = P.v("bias", 0);
    const auto &scale = p.generalScale();
    for (int64_t k = 0; k < K; ++k) {
        const auto &e = p.embedding(platforms[size_t(k)]);
        const double span = e.logMax - e.logMin;
        const auto z = pcn->platformProjection(p.platformVector(platforms[size_t(k)]));
        const double weight = hrm ? e.correctionWeight : 1.0; // the share of the correction kept
        double sumZ = 0;
        for (int64_t j = 0; j < D; ++j) {
            zw[size_t(j * K + k)] = float(2.0 * z[size_t(j)] * span * weight);
            sumZ += z[size_t(j)];
        }
        bias[size_t(k)] = float((hrm ? 0.0 : e.logMin) + span * weight * (b0 - sumZ));
        if (hrm) {
            const double floor = 0.2 * std::exp(e.logMin);
            for (size_t j = 0; j < generalColumn.size(); ++j)
                gwK[size_t(generalColumn[j] * K + k)] = float(e.general[j] / scale[j] * e.latencyScale);
            gb[size_t(k)] = float(e.general.back() * e.latencyScale - floor);
            floors[size_t(k)] = float(floor);
        }
    }
    int logMs = b.gemm(sig, "platforms.gate", D, K, zw, bias);
    if (hrm) {
        std::vector<float> identity(size_t(K * K), 0.f);
        for (int64_t k = 0; k < K; ++k)
            identity[size_t(k * K + k)] = 1.f;
        const int above = b.node("Relu", {b.gemm(raw, "platforms.general_fit", FA, K, gwK, gb)});
        const int floored = b.gemm(above, "platforms.floor", K, K, identity, floors);
        logMs = b.node("Add", {logMs, b.node("Log", {floored})});
    }
    const int out = b.node("Exp", {logMs}, {}, "latency_ms");
    b.g.values[size_t(out)].name = "latency_ms";
    b.g.outputs = {out};
    b.g.finalize();
    return b.g;
}

// The ONNX input order of predictorGraph(): regressor features, then extra general-fit features.
std::vector<std::string> exportedInputs(const NetworkPredictor &p)
{
    std::vector<std::string> inputs = p.featureNames();
    if (p.config().platform == PlatformInput::Hrm)
        for (const auto &name : p.generalFeatureNames())
            if (std::find(inputs.begin(), inputs.end(), name) == inputs.end())
                inputs.push_back(name);
    return inputs;
}

ExportedFiles exportPredictor(const NetworkPredictor &p, const std::string &outWithoutExtension, int64_t batch)
{
    const graph::Graph g = predictorGraph(p, batch);
    ExportedFiles files{outWithoutExtension + ".onnx", outWithoutExtension + ".json"};
    onnx::exportOnnxFile(g, files.onnx);
    nlohmann::json card = p.card();
    card.erase("reference_general"); // bulky; kept inside the predictor file
    card["onnx"] = {{"file", files.onnx.substr(files.onnx.find_last_of('/') + 1)},
                    {"input", {{"name", "features"}, {"shape", {batch, int64_t(exportedInputs(p).size())}},
                               {"order", exportedInputs(p)}, {"unit", "raw NNS feature values (features/features.h)"}}},
                    {"output", {{"name", "latency_ms"}, {"shape", {batch, int64_t(p.platforms().size())}},
                                {"order", p.platforms()}}}};
    std::ofstream out(files.card);
    out << card.dump(2) << '\n';
    if (!out)
        throw Error("cannot write the card", files.card);
    return files;
}

} // namespace sniper::predict
