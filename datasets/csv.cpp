#include "csv.h"

#include "common/error.h"

#include <zlib.h>

#include <charconv>
#include <filesystem>

namespace sniper::db {

CsvReader::CsvReader(std::string_view text) : m_text(text)
{
    if (m_text.substr(0, 3) == "\xEF\xBB\xBF")
        m_pos = 3;
}

void CsvReader::skipLine()
{
    const size_t nl = m_text.find('\n', m_pos);
    m_pos = nl == std::string_view::npos ? m_text.size() : nl + 1;
    ++m_line;
}

bool CsvReader::next(CsvRecord &record)
{
    const size_t n = m_text.size();
    // Blank lines separate nothing in RFC 4180 but appear at file ends and in hand-edited files.
    while (m_pos < n && (m_text[m_pos] == '\n' || (m_text[m_pos] == '\r' && m_pos + 1 < n && m_text[m_pos + 1] == '\n'))) {
        m_pos += m_text[m_pos] == '\r' ? 2 : 1;
        ++m_line;
    }
    if (m_pos >= n)
        return false;

    record.line = m_line;
    record.fields.clear();
    record.error.clear();
    auto fail = [&](std::string message) {
        record.error = std::move(message);
        skipLine();
        return true;
    };

    while (true) {
        std::string field;
        if (m_pos < n && m_text[m_pos] == '"') {
            const int openedOn = m_line;
            ++m_pos;
            while (true) {
                const size_t q = m_text.find('"', m_pos);
                if (q == std::string_view::npos) {
                    record.error = "unterminated quoted field " + std::to_string(record.fields.size() + 1)
                        + " (opened on line " + std::to_string(openedOn) + ")";
                    m_pos = n;
                    return true;
                }
                for (size_t i = m_pos; i < q; ++i)
                    m_line += m_text[i] == '\n';
                field.append(m_text.substr(m_pos, q - m_pos));
                m_pos = q + 1;
                if (m_pos < n && m_text[m_pos] == '"') { // "" is an escaped quote
                    field.push_back('"');
                    ++m_pos;
                    continue;
                }
                break;
            }
            if (m_pos < n && m_text[m_pos] != ',' && m_text[m_pos] != '\n'
                && !(m_text[m_pos] == '\r' && m_pos + 1 < n && m_text[m_pos + 1] == '\n'))
                return fail("unexpected '" + std::string(1, m_text[m_pos]) + "' after the closing quote of field "
                            + std::to_string(record.fields.size() + 1));
        } else {
            size_t end = m_text.find_first_of(",\n", m_pos);
            if (end == std::string_view::npos)
                end = n;
            size_t stop = end;
            if (stop > m_pos && stop < n && m_text[stop] == '\n' && m_text[stop - 1] == '\r')
                --stop;
            const std::string_view raw = m_text.substr(m_pos, stop - m_pos);
            if (raw.find('"') != std::string_view::npos)
                return fail("quote inside unquoted field " + std::to_string(record.fields.size() + 1)
                            + " (quote the whole field and double the inner quotes)");
            field.assign(raw);
            m_pos = stop;
        }
        record.fields.push_back(std::move(field));
        if (m_pos >= n)
            return true;
        if (m_text[m_pos] == ',') {
            ++m_pos;
            continue;
        }
        m_pos += m_text[m_pos] == '\r' ? 2 : 1; // "\r\n" or "\n"
        ++m_line;
        return true;
    }
}

std::string csvField(std::string_view value)
{
    if (value.find_first_of(",\"\r\n") == std::string_view::npos)
        return std::string(value);
    std::string out = "\"";
    for (char c : value) {
        if (c == '"')
            out.push_back('"');
        out.push_back(c);
    }
    out.push_back('"');
    return out;
}

void writeCsvRow(std::ostream &out, const std::vector<std::string> &fields)
{
    for (size_t i = 0; i < fields.size(); ++i) {
        if (i)
            out << ',';
        out << csvField(fields[i]);
    }
    out << "\r\n"; // RFC 4180 §2.1
}

std::string readTextFile(const std::string &path)
{
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec))
        throw Error(std::filesystem::exists(path, ec) ? "not a regular file" : "file does not exist", path);
    gzFile f = gzopen(path.c_str(), "rb"); // reads plain files as they are
    if (!f)
        throw Error("cannot open the file for reading", path);
    gzbuffer(f, 1 << 18);
    std::string text;
    char buffer[1 << 16];
    int got = 0;
    while ((got = gzread(f, buffer, sizeof buffer)) > 0)
        text.append(buffer, size_t(got));
    if (got < 0) {
        int code = 0;
        const std::string message = gzerror(f, &code);
        gzclose(f);
        throw Error("cannot read the file (" + message + "; a damaged or truncated .gz?)", path);
    }
    gzclose(f);
    return text;
}

namespace {

std::string_view trim(std::string_view s)
{
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
        s.remove_suffix(1);
    return s;
}

} // namespace

std::optional<double> parseDouble(std::string_view text)
{
    text = trim(text);
    if (!text.empty() && text.front() == '+')
        text.remove_prefix(1);
    double v = 0;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (text.empty() || ec != std::errc() || ptr != text.data() + text.size())
        return std::nullopt;
    return v;
}

std::optional<int64_t> parseInt(std::string_view text)
{
    text = trim(text);
    int64_t v = 0;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (text.empty() || ec != std::errc() || ptr != text.data() + text.size())
        return std::nullopt;
    return v;
}

} // namespace sniper::db
