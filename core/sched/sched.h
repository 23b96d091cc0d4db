#pragma once

// Scheduling experiments (SPEC §10, Ace-Sniper §III-A): the public face of core/sched.
// A cluster of nodes, a latency table (model, platform) -> ms, a predictor, a seeded workload,
// policies behind one interface, a discrete-event simulator, metrics and sweeps.

#include "sched/experiment.h"
#include "sched/latency.h"
#include "sched/metrics.h"
#include "sched/policies.h"
#include "sched/simulator.h"
#include "sched/workload.h"
