#include "locallab/data/text_loader.hpp"

#include "locallab/data/column_selection.hpp"
#include "locallab/data/data_error.hpp"
#include "locallab/data/file_contents.hpp"
#include "locallab/data/label_encoding.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <utility>
#include <vector>

namespace locallab {

namespace {

// One field of a line. `text` is what is between the quotes for a quoted field, so a doubled quote
// inside it still reads as two characters until unquote() is asked for.
struct Cell {
    std::string_view text;
    long long column = 0; // 1-based position of the field's first character in its line
    bool quoted = false;
};

// A line of the file without its line end and without its trailing comment.
struct Line {
    std::string_view text;
    long long number = 0; // 1-based
};

std::string unquote(const Cell& cell) {
    std::string text(cell.text);
    if (!cell.quoted) {
        return text;
    }
    std::string result;
    result.reserve(text.size());
    for (std::size_t position = 0; position < text.size(); ++position) {
        result.push_back(text[position]);
        if (text[position] == '"') {
            ++position; // the second quote of a doubled pair
        }
    }
    return result;
}

bool isBlank(char character) {
    return character == ' ' || character == '\t' || character == '\r';
}

std::string_view trim(std::string_view text) {
    while (!text.empty() && isBlank(text.front())) {
        text.remove_prefix(1);
    }
    while (!text.empty() && isBlank(text.back())) {
        text.remove_suffix(1);
    }
    return text;
}

std::optional<double> parseNumber(std::string_view text) {
    if (!text.empty() && text.front() == '+') {
        text.remove_prefix(1);
    }
    double value = 0.0;
    const auto [stop, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || stop != text.data() + text.size()) {
        return std::nullopt;
    }
    if (error == std::errc::result_out_of_range) {
        // from_chars leaves the value alone when it is out of range; strtod says which way: ±HUGE_VAL for
        // 1e999 (refused later as infinite) or 0 for 1e-999 (which is what it is for every method here).
        return std::strtod(std::string(text).c_str(), nullptr);
    }
    if (error != std::errc()) {
        return std::nullopt;
    }
    return value;
}

// Splits lines into cells. The delimiter is fixed once for the whole file.
class LineSplitter {
public:
    LineSplitter(Delimiter delimiter, std::string file) : delimiter_(delimiter), file_(std::move(file)) {}

    // Fills `cells` (reused between lines to avoid allocations).
    void split(const Line& line, std::vector<Cell>& cells) const {
        cells.clear();
        if (delimiter_ == Delimiter::Whitespace) {
            splitOnWhitespace(line, cells);
        } else {
            splitOnCharacter(line, cells);
        }
    }

private:
    char separator() const {
        switch (delimiter_) {
        case Delimiter::Tab:
            return '\t';
        case Delimiter::Semicolon:
            return ';';
        default:
            return ',';
        }
    }

    // Tabs are padding around a comma or a semicolon, but they are the separator in TSV.
    bool isPadding(char character) const {
        return character == ' ' || character == '\r' || (character == '\t' && delimiter_ != Delimiter::Tab);
    }

    // Returns the position just after the closing quote of a field that opens at `open`.
    std::size_t skipQuoted(const Line& line, std::size_t open) const {
        std::size_t position = open + 1;
        while (true) {
            const std::size_t quote = line.text.find('"', position);
            if (quote == std::string_view::npos) {
                throw DataError({file_, line.number, static_cast<long long>(open) + 1, {}},
                                "the quoted field is not closed on this line");
            }
            if (quote + 1 < line.text.size() && line.text[quote + 1] == '"') {
                position = quote + 2;
                continue;
            }
            return quote + 1;
        }
    }

    void splitOnCharacter(const Line& line, std::vector<Cell>& cells) const {
        const std::string_view text = line.text;
        const char separator = this->separator();
        std::size_t position = 0;
        while (true) {
            while (position < text.size() && isPadding(text[position])) {
                ++position;
            }
            Cell cell;
            cell.column = static_cast<long long>(position) + 1;
            if (position < text.size() && text[position] == '"') {
                const std::size_t end = skipQuoted(line, position);
                cell.text = text.substr(position + 1, end - position - 2);
                cell.quoted = true;
                position = end;
                while (position < text.size() && isPadding(text[position])) {
                    ++position;
                }
                if (position < text.size() && text[position] != separator) {
                    throw DataError({file_, line.number, static_cast<long long>(position) + 1, {}},
                                    std::string("expected '") + separator +
                                        "' after the closing quote, found '" + text[position] + "'");
                }
            } else {
                const std::size_t end = std::min(text.find(separator, position), text.size());
                cell.text = trim(text.substr(position, end - position));
                position = end;
            }
            cells.push_back(cell);
            if (position >= text.size()) {
                return;
            }
            ++position; // past the separator; a separator at the very end leaves one empty field
        }
    }

