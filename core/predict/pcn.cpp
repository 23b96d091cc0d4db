#include "predict/pcn.h"

#include "common/error.h"
#include "common/xoshiro.h"

#include "predict/torchutil.h"

#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <sstream>

namespace sniper::predict {

namespace {

// One token per input value: token_i = x_i * a_i + c_i (E dims), then scaled dot-product
// self-attention over the tokens (Eq. 12) with a residual connection; returns [N, T*E].
struct TokenAttentionImpl : torch::nn::Module {
    TokenAttentionImpl(int tokens, int embed) : embed(embed)
    {
        scale = register_parameter("scale", torch::randn({tokens, embed}) * 0.5);
        shift = register_parameter("shift", torch::randn({tokens, embed}) * 0.1);
        q = register_module("q", torch::nn::Linear(embed, embed));
        k = register_module("k", torch::nn::Linear(embed, embed));
        v = register_module("v", torch::nn::Linear(embed, embed));
    }

    torch::Tensor forward(const torch::Tensor &x)
    {
        const torch::Tensor t = x.unsqueeze(2) * scale + shift;                    // [N, T, E]
        const torch::Tensor scores = torch::matmul(q(t), k(t).transpose(1, 2)) / std::sqrt(double(embed));
        const torch::Tensor attended = torch::matmul(torch::softmax(scores, -1), v(t)); // [N, T, E]
        return (attended + t).flatten(1);
    }

    // Inference only, the same function: token t_i = x_i a_i + c_i is affine in the scalar x_i, so
    // q, k and v are too (q_i = x_i alpha_i + beta_i, ...), and the scores are
    // x_i (x_j A_ij + B_ij) + (x_j C_ij + D_ij) with constant [T, T] matrices (three fused passes
    // instead of three tiny-width Linear GEMMs and a batched [T, E] x [E, T] product per row);
    // softmax(S) v_j = (P x_j) eps_j + P zeta_j is one GEMM of [N*T, 2T] by [2T, E].
    struct Folded {
        torch::Tensor a, b, c, d; // [T, T], scaled by 1/sqrt(E)
        torch::Tensor value;      // [2T, E]: rows eps_j then zeta_j, as one GEMM operand per token j
        torch::Tensor scale, shift;
    };
    Folded fold() const
    {
        const auto affine = [this](const torch::nn::Linear &l, torch::Tensor &slope, torch::Tensor &offset) {
            slope = torch::matmul(scale, l->weight.t());                     // [T, E]
            offset = torch::matmul(shift, l->weight.t()) + l->bias;         // [T, E]
        };
        torch::Tensor alpha, beta, gamma, delta, eps, zeta;
        affine(q, alpha, beta);
        affine(k, gamma, delta);
        affine(v, eps, zeta);
        const double s = 1.0 / std::sqrt(double(embed));
        Folded f;
        f.a = torch::matmul(alpha, gamma.t()) * s;
        f.b = torch::matmul(alpha, delta.t()) * s;
        f.c = torch::matmul(beta, gamma.t()) * s;
        f.d = torch::matmul(beta, delta.t()) * s;
        f.value = torch::cat({eps, zeta}, 0).contiguous(); // [2T, E]
        f.scale = scale.detach();
        f.shift = shift.detach();
        return f;
    }
    static torch::Tensor forwardFolded(const Folded &f, const torch::Tensor &x)
    {
        const int64_t n = x.size(0), tokens = x.size(1);
        const torch::Tensor xi = x.unsqueeze(2), xj = x.unsqueeze(1);              // [N, T, 1], [N, 1, T]
        const torch::Tensor scores = torch::addcmul(torch::addcmul(f.d, xj, f.c), xi, torch::addcmul(f.b, xj, f.a));
        const torch::Tensor p = torch::softmax(scores, -1);                         // [N, T, T]
        const torch::Tensor weighted = torch::cat({p * xj, p}, 2).reshape({n * tokens, 2 * tokens});
        const torch::Tensor attended = torch::matmul(weighted, f.value).view({n, tokens, -1});
        return torch::addcmul(attended + f.shift, xi, f.scale).flatten(1);
    }

