#include "predict/medn.h"

#include "common/error.h"
#include "common/xoshiro.h"

#include "predict/torchutil.h"

#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <limits>
#include <sstream>

namespace sniper::predict {

namespace {

torch::nn::Sequential mlp(int in, const std::vector<int> &dims, bool reluAfterLast)
{
    torch::nn::Sequential s;
    int width = in;
    for (size_t i = 0; i < dims.size(); ++i) {
        s->push_back(torch::nn::Linear(width, dims[i]));
        if (i + 1 < dims.size() || reluAfterLast)
            s->push_back(torch::nn::ReLU());
        width = dims[i];
    }
    return s;
}

struct DeepNetImpl : torch::nn::Module {
    DeepNetImpl(int inputs, const DeepRegressorOptions &o)
    {
        const int latent = o.hidden.back();
        std::vector<int> predDims;
        if (o.encoderDecoder) // halving from the latent, two steps, never narrower than 4 (a 2-wide ReLU layer dies easily)
            for (int w = latent / 2; w >= 4 && predDims.size() < 2; w /= 2)
                predDims.push_back(w);
        predDims.push_back(1);
        encoder = register_module("encoder", mlp(inputs, o.hidden, true));
        predictor = register_module("predictor", mlp(latent, predDims, false));
        if (o.reconstructionWeight > 0) {
            std::vector<int> back(o.hidden.rbegin() + 1, o.hidden.rend());
            back.push_back(inputs);
            reconstructor = register_module("reconstructor", mlp(latent, back, false));
        }
    }

    std::pair<torch::Tensor, torch::Tensor> forward(const torch::Tensor &x, bool reconstruct)
    {
        const torch::Tensor z = encoder->forward(x);
        torch::Tensor xHat;
        if (reconstruct && !reconstructor.is_empty())
            xHat = reconstructor->forward(z);
        return {predictor->forward(z).squeeze(1), xHat};
    }

    torch::nn::Sequential encoder{nullptr}, predictor{nullptr}, reconstructor{nullptr};
};
TORCH_MODULE(DeepNet);

torch::Tensor rowsOf(const std::vector<float> &v, int cols, const char *what)
{
    if (cols < 1 || v.empty() || v.size() % size_t(cols) != 0)
        throw Error(std::to_string(v.size()) + " values are not rows of " + std::to_string(cols) + " inputs", what);
    return torch::from_blob(const_cast<float *>(v.data()), {int64_t(v.size() / size_t(cols)), cols}, torch::kFloat32);
}

torch::Tensor vectorOf(const std::vector<float> &v)
{
    return torch::from_blob(const_cast<float *>(v.data()), {int64_t(v.size())}, torch::kFloat32);
}

} // namespace

struct DeepRegressorModel::Impl {
    int inputs = 0;
    DeepRegressorOptions options;
    DeepNet net{nullptr};

