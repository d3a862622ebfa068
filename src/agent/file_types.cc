#include "agent/file_types.h"

#include <map>

namespace brock {

namespace {

// ripgrep 13's default type definitions (plus *.cjs/*.mjs for js and *.cts/*.mts for ts, as
// later ripgrep versions have).
const std::map<std::string, std::vector<std::string>, std::less<>>& Table() {
  static const auto* table = new std::map<std::string, std::vector<std::string>, std::less<>>{
      {"asm", {"*.S", "*.asm", "*.s"}},
      {"bazel", {"*.BUILD", "*.bazel", "*.bazelrc", "*.bzl", "BUILD", "WORKSPACE"}},
      {"c", {"*.[chH]", "*.[chH].in", "*.cats"}},
      {"clojure", {"*.clj", "*.cljc", "*.cljs", "*.cljx"}},
      {"cmake", {"*.cmake", "CMakeLists.txt"}},
      {"config", {"*.cfg", "*.conf", "*.config", "*.ini"}},
      {"cpp",
       {"*.[ChH]", "*.[ChH].in", "*.[ch]pp", "*.[ch]pp.in", "*.[ch]xx", "*.[ch]xx.in", "*.cc",
        "*.cc.in", "*.hh", "*.hh.in", "*.inl"}},
      {"crystal", {"*.cr", "Projectfile"}},
      {"cs", {"*.cs"}},
      {"csharp", {"*.cs"}},
      {"css", {"*.css", "*.scss"}},
      {"csv", {"*.csv"}},
      {"d", {"*.d"}},
      {"dart", {"*.dart"}},
      {"diff", {"*.diff", "*.patch"}},
      {"docker", {"*Dockerfile*"}},
      {"elixir", {"*.eex", "*.ex", "*.exs"}},
      {"erlang", {"*.erl", "*.hrl"}},
      {"fish", {"*.fish"}},
      {"fortran", {"*.F", "*.F77", "*.F90", "*.F95", "*.f", "*.f77", "*.f90", "*.f95", "*.pfo"}},
      {"go", {"*.go"}},
      {"gradle", {"*.gradle"}},
      {"groovy", {"*.gradle", "*.groovy"}},
      {"h", {"*.h", "*.hpp"}},
      {"haskell", {"*.c2hs", "*.cpphs", "*.hs", "*.hsc", "*.lhs"}},
      {"html", {"*.ejs", "*.htm", "*.html"}},
      {"java", {"*.java", "*.jsp", "*.jspx", "*.properties"}},
      {"jinja", {"*.j2", "*.jinja", "*.jinja2"}},
      {"js", {"*.js", "*.jsx", "*.vue", "*.cjs", "*.mjs"}},
      {"json", {"*.json", "composer.lock"}},
      {"jsonl", {"*.jsonl"}},
      {"julia", {"*.jl"}},
      {"jupyter", {"*.ipynb", "*.jpynb"}},
      {"kotlin", {"*.kt", "*.kts"}},
      {"less", {"*.less"}},
      {"log", {"*.log"}},
      {"lua", {"*.lua"}},
      {"make",
       {"*.mak", "*.mk", "[Gg][Nn][Uu]makefile", "[Gg][Nn][Uu]makefile.am",
        "[Gg][Nn][Uu]makefile.in", "[Mm]akefile", "[Mm]akefile.am", "[Mm]akefile.in"}},
      {"markdown", {"*.markdown", "*.md", "*.mdown", "*.mkdn"}},
      {"matlab", {"*.m"}},
      {"md", {"*.markdown", "*.md", "*.mdown", "*.mkdn"}},
      {"nim", {"*.nim", "*.nimble", "*.nimf", "*.nims"}},
      {"objc", {"*.h", "*.m"}},
      {"ocaml", {"*.ml", "*.mli", "*.mll", "*.mly"}},
      {"pascal", {"*.dpr", "*.inc", "*.lpr", "*.pas", "*.pp"}},
      {"perl", {"*.PL", "*.perl", "*.pl", "*.plh", "*.plx", "*.pm", "*.t"}},
      {"php", {"*.php", "*.php3", "*.php4", "*.php5", "*.phtml"}},
      {"protobuf", {"*.proto"}},
      {"py", {"*.py"}},
      {"r", {"*.R", "*.Rmd", "*.Rnw", "*.r"}},
      {"rst", {"*.rst"}},
      {"ruby", {"*.gemspec", "*.rb", "*.rbw", ".irbrc", "Gemfile", "Rakefile", "config.ru"}},
      {"rust", {"*.rs"}},
      {"sass", {"*.sass", "*.scss"}},
      {"scala", {"*.sbt", "*.scala"}},
      {"sh",
       {"*.bash",     "*.bashrc",    "*.csh",        "*.cshrc",     "*.ksh",        "*.kshrc",
        "*.sh",       "*.tcsh",      "*.zsh",        ".bash_login", ".bash_logout", ".bash_profile",
        ".bashrc",    ".cshrc",      ".kshrc",       ".login",      ".logout",      ".profile",
        ".tcshrc",    ".zlogin",     ".zlogout",     ".zprofile",   ".zshenv",      ".zshrc",
        "bash_login", "bash_logout", "bash_profile", "bashrc",      "profile",      "zlogin",
        "zlogout",    "zprofile",    "zshenv",       "zshrc"}},
      {"sql", {"*.psql", "*.sql"}},
      {"swift", {"*.swift"}},
      {"tex", {"*.bib", "*.cls", "*.dtx", "*.ins", "*.ltx", "*.sty", "*.tex"}},
      {"tf", {"*.tf"}},
      {"toml", {"*.toml", "Cargo.lock"}},
      {"ts", {"*.ts", "*.tsx", "*.cts", "*.mts"}},
      {"txt", {"*.txt"}},
      {"vim", {"*.vim"}},
      {"xml",
       {"*.dtd", "*.rng", "*.sch", "*.xhtml", "*.xjb", "*.xml", "*.xml.dist", "*.xsd", "*.xsl",
        "*.xslt"}},
      {"yaml", {"*.yaml", "*.yml"}},
      {"zig", {"*.zig"}},
      {"zsh",
       {"*.zsh", ".zlogin", ".zlogout", ".zprofile", ".zshenv", ".zshrc", "zlogin", "zlogout",
        "zprofile", "zshenv", "zshrc"}},
  };
  return *table;
}

}  // namespace

std::vector<std::string> FileTypeGlobs(std::string_view name) {
  auto it = Table().find(name);
  if (it == Table().end()) return {};
  return it->second;
}

std::vector<std::string> FileTypeNames() {
  std::vector<std::string> names;
  for (const auto& [name, globs] : Table()) names.push_back(name);
  return names;
}

}  // namespace brock
