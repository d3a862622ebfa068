// Opening a sign-in page in the user's browser (for the SSO device flow of `brock login` and the
// interactive /login).
#pragma once

#include <string_view>

#include "base/env.h"
#include "base/process.h"

namespace brock {

// Opens `url` with the desktop's opener (`open` on macOS, `xdg-open` where DISPLAY or
// WAYLAND_DISPLAY is set), run without a shell through `runner`. False when there is no desktop
// or the opener fails; the caller has printed the URL anyway.
bool OpenBrowser(Env& env, ProcessRunner& runner, std::string_view url);

}  // namespace brock
