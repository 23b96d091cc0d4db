#pragma once

#include <stdexcept>
#include <string>

namespace sniper {

// Every user-facing failure in the libraries: what is wrong, and where (file, node, line ...).
class Error : public std::runtime_error {
public:
    Error(std::string what, std::string where = {})
        : std::runtime_error(where.empty() ? what : where + ": " + what),
          m_what(std::move(what)), m_where(std::move(where)) {}

    const std::string &problem() const { return m_what; }
    const std::string &location() const { return m_where; }

private:
    std::string m_what;
    std::string m_where;
};

} // namespace sniper
