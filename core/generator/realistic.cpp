#include "generator/realistic.h"

#include "common/error.h"
#include "generator/emitter.h"
#include "generator/rng.h"

#include <algorithm>
#include <cmath>

namespace sniper::generator {

namespace {

// Whole-network draws (family, input, MACs target, architecture) before giving up, and width
// fits per draw: the widths are rescaled until the MACs land within kTolerance of the target.
constexpr int kAttempts = 32;
constexpr int kFits = 4;
constexpr double kTolerance = 1.25;

using A = Activation;

// Builds one network of one family. Every architectural draw comes from `rng`, which the
// driver re-seeds identically for each width fit, so only the widths change between fits.
class RealisticBuilder {
public:
    RealisticBuilder(const GeneratorSpec &s, Emitter &e, Rng &rng, NetworkParams &p, double scale)
        : m_s(s), m_e(e), m_rng(rng), m_p(p), m_scale(scale)
    {
    }

    int build(const std::string &family, int x)
    {
        if (family == "plain") return plain(x);
        if (family == "basic") return basic(x);
        if (family == "bottleneck") return bottleneck(x);
        if (family == "mbconv") return mbconv(x);
        if (family == "dense") return dense(x);
        if (family == "inception") return inception(x);
        if (family == "fire") return fire(x);
        if (family == "shuffle") return shuffle(x);
        if (family == "convnext") return convnext(x);
        return vit(x);
    }

private:
    // A base width of the family scaled, rounded to a multiple of `multiple`, within [multiple, max_channels].
    int64_t width(double base, int64_t multiple = 8) const
    {
        const int64_t top = std::max(multiple, m_s.maxChannels / multiple * multiple);
        const int64_t w = int64_t(std::llround(base * m_scale / double(multiple))) * multiple;
        return std::clamp(w, multiple, top);
    }
    int64_t clampWidth(int64_t w) const { return std::clamp<int64_t>(w, 8, m_s.maxChannels); }
    int64_t batch() const { return m_s.batch; }
    int64_t plane(int x) const { return m_e.shape(x)[2]; }

    int convBn(int x, int64_t c, int64_t k, int64_t stride, int64_t group = 1)
    {
        return m_e.batchNorm(m_e.conv(x, c, k, stride, 1, group, false));
    }
    int convBnAct(int x, int64_t c, int64_t k, int64_t stride, A a, int64_t group = 1)
    {
        return m_e.activation(convBn(x, c, k, stride, group), a);
    }
    int maxPool(int x, int64_t k, int64_t stride, int64_t pad) { return m_e.pool(x, true, k, stride, pad); }
    int classifier(int x) { return m_e.gemm(m_e.flatten(m_e.globalAveragePool(x)), m_p.classes); }
    // Squeeze-and-excitation (MobileNetV3, EfficientNet, RegNetY): GAP, 1x1 down, 1x1 up, gate, scale.
    int squeezeExcite(int x, int64_t squeeze, A inner, A gate)
    {
        int s = m_e.activation(m_e.conv(m_e.globalAveragePool(x), squeeze, 1), inner);
        s = m_e.activation(m_e.conv(s, m_e.channels(x), 1), gate);
        return m_e.mul(x, s);
    }
    // ResNet's shortcut: identity, or 1x1 conv (stride) + BN when the shape changes.
    int shortcut(int x, int64_t c, int64_t stride)
    {
        return stride == 1 && m_e.channels(x) == c ? x : convBn(x, c, 1, stride);
    }
    void stage(int depth, int64_t w)
    {
        m_p.stageDepths.push_back(depth);
        m_p.stageWidths.push_back(w);
    }
    int logRange(int lo, int hi) // integer log-uniform in [lo, hi]: deep stages are rarer
    {
        const double v = std::exp(std::log(double(lo)) + m_rng.uniform() * std::log(double(hi + 1) / lo));
        return std::clamp(int(v), lo, hi);
    }