    int embed;
    torch::Tensor scale, shift;
    torch::nn::Linear q{nullptr}, k{nullptr}, v{nullptr};
};
TORCH_MODULE(TokenAttention);

struct PcnNetImpl : torch::nn::Module {
    PcnNetImpl(int networkInputs, int generalInputs, int specialInputs, const PcnOptions &o)
        : general(generalInputs), special(specialInputs)
    {
        netAttention = register_module("net_attention", TokenAttention(networkInputs, o.embed));
        for (int h = 0; h < o.heads; ++h)
            heads->push_back(torch::nn::Sequential(torch::nn::Linear(networkInputs * o.embed, o.hidden),
                                                   torch::nn::ReLU(), torch::nn::Linear(o.hidden, o.headOut),
                                                   torch::nn::ReLU()));
        register_module("heads", heads);
        gate = register_module("gate", torch::nn::Linear(o.heads * o.headOut, o.gate));
        const int platformTokens = generalInputs + (specialInputs > 0 ? o.platformHidden : 0);
        if (specialInputs > 0)
            lift = register_module("lift", torch::nn::Linear(specialInputs, o.platformHidden));
        platformAttention = register_module("platform_attention", TokenAttention(platformTokens, o.embed));
        project = register_module("project", torch::nn::Linear(platformTokens * o.embed, o.gate));
        bias = register_parameter("bias", torch::zeros({1}));
    }

    torch::Tensor platformBranch(const torch::Tensor &xd)
    {
        torch::Tensor p = xd.narrow(1, 0, general);
        if (special > 0)
            p = torch::cat({p, torch::relu(lift(xd.narrow(1, general, special)))}, 1);
        return project(platformAttention(p));
    }

    // sharedPlatform: every row has the same platform vector, so the platform branch runs once.
    torch::Tensor forward(const torch::Tensor &xn, const torch::Tensor &xd, const torch::Tensor &prior,
                          bool sharedPlatform = false, const TokenAttentionImpl::Folded *folded = nullptr)
    {
        const torch::Tensor a = folded ? TokenAttentionImpl::forwardFolded(*folded, xn) : netAttention(xn);
        std::vector<torch::Tensor> outs;
        for (const auto &head : *heads)
            outs.push_back(head->as<torch::nn::Sequential>()->forward(a));
        const torch::Tensor g = 2 * torch::sigmoid(gate(torch::cat(outs, 1))) - 1; // [-1, 1]
        const torch::Tensor z = sharedPlatform ? platformBranch(xd.narrow(0, 0, 1)) : platformBranch(xd);
        return prior + (g * z).sum(1) + bias;
    }

    int general, special;
    TokenAttention netAttention{nullptr}, platformAttention{nullptr};
    torch::nn::ModuleList heads;
    torch::nn::Linear gate{nullptr}, lift{nullptr}, project{nullptr};
    torch::Tensor bias;
};
TORCH_MODULE(PcnNet);

torch::Tensor tensorOf(const std::vector<float> &v, size_t rows, const char *what)
{
    if (rows == 0 || v.size() % rows != 0)
        throw Error(std::to_string(v.size()) + " values for " + std::to_string(rows) + " rows", what);
    const int64_t cols = int64_t(v.size() / rows);
    return torch::from_blob(const_cast<float *>(v.data()), {int64_t(rows), cols}, torch::kFloat32);
}

} // namespace

struct PcnModel::Impl {
    int networkInputs, generalInputs, specialInputs;
    PcnOptions options;
    PcnNet net{nullptr};

    void check(const PcnBatch &b, const char *what) const
    {
        if (b.rows == 0)
            throw Error("no samples", what);
        if (b.network.size() != b.rows * size_t(networkInputs))
            throw Error(std::to_string(b.network.size() / std::max<size_t>(b.rows, 1)) + " network inputs per row, the model takes " +
                            std::to_string(networkInputs),
                        what);
        if (b.platform.size() != b.rows * size_t(generalInputs + specialInputs))
            throw Error("platform vector length does not match the model", what);
        if (b.prior.size() != b.rows)
            throw Error("one prior per row expected", what);
    }

