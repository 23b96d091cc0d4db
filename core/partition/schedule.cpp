// Two-machine flow shop: Johnson's rule (JPS Algorithm 1), schedules and brute force.

#include "partition/partition.h"

#include "common/error.h"

#include <algorithm>
#include <numeric>

namespace sniper::partition {

std::vector<int> johnsonOrder(const std::vector<StageJob> &jobs)
{
    std::vector<int> s1, s2;
    for (int j = 0; j < int(jobs.size()); ++j)
        (jobs[j].local < jobs[j].comm ? s1 : s2).push_back(j);
    // JPS Alg. 1 lines 2-5: S1 by ascending f, S2 by descending g, S1 then S2.
    std::stable_sort(s1.begin(), s1.end(), [&](int a, int b) { return jobs[a].local < jobs[b].local; });
    std::stable_sort(s2.begin(), s2.end(), [&](int a, int b) { return jobs[a].comm > jobs[b].comm; });
    s1.insert(s1.end(), s2.begin(), s2.end());
    return s1;
}

Schedule flowShopSchedule(const std::vector<StageJob> &jobs, const std::vector<int> &order)
{
    Schedule s;
    s.order = order;
    s.bars.reserve(2 * order.size());
    double comp = 0, comm = 0;
    for (int j : order) {
        const StageJob &job = jobs.at(j);
        const double compStart = comp;
        comp += job.local;
        const double commStart = std::max(comm, comp);
        comm = commStart + job.comm;
        s.bars.push_back({ j, 0, compStart, comp, job.cut });
        s.bars.push_back({ j, 1, commStart, comm, job.cut });
    }
    s.makespan = std::max(comp, comm);
    return s;
}

Schedule johnsonSchedule(const std::vector<StageJob> &jobs)
{
    return flowShopSchedule(jobs, johnsonOrder(jobs));
}

Schedule bruteForceOrder(const std::vector<StageJob> &jobs)
{
    if (jobs.size() > 10)
        throw Error("brute force over orders is limited to 10 jobs, got " + std::to_string(jobs.size()));
    std::vector<int> order(jobs.size());
    std::iota(order.begin(), order.end(), 0);
    Schedule best = flowShopSchedule(jobs, order);
    while (std::next_permutation(order.begin(), order.end())) {
        Schedule s = flowShopSchedule(jobs, order);
        if (s.makespan < best.makespan)
            best = std::move(s);
    }
    return best;
}

} // namespace sniper::partition