    // VGG (3x3 convs, max pools, a 4096-wide classifier) or AlexNet (11x11 stride-4 stem).
    int plain(int x)
    {
        const bool alex = m_rng.chance(0.3);
        m_p.variant = alex ? "alexnet" : "vgg";
        if (alex) {
            x = m_e.activation(m_e.convRect(x, width(64), 11, 11, 4, 2, 2), A::Relu);
            x = maxPool(x, 3, 2, 0);
            x = maxPool(m_e.activation(m_e.conv(x, width(192), 5), A::Relu), 3, 2, 0);
            for (double base : {384.0, 256.0, 256.0})
                x = m_e.activation(m_e.conv(x, width(base), 3), A::Relu);
            x = maxPool(x, 3, 2, 0);
            stage(5, width(256));
        } else {
            const bool bn = m_rng.chance(0.5);
            if (bn)
                m_p.variant = "vgg-bn";
            for (int i = 0; i < 5; ++i) {
                const int n = i < 2 ? m_rng.range(1, 2) : m_rng.range(1, 4);
                const int64_t c = width(double(64 << std::min(i, 3)));
                for (int j = 0; j < n; ++j) {
                    x = m_e.conv(x, c, 3, 1, 1, 1, !bn);
                    x = m_e.activation(bn ? m_e.batchNorm(x) : x, A::Relu);
                }
                x = maxPool(x, 2, 2, 0);
                stage(n, c);
            }
        }
        const int64_t features = m_e.channels(x) * plane(x) * plane(x);
        if (features > 51200) // larger than VGG's 7x7x512 at 320 pixels: average-pooled instead
            return classifier(x);
        const int64_t fc = std::clamp<int64_t>(int64_t(std::llround(4096 * std::min(m_scale, 1.0) / 256)) * 256, 256, 4096);
        x = m_e.flatten(x);
        x = m_e.activation(m_e.gemm(x, fc), A::Relu);
        x = m_e.activation(m_e.gemm(x, fc), A::Relu);
        return m_e.gemm(x, m_p.classes);
    }

    int resnetStem(int x)
    {
        x = convBnAct(x, width(64), 7, 2, A::Relu);
        return maxPool(x, 3, 2, 1);
    }

    // ResNet-18/34: two 3x3 convs per block.
    int basic(int x)
    {
        x = resnetStem(x);
        for (int i = 0; i < 4; ++i) {
            const int depth = m_rng.range(1, 6);
            const int64_t c = width(double(64 << i));
            for (int j = 0; j < depth; ++j) {
                const int64_t stride = i > 0 && j == 0 ? 2 : 1;
                int y = convBnAct(x, c, 3, stride, A::Relu);
                y = convBn(y, c, 3, 1);
                x = m_e.activation(m_e.add(y, shortcut(x, c, stride)), A::Relu);
            }
            stage(depth, c);
        }
        return classifier(x);
    }

