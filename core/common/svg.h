#pragma once

// Small helpers for the hand-written SVG figures (scheduling sweeps, JPS plans, predictor
// reports): number formatting and XML escaping in one place.

#include <cstdio>
#include <string>

namespace sniper::svg {

inline std::string num(double v) // coordinates
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3f", v);
    return buf;
}

inline std::string tick(double v) // axis labels
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.4g", v);
    return buf;
}

inline std::string escape(const std::string &s)
{
    std::string out;
    for (char c : s) {
        if (c == '&')
            out += "&amp;";
        else if (c == '<')
            out += "&lt;";
        else if (c == '>')
            out += "&gt;";
        else if (c == '"')
            out += "&quot;";
        else
            out += c;
    }
    return out;
}

} // namespace sniper::svg
