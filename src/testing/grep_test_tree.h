// Test helpers for the Grep/Glob tests (header-only, test binaries only): a temporary directory
// tree on disk, and running ripgrep as an oracle.
#pragma once

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "base/process.h"

namespace brock::testing {

// A fresh directory under /tmp, removed (recursively) on destruction.
class TempTree {
 public:
  TempTree() {
    std::string tmpl = "/tmp/brock-grep-XXXXXX";
    char* dir = ::mkdtemp(tmpl.data());
    root_ = dir != nullptr ? dir : "/tmp";
  }
  ~TempTree() {
    std::error_code ec;
    std::filesystem::remove_all(root_, ec);
  }
  const std::string& root() const { return root_; }
  std::string Path(const std::string& rel) const { return root_ + "/" + rel; }

  // Writes `data` to root/rel (creating directories) and sets its mtime to `mtime_sec` when
  // non-zero.
  void Write(const std::string& rel, const std::string& data, long mtime_sec = 0) const {
    std::filesystem::create_directories(std::filesystem::path(Path(rel)).parent_path());
    std::ofstream out(Path(rel), std::ios::binary);
    out << data;
    out.close();
    if (mtime_sec != 0) {
      struct timespec times[2] = {{mtime_sec, 0}, {mtime_sec, 0}};
      ::utimensat(AT_FDCWD, Path(rel).c_str(), times, 0);
    }
  }
  void MakeDir(const std::string& rel) const { std::filesystem::create_directories(Path(rel)); }

 private:
  std::string root_;
};

// The absolute path of `rg`, or "" when it is not installed.
inline std::string FindRipgrep() {
  for (const char* dir : {"/usr/bin", "/usr/local/bin", "/bin"}) {
    std::string p = std::string(dir) + "/rg";
    if (::access(p.c_str(), X_OK) == 0) return p;
  }
  return "";
}

// Runs rg (argv built by the caller, no shell) in `cwd`; returns stdout.
inline std::string RunRipgrep(const std::string& rg, const std::vector<std::string>& args,
                              const std::string& cwd, int* exit_code = nullptr) {
  ProcessSpec spec;
  spec.argv.push_back(rg);
  spec.argv.push_back("--no-config");
  for (const std::string& a : args) spec.argv.push_back(a);
  spec.cwd = cwd;
  spec.timeout = std::chrono::milliseconds(60000);
  spec.max_output_bytes = 256u << 20;
  auto r = RealProcessRunner().Run(spec);
  if (!r.ok()) return "";
  if (exit_code != nullptr) *exit_code = r->exit_code;
  return r->stdout_data;
}

// Splits text into lines (no trailing empty line).
inline std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string::npos) nl = text.size();
    out.push_back(text.substr(pos, nl - pos));
    pos = nl + 1;
  }
  return out;
}

}  // namespace brock::testing

namespace brock::testing {

// A tree exercising ripgrep's filtering and matching rules: a git repository with .gitignore
// (negations, directory rules, anchored rules), a nested .gitignore, .ignore, info/exclude,
// hidden files and directories, a binary file, CRLF lines, Unicode, a long line, a file without
// a final newline, and files of several types.
inline void BuildOracleTree(const TempTree& t) {
  t.MakeDir(".git/info");
  t.Write(".git/info/exclude", "excluded_by_info.txt\n");
  t.Write(".git/HEAD", "ref: refs/heads/main TODO\n");
  t.Write(".gitignore",
          "*.log\nbuild/\n!important.log\n/root_only.txt\nnode_modules\ndocs/*.tmp\n");
  t.Write(".ignore", "ignored_by_dotignore.txt\n");
  t.Write("src/main.rs",
          "// TODO: main\nfn main() {\n    println!(\"hello\");\n}\n\nstruct Config {\n"
          "    name: String,\n    field: u32,\n}\n");
  t.Write("src/lib.rs", "pub fn add(a: u32, b: u32) -> u32 {\n    a + b // todo overflow\n}\n");
  t.Write("src/util/helpers.py",
          "def helper():\n    # TODO refactor\n    return 42\n\ndef other():\n    foo = 1\n"
          "    bar = 2\n    return foo + bar\n");
  t.Write("src/util/.hidden_config", "TODO hidden config\n");
  t.Write(".hidden_dir/secret.txt", "TODO secret\n");
  t.Write("app.js", "function app() {\n  // TODO js\n  return 1;\n}\n");
  t.Write("component.tsx", "export const C = () => <div>TODO</div>;\n");
  t.Write("types.ts", "export interface T { field: number } // TODO\n");
  t.Write("build/output.txt", "TODO build output\n");
  t.Write("debug.log", "TODO debug\n");
  t.Write("important.log", "TODO important\n");
  t.Write("root_only.txt", "TODO root only\n");
  t.Write("sub/root_only.txt", "TODO sub root only\n");
  t.Write("node_modules/pkg/index.js", "// TODO dependency\n");
  t.Write("docs/readme.md", "# Readme\n\nSome TODO items.\n");
  t.Write("docs/notes.tmp", "TODO tmp\n");
  t.Write("docs/nested/.gitignore", "*.md\n!keep.md\n");
  t.Write("docs/nested/a.md", "TODO nested a\n");
  t.Write("docs/nested/keep.md", "TODO keep\n");
  static const char kBinary[] = "TODO\0\x01\x02 binary TODO\n";
  t.Write("binary.bin", std::string(kBinary, sizeof kBinary - 1));
  t.Write("crlf.txt", "line one TODO\r\nline two\r\nTODO again\r\n");
  t.Write("unicode.txt",
          "caf\xC3\xA9 TODO\nna\xC3\xAFve r\xC3\xA9sum\xC3\xA9\n\xCE\xA3\xCE\xAF\xCF\x83\xCF\x85"
          "\xCF\x86\xCE\xBF\xCF\x82 todo\n\xE6\x97\xA5\xE6\x9C\xAC TODO 123\n");
  t.Write("excluded_by_info.txt", "TODO excluded\n");
  t.Write("ignored_by_dotignore.txt", "TODO dotignore\n");
  t.Write("long.txt", "short TODO\n" + std::string(600, 'x') + " TODO " + std::string(20, 'y') +
                          "\nafter\n" + std::string(700, 'z') + "\nTODO end\n");
  std::string ctx;
  for (int i = 1; i <= 40; ++i) {
    ctx += (i % 7 == 0 || i == 9) ? "line " + std::to_string(i) + " TODO\n"
                                  : "line " + std::to_string(i) + "\n";
  }
  t.Write("context.txt", ctx);
  t.Write("Makefile", "all:\n\t@echo TODO\n");
  t.Write("script.sh", "#!/bin/sh\necho TODO\n");
  t.Write("config.yaml", "key: value # TODO\n");
  t.Write("data.json", "{\"todo\": true}\n");
  t.Write("noeol.txt", "first\nlast TODO");
  t.Write("empty.txt", "");
}

}  // namespace brock::testing