    // ResNet-50/101/152 (expansion 4), ResNeXt (grouped 3x3), wide ResNet (2x inner width),
    // RegNetY (expansion 1, grouped, squeeze-excitation, 3x3 stem without pooling).
    int bottleneck(int x)
    {
        const double v = m_rng.uniform();
        const std::string variant = v < 0.45 ? "resnet" : v < 0.7 ? "resnext" : v < 0.8 ? "wide" : "regnet";
        m_p.variant = variant;
        const bool regnet = variant == "regnet";
        int64_t groups = variant == "resnext" ? (m_rng.chance(0.5) ? 32 : 64) : 1;
        const int64_t groupWidth = regnet ? m_rng.pick(std::vector<int64_t>{8, 16, 24, 32, 48, 64}) : 0;
        const int depths[4] = {m_rng.range(1, 4), logRange(1, 24), logRange(1, 48), m_rng.range(1, 4)};
        x = regnet ? convBnAct(x, width(32), 3, 2, A::Relu) : resnetStem(x);
        static constexpr double kRegnetWidths[4] = {48, 104, 208, 440};
        for (int i = 0; i < 4; ++i) {
            int64_t out = 0, mid = 0;
            if (regnet) {
                out = width(kRegnetWidths[i], groupWidth);
                mid = out;
                groups = out / groupWidth;
            } else {
                out = width(double(256 << i));
                const double inner = variant == "resnext" ? double(128 << i) : variant == "wide" ? double(128 << i)
                                                                                                : double(64 << i);
                mid = width(inner, groups > 1 ? groups : 8);
            }
            for (int j = 0; j < depths[i]; ++j) {
                const int64_t stride = (i > 0 || regnet) && j == 0 ? 2 : 1;
                int y = convBnAct(x, mid, 1, 1, A::Relu);
                y = convBnAct(y, mid, 3, stride, A::Relu, groups);
                if (regnet)
                    y = squeezeExcite(y, std::max<int64_t>(8, m_e.channels(x) / 4), A::Relu, A::Sigmoid);
                y = convBn(y, out, 1, 1);
                x = m_e.activation(m_e.add(y, shortcut(x, out, stride)), A::Relu);
            }
            stage(depths[i], out);
        }
        return classifier(x);
    }

    // Inverted residuals: MobileNetV2 (ReLU6), MobileNetV3 (hardswish, SE with hard-sigmoid gate),
    // EfficientNet (SiLU, SE everywhere), MNASNet (ReLU).
    int mbconv(int x)
    {
        static const char *kVariants[] = {"v2", "v3", "efficientnet", "mnasnet"};
        const int vi = m_rng.range(0, 3);
        m_p.variant = kVariants[vi];
        const A act = vi == 0 ? A::Relu6 : vi == 1 ? A::HardSwish : vi == 2 ? A::Silu : A::Relu;
        static constexpr double kWidths[7] = {16, 24, 40, 80, 112, 192, 320};
        static constexpr int kStrides[7] = {1, 2, 2, 2, 1, 2, 1};
        static constexpr int kRepeats[7] = {1, 2, 2, 3, 3, 4, 1};
        const double depthMult = std::exp(std::log(0.6) + m_rng.uniform() * std::log(2.6 / 0.6));
        x = convBnAct(x, width(32), 3, 2, vi == 1 ? A::HardSwish : act);
        for (int i = 0; i < 7; ++i) {
            const int64_t k = m_rng.chance(0.5) ? 3 : 5;
            const int64_t expansion = i == 0 ? 1 : m_rng.pick(std::vector<int64_t>{3, 4, 6});
            const bool se = vi == 2 || (vi == 1 && m_rng.chance(0.5));
            const A stageAct = vi == 1 && i < 3 ? A::Relu : act;
            const int64_t out = width(kWidths[i]);
            const int repeats = std::max(1, int(std::ceil(kRepeats[i] * depthMult)));
            for (int j = 0; j < repeats; ++j) {
                const int64_t stride = j == 0 ? kStrides[i] : 1;
                const int64_t cin = m_e.channels(x);
                const int64_t hidden = clampWidth((cin * expansion + 4) / 8 * 8);
                int y = expansion == 1 ? x : convBnAct(x, hidden, 1, 1, stageAct);
                y = convBnAct(y, m_e.channels(y), k, stride, stageAct, m_e.channels(y));
                if (se)
                    y = vi == 2 ? squeezeExcite(y, std::max<int64_t>(8, cin / 4), A::Silu, A::Sigmoid)
                                : squeezeExcite(y, std::max<int64_t>(8, (hidden / 4 + 4) / 8 * 8), A::Relu, A::HardSigmoid);
                y = convBn(y, out, 1, 1);
                x = stride == 1 && cin == out ? m_e.add(y, x) : y;
            }
            stage(repeats, out);
        }
        x = convBnAct(x, width(vi == 1 ? 960 : 1280), 1, 1, act);
        if (vi != 1)
            return classifier(x);
        x = m_e.flatten(m_e.globalAveragePool(x));
        x = m_e.activation(m_e.gemm(x, width(1280)), A::HardSwish);
        return m_e.gemm(x, m_p.classes);
    }

