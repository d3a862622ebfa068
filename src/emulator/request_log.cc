#include "emulator/request_log.h"

#include <cstdio>
#include <nlohmann/json.hpp>

#include "base/strings.h"

namespace brock {

HttpHeaders RedactHeaders(const HttpHeaders& headers) {
  HttpHeaders out;
  for (const auto& [name, value] : headers) {
    std::string lname = ToLower(name);
    std::string v = value;
    if (lname == "authorization") {
      if (ToLower(v.substr(0, 7)) == "bearer ") {
        v = v.substr(0, 7) + "[REDACTED]";
      } else {
        size_t sig = v.find("Signature=");
        if (sig != std::string::npos) {
          v = v.substr(0, sig + 10) + "[REDACTED]";
        } else if (v.rfind("AWS4-", 0) != 0) {
          v = "[REDACTED]";  // a plain token (the container credentials endpoint's)
        }
      }
    } else if (lname == "x-amz-security-token" || lname == "x-aws-ec2-metadata-token") {
      v = "[REDACTED]";
    }
    out.emplace_back(name, v);
  }
  return out;
}

std::string RecordedRequestToJson(const RecordedRequest& r) {
  nlohmann::json headers = nlohmann::json::array();
  for (const auto& [name, value] : r.headers) headers.push_back({name, value});
  nlohmann::json j = {{"seq", r.seq},
                      {"method", r.method},
                      {"path", r.path},
                      {"operation", r.operation},
                      {"model_id", r.model_id},
                      {"headers", headers},
                      {"body", r.body},
                      {"auth_kind", r.auth_kind},
                      {"access_key_id", r.access_key_id},
                      {"auth_ok", r.auth_ok},
                      {"auth_error", r.auth_error},
                      {"status", r.status},
                      {"error_type", r.error_type},
                      {"rule", r.rule},
                      {"stream_fault", r.stream_fault}};
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

RequestRecorder::RequestRecorder(std::string log_path) : log_path_(std::move(log_path)) {}

void RequestRecorder::Record(RecordedRequest r) {
  std::lock_guard<std::mutex> lock(mu_);
  r.seq = next_seq_++;
  if (!log_path_.empty()) {
    if (FILE* f = std::fopen(log_path_.c_str(), "a")) {
      std::string line = RecordedRequestToJson(r) + "\n";
      std::fwrite(line.data(), 1, line.size(), f);
      std::fclose(f);
    }
  }
  requests_.push_back(std::move(r));
}

std::vector<RecordedRequest> RequestRecorder::All() const {
  std::lock_guard<std::mutex> lock(mu_);
  return requests_;
}

void RequestRecorder::Clear() {
  std::lock_guard<std::mutex> lock(mu_);
  requests_.clear();
}

}  // namespace brock
