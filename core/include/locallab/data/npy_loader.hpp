#pragma once
// Loads NumPy .npy files (format versions 1.0, 2.0 and 3.0) into a Dataset.
//
// Accepted dtypes: little- and big-endian float64/float32 ('<f8' '>f8' '<f4' '>f4') and integers
// ('i1'..'i8', 'u1'..'u8', either byte order), C or Fortran order, 1-D (n values become an n×1 matrix)
// or 2-D shapes. Columns are named x1, x2, ... and can be selected with LoadOptions by number.
// Refused with a DataError naming the header field: a truncated file, a bad magic string, a malformed
// header dictionary, an unsupported descr, a shape whose element count overflows or whose byte size
// exceeds the file (checked before anything that size is allocated), data shorter than the shape, and
// NaN or infinite values (the message gives their row and column).

#include "locallab/data/dataset.hpp"
#include "locallab/data/load_options.hpp"

#include <string>
#include <string_view>

namespace locallab {

Dataset loadNpyFile(const std::string& path, const LoadOptions& options = {});

// Parses file content already in memory; `fileName` is only used in messages and Dataset::origin.
Dataset parseNpy(std::string_view bytes, const std::string& fileName, const LoadOptions& options = {});

} // namespace locallab
