// brock's version, shown by --version and the interactive banner.
#pragma once

namespace brock {

inline constexpr char kBrockVersion[] = "0.1.0";

}  // namespace brock
