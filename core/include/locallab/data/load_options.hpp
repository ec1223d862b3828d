#pragma once
// What a caller can say about a data file: which columns are the points, which one is the target or
// the label, and how the text is laid out when guessing is not wanted.

#include <optional>
#include <string>
#include <vector>

namespace locallab {

// How the fields of a text line are separated. Automatic looks at the first non-comment line and takes
// the most frequent of tab, comma and semicolon (ties in that order), else runs of spaces and tabs.
enum class Delimiter { Automatic, Comma, Tab, Semicolon, Whitespace };

// Whether the first non-comment line names the columns. Automatic: it does when one of its cells is
// not a number.
enum class HeaderMode { Automatic, Present, Absent };

// A column reference is a column name or a 1-based column number ("2" is the second column). A name
// wins when a header happens to contain a column called "2". Files without a header name their
// columns x1, x2, ... so those names work everywhere.
struct LoadOptions {
    std::vector<std::string> columns; // the point coordinates; empty = every column not used below
    std::string targetColumn;         // regression target y; empty = none
    std::string labelColumn;          // class labels, numbers or text; empty = none
    Delimiter delimiter = Delimiter::Automatic;
    HeaderMode header = HeaderMode::Automatic;
};

} // namespace locallab
