#pragma once

// Internal to core/generator: the realistic style (docs/generator.md, issue "Predictions that
// hold on real networks"): one network of one block family, built like torchvision builds it
// (stem, stages that downsample with growing widths, head), widths scaled to a MACs target.

#include "generator/generator.h"

#include <cstdint>

namespace sniper::generator {

// One realistic network from one seed, within [spec.minMacs, spec.maxMacs]. Throws
// sniper::Error naming max_macs/min_macs if no network of the drawn family fits after 32 tries.
GeneratedNetwork generateRealistic(const GeneratorSpec &spec, uint64_t seed);

} // namespace sniper::generator