    torch::Tensor forward(const PcnBatch &b, int64_t begin, int64_t count, bool sharedPlatform = false,
                          const TokenAttentionImpl::Folded *folded = nullptr)
    {
        const auto xn = tensorOf(b.network, b.rows, "network inputs").narrow(0, begin, count);
        const auto xd = tensorOf(b.platform, b.rows, "platform inputs").narrow(0, begin, count);
        const auto pr = torch::from_blob(const_cast<float *>(b.prior.data()), {int64_t(b.rows)}, torch::kFloat32)
                            .narrow(0, begin, count);
        return net->forward(xn, xd, pr, sharedPlatform, folded);
    }

    double loss(const PcnBatch &b)
    {
        torch::NoGradGuard noGrad;
        const auto y = torch::from_blob(const_cast<float *>(b.target.data()), {int64_t(b.rows)}, torch::kFloat32);
        return torch::mse_loss(forward(b, 0, int64_t(b.rows)), y).item<double>();
    }
};

PcnModel::PcnModel(int networkInputs, int generalInputs, int specialInputs, const PcnOptions &options)
    : d(std::make_unique<Impl>())
{
    if (networkInputs < 1 || generalInputs < 0 || specialInputs < 0 || generalInputs + specialInputs < 1)
        throw Error("needs at least one network input and one platform input", "PCN");
    if (options.embed < 1 || options.heads < 1 || options.hidden < 1 || options.headOut < 1 || options.gate < 1 ||
        options.platformHidden < 1 || options.batch < 1 || options.epochs < 1 || !(options.lr > 0))
        throw Error("layer sizes, batch, epochs and learning rate must be positive", "PCN options");
    d->networkInputs = networkInputs;
    d->generalInputs = generalInputs;
    d->specialInputs = specialInputs;
    d->options = options;
    torchutil::OneThread one;
    torch::manual_seed(options.seed);
    d->net = PcnNet(networkInputs, generalInputs, specialInputs, options);
}

PcnModel::~PcnModel() = default;
PcnModel::PcnModel(PcnModel &&) noexcept = default;
PcnModel &PcnModel::operator=(PcnModel &&) noexcept = default;

TrainingReport PcnModel::fit(const PcnBatch &train, const PcnBatch &validation,
                             const std::function<bool(int, double, double)> &progress)
{
    d->check(train, "PCN training data");
    d->check(validation, "PCN validation data");
    if (train.target.size() != train.rows || validation.target.size() != validation.rows)
        throw Error("one target per row expected", "PCN training data");
    torchutil::OneThread one;
    torch::manual_seed(d->options.seed);
    const auto start = std::chrono::steady_clock::now();
    const PcnOptions &o = d->options;
    torch::optim::Adam adam(d->net->parameters(), torch::optim::AdamOptions(o.lr).weight_decay(o.weightDecay));
    const auto y = torch::from_blob(const_cast<float *>(train.target.data()), {int64_t(train.rows)}, torch::kFloat32);

    TrainingReport report;
    report.trainSamples = train.rows;
    report.validationSamples = validation.rows;
    report.bestValidationLoss = std::numeric_limits<double>::infinity();
    std::vector<torch::Tensor> best;
    Xoshiro256 rng(o.seed ^ 0x5eed);
    std::vector<int64_t> order(train.rows);
    for (size_t i = 0; i < order.size(); ++i)
        order[i] = int64_t(i);
    double lr = o.lr;
    int sinceBest = 0, sinceDecay = 0;
    for (int epoch = 1; epoch <= o.epochs; ++epoch) {
        for (size_t i = order.size(); i > 1; --i)
            std::swap(order[i - 1], order[rng.below(i)]);
        const auto perm = torch::from_blob(order.data(), {int64_t(order.size())}, torch::kInt64);
        d->net->train();
        double sum = 0;
        for (int64_t b = 0; b < int64_t(train.rows); b += o.batch) {
            const int64_t count = std::min<int64_t>(o.batch, int64_t(train.rows) - b);
            const auto idx = perm.narrow(0, b, count);
            const auto xn = tensorOf(train.network, train.rows, "network inputs").index_select(0, idx);
            const auto xd = tensorOf(train.platform, train.rows, "platform inputs").index_select(0, idx);
            const auto pr = torch::from_blob(const_cast<float *>(train.prior.data()), {int64_t(train.rows)},
                                             torch::kFloat32)
                                .index_select(0, idx);
            adam.zero_grad();
            const auto loss = torch::mse_loss(d->net->forward(xn, xd, pr), y.index_select(0, idx));
            loss.backward();
            adam.step();
            sum += loss.item<double>() * double(count);
        }
        d->net->eval();
        const double trainLoss = sum / double(train.rows);
        const double validLoss = d->loss(validation);
        report.trainLoss.push_back(trainLoss);
        report.validationLoss.push_back(validLoss);
        report.epochs = epoch;
        if (validLoss < report.bestValidationLoss) {
            report.bestValidationLoss = validLoss;
            report.bestEpoch = epoch;
            best = torchutil::snapshot(*d->net);
            sinceBest = sinceDecay = 0;
        } else {
            ++sinceBest;
            if (++sinceDecay >= std::max(1, o.patience / 3)) { // plateau: halve the learning rate
                lr *= 0.5;
                for (auto &group : adam.param_groups())
                    static_cast<torch::optim::AdamOptions &>(group.options()).lr(lr);
                sinceDecay = 0;
            }
        }
        if (progress && !progress(epoch, trainLoss, validLoss))
            break;
        if (sinceBest >= o.patience)
            break;
    }
    torchutil::restore(*d->net, best);
    report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return report;
}

std::vector<float> PcnModel::predict(const PcnBatch &batch) const
{
    d->check(batch, "PCN inputs");
    torchutil::OneThread one;
    torch::NoGradGuard noGrad;
    d->net->eval();
    std::vector<float> out(batch.rows);
    const size_t width = size_t(d->generalInputs + d->specialInputs);
    bool shared = true;
    for (size_t r = 1; r < batch.rows && shared; ++r)
        shared = std::equal(batch.platform.begin(), batch.platform.begin() + long(width),
                            batch.platform.begin() + long(r * width));
    const auto folded = d->net->netAttention->fold();
    constexpr int64_t kChunk = 512; // [chunk, T, T] scores stay in L2
    for (int64_t b = 0; b < int64_t(batch.rows); b += kChunk) {
        const int64_t count = std::min<int64_t>(kChunk, int64_t(batch.rows) - b);
        const auto y = d->forward(batch, b, count, shared, &folded).contiguous();
        std::copy(y.data_ptr<float>(), y.data_ptr<float>() + count, out.begin() + b);
    }
    return out;
}

std::vector<uint8_t> PcnModel::save() const
{
    return torchutil::saveWeights(*d->net);
}

void PcnModel::load(const std::vector<uint8_t> &bytes)
{
    torchutil::loadWeights(*d->net, bytes, "PCN weights");
}

std::vector<PcnParameter> PcnModel::parameters() const
{
    std::vector<PcnParameter> out;
    for (const auto &item : d->net->named_parameters()) {
        const auto t = item.value().detach().contiguous();
        PcnParameter p;
        p.name = item.key();
        p.shape.assign(t.sizes().begin(), t.sizes().end());
        p.values.assign(t.data_ptr<float>(), t.data_ptr<float>() + t.numel());
        out.push_back(std::move(p));
    }
    return out;
}

std::vector<float> PcnModel::platformProjection(const std::vector<float> &platformVector) const
{
    if (platformVector.size() != size_t(d->generalInputs + d->specialInputs))
        throw Error("platform vector length does not match the model", "PCN platform branch");
    torchutil::OneThread one;
    torch::NoGradGuard noGrad;
    d->net->eval();
    const auto z = d->net->platformBranch(tensorOf(platformVector, 1, "platform inputs")).contiguous();
    return {z.data_ptr<float>(), z.data_ptr<float>() + z.numel()};
}

int PcnModel::networkInputs() const { return d->networkInputs; }
int PcnModel::generalInputs() const { return d->generalInputs; }
int PcnModel::specialInputs() const { return d->specialInputs; }
const PcnOptions &PcnModel::options() const { return d->options; }

} // namespace sniper::predict