    // DenseNet: BN-ReLU-1x1(4k)-BN-ReLU-3x3(k) layers, each reading the concat of all before it;
    // transitions halve the channels and average-pool. A block stops growing at max_channels.
    int dense(int x)
    {
        const int64_t growth = std::clamp<int64_t>(int64_t(std::llround(32 * m_scale / 4)) * 4, 8, 256);
        const int layers[4] = {m_rng.range(2, 6), m_rng.range(4, 12), logRange(6, 64), logRange(4, 48)};
        x = convBnAct(x, clampWidth(2 * growth), 7, 2, A::Relu);
        x = maxPool(x, 3, 2, 1);
        for (int i = 0; i < 4; ++i) {
            std::vector<int> feats{x};
            int64_t channels = m_e.channels(x);
            int n = 0;
            for (; n < layers[i] && channels + growth <= m_s.maxChannels; ++n) {
                const int in = feats.size() == 1 ? feats[0] : m_e.concat(feats);
                int y = m_e.activation(m_e.batchNorm(in), A::Relu);
                y = m_e.conv(y, clampWidth(4 * growth), 1, 1, 1, 1, false);
                y = m_e.activation(m_e.batchNorm(y), A::Relu);
                feats.push_back(m_e.conv(y, growth, 3, 1, 1, 1, false));
                channels += growth;
            }
            x = feats.size() == 1 ? feats[0] : m_e.concat(feats);
            stage(n, m_e.channels(x));
            if (i < 3) {
                x = m_e.activation(m_e.batchNorm(x), A::Relu);
                x = m_e.conv(x, std::max<int64_t>(8, m_e.channels(x) / 2), 1, 1, 1, 1, false);
                x = m_e.pool(x, false, 2, 2, 0);
            }
        }
        x = m_e.activation(m_e.batchNorm(x), A::Relu);
        return classifier(x);
    }

    // GoogLeNet's four-branch modules (1x1 | 1x1-3x3 | 1x1-3x3 or 5x5 | pool-1x1), with
    // Inception v3's factorized 1x7/7x1 branches in the middle stage, average-pool branches and
    // the expanded filter bank (branches forking into 1x3 and 3x1) in the last.
    int inception(int x)
    {
        const bool v3 = m_rng.chance(0.5);
        m_p.variant = v3 ? "v3" : "googlenet";
        const bool five = m_rng.chance(0.5);
        x = convBnAct(x, width(64), 7, 2, A::Relu);
        x = maxPool(x, 3, 2, 1);
        x = convBnAct(x, width(64), 1, 1, A::Relu);
        x = convBnAct(x, width(192), 3, 1, A::Relu);
        x = maxPool(x, 3, 2, 1);
        const int modules[3] = {m_rng.range(1, 3), m_rng.range(2, 6), m_rng.range(1, 3)};
        static constexpr double kWidths[3] = {256, 512, 832};
        for (int i = 0; i < 3; ++i) {
            const int64_t w = width(kWidths[i], 16);
            for (int j = 0; j < modules[i]; ++j) {
                const int b1 = convBnAct(x, w / 4, 1, 1, A::Relu);
                int b2 = convBnAct(x, std::max<int64_t>(8, w * 3 / 16 / 8 * 8), 1, 1, A::Relu);
                int b3 = convBnAct(x, std::max<int64_t>(8, w / 16 / 8 * 8), 1, 1, A::Relu);
                auto rect = [&](int v, int64_t c, int64_t kh, int64_t kw) {
                    return m_e.activation(m_e.batchNorm(m_e.convRect(v, c, kh, kw, 1, kh / 2, kw / 2, 1, false)), A::Relu);
                };
                const int b4 = convBnAct(m_e.pool(x, !v3, 3, 1, 1), w / 8, 1, 1, A::Relu);
                if (v3 && i == 2) { // expanded filter bank: two branches fork into 1x3 and 3x1 (6 in all)
                    b3 = convBnAct(b3, w / 8, 3, 1, A::Relu);
                    x = m_e.concat({b1, rect(b2, w / 4, 1, 3), rect(b2, w / 4, 3, 1), rect(b3, w / 16, 1, 3),
                                    rect(b3, w / 16, 3, 1), b4});
                    continue;
                }
                if (v3 && i == 1) { // factorized 7x7: 1x7 then 7x1
                    b2 = rect(rect(b2, w / 2, 1, 7), w / 2, 7, 1);
                    for (int r = 0; r < 2; ++r)
                        b3 = rect(rect(b3, w / 8, 7, 1), w / 8, 1, 7);
                } else {
                    b2 = convBnAct(b2, w / 2, 3, 1, A::Relu);
                    b3 = five ? convBnAct(b3, w / 8, 5, 1, A::Relu)
                              : convBnAct(convBnAct(b3, w / 8, 3, 1, A::Relu), w / 8, 3, 1, A::Relu);
                }
                x = m_e.concat({b1, b2, b3, b4});
            }
            stage(modules[i], m_e.channels(x));
            if (i < 2)
                x = maxPool(x, 3, 2, 1);
        }
        return classifier(x);
    }