    void splitOnWhitespace(const Line& line, std::vector<Cell>& cells) const {
        const std::string_view text = line.text;
        std::size_t position = 0;
        while (true) {
            while (position < text.size() && isBlank(text[position])) {
                ++position;
            }
            if (position >= text.size()) {
                return;
            }
            Cell cell;
            cell.column = static_cast<long long>(position) + 1;
            if (text[position] == '"') {
                const std::size_t end = skipQuoted(line, position);
                cell.text = text.substr(position + 1, end - position - 2);
                cell.quoted = true;
                position = end;
            } else {
                const std::size_t start = position;
                while (position < text.size() && !isBlank(text[position])) {
                    ++position;
                }
                cell.text = text.substr(start, position - start);
            }
            cells.push_back(cell);
        }
    }

    Delimiter delimiter_;
    std::string file_;
};

// Walks the buffer line by line, skipping blank and comment lines and cutting trailing comments.
class LineReader {
public:
    explicit LineReader(std::string_view text) : text_(text) {}

    std::optional<Line> next() {
        while (position_ < text_.size()) {
            const std::size_t end = std::min(text_.find('\n', position_), text_.size());
            std::string_view line = text_.substr(position_, end - position_);
            position_ = end + 1;
            ++lineNumber_;
            line = withoutComment(line);
            if (!trim(line).empty()) {
                return Line{line, lineNumber_};
            }
        }
        return std::nullopt;
    }

    long long lastLineNumber() const { return lineNumber_; }

private:
    // '#' starts a comment unless it is inside quotes.
    static std::string_view withoutComment(std::string_view line) {
        const std::size_t hash = line.find('#');
        if (hash == std::string_view::npos) {
            return line;
        }
        bool insideQuotes = false;
        for (std::size_t position = 0; position < line.size(); ++position) {
            if (line[position] == '"') {
                insideQuotes = !insideQuotes;
            } else if (line[position] == '#' && !insideQuotes) {
                return line.substr(0, position);
            }
        }
        return line;
    }

    std::string_view text_;
    std::size_t position_ = 0;
    long long lineNumber_ = 0;
};

// Counts a character outside quotes.
std::size_t countUnquoted(std::string_view line, char wanted) {
    std::size_t count = 0;
    bool insideQuotes = false;
    for (const char character : line) {
        if (character == '"') {
            insideQuotes = !insideQuotes;
        } else if (character == wanted && !insideQuotes) {
            ++count;
        }
    }
    return count;
}

Delimiter detectDelimiter(std::string_view firstLine) {
    const std::size_t tabs = countUnquoted(firstLine, '\t');
    const std::size_t commas = countUnquoted(firstLine, ',');
    const std::size_t semicolons = countUnquoted(firstLine, ';');
    if (tabs == 0 && commas == 0 && semicolons == 0) {
        return Delimiter::Whitespace;
    }
    if (tabs >= commas && tabs >= semicolons) {
        return Delimiter::Tab;
    }
    return commas >= semicolons ? Delimiter::Comma : Delimiter::Semicolon;
}

bool isNumber(const Cell& cell) {
    return parseNumber(cell.text).has_value();
}

// The first line is a header when one of its cells is not a number where the next line has a number
// (so a text column in headerless data is not mistaken for a header), or, with no next line, when any
// of its cells is not a number.
bool looksLikeHeader(const std::vector<Cell>& first, const std::vector<Cell>* second) {
    for (std::size_t column = 0; column < first.size(); ++column) {
        if (isNumber(first[column])) {
            continue;
        }
        if (second == nullptr || column >= second->size() || isNumber((*second)[column])) {
            return true;
        }
    }
    return false;
}

std::string describeCell(const Cell& cell) {
    if (cell.text.empty()) {
        return "an empty field";
    }
    constexpr std::size_t longest = 40;
    std::string shown = unquote(cell);
    if (shown.size() > longest) {
        shown = shown.substr(0, longest) + "...";
    }
    return "'" + shown + "'";
}

class TextParser {
public:
    TextParser(std::string_view text, const std::string& file, const LoadOptions& options)
        : text_(text), file_(file), options_(options), reader_(text), splitter_(Delimiter::Comma, file) {}

    Dataset parse() {
        const std::optional<Line> firstLine = reader_.next();
        if (!firstLine) {
            throw DataError({file_, 0, 0, {}},
                            "the file is empty (no data lines, only blank or comment lines)");
        }
        const Delimiter delimiter = options_.delimiter == Delimiter::Automatic
                                        ? detectDelimiter(firstLine->text)
                                        : options_.delimiter;
        splitter_ = LineSplitter(delimiter, file_);
        std::vector<Cell> firstCells;
        splitter_.split(*firstLine, firstCells);
        std::optional<Line> secondLine = reader_.next();
        const bool hasHeader = decideHeader(firstCells, secondLine);

        std::vector<std::string> names =
            hasHeader ? headerNames(firstCells) : defaultColumnNames(firstCells.size());
        fieldCount_ = firstCells.size();
        const long long headerLine = hasHeader ? firstLine->number : 0;
        roles_ = resolveColumns(names, options_, file_, headerLine);
        reserveRows();

        if (!hasHeader) {
            readRow(*firstLine, firstCells);
        } else if (!secondLine) {
            throw DataError({file_, firstLine->number, 0, {}},
                            "the file has a header line but no data rows after it");
        }
        std::vector<Cell> cells;
        for (std::optional<Line> line = secondLine; line; line = reader_.next()) {
            splitter_.split(*line, cells);
            readRow(*line, cells);
        }
        return buildDataset(names);
    }

private:
    bool decideHeader(const std::vector<Cell>& firstCells, const std::optional<Line>& secondLine) const {
        switch (options_.header) {
        case HeaderMode::Present:
            return true;
        case HeaderMode::Absent:
            return false;
        case HeaderMode::Automatic:
            break;
        }
        if (!secondLine) {
            return looksLikeHeader(firstCells, nullptr);
        }
        std::vector<Cell> secondCells;
        splitter_.split(*secondLine, secondCells);
        return looksLikeHeader(firstCells, &secondCells);
    }

