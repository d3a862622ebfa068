// Test helper (header only, used by *_test.cc): a fake STS on 127.0.0.1 built on TestHttpServer.
// It checks every request as real STS would (query-protocol POST, SigV4 signature verified with
// VerifySigV4 against the keys it knows), answers AssumeRole / AssumeRoleWithWebIdentity with
// fresh credentials (which it then accepts as signing keys, so role chains work) and
// GetCallerIdentity with the caller's ARN. Roles whose ARN contains "denied" are refused with
// AccessDenied.
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "aws/sigv4.h"
#include "aws/uri.h"
#include "base/env.h"
#include "base/strings.h"
#include "testing/test_http_server.h"

namespace brock::testing {

struct StsCall {
  std::string action;
  std::map<std::string, std::string> params;  // decoded form fields
  TestHttpRequest raw;
  bool signed_request = false;
  std::string signer_key_id;  // the access key id that signed it
  std::string verify_error;   // "" when the signature was valid (or the call unsigned)
};

class FakeSts {
 public:
  explicit FakeSts(const Env& env) : env_(env), server_([this](const TestHttpRequest& r, TestHttpConnection& c) { Handle(r, c); }) {}

  // Makes `key_id` / `secret` a valid signing identity with this ARN.
  void AddKey(const std::string& key_id, const std::string& secret, const std::string& arn) {
    std::lock_guard<std::mutex> lock(mu_);
    secrets_[key_id] = secret;
    arns_[key_id] = arn;
  }
  std::string url() const { return server_.Url(""); }
  std::vector<StsCall> calls() {
    std::lock_guard<std::mutex> lock(mu_);
    return calls_;
  }
  // The secret issued for an access key id by an earlier AssumeRole.
  std::string SecretFor(const std::string& key_id) {
    std::lock_guard<std::mutex> lock(mu_);
    return secrets_[key_id];
  }
  // When set, answers every request with this status and body instead.
  void ForceResponse(int status, std::string body) {
    std::lock_guard<std::mutex> lock(mu_);
    forced_.push_back({status, std::move(body)});
  }

  static std::map<std::string, std::string> ParseForm(const std::string& body) {
    std::map<std::string, std::string> out;
    for (const std::string& pair : Split(body, '&')) {
      size_t eq = pair.find('=');
      if (eq == std::string::npos) continue;
      out[UriDecode(pair.substr(0, eq))] = UriDecode(pair.substr(eq + 1));
    }
    return out;
  }

 private:
  static std::string ErrorXml(const std::string& code, const std::string& message) {
    return "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error><Type>Sender</Type><Code>" +
           code + "</Code><Message>" + message + "</Message></Error><RequestId>r-1</RequestId></ErrorResponse>";
  }

  void Handle(const TestHttpRequest& r, TestHttpConnection& c) {
    StsCall call;
    call.raw = r;
    call.params = ParseForm(r.body);
    call.action = call.params["Action"];
    std::unique_lock<std::mutex> lock(mu_);
    if (!forced_.empty()) {
      auto [status, body] = forced_.front();
      forced_.erase(forced_.begin());
      calls_.push_back(call);
      lock.unlock();
      c.Respond(status, {{"Content-Type", "text/xml"}}, body);
      return;
    }
    call.signed_request = !FindHeader(r.headers, "Authorization").empty();
    if (call.signed_request) {
      HttpRequest received;
      received.method = r.method;
      received.url = "http://" + FindHeader(r.headers, "Host") + r.target;
      received.headers = r.headers;
      received.body = r.body;
      auto v = VerifySigV4(received, [this](const std::string& id) -> std::optional<std::string> {
        auto it = secrets_.find(id);
        if (it == secrets_.end()) return std::nullopt;
        return it->second;
      }, env_.Now());
      call.signer_key_id = v.access_key_id;
      if (!v.ok) call.verify_error = v.error_type + ": " + v.message;
      else if (v.service != "sts") call.verify_error = "service " + v.service;
    }
    int status = 200;
    std::string body;
    std::string content_type = FindHeader(r.headers, "Content-Type");
    if (r.method != "POST" || !StartsWith(content_type, "application/x-www-form-urlencoded") ||
        call.params["Version"] != "2011-06-15") {
      status = 400;
      body = ErrorXml("InvalidAction", "not a query-protocol call");
    } else if (call.action != "AssumeRoleWithWebIdentity" && !call.signed_request) {
      status = 403;
      body = ErrorXml("MissingAuthenticationToken", "Request is missing Authentication Token");
    } else if (!call.verify_error.empty()) {
      status = 403;
      body = ErrorXml("SignatureDoesNotMatch", call.verify_error);
    } else if (call.action == "AssumeRole" || call.action == "AssumeRoleWithWebIdentity") {
      std::string arn = call.params["RoleArn"];
      if (arn.find("denied") != std::string::npos) {
        status = 403;
        body = ErrorXml("AccessDenied", "User: " + arns_[call.signer_key_id] +
                                            " is not authorized to perform: sts:AssumeRole on resource: " + arn);
      } else {
        int n = ++issued_;
        std::string id = "ASIAFAKE" + std::to_string(1000 + n);
        std::string secret = "fake-secret-" + std::to_string(n) + "-abcdefgh";
        std::string token = "fake-token-" + std::to_string(n) + "-abcdefghijkl";
        std::string account = Split(arn, ':').size() > 4 ? Split(arn, ':')[4] : "000000000000";
        std::string role = arn.substr(arn.rfind('/') + 1);
        std::string assumed = "arn:aws:sts::" + account + ":assumed-role/" + role + "/" + call.params["RoleSessionName"];
        secrets_[id] = secret;
        arns_[id] = assumed;
        std::string result = call.action + "Result";
        body = "<" + call.action + "Response xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><" + result +
               "><AssumedRoleUser><AssumedRoleId>AROA:x</AssumedRoleId><Arn>" + assumed +
               "</Arn></AssumedRoleUser><Credentials><AccessKeyId>" + id + "</AccessKeyId><SecretAccessKey>" +
               secret + "</SecretAccessKey><SessionToken>" + token +
               "</SessionToken><Expiration>2026-01-01T01:00:00Z</Expiration></Credentials></" + result +
               "><ResponseMetadata><RequestId>r-2</RequestId></ResponseMetadata></" + call.action + "Response>";
      }
    } else if (call.action == "GetCallerIdentity") {
      std::string arn = arns_[call.signer_key_id];
      body = "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><GetCallerIdentityResult><Arn>" +
             arn + "</Arn><UserId>AIDA:x</UserId><Account>" + Split(arn, ':')[4] +
             "</Account></GetCallerIdentityResult></GetCallerIdentityResponse>";
    } else {
      status = 400;
      body = ErrorXml("InvalidAction", "unknown action " + call.action);
    }
    calls_.push_back(call);
    lock.unlock();
    c.Respond(status, {{"Content-Type", "text/xml"}}, body);
  }

  const Env& env_;
  std::mutex mu_;
  std::map<std::string, std::string> secrets_, arns_;
  std::vector<StsCall> calls_;
  std::vector<std::pair<int, std::string>> forced_;
  int issued_ = 0;
  TestHttpServer server_;  // last: stops (joins its threads) before the members above go away
};

}  // namespace brock::testing