    // SqueezeNet 1.1: fire modules (1x1 squeeze, 1x1 and 3x3 expand, concat), a conv classifier.
    int fire(int x)
    {
        x = maxPool(m_e.activation(m_e.conv(x, width(64), 3, 2), A::Relu), 3, 2, 0);
        const int modules[3] = {m_rng.range(1, 3), m_rng.range(1, 3), m_rng.range(2, 5)};
        for (int i = 0; i < 3; ++i) {
            const int64_t squeeze = width(16.0 * (i + 1));
            for (int j = 0; j < modules[i]; ++j) {
                const int s = m_e.activation(m_e.conv(x, squeeze, 1), A::Relu);
                const int64_t expand = std::min(clampWidth(4 * squeeze), std::max<int64_t>(8, m_s.maxChannels / 2 / 8 * 8));
                const int e1 = m_e.activation(m_e.conv(s, expand, 1), A::Relu);
                const int e3 = m_e.activation(m_e.conv(s, expand, 3), A::Relu);
                x = m_e.concat({e1, e3});
            }
            stage(modules[i], m_e.channels(x));
            if (i < 2)
                x = maxPool(x, 3, 2, 0);
        }
        x = m_e.activation(m_e.conv(x, m_p.classes, 1), A::Relu);
        return m_e.flatten(m_e.globalAveragePool(x));
    }

    // ShuffleNetV2: channel split (Slice), a 1x1-dw3x3-1x1 branch, concat, channel shuffle
    // (Reshape-Transpose-Reshape), as torchvision exports it.
    int channelShuffle(int x)
    {
        const graph::Shape s = m_e.shape(x);
        x = m_e.reshape(x, {s[0], 2, s[1] / 2, s[2], s[3]});
        x = m_e.transpose(x, {0, 2, 1, 3, 4});
        return m_e.reshape(x, {s[0], s[1], s[2], s[3]});
    }
    int shuffle(int x)
    {
        x = maxPool(convBnAct(x, width(24), 3, 2, A::Relu), 3, 2, 1);
        const int repeats[3] = {m_rng.range(2, 6), m_rng.range(4, 10), m_rng.range(2, 6)};
        static constexpr double kWidths[3] = {116, 232, 464};
        for (int i = 0; i < 3; ++i) {
            const int64_t c = width(kWidths[i], 16), half = c / 2;
            for (int j = 0; j < repeats[i]; ++j) {
                if (j == 0) {
                    const int64_t cin = m_e.channels(x);
                    int b1 = convBn(x, cin, 3, 2, cin);
                    b1 = convBnAct(b1, half, 1, 1, A::Relu);
                    int b2 = convBnAct(x, half, 1, 1, A::Relu);
                    b2 = convBn(b2, half, 3, 2, half);
                    b2 = convBnAct(b2, half, 1, 1, A::Relu);
                    x = channelShuffle(m_e.concat({b1, b2}));
                } else {
                    const int x1 = m_e.slice(x, 1, 0, half);
                    int b2 = m_e.slice(x, 1, half, c);
                    b2 = convBnAct(b2, half, 1, 1, A::Relu);
                    b2 = convBn(b2, half, 3, 1, half);
                    b2 = convBnAct(b2, half, 1, 1, A::Relu);
                    x = channelShuffle(m_e.concat({x1, b2}));
                }
            }
            stage(repeats[i], c);
        }
        x = convBnAct(x, width(1024), 1, 1, A::Relu);
        return m_e.gemm(m_e.reduceMean(x, {2, 3}, false), m_p.classes);
    }

