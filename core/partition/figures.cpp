// Hand-written SVG and CSV figures in the paper's style (serif, grayscale-safe fills).

#include "partition/partition.h"

#include "common/svg.h"

#include <algorithm>
#include <cstdio>
#include <sstream>

namespace sniper::partition {

using svg::escape;
using svg::num;
using svg::tick;

std::string ganttSvg(const Schedule &s, const std::string &title)
{
    const double W = 480, H = 150, left = 96, right = 12, top = 28, row = 34;
    const double span = s.makespan > 0 ? s.makespan : 1;
    const double scale = (W - left - right) / span;
    // Grayscale-safe: cuts alternate between two gray levels; outlines keep bars apart.
    const char *fills[] = { "#bdbdbd", "#636363", "#f0f0f0", "#252525" };
    std::ostringstream o;
    o << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << W << "\" height=\"" << H << "\" viewBox=\"0 0 " << W
      << ' ' << H << "\" font-family=\"Times New Roman, serif\" font-size=\"11\">\n";
    o << "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
    o << "<text x=\"" << W / 2 << "\" y=\"16\" text-anchor=\"middle\">" << escape(title) << "</text>\n";
    const char *names[] = { "Computation", "Communication" };
    for (int r = 0; r < 2; ++r)
        o << "<text x=\"" << left - 6 << "\" y=\"" << top + r * row + row / 2 + 4 << "\" text-anchor=\"end\">"
          << names[r] << "</text>\n";
    std::vector<int> cutIds;
    for (const GanttBar &b : s.bars)
        if (std::find(cutIds.begin(), cutIds.end(), b.cut) == cutIds.end())
            cutIds.push_back(b.cut);
    std::sort(cutIds.begin(), cutIds.end());
    for (const GanttBar &b : s.bars) {
        const int shade = int(std::find(cutIds.begin(), cutIds.end(), b.cut) - cutIds.begin()) % 4;
        o << "<rect x=\"" << num(left + b.start * scale) << "\" y=\"" << top + b.resource * row + 4 << "\" width=\""
          << num(std::max(0.0, (b.end - b.start) * scale)) << "\" height=\"" << row - 8 << "\" fill=\"" << fills[shade]
          << "\" stroke=\"black\" stroke-width=\"0.5\"/>\n";
    }
    const double axisY = top + 2 * row + 4;
    o << "<line x1=\"" << left << "\" y1=\"" << axisY << "\" x2=\"" << W - right << "\" y2=\"" << axisY
      << "\" stroke=\"black\"/>\n";
    for (int t = 0; t <= 4; ++t) {
        const double x = left + (W - left - right) * t / 4;
        o << "<line x1=\"" << num(x) << "\" y1=\"" << axisY << "\" x2=\"" << num(x) << "\" y2=\"" << axisY + 4
          << "\" stroke=\"black\"/>\n<text x=\"" << num(x) << "\" y=\"" << axisY + 16 << "\" text-anchor=\"middle\">"
          << tick(span * t / 4) << "</text>\n";
    }
    o << "<text x=\"" << (left + W - right) / 2 << "\" y=\"" << H - 4
      << "\" text-anchor=\"middle\">Time (ms), makespan " << num(s.makespan) << "</text>\n</svg>\n";
    return o.str();
}

std::string groupedBarsSvg(const std::vector<std::string> &groups, const std::vector<std::string> &methods,
    const std::vector<std::vector<double>> &values, const std::string &title, const std::string &yLabel)
{
    const double W = 480, H = 240, left = 64, right = 12, top = 40, bottom = 40;
    double ymax = 0;
    for (const auto &row : values)
        for (double v : row)
            ymax = std::max(ymax, v);
    if (ymax <= 0)
        ymax = 1;
    const double plotW = W - left - right, plotH = H - top - bottom;
    const double groupW = plotW / std::max<size_t>(1, groups.size());
    const double barW = groupW * 0.8 / std::max<size_t>(1, methods.size());
    const char *fills[] = { "#ffffff", "#bdbdbd", "#737373", "#252525" };
    std::ostringstream o;
    o << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << W << "\" height=\"" << H << "\" viewBox=\"0 0 " << W
      << ' ' << H << "\" font-family=\"Times New Roman, serif\" font-size=\"11\">\n";
    o << "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
    o << "<text x=\"" << W / 2 << "\" y=\"14\" text-anchor=\"middle\">" << escape(title) << "</text>\n";
    for (size_t m = 0; m < methods.size(); ++m) { // legend
        const double x = left + m * 80;
        o << "<rect x=\"" << x << "\" y=\"22\" width=\"10\" height=\"10\" fill=\"" << fills[m % 4]
          << "\" stroke=\"black\" stroke-width=\"0.5\"/><text x=\"" << x + 14 << "\" y=\"31\">" << escape(methods[m])
          << "</text>\n";
    }
    for (size_t gi = 0; gi < groups.size(); ++gi) {
        for (size_t m = 0; m < methods.size() && m < values[gi].size(); ++m) {
            const double h = values[gi][m] / ymax * plotH;
            o << "<rect x=\"" << num(left + gi * groupW + groupW * 0.1 + m * barW) << "\" y=\"" << num(top + plotH - h)
              << "\" width=\"" << num(barW) << "\" height=\"" << num(h) << "\" fill=\"" << fills[m % 4]
              << "\" stroke=\"black\" stroke-width=\"0.5\"/>\n";
        }
        o << "<text x=\"" << num(left + (gi + 0.5) * groupW) << "\" y=\"" << top + plotH + 16
          << "\" text-anchor=\"middle\">" << escape(groups[gi]) << "</text>\n";
    }
    o << "<line x1=\"" << left << "\" y1=\"" << top + plotH << "\" x2=\"" << W - right << "\" y2=\"" << top + plotH
      << "\" stroke=\"black\"/>\n<line x1=\"" << left << "\" y1=\"" << top << "\" x2=\"" << left << "\" y2=\""
      << top + plotH << "\" stroke=\"black\"/>\n";
    for (int t = 0; t <= 4; ++t) {
        const double y = top + plotH - plotH * t / 4;
        o << "<text x=\"" << left - 4 << "\" y=\"" << num(y + 4) << "\" text-anchor=\"end\">" << tick(ymax * t / 4)
          << "</text>\n";
    }
    o << "<text transform=\"translate(14," << top + plotH / 2 << ") rotate(-90)\" text-anchor=\"middle\">"
      << escape(yLabel) << "</text>\n</svg>\n";
    return o.str();
}

std::string scheduleCsv(const Schedule &s)
{
    std::ostringstream o;
    o << "job,resource,cut,start_ms,end_ms\n";
    for (const GanttBar &b : s.bars)
        o << b.job << ',' << (b.resource == 0 ? "computation" : "communication") << ',' << b.cut << ',' << num(b.start)
          << ',' << num(b.end) << '\n';
    return o.str();
}

std::string curvesCsv(const Profile &p, const std::vector<double> &f, const std::vector<double> &g)
{
    std::ostringstream o;
    o << "cut,after,f_ms,bytes,g_ms,cloud_ms\n";
    for (size_t c = 0; c < p.cuts.size(); ++c) {
        std::string name = p.cuts[c].after;
        std::replace(name.begin(), name.end(), ',', ';');
        o << c << ',' << name << ',' << num(f[c]) << ',' << p.cuts[c].bytes << ',' << num(g[c]) << ','
          << num(p.cuts[c].cloudMs) << '\n';
    }
    return o.str();
}

} // namespace sniper::partition
