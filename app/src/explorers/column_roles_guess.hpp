#pragma once
// A file opened from the GUI comes without command-line flags saying which column is what, so the
// header is read for the usual names: a column called label, class, species, cluster or category
// holds labels (often text, which would not parse as a coordinate), and one called target holds y.
// Everything else is a coordinate, as the loader does by default.

#include "locallab/data/load_options.hpp"

#include <string>

namespace locallab {

// Looks only at the first line that is neither blank nor a comment; .npy files have no header and get
// the loader's defaults. Never throws: a file that cannot be read is left for the loader to report.
LoadOptions guessColumnRoles(const std::string& path);

} // namespace locallab