    // ConvNeXt: patchify stem, blocks of dw7x7 - LayerNorm - Linear 4C - GELU - Linear C - layer
    // scale - residual (channels-last between two Transposes, as torchvision exports it).
    int channelsFirstNorm(int x)
    {
        return m_e.transpose(m_e.layerNorm(m_e.transpose(x, {0, 2, 3, 1})), {0, 3, 1, 2});
    }
    int convnext(int x)
    {
        const int depths[4] = {m_rng.range(1, 3), m_rng.range(1, 3), logRange(2, 27), m_rng.range(1, 3)};
        const int64_t d0 = width(96);
        x = channelsFirstNorm(m_e.convRect(x, d0, 4, 4, 4, 0, 0));
        for (int i = 0; i < 4; ++i) {
            const int64_t c = clampWidth(d0 << i);
            if (i > 0)
                x = m_e.convRect(channelsFirstNorm(x), c, 2, 2, 2, 0, 0);
            for (int j = 0; j < depths[i]; ++j) {
                int y = m_e.conv(x, c, 7, 1, 1, c);
                y = m_e.layerNorm(m_e.transpose(y, {0, 2, 3, 1}));
                y = m_e.activation(m_e.linear(y, clampWidth(4 * c)), A::Gelu);
                y = m_e.mul(m_e.linear(y, c), m_e.parameter({c}));
                x = m_e.add(x, m_e.transpose(y, {0, 3, 1, 2}));
            }
            stage(depths[i], c);
        }
        x = m_e.layerNorm(m_e.flatten(m_e.globalAveragePool(x)));
        return m_e.gemm(x, m_p.classes);
    }

    // Vision transformer: patch embedding, position embedding, pre-norm encoder blocks
    // (multi-head attention, MLP with GELU), mean-pooled tokens into the classifier.
    int vit(int x)
    {
        const int64_t patch = m_rng.chance(0.5) ? 16 : 32;
        const int64_t headDim = 64;
        const int64_t heads = std::clamp<int64_t>(std::llround(384 * m_scale / double(headDim)), 1,
                                                  std::max<int64_t>(1, m_s.maxChannels / headDim));
        const int64_t dim = heads * headDim;
        const int64_t mlp = clampWidth(dim * m_rng.range(2, 4));
        const int depth = m_rng.range(2, 24);
        m_p.variant = "patch" + std::to_string(patch);
        const int64_t n = batch(), grid = plane(x) / patch, tokens = grid * grid;
        x = m_e.convRect(x, dim, patch, patch, patch, 0, 0);
        x = m_e.transpose(m_e.reshape(x, {n, dim, tokens}), {0, 2, 1});
        x = m_e.add(x, m_e.parameter({1, tokens, dim}));
        const int scale = m_e.scalar(float(1.0 / std::sqrt(double(headDim))));
        for (int j = 0; j < depth; ++j) {
            const int y = m_e.layerNorm(x);
            auto split = [&](int v, std::vector<int64_t> perm) {
                return m_e.transpose(m_e.reshape(v, {n, tokens, heads, headDim}), std::move(perm));
            };
            const int q = split(m_e.linear(y, dim), {0, 2, 1, 3});
            const int k = split(m_e.linear(y, dim), {0, 2, 3, 1});
            const int v = split(m_e.linear(y, dim), {0, 2, 1, 3});
            const int attention = m_e.softmax(m_e.mul(m_e.matmul(q, k), scale));
            int o = m_e.transpose(m_e.matmul(attention, v), {0, 2, 1, 3});
            o = m_e.linear(m_e.reshape(o, {n, tokens, dim}), dim);
            x = m_e.add(x, o);
            int h = m_e.activation(m_e.linear(m_e.layerNorm(x), mlp), A::Gelu);
            x = m_e.add(x, m_e.linear(h, dim));
        }
        stage(depth, dim);
        x = m_e.reduceMean(m_e.layerNorm(x), {1}, false);
        return m_e.gemm(x, m_p.classes);
    }

