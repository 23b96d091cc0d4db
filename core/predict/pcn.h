#pragma once

// The performance characterization network of Ace-Sniper (Fig. 7, Eq. 12-14) in LibTorch,
// behind a torch-free interface: only pcn.cpp includes <torch/...>.
//
//   network branch:  x_n (F scaled features) -> one token per feature (x_i * a_i + c_i, E dims)
//                    -> scaled dot-product self-attention (Eq. 12) + residual -> flatten
//                    -> H parallel MLP heads, concatenated (Eq. 13) -> Linear -> 2*sigmoid-1
//                    = gate g in [-1, 1]^D
//   platform branch: x_d = [general part (G values), special part (S latencies)]; the special
//                    part is lifted by Linear(S -> P)+ReLU, concatenated with the general
//                    part, tokenized and self-attended like x_n -> Linear -> z in R^D
//   output (Eq. 14): prior + sum_j g_j z_j + b, where prior is HRM's general linear fit
//                    g_h(V_x) (Eq. 8) of the sample's platform (0 for HELP embeddings).

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace sniper::predict {

struct PcnOptions {
    int embed = 8;           // E: token width
    int heads = 2;           // H: MLP heads after the network attention
    int hidden = 64;         // width of each head's hidden layer
    int headOut = 32;        // width of each head's output
    int gate = 32;           // D: gate / platform projection width
    int platformHidden = 16; // P: the special part is lifted to this many values
    int epochs = 400;        // upper bound; early stopping usually ends sooner
    int batch = 128;
    double lr = 2e-3;        // Adam; halved after `patience / 3` epochs without improvement
    double weightDecay = 1e-6;
    int patience = 40;       // early stopping on the validation loss
    uint64_t seed = 1;
};

struct TrainingReport {
    size_t trainSamples = 0, validationSamples = 0;
    int epochs = 0, bestEpoch = 0;
    double bestValidationLoss = 0; // mean squared error of the normalized target
    double seconds = 0;
    std::vector<double> trainLoss, validationLoss; // per epoch
};

// Row-major float inputs: n rows of networkInputs / platformInputs values, plus one prior per row.
struct PcnBatch {
    size_t rows = 0;
    std::vector<float> network, platform, prior, target; // target empty when predicting
};

// One named parameter tensor (for ONNX export): shape and values in row-major order.
struct PcnParameter {
    std::string name;
    std::vector<int64_t> shape;
    std::vector<float> values;
};

class PcnModel {
public:
    PcnModel(int networkInputs, int generalInputs, int specialInputs, const PcnOptions &options);
    ~PcnModel();
    PcnModel(PcnModel &&) noexcept;
    PcnModel &operator=(PcnModel &&) noexcept;

    // Trains on one thread with Adam and MSE, keeps the weights of the best validation epoch.
    // `progress(epoch, trainLoss, validLoss)` returning false stops training early.
    TrainingReport fit(const PcnBatch &train, const PcnBatch &validation,
                       const std::function<bool(int, double, double)> &progress = {});
    std::vector<float> predict(const PcnBatch &batch) const; // on one thread

    std::vector<uint8_t> save() const; // LibTorch archive of the weights
    void load(const std::vector<uint8_t> &bytes); // throws sniper::Error on corrupt bytes
    std::vector<PcnParameter> parameters() const;
    // z of Eq. 14 for one platform vector (the platform branch does not depend on the network).
    std::vector<float> platformProjection(const std::vector<float> &platformVector) const;

    int networkInputs() const;
    int generalInputs() const;
    int specialInputs() const;
    const PcnOptions &options() const;

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace sniper::predict
