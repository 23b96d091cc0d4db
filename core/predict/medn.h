#pragma once

// The deep regressors of the module-level framework in LibTorch, behind a torch-free interface
// (only medn.cpp includes <torch/...>):
//
//   MEDN (the paper's §2.3, Fig. 3): x -> encoder MLP (hidden dims, ReLU) -> latent z
//        prediction decoder: z -> two halvings of |z| (at least 4 wide, ReLU) -> y_hat
//        reconstruction decoder: z -> the encoder's dims reversed -> x_hat (symmetric)
//        loss = SmoothL1(y_hat, y) + w * SmoothL1(x_hat, x), w = reconstruction : prediction
//   MEDN-D: the same without the reconstruction decoder (w = 0).
//   MLP:    x -> hidden dims (ReLU) -> y_hat, SmoothL1.

#include "predict/pcn.h" // TrainingReport

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

namespace sniper::predict {

struct DeepRegressorOptions {
    std::vector<int> hidden{128, 64, 32}; // encoder (MEDN) or hidden layers (MLP)
    bool encoderDecoder = true;           // MEDN: halving prediction decoder after the encoder
    double reconstructionWeight = 0;      // > 0: add the reconstruction decoder (MEDN), 0: MEDN-D / MLP
    int epochs = 500;
    double lr = 0.005;                    // Adam
    int batch = 64;
    int patience = 60;                    // early stopping on the validation loss; 0 = off
    uint64_t seed = 1;
};

class DeepRegressorModel {
public:
    DeepRegressorModel(int inputs, const DeepRegressorOptions &options); // throws sniper::Error for bad sizes
    ~DeepRegressorModel();
    DeepRegressorModel(DeepRegressorModel &&) noexcept;
    DeepRegressorModel &operator=(DeepRegressorModel &&) noexcept;

    // Row-major x (rows x inputs) and y (rows); trains on one thread, keeps the best validation
    // epoch. `progress(epoch, trainLoss, validLoss)` returning false stops training.
    TrainingReport fit(const std::vector<float> &x, const std::vector<float> &y, const std::vector<float> &validX,
                       const std::vector<float> &validY,
                       const std::function<bool(int, double, double)> &progress = {});
    std::vector<float> predict(const std::vector<float> &x) const; // one thread, batched

    std::vector<uint8_t> save() const;
    void load(const std::vector<uint8_t> &bytes); // throws sniper::Error on corrupt bytes
    size_t parameterCount() const;                // every stored weight, decoders included
    int inputs() const;

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace sniper::predict