    static std::vector<std::string> headerNames(const std::vector<Cell>& cells) {
        std::vector<std::string> names;
        for (std::size_t column = 0; column < cells.size(); ++column) {
            std::string name = std::string(trim(unquote(cells[column])));
            names.push_back(name.empty() ? "x" + std::to_string(column + 1) : std::move(name));
        }
        return names;
    }

    void reserveRows() {
        const auto lineCount = static_cast<std::size_t>(std::count(text_.begin(), text_.end(), '\n')) + 1;
        pointValues_.reserve(lineCount * roles_.pointColumns.size());
        if (roles_.targetColumn) {
            targetValues_.reserve(lineCount);
        }
        if (roles_.labelColumn) {
            labelCells_.reserve(lineCount);
        }
    }

    void checkFieldCount(const Line& line, const std::vector<Cell>& cells) const {
        if (cells.size() == fieldCount_) {
            return;
        }
        const long long column = cells.size() > fieldCount_ ? cells[fieldCount_].column
                                                            : static_cast<long long>(line.text.size()) + 1;
        throw DataError({file_, line.number, column, {}}, "expected " + std::to_string(fieldCount_) +
                                                              " fields, found " +
                                                              std::to_string(cells.size()));
    }

    double readNumber(const Line& line, const Cell& cell) const {
        const std::optional<double> value = parseNumber(cell.text);
        if (!value) {
            throw DataError({file_, line.number, cell.column, {}},
                            "expected a number, found " + describeCell(cell));
        }
        if (!std::isfinite(*value)) {
            throw DataError({file_, line.number, cell.column, {}},
                            "found " + describeCell(cell) + "; values must be finite numbers");
        }
        return *value;
    }

    void readRow(const Line& line, const std::vector<Cell>& cells) {
        checkFieldCount(line, cells);
        for (const std::size_t column : roles_.pointColumns) {
            pointValues_.push_back(readNumber(line, cells[column]));
        }
        if (roles_.targetColumn) {
            targetValues_.push_back(readNumber(line, cells[*roles_.targetColumn]));
        }
        if (roles_.labelColumn) {
            const Cell& cell = cells[*roles_.labelColumn];
            if (cell.text.empty()) {
                throw DataError({file_, line.number, cell.column, {}},
                                "expected a label, found an empty field");
            }
            labelCells_.push_back(unquote(cell));
        }
    }

    Dataset buildDataset(const std::vector<std::string>& names) {
        Dataset dataset;
        const auto dimension = static_cast<Eigen::Index>(roles_.pointColumns.size());
        const auto rows = static_cast<Eigen::Index>(pointValues_.size()) / dimension;
        dataset.points =
            Eigen::Map<const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(
                pointValues_.data(), rows, dimension);
        for (const std::size_t column : roles_.pointColumns) {
            dataset.columnNames.push_back(names[column]);
        }
        if (roles_.targetColumn) {
            dataset.target = Eigen::Map<const Eigen::VectorXd>(targetValues_.data(), rows);
            dataset.targetName = names[*roles_.targetColumn];
        }
        if (roles_.labelColumn) {
            EncodedLabels encoded = encodeLabels(labelCells_);
            dataset.labels = std::move(encoded.labels);
            dataset.labelNames = std::move(encoded.names);
        }
        dataset.origin = fileNameOf(file_);
        return dataset;
    }

    std::string_view text_;
    const std::string& file_;
    const LoadOptions& options_;
    LineReader reader_;
    LineSplitter splitter_;
    std::size_t fieldCount_ = 0;
    ColumnRoles roles_;
    std::vector<double> pointValues_; // row-major, as the file is read
    std::vector<double> targetValues_;
    std::vector<std::string> labelCells_;
};

} // namespace

Dataset parseText(std::string_view text, const std::string& fileName, const LoadOptions& options) {
    return TextParser(text, fileName, options).parse();
}

Dataset loadTextFile(const std::string& path, const LoadOptions& options) {
    const std::string contents = readFileContents(path);
    return parseText(contents, path, options);
}

} // namespace locallab
