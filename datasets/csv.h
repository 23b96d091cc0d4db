#pragma once

// RFC 4180 CSV for import/export. The reader reports a malformed record with its line number
// and carries on with the next line, so one bad row never loses the good ones.

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace sniper::db {

struct CsvRecord {
    int line = 0;                    // physical line where the record starts (1-based)
    std::vector<std::string> fields;
    std::string error;               // non-empty: the record is malformed, fields are incomplete
};

class CsvReader {
public:
    explicit CsvReader(std::string_view text); // the text must outlive the reader
    // Next record; false at the end. Blank lines are skipped; a UTF-8 BOM is ignored.
    bool next(CsvRecord &record);

private:
    void skipLine();

    std::string_view m_text;
    size_t m_pos = 0;
    int m_line = 1;
};

// Quotes a field when it holds a comma, quote, CR or LF (RFC 4180 §2.6-2.7).
std::string csvField(std::string_view value);
void writeCsvRow(std::ostream &out, const std::vector<std::string> &fields);

// Whole file as text; gzip files (.gz) are inflated transparently. Throws sniper::Error naming the file.
std::string readTextFile(const std::string &path);

// Strict numbers: surrounding spaces allowed, nothing else ("12ms" and "" are nullopt).
std::optional<double> parseDouble(std::string_view text);
std::optional<int64_t> parseInt(std::string_view text);

} // namespace sniper::db
