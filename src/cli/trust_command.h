// `brock trust`: trust a workspace, so its project files (.claude/settings.json,
// .claude/settings.local.json, CLAUDE.md imports) apply in full; or revoke that, or list the
// decisions. The rules are in docs/security.md; the store is settings/trust_store.h.
//
//   brock trust [DIR]            trust DIR (default: the working directory)
//   brock trust --revoke [DIR]   record that DIR is not trusted (its files stay restricted and
//                                interactive runs stop asking)
//   brock trust --forget [DIR]   remove the decision, so the next interactive run asks again
//   brock trust --list           every decision
//
// DIR stands for the directory that governs its project files: its git root, else the folder
// holding its .claude/, else DIR itself; the command prints which one it recorded.
#pragma once

namespace brock {

// `argv[0]` is "trust". Returns 0 on success, 1 on an error (printed with its fix), 2 on a usage
// error.
int RunTrustCommand(int argc, char** argv);

}  // namespace brock
