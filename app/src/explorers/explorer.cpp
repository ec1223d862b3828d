#include "explorers/explorer.hpp"

#include "locallab/data/csv_writer.hpp"
#include "locallab/widgets/vtk_view.hpp"

#include <sstream>

namespace locallab {

QWidget* Explorer::centralWidget() const {
    return view();
}

std::string resultTableCsv(const ResultTable& table) {
    std::ostringstream text;
    writeCsv(text, table.header, table.values, table.textHeader, table.texts);
    return text.str();
}

std::optional<ResultTable> Explorer::resultTable() const {
    return std::nullopt;
}

} // namespace locallab
