// Random (version 4) UUIDs for session and message ids.
#pragma once

#include <string>

namespace brock {

// "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx", lowercase.
std::string NewUuid();

}  // namespace brock