    const GeneratorSpec &m_s;
    Emitter &m_e;
    Rng &m_rng;
    NetworkParams &m_p;
    double m_scale;
};

void buildOnce(const GeneratorSpec &s, GeneratedNetwork &net, const std::string &family, int64_t plane,
               int64_t channels, uint64_t archSeed, double scale, int64_t target)
{
    NetworkParams &p = net.params;
    p = NetworkParams{};
    p.family = family;
    p.inputPlane = plane;
    p.inputChannels = channels;
    p.widthScale = scale;
    p.targetMacs = target;
    p.classifier = true;
    net.graph = graph::Graph{};
    net.graph.name = net.name;
    Emitter e(net.graph);
    Rng arch(archSeed);
    p.classes = arch.pick(s.classes);
    int x = e.input({s.batch, channels, plane, plane});
    x = RealisticBuilder(s, e, arch, p, scale).build(family, x);
    const graph::Shape &out = e.shape(x);
    p.outputChannels = out.size() > 1 ? out[1] : 0;
    p.outputPlane = out.size() > 2 ? out[2] : 1;
    net.graph.values[size_t(x)].name = "output";
    net.graph.outputs.push_back(x);
    net.graph.finalize();
    net.macs = e.macs();
}

} // namespace

GeneratedNetwork generateRealistic(const GeneratorSpec &spec, uint64_t seed)
{
    validateSpec(spec);
    GeneratedNetwork net;
    net.seed = seed;
    net.name = networkName(seed);
    Rng rng(seed);
    const double lo = std::log(double(spec.minMacs)), hi = std::log(double(spec.maxMacs));
    for (int attempt = 0; attempt < kAttempts; ++attempt) {
        const std::string family = rng.pick(spec.families);
        const int64_t plane = rng.pick(spec.inputPlanes);
        const int64_t channels = rng.pick(spec.inputChannels);
        const int64_t target = int64_t(std::exp(lo + rng.uniform() * (hi - lo)));
        const uint64_t archSeed = rng.next();
        double scale = 1;
        for (int fit = 0; fit < kFits; ++fit) {
            buildOnce(spec, net, family, plane, channels, archSeed, scale, target);
            const double ratio = double(target) / double(std::max<int64_t>(net.macs, 1));
            if (ratio < kTolerance && ratio > 1 / kTolerance)
                break;
            // MACs grow about with the square of the widths (dense convs, linears).
            const double next = std::clamp(scale * std::sqrt(ratio), 1.0 / 16, 16.0);
            if (fit + 1 == kFits || next == scale)
                break;
            scale = next;
        }
        if (net.macs >= spec.minMacs && net.macs <= spec.maxMacs) {
            net.params.attempts = attempt + 1;
            return net;
        }
    }
    throw Error("no realistic network between min_macs " + std::to_string(spec.minMacs) + " and max_macs " +
                    std::to_string(spec.maxMacs) + " after " + std::to_string(kAttempts) + " tries (seed " + net.name +
                    "): widen the MACs range or the families",
                "max_macs");
}

} // namespace sniper::generator