    torch::Tensor loss(const torch::Tensor &x, const torch::Tensor &y)
    {
        auto [yHat, xHat] = net->forward(x, true);
        torch::Tensor l = torch::smooth_l1_loss(yHat, y);
        if (xHat.defined())
            l = l + options.reconstructionWeight * torch::smooth_l1_loss(xHat, x);
        return l;
    }
};

DeepRegressorModel::DeepRegressorModel(int inputs, const DeepRegressorOptions &options) : d(std::make_unique<Impl>())
{
    if (inputs < 1)
        throw Error("needs at least one input", "deep regressor");
    if (options.hidden.empty() || std::any_of(options.hidden.begin(), options.hidden.end(), [](int w) { return w < 1; }))
        throw Error("hidden layer widths must be positive and at least one layer given", "deep regressor options");
    if (options.epochs < 1 || options.batch < 1 || !(options.lr > 0) || options.patience < 0 ||
        !(options.reconstructionWeight >= 0))
        throw Error("epochs, batch and learning rate must be positive, patience and reconstruction weight not negative",
                    "deep regressor options");
    d->inputs = inputs;
    d->options = options;
    torchutil::OneThread one;
    torch::manual_seed(options.seed);
    d->net = DeepNet(inputs, options);
}

DeepRegressorModel::~DeepRegressorModel() = default;
DeepRegressorModel::DeepRegressorModel(DeepRegressorModel &&) noexcept = default;
DeepRegressorModel &DeepRegressorModel::operator=(DeepRegressorModel &&) noexcept = default;

TrainingReport DeepRegressorModel::fit(const std::vector<float> &x, const std::vector<float> &y,
                                       const std::vector<float> &validX, const std::vector<float> &validY,
                                       const std::function<bool(int, double, double)> &progress)
{
    const auto tx = rowsOf(x, d->inputs, "training inputs");
    const auto vx = rowsOf(validX, d->inputs, "validation inputs");
    if (size_t(tx.size(0)) != y.size() || size_t(vx.size(0)) != validY.size())
        throw Error("one target per row expected", "deep regressor training data");
    const auto ty = vectorOf(y), vy = vectorOf(validY);
    torchutil::OneThread one;
    torch::manual_seed(d->options.seed);
    const auto start = std::chrono::steady_clock::now();
    const DeepRegressorOptions &o = d->options;
    torch::optim::Adam adam(d->net->parameters(), torch::optim::AdamOptions(o.lr));

    TrainingReport report;
    report.trainSamples = y.size();
    report.validationSamples = validY.size();
    report.bestValidationLoss = std::numeric_limits<double>::infinity();
    std::vector<torch::Tensor> best;
    Xoshiro256 rng(o.seed ^ 0x3ed11ull);
    std::vector<int64_t> order(y.size());
    for (size_t i = 0; i < order.size(); ++i)
        order[i] = int64_t(i);
    const int64_t rows = int64_t(y.size());
    int sinceBest = 0;
    for (int epoch = 1; epoch <= o.epochs; ++epoch) {
        for (size_t i = order.size(); i > 1; --i)
            std::swap(order[i - 1], order[rng.below(i)]);
        const auto perm = torch::from_blob(order.data(), {rows}, torch::kInt64);
        d->net->train();
        double sum = 0;
        for (int64_t b = 0; b < rows; b += o.batch) {
            const int64_t count = std::min<int64_t>(o.batch, rows - b);
            const auto idx = perm.narrow(0, b, count);
            adam.zero_grad();
            const auto l = d->loss(tx.index_select(0, idx), ty.index_select(0, idx));
            l.backward();
            adam.step();
            sum += l.item<double>() * double(count);
        }
        d->net->eval();
        double validLoss;
        {
            torch::NoGradGuard noGrad;
            validLoss = torch::smooth_l1_loss(d->net->forward(vx, false).first, vy).item<double>();
        }
        const double trainLoss = sum / double(rows);
        report.trainLoss.push_back(trainLoss);
        report.validationLoss.push_back(validLoss);
        report.epochs = epoch;
        if (validLoss < report.bestValidationLoss) {
            report.bestValidationLoss = validLoss;
            report.bestEpoch = epoch;
            best = torchutil::snapshot(*d->net);
            sinceBest = 0;
        } else {
            ++sinceBest;
        }
        if (progress && !progress(epoch, trainLoss, validLoss))
            break;
        if (o.patience > 0 && sinceBest >= o.patience)
            break;
    }
    torchutil::restore(*d->net, best);
    report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return report;
}

std::vector<float> DeepRegressorModel::predict(const std::vector<float> &x) const
{
    const auto tx = rowsOf(x, d->inputs, "inputs");
    torchutil::OneThread one;
    torch::NoGradGuard noGrad;
    d->net->eval();
    const auto y = d->net->forward(tx, false).first.contiguous();
    return {y.data_ptr<float>(), y.data_ptr<float>() + y.numel()};
}

std::vector<uint8_t> DeepRegressorModel::save() const
{
    return torchutil::saveWeights(*d->net);
}

void DeepRegressorModel::load(const std::vector<uint8_t> &bytes)
{
    torchutil::loadWeights(*d->net, bytes, "deep regressor weights");
}

size_t DeepRegressorModel::parameterCount() const
{
    size_t n = 0;
    for (const auto &p : d->net->parameters())
        n += size_t(p.numel());
    return n;
}

int DeepRegressorModel::inputs() const { return d->inputs; }

} // namespace sniper::predict
