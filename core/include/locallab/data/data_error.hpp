#pragma once
// Bad input is reported, not guessed around: every loader throws DataError naming the file and, where
// there is one, the line and column (1-based) or the header field that is wrong.

#include <sstream>
#include <stdexcept>
#include <string>

namespace locallab {

class DataError : public std::runtime_error {
public:
    struct Location {
        std::string file;
        long long line = 0;   // 1-based; 0 when the problem is not on a line
        long long column = 0; // 1-based; 0 when the problem is the whole line or file
        std::string field;    // a header field (.npy 'shape', 'descr', ...) when that is the problem
    };

    DataError(Location location, const std::string& what)
        : std::runtime_error(format(location, what)), location_(std::move(location)), what_(what) {}

    const Location& location() const { return location_; }
    const std::string& problem() const { return what_; } // the message without the location

    // "data.csv:12:3: expected a number, found 'abc'"
    static std::string format(const Location& location, const std::string& what) {
        std::ostringstream text;
        text << location.file;
        if (location.line > 0) {
            text << ':' << location.line;
            if (location.column > 0) {
                text << ':' << location.column;
            }
        }
        if (!location.field.empty()) {
            text << ": header field '" << location.field << "'";
        }
        text << ": " << what;
        return text.str();
    }

private:
    Location location_;
    std::string what_;
};

} // namespace locallab
