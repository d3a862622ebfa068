#include "aws/process_credentials.h"

#include <nlohmann/json.hpp>

#include "aws/credential_time.h"
#include "base/error_codes.h"
#include "base/json.h"
#include "base/secrets.h"
#include "base/strings.h"

namespace brock {

Result<std::vector<std::string>> SplitCommandLine(std::string_view s) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;
  auto bad = [&](const std::string& what) {
    return MakeError("process.bad_command", "credential_process " + what,
                     "fix the quoting in credential_process (it is split like a shell command "
                     "line, then run without a shell)");
  };
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      if (in_word) words.push_back(std::move(word));
      word.clear();
      in_word = false;
    } else if (c == '\'') {
      size_t end = s.find('\'', i + 1);
      if (end == std::string_view::npos) return bad("has an unterminated ' quote");
      word.append(s.substr(i + 1, end - i - 1));
      i = end;
      in_word = true;
    } else if (c == '"') {
      size_t j = i + 1;
      for (; j < s.size() && s[j] != '"'; ++j) {
        if (s[j] == '\\' && j + 1 < s.size() &&
            (s[j + 1] == '"' || s[j + 1] == '\\' || s[j + 1] == '$' || s[j + 1] == '`' ||
             s[j + 1] == '\n')) {
          if (s[j + 1] != '\n') word += s[j + 1];
          ++j;
        } else {
          word += s[j];
        }
      }
      if (j >= s.size()) return bad("has an unterminated \" quote");
      i = j;
      in_word = true;
    } else if (c == '\\') {
      if (i + 1 >= s.size()) return bad("ends with a lone backslash");
      if (s[i + 1] != '\n') {
        word += s[i + 1];
        in_word = true;
      }
      ++i;
    } else {
      word += c;
      in_word = true;
    }
  }
  if (in_word) words.push_back(std::move(word));
  if (words.empty()) return bad("is empty");
  return words;
}

std::string StderrTail(std::string_view stderr_data, size_t max_lines) {
  std::vector<std::string> lines;
  for (std::string& line : Split(stderr_data, '\n')) {
    std::string_view t = Trim(line);
    if (!t.empty()) lines.emplace_back(t);
  }
  if (lines.size() > max_lines) lines.erase(lines.begin(), lines.end() - max_lines);
  std::string out = ScrubSecrets(Join(lines, " | "));
  if (out.size() > 2000) out = "..." + out.substr(out.size() - 2000);
  return out;
}

Result<Credentials> ParseProcessCredentials(std::string_view output, std::string_view what) {
  auto bad = [&](const std::string& problem) {
    return MakeError("process.bad_output", std::string(what) + " printed " + problem,
                     "the program must print JSON like {\"Version\": 1, \"AccessKeyId\": ..., "
                     "\"SecretAccessKey\": ..., \"SessionToken\": ..., \"Expiration\": "
                     "\"2026-01-01T00:00:00Z\"} on stdout (anything else goes to stderr)");
  };
  Json j = ParseJsonOrDiscarded(output);
  if (j.is_discarded() || !j.is_object()) return bad("output that is not a JSON object");
  // Register secrets first so no later message can leak them.
  for (const char* key : {"SecretAccessKey", "SessionToken"}) {
    if (j.contains(key) && j[key].is_string()) RegisterSecret(j[key].get<std::string>());
  }
  if (!j.contains("Version")) return bad("JSON without \"Version\" (it must be 1)");
  if (!j["Version"].is_number_integer() || j["Version"].get<long>() != 1) {
    return bad("JSON with unsupported \"Version\" " + j["Version"].dump() +
               " (only 1 is supported)");
  }
  auto str = [&](const char* key) -> std::optional<std::string> {
    if (!j.contains(key) || j[key].is_null()) return std::nullopt;
    if (!j[key].is_string()) return std::string();
    return j[key].get<std::string>();
  };
  Credentials c;
  auto id = str("AccessKeyId");
  auto secret = str("SecretAccessKey");
  if (!id || id->empty()) return bad("JSON without \"AccessKeyId\"");
  if (!secret || secret->empty()) return bad("JSON without \"SecretAccessKey\"");
  c.access_key_id = *id;
  c.secret_access_key = *secret;
  c.session_token = str("SessionToken").value_or("");
  if (auto exp = str("Expiration"); exp && !exp->empty()) {
    auto t = ParseIso8601(*exp);
    if (!t) return bad("an \"Expiration\" that is not an ISO 8601 time (\"" + *exp + "\")");
    c.expiration = *t;
  }
  c.account_id = str("AccountId").value_or("");
  return c;
}

ProcessCredentialProvider::ProcessCredentialProvider(const Env& env, ProcessRunner& runner,
                                                     std::string profile, std::string command,
                                                     std::string origin,
                                                     std::chrono::milliseconds timeout)
    : env_(env),
      runner_(runner),
      profile_(std::move(profile)),
      command_(std::move(command)),
      origin_(std::move(origin)),
      timeout_(timeout) {}

Result<std::optional<Credentials>> ProcessCredentialProvider::Load() {
  auto argv = SplitCommandLine(command_);
  if (!argv.ok()) {
    Error e = std::move(argv).error();
    e.message = "profile " + profile_ + " (" + origin_ + "): " + e.message;
    return e;
  }
  std::string what = "credential_process of profile " + profile_ + " (" + (*argv)[0] + ")";
  ProcessSpec spec;
  spec.argv = *argv;
  spec.timeout = timeout_;
  spec.max_output_bytes = 1 << 20;
  auto run = runner_.Run(spec);
  if (!run.ok()) {
    return MakeError("process.start_failed", "cannot run " + what + ": " + run.error().message,
                     "check the program path in credential_process of [profile " + profile_ +
                         "] in " + origin_ +
                         " (it runs without a shell, so use an absolute path "
                         "or a program on PATH)");
  }
  if (run->timed_out) {
    return MakeError(
        "process.timeout",
        what + " did not finish within " +
            std::to_string(std::chrono::duration_cast<std::chrono::seconds>(timeout_).count()) +
            " s" + (run->stderr_data.empty() ? "" : ": " + StderrTail(run->stderr_data)),
        "run the command by hand to see what it waits for (it cannot prompt: its "
        "stdin is not the terminal)");
  }
  if (run->exit_code != 0) {
    std::string status = run->term_signal
                             ? "was killed by signal " + std::to_string(run->term_signal)
                             : "exited with status " + std::to_string(run->exit_code);
    std::string tail = StderrTail(run->stderr_data);
    return MakeError(
        "process.failed",
        what + " " + status + (tail.empty() ? " and printed nothing on stderr" : ": " + tail),
        "run the command by hand to see the problem, then fix it or the "
        "credential_process line of [profile " +
            profile_ + "] in " + origin_);
  }
  auto creds = ParseProcessCredentials(run->stdout_data, what);
  if (!creds.ok()) return std::move(creds).error();
  Credentials c = std::move(creds).value();
  if (c.expiration && *c.expiration <= env_.Now()) {
    return MakeError(errc::kProcessExpired,
                     what + " returned credentials that expired at " + FormatIso8601(*c.expiration),
                     "the program must return fresh credentials: refresh its own login or cache, "
                     "then retry");
  }
  RegisterSecret(c.secret_access_key);
  RegisterSecret(c.session_token);
  c.profile = profile_;
  c.source = "profile " + profile_ + " (credential_process in " + origin_ + ")";
  return std::optional<Credentials>(std::move(c));
}

}  // namespace brock
